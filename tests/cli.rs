//! The command line itself: usage errors, help, version.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::Env;

#[test]
fn a_password_is_never_accepted_on_argv() {
    let env = Env::new();
    env.run(
        &[
            "register",
            "alice",
            "--email",
            "a@example.com",
            "--password",
            "hunter2hunter2hunter2",
        ],
        None,
    )
    .code(2)
    .no_panic()
    .stderr_has("latch: error: unexpected argument '--password' found");
    env.run(&["login", "alice", "hunter2hunter2hunter2"], None)
        .code(2)
        .stderr_has("latch: error: unexpected argument");
    assert!(!env.db.exists());
}

#[test]
fn usage_errors_are_exit_2() {
    let env = Env::new();
    env.run(&[], None).code(2).no_panic();
    env.run(&["frobnicate"], None)
        .code(2)
        .stderr_has("latch: error: unrecognized subcommand 'frobnicate'");
    env.run(&["register", "alice"], None)
        .code(2)
        .stderr_has("--email <EMAIL>");
    env.run(&["--color", "sometimes", "whoami"], None).code(2);
}

#[test]
fn a_missing_command_shows_the_help_as_clap_does_not_an_error() {
    let env = Env::new();
    for (args, usage) in [
        (&[][..], "Usage: latch [OPTIONS] <COMMAND>"),
        (&["users"][..], "Usage: latch users [OPTIONS] <COMMAND>"),
    ] {
        let outcome = env.run(args, None);
        outcome.code(2).no_panic().stdout("");
        assert!(
            !outcome.stderr.contains("error:"),
            "{args:?}: {}",
            outcome.stderr
        );
        assert!(
            outcome.stderr.contains(usage),
            "{args:?}: {}",
            outcome.stderr
        );
        assert!(
            outcome.stderr.contains("Commands:"),
            "{args:?}: {}",
            outcome.stderr
        );
    }
}

#[test]
fn usage_errors_under_json_are_json() {
    let env = Env::new();
    let outcome = env.run(&["whoami", "--json", "--bogus"], None);
    outcome.code(2);
    let value: serde_json::Value = serde_json::from_str(&outcome.stderr).expect("JSON");
    assert_eq!(value["error"]["code"], "usage");
}

#[test]
fn help_and_version_succeed() {
    let env = Env::new();
    let help = env.run(&["--help"], None);
    help.success();
    for command in ["register", "login", "logout", "whoami"] {
        assert!(
            help.stdout.contains(command),
            "{command} missing from --help"
        );
        env.run(&[command, "--help"], None).success();
    }
    assert!(help.stdout.contains("Exit status:"));
    env.run(&["--version"], None)
        .success()
        .stdout(&format!("latch {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn color_is_off_unless_asked() {
    let env = Env::new();
    env.whoami()
        .code(4)
        .stderr_has("latch: error: not logged in");
    env.run(&["--color", "always", "whoami"], None)
        .code(4)
        .stderr_has("latch: \u{1b}[1;31merror:\u{1b}[0m not logged in");
    let mut command = env.command(&["--color", "never", "whoami"]);
    command.env("NO_COLOR", "1");
    crate::util::run_command(command, None)
        .code(4)
        .stderr_has("latch: error: not logged in");
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let env = Env::new();
    env.alice_logged_in();
    let mut child = env
        .command(&["whoami"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
}

#[test]
fn closed_standard_streams_are_open_on_dev_null_while_latch_runs() {
    // A file or socket latch opened would otherwise take the number of a
    // stream its caller closed, and what latch prints would go into it.
    let env = Env::new();
    let latch = env.command(&["login", "alice", "--password-stdin"]);
    let mut child = crate::util::wrapped("sh", &["-c", "exec \"$0\" \"$@\" >&- 2>&-"], &latch)
        .stdin(Stdio::piped())
        .spawn()
        .expect("spawn");
    // latch waits for the password on stdin; look at its streams meanwhile.
    let proc = format!("/proc/{}", child.id());
    let deadline = Instant::now() + Duration::from_secs(10);
    let opened = loop {
        let opened: Vec<_> = [1, 2]
            .iter()
            .filter_map(|fd| {
                let target = std::fs::read_link(format!("{proc}/fd/{fd}")).ok()?;
                let info = std::fs::read_to_string(format!("{proc}/fdinfo/{fd}")).ok()?;
                let flags = info.lines().find_map(|l| l.strip_prefix("flags:"))?;
                let flags = u32::from_str_radix(flags.trim(), 8).ok()?;
                Some((target, flags & 0o3))
            })
            .collect();
        let is_latch =
            std::fs::read_to_string(format!("{proc}/comm")).is_ok_and(|c| c == "latch\n");
        let dev_null = |(target, _): &(PathBuf, u32)| target.as_path() == Path::new("/dev/null");
        if is_latch && opened.len() == 2 && opened.iter().all(dev_null) || Instant::now() > deadline
        {
            break opened;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(child.stdin.take());
    let _ = child.wait();
    // Read-write, as latch opens it (SQLite's own guard opens it read-only).
    let dev_null = (PathBuf::from("/dev/null"), 0o2);
    assert_eq!(
        opened,
        vec![dev_null.clone(), dev_null],
        "stdout and stderr of latch"
    );
}
