//! The PostgreSQL server scripts/test-env starts, as the tests use it: one
//! database per test, over the server's Unix socket (trusted), dropped when
//! the test is done.

use std::sync::atomic::{AtomicU32, Ordering};

/// A setting scripts/test-env exports (`LATCH_TEST_PG_*`).
pub fn pg_setting(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the tests under scripts/test-env, which starts PostgreSQL")
    })
}

/// `dbname` on the test server, over its socket, as a libpq string.
fn conninfo_of(dbname: &str) -> String {
    format!(
        "host={} port={} user={} dbname={dbname}",
        pg_setting("LATCH_TEST_PG_SOCKET"),
        pg_setting("LATCH_TEST_PG_PORT"),
        pg_setting("LATCH_TEST_PG_USER"),
    )
}

fn connect(dbname: &str) -> postgres::Client {
    postgres::Client::connect(&conninfo_of(dbname), postgres::NoTls)
        .unwrap_or_else(|e| panic!("connect to the test server's {dbname}: {e}"))
}

/// A database of one test's own.
#[derive(Debug)]
pub struct PgDatabase {
    pub name: String,
}

impl PgDatabase {
    pub fn create() -> PgDatabase {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "latch_t{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        connect("postgres")
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
        PgDatabase { name }
    }

    /// The store string latch is given: the database over the socket, as a
    /// URL (no spaces, so that it also fits a PAM service line).
    pub fn conninfo(&self) -> String {
        format!(
            "postgresql:///{}?host={}&port={}&user={}",
            self.name,
            encode(&pg_setting("LATCH_TEST_PG_SOCKET")),
            pg_setting("LATCH_TEST_PG_PORT"),
            pg_setting("LATCH_TEST_PG_USER"),
        )
    }

    /// The same database over TCP on 127.0.0.1, as a URL without the
    /// password (which is in `LATCH_TEST_PG_PASSWORD`).
    pub fn tcp_url(&self) -> String {
        format!(
            "postgresql://{}@127.0.0.1:{}/{}",
            pg_setting("LATCH_TEST_PG_USER"),
            pg_setting("LATCH_TEST_PG_PORT"),
            self.name
        )
    }

    /// The same database through PgBouncer (transaction pooling).
    pub fn bouncer_url(&self) -> String {
        format!(
            "postgresql://{}@127.0.0.1:{}/{}?sslmode=disable",
            pg_setting("LATCH_TEST_PG_USER"),
            pg_setting("LATCH_TEST_PGBOUNCER_PORT"),
            self.name
        )
    }

    /// A client of the test's own, its search path latch's schema.
    pub fn client(&self) -> postgres::Client {
        let mut client = connect(&self.name);
        client
            .batch_execute("SET search_path TO latch")
            .expect("search_path");
        client
    }

    /// Whether latch's schema exists yet.
    pub fn has_schema(&self) -> bool {
        let row = connect(&self.name)
            .query_one(
                "SELECT count(*) FROM pg_namespace WHERE nspname = 'latch'",
                &[],
            )
            .expect("pg_namespace");
        row.get::<_, i64>(0) == 1
    }

    /// The store's identity as latch files its token under it.
    pub fn token_key(&self) -> String {
        let socket = encode(&pg_setting("LATCH_TEST_PG_SOCKET"));
        format!(
            "postgresql://{socket}:{}/{}?schema=latch",
            pg_setting("LATCH_TEST_PG_PORT"),
            self.name
        )
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&conninfo_of("postgres"), postgres::NoTls)
        {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
