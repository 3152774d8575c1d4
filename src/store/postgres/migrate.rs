//! The PostgreSQL store's schema: the numbered files in `migrations/`, run
//! forward in the schema `latch` and recorded in `latch.schema_migrations`,
//! one row per migration applied.
//!
//! Migrating is one transaction that begins by taking latch's migration
//! advisory lock (`pg_advisory_xact_lock`), then looks again at what is
//! there: when several hosts start a new latch at once, one migrates and the
//! others, let in after its commit, find nothing left to do. A schema newer
//! than this binary, or a `latch` schema that is not latch's, is refused
//! before anything is written. An open of a store already at this version
//! takes no lock and writes nothing.

use std::cell::RefCell;

use postgres::Client;
use postgres::types::Type;

use super::transaction::{End, Failure, Lock, Tx, run, store_error};
use crate::error::{Error, Result};
use crate::store::OpenMode;

/// The migrations, in order; the last one's number is the schema version
/// this binary writes.
const MIGRATIONS: &[(i32, &str)] = &[(1, include_str!("migrations/0001_initial.sql"))];
pub const SCHEMA_VERSION: i32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// What a database holds under the name `latch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// No such schema, or an empty one (made ready by an administrator).
    Nothing,
    /// A schema with objects but no version table: not latch's.
    NotOurs,
    Version(i32),
}

fn inspect(tx: &mut Tx<'_>) -> Result<Found, Failure> {
    let row = tx.query_typed_one(
        "SELECT n.oid IS NOT NULL, \
                to_regclass('latch.schema_migrations') IS NOT NULL, \
                (SELECT count(*) FROM pg_class WHERE relnamespace = n.oid) \
         FROM (SELECT 1) AS one LEFT JOIN pg_namespace n ON n.nspname = 'latch'",
        &[],
    )?;
    let (schema, versioned, objects): (bool, bool, i64) = (row.get(0), row.get(1), row.get(2));
    if versioned {
        let version: i32 = tx
            .query_typed_one(
                "SELECT coalesce(max(version), 0) FROM latch.schema_migrations",
                &[],
            )?
            .get(0);
        return Ok(Found::Version(version));
    }
    Ok(if schema && objects > 0 {
        Found::NotOurs
    } else {
        Found::Nothing
    })
}

/// Makes the store's schema current. `false` when `mode` is `Existing` and
/// the database has no latch store.
pub(super) fn migrate(
    cell: &RefCell<Client>,
    location: &dyn std::fmt::Display,
    mode: OpenMode,
) -> Result<bool> {
    match run(cell, location, None, End::Commit, inspect)? {
        Found::Nothing if mode == OpenMode::Existing => return Ok(false),
        Found::NotOurs => return Err(not_ours(location)),
        Found::Version(version) if version > SCHEMA_VERSION => {
            return Err(newer_schema(location, version));
        }
        Found::Version(SCHEMA_VERSION) => return Ok(true),
        Found::Nothing | Found::Version(_) => {}
    }
    run(cell, location, Some(Lock::Migrate), End::Commit, |tx| {
        // Another host may have migrated while this one waited for the lock.
        let from = match inspect(tx)? {
            Found::NotOurs => return Err(Failure::Refused(not_ours(location))),
            Found::Version(version) if version > SCHEMA_VERSION => {
                return Err(Failure::Refused(newer_schema(location, version)));
            }
            Found::Version(version) => version,
            Found::Nothing => 0,
        };
        if from == SCHEMA_VERSION {
            return Ok(());
        }
        tx.batch_execute(
            "CREATE SCHEMA IF NOT EXISTS latch; \
             SET LOCAL search_path = latch; \
             CREATE TABLE IF NOT EXISTS schema_migrations ( \
                 version    integer PRIMARY KEY, \
                 applied_at timestamptz NOT NULL DEFAULT now())",
        )?;
        for (number, sql) in MIGRATIONS.iter().filter(|(number, _)| *number > from) {
            tx.batch_execute(sql).map_err(|e| {
                let cause = e
                    .as_db_error()
                    .map_or_else(|| e.to_string(), |db| db.message().into());
                Failure::Refused(store_error(
                    location,
                    format!("migration {number:04} failed: {cause}"),
                    None,
                ))
            })?;
            tx.execute_typed(
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[(number, Type::INT4)],
            )?;
        }
        Ok(())
    })?;
    Ok(true)
}

fn not_ours(location: &dyn std::fmt::Display) -> Error {
    store_error(
        location,
        "has a schema named `latch` that is not a latch store (it has tables, \
         but no latch.schema_migrations)",
        Some("point --db at another database, or rename that schema"),
    )
}

fn newer_schema(location: &dyn std::fmt::Display, version: i32) -> Error {
    store_error(
        location,
        format!(
            "was written by a newer latch (schema {version}; this latch knows up to {SCHEMA_VERSION})"
        ),
        Some("upgrade latch to use this store"),
    )
}
