//! The store's policy: password length bounds, PBKDF2 iterations, session age,
//! the brute-force lockout, and the second factor (who must have one, and
//! how much clock drift a code may have).
//!
//! Defaults follow NIST SP 800-63B-4 and Django 6.0. A store may override them
//! (the `policy` table); values read back are checked against the same bounds,
//! so a hand-edited table can never weaken latch below them.

use crate::error::{Error, Problem, Result};
use crate::password;

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
    /// Which accounts must have a second factor (`mfa-required`).
    pub mfa_required: MfaRequired,
    /// Time steps of clock drift accepted either side of a code's step
    /// (`mfa-drift-steps`).
    pub mfa_drift_steps: u32,
}

/// The policy `mfa-required`: which accounts must have a second factor. One
/// that must and has none can log in, but only to enrol one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaRequired {
    None = 0,
    Admins = 1,
    All = 2,
}

impl MfaRequired {
    /// The names `policy set mfa-required` takes, by stored value.
    pub const NAMES: [&'static str; 3] = ["none", "admins", "all"];

    /// Whether an account (an admin or not) must have a second factor.
    pub fn applies_to(self, is_admin: bool) -> bool {
        match self {
            MfaRequired::None => false,
            MfaRequired::Admins => is_admin,
            MfaRequired::All => true,
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            min_password_length: 15,
            max_password_length: 1024,
            pbkdf2_iterations: password::DEFAULT_ITERATIONS,
            session_age: 14 * 24 * 3600,
            lockout_threshold: 5,
            lockout_base: 60,
            lockout_max: 3600,
            mfa_required: MfaRequired::None,
            mfa_drift_steps: 1,
        }
    }
}

/// The keys of the `policy` table (as `policy set` names them) and their
/// bounds, inclusive.
pub const KEYS: &[(&str, i64, i64)] = &[
    ("min-length", 8, 1024),
    ("max-length", 8, 4096),
    (
        "pbkdf2-iterations",
        1_200_000,
        password::MAX_ITERATIONS as i64,
    ),
    ("session-age", 60, 365 * 24 * 3600),
    ("lockout-threshold", 1, 100),
    ("lockout-base", 1, 24 * 3600),
    ("lockout-max", 1, 7 * 24 * 3600),
    ("mfa-required", 0, 2),
    ("mfa-drift-steps", 0, 10),
];

/// A value as `policy set` takes it: a number, or for `mfa-required` one of
/// `none`, `admins`, `all`; anything else is a usage error (exit 2). Bounds
/// are `apply`'s to check.
pub fn parse_value(key: &str, text: &str) -> Result<i64> {
    if key == "mfa-required"
        && let Some(index) = MfaRequired::NAMES.iter().position(|name| *name == text)
    {
        return Ok(index as i64);
    }
    // Not a value at all is a usage error (exit 2), as clap's own are.
    text.parse().map_err(|_| {
        Error::usage(
            if key == "mfa-required" {
                format!("{key} takes none, admins or all")
            } else {
                format!("{key} takes a whole number")
            },
            None,
        )
    })
}

/// A value as people read it: `mfa-required`'s by name, the others as numbers.
pub fn display_value(key: &str, value: i64) -> String {
    match (key, usize::try_from(value)) {
        ("mfa-required", Ok(index)) if index < MfaRequired::NAMES.len() => {
            MfaRequired::NAMES[index].to_owned()
        }
        _ => value.to_string(),
    }
}

impl Policy {
    /// Applies one `key = value`, refusing (exit 3) an unknown key, a value
    /// out of bounds, or a minimum length above the maximum.
    pub fn apply(&mut self, key: &str, value: i64) -> Result<()> {
        let Some(&(_, low, high)) = KEYS.iter().find(|(name, _, _)| *name == key) else {
            let known: Vec<&str> = KEYS.iter().map(|(name, _, _)| *name).collect();
            return Err(Error::InvalidInput(vec![
                Problem::new("key", format!("{key:?} is not a policy key"))
                    .with_hint(format!("the keys are {}", known.join(", "))),
            ]));
        };
        if !(low..=high).contains(&value) {
            return Err(Error::invalid(
                "value",
                format!("{key} must be from {low} to {high} (not {value})"),
            ));
        }
        // The bounds above fit every field, so the casts cannot truncate.
        match key {
            "min-length" => self.min_password_length = value as u32,
            "max-length" => self.max_password_length = value as u32,
            "pbkdf2-iterations" => self.pbkdf2_iterations = value as u32,
            "session-age" => self.session_age = value,
            "lockout-threshold" => self.lockout_threshold = value as u32,
            "lockout-base" => self.lockout_base = value,
            "mfa-required" => {
                self.mfa_required = match value {
                    0 => MfaRequired::None,
                    1 => MfaRequired::Admins,
                    _ => MfaRequired::All,
                }
            }
            "mfa-drift-steps" => self.mfa_drift_steps = value as u32,
            _ => self.lockout_max = value,
        }
        if self.min_password_length > self.max_password_length {
            return Err(Error::invalid(
                "value",
                format!(
                    "min-length ({}) must not exceed max-length ({})",
                    self.min_password_length, self.max_password_length
                ),
            ));
        }
        Ok(())
    }

    /// Every key with its value, in `KEYS` order.
    pub fn entries(&self) -> Vec<(&'static str, i64)> {
        let values = [
            i64::from(self.min_password_length),
            i64::from(self.max_password_length),
            i64::from(self.pbkdf2_iterations),
            self.session_age,
            i64::from(self.lockout_threshold),
            self.lockout_base,
            self.lockout_max,
            self.mfa_required as i64,
            i64::from(self.mfa_drift_steps),
        ];
        KEYS.iter().map(|(name, _, _)| *name).zip(values).collect()
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
        assert_eq!(policy.mfa_required, MfaRequired::None);
        assert_eq!(policy.mfa_drift_steps, 1);
    }

    #[test]
    fn mfa_required_is_set_by_name() {
        assert_eq!(parse_value("mfa-required", "admins").expect("a name"), 1);
        assert_eq!(parse_value("mfa-required", "2").expect("a number"), 2);
        assert!(parse_value("mfa-required", "some").is_err());
        assert!(parse_value("min-length", "admins").is_err());
        let mut policy = Policy::default();
        policy.apply("mfa-required", 2).expect("in bounds");
        assert_eq!(policy.mfa_required, MfaRequired::All);
        assert!(policy.mfa_required.applies_to(false));
        assert!(MfaRequired::Admins.applies_to(true));
        assert!(!MfaRequired::Admins.applies_to(false));
        assert!(policy.apply("mfa-required", 3).is_err());
        assert_eq!(display_value("mfa-required", 1), "admins");
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
        assert!(policy.apply("max-length", 10).is_err(), "min above max");
    }

    #[test]
    fn entries_round_trip_through_apply() {
        let mut changed = Policy::default();
        for (key, value) in [
            ("min-length", 20),
            ("lockout-max", 600),
            ("lockout-threshold", 3),
        ] {
            changed.apply(key, value).expect("in bounds");
        }
        let mut rebuilt = Policy::default();
        for (key, value) in changed.entries() {
            rebuilt.apply(key, value).expect("in bounds");
        }
        assert_eq!(rebuilt, changed);
        assert_eq!(changed.entries().len(), KEYS.len());
    }
}
