//! Two hosts on one PostgreSQL store, each with a HOME and a token store of
//! its own: an account registered on one logs in on the other; failed logins
//! from both count toward one lockout; an admin's change on one host (a
//! disabled account, a password set) ends the session on the other, whose
//! next `whoami` says why; each host keeps a token of its own under the
//! store's one identity.

use crate::util::{Env, OTHER_PASSWORD, PASSWORD};

const WRONG: &str = "not the password at all";

#[test]
fn an_account_registered_on_one_host_logs_in_on_another() {
    let a = Env::new();
    let b = a.another_host("keyutils");
    a.register("alice", "alice@example.com").success();
    b.login("alice", PASSWORD)
        .success()
        .stderr_has("Logged in as alice");
    b.whoami().success().stdout("alice\n");
    a.whoami().code(4).stderr_has("not logged in");
    b.register("Alice", "other@example.com").code(6);
    assert_eq!(a.count("users"), 1);
}

#[test]
fn failures_from_both_hosts_count_toward_one_lockout() {
    let a = Env::new();
    let b = a.another_host("keyutils");
    a.register("alice", "alice@example.com").success();
    for host in [&a, &b, &a, &b] {
        host.login("alice", WRONG).code(4);
    }
    b.login("alice", WRONG)
        .code(4)
        .stderr_has("after 5 failed attempts, \"alice\" is locked for 60 seconds");
    for host in [&a, &b] {
        host.login("alice", PASSWORD)
            .code(5)
            .stderr_has("too many failed login attempts for \"alice\"");
    }
    assert_eq!(a.count("sessions"), 0);
    assert_eq!(
        a.count("events WHERE kind = 'login_failure' AND detail = 'wrong password'"),
        5
    );
    // The lock is the store's: an admin unlocks it from either host.
    let root = a.another_host("file");
    root.root_logged_in();
    root.run(&["users", "unlock", "alice"], None).success();
    b.login("alice", PASSWORD).success();
}

/// Host A with the admin `root` logged in, host B with `alice` logged in.
fn two_hosts() -> (Env, Env) {
    let a = Env::new();
    let b = a.another_host("keyutils");
    a.root_logged_in();
    b.alice_logged_in();
    (a, b)
}

#[test]
fn an_account_disabled_on_one_host_is_logged_out_on_the_other() {
    let (a, b) = two_hosts();
    b.whoami().success().stdout("alice\n");
    a.run(&["users", "disable", "alice"], None).success();
    b.whoami()
        .code(4)
        .stdout("")
        .stderr_has("latch: error: not logged in: the session was ended\n");
    assert!(b.stored_token().is_none(), "B kept the stale token");
    b.login("alice", PASSWORD).code(4);
    a.whoami().success().stdout("root\n");
}

#[test]
fn a_password_set_on_one_host_ends_the_session_on_the_other() {
    let (a, b) = two_hosts();
    a.run(
        &["users", "set-password", "alice", "--password-stdin"],
        Some(&format!("{OTHER_PASSWORD}\n")),
    )
    .success();
    b.whoami()
        .code(4)
        .stdout("")
        .stderr_has("latch: error: not logged in: the session was ended\n");
    assert!(b.stored_token().is_none(), "B kept the stale token");
    b.login("alice", PASSWORD).code(4);
    b.login("alice", OTHER_PASSWORD).success();
    b.whoami().success().stdout("alice\n");
}

#[test]
fn each_host_keeps_its_own_token_under_the_one_store_identity() {
    let a = Env::new();
    let b = a.another_host("keyutils");
    let c = a.another_host("file");
    a.register("alice", "alice@example.com").success();
    for host in [&a, &b, &c] {
        host.login("alice", PASSWORD).success();
    }
    assert_eq!(a.token_key(), b.token_key());
    assert_eq!(a.token_key(), c.token_key());
    let tokens: Vec<String> = [&a, &b, &c]
        .iter()
        .map(|host| host.stored_token().expect("a token on each host"))
        .collect();
    assert!(tokens.iter().all(|token| token.starts_with("latch_")));
    assert_ne!(tokens[0], tokens[1]);
    assert_ne!(tokens[0], tokens[2]);
    assert_ne!(tokens[1], tokens[2]);
    // One login does not end another host's session.
    for host in [&a, &b, &c] {
        host.whoami().success().stdout("alice\n");
    }
    assert_eq!(a.count("sessions"), 3);
    // Logging out on one host leaves the others logged in.
    b.run(&["logout"], None).success();
    b.whoami().code(4);
    a.whoami().success();
    c.whoami().success();
    assert_eq!(a.count("sessions"), 2);
}
