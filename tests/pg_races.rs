//! Races on one PostgreSQL store between latch processes started at once
//! (each its own process and connection, all let go by one barrier): one
//! name registered by many is one user and the rest are told it is taken;
//! many names registered at once all succeed without a deadlock or a
//! serialization failure reaching anyone, and the new store's schema is
//! migrated once; concurrent wrong passwords check no more passwords than
//! the lockout threshold; two admins revoking each other leave one admin;
//! concurrent first `register --admin` make one admin.

use std::process::Command;

use crate::util::{Env, Outcome, PASSWORD, at_once};

const WRONG: &str = "not the password at all";
const TAKEN: &str = "latch: error: that username is already taken\nhint: choose another, or log in to the existing account\n";

pub(crate) fn register(
    env: &Env,
    name: &str,
    email: &str,
    flags: &[&str],
) -> (Command, Option<String>) {
    let mut args = vec!["register", name, "--email", email, "--password-stdin"];
    args.extend_from_slice(flags);
    (env.command(&args), Some(format!("{PASSWORD}\n")))
}

fn codes(outcomes: &[Outcome]) -> Vec<i32> {
    outcomes.iter().map(|outcome| outcome.code).collect()
}

/// No racer saw the store's concurrency control: a deadlock, a
/// serialization failure, a unique violation, a named prepared statement
/// lost to a pooler, a panic.
#[track_caller]
pub(crate) fn clean(outcomes: &[Outcome]) {
    for outcome in outcomes {
        outcome.no_panic();
        let text = outcome.stderr.to_lowercase();
        for word in [
            "deadlock",
            "serializ",
            "prepared statement",
            "duplicate key",
            "unique",
            "could not",
        ] {
            assert!(!text.contains(word), "{word}: {outcome:#?}");
        }
    }
}

#[test]
fn one_name_registered_by_48_at_once_is_one_user() {
    let env = Env::new();
    let commands = (0..48)
        .map(|i| {
            // Every second racer spells the name in capitals: one name all the same.
            let name = if i % 2 == 0 { "alice" } else { "ALICE" };
            register(&env, name, &format!("alice{i}@example.com"), &[])
        })
        .collect();
    let outcomes = at_once(commands);
    clean(&outcomes);
    let won: Vec<&Outcome> = outcomes.iter().filter(|o| o.code == 0).collect();
    assert_eq!(won.len(), 1, "not one winner: {:?}", codes(&outcomes));
    for outcome in outcomes.iter().filter(|o| o.code != 0) {
        outcome.code(6).stdout("").stderr(TAKEN);
    }
    assert_eq!(env.count("users"), 1);
    assert_eq!(env.count("events WHERE kind = 'register'"), 1);
    env.login("alice", PASSWORD).success();
}

#[test]
fn different_names_registered_by_48_at_once_on_a_new_store_all_succeed_and_migrate_once() {
    let env = Env::new();
    assert!(!env.store_exists());
    let commands = (0..48)
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
    assert_eq!(env.count("users"), 48);
    assert_eq!(env.count("events WHERE kind = 'register'"), 48);
    // latch's own bookkeeping: one row per migration, each applied once.
    assert_eq!(
        env.query("SELECT version FROM latch.schema_migrations ORDER BY version"),
        vec![vec![Some("1".to_owned())]]
    );
    assert_eq!(
        env.number("SELECT count(*) FROM pg_namespace WHERE nspname = 'latch'"),
        1
    );
    // Every id is distinct and every user can log in.
    assert_eq!(env.number("SELECT count(DISTINCT id) FROM users"), 48);
    env.login("user47", PASSWORD).success();
}

#[test]
fn latch_started_at_once_on_a_new_database_migrates_once() {
    let env = Env::new();
    // Commands of every kind: the registers create the store, the others
    // open it if it is there and never create it.
    let commands = (0..12)
        .map(|i| match i % 3 {
            0 => register(
                &env,
                &format!("user{i}"),
                &format!("user{i}@example.com"),
                &[],
            ),
            1 => (env.command(&["whoami"]), None),
            _ => (env.command(&["sessions", "list"]), None),
        })
        .collect();
    let outcomes = at_once(commands);
    clean(&outcomes);
    for (i, outcome) in outcomes.iter().enumerate() {
        outcome.code(if i % 3 == 0 { 0 } else { 4 });
    }
    assert_eq!(
        env.number("SELECT count(*) FROM latch.schema_migrations"),
        1,
        "the schema was migrated more than once"
    );
    assert_eq!(env.count("users"), 4);
}

#[test]
fn twenty_wrong_passwords_at_once_check_no_more_than_the_threshold() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let commands = (0..20)
        .map(|_| {
            (
                env.command(&["login", "alice", "--password-stdin"]),
                Some(format!("{WRONG}\n")),
            )
        })
        .collect();
    let outcomes = at_once(commands);
    clean(&outcomes);
    let checked = outcomes.iter().filter(|o| o.code == 4).count();
    let locked = outcomes.iter().filter(|o| o.code == 5).count();
    assert_eq!((checked, locked), (5, 15), "{:?}", codes(&outcomes));
    for outcome in outcomes.iter().filter(|o| o.code == 5) {
        outcome.stderr_has("too many failed login attempts for \"alice\"");
    }
    assert_eq!(
        env.count("events WHERE kind = 'login_failure' AND detail = 'wrong password'"),
        5,
        "more passwords were checked than the threshold"
    );
    assert_eq!(
        env.count("events WHERE kind = 'login_failure' AND detail = 'locked'"),
        15
    );
    assert_eq!(env.count("events WHERE kind = 'lock'"), 1);
    env.login("alice", PASSWORD).code(5);
}

#[test]
fn two_admins_revoking_each_other_at_once_leave_one_admin() {
    for round in 0..2 {
        let a = Env::new();
        let b = a.another_host("keyutils");
        a.root_logged_in();
        b.register("bob", "bob@example.com").success();
        a.run(&["users", "admin", "grant", "bob"], None).success();
        b.login("bob", PASSWORD).success();
        let outcomes = at_once(vec![
            (a.command(&["users", "admin", "revoke", "bob"]), None),
            (b.command(&["users", "admin", "revoke", "root"]), None),
        ]);
        clean(&outcomes);
        assert_eq!(
            a.count("users WHERE is_superuser"),
            1,
            "round {round}: {outcomes:#?}"
        );
        let won = outcomes.iter().filter(|o| o.code == 0).count();
        assert_eq!(won, 1, "round {round}: {outcomes:#?}");
        for outcome in outcomes.iter().filter(|o| o.code != 0) {
            outcome.code(9).stderr_has("latch: error: ");
        }
    }
}

#[test]
fn first_admins_registered_at_once_make_one_admin() {
    let env = Env::new();
    let commands = (0..8)
        .map(|i| {
            register(
                &env,
                &format!("admin{i}"),
                &format!("admin{i}@example.com"),
                &["--admin"],
            )
        })
        .collect();
    let outcomes = at_once(commands);
    clean(&outcomes);
    assert_eq!(env.count("users WHERE is_superuser"), 1, "{outcomes:#?}");
    assert_eq!(
        env.count("events WHERE kind = 'register' AND detail = 'first admin'"),
        1
    );
    let admin = env.value("SELECT username FROM users WHERE is_superuser");
    let admin = admin.expect("a name");
    let index: usize = admin["admin".len()..].parse().expect("admin<N>");
    outcomes[index].success();
    for (i, outcome) in outcomes.iter().enumerate().filter(|(i, _)| *i != index) {
        assert_ne!(outcome.code, 0, "{i} won too: {outcome:#?}");
        outcome.code(9);
    }
}
