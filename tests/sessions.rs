//! `latch sessions`: listing and ending sessions.

use crate::util::{Env, PASSWORD};

#[test]
fn lists_your_sessions_with_the_current_one_marked() {
    let env = Env::new();
    let elsewhere = env.using("keyutils");
    env.alice_logged_in();
    elsewhere.login("alice", PASSWORD).success();
    let json = env.run(&["sessions", "list", "--json"], None);
    json.success();
    let sessions: serde_json::Value = json.json();
    let sessions = sessions.as_array().expect("array");
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0]["current"], true);
    assert_eq!(sessions[1]["current"], false);
    assert_eq!(sessions[0]["username"], "alice");
    let table = env.run(&["sessions", "list"], None);
    table.success();
    assert!(
        table.stdout.contains('*') && table.stdout.contains("last seen"),
        "{table:#?}"
    );
    env.run(&["sessions", "list", "--all"], None).code(9);
}

#[test]
fn revoke_ends_one_or_all_others() {
    let env = Env::new();
    let second = env.using("keyutils");
    let third = env.using("file");
    env.alice_logged_in();
    second.login("alice", PASSWORD).success();
    third.login("alice", PASSWORD).success();
    let id_of = |e: &Env| -> i64 {
        let out = e.run(&["sessions", "list", "--json"], None);
        let list: serde_json::Value = out.json();
        list.as_array()
            .expect("array")
            .iter()
            .find(|s| s["current"] == true)
            .and_then(|s| s["id"].as_i64())
            .expect("current session")
    };
    let second_id = id_of(&second).to_string();
    env.run(&["sessions", "revoke", &second_id], None)
        .success()
        .stderr("Ended 1 session.\n");
    second.whoami().code(4);
    third.whoami().success();
    env.run(&["sessions", "revoke", "--all-others"], None)
        .success()
        .stderr("Ended 1 session.\n");
    third.whoami().code(4);
    env.whoami().success();
    env.run(&["sessions", "revoke", "999"], None)
        .code(3)
        .stderr_has("there is no session 999");
    env.run(&["sessions", "revoke"], None).code(2);
    // Ending this session is a logout.
    let mine = id_of(&env).to_string();
    env.run(&["sessions", "revoke", &mine], None).success();
    assert!(env.stored_token().is_none());
    env.whoami().code(4);
}

#[test]
fn only_admins_end_other_users_sessions() {
    let env = Env::new();
    env.register_with("root", "root@example.com", &["--admin"])
        .success();
    let root = env.using("keyutils");
    root.login("root", PASSWORD).success();
    env.alice_logged_in();
    let all = root.run(&["sessions", "list", "--all", "--json"], None);
    let list: serde_json::Value = all.json();
    let ids: Vec<(String, i64)> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|s| {
            (
                s["username"].as_str().expect("name").to_owned(),
                s["id"].as_i64().expect("id"),
            )
        })
        .collect();
    let root_id = ids
        .iter()
        .find(|(name, _)| name == "root")
        .expect("root")
        .1
        .to_string();
    let alice_id = ids
        .iter()
        .find(|(name, _)| name == "alice")
        .expect("alice")
        .1
        .to_string();
    env.run(&["sessions", "revoke", &root_id], None)
        .code(9)
        .stderr_has("is not yours");
    root.run(&["sessions", "revoke", &alice_id], None).success();
    env.whoami().code(4);
}
