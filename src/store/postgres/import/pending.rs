//! The users an import has answered for and not yet written: they wait here
//! and go to the server together, a few thousand in one statement
//! (`INSERT … SELECT … FROM unnest(…)` over one array parameter a column,
//! unnamed, so that it works through PgBouncer), instead of one round trip
//! each.
//!
//! Each user gets its id when it is answered for, from the table's own
//! identity sequence (taken a block at a time; ids an import does not use
//! are skipped, as a sequence's are after any rollback). Nothing is decided
//! here: the import answers only for users whose keys it knows are free, so
//! a key found taken when they are written was taken meanwhile, by another
//! command, and fails the import (`Error::Conflicts`, naming the user).

use postgres::types::Type;

use super::super::rows::{column, insert_users, taken_by};
use super::super::transaction::{Failure, Tx};
use crate::error::{Error, Problem, Taken};
use crate::store::{NewUser, User};

/// How many users one statement writes.
pub(in crate::store::postgres) const BATCH: usize = 5_000;
/// The fewest ids taken from the sequence at once; the block doubles with
/// the ids used so far, up to `BATCH`.
const FIRST_IDS: usize = 16;

#[derive(Debug, Default)]
pub(super) struct Pending {
    users: Vec<User>,
    /// Ids taken from the sequence and not given yet, the next one last.
    free: Vec<i64>,
    taken: usize,
}

impl Pending {
    /// The id of the next user: the sequence's next value.
    pub(super) fn next_id(&mut self, tx: &mut Tx<'_>) -> Result<i64, Failure> {
        if let Some(id) = self.free.pop() {
            return Ok(id);
        }
        let block = self.taken.clamp(FIRST_IDS, BATCH);
        let count = i32::try_from(block).unwrap_or(i32::MAX);
        let rows = tx.query_typed(
            "SELECT nextval(pg_get_serial_sequence('users', 'id')) \
             FROM generate_series(1, $1)",
            &[(&count, Type::INT4)],
        )?;
        let mut ids = rows
            .iter()
            .map(|row| row.try_get::<_, i64>(0))
            .collect::<Result<Vec<_>, _>>()?;
        ids.sort_unstable_by(|a, b| b.cmp(a));
        self.taken += ids.len();
        self.free = ids;
        self.free
            .pop()
            .ok_or_else(|| Failure::Corrupt("the user id sequence gave no value".into()))
    }

    /// Keeps `user` to be written as the user `id`; true when a batch is full.
    pub(super) fn push(&mut self, id: i64, user: &NewUser) -> bool {
        self.users.push(user.clone().with_id(id));
        self.users.len() >= BATCH
    }

    /// Whether the user `id` is waiting here.
    pub(super) fn holds(&self, id: i64) -> bool {
        // The user just answered for is the last one.
        self.users.iter().rev().any(|waiting| waiting.id == id)
    }

    /// Writes the waiting users in one statement.
    pub(super) fn flush(&mut self, tx: &mut Tx<'_>) -> Result<(), Failure> {
        if self.users.is_empty() {
            return Ok(());
        }
        let users = std::mem::take(&mut self.users);
        let written = insert_users(tx, &users, true)?;
        let ids = column(&users, |user| user.id);
        if written == ids.len() as u64 {
            return Ok(());
        }
        // A key was free when the import began and is taken now: say whose.
        let row = tx.query_typed_one(
            "SELECT min(n)::bigint FROM unnest($1::int8[]) WITH ORDINALITY AS u (id, n) \
             WHERE NOT EXISTS (SELECT 1 FROM users WHERE users.id = u.id)",
            &[(&ids, Type::INT8_ARRAY)],
        )?;
        let index: Option<i64> = row.try_get(0)?;
        let user = index
            .and_then(|n| usize::try_from(n - 1).ok())
            .and_then(|n| users.get(n))
            .ok_or_else(|| {
                Failure::Corrupt("an imported user was neither written nor found".into())
            })?;
        let field = match taken_by(tx, &user.keys(), None)? {
            Some((Taken::Email, _, _)) => "email",
            _ => "username",
        };
        Err(Failure::Refused(Error::Conflicts(vec![Problem::new(
            format!("user {:?}: {field}", user.username),
            "was taken by another latch command while the import ran; \
             nothing was imported, run it again",
        )])))
    }
}
