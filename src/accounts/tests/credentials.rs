//! Checking a password: wrong ones counted to the lockout threshold, a
//! locked name refused even with the right password, an admin's unlock,
//! disabled accounts refused, events of each outcome.

use super::{Fixture, OTHER_PASSWORD, PASSWORD, accounts_tests, exit};
use crate::accounts;
use crate::error::Error;

/// A wrong password, an unknown user and a disabled account are one
/// refusal (exit 4) with one message.
fn failures_look_alike(f: &mut Fixture) {
    let root = f.root();
    f.user("alice");
    f.user("bob");
    accounts::set_active(f.store.as_mut(), &root, "bob", false).expect("disable");
    let wrong = f.authenticate("alice", OTHER_PASSWORD).expect_err("wrong");
    let unknown = f.authenticate("nobody", PASSWORD).expect_err("unknown");
    let disabled = f.authenticate("bob", PASSWORD).expect_err("disabled");
    for error in [&wrong, &unknown, &disabled] {
        assert_eq!(error.exit_code(), 4, "{error:?}");
        assert!(!error.to_string().contains(PASSWORD));
    }
    assert_eq!(wrong.to_string(), unknown.to_string());
    assert_eq!(wrong.to_string(), disabled.to_string());
    let reasons: Vec<String> = f
        .events()
        .into_iter()
        .filter(|e| e.event.kind == "login_failure")
        .map(|e| e.event.subject)
        .collect();
    assert_eq!(reasons, ["alice", "nobody", "bob"]);
}

/// The right password of an active user passes, the name in any case, and
/// leaves no failure behind.
fn the_right_password_passes_in_any_case(f: &mut Fixture) {
    f.user("alice");
    let authenticated = f.authenticate("ALICE", PASSWORD).expect("passes");
    assert_eq!(authenticated.user.username, "alice");
    assert!(
        !f.kinds_of("alice").contains(&"login_failure".to_owned()),
        "{:?}",
        f.kinds_of("alice")
    );
}

fn threshold(f: &mut Fixture, n: i64) {
    let root = f.root();
    accounts::set_policy(f.store.as_mut(), &root, "lockout-threshold", n).expect("policy");
}

/// The failure that reaches the threshold locks the name: the right
/// password is then refused too (exit 5, `LockedOut`), and a Lock event is written.
fn the_threshold_locks_the_name(f: &mut Fixture) {
    threshold(f, 3);
    f.user("alice");
    for _ in 0..2 {
        assert_eq!(exit(f.authenticate("alice", OTHER_PASSWORD)), 4);
    }
    f.authenticate("alice", PASSWORD)
        .expect("below the threshold, the right password passes");
    // The success cleared the count: three more to lock.
    for _ in 0..2 {
        assert_eq!(exit(f.authenticate("alice", OTHER_PASSWORD)), 4);
    }
    // The locking failure is still a wrong password (exit 4) and says so.
    let locking = f.authenticate("alice", OTHER_PASSWORD).expect_err("wrong");
    assert_eq!(locking.exit_code(), 4);
    assert!(
        locking.hints().iter().any(|h| h.contains("locked")),
        "{locking:?}"
    );
    let locked = f.authenticate("alice", PASSWORD);
    assert!(matches!(locked, Err(Error::LockedOut { .. })), "{locked:?}");
    assert!(f.kinds_of("alice").contains(&"lock".to_owned()));
}

/// An admin's unlock clears the lock (and says whether there was one); a
/// non-admin's is refused (exit 9) and leaves it.
fn an_admin_unlocks_a_locked_name(f: &mut Fixture) {
    threshold(f, 1);
    let root = f.find("root");
    let bob = f.user("bob");
    f.user("alice");
    assert_eq!(exit(f.authenticate("alice", OTHER_PASSWORD)), 4);
    assert_eq!(exit(f.authenticate("alice", PASSWORD)), 5);
    assert_eq!(exit(accounts::unlock(f.store.as_mut(), &bob, "alice")), 9);
    assert_eq!(exit(f.authenticate("alice", PASSWORD)), 5);
    assert!(accounts::unlock(f.store.as_mut(), &root, "alice").expect("unlock"));
    assert!(!accounts::unlock(f.store.as_mut(), &root, "alice").expect("again"));
    f.authenticate("alice", PASSWORD).expect("unlocked");
    assert!(f.kinds_of("alice").contains(&"unlock".to_owned()));
}

/// A name with no account is locked as one with an account would be.
fn an_unknown_name_locks_too(f: &mut Fixture) {
    threshold(f, 2);
    assert_eq!(exit(f.authenticate("ghost", PASSWORD)), 4);
    assert_eq!(exit(f.authenticate("ghost", PASSWORD)), 4);
    assert_eq!(exit(f.authenticate("ghost", PASSWORD)), 5);
}

/// A disabled account is refused and enabling it again lets it in.
fn a_reenabled_account_logs_in(f: &mut Fixture) {
    let root = f.root();
    f.user("alice");
    let (_, changed, _) =
        accounts::set_active(f.store.as_mut(), &root, "alice", false).expect("disable");
    assert!(changed);
    assert_eq!(exit(f.authenticate("alice", PASSWORD)), 4);
    let (_, changed, _) =
        accounts::set_active(f.store.as_mut(), &root, "alice", true).expect("enable");
    assert!(changed);
    f.authenticate("alice", PASSWORD).expect("enabled");
    assert_eq!(
        f.kinds_of("alice")
            .into_iter()
            .filter(|k| k == "disable" || k == "enable")
            .collect::<Vec<_>>(),
        ["disable", "enable"]
    );
}

/// Only an admin disables an account (exit 9 otherwise).
fn a_non_admin_cannot_disable(f: &mut Fixture) {
    f.root();
    let alice = f.user("alice");
    f.user("bob");
    assert_eq!(
        exit(accounts::set_active(f.store.as_mut(), &alice, "bob", false)),
        9
    );
    assert!(f.find("bob").is_active);
}

accounts_tests!(
    failures_look_alike,
    the_right_password_passes_in_any_case,
    the_threshold_locks_the_name,
    an_admin_unlocks_a_locked_name,
    an_unknown_name_locks_too,
    a_reenabled_account_logs_in,
    a_non_admin_cannot_disable,
);
