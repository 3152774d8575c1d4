//! Imports on SQLite: one `BEGIN IMMEDIATE` transaction from `import` to
//! `finish`, inserting or writing over users with the same unique-key
//! checks as `register`, and refusing at the end a store left without the
//! admin it had. It applies no transfer rules of its own.

use std::path::PathBuf;

use rusqlite::{Transaction, params};

use super::errors::sql_error;
use super::events::insert_event;
use super::rows::insert_user_row;
use super::users::taken_by;
use super::{SqliteStore, mfa};
use crate::audit::AuditEvent;
use crate::error::{Error, Result};
use crate::store::{ImportBatch, ImportEnd, Keys, NewUser, Written};

pub(super) fn import(store: &mut SqliteStore) -> Result<Box<dyn ImportBatch + '_>> {
    let (tx, path) = store.write()?;
    let err = |e: rusqlite::Error| sql_error(path, &e);
    let (last_id, had_admin): (i64, bool) = tx
        .query_row(
            "SELECT coalesce(max(id), 0), \
                    EXISTS (SELECT 1 FROM users WHERE is_superuser AND is_active) \
             FROM users",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .map_err(err)?;
    Ok(Box::new(SqliteImport {
        tx,
        path: path.to_path_buf(),
        last_id,
        had_admin,
    }))
}

/// An import: one `BEGIN IMMEDIATE` transaction until `finish`.
struct SqliteImport<'a> {
    tx: Transaction<'a>,
    path: PathBuf,
    /// The largest user id before the import: users above it came from it.
    last_id: i64,
    had_admin: bool,
}

impl SqliteImport<'_> {
    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        |e| sql_error(&self.path, &e)
    }

    fn taken(&self, keys: &Keys, except: Option<i64>) -> Result<Option<Written>> {
        Ok(taken_by(&self.tx, keys, except)
            .map_err(self.err())?
            .map(|(field, by)| Written::Taken {
                field,
                by,
                earlier: by > self.last_id,
            }))
    }
}

impl ImportBatch for SqliteImport<'_> {
    fn insert(&mut self, user: &NewUser) -> Result<Written> {
        if let Some(taken) = self.taken(&user.keys(), None)? {
            return Ok(taken);
        }
        let id = insert_user_row(&self.tx, None, user).map_err(self.err())?;
        Ok(Written::Done { id })
    }

    fn update(&mut self, id: i64, user: &NewUser) -> Result<Written> {
        let keys = user.keys();
        if let Some(taken) = self.taken(&keys, Some(id))? {
            return Ok(taken);
        }
        let changed_password: bool = self
            .tx
            .query_row(
                "SELECT password != ?1 FROM users WHERE id = ?2",
                params![user.password, id],
                |row| row.get(0),
            )
            .map_err(self.err())?;
        if changed_password || !user.is_active {
            self.tx
                .prepare_cached("DELETE FROM sessions WHERE user_id = ?1")
                .and_then(|mut s| s.execute([id]))
                .map_err(self.err())?;
        }
        self.tx
            .prepare_cached(
                // The username is left as it is: the row matched it without
                // regard to case, and the first spelling is kept.
                "UPDATE users SET password = ?1, is_superuser = ?2, \
                        first_name = ?3, last_name = ?4, email = ?5, is_staff = ?6, \
                        is_active = ?7, date_joined = ?8, last_login = ?9, \
                        email_key = ?10 \
                 WHERE id = ?11",
            )
            .and_then(|mut s| {
                s.execute(params![
                    user.password,
                    user.is_superuser,
                    user.first_name,
                    user.last_name,
                    user.email,
                    user.is_staff,
                    user.is_active,
                    user.date_joined,
                    user.last_login,
                    keys.email,
                    id
                ])
            })
            .map_err(self.err())?;
        Ok(Written::Done { id })
    }

    fn set_factor(&mut self, user_id: i64, totp: &crate::mfa::totp::TotpState) -> Result<()> {
        mfa::import_factor(&self.tx, user_id, totp).map_err(self.err())
    }

    fn finish(self: Box<Self>, end: ImportEnd, event: &AuditEvent) -> Result<()> {
        if end == ImportEnd::Abandon {
            return self.tx.rollback().map_err(|e| sql_error(&self.path, &e));
        }
        let err = |e: rusqlite::Error| sql_error(&self.path, &e);
        let has_admin: bool = self
            .tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM users WHERE is_superuser AND is_active)",
                [],
                |row| row.get(0),
            )
            .map_err(err)?;
        if self.had_admin && !has_admin {
            return Err(Error::NotPermitted(
                "the import would leave the store without an active admin".into(),
            ));
        }
        insert_event(&self.tx, event).map_err(err)?;
        if end == ImportEnd::DryRun {
            return self.tx.rollback().map_err(err);
        }
        self.tx.commit().map_err(err)
    }
}
