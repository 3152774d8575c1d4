//! `latch login`: one answer for every failure, sessions, token placement.

use crate::util::{Env, OTHER_PASSWORD, PASSWORD, binding, sha256};

const INVALID: &str = "latch: error: invalid username, password or code\n";
// Made by Django 5.2 for PASSWORD (tests/fixtures/django/vectors.py).
const DJANGO_1000_ITERATIONS: &str =
    "pbkdf2_sha256$1000$shortsalt$it+6pvf1grdMwPSLJ7qRPujK8dQNvXunEfryfOO5dBk=";

#[test]
fn logs_in_and_keeps_only_the_tokens_hash() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    env.login("alice", PASSWORD)
        .success()
        .stdout("")
        .stderr_has("Logged in as alice (the session ends ");
    let token = env.stored_token().expect("a token in the Secret Service");
    assert!(token.starts_with("latch_") && token.len() == 49, "{token}");
    assert_eq!(env.session_token_hashes(), [sha256(&token)]);
    assert_eq!(env.number("SELECT user_id FROM sessions"), 1);
    assert!(env.value("SELECT last_login FROM users").is_some());
}

#[test]
fn session_lasts_fourteen_days() {
    let env = Env::new();
    env.alice_logged_in();
    let age = env.number("SELECT expires_at - created_at FROM sessions");
    assert_eq!(age, 14 * 24 * 3600);
}

#[test]
fn every_failure_gets_the_same_answer() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    env.register("mallory", "mallory@example.com").success();
    env.register("nopass", "nopass@example.com").success();
    env.sql("UPDATE users SET is_active = false WHERE username = 'mallory'");
    env.sql("UPDATE users SET password = '!UnusablePasswordMadeByDjango0000000000000' WHERE username = 'nopass'");

    let wrong_password = env.login("alice", OTHER_PASSWORD);
    let unknown_user = env.login("nobody", PASSWORD);
    let disabled = env.login("mallory", PASSWORD);
    let unusable = env.login("nopass", PASSWORD);
    let empty_password = env.login("alice", "");
    for outcome in [
        &wrong_password,
        &unknown_user,
        &disabled,
        &unusable,
        &empty_password,
    ] {
        outcome.code(4).stdout("").stderr(INVALID);
    }
    assert_eq!(env.count("sessions"), 0);
    assert!(env.stored_token().is_none());
}

#[test]
fn the_audit_trail_keeps_the_real_reason() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    env.register("mallory", "mallory@example.com").success();
    env.sql("UPDATE users SET is_active = false WHERE username = 'mallory'");
    env.login("alice", OTHER_PASSWORD).code(4);
    env.login("nobody", PASSWORD).code(4);
    env.login("mallory", PASSWORD).code(4);
    env.login("alice", PASSWORD).success();
    let events = env.events_where("kind LIKE 'login%'");
    let expected = [
        ("login_failure", "alice", "wrong password"),
        ("login_failure", "nobody", "unknown user"),
        ("login_failure", "mallory", "disabled"),
        ("login_success", "alice", ""),
    ];
    let events: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(events, expected);
}

#[test]
fn usernames_match_without_regard_to_case() {
    let env = Env::new();
    env.register("Alice", "alice@example.com").success();
    env.login("ALICE", PASSWORD)
        .success()
        .stderr_has("Logged in as Alice");
    env.login("ａｌｉｃｅ", PASSWORD).success();
    env.whoami().success().stdout("Alice\n");
}

#[test]
fn passwords_are_nfkc_normalized() {
    let env = Env::new();
    // "ﬁ" (U+FB01) is a compatibility form of "fi": both are one password.
    env.run(
        &[
            "register",
            "alice",
            "--email",
            "alice@example.com",
            "--password-stdin",
        ],
        Some("ﬁnest purple elephant tango\n"),
    )
    .success();
    env.login("alice", "finest purple elephant tango").success();
}

#[test]
fn a_new_login_replaces_the_previous_session() {
    let env = Env::new();
    env.alice_logged_in();
    let first = env.stored_token().expect("token");
    env.login("alice", PASSWORD).success();
    let second = env.stored_token().expect("token");
    assert_ne!(first, second);
    assert_eq!(
        env.session_token_hashes(),
        vec![sha256(&second)],
        "the first session was not revoked"
    );
}

#[test]
fn a_login_as_someone_else_replaces_the_session_too() {
    let env = Env::new();
    env.alice_logged_in();
    env.register("bob", "bob@example.com").success();
    env.login("bob", PASSWORD).success();
    env.whoami().success().stdout("bob\n");
    assert_eq!(env.count("sessions"), 1);
}

#[test]
fn no_store_means_no_such_user() {
    let env = Env::new();
    env.login("alice", PASSWORD)
        .code(4)
        .stderr_has(INVALID)
        .stderr_has("hint: there is no account store at");
    assert!(!env.store_exists(), "login created a store");
}

#[test]
fn without_username_or_terminal_it_is_a_usage_error() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    env.run(
        &["login", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    )
    .code(2)
    .stderr_has("no USERNAME given, and no terminal to ask for it on");
    env.run(&["login", "alice"], None)
        .code(2)
        .stderr_has("--password-stdin");
}

#[test]
fn an_old_hash_is_upgraded_and_other_sessions_survive() {
    let env = Env::new();
    let files = env.using("file");
    env.alice_logged_in();
    // Put back a hash Django made at 1,000 iterations, with the keyring's
    // session bound to it as if it had been made under it.
    env.sql(&format!(
        "UPDATE users SET password = '{DJANGO_1000_ITERATIONS}'"
    ));
    env.sql(&format!(
        "UPDATE sessions SET password_binding = {}",
        env.bytes_sql(&binding(DJANGO_1000_ITERATIONS))
    ));
    env.whoami().success();

    files.login("alice", PASSWORD).success();
    let hash = env.value("SELECT password FROM users").expect("a password");
    assert!(hash.starts_with("pbkdf2_sha256$1200000$"), "{hash}");
    assert_ne!(hash, DJANGO_1000_ITERATIONS);
    env.whoami().success().stdout("alice\n");
    files.whoami().success().stdout("alice\n");
    env.login("alice", PASSWORD).success();
}

#[test]
fn a_changed_password_ends_the_session() {
    let env = Env::new();
    env.alice_logged_in();
    env.sql(&format!(
        "UPDATE users SET password = '{DJANGO_1000_ITERATIONS}'"
    ));
    env.whoami()
        .code(4)
        .stderr_has("not logged in: the password was changed");
}

#[test]
fn a_name_no_account_can_have_is_invalid_input_and_leaves_no_trace() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let before = env.dump();
    env.login("", PASSWORD)
        .code(3)
        .stderr("latch: error: username: is required\n");
    let long = "a".repeat(100_000);
    env.login(&long, PASSWORD)
        .code(3)
        .stderr("latch: error: username: must be at most 150 characters (it has 100000)\n");
    assert_eq!(env.dump(), before, "the audit trail or the lockout changed");
}
