//! The schema of the SQLite store: the numbered files in `migrations/`,
//! embedded at compile time, applied forward in one `BEGIN IMMEDIATE`
//! transaction on open and tracked by `PRAGMA user_version`. A store newer
//! than this binary, or an SQLite database with tables that are not latch's,
//! is refused without a byte written to it.

use std::path::Path;

use rusqlite::{Transaction, params};

use super::SqliteStore;
use super::errors::{sql_error, sqlite_message};
use crate::error::{Error, Result};

/// The migrations, in order; the last one's number is the schema version this
/// binary writes.
const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("migrations/0001_initial.sql")),
    (2, include_str!("migrations/0002_login_failures.sql")),
    (3, include_str!("migrations/0003_session_last_seen.sql")),
    (4, include_str!("migrations/0004_email_idna_keys.sql")),
    (5, include_str!("migrations/0005_mfa.sql")),
];
pub const SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

impl SqliteStore {
    /// Refuses a store from a newer latch, or an SQLite database with tables
    /// but no latch schema, without writing to it.
    pub(super) fn refuse_what_is_not_ours(&self) -> Result<()> {
        // One statement, so one snapshot: another process may be committing
        // the first migration at this moment.
        let (version, tables): (u32, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT user_version FROM pragma_user_version), \
                        (SELECT count(*) FROM sqlite_master)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(|e| sql_error(&self.path, &e))?;
        if version > SCHEMA_VERSION {
            return Err(newer_schema(&self.path, version));
        }
        if version == 0 && tables > 0 {
            return Err(not_ours(&self.path));
        }
        Ok(())
    }

    pub(super) fn user_version(&self) -> Result<u32> {
        self.conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| sql_error(&self.path, &e))
    }

    pub(super) fn migrate(&mut self) -> Result<()> {
        let version = self.user_version()?;
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        if version > SCHEMA_VERSION {
            return Err(newer_schema(&self.path, version));
        }
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        // Another process may have migrated while this one waited for the lock.
        let version: u32 = tx
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(err)?;
        if version > SCHEMA_VERSION {
            return Err(newer_schema(path, version));
        }
        if version == 0 {
            let tables: i64 = tx
                .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
                .map_err(err)?;
            if tables > 0 {
                return Err(not_ours(path));
            }
        }
        for (number, sql) in MIGRATIONS.iter().filter(|(number, _)| *number > version) {
            tx.execute_batch(sql)
                .and_then(|()| match number {
                    4 => fold_email_domains(&tx),
                    _ => Ok(()),
                })
                .map_err(|e| {
                    Error::store(
                        path,
                        format!("migration {number:04} failed: {}", sqlite_message(&e)),
                        None,
                    )
                })?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(err)?;
        tx.commit().map_err(err)
    }
}

/// Migration 0004's part in Rust: the email key of every address outside
/// ASCII, recomputed with `validate::email_key`. One that another user's
/// key already has is left as it was (`OR IGNORE`).
fn fold_email_domains(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let rows: Vec<(i64, String)> = tx
        .prepare("SELECT id, email FROM users WHERE email GLOB '*[^ -~]*'")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE OR IGNORE users SET email_key = ?1 WHERE id = ?2")?;
    for (id, email) in rows {
        update.execute(params![crate::validate::email_key(&email), id])?;
    }
    Ok(())
}

fn not_ours(path: &Path) -> Error {
    Error::store(
        path,
        "is an SQLite database but not a latch store (it already has tables)",
        Some("point --db at a new file, or at an existing latch store".into()),
    )
}

fn newer_schema(path: &Path, version: u32) -> Error {
    Error::store(
        path,
        format!(
            "was written by a newer latch (schema {version}; this latch knows up to {SCHEMA_VERSION})"
        ),
        Some("upgrade latch to use this store".into()),
    )
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    #[test]
    fn migrations_are_numbered_in_order() {
        for (index, (number, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*number as usize, index + 1);
        }
    }
}
