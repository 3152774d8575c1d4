//! Bad connection strings and hostile servers, as latch's user meets them:
//! each is one error line (and a hint), the documented exit status, no
//! password anywhere in the output, and nothing written. A wrong password,
//! an unknown host, a port nothing listens on, a port or sslmode that is no
//! such thing, a password file others may read, a password in the URL, a
//! `latch` schema that is not latch's, and `verify-full` against a server
//! (PgBouncer here) that speaks no TLS.

use crate::util::{Env, Outcome, PASSWORD, pg_setting};

const WRONG: &str = "wrong-Pw-8vQ2x";

/// `register alice` against `store`, with `vars` set.
fn register(env: &Env, store: &str, vars: &[(&str, &str)]) -> Outcome {
    let mut command = env.command(&[
        "--db",
        store,
        "register",
        "alice",
        "--email",
        "alice@example.com",
        "--password-stdin",
    ]);
    for (name, value) in vars {
        command.env(name, value);
    }
    crate::util::run_command(command, Some(format!("{PASSWORD}\n").as_bytes()))
}

/// One error line, maybe a hint, no secret, no panic; and the database
/// still has no store in it.
#[track_caller]
fn refused(env: &Env, outcome: &Outcome, code: i32, says: &str) {
    outcome
        .code(code)
        .stdout("")
        .stderr_has(says)
        .no_panic()
        .one_error_line()
        .hides(&[WRONG, PASSWORD, &pg_setting("LATCH_TEST_PG_PASSWORD")]);
    assert!(!env.store_exists(), "a store was made: {outcome:#?}");
}

fn database(env: &Env) -> String {
    env.pg().expect("a PostgreSQL store").name.clone()
}

#[test]
fn a_wrong_password_is_the_servers_refusal_without_the_password() {
    let env = Env::new();
    let url = env.pg().expect("database").tcp_url();
    let outcome = register(&env, &url, &[("PGPASSWORD", WRONG)]);
    refused(&env, &outcome, 8, "password authentication failed");
    outcome.stderr_has("28P01");
    // Written into the URL: warned about, and shown as *** in the error.
    let with_password = url.replacen("latch@", &format!("latch:{WRONG}@"), 1);
    let outcome = register(&env, &with_password, &[]);
    refused(&env, &outcome, 8, "password authentication failed");
    outcome
        .stderr_has("latch: warning: the store location holds a password")
        .stderr_has("latch:***@");
}

#[test]
fn an_unknown_host_and_a_closed_port_say_what_went_wrong() {
    let env = Env::new();
    let name = database(&env);
    let outcome = register(
        &env,
        &format!("host=no-such-host.invalid dbname={name}"),
        &[],
    );
    refused(&env, &outcome, 8, "could not resolve host");
    let outcome = register(&env, &format!("host=127.0.0.1 port=1 dbname={name}"), &[]);
    refused(&env, &outcome, 8, "connection refused");
    assert!(!outcome.stderr.contains("timed out"), "{outcome:#?}");
}

#[test]
fn a_port_or_sslmode_that_is_no_such_thing_is_invalid_input() {
    let env = Env::new();
    let name = database(&env);
    let outcome = register(
        &env,
        &format!("host=127.0.0.1 port=99999 dbname={name}"),
        &[],
    );
    refused(&env, &outcome, 3, "a port is a number from 1 to 65535");
    let outcome = register(
        &env,
        &format!("host=127.0.0.1 dbname={name} sslmode=sometimes"),
        &[],
    );
    refused(&env, &outcome, 3, "sslmode is one of disable");
}

#[test]
fn a_password_file_others_may_read_is_ignored_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let name = database(&env);
    let file = env.home.join("pgpass");
    std::fs::write(
        &file,
        format!(
            "127.0.0.1:{}:{name}:latch:{}\n",
            pg_setting("LATCH_TEST_PG_PORT"),
            pg_setting("LATCH_TEST_PG_PASSWORD")
        ),
    )
    .expect("pgpass");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let url = env.pg().expect("database").tcp_url();
    let passfile = file.to_str().expect("UTF-8");
    let outcome = register(&env, &url, &[("PGPASSFILE", passfile)]);
    refused(&env, &outcome, 8, "none was given");
    // Said once, as every warning is said: one line of latch's own.
    outcome.stderr_has(&format!(
        "latch: warning: the password file {passfile} has group or world access, so it is ignored"
    ));
    assert_eq!(
        outcome.stderr.matches("warning:").count(),
        1,
        "{}",
        outcome.stderr
    );
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    register(&env, &url, &[("PGPASSFILE", passfile)])
        .success()
        .stderr("Registered alice.\n");
}

#[test]
fn verify_full_against_a_server_without_tls_fails_with_that_cause() {
    let env = Env::new();
    let store = format!(
        "host=localhost port={} user=latch dbname={} sslmode=verify-full sslrootcert={}",
        pg_setting("LATCH_TEST_PGBOUNCER_PORT"),
        database(&env),
        pg_setting("LATCH_TEST_PG_CA"),
    );
    let outcome = register(&env, &store, &[]);
    refused(&env, &outcome, 8, "the server does not support TLS");
}

#[test]
fn a_latch_schema_that_is_not_latchs_is_left_alone() {
    let env = Env::new();
    let mut client = env.pg().expect("database").client();
    client
        .batch_execute(
            "CREATE SCHEMA latch; CREATE TABLE latch.users (name text); \
             INSERT INTO latch.users VALUES ('someone else''s')",
        )
        .expect("a foreign schema");
    let outcome = env.register("alice", "alice@example.com");
    outcome.code(8).stdout("").no_panic();
    assert_eq!(
        outcome
            .stderr
            .lines()
            .filter(|line| line.starts_with("latch: error: "))
            .count(),
        1,
        "{outcome:#?}"
    );
    assert_eq!(
        env.column("SELECT name FROM latch.users"),
        ["someone else's"],
        "the foreign table was changed"
    );
    env.login("alice", PASSWORD).code(8);
}
