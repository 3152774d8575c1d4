//! `store copy` on PostgreSQL: every row but the sessions read in one
//! REPEATABLE READ, READ ONLY transaction (one snapshot, whatever other
//! hosts write meanwhile), users and events `COPY_BATCH` at a time by id,
//! and written batch by batch into an empty store in one transaction, ids
//! kept, a batch of users or events one statement. The identity columns
//! are then set past the largest id written, so the next row the store
//! makes gets a new one.
//!
//! The write first takes `users` in SHARE ROW EXCLUSIVE mode: no
//! registration, import or other copy inserts a user until it ends, so the
//! store it found empty stays empty until it commits.

use postgres::Row;
use postgres::types::Type;

use super::PostgresStore;
use super::import::BATCH;
use super::rows::{
    EVENT_COLUMNS, USER_COLUMNS, insert_event, insert_users, read_event, read_user, small,
};
use super::transaction::{Failure, Tx};
use crate::audit::{AuditEvent, RecordedEvent};
use crate::error::Result;
use crate::store::{
    COPY_BATCH, CopiedFactor, CopiedFailures, CopiedRecoveryCode, CopyFill, CopySink, CopyWritten,
    StoreCopy,
};

pub(super) fn read_batches(store: &PostgresStore, each: &mut CopySink<'_>) -> Result<()> {
    (|| -> Result<(), Failure> {
        // No statement timeout: a large store takes as long as it takes.
        let mut tx = Tx::begin(&store.client, None, true)?;
        // Before the first query, which takes the snapshot.
        tx.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
        pages(
            &mut tx,
            &format!("SELECT {USER_COLUMNS} FROM users WHERE id > $1 ORDER BY id LIMIT $2"),
            |row| read_user(row, 0),
            |user| user.id,
            &mut |users| {
                each(&StoreCopy {
                    users,
                    ..StoreCopy::default()
                })
            },
        )?;
        each(&read_rest(&mut tx)?).map_err(Failure::Refused)?;
        pages(
            &mut tx,
            &format!("SELECT {EVENT_COLUMNS} FROM events WHERE id > $1 ORDER BY id LIMIT $2"),
            read_event,
            |event| event.id,
            &mut |events| {
                each(&StoreCopy {
                    events,
                    ..StoreCopy::default()
                })
            },
        )?;
        tx.finish(super::transaction::End::Commit)?;
        Ok(())
    })()
    .map_err(|f| f.in_store(&store.location))
}

/// The rows `sql` selects (`$1` the last id of the page before, `$2` the
/// page's size), `COPY_BATCH` at a time into `put`: each page goes on
/// after the largest id of the last, every page in the one snapshot.
fn pages<T>(
    tx: &mut Tx<'_>,
    sql: &str,
    read: impl Fn(&Row) -> Result<T, Failure>,
    id: impl Fn(&T) -> i64,
    put: &mut dyn FnMut(Vec<T>) -> Result<()>,
) -> Result<(), Failure> {
    let limit = i64::try_from(COPY_BATCH).unwrap_or(i64::MAX);
    let mut after = i64::MIN;
    loop {
        let batch = tx
            .query_typed(sql, &[(&after, Type::INT8), (&limit, Type::INT8)])?
            .iter()
            .map(&read)
            .collect::<Result<Vec<_>, Failure>>()?;
        let Some(last) = batch.last() else {
            return Ok(());
        };
        after = id(last);
        let full = batch.len() == COPY_BATCH;
        put(batch).map_err(Failure::Refused)?;
        if !full {
            return Ok(());
        }
    }
}

/// Every row but the users and the events (and the sessions).
fn read_rest(tx: &mut Tx<'_>) -> Result<StoreCopy, Failure> {
    let factors = tx
        .query_typed(
            "SELECT user_id::bigint, key, step::bigint, t0, digits::bigint, drift, last_t, \
                    confirmed, created_at, confirmed_at \
             FROM mfa_factors ORDER BY user_id",
            &[],
        )?
        .iter()
        .map(|row| {
            Ok(CopiedFactor {
                user_id: row.try_get(0)?,
                key: row.try_get(1)?,
                step: row.try_get(2)?,
                t0: row.try_get(3)?,
                digits: row.try_get(4)?,
                drift: row.try_get(5)?,
                last_t: row.try_get(6)?,
                confirmed: row.try_get(7)?,
                created_at: row.try_get(8)?,
                confirmed_at: row.try_get(9)?,
            })
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    let recovery_codes = tx
        .query_typed(
            "SELECT id, user_id::bigint, code_hash, used_at FROM mfa_recovery_codes ORDER BY id",
            &[],
        )?
        .iter()
        .map(|row| {
            Ok(CopiedRecoveryCode {
                id: row.try_get(0)?,
                user_id: row.try_get(1)?,
                code_hash: row.try_get(2)?,
                used_at: row.try_get(3)?,
            })
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    let policy = tx
        .query_typed("SELECT key, value FROM policy ORDER BY key", &[])?
        .iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect::<Result<Vec<_>, Failure>>()?;
    let failures = tx
        .query_typed(
            "SELECT username_key, failures::bigint, last_failure_at, locked_until \
             FROM login_failures ORDER BY username_key",
            &[],
        )?
        .iter()
        .map(|row| {
            Ok(CopiedFailures {
                username_key: row.try_get(0)?,
                failures: row.try_get(1)?,
                last_failure_at: row.try_get(2)?,
                locked_until: row.try_get(3)?,
            })
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    Ok(StoreCopy {
        factors,
        recovery_codes,
        policy,
        failures,
        ..StoreCopy::default()
    })
}

pub(super) fn write_copy(
    store: &mut PostgresStore,
    fill: &mut CopyFill<'_>,
) -> Result<CopyWritten> {
    let location = store.location.clone();
    store.transact(None, |tx| {
        tx.batch_execute("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")?;
        let counts = tx.query_one(
            "SELECT (SELECT count(*) FROM users), \
                    (SELECT count(*) FROM sessions) + (SELECT count(*) FROM events) \
                    + (SELECT count(*) FROM policy) + (SELECT count(*) FROM login_failures) \
                    + (SELECT count(*) FROM mfa_factors) \
                    + (SELECT count(*) FROM mfa_recovery_codes)",
            &[],
        )?;
        let users = u64::from(small(counts.try_get(0)?, "a row count")?);
        let rows = u64::from(small(counts.try_get(1)?, "a row count")?);
        if users + rows > 0 {
            return Ok(CopyWritten::NotEmpty { users, rows });
        }
        let event = fill(&mut |batch| write_rows(tx, batch).map_err(|f| f.in_store(&location)))
            .map_err(Failure::Refused)?;
        // Each identity column goes on after the largest id now in it,
        // before the copy's own event takes the next one.
        tx.batch_execute(
            "SELECT setval(pg_get_serial_sequence('latch.users', 'id'), \
                           coalesce((SELECT max(id) FROM users), 0) + 1, false); \
             SELECT setval(pg_get_serial_sequence('latch.events', 'id'), \
                           coalesce((SELECT max(id) FROM events), 0) + 1, false); \
             SELECT setval(pg_get_serial_sequence('latch.mfa_recovery_codes', 'id'), \
                           coalesce((SELECT max(id) FROM mfa_recovery_codes), 0) + 1, false)",
        )?;
        insert_event(tx, &event)?;
        Ok(CopyWritten::Done)
    })
}

fn write_rows(tx: &mut Tx<'_>, copy: &StoreCopy) -> Result<(), Failure> {
    for chunk in copy.users.chunks(BATCH) {
        insert_users(tx, chunk, false)?;
    }
    for f in &copy.factors {
        tx.execute_typed(
            "INSERT INTO mfa_factors (user_id, key, step, t0, digits, drift, last_t, \
                                      confirmed, created_at, confirmed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            &[
                (&f.user_id, Type::INT8),
                (&f.key, Type::TEXT),
                (&f.step, Type::INT8),
                (&f.t0, Type::INT8),
                (&f.digits, Type::INT8),
                (&f.drift, Type::INT8),
                (&f.last_t, Type::INT8),
                (&f.confirmed, Type::BOOL),
                (&f.created_at, Type::INT8),
                (&f.confirmed_at, Type::INT8),
            ],
        )?;
    }
    for code in &copy.recovery_codes {
        tx.execute_typed(
            "INSERT INTO mfa_recovery_codes (id, user_id, code_hash, used_at) \
             VALUES ($1, $2, $3, $4)",
            &[
                (&code.id, Type::INT8),
                (&code.user_id, Type::INT8),
                (&code.code_hash, Type::BYTEA),
                (&code.used_at, Type::INT8),
            ],
        )?;
    }
    for (key, value) in &copy.policy {
        tx.execute_typed(
            "INSERT INTO policy (key, value) VALUES ($1, $2)",
            &[(key, Type::TEXT), (value, Type::INT8)],
        )?;
    }
    for f in &copy.failures {
        tx.execute_typed(
            "INSERT INTO login_failures (username_key, failures, last_failure_at, locked_until) \
             VALUES ($1, $2, $3, $4)",
            &[
                (&f.username_key, Type::TEXT),
                (&f.failures, Type::INT8),
                (&f.last_failure_at, Type::INT8),
                (&f.locked_until, Type::INT8),
            ],
        )?;
    }
    for chunk in copy.events.chunks(BATCH) {
        insert_events(tx, chunk)?;
    }
    Ok(())
}

/// Events with their ids, `BATCH` at a time, as `insert_users` writes users.
fn insert_events(tx: &mut Tx<'_>, events: &[RecordedEvent]) -> Result<(), Failure> {
    let text = |field: &dyn Fn(&AuditEvent) -> Option<String>| -> Vec<Option<String>> {
        events.iter().map(|e| field(&e.event)).collect()
    };
    let number = |field: &dyn Fn(&RecordedEvent) -> Option<i64>| -> Vec<Option<i64>> {
        events.iter().map(field).collect()
    };
    tx.execute_typed(
        "INSERT INTO events (id, at, kind, subject, subject_key, user_id, actor, actor_id, \
                             detail, os_user, host) \
         SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &[
            (&number(&|e| Some(e.id)), Type::INT8_ARRAY),
            (&number(&|e| Some(e.event.at)), Type::INT8_ARRAY),
            (&text(&|e| Some(e.kind.to_string())), Type::TEXT_ARRAY),
            (&text(&|e| Some(e.subject.clone())), Type::TEXT_ARRAY),
            (&text(&|e| Some(e.subject_key.clone())), Type::TEXT_ARRAY),
            (&number(&|e| e.event.user_id), Type::INT8_ARRAY),
            (&text(&|e| e.actor.clone()), Type::TEXT_ARRAY),
            (&number(&|e| e.event.actor_id), Type::INT8_ARRAY),
            (&text(&|e| Some(e.detail.clone())), Type::TEXT_ARRAY),
            (&text(&|e| Some(e.os_user.clone())), Type::TEXT_ARRAY),
            (&text(&|e| Some(e.host.clone())), Type::TEXT_ARRAY),
        ],
    )?;
    Ok(())
}
