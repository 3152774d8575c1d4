//! An import into the PostgreSQL store: one transaction from `begin` to
//! `finish`, holding `Lock::Admins` throughout, so that no admin is revoked,
//! disabled or deleted while the import decides whether it leaves one.
//!
//! Registrations on other hosts may run meanwhile. An insert whose key a
//! concurrent registration takes is `ON CONFLICT DO NOTHING` (it waits for
//! that registration to end, then finds its user): the row is reported
//! taken, as it would have been a moment later, and the import goes on. An
//! update whose email a concurrent registration takes fails the import with
//! `Conflict` (nothing of it is written). Unlike the store's other methods
//! it is not retried: its statements come from the caller, one at a time.
//!
//! Users whose keys are certainly free are not written one at a time: the
//! import knows the fingerprints of every key the store had when it began
//! and of every key it has written (`seen`), answers for such a user at once
//! and writes it with a few thousand others in one statement (`pending`).
//! A user whose keys may be taken, an update and a factor first write the
//! waiting users, then go the way above, so every answer is the one a
//! row-at-a-time import gives. A key that a concurrent registration takes
//! after the import began and before its user is written fails the import
//! (`Error::Conflicts`, naming the user; nothing is written), where a row at
//! a time would have found it taken.

mod pending;
mod seen;

pub(super) use self::pending::BATCH;

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::Type;

use self::pending::Pending;
use self::seen::{Key, Seen};
use super::PostgresStore;
use super::mfa::import_factor;
use super::rows::{
    has_admin, insert_event, insert_users, optional_time, taken_by, taken_key, time_param,
};
use super::transaction::{End, Failure, Lock, Tx};
use crate::audit::AuditEvent;
use crate::error::{Error, Result, Taken};
use crate::mfa::totp::TotpState;
use crate::store::{ImportBatch, ImportEnd, Keys, NewUser, StoreLocation, Written};

struct PgImport<'a> {
    tx: Tx<'a>,
    location: &'a StoreLocation,
    /// The largest user id before the import: users above it that this
    /// transaction wrote came from it.
    last_id: i64,
    had_admin: bool,
    /// The keys that may be taken.
    seen: Seen,
    /// The users answered for and not yet written.
    pending: Pending,
}

pub(super) fn begin(store: &PostgresStore) -> Result<Box<dyn ImportBatch + '_>> {
    let location = &store.location;
    let result = (|| -> Result<PgImport<'_>, Failure> {
        let mut tx = Tx::begin(&store.client, Some(Lock::Admins), false)?;
        let row = tx.query_typed_one(
            "SELECT coalesce(max(id), 0)::bigint, \
                    EXISTS (SELECT 1 FROM users WHERE is_superuser AND is_active) \
             FROM users",
            &[],
        )?;
        let (last_id, had_admin) = (row.try_get(0)?, row.try_get(1)?);
        let seen = keys_of_users(&mut tx)?;
        Ok(PgImport {
            tx,
            location,
            last_id,
            had_admin,
            seen,
            pending: Pending::default(),
        })
    })();
    match result {
        Ok(import) => Ok(Box::new(import)),
        Err(failure) => Err(Failure::in_store(failure, location)),
    }
}

/// The fingerprints of every user's keys, read a row at a time.
fn keys_of_users(tx: &mut Tx<'_>) -> Result<Seen, Failure> {
    let mut seen = Seen::default();
    let mut rows = tx.query_typed_raw(
        "SELECT username_key, email_key FROM users",
        std::iter::empty::<(i64, Type)>(),
    )?;
    while let Some(row) = rows.next()? {
        seen.add(Key::Username, row.try_get(0)?);
        seen.add(Key::Email, row.try_get(1)?);
    }
    Ok(seen)
}

impl PgImport<'_> {
    fn flush(&mut self) -> Result<(), Failure> {
        self.pending.flush(&mut self.tx)
    }

    fn remember(&mut self, keys: &Keys) {
        self.seen.add(Key::Username, &keys.username);
        self.seen.add(Key::Email, &keys.email);
    }

    fn taken(&mut self, keys: &Keys, except: Option<i64>) -> Result<Option<Written>, Failure> {
        let last_id = self.last_id;
        Ok(
            taken_by(&mut self.tx, keys, except)?.map(|(field, by, ours)| Written::Taken {
                field,
                by,
                earlier: ours && by > last_id,
            }),
        )
    }

    /// No round trip for a user whose keys are certainly free: it waits
    /// to be written with others. Any other is written at once (after the
    /// waiting ones): the insert comes first, and only one that finds a key
    /// taken asks who has it.
    fn insert_user(&mut self, user: &NewUser) -> Result<Written, Failure> {
        let keys = user.keys();
        if !self.seen.may_hold(Key::Username, &keys.username)
            && !self.seen.may_hold(Key::Email, &keys.email)
        {
            let id = self.pending.next_id(&mut self.tx)?;
            self.remember(&keys);
            if self.pending.push(id, user) {
                self.flush()?;
            }
            return Ok(Written::Done { id });
        }
        self.flush()?;
        // Its id from the same block, so that ids keep the import's order.
        let id = self.pending.next_id(&mut self.tx)?;
        if insert_users(&mut self.tx, &[user.clone().with_id(id)], true)? == 1 {
            self.remember(&keys);
            return Ok(Written::Done { id });
        }
        self.taken(&keys, None)?
            .ok_or_else(|| Failure::Corrupt("a user's key was taken, then no longer found".into()))
    }

    fn update_user(&mut self, id: i64, user: &NewUser) -> Result<Written, Failure> {
        self.flush()?;
        let keys = user.keys();
        if let Some(taken) = self.taken(&keys, Some(id))? {
            return Ok(taken);
        }
        let changed_password: bool = self
            .tx
            .query_typed_one(
                "SELECT password != $1 FROM users WHERE id = $2",
                &[(&user.password, Type::TEXT), (&id, Type::INT8)],
            )?
            .try_get(0)?;
        if changed_password || !user.is_active {
            self.tx.execute_typed(
                "DELETE FROM sessions WHERE user_id = $1",
                &[(&id, Type::INT8)],
            )?;
        }
        // The username is left as it is: the row matched it without regard
        // to case, and the first spelling is kept.
        let sql = "UPDATE users SET password = $1, is_superuser = $2, first_name = $3, \
                    last_name = $4, email = $5, is_staff = $6, is_active = $7, \
                    date_joined = $8, last_login = $9, email_key = $10 \
             WHERE id = $11";
        self.tx
            .execute_typed(
                sql,
                &[
                    (&user.password, Type::TEXT),
                    (&user.is_superuser, Type::BOOL),
                    (&user.first_name, Type::TEXT),
                    (&user.last_name, Type::TEXT),
                    (&user.email, Type::TEXT),
                    (&user.is_staff, Type::BOOL),
                    (&user.is_active, Type::BOOL),
                    (&time_param(user.date_joined), Type::TIMESTAMPTZ),
                    (&optional_time(user.last_login), Type::TIMESTAMPTZ),
                    (&keys.email, Type::TEXT),
                    (&id, Type::INT8),
                ],
            )
            .map_err(|e| {
                let failure = Failure::from(e);
                match taken_key(&failure) {
                    Some(_) => Failure::Refused(Error::Conflict(Taken::Email)),
                    None => failure,
                }
            })?;
        self.seen.add(Key::Email, &keys.email);
        Ok(Written::Done { id })
    }

    fn end(mut self, end: ImportEnd, event: &AuditEvent) -> Result<(), Failure> {
        if end == ImportEnd::Abandon {
            return self.tx.finish(End::Rollback);
        }
        self.flush()?;
        if self.had_admin && !has_admin(&mut self.tx)? {
            return Err(Failure::Refused(Error::NotPermitted(
                "the import would leave the store without an active admin".into(),
            )));
        }
        insert_event(&mut self.tx, event)?;
        self.tx.finish(match end {
            ImportEnd::DryRun => End::Rollback,
            ImportEnd::Commit | ImportEnd::Abandon => End::Commit,
        })
    }
}

impl ImportBatch for PgImport<'_> {
    fn insert(&mut self, user: &NewUser) -> Result<Written> {
        let location = self.location;
        self.insert_user(user).map_err(|f| f.in_store(location))
    }

    fn update(&mut self, id: i64, user: &NewUser) -> Result<Written> {
        let location = self.location;
        self.update_user(id, user).map_err(|f| f.in_store(location))
    }

    fn set_factor(&mut self, user_id: i64, totp: &TotpState) -> Result<()> {
        let location = self.location;
        (|| {
            if self.pending.holds(user_id) {
                self.flush()?;
            }
            import_factor(&mut self.tx, user_id, totp)
        })()
        .map_err(|f| f.in_store(location))
    }

    fn finish(self: Box<Self>, end: ImportEnd, event: &AuditEvent) -> Result<()> {
        let location = self.location;
        self.end(end, event).map_err(|f| f.in_store(location))
    }
}
