//! Sessions on SQLite: starting one (checking, in its transaction, that the
//! password checked is still the user's), confirming a check that starts
//! none, reading, touching and ending them, and the login lock (the one
//! write lock). Only a token's SHA-256 is ever stored or compared.

use rusqlite::{OptionalExtension, Transaction, params};

use super::SqliteStore;
use super::errors::sql_error;
use super::events::insert_event;
use super::rows::{SESSION_COLUMNS, SESSION_FIELDS, USER_COLUMNS, read_session, read_user_at};
use crate::audit::AuditEvent;
use crate::error::{Error, Result};
use crate::session::TokenHash;
use crate::store::{NewSession, Rehash, Session, SessionListing, Sessions, User};

pub(super) fn start_session(
    store: &mut SqliteStore,
    session: &NewSession,
    replacing: Option<&TokenHash>,
    events: &[AuditEvent],
    before_commit: &mut dyn FnMut() -> Result<()>,
) -> Result<i64> {
    let (tx, path) = store.write()?;
    let err = |e: rusqlite::Error| sql_error(path, &e);
    // The password was checked before this transaction: a password
    // changed or an account disabled since then wins.
    if !still_valid(&tx, session.user_id, &session.verified_password).map_err(err)? {
        return Err(Error::not_authenticated(
            "invalid username, password or code",
            None,
        ));
    }
    if let Some(previous) = replacing {
        tx.execute(
            "DELETE FROM sessions WHERE token_hash = ?1",
            [&previous[..]],
        )
        .map_err(err)?;
    }
    tx.execute(
        "INSERT INTO sessions (user_id, token_hash, password_binding, created_at, \
                               expires_at, host, last_seen_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?4)",
        params![
            session.user_id,
            &session.token_hash[..],
            &session.password_binding[..],
            session.created_at,
            session.expires_at,
            session.host
        ],
    )
    .map_err(err)?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "UPDATE users SET last_login = ?1 WHERE id = ?2",
        params![session.login_time, session.user_id],
    )
    .map_err(err)?;
    if let Some(rehash) = &session.rehash {
        write_rehash(&tx, session.user_id, rehash).map_err(err)?;
    }
    tx.execute(
        "DELETE FROM login_failures \
         WHERE username_key = (SELECT username_key FROM users WHERE id = ?1)",
        [session.user_id],
    )
    .map_err(err)?;
    for event in events {
        insert_event(&tx, event).map_err(err)?;
    }
    before_commit()?;
    tx.commit().map_err(err)?;
    Ok(id)
}

pub(super) fn confirm_check(
    store: &mut SqliteStore,
    user_id: i64,
    verified_password: &str,
    rehash: Option<&Rehash>,
    events: &[AuditEvent],
) -> Result<()> {
    let (tx, path) = store.write()?;
    let err = |e: rusqlite::Error| sql_error(path, &e);
    // As for a session: a password changed or an account disabled since
    // the check wins.
    if !still_valid(&tx, user_id, verified_password).map_err(err)? {
        return Err(Error::not_authenticated(
            "invalid username, password or code",
            None,
        ));
    }
    if let Some(rehash) = rehash {
        write_rehash(&tx, user_id, rehash).map_err(err)?;
    }
    for event in events {
        insert_event(&tx, event).map_err(err)?;
    }
    tx.commit().map_err(err)
}

pub(super) fn under_write_lock(
    store: &mut SqliteStore,
    work: &mut dyn FnMut() -> Result<()>,
) -> Result<()> {
    let (tx, path) = store.write()?;
    work()?;
    tx.rollback().map_err(|e| sql_error(path, &e))
}

pub(super) fn session_by_token(
    store: &SqliteStore,
    token_hash: &TokenHash,
) -> Result<Option<(Session, User)>> {
    store
        .conn
        .prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS}, {USER_COLUMNS} \
             FROM sessions JOIN users ON users.id = sessions.user_id \
             WHERE sessions.token_hash = ?1"
        ))
        .and_then(|mut s| {
            s.query_row([&token_hash[..]], |row| {
                Ok((read_session(row)?, read_user_at(row, SESSION_FIELDS)?))
            })
            .optional()
        })
        .map_err(store.err())
}

pub(super) fn sessions(store: &SqliteStore, user_id: Option<i64>) -> Result<Vec<SessionListing>> {
    let mut statement = store
        .conn
        .prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS}, users.username \
             FROM sessions JOIN users ON users.id = sessions.user_id \
             WHERE ?1 IS NULL OR sessions.user_id = ?1 \
             ORDER BY sessions.id"
        ))
        .map_err(store.err())?;
    let rows = statement
        .query_map([user_id], |row| {
            Ok(SessionListing {
                session: read_session(row)?,
                username: row.get(SESSION_FIELDS)?,
            })
        })
        .map_err(store.err())?;
    rows.collect::<rusqlite::Result<_>>().map_err(store.err())
}

pub(super) fn touch_session(store: &mut SqliteStore, id: i64, now: i64) -> Result<()> {
    store
        .conn
        .prepare_cached("UPDATE sessions SET last_seen_at = ?1 WHERE id = ?2")
        .and_then(|mut s| s.execute(params![now, id]))
        .map(drop)
        .map_err(store.err())
}

pub(super) fn end_sessions(
    store: &mut SqliteStore,
    which: Sessions,
    event: Option<&AuditEvent>,
) -> Result<usize> {
    let (tx, path) = store.write()?;
    let err = |e: rusqlite::Error| sql_error(path, &e);
    let ended = match which {
        Sessions::One(id) => tx.execute("DELETE FROM sessions WHERE id = ?1", [id]),
        Sessions::AllOf { user_id } => {
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])
        }
        Sessions::AllOfBut { user_id, keep } => tx.execute(
            "DELETE FROM sessions WHERE user_id = ?1 AND id != ?2",
            [user_id, keep],
        ),
    }
    .map_err(err)?;
    if let Some(event) = event {
        insert_event(&tx, event).map_err(err)?;
    }
    tx.commit().map_err(err)?;
    Ok(ended)
}

/// Whether the user `user_id` is active and still has the hash `password`.
fn still_valid(tx: &Transaction<'_>, user_id: i64, password: &str) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1 AND password = ?2 AND is_active)",
        params![user_id, password],
        |row| row.get(0),
    )
}

/// Writes a rehashed password and moves the user's sessions bound to the
/// hash it replaces over to it.
fn write_rehash(tx: &Transaction<'_>, user_id: i64, rehash: &Rehash) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE users SET password = ?1 WHERE id = ?2",
        params![rehash.password, user_id],
    )?;
    tx.execute(
        "UPDATE sessions SET password_binding = ?1 \
         WHERE user_id = ?2 AND password_binding = ?3",
        params![&rehash.binding[..], user_id, &rehash.previous_binding[..]],
    )?;
    Ok(())
}
