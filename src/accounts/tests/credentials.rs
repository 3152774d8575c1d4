//! Checking a password: wrong ones counted to the lockout threshold, a
//! locked name refused even with the right password until its lock is over,
//! an admin's unlock, disabled accounts refused, events of each outcome.

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

/// Waits until the lock of `name` is over: a few seconds at most, as the
/// tests set `lockout-base` to 3 s. The accounts layer reads the clock
/// itself (`timestamp::now`), so the time is real.
fn wait_out_the_lock(f: &Fixture, name: &str) {
    let until = f.listing(name).locked_until.expect("locked");
    while crate::timestamp::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// How long `name` is locked for, as the store has it.
fn locked_for(f: &Fixture, name: &str) -> i64 {
    f.listing(name).locked_until.expect("locked") - crate::timestamp::now()
}

/// A lock lasts `lockout-base` seconds: once it is over the name is
/// checked again. A failure then counts on from the threshold and locks
/// for twice as long; the right password passes and clears the count, so
/// that the next lock is the base one again.
fn a_lock_ends_after_its_duration(f: &mut Fixture) {
    let root = f.root();
    for (key, value) in [("lockout-threshold", 2), ("lockout-base", 3)] {
        accounts::set_policy(f.store.as_mut(), &root, key, value).expect("policy");
    }
    f.user("alice");
    assert_eq!(exit(f.authenticate("alice", OTHER_PASSWORD)), 4);
    assert_eq!(exit(f.authenticate("alice", OTHER_PASSWORD)), 4);
    assert!((1..=3).contains(&locked_for(f, "alice")));
    match f.authenticate("alice", PASSWORD) {
        Err(Error::LockedOut { retry_after, .. }) => assert!((1..=3).contains(&retry_after)),
        other => panic!("not locked: {other:?}"),
    }

    wait_out_the_lock(f, "alice");
    assert_eq!(exit(f.authenticate("alice", OTHER_PASSWORD)), 4);
    assert_eq!(f.listing("alice").failures, 3);
    assert!((4..=6).contains(&locked_for(f, "alice")), "doubled");
    assert_eq!(exit(f.authenticate("alice", PASSWORD)), 5);

    wait_out_the_lock(f, "alice");
    f.login("alice", PASSWORD).expect("the lock is over");
    let listing = f.listing("alice");
    assert_eq!((listing.failures, listing.locked_until), (0, None));
    assert_eq!(f.details("alice", "lock").len(), 2);

    assert_eq!(exit(f.authenticate("alice", OTHER_PASSWORD)), 4);
    assert_eq!(f.listing("alice").locked_until, None, "counted from zero");
    assert_eq!(exit(f.authenticate("alice", OTHER_PASSWORD)), 4);
    assert!((1..=3).contains(&locked_for(f, "alice")), "the base again");
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
    a_lock_ends_after_its_duration,
    an_admin_unlocks_a_locked_name,
    an_unknown_name_locks_too,
    a_reenabled_account_logs_in,
    a_non_admin_cannot_disable,
);
