//! `verify`: a password checked as login checks it, for another program:
//! the same answers and lockout, its own events, no session and no
//! `last_login`, the second factor asked for after the right password, an
//! old hash rewritten, and PAM's one answer split into password and code.

use zeroize::Zeroizing;

use super::second_factor::{enrol, next_code, wrong_code};
use super::{Fixture, OTHER_PASSWORD, PASSWORD, accounts_tests, exit};
use crate::accounts;
use crate::error::{Error, Result};
use crate::store::User;
use crate::token_store::TokenStore;

/// `verify` of `name` whose code prompt answers `code`; returns the result
/// and how many times the code was asked for.
fn verify_with(
    f: &mut Fixture,
    name: &str,
    password: &str,
    origin: &str,
    code: Option<&str>,
) -> (Result<User>, usize) {
    let mut asked = 0;
    let result = accounts::verify(f.store.as_mut(), name, password, origin, &mut || {
        asked += 1;
        Ok(code.map(|c| Zeroizing::new(c.to_owned())))
    });
    (result, asked)
}

fn verify(f: &mut Fixture, name: &str, password: &str) -> Result<User> {
    let (result, asked) = verify_with(f, name, password, "", None);
    assert_eq!(asked, 0, "a code asked of an account without a factor");
    result
}

fn threshold(f: &mut Fixture, n: i64) {
    let root = f.root();
    accounts::set_policy(f.store.as_mut(), &root, "lockout-threshold", n).expect("policy");
}

/// The right password passes and returns the user, with a `verify_success`
/// event and no login event, no session, no token and no `last_login`.
fn the_right_password_passes_without_a_session(f: &mut Fixture) {
    f.user("alice");
    let user = verify(f, "ALICE", PASSWORD).expect("verified");
    assert_eq!(user.username, "alice");
    assert_eq!(f.session_count(), 0);
    assert!(f.tokens.load(&f.key).expect("load").is_none());
    assert_eq!(f.find("alice").last_login, None);
    assert_eq!(
        f.kinds_of("alice")
            .into_iter()
            .filter(|k| k.starts_with("login") || k.starts_with("verify"))
            .collect::<Vec<_>>(),
        ["verify_success"]
    );
}

/// A wrong password, an unknown user and a disabled account are one
/// refusal (exit 4, the login's message), each a `verify_failure` with its
/// reason and the origin.
fn failures_look_alike_and_name_their_origin(f: &mut Fixture) {
    let root = f.root();
    f.user("alice");
    f.user("bob");
    accounts::set_active(f.store.as_mut(), &root, "bob", false).expect("disable");
    let login = f.authenticate("alice", OTHER_PASSWORD).expect_err("wrong");
    let origin = "PAM service \"ftp\"";
    let mut refusals = Vec::new();
    for (name, password) in [
        ("alice", OTHER_PASSWORD),
        ("nobody", PASSWORD),
        ("bob", PASSWORD),
    ] {
        let (result, asked) = verify_with(f, name, password, origin, None);
        assert_eq!(asked, 0);
        refusals.push(result.expect_err("refused"));
    }
    for refusal in &refusals {
        assert_eq!(refusal.exit_code(), 4, "{refusal:?}");
        assert_eq!(refusal.to_string(), login.to_string());
        assert!(!refusal.to_string().contains(PASSWORD));
    }
    assert_eq!(
        f.details("alice", "verify_failure"),
        ["wrong password; PAM service \"ftp\""]
    );
    assert_eq!(
        f.details("nobody", "verify_failure"),
        ["unknown user; PAM service \"ftp\""]
    );
    assert_eq!(
        f.details("bob", "verify_failure"),
        ["disabled; PAM service \"ftp\""]
    );
    let (ok, _) = verify_with(f, "alice", PASSWORD, origin, None);
    ok.expect("verified");
    assert_eq!(
        f.details("alice", "verify_success"),
        ["PAM service \"ftp\""]
    );
    assert_eq!(
        f.details("alice", "login_failure").len(),
        1,
        "the login's own"
    );
}

/// Failed checks and failed logins count toward one lockout: the failure
/// that reaches the threshold, in any mix, locks the name for both (exit 5,
/// recorded as `locked`); a passed check clears the count.
fn checks_and_logins_share_the_lockout(f: &mut Fixture) {
    threshold(f, 3);
    f.user("alice");
    f.user("bob");
    assert_eq!(exit(verify(f, "alice", OTHER_PASSWORD)), 4);
    assert_eq!(exit(f.authenticate("alice", OTHER_PASSWORD)), 4);
    let locking = verify(f, "alice", OTHER_PASSWORD).expect_err("wrong");
    assert_eq!(locking.exit_code(), 4);
    assert!(
        locking.hints().iter().any(|h| h.contains("locked")),
        "{locking:?}"
    );
    let locked = verify(f, "alice", PASSWORD);
    assert!(matches!(locked, Err(Error::LockedOut { .. })), "{locked:?}");
    assert_eq!(exit(f.authenticate("alice", PASSWORD)), 5);
    assert_eq!(
        f.details("alice", "verify_failure")
            .last()
            .map(String::as_str),
        Some("locked")
    );

    assert_eq!(exit(verify(f, "bob", OTHER_PASSWORD)), 4);
    assert_eq!(exit(f.authenticate("bob", OTHER_PASSWORD)), 4);
    verify(f, "bob", PASSWORD).expect("verified");
    assert_eq!(f.listing("bob").failures, 0);
    for _ in 0..2 {
        assert_eq!(exit(f.authenticate("bob", OTHER_PASSWORD)), 4);
    }
    f.authenticate("bob", PASSWORD)
        .expect("two failures since the check: below the threshold");
}

/// An account with a factor is never verified by its password alone: the
/// code is asked for after the right password only, and a missing, wrong
/// or replayed one is exit 4, recorded as `verify: …` and counted; a
/// current code or a recovery code (once) passes. No session starts.
fn a_factor_is_checked_as_login_checks_it(f: &mut Fixture) {
    f.user("alice");
    let codes = enrol(f, "alice");
    let sessions = f.session_count();

    let (wrong_password, asked) = verify_with(f, "alice", OTHER_PASSWORD, "", Some("000000"));
    assert_eq!((exit(wrong_password), asked), (4, 0));
    let (missing, asked) = verify_with(f, "alice", PASSWORD, "", None);
    assert_eq!((exit(missing), asked), (4, 1));
    let wrong = wrong_code(f, "alice");
    let (wrong, asked) = verify_with(f, "alice", PASSWORD, "", Some(&wrong));
    assert_eq!((exit(wrong), asked), (4, 1));
    assert_eq!(f.listing("alice").failures, 3);

    let code = next_code(f, "alice");
    let (passed, asked) = verify_with(f, "alice", PASSWORD, "", Some(&code));
    assert_eq!(passed.expect("the code").username, "alice");
    assert_eq!(asked, 1);
    assert_eq!(f.listing("alice").failures, 0);
    let (replayed, _) = verify_with(f, "alice", PASSWORD, "", Some(&code));
    assert_eq!(exit(replayed), 4);

    let (recovered, _) = verify_with(f, "alice", PASSWORD, "", Some(&codes[0]));
    recovered.expect("a recovery code");
    let (again, _) = verify_with(f, "alice", PASSWORD, "", Some(&codes[0]));
    assert_eq!(exit(again), 4);

    assert_eq!(
        f.details("alice", "mfa_failure"),
        [
            "verify: missing code",
            "verify: wrong code",
            "verify: replayed code",
            "verify: wrong recovery code"
        ]
    );
    assert_eq!(f.details("alice", "verify_success").len(), 2);
    assert_eq!(f.session_count(), sessions, "no session started");
}

/// A hash made at other parameters than the policy's is rewritten by a
/// passed check (with a `hash_upgrade` event) and the password still passes.
fn a_check_rewrites_an_old_hash(f: &mut Fixture) {
    let root = f.root();
    f.user("alice");
    let before = f.find("alice").password;
    accounts::set_policy(f.store.as_mut(), &root, "pbkdf2-iterations", 1_250_000).expect("policy");
    let user = verify(f, "alice", PASSWORD).expect("verified");
    let after = f.find("alice").password;
    assert_ne!(after, before);
    assert_eq!(user.password, after);
    assert!(after.starts_with("pbkdf2_sha256$1250000$"), "{after}");
    assert_eq!(f.details("alice", "hash_upgrade").len(), 1);
    verify(f, "alice", PASSWORD).expect("the rewritten hash");
    assert_eq!(f.details("alice", "hash_upgrade").len(), 1, "once");
}

/// PAM's one answer: for an account with a factor, the code's digits at
/// its end are the code; otherwise (or when it ends in fewer digits) the
/// whole answer is the password.
fn one_answer_splits_into_password_and_code(f: &mut Fixture) {
    f.user("alice");
    f.user("bob");
    enrol(f, "alice");
    let answer = format!("{PASSWORD}123456");
    let split = |f: &Fixture, name: &str, answer: &str| {
        accounts::split_answer(f.store.as_ref(), name, answer)
            .map(|(p, c)| (p.to_owned(), c.map(str::to_owned)))
            .expect("split")
    };
    assert_eq!(
        split(f, "alice", &answer),
        (PASSWORD.to_owned(), Some("123456".to_owned()))
    );
    assert_eq!(split(f, "bob", &answer), (answer.clone(), None));
    assert_eq!(split(f, "nobody", &answer), (answer.clone(), None));
    assert_eq!(split(f, "alice", PASSWORD), (PASSWORD.to_owned(), None));
    let code = next_code(f, "alice");
    let (password, code) = split(f, "alice", &format!("{PASSWORD}{code}"));
    let (passed, _) = verify_with(f, "alice", &password, "", code.as_deref());
    passed.expect("the split answer");
}

/// Under `mfa-required`, an account it covers without a confirmed factor is
/// refused after the right password only (exit 9, one line naming the policy
/// and the commands that enrol one), recorded as a `verify_failure` with its
/// origin, its count cleared as a login clears it (never grown), its old hash
/// left alone; once it has a factor, the password and a code pass. Under
/// `none` its password passes, and `admins` covers only admins.
fn the_policy_refuses_an_account_that_must_enrol_a_factor(f: &mut Fixture) {
    let root = f.root();
    f.user("alice");
    let origin = "PAM service \"ftp\"";
    verify(f, "alice", PASSWORD).expect("policy none: the password passes");
    verify(f, "root", PASSWORD).expect("policy none: an admin's too");
    accounts::set_policy(f.store.as_mut(), &root, "mfa-required", 1).expect("policy");
    verify(f, "alice", PASSWORD).expect("admins: not asked of alice");
    assert_eq!(exit(verify(f, "root", PASSWORD)), 9);
    accounts::set_policy(f.store.as_mut(), &root, "mfa-required", 2).expect("policy");
    accounts::set_policy(f.store.as_mut(), &root, "pbkdf2-iterations", 1_250_000).expect("policy");
    let hash = f.find("alice").password;
    let before = f.details("alice", "verify_success").len();

    // A wrong password gets the usual answer: nothing about the factor.
    let (wrong, asked) = verify_with(f, "alice", OTHER_PASSWORD, origin, None);
    let wrong = wrong.expect_err("wrong");
    assert_eq!((wrong.exit_code(), asked), (4, 0));
    assert!(!wrong.to_string().contains("factor"), "{wrong}");
    assert_eq!(f.listing("alice").failures, 1);

    for _ in 0..2 {
        let (refused, asked) = verify_with(f, "alice", PASSWORD, origin, Some("000000"));
        assert_eq!(asked, 0, "no code asked of an account without a factor");
        let refused = refused.expect_err("refused");
        assert!(matches!(refused, Error::NotPermitted(_)), "{refused:?}");
        assert_eq!(refused.exit_code(), 9);
        assert_eq!(
            refused.to_string(),
            "the policy mfa-required requires a second factor for alice, who has none yet; \
             until one is enrolled with `latch login` then `latch mfa enable`, verify \
             refuses the account"
        );
        // The right password cleared the count, as a login clears it.
        assert_eq!(f.listing("alice").failures, 0);
    }
    assert_eq!(
        f.details("alice", "verify_failure"),
        [
            "wrong password; PAM service \"ftp\"",
            "second factor required by policy; PAM service \"ftp\"",
            "second factor required by policy; PAM service \"ftp\"",
        ]
    );
    assert_eq!(f.details("alice", "verify_success").len(), before);
    assert_eq!(f.find("alice").password, hash, "no hash rewritten");
    assert!(f.details("alice", "hash_upgrade").is_empty());
    assert_eq!(f.session_count(), 0);

    // Login lets alice in, to enrol; then verify takes the password and a code.
    enrol(f, "alice");
    let (missing, _) = verify_with(f, "alice", PASSWORD, "", None);
    assert_eq!(exit(missing), 4);
    let code = next_code(f, "alice");
    let (passed, asked) = verify_with(f, "alice", PASSWORD, "", Some(&code));
    assert_eq!(passed.expect("password and code").username, "alice");
    assert_eq!(asked, 1);
}

accounts_tests!(
    the_right_password_passes_without_a_session,
    failures_look_alike_and_name_their_origin,
    checks_and_logins_share_the_lockout,
    a_factor_is_checked_as_login_checks_it,
    a_check_rewrites_an_old_hash,
    one_answer_splits_into_password_and_code,
    the_policy_refuses_an_account_that_must_enrol_a_factor,
);
