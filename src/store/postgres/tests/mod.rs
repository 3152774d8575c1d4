//! Tests of the PostgreSQL store against the real server scripts/test-env
//! starts: each test makes a database of its own over the server's Unix
//! socket and drops it after. Without that server they fail, saying so.
//! `suite` runs the backend-neutral store contract (`store::contract`) here,
//! as SQLite runs it; the other modules test what is PostgreSQL's own.

mod contract;
mod imports_batched;
mod imports_factors;
mod races;
mod schema;
mod tour;
mod transactions;

use crate::timestamp::DateTime;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use postgres::{Client, Config, NoTls};

use super::conninfo::tests::FakeEnvironment;
use super::{PgConnInfo, PostgresStore};
use crate::audit::{AuditEvent, EventKind};
use crate::mfa::totp::TotpState;
use crate::store::{AccountStore, EventFilter, NewSession, User, UserFilter};
use crate::store::{NewUser, OpenMode};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: the PostgreSQL store's tests need the server that \
             scripts/test-env starts; run them as `scripts/test-env cargo test --lib store::postgres`"
        )
    })
}

fn port(name: &str) -> u16 {
    env(name).parse().expect("a port number")
}

fn socket_config(dbname: &str) -> Config {
    let mut config = Config::new();
    config
        .host_path(env("LATCH_TEST_PG_SOCKET"))
        // The socket's name has the server's port in it.
        .port(port("LATCH_TEST_PG_PORT"))
        .user(&env("LATCH_TEST_PG_USER"))
        .dbname(dbname)
        .application_name("latch-tests");
    config
}

static DATABASES: AtomicU32 = AtomicU32::new(0);

/// A database of the test's own, dropped with it.
#[derive(Debug)]
pub(crate) struct TestDb {
    pub name: String,
}

impl TestDb {
    pub fn new() -> TestDb {
        let name = format!(
            "latch_t_{}_{}",
            std::process::id(),
            DATABASES.fetch_add(1, Ordering::SeqCst)
        );
        admin()
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("CREATE DATABASE");
        TestDb { name }
    }

    /// A connection over the server's socket.
    pub fn client(&self) -> Client {
        socket_config(&self.name)
            .connect(NoTls)
            .expect("connect over the socket")
    }

    /// A connection through PgBouncer (transaction pooling, no TLS, trust).
    pub fn bouncer_client(&self) -> Client {
        Config::new()
            .host("127.0.0.1")
            .port(port("LATCH_TEST_PGBOUNCER_PORT"))
            .user(&env("LATCH_TEST_PG_USER"))
            .dbname(&self.name)
            .connect(NoTls)
            .expect("connect through PgBouncer")
    }

    pub fn info(&self) -> PgConnInfo {
        let text = format!(
            "host={} port={} dbname={} user={}",
            env("LATCH_TEST_PG_SOCKET"),
            env("LATCH_TEST_PG_PORT"),
            self.name,
            env("LATCH_TEST_PG_USER")
        );
        PgConnInfo::parse(&text, &FakeEnvironment::new("latch")).expect("connection string")
    }

    pub fn open_with(
        &self,
        client: Client,
        mode: OpenMode,
    ) -> crate::error::Result<Option<PostgresStore>> {
        PostgresStore::with_client(client, &self.info(), mode)
    }

    /// The store, created.
    pub fn store(&self) -> PostgresStore {
        self.open_with(self.client(), OpenMode::Create)
            .expect("open the store")
            .expect("a store")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = admin().batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

/// The contract suite's fresh store: a database of its own.
fn fresh_store() -> crate::store::contract::FreshStore {
    let db = TestDb::new();
    crate::store::contract::FreshStore {
        store: Box::new(db.store()),
        keep: Box::new(db),
    }
}

/// The concurrency contracts' store: a database of its own, each store on
/// it a connection of its own.
fn shared_store() -> crate::store::contract::SharedStore {
    let db = Arc::new(TestDb::new());
    // Created once, before the racers open it.
    db.store();
    let opened = Arc::clone(&db);
    crate::store::contract::SharedStore {
        open: Box::new(move || Box::new(opened.store())),
        keep: Box::new(db),
    }
}

mod suite {
    crate::store_contract_tests!(super::fresh_store, concurrent: super::shared_store);
}

fn admin() -> Client {
    socket_config("postgres")
        .connect(NoTls)
        .expect("connect to the test server's `postgres` database (run under scripts/test-env)")
}

/// A user named `name`, not an admin.
pub(super) fn new_user(name: &str) -> NewUser {
    NewUser {
        id: (),
        username: name.into(),
        email: format!("{name}@example.com"),
        password: format!("pbkdf2_sha256$1200000$salt${name}"),
        first_name: "First".into(),
        last_name: "Last".into(),
        is_active: true,
        is_staff: false,
        is_superuser: false,
        date_joined: DateTime::fixed("2026-11-18 11:06:40.123456"),
        last_login: None,
    }
}

pub(super) fn admin_user(name: &str) -> NewUser {
    NewUser {
        is_superuser: true,
        is_staff: true,
        ..new_user(name)
    }
}

pub(super) fn event(kind: EventKind, subject: &str) -> AuditEvent {
    AuditEvent::new(kind, subject, None)
}
pub(super) fn session(user: &User, token: u8) -> NewSession {
    NewSession {
        user_id: user.id,
        token_hash: [token; 32],
        password_binding: [1; 32],
        created_at: 1_795_000_000,
        expires_at: 1_795_086_400,
        host: "host-a".into(),
        login_time: DateTime::fixed("2026-11-18 11:06:41.000001"),
        verified_password: user.password.clone(),
        rehash: None,
    }
}

pub(super) fn login(store: &mut PostgresStore, user: &User, token: u8) -> i64 {
    store
        .start_session(&session(user, token), None, &[], &mut || Ok(()))
        .expect("start a session")
}

pub(super) fn totp(last_t: i64) -> TotpState {
    TotpState {
        key: zeroize::Zeroizing::new(vec![7; 20]),
        step: 30,
        t0: 0,
        digits: 6,
        drift: 0,
        last_t,
    }
}

pub(super) fn events_of(store: &PostgresStore, kind: &str) -> usize {
    store
        .events(&EventFilter::default(), 1000)
        .expect("events")
        .iter()
        .filter(|e| e.event.kind == kind)
        .count()
}

pub(super) fn users(store: &PostgresStore, filter: UserFilter) -> Vec<String> {
    let mut names = Vec::new();
    store
        .for_each_user(filter, &mut |listing| {
            names.push(listing.user.username);
            Ok(())
        })
        .expect("for_each_user");
    names
}
