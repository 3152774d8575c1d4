//! Faults under latch: while register, login, passwd and import run one
//! after another, another connection ends every latch backend of the
//! database (`pg_terminate_backend`) again and again; or, on a private
//! server of the test's own, the server itself is stopped (`pg_ctl stop -m
//! immediate`) and started again, round after round. Each command exits 0
//! or 8 (4 when what it needs was lost before: a login or passwd of a user
//! whose register failed, or whose password changed), with one clear error
//! line, no panic and no password; afterwards no session is without its
//! token, no registered user without its register event, and each import
//! is whole or absent.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use crate::util::{Env, OTHER_PASSWORD, Outcome, PASSWORD, PrivateServer, sha256};

// Made by Django 5.2 for PASSWORD (tests/fixtures/django/vectors.py).
/// Users in each import: enough that a kill can land inside one.
const BATCH: usize = 3000;

const HASH: &str =
    "pbkdf2_sha256$1200000$seasalt0123456789ABCDE$akP42UnRyfsYsw5KDfgkXZ81K967fXLNmWc+8OhHGsE=";

/// Ends every other backend of `database` at intervals until `stop`; the
/// number of rounds that ended one or more.
fn killer(
    database: String,
    client: postgres::Client,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<usize> {
    let mut client = client;
    std::thread::spawn(move || {
        let kills = AtomicUsize::new(0);
        let pauses = [40, 700, 250, 1200, 500];
        let mut round = 0;
        while !stop.load(Ordering::Relaxed) {
            let rows = client
                .query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = $1 AND pid <> pg_backend_pid()",
                    &[&database],
                )
                .expect("terminate backends");
            if !rows.is_empty() {
                kills.fetch_add(1, Ordering::Relaxed);
            }
            std::thread::sleep(Duration::from_millis(pauses[round % pauses.len()]));
            round += 1;
        }
        kills.load(Ordering::Relaxed)
    })
}

/// An exit the fault allows, said clearly: `allowed` codes only, an error
/// of one line (and a hint), no panic, no password.
#[track_caller]
fn clear(outcome: &Outcome, allowed: &[i32]) {
    assert!(allowed.contains(&outcome.code), "{outcome:#?}");
    outcome.no_panic();
    for secret in [PASSWORD, OTHER_PASSWORD] {
        assert!(!outcome.stderr.contains(secret), "{outcome:#?}");
        assert!(!outcome.stdout.contains(secret), "{outcome:#?}");
    }
    if outcome.code != 0 {
        // The file token store's warning comes first on every use.
        let lines: Vec<&str> = outcome
            .stderr
            .lines()
            .filter(|line| {
                !line.starts_with("latch: warning: the session token is kept in a plain file")
            })
            .collect();
        assert!(
            lines[0].starts_with("latch: error: "),
            "not one clear line: {outcome:#?}"
        );
        assert!(
            lines.len() == 1 || (lines.len() == 2 && lines[1].starts_with("hint: ")),
            "more than an error and a hint: {outcome:#?}"
        );
    }
}

fn import_lines(batch: usize) -> String {
    (0..BATCH)
        .map(|j| {
            let name = format!("batch{batch}_{j}");
            format!(
                "{{\"username\":\"{name}\",\"email\":\"{name}@example.com\",\"password\":\"{HASH}\"}}\n"
            )
        })
        .collect()
}

/// What each host's round of register, login, passwd and import said.
#[derive(Default)]
struct Rounds {
    registered: Vec<bool>,
    changed: Vec<bool>,
    imported: Vec<bool>,
    codes: Vec<[i32; 4]>,
}

/// Host `i`'s round: it registers `user{i}`, logs in, changes its
/// password; then root imports batch `i`. Every exit is one `clear` allows.
fn round(root: &Env, host: &Env, i: usize, rounds: &mut Rounds) {
    let name = format!("user{i}");
    let register = host.register(&name, &format!("{name}@example.com"));
    clear(&register, &[0, 8]);
    rounds.registered.push(register.code == 0);
    // Without the user (its register lost), a login is refused (4).
    let login = host.login(&name, PASSWORD);
    clear(
        &login,
        if register.code == 0 {
            &[0, 8]
        } else {
            &[0, 4, 8]
        },
    );
    // Without a session (the login lost), passwd is refused (4).
    let passwd = host.run(
        &["passwd", "--password-stdin"],
        Some(&format!("{PASSWORD}\n{OTHER_PASSWORD}\n")),
    );
    clear(&passwd, &[0, 4, 8]);
    rounds.changed.push(passwd.code == 0);
    let import = root.run(
        &["import", "--format", "jsonl", "-"],
        Some(&import_lines(i)),
    );
    clear(&import, &[0, 8]);
    rounds.imported.push(import.code == 0);
    rounds
        .codes
        .push([register.code, login.code, passwd.code, import.code]);
}

/// No half-written state after `rounds`: no session without its token, no
/// user without its register event, each password change whole, each
/// import whole or absent; and what a command said it did, done.
fn assert_whole(root: &Env, hosts: &[Env], rounds: &Rounds) {
    let codes = &rounds.codes;
    assert!(
        codes.iter().flatten().any(|&code| code == 8),
        "no command met the fault: {codes:?}"
    );
    // No session without its token: every session row is the hash of a
    // token some host keeps.
    let tokens: Vec<Vec<u8>> = std::iter::once(root)
        .chain(hosts)
        .filter_map(Env::stored_token)
        .map(|token| sha256(&token))
        .collect();
    for hash in root.session_token_hashes() {
        assert!(
            tokens.contains(&hash),
            "a session without its token: {codes:?}"
        );
    }
    // No user without its register event; a register that said so made one.
    assert_eq!(
        root.count(
            "users u WHERE u.username LIKE 'user%' AND NOT EXISTS \
             (SELECT 1 FROM events e WHERE e.kind = 'register' AND e.subject = u.username)"
        ),
        0
    );
    for (i, host) in hosts.iter().enumerate() {
        let name = format!("user{i}");
        let exists = root.count(&format!("users WHERE username = '{name}'")) == 1;
        if rounds.registered[i] {
            assert!(exists, "{name} registered, then missing: {codes:?}");
        }
        if exists {
            // Exactly one of the passwords is the account's: the old, or
            // (when passwd said so, certainly) the new.
            let old = host.login(&name, PASSWORD).code == 0;
            let new = old || host.login(&name, OTHER_PASSWORD).code == 0;
            assert!(old || new, "{name} has neither password: {codes:?}");
            if rounds.changed[i] {
                assert!(!old, "{name}'s password change was lost: {codes:?}");
            }
        }
        // Each import is all or nothing.
        let batch = root.count(&format!("users WHERE username LIKE 'batch{i}\\_%'"));
        assert!(
            batch == 0 || batch == BATCH as i64,
            "import {i} half done: {batch} users"
        );
        if rounds.imported[i] {
            assert_eq!(batch, BATCH as i64, "import {i} said so, then missing");
        }
    }
}

#[test]
fn killed_connections_fail_commands_cleanly_and_leave_the_store_whole() {
    let root = Env::new();
    root.root_logged_in();
    let database = root.pg().expect("PostgreSQL").name.clone();
    let hosts: Vec<Env> = (0..6).map(|_| root.another_host("file")).collect();

    let stop = Arc::new(AtomicBool::new(false));
    let kills = killer(
        database,
        root.pg().expect("PostgreSQL").client(),
        stop.clone(),
    );
    let mut rounds = Rounds::default();
    for (i, host) in hosts.iter().enumerate() {
        round(&root, host, i, &mut rounds);
    }
    stop.store(true, Ordering::Relaxed);
    let kills = kills.join().expect("the killer");
    eprintln!(
        "exit codes of register, login, passwd, import: {:?}; {kills} rounds killed",
        rounds.codes
    );
    assert!(kills > 0, "no connection was ended");
    assert_whole(&root, &hosts, &rounds);
}

/// Sets its flag when dropped: the stopper ends even when the test fails.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Times the private server is stopped; between stops it is up for one of
/// `UP` (ms) in turn, down for 100 ms and its restart (crash recovery).
const STOPS: usize = 8;
const UP: [u64; 5] = [300, 900, 150, 1400, 600];

#[test]
fn a_stopped_server_fails_commands_cleanly_and_leaves_the_store_whole() {
    // Declared first, dropped last: stopped and removed after the rest.
    let server = PrivateServer::start();
    let root = Env::on_server(server.address(), "file");
    root.root_logged_in();

    let stop = AtomicBool::new(false);
    let (hosts, rounds) = std::thread::scope(|scope| {
        let stopper = scope.spawn(|| {
            for up in UP.iter().cycle().take(STOPS) {
                std::thread::sleep(Duration::from_millis(*up));
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                server.stop_immediately();
                std::thread::sleep(Duration::from_millis(100));
                server.up();
            }
        });
        let _guard = StopOnDrop(&stop);
        // Rounds (a failed one is quick) until the last stop is over.
        let mut hosts = Vec::new();
        let mut rounds = Rounds::default();
        while !stopper.is_finished() {
            hosts.push(root.another_host("file"));
            round(&root, &hosts[hosts.len() - 1], hosts.len() - 1, &mut rounds);
        }
        stopper.join().expect("the stopper");
        (hosts, rounds)
    });
    eprintln!(
        "exit codes of register, login, passwd, import: {:?}",
        rounds.codes
    );
    assert!(
        rounds.codes.iter().flatten().any(|&code| code == 0),
        "no command got through between stops: {:?}",
        rounds.codes
    );
    assert_whole(&root, &hosts, &rounds);
}
