//! `store copy` through the accounts layer: into an empty store of the same
//! backend, everything but the sessions arrives (users with their hashes,
//! factors, recovery codes, policy, failed logins, events) and logins work
//! there; a non-admin, the store itself and a store holding anything are
//! refused, with both stores left as they were.

use super::second_factor::{enrol, next_code};
use super::{Fixture, OTHER_PASSWORD, PASSWORD, accounts_tests, exit};
use crate::accounts::{self, CopySummary};
use crate::audit::AuditEvent;
use crate::store::User;

/// Every user of `f`, in id order.
fn users(f: &Fixture) -> Vec<User> {
    let mut users = Vec::new();
    f.store
        .for_each_user(Default::default(), &mut |listing| {
            users.push(listing.user);
            Ok(())
        })
        .expect("users");
    users
}

/// Every event of `f`, oldest first, without its id.
fn events(f: &Fixture) -> Vec<AuditEvent> {
    f.events().into_iter().map(|e| e.event).collect()
}

/// A copy keeps every user as they were (ids, hashes, admin), the factor
/// and its recovery codes, the policy, the failed logins and the events,
/// but no session; the source and the target each get a `store_copy` event.
/// Passwords, codes and the lockout then work in the target.
fn a_copy_keeps_users_factors_and_events(f: &mut Fixture) {
    let root = f.root();
    f.user("alice");
    f.user("bob");
    let codes = enrol(f, "alice");
    accounts::set_policy(f.store.as_mut(), &root, "lockout-threshold", 7).expect("policy");
    assert_eq!(exit(f.authenticate("bob", OTHER_PASSWORD)), 4);
    let source_users = users(f);
    let source_events = events(f);

    let mut target = f.sibling();
    let summary =
        accounts::copy_store(f.store.as_mut(), &root, target.store.as_mut()).expect("copy");
    assert_eq!(
        summary,
        CopySummary {
            users: 3,
            admins: 1,
            factors: 1,
            events: source_events.len(),
            policy: 1,
            failures: 1,
        }
    );
    assert_eq!(users(&target), source_users);
    let copied = events(&target);
    assert_eq!(copied.len(), source_events.len() + 1);
    assert_eq!(copied[..source_events.len()], source_events[..]);
    let last = &copied[source_events.len()];
    assert_eq!(
        (last.kind.as_str(), last.subject.as_str()),
        ("store_copy", "root")
    );
    assert!(last.detail.starts_with("from "), "{}", last.detail);
    let in_source = events(f).pop().expect("an event");
    assert_eq!(in_source.kind, "store_copy");
    assert!(in_source.detail.starts_with("to "), "{}", in_source.detail);

    assert_eq!(target.session_count(), 0, "sessions stay behind");
    assert_eq!(target.store.policy().expect("policy").lockout_threshold, 7);
    assert_eq!(target.listing("bob").failures, 1);
    let alice = target.find("alice");
    let status = accounts::factor_status(target.store.as_ref(), &alice).expect("status");
    assert!(status.confirmed);
    assert_eq!(status.recovery_codes_left, 10);

    target.login("bob", PASSWORD).expect("bob's password");
    assert_eq!(target.listing("bob").failures, 0);
    assert_eq!(exit(target.login("alice", PASSWORD)), 4, "a code is asked");
    let code = next_code(&target, "alice");
    target
        .login_with("alice", PASSWORD, Some(&code))
        .expect("alice's factor");
    target
        .login_with("alice", PASSWORD, Some(&codes[0]))
        .expect("a recovery code");
    assert_eq!(target.current().expect("logged in").user.username, "alice");
    assert_eq!(
        accounts::factor_status(f.store.as_ref(), &f.find("alice"))
            .expect("status")
            .recovery_codes_left,
        10,
        "the source's codes are its own"
    );
}

/// Only an admin copies (exit 9): nothing is written in either store.
fn only_an_admin_copies(f: &mut Fixture) {
    f.root();
    let alice = f.user("alice");
    let source_events = events(f);
    let mut target = f.sibling();
    assert_eq!(
        exit(accounts::copy_store(
            f.store.as_mut(),
            &alice,
            target.store.as_mut()
        )),
        9
    );
    assert!(users(&target).is_empty());
    assert!(events(&target).is_empty());
    assert_eq!(events(f), source_events);
}

/// A target that holds a user, or only a failed login's event and count,
/// is refused as invalid input (exit 3, "not empty") and stays as it was;
/// the source records nothing.
fn a_store_that_holds_anything_is_refused(f: &mut Fixture) {
    let root = f.root();
    f.user("alice");
    let source_events = events(f);

    let mut with_a_user = f.sibling();
    with_a_user.user("carol");
    let mut with_a_failure = f.sibling();
    assert_eq!(exit(with_a_failure.authenticate("ghost", PASSWORD)), 4);
    for target in [&mut with_a_user, &mut with_a_failure] {
        let (before_users, before_events) = (users(target), events(target));
        let refused = accounts::copy_store(f.store.as_mut(), &root, target.store.as_mut())
            .expect_err("not empty");
        assert_eq!(refused.exit_code(), 3, "{refused:?}");
        assert!(refused.to_string().contains("not empty"), "{refused}");
        assert_eq!(users(target), before_users);
        assert_eq!(events(target), before_events);
    }
    assert_eq!(events(f), source_events);
}

/// The store is never copied into itself (exit 3), even through another
/// connection to it.
fn a_store_is_not_copied_into_itself(f: &mut Fixture) {
    let root = f.root();
    let before = events(f);
    let mut same = f.reopen();
    assert_eq!(
        exit(accounts::copy_store(f.store.as_mut(), &root, same.as_mut())),
        3
    );
    assert_eq!(events(f), before);
    assert_eq!(users(f).len(), 1);
}

accounts_tests!(
    a_copy_keeps_users_factors_and_events,
    only_an_admin_copies,
    a_store_that_holds_anything_is_refused,
    a_store_is_not_copied_into_itself,
);
