//! Checking a password, for a login or for another program (`verify`,
//! PAM): one answer for every failure after about one hash, the lockout
//! counted before the hash, old hashes rewritten.

use zeroize::Zeroizing;

use crate::audit::{AuditEvent, EventKind};
use crate::error::{Error, Result};
use crate::password::{self, Pbkdf2Sha256, Verdict};
use crate::policy::Policy;
use crate::session::{self};
use crate::store::{AccountStore, Attempt, Failures, Rehash, User};
use crate::{timestamp, validate};

use super::{check_second_factor, name_key, second_factor};

/// The one answer to every failed login.
fn invalid_credentials() -> Error {
    Error::not_authenticated("invalid username, password or code", None)
}

/// A user whose password was just checked.
#[derive(Debug)]
pub struct Authenticated {
    pub user: User,
    /// The password hashed at the policy's parameters, when the stored hash
    /// has others: written with the new session.
    pub(super) rehash: Option<String>,
    pub(super) session_age: i64,
    /// The account's confirmed second factor, still to be checked
    /// (`check_second_factor`) before a session can start.
    pub(super) second_factor: Option<second_factor::PendingFactor>,
    /// Whether the policy `mfa-required` asks the account for a factor it
    /// has not confirmed (`second_factor::enrolment_required`), as the
    /// policy and factor the check read say.
    pub(super) enrolment_required: bool,
}

/// Why a password is checked: the events the check leaves say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose<'a> {
    /// `login`, and the commands that check the logged-in user's password again.
    Login,
    /// `verify`: another program asks, and no session follows. `origin` (the
    /// PAM service and remote host, or nothing) is added to each event's detail.
    Verify { origin: &'a str },
}

impl Purpose<'_> {
    /// The detail of an event of this check: `reason`, and where it came from.
    fn detail(self, reason: &str) -> String {
        match (self, reason) {
            (Purpose::Login | Purpose::Verify { origin: "" }, reason) => reason.to_owned(),
            (Purpose::Verify { origin }, "") => origin.to_owned(),
            (Purpose::Verify { origin }, reason) => format!("{reason}; {origin}"),
        }
    }

    /// The event of a failed check: a failed login, or a failed verify.
    fn failure(self, subject: &str, user_id: Option<i64>, reason: &str) -> AuditEvent {
        let kind = match self {
            Purpose::Login => EventKind::LoginFailure,
            Purpose::Verify { .. } => EventKind::VerifyFailure,
        };
        AuditEvent::new(kind, subject, user_id).detail(self.detail(reason))
    }
}

/// Checks a username and password for a login: `check_password`, whose
/// events are logins.
pub fn authenticate(
    store: &mut dyn AccountStore,
    username: &str,
    password: &str,
) -> Result<Authenticated> {
    check_password(store, username, password, Purpose::Login)
}

/// Checks a username and password. Every failure costs about one hash (two
/// when the password as typed is not in NFKC form) and gives the same error;
/// the store's events keep the real reason. A hash Django made of the
/// password as typed is accepted too, and rewritten normalized. A name
/// locked by too many failures is refused (exit 5) before any hash is
/// computed, even with the right password. An empty or overlong name, which
/// no account can have, is invalid input (exit 3) and touches nothing.
/// Failures count towards the same lockout whatever the `purpose`.
fn check_password(
    store: &mut dyn AccountStore,
    username: &str,
    password: &str,
    purpose: Purpose<'_>,
) -> Result<Authenticated> {
    // A name no account can have is an input error, kept out of the audit
    // trail and the lockout.
    validate::login_name(username).map_err(Error::InvalidInput)?;
    let policy = store.policy()?;
    let key = validate::fold(username);
    let user = store.user_by_key(&key)?;
    // Events name the account as it is spelt in the store, or the name as typed.
    let subject = user
        .as_ref()
        .map_or(username, |u| u.username.as_str())
        .to_owned();
    let user_id = user.as_ref().map(|u| u.id);

    // Count the attempt as a failure before checking the password: attempts
    // made at once then find the lock set by the one that reached it.
    let now = timestamp::now();
    let lock_until = |count| {
        policy
            .lock_seconds(count)
            .map(|seconds| now.saturating_add(seconds))
    };
    let failures = match store.begin_attempt(&key, now, &lock_until)? {
        Attempt::Locked { until } => {
            store.record(&purpose.failure(&subject, user_id, "locked"))?;
            // The name as typed: the stored spelling would tell that it exists.
            return Err(Error::LockedOut {
                username: username.to_owned(),
                retry_after: until - now,
            });
        }
        Attempt::Counted(failures) => failures,
    };

    // latch hashes the NFKC form; Django hashes the password as typed. When
    // the two differ, both are checked, whatever the account and whatever the
    // first answer, so the time taken depends on what was typed only (see
    // ARCHITECTURE.md, "Decisions").
    let typed = password;
    let password = Zeroizing::new(validate::nfkc(typed));
    let differs = *password != typed;
    let iterations = policy.pbkdf2_iterations;
    let verdict = match &user {
        Some(user) => {
            let normalized = password::verify(&password, &user.password, iterations).verdict;
            let as_typed =
                differs.then(|| password::verify(typed, &user.password, iterations).verdict);
            match (normalized, as_typed) {
                (Verdict::Valid { .. }, _) => normalized,
                // Django's hash of the form as typed: rewrite it normalized.
                (_, Some(Verdict::Valid { .. })) => Verdict::Valid { must_update: true },
                _ => Verdict::Invalid,
            }
        }
        None => {
            password::spend_one_hash(&password, iterations);
            if differs {
                password::spend_one_hash(typed, iterations);
            }
            Verdict::Invalid
        }
    };
    let failure = match (&user, verdict) {
        (None, _) => Some("unknown user"),
        (Some(user), _) if !user.is_active => Some("disabled"),
        (Some(user), Verdict::Invalid) if user.password.starts_with(password::UNUSABLE_PREFIX) => {
            Some("unusable password")
        }
        (Some(user), Verdict::Invalid) if password::StoredHash::parse(&user.password).is_none() => {
            Some("unrecognized password hash")
        }
        (Some(_), Verdict::Invalid) => Some("wrong password"),
        (Some(_), Verdict::Valid { .. }) => None,
    };
    let (Some(user), None) = (user, failure) else {
        let event = purpose.failure(&subject, user_id, failure.unwrap_or_default());
        return Err(failed(store, failures, now, event, username)?);
    };
    // A success resets the count, even if the session then cannot start;
    // with a second factor, only once its code is right too.
    let factor = store.factor(user.id)?.filter(|factor| factor.confirmed);
    if factor.is_none() {
        store.reset_failures(&key)?;
    }

    let rehash = match verdict {
        Verdict::Valid { must_update: true } => {
            Some(Pbkdf2Sha256::new(&password, policy.pbkdf2_iterations)?.encode())
        }
        _ => None,
    };
    let enrolment_required = second_factor::must_enrol(&policy, &user, factor.is_some());
    let second_factor = factor.map(|factor| second_factor::PendingFactor {
        factor,
        failures,
        now,
        typed: username.to_owned(),
        key,
        tolerance: policy.mfa_drift_steps,
    });
    Ok(Authenticated {
        user,
        rehash,
        session_age: policy.session_age,
        second_factor,
        enrolment_required,
    })
}

/// Records a failed attempt (already counted) and returns its error, which
/// says so when this failure locked the name.
pub(super) fn failed(
    store: &mut dyn AccountStore,
    failures: Failures,
    now: i64,
    event: AuditEvent,
    typed: &str,
) -> Result<Error> {
    let subject = event.subject.clone();
    let user_id = event.user_id;
    store.record(&event)?;
    let Some(until) = failures.locked_until else {
        return Ok(invalid_credentials());
    };
    let seconds = until - now;
    store.record(
        &AuditEvent::new(EventKind::Lock, &subject, user_id).detail(format!(
            "{} consecutive failures; locked for {seconds} s",
            failures.count
        )),
    )?;
    Ok(Error::not_authenticated(
        "invalid username, password or code",
        Some(format!(
            "after {} failed attempts, {typed:?} is locked for {}",
            failures.count,
            crate::error::human_seconds(seconds)
        )),
    ))
}

/// Checks a username and password for another program (`verify`, PAM) as a
/// login checks them: the same answers, time, lockout and hash upgrade, but
/// no session and no token store. `origin` says who asked, for the audit
/// trail. The check is confirmed in the store (the user still active, with
/// the hash the password was checked against) with its events; returns the
/// user as the store now has them.
///
/// For an account with a confirmed second factor, `code` is asked for the
/// code (after the right password, as `login` asks), and it is checked by
/// `check_second_factor` like a login's: no factor is ever skipped.
/// An account the policy `mfa-required` asks for a factor it has not
/// enrolled is refused after the right password (exit 9), never verified.
pub fn verify(
    store: &mut dyn AccountStore,
    username: &str,
    password: &str,
    origin: &str,
    code: &mut dyn FnMut() -> Result<Option<Zeroizing<String>>>,
) -> Result<User> {
    let purpose = Purpose::Verify { origin };
    let authenticated = check_password(store, username, password, purpose)?;
    if authenticated.enrolment_required {
        return Err(required_factor_refusal(
            store,
            &authenticated.user,
            purpose,
        )?);
    }
    let authenticated = if authenticated.needs_code() {
        let code = code()?;
        check_second_factor(
            store,
            authenticated,
            code.as_deref().map(|c| c.as_str()),
            &purpose.detail("verify"),
        )?
    } else {
        authenticated
    };
    // Every field named: anything more a check may leave to do must stop
    // this from compiling, never be dropped unchecked.
    let Authenticated {
        mut user,
        rehash,
        session_age: _,
        second_factor,
        enrolment_required: _,
    } = authenticated;
    if second_factor.is_some() {
        return Err(Error::Internal("a second factor was left unchecked".into()));
    }
    let mut events = vec![
        AuditEvent::by_self(EventKind::VerifySuccess, &user.username, user.id)
            .detail(purpose.detail("")),
    ];
    let rehash = rehash.map(|password| {
        events.push(hash_upgrade_event(&user, &password));
        Rehash {
            binding: session::password_binding(&password),
            previous_binding: session::password_binding(&user.password),
            password,
        }
    });
    store.confirm_check(user.id, &user.password, rehash.as_ref(), &events)?;
    if let Some(rehash) = rehash {
        user.password = rehash.password;
    }
    Ok(user)
}

/// The refusal (exit 9), recorded, of a check of an account the policy
/// `mfa-required` asks for a second factor it has not enrolled: such an
/// account can log in only to enrol one, so its password alone passes no
/// check either. It comes after
/// the right password only, so that the answer tells nothing to whoever does
/// not know it, and it is recorded as a failed check. The attempt is not
/// counted toward the lockout: the right password has already cleared the
/// count, as a login of the same account clears it (that login succeeds, to
/// enrol), so the owner is never locked out of the login that enrols the
/// factor. No old hash is rewritten: the check did not pass.
fn required_factor_refusal(
    store: &mut dyn AccountStore,
    user: &User,
    purpose: Purpose<'_>,
) -> Result<Error> {
    store.record(&purpose.failure(
        &user.username,
        Some(user.id),
        "second factor required by policy",
    ))?;
    Ok(Error::NotPermitted(format!(
        "the policy mfa-required requires a second factor for {}, who has none yet; until one \
         is enrolled with `latch login` then `latch mfa enable`, verify refuses the account",
        user.username
    )))
}

/// One answer that holds the password and then the code (PAM's one prompt,
/// as OpenVPN and LinOTP users type it), split: when `username` has a
/// confirmed second factor and the answer ends in as many digits as its
/// codes have, those digits are the code; otherwise the whole answer is the
/// password (and a factor's code is then missing, a failed check).
pub fn split_answer<'a>(
    store: &dyn AccountStore,
    username: &str,
    answer: &'a str,
) -> Result<(&'a str, Option<&'a str>)> {
    let Some(user) = store.user_by_key(&name_key(username)?)? else {
        return Ok((answer, None));
    };
    let Some(factor) = store.factor(user.id)?.filter(|f| f.confirmed) else {
        return Ok((answer, None));
    };
    let at = answer
        .len()
        .checked_sub(usize::from(factor.totp.digits))
        .filter(|&at| {
            at > 0
                && answer.is_char_boundary(at)
                && answer[at..].bytes().all(|b| b.is_ascii_digit())
        });
    Ok(match at {
        Some(at) => (&answer[..at], Some(&answer[at..])),
        None => (answer, None),
    })
}

/// The event of a hash rewritten at the policy's parameters.
pub(super) fn hash_upgrade_event(user: &User, rehash: &str) -> AuditEvent {
    AuditEvent::by_self(EventKind::HashUpgrade, &user.username, user.id).detail(format!(
        "from {} to {}",
        password::describe(&user.password).in_audit(),
        password::describe(rehash).in_audit()
    ))
}

/// The answer when there is no store at `location`: no such user, after the
/// same time a check of `password` takes.
pub fn no_store(password: &str, location: &crate::store::StoreLocation) -> Error {
    password::spend_one_hash(password, Policy::default().pbkdf2_iterations);
    Error::not_authenticated(
        "invalid username, password or code",
        Some(format!(
            "there is no account store at {location} yet: register first, or pass --db"
        )),
    )
}
