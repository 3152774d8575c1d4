//! Stores written by earlier schemas: each opens and migrates forward with its
//! users, sessions, policy and audit trail intact, and a migration that fails
//! leaves the file as it was.
//!
//! `tests/fixtures/stores/schema-N.db` is a store as schema N left it, for
//! every N before the current one: the migrations up to N applied to an empty
//! file, then one user (alice, password `PASSWORD`), one session whose token
//! is `FIXTURE_TOKEN`, a policy value and the registration event. After a
//! new migration, write the missing fixture (and rewrite the others) with
//!
//! ```sh
//! UPDATE_FIXTURES=1 cargo test --test integration migrations::
//! ```
//!
//! and commit it. Without `UPDATE_FIXTURES`, a test checks that each committed
//! fixture holds exactly the schema and rows this file makes.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use base64::Engine as _;

use crate::util::{Env, PASSWORD, binding, sha256};

/// Django's hash of `PASSWORD` (the hasher's test vector).
const ALICE_HASH: &str =
    "pbkdf2_sha256$1200000$seasalt0123456789ABCDE$akP42UnRyfsYsw5KDfgkXZ81K967fXLNmWc+8OhHGsE=";

/// The fixture session's token: `latch_` and base64url of 32 fixed bytes.
fn fixture_token() -> String {
    format!(
        "latch_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(b"schema fixture token for tests!!")
    )
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stores")
}

/// The migrations in `src/store/sqlite/migrations`, in order, with their numbers.
fn migrations() -> Vec<(u32, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/sqlite/migrations");
    let mut migrations: Vec<(u32, String)> = std::fs::read_dir(dir)
        .expect("migrations")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let number = name[..4].parse().expect("NNNN_name.sql");
            (number, std::fs::read_to_string(&path).expect("read"))
        })
        .collect();
    migrations.sort();
    migrations
}

fn current_schema() -> u32 {
    migrations().last().expect("a migration").0
}

/// Writes the store schema `version` made: its migrations, then alice.
fn build_fixture(path: &Path, version: u32) {
    let conn = rusqlite::Connection::open(path).expect("create");
    // latch puts every store in WAL mode before its first migration.
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .expect("WAL");
    assert_eq!(mode, "wal");
    for (_, sql) in migrations().iter().filter(|(n, _)| *n <= version) {
        conn.execute_batch(sql).expect("migration");
    }
    conn.pragma_update(None, "user_version", version)
        .expect("user_version");
    conn.execute(
        "INSERT INTO users (password, last_login, is_superuser, username, email, is_active, \
                            date_joined, username_key, email_key) \
         VALUES (?1, '2026-01-02 09:30:00.000000', 0, 'Alice', 'alice@example.com', 1, \
                 '2026-01-01 08:00:00.000000', 'alice', 'alice@example.com')",
        [ALICE_HASH],
    )
    .expect("user");
    conn.execute(
        "INSERT INTO sessions (user_id, token_hash, password_binding, created_at, expires_at, host) \
         VALUES (1, ?1, ?2, 1767346200, 4102444800, 'fixture-host')",
        rusqlite::params![sha256(&fixture_token()), binding(ALICE_HASH)],
    )
    .expect("session");
    conn.execute_batch(
        "INSERT INTO policy (key, value) VALUES ('min-length', 16);
         INSERT INTO events (at, kind, subject, subject_key, user_id, os_user, host)
         VALUES (1767254400, 'register', 'Alice', 'alice', 1, 'fixture', 'fixture-host');",
    )
    .expect("policy and event");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
}

/// The schema, the version and every row of a store, as text. Read from a
/// copy: opening a WAL store, even read-only, leaves files beside it.
fn contents(path: &Path) -> String {
    let scratch = tempfile::tempdir().expect("temporary directory");
    let copy = scratch.path().join("copy.db");
    std::fs::copy(path, &copy).expect("copy the store");
    let conn = rusqlite::Connection::open(&copy).expect("open");
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("version");
    let mut out = format!("user_version {version}\n");
    let tables: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .expect("schema")
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("schema");
    for (_, sql) in &tables {
        out.push_str(sql);
        out.push('\n');
    }
    out + &rows(&conn, &["users", "sessions", "policy", "events"])
}

/// The rows of `tables`, as text.
fn rows(conn: &rusqlite::Connection, tables: &[&str]) -> String {
    rows_of(conn, tables, None)
}

/// The rows of `tables`, in the columns each has in `columns_from` (the
/// store before a migration), or all of them: what a migration kept.
fn rows_of(
    conn: &rusqlite::Connection,
    tables: &[&str],
    columns_from: Option<&rusqlite::Connection>,
) -> String {
    let mut out = String::new();
    for table in tables {
        let columns: Vec<String> = match columns_from {
            Some(old) => old
                .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .and_then(|mut s| s.query_map([], |row| row.get(0))?.collect())
                .expect("columns"),
            None => vec!["*".into()],
        };
        let mut statement = conn
            .prepare(&format!(
                "SELECT {} FROM {table} ORDER BY 1",
                columns.join(", ")
            ))
            .expect("select");
        let columns = statement.column_count();
        let rows = statement
            .query_map([], |row| {
                (0..columns)
                    .map(|i| {
                        row.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .expect("rows");
        for row in rows {
            out.push_str(&format!("{table}: {}\n", row.expect("row").join(" | ")));
        }
    }
    out
}

#[test]
fn each_earlier_schema_has_a_fixture_that_matches_its_migrations() {
    let update = std::env::var_os("UPDATE_FIXTURES").is_some();
    std::fs::create_dir_all(fixtures()).expect("fixtures directory");
    for version in 1..current_schema() {
        let committed = fixtures().join(format!("schema-{version}.db"));
        let scratch = tempfile::tempdir().expect("temporary directory");
        let made = scratch.path().join("made.db");
        build_fixture(&made, version);
        if update {
            std::fs::copy(&made, &committed).expect("write the fixture");
            continue;
        }
        assert!(
            committed.exists(),
            "no fixture for schema {version}: run `UPDATE_FIXTURES=1 cargo test --test integration migrations::` and commit {}",
            committed.display()
        );
        assert_eq!(
            contents(&committed),
            contents(&made),
            "{} is not what migrations 1 to {version} and alice make: \
             run `UPDATE_FIXTURES=1 cargo test --test integration migrations::`",
            committed.display()
        );
    }
}

/// A copy of the schema `version` fixture as `env`'s store, with the fixture
/// session's token in `env`'s token file.
fn install_fixture(env: &Env, version: u32) {
    let dir = env.db.parent().expect("store directory");
    std::fs::create_dir_all(dir).expect("store directory");
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    std::fs::copy(fixtures().join(format!("schema-{version}.db")), &env.db).expect("copy");
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let state = env.home.join(".local/state/latch");
    std::fs::create_dir_all(&state).expect("state directory");
    std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let tokens = state.join("tokens.json");
    std::fs::write(
        &tokens,
        serde_json::json!({ env.token_key(): fixture_token() }).to_string(),
    )
    .expect("token file");
    std::fs::set_permissions(&tokens, std::fs::Permissions::from_mode(0o600)).expect("chmod");
}

#[test]
fn each_earlier_schema_migrates_forward_with_its_users_and_sessions() {
    let current = current_schema();
    for version in 1..current {
        let env = Env::with_token_store("file");
        install_fixture(&env, version);
        let tables = ["users", "sessions", "policy", "events"];
        let before = rows(&env.connection(), &tables);
        // The old schema's columns, from a copy the migration does not touch.
        let old_schema = env.home.join("before.db");
        std::fs::copy(&env.db, &old_schema).expect("copy");
        let old = rusqlite::Connection::open(&old_schema).expect("open the copy");

        // The session made under the old schema is still good.
        env.whoami().success().stdout("Alice\n");
        let conn = env.connection();
        let migrated: u32 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .expect("version");
        assert_eq!(migrated, current, "schema {version} was not migrated");
        // A session's last-seen time is the one thing whoami may write.
        let kept = rows_of(&conn, &tables, Some(&old));
        let strip_seen = |text: &str| -> String {
            text.lines()
                .map(|line| {
                    if line.starts_with("sessions:") && version >= 3 {
                        line.rsplit_once(" | ").map_or(line, |(head, _)| head)
                    } else {
                        line
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            strip_seen(&kept),
            strip_seen(&before),
            "schema {version}: the migration changed rows"
        );
        drop(conn);
        assert_eq!(env.integrity(), "ok");

        // And everything works on the migrated store.
        let policy = env.run(&["policy", "show", "--json"], None);
        policy.success();
        let policy: serde_json::Value = policy.json();
        assert_eq!(policy["min_length"], 16);
        env.login("alice", PASSWORD).success();
        env.register("bob", "bob@example.com").success();
        env.run(&["history", "--limit", "3"], None).success();
        env.run(&["logout"], None).success();
        env.whoami().code(4);
    }
}

/// Every file in `dir`, with its bytes.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read");
            (path, bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_failed_migration_leaves_the_store_as_it_was() {
    let env = Env::with_token_store("file");
    install_fixture(&env, 1);
    // A schema-1 store where something already took the name of the table
    // migration 0002 creates: 0002 must fail, after 0001's tables are read.
    let conn = env.connection();
    conn.execute_batch(
        "CREATE TABLE login_failures (note TEXT);
         INSERT INTO login_failures VALUES ('made by hand');
         PRAGMA wal_checkpoint(TRUNCATE);",
    )
    .expect("a table in the way");
    drop(conn);
    let dir = env.db.parent().expect("store directory");
    let before = files(dir);

    env.whoami()
        .code(8)
        .no_panic()
        .stdout("")
        .stderr_has(&format!(
            "latch: error: account store {}: migration 0002 failed: table login_failures already exists\n",
            env.db.display()
        ));
    env.register("bob", "bob@example.com").code(8);
    env.login("alice", PASSWORD).code(8);
    assert!(
        files(dir) == before,
        "a failed migration changed the store's files"
    );
}

#[test]
fn migration_4_folds_email_domains_through_idna() {
    let env = Env::with_token_store("file");
    install_fixture(&env, 3);
    {
        // Schema 3's keys were the address lowercased, Unicode domain and all;
        // bob and carol were then two addresses, and stay two accounts.
        let conn = rusqlite::Connection::open(&env.db).expect("open");
        conn.execute_batch(
            "UPDATE users SET email = 'alice@Bücher.de', email_key = 'alice@bücher.de';
             INSERT INTO users (password, is_superuser, username, email, is_active, date_joined,
                                username_key, email_key)
             VALUES ('!', 0, 'bob', 'bob@bücher.de', 1, '2026-01-01 08:00:00.000000', 'bob', 'bob@bücher.de'),
                    ('!', 0, 'carol', 'bob@xn--bcher-kva.de', 1, '2026-01-01 08:00:00.000000', 'carol', 'bob@xn--bcher-kva.de');
             PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .expect("schema-3 rows");
    }
    env.whoami().success().stdout("Alice\n");
    let keys: Vec<(String, String)> = {
        let conn = env.connection();
        let mut statement = conn
            .prepare("SELECT username, email_key FROM users ORDER BY id")
            .expect("query");
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("keys")
    };
    let expected = [
        ("Alice", "alice@xn--bcher-kva.de"),
        // Its new key is carol's already: it keeps the old one.
        ("bob", "bob@bücher.de"),
        ("carol", "bob@xn--bcher-kva.de"),
    ]
    .map(|(name, key)| (name.to_owned(), key.to_owned()));
    assert_eq!(keys, expected);
    env.register("dave", "alice@xn--bcher-kva.de").code(6);
    let shown: String = env
        .connection()
        .query_row(
            "SELECT email FROM users WHERE username = 'Alice'",
            [],
            |row| row.get(0),
        )
        .expect("alice");
    assert_eq!(shown, "alice@Bücher.de");
}
