//! Each method's documented contract (src/store/mod.rs, factor.rs), on
//! PostgreSQL: what it writes, what it refuses and with which error, and
//! that a refusal leaves the store as it was. Imports and second factors
//! are in `imports_factors`.

use super::{TestDb, admin_user, event, events_of, login, new_user, session, totp, users};
use crate::audit::EventKind;
use crate::error::{Error, Taken};
use crate::store::factor::{AcceptedCode, Factor, FactorStore};
use crate::store::{AccountStore, Attempt, EventFilter, Rehash, Sessions, UserFilter};
use crate::timestamp::DateTime;

#[test]
fn insert_user_refuses_taken_keys_and_a_second_first_admin() {
    let db = TestDb::new();
    let mut store = db.store();
    let alice = store
        .insert_user(
            &admin_user("Alice"),
            &event(EventKind::Register, "Alice"),
            true,
        )
        .expect("the first admin");
    assert_eq!(
        store.user_by_key("alice").expect("read"),
        Some(alice.clone())
    );
    assert!(store.has_admin().expect("has_admin"));
    let registered = store.events(&EventFilter::default(), 10).expect("events");
    assert_eq!(registered[0].event.user_id, Some(alice.id));

    let mut same_name = new_user("ALICE");
    same_name.email = "other@example.com".into();
    let mut same_email = new_user("bob");
    same_email.email = "ALICE@Example.com".into();
    for (user, taken) in [
        (same_name, Taken::Username),
        (same_email, Taken::Email),
        (new_user("Alice"), Taken::Both),
    ] {
        match store.insert_user(&user, &event(EventKind::Register, &user.username), false) {
            Err(Error::Conflict(t)) => assert_eq!(t, taken),
            other => panic!("expected Conflict({taken:?}), got {other:?}"),
        }
    }
    match store.insert_user(
        &admin_user("carol"),
        &event(EventKind::Register, "carol"),
        true,
    ) {
        Err(e @ Error::NotPermitted(_)) => assert_eq!(e.exit_code(), 9),
        other => panic!("expected NotPermitted, got {other:?}"),
    }
    assert_eq!(users(&store, UserFilter::All), ["Alice"]);
    assert_eq!(events_of(&store, "register"), 1);
}

#[test]
fn listings_filter_and_count() {
    let db = TestDb::new();
    let mut store = db.store();
    let e = event(EventKind::Register, "x");
    let admin = store
        .insert_user(&admin_user("admin"), &e, true)
        .expect("admin");
    let bob = store.insert_user(&new_user("bob"), &e, false).expect("bob");
    let carol = store
        .insert_user(&new_user("carol"), &e, false)
        .expect("carol");
    store
        .set_active(carol.id, false, &e)
        .expect("disable carol");
    login(&mut store, &bob, 1);
    login(&mut store, &bob, 2);
    store
        .begin_attempt("bob", 100, &|_| None)
        .expect("a failure");
    let factor = Factor {
        user_id: bob.id,
        totp: totp(-1),
        confirmed: false,
        created_at: 5,
        confirmed_at: None,
    };
    store.set_pending_factor(&factor, &e).expect("pending");
    store
        .confirm_factor(
            bob.id,
            &[7; 20],
            AcceptedCode::Totp {
                previous_last_t: -1,
                t: 10,
                drift: 0,
            },
            &[[1; 32], [2; 32]],
            50,
            &e,
        )
        .expect("confirm");

    assert_eq!(users(&store, UserFilter::All), ["admin", "bob", "carol"]);
    assert_eq!(users(&store, UserFilter::Active), ["admin", "bob"]);
    assert_eq!(users(&store, UserFilter::Disabled), ["carol"]);
    assert_eq!(users(&store, UserFilter::Admins), ["admin"]);
    assert_eq!(users(&store, UserFilter::WithFactor), ["bob"]);
    assert_eq!(users(&store, UserFilter::WithoutFactor), ["admin", "carol"]);

    let listing = store.user_listing("bob").expect("listing").expect("bob");
    assert_eq!(listing.user.id, bob.id);
    assert_eq!(
        listing.user.last_login,
        Some(DateTime::fixed("2026-11-18 11:06:41.000001"))
    );
    assert_eq!(
        (
            listing.failures,
            listing.locked_until,
            listing.sessions,
            listing.mfa,
            listing.recovery_codes_left
        ),
        (1, None, 2, true, 2)
    );
    assert!(store.user_listing("nobody").expect("listing").is_none());
    assert!(store.user_by_key("nobody").expect("read").is_none());
    let _ = admin;
}

#[test]
fn a_visitor_error_stops_the_listing_and_is_returned() {
    let db = TestDb::new();
    let mut store = db.store();
    let e = event(EventKind::Register, "x");
    store.insert_user(&new_user("a"), &e, false).expect("a");
    store.insert_user(&new_user("b"), &e, false).expect("b");
    let mut seen = 0;
    let result = store.for_each_user(UserFilter::All, &mut |_| {
        seen += 1;
        Err(Error::Internal("stop".into()))
    });
    assert!(matches!(result, Err(Error::Internal(_))), "{result:?}");
    assert_eq!(seen, 1);
    // The store is usable after.
    assert_eq!(users(&store, UserFilter::All).len(), 2);
}

#[test]
fn start_session_replaces_rehashes_and_refuses_a_stale_check() {
    let db = TestDb::new();
    let mut store = db.store();
    let e = event(EventKind::Register, "bob");
    let bob = store.insert_user(&new_user("bob"), &e, false).expect("bob");
    let first = login(&mut store, &bob, 1);
    store
        .begin_attempt("bob", 100, &|_| None)
        .expect("a failure");

    let mut next = session(&bob, 2);
    next.rehash = Some(Rehash {
        password: "pbkdf2_sha256$1500000$salt$new".into(),
        binding: [9; 32],
        previous_binding: [1; 32],
    });
    let second = store
        .start_session(
            &next,
            Some(&[1; 32]),
            &[event(EventKind::LoginSuccess, "bob")],
            &mut || Ok(()),
        )
        .expect("second session");
    assert_ne!(first, second);
    assert!(
        store.session_by_token(&[1; 32]).expect("read").is_none(),
        "replaced"
    );
    let (found, user) = store
        .session_by_token(&[2; 32])
        .expect("read")
        .expect("the new one");
    assert_eq!(found.id, second);
    assert_eq!(found.password_binding, vec![9; 32], "moved to the rehash");
    assert_eq!(found.last_seen_at, Some(found.created_at));
    assert_eq!(user.password, "pbkdf2_sha256$1500000$salt$new");
    assert_eq!(
        user.last_login,
        Some(DateTime::fixed("2026-11-18 11:06:41.000001"))
    );
    assert_eq!(
        store.user_listing("bob").expect("l").expect("bob").failures,
        0
    );
    assert_eq!(events_of(&store, "login_success"), 1);

    // A check against the old hash, or a disabled account: refused, nothing written.
    let stale = session(&bob, 3);
    let refused = store.start_session(
        &stale,
        None,
        &[event(EventKind::LoginSuccess, "bob")],
        &mut || Ok(()),
    );
    assert!(
        matches!(refused, Err(Error::NotAuthenticated { .. })),
        "{refused:?}"
    );
    // A failing token store: nothing written.
    let current = store.user_by_key("bob").expect("r").expect("bob");
    let failed = store.start_session(&session(&current, 4), None, &[], &mut || {
        Err(Error::Internal("token store".into()))
    });
    assert!(matches!(failed, Err(Error::Internal(_))));
    assert!(store.session_by_token(&[4; 32]).expect("read").is_none());
    store.set_active(bob.id, false, &e).expect("disable");
    let disabled = store.start_session(&session(&current, 5), None, &[], &mut || Ok(()));
    assert!(matches!(disabled, Err(Error::NotAuthenticated { .. })));
    assert_eq!(store.sessions(None).expect("sessions").len(), 0);
    assert_eq!(events_of(&store, "login_success"), 1);
}

#[test]
fn confirm_check_and_under_write_lock() {
    let db = TestDb::new();
    let mut store = db.store();
    let e = event(EventKind::Register, "bob");
    let bob = store.insert_user(&new_user("bob"), &e, false).expect("bob");
    login(&mut store, &bob, 1);
    let rehash = Rehash {
        password: "new-hash".into(),
        binding: [8; 32],
        previous_binding: [1; 32],
    };
    store
        .confirm_check(
            bob.id,
            &bob.password,
            Some(&rehash),
            &[event(EventKind::VerifySuccess, "bob")],
        )
        .expect("confirmed");
    assert_eq!(
        store.user_by_key("bob").expect("r").expect("b").password,
        "new-hash"
    );
    assert_eq!(
        store.sessions(Some(bob.id)).expect("s")[0]
            .session
            .password_binding,
        vec![8; 32]
    );
    let stale = store.confirm_check(
        bob.id,
        &bob.password,
        None,
        &[event(EventKind::VerifySuccess, "bob")],
    );
    assert!(matches!(stale, Err(Error::NotAuthenticated { .. })));
    assert_eq!(events_of(&store, "verify_success"), 1);

    let mut ran = false;
    store
        .under_write_lock(&mut || {
            ran = true;
            Ok(())
        })
        .expect("lock");
    assert!(ran);
    let failed = store.under_write_lock(&mut || Err(Error::Internal("work".into())));
    assert!(matches!(failed, Err(Error::Internal(_))));
}

#[test]
fn sessions_are_listed_touched_and_ended() {
    let db = TestDb::new();
    let mut store = db.store();
    let e = event(EventKind::Register, "x");
    let bob = store.insert_user(&new_user("bob"), &e, false).expect("bob");
    let carol = store
        .insert_user(&new_user("carol"), &e, false)
        .expect("carol");
    let b1 = login(&mut store, &bob, 1);
    let b2 = login(&mut store, &bob, 2);
    let b3 = login(&mut store, &bob, 3);
    let c1 = login(&mut store, &carol, 4);
    let all = store.sessions(None).expect("all");
    assert_eq!(
        all.iter().map(|s| s.session.id).collect::<Vec<_>>(),
        [b1, b2, b3, c1]
    );
    assert_eq!(all[3].username, "carol");
    assert_eq!(store.sessions(Some(carol.id)).expect("carol's").len(), 1);
    store.touch_session(b1, 1_795_000_500).expect("touch");
    assert_eq!(
        store.sessions(Some(bob.id)).expect("s")[0]
            .session
            .last_seen_at,
        Some(1_795_000_500)
    );

    assert_eq!(store.end_sessions(Sessions::One(b1), None).expect("one"), 1);
    assert_eq!(
        store
            .end_sessions(
                Sessions::AllOfBut {
                    user_id: bob.id,
                    keep: b3
                },
                Some(&event(EventKind::Logout, "bob"))
            )
            .expect("but"),
        1
    );
    assert_eq!(
        store
            .end_sessions(Sessions::AllOf { user_id: bob.id }, None)
            .expect("all of"),
        1
    );
    assert_eq!(store.sessions(None).expect("left").len(), 1);
    assert_eq!(events_of(&store, "logout"), 1);
}

#[test]
fn events_are_filtered_newest_first() {
    let db = TestDb::new();
    let mut store = db.store();
    for (subject, user_id) in [("a", Some(1)), ("b", Some(2)), ("a", None), ("c", None)] {
        store
            .record(&crate::audit::AuditEvent::new(
                EventKind::Lock,
                subject,
                user_id,
            ))
            .expect("record");
    }
    let all = store.events(&EventFilter::default(), 10).expect("all");
    assert_eq!(
        all.iter()
            .map(|e| e.event.subject.as_str())
            .collect::<Vec<_>>(),
        ["c", "a", "b", "a"]
    );
    assert!(all.windows(2).all(|w| w[0].id > w[1].id));
    assert_eq!(
        store.events(&EventFilter::default(), 2).expect("two").len(),
        2
    );
    let of_a = store
        .events(
            &EventFilter {
                user_id: None,
                subject_key: Some("a".into()),
            },
            10,
        )
        .expect("a");
    assert_eq!(of_a.len(), 2);
    let either = store
        .events(
            &EventFilter {
                user_id: Some(2),
                subject_key: Some("c".into()),
            },
            10,
        )
        .expect("either");
    assert_eq!(
        either
            .iter()
            .map(|e| e.event.subject.as_str())
            .collect::<Vec<_>>(),
        ["c", "b"]
    );
    let recorded = &all[0].event;
    assert_eq!(recorded.kind, "lock");
    assert_eq!(recorded.os_user, crate::audit::os_user());
}

#[test]
fn attempts_count_lock_and_clear() {
    let db = TestDb::new();
    let mut store = db.store();
    let lock_at_3 = |count: u32| (count >= 3).then_some(1_000);
    for expected in 1..=3 {
        match store
            .begin_attempt("name", 100, &lock_at_3)
            .expect("attempt")
        {
            Attempt::Counted(f) => {
                assert_eq!(f.count, expected);
                assert_eq!(f.locked_until, lock_at_3(expected));
            }
            locked => panic!("{locked:?}"),
        }
    }
    assert_eq!(
        store.begin_attempt("name", 999, &lock_at_3).expect("a"),
        Attempt::Locked { until: 1_000 }
    );
    // Expired: counted again, from where it was.
    match store.begin_attempt("name", 1_000, &|_| None).expect("a") {
        Attempt::Counted(f) => assert_eq!((f.count, f.locked_until), (4, None)),
        locked => panic!("{locked:?}"),
    }
    store.reset_failures("name").expect("reset");
    match store.begin_attempt("name", 1_001, &|_| None).expect("a") {
        Attempt::Counted(f) => assert_eq!(f.count, 1),
        locked => panic!("{locked:?}"),
    }
    let unlock = event(EventKind::Unlock, "name");
    assert!(store.clear_failures("name", &unlock).expect("clear"));
    assert!(
        !store
            .clear_failures("name", &unlock)
            .expect("nothing to clear")
    );
    assert_eq!(events_of(&store, "unlock"), 1);
}

#[test]
fn change_password_checks_the_previous_hash() {
    let db = TestDb::new();
    let mut store = db.store();
    let e = event(EventKind::PasswordChange, "bob");
    let bob = store.insert_user(&new_user("bob"), &e, false).expect("bob");
    let keep = login(&mut store, &bob, 1);
    login(&mut store, &bob, 2);
    store
        .begin_attempt("bob", 100, &|_| None)
        .expect("a failure");
    let ended = store
        .change_password(bob.id, &bob.password, "new", Some(keep), &[5; 32], &e)
        .expect("changed");
    assert_eq!(ended, 1);
    let left = store.sessions(Some(bob.id)).expect("s");
    assert_eq!((left.len(), left[0].session.id), (1, keep));
    assert_eq!(left[0].session.password_binding, vec![5; 32]);
    assert_eq!(
        store.user_listing("bob").expect("l").expect("b").failures,
        0
    );
    let stale = store.change_password(bob.id, &bob.password, "newer", None, &[6; 32], &e);
    match stale {
        Err(e @ Error::Conflicts(_)) => assert_eq!(e.exit_code(), 6),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store.user_by_key("bob").expect("r").expect("b").password,
        "new"
    );
    assert_eq!(
        store
            .change_password(bob.id, "new", "newer", None, &[6; 32], &e)
            .expect("no keep"),
        1
    );
    assert_eq!(events_of(&store, "password_change"), 3);
}

#[test]
fn the_last_admin_stays() {
    let db = TestDb::new();
    let mut store = db.store();
    let e = event(EventKind::AdminRevoke, "x");
    let alice = store
        .insert_user(&admin_user("alice"), &e, true)
        .expect("alice");
    let bob = store.insert_user(&new_user("bob"), &e, false).expect("bob");
    login(&mut store, &alice, 1);
    for refused in [
        store.set_admin(alice.id, false, &e).map(drop),
        store.set_active(alice.id, false, &e).map(drop),
        store.delete_user(alice.id, &e),
    ] {
        assert!(
            matches!(refused, Err(Error::NotPermitted(_))),
            "{refused:?}"
        );
    }
    assert_eq!(store.sessions(None).expect("s").len(), 1, "nothing ended");
    store.set_admin(bob.id, true, &e).expect("grant bob");
    assert_eq!(
        store
            .set_active(alice.id, false, &e)
            .expect("disable alice"),
        1
    );
    assert!(matches!(
        store.set_admin(bob.id, false, &e),
        Err(Error::NotPermitted(_))
    ));
    store.set_active(alice.id, true, &e).expect("enable alice");
    store.set_admin(bob.id, false, &e).expect("revoke bob");
    store.delete_user(bob.id, &e).expect("delete bob");
    assert!(store.user_by_key("bob").expect("r").is_none());
    assert_eq!(users(&store, UserFilter::Admins), ["alice"]);
    // The two inserts, grant, disable, enable, revoke and delete.
    assert_eq!(
        store.events(&EventFilter::default(), 100).expect("e").len(),
        7
    );
}

#[test]
fn policy_is_stored() {
    let db = TestDb::new();
    let mut store = db.store();
    assert_eq!(
        store.policy().expect("policy"),
        crate::policy::Policy::default()
    );
    store
        .set_policy("lockout-threshold", 3, &event(EventKind::PolicyChange, "x"))
        .expect("set");
    store
        .set_policy("lockout-threshold", 4, &event(EventKind::PolicyChange, "x"))
        .expect("set again");
    assert_eq!(store.policy().expect("policy").lockout_threshold, 4);
    assert_eq!(events_of(&store, "policy_change"), 2);
}
