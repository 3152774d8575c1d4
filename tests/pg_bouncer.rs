//! The store through PgBouncer in transaction pooling mode (a pool of 4
//! server connections, each statement's session not latch's own): the core
//! flow works, and the registration races of more clients than the pool give
//! the answers they give on a direct connection.

use crate::pg_races::{clean, register};
use crate::util::{Env, OTHER_PASSWORD, PASSWORD, at_once};

/// A store reached through PgBouncer only, and the same database reached
/// directly (to read it and for the checks).
fn through_bouncer() -> (Env, Env) {
    let direct = Env::new();
    let url = direct.pg().expect("a PostgreSQL store").bouncer_url();
    let bounced = direct.through(url, "keyutils");
    (direct, bounced)
}

#[test]
fn register_login_whoami_passwd_logout_through_pgbouncer() {
    let (direct, env) = through_bouncer();
    env.register("alice", "alice@example.com").success();
    assert!(direct.store_exists());
    env.login("alice", PASSWORD).success();
    env.whoami().success().stdout("alice\n");
    env.run(
        &["passwd", "--password-stdin"],
        Some(&format!("{PASSWORD}\n{OTHER_PASSWORD}\n")),
    )
    .success();
    env.whoami().success().stdout("alice\n");
    env.run(&["logout"], None).success();
    env.whoami().code(4);
    env.login("alice", PASSWORD).code(4);
    env.login("alice", OTHER_PASSWORD).success();
    // What was written through PgBouncer is in the database itself.
    assert_eq!(direct.count("users"), 1);
    assert_eq!(direct.count("sessions"), 1);
    let another = direct.another_host("file");
    another.login("alice", OTHER_PASSWORD).success();
    another.whoami().success().stdout("alice\n");
}

#[test]
fn one_name_registered_by_12_through_a_pool_of_4_is_one_user() {
    let (direct, env) = through_bouncer();
    let commands = (0..12)
        .map(|i| register(&env, "alice", &format!("alice{i}@example.com"), &[]))
        .collect();
    let outcomes = at_once(commands);
    clean(&outcomes);
    assert_eq!(outcomes.iter().filter(|o| o.code == 0).count(), 1);
    for outcome in outcomes.iter().filter(|o| o.code != 0) {
        outcome
            .code(6)
            .stderr_has("latch: error: that username is already taken\n");
    }
    assert_eq!(direct.count("users"), 1);
    assert_eq!(
        direct.number("SELECT count(*) FROM latch.schema_migrations"),
        1
    );
}

#[test]
fn different_names_registered_by_12_through_a_pool_of_4_all_succeed() {
    let (direct, env) = through_bouncer();
    let commands = (0..12)
        .map(|i| {
            register(
                &env,
                &format!("user{i}"),
                &format!("user{i}@example.com"),
                &[],
            )
        })
        .collect();
    let outcomes = at_once(commands);
    clean(&outcomes);
    for outcome in &outcomes {
        outcome.success();
    }
    assert_eq!(direct.count("users"), 12);
    assert_eq!(direct.count("events WHERE kind = 'register'"), 12);
}
