//! The rules of `accounts`, over both backends through the store seam: each
//! test takes a `Fixture` (a fresh, empty store and a file token store in a
//! temporary directory) and `accounts_tests!` expands it into one `#[test]`
//! over a SQLite file and one over a PostgreSQL database of its own (from
//! `scripts/test-env`).

mod admin;
mod credentials;
mod register;
mod second_factor;
mod sessions;
mod store_copy;
mod verify;

use crate::accounts::{self, Admin, Authenticated, Current, LoggedIn, Registration};
use crate::audit::RecordedEvent;
use crate::error::Result;
use crate::store::postgres::tests::TestDb;
use crate::store::{AccountStore, EventFilter, OpenMode, SqliteStore, User, UserListing};
use crate::token_store::FileTokenStore;

/// A password the default policy accepts.
pub(super) const PASSWORD: &str = "Quiver-Lantern-Tromb0ne-88";
/// Another one, for changes.
pub(super) const OTHER_PASSWORD: &str = "Marble-Harbour-Kettle-417";

/// A fresh store, a token store, and what keeps them alive.
pub(super) struct Fixture {
    pub store: Box<dyn AccountStore>,
    pub tokens: FileTokenStore,
    pub key: String,
    _dir: tempfile::TempDir,
    _db: Option<TestDb>,
}

pub(super) fn sqlite() -> Fixture {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = open_sqlite(&dir);
    fixture(Box::new(store), dir, None)
}

fn open_sqlite(dir: &tempfile::TempDir) -> SqliteStore {
    SqliteStore::open(&dir.path().join("latch.db"), OpenMode::Create)
        .expect("a new store")
        .expect("created")
}

pub(super) fn postgres() -> Fixture {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = TestDb::new();
    fixture(Box::new(db.store()), dir, Some(db))
}

fn fixture(store: Box<dyn AccountStore>, dir: tempfile::TempDir, db: Option<TestDb>) -> Fixture {
    let tokens = FileTokenStore::at(dir.path().join("tokens").join("tokens.json"));
    std::fs::create_dir_all(dir.path().join("tokens")).expect("token directory");
    let key = accounts::token_key(store.location());
    Fixture {
        store,
        tokens,
        key,
        _dir: dir,
        _db: db,
    }
}

impl Fixture {
    /// Registers `name` (email `name@example.com`, `PASSWORD`).
    pub fn register(&mut self, name: &str, admin: Admin, actor: Option<&User>) -> Result<User> {
        self.register_with(name, &format!("{name}@example.com"), admin, actor)
    }

    pub fn register_with(
        &mut self,
        name: &str,
        email: &str,
        admin: Admin,
        actor: Option<&User>,
    ) -> Result<User> {
        let policy = self.store.policy()?;
        let checked = accounts::check_registration(
            &Registration {
                username: name,
                email,
                password: PASSWORD,
                confirmation: Some(PASSWORD),
                admin,
            },
            &policy,
        )?;
        accounts::register(self.store.as_mut(), checked, actor).map(|a| a.user)
    }

    /// The first admin, `root`.
    pub fn root(&mut self) -> User {
        self.register("root", Admin::Bootstrap, None)
            .expect("the first admin")
    }

    pub fn user(&mut self, name: &str) -> User {
        self.register(name, Admin::No, None).expect("register")
    }

    pub fn authenticate(&mut self, name: &str, password: &str) -> Result<Authenticated> {
        self.authenticate_with(name, password, None)
    }

    /// The password, then the second factor with `code`, as login checks them.
    pub fn authenticate_with(
        &mut self,
        name: &str,
        password: &str,
        code: Option<&str>,
    ) -> Result<Authenticated> {
        let authenticated = accounts::authenticate(self.store.as_mut(), name, password)?;
        accounts::check_second_factor(self.store.as_mut(), authenticated, code, "login")
    }

    /// Logs in as `name`, replacing this store's session.
    pub fn login(&mut self, name: &str, password: &str) -> Result<LoggedIn> {
        self.login_with(name, password, None)
    }

    /// Logs in as `name` with `code` for the second factor.
    pub fn login_with(
        &mut self,
        name: &str,
        password: &str,
        code: Option<&str>,
    ) -> Result<LoggedIn> {
        let authenticated = self.authenticate_with(name, password, code)?;
        let previous = crate::token_store::TokenStore::start_load(&self.tokens, &self.key);
        accounts::start_session(
            self.store.as_mut(),
            &self.tokens,
            &self.key,
            authenticated,
            previous,
        )
    }

    pub fn current(&mut self) -> Result<Current> {
        accounts::current(Some(self.store.as_mut()), &self.tokens, &self.key)
    }

    /// How many sessions the store has (all users).
    pub fn session_count(&self) -> usize {
        self.store.sessions(None).expect("sessions").len()
    }

    /// Every event, oldest first.
    pub fn events(&self) -> Vec<RecordedEvent> {
        let mut events = self
            .store
            .events(&EventFilter::default(), 1000)
            .expect("events");
        events.reverse();
        events
    }

    /// The kinds of every event about `subject`, oldest first.
    pub fn kinds_of(&self, subject: &str) -> Vec<String> {
        self.events()
            .into_iter()
            .filter(|e| e.event.subject == subject)
            .map(|e| e.event.kind)
            .collect()
    }

    pub fn find(&self, name: &str) -> User {
        accounts::find_user(self.store.as_ref(), name).expect("the user")
    }

    /// The user `name` with their failed logins and lock.
    pub fn listing(&self, name: &str) -> UserListing {
        self.store
            .user_listing(&crate::validate::fold(name))
            .expect("listing")
            .expect("the user")
    }

    /// The details of the events of `kind` about `subject`, oldest first.
    pub fn details(&self, subject: &str, kind: &str) -> Vec<String> {
        self.events()
            .into_iter()
            .filter(|e| e.event.subject == subject && e.event.kind == kind)
            .map(|e| e.event.detail)
            .collect()
    }

    /// Another fresh, empty store on the same backend.
    pub fn sibling(&self) -> Fixture {
        match self._db {
            Some(_) => postgres(),
            None => sqlite(),
        }
    }

    /// A second connection to this same store.
    pub fn reopen(&self) -> Box<dyn AccountStore> {
        match &self._db {
            Some(db) => Box::new(db.store()),
            None => Box::new(open_sqlite(&self._dir)),
        }
    }
}

/// The exit code of a refusal.
pub(super) fn exit<T: std::fmt::Debug>(result: Result<T>) -> u8 {
    result.expect_err("refused").exit_code()
}

/// `accounts_tests!(test, ...)`, in a use case's file: each
/// `test(&mut Fixture)` of it as a `#[test]` on SQLite (`sqlite::test`) and
/// on PostgreSQL (`postgres::test`).
macro_rules! accounts_tests {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $test() {
                    super::$test(&mut crate::accounts::tests::sqlite());
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $test() {
                    super::$test(&mut crate::accounts::tests::postgres());
                }
            )*
        }
    };
}
pub(super) use accounts_tests;
