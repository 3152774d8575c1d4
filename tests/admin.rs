//! `latch users …`: the administration of accounts, by admins only.

use crate::util::{Env, OTHER_PASSWORD, PASSWORD};

/// A store with the admin `root` logged in (Secret Service) and `alice`.
fn store_with_admin() -> Env {
    let env = Env::new();
    env.root_logged_in();
    env.register("alice", "alice@example.com").success();
    env
}

/// The same store, logged in as alice on the kernel keyring.
fn as_alice(env: &Env) -> Env {
    let alice = env.using("keyutils");
    alice.login("alice", PASSWORD).success();
    alice
}

#[test]
fn every_users_command_refuses_non_admins() {
    let env = store_with_admin();
    let alice = as_alice(&env);
    let before = env.dump();
    let commands: &[&[&str]] = &[
        &["users", "list"],
        &["users", "list", "--json"],
        &["users", "show", "root"],
        &["users", "disable", "root"],
        &["users", "enable", "root"],
        &["users", "delete", "root", "--yes"],
        &["users", "unlock", "root"],
        &["users", "admin", "grant", "alice"],
        &["users", "admin", "revoke", "root"],
        &["sessions", "list", "--all"],
        &["policy", "set", "min-length", "20"],
        &["export", "--format", "jsonl"],
        &["history", "root"],
    ];
    for args in commands {
        alice.run(args, None).code(9).no_panic();
    }
    alice
        .run(
            &["users", "set-password", "root", "--password-stdin"],
            Some(&format!("{OTHER_PASSWORD}\n")),
        )
        .code(9);
    alice
        .run(&["import", "--format", "jsonl", "-"], Some(""))
        .code(9);
    // The only change allowed: sessions' last-seen times.
    let strip = |dump: String| {
        dump.lines()
            .filter(|line| !line.starts_with("sessions:") && !line.starts_with("events:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(env.dump()), strip(before));
    Env::new().run(&["users", "list"], None).code(4);
}

#[test]
fn list_shows_a_table_and_streams_json() {
    let env = store_with_admin();
    let table = env.run(&["users", "list"], None);
    table.success();
    for cell in [
        "username",
        "locked until",
        "root",
        "alice@example.com",
        "yes",
        "no",
    ] {
        assert!(table.stdout.contains(cell), "{cell}: {table:#?}");
    }
    let json = env.run(&["users", "list", "--json"], None);
    json.success();
    let users: serde_json::Value = json.json();
    let names = crate::util::field(&users, "username");
    assert_eq!(names, ["root", "alice"]);
    assert_eq!(users[0]["sessions"], 1);
    assert_eq!(users[1]["last_login"], serde_json::Value::Null);
    assert!(!json.stdout.contains("pbkdf2"), "a hash in the list");

    env.run(&["users", "disable", "alice"], None).success();
    let only = |flag: &str| -> Vec<String> {
        let out = env.run(&["users", "list", flag, "--json"], None);
        let users: serde_json::Value = out.json();
        crate::util::field(&users, "username")
    };
    assert_eq!(only("--active"), ["root"]);
    assert_eq!(only("--disabled"), ["alice"]);
    assert_eq!(only("--admins"), ["root"]);
    env.run(&["users", "list", "--active", "--disabled"], None)
        .code(2);
}

#[test]
fn show_describes_one_account_without_its_hash() {
    let env = store_with_admin();
    for _ in 0..2 {
        env.login("alice", "not the password at all").code(4);
    }
    let text = env.run(&["users", "show", "ALICE"], None);
    text.success();
    for line in [
        "username: alice",
        "failed logins: 2",
        "password: pbkdf2_sha256 at 1200000 iterations",
    ] {
        assert!(text.stdout.contains(line), "{line}: {text:#?}");
    }
    let json = env.run(&["users", "show", "alice", "--json"], None);
    let value: serde_json::Value = json.json();
    assert_eq!(value["failed_logins"], 2);
    assert_eq!(value["password"]["algorithm"], "pbkdf2_sha256");
    assert_eq!(value["password"]["usable"], true);
    assert!(!json.stdout.contains("pbkdf2_sha256$"));
    env.run(&["users", "show", "nobody"], None)
        .code(3)
        .stderr_has("username: there is no user \"nobody\"");
}

#[test]
fn disabling_ends_sessions_and_enabling_restores_login() {
    let env = store_with_admin();
    let alice = as_alice(&env);
    env.run(&["users", "disable", "alice"], None)
        .success()
        .stderr("Disabled alice; ended 1 session.\n");
    alice.whoami().code(4);
    alice.login("alice", PASSWORD).code(4);
    env.run(&["users", "disable", "alice"], None)
        .success()
        .stderr("alice is disabled already.\n");
    env.run(&["users", "enable", "alice"], None)
        .success()
        .stderr("Enabled alice.\n");
    alice.login("alice", PASSWORD).success();
}

#[test]
fn the_last_admin_cannot_be_disabled_or_deleted() {
    let env = store_with_admin();
    let before = env.dump();
    env.run(&["users", "disable", "root"], None)
        .code(9)
        .stderr_has("root is the last admin of this store and cannot be disabled");
    env.run(&["users", "delete", "root", "--yes"], None)
        .code(9)
        .stderr_has("cannot be deleted");
    let strip = |dump: String| {
        dump.lines()
            .filter(|l| !l.starts_with("sessions:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(env.dump()), strip(before));
}

#[test]
fn delete_removes_the_account_and_sessions_but_keeps_history() {
    let env = store_with_admin();
    let alice = as_alice(&env);
    env.run(&["users", "delete", "alice"], None)
        .code(2)
        .stderr_has("hint: latch users delete --yes alice");
    env.run(&["users", "delete", "alice", "--yes"], None)
        .success()
        .stderr("Deleted alice.\n");
    alice.whoami().code(4);
    assert_eq!(env.count("users WHERE username = 'alice'"), 0);
    assert_eq!(env.count("sessions"), 1);
    let history = env.run(&["history", "alice", "--json"], None);
    let events: serde_json::Value = history.json();
    let kinds = crate::util::field(&events, "kind");
    assert_eq!(kinds.first().map(String::as_str), Some("delete"));
    assert!(kinds.iter().any(|kind| kind == "register"));
    // The name is free again.
    env.register("alice", "alice@example.com").success();
}

#[test]
fn set_password_checks_the_policy_and_ends_sessions() {
    let env = store_with_admin();
    let alice = as_alice(&env);
    env.run(
        &["users", "set-password", "alice", "--password-stdin"],
        Some("passwordpassword\n"),
    )
    .code(3)
    .stderr_has("password: is too easy to guess");
    alice.whoami().success();
    env.run(
        &["users", "set-password", "alice", "--password-stdin"],
        Some(&format!("{OTHER_PASSWORD}\n")),
    )
    .success()
    .stderr("Set the password of alice; ended 1 session.\n");
    alice.whoami().code(4);
    alice.login("alice", PASSWORD).code(4);
    alice.login("alice", OTHER_PASSWORD).success();
    env.run(&["users", "set-password", "alice"], None)
        .code(2)
        .stderr_has("--password-stdin");
}

#[test]
fn quiet_silences_confirmations() {
    let env = store_with_admin();
    env.run(&["-q", "users", "disable", "alice"], None)
        .success()
        .stderr("")
        .stdout("");
    env.run(&["-q", "users", "enable", "alice"], None)
        .success()
        .stderr("")
        .stdout("");
}

#[test]
fn a_hint_that_names_a_user_is_a_command_that_runs() {
    let env = store_with_admin();
    env.run(
        &[
            "register",
            "--email",
            "rf@example.com",
            "--password-stdin",
            "--",
            "-rf",
        ],
        Some(&format!("{PASSWORD}\n")),
    )
    .success();
    let refused = env.run(&["users", "delete", "--", "-rf"], None);
    refused
        .code(2)
        .stderr_has("hint: latch users delete --yes -- -rf\n");
    // The hint, word for word, deletes the user.
    env.run(&["users", "delete", "--yes", "--", "-rf"], None)
        .success()
        .stderr("Deleted -rf.\n");
}

#[test]
fn the_audit_trail_names_the_os_user_from_the_user_database() {
    let env = store_with_admin();
    let real = std::process::Command::new("id")
        .arg("-un")
        .output()
        .expect("id -un");
    let real = String::from_utf8(real.stdout)
        .expect("name")
        .trim()
        .to_owned();
    let mut command = env.command(&["users", "disable", "alice"]);
    command.env("USER", "mallory").env("LOGNAME", "mallory");
    crate::util::run_command(command, None).success();
    let history = env.run(&["history", "--json", "--limit", "1"], None);
    history.success();
    assert_eq!(history.json()[0]["kind"], "disable");
    assert_eq!(history.json()[0]["os_user"], real.as_str());
}
