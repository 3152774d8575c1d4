//! Measures what checking a password costs for each of Django's hashers at
//! Django's default parameters (the fixtures in `tests/fixtures/django/`),
//! next to what latch's cost model says, in PBKDF2-SHA256 iterations.
//!
//! Run it in a release build: `cargo run --release --example hash_costs`.
//! The model's ratios (`password::encoding::Cost`) come from this; when they drift by
//! more than a few percent on the machines latch runs on, update them.

use std::time::{Duration, Instant};

use latch::password::{self, StoredHash};

const FIXTURES: &str = include_str!("../tests/fixtures/django/hashes.json");
const ROUNDS: u32 = 5;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time(mut f: impl FnMut()) -> Duration {
    median(
        (0..ROUNDS)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let fixtures: serde_json::Value = serde_json::from_str(FIXTURES).expect("hashes.json is JSON");
    let iterations = password::DEFAULT_ITERATIONS;
    let reference = time(|| password::spend_one_hash("a password", iterations));
    let per_iteration = reference.as_secs_f64() / f64::from(iterations);
    println!(
        "pbkdf2_sha256 at the policy's {iterations} iterations: {:.1} ms\n",
        reference.as_secs_f64() * 1e3
    );
    println!(
        "{:<22} {:>10} {:>14} {:>14} {:>8}",
        "Django's defaults", "measured", "model (iter.)", "measured (it.)", "model/measured"
    );
    let entries = fixtures["hashes"].as_array().expect("a list of hashes");
    for entry in entries.iter().filter(|e| e["django_defaults"] == true) {
        let encoded = entry["hash"].as_str().expect("hash");
        let password = entry["password"].as_str().expect("password");
        let hash = StoredHash::parse(encoded).expect("the fixture parses");
        let measured = time(|| assert_eq!(hash.matches(password), Some(true)));
        let measured_iterations = measured.as_secs_f64() / per_iteration;
        println!(
            "{:<22} {:>8.1} ms {:>14} {:>14.0} {:>8.2}",
            hash.parameters().split(' ').next().unwrap_or_default(),
            measured.as_secs_f64() * 1e3,
            hash.cost(),
            measured_iterations,
            hash.cost() as f64 / measured_iterations,
        );
    }
}
