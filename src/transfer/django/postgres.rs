//! The reader of a Django site's PostgreSQL database (`DjangoPgDatabase`):
//! connected through the store's connector (libpq's environment, password
//! file and sslmodes; every connection failure one line, exit 8, the
//! password redacted), then one `REPEATABLE READ READ ONLY` transaction in
//! which `public.auth_user` is checked, django-otp's confirmed TOTP devices
//! are read and the users are streamed in batches: one snapshot for all of
//! it. It never writes (the server itself refuses a write in a read-only
//! transaction), never holds a named prepared statement (every query is
//! unnamed, as through PgBouncer), and judges no row beyond reading it: a
//! NULL where Django keeps a value makes a `BadRow`.

use std::collections::HashMap;
use std::vec;

use postgres::Client;
use postgres::types::{ToSql, Type};
use time::OffsetDateTime;

use super::{BadRow, COLUMNS, Device, DjangoRow, usable};
use crate::error::{Error, Problem, Result};
use crate::mfa::totp::TotpState;
use crate::store::postgres::{PgConnInfo, connect};
use crate::store::{NOT_A_TIME, User};
use crate::timestamp::DateTime;

/// Rows read per query, as from SQLite.
const BATCH: usize = 256;

/// The SQL types each column of `auth_user` may have, by `COLUMNS` index, as
/// `information_schema.columns.data_type` names them: Django's own, and
/// their near kin a hand-made table might use.
fn accepted_types(column: &str) -> &'static [&'static str] {
    const TEXT: &[&str] = &["character varying", "text", "character"];
    const FLAG: &[&str] = &["boolean"];
    const TIME: &[&str] = &["timestamp with time zone", "timestamp without time zone"];
    match column {
        "id" => &["integer", "bigint", "smallint"],
        "last_login" | "date_joined" => TIME,
        "is_superuser" | "is_staff" | "is_active" => FLAG,
        _ => TEXT,
    }
}

/// What the connection reads `auth_user` with: text as text, times as
/// `timestamptz` (a `timestamp` without a time zone is taken as UTC, the
/// transaction's time zone), so that both readers give the importer the
/// same `User`.
const SELECT_USERS: &str = "SELECT id::int8, password::text, last_login::timestamptz, \
     is_superuser, username::text, first_name::text, last_name::text, email::text, \
     is_staff, is_active, date_joined::timestamptz \
     FROM public.auth_user WHERE id > $1 ORDER BY id LIMIT $2";

/// A Django PostgreSQL database, connected, inside its read-only snapshot.
pub struct DjangoPgDatabase {
    client: Client,
    /// The database as its `Display` shows it: never a password.
    shown: String,
}

impl std::fmt::Debug for DjangoPgDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DjangoPgDatabase")
            .field("database", &self.shown)
            .finish_non_exhaustive()
    }
}

/// A problem with the Django database given to read: exit 3, naming it.
fn problem(shown: &str, message: impl std::fmt::Display, hint: Option<&str>) -> Error {
    let mut problem = Problem::new("database", format!("{shown}: {message}"));
    if let Some(hint) = hint {
        problem = problem.with_hint(hint);
    }
    Error::InvalidInput(vec![problem])
}

/// A failed query: the server's own message (exit 3: the database is not
/// what latch can read), or a lost connection (exit 8).
fn query_error(shown: &str, what: &str, e: &postgres::Error) -> Error {
    match e.as_db_error() {
        Some(db) => problem(
            shown,
            format!(
                "cannot read {what}: {} ({})",
                db.message(),
                db.code().code()
            ),
            None,
        ),
        None => Error::Source {
            name: shown.to_owned(),
            cause: format!("lost the connection to the server while reading {what} ({e})"),
            hint: Some(
                "check that the server is running and reachable, then run the command again".into(),
            ),
        },
    }
}

/// A connection failure, which `connect` words for the account store, said
/// of the Django database it is.
fn as_source(error: Error) -> Error {
    match error {
        Error::Store { path, cause, hint } => Error::Source {
            name: path,
            cause,
            hint,
        },
        other => other,
    }
}

impl DjangoPgDatabase {
    /// Connects to the database `info` names, opens the read-only snapshot
    /// and checks `public.auth_user`: refused (exit 3) when it is missing,
    /// lacks one of Django's columns, or has one of another type.
    /// A password file latch ignores is given to `warn`.
    pub fn open(info: &PgConnInfo, warn: &mut dyn FnMut(String)) -> Result<DjangoPgDatabase> {
        let shown = info.to_string();
        let mut client = connect(info, warn).map_err(as_source)?;
        client
            .batch_execute(
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; \
                 SET LOCAL TIME ZONE 'UTC'; SET LOCAL statement_timeout = '60s'",
            )
            .map_err(|e| query_error(&shown, "the database", &e))?;
        let present: Vec<(String, String)> = client
            .query_typed(
                "SELECT column_name::text, data_type::text FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name = 'auth_user'",
                &[],
            )
            .map_err(|e| query_error(&shown, "auth_user", &e))?
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        if present.is_empty() {
            return Err(problem(
                &shown,
                "is not a Django database: it has no table public.auth_user",
                Some(
                    "give the database of the Django project's DATABASES setting, \
                     after `manage.py migrate`",
                ),
            ));
        }
        let missing: Vec<&str> = COLUMNS
            .into_iter()
            .filter(|column| !present.iter().any(|(name, _)| name == column))
            .collect();
        if !missing.is_empty() {
            return Err(problem(
                &shown,
                format!(
                    "its auth_user table lacks the column{} {}",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", ")
                ),
                None,
            ));
        }
        let wrong: Vec<String> = COLUMNS
            .into_iter()
            .filter_map(|column| {
                let (_, found) = present.iter().find(|(name, _)| name == column)?;
                let accepted = accepted_types(column);
                (!accepted.contains(&found.as_str()))
                    .then(|| format!("{column} is {found}, not {}", accepted[0]))
            })
            .collect();
        if !wrong.is_empty() {
            return Err(problem(
                &shown,
                format!("its auth_user table is not Django's: {}", wrong.join("; ")),
                None,
            ));
        }
        Ok(DjangoPgDatabase { client, shown })
    }

    /// The confirmed TOTP devices by Django user id, as from SQLite: the one
    /// with the lowest id for a user with several; empty without
    /// django-otp's `public.otp_totp_totpdevice`. In the users' snapshot.
    pub fn totp_devices(&mut self) -> Result<HashMap<i64, Device>> {
        let shown = &self.shown;
        let read = |e: postgres::Error| query_error(shown, "otp_totp_totpdevice", &e);
        let exists: bool = self
            .client
            .query_typed_one(
                "SELECT to_regclass('public.otp_totp_totpdevice') IS NOT NULL",
                &[],
            )
            .map_err(read)?
            .get(0);
        let mut devices = HashMap::new();
        if !exists {
            return Ok(devices);
        }
        let rows = self
            .client
            .query_typed(
                "SELECT user_id::int8, key::text, step::int8, t0::int8, digits::int8, \
                 drift::int8, last_t::int8 \
                 FROM public.otp_totp_totpdevice WHERE confirmed ORDER BY id",
                &[],
            )
            .map_err(read)?;
        for row in rows {
            let Some(user_id) = row.get::<_, Option<i64>>(0) else {
                continue;
            };
            let device = read_device(&row);
            devices.entry(user_id).or_insert(device);
        }
        Ok(devices)
    }

    /// The users, in `id` order, read in batches from the snapshot.
    pub fn users(&mut self) -> PgUsers<'_> {
        self.users_in_batches(BATCH)
    }

    fn users_in_batches(&mut self, batch: usize) -> PgUsers<'_> {
        PgUsers {
            database: self,
            after: i64::MIN,
            batch,
            rows: Vec::new().into_iter(),
            done: false,
        }
    }
}

/// One device row; a NULL or a value out of range is `Err` with what is wrong.
fn read_device(row: &postgres::Row) -> Device {
    let unreadable = |column: &str| format!("its TOTP device's {column} cannot be read");
    let number = |index: usize, column: &str| -> std::result::Result<i64, String> {
        row.get::<_, Option<i64>>(index)
            .ok_or_else(|| unreadable(column))
    };
    let key: Option<String> = row.get(1);
    let key = key.ok_or_else(|| unreadable("key"))?;
    let key = crate::store::decode_hex(&key)
        .ok_or_else(|| "its TOTP device's key is not hex".to_owned())?;
    let state = TotpState {
        key,
        step: u32::try_from(number(2, "step")?).map_err(|_| unreadable("step"))?,
        t0: number(3, "t0")?,
        digits: u8::try_from(number(4, "digits")?).map_err(|_| unreadable("digits"))?,
        drift: number(5, "drift")?,
        last_t: number(6, "last_t")?,
    };
    usable(state)
}

/// The rows of `auth_user`, a batch at a time. An error ends the iteration.
#[derive(Debug)]
pub struct PgUsers<'db> {
    database: &'db mut DjangoPgDatabase,
    /// The last `id` read.
    after: i64,
    batch: usize,
    rows: vec::IntoIter<DjangoRow>,
    done: bool,
}

impl PgUsers<'_> {
    fn next_batch(&mut self) -> Result<Vec<DjangoRow>> {
        let limit = i64::try_from(self.batch).unwrap_or(i64::MAX);
        let params: [(&(dyn ToSql + Sync), Type); 2] =
            [(&self.after, Type::INT8), (&limit, Type::INT8)];
        let rows = self
            .database
            .client
            .query_typed(SELECT_USERS, &params)
            .map_err(|e| query_error(&self.database.shown, "auth_user", &e))?;
        Ok(rows.iter().map(read_user).collect())
    }
}

impl Iterator for PgUsers<'_> {
    type Item = Result<DjangoRow>;

    fn next(&mut self) -> Option<Result<DjangoRow>> {
        if let Some(user) = self.rows.next() {
            return Some(Ok(user));
        }
        if self.done {
            return None;
        }
        match self.next_batch() {
            Ok(batch) => {
                self.done = batch.len() < self.batch;
                self.after = batch.last().map_or(self.after, |row| match row {
                    Ok(user) => user.id,
                    Err(bad) => bad.id,
                });
                self.rows = batch.into_iter();
                self.rows.next().map(Ok)
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// One row, in `COLUMNS` order. The types were checked when the database
/// was opened; what is left is a NULL where Django keeps a value, which
/// makes the row a `BadRow`, refused on its own while the rest are read.
fn read_user(row: &postgres::Row) -> DjangoRow {
    let id: i64 = row.get(0);
    let mut problems = Vec::new();
    let mut text = |index: usize| -> Option<String> {
        let value: Option<String> = row.get(index);
        if value.is_none() {
            problems.push(Problem::new(COLUMNS[index], "is null, not text"));
        }
        value
    };
    let password = text(1);
    let username = text(4);
    let first_name = text(5);
    let last_name = text(6);
    let email = text(7);
    // A time the model cannot hold (past the year 9999, or PostgreSQL's
    // `infinity`) is a problem of the row, as a value of the wrong type.
    let mut time = |index: usize| -> Option<Option<DateTime>> {
        match row.try_get::<_, Option<OffsetDateTime>>(index) {
            Ok(value) => Some(value.map(DateTime::at)),
            Err(_) => {
                problems.push(Problem::new(COLUMNS[index], NOT_A_TIME));
                None
            }
        }
    };
    let last_login = time(2);
    let date_joined = match time(10) {
        Some(None) => {
            problems.push(Problem::new(COLUMNS[10], "is null, not a date and time"));
            None
        }
        read => read.flatten(),
    };
    let mut flag = |index: usize| -> Option<bool> {
        let value: Option<bool> = row.get(index);
        if value.is_none() {
            problems.push(Problem::new(COLUMNS[index], "is null, not a boolean"));
        }
        value
    };
    let is_superuser = flag(3);
    let is_staff = flag(8);
    let is_active = flag(9);
    match (
        password,
        last_login,
        is_superuser,
        username.clone(),
        first_name,
        last_name,
        email,
        is_staff,
        is_active,
        date_joined,
    ) {
        (
            Some(password),
            Some(last_login),
            Some(is_superuser),
            Some(username),
            Some(first_name),
            Some(last_name),
            Some(email),
            Some(is_staff),
            Some(is_active),
            Some(date_joined),
        ) => Ok(User {
            id,
            username,
            email,
            password,
            first_name,
            last_name,
            is_active,
            is_staff,
            is_superuser,
            date_joined,
            last_login,
        }),
        _ => Err(BadRow {
            id,
            username,
            problems,
        }),
    }
}

#[cfg(test)]
mod tests {
    use postgres::error::SqlState;

    use super::*;
    use crate::store::postgres::tests::TestDb;

    /// Django 5.2's `auth_user` on PostgreSQL, and three users.
    const SITE: &str = "CREATE TABLE auth_user (
        id integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
        password varchar(128) NOT NULL, last_login timestamp with time zone NULL,
        is_superuser boolean NOT NULL, username varchar(150) NOT NULL UNIQUE,
        first_name varchar(150) NOT NULL, last_name varchar(150) NOT NULL,
        email varchar(254) NOT NULL, is_staff boolean NOT NULL, is_active boolean NOT NULL,
        date_joined timestamp with time zone NOT NULL);
        INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,
            email, is_staff, is_active, date_joined, last_login) VALUES
        ('!a', true, 'admin', '', '', 'admin@example.com', true, true,
         '2024-03-01 08:30:15+00', '2024-03-20 11:30:15.123456+02'),
        ('!b', false, 'alice', 'Alice', '', 'alice@example.com', false, true,
         '2024-03-02 08:30:15.25+00', NULL),
        ('!c', false, 'bob', '', '', 'bob@example.com', false, false,
         '2024-03-03 00:00:00+00', NULL);";

    #[test]
    fn every_batch_reads_the_snapshot_taken_at_open_and_nothing_is_written() {
        let db = TestDb::new();
        let mut other = db.client();
        other.batch_execute(SITE).expect("the site");
        let mut site = DjangoPgDatabase::open(&db.info(), &mut |w| panic!("{w}")).expect("opens");
        // Changed by another connection after the snapshot was taken.
        other
            .batch_execute(
                "DELETE FROM auth_user WHERE username = 'alice'; \
                 UPDATE auth_user SET email = 'changed@example.com' WHERE username = 'bob'; \
                 INSERT INTO auth_user (password, is_superuser, username, first_name, \
                 last_name, email, is_staff, is_active, date_joined) \
                 VALUES ('!d', false, 'dave', '', '', 'd@example.com', false, true, now())",
            )
            .expect("changes meanwhile");
        assert!(site.totp_devices().expect("no device table").is_empty());
        let users: Vec<User> = site
            .users_in_batches(1)
            .map(|row| row.expect("read").expect("of the right types"))
            .collect();
        let names: Vec<&str> = users.iter().map(|u| u.username.as_str()).collect();
        assert_eq!(names, ["admin", "alice", "bob"]);
        assert_eq!(users[2].email, "bob@example.com");
        assert!(!users[2].is_active && users[0].is_superuser && users[0].is_staff);
        // Times in UTC, to the microsecond.
        assert_eq!(
            users[0].date_joined,
            DateTime::fixed("2024-03-01 08:30:15.000000")
        );
        assert_eq!(
            users[0].last_login,
            Some(DateTime::fixed("2024-03-20 09:30:15.123456"))
        );
        assert_eq!(
            users[1].date_joined,
            DateTime::fixed("2024-03-02 08:30:15.250000")
        );
        assert_eq!(users[1].last_login, None);
        // The transaction is read-only: the server refuses a write in it.
        let error = site
            .client
            .batch_execute("DELETE FROM auth_user")
            .expect_err("read-only");
        assert_eq!(error.code(), Some(&SqlState::READ_ONLY_SQL_TRANSACTION));
        drop(site);
        let count: i64 = other
            .query_one("SELECT count(*) FROM auth_user", &[])
            .expect("count")
            .get(0);
        assert_eq!(count, 3);
    }

    #[test]
    fn a_time_the_model_cannot_hold_makes_a_bad_row_and_a_naive_one_is_utc() {
        let db = TestDb::new();
        let mut other = db.client();
        other.batch_execute(SITE).expect("the site");
        other
            .batch_execute(
                "UPDATE auth_user SET date_joined = 'infinity' WHERE username = 'alice'; \
                 UPDATE auth_user SET last_login = '10000-01-01 00:00:00+00' \
                 WHERE username = 'bob'",
            )
            .expect("spoil two rows");
        let mut site = DjangoPgDatabase::open(&db.info(), &mut |w| panic!("{w}")).expect("opens");
        let rows: Vec<DjangoRow> = site
            .users_in_batches(2)
            .map(|row| row.expect("read"))
            .collect();
        assert!(rows[0].is_ok(), "{rows:?}");
        let bad: Vec<(&str, &[Problem])> = rows[1..]
            .iter()
            .map(|row| {
                let bad = row.as_ref().expect_err("a bad row");
                (
                    bad.username.as_deref().unwrap_or_default(),
                    &bad.problems[..],
                )
            })
            .collect();
        assert_eq!(
            bad,
            [
                ("alice", &[Problem::new("date_joined", NOT_A_TIME)][..]),
                ("bob", &[Problem::new("last_login", NOT_A_TIME)][..]),
            ]
        );
        drop(site);
        // A hand-made table without time zones: its times are UTC.
        other
            .batch_execute(
                "ALTER TABLE auth_user ALTER COLUMN date_joined TYPE timestamp \
                 USING '2024-03-01 08:30:15.5'::timestamp, \
                 ALTER COLUMN last_login TYPE timestamp USING NULL",
            )
            .expect("naive times");
        let mut site = DjangoPgDatabase::open(&db.info(), &mut |w| panic!("{w}")).expect("opens");
        let users: Vec<User> = site
            .users_in_batches(10)
            .map(|row| row.expect("read").expect("of the right types"))
            .collect();
        assert_eq!(users.len(), 3);
        for user in &users {
            assert_eq!(user.date_joined, DateTime::fixed("2024-03-01 08:30:15.5"));
        }
    }
}
