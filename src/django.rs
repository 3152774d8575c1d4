//! Django's side of the bridge: `DjangoDatabase` reads the users of a Django
//! SQLite database (`auth_user`), and `FixtureWriter` writes users as a Django
//! JSON fixture for `auth.user`, which `manage.py loaddata` loads.
//!
//! The reader opens the file read-only and streams rows in batches, never the
//! whole table at once; it must never write to a Django database, nor judge the
//! rows (whether latch can take a user is for the importer to say). The
//! writer streams too: one object per user, straight to its `Write`.
//! Passwords stay Django-encoded hashes both ways; no password is seen here.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::vec;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, Transaction, params};
use serde::Serialize;
use time::PrimitiveDateTime;
use time::macros::format_description;

use crate::error::{Error, Problem, Result};

mod otp;
pub use otp::Device;

/// The columns of `auth_user` that are read, as Django names them.
const COLUMNS: [&str; 11] = [
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
];
/// Rows read per query: enough to make paging cheap, few enough that memory
/// stays small whatever the table's size.
const BATCH: usize = 256;

/// A row of Django's `auth_user`. Datetimes are text as Django's SQLite
/// backend stores them (`2024-03-01 08:30:15.250000`, UTC, the fraction left
/// out when it is zero).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DjangoUser {
    pub id: i64,
    pub username: String,
    pub email: String,
    /// The Django-encoded hash, or `!…` for an unusable password.
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub is_active: bool,
    pub is_staff: bool,
    pub is_superuser: bool,
    pub date_joined: String,
    pub last_login: Option<String>,
}

impl From<&crate::store::User> for DjangoUser {
    /// A latch user as Django's `auth_user` row; an admin is staff too, as
    /// `createsuperuser` makes one (so that the Django admin lets them in).
    fn from(user: &crate::store::User) -> DjangoUser {
        DjangoUser {
            id: user.id,
            username: user.username.clone(),
            email: user.email.clone(),
            password: user.password.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            is_active: user.is_active,
            is_staff: user.is_staff || user.is_superuser,
            is_superuser: user.is_superuser,
            date_joined: user.date_joined.clone(),
            last_login: user.last_login.clone(),
        }
    }
}

/// A problem with the Django database given to read: exit 3, naming the file.
fn problem(path: &Path, message: impl std::fmt::Display, hint: Option<&str>) -> Error {
    let mut problem = Problem::new("file", format!("{}: {message}", path.display()));
    if let Some(hint) = hint {
        problem = problem.with_hint(hint);
    }
    Error::InvalidInput(vec![problem])
}

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

/// A row of `auth_user` as read: the user, or (a value of the wrong type,
/// such as an integer `date_joined`) what is wrong with it.
pub type DjangoRow = std::result::Result<DjangoUser, BadRow>;

/// A row whose values are not of the types Django gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub id: i64,
    /// The username, when it is text.
    pub username: Option<String>,
    /// One problem per column of the wrong type, named by the column.
    pub problems: Vec<Problem>,
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
        _ => text(row, 2, &mut problems).map(Some),
    };
    let is_superuser = flag(row, 3, &mut problems);
    let username = text(row, 4, &mut problems);
    let first_name = text(row, 5, &mut problems);
    let last_name = text(row, 6, &mut problems);
    let email = text(row, 7, &mut problems);
    let is_staff = flag(row, 8, &mut problems);
    let is_active = flag(row, 9, &mut problems);
    let date_joined = text(row, 10, &mut problems);
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
        return Ok(Ok(DjangoUser {
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

/// What a fixture object's `pk` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrimaryKeys {
    /// Each user's `id`: `loaddata` creates or overwrites the row with that id.
    Keep,
    /// No `pk`: `loaddata` finds the user by username (Django's natural key for
    /// `auth.User`), updating it when it exists and creating it otherwise.
    ByUsername,
}

/// Writes users as a Django JSON fixture for `auth.user`:
/// `[{"model": "auth.user", "pk": 1, "fields": {…}}, …]`, one object a line.
/// Datetimes are written as `dumpdata` writes them with `USE_TZ = True`
/// (Django's default), in UTC with a `Z`.
#[derive(Debug)]
pub struct FixtureWriter<W: Write> {
    out: W,
    primary_keys: PrimaryKeys,
    written: usize,
}

#[derive(Serialize)]
struct FixtureObject<'a> {
    model: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pk: Option<i64>,
    fields: Fields<'a>,
}

/// Every field of Django's `auth.User`, in the model's order.
#[derive(Serialize)]
struct Fields<'a> {
    password: &'a str,
    last_login: Option<String>,
    is_superuser: bool,
    username: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    email: &'a str,
    is_staff: bool,
    is_active: bool,
    date_joined: String,
    groups: [u8; 0],
    user_permissions: [u8; 0],
}

impl<W: Write> FixtureWriter<W> {
    pub fn new(out: W, primary_keys: PrimaryKeys) -> FixtureWriter<W> {
        FixtureWriter {
            out,
            primary_keys,
            written: 0,
        }
    }

    /// Writes one user. A datetime latch cannot read is an error (exit 3)
    /// naming the user, rather than a fixture `loaddata` would refuse.
    pub fn write(&mut self, user: &DjangoUser) -> Result<()> {
        let datetime = |field: &str, text: &str| {
            fixture_datetime(text).ok_or_else(|| {
                Error::invalid(
                    "user",
                    format!(
                        "{}: {field} {text:?} is not a date and time as Django stores them",
                        user.username
                    ),
                )
            })
        };
        let object = FixtureObject {
            model: "auth.user",
            pk: match self.primary_keys {
                PrimaryKeys::Keep => Some(user.id),
                PrimaryKeys::ByUsername => None,
            },
            fields: Fields {
                password: &user.password,
                last_login: user
                    .last_login
                    .as_deref()
                    .map(|text| datetime("last_login", text))
                    .transpose()?,
                is_superuser: user.is_superuser,
                username: &user.username,
                first_name: &user.first_name,
                last_name: &user.last_name,
                email: &user.email,
                is_staff: user.is_staff,
                is_active: user.is_active,
                date_joined: datetime("date_joined", &user.date_joined)?,
                groups: [],
                user_permissions: [],
            },
        };
        let separator: &[u8] = if self.written == 0 { b"[\n" } else { b",\n" };
        self.out.write_all(separator).map_err(write_error)?;
        serde_json::to_writer(&mut self.out, &object).map_err(|e| write_error(e.into()))?;
        self.written += 1;
        Ok(())
    }

    /// Closes the list (an empty fixture is `[]`), flushes, and returns the
    /// writer and how many users were written.
    pub fn finish(mut self) -> Result<(W, usize)> {
        let end: &[u8] = if self.written == 0 { b"[]\n" } else { b"\n]\n" };
        self.out.write_all(end).map_err(write_error)?;
        self.out.flush().map_err(write_error)?;
        Ok((self.out, self.written))
    }
}

/// A failed write of the fixture: no bug, but a full disk or the like
/// (exit 74), or a reader gone (no error); the command names the place.
fn write_error(e: std::io::Error) -> Error {
    Error::write_failed(&e, "the fixture")
}

/// Django's SQLite datetime text (`2024-03-01 08:30:15[.250000]`, UTC; a `T`
/// for the space is read too) as a fixture datetime, `2024-03-01T08:30:15.250000Z`.
fn fixture_datetime(text: &str) -> Option<String> {
    let stored = format_description!(
        version = 2,
        "[year]-[month]-[day][first [ ][T]][hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    let whole = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let fraction =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    let at = PrimitiveDateTime::parse(text, &stored).ok()?;
    if at.nanosecond() == 0 {
        at.format(&whole).ok()
    } else {
        at.format(&fraction).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/django/site.sqlite3"
    );
    const SITE_USERS: &str = include_str!("../tests/fixtures/django/site-users.json");

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

    fn read_all(path: &Path, batch: usize) -> Vec<DjangoUser> {
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
        assert_eq!(admin.date_joined, "2024-03-01 08:30:15");
        assert_eq!(
            admin.last_login.as_deref(),
            Some("2024-03-20 09:30:15.123456")
        );
        let alice = &users[1];
        assert_eq!(alice.date_joined, "2024-03-02 08:30:15.250000");
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
                     UPDATE auth_user SET date_joined = 1700000000 WHERE id = 4;",
                )
            })
            .expect("spoil two rows");
        let mut db = DjangoDatabase::open(&path).expect("opens");
        let rows: Vec<DjangoRow> = db
            .users_in_batches(2)
            .expect("users")
            .collect::<Result<_>>()
            .expect("every row read");
        assert_eq!(rows.len(), site_users().len());
        let bad: Vec<&BadRow> = rows.iter().filter_map(|row| row.as_ref().err()).collect();
        assert_eq!(bad.len(), 2, "{bad:?}");
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
    }

    fn fixture_of(users: &[DjangoUser], keys: PrimaryKeys) -> serde_json::Value {
        let mut writer = FixtureWriter::new(Vec::new(), keys);
        for user in users {
            writer.write(user).expect("write");
        }
        let (bytes, written) = writer.finish().expect("finish");
        assert_eq!(written, users.len());
        serde_json::from_slice(&bytes).expect("the fixture is JSON")
    }

    #[test]
    fn writes_a_fixture_of_every_user_with_every_field() {
        let users = read_all(Path::new(SITE), BATCH);
        let fixture = fixture_of(&users, PrimaryKeys::Keep);
        let objects = fixture.as_array().expect("a list");
        assert_eq!(objects.len(), users.len());
        for (object, user) in objects.iter().zip(&users) {
            assert_eq!(object["model"], "auth.user");
            assert_eq!(object["pk"], user.id);
            let fields = object["fields"].as_object().expect("fields");
            let names: Vec<&str> = fields.keys().map(String::as_str).collect();
            let mut expected = vec![
                "password",
                "last_login",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "groups",
                "user_permissions",
            ];
            expected.sort_unstable();
            let mut names = names;
            names.sort_unstable();
            assert_eq!(names, expected);
            assert_eq!(fields["password"], user.password.as_str());
            assert_eq!(fields["username"], user.username.as_str());
            assert_eq!(fields["email"], user.email.as_str());
            assert_eq!(fields["first_name"], user.first_name.as_str());
            assert_eq!(fields["is_active"], user.is_active);
            assert_eq!(fields["is_staff"], user.is_staff);
            assert_eq!(fields["is_superuser"], user.is_superuser);
            assert_eq!(fields["groups"], serde_json::json!([]));
            assert_eq!(fields["user_permissions"], serde_json::json!([]));
        }
        let fields = |i: usize| &objects[i]["fields"];
        assert_eq!(fields(0)["date_joined"], "2024-03-01T08:30:15Z");
        assert_eq!(fields(0)["last_login"], "2024-03-20T09:30:15.123456Z");
        assert_eq!(fields(1)["date_joined"], "2024-03-02T08:30:15.250000Z");
        assert_eq!(fields(1)["last_name"], "Liddell");
        assert_eq!(fields(2)["last_login"], serde_json::Value::Null);
    }

    #[test]
    fn without_primary_keys_users_are_matched_by_username() {
        let users = read_all(Path::new(SITE), BATCH);
        let fixture = fixture_of(&users[..2], PrimaryKeys::ByUsername);
        for object in fixture.as_array().expect("a list") {
            assert!(object.get("pk").is_none(), "{object}");
            assert!(object["fields"]["username"].is_string());
        }
    }

    #[test]
    fn an_empty_fixture_is_an_empty_list() {
        assert_eq!(fixture_of(&[], PrimaryKeys::Keep), serde_json::json!([]));
    }

    #[test]
    fn a_datetime_django_would_not_read_is_refused() {
        let mut user = read_all(Path::new(SITE), BATCH).remove(0);
        user.date_joined = "yesterday".into();
        let mut writer = FixtureWriter::new(Vec::new(), PrimaryKeys::Keep);
        let error = writer.write(&user).expect_err("refused");
        assert!(
            error
                .to_string()
                .contains("admin: date_joined \"yesterday\""),
            "{error}"
        );
    }

    #[test]
    fn datetimes_are_written_as_dumpdata_writes_them() {
        let cases = [
            ("2024-03-01 08:30:15", Some("2024-03-01T08:30:15Z")),
            (
                "2024-03-01 08:30:15.250000",
                Some("2024-03-01T08:30:15.250000Z"),
            ),
            ("2024-03-01 08:30:15.5", Some("2024-03-01T08:30:15.500000Z")),
            (
                "2024-03-01T08:30:15.000001",
                Some("2024-03-01T08:30:15.000001Z"),
            ),
            ("2024-13-01 08:30:15", None),
            ("2024-03-01", None),
            ("2024-03-01 08:30:15+02:00", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(fixture_datetime(text).as_deref(), expected, "{text:?}");
        }
    }

    #[test]
    fn a_latch_user_becomes_a_django_user() {
        let user = crate::store::User {
            id: 7,
            username: "alice".into(),
            email: "alice@example.com".into(),
            password: "pbkdf2_sha256$1200000$salt$hash".into(),
            first_name: "Alice".into(),
            last_name: String::new(),
            is_active: true,
            is_staff: false,
            is_superuser: true,
            date_joined: "2026-01-02 03:04:05.000000".into(),
            last_login: None,
        };
        let django = DjangoUser::from(&user);
        assert_eq!((django.id, django.username.as_str()), (7, "alice"));
        assert_eq!(django.first_name, "Alice");
        // An admin is staff, as createsuperuser makes one.
        assert!(django.is_staff && django.is_superuser && django.is_active);
        let fixture = fixture_of(&[django], PrimaryKeys::Keep);
        assert_eq!(fixture[0]["fields"]["date_joined"], "2026-01-02T03:04:05Z");
    }
}
