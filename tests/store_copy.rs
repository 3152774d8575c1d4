//! `latch store copy --to STORE`: everything but the sessions into a new or
//! empty store, SQLite to PostgreSQL and back, in one transaction; refused
//! for anyone but an admin, into a store that holds anything, and for a
//! target that is not a store location.

use latch::store::COPY_BATCH;

use crate::mfa::{enrol, oathtool, settle};
use crate::util::{Env, Outcome, PASSWORD};

fn copy(env: &Env, target: &Env) -> Outcome {
    env.run(
        &[
            "store",
            "copy",
            "--to",
            target.store.to_str().expect("a UTF-8 store"),
        ],
        None,
    )
}

fn login_with_code(env: &Env, username: &str, code: &str) -> Outcome {
    env.run(
        &["login", username, "--password-stdin"],
        Some(&format!("{PASSWORD}\n{code}\n")),
    )
}

/// The rows every copy must carry exactly, on either backend.
fn rows(env: &Env) -> Vec<Vec<Option<String>>> {
    let mut rows = env.query(
        "SELECT id, username, email, password, username_key, email_key FROM users ORDER BY id",
    );
    rows.extend(env.query(
        "SELECT id, at, kind, subject, subject_key, user_id, actor, actor_id, detail \
         FROM events WHERE kind <> 'store_copy' ORDER BY id",
    ));
    rows.extend(env.query("SELECT key, value FROM policy ORDER BY key"));
    rows.extend(env.query(
        "SELECT username_key, failures, last_failure_at, locked_until \
         FROM login_failures ORDER BY username_key",
    ));
    rows.extend(env.query(
        "SELECT user_id, key, step, t0, digits, last_t, created_at, confirmed_at \
         FROM mfa_factors ORDER BY user_id",
    ));
    rows.extend(env.query("SELECT id, user_id, used_at FROM mfa_recovery_codes ORDER BY id"));
    rows
}

/// A source store with an admin (root, logged in), alice with a confirmed
/// second factor, a disabled bob, a policy value, a locked-out name and the
/// history all that made. Returns the store and alice's secret.
fn populated(source: Env) -> (Env, String) {
    source.root_logged_in();
    source
        .run(&["policy", "set", "lockout-threshold", "3"], None)
        .success();
    source.register("alice", "alice@example.com").success();
    source.register("bob", "bob@example.com").success();
    source.run(&["users", "disable", "bob"], None).success();
    for _ in 0..3 {
        source.login("mallory", "not the password").code(4);
    }
    source.login("mallory", PASSWORD).code(5);
    let alice = source.another_host("file");
    alice.login("alice", PASSWORD).success();
    settle();
    let (secret, _) = enrol(&alice);
    (source, secret)
}

/// What every copy must give: the same rows, the same logins, no session.
fn check_copy(source: &Env, target: &Env, secret: &str) {
    assert_eq!(rows(source), rows(target));
    // Sessions stay behind: root logs in again, and is still an admin.
    assert_eq!(target.count("sessions"), 0);
    target.whoami().code(4);
    target.login("root", PASSWORD).success();
    let me = target.run(&["whoami", "--json"], None);
    me.success();
    assert_eq!(me.json()["is_admin"], true);
    // Alice's factor works on the new store: her password alone is not
    // enough, and the code of the next step (the one she confirmed with is
    // spent, there too) lets her in.
    let alice = target.another_host("file");
    alice.login("alice", PASSWORD).code(4);
    login_with_code(&alice, "alice", &oathtool(secret, 30)).success();
    // Bob stays disabled, mallory locked, the policy changed.
    target.login("bob", PASSWORD).code(4);
    target.login("mallory", PASSWORD).code(5);
    let policy = target.run(&["policy", "show", "--json"], None);
    policy.success();
    assert_eq!(policy.json()["lockout_threshold"], 3);
    // The history holds what the source did, and the copy.
    let history = target.run(&["history", "--json", "--limit", "1000"], None);
    history.success();
    let kinds: Vec<String> = history
        .json()
        .as_array()
        .expect("an array")
        .iter()
        .map(|event| event["kind"].as_str().expect("kind").to_owned())
        .collect();
    for kind in [
        "register",
        "disable",
        "policy_change",
        "lock",
        "mfa_confirm",
        "store_copy",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
    // Both stores recorded the copy.
    for env in [source, target] {
        assert_eq!(
            env.number("SELECT count(*) FROM events WHERE kind = 'store_copy'"),
            1
        );
    }
    // New rows get new ids after the copied ones.
    let largest = target.number("SELECT max(id) FROM users");
    target
        .register_with("carol", "carol@example.com", &[])
        .success();
    assert_eq!(
        target.number("SELECT id FROM users WHERE username = 'carol'"),
        largest + 1
    );
}

#[test]
fn copies_everything_but_sessions_from_sqlite_into_a_new_postgresql_store() {
    let (source, secret) = populated(Env::sqlite());
    let target = Env::postgres();
    let outcome = copy(&source, &target);
    outcome.success();
    for needle in [
        "Copied 3 users (1 admin, 1 second factor)",
        "Sessions are not copied",
    ] {
        assert!(outcome.stderr.contains(needle), "{needle} in {outcome:?}");
    }
    check_copy(&source, &target, &secret);
}

#[test]
fn copies_everything_but_sessions_from_postgresql_into_a_new_sqlite_file() {
    let (source, secret) = populated(Env::postgres());
    let target = Env::sqlite();
    assert!(!target.store_exists());
    copy(&source, &target).success();
    check_copy(&source, &target, &secret);
}

#[test]
fn only_a_logged_in_admin_copies() {
    let source = Env::sqlite();
    let target = Env::sqlite();
    source
        .register_with("root", "root@example.com", &["--admin"])
        .success();
    copy(&source, &target).code(4);
    source.alice_logged_in();
    copy(&source, &target)
        .code(9)
        .stderr_has("this needs an admin, and alice is not one");
    assert!(!target.store_exists());
}

#[test]
fn refuses_a_target_that_is_not_empty_and_leaves_it_as_it_was() {
    let source = Env::sqlite();
    source.root_logged_in();
    let target = Env::postgres();
    target.register("zed", "zed@example.com").success();
    let before = target.dump();
    copy(&source, &target)
        .code(3)
        .stderr_has("is not empty (1 user, 1 other row)");
    assert_eq!(target.dump(), before);
    // Nor into the store itself.
    source
        .run(
            &[
                "store",
                "copy",
                "--to",
                source.store.to_str().expect("a UTF-8 store"),
            ],
            None,
        )
        .code(3)
        .stderr_has("is the store being copied");
    assert_eq!(
        source.number("SELECT count(*) FROM events WHERE kind = 'store_copy'"),
        0
    );
}

#[test]
fn refuses_a_target_that_is_no_store_location() {
    let source = Env::sqlite();
    source.root_logged_in();
    source
        .run(&["store", "copy", "--to", "mysql://db.example/latch"], None)
        .code(3)
        .stderr_has("latch does not know the scheme mysql://");
}

#[test]
fn a_copy_that_fails_midway_writes_nothing() {
    let (source, _) = populated(Env::sqlite());
    // A target with the schema and no rows, whose events refuse the copy's
    // own event: the last row the copy writes.
    let target = Env::postgres();
    target.register("zed", "zed@example.com").success();
    target.sql(
        "DELETE FROM latch.events; DELETE FROM latch.users; \
         CREATE FUNCTION latch.refuse() RETURNS trigger LANGUAGE plpgsql AS \
           $$ BEGIN RAISE EXCEPTION 'refused by a trigger'; END $$; \
         CREATE TRIGGER refuse BEFORE INSERT ON latch.events FOR EACH ROW \
           WHEN (NEW.kind = 'store_copy') EXECUTE FUNCTION latch.refuse();",
    );
    let before = target.dump();
    copy(&source, &target).code(8);
    assert_eq!(target.dump(), before);
    assert_eq!(target.count("users"), 0);
    assert_eq!(
        source.number("SELECT count(*) FROM events WHERE kind = 'store_copy'"),
        0
    );
}

/// More users and events than three batches of a copy hold.
const MANY: i64 = 12_001;

/// Adds `MANY` users (copies of alice under new names) and `MANY` events
/// to a populated SQLite store, straight in SQL.
fn add_many(env: &Env) {
    let with = format!(
        "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {MANY}) "
    );
    env.sql(&format!(
        "{with}INSERT INTO users (password, last_login, is_superuser, username, first_name, \
                last_name, email, is_staff, is_active, date_joined, username_key, email_key) \
         SELECT u.password, NULL, 0, 'bulk' || i, '', '', 'bulk' || i || '@example.com', \
                0, 1, u.date_joined, 'bulk' || i, 'bulk' || i || '@example.com' \
         FROM n, users u WHERE u.username = 'alice'; \
         {with}INSERT INTO events (at, kind, subject, subject_key, user_id, actor, actor_id, \
                detail, os_user, host) \
         SELECT e.at + i, e.kind, 'bulk' || i, 'bulk' || i, e.user_id, e.actor, e.actor_id, \
                e.detail, e.os_user, e.host \
         FROM n, (SELECT * FROM events ORDER BY id LIMIT 1) e;"
    ));
}

#[test]
fn copies_many_batches_of_users_and_events_both_ways() {
    let (source, _) = populated(Env::sqlite());
    add_many(&source);
    let users = source.count("users");
    let events = source.count("events");
    assert!(users > MANY && events > MANY);
    let target = Env::postgres();
    copy(&source, &target).success();
    assert_eq!(rows(&source), rows(&target));
    assert_eq!(target.count("users"), users);
    assert_eq!(target.count("events"), events + 1);
    // Back again, from PostgreSQL into a new SQLite file.
    let back = Env::sqlite();
    target.login("root", PASSWORD).success();
    copy(&target, &back).success();
    assert_eq!(rows(&target), rows(&back));
    assert_eq!(back.count("users"), users);
    // The two copies' events, and root's login.
    assert_eq!(back.count("events"), events + 3);
}

#[test]
fn a_source_that_fails_to_read_after_a_batch_leaves_the_target_empty() {
    let (source, _) = populated(Env::sqlite());
    add_many(&source);
    // A row the copy cannot read, well past its first batch of users.
    source.sql("UPDATE users SET is_active = 'not a flag' WHERE username = 'bulk9000'");
    let target = Env::postgres();
    target.register("zed", "zed@example.com").success();
    target.sql("DELETE FROM latch.events; DELETE FROM latch.users;");
    let before = target.dump();
    let outcome = copy(&source, &target);
    assert_ne!(outcome.code, 0, "{outcome:#?}");
    assert_eq!(target.dump(), before);
    assert_eq!(target.count("users"), 0);
    assert_eq!(
        source.number("SELECT count(*) FROM events WHERE kind = 'store_copy'"),
        0
    );
}

/// Gives each of the `MANY` bulk users of `add_many` a factor (every other
/// one confirmed) and a recovery code (every third one used), and adds
/// `MANY` failed-login records (every fourth one locked, some of names
/// that are not ASCII) and one of the empty name, straight in SQL.
fn add_many_rest(env: &Env) {
    env.sql(&format!(
        "INSERT INTO mfa_factors (user_id, key, step, t0, digits, drift, last_t, confirmed, \
                created_at, confirmed_at) \
         SELECT id, lower(hex(randomblob(20))), 30 + id % 2 * 30, id % 5, 6 + id % 2 * 2, \
                id % 3 - 1, id * 7, id % 2, 1700000000 + id, \
                CASE WHEN id % 2 = 1 THEN 1700000100 + id END \
         FROM users WHERE username LIKE 'bulk%'; \
         INSERT INTO mfa_recovery_codes (user_id, code_hash, used_at) \
         SELECT id, randomblob(32), CASE WHEN id % 3 = 0 THEN 1700000200 + id END \
         FROM users WHERE username LIKE 'bulk%'; \
         WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {MANY}) \
         INSERT INTO login_failures (username_key, failures, last_failure_at, locked_until) \
         SELECT CASE i % 3 WHEN 0 THEN 'bulk' WHEN 1 THEN 'gäst' ELSE 'ωmega' END || i, \
                1 + i % 9, 1700000000 + i, CASE WHEN i % 4 = 0 THEN 1800000000 + i END \
         FROM n; \
         INSERT INTO login_failures VALUES ('', 2, 1700000000, NULL);"
    ));
}

/// Every column of every row of the factors, recovery codes, policy and
/// failed logins, as text, each table sorted.
fn rest(env: &Env) -> Vec<Vec<Vec<Option<String>>>> {
    [
        "SELECT user_id, key, step, t0, digits, drift, last_t, \
                CASE WHEN confirmed THEN 1 ELSE 0 END, created_at, confirmed_at \
         FROM mfa_factors",
        "SELECT id, user_id, code_hash, used_at FROM mfa_recovery_codes",
        "SELECT key, value FROM policy",
        "SELECT username_key, failures, last_failure_at, locked_until FROM login_failures",
    ]
    .into_iter()
    .map(|select| {
        let mut rows = env.query(select);
        rows.sort();
        rows
    })
    .collect()
}

#[test]
fn copies_many_batches_of_factors_recovery_codes_and_failed_logins_both_ways() {
    let (source, secret) = populated(Env::sqlite());
    add_many(&source);
    add_many_rest(&source);
    let before = rest(&source);
    for (table, rows) in ["factors", "recovery codes", "failed logins"]
        .into_iter()
        .zip([&before[0], &before[1], &before[3]])
    {
        assert!(rows.len() > 2 * COPY_BATCH, "{} {table}", rows.len());
    }
    let summary = format!(
        "(1 admin, {} second factors), {} events, 1 policy value and {} failed-login records",
        source.number("SELECT count(*) FROM mfa_factors WHERE confirmed"),
        source.count("events"),
        before[3].len()
    );
    let target = Env::postgres();
    let outcome = copy(&source, &target);
    outcome.success();
    assert!(
        outcome.stderr.contains(&summary),
        "{summary} in {outcome:?}"
    );
    assert_eq!(rest(&target), before);
    assert_eq!(rows(&source), rows(&target));
    // Back again, from PostgreSQL into a new SQLite file.
    let back = Env::sqlite();
    target.login("root", PASSWORD).success();
    copy(&target, &back).success();
    assert_eq!(rest(&back), before);
    assert_eq!(rows(&target), rows(&back));
    // Alice's factor still works after both copies.
    let alice = back.another_host("file");
    alice.login("alice", PASSWORD).code(4);
    login_with_code(&alice, "alice", &oathtool(&secret, 30)).success();
}
