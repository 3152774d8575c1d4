//! The store's policy: password length bounds, PBKDF2 iterations, session age.
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
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            min_password_length: 15,
            max_password_length: 1024,
            pbkdf2_iterations: hasher::DEFAULT_ITERATIONS,
            session_age: 14 * 24 * 3600,
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
            _ => self.session_age = value,
        }
        Ok(())
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
