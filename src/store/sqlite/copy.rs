//! `store copy` on SQLite: every row but the sessions read in one read
//! transaction (one snapshot of the file, in WAL mode, while others write),
//! each table `COPY_BATCH` rows at a time in the order of its key, and
//! written batch by batch into an empty store in one write transaction, ids
//! kept.
//! SQLite's `AUTOINCREMENT` counters follow an explicit id by themselves.

use rusqlite::{Connection, Row, params};

use super::SqliteStore;
use super::events::insert_event;
use super::rows::{EVENT_COLUMNS, USER_COLUMNS, insert_user_row, read_event, read_user};
use crate::audit::RecordedEvent;
use crate::error::{Error, Result};
use crate::store::{
    COPY_BATCH, CopiedFactor, CopiedFailures, CopiedRecoveryCode, CopyFill, CopySink, CopyWritten,
    StoreCopy,
};

pub(super) fn read_batches(store: &SqliteStore, each: &mut CopySink<'_>) -> Result<()> {
    // A deferred transaction: its first read fixes the snapshot every
    // later read sees.
    let tx = store.conn.unchecked_transaction().map_err(store.err())?;
    let err = store.err();
    stream(
        &tx,
        &format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"),
        read_user,
        &err,
        &mut |users| {
            each(&StoreCopy {
                users,
                ..StoreCopy::default()
            })
        },
    )?;
    stream(
        &tx,
        "SELECT user_id, key, step, t0, digits, drift, last_t, confirmed, created_at, \
                confirmed_at \
         FROM mfa_factors ORDER BY user_id",
        read_factor,
        &err,
        &mut |factors| {
            each(&StoreCopy {
                factors,
                ..StoreCopy::default()
            })
        },
    )?;
    stream(
        &tx,
        "SELECT id, user_id, code_hash, used_at FROM mfa_recovery_codes ORDER BY id",
        read_recovery_code,
        &err,
        &mut |recovery_codes| {
            each(&StoreCopy {
                recovery_codes,
                ..StoreCopy::default()
            })
        },
    )?;
    stream(
        &tx,
        "SELECT key, value FROM policy ORDER BY key",
        |row| Ok((row.get(0)?, row.get(1)?)),
        &err,
        &mut |policy| {
            each(&StoreCopy {
                policy,
                ..StoreCopy::default()
            })
        },
    )?;
    stream(
        &tx,
        "SELECT username_key, failures, last_failure_at, locked_until \
         FROM login_failures ORDER BY username_key",
        read_failures,
        &err,
        &mut |failures| {
            each(&StoreCopy {
                failures,
                ..StoreCopy::default()
            })
        },
    )?;
    stream(
        &tx,
        &format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY id"),
        read_event,
        &err,
        &mut |events| {
            each(&StoreCopy {
                events,
                ..StoreCopy::default()
            })
        },
    )?;
    tx.commit().map_err(&err)?;
    Ok(())
}

/// The rows `sql` selects, `COPY_BATCH` at a time into `put`.
fn stream<T>(
    conn: &Connection,
    sql: &str,
    read: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
    err: &dyn Fn(rusqlite::Error) -> Error,
    put: &mut dyn FnMut(Vec<T>) -> Result<()>,
) -> Result<()> {
    let mut statement = conn.prepare_cached(sql).map_err(err)?;
    let mut rows = statement.query([]).map_err(err)?;
    let mut batch = Vec::with_capacity(COPY_BATCH);
    while let Some(row) = rows.next().map_err(err)? {
        batch.push(read(row).map_err(err)?);
        if batch.len() == COPY_BATCH {
            put(std::mem::replace(
                &mut batch,
                Vec::with_capacity(COPY_BATCH),
            ))?;
        }
    }
    if !batch.is_empty() {
        put(batch)?;
    }
    Ok(())
}

fn read_factor(row: &Row<'_>) -> rusqlite::Result<CopiedFactor> {
    Ok(CopiedFactor {
        user_id: row.get(0)?,
        key: row.get(1)?,
        step: row.get(2)?,
        t0: row.get(3)?,
        digits: row.get(4)?,
        drift: row.get(5)?,
        last_t: row.get(6)?,
        confirmed: row.get(7)?,
        created_at: row.get(8)?,
        confirmed_at: row.get(9)?,
    })
}

fn read_recovery_code(row: &Row<'_>) -> rusqlite::Result<CopiedRecoveryCode> {
    Ok(CopiedRecoveryCode {
        id: row.get(0)?,
        user_id: row.get(1)?,
        code_hash: row.get(2)?,
        used_at: row.get(3)?,
    })
}

fn read_failures(row: &Row<'_>) -> rusqlite::Result<CopiedFailures> {
    Ok(CopiedFailures {
        username_key: row.get(0)?,
        failures: row.get(1)?,
        last_failure_at: row.get(2)?,
        locked_until: row.get(3)?,
    })
}

/// How many rows the store holds in the tables a copy writes, and sessions.
pub(super) fn count_rows(conn: &Connection) -> rusqlite::Result<(u64, u64)> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM users), \
                (SELECT count(*) FROM sessions) + (SELECT count(*) FROM events) \
                + (SELECT count(*) FROM policy) + (SELECT count(*) FROM login_failures) \
                + (SELECT count(*) FROM mfa_factors) + (SELECT count(*) FROM mfa_recovery_codes)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
}

pub(super) fn write_copy(store: &mut SqliteStore, fill: &mut CopyFill<'_>) -> Result<CopyWritten> {
    let (tx, path) = store.write()?;
    let err = |e: rusqlite::Error| super::errors::sql_error(path, &e);
    let (users, rows) = count_rows(&tx).map_err(err)?;
    if users + rows > 0 {
        return Ok(CopyWritten::NotEmpty { users, rows });
    }
    // On any error the transaction is dropped, and rolls back.
    let event = fill(&mut |batch| write_rows(&tx, batch).map_err(err))?;
    insert_event(&tx, &event)
        .and_then(|()| tx.commit())
        .map_err(err)?;
    Ok(CopyWritten::Done)
}

fn write_rows(conn: &Connection, copy: &StoreCopy) -> rusqlite::Result<()> {
    for user in &copy.users {
        insert_user_row(conn, Some(user.id), user)?;
    }
    let mut statement = conn.prepare_cached(
        "INSERT INTO mfa_factors (user_id, key, step, t0, digits, drift, last_t, confirmed, \
                                  created_at, confirmed_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for f in &copy.factors {
        statement.execute(params![
            f.user_id,
            f.key,
            f.step,
            f.t0,
            f.digits,
            f.drift,
            f.last_t,
            f.confirmed,
            f.created_at,
            f.confirmed_at
        ])?;
    }
    let mut statement = conn.prepare_cached(
        "INSERT INTO mfa_recovery_codes (id, user_id, code_hash, used_at) \
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for code in &copy.recovery_codes {
        statement.execute(params![code.id, code.user_id, code.code_hash, code.used_at])?;
    }
    let mut statement = conn.prepare_cached("INSERT INTO policy (key, value) VALUES (?1, ?2)")?;
    for (key, value) in &copy.policy {
        statement.execute(params![key, value])?;
    }
    let mut statement = conn.prepare_cached(
        "INSERT INTO login_failures (username_key, failures, last_failure_at, locked_until) \
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for f in &copy.failures {
        statement.execute(params![
            f.username_key,
            f.failures,
            f.last_failure_at,
            f.locked_until
        ])?;
    }
    let mut statement = conn.prepare_cached(
        "INSERT INTO events (id, at, kind, subject, subject_key, user_id, actor, actor_id, \
                             detail, os_user, host) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for RecordedEvent { id, event: e } in &copy.events {
        statement.execute(params![
            id,
            e.at,
            e.kind,
            e.subject,
            e.subject_key,
            e.user_id,
            e.actor,
            e.actor_id,
            e.detail,
            e.os_user,
            e.host
        ])?;
    }
    Ok(())
}
