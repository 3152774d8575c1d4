//! `PostgresStore`: the account store in a PostgreSQL database, in its schema
//! `latch`. It is given a connected client (`connect` makes one), migrates
//! the schema, and implements `AccountStore` here, `FactorStore` in `mfa`
//! and `ImportBatch` in `import`, with the same contracts as SQLite.
//!
//! SQLite has one write lock; PostgreSQL has none, so each method says the
//! invariant it keeps and how: unique keys by constraints, counters by
//! atomic upserts, the admin rules and a login's session replacement by
//! latch's transaction-scoped advisory locks (`transaction::Lock`), and a
//! password check's outcome by a row lock on the user. Every method is one
//! READ COMMITTED transaction (`transaction::run`). It applies no rule of
//! its own and never formats a message with a value from a row.

use std::cell::RefCell;

use postgres::Client;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::Type;

use super::PgConnInfo;
use super::logins::{confirm, count_attempt, start};
use super::migrate::migrate;
use super::rows::{
    EVENT_COLUMNS, LISTING_QUERY, SESSION_COLUMNS, SESSION_FIELDS, USER_COLUMNS,
    forget_failures_of, has_admin, insert_event, insert_user_row, read_event, read_listing,
    read_session, read_user, refuse_last_admin, taken_by, taken_key,
};
use super::transaction::{End, Failure, Lock, Tx, run, store_error};
use crate::audit::{AuditEvent, RecordedEvent};
use crate::error::{Error, Problem, Result};
use crate::policy::Policy;
use crate::session::TokenHash;
use crate::store::{
    AccountStore, Attempt, EventFilter, ImportBatch, NewSession, NewUser, OpenMode, Rehash,
    Session, SessionListing, Sessions, StoreLocation, User, UserFilter, UserListing,
};

pub struct PostgresStore {
    pub(super) client: RefCell<Client>,
    /// Where the store is: shown (its password redacted) in every message.
    pub(super) location: StoreLocation,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to the store `info` names (`connect`, with the process's
    /// environment; its warnings to `warn`) and opens it as `with_client`
    /// does.
    pub fn open(
        info: &PgConnInfo,
        mode: OpenMode,
        warn: &mut dyn FnMut(String),
    ) -> Result<Option<PostgresStore>> {
        let client = super::connect(info, warn)?;
        PostgresStore::with_client(client, info, mode)
    }

    /// The store in the database `client` is connected to (`info` says
    /// which, for messages), its schema migrated forward. `None` when `mode`
    /// is `Existing` and the database has no `latch` schema.
    pub fn with_client(
        client: Client,
        info: &PgConnInfo,
        mode: OpenMode,
    ) -> Result<Option<PostgresStore>> {
        let store = PostgresStore {
            client: RefCell::new(client),
            location: StoreLocation::Postgres(Box::new(info.clone())),
        };
        if !migrate(&store.client, &store.location, mode)? {
            return Ok(None);
        }
        Ok(Some(store))
    }

    /// Runs `work` in one transaction that commits (see `transaction::run`):
    /// every method, reads too, so that each statement has its timeouts.
    pub(super) fn transact<T>(
        &self,
        lock: Option<Lock>,
        work: impl FnMut(&mut Tx<'_>) -> Result<T, Failure>,
    ) -> Result<T> {
        run(&self.client, &self.location, lock, End::Commit, work)
    }

    /// Runs a read of the rows `sql` returns, a row at a time, in a
    /// transaction without a statement timeout: `visit` takes as long as it
    /// takes (a million users written to a pipe).
    pub(super) fn stream(
        &self,
        sql: &str,
        visit: &mut dyn FnMut(&postgres::Row) -> Result<(), Failure>,
    ) -> Result<()> {
        let result = (|| -> Result<(), Failure> {
            let mut tx = Tx::begin(&self.client, None, true)?;
            {
                let mut rows = tx.query_typed_raw(sql, std::iter::empty::<(i64, Type)>())?;
                while let Some(row) = rows.next()? {
                    visit(&row)?;
                }
            }
            tx.finish(End::Commit)
        })();
        result.map_err(|f| f.in_store(&self.location))
    }
}

fn count(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

impl AccountStore for PostgresStore {
    fn location(&self) -> &StoreLocation {
        &self.location
    }

    fn policy(&self) -> Result<Policy> {
        let rows = self.transact(None, |tx| {
            Ok(tx.query_typed("SELECT key, value FROM policy", &[])?)
        })?;
        let mut policy = Policy::default();
        for row in rows {
            let (key, value): (String, i64) = (row.get(0), row.get(1));
            policy.apply(&key, value).map_err(|e| {
                store_error(
                    &self.location,
                    format!("the policy table is invalid: {e}"),
                    None,
                )
            })?;
        }
        Ok(policy)
    }

    fn has_admin(&self) -> Result<bool> {
        self.transact(None, has_admin)
    }

    /// Invariants: a folded username or email is never had by two users
    /// (the UNIQUE constraints `users_username_key` and `users_email_key`;
    /// a racing insert's 23505 is read by SQLSTATE and constraint name and
    /// is the same `Conflict` as the check before it); with `first_admin`,
    /// at most one first admin (`Lock::Admins`, then the check).
    fn insert_user(
        &mut self,
        user: &NewUser,
        event: &AuditEvent,
        first_admin: bool,
    ) -> Result<User> {
        let lock = first_admin.then_some(Lock::Admins);
        let id = self.transact(lock, |tx| {
            if first_admin && has_admin(tx)? {
                return Err(Failure::Refused(Error::NotPermitted(
                    "this store has an admin already: only an admin can create another".into(),
                )));
            }
            if let Some((taken, _, _)) = taken_by(tx, &user.keys(), None)? {
                return Err(Failure::Refused(Error::Conflict(taken)));
            }
            let id = insert_user_row(tx, user, false)
                .map_err(|f| match taken_key(&f) {
                    Some(taken) => Failure::Refused(Error::Conflict(taken)),
                    None => f,
                })?
                .ok_or_else(|| Failure::Corrupt("the new user's id was not returned".into()))?;
            let mut event = event.clone();
            event.user_id = Some(id);
            insert_event(tx, &event)?;
            Ok(id)
        })?;
        Ok(user.clone().with_id(id))
    }

    fn user_by_key(&self, username_key: &str) -> Result<Option<User>> {
        self.transact(None, |tx| {
            tx.query_typed_opt(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE username_key = $1"),
                &[(&username_key, Type::TEXT)],
            )?
            .map(|row| read_user(&row, 0))
            .transpose()
        })
    }

    fn user_listing(&self, username_key: &str) -> Result<Option<UserListing>> {
        self.transact(None, |tx| {
            tx.query_typed_opt(
                &format!("{LISTING_QUERY} WHERE users.username_key = $1"),
                &[(&username_key, Type::TEXT)],
            )?
            .map(|row| read_listing(&row))
            .transpose()
        })
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
            UserFilter::WithFactor => {
                " WHERE EXISTS (SELECT 1 FROM mfa_factors \
                                WHERE user_id = users.id AND confirmed)"
            }
            UserFilter::WithoutFactor => {
                " WHERE NOT EXISTS (SELECT 1 FROM mfa_factors \
                                    WHERE user_id = users.id AND confirmed)"
            }
        };
        let sql = format!("{LISTING_QUERY}{condition} ORDER BY users.id");
        self.stream(&sql, &mut |row| {
            visit(read_listing(row)?).map_err(Failure::Refused)
        })
    }

    /// Invariants: the session starts only for a user still active with
    /// the hash that was checked (`still_valid`'s row lock orders it with a
    /// password change or a disabling); logins of one store, and what they
    /// do to the token store, happen one at a time (`Lock::Logins`, which
    /// `under_write_lock` takes too), so a replaced session and its token
    /// go together.
    fn start_session(
        &mut self,
        session: &NewSession,
        replacing: Option<&TokenHash>,
        events: &[AuditEvent],
        before_commit: &mut dyn FnMut() -> Result<()>,
    ) -> Result<i64> {
        self.transact(Some(Lock::Logins), |tx| {
            start(tx, session, replacing, events, before_commit)
        })
    }

    /// Invariant: as `start_session`'s, by the same row lock.
    fn confirm_check(
        &mut self,
        user_id: i64,
        verified_password: &str,
        rehash: Option<&Rehash>,
        events: &[AuditEvent],
    ) -> Result<()> {
        self.transact(None, |tx| {
            confirm(tx, user_id, verified_password, rehash, events)
        })
    }

    /// Holds `Lock::Logins` (what `start_session` takes) while `work`
    /// runs; writes nothing.
    fn under_write_lock(&mut self, work: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        run(
            &self.client,
            &self.location,
            Some(Lock::Logins),
            End::Rollback,
            |_| work().map_err(Failure::Refused),
        )
    }

    fn session_by_token(&self, token_hash: &TokenHash) -> Result<Option<(Session, User)>> {
        let token: &[u8] = token_hash;
        self.transact(None, |tx| {
            tx.query_typed_opt(
                &format!(
                    "SELECT {SESSION_COLUMNS}, {USER_COLUMNS} \
                     FROM sessions JOIN users ON users.id = sessions.user_id \
                     WHERE sessions.token_hash = $1"
                ),
                &[(&token, Type::BYTEA)],
            )?
            .map(|row| Ok((read_session(&row)?, read_user(&row, SESSION_FIELDS)?)))
            .transpose()
        })
    }

    fn sessions(&self, user_id: Option<i64>) -> Result<Vec<SessionListing>> {
        self.transact(None, |tx| {
            tx.query_typed(
                &format!(
                    "SELECT {SESSION_COLUMNS}, users.username \
                     FROM sessions JOIN users ON users.id = sessions.user_id \
                     WHERE $1::bigint IS NULL OR sessions.user_id = $1 \
                     ORDER BY sessions.id"
                ),
                &[(&user_id, Type::INT8)],
            )?
            .iter()
            .map(|row| {
                Ok(SessionListing {
                    session: read_session(row)?,
                    username: row.try_get(SESSION_FIELDS)?,
                })
            })
            .collect()
        })
    }

    fn touch_session(&mut self, id: i64, now: i64) -> Result<()> {
        self.transact(None, |tx| {
            tx.execute_typed(
                "UPDATE sessions SET last_seen_at = $1 WHERE id = $2",
                &[(&now, Type::INT8), (&id, Type::INT8)],
            )?;
            Ok(())
        })
    }

    fn end_sessions(&mut self, which: Sessions, event: Option<&AuditEvent>) -> Result<usize> {
        self.transact(None, |tx| {
            let ended = match which {
                Sessions::One(id) => {
                    tx.execute_typed("DELETE FROM sessions WHERE id = $1", &[(&id, Type::INT8)])?
                }
                Sessions::AllOf { user_id } => tx.execute_typed(
                    "DELETE FROM sessions WHERE user_id = $1",
                    &[(&user_id, Type::INT8)],
                )?,
                Sessions::AllOfBut { user_id, keep } => tx.execute_typed(
                    "DELETE FROM sessions WHERE user_id = $1 AND id != $2",
                    &[(&user_id, Type::INT8), (&keep, Type::INT8)],
                )?,
            };
            if let Some(event) = event {
                insert_event(tx, event)?;
            }
            Ok(count(ended))
        })
    }

    fn record(&mut self, event: &AuditEvent) -> Result<()> {
        self.transact(None, |tx| insert_event(tx, event))
    }

    /// Invariant: attempts at one name made at once get no more password
    /// checks than the lockout allows. The count is one upsert
    /// (`INSERT … ON CONFLICT … DO UPDATE … WHERE not locked … RETURNING`)
    /// that takes the name's row lock; the lock it may set is written
    /// before that row lock is let go, so the next attempt's upsert sees it
    /// and counts nothing.
    fn begin_attempt(
        &mut self,
        username_key: &str,
        now: i64,
        lock_until: &dyn Fn(u32) -> Option<i64>,
    ) -> Result<Attempt> {
        self.transact(None, |tx| count_attempt(tx, username_key, now, lock_until))
    }

    fn reset_failures(&mut self, username_key: &str) -> Result<()> {
        self.transact(None, |tx| {
            tx.execute_typed(
                "DELETE FROM login_failures WHERE username_key = $1",
                &[(&username_key, Type::TEXT)],
            )?;
            Ok(())
        })
    }

    fn clear_failures(&mut self, username_key: &str, event: &AuditEvent) -> Result<bool> {
        self.transact(None, |tx| {
            let cleared = tx.execute_typed(
                "DELETE FROM login_failures WHERE username_key = $1",
                &[(&username_key, Type::TEXT)],
            )? > 0;
            if cleared {
                insert_event(tx, event)?;
            }
            Ok(cleared)
        })
    }

    /// Invariant: a password changes only from the hash the caller read
    /// (`UPDATE … WHERE password = previous`, which takes the row lock and
    /// re-reads the row if another change committed meanwhile).
    fn change_password(
        &mut self,
        user_id: i64,
        previous: &str,
        password: &str,
        keep: Option<i64>,
        binding: &[u8; 32],
        event: &AuditEvent,
    ) -> Result<usize> {
        let binding: &[u8] = binding;
        self.transact(None, |tx| {
            let changed = tx.execute_typed(
                "UPDATE users SET password = $1 WHERE id = $2 AND password = $3",
                &[
                    (&password, Type::TEXT),
                    (&user_id, Type::INT8),
                    (&previous, Type::TEXT),
                ],
            )?;
            if changed == 0 {
                return Err(Failure::Refused(Error::Conflicts(vec![Problem::new(
                    "password",
                    "was changed by another latch command at the same moment; nothing was changed",
                )])));
            }
            let ended = tx.execute_typed(
                "DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2",
                &[(&user_id, Type::INT8), (&keep, Type::INT8)],
            )?;
            tx.execute_typed(
                "UPDATE sessions SET password_binding = $1 WHERE id = $2 AND user_id = $3",
                &[
                    (&binding, Type::BYTEA),
                    (&keep, Type::INT8),
                    (&user_id, Type::INT8),
                ],
            )?;
            forget_failures_of(tx, user_id)?;
            insert_event(tx, event)?;
            Ok(count(ended))
        })
    }

    /// Invariant: the store never loses its last active admin
    /// (`Lock::Admins`, then the check): two admins revoking each other at
    /// once leave one.
    fn set_admin(&mut self, user_id: i64, admin: bool, event: &AuditEvent) -> Result<()> {
        self.transact(Some(Lock::Admins), |tx| {
            if !admin {
                refuse_last_admin(tx, user_id, &event.subject, "revoked")?;
            }
            tx.execute_typed(
                "UPDATE users SET is_superuser = $1 WHERE id = $2",
                &[(&admin, Type::BOOL), (&user_id, Type::INT8)],
            )?;
            insert_event(tx, event)
        })
    }

    /// Invariant: as `set_admin`'s; the disabled user's sessions end with
    /// it, and a login racing it is ordered by `still_valid`'s row lock.
    fn set_active(&mut self, user_id: i64, active: bool, event: &AuditEvent) -> Result<usize> {
        self.transact(Some(Lock::Admins), |tx| {
            let mut ended = 0;
            if !active {
                refuse_last_admin(tx, user_id, &event.subject, "disabled")?;
            }
            tx.execute_typed(
                "UPDATE users SET is_active = $1 WHERE id = $2",
                &[(&active, Type::BOOL), (&user_id, Type::INT8)],
            )?;
            if !active {
                ended = tx.execute_typed(
                    "DELETE FROM sessions WHERE user_id = $1",
                    &[(&user_id, Type::INT8)],
                )?;
            }
            insert_event(tx, event)?;
            Ok(count(ended))
        })
    }

    /// Invariant: as `set_admin`'s. Sessions and the factor go with the
    /// user (ON DELETE CASCADE); events keep the name.
    fn delete_user(&mut self, user_id: i64, event: &AuditEvent) -> Result<()> {
        self.transact(Some(Lock::Admins), |tx| {
            refuse_last_admin(tx, user_id, &event.subject, "deleted")?;
            tx.execute_typed("DELETE FROM users WHERE id = $1", &[(&user_id, Type::INT8)])?;
            insert_event(tx, event)
        })
    }

    fn set_policy(&mut self, key: &str, value: i64, event: &AuditEvent) -> Result<()> {
        self.transact(None, |tx| {
            tx.execute_typed(
                "INSERT INTO policy (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[(&key, Type::TEXT), (&value, Type::INT8)],
            )?;
            insert_event(tx, event)
        })
    }

    fn events(&self, filter: &EventFilter, limit: u32) -> Result<Vec<RecordedEvent>> {
        let limit = i64::from(limit);
        self.transact(None, |tx| {
            tx.query_typed(
                &format!(
                    "SELECT {EVENT_COLUMNS} \
                 FROM events \
                 WHERE ($1::bigint IS NULL AND $2::text IS NULL) \
                    OR user_id = $1 OR subject_key = $2 \
                 ORDER BY id DESC LIMIT $3"
                ),
                &[
                    (&filter.user_id, Type::INT8),
                    (&filter.subject_key, Type::TEXT),
                    (&limit, Type::INT8),
                ],
            )?
            .iter()
            .map(read_event)
            .collect()
        })
    }

    /// Invariant: as `set_admin`'s, for the whole import (`Lock::Admins`
    /// until `finish`).
    fn import(&mut self) -> Result<Box<dyn ImportBatch + '_>> {
        super::import::begin(self)
    }

    fn read_batches(&self, each: &mut crate::store::CopySink<'_>) -> Result<()> {
        super::copy::read_batches(self, each)
    }

    fn write_copy(
        &mut self,
        fill: &mut crate::store::CopyFill<'_>,
    ) -> Result<crate::store::CopyWritten> {
        super::copy::write_copy(self, fill)
    }
}
