//! The audit trail on SQLite: recording an event, alone or inside another
//! write's transaction, and reading the newest ones for `history`. Events
//! are never updated or deleted here.

use rusqlite::{Transaction, params};

use super::SqliteStore;
use super::errors::sql_error;
use super::rows::{EVENT_COLUMNS, read_event};
use crate::audit::{AuditEvent, RecordedEvent};
use crate::error::Result;
use crate::store::EventFilter;

pub(super) fn record(store: &mut SqliteStore, event: &AuditEvent) -> Result<()> {
    let (tx, path) = store.write()?;
    insert_event(&tx, event)
        .and_then(|()| tx.commit())
        .map_err(|e| sql_error(path, &e))
}

pub(super) fn events(
    store: &SqliteStore,
    filter: &EventFilter,
    limit: u32,
) -> Result<Vec<RecordedEvent>> {
    let mut statement = store
        .conn
        .prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM events \
             WHERE (?1 IS NULL AND ?2 IS NULL) OR user_id = ?1 OR subject_key = ?2 \
             ORDER BY id DESC LIMIT ?3"
        ))
        .map_err(store.err())?;
    let rows = statement
        .query_map(
            params![filter.user_id, filter.subject_key, limit],
            read_event,
        )
        .map_err(store.err())?;
    rows.collect::<rusqlite::Result<_>>().map_err(store.err())
}

pub(super) fn insert_event(tx: &Transaction<'_>, event: &AuditEvent) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO events (at, kind, subject, subject_key, user_id, actor, actor_id, \
                             detail, os_user, host) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        event.at,
        event.kind,
        event.subject,
        event.subject_key,
        event.user_id,
        event.actor,
        event.actor_id,
        event.detail,
        event.os_user,
        event.host
    ])?;
    Ok(())
}
