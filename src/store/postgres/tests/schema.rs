//! The schema on PostgreSQL: where it lives, its types, the migrator under
//! a crowd, the refusals (a newer schema, a `latch` schema that is not
//! latch's), the time round trip, and errors that name the store redacted.

use crate::timestamp::DateTime;
use std::sync::{Arc, Barrier};

use super::{TestDb, event, new_user};
use crate::audit::EventKind;
use crate::error::Error;
use crate::store::postgres::SCHEMA_VERSION;
use crate::store::{AccountStore, OpenMode};

fn versions(db: &TestDb) -> Vec<i32> {
    db.client()
        .query_typed(
            "SELECT version FROM latch.schema_migrations ORDER BY version",
            &[],
        )
        .expect("versions")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

fn store_error(
    result: crate::error::Result<Option<crate::store::postgres::PostgresStore>>,
) -> String {
    match result {
        Err(e @ Error::Store { .. }) => {
            assert_eq!(e.exit_code(), 8);
            e.to_string()
        }
        Err(e) => panic!("expected a store error, got {e:?}"),
        Ok(_) => panic!("expected a store error, got a store"),
    }
}

#[test]
fn eight_hosts_starting_at_once_migrate_once() {
    let db = Arc::new(TestDb::new());
    let start = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (db, start) = (Arc::clone(&db), Arc::clone(&start));
            std::thread::spawn(move || {
                let client = db.client();
                start.wait();
                db.open_with(client, OpenMode::Create)
                    .map(|store| store.is_some())
            })
        })
        .collect();
    for thread in threads {
        assert!(thread.join().expect("thread").expect("no error"));
    }
    assert_eq!(versions(&db), (1..=SCHEMA_VERSION).collect::<Vec<_>>());
}

#[test]
fn tables_are_in_the_latch_schema_with_djangos_types() {
    let db = TestDb::new();
    db.store();
    let mut client = db.client();
    let public: i64 = client
        .query_typed_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(public, 0);
    let columns: Vec<(String, String, Option<i32>, String)> = client
        .query_typed(
            "SELECT column_name::text, data_type::text, character_maximum_length::int, \
                    is_nullable::text \
             FROM information_schema.columns \
             WHERE table_schema = 'latch' AND table_name = 'users' ORDER BY ordinal_position",
            &[],
        )
        .expect("columns")
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)))
        .collect();
    let expected = [
        ("id", "integer", None, "NO"),
        ("password", "character varying", Some(128), "NO"),
        ("last_login", "timestamp with time zone", None, "YES"),
        ("is_superuser", "boolean", None, "NO"),
        ("username", "character varying", Some(150), "NO"),
        ("first_name", "character varying", Some(150), "NO"),
        ("last_name", "character varying", Some(150), "NO"),
        ("email", "character varying", Some(254), "NO"),
        ("is_staff", "boolean", None, "NO"),
        ("is_active", "boolean", None, "NO"),
        ("date_joined", "timestamp with time zone", None, "NO"),
        ("username_key", "text", None, "NO"),
        ("email_key", "text", None, "NO"),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(n, t, l, null)| (n.to_string(), t.to_string(), *l, null.to_string()))
        .collect();
    assert_eq!(columns, expected);
    let identity: String = client
        .query_typed_one(
            "SELECT is_identity::text FROM information_schema.columns \
             WHERE table_schema = 'latch' AND table_name = 'users' AND column_name = 'id'",
            &[],
        )
        .expect("identity")
        .get(0);
    assert_eq!(identity, "YES");
}

#[test]
fn an_existing_open_without_the_schema_is_no_store_and_creates_nothing() {
    let db = TestDb::new();
    assert!(
        db.open_with(db.client(), OpenMode::Existing)
            .expect("no error")
            .is_none()
    );
    let schemas: i64 = db
        .client()
        .query_typed_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'latch'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(schemas, 0);
    // An empty `latch` schema, made ready by an administrator, is used.
    db.client()
        .batch_execute("CREATE SCHEMA latch")
        .expect("schema");
    assert!(
        db.open_with(db.client(), OpenMode::Existing)
            .expect("no error")
            .is_none()
    );
    assert!(
        db.open_with(db.client(), OpenMode::Create)
            .expect("created")
            .is_some()
    );
    assert_eq!(versions(&db), (1..=SCHEMA_VERSION).collect::<Vec<_>>());
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let db = TestDb::new();
    db.store();
    db.client()
        .batch_execute("INSERT INTO latch.schema_migrations (version) VALUES (99)")
        .expect("a newer version");
    for mode in [OpenMode::Create, OpenMode::Existing] {
        let message = store_error(db.open_with(db.client(), mode));
        assert!(
            message.contains("was written by a newer latch (schema 99; this latch knows up to"),
            "{message}"
        );
    }
    let mut expected = (1..=SCHEMA_VERSION).collect::<Vec<_>>();
    expected.push(99);
    assert_eq!(versions(&db), expected);
}

#[test]
fn a_latch_schema_that_is_not_latchs_is_refused() {
    let db = TestDb::new();
    db.client()
        .batch_execute("CREATE SCHEMA latch; CREATE TABLE latch.users (name text)")
        .expect("another program's schema");
    for mode in [OpenMode::Create, OpenMode::Existing] {
        let message = store_error(db.open_with(db.client(), mode));
        assert!(message.contains("not a latch store"), "{message}");
    }
    let tables: i64 = db
        .client()
        .query_typed_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'latch'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(tables, 1, "nothing added");
}

#[test]
fn djangos_times_round_trip_in_utc_whatever_the_session_time_zone() {
    let db = TestDb::new();
    db.store();
    let mut client = db.client();
    // A client whose session is in another zone (a DBA's default).
    client
        .batch_execute("SET TIME ZONE 'Asia/Kathmandu'")
        .expect("zone");
    let mut store = db
        .open_with(client, OpenMode::Existing)
        .expect("open")
        .expect("store");
    let mut user = new_user("bob");
    user.date_joined = DateTime::fixed("2026-11-18 11:06:40.123456");
    user.last_login = Some(DateTime::fixed("1999-12-31 23:59:59.999999"));
    let bob = store
        .insert_user(&user, &event(EventKind::Register, "bob"), false)
        .expect("bob");
    let read = store.user_by_key("bob").expect("read").expect("bob");
    assert_eq!(read, bob);
    assert_eq!(
        read.date_joined,
        DateTime::fixed("2026-11-18 11:06:40.123456")
    );
    assert_eq!(
        read.last_login,
        Some(DateTime::fixed("1999-12-31 23:59:59.999999"))
    );
    // Stored as the instant it names in UTC.
    let epoch: f64 = db
        .client()
        .query_typed_one(
            "SELECT extract(epoch FROM date_joined)::float8 FROM latch.users",
            &[],
        )
        .expect("epoch")
        .get(0);
    assert!((epoch - 1_795_000_000.123456).abs() < 1e-6, "{epoch}");
}

#[test]
fn a_lost_connection_is_one_store_error_with_the_password_redacted() {
    let db = TestDb::new();
    db.store();
    let client = db.client();
    let text = format!(
        "host={} port={} dbname={} user={} password=hunter2-secret",
        super::env("LATCH_TEST_PG_SOCKET"),
        super::env("LATCH_TEST_PG_PORT"),
        db.name,
        super::env("LATCH_TEST_PG_USER")
    );
    let info = crate::store::postgres::PgConnInfo::parse(
        &text,
        &crate::store::postgres::conninfo::tests::FakeEnvironment::new("latch"),
    )
    .expect("string");
    let store =
        crate::store::postgres::PostgresStore::with_client(client, &info, OpenMode::Existing)
            .expect("open")
            .expect("store");
    let terminated: i64 = db
        .client()
        .query_typed_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid != pg_backend_pid()",
            &[],
        )
        .expect("terminate")
        .get(0);
    assert!(terminated >= 1, "{terminated}");
    let error = store.has_admin().expect_err("the connection is gone");
    assert_eq!(error.exit_code(), 8);
    let message = error.to_string();
    assert!(!message.contains("hunter2"), "{message}");
    assert!(message.contains(":***@"), "{message}");
    assert!(!message.contains('\n'), "{message}");
    assert!(
        message.contains("lost the connection") || message.contains("ended the connection"),
        "{message}"
    );
}
