//! How the PostgreSQL store talks to its server: every store method is one
//! transaction begun here, READ COMMITTED, with `SET LOCAL` timeouts and
//! search path, and nothing that outlives it (no session `SET`, no
//! session-level advisory lock, no named prepared statement), so that it
//! works through PgBouncer in transaction pooling mode. The statements are
//! the crate's unnamed ones (`query_typed`, `execute_typed`,
//! `query_typed_raw`) or simple queries without parameters.
//!
//! It also turns the server's errors into latch's: a serialization failure or
//! a deadlock is retried a bounded number of times; anything else is one
//! account store error (exit 8) naming the store by its redacted location,
//! never by the string as written.

use std::cell::{RefCell, RefMut};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

use postgres::Client;
use postgres::error::SqlState;

use crate::error::Error;

/// How long one statement may run, and wait for a row lock.
pub(super) const STATEMENT_TIMEOUT: Duration = Duration::from_secs(10);
pub(super) const LOCK_TIMEOUT: Duration = Duration::from_secs(5);

/// How many times a transaction runs when the server fails it with a
/// serialization failure (40001) or a deadlock (40P01).
const ATTEMPTS: u32 = 5;

/// The first key of latch's transaction-scoped advisory locks
/// (`pg_advisory_xact_lock(int4, int4)`): "latc" in ASCII.
pub(super) const LOCK_CLASS: i32 = 0x6c61_7463;

/// latch's advisory locks, each held until its transaction ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lock {
    /// Migrating the schema.
    Migrate = 1,
    /// The admin rules: the first admin, and never revoking, disabling or
    /// deleting the last one (insert_user with first_admin, set_admin,
    /// set_active, delete_user, an import).
    Admins = 2,
    /// Starting a session, and what a login does to the token store
    /// (`start_session`, `under_write_lock`).
    Logins = 3,
}

/// How a transaction of `run` ends once its work succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum End {
    Commit,
    /// Everything done, then undone: `under_write_lock`, a dry-run import.
    Rollback,
}

/// What the statements inside a transaction may fail with.
#[derive(Debug)]
pub(super) enum Failure {
    /// A rule the store keeps refused, or a callback failed: returned as is.
    Refused(Error),
    /// The server or the connection failed.
    Sql(postgres::Error),
    /// A row the store cannot read (a value out of range).
    Corrupt(String),
}

impl From<postgres::Error> for Failure {
    fn from(e: postgres::Error) -> Self {
        Failure::Sql(e)
    }
}

impl Failure {
    /// Whether running the transaction again may succeed.
    fn retryable(&self) -> bool {
        matches!(self, Failure::Sql(e) if matches!(
            e.code(),
            Some(&SqlState::T_R_SERIALIZATION_FAILURE | &SqlState::T_R_DEADLOCK_DETECTED)
        ))
    }

    pub(super) fn in_store(self, location: &dyn fmt::Display) -> Error {
        match self {
            Failure::Refused(e) => e,
            Failure::Sql(e) => sql_error(location, &e),
            Failure::Corrupt(what) => store_error(location, what, None),
        }
    }
}

/// A transaction on the store's connection, rolled back when dropped
/// unfinished. It begins in one round trip: `BEGIN`, its `SET LOCAL`s and
/// its advisory lock as one simple query.
pub(super) struct Tx<'a> {
    client: RefMut<'a, Client>,
    open: bool,
}

impl std::fmt::Debug for Tx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx").field("open", &self.open).finish()
    }
}

impl<'a> Tx<'a> {
    /// Begins a transaction, taking `lock` (if any) in the same round trip.
    /// `streaming` lifts the statement timeout, for a read whose rows are
    /// visited one at a time for as long as the visitor takes (`users list`,
    /// `export`).
    pub(super) fn begin(
        cell: &'a RefCell<Client>,
        lock: Option<Lock>,
        streaming: bool,
    ) -> Result<Tx<'a>, Failure> {
        let client = cell.try_borrow_mut().map_err(|_| {
            Failure::Refused(Error::Internal(
                "the PostgreSQL store was used from inside one of its own callbacks".into(),
            ))
        })?;
        let mut tx = Tx { client, open: true };
        let statement_timeout = if streaming {
            0
        } else {
            STATEMENT_TIMEOUT.as_millis()
        };
        // The lock's keys are latch's constants, not data: written into the
        // simple query, after the SET LOCALs so that lock_timeout bounds it.
        let lock = lock.map_or_else(String::new, |lock| {
            format!(
                "; SELECT pg_advisory_xact_lock({LOCK_CLASS}, {})",
                lock as i32
            )
        });
        // READ COMMITTED whatever the server's default: each statement after
        // an advisory lock sees what the lock's previous holder committed.
        tx.client.batch_execute(&format!(
            "BEGIN ISOLATION LEVEL READ COMMITTED; \
             SET LOCAL statement_timeout = {statement_timeout}; \
             SET LOCAL lock_timeout = {}; \
             SET LOCAL search_path = latch{lock}",
            LOCK_TIMEOUT.as_millis()
        ))?;
        Ok(tx)
    }

    pub(super) fn finish(mut self, end: End) -> Result<(), Failure> {
        self.open = false;
        self.client.batch_execute(match end {
            End::Commit => "COMMIT",
            End::Rollback => "ROLLBACK",
        })?;
        Ok(())
    }
}

impl Deref for Tx<'_> {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        &mut self.client
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open && !self.client.is_closed() {
            // Nothing to report: the error that left it open is.
            let _ = self.client.batch_execute("ROLLBACK");
        }
    }
}

/// Runs `work` in one transaction (taking `lock` first, if any) and ends it
/// as `end` says, running it again on a serialization failure or deadlock,
/// up to `ATTEMPTS` times in all.
pub(super) fn run<T>(
    cell: &RefCell<Client>,
    location: &dyn fmt::Display,
    lock: Option<Lock>,
    end: End,
    mut work: impl FnMut(&mut Tx<'_>) -> Result<T, Failure>,
) -> crate::error::Result<T> {
    let mut attempt = 1;
    loop {
        let result = (|| -> Result<T, Failure> {
            let mut tx = Tx::begin(cell, lock, false)?;
            let value = work(&mut tx)?;
            tx.finish(end)?;
            Ok(value)
        })();
        match result {
            Err(failure) if failure.retryable() && attempt < ATTEMPTS => {
                std::thread::sleep(Duration::from_millis(5 * u64::from(attempt)));
                attempt += 1;
            }
            result => return result.map_err(|f| f.in_store(location)),
        }
    }
}

pub(super) fn store_error(
    location: &dyn fmt::Display,
    cause: impl Into<String>,
    hint: Option<&str>,
) -> Error {
    Error::Store {
        path: location.to_string(),
        cause: cause.into(),
        hint: hint.map(str::to_owned),
    }
}

/// One line for a server or connection error: the server's own message and
/// SQLSTATE, or what happened to the connection. The location is the
/// store's redacted one.
pub(super) fn sql_error(location: &dyn fmt::Display, e: &postgres::Error) -> Error {
    let Some(db) = e.as_db_error() else {
        let cause = match std::error::Error::source(e) {
            Some(source) => format!("{e}: {source}"),
            None => e.to_string(),
        };
        return store_error(
            location,
            format!("lost the connection to the server ({cause})"),
            Some("check that the server is running and reachable, then run the command again"),
        );
    };
    let code = db.code();
    let (cause, hint) = if *code == SqlState::QUERY_CANCELED {
        (
            format!(
                "a statement ran longer than {}s and was cancelled",
                STATEMENT_TIMEOUT.as_secs()
            ),
            Some("the server is overloaded or another command holds a lock; try again"),
        )
    } else if *code == SqlState::LOCK_NOT_AVAILABLE {
        (
            format!(
                "stayed locked by another command for {}s",
                LOCK_TIMEOUT.as_secs()
            ),
            Some("try again when the other latch command has finished"),
        )
    } else if *code == SqlState::READ_ONLY_SQL_TRANSACTION {
        (
            "is read-only (a standby server?)".into(),
            Some("point --db at the primary server"),
        )
    } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
        (
            // The server's words ("permission denied for table sessions").
            if db.message().starts_with("permission denied") {
                db.message().to_owned()
            } else {
                format!("permission denied: {}", db.message())
            },
            Some(
                "this command needs a privilege the role lacks: run it as the role that owns \
                 the `latch` schema, or grant the role what the command needs",
            ),
        )
    } else if code.code().starts_with("57P") || code.code().starts_with("08") {
        (
            format!("the server ended the connection: {}", db.message()),
            Some("check that the server is running, then run the command again"),
        )
    } else {
        (
            format!(
                "database error: {} (SQLSTATE {})",
                db.message(),
                code.code()
            ),
            None,
        )
    };
    store_error(location, cause, hint)
}
