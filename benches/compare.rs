//! Whole-process comparisons: latch beside the floor and the C tools, in one
//! run, interleaved, medians, each ratio printed against its target.
//!
//! Run it through `benches/compare.sh`, which installs the tools (openssl,
//! sqlite3, secret-tool) and starts the private Secret Service this needs:
//!
//!     benches/compare.sh              # 15 rounds
//!     LATCH_BENCH_ROUNDS=31 benches/compare.sh
//!
//! Absolute times drift on shared machines; the ratios are the targets.
//! Start-up (target 6) is timed in a phase of its own after the rounds: 20
//! short runs per round, back to back, as a script's loop makes them: a
//! failing `whoami` beside `secret-tool lookup` of a missing item, and
//! `latch --version` and the kernel keyring's failing `whoami` beside `true`.
//!
//! Under `scripts/test-env` (which `compare.sh` uses) a PostgreSQL server is
//! exported (`LATCH_TEST_PG_SOCKET`, …), and the same login, whoami and
//! sized rows are timed on PostgreSQL stores too, beside `psql`, with an
//! import of 1,000,000 users into PostgreSQL under `/usr/bin/time -v`, and
//! `store copy` of the SQLite 1,000,000-user store into a new database.
//! Without a server, or with `LATCH_BENCH_PG=0`, that part is skipped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod shared;

use latch::password::pbkdf2::{compression_floor, pbkdf2_sha256};
use sha2::Sha256;

const PASSWORD: &str = "correct horse battery staple";
const ITERATIONS: u32 = 1_200_000;
/// Start-up runs per round: each takes a millisecond or two, so a median
/// of many costs seconds and holds still where one of 31 does not.
const STARTUP_ROUNDS_PER_ROUND: usize = 20;
/// `latch whoami`'s exit status with nobody logged in.
const NOT_LOGGED_IN: i32 = 4;
/// `secret-tool lookup`'s exit status when there is no such item.
const NOT_FOUND: i32 = 1;

/// One process run: wall time and peak resident memory.
struct Run {
    wall: Duration,
    max_rss_kib: i64,
    code: i32,
}

fn run(program: &str, args: &[&str], env: &[(&str, &Path)], stdin: Option<&str>) -> Run {
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    let start = Instant::now();
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(input.as_bytes()).expect("write stdin");
    }
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills for the child just spawned.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; the pointers are valid for the call.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(waited, pid, "wait4 failed for {program}");
    std::mem::forget(child);
    Run {
        wall,
        max_rss_kib: usage.ru_maxrss,
        code: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
    }
}

/// 0..N in a shuffled order, so that no run always follows the same one;
/// xorshift from a fixed seed, so that every benchmark run makes the same
/// orders.
fn shuffled<const N: usize>(state: &mut u64) -> [usize; N] {
    let mut order: [usize; N] = std::array::from_fn(|i| i);
    for i in (1..N).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        order.swap(i, (*state % (i as u64 + 1)) as usize);
    }
    order
}

/// Borrows an environment for `run`.
fn e<'a>(pairs: &'a [(&'static str, PathBuf)]) -> Vec<(&'static str, &'a Path)> {
    pairs.iter().map(|(k, v)| (*k, v.as_path())).collect()
}

/// The PostgreSQL server `scripts/test-env` exports, if there is one.
struct Pg {
    socket: String,
    port: String,
    user: String,
    psql: String,
}

impl Pg {
    fn from_env() -> Option<Pg> {
        if std::env::var("LATCH_BENCH_PG").is_ok_and(|v| v == "0") {
            return None;
        }
        let socket = std::env::var("LATCH_TEST_PG_SOCKET").ok()?;
        let port = std::env::var("LATCH_TEST_PG_PORT").ok()?;
        let user = std::env::var("LATCH_TEST_PG_USER").unwrap_or_else(|_| "latch".to_owned());
        let psql = std::env::var("LATCH_TEST_PG_BIN")
            .ok()
            .map(|bin| format!("{bin}/psql"))
            .filter(|p| Path::new(p).exists())
            .unwrap_or_else(|| "/usr/bin/psql".to_owned());
        Some(Pg {
            socket,
            port,
            user,
            psql,
        })
    }

    /// The libpq string of database `db`, as `LATCH_DB` takes it.
    fn location(&self, db: &str) -> String {
        format!(
            "host={} port={} user={} dbname={db}",
            self.socket, self.port, self.user
        )
    }

    /// `psql`'s arguments for one statement on `db`, unaligned, tuples only.
    fn psql_args<'a>(&'a self, db: &'a str, sql: &'a str) -> Vec<&'a str> {
        vec![
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            &self.socket,
            "-p",
            &self.port,
            "-U",
            &self.user,
            "-d",
            db,
            "-c",
            sql,
        ]
    }

    /// One statement's output, trimmed; panics when psql fails.
    fn query(&self, db: &str, sql: &str) -> String {
        let out = Command::new(&self.psql)
            .args(self.psql_args(db, sql))
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.psql));
        assert!(
            out.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// A store of `users` users in a new database `db`, made through
    /// `benches/make-store.sh` as the SQLite ones are (register, then import).
    fn make_store(&self, db: &str, users: u32) -> String {
        self.query("postgres", &format!("CREATE DATABASE {db}"));
        let location = self.location(db);
        let status = Command::new("benches/make-store.sh")
            .arg(&location)
            .arg(users.to_string())
            .env("LATCH", env!("CARGO_BIN_EXE_latch"))
            .stdout(Stdio::null())
            .status()
            .expect("benches/make-store.sh");
        assert!(status.success(), "making the PostgreSQL store {db} failed");
        location
    }
}

/// A command under `/usr/bin/time -v`: its wall time as this process saw it,
/// and the "Maximum resident set size" that time reports, in KiB.
fn run_timed(args: &[&str], env: &[(&str, &Path)]) -> (Duration, i64) {
    let mut command = Command::new("/usr/bin/time");
    command
        .arg("-v")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let start = Instant::now();
    let out = command
        .output()
        .expect("cannot run /usr/bin/time (apt-get install time)");
    let wall = start.elapsed();
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{} failed:\n{report}", args.join(" "));
    let rss = report
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .expect("no Maximum resident set size from /usr/bin/time -v");
    (wall, rss)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Report {
    misses: usize,
}

impl Report {
    fn ratio(&mut self, what: &str, value: f64, target: f64, detail: &str) {
        let verdict = self.verdict(value, target);
        println!("{what:<62} {value:>7.3}   {verdict:<27}  {detail}");
    }

    fn absolute(&mut self, what: &str, value: f64, target: f64, unit: &str) {
        let verdict = self.verdict(value, target);
        // Start-up differences are fractions of a millisecond: show them closely.
        let digits = if unit == "ms" { 2 } else { 1 };
        println!("{what:<62} {value:>7.digits$} {unit:<3} {verdict}");
    }

    /// "target ≤ T meets" or "… MISSES" (counted); a reference row has no target.
    fn verdict(&mut self, value: f64, target: f64) -> String {
        if target.is_infinite() {
            return "(reference, no target)".to_owned();
        }
        let verdict = if value <= target { "meets" } else { "MISSES" };
        if value > target {
            self.misses += 1;
        }
        format!("target ≤ {target:<5} {verdict}")
    }
}

fn main() {
    let rounds: usize = std::env::var("LATCH_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let latch = env!("CARGO_BIN_EXE_latch");
    let dir = tempfile::tempdir().expect("temporary directory");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    // A fresh copy of the binary, timed for reference only: how a file sits
    // in the page cache moves every start by a tenth of a millisecond or
    // more, and the one the linker just wrote is the slow case. The targets
    // are judged on that one.
    let copy = dir.path().join("latch");
    std::fs::copy(latch, &copy).expect("copy of the release binary");
    let copy = copy.to_str().expect("temporary path");
    println!(
        "latch whole-process comparisons: {rounds} interleaved rounds (start-up: {}), medians, release build\n",
        rounds * STARTUP_ROUNDS_PER_ROUND
    );

    println!("making stores of 1,000 and 1,000,000 users through `latch import`…");
    let small = shared::make_store(dir.path(), "small", 1_000);
    let big = shared::make_store(dir.path(), "big", 1_000_000);
    let env_for = |db: &Path| -> Vec<(&'static str, PathBuf)> {
        vec![
            ("LATCH_DB", db.to_owned()),
            ("HOME", home.clone()),
            ("XDG_STATE_HOME", home.join("state")),
        ]
    };

    let mut floor = Vec::new();
    let mut latch_hash = Vec::new();
    let mut crate_hash = Vec::new();
    let mut login = Vec::new();
    let mut openssl = Vec::new();
    let mut whoami = Vec::new();
    let mut secret_tool_plus_sqlite = Vec::new();
    // [SQLite 1k, SQLite 1M, PostgreSQL 1k, PostgreSQL 1M][register, login, whoami]
    let mut sized: [[Vec<Duration>; 3]; 4] = Default::default();
    let mut pg_login = Vec::new();
    let mut pg_whoami = Vec::new();
    let mut secret_tool_plus_psql = Vec::new();

    let pg = Pg::from_env();
    let pg_stores = pg.as_ref().map(|pg| {
        println!("making PostgreSQL stores of 1,000 and 1,000,000 users through `latch import`…");
        let small = pg.make_store("bench_small", 1_000);
        let started = Instant::now();
        let big = pg.make_store("bench_big", 1_000_000);
        let made_in = started.elapsed();
        // Fresh statistics for the planner, as autovacuum would make them
        // soon after an import this size.
        pg.query("bench_big", "ANALYZE");
        (small, big, made_in)
    });
    if pg.is_none() {
        println!(
            "PostgreSQL: skipped (no LATCH_TEST_PG_SOCKET, or LATCH_BENCH_PG=0; \
             benches/compare.sh runs it under scripts/test-env)"
        );
    }
    let pg_envs = pg_stores.as_ref().map(|(small, big, _)| {
        let key = latch::accounts::token_key(
            &latch::store::StoreLocation::parse(
                std::ffi::OsStr::new(small),
                &latch::store::postgres::conninfo::ProcessEnvironment,
            )
            .expect("the PostgreSQL location"),
        );
        (env_for(Path::new(small)), env_for(Path::new(big)), key)
    });
    let pg_sql = "SELECT user_id, expires_at FROM latch.sessions ORDER BY id DESC LIMIT 1";

    let small_env = env_for(&small);
    let big_env = env_for(&big);
    let nowhere_db = dir.path().join("nowhere.db");
    let nowhere_env = env_for(&nowhere_db);
    // A store that is not there: whoami fails, whatever the token store holds.
    let nowhere = e(&nowhere_env);

    let password_line = format!("{PASSWORD}\n");
    let key = latch::accounts::token_key(&latch::store::StoreLocation::File(small.clone()));
    let missing_key =
        latch::accounts::token_key(&latch::store::StoreLocation::File(nowhere_db.clone()));
    let missing_lookup = ["lookup", "service", "latch", "username", &missing_key];
    let sqlite_query = "SELECT user_id, expires_at FROM sessions ORDER BY id DESC LIMIT 1";
    let openssl_args = [
        "kdf",
        "-keylen",
        "32",
        "-kdfopt",
        "digest:SHA256",
        "-kdfopt",
        "pass:correct horse battery staple",
        "-kdfopt",
        "salt:seasalt0123456789ABCDE",
        "-kdfopt",
        "iter:1200000",
        "PBKDF2",
    ];
    let keyutils_whoami = ["--token-store", "keyutils", "whoami"];
    for round in 0..rounds {
        // The three in-process hashes, in an order that turns each round.
        for turn in 0..3 {
            let start = Instant::now();
            let salt = b"seasalt0123456789ABCDE";
            match (round + turn) % 3 {
                0 => {
                    std::hint::black_box(compression_floor(ITERATIONS));
                    floor.push(start.elapsed());
                }
                1 => {
                    std::hint::black_box(pbkdf2_sha256(PASSWORD.as_bytes(), salt, ITERATIONS));
                    latch_hash.push(start.elapsed());
                }
                _ => {
                    let mut derived = [0u8; 32];
                    pbkdf2::pbkdf2_hmac::<Sha256>(
                        PASSWORD.as_bytes(),
                        salt,
                        ITERATIONS,
                        &mut derived,
                    );
                    std::hint::black_box(derived);
                    crate_hash.push(start.elapsed());
                }
            }
        }

        let r = run(
            latch,
            &["login", "admin", "--password-stdin"],
            &e(&small_env),
            Some(&password_line),
        );
        assert_eq!(r.code, 0, "latch login failed");
        login.push(r.wall);
        openssl.push(run("openssl", &openssl_args, &[], None).wall);

        let r = run(latch, &["whoami"], &e(&small_env), None);
        assert_eq!(r.code, 0, "latch whoami failed");
        whoami.push(r.wall);
        let lookup = run(
            "secret-tool",
            &["lookup", "service", "latch", "username", &key],
            &[],
            None,
        );
        let query = run(
            "sqlite3",
            &[small.to_str().expect("path"), sqlite_query],
            &[],
            None,
        );
        secret_tool_plus_sqlite.push(lookup.wall + query.wall);

        // register, login, whoami at 1k and at 1M users.
        for (index, env) in [&small_env, &big_env].into_iter().enumerate() {
            let name = format!("new{round}");
            let email = format!("new{round}@example.com");
            let r = run(
                latch,
                &["register", &name, "--email", &email, "--password-stdin"],
                &e(env),
                Some(&password_line),
            );
            assert_eq!(r.code, 0, "register failed");
            sized[index][0].push(r.wall);
            let r = run(
                latch,
                &["login", "user500", "--password-stdin"],
                &e(env),
                Some(&password_line),
            );
            assert_eq!(r.code, 0, "login failed");
            sized[index][1].push(r.wall);
            sized[index][2].push(run(latch, &["whoami"], &e(env), None).wall);
        }
        // The same on PostgreSQL: login, whoami beside secret-tool + psql,
        // and register, login, whoami at 1k and at 1M users.
        if let (Some(pg), Some((pg_small_env, pg_big_env, pg_key))) = (&pg, &pg_envs) {
            let r = run(
                latch,
                &["login", "admin", "--password-stdin"],
                &e(pg_small_env),
                Some(&password_line),
            );
            assert_eq!(r.code, 0, "latch login on PostgreSQL failed");
            pg_login.push(r.wall);
            let r = run(latch, &["whoami"], &e(pg_small_env), None);
            assert_eq!(r.code, 0, "latch whoami on PostgreSQL failed");
            pg_whoami.push(r.wall);
            let lookup = run(
                "secret-tool",
                &["lookup", "service", "latch", "username", pg_key],
                &[],
                None,
            );
            assert_eq!(
                lookup.code, 0,
                "secret-tool found no PostgreSQL store's token"
            );
            let query = run(&pg.psql, &pg.psql_args("bench_small", pg_sql), &[], None);
            assert_eq!(query.code, 0, "psql failed");
            secret_tool_plus_psql.push(lookup.wall + query.wall);
            for (index, env) in [pg_small_env, pg_big_env].into_iter().enumerate() {
                let name = format!("new{round}");
                let email = format!("new{round}@example.com");
                let r = run(
                    latch,
                    &["register", &name, "--email", &email, "--password-stdin"],
                    &e(env),
                    Some(&password_line),
                );
                assert_eq!(r.code, 0, "register on PostgreSQL failed");
                sized[2 + index][0].push(r.wall);
                let r = run(
                    latch,
                    &["login", "user500", "--password-stdin"],
                    &e(env),
                    Some(&password_line),
                );
                assert_eq!(r.code, 0, "login on PostgreSQL failed");
                sized[2 + index][1].push(r.wall);
                let r = run(latch, &["whoami"], &e(env), None);
                assert_eq!(r.code, 0, "whoami on PostgreSQL failed");
                sized[2 + index][2].push(r.wall);
            }
        }
        // Leave the small store's session with admin for the next round.
        run(
            latch,
            &["login", "admin", "--password-stdin"],
            &e(&small_env),
            Some(&password_line),
        );
    }

    // 6. Start-up, in a phase of its own: short runs back to back, as a
    // script's loop makes them, in an order shuffled each round, and many
    // of them, since each is a millisecond or two: a median of 31 moves by
    // tenths of a millisecond from run to run.
    let startup_rounds = rounds * STARTUP_ROUNDS_PER_ROUND;
    let mut startup: [Vec<Duration>; 6] = Default::default();
    let mut seed = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..startup_rounds {
        for which in shuffled::<6>(&mut seed) {
            let (r, expected) = match which {
                0 => (run("true", &[], &[], None), 0),
                1 => (run(latch, &["--version"], &[], None), 0),
                2 => (run(copy, &["--version"], &[], None), 0),
                3 => (run(latch, &["whoami"], &nowhere, None), NOT_LOGGED_IN),
                4 => (run(latch, &keyutils_whoami, &nowhere, None), NOT_LOGGED_IN),
                _ => (run("secret-tool", &missing_lookup, &[], None), NOT_FOUND),
            };
            assert_eq!(r.code, expected, "start-up run {which} ended wrongly");
            startup[which].push(r.wall);
        }
    }
    let [
        true_process,
        version,
        version_of_copy,
        failing_whoami,
        failing_whoami_keyutils,
        missing_lookup,
    ] = startup;

    let floor = median(floor);
    let login = median(login);
    let openssl = median(openssl);
    let mut report = Report { misses: 0 };
    println!("\n{:<62} {:>7}", "comparison", "ratio");
    let latch_hash = median(latch_hash);
    let crate_hash = median(crate_hash);
    report.ratio(
        "1. latch's PBKDF2 / the floor (in process)",
        ms(latch_hash) / ms(floor),
        1.10,
        &format!("{:.1} ms / {:.1} ms", ms(latch_hash), ms(floor)),
    );
    report.ratio(
        "1. (for reference) the pbkdf2 crate / the floor",
        ms(crate_hash) / ms(floor),
        f64::INFINITY,
        &format!("{:.1} ms / {:.1} ms", ms(crate_hash), ms(floor)),
    );
    report.ratio(
        "2. latch login (whole process) / the floor",
        ms(login) / ms(floor),
        1.25,
        &format!("{:.1} ms / {:.1} ms", ms(login), ms(floor)),
    );
    report.ratio(
        "2. latch login (whole process) / openssl kdf alone",
        ms(login) / ms(openssl),
        0.6,
        &format!("{:.1} ms / {:.1} ms", ms(login), ms(openssl)),
    );
    let whoami = median(whoami);
    let reference = median(secret_tool_plus_sqlite);
    report.ratio(
        "3. latch whoami / (secret-tool lookup + sqlite3 one row)",
        ms(whoami) / ms(reference),
        1.0,
        &format!("{:.2} ms / {:.2} ms", ms(whoami), ms(reference)),
    );
    for (index, what) in ["register", "login", "whoami"].iter().enumerate() {
        let one_k = median(sized[0][index].clone());
        let one_m = median(sized[1][index].clone());
        report.ratio(
            &format!("4. {what} on 1,000,000 users / on 1,000 users"),
            ms(one_m) / ms(one_k),
            1.2,
            &format!("{:.2} ms / {:.2} ms", ms(one_m), ms(one_k)),
        );
    }
    if pg.is_some() {
        let pg_login = median(pg_login);
        report.ratio(
            "7. PostgreSQL: latch login (whole process) / the floor",
            ms(pg_login) / ms(floor),
            1.35,
            &format!("{:.1} ms / {:.1} ms", ms(pg_login), ms(floor)),
        );
        let pg_whoami = median(pg_whoami);
        let reference = median(secret_tool_plus_psql);
        report.ratio(
            "7. PostgreSQL: whoami / (secret-tool lookup + psql one row)",
            ms(pg_whoami) / ms(reference),
            1.0,
            &format!("{:.2} ms / {:.2} ms", ms(pg_whoami), ms(reference)),
        );
        for (index, what) in ["register", "login", "whoami"].iter().enumerate() {
            let one_k = median(sized[2][index].clone());
            let one_m = median(sized[3][index].clone());
            report.ratio(
                &format!("7. PostgreSQL: {what} on 1,000,000 users / on 1,000"),
                ms(one_m) / ms(one_k),
                1.2,
                &format!("{:.2} ms / {:.2} ms", ms(one_m), ms(one_k)),
            );
        }
    }
    let truth = median(true_process);
    let version = median(version);
    let failing_whoami = median(failing_whoami);
    let missing_lookup = median(missing_lookup);
    report.ratio(
        "6. failing whoami, Secret Service / secret-tool lookup, missing",
        ms(failing_whoami) / ms(missing_lookup),
        0.3,
        &format!(
            "{:.2} ms / {:.2} ms",
            ms(failing_whoami),
            ms(missing_lookup)
        ),
    );
    let startup_rows = [
        ("6. (reference) latch --version minus `true`", version),
        (
            "6. (reference) a fresh copy's --version minus `true`",
            median(version_of_copy),
        ),
        (
            "6. (reference) failing whoami, kernel keyring, minus `true`",
            median(failing_whoami_keyutils),
        ),
        (
            "6. (reference) failing whoami, Secret Service, minus `true`",
            failing_whoami,
        ),
    ];
    for (what, value) in startup_rows {
        report.absolute(what, ms(value) - ms(truth), f64::INFINITY, "ms");
    }

    // 5. Bulk, once each: time and peak memory; export and list need the admin.
    let big_env = e(&big_env);
    let r = run(
        latch,
        &["login", "admin", "--password-stdin"],
        &big_env,
        Some(&password_line),
    );
    assert_eq!(r.code, 0, "admin login on the big store failed");
    let export_file = dir.path().join("export.jsonl");
    let export = run(
        latch,
        &[
            "export",
            "--format",
            "jsonl",
            "--output",
            export_file.to_str().expect("path"),
        ],
        &big_env,
        None,
    );
    assert_eq!(export.code, 0, "export failed");
    let list = run(latch, &["users", "list", "--json"], &big_env, None);
    assert_eq!(list.code, 0, "users list failed");
    let fresh = dir.path().join("fresh.db");
    let import_started = Instant::now();
    let made = shared::make_store(dir.path(), "fresh", 1_000_000);
    let import_wall = import_started.elapsed();
    assert_eq!(made, fresh);
    // SAFETY: rusage is plain data that getrusage fills.
    let mut children: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointer; RUSAGE_CHILDREN covers the import just run.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut children) };
    report.absolute(
        "5. import of 1,000,000 users (with its admin's register)",
        import_wall.as_secs_f64(),
        30.0,
        "s",
    );
    report.absolute(
        "5. peak memory of any process this run started",
        children.ru_maxrss as f64 / 1024.0,
        100.0,
        "MB",
    );
    report.absolute(
        "5. export of 1,000,000 users",
        export.wall.as_secs_f64(),
        10.0,
        "s",
    );
    report.absolute(
        "5. export's peak memory",
        export.max_rss_kib as f64 / 1024.0,
        100.0,
        "MB",
    );
    report.absolute(
        "5. users list --json of 1,000,000 users",
        list.wall.as_secs_f64(),
        10.0,
        "s",
    );
    report.absolute(
        "5. users list --json's peak memory",
        list.max_rss_kib as f64 / 1024.0,
        100.0,
        "MB",
    );

    // 8. PostgreSQL bulk: 1,000,000 pre-hashed users into a fresh database
    // whose schema a first register (its admin, logged in) made, the import alone under
    // /usr/bin/time -v, from a file written beforehand.
    if let (Some(pg), Some((_, _, made_in))) = (&pg, &pg_stores) {
        pg.query("postgres", "CREATE DATABASE bench_fresh");
        let fresh = pg.location("bench_fresh");
        let fresh_env = env_for(Path::new(&fresh));
        let r = run(
            latch,
            &[
                "register",
                "admin",
                "--email",
                "admin@example.com",
                "--password-stdin",
                "--admin",
                "--login",
            ],
            &e(&fresh_env),
            Some(&password_line),
        );
        assert_eq!(r.code, 0, "register on the fresh PostgreSQL store failed");
        let hash = pg.query(
            "bench_small",
            "SELECT password FROM latch.users WHERE username = 'admin'",
        );
        let lines = dir.path().join("pg-import.jsonl");
        {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&lines).expect("file"));
            for i in 0..1_000_000 {
                writeln!(
                    out,
                    r#"{{"username":"user{i}","email":"user{i}@example.com","password":"{hash}"}}"#
                )
                .expect("write");
            }
            out.flush().expect("flush");
        }
        let (wall, rss_kib) = run_timed(
            &[
                latch,
                "import",
                "--format",
                "jsonl",
                lines.to_str().expect("path"),
            ],
            &e(&fresh_env),
        );
        assert_eq!(
            pg.query("bench_fresh", "SELECT count(*) FROM latch.users"),
            "1000001",
            "the PostgreSQL import did not write every user"
        );
        report.absolute(
            "8. PostgreSQL: import of 1,000,000 pre-hashed users (alone)",
            wall.as_secs_f64(),
            45.0,
            "s",
        );
        report.absolute(
            "8. PostgreSQL: the import's peak RSS (/usr/bin/time -v)",
            rss_kib as f64 / 1024.0,
            100.0,
            "MB",
        );
        report.absolute(
            "8. (reference) PostgreSQL 1M store via make-store.sh (awk | import)",
            made_in.as_secs_f64(),
            f64::INFINITY,
            "s",
        );

        // 9. The SQLite store of 1,000,000 users copied into a new
        // PostgreSQL database by `store copy`, its admin logged in first.
        let big_env = env_for(&big);
        let r = run(
            latch,
            &["login", "admin", "--password-stdin"],
            &e(&big_env),
            Some(&password_line),
        );
        assert_eq!(r.code, 0, "the admin's login on the SQLite 1M store failed");
        pg.query("postgres", "CREATE DATABASE bench_copy");
        let target = pg.location("bench_copy");
        // The rounds above registered users into it: every one of its users.
        let source = Command::new("sqlite3")
            .arg(&big)
            .arg("SELECT count(*) FROM users")
            .output()
            .expect("sqlite3");
        let source_users = String::from_utf8_lossy(&source.stdout).trim().to_owned();
        let (wall, rss_kib) = run_timed(&[latch, "store", "copy", "--to", &target], &e(&big_env));
        assert_eq!(
            pg.query("bench_copy", "SELECT count(*) FROM latch.users"),
            source_users,
            "the copy did not write every user"
        );
        report.absolute(
            "9. PostgreSQL: store copy of the SQLite 1,000,000-user store",
            wall.as_secs_f64(),
            45.0,
            "s",
        );
        report.absolute(
            "9. PostgreSQL: the copy's peak RSS (/usr/bin/time -v)",
            rss_kib as f64 / 1024.0,
            100.0,
            "MB",
        );
    }

    println!(
        "\nreference times: floor {:.1} ms, openssl kdf {:.1} ms, true {:.2} ms, \
         --version {:.2} ms",
        ms(floor),
        ms(openssl),
        ms(truth),
        ms(version)
    );
    println!("{} target(s) missed", report.misses);
}
