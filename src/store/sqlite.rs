//! The embedded account store: one SQLite file in WAL mode, foreign keys on,
//! `synchronous=FULL`, a busy timeout, and writers that take the write lock up
//! front (`BEGIN IMMEDIATE`) so two processes never deadlock.
//!
//! The schema is the numbered files in `migrations/`, applied in one
//! transaction on open and tracked by `PRAGMA user_version`; a store newer than
//! this binary is refused, never touched. The file is created 0600 in a 0700
//! directory, and a store that others can write to is refused.

use std::fs::{self, DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction, params};

use super::{
    AccountStore, Attempt, EventFilter, Failures, ImportBatch, ImportEnd, NewSession, NewUser,
    OpenMode, Rehash, Session, SessionListing, Sessions, StoreLocation, User, UserFilter,
    UserListing, Written,
};
use crate::audit::{AuditEvent, RecordedEvent};
use crate::error::{Error, Problem, Result, Taken};
use crate::files::shared_directory;
use crate::output::shell_operand;
use crate::policy::Policy;
use crate::session::TokenHash;

mod mfa;
pub(crate) use mfa::decode_hex;

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
/// How long a command waits for another process's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const USER_COLUMNS: &str = "users.id, users.username, users.email, users.password, \
     users.first_name, users.last_name, users.is_active, users.is_staff, users.is_superuser, \
     users.date_joined, users.last_login";
/// How many columns `USER_COLUMNS` reads.
const USER_FIELDS: usize = 11;

const SESSION_COLUMNS: &str = "sessions.id, sessions.user_id, sessions.password_binding, \
     sessions.created_at, sessions.expires_at, sessions.last_seen_at, sessions.host";
const SESSION_FIELDS: usize = 7;

/// A user with their failed logins, lock and session count.
const LISTING_QUERY: &str = "SELECT users.id, users.username, users.email, users.password, \
     users.first_name, users.last_name, users.is_active, users.is_staff, users.is_superuser, \
     users.date_joined, users.last_login, \
     coalesce(login_failures.failures, 0), login_failures.locked_until, \
     (SELECT count(*) FROM sessions WHERE sessions.user_id = users.id), \
     EXISTS (SELECT 1 FROM mfa_factors WHERE mfa_factors.user_id = users.id AND confirmed), \
     (SELECT count(*) FROM mfa_recovery_codes \
      WHERE mfa_recovery_codes.user_id = users.id AND used_at IS NULL) \
     FROM users LEFT JOIN login_failures ON login_failures.username_key = users.username_key";

/// `users list --mfa` and `--no-mfa`: with or without a confirmed factor.
const MFA_CONDITION: &str =
    " WHERE EXISTS (SELECT 1 FROM mfa_factors WHERE user_id = users.id AND confirmed)";
const NO_MFA_CONDITION: &str =
    " WHERE NOT EXISTS (SELECT 1 FROM mfa_factors WHERE user_id = users.id AND confirmed)";

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

    /// Refuses a store from a newer latch, or an SQLite database with tables
    /// but no latch schema, without writing to it.
    fn refuse_what_is_not_ours(&self) -> Result<()> {
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

    fn user_version(&self) -> Result<u32> {
        self.conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| sql_error(&self.path, &e))
    }

    fn migrate(&mut self) -> Result<()> {
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
        let mut policy = Policy::default();
        let mut statement = self
            .conn
            .prepare_cached("SELECT key, value FROM policy")
            .map_err(self.err())?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })
            .map_err(self.err())?;
        for row in rows {
            let (key, value) = row.map_err(self.err())?;
            policy.apply(&key, value).map_err(|e| {
                Error::store(
                    &self.path,
                    format!("the policy table is invalid: {e}"),
                    None,
                )
            })?;
        }
        Ok(policy)
    }

    fn has_admin(&self) -> Result<bool> {
        self.conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM users WHERE is_superuser AND is_active)")
            .and_then(|mut s| s.query_row([], |row| row.get(0)))
            .map_err(self.err())
    }

    fn insert_user(
        &mut self,
        user: &NewUser,
        event: &AuditEvent,
        first_admin: bool,
    ) -> Result<User> {
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        if first_admin {
            let has_admin: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM users WHERE is_superuser AND is_active)",
                    [],
                    |row| row.get(0),
                )
                .map_err(err)?;
            if has_admin {
                return Err(Error::NotPermitted(
                    "this store has an admin already: only an admin can create another".into(),
                ));
            }
        }
        if let Some((taken, _)) = taken_by(&tx, user, None).map_err(err)? {
            return Err(Error::Conflict(taken));
        }
        let id = insert_user_row(&tx, user)
            .map_err(|e| unique_violation(&e).unwrap_or_else(|| err(e)))?;
        let mut event = event.clone();
        event.user_id = Some(id);
        insert_event(&tx, &event).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(user.clone().into_user(id))
    }

    fn user_by_key(&self, username_key: &str) -> Result<Option<User>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users WHERE username_key = ?1"
            ))
            .and_then(|mut s| s.query_row([username_key], read_user).optional())
            .map_err(self.err())
    }

    fn user_listing(&self, username_key: &str) -> Result<Option<UserListing>> {
        self.conn
            .prepare_cached(&format!("{LISTING_QUERY} WHERE users.username_key = ?1"))
            .and_then(|mut s| s.query_row([username_key], read_listing).optional())
            .map_err(self.err())
    }

    fn for_each_user(
        &self,
        filter: UserFilter,
        visit: &mut dyn FnMut(UserListing) -> Result<()>,
    ) -> Result<()> {
        let condition = match filter {
            UserFilter::All => "",
            UserFilter::Active => " WHERE users.is_active",
            UserFilter::Disabled => " WHERE NOT users.is_active",
            UserFilter::Admins => " WHERE users.is_superuser",
            UserFilter::WithFactor => MFA_CONDITION,
            UserFilter::WithoutFactor => NO_MFA_CONDITION,
        };
        let mut statement = self
            .conn
            .prepare(&format!("{LISTING_QUERY}{condition} ORDER BY users.id"))
            .map_err(self.err())?;
        let mut rows = statement.query([]).map_err(self.err())?;
        while let Some(row) = rows.next().map_err(self.err())? {
            visit(read_listing(row).map_err(self.err())?)?;
        }
        Ok(())
    }

    fn start_session(
        &mut self,
        session: &NewSession,
        replacing: Option<&TokenHash>,
        events: &[AuditEvent],
        before_commit: &mut dyn FnMut() -> Result<()>,
    ) -> Result<i64> {
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        // The password was checked before this transaction: a password
        // changed or an account disabled since then wins.
        if !still_valid(&tx, session.user_id, &session.verified_password).map_err(err)? {
            return Err(Error::not_authenticated(
                "invalid username, password or code",
                None,
            ));
        }
        if let Some(previous) = replacing {
            tx.execute(
                "DELETE FROM sessions WHERE token_hash = ?1",
                [&previous[..]],
            )
            .map_err(err)?;
        }
        tx.execute(
            "INSERT INTO sessions (user_id, token_hash, password_binding, created_at, \
                                   expires_at, host, last_seen_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?4)",
            params![
                session.user_id,
                &session.token_hash[..],
                &session.password_binding[..],
                session.created_at,
                session.expires_at,
                session.host
            ],
        )
        .map_err(err)?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "UPDATE users SET last_login = ?1 WHERE id = ?2",
            params![session.login_time, session.user_id],
        )
        .map_err(err)?;
        if let Some(rehash) = &session.rehash {
            write_rehash(&tx, session.user_id, rehash).map_err(err)?;
        }
        tx.execute(
            "DELETE FROM login_failures \
             WHERE username_key = (SELECT username_key FROM users WHERE id = ?1)",
            [session.user_id],
        )
        .map_err(err)?;
        for event in events {
            insert_event(&tx, event).map_err(err)?;
        }
        before_commit()?;
        tx.commit().map_err(err)?;
        Ok(id)
    }

    fn confirm_check(
        &mut self,
        user_id: i64,
        verified_password: &str,
        rehash: Option<&Rehash>,
        events: &[AuditEvent],
    ) -> Result<()> {
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        // As for a session: a password changed or an account disabled since
        // the check wins.
        if !still_valid(&tx, user_id, verified_password).map_err(err)? {
            return Err(Error::not_authenticated(
                "invalid username, password or code",
                None,
            ));
        }
        if let Some(rehash) = rehash {
            write_rehash(&tx, user_id, rehash).map_err(err)?;
        }
        for event in events {
            insert_event(&tx, event).map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    fn under_write_lock(&mut self, work: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        let (tx, path) = self.write()?;
        work()?;
        tx.rollback().map_err(|e| sql_error(path, &e))
    }

    fn session_by_token(&self, token_hash: &TokenHash) -> Result<Option<(Session, User)>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS}, {USER_COLUMNS} \
                 FROM sessions JOIN users ON users.id = sessions.user_id \
                 WHERE sessions.token_hash = ?1"
            ))
            .and_then(|mut s| {
                s.query_row([&token_hash[..]], |row| {
                    Ok((read_session(row)?, read_user_at(row, SESSION_FIELDS)?))
                })
                .optional()
            })
            .map_err(self.err())
    }

    fn sessions(&self, user_id: Option<i64>) -> Result<Vec<SessionListing>> {
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS}, users.username \
                 FROM sessions JOIN users ON users.id = sessions.user_id \
                 WHERE ?1 IS NULL OR sessions.user_id = ?1 \
                 ORDER BY sessions.id"
            ))
            .map_err(self.err())?;
        let rows = statement
            .query_map([user_id], |row| {
                Ok(SessionListing {
                    session: read_session(row)?,
                    username: row.get(SESSION_FIELDS)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.err())
    }

    fn touch_session(&mut self, id: i64, now: i64) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE sessions SET last_seen_at = ?1 WHERE id = ?2")
            .and_then(|mut s| s.execute(params![now, id]))
            .map(drop)
            .map_err(self.err())
    }

    fn end_sessions(&mut self, which: Sessions, event: Option<&AuditEvent>) -> Result<usize> {
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        let ended = match which {
            Sessions::One(id) => tx.execute("DELETE FROM sessions WHERE id = ?1", [id]),
            Sessions::AllOf { user_id } => {
                tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])
            }
            Sessions::AllOfBut { user_id, keep } => tx.execute(
                "DELETE FROM sessions WHERE user_id = ?1 AND id != ?2",
                [user_id, keep],
            ),
        }
        .map_err(err)?;
        if let Some(event) = event {
            insert_event(&tx, event).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(ended)
    }

    fn record(&mut self, event: &AuditEvent) -> Result<()> {
        let (tx, path) = self.write()?;
        insert_event(&tx, event)
            .and_then(|()| tx.commit())
            .map_err(|e| sql_error(path, &e))
    }

    fn begin_attempt(
        &mut self,
        username_key: &str,
        now: i64,
        lock_until: &dyn Fn(u32) -> Option<i64>,
    ) -> Result<Attempt> {
        let (tx, path) = self.write()?;
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

    fn reset_failures(&mut self, username_key: &str) -> Result<()> {
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        tx.execute(
            "DELETE FROM login_failures WHERE username_key = ?1",
            [username_key],
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }

    fn clear_failures(&mut self, username_key: &str, event: &AuditEvent) -> Result<bool> {
        let (tx, path) = self.write()?;
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

    fn change_password(
        &mut self,
        user_id: i64,
        previous: &str,
        password: &str,
        keep: Option<i64>,
        binding: &[u8; 32],
        event: &AuditEvent,
    ) -> Result<usize> {
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        let changed = tx
            .execute(
                "UPDATE users SET password = ?1 WHERE id = ?2 AND password = ?3",
                params![password, user_id, previous],
            )
            .map_err(err)?;
        if changed == 0 {
            return Err(Error::Conflicts(vec![Problem::new(
                "password",
                "was changed by another latch command at the same moment; nothing was changed",
            )]));
        }
        let ended = tx
            .execute(
                "DELETE FROM sessions WHERE user_id = ?1 AND id IS NOT ?2",
                params![user_id, keep],
            )
            .map_err(err)?;
        tx.execute(
            "UPDATE sessions SET password_binding = ?1 WHERE id = ?2 AND user_id = ?3",
            params![&binding[..], keep, user_id],
        )
        .map_err(err)?;
        tx.execute(
            "DELETE FROM login_failures \
             WHERE username_key = (SELECT username_key FROM users WHERE id = ?1)",
            [user_id],
        )
        .map_err(err)?;
        insert_event(&tx, event).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(ended)
    }

    fn set_admin(&mut self, user_id: i64, admin: bool, event: &AuditEvent) -> Result<()> {
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        if !admin {
            refuse_last_admin(&tx, user_id, event, "revoked").map_err(|e| e.in_store(path))?;
        }
        tx.execute(
            "UPDATE users SET is_superuser = ?1 WHERE id = ?2",
            params![admin, user_id],
        )
        .map_err(err)?;
        insert_event(&tx, event).map_err(err)?;
        tx.commit().map_err(err)
    }

    fn set_active(&mut self, user_id: i64, active: bool, event: &AuditEvent) -> Result<usize> {
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        let mut ended = 0;
        if !active {
            refuse_last_admin(&tx, user_id, event, "disabled").map_err(|e| e.in_store(path))?;
            ended = tx
                .execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])
                .map_err(err)?;
        }
        tx.execute(
            "UPDATE users SET is_active = ?1 WHERE id = ?2",
            params![active, user_id],
        )
        .map_err(err)?;
        insert_event(&tx, event).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(ended)
    }

    fn delete_user(&mut self, user_id: i64, event: &AuditEvent) -> Result<()> {
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        refuse_last_admin(&tx, user_id, event, "deleted").map_err(|e| e.in_store(path))?;
        // Sessions go with the user (ON DELETE CASCADE); events keep the name.
        tx.execute("DELETE FROM users WHERE id = ?1", [user_id])
            .map_err(err)?;
        insert_event(&tx, event).map_err(err)?;
        tx.commit().map_err(err)
    }

    fn set_policy(&mut self, key: &str, value: i64, event: &AuditEvent) -> Result<()> {
        let (tx, path) = self.write()?;
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

    fn events(&self, filter: &EventFilter, limit: u32) -> Result<Vec<RecordedEvent>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT id, at, kind, subject, subject_key, user_id, actor, actor_id, detail, \
                        os_user, host \
                 FROM events \
                 WHERE (?1 IS NULL AND ?2 IS NULL) OR user_id = ?1 OR subject_key = ?2 \
                 ORDER BY id DESC LIMIT ?3",
            )
            .map_err(self.err())?;
        let rows = statement
            .query_map(params![filter.user_id, filter.subject_key, limit], |row| {
                Ok(RecordedEvent {
                    id: row.get(0)?,
                    event: AuditEvent {
                        at: row.get(1)?,
                        kind: row.get(2)?,
                        subject: row.get(3)?,
                        subject_key: row.get(4)?,
                        user_id: row.get(5)?,
                        actor: row.get(6)?,
                        actor_id: row.get(7)?,
                        detail: row.get(8)?,
                        os_user: row.get(9)?,
                        host: row.get(10)?,
                    },
                })
            })
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.err())
    }

    fn import(&mut self) -> Result<Box<dyn ImportBatch + '_>> {
        let (tx, path) = self.write()?;
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

    fn taken(&self, user: &NewUser, except: Option<i64>) -> Result<Option<Written>> {
        Ok(taken_by(&self.tx, user, except)
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
        if let Some(taken) = self.taken(user, None)? {
            return Ok(taken);
        }
        let id = insert_user_row(&self.tx, user).map_err(self.err())?;
        Ok(Written::Done { id })
    }

    fn update(&mut self, id: i64, user: &NewUser) -> Result<Written> {
        if let Some(taken) = self.taken(user, Some(id))? {
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
                    user.email_key,
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

/// Which unique key of `user` another user (not `except`) has, and who.
fn taken_by(
    tx: &Transaction<'_>,
    user: &NewUser,
    except: Option<i64>,
) -> rusqlite::Result<Option<(Taken, i64)>> {
    let find = |query: &str, key: &str| -> rusqlite::Result<Option<i64>> {
        tx.prepare_cached(query)?
            .query_row(params![key, except], |row| row.get(0))
            .optional()
    };
    let by_name = find(
        "SELECT id FROM users WHERE username_key = ?1 AND id IS NOT ?2",
        &user.username_key,
    )?;
    let by_email = find(
        "SELECT id FROM users WHERE email_key = ?1 AND id IS NOT ?2",
        &user.email_key,
    )?;
    Ok(match (by_name, by_email) {
        (Some(a), Some(b)) if a == b => Some((Taken::Both, a)),
        (Some(a), _) => Some((Taken::Username, a)),
        (None, Some(b)) => Some((Taken::Email, b)),
        (None, None) => None,
    })
}

fn insert_user_row(tx: &Transaction<'_>, user: &NewUser) -> rusqlite::Result<i64> {
    tx.prepare_cached(
        "INSERT INTO users (password, last_login, is_superuser, username, first_name, \
                            last_name, email, is_staff, is_active, date_joined, \
                            username_key, email_key) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        user.password,
        user.last_login,
        user.is_superuser,
        user.username,
        user.first_name,
        user.last_name,
        user.email,
        user.is_staff,
        user.is_active,
        user.date_joined,
        user.username_key,
        user.email_key
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Refuses to revoke, disable or delete the last active admin.
fn refuse_last_admin(
    tx: &Transaction<'_>,
    user_id: i64,
    event: &AuditEvent,
    what: &str,
) -> std::result::Result<(), StoreRefusal> {
    let (is_admin, others): (bool, i64) = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1 AND is_superuser AND is_active), \
                (SELECT count(*) FROM users WHERE is_superuser AND is_active AND id != ?1)",
        [user_id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    if is_admin && others == 0 {
        return Err(StoreRefusal::Refused(Error::NotPermitted(format!(
            "{} is the last admin of this store and cannot be {what}; \
             grant admin to another account first",
            event.subject
        ))));
    }
    Ok(())
}

/// A refusal by a rule the store keeps, or an SQL error to describe.
enum StoreRefusal {
    Refused(Error),
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreRefusal {
    fn from(e: rusqlite::Error) -> Self {
        StoreRefusal::Sql(e)
    }
}

impl StoreRefusal {
    fn in_store(self, path: &Path) -> Error {
        match self {
            StoreRefusal::Refused(e) => e,
            StoreRefusal::Sql(e) => sql_error(path, &e),
        }
    }
}

/// Whether the user `user_id` is active and still has the hash `password`.
fn still_valid(tx: &Transaction<'_>, user_id: i64, password: &str) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1 AND password = ?2 AND is_active)",
        params![user_id, password],
        |row| row.get(0),
    )
}

/// Writes a rehashed password and moves the user's sessions bound to the
/// hash it replaces over to it.
fn write_rehash(tx: &Transaction<'_>, user_id: i64, rehash: &Rehash) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE users SET password = ?1 WHERE id = ?2",
        params![rehash.password, user_id],
    )?;
    tx.execute(
        "UPDATE sessions SET password_binding = ?1 \
         WHERE user_id = ?2 AND password_binding = ?3",
        params![&rehash.binding[..], user_id, &rehash.previous_binding[..]],
    )?;
    Ok(())
}

fn insert_event(tx: &Transaction<'_>, event: &AuditEvent) -> rusqlite::Result<()> {
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

fn read_user(row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    read_user_at(row, 0)
}

fn read_user_at(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(first)?,
        username: row.get(first + 1)?,
        email: row.get(first + 2)?,
        password: row.get(first + 3)?,
        first_name: row.get(first + 4)?,
        last_name: row.get(first + 5)?,
        is_active: row.get(first + 6)?,
        is_staff: row.get(first + 7)?,
        is_superuser: row.get(first + 8)?,
        date_joined: row.get(first + 9)?,
        last_login: row.get(first + 10)?,
    })
}

fn read_listing(row: &rusqlite::Row<'_>) -> rusqlite::Result<UserListing> {
    Ok(UserListing {
        user: read_user(row)?,
        failures: row.get(USER_FIELDS)?,
        locked_until: row.get(USER_FIELDS + 1)?,
        sessions: row.get(USER_FIELDS + 2)?,
        mfa: row.get(USER_FIELDS + 3)?,
        recovery_codes_left: row.get(USER_FIELDS + 4)?,
    })
}

fn read_session(row: &rusqlite::Row<'_>) -> rusqlite::Result<Session> {
    Ok(Session {
        id: row.get(0)?,
        user_id: row.get(1)?,
        password_binding: row.get(2)?,
        created_at: row.get(3)?,
        expires_at: row.get(4)?,
        last_seen_at: row.get(5)?,
        host: row.get(6)?,
    })
}

/// Creates the store file 0600 (and any missing directories 0700) before
/// SQLite opens it, so that it never exists with looser permissions.
fn create_file(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(parent)
            .map_err(|e| io_error(parent, "cannot create the directory", &e))?;
    }
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io_error(path, "cannot create", &e)),
    }
}

/// What a path that is not a regular file is, for a message.
fn file_kind(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else {
        "something other than a regular file"
    }
}

/// Refuses a store file, or a directory without the sticky bit, that users
/// other than its owner may write to: they could change any account.
fn check_permissions(path: &Path, meta: &fs::Metadata) -> Result<()> {
    let mode = meta.permissions().mode();
    if mode & 0o022 != 0 {
        return Err(Error::store(
            path,
            format!("is writable by other users (mode {:04o})", mode & 0o7777),
            Some(format!(
                "chmod 600 {}",
                shell_operand(&path.display().to_string())
            )),
        ));
    }
    check_directory(path)
}

/// Refuses a store in a directory others may write to, without the sticky
/// bit: at creation and at every open alike.
fn check_directory(path: &Path) -> Result<()> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match shared_directory(parent) {
        Some(mode) => Err(Error::store(
            path,
            format!("is in a directory other users may write to (mode {mode:04o})"),
            Some(format!(
                "chmod 700 {}",
                shell_operand(&parent.display().to_string())
            )),
        )),
        None => Ok(()),
    }
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

fn unique_violation(e: &rusqlite::Error) -> Option<Error> {
    let rusqlite::Error::SqliteFailure(failure, Some(message)) = e else {
        return None;
    };
    if failure.code != ErrorCode::ConstraintViolation {
        return None;
    }
    if message.contains("users.username_key") {
        Some(Error::Conflict(Taken::Username))
    } else if message.contains("users.email_key") {
        Some(Error::Conflict(Taken::Email))
    } else {
        None
    }
}

/// SQLite's own message, without the statement rusqlite quotes with it.
fn sqlite_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqlInputError { msg, .. }
        | rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        e => e.to_string(),
    }
}

fn io_error(path: &Path, what: &str, e: &std::io::Error) -> Error {
    let hint = (e.kind() == std::io::ErrorKind::PermissionDenied).then(|| {
        "check the permissions of the store and its directory, or choose another with --db"
            .to_owned()
    });
    Error::store(path, format!("{what}: {}", io_reason(e)), hint)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::ReadOnlyFilesystem => "read-only file system".into(),
        _ => e.to_string(),
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Turns an SQLite error into a store error a user can act on.
fn sql_error(path: &Path, e: &rusqlite::Error) -> Error {
    let code = match e {
        rusqlite::Error::SqliteFailure(failure, _) => Some(failure.code),
        _ => None,
    };
    let (cause, hint): (String, Option<&str>) = match code {
        Some(ErrorCode::NotADatabase) => (
            "is not an SQLite database".into(),
            Some("point --db at a latch store, or at a path where one may be created"),
        ),
        Some(ErrorCode::DatabaseCorrupt) => (
            "is corrupt".into(),
            Some("restore it from a backup; `sqlite3 FILE .recover` may save what is left"),
        ),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => (
            format!(
                "stayed locked by another process for {}s",
                BUSY_TIMEOUT.as_secs()
            ),
            Some("try again when the other latch command has finished"),
        ),
        Some(ErrorCode::ReadOnly) => (
            "is read-only".into(),
            Some("latch needs to write to its store; check its permissions and file system"),
        ),
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => (
            "cannot be opened".into(),
            Some(
                "check the permissions of the store and its directory, or choose another with --db",
            ),
        ),
        Some(ErrorCode::DiskFull) => ("the disk is full".into(), None),
        _ => (format!("database error: {e}"), None),
    };
    Error::store(path, cause, hint.map(str::to_owned))
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

    #[test]
    fn migrations_are_numbered_in_order() {
        for (index, (number, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*number as usize, index + 1);
        }
    }
}
