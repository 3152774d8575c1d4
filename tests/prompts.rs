//! Prompts on a real terminal (a pty): no echo, confirmation, Ctrl-C.

use rexpect::process::wait::WaitStatus;
use rexpect::session::spawn_command;

use crate::util::{Env, PASSWORD};

const TIMEOUT_MS: Option<u64> = Some(30_000);

#[test]
fn register_prompts_twice_without_echo() {
    let env = Env::new();
    let mut session = spawn_command(
        env.command(&["register", "alice", "--email", "alice@example.com"]),
        TIMEOUT_MS,
    )
    .expect("spawn");
    session.exp_string("Password: ").expect("first prompt");
    session.send_line(PASSWORD).expect("type");
    session
        .exp_string("Password (again): ")
        .expect("second prompt");
    session.send_line(PASSWORD).expect("type");
    let rest = session.exp_eof().expect("exit");
    assert!(rest.contains("Registered alice."), "{rest}");
    assert!(!rest.contains(PASSWORD), "the password was echoed: {rest}");
    assert_eq!(
        session.process().wait().expect("wait"),
        WaitStatus::Exited(session.process().child_pid, 0)
    );
    env.login("alice", PASSWORD).success();
}

#[test]
fn mismatched_entries_are_refused() {
    let env = Env::new();
    let mut session = spawn_command(
        env.command(&["register", "alice", "--email", "alice@example.com"]),
        TIMEOUT_MS,
    )
    .expect("spawn");
    session.exp_string("Password: ").expect("prompt");
    session.send_line(PASSWORD).expect("type");
    session.exp_string("Password (again): ").expect("prompt");
    session
        .send_line("correct horse battery stapler")
        .expect("type");
    let rest = session.exp_eof().expect("exit");
    assert!(
        rest.contains("password: the two entries do not match"),
        "{rest}"
    );
    assert_eq!(
        session.process().wait().expect("wait"),
        WaitStatus::Exited(session.process().child_pid, 3)
    );
    assert!(!env.store_exists());
}

#[test]
fn login_prompts_for_username_and_password() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let mut session = spawn_command(env.command(&["login"]), TIMEOUT_MS).expect("spawn");
    session.exp_string("Username: ").expect("username prompt");
    session.send_line("alice").expect("type");
    session.exp_string("Password: ").expect("password prompt");
    session.send_line(PASSWORD).expect("type");
    let rest = session.exp_eof().expect("exit");
    assert!(rest.contains("Logged in as alice"), "{rest}");
    assert!(!rest.contains(PASSWORD));
    env.whoami().success().stdout("alice\n");
}

#[test]
fn ctrl_c_at_a_password_prompt_exits_130_and_restores_echo() {
    let env = Env::new();
    // A shell on the pty (which rexpect starts with echo off) turns echo on,
    // runs latch, then reports latch's status and the echo flag.
    let script =
        "stty echo; \"$0\" \"$@\"; echo \"status=$?\"; stty -a | grep -o -- '-\\?echo ' | head -1";
    let latch = env.command(&["register", "alice", "--email", "alice@example.com"]);
    let command = crate::util::wrapped("sh", &["-c", script], &latch);
    let mut session = spawn_command(command, TIMEOUT_MS).expect("spawn");
    session.exp_string("Password: ").expect("prompt");
    session.send("half a passw").expect("type");
    session.send_control('c').expect("ctrl-c");
    let rest = session.exp_eof().expect("exit");
    assert!(rest.contains("status=130"), "{rest}");
    assert!(rest.contains("echo "), "{rest}");
    assert!(!rest.contains("-echo "), "echo was left off: {rest}");
    assert!(
        !env.store_exists(),
        "an interrupted registration wrote a store"
    );
}

#[test]
fn ctrl_c_at_the_username_prompt_exits_130() {
    let env = Env::new();
    let mut session = spawn_command(env.command(&["login"]), TIMEOUT_MS).expect("spawn");
    session.exp_string("Username: ").expect("prompt");
    session.send_control('c').expect("ctrl-c");
    session.exp_eof().expect("exit");
    assert_eq!(
        session.process().wait().expect("wait"),
        WaitStatus::Exited(session.process().child_pid, 130)
    );
}

/// The events and failed logins a prompt must leave alone.
fn trail(env: &Env) -> (i64, i64) {
    (env.count("events"), env.count("login_failures"))
}

fn exit_status(session: &mut rexpect::session::PtySession) -> WaitStatus {
    session.process().wait().expect("wait")
}

#[test]
fn ctrl_d_at_the_username_prompt_ends_login_at_once() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let before = trail(&env);
    let mut session = spawn_command(env.command(&["login"]), TIMEOUT_MS).expect("spawn");
    session.exp_string("Username: ").expect("prompt");
    session.send_control('d').expect("ctrl-d");
    let rest = session.exp_eof().expect("exit");
    assert!(
        !rest.contains("Password:"),
        "it went on to the password: {rest}"
    );
    // The message starts on a line of its own, after the prompt's.
    assert!(
        rest.starts_with("\r\nlatch: ")
            && rest.contains(" no answer at the prompt (end of input); nothing was done\r\n"),
        "{rest:?}"
    );
    let pid = session.process().child_pid;
    assert_eq!(exit_status(&mut session), WaitStatus::Exited(pid, 130));
    assert_eq!(trail(&env), before, "something was recorded");
}

#[test]
fn ctrl_d_at_a_password_prompt_spends_no_hash_and_counts_nothing() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let before = trail(&env);
    for args in [
        &["login", "alice"][..],
        &["register", "bob", "--email", "bob@example.com"],
    ] {
        let mut session = spawn_command(env.command(args), TIMEOUT_MS).expect("spawn");
        session.exp_string("Password: ").expect("prompt");
        let asked = std::time::Instant::now();
        session.send_control('d').expect("ctrl-d");
        let rest = session.exp_eof().expect("exit");
        assert!(
            rest.starts_with("\r\nlatch: ") && rest.contains(" no answer at the prompt"),
            "{args:?}: {rest:?}"
        );
        assert!(
            !rest.contains("invalid username, password or code"),
            "{rest:?}"
        );
        let pid = session.process().child_pid;
        assert_eq!(
            exit_status(&mut session),
            WaitStatus::Exited(pid, 130),
            "{args:?}"
        );
        // No PBKDF2 hash (a second or more in a debug build) was spent.
        assert!(
            asked.elapsed() < std::time::Duration::from_millis(900),
            "{args:?}: {:?}",
            asked.elapsed()
        );
    }
    assert_eq!(trail(&env), before, "something was recorded");
    assert_eq!(env.count("users"), 1);
}

#[test]
fn a_password_typed_at_the_username_prompt_is_refused_unrecorded() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let before = trail(&env);
    let mut session = spawn_command(env.command(&["login"]), TIMEOUT_MS).expect("spawn");
    session.exp_string("Username: ").expect("prompt");
    session.send_line("Tq8#vLr2!mZp9xWe-kelp").expect("type");
    let rest = session.exp_eof().expect("exit");
    assert!(
        !rest.contains("Password:"),
        "it asked for a password: {rest}"
    );
    assert!(
        rest.contains(" username: may contain only letters, digits"),
        "{rest}"
    );
    let pid = session.process().child_pid;
    assert_eq!(exit_status(&mut session), WaitStatus::Exited(pid, 3));
    assert_eq!(trail(&env), before);
}

#[test]
fn answering_no_at_the_delete_confirmation_is_not_an_error() {
    let env = Env::new();
    env.root_logged_in();
    env.register("alice", "alice@example.com").success();
    for (answer, deleted) in [("n", false), ("", false), ("nope", false), ("y", true)] {
        let mut session =
            spawn_command(env.command(&["users", "delete", "alice"]), TIMEOUT_MS).expect("spawn");
        session.exp_string("[y/N] ").expect("prompt");
        session.send_line(answer).expect("type");
        let rest = session.exp_eof().expect("exit");
        let pid = session.process().child_pid;
        assert_eq!(
            exit_status(&mut session),
            WaitStatus::Exited(pid, 0),
            "{answer:?}: {rest}"
        );
        assert!(!rest.contains("error"), "{answer:?}: {rest}");
        if deleted {
            assert!(rest.contains("Deleted alice."), "{rest}");
        } else {
            assert!(
                rest.contains("Not deleted: alice stays."),
                "{answer:?}: {rest}"
            );
        }
        assert_eq!(env.count("users"), if deleted { 1 } else { 2 });
    }
}

#[test]
fn ctrl_d_at_the_delete_confirmation_deletes_nothing() {
    let env = Env::new();
    env.root_logged_in();
    env.register("alice", "alice@example.com").success();
    let mut session =
        spawn_command(env.command(&["users", "delete", "alice"]), TIMEOUT_MS).expect("spawn");
    session.exp_string("[y/N] ").expect("prompt");
    session.send_control('d').expect("ctrl-d");
    session.exp_eof().expect("exit");
    let pid = session.process().child_pid;
    assert_eq!(exit_status(&mut session), WaitStatus::Exited(pid, 130));
    assert_eq!(env.count("users"), 2);
}
