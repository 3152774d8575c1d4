//! The rules of the second factor: enrolling and confirming a TOTP factor,
//! checking a code after the password (`check_second_factor`, the one entry
//! point for every command that authenticates), recovery codes, disabling,
//! an admin's reset, and the `mfa-required` policy.
//!
//! A failed code is a failed login: the attempt `authenticate` counted stays
//! counted, the answer is the one a wrong password gets, and the event says
//! why. A code is accepted at most once (django-otp's `last_t`), and a
//! recovery code once. Codes are never logged, stored or echoed back.

use super::{Authenticated, Current, failed, find_user, require_admin};
use crate::audit::{AuditEvent, EventKind};
use crate::error::{Error, Problem, Result};
use crate::mfa::recovery::{self, RecoveryCode};
use crate::mfa::totp::{self, Check, TotpState};
use crate::mfa::{Code, parse_code, qr};
use crate::policy::Policy;
use crate::store::{AcceptedCode, AccountStore, Factor, FactorSummary, Failures, User};
use crate::timestamp;

/// A confirmed factor found by `authenticate`, with the attempt it counted:
/// what `check_second_factor` needs to accept a code or fail the login.
#[derive(Debug)]
pub(super) struct PendingFactor {
    pub factor: Factor,
    pub failures: Failures,
    pub now: i64,
    /// The name as typed, for the lock's hint.
    pub typed: String,
    /// The folded name whose failures are counted.
    pub key: String,
    /// Time steps of drift accepted (policy `mfa-drift-steps`).
    pub tolerance: u32,
}

impl Authenticated {
    /// Whether the account has a second factor whose code must still be
    /// checked with `check_second_factor` before a session can start.
    pub fn needs_code(&self) -> bool {
        self.second_factor.is_some()
    }

    /// The digits of the code the account's factor makes, when it has one.
    pub fn code_digits(&self) -> Option<u8> {
        self.second_factor.as_ref().map(|p| p.factor.totp.digits)
    }
}

/// The second half of authentication, after `authenticate`: for an account
/// with a confirmed factor, checks `code` (a code from the app or a recovery
/// code) and only then forgets the failed logins; for one without, returns
/// `authenticated` as it is. A missing, malformed, wrong or replayed code is
/// the same error as a wrong password (exit 4), counted toward the lockout,
/// with the reason in the audit trail (`purpose`, e.g. "login", names the
/// command there). `login`, `passwd` and `mfa disable` call it; any command
/// that checks a password as login does should too.
pub fn check_second_factor(
    store: &mut dyn AccountStore,
    mut authenticated: Authenticated,
    code: Option<&str>,
    purpose: &str,
) -> Result<Authenticated> {
    let Some(pending) = authenticated.second_factor.take() else {
        return Ok(authenticated);
    };
    let user = &authenticated.user;
    let now = timestamp::now();
    let parsed = match code.map(|code| parse_code(code, pending.factor.totp.digits)) {
        None => Err("missing code"),
        Some(Err(_)) => Err("malformed code"),
        Some(Ok(parsed)) => Ok(parsed),
    };
    let outcome = match parsed {
        Err(reason) => Err(reason),
        Ok(Code::Totp(code)) => {
            match totp::check(&pending.factor.totp, &code, now, pending.tolerance) {
                Check::Accepted { t, drift } => Ok((
                    AcceptedCode::Totp {
                        previous_last_t: pending.factor.totp.last_t,
                        t,
                        drift,
                    },
                    None,
                )),
                Check::Replayed => Err("replayed code"),
                Check::Wrong => Err("wrong code"),
            }
        }
        Ok(Code::Recovery(code)) => {
            let stored = store.recovery_codes(user.id)?;
            match recovery::find(&code, &stored) {
                Some(id) => {
                    let left = stored.len() - 1;
                    let event = AuditEvent::by_self(
                        EventKind::MfaRecoveryCodeUsed,
                        &user.username,
                        user.id,
                    )
                    .detail(format!("{purpose}; {left} left"));
                    Ok((AcceptedCode::Recovery { id }, Some(event)))
                }
                None => Err("wrong recovery code"),
            }
        }
    };
    let reason = match outcome {
        Ok((accepted, event)) => {
            let events: Vec<AuditEvent> = event.into_iter().collect();
            if store.accept_code(user.id, &pending.key, accepted, now, &events)? {
                return Ok(authenticated);
            }
            // Another command took the same code a moment ago.
            "replayed code"
        }
        Err(reason) => reason,
    };
    let event = AuditEvent::new(EventKind::MfaFailure, &user.username, Some(user.id))
        .detail(format!("{purpose}: {reason}"));
    Err(failed(
        store,
        pending.failures,
        pending.now,
        event,
        &pending.typed,
    )?)
}

/// What `mfa enable` shows once: the secret three ways.
pub struct Enrolment {
    pub secret: zeroize::Zeroizing<String>,
    pub otpauth_uri: zeroize::Zeroizing<String>,
    /// The URI as a QR code of Unicode half blocks; `None` when it would not
    /// fit an 80-column terminal.
    pub qr: Option<String>,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrolment(<redacted>)")
    }
}

/// The label of the factor in the app: the username and the store.
fn label(username: &str, store: &str) -> String {
    let full = format!("{username} ({store})");
    // Long store paths make a QR code too wide: the file name says enough.
    let short = std::path::Path::new(store)
        .file_name()
        .map(|name| format!("{username} ({})", name.to_string_lossy()));
    match short {
        Some(short) if full.len() > 80 => short,
        _ => full,
    }
}

fn has_factor_already(username: &str) -> Error {
    Error::Conflicts(vec![
        Problem::new("mfa", format!("{username} has a second factor already"))
            .with_hint("disable it first with `latch mfa disable`"),
    ])
}

/// Begins enrolment for the logged-in user, after checking their password
/// again: a fresh 160-bit secret, pending until `confirm_enrolment`
/// accepts a code of it (a pending one from before is replaced). Nothing
/// changes for logins until then.
pub fn begin_enrolment(
    store: &mut dyn AccountStore,
    current: &Current,
    password: &str,
    store_name: &str,
) -> Result<Enrolment> {
    let user = &current.user;
    if store.factor_summary(user.id)?.confirmed {
        return Err(has_factor_already(&user.username));
    }
    super::authenticate(store, &user.username, password)?;
    let state = TotpState::generate()?;
    let otpauth_uri = state.otpauth_uri(&label(&user.username, store_name))?;
    let factor = Factor {
        user_id: user.id,
        totp: state,
        confirmed: false,
        created_at: timestamp::now(),
        confirmed_at: None,
    };
    let event = AuditEvent::by_self(EventKind::MfaEnrol, &user.username, user.id);
    store.set_pending_factor(&factor, &event)?;
    Ok(Enrolment {
        secret: factor.totp.base32(),
        qr: qr::render(&otpauth_uri),
        otpauth_uri,
    })
}

/// Confirms the logged-in user's pending factor with a current code of it,
/// and returns the ten recovery codes (shown once; only their hashes are
/// kept). A code that is not a code at all is invalid input (exit 3) and
/// writes nothing; a wrong one is exit 4 and is recorded.
pub fn confirm_enrolment(
    store: &mut dyn AccountStore,
    current: &Current,
    code: &str,
) -> Result<Vec<RecoveryCode>> {
    let user = &current.user;
    let factor = match store.factor(user.id)? {
        Some(factor) if !factor.confirmed => factor,
        Some(_) => return Err(has_factor_already(&user.username)),
        None => {
            return Err(Error::InvalidInput(vec![
                Problem::new(
                    "mfa",
                    format!("{} has no second factor to confirm", user.username),
                )
                .with_hint("begin with `latch mfa enable`"),
            ]));
        }
    };
    let code = match parse_code(code, factor.totp.digits) {
        Ok(Code::Totp(code)) => code,
        Ok(Code::Recovery(_)) | Err(_) => {
            return Err(Error::invalid(
                "code",
                format!("a code from the app is {} digits", factor.totp.digits),
            ));
        }
    };
    let now = timestamp::now();
    let tolerance = store.policy()?.mfa_drift_steps;
    let Check::Accepted { t, drift } = totp::check(&factor.totp, &code, now, tolerance) else {
        store.record(
            &AuditEvent::by_self(EventKind::MfaFailure, &user.username, user.id)
                .detail("confirm: wrong code"),
        )?;
        return Err(Error::not_authenticated(
            "the code is not a current code of the new second factor",
            Some("type the code the app shows now; check that the clock of this machine and of the phone are right".into()),
        ));
    };
    let codes = recovery::generate()?;
    let hashes: Vec<[u8; 32]> = codes.iter().map(RecoveryCode::hash).collect();
    let event = AuditEvent::by_self(EventKind::MfaConfirm, &user.username, user.id)
        .detail(format!("{} recovery codes", codes.len()));
    store.confirm_factor(
        user.id,
        &factor.totp.key,
        AcceptedCode::Totp {
            previous_last_t: factor.totp.last_t,
            t,
            drift,
        },
        &hashes,
        now,
        &event,
    )?;
    Ok(codes)
}

/// The password and code checks of `mfa disable` and `recovery-codes
/// --regenerate`: the logged-in user's password again, then their factor.
fn reauthenticate(
    store: &mut dyn AccountStore,
    current: &Current,
    password: &str,
    code: Option<&str>,
    purpose: &str,
) -> Result<()> {
    let authenticated = super::authenticate(store, &current.user.username, password)?;
    check_second_factor(store, authenticated, code, purpose)?;
    Ok(())
}

fn no_factor(username: &str) -> Error {
    Error::InvalidInput(vec![
        Problem::new("mfa", format!("{username} has no second factor"))
            .with_hint("enrol one with `latch mfa enable`"),
    ])
}

/// Removes the logged-in user's factor (confirmed or pending) and recovery
/// codes, after their password and (for a confirmed one) a code.
pub fn disable_factor(
    store: &mut dyn AccountStore,
    current: &Current,
    password: &str,
    code: Option<&str>,
) -> Result<()> {
    let user = &current.user;
    if store.factor(user.id)?.is_none() {
        return Err(no_factor(&user.username));
    }
    reauthenticate(store, current, password, code, "mfa disable")?;
    let event = AuditEvent::by_self(EventKind::MfaDisable, &user.username, user.id);
    store.remove_factor(user.id, false, &event)?;
    Ok(())
}

/// A new set of recovery codes for the logged-in user, voiding the old one,
/// after their password and a code.
pub fn regenerate_recovery_codes(
    store: &mut dyn AccountStore,
    current: &Current,
    password: &str,
    code: Option<&str>,
) -> Result<Vec<RecoveryCode>> {
    let user = &current.user;
    if !store.factor_summary(user.id)?.confirmed {
        return Err(no_factor(&user.username));
    }
    reauthenticate(store, current, password, code, "recovery-codes")?;
    let codes = recovery::generate()?;
    let hashes: Vec<[u8; 32]> = codes.iter().map(RecoveryCode::hash).collect();
    let event = AuditEvent::by_self(
        EventKind::MfaRecoveryCodesRegenerated,
        &user.username,
        user.id,
    )
    .detail(format!("{} recovery codes", codes.len()));
    store.replace_recovery_codes(user.id, &hashes, &event)?;
    Ok(codes)
}

/// Removes another user's factor (admins only), for a lost phone, and ends
/// every session of theirs. Returns the user, whether they had a factor,
/// and how many sessions ended.
pub fn reset_factor(
    store: &mut dyn AccountStore,
    admin: &User,
    name: &str,
) -> Result<(User, bool, usize)> {
    require_admin(admin)?;
    let user = find_user(store, name)?;
    let event = AuditEvent::new(EventKind::MfaReset, &user.username, Some(user.id))
        .actor(&admin.username, admin.id);
    let (removed, ended) = store.remove_factor(user.id, true, &event)?;
    Ok((user, removed, ended))
}

/// Whether `user` has a factor, and how many recovery codes are left.
pub fn factor_status(store: &dyn AccountStore, user: &User) -> Result<FactorSummary> {
    store.factor_summary(user.id)
}

/// Whether the policy `mfa-required` asks `user` for a factor they have not
/// confirmed: such an account can log in only to enrol one.
pub fn enrolment_required(store: &dyn AccountStore, user: &User) -> Result<bool> {
    Ok(must_enrol(
        &store.policy()?,
        user,
        store.factor_summary(user.id)?.confirmed,
    ))
}

/// The rule of `enrolment_required`, over a policy and whether `user` has
/// a confirmed factor already read.
pub(super) fn must_enrol(policy: &Policy, user: &User, has_factor: bool) -> bool {
    policy.mfa_required.applies_to(user.is_superuser) && !has_factor
}

/// The commands an account that must enrol a factor can still run.
pub const FACTOR_COMMANDS: &str = "`latch mfa enable`, `mfa confirm`, `mfa status` and `logout`";

/// Refuses (exit 9) a user who must enrol a factor first.
pub fn require_enrolled(store: &dyn AccountStore, user: &User) -> Result<()> {
    if enrolment_required(store, user)? {
        return Err(Error::NotPermitted(format!(
            "the policy requires a second factor for {}, who has none yet; until one is \
             enrolled only {FACTOR_COMMANDS} work",
            user.username
        )));
    }
    Ok(())
}
