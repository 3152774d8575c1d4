//! The security model: lockout, unlock, password changes, roles, history.

use std::time::Duration;

use crate::util::{Env, OTHER_PASSWORD, PASSWORD};

const WRONG: &str = "not the password at all";

fn fail_times(env: &Env, name: &str, times: usize) {
    for _ in 0..times {
        env.login(name, WRONG).code(4);
    }
}

fn locked_for(env: &Env, name: &str) -> i64 {
    env.number(&format!(
        "SELECT locked_until - {} FROM login_failures WHERE username_key = {}",
        env.now_sql(),
        env.text_sql(name)
    ))
}

/// Moves the lock into the past, as if its time had run out.
fn expire_lock(env: &Env) {
    env.sql(&format!(
        "UPDATE login_failures SET locked_until = {} - 1",
        env.now_sql()
    ));
}

/// A second environment on the same store, logged in as a new admin `root`.
fn admin(env: &Env) -> Env {
    let root = env.using("keyutils");
    root.root_logged_in();
    root
}

#[test]
fn five_failures_lock_the_name_even_against_the_right_password() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    fail_times(&env, "alice", 4);
    env.login("alice", WRONG)
        .code(4)
        .stderr("latch: error: invalid username, password or code\nhint: after 5 failed attempts, \"alice\" is locked for 60 seconds\n");
    let locked = env.login("alice", PASSWORD);
    locked
        .code(5)
        .stderr_has("latch: error: too many failed login attempts for \"alice\"; try again in ");
    assert!(
        locked.stderr.contains("in 60 seconds") || locked.stderr.contains("in 59 seconds"),
        "{locked:#?}"
    );
    assert_eq!(env.count("sessions"), 0);
    assert_eq!(env.count("events WHERE kind = 'lock'"), 1);
    assert_eq!(
        env.count("events WHERE kind = 'login_failure' AND detail = 'locked'"),
        1
    );
}

#[test]
fn no_hash_is_computed_for_a_locked_name() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    fail_times(&env, "alice", 5);
    // A hash of 100,000,000 iterations takes many seconds to check. A locked
    // name must be refused without checking it: well within the deadline.
    env.sql("UPDATE users SET password = 'pbkdf2_sha256$100000000$abcdefghijklmnopqrstuv$akP42UnRyfsYsw5KDfgkXZ81K967fXLNmWc+8OhHGsE='");
    let mut command =
        assert_cmd::Command::from_std(env.command(&["login", "alice", "--password-stdin"]));
    command
        .timeout(Duration::from_secs(3))
        .write_stdin(format!("{PASSWORD}\n"));
    let output = command.output().expect("run");
    assert_eq!(output.status.code(), Some(5), "{output:?}");
}

#[test]
fn each_further_failure_doubles_the_lock_up_to_an_hour() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    fail_times(&env, "alice", 5);
    let mut expected = 60;
    for _ in 0..8 {
        let seconds = locked_for(&env, "alice");
        assert!(
            (expected - 3..=expected).contains(&seconds),
            "locked for {seconds}, expected {expected}"
        );
        expire_lock(&env);
        env.login("alice", WRONG).code(4);
        expected = (expected * 2).min(3600);
    }
    assert!(locked_for(&env, "alice") > 3590);
}

#[test]
fn unknown_names_lock_the_same_way() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    fail_times(&env, "ghost", 5);
    env.login("ghost", PASSWORD).code(5).stderr_has("\"ghost\"");
    // Case and compatibility forms are the same name.
    env.login("GHOST", PASSWORD).code(5);
    env.login("alice", PASSWORD).success();
}

#[test]
fn a_success_resets_the_count() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    fail_times(&env, "alice", 4);
    env.login("alice", PASSWORD).success();
    assert_eq!(env.count("login_failures"), 0);
    fail_times(&env, "alice", 4);
    env.login("alice", PASSWORD).success();
}

#[test]
fn an_admin_unlocks() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let root = admin(&env);
    fail_times(&env, "alice", 5);
    env.login("alice", PASSWORD).code(5);

    // Not logged in: exit 4; not an admin: exit 9.
    env.run(&["users", "unlock", "alice"], None).code(4);
    env.register("bob", "bob@example.com").success();
    env.login("bob", PASSWORD).success();
    env.run(&["users", "unlock", "alice"], None)
        .code(9)
        .stderr_has("this needs an admin, and bob is not one");
    env.login("alice", PASSWORD).code(5);

    root.run(&["users", "unlock", "ALICE"], None)
        .success()
        .stderr_has("Unlocked ALICE.");
    env.login("alice", PASSWORD).success();
    root.run(&["users", "unlock", "alice"], None)
        .success()
        .stderr_has("alice had no failed logins.");
    let actor = env
        .value("SELECT actor FROM events WHERE kind = 'unlock'")
        .expect("an actor");
    assert_eq!(actor, "root");
}

#[test]
fn passwd_ends_other_sessions_and_keeps_this_one() {
    let env = Env::new();
    let elsewhere = env.using("keyutils");
    env.alice_logged_in();
    elsewhere.login("alice", PASSWORD).success();
    env.run(
        &["passwd", "--password-stdin"],
        Some(&format!("{PASSWORD}\n{OTHER_PASSWORD}\n")),
    )
    .success()
    .stdout("")
    .stderr("Changed the password of alice; ended 1 other session.\n");
    env.whoami().success().stdout("alice\n");
    elsewhere.whoami().code(4);
    env.login("alice", PASSWORD).code(4);
    env.login("alice", OTHER_PASSWORD).success();
    assert_eq!(env.count("events WHERE kind = 'password_change'"), 1);
}

#[test]
fn passwd_checks_the_current_password_first() {
    let env = Env::new();
    env.alice_logged_in();
    let before = env.value("SELECT password FROM users");
    // A wrong current password: exit 4, counted, and nothing said of the new one.
    env.run(
        &["passwd", "--password-stdin"],
        Some(&format!("{WRONG}\nshort\n")),
    )
    .code(4)
    .stderr("latch: error: invalid username, password or code\n");
    assert_eq!(env.count("login_failures"), 1);
    // The right one, and a weak new one: exit 3.
    env.run(
        &["passwd", "--password-stdin"],
        Some(&format!("{PASSWORD}\npasswordpassword\n")),
    )
    .code(3)
    .stderr_has("password: is too easy to guess");
    env.run(
        &["passwd", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    )
    .code(3)
    .stderr_has("line 2 of standard input: standard input is empty");
    let after = env.value("SELECT password FROM users");
    assert_eq!(before, after);
    env.whoami().success();
}

#[test]
fn passwd_needs_a_session_and_a_way_to_read() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    env.run(
        &["passwd", "--password-stdin"],
        Some(&format!("{PASSWORD}\n{OTHER_PASSWORD}\n")),
    )
    .code(4)
    .stderr_has("not logged in");
    env.login("alice", PASSWORD).success();
    env.run(&["passwd"], None)
        .code(2)
        .stderr_has("--password-stdin");
}

#[test]
fn admin_roles_are_granted_and_revoked_by_admins_only() {
    let env = Env::new();
    let root = admin(&env);
    env.register("alice", "alice@example.com").success();
    env.login("alice", PASSWORD).success();
    env.run(&["users", "admin", "grant", "alice"], None)
        .code(9)
        .stderr_has("this needs an admin, and alice is not one");

    root.run(&["users", "admin", "grant", "Alice"], None)
        .success()
        .stderr("alice is now an admin.\n");
    root.run(&["users", "admin", "grant", "alice"], None)
        .success()
        .stderr("alice is an admin already.\n");
    // Now alice may act as an admin too.
    env.run(&["users", "admin", "revoke", "root"], None)
        .success()
        .stderr("root is no longer an admin.\n");
    root.run(&["users", "admin", "grant", "root"], None).code(9);
    root.run(&["users", "admin", "grant", "nobody"], None)
        .code(9);
    env.run(&["users", "admin", "grant", "nobody"], None)
        .code(3)
        .stderr_has("username: there is no user \"nobody\"");
    let kinds: i64 =
        env.count("events WHERE kind IN ('admin_grant', 'admin_revoke') AND actor IS NOT NULL");
    assert_eq!(kinds, 2);
}

#[test]
fn the_last_admin_cannot_be_revoked() {
    let env = Env::new();
    let root = admin(&env);
    let before = env.dump();
    root.run(&["users", "admin", "revoke", "root"], None)
        .code(9)
        .stderr_has("root is the last admin of this store");
    assert_eq!(env.dump(), before);
}

#[test]
fn history_shows_your_own_events() {
    let env = Env::new();
    env.alice_logged_in();
    env.login("alice", WRONG).code(4);
    env.login("alice", PASSWORD).success();
    let outcome = env.run(&["history", "--json"], None);
    outcome.success().stderr("");
    let events: serde_json::Value = outcome.json();
    let kinds = crate::util::field(&events, "kind");
    assert_eq!(
        kinds,
        [
            "login_success",
            "login_failure",
            "login_success",
            "register"
        ]
    );
    let failure = &events[1];
    assert_eq!(failure["detail"], "wrong password");
    assert_eq!(failure["username"], "alice");
    for key in [
        "id", "at", "kind", "username", "actor", "detail", "os_user", "host",
    ] {
        assert!(failure.get(key).is_some(), "no {key} in {failure}");
    }
    assert!(failure["at"].as_str().expect("time").ends_with('Z'));

    let table = env.run(&["history", "--limit", "2"], None);
    table.success();
    assert!(
        table.stdout.contains("login_failure") && table.stdout.contains("wrong password"),
        "{table:#?}"
    );
    assert!(
        !table.stdout.contains("register"),
        "--limit 2 showed more: {table:#?}"
    );
}

#[test]
fn history_of_others_is_for_admins() {
    let env = Env::new();
    let root = admin(&env);
    env.alice_logged_in();
    env.register("bob", "bob@example.com").success();
    env.run(&["history", "bob"], None)
        .code(9)
        .stderr_has("only an admin can read another user's history, and alice is not one");
    env.run(&["history", "ALICE", "--json"], None).success();
    root.login("ghost", WRONG).code(4);

    let outcome = root.run(&["history", "alice", "--json"], None);
    outcome.success();
    let events: serde_json::Value = outcome.json();
    assert!(
        events
            .as_array()
            .expect("array")
            .iter()
            .all(|e| e["username"] == "alice")
    );

    // Failures against names that do not exist are kept under the name.
    let ghost = root.run(&["history", "ghost", "--json"], None);
    let events: serde_json::Value = ghost.json();
    assert_eq!(events[0]["detail"], "unknown user");

    let all = root.run(&["history", "--json"], None);
    let events: serde_json::Value = all.json();
    assert!(events.as_array().expect("array").len() >= 6);
}

#[test]
fn history_needs_a_session_and_a_sane_limit() {
    let env = Env::new();
    env.run(&["history"], None).code(4);
    env.alice_logged_in();
    env.run(&["history", "--limit", "0"], None)
        .code(3)
        .stderr_has("limit: must be at least 1");
    env.run(&["history", "--limit", "-5"], None).code(2);
    let outcome = env.run(&["history", "--json", "--limit", "x"], None);
    outcome.code(2);
    let value: serde_json::Value = serde_json::from_str(&outcome.stderr).expect("JSON error");
    assert_eq!(value["error"]["code"], "usage");
}

#[test]
fn history_never_sends_a_recorded_name_to_the_terminal_raw() {
    let env = Env::new();
    let root = admin(&env);
    // No account can have a name with escape sequences: a login with one is
    // invalid input, and not recorded.
    let before = env.count("events");
    env.login("evil\u{1b}]0;owned\u{7}\u{1b}[2J", WRONG).code(3);
    assert_eq!(env.count("events"), before);
    // An older latch recorded such names as typed: they are shown escaped.
    env.sql(&env.dialect(
        "INSERT INTO events (at, kind, subject, subject_key, detail, os_user, host) \
         VALUES (4102444800, 'login_failure', \
                 'evil' || char(27) || ']0;owned' || char(7) || char(27) || '[2J', 'evil', \
                 'unknown user', 'someone', 'somewhere')",
    ));
    let table = root.run(&["history"], None);
    table.success();
    assert!(
        !table.stdout.contains('\u{1b}') && !table.stdout.contains('\u{7}'),
        "{table:#?}"
    );
    assert!(
        table.stdout.contains("evil\\u{1b}]0;owned\\u{7}\\u{1b}[2J"),
        "{table:#?}"
    );
    // JSON keeps the name as recorded, escaped by JSON itself.
    let json = root.run(&["history", "--json"], None);
    let events: serde_json::Value = json.json();
    assert_eq!(events[0]["username"], "evil\u{1b}]0;owned\u{7}\u{1b}[2J");
}

#[test]
fn a_lock_names_the_name_as_typed_whether_or_not_it_exists() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    fail_times(&env, "ALICE", 4);
    env.login("ALICE", WRONG)
        .code(4)
        .stderr_has("hint: after 5 failed attempts, \"ALICE\" is locked for 60 seconds");
    env.login("ALICE", PASSWORD)
        .code(5)
        .stderr_has("attempts for \"ALICE\"");
    fail_times(&env, "GHOST", 4);
    env.login("GHOST", WRONG)
        .code(4)
        .stderr_has("hint: after 5 failed attempts, \"GHOST\" is locked for 60 seconds");
}

#[test]
fn your_history_is_your_accounts_not_your_names() {
    let env = Env::new();
    let root = admin(&env);
    env.register("alice", "alice@example.com").success();
    root.run(&["users", "delete", "alice", "--yes"], None)
        .success();
    env.run(
        &[
            "register",
            "Alice",
            "--email",
            "new-alice@example.com",
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    )
    .success();
    env.login("Alice", PASSWORD).success();
    let own = env.run(&["history", "alice", "--json"], None);
    own.success();
    let events: serde_json::Value = own.json();
    let kinds = crate::util::field(&events, "kind");
    assert_eq!(
        kinds,
        ["login_success", "register"],
        "another account's events shown"
    );
}
