//! The backend-neutral contract of `AccountStore` and `ImportBatch`: each
//! function proves one documented promise through `&mut dyn AccountStore`
//! only, so every backend runs the same checks. `store_contract_tests!`
//! expands each into a `#[test]` over a backend's fresh, empty store. The
//! concurrency contracts (`at_once`) open several stores on one fresh store
//! (one connection each, as separate processes or hosts have) and run an
//! operation on all of them from threads started at one barrier: what each
//! operation keeps when SQLite's one write lock is not there to order it.
//! It knows no backend, no SQL and no file.

use crate::audit::{AuditEvent, EventKind};
use crate::error::{Error, Taken};
use crate::session::{self, SessionToken};
use crate::store::{
    AccountStore, Attempt, EventFilter, ImportEnd, NewSession, NewUser, Sessions, User, UserFilter,
    Written,
};
use crate::timestamp::DateTime;
use crate::validate;

use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A fresh, empty store and whatever keeps it alive (a temporary directory,
/// a throwaway database) until the test ends.
pub struct FreshStore {
    pub store: Box<dyn AccountStore>,
    pub keep: Box<dyn std::any::Any>,
}

impl std::fmt::Debug for FreshStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FreshStore")
            .field("location", &self.store.location().to_string())
            .finish_non_exhaustive()
    }
}

/// Opens another store on one fresh store: a connection of its own each
/// time, the same accounts.
pub type OpenStore = dyn Fn() -> Box<dyn AccountStore> + Send + Sync;

/// A fresh, empty store that `open` opens again and again, and whatever
/// keeps it alive until the test ends.
pub struct SharedStore {
    pub open: Box<OpenStore>,
    pub keep: Box<dyn std::any::Any>,
}

impl std::fmt::Debug for SharedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedStore").finish_non_exhaustive()
    }
}

const LOCK_AT: u32 = 3;
/// How many stores race in each concurrency contract.
const RACERS: usize = 8;
const NOW: i64 = 1_900_000_000;

fn new_user(name: &str, admin: bool) -> NewUser {
    let email = format!("{name}@example.com");
    NewUser {
        username: name.to_owned(),
        username_key: validate::fold(name),
        email_key: email.to_lowercase(),
        email,
        password: format!("pbkdf2_sha256$1000${name}$hash"),
        first_name: String::new(),
        last_name: String::new(),
        is_active: true,
        is_staff: admin,
        is_superuser: admin,
        date_joined: DateTime::fixed("2030-01-01 00:00:00.000000"),
        last_login: None,
    }
}

fn event(kind: EventKind, name: &str) -> AuditEvent {
    AuditEvent::new(kind, name, None)
}

fn add(store: &mut dyn AccountStore, name: &str, admin: bool) -> User {
    store
        .insert_user(
            &new_user(name, admin),
            &event(EventKind::Register, name),
            false,
        )
        .expect("insert")
}

fn lock_until(count: u32) -> Option<i64> {
    (count >= LOCK_AT).then_some(NOW + 60)
}

fn new_session(user: &User) -> (NewSession, crate::session::TokenHash) {
    let hash = SessionToken::generate().expect("token").hash();
    let session = NewSession {
        user_id: user.id,
        token_hash: hash,
        password_binding: session::password_binding(&user.password),
        created_at: NOW,
        expires_at: NOW + 3600,
        host: "test".into(),
        login_time: DateTime::fixed("2030-01-02 00:00:00.000000"),
        verified_password: user.password.clone(),
        rehash: None,
    };
    (session, hash)
}

fn login(store: &mut dyn AccountStore, user: &User) -> Result<(i64, [u8; 32]), Error> {
    let (session, hash) = new_session(user);
    let events = [AuditEvent::by_self(
        EventKind::LoginSuccess,
        &user.username,
        user.id,
    )];
    store
        .start_session(&session, None, &events, &mut || Ok(()))
        .map(|id| (id, hash))
}

fn exit(result: crate::error::Result<impl std::fmt::Debug>) -> u8 {
    result.expect_err("refused").exit_code()
}

pub fn folded_names_and_emails_are_unique(store: &mut dyn AccountStore) {
    add(store, "alice", false);
    let mut same_name = new_user("ALICE", false);
    same_name.username_key = validate::fold("alice");
    same_name.email = "other@example.com".into();
    same_name.email_key = same_name.email.clone();
    let refused = store.insert_user(&same_name, &event(EventKind::Register, "ALICE"), false);
    assert!(
        matches!(refused, Err(Error::Conflict(Taken::Username))),
        "{refused:?}"
    );
    let mut same_email = new_user("bob", false);
    same_email.email = "ALICE@example.com".into();
    same_email.email_key = "alice@example.com".into();
    let refused = store.insert_user(&same_email, &event(EventKind::Register, "bob"), false);
    assert!(
        matches!(refused, Err(Error::Conflict(Taken::Email))),
        "{refused:?}"
    );
    assert!(store.user_by_key("bob").expect("read").is_none());
}

pub fn a_first_admin_is_refused_once_an_admin_exists(store: &mut dyn AccountStore) {
    assert!(!store.has_admin().expect("has_admin"));
    let root = new_user("root", true);
    store
        .insert_user(&root, &event(EventKind::Register, "root"), true)
        .expect("the first admin");
    assert!(store.has_admin().expect("has_admin"));
    let second = new_user("boss", true);
    assert_eq!(
        exit(store.insert_user(&second, &event(EventKind::Register, "boss"), true)),
        9
    );
    assert!(store.user_by_key("boss").expect("read").is_none());
}

pub fn the_last_active_admin_stays(store: &mut dyn AccountStore) {
    let root = add(store, "root", true);
    let alice = add(store, "alice", false);
    let revoke = event(EventKind::AdminRevoke, "root");
    assert_eq!(exit(store.set_admin(root.id, false, &revoke)), 9);
    assert_eq!(
        exit(store.set_active(root.id, false, &event(EventKind::Disable, "root"))),
        9
    );
    assert_eq!(
        exit(store.delete_user(root.id, &event(EventKind::Delete, "root"))),
        9
    );
    store
        .set_admin(alice.id, true, &event(EventKind::AdminGrant, "alice"))
        .expect("a second admin");
    store
        .set_admin(root.id, false, &revoke)
        .expect("no longer the last");
    let root = store.user_by_key("root").expect("read").expect("root");
    assert!(!root.is_superuser);
    assert!(store.has_admin().expect("has_admin"));
}

pub fn attempts_are_counted_before_the_check_and_lock_at_the_threshold(
    store: &mut dyn AccountStore,
) {
    for expected in 1..LOCK_AT {
        match store
            .begin_attempt("alice", NOW, &lock_until)
            .expect("attempt")
        {
            Attempt::Counted(failures) => {
                assert_eq!(failures.count, expected);
                assert_eq!(failures.locked_until, None);
            }
            other => panic!("{other:?}"),
        }
    }
    match store
        .begin_attempt("alice", NOW, &lock_until)
        .expect("attempt")
    {
        Attempt::Counted(failures) => {
            assert_eq!(failures.count, LOCK_AT);
            assert_eq!(failures.locked_until, Some(NOW + 60));
        }
        other => panic!("{other:?}"),
    }
    // Locked: refused, and not counted.
    for _ in 0..2 {
        assert_eq!(
            store
                .begin_attempt("alice", NOW + 1, &lock_until)
                .expect("attempt"),
            Attempt::Locked { until: NOW + 60 }
        );
    }
    match store
        .begin_attempt("alice", NOW + 61, &lock_until)
        .expect("attempt")
    {
        Attempt::Counted(failures) => assert_eq!(failures.count, LOCK_AT + 1),
        other => panic!("{other:?}"),
    }
}

pub fn failures_are_reset_and_cleared(store: &mut dyn AccountStore) {
    store
        .begin_attempt("alice", NOW, &lock_until)
        .expect("attempt");
    store.reset_failures("alice").expect("reset");
    match store
        .begin_attempt("alice", NOW, &lock_until)
        .expect("attempt")
    {
        Attempt::Counted(failures) => assert_eq!(failures.count, 1),
        other => panic!("{other:?}"),
    }
    let unlock = event(EventKind::Unlock, "alice");
    assert!(store.clear_failures("alice", &unlock).expect("clear"));
    assert!(!store.clear_failures("alice", &unlock).expect("clear"));
    let filter = EventFilter {
        subject_key: Some("alice".into()),
        ..Default::default()
    };
    let unlocks = store.events(&filter, 10).expect("events");
    assert_eq!(unlocks.len(), 1, "{unlocks:?}");
    assert_eq!(unlocks[0].event.kind, "unlock");
}

pub fn a_session_starts_only_for_the_checked_password_of_an_active_user(
    store: &mut dyn AccountStore,
) {
    add(store, "root", true);
    let alice = add(store, "alice", false);
    store
        .begin_attempt("alice", NOW, &lock_until)
        .expect("attempt");
    let (id, hash) = login(store, &alice).expect("login");
    let (session, user) = store
        .session_by_token(&hash)
        .expect("read")
        .expect("the session");
    assert_eq!(session.id, id);
    assert_eq!(
        user.last_login,
        Some(DateTime::fixed("2030-01-02 00:00:00.000000"))
    );
    let listing = store.user_listing("alice").expect("read").expect("alice");
    assert_eq!(listing.failures, 0);

    let mut stale = alice.clone();
    stale.password = "pbkdf2_sha256$1000$old$hash".into();
    assert_eq!(exit(login(store, &stale)), 4);
    store
        .set_active(alice.id, false, &event(EventKind::Disable, "alice"))
        .expect("disable");
    assert_eq!(exit(login(store, &alice)), 4);
    assert!(store.session_by_token(&hash).expect("read").is_none());
}

pub fn a_login_replaces_the_session_it_names(store: &mut dyn AccountStore) {
    let alice = add(store, "alice", false);
    let (_, old) = login(store, &alice).expect("login");
    let (session, new) = new_session(&alice);
    store
        .start_session(&session, Some(&old), &[], &mut || Ok(()))
        .expect("login again");
    assert!(store.session_by_token(&old).expect("read").is_none());
    assert!(store.session_by_token(&new).expect("read").is_some());
    // A failing `before_commit` starts nothing.
    let (session, failed) = new_session(&alice);
    let refused = store.start_session(&session, Some(&new), &[], &mut || {
        Err(Error::Internal("token store".into()))
    });
    assert!(refused.is_err());
    assert!(store.session_by_token(&failed).expect("read").is_none());
    assert!(store.session_by_token(&new).expect("read").is_some());
}

pub fn sessions_end_one_all_or_all_but_one(store: &mut dyn AccountStore) {
    let alice = add(store, "alice", false);
    let bob = add(store, "bob", false);
    let ids: Vec<i64> = (0..3)
        .map(|_| login(store, &alice).expect("login").0)
        .collect();
    login(store, &bob).expect("login");
    assert_eq!(store.sessions(None).expect("list").len(), 4);
    assert_eq!(
        store
            .end_sessions(Sessions::One(ids[0]), None)
            .expect("end"),
        1
    );
    let logout = event(EventKind::Logout, "alice");
    let but = Sessions::AllOfBut {
        user_id: alice.id,
        keep: ids[2],
    };
    assert_eq!(store.end_sessions(but, Some(&logout)).expect("end"), 1);
    let left = store.sessions(Some(alice.id)).expect("list");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].session.id, ids[2]);
    let all = Sessions::AllOf { user_id: alice.id };
    assert_eq!(store.end_sessions(all, None).expect("end"), 1);
    assert_eq!(store.sessions(None).expect("list").len(), 1);
}

pub fn a_password_change_ends_other_sessions_and_refuses_a_stale_hash(
    store: &mut dyn AccountStore,
) {
    let alice = add(store, "alice", false);
    let (keep, _) = login(store, &alice).expect("login");
    login(store, &alice).expect("login");
    let new_password = "pbkdf2_sha256$1000$new$hash";
    let binding = session::password_binding(new_password);
    let change = event(EventKind::PasswordChange, "alice");
    let ended = store
        .change_password(
            alice.id,
            &alice.password,
            new_password,
            Some(keep),
            &binding,
            &change,
        )
        .expect("change");
    assert_eq!(ended, 1);
    let left = store.sessions(Some(alice.id)).expect("list");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].session.password_binding, binding.to_vec());
    let stale = store.change_password(alice.id, &alice.password, "x", None, &binding, &change);
    assert!(matches!(stale, Err(Error::Conflicts(_))), "{stale:?}");
    let user = store.user_by_key("alice").expect("read").expect("alice");
    assert_eq!(user.password, new_password);
}

pub fn policy_values_are_stored(store: &mut dyn AccountStore) {
    let defaults = store.policy().expect("policy");
    let threshold = i64::from(defaults.lockout_threshold) + 1;
    store
        .set_policy(
            "lockout-threshold",
            threshold,
            &event(EventKind::PolicyChange, "root"),
        )
        .expect("set");
    assert_eq!(
        i64::from(store.policy().expect("policy").lockout_threshold),
        threshold
    );
}

pub fn events_are_filtered_and_limited_newest_first(store: &mut dyn AccountStore) {
    let alice = add(store, "alice", false);
    add(store, "bob", false);
    for n in 0..3 {
        let e = AuditEvent::by_self(EventKind::Logout, "alice", alice.id).detail(n.to_string());
        store.record(&e).expect("record");
    }
    store
        .record(&event(EventKind::LoginFailure, "carol"))
        .expect("record");
    let all = store.events(&EventFilter::default(), 100).expect("events");
    assert_eq!(all.len(), 6);
    assert!(all.windows(2).all(|w| w[0].id > w[1].id));
    let by_id = EventFilter {
        user_id: Some(alice.id),
        ..Default::default()
    };
    let newest = store.events(&by_id, 2).expect("events");
    assert_eq!(newest.len(), 2);
    assert_eq!(newest[0].event.detail, "2");
    let by_key = EventFilter {
        subject_key: Some("carol".into()),
        ..Default::default()
    };
    assert_eq!(store.events(&by_key, 10).expect("events").len(), 1);
}

pub fn an_import_commits_dry_runs_or_abandons_whole(store: &mut dyn AccountStore) {
    let root = add(store, "root", true);
    let done = event(EventKind::Import, "root");
    for end in [ImportEnd::DryRun, ImportEnd::Abandon] {
        let mut batch = store.import().expect("import");
        assert!(matches!(
            batch.insert(&new_user("alice", false)).expect("insert"),
            Written::Done { .. }
        ));
        batch.finish(end, &done).expect("finish");
        assert!(
            store.user_by_key("alice").expect("read").is_none(),
            "{end:?}"
        );
    }
    let mut batch = store.import().expect("import");
    batch.insert(&new_user("alice", false)).expect("insert");
    match batch.insert(&new_user("alice", false)).expect("insert") {
        Written::Taken { earlier, .. } => assert!(earlier),
        other => panic!("{other:?}"),
    }
    batch.finish(ImportEnd::Commit, &done).expect("commit");
    assert!(store.user_by_key("alice").expect("read").is_some());

    // A dry run makes a commit's checks: an import that leaves no admin.
    let mut batch = store.import().expect("import");
    batch
        .update(root.id, &new_user("root", false))
        .expect("update");
    assert_eq!(exit(batch.finish(ImportEnd::DryRun, &done)), 9);
    assert!(store.has_admin().expect("has_admin"));
}

pub fn users_are_visited_by_filter_in_id_order(store: &mut dyn AccountStore) {
    add(store, "root", true);
    let bob = add(store, "bob", false);
    add(store, "carol", false);
    store
        .set_active(bob.id, false, &event(EventKind::Disable, "bob"))
        .expect("disable");
    let names = |store: &dyn AccountStore, filter| {
        let mut names = Vec::new();
        store
            .for_each_user(filter, &mut |listing| {
                names.push(listing.user.username);
                Ok(())
            })
            .expect("visit");
        names
    };
    assert_eq!(names(store, UserFilter::All), ["root", "bob", "carol"]);
    assert_eq!(names(store, UserFilter::Active), ["root", "carol"]);
    assert_eq!(names(store, UserFilter::Disabled), ["bob"]);
    assert_eq!(names(store, UserFilter::Admins), ["root"]);
    assert_eq!(names(store, UserFilter::WithoutFactor).len(), 3);
    assert!(names(store, UserFilter::WithFactor).is_empty());
}

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
                user.username_key = validate::fold("same");
            } else {
                user.email = "Shared@Example.com".into();
                user.email_key = "shared@example.com".into();
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

/// Expands every contract into a `#[test]`. `store_contract_tests!(fresh)`:
/// the one-store contracts over `fresh()`, a `fn() -> FreshStore` giving an
/// empty store of one backend. `store_contract_tests!(fresh, concurrent:
/// shared)` adds the concurrency contracts over `shared()`, a
/// `fn() -> SharedStore`; `store_contract_tests!(concurrent: shared)` runs
/// those alone.
#[macro_export]
macro_rules! store_contract_tests {
    ($fresh:path) => {
        $crate::store_contract_tests!(@each $fresh;
            folded_names_and_emails_are_unique,
            a_first_admin_is_refused_once_an_admin_exists,
            the_last_active_admin_stays,
            attempts_are_counted_before_the_check_and_lock_at_the_threshold,
            failures_are_reset_and_cleared,
            a_session_starts_only_for_the_checked_password_of_an_active_user,
            a_login_replaces_the_session_it_names,
            sessions_end_one_all_or_all_but_one,
            a_password_change_ends_other_sessions_and_refuses_a_stale_hash,
            policy_values_are_stored,
            events_are_filtered_and_limited_newest_first,
            an_import_commits_dry_runs_or_abandons_whole,
            users_are_visited_by_filter_in_id_order,
        );
    };
    ($fresh:path, concurrent: $shared:path) => {
        $crate::store_contract_tests!($fresh);
        $crate::store_contract_tests!(concurrent: $shared);
    };
    (concurrent: $shared:path) => {
        $crate::store_contract_tests!(@shared $shared;
            racing_inserts_of_one_folded_key_make_one_user,
            racing_attempts_lose_no_count_and_stop_at_the_threshold,
            racing_first_admins_make_one_admin,
            admins_removing_each_other_at_once_leave_one,
            logins_reach_the_token_store_one_at_a_time,
            a_login_racing_a_disabling_or_a_password_change_leaves_no_session,
            racing_password_changes_from_one_hash_make_one_change,
        );
    };
    (@each $fresh:path; $($contract:ident),* $(,)?) => {
        $(
            #[test]
            fn $contract() {
                let fresh: $crate::store::contract::FreshStore = $fresh();
                let $crate::store::contract::FreshStore { mut store, keep } = fresh;
                $crate::store::contract::$contract(store.as_mut());
                // The store goes before what keeps it.
                drop(store);
                drop(keep);
            }
        )*
    };
    (@shared $shared:path; $($contract:ident),* $(,)?) => {
        $(
            #[test]
            fn $contract() {
                let shared: $crate::store::contract::SharedStore = $shared();
                $crate::store::contract::$contract(shared.open.as_ref());
            }
        )*
    };
}
