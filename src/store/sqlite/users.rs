//! Users and roles on SQLite: reading users and their listings, inserting
//! one (and the first admin), changing a password, granting admin,
//! disabling and deleting, with the last-admin rule kept inside each
//! write's transaction. Unique folded names and emails are the table's
//! constraints; a violation is `Error::Conflict`, never an SQL message.

use std::path::Path;

use rusqlite::{OptionalExtension, Transaction, params};

use super::SqliteStore;
use super::errors::{sql_error, unique_violation};
use super::events::insert_event;
use super::rows::{USER_COLUMNS, insert_user_row, read_listing, read_user, user_columns};
use crate::audit::AuditEvent;
use crate::error::{Error, Problem, Result, Taken};
use crate::store::{Keys, NewUser, User, UserFilter, UserListing};

/// A user with their failed logins, lock and session count.
const LISTING_QUERY: &str = concat!(
    "SELECT ",
    user_columns!(),
    ", coalesce(login_failures.failures, 0), login_failures.locked_until, \
     (SELECT count(*) FROM sessions WHERE sessions.user_id = users.id), \
     EXISTS (SELECT 1 FROM mfa_factors WHERE mfa_factors.user_id = users.id AND confirmed), \
     (SELECT count(*) FROM mfa_recovery_codes \
      WHERE mfa_recovery_codes.user_id = users.id AND used_at IS NULL) \
     FROM users LEFT JOIN login_failures ON login_failures.username_key = users.username_key"
);

/// `users list --mfa` and `--no-mfa`: with or without a confirmed factor.
const MFA_CONDITION: &str =
    " WHERE EXISTS (SELECT 1 FROM mfa_factors WHERE user_id = users.id AND confirmed)";
const NO_MFA_CONDITION: &str =
    " WHERE NOT EXISTS (SELECT 1 FROM mfa_factors WHERE user_id = users.id AND confirmed)";

pub(super) fn has_admin(store: &SqliteStore) -> Result<bool> {
    store
        .conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM users WHERE is_superuser AND is_active)")
        .and_then(|mut s| s.query_row([], |row| row.get(0)))
        .map_err(store.err())
}

pub(super) fn insert_user(
    store: &mut SqliteStore,
    user: &NewUser,
    event: &AuditEvent,
    first_admin: bool,
) -> Result<User> {
    let (tx, path) = store.write()?;
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
    if let Some((taken, _)) = taken_by(&tx, &user.keys(), None).map_err(err)? {
        return Err(Error::Conflict(taken));
    }
    let id = insert_user_row(&tx, None, user)
        .map_err(|e| unique_violation(&e).unwrap_or_else(|| err(e)))?;
    let mut event = event.clone();
    event.user_id = Some(id);
    insert_event(&tx, &event).map_err(err)?;
    tx.commit().map_err(err)?;
    Ok(user.clone().with_id(id))
}

pub(super) fn user_by_key(store: &SqliteStore, username_key: &str) -> Result<Option<User>> {
    store
        .conn
        .prepare_cached(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE username_key = ?1"
        ))
        .and_then(|mut s| s.query_row([username_key], read_user).optional())
        .map_err(store.err())
}

pub(super) fn user_listing(store: &SqliteStore, username_key: &str) -> Result<Option<UserListing>> {
    store
        .conn
        .prepare_cached(&format!("{LISTING_QUERY} WHERE users.username_key = ?1"))
        .and_then(|mut s| s.query_row([username_key], read_listing).optional())
        .map_err(store.err())
}

pub(super) fn for_each_user(
    store: &SqliteStore,
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
    let mut statement = store
        .conn
        .prepare(&format!("{LISTING_QUERY}{condition} ORDER BY users.id"))
        .map_err(store.err())?;
    let mut rows = statement.query([]).map_err(store.err())?;
    while let Some(row) = rows.next().map_err(store.err())? {
        visit(read_listing(row).map_err(store.err())?)?;
    }
    Ok(())
}

pub(super) fn change_password(
    store: &mut SqliteStore,
    user_id: i64,
    previous: &str,
    password: &str,
    keep: Option<i64>,
    binding: &[u8; 32],
    event: &AuditEvent,
) -> Result<usize> {
    let (tx, path) = store.write()?;
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

pub(super) fn set_admin(
    store: &mut SqliteStore,
    user_id: i64,
    admin: bool,
    event: &AuditEvent,
) -> Result<()> {
    let (tx, path) = store.write()?;
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

pub(super) fn set_active(
    store: &mut SqliteStore,
    user_id: i64,
    active: bool,
    event: &AuditEvent,
) -> Result<usize> {
    let (tx, path) = store.write()?;
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

pub(super) fn delete_user(store: &mut SqliteStore, user_id: i64, event: &AuditEvent) -> Result<()> {
    let (tx, path) = store.write()?;
    let err = |e: rusqlite::Error| sql_error(path, &e);
    refuse_last_admin(&tx, user_id, event, "deleted").map_err(|e| e.in_store(path))?;
    // Sessions go with the user (ON DELETE CASCADE); events keep the name.
    tx.execute("DELETE FROM users WHERE id = ?1", [user_id])
        .map_err(err)?;
    insert_event(&tx, event).map_err(err)?;
    tx.commit().map_err(err)
}

/// Which of the unique keys `keys` another user (not `except`) has, and who.
pub(super) fn taken_by(
    tx: &Transaction<'_>,
    keys: &Keys,
    except: Option<i64>,
) -> rusqlite::Result<Option<(Taken, i64)>> {
    let find = |query: &str, key: &str| -> rusqlite::Result<Option<i64>> {
        tx.prepare_cached(query)?
            .query_row(params![key, except], |row| row.get(0))
            .optional()
    };
    let by_name = find(
        "SELECT id FROM users WHERE username_key = ?1 AND id IS NOT ?2",
        &keys.username,
    )?;
    let by_email = find(
        "SELECT id FROM users WHERE email_key = ?1 AND id IS NOT ?2",
        &keys.email,
    )?;
    Ok(match (by_name, by_email) {
        (Some(a), Some(b)) if a == b => Some((Taken::Both, a)),
        (Some(a), _) => Some((Taken::Username, a)),
        (None, Some(b)) => Some((Taken::Email, b)),
        (None, None) => None,
    })
}

/// Refuses to revoke, disable or delete the last active admin.
pub(super) fn refuse_last_admin(
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
pub(super) enum StoreRefusal {
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
