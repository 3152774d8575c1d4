//! The SQLite store's rows: the column lists its queries read and the
//! functions that turn a row into a `User`, `UserListing` or `Session`, and
//! the one statement that writes a user row. A `DateTime` is Django's text
//! in its columns, as Django's SQLite backend writes it.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{Connection, params};

use crate::audit::{AuditEvent, RecordedEvent};
use crate::store::user::user_fields;
use crate::store::{Session, User, UserListing};
use crate::timestamp::DateTime;

impl ToSql for DateTime {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

/// Django's text (or RFC 3339, which other programs may write); anything
/// else is a row latch cannot read.
impl FromSql for DateTime {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        DateTime::parse(text)
            .ok_or_else(|| FromSqlError::Other(format!("{text:?} is not a date and time").into()))
    }
}

/// Every column of a user, as `read_user` reads them: the id, then the
/// model's column list (`store::user::user_fields!`).
macro_rules! user_columns {
    () => {
        concat!("users.id, ", $crate::store::user::user_fields!("users."))
    };
}
pub(super) use user_columns;

pub(super) const USER_COLUMNS: &str = user_columns!();
/// How many columns `USER_COLUMNS` reads.
pub(super) const USER_FIELDS: usize = 11;

pub(super) const SESSION_COLUMNS: &str = "sessions.id, sessions.user_id, sessions.password_binding, \
     sessions.created_at, sessions.expires_at, sessions.last_seen_at, sessions.host";
pub(super) const SESSION_FIELDS: usize = 7;

pub(super) fn read_user(row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    read_user_at(row, 0)
}

pub(super) fn read_user_at(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<User> {
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

/// Inserts `user` as the row `id` (a new id when `None`), its keys folded
/// from it: the id written.
pub(super) fn insert_user_row<Id>(
    conn: &Connection,
    id: Option<i64>,
    user: &User<Id>,
) -> rusqlite::Result<i64> {
    let keys = user.keys();
    conn.prepare_cached(concat!(
        "INSERT INTO users (id, ",
        user_fields!(""),
        ", username_key, email_key) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    ))?
    .execute(params![
        id,
        user.username,
        user.email,
        user.password,
        user.first_name,
        user.last_name,
        user.is_active,
        user.is_staff,
        user.is_superuser,
        user.date_joined,
        user.last_login,
        keys.username,
        keys.email
    ])?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn read_listing(row: &rusqlite::Row<'_>) -> rusqlite::Result<UserListing> {
    Ok(UserListing {
        user: read_user(row)?,
        failures: row.get(USER_FIELDS)?,
        locked_until: row.get(USER_FIELDS + 1)?,
        sessions: row.get(USER_FIELDS + 2)?,
        mfa: row.get(USER_FIELDS + 3)?,
        recovery_codes_left: row.get(USER_FIELDS + 4)?,
    })
}

/// The events columns `read_event` reads, in its order.
pub(super) const EVENT_COLUMNS: &str =
    "id, at, kind, subject, subject_key, user_id, actor, actor_id, detail, os_user, host";

/// An events row selected as `EVENT_COLUMNS`.
pub(super) fn read_event(row: &rusqlite::Row<'_>) -> rusqlite::Result<RecordedEvent> {
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
}

pub(super) fn read_session(row: &rusqlite::Row<'_>) -> rusqlite::Result<Session> {
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
