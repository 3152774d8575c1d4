//! `latch logout`: ends the session in the store and in the token store.

use crate::util::Env;

#[test]
fn ends_the_session_and_forgets_the_token() {
    let env = Env::new();
    env.alice_logged_in();
    env.run(&["logout"], None)
        .success()
        .stdout("")
        .stderr("Logged out alice.\n");
    assert_eq!(env.count("sessions"), 0);
    assert!(env.stored_token().is_none());
    env.whoami().code(4);
    let kinds: i64 = env.count("events WHERE kind = 'logout'");
    assert_eq!(kinds, 1);
}

#[test]
fn not_logged_in_is_fine() {
    let env = Env::new();
    env.run(&["logout"], None)
        .success()
        .stderr("Not logged in.\n");
    env.alice_logged_in();
    env.run(&["logout"], None).success();
    env.run(&["logout"], None)
        .success()
        .stderr("Not logged in.\n");
    env.run(&["-q", "logout"], None).success().stderr("");
}

#[test]
fn all_ends_every_session_of_the_user() {
    let env = Env::new();
    let files = env.using("file");
    env.register("bob", "bob@example.com").success();
    env.alice_logged_in();
    files.login("bob", crate::util::PASSWORD).success();
    let keyutils = env.using("keyutils");
    keyutils.login("alice", crate::util::PASSWORD).success();
    assert_eq!(env.count("sessions"), 3);

    env.run(&["logout", "--all"], None)
        .success()
        .stderr("Logged out alice: ended 2 sessions.\n");
    assert_eq!(
        env.count("sessions JOIN users ON users.id = user_id WHERE username = 'alice'"),
        0
    );
    files.whoami().success().stdout("bob\n");
    keyutils.whoami().code(4);
    assert!(keyutils.stored_token().is_none());
}

#[test]
fn a_token_without_a_session_is_removed() {
    let env = Env::new();
    env.alice_logged_in();
    env.sql("DELETE FROM sessions");
    env.run(&["logout"], None)
        .success()
        .stderr("Not logged in.\n");
    assert!(env.stored_token().is_none());
}
