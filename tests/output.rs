//! What latch writes and where: standard output that cannot be written
//! (exit 74, one line), `export --output` to files, devices, FIFOs and
//! standard output, tables fitted to the terminal's width, and text from
//! users and files escaped wherever it is shown.

use std::os::unix::fs::FileTypeExt;
use std::process::Stdio;

use crate::util::{Env, Outcome, PASSWORD, run_command};

/// root (an admin, logged in) and alice, with a session each.
fn admin_env() -> Env {
    let env = Env::new();
    env.root_logged_in();
    env.register("alice", "alice@example.com").success();
    env
}

/// Runs latch with standard output on /dev/full.
fn to_dev_full(env: &Env, args: &[&str]) -> Outcome {
    let mut command = env.command(args);
    command
        .stdin(Stdio::null())
        .stdout(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .expect("/dev/full"),
        )
        .stderr(Stdio::piped());
    let output = command.output().expect("run latch");
    Outcome {
        code: output.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

const PRINTING: &[&[&str]] = &[
    &["whoami"],
    &["whoami", "--json"],
    &["users", "list"],
    &["users", "list", "--json"],
    &["users", "show", "alice"],
    &["users", "show", "alice", "--json"],
    &["history"],
    &["history", "--json"],
    &["sessions", "list"],
    &["sessions", "list", "--json"],
    &["policy", "show"],
    &["policy", "show", "--json"],
    &["export", "--format", "jsonl"],
    &["export", "--format", "django-json"],
    &["completions", "bash"],
];

#[test]
fn every_command_that_prints_reports_a_full_disk_in_one_line() {
    let env = admin_env();
    for args in PRINTING {
        let before = env.count("events");
        let outcome = to_dev_full(&env, args);
        outcome.code(74).no_panic();
        if args.contains(&"--json") {
            let lines: Vec<&str> = outcome
                .stderr
                .lines()
                .filter(|l| !l.starts_with("latch: warning:"))
                .collect();
            assert_eq!(lines.len(), 1, "{args:?}: {outcome:#?}");
            let error: serde_json::Value = serde_json::from_str(lines[0]).expect("a JSON error");
            assert_eq!(error["error"]["code"], "output_error", "{args:?}");
            assert_eq!(
                error["error"]["message"],
                "cannot write to standard output: No space left on device",
                "{args:?}"
            );
        } else {
            let errors: Vec<&str> = outcome
                .stderr
                .lines()
                .filter(|l| !l.starts_with("latch: warning:"))
                .collect();
            assert_eq!(
                errors,
                ["latch: error: cannot write to standard output: No space left on device"],
                "{args:?}: {outcome:#?}"
            );
        }
        assert!(!outcome.stderr.contains("bug"), "{args:?}: {outcome:#?}");
        // An export that was not written is not recorded as made.
        assert_eq!(env.count("events"), before, "{args:?}");
    }
}

fn export_to(env: &Env, target: &str) -> Outcome {
    env.run(&["export", "--format", "jsonl", "--output", target], None)
}

#[test]
fn export_writes_to_devices_and_never_replaces_them() {
    let env = admin_env();
    export_to(&env, "/dev/full")
        .code(74)
        .stderr("latch: error: cannot write to /dev/full: No space left on device\n");
    export_to(&env, "/dev/null")
        .success()
        .stderr("Exported 2 users to /dev/null.\n");
    for device in ["/dev/full", "/dev/null"] {
        let meta = std::fs::metadata(device).expect("device");
        assert!(meta.file_type().is_char_device(), "{device} was replaced");
    }
    // No event for the export that failed; one for the one that went to /dev/null.
    let exports = env.number("SELECT count(*) FROM events WHERE kind = 'export'");
    assert_eq!(exports, 1);
    let directory = env.home.display().to_string();
    export_to(&env, &directory).code(74).stderr(&format!(
        "latch: error: cannot write to {directory}: it is a directory\n"
    ));
    export_to(&env, "/nonexistent-latch/users.jsonl")
        .code(74)
        .stderr_has("latch: error: cannot write to /nonexistent-latch/users.jsonl: No such file or directory");
}

#[test]
fn export_to_standard_output_by_name() {
    let env = admin_env();
    let plain = env.run(&["export", "--format", "jsonl"], None);
    plain.success();
    assert_eq!(plain.stdout.lines().count(), 2);
    for target in ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
        let outcome = export_to(&env, target);
        outcome.success();
        assert_eq!(outcome.stdout, plain.stdout, "{target}");
        assert!(
            outcome.stderr.contains("Exported 2 users to "),
            "{target}: {outcome:#?}"
        );
    }
    assert!(!env.home.join("-").exists());
}

#[test]
fn export_to_a_fifo_feeds_its_reader_and_leaves_the_fifo() {
    let env = admin_env();
    let fifo = env.home.join("users.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read the FIFO"))
    };
    export_to(&env, fifo.to_str().expect("path")).success();
    let text = reader.join().expect("reader");
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("\"alice\""));
    assert!(
        std::fs::metadata(&fifo)
            .expect("fifo")
            .file_type()
            .is_fifo()
    );
}

fn with_columns(env: &Env, columns: &str, args: &[&str]) -> Outcome {
    let mut command = env.command(args);
    command.env("COLUMNS", columns).stdout(Stdio::piped());
    run_command(command, None)
}

#[test]
fn every_table_fits_the_width_or_becomes_records() {
    let env = admin_env();
    for i in 0..3 {
        env.register(
            &format!("user{i}"),
            &format!("a.long.address.{i}@subdomain.example.com"),
        )
        .success();
    }
    for args in [
        &["users", "list"][..],
        &["history"],
        &["sessions", "list", "--all"],
        &["policy", "show"],
    ] {
        for columns in [20, 40, 60, 80] {
            let outcome = with_columns(&env, &columns.to_string(), args);
            outcome.success();
            for line in outcome.stdout.lines() {
                assert!(
                    line.chars().count() <= columns,
                    "{args:?} at {columns} columns: {line:?} in\n{}",
                    outcome.stdout
                );
            }
        }
        // Too narrow for a grid: one record per block, as psql's expanded mode.
        let narrow = with_columns(&env, "20", args);
        assert!(
            narrow.stdout.starts_with("-[ 1 ]"),
            "{args:?}:\n{}",
            narrow.stdout
        );
        // Without a width (a pipe), whole rows.
        let wide = env.run(args, None);
        assert!(wide.stdout.starts_with('┌'), "{args:?}:\n{}", wide.stdout);
    }
    let policy = with_columns(&env, "60", &["policy", "show"]);
    assert!(
        policy.stdout.contains("pbkdf2-iterations"),
        "{}",
        policy.stdout
    );
}

/// alice's name as displayed holds a right-to-left override and an escape
/// sequence (as another program could have written it); her key is still
/// `alice`, so admin commands find her by that name.
fn hostile_display_name(env: &Env) {
    env.sql(&env.dialect("UPDATE users SET username = 'ali' || char(8238) || 'ce' || char(27) || '[31m', email = 'alice' || char(8203) || '@example.com' WHERE username = 'alice'"));
    env.sql(&env.dialect(
        "INSERT INTO events (at, kind, subject, subject_key, detail, os_user, host) \
         VALUES (0, 'login_failure', 'x' || char(8238) || 'y' || char(8206), 'xy', 'a' || char(27) || ']0;title' || char(7), 'u' || char(8203), 'h' || char(8297))",
    ));
}

const ESCAPES: [char; 6] = [
    '\u{202e}', '\u{1b}', '\u{200b}', '\u{200e}', '\u{7}', '\u{2069}',
];

#[test]
fn text_from_the_store_is_escaped_wherever_it_is_shown() {
    let env = admin_env();
    let alice = env.using("keyutils");
    alice.login("alice", PASSWORD).success();
    hostile_display_name(&env);
    for args in [
        &["users", "list"][..],
        &["users", "show", "alice"],
        &["history"],
        &["sessions", "list", "--all"],
        &["users", "disable", "alice"],
        &["users", "enable", "alice"],
        &["users", "admin", "grant", "alice"],
        &["users", "admin", "revoke", "alice"],
    ] {
        let outcome = env.run(args, None);
        outcome.success();
        for text in [&outcome.stdout, &outcome.stderr] {
            assert!(
                !text.contains(ESCAPES),
                "{args:?} printed a raw control: {outcome:#?}"
            );
        }
        assert!(
            outcome.stdout.contains("\\u{202e}") || outcome.stderr.contains("\\u{202e}"),
            "{args:?}: {outcome:#?}"
        );
    }
    // JSON carries the value exactly; serde escapes the control characters.
    let json = env.run(&["users", "show", "alice", "--json"], None);
    json.success();
    assert_eq!(json.json()["username"], "ali\u{202e}ce\u{1b}[31m");
    assert!(!json.stdout.contains('\u{1b}'));
    // whoami prints the name escaped too, and so does login.
    alice.login("alice", PASSWORD).success();
    let whoami = alice.whoami();
    whoami.success().stdout("ali\\u{202e}ce\\u{1b}[31m\n");
    let login = alice.login("alice", PASSWORD);
    login.success();
    assert!(
        login
            .stderr
            .starts_with("Logged in as ali\\u{202e}ce\\u{1b}[31m "),
        "{login:#?}"
    );
}

#[test]
fn a_full_stderr_is_no_crash() {
    let env = admin_env();
    for (args, code) in [
        (&["logout"][..], 0),
        (&["users", "disable", "alice"], 0),
        (&["users", "show", "nobody"], 3),
        (&["export", "--format", "jsonl", "--output", "/dev/null"], 0),
    ] {
        let mut command = env.command(args);
        command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .expect("/dev/full"),
        );
        let status = command.status().expect("run latch");
        assert_eq!(status.code(), Some(code), "{args:?}: {status:?}");
        if args == ["logout"] {
            env.login("root", PASSWORD).success();
        }
    }
}
