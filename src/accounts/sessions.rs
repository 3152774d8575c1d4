//! Sessions: starting one (the row committed only once its token is in the
//! token store), finding who is logged in, logging out, listing and
//! revoking sessions.

use crate::audit::{AuditEvent, EventKind};
use crate::error::{Error, Result};
use crate::session::{self, SessionToken, TokenHash};
use crate::store::{AccountStore, NewSession, Rehash, Session, SessionListing, Sessions, User};
use crate::timestamp::{self, DateTime};
use crate::token_store::{PendingLoad, TokenStore};

use super::{Authenticated, hash_upgrade_event, require_admin};

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
        login_time: DateTime::from_unix(now),
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
