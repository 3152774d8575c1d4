//! The PostgreSQL store's rows: the column lists each query reads, the
//! readers that turn a row into latch's model, and the statements every
//! writer shares (an event, a user row, who has a username or email).
//!
//! Times: a `DateTime` goes in and comes out of a `timestamptz` column as
//! `time`'s `OffsetDateTime` (`time_param`, `read_time`), to the
//! microsecond in UTC, so what is read back is what SQLite returns.
//! Ids that Django keeps as `integer` are read as `bigint`.

use postgres::Row;
use postgres::types::Type;
use time::OffsetDateTime;

use super::transaction::{Failure, Tx};
use crate::audit::{AuditEvent, RecordedEvent};
use crate::error::Taken;
use crate::store::user::user_fields;
use crate::store::{Keys, Session, User, UserListing};
use crate::timestamp::DateTime;

/// A `DateTime` as a `timestamptz` parameter.
pub(super) fn time_param(moment: DateTime) -> OffsetDateTime {
    moment.as_offset()
}

/// An optional `DateTime` as a `timestamptz` parameter.
pub(super) fn optional_time(moment: Option<DateTime>) -> Option<OffsetDateTime> {
    moment.map(DateTime::as_offset)
}

/// A `timestamptz` column as a `DateTime`.
pub(super) fn read_time(row: &Row, index: usize) -> Result<Option<DateTime>, Failure> {
    let moment: Option<OffsetDateTime> = row.try_get(index)?;
    Ok(moment.map(DateTime::at))
}

/// Every column of a user, as `read_user` reads them: the id, then the
/// model's column list (`store::user::user_fields!`).
pub(super) const USER_COLUMNS: &str = concat!("users.id::bigint, ", user_fields!("users."));
/// How many columns `USER_COLUMNS` reads.
pub(super) const USER_FIELDS: usize = 11;
/// The columns a new user row is given, in the order they are bound: the
/// id aside, the user's fields, then its folded keys.
const WRITTEN_COLUMNS: &str = concat!(user_fields!(""), ", username_key, email_key");

pub(super) const SESSION_COLUMNS: &str = "sessions.id, sessions.user_id::bigint, \
     sessions.password_binding, sessions.created_at, sessions.expires_at, \
     sessions.last_seen_at, sessions.host";
pub(super) const SESSION_FIELDS: usize = 7;

/// A user with their failed logins, lock, session count and second factor.
pub(super) const LISTING_QUERY: &str = concat!(
    "SELECT users.id::bigint, ",
    user_fields!("users."),
    ", coalesce(login_failures.failures, 0), login_failures.locked_until, \
         (SELECT count(*) FROM sessions WHERE sessions.user_id = users.id), \
         EXISTS (SELECT 1 FROM mfa_factors \
                 WHERE mfa_factors.user_id = users.id AND confirmed), \
         (SELECT count(*) FROM mfa_recovery_codes \
          WHERE mfa_recovery_codes.user_id = users.id AND used_at IS NULL) \
         FROM users LEFT JOIN login_failures \
              ON login_failures.username_key = users.username_key"
);

/// A count or small number from the server as latch's `u32`.
pub(super) fn small(value: i64, what: &str) -> Result<u32, Failure> {
    u32::try_from(value).map_err(|_| Failure::Corrupt(format!("{what} is out of range ({value})")))
}

pub(super) fn read_user(row: &Row, first: usize) -> Result<User, Failure> {
    Ok(User {
        id: row.try_get(first)?,
        username: row.try_get(first + 1)?,
        email: row.try_get(first + 2)?,
        password: row.try_get(first + 3)?,
        first_name: row.try_get(first + 4)?,
        last_name: row.try_get(first + 5)?,
        is_active: row.try_get(first + 6)?,
        is_staff: row.try_get(first + 7)?,
        is_superuser: row.try_get(first + 8)?,
        date_joined: read_time(row, first + 9)?
            .ok_or_else(|| Failure::Corrupt("a user without date_joined".into()))?,
        last_login: read_time(row, first + 10)?,
    })
}

pub(super) fn read_listing(row: &Row) -> Result<UserListing, Failure> {
    Ok(UserListing {
        user: read_user(row, 0)?,
        failures: small(
            i64::from(row.try_get::<_, i32>(USER_FIELDS)?),
            "a failure count",
        )?,
        locked_until: row.try_get(USER_FIELDS + 1)?,
        sessions: small(row.try_get(USER_FIELDS + 2)?, "a session count")?,
        mfa: row.try_get(USER_FIELDS + 3)?,
        recovery_codes_left: small(row.try_get(USER_FIELDS + 4)?, "a recovery code count")?,
    })
}

/// The events columns `read_event` reads, in its order.
pub(super) const EVENT_COLUMNS: &str =
    "id, at, kind, subject, subject_key, user_id, actor, actor_id, detail, os_user, host";

/// An events row selected as `EVENT_COLUMNS`.
pub(super) fn read_event(row: &Row) -> Result<RecordedEvent, Failure> {
    Ok(RecordedEvent {
        id: row.try_get(0)?,
        event: AuditEvent {
            at: row.try_get(1)?,
            kind: row.try_get(2)?,
            subject: row.try_get(3)?,
            subject_key: row.try_get(4)?,
            user_id: row.try_get(5)?,
            actor: row.try_get(6)?,
            actor_id: row.try_get(7)?,
            detail: row.try_get(8)?,
            os_user: row.try_get(9)?,
            host: row.try_get(10)?,
        },
    })
}

pub(super) fn read_session(row: &Row) -> Result<Session, Failure> {
    Ok(Session {
        id: row.try_get(0)?,
        user_id: row.try_get(1)?,
        password_binding: row.try_get(2)?,
        created_at: row.try_get(3)?,
        expires_at: row.try_get(4)?,
        last_seen_at: row.try_get(5)?,
        host: row.try_get(6)?,
    })
}

pub(super) fn insert_event(tx: &mut Tx<'_>, event: &AuditEvent) -> Result<(), Failure> {
    tx.execute_typed(
        "INSERT INTO events (at, kind, subject, subject_key, user_id, actor, actor_id, \
                             detail, os_user, host) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            (&event.at, Type::INT8),
            (&event.kind, Type::TEXT),
            (&event.subject, Type::TEXT),
            (&event.subject_key, Type::TEXT),
            (&event.user_id, Type::INT8),
            (&event.actor, Type::TEXT),
            (&event.actor_id, Type::INT8),
            (&event.detail, Type::TEXT),
            (&event.os_user, Type::TEXT),
            (&event.host, Type::TEXT),
        ],
    )?;
    Ok(())
}

pub(super) fn insert_events(tx: &mut Tx<'_>, events: &[AuditEvent]) -> Result<(), Failure> {
    events.iter().try_for_each(|event| insert_event(tx, event))
}

/// Inserts a user row: the new id, or `None` when `skip_taken` and its
/// username or email key is taken (`ON CONFLICT DO NOTHING`, which waits
/// for a concurrent insert of the same key to end instead of failing). A
/// taken key without `skip_taken` is the unique violation (23505) of
/// `users_username_key` or `users_email_key`.
pub(super) fn insert_user_row<Id>(
    tx: &mut Tx<'_>,
    user: &User<Id>,
    skip_taken: bool,
) -> Result<Option<i64>, Failure> {
    let sql = format!(
        "INSERT INTO users ({WRITTEN_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12){} RETURNING id::bigint",
        if skip_taken {
            " ON CONFLICT DO NOTHING"
        } else {
            ""
        }
    );
    let keys = user.keys();
    let row = tx.query_typed_opt(
        &sql,
        &[
            (&user.username, Type::TEXT),
            (&user.email, Type::TEXT),
            (&user.password, Type::TEXT),
            (&user.first_name, Type::TEXT),
            (&user.last_name, Type::TEXT),
            (&user.is_active, Type::BOOL),
            (&user.is_staff, Type::BOOL),
            (&user.is_superuser, Type::BOOL),
            (&time_param(user.date_joined), Type::TIMESTAMPTZ),
            (&optional_time(user.last_login), Type::TIMESTAMPTZ),
            (&keys.username, Type::TEXT),
            (&keys.email, Type::TEXT),
        ],
    )?;
    row.map(|row| row.try_get(0))
        .transpose()
        .map_err(Failure::from)
}

/// One field of each of `rows`: a column, as an array parameter for
/// `unnest`.
pub(super) fn column<'a, R, T>(rows: &'a [R], field: impl Fn(&'a R) -> T) -> Vec<T> {
    rows.iter().map(field).collect()
}

/// Inserts `users` with their ids, `BATCH` or fewer in one statement (an
/// array parameter a column, `unnest`ed): how many were written. With
/// `skip_taken`, a user whose key is taken is left out (`ON CONFLICT DO
/// NOTHING`); without, it is the unique violation.
pub(super) fn insert_users(
    tx: &mut Tx<'_>,
    users: &[User],
    skip_taken: bool,
) -> Result<u64, Failure> {
    let keys = column(users, User::keys);
    let sql = format!(
        "INSERT INTO users (id, {WRITTEN_COLUMNS}) \
         SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13){}",
        if skip_taken {
            " ON CONFLICT DO NOTHING"
        } else {
            ""
        }
    );
    Ok(tx.execute_typed(
        &sql,
        &[
            (&column(users, |u| u.id), Type::INT8_ARRAY),
            (&column(users, |u| u.username.as_str()), Type::TEXT_ARRAY),
            (&column(users, |u| u.email.as_str()), Type::TEXT_ARRAY),
            (&column(users, |u| u.password.as_str()), Type::TEXT_ARRAY),
            (&column(users, |u| u.first_name.as_str()), Type::TEXT_ARRAY),
            (&column(users, |u| u.last_name.as_str()), Type::TEXT_ARRAY),
            (&column(users, |u| u.is_active), Type::BOOL_ARRAY),
            (&column(users, |u| u.is_staff), Type::BOOL_ARRAY),
            (&column(users, |u| u.is_superuser), Type::BOOL_ARRAY),
            (
                &column(users, |u| time_param(u.date_joined)),
                Type::TIMESTAMPTZ_ARRAY,
            ),
            (
                &column(users, |u| optional_time(u.last_login)),
                Type::TIMESTAMPTZ_ARRAY,
            ),
            (
                &keys.iter().map(|k| k.username.as_str()).collect::<Vec<_>>(),
                Type::TEXT_ARRAY,
            ),
            (
                &keys.iter().map(|k| k.email.as_str()).collect::<Vec<_>>(),
                Type::TEXT_ARRAY,
            ),
        ],
    )?)
}

/// Who has the username or email key `keys`, if not the user `except`,
/// and whether that user was written by this very transaction: one round
/// trip.
pub(super) fn taken_by(
    tx: &mut Tx<'_>,
    keys: &Keys,
    except: Option<i64>,
) -> Result<Option<(Taken, i64, bool)>, Failure> {
    let row = tx.query_typed_one(
        "SELECT by_name.id::bigint, by_name.xmin = pg_current_xact_id()::xid, \
                by_email.id::bigint, by_email.xmin = pg_current_xact_id()::xid \
         FROM (SELECT 1) AS one \
         LEFT JOIN users AS by_name \
                ON by_name.username_key = $1 AND by_name.id IS DISTINCT FROM $3 \
         LEFT JOIN users AS by_email \
                ON by_email.email_key = $2 AND by_email.id IS DISTINCT FROM $3",
        &[
            (&keys.username, Type::TEXT),
            (&keys.email, Type::TEXT),
            (&except, Type::INT8),
        ],
    )?;
    let found = |id: usize| -> Result<Option<(i64, bool)>, Failure> {
        let by: Option<i64> = row.try_get(id)?;
        Ok(match by {
            Some(by) => Some((by, row.try_get(id + 1)?)),
            None => None,
        })
    };
    Ok(match (found(0)?, found(2)?) {
        (Some((a, ours)), Some((b, _))) if a == b => Some((Taken::Both, a, ours)),
        (Some((a, ours)), _) => Some((Taken::Username, a, ours)),
        (None, Some((b, ours))) => Some((Taken::Email, b, ours)),
        (None, None) => None,
    })
}

/// A unique violation of the users' keys, read from the SQLSTATE and the
/// constraint's name (never the message): what was taken.
pub(super) fn taken_key(failure: &Failure) -> Option<Taken> {
    let Failure::Sql(e) = failure else {
        return None;
    };
    let db = e.as_db_error()?;
    if *db.code() != postgres::error::SqlState::UNIQUE_VIOLATION {
        return None;
    }
    match db.constraint()? {
        "users_username_key" => Some(Taken::Username),
        "users_email_key" => Some(Taken::Email),
        _ => None,
    }
}

/// Refuses to revoke, disable or delete the last active admin. The caller
/// holds `Lock::Admins`, so no other such change runs meanwhile.
pub(super) fn refuse_last_admin(
    tx: &mut Tx<'_>,
    user_id: i64,
    subject: &str,
    what: &str,
) -> Result<(), Failure> {
    let row = tx.query_typed_one(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND is_superuser AND is_active), \
                (SELECT count(*) FROM users WHERE is_superuser AND is_active AND id != $1)",
        &[(&user_id, Type::INT8)],
    )?;
    let (is_admin, others): (bool, i64) = (row.try_get(0)?, row.try_get(1)?);
    if is_admin && others == 0 {
        return Err(Failure::Refused(crate::error::Error::NotPermitted(
            format!(
                "{subject} is the last admin of this store and cannot be {what}; \
             grant admin to another account first"
            ),
        )));
    }
    Ok(())
}

pub(super) fn has_admin(tx: &mut Tx<'_>) -> Result<bool, Failure> {
    Ok(tx
        .query_typed_one(
            "SELECT EXISTS (SELECT 1 FROM users WHERE is_superuser AND is_active)",
            &[],
        )?
        .try_get(0)?)
}

/// Deletes the failed logins of the user `user_id`'s name.
pub(super) fn forget_failures_of(tx: &mut Tx<'_>, user_id: i64) -> Result<(), Failure> {
    tx.execute_typed(
        "DELETE FROM login_failures \
         WHERE username_key = (SELECT username_key FROM users WHERE id = $1)",
        &[(&user_id, Type::INT8)],
    )?;
    Ok(())
}
