//! `latch policy`: showing and changing the policy, and the policy at work.

use crate::util::{Env, PASSWORD};

fn admin_env() -> Env {
    let env = Env::new();
    env.root_logged_in();
    env
}

#[test]
fn shows_the_defaults_without_a_store() {
    let env = Env::new();
    let table = env.run(&["policy", "show"], None);
    table.success().stderr("");
    for row in [
        "min-length",
        "15",
        "pbkdf2-iterations",
        "1200000",
        "lockout-max",
        "3600",
    ] {
        assert!(table.stdout.contains(row), "{row} missing: {table:#?}");
    }
    let json = env.run(&["policy", "show", "--json"], None);
    let value: serde_json::Value = json.json();
    assert_eq!(
        value,
        serde_json::json!({
            "min_length": 15, "max_length": 1024, "pbkdf2_iterations": 1_200_000,
            "session_age": 1_209_600, "lockout_threshold": 5, "lockout_base": 60,
            "lockout_max": 3600, "mfa_required": "none", "mfa_drift_steps": 1
        })
    );
    assert!(!env.store_exists());
}

#[test]
fn only_admins_set_it() {
    let env = admin_env();
    let user = env.using("keyutils");
    user.register("alice", "alice@example.com").success();
    user.login("alice", PASSWORD).success();
    user.run(&["policy", "set", "min-length", "20"], None)
        .code(9);
    Env::new()
        .run(&["policy", "set", "min-length", "20"], None)
        .code(4);

    env.run(&["policy", "set", "min-length", "20"], None)
        .success()
        .stderr("Set min-length to 20 (it was 15).\n");
    let value: serde_json::Value =
        serde_json::from_str(&env.run(&["policy", "show", "--json"], None).stdout).expect("JSON");
    assert_eq!(value["min_length"], 20);
    let detail = env
        .value("SELECT detail FROM events WHERE kind = 'policy_change'")
        .expect("a detail");
    assert_eq!(detail, "min-length: 15 -> 20");
}

#[test]
fn values_outside_the_bounds_are_refused() {
    let env = admin_env();
    let before = env.dump();
    env.run(&["policy", "set", "min-length", "7"], None)
        .code(3)
        .stderr_has("value: min-length must be from 8 to 1024 (not 7)");
    env.run(&["policy", "set", "pbkdf2-iterations", "1000"], None)
        .code(3);
    env.run(&["policy", "set", "session-age", "-1"], None)
        .code(3);
    env.run(&["policy", "set", "max-length", "10"], None)
        .code(3)
        .stderr_has("min-length (15) must not exceed max-length (10)");
    env.run(&["policy", "set", "colour", "1"], None)
        .code(2)
        .stderr_has("possible values");
    env.run(&["policy", "set", "min-length", "many"], None)
        .code(2);
    env.run(&["policy", "set", "mfa-required", "everyone"], None)
        .code(2)
        .stderr_has("none, admins, all");
    env.run(&["policy", "set", "min-length", "admins"], None)
        .code(2)
        .stderr_has("min-length takes a whole number");
    env.run(&["policy", "set", "mfa-required", "3"], None)
        .code(3);
    env.run(&["policy", "set", "mfa-drift-steps", "11"], None)
        .code(3)
        .stderr_has("mfa-drift-steps must be from 0 to 10 (not 11)");
    assert_eq!(env.dump(), before);
}

#[test]
fn the_lockout_follows_the_policy() {
    let env = admin_env();
    env.run(&["policy", "set", "lockout-threshold", "2"], None)
        .success();
    env.run(&["policy", "set", "lockout-base", "300"], None)
        .success();
    env.login("root", "not the password at all").code(4);
    env.login("root", "not the password at all")
        .code(4)
        .stderr_has("is locked for 5 minutes");
    env.login("root", PASSWORD).code(5);
}

#[test]
fn password_length_and_session_age_follow_the_policy() {
    let env = admin_env();
    env.run(&["policy", "set", "min-length", "30"], None)
        .success();
    env.run(&["policy", "set", "session-age", "3600"], None)
        .success();
    env.register("alice", "alice@example.com")
        .code(3)
        .stderr_has("password: must be at least 30 characters (it has 28)");
    env.login("root", PASSWORD).success();
    let age = env.number("SELECT expires_at - created_at FROM sessions");
    assert_eq!(age, 3600);
}

#[test]
fn a_tampered_policy_table_is_a_store_error() {
    let env = admin_env();
    env.sql("INSERT INTO policy (key, value) VALUES ('pbkdf2-iterations', 1)");
    env.login("root", PASSWORD)
        .code(8)
        .stderr_has("the policy table is invalid");
}
