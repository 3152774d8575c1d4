//! Races on PostgreSQL, each from threads with a connection of their own
//! (separate sessions, as separate hosts would be), started at one barrier:
//! one name, the failure counter, the first admin, admins revoking each
//! other; and every method through PgBouncer from more clients than its
//! pool has connections.

use std::sync::{Arc, Barrier};

use super::tour::tour;
use super::{TestDb, admin_user, event, new_user, users};
use crate::audit::EventKind;
use crate::error::{Error, Taken};
use crate::store::{AccountStore, Attempt, OpenMode, UserFilter};

/// Runs `work` on `n` threads, each with a store of its own on `db`, at
/// once: the store contract's racer.
fn at_once<T: Send>(
    db: &TestDb,
    n: usize,
    work: impl Fn(usize, &mut dyn AccountStore) -> T + Sync,
) -> Vec<T> {
    let open = || -> Box<dyn AccountStore> { Box::new(db.store()) };
    crate::store::contract::at_once(&open, n, work)
}

#[test]
fn one_name_registered_at_once_is_one_user() {
    let db = Arc::new(TestDb::new());
    db.store();
    let results = at_once(&db, 12, |i, store| {
        let mut user = new_user("Same");
        // Different emails: only the name collides.
        user.email = format!("{i}@example.com");
        store.insert_user(&user, &event(EventKind::Register, "Same"), false)
    });
    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{results:?}");
    for result in &results {
        match result {
            Ok(_) => {}
            Err(e @ Error::Conflict(Taken::Username)) => assert_eq!(e.exit_code(), 6),
            Err(e) => panic!("expected Conflict(Username), got {e:?}"),
        }
    }
    let store = db.store();
    let mut count = 0;
    store
        .for_each_user(UserFilter::All, &mut |_| {
            count += 1;
            Ok(())
        })
        .expect("users");
    assert_eq!(count, 1);
    assert_eq!(
        store
            .events(&Default::default(), 100)
            .expect("events")
            .len(),
        1,
        "one event"
    );
}

#[test]
fn concurrent_failures_lose_no_count_and_get_no_more_checks_than_the_lockout() {
    let db = Arc::new(TestDb::new());
    db.store();
    // No lockout: 16 × 10 failures, all counted.
    at_once(&db, 16, |_, store| {
        for _ in 0..10 {
            store
                .begin_attempt("counted", 100, &|_| None)
                .expect("attempt");
        }
    });
    let failures: i32 = db
        .client()
        .query_typed_one(
            "SELECT failures FROM latch.login_failures WHERE username_key = 'counted'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(failures, 160);

    // A threshold of 5: 20 at once, 5 counted (5 password checks), 15 locked.
    let policy = crate::policy::Policy::default();
    assert_eq!(policy.lockout_threshold, 5);
    let results = at_once(&db, 20, move |_, store| {
        let lock_until = |count| policy.lock_seconds(count).map(|s| 1_000 + s);
        store
            .begin_attempt("locked", 1_000, &lock_until)
            .expect("attempt")
    });
    let mut counts: Vec<u32> = results
        .iter()
        .filter_map(|a| match a {
            Attempt::Counted(f) => Some(f.count),
            Attempt::Locked { .. } => None,
        })
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, [1, 2, 3, 4, 5], "{results:?}");
}

#[test]
fn first_admins_registered_at_once_make_one_admin() {
    let db = Arc::new(TestDb::new());
    db.store();
    for round in 0..5 {
        let results = at_once(&db, 16, move |i, store| {
            let name = format!("admin{round}x{i}");
            store.insert_user(&admin_user(&name), &event(EventKind::Register, &name), true)
        });
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{results:?}"
        );
        assert!(
            results
                .iter()
                .all(|r| matches!(r, Ok(_) | Err(Error::NotPermitted(_)))),
            "{results:?}"
        );
        assert_eq!(users(&db.store(), UserFilter::Admins).len(), 1);
        db.client()
            .batch_execute("TRUNCATE latch.users CASCADE")
            .expect("the next round starts without users");
    }
}

#[test]
fn two_admins_revoking_each_other_leave_one() {
    let db = Arc::new(TestDb::new());
    let mut store = db.store();
    let e = event(EventKind::AdminGrant, "x");
    let a = store.insert_user(&admin_user("a"), &e, true).expect("a");
    let b = store.insert_user(&admin_user("b"), &e, false).expect("b");
    for _ in 0..5 {
        store.set_admin(a.id, true, &e).expect("grant a");
        store.set_admin(b.id, true, &e).expect("grant b");
        let ids = [b.id, a.id];
        let results = at_once(&db, 2, move |i, store| {
            store.set_admin(ids[i], false, &event(EventKind::AdminRevoke, "x"))
        });
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{results:?}"
        );
        assert!(
            results
                .iter()
                .any(|r| matches!(r, Err(Error::NotPermitted(_))))
        );
        assert!(store.has_admin().expect("has_admin"));
    }
}

#[test]
fn every_statement_works_through_pgbouncer_with_more_clients_than_its_pool() {
    let db = Arc::new(TestDb::new());
    let start = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let (db, start) = (Arc::clone(&db), Arc::clone(&start));
            std::thread::spawn(move || {
                let client = db.bouncer_client();
                start.wait();
                // The migrator too, from every client at once.
                let mut store = db
                    .open_with(client, OpenMode::Create)
                    .expect("open through PgBouncer")
                    .expect("a store");
                for round in 0..3 {
                    tour(&mut store, &format!("client{i}round{round}"));
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("every method through PgBouncer");
    }
}

#[test]
fn named_statements_would_fail_through_pgbouncer() {
    // The check above means something: the crate's ordinary (named,
    // prepared) statements fail through the same PgBouncer.
    let db = Arc::new(TestDb::new());
    let start = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (db, start) = (Arc::clone(&db), Arc::clone(&start));
            std::thread::spawn(move || {
                let mut client = db.bouncer_client();
                start.wait();
                (0..30)
                    .filter(|_| client.query("SELECT 1", &[]).is_err())
                    .count()
            })
        })
        .collect();
    let failed: usize = threads.into_iter().map(|t| t.join().expect("thread")).sum();
    assert!(failed > 0, "no named statement failed through PgBouncer");
}
