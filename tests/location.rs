//! The store location: `--db` / `LATCH_DB` as a file path, a PostgreSQL URL
//! or a libpq `key=value` string. Unknown schemes are invalid input, and a
//! PostgreSQL store is refused (exit 8) by this latch, with its password
//! never shown; neither creates anything.

use crate::util::{Env, run_command};

const PASSWORD: &str = "hunter2-Zq9";

/// Runs latch in an empty working directory with `--db store`, and checks
/// that nothing was created there or in HOME's data directory.
fn run_in_empty_dir(
    env: &Env,
    store: &str,
    args: &[&str],
    stdin: Option<&str>,
) -> crate::util::Outcome {
    let cwd = tempfile::tempdir().expect("working directory");
    let mut all = vec!["--db", store];
    all.extend_from_slice(args);
    let mut command = env.command(&all);
    command.current_dir(cwd.path()).env_remove("LATCH_DB");
    for variable in [
        "PGHOST",
        "PGPORT",
        "PGUSER",
        "PGPASSWORD",
        "PGDATABASE",
        "PGSSLMODE",
    ] {
        command.env_remove(variable);
    }
    let outcome = run_command(command, stdin.map(str::as_bytes));
    let left: Vec<_> = std::fs::read_dir(cwd.path()).expect("read").collect();
    assert!(left.is_empty(), "{store}: created {left:?}");
    assert!(
        !env.home.join(".local/share/latch").exists(),
        "{store}: created the default store"
    );
    assert!(!env.db.exists(), "{store}: created the harness store");
    outcome
}

#[test]
fn unknown_schemes_are_invalid_input_and_create_nothing() {
    let env = Env::new();
    for (store, scheme) in [
        ("mysql://root@localhost/app", "mysql://"),
        ("postgress://latch@127.0.0.1/app", "postgress://"),
        ("sqlite:///tmp/latch.db", "sqlite://"),
    ] {
        run_in_empty_dir(
            &env,
            store,
            &[
                "register",
                "alice",
                "--email",
                "a@example.com",
                "--password-stdin",
            ],
            Some("correct horse battery staple\n"),
        )
        .code(3)
        .stderr_has(&format!(
            "latch: error: store: latch does not know the scheme {scheme}"
        ))
        .stderr_has("hint: a store is a file path, a postgresql:// URL or a key=value string");
    }
}

#[test]
fn a_postgres_url_with_a_password_is_warned_about_and_redacted_in_errors() {
    let env = Env::new();
    // Port 1: nothing listens there, so the connection is refused.
    let store = format!("postgres://latch:{PASSWORD}@127.0.0.1:1/app");
    let outcome = run_in_empty_dir(
        &env,
        &store,
        &[
            "register",
            "alice",
            "--email",
            "a@example.com",
            "--password-stdin",
        ],
        Some("correct horse battery staple\n"),
    );
    outcome
        .code(8)
        .stderr_has("latch: warning: the store location holds a password")
        .stderr_has("use PGPASSWORD or ~/.pgpass instead")
        .stderr_has("latch: error: account store postgresql://latch:***@127.0.0.1:1/app: cannot connect to 127.0.0.1:1: connection refused");
    assert!(!outcome.stderr.contains(PASSWORD), "{}", outcome.stderr);
    assert_eq!(
        outcome.stderr.matches("warning:").count(),
        1,
        "{}",
        outcome.stderr
    );
    assert!(outcome.stdout.is_empty());
}

#[test]
fn json_errors_redact_the_password_too() {
    let env = Env::new();
    let store = format!("postgresql://latch:{PASSWORD}@127.0.0.1:1/app?sslmode=require");
    let outcome = run_in_empty_dir(
        &env,
        &store,
        &["verify", "alice", "--password-stdin", "--json"],
        Some("correct horse battery staple\n"),
    );
    outcome.code(8);
    assert!(!outcome.stderr.contains(PASSWORD), "{}", outcome.stderr);
    let json_line = outcome
        .stderr
        .lines()
        .find(|l| l.starts_with('{'))
        .expect("a JSON error");
    let error: serde_json::Value = serde_json::from_str(json_line).expect("JSON");
    assert_eq!(error["error"]["code"], "store_error");
    let message = error["error"]["message"].as_str().expect("message");
    assert!(
        message.contains("postgresql://latch:***@127.0.0.1:1/app?sslmode=require"),
        "{message}"
    );
}

#[test]
fn key_value_strings_are_postgres_stores() {
    let env = Env::new();
    for (store, shown) in [
        (
            "host=127.0.0.1 port=1 dbname=app user=latch",
            "postgresql://latch@127.0.0.1:1/app",
        ),
        (
            "host=/nonexistent/sock port=5433 user=latch dbname='my app'",
            "postgresql://latch@%2Fnonexistent%2Fsock:5433/my%20app",
        ),
    ] {
        run_in_empty_dir(
            &env,
            store,
            &["login", "alice", "--password-stdin"],
            Some("correct horse battery staple\n"),
        )
        .code(8)
        .stderr_has(&format!("account store {shown}: cannot connect to "));
    }
    let outcome = run_in_empty_dir(
        &env,
        &format!("host=h user=u password='{PASSWORD}'"),
        &["logout"],
        None,
    );
    outcome.code(8).stderr_has("postgresql://u:***@h:5432/u");
    assert!(!outcome.stderr.contains(PASSWORD), "{}", outcome.stderr);
}

#[test]
fn a_bad_key_value_string_is_invalid_input_without_its_text() {
    let env = Env::new();
    let outcome = run_in_empty_dir(
        &env,
        &format!("host=h password={PASSWORD} extra sslmode=sometimes"),
        &["whoami"],
        None,
    );
    outcome.code(3).stderr_has("is not followed by \"=\"");
    assert!(
        !outcome.stderr.contains(PASSWORD) && !outcome.stderr.contains("extra"),
        "{}",
        outcome.stderr
    );
    run_in_empty_dir(&env, "host=h sslmode=sometimes", &["whoami"], None)
        .code(3)
        .stderr_has("sslmode is one of disable, allow, prefer, require, verify-ca, verify-full");
}

#[test]
fn a_path_with_an_equals_sign_is_given_as_dot_slash() {
    let env = Env::new();
    let dir = tempfile::tempdir().expect("dir");
    let mut command = env.command(&[
        "--db",
        "./a=b.db",
        "register",
        "alice",
        "--email",
        "a@example.com",
        "--password-stdin",
    ]);
    command.current_dir(dir.path());
    run_command(command, Some(b"correct horse battery staple\n")).success();
    assert!(dir.path().join("a=b.db").is_file());
}

#[test]
fn completions_need_no_store_even_an_unknown_one() {
    let env = Env::new();
    run_in_empty_dir(&env, "mysql://x", &["completions", "bash"], None).success();
}
