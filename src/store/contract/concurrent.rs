//! The concurrency contracts: several stores on one fresh store, an
//! operation run on all of them at once from one barrier.

use super::*;

/// Runs `work` on `n` threads at once, each with a store of its own that
/// `open` opened before the barrier; the results in thread order.
pub(crate) fn at_once<T: Send, Open>(
    open: &Open,
    n: usize,
    work: impl Fn(usize, &mut dyn AccountStore) -> T + Sync,
) -> Vec<T>
where
    Open: Fn() -> Box<dyn AccountStore> + Sync + ?Sized,
{
    let start = Barrier::new(n);
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..n)
            .map(|i| {
                let (start, work) = (&start, &work);
                scope.spawn(move || {
                    let mut store = open();
                    start.wait();
                    work(i, store.as_mut())
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().expect("a racing thread"))
            .collect()
    })
}

fn count_users(store: &dyn AccountStore, filter: UserFilter) -> usize {
    let mut n = 0;
    store
        .for_each_user(filter, &mut |_| {
            n += 1;
            Ok(())
        })
        .expect("visit");
    n
}

/// `insert_user`: one folded username (or email) registered from many
/// stores at once is one user; every other insert is `Conflict` naming
/// what was taken (exit 6), and leaves no event.
pub fn racing_inserts_of_one_folded_key_make_one_user(open: &OpenStore) {
    for (field, taken) in [("name", Taken::Username), ("email", Taken::Email)] {
        let results = at_once(open, RACERS, |i, store| {
            let mut user = new_user(&format!("{field}{i}"), false);
            if field == "name" {
                // "Same", "SAME", "same", ...: one folded key.
                user.username = if i % 2 == 0 { "Same" } else { "SAME" }.to_owned();
            } else {
                user.email = if i % 2 == 0 {
                    "Shared@Example.com"
                } else {
                    "shared@EXAMPLE.com"
                }
                .to_owned();
            }
            store.insert_user(&user, &event(EventKind::Register, &user.username), false)
        });
        let won = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(won, 1, "{field}: {results:?}");
        for result in &results {
            match result {
                Ok(_) => {}
                Err(Error::Conflict(t)) => assert_eq!(*t, taken, "{field}"),
                Err(e) => panic!("{field}: expected Conflict({taken:?}), got {e:?}"),
            }
        }
    }
    let store = open();
    assert_eq!(count_users(store.as_ref(), UserFilter::All), 2);
    let events = store.events(&EventFilter::default(), 100).expect("events");
    assert_eq!(events.len(), 2, "one event per user: {events:?}");
}

/// `begin_attempt`: attempts at one name made at once lose no count and get
/// no more counted attempts (password checks) than the lockout allows;
/// every later one is `Locked`.
pub fn racing_attempts_lose_no_count_and_stop_at_the_threshold(open: &OpenStore) {
    let results = at_once(open, RACERS, |_, store| {
        store
            .begin_attempt("alice", NOW, &lock_until)
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
    assert_eq!(counts, (1..=LOCK_AT).collect::<Vec<_>>(), "{results:?}");
    let locked = results
        .iter()
        .filter(|a| **a == Attempt::Locked { until: NOW + 60 })
        .count();
    assert_eq!(locked, RACERS - LOCK_AT as usize, "{results:?}");

    // Below the threshold, none is lost either.
    let never = |_: u32| None;
    let results = at_once(open, RACERS, |_, store| {
        store.begin_attempt("bob", NOW, &never).expect("attempt")
    });
    let mut counts: Vec<u32> = results
        .iter()
        .map(|a| match a {
            Attempt::Counted(f) => f.count,
            locked => panic!("{locked:?}"),
        })
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=RACERS as u32).collect::<Vec<_>>());
}

/// `insert_user` with `first_admin`: registered from many stores at once,
/// one first admin; the others are `NotPermitted` (exit 9) and not written.
pub fn racing_first_admins_make_one_admin(open: &OpenStore) {
    let results = at_once(open, RACERS, |i, store| {
        let name = format!("root{i}");
        store.insert_user(
            &new_user(&name, true),
            &event(EventKind::Register, &name),
            true,
        )
    });
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    for result in &results {
        if let Err(e) = result {
            assert!(matches!(e, Error::NotPermitted(_)), "{e:?}");
        }
    }
    let store = open();
    assert_eq!(count_users(store.as_ref(), UserFilter::All), 1);
    assert_eq!(count_users(store.as_ref(), UserFilter::Admins), 1);
}

/// `set_admin`, `set_active` and `delete_user`: two admins revoking,
/// disabling or deleting each other at once leave one active admin; the
/// other change is `NotPermitted`.
pub fn admins_removing_each_other_at_once_leave_one(open: &OpenStore) {
    let mut store = open();
    // The active admins the previous round left.
    let mut left: Vec<i64> = Vec::new();
    for round in 0..3 {
        let a = add(store.as_mut(), &format!("a{round}"), true);
        let b = add(store.as_mut(), &format!("b{round}"), true);
        for id in left.drain(..) {
            store
                .set_admin(id, false, &event(EventKind::AdminRevoke, "earlier"))
                .expect("not the last admin");
        }
        let others = [b.id, a.id];
        let results = at_once(open, 2, |i, store| {
            let other = others[i];
            match round {
                0 => store.set_admin(other, false, &event(EventKind::AdminRevoke, "other")),
                1 => store
                    .set_active(other, false, &event(EventKind::Disable, "other"))
                    .map(drop),
                _ => store.delete_user(other, &event(EventKind::Delete, "other")),
            }
        });
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "round {round}: {results:?}"
        );
        for result in &results {
            if let Err(e) = result {
                assert!(matches!(e, Error::NotPermitted(_)), "round {round}: {e:?}");
            }
        }
        store
            .for_each_user(UserFilter::Admins, &mut |listing| {
                if listing.user.is_active {
                    left.push(listing.user.id);
                }
                Ok(())
            })
            .expect("visit");
        assert_eq!(left.len(), 1, "round {round}: {left:?}");
        assert!([a.id, b.id].contains(&left[0]));
    }
}

/// `start_session`: what logins do to the token store (`before_commit`)
/// happens one login at a time across stores, and never while another
/// store runs `under_write_lock`: a session and its token go together.
pub fn logins_reach_the_token_store_one_at_a_time(open: &OpenStore) {
    let mut store = open();
    let alice = add(store.as_mut(), "alice", false);
    let inside = AtomicBool::new(false);
    let overlaps = AtomicUsize::new(0);
    let exclusive = || -> crate::error::Result<()> {
        if inside.swap(true, Ordering::SeqCst) {
            overlaps.fetch_add(1, Ordering::SeqCst);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        inside.store(false, Ordering::SeqCst);
        Ok(())
    };
    let results = at_once(open, RACERS, |i, store| {
        let mut exclusive = exclusive;
        if i % 4 == 3 {
            store.under_write_lock(&mut exclusive).map(|()| None)
        } else {
            let (session, hash) = new_session(&alice);
            store
                .start_session(&session, None, &[], &mut exclusive)
                .map(|_| Some(hash))
        }
    });
    assert_eq!(overlaps.load(Ordering::SeqCst), 0);
    for result in results {
        if let Some(hash) = result.expect("login or lock") {
            assert!(store.session_by_token(&hash).expect("read").is_some());
        }
    }
}

/// `start_session` racing `set_active(false)` or `change_password`: the
/// session starts only if it comes first, and then the other ends it; no
/// session outlives the disabling or the change.
pub fn a_login_racing_a_disabling_or_a_password_change_leaves_no_session(open: &OpenStore) {
    let mut store = open();
    add(store.as_mut(), "root", true);
    for round in 0..6 {
        let user = add(store.as_mut(), &format!("user{round}"), false);
        let new_password = format!("pbkdf2_sha256$1000$changed{round}$hash");
        let binding = session::password_binding(&new_password);
        let results = at_once(open, 2, |i, store| {
            if i == 0 {
                login(store, &user).map(drop)
            } else if round % 2 == 0 {
                store
                    .set_active(user.id, false, &event(EventKind::Disable, "u"))
                    .map(drop)
            } else {
                store
                    .change_password(
                        user.id,
                        &user.password,
                        &new_password,
                        None,
                        &binding,
                        &event(EventKind::PasswordChange, "u"),
                    )
                    .map(drop)
            }
        });
        assert!(results[1].is_ok(), "round {round}: {results:?}");
        if let Err(e) = &results[0] {
            assert!(
                matches!(e, Error::NotAuthenticated { .. }),
                "round {round}: {e:?}"
            );
        }
        let left = store.sessions(Some(user.id)).expect("sessions");
        assert!(left.is_empty(), "round {round}: {left:?}");
    }
}

/// `change_password`: two changes from the same hash at once, one wins; the
/// other is `Conflicts` (exit 6) and writes nothing.
pub fn racing_password_changes_from_one_hash_make_one_change(open: &OpenStore) {
    let mut store = open();
    let alice = add(store.as_mut(), "alice", false);
    let passwords: Vec<String> = (0..RACERS)
        .map(|i| format!("pbkdf2_sha256$1000$race{i}$hash"))
        .collect();
    let results = at_once(open, RACERS, |i, store| {
        store.change_password(
            alice.id,
            &alice.password,
            &passwords[i],
            None,
            &session::password_binding(&passwords[i]),
            &event(EventKind::PasswordChange, "alice"),
        )
    });
    let won: Vec<usize> = (0..RACERS).filter(|&i| results[i].is_ok()).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    for result in &results {
        if let Err(e) = result {
            assert!(matches!(e, Error::Conflicts(_)), "{e:?}");
        }
    }
    let user = store.user_by_key("alice").expect("read").expect("alice");
    assert_eq!(user.password, passwords[won[0]]);
    let filter = EventFilter {
        user_id: None,
        subject_key: Some("alice".into()),
    };
    let changes = store.events(&filter, 100).expect("events");
    assert_eq!(
        changes
            .iter()
            .filter(|e| e.event.kind == "password_change")
            .count(),
        1
    );
}
