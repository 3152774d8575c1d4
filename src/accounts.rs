//! What latch does with accounts and sessions: register, log in, find who is
//! logged in, log out. The rules live here; the SQL lives in `store` and the
//! keyring calls in `token_store`.
//!
//! Invariants kept here: a login answers an unknown user, a wrong password and
//! a disabled account with one message after about one hash's time; a session
//! row is committed only once its token is in the token store; a stale token
//! is removed from the token store as soon as it is found.

use std::path::Path;

use zeroize::Zeroizing;

use crate::audit::{AuditEvent, EventKind};
use crate::error::{Error, Problem, Result};
use crate::password::hasher::{self, DjangoHash, Verdict};
use crate::policy::Policy;
use crate::session::{self, SessionToken};
use crate::store::{AccountStore, NewSession, NewUser, Rehash, Session, Sessions, User};
use crate::token_store::TokenStore;
use crate::{timestamp, validate};

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
    let user_inputs: Vec<&str> = [registration.username, registration.email]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    problems.extend(validate::password(&password, policy, &user_inputs));
    if let Some(confirmation) = registration.confirmation
        && confirmation != registration.password
    {
        problems.push(Problem::new("password", "the two entries do not match"));
    }
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

/// Creates a checked account, failing with a conflict that names the username
/// or email that is taken (exit 6). The account is ready to log in: its
/// `Authenticated` starts a session without asking for the password again.
pub fn register(
    store: &mut dyn AccountStore,
    registration: CheckedRegistration,
) -> Result<Authenticated> {
    let policy = store.policy()?;
    let CheckedRegistration {
        username,
        email,
        password,
        admin,
    } = registration;
    let hash = DjangoHash::new(&password, policy.pbkdf2_iterations)?;
    let user = NewUser {
        username_key: validate::fold(&username),
        email_key: email.to_lowercase(),
        username,
        email,
        password: hash.encode(),
        is_superuser: admin != Admin::No,
        date_joined: timestamp::django(timestamp::now()),
    };
    let event = AuditEvent::new(EventKind::Register, &user.username, None).detail(match admin {
        Admin::No => "",
        Admin::Bootstrap => "first admin",
        Admin::GrantedByAdmin => "admin",
    });
    let user = store.insert_user(&user, &event, admin == Admin::Bootstrap)?;
    Ok(Authenticated {
        user,
        rehash: None,
        session_age: policy.session_age,
    })
}

/// The one answer to every failed login.
fn invalid_credentials() -> Error {
    Error::not_authenticated("invalid username or password", None)
}

/// Checks a username and password. Every failure costs about one hash and
/// gives the same error; the store's events keep the real reason.
pub fn authenticate(
    store: &mut dyn AccountStore,
    username: &str,
    password: &str,
) -> Result<Authenticated> {
    let policy = store.policy()?;
    let password = Zeroizing::new(validate::nfkc(password));
    let user = store.user_by_key(&validate::fold(username))?;
    let Some(user) = user else {
        hasher::spend_one_hash(&password, policy.pbkdf2_iterations);
        store.record(
            &AuditEvent::new(EventKind::LoginFailure, username, None).detail("unknown user"),
        )?;
        return Err(invalid_credentials());
    };
    let verdict = hasher::verify(&password, &user.password, policy.pbkdf2_iterations);
    let failure = match verdict {
        _ if !user.is_active => Some("disabled"),
        Verdict::Invalid if user.password.starts_with(hasher::UNUSABLE_PREFIX) => {
            Some("unusable password")
        }
        Verdict::Invalid => Some("wrong password"),
        Verdict::Valid { .. } => None,
    };
    if let Some(reason) = failure {
        store.record(
            &AuditEvent::new(EventKind::LoginFailure, &user.username, Some(user.id)).detail(reason),
        )?;
        return Err(invalid_credentials());
    }
    let rehash = match verdict {
        Verdict::Valid { must_update: true } => {
            Some(DjangoHash::new(&password, policy.pbkdf2_iterations)?.encode())
        }
        _ => None,
    };
    Ok(Authenticated {
        user,
        rehash,
        session_age: policy.session_age,
    })
}

/// A user whose password was just checked.
#[derive(Debug)]
pub struct Authenticated {
    pub user: User,
    /// The password hashed at the policy's parameters, when the stored hash
    /// has others: written with the new session.
    rehash: Option<String>,
    session_age: i64,
}

/// The key under which a store's token is kept: the store's absolute path.
pub fn token_key(store_path: &Path) -> String {
    std::fs::canonicalize(store_path)
        .or_else(|_| std::path::absolute(store_path))
        .unwrap_or_else(|_| store_path.to_owned())
        .to_string_lossy()
        .into_owned()
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
pub fn start_session(
    store: &mut dyn AccountStore,
    tokens: &dyn TokenStore,
    key: &str,
    authenticated: Authenticated,
) -> Result<LoggedIn> {
    let token = SessionToken::generate()?;
    let previous = tokens.load(key)?.map(|t| t.hash());
    let now = timestamp::now();
    let Authenticated {
        mut user,
        rehash,
        session_age,
    } = authenticated;
    let session = NewSession {
        user_id: user.id,
        token_hash: token.hash(),
        password_binding: session::password_binding(rehash.as_deref().unwrap_or(&user.password)),
        created_at: now,
        expires_at: now.saturating_add(session_age),
        host: crate::audit::host().to_owned(),
        login_time: timestamp::django(now),
        rehash: rehash.clone().map(|password| Rehash {
            password,
            previous_binding: session::password_binding(&user.password),
        }),
    };
    let event = AuditEvent::new(EventKind::LoginSuccess, &user.username, Some(user.id)).detail(
        if rehash.is_some() {
            "hash upgraded"
        } else {
            ""
        },
    );
    let mut saved = false;
    let result = store.start_session(&session, previous.as_ref(), &event, &mut || {
        tokens.save(key, &token)?;
        saved = true;
        Ok(())
    });
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
                // The commit failed after the token was stored: take it back so
                // that no token outlives its missing session.
                let _ = tokens.remove(key);
            }
            Err(e)
        }
    }
}

/// The logged-in user and their session.
#[derive(Debug)]
pub struct Current {
    pub user: User,
    pub session: Session,
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
    let Some(token) = tokens.load(key)? else {
        return Err(not_logged_in());
    };
    let Some(store) = store else {
        tokens.remove(key)?;
        return Err(not_logged_in());
    };
    let Some((session, user)) = store.session_by_token(&token.hash())? else {
        tokens.remove(key)?;
        return Err(Error::not_authenticated(
            "not logged in: the session was ended",
            Some("log in again with `latch login`".into()),
        ));
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
        tokens.remove(key)?;
        return Err(Error::not_authenticated(
            format!("not logged in: {reason}"),
            Some("log in again with `latch login`".into()),
        ));
    }
    Ok(Current { user, session })
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
    let Some(token) = tokens.load(key)? else {
        return Ok(LoggedOut::NotLoggedIn);
    };
    let found = match store {
        Some(store) => store
            .session_by_token(&token.hash())?
            .map(|(session, user)| (store, session, user)),
        None => None,
    };
    let Some((store, session, user)) = found else {
        tokens.remove(key)?;
        return Ok(LoggedOut::NotLoggedIn);
    };
    let which = if all {
        Sessions::AllOf { user_id: user.id }
    } else {
        Sessions::One(session.id)
    };
    let event = AuditEvent::new(EventKind::Logout, &user.username, Some(user.id)).detail(if all {
        "all sessions"
    } else {
        ""
    });
    let sessions = store.end_sessions(which, Some(&event))?;
    tokens.remove(key)?;
    Ok(LoggedOut::Ended {
        username: user.username,
        sessions,
    })
}
