//! What latch does with accounts and sessions: register, log in, check a
//! password for another program (verify), find who is logged in, log out,
//! change a password, lock and unlock names, grant and revoke admin, read the
//! audit trail. The rules live here; the SQL lives in
//! `store` and the keyring calls in `token_store`.
//!
//! Invariants kept here: a login answers an unknown user, a wrong password and
//! a disabled account with one message after about one hash's time; a locked
//! name is refused before any hash is computed; a session row is committed only
//! once its token is in the token store; a stale token is removed from the
//! token store as soon as it is found.

use zeroize::Zeroizing;

use crate::audit::{AuditEvent, EventKind, RecordedEvent};
use crate::error::{Error, Problem, Result};
use crate::password::{self, Pbkdf2Sha256, Verdict};
use crate::policy::Policy;
use crate::session::{self, SessionToken, TokenHash};
use crate::store::{
    AccountStore, Attempt, EventFilter, Failures, NewSession, NewUser, Rehash, Session,
    SessionListing, Sessions, User, UserListing,
};
use crate::token_store::{PendingLoad, TokenStore};
use crate::{timestamp, validate};

mod second_factor;
mod store_copy;
pub use second_factor::{
    Enrolment, FACTOR_COMMANDS, begin_enrolment, check_second_factor, confirm_enrolment,
    disable_factor, enrolment_required, factor_status, regenerate_recovery_codes, require_enrolled,
    reset_factor,
};
pub use store_copy::{CopySummary, copy_store};

/// What `register` is given, as typed.
#[derive(Debug)]
pub struct Registration<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    /// The second entry at a prompt; `None` when there was no prompt.
    pub confirmation: Option<&'a str>,
    pub admin: Admin,
}

/// Whether, and on what authority, a new account is an admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admin {
    No,
    /// The first admin of a store that has none.
    Bootstrap,
    /// Granted by a logged-in admin.
    GrantedByAdmin,
}

/// A registration whose every field passed the policy, normalized.
#[derive(Debug)]
pub struct CheckedRegistration {
    username: String,
    email: String,
    password: Zeroizing<String>,
    admin: Admin,
}

/// Checks every field of a registration and reports every problem at once.
pub fn check_registration(
    registration: &Registration<'_>,
    policy: &Policy,
) -> Result<CheckedRegistration> {
    let mut problems: Vec<Problem> = Vec::new();
    let username = validate::username(registration.username)
        .map_err(|p| problems.extend(p))
        .ok();
    let email = validate::email(registration.email)
        .map_err(|p| problems.extend(p))
        .ok();
    let password = Zeroizing::new(validate::nfkc(registration.password));
    problems.extend(check_new_password(
        &password,
        registration.confirmation,
        registration.password,
        policy,
        &[registration.username, registration.email],
    ));
    match (username, email) {
        (Some(username), Some(email)) if problems.is_empty() => Ok(CheckedRegistration {
            username,
            email,
            password,
            admin: registration.admin,
        }),
        _ => Err(Error::InvalidInput(problems)),
    }
}

/// The policy's problems with a new (normalized) password, and a mismatch
/// with its confirmation (compared as typed).
fn check_new_password(
    normalized: &str,
    confirmation: Option<&str>,
    typed: &str,
    policy: &Policy,
    user_inputs: &[&str],
) -> Vec<Problem> {
    let user_inputs: Vec<&str> = user_inputs
        .iter()
        .copied()
        .filter(|s| !s.is_empty())
        .collect();
    let mut problems = validate::password(normalized, policy, &user_inputs);
    if confirmation.is_some_and(|confirmation| confirmation != typed) {
        problems.push(Problem::new("password", "the two entries do not match"));
    }
    problems
}

/// Creates a checked account, failing with a conflict that names the username
/// or email that is taken (exit 6). `actor` is the admin who creates an admin.
/// The account is ready to log in: its `Authenticated` starts a session
/// without asking for the password again.
pub fn register(
    store: &mut dyn AccountStore,
    registration: CheckedRegistration,
    actor: Option<&User>,
) -> Result<Authenticated> {
    let policy = store.policy()?;
    let CheckedRegistration {
        username,
        email,
        password,
        admin,
    } = registration;
    let hash = Pbkdf2Sha256::new(&password, policy.pbkdf2_iterations)?;
    let user = NewUser {
        username_key: validate::fold(&username),
        email_key: validate::email_key(&email),
        username,
        email,
        password: hash.encode(),
        first_name: String::new(),
        last_name: String::new(),
        is_active: true,
        is_staff: false,
        is_superuser: admin != Admin::No,
        date_joined: timestamp::django(timestamp::now()),
        last_login: None,
    };
    let mut event =
        AuditEvent::new(EventKind::Register, &user.username, None).detail(match admin {
            Admin::No => "",
            Admin::Bootstrap => "first admin",
            Admin::GrantedByAdmin => "admin",
        });
    if let Some(actor) = actor {
        event = event.actor(&actor.username, actor.id);
    }
    let user = store.insert_user(&user, &event, admin == Admin::Bootstrap)?;
    Ok(Authenticated {
        user,
        rehash: None,
        session_age: policy.session_age,
        second_factor: None,
    })
}

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
    rehash: Option<String>,
    session_age: i64,
    /// The account's confirmed second factor, still to be checked
    /// (`check_second_factor`) before a session can start.
    second_factor: Option<second_factor::PendingFactor>,
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
    })
}

/// Records a failed attempt (already counted) and returns its error, which
/// says so when this failure locked the name.
fn failed(
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
pub fn verify(
    store: &mut dyn AccountStore,
    username: &str,
    password: &str,
    origin: &str,
    code: &mut dyn FnMut() -> Result<Option<Zeroizing<String>>>,
) -> Result<User> {
    let purpose = Purpose::Verify { origin };
    let authenticated = check_password(store, username, password, purpose)?;
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
fn hash_upgrade_event(user: &User, rehash: &str) -> AuditEvent {
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

/// The key under which a store's token is kept (`StoreLocation::token_key`:
/// a file's absolute path; a database's server, name and schema).
pub fn token_key(location: &crate::store::StoreLocation) -> String {
    location.token_key()
}

/// A session that has begun.
#[derive(Debug)]
pub struct LoggedIn {
    pub user: User,
    pub session_id: i64,
    pub expires_at: i64,
}

/// Starts a session for an authenticated user, replacing this store's previous
/// session. The row is committed only after the token is in the token store.
///
/// `previous` is the read of this store's current token, begun with
/// `TokenStore::start_load` before the password was checked, so that the
/// keyring works while the hash runs.
pub fn start_session(
    store: &mut dyn AccountStore,
    tokens: &dyn TokenStore,
    key: &str,
    authenticated: Authenticated,
    previous: PendingLoad,
) -> Result<LoggedIn> {
    if authenticated.needs_code() {
        return Err(Error::Internal(
            "a session was started before the second factor was checked".into(),
        ));
    }
    let token = SessionToken::generate()?;
    let mut previous = previous.wait()?.map(|t| t.hash());
    let now = timestamp::now();
    let Authenticated {
        mut user,
        rehash,
        session_age,
        ..
    } = authenticated;
    let session = NewSession {
        user_id: user.id,
        token_hash: token.hash(),
        password_binding: session::password_binding(rehash.as_deref().unwrap_or(&user.password)),
        created_at: now,
        expires_at: now.saturating_add(session_age),
        host: crate::audit::host().to_owned(),
        login_time: timestamp::django(now),
        verified_password: user.password.clone(),
        rehash: rehash.clone().map(|password| Rehash {
            binding: session::password_binding(&password),
            password,
            previous_binding: session::password_binding(&user.password),
        }),
    };
    let mut events = vec![AuditEvent::by_self(
        EventKind::LoginSuccess,
        &user.username,
        user.id,
    )];
    if let Some(rehash) = &rehash {
        events.push(hash_upgrade_event(&user, rehash));
    }
    let mut saved = false;
    let mut races = 0;
    let result = loop {
        // Once the new token replaces the previous one in the token store,
        // nothing can use or end the previous session. End it first,
        // committed on its own: a crash between the token write and the
        // commit below then leaves an orphan token (the next whoami removes
        // it), never a session row whose token is gone.
        if let Some(previous) = &previous
            && let Some((session, _)) = store.session_by_token(previous)?
        {
            store.end_sessions(Sessions::One(session.id), None)?;
        }
        let mut raced = None;
        let result = store.start_session(&session, previous.as_ref(), &events, &mut || {
            // Under the store's write lock, which every login holds while it
            // writes its token: a login from this token store that committed
            // since `previous` was read has left its own token here.
            let kept = kept_hash(tokens, key)?;
            if kept.is_some() && kept != previous {
                raced = kept;
                return Err(Error::Internal("another login committed first".into()));
            }
            tokens.save(key, &token)?;
            saved = true;
            Ok(())
        });
        let Some(kept) = raced else {
            break result;
        };
        races += 1;
        if races > MAX_LOGIN_RACES {
            // Contention, like a store that stays locked: exit 8.
            return Err(Error::Store {
                path: store.location().to_string(),
                cause: format!(
                    "{races} other logins from this token store committed first; \
                     this one did not log in"
                ),
                hint: Some("try again once they are done".into()),
            });
        }
        // Replace that login's session instead, the same way.
        previous = Some(kept);
    };
    match result {
        Ok(session_id) => {
            if let Some(rehash) = rehash {
                user.password = rehash;
            }
            Ok(LoggedIn {
                user,
                session_id,
                expires_at: session.expires_at,
            })
        }
        Err(e) => {
            if saved {
                // The commit failed after the token was stored: take it back
                // (unless another login has replaced it since) so that no
                // token outlives its missing session.
                let _ = forget_token(Some(store), tokens, key, Some(&token.hash()));
            }
            Err(e)
        }
    }
}

/// How many times a login starts over because another login from the same
/// token store committed first; after that it gives up without a session.
const MAX_LOGIN_RACES: u32 = 8;

/// Removes the token kept for `key` if it is still `stale` (by its hash;
/// `None`: nothing usable), under the store's write lock. Every login holds
/// that lock while it writes its token, so the token of a login that
/// committed meanwhile stays, with its session.
fn forget_token(
    store: Option<&mut dyn AccountStore>,
    tokens: &dyn TokenStore,
    key: &str,
    stale: Option<&TokenHash>,
) -> Result<()> {
    let forget = || {
        if kept_hash(tokens, key)?.as_ref() == stale {
            tokens.remove(key)?;
        }
        Ok(())
    };
    let Some(store) = store else {
        // No store: no login to race with.
        return forget();
    };
    let mut ran = false;
    let locked = store.under_write_lock(&mut || {
        ran = true;
        forget()
    });
    match locked {
        // No lock (busy, read-only): the token stays. A stale token is
        // harmless, and the next whoami or logout tries again.
        Err(_) if !ran => Ok(()),
        result => result,
    }
}

/// The hash of the token kept for `key` now.
fn kept_hash(tokens: &dyn TokenStore, key: &str) -> Result<Option<TokenHash>> {
    Ok(tokens.load(key)?.map(|token| token.hash()))
}

/// The logged-in user and their session.
#[derive(Debug)]
pub struct Current {
    pub user: User,
    pub session: Session,
    /// The hash of the token this session was found by.
    pub token_hash: TokenHash,
}

fn not_logged_in() -> Error {
    Error::not_authenticated(
        "not logged in",
        Some("log in with `latch login USERNAME`".into()),
    )
}

/// Who is logged in on this store. A token whose session has ended (revoked,
/// expired, its password changed, its account disabled) is removed from the
/// token store, and the ended session from the account store.
pub fn current(
    store: Option<&mut dyn AccountStore>,
    tokens: &dyn TokenStore,
    key: &str,
) -> Result<Current> {
    current_by_token(store, tokens, key, kept_token(tokens, key)?)
}

/// The token kept for the store of `key`; not logged in (exit 4) without one.
pub fn kept_token(tokens: &dyn TokenStore, key: &str) -> Result<SessionToken> {
    tokens.load(key)?.ok_or_else(not_logged_in)
}

/// `current`, for a token already read from `tokens`.
pub fn current_by_token(
    store: Option<&mut dyn AccountStore>,
    tokens: &dyn TokenStore,
    key: &str,
    token: SessionToken,
) -> Result<Current> {
    let token_hash = token.hash();
    let Some(store) = store else {
        forget_token(None, tokens, key, Some(&token_hash))?;
        return Err(not_logged_in());
    };
    let Some((session, user)) = store.session_by_token(&token_hash)? else {
        forget_token(Some(store), tokens, key, Some(&token_hash))?;
        return Err(session_over("the session was ended"));
    };
    let ended = if session.expires_at <= timestamp::now() {
        Some("the session expired")
    } else if !session::binding_matches(&session.password_binding, &user.password) {
        Some("the password was changed")
    } else if !user.is_active {
        Some("the account is disabled")
    } else {
        None
    };
    if let Some(reason) = ended {
        store.end_sessions(Sessions::One(session.id), None)?;
        forget_token(Some(store), tokens, key, Some(&token_hash))?;
        return Err(session_over(reason));
    }
    let now = timestamp::now();
    if session
        .last_seen_at
        .is_none_or(|seen| now - seen >= LAST_SEEN_GRANULARITY)
    {
        store.touch_session(session.id, now)?;
    }
    Ok(Current {
        user,
        session,
        token_hash,
    })
}

/// Not logged in (exit 4) because the session is over, and why.
fn session_over(reason: &str) -> Error {
    Error::not_authenticated(
        format!("not logged in: {reason}"),
        Some("log in again with `latch login`".into()),
    )
}

/// A session's "last seen" time is written at most this often (seconds), so
/// that `whoami` in a loop does not write to the store every time.
const LAST_SEEN_GRANULARITY: i64 = 60;

/// Refuses (exit 9) a user who is not an admin.
pub fn require_admin(user: &User) -> Result<()> {
    if user.is_superuser {
        Ok(())
    } else {
        Err(Error::NotPermitted(format!(
            "this needs an admin, and {} is not one",
            user.username
        )))
    }
}

/// What `logout` did.
#[derive(Debug, PartialEq, Eq)]
pub enum LoggedOut {
    NotLoggedIn,
    Ended { username: String, sessions: usize },
}

/// Ends this store's session (or, with `all`, every session of its user) and
/// forgets the token. Not being logged in is not an error.
pub fn logout(
    store: Option<&mut dyn AccountStore>,
    tokens: &dyn TokenStore,
    key: &str,
    all: bool,
) -> Result<LoggedOut> {
    let Some(token_hash) = kept_hash(tokens, key)? else {
        // Whatever is kept under the key is not a usable token (not one of
        // latch's, or several): logging out leaves nothing behind.
        forget_token(store, tokens, key, None)?;
        return Ok(LoggedOut::NotLoggedIn);
    };
    let mut store = store;
    let found = match store.as_deref_mut() {
        Some(store) => store.session_by_token(&token_hash)?,
        None => None,
    };
    let Some((session, user)) = found else {
        forget_token(store, tokens, key, Some(&token_hash))?;
        return Ok(LoggedOut::NotLoggedIn);
    };
    let store = store.ok_or_else(|| Error::Internal("a session without a store".into()))?;
    let which = if all {
        Sessions::AllOf { user_id: user.id }
    } else {
        Sessions::One(session.id)
    };
    let event = AuditEvent::by_self(EventKind::Logout, &user.username, user.id).detail(if all {
        "all sessions"
    } else {
        ""
    });
    let sessions = store.end_sessions(which, Some(&event))?;
    forget_token(Some(store), tokens, key, Some(&token_hash))?;
    Ok(LoggedOut::Ended {
        username: user.username,
        sessions,
    })
}

/// What `passwd` is given, as typed.
#[derive(Debug)]
pub struct PasswordChange<'a> {
    pub current: &'a str,
    pub new: &'a str,
    pub confirmation: Option<&'a str>,
    /// The code of the account's second factor, when it has one.
    pub code: Option<&'a str>,
}

/// Changes the logged-in user's password after checking the current one
/// (failures count towards the lockout like a failed login). Every other
/// session of the user ends; the current one goes on. Returns how many ended.
pub fn change_password(
    store: &mut dyn AccountStore,
    current: &Current,
    change: &PasswordChange<'_>,
) -> Result<usize> {
    let policy = store.policy()?;
    let user = &current.user;
    let normalized = Zeroizing::new(validate::nfkc(change.new));
    let problems = check_new_password(
        &normalized,
        change.confirmation,
        change.new,
        &policy,
        &[&user.username, &user.email],
    );
    // Check the current password first: a wrong one must not learn whether the
    // new one would have passed.
    let verified = authenticate(store, &user.username, change.current)?;
    let verified = check_second_factor(store, verified, change.code, "passwd")?;
    if !problems.is_empty() {
        return Err(Error::InvalidInput(problems));
    }
    let hash = Pbkdf2Sha256::new(&normalized, policy.pbkdf2_iterations)?.encode();
    let binding = session::password_binding(&hash);
    let event = AuditEvent::by_self(EventKind::PasswordChange, &user.username, user.id);
    // Only over the hash just verified: not over one another command wrote since.
    store.change_password(
        user.id,
        &verified.user.password,
        &hash,
        Some(current.session.id),
        &binding,
        &event,
    )
}

/// Clears the failed logins of `name` (known to the store or not). Returns
/// whether it had any.
pub fn unlock(store: &mut dyn AccountStore, admin: &User, name: &str) -> Result<bool> {
    require_admin(admin)?;
    let key = name_key(name)?;
    let user = store.user_by_key(&key)?;
    let subject = user.as_ref().map_or(name, |u| u.username.as_str());
    let event = AuditEvent::new(EventKind::Unlock, subject, user.as_ref().map(|u| u.id))
        .actor(&admin.username, admin.id);
    store.clear_failures(&key, &event)
}

/// The key of a name an admin gave to find an account: exit 3, naming no
/// character of it, when no account can have it (as at login).
fn name_key(name: &str) -> Result<String> {
    validate::login_name(name).map_err(Error::InvalidInput)?;
    Ok(validate::fold(name))
}

/// The user named `name`, or exit 3 naming it.
pub fn find_user(store: &dyn AccountStore, name: &str) -> Result<User> {
    store
        .user_by_key(&name_key(name)?)?
        .ok_or_else(|| Error::invalid("username", format!("there is no user {name:?}")))
}

/// Grants or revokes admin. Returns the user and whether anything changed.
pub fn set_admin(
    store: &mut dyn AccountStore,
    admin: &User,
    name: &str,
    grant: bool,
) -> Result<(User, bool)> {
    require_admin(admin)?;
    let user = find_user(store, name)?;
    if user.is_superuser == grant {
        return Ok((user, false));
    }
    let kind = if grant {
        EventKind::AdminGrant
    } else {
        EventKind::AdminRevoke
    };
    let event =
        AuditEvent::new(kind, &user.username, Some(user.id)).actor(&admin.username, admin.id);
    store.set_admin(user.id, grant, &event)?;
    Ok((user, true))
}

/// The audit trail as `viewer` may see it: their own events, or, for an
/// admin, anyone's (`name`) or everyone's (no `name`).
pub fn history(
    store: &dyn AccountStore,
    viewer: &User,
    name: Option<&str>,
    limit: u32,
) -> Result<Vec<RecordedEvent>> {
    let filter = match name {
        None if viewer.is_superuser => EventFilter::default(),
        None => EventFilter {
            user_id: Some(viewer.id),
            subject_key: None,
        },
        // Your own name means your own account: not the events of an earlier
        // account that had the name, nor failures against it before.
        Some(name)
            if !viewer.is_superuser && validate::fold(name) == validate::fold(&viewer.username) =>
        {
            EventFilter {
                user_id: Some(viewer.id),
                subject_key: None,
            }
        }
        Some(name) => {
            let key = validate::fold(name);
            if key != validate::fold(&viewer.username) {
                // An admin asking for a name no account can have gets exit 3;
                // anyone else is refused first, as for any other name.
                if viewer.is_superuser {
                    name_key(name)?;
                }
                require_admin(viewer).map_err(|_| {
                    Error::NotPermitted(format!(
                        "only an admin can read another user's history, and {} is not one",
                        viewer.username
                    ))
                })?;
            }
            EventFilter {
                user_id: store.user_by_key(&key)?.map(|u| u.id),
                subject_key: Some(key),
            }
        }
    };
    store.events(&filter, limit)
}

/// Changes one policy value (admins only), checked against its bounds and the
/// rest of the policy. Returns the value it had.
pub fn set_policy(
    store: &mut dyn AccountStore,
    admin: &User,
    key: &str,
    value: i64,
) -> Result<i64> {
    require_admin(admin)?;
    let mut policy = store.policy()?;
    let previous = policy
        .entries()
        .into_iter()
        .find_map(|(name, old)| (name == key).then_some(old));
    policy.apply(key, value)?;
    let previous =
        previous.ok_or_else(|| Error::Internal(format!("policy key {key} has no value")))?;
    let event = AuditEvent::new(EventKind::PolicyChange, &admin.username, Some(admin.id))
        .actor(&admin.username, admin.id)
        .detail(format!("{key}: {previous} -> {value}"));
    store.set_policy(key, value, &event)?;
    Ok(previous)
}

/// A user with their lock and sessions, as an admin sees them.
pub fn show_user(store: &dyn AccountStore, admin: &User, name: &str) -> Result<UserListing> {
    require_admin(admin)?;
    store
        .user_listing(&name_key(name)?)?
        .ok_or_else(|| Error::invalid("username", format!("there is no user {name:?}")))
}

/// Enables or disables an account (admins only). Disabling ends its sessions.
/// Returns the user, whether anything changed, and how many sessions ended.
pub fn set_active(
    store: &mut dyn AccountStore,
    admin: &User,
    name: &str,
    active: bool,
) -> Result<(User, bool, usize)> {
    require_admin(admin)?;
    let user = find_user(store, name)?;
    if user.is_active == active {
        return Ok((user, false, 0));
    }
    let kind = if active {
        EventKind::Enable
    } else {
        EventKind::Disable
    };
    let event =
        AuditEvent::new(kind, &user.username, Some(user.id)).actor(&admin.username, admin.id);
    let ended = store.set_active(user.id, active, &event)?;
    Ok((user, true, ended))
}

/// Deletes an account and its sessions (admins only); its events stay.
pub fn delete_user(store: &mut dyn AccountStore, admin: &User, name: &str) -> Result<User> {
    require_admin(admin)?;
    let user = find_user(store, name)?;
    let event = AuditEvent::new(EventKind::Delete, &user.username, Some(user.id))
        .actor(&admin.username, admin.id);
    store.delete_user(user.id, &event)?;
    Ok(user)
}

/// Sets another user's password (admins only), checked against the policy,
/// and ends every session of that user. Returns the user and how many ended.
pub fn reset_password(
    store: &mut dyn AccountStore,
    admin: &User,
    name: &str,
    password: &str,
    confirmation: Option<&str>,
) -> Result<(User, usize)> {
    require_admin(admin)?;
    let policy = store.policy()?;
    let user = find_user(store, name)?;
    let normalized = Zeroizing::new(validate::nfkc(password));
    let problems = check_new_password(
        &normalized,
        confirmation,
        password,
        &policy,
        &[&user.username, &user.email],
    );
    if !problems.is_empty() {
        return Err(Error::InvalidInput(problems));
    }
    let hash = Pbkdf2Sha256::new(&normalized, policy.pbkdf2_iterations)?.encode();
    let event = AuditEvent::new(EventKind::PasswordChange, &user.username, Some(user.id))
        .actor(&admin.username, admin.id)
        .detail("set by an admin");
    let ended = store.change_password(
        user.id,
        &user.password,
        &hash,
        None,
        &session::password_binding(&hash),
        &event,
    )?;
    Ok((user, ended))
}

/// The sessions the logged-in user may see: their own, or with `all` (admins
/// only) everyone's.
pub fn list_sessions(
    store: &dyn AccountStore,
    current: &Current,
    all: bool,
) -> Result<Vec<SessionListing>> {
    if all {
        require_admin(&current.user)?;
    }
    store.sessions((!all).then_some(current.user.id))
}

/// Which sessions `revoke_sessions` ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoke {
    One(i64),
    AllOthers,
}

/// Ends a session of the logged-in user (an admin may end anyone's), or every
/// other session of theirs. Returns how many ended. Ending the current session
/// forgets its token too.
pub fn revoke_sessions(
    store: &mut dyn AccountStore,
    tokens: &dyn TokenStore,
    key: &str,
    current: &Current,
    which: Revoke,
) -> Result<usize> {
    let user = &current.user;
    match which {
        Revoke::AllOthers => {
            let event = AuditEvent::by_self(EventKind::Logout, &user.username, user.id)
                .detail("all other sessions");
            store.end_sessions(
                Sessions::AllOfBut {
                    user_id: user.id,
                    keep: current.session.id,
                },
                Some(&event),
            )
        }
        Revoke::One(id) => {
            let owner = store
                .sessions(None)?
                .into_iter()
                .find(|listing| listing.session.id == id)
                .ok_or_else(|| Error::invalid("id", format!("there is no session {id}")))?;
            if owner.session.user_id != user.id {
                require_admin(user).map_err(|_| {
                    Error::NotPermitted(format!(
                        "session {id} is not yours, and only an admin can end another user's session"
                    ))
                })?;
            }
            let event = AuditEvent::new(
                EventKind::Logout,
                &owner.username,
                Some(owner.session.user_id),
            )
            .actor(&user.username, user.id)
            .detail(format!("session {id} revoked"));
            let ended = store.end_sessions(Sessions::One(id), Some(&event))?;
            if id == current.session.id {
                forget_token(Some(store), tokens, key, Some(&current.token_hash))?;
            }
            Ok(ended)
        }
    }
}
