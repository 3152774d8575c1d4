//! The embedded account store: one SQLite file in WAL mode, foreign keys on,
//! `synchronous=FULL`, a busy timeout, and writers that take the write lock up
//! front (`BEGIN IMMEDIATE`) so two processes never deadlock.
//!
//! This module opens the store (`files` checks and creates the file 0600 in
//! a 0700 directory, refusing one others can write to; `migrate` applies the
//! numbered files in `migrations/`, tracked by `PRAGMA user_version`, and
//! refuses a newer store untouched) and fits `AccountStore` over the parts:
//! `users`, `sessions`, `lockout`, `events`, `policy`, `import` and `mfa`,
//! with `rows` and `errors` beside them. Every statement is parameterized;
//! each method that writes is one transaction.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, Transaction};

use crate::audit::{AuditEvent, RecordedEvent};
use crate::error::{Error, Result};
use crate::policy::Policy;
use crate::session::TokenHash;
use crate::store::{
    AccountStore, Attempt, EventFilter, ImportBatch, NewSession, NewUser, OpenMode, Rehash,
    Session, SessionListing, Sessions, StoreLocation, User, UserFilter, UserListing,
};
use errors::{io_error, is_busy, sql_error};
use files::{check_directory, check_permissions, create_file, file_kind};

mod copy;
mod errors;
mod events;
mod files;
mod import;
mod lockout;
mod mfa;
mod migrate;
mod policy;
mod rows;
mod sessions;
mod users;

pub(crate) use mfa::decode_hex;
pub use migrate::SCHEMA_VERSION;

/// How long a command waits for another process's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// `path` as a location, for `AccountStore::location`.
    location: StoreLocation,
}

impl SqliteStore {
    /// Opens the store at `path`, creating it with `OpenMode::Create`, and
    /// migrates it forward. `None` when it does not exist and `mode` is `Existing`.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Option<SqliteStore>> {
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(Error::store(
                    path,
                    "is a directory, not a store file",
                    Some("pass the path of a file with --db (or LATCH_DB)".into()),
                ));
            }
            Ok(meta) if !meta.is_file() => {
                return Err(Error::store(
                    path,
                    format!("is {}, not a store file", file_kind(&meta)),
                    Some("pass the path of a file with --db (or LATCH_DB)".into()),
                ));
            }
            Ok(meta) => check_permissions(path, &meta)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match mode {
                OpenMode::Existing => return Ok(None),
                OpenMode::Create => {
                    // Refused now, as every later open would refuse it,
                    // before anything is created.
                    check_directory(path)?;
                    create_file(path)?;
                }
            },
            Err(e) => return Err(io_error(path, "cannot read", &e)),
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| sql_error(path, &e))?;
        let mut store = SqliteStore {
            conn,
            path: path.to_owned(),
            location: StoreLocation::File(path.to_owned()),
        };
        store.configure()?;
        store.migrate()?;
        Ok(Some(store))
    }

    fn configure(&mut self) -> Result<()> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| sql_error(&path, &e);
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        // Before anything is written (switching to WAL writes the header):
        // a file that is not SQLite, a newer schema, or another program's
        // database is refused as it is.
        self.refuse_what_is_not_ours()?;
        let mode = self.switch_to_wal().map_err(err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::store(
                &path,
                format!("cannot switch to WAL journal mode (it stays {mode:?})"),
                None,
            ));
        }
        self.conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")
            .map_err(err)
    }

    /// Switches the store to WAL and returns the journal mode it is in.
    ///
    /// On a store still in rollback mode (one being created right now), two
    /// processes switching at once deadlock: each holds a read lock and
    /// wants the write lock, so SQLite fails one of them at once with
    /// `SQLITE_BUSY` instead of calling the busy handler. The switch is
    /// retried here, as the busy handler would, until the busy timeout.
    fn switch_to_wal(&self) -> rusqlite::Result<String> {
        let deadline = Instant::now() + BUSY_TIMEOUT;
        let mut pause = Duration::from_millis(1);
        loop {
            match self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            {
                Err(e) if is_busy(&e) && Instant::now() + pause < deadline => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(50));
                }
                result => return result,
            }
        }
    }
    /// A write transaction (`BEGIN IMMEDIATE`), with the store's path for
    /// the errors raised inside it.
    fn write(&mut self) -> Result<(Transaction<'_>, &Path)> {
        let path = self.path.as_path();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| sql_error(path, &e))?;
        Ok((tx, path))
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        |e| sql_error(&self.path, &e)
    }
}

impl AccountStore for SqliteStore {
    fn location(&self) -> &StoreLocation {
        &self.location
    }

    fn policy(&self) -> Result<Policy> {
        policy::policy(self)
    }

    fn has_admin(&self) -> Result<bool> {
        users::has_admin(self)
    }

    fn insert_user(
        &mut self,
        user: &NewUser,
        event: &AuditEvent,
        first_admin: bool,
    ) -> Result<User> {
        users::insert_user(self, user, event, first_admin)
    }

    fn user_by_key(&self, username_key: &str) -> Result<Option<User>> {
        users::user_by_key(self, username_key)
    }

    fn user_listing(&self, username_key: &str) -> Result<Option<UserListing>> {
        users::user_listing(self, username_key)
    }

    fn for_each_user(
        &self,
        filter: UserFilter,
        visit: &mut dyn FnMut(UserListing) -> Result<()>,
    ) -> Result<()> {
        users::for_each_user(self, filter, visit)
    }

    fn start_session(
        &mut self,
        session: &NewSession,
        replacing: Option<&TokenHash>,
        events: &[AuditEvent],
        before_commit: &mut dyn FnMut() -> Result<()>,
    ) -> Result<i64> {
        sessions::start_session(self, session, replacing, events, before_commit)
    }

    fn confirm_check(
        &mut self,
        user_id: i64,
        verified_password: &str,
        rehash: Option<&Rehash>,
        events: &[AuditEvent],
    ) -> Result<()> {
        sessions::confirm_check(self, user_id, verified_password, rehash, events)
    }

    fn under_write_lock(&mut self, work: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        sessions::under_write_lock(self, work)
    }

    fn session_by_token(&self, token_hash: &TokenHash) -> Result<Option<(Session, User)>> {
        sessions::session_by_token(self, token_hash)
    }

    fn sessions(&self, user_id: Option<i64>) -> Result<Vec<SessionListing>> {
        sessions::sessions(self, user_id)
    }

    fn touch_session(&mut self, id: i64, now: i64) -> Result<()> {
        sessions::touch_session(self, id, now)
    }

    fn end_sessions(&mut self, which: Sessions, event: Option<&AuditEvent>) -> Result<usize> {
        sessions::end_sessions(self, which, event)
    }

    fn record(&mut self, event: &AuditEvent) -> Result<()> {
        events::record(self, event)
    }

    fn begin_attempt(
        &mut self,
        username_key: &str,
        now: i64,
        lock_until: &dyn Fn(u32) -> Option<i64>,
    ) -> Result<Attempt> {
        lockout::begin_attempt(self, username_key, now, lock_until)
    }

    fn reset_failures(&mut self, username_key: &str) -> Result<()> {
        lockout::reset_failures(self, username_key)
    }

    fn clear_failures(&mut self, username_key: &str, event: &AuditEvent) -> Result<bool> {
        lockout::clear_failures(self, username_key, event)
    }

    fn change_password(
        &mut self,
        user_id: i64,
        previous: &str,
        password: &str,
        keep: Option<i64>,
        binding: &[u8; 32],
        event: &AuditEvent,
    ) -> Result<usize> {
        users::change_password(self, user_id, previous, password, keep, binding, event)
    }

    fn set_admin(&mut self, user_id: i64, admin: bool, event: &AuditEvent) -> Result<()> {
        users::set_admin(self, user_id, admin, event)
    }

    fn set_active(&mut self, user_id: i64, active: bool, event: &AuditEvent) -> Result<usize> {
        users::set_active(self, user_id, active, event)
    }

    fn delete_user(&mut self, user_id: i64, event: &AuditEvent) -> Result<()> {
        users::delete_user(self, user_id, event)
    }

    fn set_policy(&mut self, key: &str, value: i64, event: &AuditEvent) -> Result<()> {
        policy::set_policy(self, key, value, event)
    }

    fn events(&self, filter: &EventFilter, limit: u32) -> Result<Vec<RecordedEvent>> {
        events::events(self, filter, limit)
    }

    fn import(&mut self) -> Result<Box<dyn ImportBatch + '_>> {
        import::import(self)
    }

    fn read_batches(&self, each: &mut crate::store::CopySink<'_>) -> Result<()> {
        copy::read_batches(self, each)
    }

    fn write_copy(
        &mut self,
        fill: &mut crate::store::CopyFill<'_>,
    ) -> Result<crate::store::CopyWritten> {
        copy::write_copy(self, fill)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_store_waits_for_another_process_switching_it_to_wal() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("latch.db");
        create_file(&path).expect("new store file");
        // Another connection holds the write lock of the store while it is
        // still in rollback mode, as a process creating it at the same
        // moment does: SQLite refuses the WAL switch at once, without its
        // busy handler.
        let other = Connection::open(&path).expect("second connection");
        other.execute_batch("BEGIN IMMEDIATE").expect("write lock");
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            other.execute_batch("COMMIT").expect("release");
        });
        let store = SqliteStore::open(&path, OpenMode::Existing)
            .expect("the store opens once the other process is done")
            .expect("the store exists");
        release.join().expect("releasing thread");
        assert_eq!(
            store.user_version().expect("schema version"),
            SCHEMA_VERSION
        );
    }

    fn fresh_store() -> crate::store::contract::FreshStore {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = SqliteStore::open(&dir.path().join("latch.db"), OpenMode::Create)
            .expect("a new store")
            .expect("created");
        crate::store::contract::FreshStore {
            store: Box::new(store),
            keep: Box::new(dir),
        }
    }

    mod contract {
        crate::store_contract_tests!(super::fresh_store);
    }
}
