//! The account store: users, sessions, policy, failed logins and the audit trail.
//!
//! `AccountStore` is the seam every backend fits: `SqliteStore` is the
//! embedded one, and `postgres` holds the PostgreSQL side. `StoreLocation`
//! says which a `--db` names, and `open` opens it; nothing outside this
//! module names a backend. A store keeps and returns rows: it applies no
//! rules (those are in `accounts` and `transfer`), formats no message for
//! people, and every statement it runs is parameterized. Each method that
//! writes is one transaction: a failed call leaves the store as it was.

#[cfg(test)]
pub mod contract;
pub mod factor;
mod location;
pub mod postgres;
mod sqlite;
mod user;

pub use factor::{AcceptedCode, Factor, FactorStore, FactorSummary};
pub use location::StoreLocation;
pub(crate) use sqlite::decode_hex;
pub use sqlite::{SCHEMA_VERSION, SqliteStore};
pub use user::{Keys, NOT_A_TIME, NewUser, User, UserFilter, UserListing};

use crate::audit::{AuditEvent, RecordedEvent};
use crate::error::{Result, Taken};
use crate::policy::Policy;
use crate::session::TokenHash;
use crate::timestamp::DateTime;

/// How `open` treats a store that does not exist yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the store when it does not exist.
    Create,
    /// Open only a store that exists; `open` returns `None` otherwise.
    Existing,
}

/// Opens the store at `location` and migrates it forward; with
/// `OpenMode::Create` it is created first when it does not exist. `None`
/// when it does not exist and `mode` is `Existing`. What the caller should
/// warn about (a password file latch ignores) goes to `warn`, once each:
/// the store prints nothing itself.
pub fn open(
    location: &StoreLocation,
    mode: OpenMode,
    warn: &mut dyn FnMut(String),
) -> Result<Option<Box<dyn AccountStore>>> {
    Ok(match location {
        StoreLocation::File(path) => {
            SqliteStore::open(path, mode)?.map(|store| Box::new(store) as Box<dyn AccountStore>)
        }
        StoreLocation::Postgres(info) => postgres::PostgresStore::open(info, mode, warn)?
            .map(|store| Box::new(store) as Box<dyn AccountStore>),
    })
}

/// A row of `sessions`. Times are Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub user_id: i64,
    pub password_binding: Vec<u8>,
    pub created_at: i64,
    pub expires_at: i64,
    pub last_seen_at: Option<i64>,
    pub host: String,
}

/// A session with its user's name, for `sessions list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionListing {
    pub session: Session,
    pub username: String,
}

/// A session to insert.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub user_id: i64,
    pub token_hash: TokenHash,
    pub password_binding: [u8; 32],
    pub created_at: i64,
    pub expires_at: i64,
    pub host: String,
    /// `last_login` to set on the user.
    pub login_time: DateTime,
    /// The hash the password was checked against: the session starts only
    /// if it is still the user's, and the user still active.
    pub verified_password: String,
    /// A new hash of the same password at the policy's parameters.
    pub rehash: Option<Rehash>,
}

/// A password hash rewritten at new parameters: not a password change, so the
/// user's other sessions are carried over to it.
#[derive(Debug, Clone)]
pub struct Rehash {
    pub password: String,
    /// The binding of `password`.
    pub binding: [u8; 32],
    /// The binding of the hash being replaced; sessions with it get the new one.
    pub previous_binding: [u8; 32],
}

/// The failed-login record of a name with one more attempt counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub locked_until: Option<i64>,
}

/// A login attempt, as `begin_attempt` found the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Locked until then (Unix seconds); the attempt was not counted.
    Locked { until: i64 },
    /// Counted as a failure until it succeeds.
    Counted(Failures),
}

/// Which events to read: all of them when both are `None`; otherwise those of
/// the user with `user_id`, or about the folded name `subject_key`, or either.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub user_id: Option<i64>,
    pub subject_key: Option<String>,
}

/// Which sessions to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sessions {
    One(i64),
    AllOf {
        user_id: i64,
    },
    /// Every session of the user but one.
    AllOfBut {
        user_id: i64,
        keep: i64,
    },
}

/// What one write of an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Done {
        id: i64,
    },
    /// The username or email belongs to the user `by`; `earlier` when that
    /// user came from this same import.
    Taken {
        field: Taken,
        by: i64,
        earlier: bool,
    },
}

/// An import in progress: one transaction, committed or rolled back whole.
pub trait ImportBatch {
    /// Inserts a user, unless its username or email is taken.
    fn insert(&mut self, user: &NewUser) -> Result<Written>;

    /// Writes `user` over the user `id` (ending their sessions when the
    /// password changes), unless the email is another user's.
    fn update(&mut self, id: i64, user: &NewUser) -> Result<Written>;

    /// Gives the user `user_id` (written by this import) the confirmed TOTP
    /// factor `totp`, in place of any factor and recovery codes it had.
    fn set_factor(&mut self, user_id: i64, totp: &crate::mfa::totp::TotpState) -> Result<()>;

    /// Ends the import as `end` says. `Commit` and `DryRun` both make every
    /// check a commit makes (a store left without an admin when it had one
    /// is `Error::NotPermitted`) and write `event`; `DryRun` then rolls back
    /// all of it. `Abandon` rolls back at once.
    fn finish(self: Box<Self>, end: ImportEnd, event: &AuditEvent) -> Result<()>;
}

/// How an import's transaction ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportEnd {
    Commit,
    /// Everything a commit does, then a rollback: `import --dry-run`.
    DryRun,
    /// A rollback, checking nothing: the import already failed.
    Abandon,
}

/// How many rows a batch of `store copy` holds at most.
pub const COPY_BATCH: usize = 5_000;

/// A batch of what `store copy` carries from one store to another: rows of
/// every table but `sessions` (a token belongs to the store that issued
/// it), ids kept. A copy reads each table `COPY_BATCH` rows at a time, one
/// table to a batch: the users, then the factors, recovery codes, policy
/// and failed logins, then the events, so that it never holds more than a
/// batch of the store, and the users come before the rows that name them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreCopy {
    pub users: Vec<User>,
    pub factors: Vec<CopiedFactor>,
    pub recovery_codes: Vec<CopiedRecoveryCode>,
    /// The policy's overrides, `(key, value)`.
    pub policy: Vec<(String, i64)>,
    pub failures: Vec<CopiedFailures>,
    /// Audit events, oldest first.
    pub events: Vec<RecordedEvent>,
}

/// What takes each batch of a copy.
pub type CopySink<'a> = dyn FnMut(&StoreCopy) -> Result<()> + 'a;

/// What fills a copy's target through its sink, and names the event to
/// record at the end.
pub type CopyFill<'a> = dyn FnMut(&mut CopySink<'_>) -> Result<AuditEvent> + 'a;

/// A row of `mfa_factors`, pending or confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedFactor {
    pub user_id: i64,
    /// The shared secret in lowercase hex.
    pub key: String,
    pub step: i64,
    pub t0: i64,
    pub digits: i64,
    pub drift: i64,
    pub last_t: i64,
    pub confirmed: bool,
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
}

/// A row of `mfa_recovery_codes`: only the code's SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedRecoveryCode {
    pub id: i64,
    pub user_id: i64,
    pub code_hash: Vec<u8>,
    pub used_at: Option<i64>,
}

/// A row of `login_failures`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedFailures {
    pub username_key: String,
    pub failures: i64,
    pub last_failure_at: i64,
    pub locked_until: Option<i64>,
}

/// What `write_copy` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyWritten {
    Done,
    /// The store is not empty: it has `users` users and `rows` other rows
    /// (sessions, events, policy, failed logins, factors). Nothing was
    /// written.
    NotEmpty {
        users: u64,
        rows: u64,
    },
}

pub trait AccountStore: FactorStore {
    /// Where the store is: for messages (its `Display` shows no password)
    /// and the token store's key.
    fn location(&self) -> &StoreLocation;

    /// The policy: the defaults with the store's overrides applied.
    fn policy(&self) -> Result<Policy>;

    /// Whether any active account is an admin.
    fn has_admin(&self) -> Result<bool>;

    /// Inserts a user, refusing (with `Error::Conflict`) a username or email
    /// whose folded key is taken, and records `event` for it. With
    /// `first_admin`, refuses (with `Error::NotPermitted`) when an admin exists.
    fn insert_user(
        &mut self,
        user: &NewUser,
        event: &AuditEvent,
        first_admin: bool,
    ) -> Result<User>;

    /// The user whose folded username is `username_key`.
    fn user_by_key(&self, username_key: &str) -> Result<Option<User>>;

    /// The user with their failures, lock and session count.
    fn user_listing(&self, username_key: &str) -> Result<Option<UserListing>>;

    /// Calls `visit` for each user that passes `filter`, in id order, reading
    /// one row at a time.
    fn for_each_user(
        &self,
        filter: UserFilter,
        visit: &mut dyn FnMut(UserListing) -> Result<()>,
    ) -> Result<()>;

    /// Starts a session, refusing (`Error::NotAuthenticated`) a user whose
    /// password is no longer `verified_password` or who was disabled
    /// meanwhile: inserts it, ends the session of `replacing` if any,
    /// sets the user's `last_login`, clears the user's failed logins, writes
    /// `rehash` (moving the user's other sessions to the new hash) and records
    /// `events`, then runs `before_commit` (which puts the token in the token
    /// store) and commits only if it succeeded. Returns the new session's id.
    fn start_session(
        &mut self,
        session: &NewSession,
        replacing: Option<&TokenHash>,
        events: &[AuditEvent],
        before_commit: &mut dyn FnMut() -> Result<()>,
    ) -> Result<i64>;

    /// Confirms a password check that starts no session (`verify`), refusing
    /// (`Error::NotAuthenticated`) a user whose password is no longer
    /// `verified_password` or who was disabled meanwhile: writes `rehash`
    /// (moving the user's sessions to the new hash) and records `events`.
    fn confirm_check(
        &mut self,
        user_id: i64,
        verified_password: &str,
        rehash: Option<&Rehash>,
        events: &[AuditEvent],
    ) -> Result<()>;

    /// Runs `work` holding the store's login lock, writing nothing: what
    /// logins do to the token store under that lock cannot happen meanwhile.
    /// On SQLite the lock is the one write lock; a server backend takes a
    /// transaction-scoped advisory lock that `start_session` takes too.
    fn under_write_lock(&mut self, work: &mut dyn FnMut() -> Result<()>) -> Result<()>;

    /// The session whose token hashes to `token_hash`, with its user.
    fn session_by_token(&self, token_hash: &TokenHash) -> Result<Option<(Session, User)>>;

    /// The sessions of the user `user_id`, or of everyone, oldest first.
    fn sessions(&self, user_id: Option<i64>) -> Result<Vec<SessionListing>>;

    /// Notes that the session `id` was used at `now`.
    fn touch_session(&mut self, id: i64, now: i64) -> Result<()>;

    /// Ends sessions and records `event` (if any) in one transaction; returns
    /// how many ended.
    fn end_sessions(&mut self, which: Sessions, event: Option<&AuditEvent>) -> Result<usize>;

    /// Records an event that changes nothing else.
    fn record(&mut self, event: &AuditEvent) -> Result<()>;

    /// Starts a login attempt for `username_key` at `now`, in one
    /// transaction: a name locked at `now` is refused with nothing counted;
    /// otherwise the attempt counts as one more failure until it succeeds,
    /// and `lock_until(count)` says until when the name is then locked. The
    /// count comes before the password check, so that attempts made at once
    /// get no more checks than the lockout allows.
    fn begin_attempt(
        &mut self,
        username_key: &str,
        now: i64,
        lock_until: &dyn Fn(u32) -> Option<i64>,
    ) -> Result<Attempt>;

    /// Forgets the failed logins of `username_key`, as a successful login does.
    fn reset_failures(&mut self, username_key: &str) -> Result<()>;

    /// Forgets the failed logins of `username_key`, recording `event` if there
    /// were any. Returns whether there were.
    fn clear_failures(&mut self, username_key: &str, event: &AuditEvent) -> Result<bool>;

    /// Replaces the user's password hash `previous` with `password` (refusing
    /// with `Error::Conflicts` when another command changed it meanwhile),
    /// ends every session of theirs but `keep`, binds `keep` to `binding`,
    /// clears the user's failed logins, and records `event`. Returns how many
    /// sessions ended.
    fn change_password(
        &mut self,
        user_id: i64,
        previous: &str,
        password: &str,
        keep: Option<i64>,
        binding: &[u8; 32],
        event: &AuditEvent,
    ) -> Result<usize>;

    /// Grants or revokes admin and records `event`; refuses (with
    /// `Error::NotPermitted`) to revoke the last active admin.
    fn set_admin(&mut self, user_id: i64, admin: bool, event: &AuditEvent) -> Result<()>;

    /// Enables or disables an account and records `event`; disabling ends its
    /// sessions and is refused (`Error::NotPermitted`) for the last active
    /// admin. Returns how many sessions ended.
    fn set_active(&mut self, user_id: i64, active: bool, event: &AuditEvent) -> Result<usize>;

    /// Deletes an account and its sessions (its events stay, with its name)
    /// and records `event`; refused (`Error::NotPermitted`) for the last
    /// active admin.
    fn delete_user(&mut self, user_id: i64, event: &AuditEvent) -> Result<()>;

    /// Stores one policy value (already checked) and records `event`.
    fn set_policy(&mut self, key: &str, value: i64, event: &AuditEvent) -> Result<()>;

    /// The newest `limit` events that match `filter`, newest first.
    fn events(&self, filter: &EventFilter, limit: u32) -> Result<Vec<RecordedEvent>>;

    /// Begins an import: one write transaction until `finish`.
    fn import(&mut self) -> Result<Box<dyn ImportBatch + '_>>;

    /// Every row `store copy` carries, read in one transaction (one
    /// consistent snapshot of the store) and handed to `each` a batch at a
    /// time, each at most `COPY_BATCH` rows of one table, in the order
    /// `StoreCopy` gives: users before the rows that name them, events
    /// last. An error from `each` ends the read and is returned as is.
    fn read_batches(&self, each: &mut CopySink<'_>) -> Result<()>;

    /// Writes a copy into this store in one transaction: `fill` gets a
    /// sink that writes each batch it is given, ids kept, and returns the
    /// event to record after them; the id sequences then go on after the
    /// largest. Unless the store already holds a row (a user, or even an
    /// event), when it calls no `fill`, writes nothing and says how many
    /// (`CopyWritten::NotEmpty`). Any error, from the sink or from `fill`,
    /// rolls back all of it.
    fn write_copy(&mut self, fill: &mut CopyFill<'_>) -> Result<CopyWritten>;
}

/// The store contract's concurrency half on SQLite: stores on one file,
/// each its own connection. (The one-store half runs beside the backend, in
/// sqlite/mod.rs.)
#[cfg(test)]
mod sqlite_contract {
    use super::{OpenMode, SqliteStore};

    fn shared_store() -> super::contract::SharedStore {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("latch.db");
        SqliteStore::open(&path, OpenMode::Create)
            .expect("a new store")
            .expect("created");
        super::contract::SharedStore {
            open: Box::new(move || {
                Box::new(
                    SqliteStore::open(&path, OpenMode::Existing)
                        .expect("the store opens")
                        .expect("it exists"),
                )
            }),
            keep: Box::new(dir),
        }
    }

    crate::store_contract_tests!(concurrent: shared_store);
}
