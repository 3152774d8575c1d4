//! The reader of a Django SQLite database (`DjangoDatabase`): opened
//! read-only, its `auth_user` rows streamed in batches from one snapshot,
//! and django-otp's confirmed TOTP devices (`otp_totp_totpdevice`). It never
//! writes to the file (no journal or WAL left behind), and judges no row
//! beyond reading it: a value of the wrong type makes a `BadRow`, and what
//! latch can take is the importer's to say.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::vec;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, Transaction, params};

use super::{BadRow, COLUMNS, Device, DjangoRow, problem, usable};
use crate::error::{Problem, Result};
use crate::mfa::totp::TotpState;
use crate::store::{NOT_A_TIME, User};
use crate::timestamp::DateTime;

/// Rows read per query: enough to make paging cheap, few enough that memory
/// stays small whatever the table's size.
const BATCH: usize = 256;
/// A Django SQLite database, opened read-only.
#[derive(Debug)]
pub struct DjangoDatabase {
    conn: Connection,
    path: PathBuf,
}

impl DjangoDatabase {
    /// Opens `path` read-only, refusing (exit 3) a file that is missing, not
    /// SQLite, or has no `auth_user` table with the columns Django gives it.
    pub fn open(path: &Path) -> Result<DjangoDatabase> {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(problem(path, "is a directory, not a database file", None));
            }
            Ok(_) => {}
            Err(e) => return Err(problem(path, format!("cannot be read: {e}"), None)),
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| problem(path, format!("cannot be opened: {e}"), None))?;
        // The first statement that reads the file: a file that is not SQLite fails here.
        let table: Option<String> = conn
            .query_row(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'auth_user'",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| problem(path, format!("is not an SQLite database ({e})"), None))?;
        if table.is_none() {
            return Err(problem(
                path,
                "is not a Django database: it has no auth_user table",
                Some(
                    "give the SQLite file of the Django project's DATABASES setting, \
                     after `manage.py migrate`",
                ),
            ));
        }
        let mut statement = conn
            .prepare("SELECT name FROM pragma_table_info('auth_user')")
            .map_err(|e| problem(path, format!("cannot read auth_user: {e}"), None))?;
        let present: Vec<String> = statement
            .query_map([], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| problem(path, format!("cannot read auth_user: {e}"), None))?;
        drop(statement);
        let missing: Vec<&str> = COLUMNS
            .into_iter()
            .filter(|column| !present.iter().any(|p| p == column))
            .collect();
        if !missing.is_empty() {
            return Err(problem(
                path,
                format!(
                    "its auth_user table lacks the column{} {}",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", ")
                ),
                None,
            ));
        }
        Ok(DjangoDatabase {
            conn,
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The users, in `id` order, read in batches from one snapshot of the
    /// database (a read transaction held until the iterator is dropped).
    pub fn users(&mut self) -> Result<Users<'_>> {
        self.users_in_batches(BATCH)
    }

    fn users_in_batches(&mut self, batch: usize) -> Result<Users<'_>> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| problem(&path, format!("cannot read auth_user: {e}"), None))?;
        Ok(Users {
            tx,
            path,
            after: i64::MIN,
            batch,
            rows: Vec::new().into_iter(),
            done: false,
        })
    }
}

/// The rows of `auth_user`, a batch at a time. An error ends the iteration.
#[derive(Debug)]
pub struct Users<'db> {
    tx: Transaction<'db>,
    path: PathBuf,
    /// The last `id` read.
    after: i64,
    batch: usize,
    rows: vec::IntoIter<DjangoRow>,
    done: bool,
}

impl Users<'_> {
    fn next_batch(&mut self) -> Result<Vec<DjangoRow>> {
        let sql = format!(
            "SELECT {} FROM auth_user WHERE id > ?1 ORDER BY id LIMIT ?2",
            COLUMNS.join(", ")
        );
        let path = &self.path;
        let limit = i64::try_from(self.batch).unwrap_or(i64::MAX);
        let mut statement = self
            .tx
            .prepare_cached(&sql)
            .map_err(|e| problem(path, format!("cannot read auth_user: {e}"), None))?;
        let rows = statement
            .query_map(params![self.after, limit], read_user)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        rows.map_err(|e| problem(path, format!("cannot read a row of auth_user: {e}"), None))
    }
}

impl Iterator for Users<'_> {
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
/// One row, in `COLUMNS` order. Only the `id` must be what Django makes it
/// (an integer: the table's rowid); any other value of the wrong type makes
/// the row a `BadRow`, refused on its own while the rest are read.
fn read_user(row: &Row<'_>) -> rusqlite::Result<DjangoRow> {
    let id: i64 = row.get(0)?;
    let mut problems = Vec::new();
    let password = text(row, 1, &mut problems);
    let last_login = match row.get_ref(2) {
        Ok(ValueRef::Null) => Some(None),
        _ => time(row, 2, &mut problems).map(Some),
    };
    let is_superuser = flag(row, 3, &mut problems);
    let username = text(row, 4, &mut problems);
    let first_name = text(row, 5, &mut problems);
    let last_name = text(row, 6, &mut problems);
    let email = text(row, 7, &mut problems);
    let is_staff = flag(row, 8, &mut problems);
    let is_active = flag(row, 9, &mut problems);
    let date_joined = time(row, 10, &mut problems);
    if let (
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
    ) = (
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
        return Ok(Ok(User {
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
        }));
    }
    Ok(Err(BadRow {
        id,
        username,
        problems,
    }))
}

/// A text column's value, or a problem naming the column and what it holds.
fn text(row: &Row<'_>, column: usize, problems: &mut Vec<Problem>) -> Option<String> {
    match row.get_ref(column) {
        Ok(ValueRef::Text(bytes)) => match std::str::from_utf8(bytes) {
            Ok(text) => Some(text.to_owned()),
            Err(_) => {
                problems.push(Problem::new(COLUMNS[column], "is not valid UTF-8"));
                None
            }
        },
        Ok(value) => {
            problems.push(wrong_type(column, value, "text"));
            None
        }
        Err(e) => {
            problems.push(Problem::new(
                COLUMNS[column],
                format!("cannot be read: {e}"),
            ));
            None
        }
    }
}

/// A time column's value (Django's SQLite backend keeps text, in UTC), or
/// a problem.
fn time(row: &Row<'_>, column: usize, problems: &mut Vec<Problem>) -> Option<DateTime> {
    let moment = DateTime::parse(&text(row, column, problems)?);
    if moment.is_none() {
        problems.push(Problem::new(COLUMNS[column], NOT_A_TIME));
    }
    moment
}

/// A boolean column's value (Django keeps 0 or 1), or a problem.
fn flag(row: &Row<'_>, column: usize, problems: &mut Vec<Problem>) -> Option<bool> {
    match row.get_ref(column) {
        Ok(ValueRef::Integer(n)) => Some(n != 0),
        Ok(value) => {
            problems.push(wrong_type(column, value, "a boolean (0 or 1)"));
            None
        }
        Err(e) => {
            problems.push(Problem::new(
                COLUMNS[column],
                format!("cannot be read: {e}"),
            ));
            None
        }
    }
}

/// "date_joined: is an integer, not text": the type, never the value.
fn wrong_type(column: usize, value: ValueRef<'_>, wanted: &str) -> Problem {
    let found = match value {
        ValueRef::Null => "null",
        ValueRef::Integer(_) => "an integer",
        ValueRef::Real(_) => "a real number",
        ValueRef::Text(_) => "text",
        ValueRef::Blob(_) => "a blob",
    };
    Problem::new(COLUMNS[column], format!("is {found}, not {wanted}"))
}
impl DjangoDatabase {
    /// The confirmed TOTP devices by Django user id: the one with the lowest
    /// id for a user with several. Empty when django-otp's TOTP plugin is not
    /// installed (no `otp_totp_totpdevice` table). Read before the users, in
    /// a snapshot of its own.
    pub fn totp_devices(&self) -> Result<HashMap<i64, Device>> {
        let path = self.path();
        let read = |e: rusqlite::Error| {
            problem(path, format!("cannot read otp_totp_totpdevice: {e}"), None)
        };
        let table: Option<String> = self
            .conn
            .query_row(
                "SELECT name FROM sqlite_master \
                 WHERE type = 'table' AND name = 'otp_totp_totpdevice'",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(read)?;
        let mut devices = HashMap::new();
        if table.is_none() {
            return Ok(devices);
        }
        let mut statement = self
            .conn
            .prepare(
                "SELECT user_id, key, step, t0, digits, drift, last_t \
                 FROM otp_totp_totpdevice WHERE confirmed ORDER BY id",
            )
            .map_err(read)?;
        let mut rows = statement.query([]).map_err(read)?;
        while let Some(row) = rows.next().map_err(read)? {
            let user_id: i64 = row.get(0).map_err(read)?;
            let device = read_device(row);
            devices.entry(user_id).or_insert(device);
        }
        Ok(devices)
    }
}

/// One device row; a value latch cannot use is `Err` with what is wrong.
fn read_device(row: &rusqlite::Row<'_>) -> Device {
    let unreadable = |column: &str| format!("its TOTP device's {column} cannot be read");
    let key: String = row.get(1).map_err(|_| unreadable("key"))?;
    let key = crate::store::decode_hex(&key)
        .ok_or_else(|| "its TOTP device's key is not hex".to_owned())?;
    let state = TotpState {
        key,
        step: row.get(2).map_err(|_| unreadable("step"))?,
        t0: row.get(3).map_err(|_| unreadable("t0"))?,
        digits: row.get(4).map_err(|_| unreadable("digits"))?,
        drift: row.get(5).map_err(|_| unreadable("drift"))?,
        last_t: row.get(6).map_err(|_| unreadable("last_t"))?,
    };
    usable(state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    const SITE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/django/site.sqlite3"
    );
    const SITE_USERS: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/django/site-users.json"
    ));

    #[derive(Debug, serde::Deserialize)]
    struct SiteUsers {
        users: Vec<SiteUser>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct SiteUser {
        id: i64,
        username: String,
        email: String,
        algorithm: Option<String>,
        is_active: bool,
        is_superuser: bool,
        is_staff: bool,
    }

    fn site_users() -> Vec<SiteUser> {
        serde_json::from_str::<SiteUsers>(SITE_USERS)
            .expect("site-users.json parses")
            .users
    }

    /// A copy of the fixture database in a directory of its own.
    fn site_copy() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("site.sqlite3");
        std::fs::copy(SITE, &path).expect("copy the fixture");
        (dir, path)
    }

    fn read_all(path: &Path, batch: usize) -> Vec<User> {
        let mut db = DjangoDatabase::open(path).expect("opens");
        db.users_in_batches(batch)
            .expect("users")
            .map(|row| row.expect("read").expect("of the right types"))
            .collect()
    }

    fn message(error: &Error) -> String {
        match error {
            Error::InvalidInput(problems) => problems
                .iter()
                .map(|p| format!("{}: {}", p.message, p.hint.clone().unwrap_or_default()))
                .collect(),
            other => panic!("not invalid input: {other:?}"),
        }
    }

    #[test]
    fn reads_every_user_django_wrote() {
        let users = read_all(Path::new(SITE), BATCH);
        let expected = site_users();
        assert_eq!(users.len(), expected.len());
        for (user, expected) in users.iter().zip(&expected) {
            assert_eq!(user.id, expected.id);
            assert_eq!(user.username, expected.username);
            assert_eq!(user.email, expected.email);
            assert_eq!(user.is_active, expected.is_active, "{}", user.username);
            assert_eq!(
                user.is_superuser, expected.is_superuser,
                "{}",
                user.username
            );
            assert_eq!(user.is_staff, expected.is_staff, "{}", user.username);
            match &expected.algorithm {
                Some(algorithm) => assert!(
                    user.password.starts_with(&format!("{algorithm}$")),
                    "{}: {}",
                    user.username,
                    user.password
                ),
                None => assert!(user.password.starts_with('!'), "{}", user.username),
            }
        }
        let admin = &users[0];
        assert_eq!(admin.date_joined, DateTime::fixed("2024-03-01 08:30:15"));
        assert_eq!(
            admin.last_login,
            Some(DateTime::fixed("2024-03-20 09:30:15.123456"))
        );
        let alice = &users[1];
        assert_eq!(
            alice.date_joined,
            DateTime::fixed("2024-03-02 08:30:15.250000")
        );
        assert_eq!(
            (alice.first_name.as_str(), alice.last_name.as_str()),
            ("Alice", "Liddell")
        );
        assert_eq!(users[2].last_login, None);
        assert!(users.iter().any(|u| u.email.is_empty()));
        assert!(users.iter().any(|u| u.username == "ｅｒｉｎ"));
    }

    #[test]
    fn pages_through_the_table_in_batches() {
        let whole = read_all(Path::new(SITE), BATCH);
        for batch in [1, 2, 3, whole.len() - 1, whole.len(), whole.len() + 1] {
            assert_eq!(
                read_all(Path::new(SITE), batch),
                whole,
                "batches of {batch}"
            );
        }
    }

    #[test]
    fn leaves_the_database_untouched() {
        let (dir, path) = site_copy();
        let before = std::fs::read(&path).expect("read");
        let mut permissions = std::fs::metadata(&path).expect("metadata").permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&path, permissions).expect("chmod");
        assert_eq!(read_all(&path, 4).len(), site_users().len());
        assert_eq!(std::fs::read(&path).expect("read"), before);
        let files: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert_eq!(files, ["site.sqlite3"], "no journal or WAL left behind");
    }

    #[test]
    fn refuses_what_is_not_a_django_database() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let empty = dir.path().join("empty.sqlite3");
        Connection::open(&empty)
            .and_then(|c| c.execute_batch("CREATE TABLE users (id INTEGER PRIMARY KEY)"))
            .expect("an SQLite file without auth_user");
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "not a database, just some text that is long enough").expect("write");
        let odd = dir.path().join("odd.sqlite3");
        Connection::open(&odd)
            .and_then(|c| {
                c.execute_batch("CREATE TABLE auth_user (id INTEGER PRIMARY KEY, username TEXT)")
            })
            .expect("an auth_user of another shape");
        let cases = [
            (
                empty.clone(),
                "is not a Django database: it has no auth_user table",
            ),
            (text, "is not an SQLite database"),
            (odd, "lacks the columns password, last_login, is_superuser"),
            (dir.path().join("missing.sqlite3"), "cannot be read"),
            (dir.path().to_owned(), "is a directory"),
        ];
        for (path, expected) in cases {
            let error = DjangoDatabase::open(&path).expect_err("refused");
            assert_eq!(error.exit_code(), 3);
            let message = message(&error);
            assert!(message.contains(expected), "{path:?}: {message}");
            assert!(message.contains(&path.display().to_string()), "{message}");
        }
        // Reading did not create anything.
        assert!(!dir.path().join("missing.sqlite3").exists());
    }

    #[test]
    fn a_value_of_the_wrong_type_makes_a_bad_row_and_the_rest_are_read() {
        let (_dir, path) = site_copy();
        Connection::open(&path)
            .and_then(|c| {
                c.execute_batch(
                    "UPDATE auth_user SET is_active = 'yes' WHERE id = 3; \
                     UPDATE auth_user SET date_joined = 1700000000 WHERE id = 4; \
                     UPDATE auth_user SET last_login = 'yesterday' WHERE id = 5;",
                )
            })
            .expect("spoil three rows");
        let mut db = DjangoDatabase::open(&path).expect("opens");
        let rows: Vec<DjangoRow> = db
            .users_in_batches(2)
            .expect("users")
            .collect::<Result<_>>()
            .expect("every row read");
        assert_eq!(rows.len(), site_users().len());
        let bad: Vec<&BadRow> = rows.iter().filter_map(|row| row.as_ref().err()).collect();
        assert_eq!(bad.len(), 3, "{bad:?}");
        assert_eq!(bad[0].id, 3);
        assert_eq!(
            bad[0].problems,
            [Problem::new("is_active", "is text, not a boolean (0 or 1)")]
        );
        assert_eq!(bad[1].id, 4);
        assert_eq!(
            bad[1].problems,
            [Problem::new("date_joined", "is an integer, not text")]
        );
        assert!(bad[1].username.is_some());
        assert_eq!(bad[2].id, 5);
        assert_eq!(
            bad[2].problems,
            [Problem::new("last_login", "is not a date and time")]
        );
    }
}
