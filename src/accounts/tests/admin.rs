//! Administration: grant and revoke by admins only, the last admin kept,
//! history visible to its owner and to admins, delete and reset by admins.

use super::{Fixture, OTHER_PASSWORD, PASSWORD, accounts_tests, exit};
use crate::accounts;

/// An admin grants and revokes; a second grant changes nothing; each
/// change leaves an event naming the admin.
fn an_admin_grants_and_revokes(f: &mut Fixture) {
    let root = f.root();
    f.user("alice");
    let (_, changed) = accounts::set_admin(f.store.as_mut(), &root, "alice", true).expect("grant");
    assert!(changed);
    assert!(f.find("alice").is_superuser);
    let (_, changed) = accounts::set_admin(f.store.as_mut(), &root, "alice", true).expect("again");
    assert!(!changed);
    let (_, changed) =
        accounts::set_admin(f.store.as_mut(), &root, "alice", false).expect("revoke");
    assert!(changed);
    assert!(!f.find("alice").is_superuser);
    assert_eq!(
        f.kinds_of("alice")
            .into_iter()
            .filter(|k| k.starts_with("admin_"))
            .collect::<Vec<_>>(),
        ["admin_grant", "admin_revoke"]
    );
    let grant = f
        .events()
        .into_iter()
        .find(|e| e.event.kind == "admin_grant")
        .expect("event");
    assert_eq!(grant.event.actor.as_deref(), Some("root"));
}

/// A non-admin can neither grant nor revoke (exit 9), nothing changes and
/// no event is written.
fn a_non_admin_cannot_grant_or_revoke(f: &mut Fixture) {
    f.root();
    let alice = f.user("alice");
    assert_eq!(
        exit(accounts::set_admin(f.store.as_mut(), &alice, "alice", true)),
        9
    );
    assert_eq!(
        exit(accounts::set_admin(f.store.as_mut(), &alice, "root", false)),
        9
    );
    assert!(!f.find("alice").is_superuser);
    assert!(f.find("root").is_superuser);
    assert!(f.kinds_of("alice").iter().all(|k| !k.starts_with("admin_")));
}

/// The last active admin cannot be revoked (exit 9); with a second admin,
/// one can.
fn the_last_admin_cannot_be_revoked(f: &mut Fixture) {
    let root = f.root();
    assert_eq!(
        exit(accounts::set_admin(f.store.as_mut(), &root, "root", false)),
        9
    );
    assert!(f.find("root").is_superuser);
    f.user("boss");
    accounts::set_admin(f.store.as_mut(), &root, "boss", true).expect("grant");
    accounts::set_admin(f.store.as_mut(), &root, "root", false).expect("no longer the last");
    assert!(!f.find("root").is_superuser);
    let boss = f.find("boss");
    assert_eq!(
        exit(accounts::set_admin(f.store.as_mut(), &boss, "boss", false)),
        9
    );
}

/// A user reads their own history; another's only an admin (exit 9).
fn history_is_for_its_owner_and_admins(f: &mut Fixture) {
    let root = f.root();
    let alice = f.user("alice");
    f.user("bob");
    let own = accounts::history(f.store.as_ref(), &alice, None, 100).expect("own");
    assert!(!own.is_empty());
    assert!(own.iter().all(|e| e.event.user_id == Some(alice.id)));
    assert_eq!(
        exit(accounts::history(
            f.store.as_ref(),
            &alice,
            Some("bob"),
            100
        )),
        9
    );
    let bobs = accounts::history(f.store.as_ref(), &root, Some("bob"), 100).expect("admin");
    assert!(!bobs.is_empty());
    assert!(bobs.iter().all(|e| e.event.subject == "bob"));
    let all = accounts::history(f.store.as_ref(), &root, None, 100).expect("all");
    assert!(all.len() >= 3);
}

/// Only an admin deletes (exit 9 otherwise); a deleted account cannot log
/// in.
fn only_an_admin_deletes(f: &mut Fixture) {
    let root = f.root();
    let alice = f.user("alice");
    f.user("bob");
    assert_eq!(
        exit(accounts::delete_user(f.store.as_mut(), &alice, "bob")),
        9
    );
    f.authenticate("bob", PASSWORD).expect("still there");
    accounts::delete_user(f.store.as_mut(), &root, "bob").expect("delete");
    assert!(f.store.user_by_key("bob").expect("read").is_none());
    assert_eq!(exit(f.authenticate("bob", PASSWORD)), 4);
    assert!(f.kinds_of("bob").contains(&"delete".to_owned()));
}

/// An admin's password reset ends the user's sessions and sets the new
/// password; a non-admin's is refused (exit 9).
fn a_reset_ends_the_sessions(f: &mut Fixture) {
    let root = f.root();
    let bob = f.user("bob");
    f.user("alice");
    f.login("alice", PASSWORD).expect("login");
    assert_eq!(
        exit(accounts::reset_password(
            f.store.as_mut(),
            &bob,
            "alice",
            OTHER_PASSWORD,
            None
        )),
        9
    );
    assert!(f.current().is_ok());
    let (_, ended) =
        accounts::reset_password(f.store.as_mut(), &root, "alice", OTHER_PASSWORD, None)
            .expect("reset");
    assert_eq!(ended, 1);
    assert_eq!(exit(f.current()), 4);
    f.authenticate("alice", OTHER_PASSWORD)
        .expect("the new password");
}

/// Only an admin sets the policy (exit 9), within its bounds (exit 3
/// beyond them); the change is an event with the old and new values.
fn only_an_admin_sets_the_policy(f: &mut Fixture) {
    let root = f.root();
    let alice = f.user("alice");
    assert_eq!(
        exit(accounts::set_policy(
            f.store.as_mut(),
            &alice,
            "lockout-threshold",
            3
        )),
        9
    );
    let refused = accounts::set_policy(f.store.as_mut(), &root, "lockout-threshold", 0);
    assert!(refused.is_err(), "{refused:?}");
    let before = f.store.policy().expect("policy").lockout_threshold;
    let previous =
        accounts::set_policy(f.store.as_mut(), &root, "lockout-threshold", 7).expect("set");
    assert_eq!(previous, i64::from(before));
    assert_eq!(f.store.policy().expect("policy").lockout_threshold, 7);
    let event = f
        .events()
        .into_iter()
        .find(|e| e.event.kind == "policy_change")
        .expect("event");
    assert_eq!(
        event.event.detail,
        format!("lockout-threshold: {before} -> 7")
    );
}

accounts_tests!(
    an_admin_grants_and_revokes,
    a_non_admin_cannot_grant_or_revoke,
    the_last_admin_cannot_be_revoked,
    history_is_for_its_owner_and_admins,
    only_an_admin_deletes,
    a_reset_ends_the_sessions,
    only_an_admin_sets_the_policy,
);
