//! Whole-process login timing for every kind of failure, side by side.
//!
//! An unknown user, a wrong password, a disabled account and an unusable (`!`)
//! hash must cost the same time, or the time tells an attacker which one it
//! was. This runs the release binary against a real store, interleaving the
//! four cases round by round, and prints each median and its ratio to the
//! fastest. The target: every median within 10% of the others.
//!
//!     cargo bench --bench login_timing            # 21 rounds
//!     LATCH_BENCH_ROUNDS=51 cargo bench --bench login_timing

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "correct horse battery staple";
const WRONG: &str = "not the password at all";
const TARGET: f64 = 1.10;

fn latch(db: &std::path::Path, args: &[&str], stdin: &str) -> (i32, Duration) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_latch"))
        .args(args)
        .env("LATCH_DB", db)
        .env("LATCH_TOKEN_STORE", "file")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start latch");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write the password");
    let status = child.wait().expect("wait for latch");
    (status.code().unwrap_or(-1), start.elapsed())
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is understood.
    let rounds: usize = std::env::var("LATCH_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(21);
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("latch.db");
    for (name, email) in [
        ("alice", "alice@example.com"),
        ("mallory", "mallory@example.com"),
        ("nopass", "nopass@example.com"),
    ] {
        let args = ["register", name, "--email", email, "--password-stdin"];
        assert_eq!(
            latch(&db, &args, &format!("{PASSWORD}\n")).0,
            0,
            "register {name}"
        );
    }
    let conn = rusqlite::Connection::open(&db).expect("open the store");
    conn.execute_batch(
        "UPDATE users SET is_active = 0 WHERE username = 'mallory';
         UPDATE users SET password = '!' || hex(randomblob(20)) WHERE username = 'nopass';",
    )
    .expect("prepare the accounts");

    let cases = [
        ("unknown user", "nobody", PASSWORD),
        ("wrong password", "alice", WRONG),
        ("disabled account", "mallory", PASSWORD),
        ("unusable (!) hash", "nopass", PASSWORD),
    ];
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); cases.len()];
    for round in 0..rounds {
        // Rotate the order each round so no case always runs first.
        for offset in 0..cases.len() {
            let index = (round + offset) % cases.len();
            let (_, name, password) = cases[index];
            // Keep the lockout out of it: every attempt starts from no failures.
            conn.execute("DELETE FROM login_failures", [])
                .expect("reset failures");
            let (code, elapsed) = latch(
                &db,
                &["login", name, "--password-stdin"],
                &format!("{password}\n"),
            );
            assert_eq!(code, 4, "{name} should fail with exit 4");
            samples[index].push(elapsed);
        }
    }

    let medians: Vec<Duration> = samples.iter_mut().map(|s| median(s)).collect();
    let fastest = medians.iter().min().copied().unwrap_or_default();
    println!(
        "login timing, {rounds} interleaved rounds, release build, PBKDF2 at 1,200,000 iterations"
    );
    println!("{:<20} {:>12} {:>10}", "case", "median", "ratio");
    for ((label, _, _), median) in cases.iter().zip(&medians) {
        println!(
            "{label:<20} {:>9.1} ms {:>9.3}x",
            median.as_secs_f64() * 1000.0,
            median.as_secs_f64() / fastest.as_secs_f64()
        );
    }
    let slowest = medians.iter().max().copied().unwrap_or_default();
    let spread = slowest.as_secs_f64() / fastest.as_secs_f64();
    let verdict = if spread <= TARGET { "meets" } else { "MISSES" };
    println!("slowest / fastest = {spread:.3} ({verdict} the target of {TARGET:.2})");
    if spread > TARGET {
        std::process::exit(1);
    }
}
