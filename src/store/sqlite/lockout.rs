//! Failed logins on SQLite: counting an attempt before the password is
//! checked (an upsert under the write lock), locking a name, and forgetting
//! its failures on success or `users unlock`.

use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use super::errors::sql_error;
use super::events::insert_event;
use crate::audit::AuditEvent;
use crate::error::Result;
use crate::store::{Attempt, Failures};

pub(super) fn begin_attempt(
    store: &mut SqliteStore,
    username_key: &str,
    now: i64,
    lock_until: &dyn Fn(u32) -> Option<i64>,
) -> Result<Attempt> {
    let (tx, path) = store.write()?;
    let err = |e: rusqlite::Error| sql_error(path, &e);
    let locked: Option<i64> = tx
        .query_row(
            "SELECT locked_until FROM login_failures WHERE username_key = ?1",
            [username_key],
            |row| row.get(0),
        )
        .optional()
        .map_err(err)?
        .flatten();
    if let Some(until) = locked.filter(|&until| until > now) {
        return Ok(Attempt::Locked { until });
    }
    let count: u32 = tx
        .query_row(
            "INSERT INTO login_failures (username_key, failures, last_failure_at) \
             VALUES (?1, 1, ?2) \
             ON CONFLICT (username_key) DO UPDATE \
             SET failures = failures + 1, last_failure_at = excluded.last_failure_at \
             RETURNING failures",
            params![username_key, now],
            |row| row.get(0),
        )
        .map_err(err)?;
    let locked_until = lock_until(count);
    if locked_until.is_some() {
        tx.execute(
            "UPDATE login_failures SET locked_until = ?1 WHERE username_key = ?2",
            params![locked_until, username_key],
        )
        .map_err(err)?;
    }
    tx.commit().map_err(err)?;
    Ok(Attempt::Counted(Failures {
        count,
        locked_until,
    }))
}

pub(super) fn reset_failures(store: &mut SqliteStore, username_key: &str) -> Result<()> {
    let (tx, path) = store.write()?;
    let err = |e: rusqlite::Error| sql_error(path, &e);
    tx.execute(
        "DELETE FROM login_failures WHERE username_key = ?1",
        [username_key],
    )
    .map_err(err)?;
    tx.commit().map_err(err)
}

pub(super) fn clear_failures(
    store: &mut SqliteStore,
    username_key: &str,
    event: &AuditEvent,
) -> Result<bool> {
    let (tx, path) = store.write()?;
    let err = |e: rusqlite::Error| sql_error(path, &e);
    let cleared = tx
        .execute(
            "DELETE FROM login_failures WHERE username_key = ?1",
            [username_key],
        )
        .map_err(err)?
        > 0;
    if cleared {
        insert_event(&tx, event).map_err(err)?;
    }
    tx.commit().map_err(err)?;
    Ok(cleared)
}
