//! A login's part of the PostgreSQL store, inside the transactions
//! `PostgresStore` begins: counting an attempt before the password is
//! checked, starting the session once it was, and confirming a check that
//! starts none. The invariants they keep are on the `AccountStore` methods
//! that call them (store.rs).

use postgres::types::Type;

use super::rows::{insert_events, small, time_param};
use super::transaction::{Failure, Tx};
use crate::audit::AuditEvent;
use crate::error::{Error, Result};
use crate::session::TokenHash;
use crate::store::{Attempt, Failures, NewSession, Rehash};

fn not_authenticated() -> Failure {
    Failure::Refused(Error::not_authenticated(
        "invalid username, password or code",
        None,
    ))
}

/// Whether the user `user_id` is active and still has the hash `password`,
/// holding a share lock on the row until the transaction ends: a password
/// change or a disabling waits for this transaction, then sees (and ends)
/// the session it made; one that committed first makes this `false`.
fn still_valid(tx: &mut Tx<'_>, user_id: i64, password: &str) -> Result<bool, Failure> {
    Ok(tx
        .query_typed_opt(
            "SELECT 1 FROM users WHERE id = $1 AND password = $2 AND is_active FOR SHARE",
            &[(&user_id, Type::INT8), (&password, Type::TEXT)],
        )?
        .is_some())
}

/// Writes a rehashed password and moves the user's sessions bound to the
/// hash it replaces over to it.
fn write_rehash(tx: &mut Tx<'_>, user_id: i64, rehash: &Rehash) -> Result<(), Failure> {
    tx.execute_typed(
        "UPDATE users SET password = $1 WHERE id = $2",
        &[(&rehash.password, Type::TEXT), (&user_id, Type::INT8)],
    )?;
    let (binding, previous): (&[u8], &[u8]) = (&rehash.binding, &rehash.previous_binding);
    tx.execute_typed(
        "UPDATE sessions SET password_binding = $1 \
         WHERE user_id = $2 AND password_binding = $3",
        &[
            (&binding, Type::BYTEA),
            (&user_id, Type::INT8),
            (&previous, Type::BYTEA),
        ],
    )?;
    Ok(())
}

/// `start_session`'s work, holding `Lock::Logins`.
pub(super) fn start(
    tx: &mut Tx<'_>,
    session: &NewSession,
    replacing: Option<&TokenHash>,
    events: &[AuditEvent],
    before_commit: &mut dyn FnMut() -> Result<()>,
) -> Result<i64, Failure> {
    if !still_valid(tx, session.user_id, &session.verified_password)? {
        return Err(not_authenticated());
    }
    // One statement each: the replaced session goes as the new one comes,
    // and the last login is written as the name's failures are forgotten.
    let previous: Option<&[u8]> = replacing.map(|hash| &hash[..]);
    let (token, binding): (&[u8], &[u8]) = (&session.token_hash, &session.password_binding);
    let id: i64 = tx
        .query_typed_one(
            "WITH replaced AS (DELETE FROM sessions WHERE token_hash = $7) \
             INSERT INTO sessions (user_id, token_hash, password_binding, created_at, \
                                   expires_at, host, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $4) RETURNING id",
            &[
                (&session.user_id, Type::INT8),
                (&token, Type::BYTEA),
                (&binding, Type::BYTEA),
                (&session.created_at, Type::INT8),
                (&session.expires_at, Type::INT8),
                (&session.host, Type::TEXT),
                (&previous, Type::BYTEA),
            ],
        )?
        .try_get(0)?;
    tx.execute_typed(
        "WITH logged_in AS (UPDATE users SET last_login = $1 WHERE id = $2 \
                            RETURNING username_key) \
         DELETE FROM login_failures \
         WHERE username_key = (SELECT username_key FROM logged_in)",
        &[
            (&time_param(session.login_time), Type::TIMESTAMPTZ),
            (&session.user_id, Type::INT8),
        ],
    )?;
    if let Some(rehash) = &session.rehash {
        write_rehash(tx, session.user_id, rehash)?;
    }
    insert_events(tx, events)?;
    before_commit().map_err(Failure::Refused)?;
    Ok(id)
}

/// `confirm_check`'s work.
pub(super) fn confirm(
    tx: &mut Tx<'_>,
    user_id: i64,
    verified_password: &str,
    rehash: Option<&Rehash>,
    events: &[AuditEvent],
) -> Result<(), Failure> {
    if !still_valid(tx, user_id, verified_password)? {
        return Err(not_authenticated());
    }
    if let Some(rehash) = rehash {
        write_rehash(tx, user_id, rehash)?;
    }
    insert_events(tx, events)
}

/// `begin_attempt`'s work: one upsert that counts the attempt unless the
/// name is locked, then the lock it earns, under the name's row lock.
pub(super) fn count_attempt(
    tx: &mut Tx<'_>,
    username_key: &str,
    now: i64,
    lock_until: &dyn Fn(u32) -> Option<i64>,
) -> Result<Attempt, Failure> {
    let counted = tx.query_typed_opt(
        "INSERT INTO login_failures (username_key, failures, last_failure_at) \
         VALUES ($1, 1, $2) \
         ON CONFLICT (username_key) DO UPDATE \
         SET failures = login_failures.failures + 1, \
             last_failure_at = excluded.last_failure_at \
         WHERE login_failures.locked_until IS NULL \
            OR login_failures.locked_until <= excluded.last_failure_at \
         RETURNING failures",
        &[(&username_key, Type::TEXT), (&now, Type::INT8)],
    )?;
    let Some(counted) = counted else {
        // Not counted: the row (locked by the upsert) is locked out.
        let until: Option<i64> = tx
            .query_typed_one(
                "SELECT locked_until FROM login_failures WHERE username_key = $1",
                &[(&username_key, Type::TEXT)],
            )?
            .try_get(0)?;
        return Ok(Attempt::Locked {
            until: until.unwrap_or(now),
        });
    };
    let count = small(i64::from(counted.try_get::<_, i32>(0)?), "a failure count")?;
    let locked_until = lock_until(count);
    if locked_until.is_some() {
        tx.execute_typed(
            "UPDATE login_failures SET locked_until = $1 WHERE username_key = $2",
            &[(&locked_until, Type::INT8), (&username_key, Type::TEXT)],
        )?;
    }
    Ok(Attempt::Counted(Failures {
        count,
        locked_until,
    }))
}
