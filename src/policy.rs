//! The store's policy: password length bounds, PBKDF2 iterations, session age,
//! and the brute-force lockout.
//!
//! Defaults follow NIST SP 800-63B-4 and Django 6.0. A store may override them
//! (the `policy` table); values read back are checked against the same bounds,
//! so a hand-edited table can never weaken latch below them.

use crate::error::{Error, Result};
use crate::password::hasher;

/// Every knob of the policy, with its default and bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub min_password_length: u32,
    pub max_password_length: u32,
    pub pbkdf2_iterations: u32,
    /// Seconds a new session lasts.
    pub session_age: i64,
    /// Consecutive failed logins after which a name is locked.
    pub lockout_threshold: u32,
    /// Seconds of the first lock; each further failure doubles it.
    pub lockout_base: i64,
    /// The longest lock, in seconds.
    pub lockout_max: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            min_password_length: 15,
            max_password_length: 1024,
            pbkdf2_iterations: hasher::DEFAULT_ITERATIONS,
            session_age: 14 * 24 * 3600,
            lockout_threshold: 5,
            lockout_base: 60,
            lockout_max: 3600,
        }
    }
}

/// The keys of the `policy` table and their bounds, inclusive.
pub const KEYS: &[(&str, i64, i64)] = &[
    ("min-length", 8, 1024),
    ("max-length", 8, 4096),
    (
        "pbkdf2-iterations",
        1_200_000,
        hasher::MAX_ITERATIONS as i64,
    ),
    ("session-age", 60, 365 * 24 * 3600),
    ("lockout-threshold", 1, 100),
    ("lockout-base", 1, 24 * 3600),
    ("lockout-max", 1, 7 * 24 * 3600),
];

impl Policy {
    /// Applies one stored `key = value`; an unknown key or a value out of bounds
    /// is a store error, since only latch writes this table.
    pub fn apply(&mut self, key: &str, value: i64) -> Result<()> {
        let Some(&(_, low, high)) = KEYS.iter().find(|(name, _, _)| *name == key) else {
            return Err(Error::Internal(format!("unknown policy key {key:?}")));
        };
        if !(low..=high).contains(&value) {
            return Err(Error::Internal(format!(
                "policy {key} = {value} is outside {low}..={high}"
            )));
        }
        // The bounds above fit every field, so the casts cannot truncate.
        match key {
            "min-length" => self.min_password_length = value as u32,
            "max-length" => self.max_password_length = value as u32,
            "pbkdf2-iterations" => self.pbkdf2_iterations = value as u32,
            "session-age" => self.session_age = value,
            "lockout-threshold" => self.lockout_threshold = value as u32,
            "lockout-base" => self.lockout_base = value,
            _ => self.lockout_max = value,
        }
        Ok(())
    }

    /// How long a name with `failures` consecutive failures stays locked:
    /// nothing below the threshold, then the base, doubling with each further
    /// failure, up to the maximum.
    pub fn lock_seconds(&self, failures: u32) -> Option<i64> {
        let beyond = failures.checked_sub(self.lockout_threshold)?;
        let doubled = 1i64
            .checked_shl(beyond.min(62))
            .and_then(|factor| self.lockout_base.checked_mul(factor))
            .unwrap_or(i64::MAX);
        Some(doubled.min(self.lockout_max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let policy = Policy::default();
        assert_eq!(policy.min_password_length, 15);
        assert_eq!(policy.max_password_length, 1024);
        assert_eq!(policy.pbkdf2_iterations, 1_200_000);
        assert_eq!(policy.session_age, 1_209_600);
        assert_eq!(policy.lockout_threshold, 5);
        assert_eq!(policy.lockout_base, 60);
        assert_eq!(policy.lockout_max, 3600);
    }

    #[test]
    fn locks_double_from_the_threshold_up_to_the_maximum() {
        let policy = Policy::default();
        let locks: Vec<Option<i64>> = (3..=13).map(|n| policy.lock_seconds(n)).collect();
        assert_eq!(
            locks,
            [
                None,
                None,
                Some(60),
                Some(120),
                Some(240),
                Some(480),
                Some(960),
                Some(1920),
                Some(3600),
                Some(3600),
                Some(3600)
            ]
        );
        assert_eq!(policy.lock_seconds(u32::MAX), Some(3600));
    }

    #[test]
    fn stored_values_are_bounded() {
        let mut policy = Policy::default();
        policy.apply("min-length", 20).expect("in bounds");
        assert_eq!(policy.min_password_length, 20);
        policy.apply("session-age", 3600).expect("in bounds");
        assert_eq!(policy.session_age, 3600);
        assert!(policy.apply("min-length", 7).is_err());
        assert!(policy.apply("pbkdf2-iterations", 1000).is_err());
        assert!(policy.apply("colour", 1).is_err());
    }
}
