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
    assert!(!env.db.exists());
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
        !env.db.exists(),
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
