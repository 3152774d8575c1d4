//! latch under load and under SIGKILL: many processes against one store at
//! once, and processes killed at random points. A test binary of its own,
//! because these tests start hundreds of processes and each login costs a
//! full PBKDF2 hash; `cargo test` runs it after the integration tests, and
//! `cargo test --test stress` runs it alone. The tests here take turns (see
//! `exclusive`), so that one test's processes do not starve another's.
//!
//! The random delays come from a seed printed at the start of each test; set
//! `LATCH_STRESS_SEED` to replay one.

// The integration tests' harness; this binary uses part of it.
#[allow(dead_code)]
#[path = "../util/mod.rs"]
mod util;

/// The stress tests run on SQLite files.
const BACKEND: util::Backend = util::Backend::Sqlite;

mod concurrency;
mod crashes;

use std::process::Command;
use std::sync::{Arc, Barrier, Mutex, MutexGuard};

use util::{Env, Outcome, run_command};

/// Serializes the tests of this binary: each one loads both cores by itself.
fn exclusive() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs every command at once (each on its own thread, released together)
/// and returns their outcomes in order.
fn run_all(commands: Vec<(Command, Option<Vec<u8>>)>) -> Vec<Outcome> {
    let start = Arc::new(Barrier::new(commands.len()));
    let threads: Vec<_> = commands
        .into_iter()
        .map(|(command, stdin)| {
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                start.wait();
                run_command(command, stdin.as_deref())
            })
        })
        .collect();
    threads
        .into_iter()
        .map(|thread| thread.join().expect("a runner thread panicked"))
        .collect()
}

/// No stderr line of a finished command may say the store was busy: the
/// busy timeout and `BEGIN IMMEDIATE` must absorb every contention.
#[track_caller]
fn never_busy(outcome: &Outcome) {
    for needle in ["locked by another process", "database is locked", "busy"] {
        assert!(
            !outcome.stderr.contains(needle),
            "contention reached the user: {outcome:#?}"
        );
    }
    outcome.no_panic();
}

/// The same store as `env`, another HOME (another token file and state
/// directory): another user of a shared store.
fn sharing_store(env: &Env, token_store: &'static str) -> Env {
    let mut other = Env::with_token_store(token_store);
    other.db = env.db.clone();
    other.store = env.store.clone();
    other
}

/// A copy of the schema-1 store fixture (see `tests/migrations.rs`) as
/// `env`'s store: a store an earlier latch wrote, to be migrated.
fn install_schema_1(env: &Env) {
    use std::os::unix::fs::PermissionsExt;
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stores/schema-1.db");
    let dir = env.db.parent().expect("store directory");
    std::fs::create_dir_all(dir).expect("store directory");
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    std::fs::copy(fixture, &env.db).expect("copy the fixture");
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).expect("chmod");
}

/// The schema this latch writes (the last of `src/store/sqlite/migrations/`).
const CURRENT_SCHEMA: u32 = latch::store::SCHEMA_VERSION;

fn user_version(env: &Env) -> u32 {
    env.connection()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("user_version")
}
