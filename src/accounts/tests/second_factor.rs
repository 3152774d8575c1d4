//! The second factor: enrolment pending until a code confirms it, the code
//! a login then needs (missing, wrong and replayed codes refused and
//! counted toward the lockout), recovery codes used once and regenerated,
//! disabling, an admin's reset, and the `mfa-required` policy. Codes are
//! made by latch's own TOTP (`TotpState::code_at`) from the factor in the
//! store, for the current time step.

use super::{Fixture, OTHER_PASSWORD, PASSWORD, accounts_tests, exit};
use crate::accounts;
use crate::error::Error;
use crate::mfa::totp::TotpState;
use crate::timestamp;

/// The name of the store in the factor's label.
const STORE_NAME: &str = "latch.db";

/// The factor of `name` (pending or confirmed) as the store has it.
fn state(f: &Fixture, name: &str) -> TotpState {
    let user = f.find(name);
    f.store
        .factor(user.id)
        .expect("factor")
        .expect("a factor")
        .totp
}

/// The code the app of `name` shows now, or the one of the next step when
/// this step's code was used already (one step of drift is the default
/// tolerance).
pub(super) fn next_code(f: &Fixture, name: &str) -> String {
    let state = state(f, name);
    let now = state.step_of(timestamp::now());
    let t = now.max(state.last_t + 1);
    assert!(t <= now + 1, "no unused code within one step of now");
    state.code_at(t as u64).to_string()
}

/// The code accepted last (a replay when typed again).
fn last_code(f: &Fixture, name: &str) -> String {
    let state = state(f, name);
    state.code_at(state.last_t as u64).to_string()
}

/// Six digits that are no code of `name`'s factor within three steps of now.
pub(super) fn wrong_code(f: &Fixture, name: &str) -> String {
    let state = state(f, name);
    let now = state.step_of(timestamp::now());
    let near: Vec<String> = (now - 3..=now + 3)
        .map(|t| state.code_at(t as u64).to_string())
        .collect();
    (0..)
        .map(|n| format!("{n:06}"))
        .find(|code| !near.contains(code))
        .expect("a wrong code")
}

/// Logs `name` in and enrols a factor, confirmed with a current code;
/// returns its recovery codes as they are shown.
pub(super) fn enrol(f: &mut Fixture, name: &str) -> Vec<String> {
    f.login(name, PASSWORD).expect("login");
    let current = f.current().expect("logged in");
    accounts::begin_enrolment(f.store.as_mut(), &current, PASSWORD, STORE_NAME).expect("enable");
    let code = next_code(f, name);
    accounts::confirm_enrolment(f.store.as_mut(), &current, &code)
        .expect("confirm")
        .iter()
        .map(|c| c.display().to_string())
        .collect()
}

fn threshold(f: &mut Fixture, n: i64) {
    let root = f.root();
    accounts::set_policy(f.store.as_mut(), &root, "lockout-threshold", n).expect("policy");
}

/// `mfa enable` checks the password again and leaves a pending factor that
/// changes nothing for logins; a malformed code is invalid input (exit 3),
/// a wrong one exit 4 and recorded; a current code confirms it and gives
/// ten distinct recovery codes; a second enrolment is a conflict (exit 6).
fn enrolment_is_pending_until_a_code_confirms_it(f: &mut Fixture) {
    let alice = f.user("alice");
    f.login("alice", PASSWORD).expect("login");
    let current = f.current().expect("logged in");
    assert_eq!(
        exit(accounts::begin_enrolment(
            f.store.as_mut(),
            &current,
            OTHER_PASSWORD,
            STORE_NAME
        )),
        4
    );
    assert!(f.store.factor(alice.id).expect("factor").is_none());

    let enrolment = accounts::begin_enrolment(f.store.as_mut(), &current, PASSWORD, STORE_NAME)
        .expect("enable");
    assert_eq!(*enrolment.secret, *state(f, "alice").base32());
    assert!(
        enrolment
            .otpauth_uri
            .contains(&format!("secret={}", *enrolment.secret)),
        "the URI carries the secret"
    );
    let summary = accounts::factor_status(f.store.as_ref(), &alice).expect("status");
    assert!(summary.pending && !summary.confirmed, "{summary:?}");
    let pending = f.authenticate("alice", PASSWORD).expect("no code asked");
    assert!(!pending.needs_code());

    assert_eq!(
        exit(accounts::confirm_enrolment(
            f.store.as_mut(),
            &current,
            "12ab"
        )),
        3
    );
    let wrong = wrong_code(f, "alice");
    assert_eq!(
        exit(accounts::confirm_enrolment(
            f.store.as_mut(),
            &current,
            &wrong
        )),
        4
    );
    assert_eq!(f.details("alice", "mfa_failure"), ["confirm: wrong code"]);
    assert!(
        !f.store
            .factor(alice.id)
            .expect("factor")
            .expect("kept")
            .confirmed
    );

    let code = next_code(f, "alice");
    let codes = accounts::confirm_enrolment(f.store.as_mut(), &current, &code).expect("confirm");
    assert_eq!(codes.len(), 10);
    let shown: Vec<String> = codes.iter().map(|c| c.display().to_string()).collect();
    for (i, code) in shown.iter().enumerate() {
        assert!(!shown[..i].contains(code), "recovery codes repeat");
    }
    let summary = accounts::factor_status(f.store.as_ref(), &alice).expect("status");
    assert!(summary.confirmed && !summary.pending, "{summary:?}");
    assert_eq!(summary.recovery_codes_left, 10);
    assert_eq!(
        f.store.recovery_codes(alice.id).expect("codes").len(),
        10,
        "only hashes are kept, one a code"
    );

    assert_eq!(
        exit(accounts::confirm_enrolment(
            f.store.as_mut(),
            &current,
            &code
        )),
        6
    );
    assert_eq!(
        exit(accounts::begin_enrolment(
            f.store.as_mut(),
            &current,
            PASSWORD,
            STORE_NAME
        )),
        6
    );
    let kinds: Vec<String> = f
        .kinds_of("alice")
        .into_iter()
        .filter(|k| k.starts_with("mfa_"))
        .collect();
    assert_eq!(kinds, ["mfa_enrol", "mfa_failure", "mfa_confirm"]);
    assert!(
        f.authenticate("alice", PASSWORD).is_err(),
        "a code is asked"
    );
}

/// With a confirmed factor the right password alone starts nothing: a
/// missing, malformed or wrong code gets the wrong password's answer
/// (exit 4), each recorded with its reason, and a session needs the code.
fn a_login_then_needs_a_current_code(f: &mut Fixture) {
    f.user("alice");
    enrol(f, "alice");
    // Another name's refusal: five of alice's would lock her.
    let wrong_password = f.authenticate("nobody", PASSWORD).expect_err("unknown");
    let missing = f.authenticate("alice", PASSWORD).expect_err("no code");
    assert_eq!(missing.exit_code(), 4);
    assert_eq!(missing.to_string(), wrong_password.to_string());
    let wrong = wrong_code(f, "alice");
    assert_eq!(
        exit(f.authenticate_with("alice", PASSWORD, Some(&wrong))),
        4
    );
    assert_eq!(
        exit(f.authenticate_with("alice", PASSWORD, Some("12ab"))),
        4
    );
    assert_eq!(
        f.details("alice", "mfa_failure"),
        [
            "login: missing code",
            "login: wrong code",
            "login: malformed code"
        ]
    );

    // A session never starts before the code is checked.
    let unchecked = accounts::authenticate(f.store.as_mut(), "alice", PASSWORD).expect("password");
    assert!(unchecked.needs_code());
    assert_eq!(unchecked.code_digits(), Some(6));
    let previous = crate::token_store::TokenStore::start_load(&f.tokens, &f.key);
    let started = accounts::start_session(f.store.as_mut(), &f.tokens, &f.key, unchecked, previous);
    assert_eq!(exit(started), 1);

    let code = next_code(f, "alice");
    assert_eq!(f.listing("alice").failures, 4, "each attempt counted");
    let logged_in = f
        .login_with("alice", PASSWORD, Some(&code))
        .expect("the code");
    assert_eq!(
        f.current().expect("logged in").session.id,
        logged_in.session_id
    );
    assert_eq!(
        f.listing("alice").failures,
        0,
        "the success reset the count"
    );
}

/// A failed code is a failed login: the right password does not clear the
/// count until the code is right too, and wrong codes lock the name, which
/// then refuses even the right password and code (exit 5).
fn failed_codes_count_toward_the_lockout(f: &mut Fixture) {
    threshold(f, 3);
    f.user("alice");
    enrol(f, "alice");
    assert_eq!(exit(f.authenticate("alice", OTHER_PASSWORD)), 4);
    accounts::authenticate(f.store.as_mut(), "alice", PASSWORD).expect("the password");
    assert_eq!(
        f.listing("alice").failures,
        2,
        "the right password alone is still a counted attempt"
    );
    let code = next_code(f, "alice");
    f.authenticate_with("alice", PASSWORD, Some(&code))
        .expect("the code");
    assert_eq!(f.listing("alice").failures, 0);

    for _ in 0..2 {
        let wrong = wrong_code(f, "alice");
        assert_eq!(
            exit(f.authenticate_with("alice", PASSWORD, Some(&wrong))),
            4
        );
    }
    let locking = f.authenticate("alice", PASSWORD).expect_err("no code");
    assert_eq!(locking.exit_code(), 4);
    assert!(
        locking.hints().iter().any(|h| h.contains("locked")),
        "{locking:?}"
    );
    let code = next_code(f, "alice");
    let locked = f.authenticate_with("alice", PASSWORD, Some(&code));
    assert!(matches!(locked, Err(Error::LockedOut { .. })), "{locked:?}");
    assert!(f.listing("alice").locked_until.is_some());
    assert_eq!(f.details("alice", "lock").len(), 1);
}

/// A code is accepted once: the one that confirmed the factor, and then
/// each one a login took, is refused when typed again (exit 4, "replayed").
fn a_code_is_accepted_once(f: &mut Fixture) {
    f.user("alice");
    enrol(f, "alice");
    let confirming = last_code(f, "alice");
    assert_eq!(
        exit(f.authenticate_with("alice", PASSWORD, Some(&confirming))),
        4
    );
    let before = state(f, "alice").last_t;
    let code = next_code(f, "alice");
    f.login_with("alice", PASSWORD, Some(&code))
        .expect("a new code");
    assert!(state(f, "alice").last_t > before, "the step is remembered");
    assert_eq!(
        exit(f.login_with("alice", PASSWORD, Some(&code))),
        4,
        "the same code again"
    );
    assert_eq!(
        f.details("alice", "mfa_failure"),
        ["login: replayed code", "login: replayed code"]
    );
}

/// Each recovery code logs in once, in any case and with or without its
/// dashes; a used one is refused (exit 4) and the count goes down.
fn each_recovery_code_works_once(f: &mut Fixture) {
    let alice = f.user("alice");
    let codes = enrol(f, "alice");
    f.login_with("alice", PASSWORD, Some(&codes[0]))
        .expect("a recovery code");
    assert_eq!(
        f.details("alice", "mfa_recovery_code_used"),
        ["login; 9 left"]
    );
    assert_eq!(
        exit(f.login_with("alice", PASSWORD, Some(&codes[0]))),
        4,
        "used already"
    );
    assert_eq!(
        f.details("alice", "mfa_failure"),
        ["login: wrong recovery code"]
    );
    let typed = codes[1].to_uppercase().replace('-', "");
    f.authenticate_with("alice", PASSWORD, Some(&typed))
        .expect("another, typed otherwise");
    let summary = accounts::factor_status(f.store.as_ref(), &alice).expect("status");
    assert_eq!(summary.recovery_codes_left, 8);
    assert_eq!(f.listing("alice").failures, 0);
}

/// `recovery-codes --regenerate` needs the password and a code (a recovery
/// code will do): then ten new codes work and every old one is void.
fn regenerating_voids_the_old_recovery_codes(f: &mut Fixture) {
    let alice = f.user("alice");
    let old = enrol(f, "alice");
    let current = f.current().expect("logged in");
    let left = |f: &Fixture| {
        accounts::factor_status(f.store.as_ref(), &alice)
            .expect("status")
            .recovery_codes_left
    };
    assert_eq!(
        exit(accounts::regenerate_recovery_codes(
            f.store.as_mut(),
            &current,
            OTHER_PASSWORD,
            Some(&old[0])
        )),
        4
    );
    assert_eq!(
        exit(accounts::regenerate_recovery_codes(
            f.store.as_mut(),
            &current,
            PASSWORD,
            None
        )),
        4
    );
    assert_eq!(left(f), 10, "nothing changed");
    assert!(
        f.details("alice", "mfa_recovery_codes_regenerated")
            .is_empty()
    );

    let new: Vec<String> =
        accounts::regenerate_recovery_codes(f.store.as_mut(), &current, PASSWORD, Some(&old[0]))
            .expect("regenerate")
            .iter()
            .map(|c| c.display().to_string())
            .collect();
    assert_eq!(new.len(), 10);
    assert!(new.iter().all(|code| !old.contains(code)));
    assert_eq!(left(f), 10);
    assert_eq!(
        f.details("alice", "mfa_recovery_codes_regenerated"),
        ["10 recovery codes"]
    );
    for code in &old[1..3] {
        assert_eq!(
            exit(f.authenticate_with("alice", PASSWORD, Some(code))),
            4,
            "an old code"
        );
    }
    f.authenticate_with("alice", PASSWORD, Some(&new[0]))
        .expect("a new code");
    assert_eq!(left(f), 9);
}

/// `mfa disable` needs the password and a code; then the factor and its
/// recovery codes are gone and the password alone logs in. Without a factor
/// it is invalid input (exit 3).
fn disabling_needs_the_password_and_a_code(f: &mut Fixture) {
    let alice = f.user("alice");
    let codes = enrol(f, "alice");
    let current = f.current().expect("logged in");
    let code = next_code(f, "alice");
    assert_eq!(
        exit(accounts::disable_factor(
            f.store.as_mut(),
            &current,
            OTHER_PASSWORD,
            Some(&code)
        )),
        4
    );
    assert_eq!(
        exit(accounts::disable_factor(
            f.store.as_mut(),
            &current,
            PASSWORD,
            None
        )),
        4
    );
    let wrong = wrong_code(f, "alice");
    assert_eq!(
        exit(accounts::disable_factor(
            f.store.as_mut(),
            &current,
            PASSWORD,
            Some(&wrong)
        )),
        4
    );
    assert!(
        accounts::factor_status(f.store.as_ref(), &alice)
            .expect("status")
            .confirmed
    );
    assert_eq!(
        f.details("alice", "mfa_failure"),
        ["mfa disable: missing code", "mfa disable: wrong code"]
    );

    accounts::disable_factor(f.store.as_mut(), &current, PASSWORD, Some(&code)).expect("disable");
    let summary = accounts::factor_status(f.store.as_ref(), &alice).expect("status");
    assert!(!summary.confirmed && !summary.pending, "{summary:?}");
    assert_eq!(summary.recovery_codes_left, 0);
    assert!(f.store.recovery_codes(alice.id).expect("codes").is_empty());
    assert!(f.kinds_of("alice").contains(&"mfa_disable".to_owned()));
    assert!(
        !f.authenticate("alice", PASSWORD)
            .expect("no code")
            .needs_code()
    );
    assert_eq!(
        exit(accounts::disable_factor(
            f.store.as_mut(),
            &current,
            PASSWORD,
            Some(&codes[0])
        )),
        3
    );
}

/// A factor still pending is dropped with the password alone.
fn a_pending_factor_is_disabled_with_the_password(f: &mut Fixture) {
    let alice = f.user("alice");
    f.login("alice", PASSWORD).expect("login");
    let current = f.current().expect("logged in");
    accounts::begin_enrolment(f.store.as_mut(), &current, PASSWORD, STORE_NAME).expect("enable");
    accounts::disable_factor(f.store.as_mut(), &current, PASSWORD, None).expect("disable");
    assert!(f.store.factor(alice.id).expect("factor").is_none());
}

/// Only an admin resets another user's factor (exit 9 otherwise); the
/// reset removes it and ends that user's sessions.
fn an_admin_resets_a_lost_factor(f: &mut Fixture) {
    let root = f.root();
    let bob = f.user("bob");
    let alice = f.user("alice");
    enrol(f, "alice");
    assert_eq!(
        exit(accounts::reset_factor(f.store.as_mut(), &bob, "alice")),
        9
    );
    assert!(
        accounts::factor_status(f.store.as_ref(), &alice)
            .expect("status")
            .confirmed
    );
    let (user, removed, ended) =
        accounts::reset_factor(f.store.as_mut(), &root, "alice").expect("reset");
    assert_eq!((user.id, removed, ended), (alice.id, true, 1));
    assert!(f.store.factor(alice.id).expect("factor").is_none());
    assert_eq!(exit(f.current()), 4, "alice's session ended");
    let reset = f
        .events()
        .into_iter()
        .find(|e| e.event.kind == "mfa_reset")
        .expect("an mfa_reset event");
    assert_eq!(reset.event.actor.as_deref(), Some("root"));
    assert!(
        !f.authenticate("alice", PASSWORD)
            .expect("no code")
            .needs_code()
    );
    let (_, removed, ended) =
        accounts::reset_factor(f.store.as_mut(), &root, "alice").expect("again");
    assert_eq!((removed, ended), (false, 0));
}

/// `mfa-required admins` holds an admin without a factor to the factor
/// commands (exit 9) until one is confirmed; others are not asked.
fn the_policy_requires_a_factor_of_admins(f: &mut Fixture) {
    let root = f.root();
    let alice = f.user("alice");
    accounts::set_policy(f.store.as_mut(), &root, "mfa-required", 1).expect("policy");
    assert_eq!(exit(accounts::require_enrolled(f.store.as_ref(), &root)), 9);
    accounts::require_enrolled(f.store.as_ref(), &alice).expect("not an admin");
    enrol(f, "root");
    accounts::require_enrolled(f.store.as_ref(), &root).expect("enrolled");
}

accounts_tests!(
    enrolment_is_pending_until_a_code_confirms_it,
    a_login_then_needs_a_current_code,
    failed_codes_count_toward_the_lockout,
    a_code_is_accepted_once,
    each_recovery_code_works_once,
    regenerating_voids_the_old_recovery_codes,
    disabling_needs_the_password_and_a_code,
    a_pending_factor_is_disabled_with_the_password,
    an_admin_resets_a_lost_factor,
    the_policy_requires_a_factor_of_admins,
);
