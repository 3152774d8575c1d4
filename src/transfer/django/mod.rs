//! Django's side of the bridge: `DjangoDatabase` reads the users of a Django
//! SQLite database (`auth_user`), and `FixtureWriter` writes users as a Django
//! JSON fixture for `auth.user`, which `manage.py loaddata` loads.
//!
//! The reader opens the file read-only and streams rows in batches, never the
//! whole table at once; it must never write to a Django database, nor judge the
//! rows (whether latch can take a user is for the importer to say). The
//! writer streams too: one object per user, straight to its `Write`.
//! Passwords stay Django-encoded hashes both ways; no password is seen here.
//!
//! `sqlite` reads a Django SQLite file; `fixture` writes the fixture;
//! `django_users` turns the rows read into the users an import checks.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::Path;

use super::check::check_user;
use super::{Incoming, at_place};
use crate::error::{Error, Problem, Result};
use crate::mfa::totp::TotpState;
use crate::store::postgres::conninfo::{PgConnInfo, ProcessEnvironment};
use crate::store::{StoreLocation, User};

mod fixture;
mod postgres;
mod sqlite;

pub use fixture::{FixtureWriter, PrimaryKeys};
pub use postgres::{DjangoPgDatabase, PgUsers};
pub use sqlite::{DjangoDatabase, Users};

/// A Django site's database, as `import --format django-db` names it: an
/// SQLite file, or a PostgreSQL database (a `postgres://` or
/// `postgresql://` URL, or a libpq `key=value` string), told apart by the
/// rules `--db` follows (`StoreLocation`).
#[derive(Debug)]
pub enum DjangoSite {
    Sqlite(DjangoDatabase),
    Postgres(Box<DjangoPgDatabase>),
}

/// A Django site's database as named: a file already opened and checked, or
/// a server not yet connected to.
#[derive(Debug)]
pub enum SiteName {
    Opened(DjangoSite),
    Server(Box<PgConnInfo>),
}

impl SiteName {
    /// Parses `given`. A file is opened and checked at once, so a missing
    /// or foreign file is said before anything else; a server is reached
    /// only by `open`, once the caller may read it.
    pub fn parse(given: &OsStr) -> Result<SiteName> {
        Ok(match StoreLocation::parse(given, &ProcessEnvironment)? {
            StoreLocation::File(path) => {
                SiteName::Opened(DjangoSite::Sqlite(DjangoDatabase::open(&path)?))
            }
            StoreLocation::Postgres(info) => SiteName::Server(info),
        })
    }

    /// The site's database, open read-only and checked to be Django's;
    /// what to warn about goes to `warn`.
    pub fn open(self, warn: &mut dyn FnMut(String)) -> Result<DjangoSite> {
        Ok(match self {
            SiteName::Opened(site) => site,
            SiteName::Server(info) => {
                DjangoSite::Postgres(Box::new(DjangoPgDatabase::open(&info, warn)?))
            }
        })
    }
}

impl DjangoSite {
    /// The confirmed django-otp TOTP devices by Django user id.
    pub fn totp_devices(&mut self) -> Result<HashMap<i64, Device>> {
        match self {
            DjangoSite::Sqlite(database) => database.totp_devices(),
            DjangoSite::Postgres(database) => database.totp_devices(),
        }
    }

    /// The users of `auth_user`, in `id` order, a batch at a time.
    pub fn users(&mut self) -> Result<Box<dyn Iterator<Item = Result<DjangoRow>> + '_>> {
        Ok(match self {
            DjangoSite::Sqlite(database) => Box::new(database.users()?),
            DjangoSite::Postgres(database) => Box::new(database.users()),
        })
    }
}

/// A user's confirmed device, or why it cannot be read.
pub type Device = std::result::Result<TotpState, String>;

/// A device as read, if latch can use it (a refusal otherwise, as for any
/// value latch cannot take).
fn usable(state: TotpState) -> Device {
    if state.is_usable() {
        Ok(state)
    } else {
        Err(
            "its TOTP device has digits other than 6 or 8, a step of 0 or over a day, \
             or a key of more than 64 bytes"
                .into(),
        )
    }
}

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

/// A problem with the Django database given to read: exit 3, naming the file.
fn problem(path: &Path, message: impl std::fmt::Display, hint: Option<&str>) -> Error {
    let mut problem = Problem::new("file", format!("{}: {message}", path.display()));
    if let Some(hint) = hint {
        problem = problem.with_hint(hint);
    }
    Error::InvalidInput(vec![problem])
}
/// A row of `auth_user` as read: the user, or (a value of the wrong type,
/// such as an integer `date_joined`) what is wrong with it.
pub type DjangoRow = std::result::Result<User, BadRow>;

/// A row whose values are not of the types Django gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub id: i64,
    /// The username, when it is text.
    pub username: Option<String>,
    /// One problem per column of the wrong type, named by the column.
    pub problems: Vec<Problem>,
}
/// The users of a Django site's `auth_user`, a row at a time. A row with a
/// value of the wrong type is refused like any other user latch cannot take.
/// Each brings its confirmed django-otp TOTP device from `devices` along; a
/// user whose device latch cannot use is refused, rather than imported
/// without their second factor.
pub fn django_users<'a>(
    users: impl Iterator<Item = Result<DjangoRow>> + 'a,
    mut devices: HashMap<i64, Device>,
) -> impl Iterator<Item = Result<Incoming>> + 'a {
    users.map(move |user| {
        let user = match user? {
            Ok(user) => user,
            Err(bad) => {
                devices.remove(&bad.id);
                let place = match &bad.username {
                    Some(name) => format!("user {} {name:?}", bad.id),
                    None => format!("user {}", bad.id),
                };
                let problems = at_place(&place, bad.problems);
                return Ok(Incoming {
                    place,
                    user: Err(problems),
                    factor: None,
                });
            }
        };
        let device = devices.remove(&user.id);
        let place = format!("user {} {:?}", user.id, user.username);
        let user = check_user(user).map_err(|problems| at_place(&place, problems));
        let (user, factor) = match device {
            Some(Err(message)) => (
                Err(at_place(&place, vec![Problem::new("mfa", message)])),
                None,
            ),
            Some(Ok(factor)) => (user, Some(factor)),
            None => (user, None),
        };
        Ok(Incoming {
            place,
            user,
            factor,
        })
    })
}
