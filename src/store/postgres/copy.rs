//! `store copy` on PostgreSQL: every row but the sessions read in one
//! REPEATABLE READ, READ ONLY transaction (one snapshot, whatever other
//! hosts write meanwhile), each table `COPY_BATCH` rows at a time in the
//! order of its key, and written batch by batch into an empty store in one
//! transaction, ids kept, each batch of a table one `INSERT … SELECT FROM
//! unnest` statement. The identity columns are then set past the largest
//! id written, so the next row the store makes gets a new one.
//!
//! The write first takes `users` in SHARE ROW EXCLUSIVE mode: no
//! registration, import or other copy inserts a user until it ends, so the
//! store it found empty stays empty until it commits.

use postgres::Row;
use postgres::types::{ToSql, Type};

use super::PostgresStore;
use super::import::BATCH;
use super::rows::{
    EVENT_COLUMNS, USER_COLUMNS, column, insert_event, insert_users, read_event, read_user, small,
};
use super::transaction::{Failure, Tx};
use crate::audit::RecordedEvent;
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
            &format!(
                "SELECT {USER_COLUMNS} FROM users \
                 WHERE $1 IS NULL OR id > $1 ORDER BY id LIMIT $2"
            ),
            Type::INT8,
            |row| read_user(row, 0),
            |user| user.id,
            &mut |users| {
                each(&StoreCopy {
                    users,
                    ..StoreCopy::default()
                })
            },
        )?;
        pages(
            &mut tx,
            "SELECT user_id::bigint, key, step::bigint, t0, digits::bigint, drift, last_t, \
                    confirmed, created_at, confirmed_at \
             FROM mfa_factors WHERE $1 IS NULL OR user_id > $1 ORDER BY user_id LIMIT $2",
            Type::INT8,
            read_factor,
            |factor| factor.user_id,
            &mut |factors| {
                each(&StoreCopy {
                    factors,
                    ..StoreCopy::default()
                })
            },
        )?;
        pages(
            &mut tx,
            "SELECT id, user_id::bigint, code_hash, used_at FROM mfa_recovery_codes \
             WHERE $1 IS NULL OR id > $1 ORDER BY id LIMIT $2",
            Type::INT8,
            read_recovery_code,
            |code| code.id,
            &mut |recovery_codes| {
                each(&StoreCopy {
                    recovery_codes,
                    ..StoreCopy::default()
                })
            },
        )?;
        pages(
            &mut tx,
            "SELECT key, value FROM policy WHERE $1 IS NULL OR key > $1 ORDER BY key LIMIT $2",
            Type::TEXT,
            |row| Ok((row.try_get(0)?, row.try_get(1)?)),
            |(key, _): &(String, i64)| key.clone(),
            &mut |policy| {
                each(&StoreCopy {
                    policy,
                    ..StoreCopy::default()
                })
            },
        )?;
        pages(
            &mut tx,
            "SELECT username_key, failures::bigint, last_failure_at, locked_until \
             FROM login_failures WHERE $1 IS NULL OR username_key > $1 \
             ORDER BY username_key LIMIT $2",
            Type::TEXT,
            read_failures,
            |failures| failures.username_key.clone(),
            &mut |failures| {
                each(&StoreCopy {
                    failures,
                    ..StoreCopy::default()
                })
            },
        )?;
        pages(
            &mut tx,
            &format!(
                "SELECT {EVENT_COLUMNS} FROM events \
                 WHERE $1 IS NULL OR id > $1 ORDER BY id LIMIT $2"
            ),
            Type::INT8,
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

/// The rows `sql` selects, `COPY_BATCH` at a time into `put`, every page in
/// the one snapshot. `sql` orders the rows by a unique key of type
/// `key_type` (`key` reads it from a row) and selects those after `$1`, or
/// from the first when `$1` is NULL, `$2` at most: each page goes on after
/// the last row of the one before. (An unnamed statement is planned with
/// its parameters' values: `$1 IS NULL OR` folds away, and the key's index
/// still starts each page.)
fn pages<K, T>(
    tx: &mut Tx<'_>,
    sql: &str,
    key_type: Type,
    read: impl Fn(&Row) -> Result<T, Failure>,
    key: impl Fn(&T) -> K,
    put: &mut dyn FnMut(Vec<T>) -> Result<()>,
) -> Result<(), Failure>
where
    K: ToSql + Sync,
{
    let limit = i64::try_from(COPY_BATCH).unwrap_or(i64::MAX);
    let mut after: Option<K> = None;
    loop {
        let batch = tx
            .query_typed(sql, &[(&after, key_type.clone()), (&limit, Type::INT8)])?
            .iter()
            .map(&read)
            .collect::<Result<Vec<_>, Failure>>()?;
        let Some(last) = batch.last() else {
            return Ok(());
        };
        after = Some(key(last));
        let full = batch.len() == COPY_BATCH;
        put(batch).map_err(Failure::Refused)?;
        if !full {
            return Ok(());
        }
    }
}

fn read_factor(row: &Row) -> Result<CopiedFactor, Failure> {
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
}

fn read_recovery_code(row: &Row) -> Result<CopiedRecoveryCode, Failure> {
    Ok(CopiedRecoveryCode {
        id: row.try_get(0)?,
        user_id: row.try_get(1)?,
        code_hash: row.try_get(2)?,
        used_at: row.try_get(3)?,
    })
}

fn read_failures(row: &Row) -> Result<CopiedFailures, Failure> {
    Ok(CopiedFailures {
        username_key: row.try_get(0)?,
        failures: row.try_get(1)?,
        last_failure_at: row.try_get(2)?,
        locked_until: row.try_get(3)?,
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
    for chunk in copy.factors.chunks(BATCH) {
        insert_factors(tx, chunk)?;
    }
    for chunk in copy.recovery_codes.chunks(BATCH) {
        insert_recovery_codes(tx, chunk)?;
    }
    for chunk in copy.policy.chunks(BATCH) {
        tx.execute_typed(
            "INSERT INTO policy (key, value) SELECT * FROM unnest($1, $2)",
            &[
                (&column(chunk, |(key, _)| key.as_str()), Type::TEXT_ARRAY),
                (&column(chunk, |(_, value)| *value), Type::INT8_ARRAY),
            ],
        )?;
    }
    for chunk in copy.failures.chunks(BATCH) {
        insert_failures(tx, chunk)?;
    }
    for chunk in copy.events.chunks(BATCH) {
        insert_events(tx, chunk)?;
    }
    Ok(())
}

/// Factors, `BATCH` at most, in one statement, as `insert_users` writes
/// users.
fn insert_factors(tx: &mut Tx<'_>, factors: &[CopiedFactor]) -> Result<(), Failure> {
    tx.execute_typed(
        "INSERT INTO mfa_factors (user_id, key, step, t0, digits, drift, last_t, confirmed, \
                                  created_at, confirmed_at) \
         SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            (&column(factors, |f| f.user_id), Type::INT8_ARRAY),
            (&column(factors, |f| f.key.as_str()), Type::TEXT_ARRAY),
            (&column(factors, |f| f.step), Type::INT8_ARRAY),
            (&column(factors, |f| f.t0), Type::INT8_ARRAY),
            (&column(factors, |f| f.digits), Type::INT8_ARRAY),
            (&column(factors, |f| f.drift), Type::INT8_ARRAY),
            (&column(factors, |f| f.last_t), Type::INT8_ARRAY),
            (&column(factors, |f| f.confirmed), Type::BOOL_ARRAY),
            (&column(factors, |f| f.created_at), Type::INT8_ARRAY),
            (&column(factors, |f| f.confirmed_at), Type::INT8_ARRAY),
        ],
    )?;
    Ok(())
}

/// Recovery codes with their ids, `BATCH` at most, in one statement.
fn insert_recovery_codes(tx: &mut Tx<'_>, codes: &[CopiedRecoveryCode]) -> Result<(), Failure> {
    tx.execute_typed(
        "INSERT INTO mfa_recovery_codes (id, user_id, code_hash, used_at) \
         SELECT * FROM unnest($1, $2, $3, $4)",
        &[
            (&column(codes, |c| c.id), Type::INT8_ARRAY),
            (&column(codes, |c| c.user_id), Type::INT8_ARRAY),
            (
                &column(codes, |c| c.code_hash.as_slice()),
                Type::BYTEA_ARRAY,
            ),
            (&column(codes, |c| c.used_at), Type::INT8_ARRAY),
        ],
    )?;
    Ok(())
}

/// Failed-login records, `BATCH` at most, in one statement.
fn insert_failures(tx: &mut Tx<'_>, failures: &[CopiedFailures]) -> Result<(), Failure> {
    tx.execute_typed(
        "INSERT INTO login_failures (username_key, failures, last_failure_at, locked_until) \
         SELECT * FROM unnest($1, $2, $3, $4)",
        &[
            (
                &column(failures, |f| f.username_key.as_str()),
                Type::TEXT_ARRAY,
            ),
            (&column(failures, |f| f.failures), Type::INT8_ARRAY),
            (&column(failures, |f| f.last_failure_at), Type::INT8_ARRAY),
            (&column(failures, |f| f.locked_until), Type::INT8_ARRAY),
        ],
    )?;
    Ok(())
}

/// Events with their ids, `BATCH` at a time, as `insert_users` writes users.
fn insert_events(tx: &mut Tx<'_>, events: &[RecordedEvent]) -> Result<(), Failure> {
    tx.execute_typed(
        "INSERT INTO events (id, at, kind, subject, subject_key, user_id, actor, actor_id, \
                             detail, os_user, host) \
         SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &[
            (&column(events, |e| e.id), Type::INT8_ARRAY),
            (&column(events, |e| e.event.at), Type::INT8_ARRAY),
            (
                &column(events, |e| e.event.kind.to_string()),
                Type::TEXT_ARRAY,
            ),
            (
                &column(events, |e| e.event.subject.as_str()),
                Type::TEXT_ARRAY,
            ),
            (
                &column(events, |e| e.event.subject_key.as_str()),
                Type::TEXT_ARRAY,
            ),
            (&column(events, |e| e.event.user_id), Type::INT8_ARRAY),
            (
                &column(events, |e| e.event.actor.as_deref()),
                Type::TEXT_ARRAY,
            ),
            (&column(events, |e| e.event.actor_id), Type::INT8_ARRAY),
            (
                &column(events, |e| e.event.detail.as_str()),
                Type::TEXT_ARRAY,
            ),
            (
                &column(events, |e| e.event.os_user.as_str()),
                Type::TEXT_ARRAY,
            ),
            (&column(events, |e| e.event.host.as_str()), Type::TEXT_ARRAY),
        ],
    )?;
    Ok(())
}
