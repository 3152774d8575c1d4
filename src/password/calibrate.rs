//! `policy calibrate`'s measurement: how fast this machine runs
//! PBKDF2-HMAC-SHA256, and the iterations that take about a target time.
//! A measurement, not a rule: it proposes, and never changes the policy.

use super::encoding::MAX_ITERATIONS;
use super::pbkdf2_sha256::{DEFAULT_ITERATIONS, spend_one_hash};

/// What `policy calibrate` measured and proposes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calibration {
    /// PBKDF2-HMAC-SHA256 iterations this machine runs per millisecond.
    pub iterations_per_ms: f64,
    /// The iterations that take about the target time, never below Django's.
    pub proposed: u32,
    /// About how long a hash at `proposed` takes here, in milliseconds.
    pub proposed_ms: f64,
}

/// Measures this machine's PBKDF2 speed (best of a few runs) and proposes the
/// iteration count that takes about `target_ms`, rounded to 10,000 and never
/// below Django 6.0's 1,200,000.
pub fn calibrate(target_ms: u32) -> Calibration {
    const SAMPLE: u32 = 200_000;
    let fastest = (0..5)
        .map(|_| {
            let start = std::time::Instant::now();
            spend_one_hash("calibration", SAMPLE);
            start.elapsed()
        })
        .min()
        .unwrap_or_default();
    let iterations_per_ms = f64::from(SAMPLE) / (fastest.as_secs_f64() * 1000.0).max(1e-3);
    let wanted = iterations_per_ms * f64::from(target_ms);
    let rounded = ((wanted / 10_000.0).round() * 10_000.0).min(f64::from(MAX_ITERATIONS));
    let proposed = (rounded as u32).max(DEFAULT_ITERATIONS);
    Calibration {
        iterations_per_ms,
        proposed,
        proposed_ms: f64::from(proposed) / iterations_per_ms,
    }
}
