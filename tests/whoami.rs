//! `latch whoami`: the answer scripts rely on, and cleaning up stale tokens.

use crate::util::{Env, secret_tool_store};

#[test]
fn prints_the_username_alone() {
    let env = Env::new();
    env.alice_logged_in();
    env.whoami().success().stdout("alice\n").stderr("");
}

#[test]
fn not_logged_in_is_exit_4() {
    let env = Env::new();
    env.whoami()
        .code(4)
        .stdout("")
        .stderr("latch: error: not logged in\nhint: log in with `latch login USERNAME`\n");
    assert!(!env.store_exists(), "whoami created a store");
}

#[test]
fn quiet_prints_nothing_either_way() {
    let env = Env::new();
    env.run(&["whoami", "-q"], None)
        .code(4)
        .stdout("")
        .stderr("");
    env.alice_logged_in();
    env.run(&["whoami", "-q"], None)
        .success()
        .stdout("")
        .stderr("");
    env.run(&["-q", "whoami"], None)
        .success()
        .stdout("")
        .stderr("");
}

#[test]
fn json_has_the_documented_shape_and_no_token() {
    let env = Env::new();
    env.alice_logged_in();
    let outcome = env.run(&["whoami", "--json"], None);
    outcome.success().stderr("");
    let value: serde_json::Value = outcome.json();
    let keys: Vec<&str> = value
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "email",
            "is_admin",
            "mfa",
            "session",
            "token_store",
            "username"
        ]
    );
    assert_eq!(value["mfa"], false);
    assert_eq!(value["username"], "alice");
    assert_eq!(value["email"], "alice@example.com");
    assert_eq!(value["is_admin"], false);
    assert_eq!(value["token_store"], "keyring");
    let session = value["session"].as_object().expect("session");
    let keys: Vec<&str> = session.keys().map(String::as_str).collect();
    assert_eq!(keys, ["created_at", "expires_at", "id"]);
    assert!(session["id"].is_i64());
    assert!(session["expires_at"].as_str().expect("time").ends_with('Z'));
    let token = env.stored_token().expect("token");
    assert!(!outcome.stdout.contains(&token));
}

#[test]
fn json_errors_are_json() {
    let env = Env::new();
    let outcome = env.run(&["whoami", "--json"], None);
    outcome.code(4).stdout("");
    let value: serde_json::Value = serde_json::from_str(&outcome.stderr).expect("JSON error");
    assert_eq!(value["error"]["code"], "not_authenticated");
    assert_eq!(value["error"]["message"], "not logged in");
    assert_eq!(value["error"]["problems"], serde_json::json!([]));
}

#[test]
fn a_revoked_session_is_cleaned_up() {
    let env = Env::new();
    env.alice_logged_in();
    env.sql("DELETE FROM sessions");
    env.whoami()
        .code(4)
        .stderr_has("latch: error: not logged in: the session was ended\n");
    assert!(env.stored_token().is_none(), "the stale token was kept");
    env.whoami()
        .code(4)
        .stderr_has("latch: error: not logged in\n");
}

#[test]
fn an_expired_session_is_cleaned_up() {
    let env = Env::new();
    env.alice_logged_in();
    env.sql(&format!(
        "UPDATE sessions SET expires_at = {} - 1",
        env.now_sql()
    ));
    env.whoami()
        .code(4)
        .stderr_has("latch: error: not logged in: the session expired\n");
    assert!(env.stored_token().is_none());
    assert_eq!(env.count("sessions"), 0);
}

#[test]
fn a_disabled_account_is_logged_out() {
    let env = Env::new();
    env.alice_logged_in();
    env.sql("UPDATE users SET is_active = false");
    env.whoami()
        .code(4)
        .stderr_has("not logged in: the account is disabled");
    assert!(env.stored_token().is_none());
}

#[test]
fn a_foreign_secret_is_not_a_session() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    secret_tool_store(&env.token_key(), "hunter2-not-a-latch-token", &[]);
    env.whoami().code(4).stderr_has("not logged in");
}

#[test]
fn the_store_path_chooses_the_session() {
    let env = Env::new();
    env.alice_logged_in();
    let other = Env::new();
    other.register("bob", "bob@example.com").success();
    other.login("bob", crate::util::PASSWORD).success();
    env.whoami().success().stdout("alice\n");
    other.whoami().success().stdout("bob\n");
}
