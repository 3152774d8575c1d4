//! The policy table on SQLite: the stored overrides read over the defaults,
//! and one value written with its event. Values arrive checked; a stored
//! value the policy refuses is a store error, never ignored.

use rusqlite::params;

use super::SqliteStore;
use super::errors::sql_error;
use super::events::insert_event;
use crate::audit::AuditEvent;
use crate::error::{Error, Result};
use crate::policy::Policy;

pub(super) fn policy(store: &SqliteStore) -> Result<Policy> {
    let mut policy = Policy::default();
    let mut statement = store
        .conn
        .prepare_cached("SELECT key, value FROM policy")
        .map_err(store.err())?;
    let rows = statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })
        .map_err(store.err())?;
    for row in rows {
        let (key, value) = row.map_err(store.err())?;
        policy.apply(&key, value).map_err(|e| {
            Error::store(
                &store.path,
                format!("the policy table is invalid: {e}"),
                None,
            )
        })?;
    }
    Ok(policy)
}

pub(super) fn set_policy(
    store: &mut SqliteStore,
    key: &str,
    value: i64,
    event: &AuditEvent,
) -> Result<()> {
    let (tx, path) = store.write()?;
    let err = |e: rusqlite::Error| sql_error(path, &e);
    tx.execute(
        "INSERT INTO policy (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map_err(err)?;
    insert_event(&tx, event).map_err(err)?;
    tx.commit().map_err(err)
}
