//! The stored hash: `StoredHash`, one variant per algorithm of Django's
//! default `PASSWORD_HASHERS` (5.x and 6.0), recognised by its prefix and
//! parsed by that algorithm's module; `verify`, which checks a password
//! against any stored string and makes every failure cost at least one
//! policy hash; `describe`, what a stored string is, for people and the audit
//! trail; and unusable (`!`) passwords.
//!
//! Whatever the store holds is untrusted: nothing here may panic on any
//! string, compare secrets with `==`, or show a salt or a hash. Only
//! `pbkdf2_sha256` is ever written.

use super::argon2::{self, Argon2Hash};
use super::bcrypt_sha256::{self, BcryptSha256};
use super::encoding::{self, MAX_COST};
use super::pbkdf2_sha1::{self, Pbkdf2Sha1};
use super::pbkdf2_sha256::{self, Pbkdf2Sha256};
use super::scrypt::{self, ScryptHash};
use crate::error::Result;

/// Django's prefix for an unusable password (`set_unusable_password`).
pub const UNUSABLE_PREFIX: char = '!';

/// A stored hash of one of Django's algorithms, parsed and within bounds.
#[derive(Debug)]
pub enum StoredHash {
    Pbkdf2Sha256(Pbkdf2Sha256),
    Pbkdf2Sha1(Pbkdf2Sha1),
    Argon2(Argon2Hash),
    BcryptSha256(BcryptSha256),
    Scrypt(ScryptHash),
}

impl StoredHash {
    /// Parses `encoded`; `None` for an unusable (`!`) password, an algorithm
    /// latch does not know, anything malformed, and parameters beyond
    /// `MAX_MEMORY_BYTES` or `MAX_COST`.
    pub fn parse(encoded: &str) -> Option<StoredHash> {
        let (algorithm, rest) = encoded.split_once('$')?;
        let hash = match algorithm {
            pbkdf2_sha256::ALGORITHM => StoredHash::Pbkdf2Sha256(Pbkdf2Sha256::parse(encoded)?),
            pbkdf2_sha1::ALGORITHM => StoredHash::Pbkdf2Sha1(Pbkdf2Sha1::parse(rest)?),
            argon2::ALGORITHM => StoredHash::Argon2(Argon2Hash::parse(rest)?),
            bcrypt_sha256::ALGORITHM => StoredHash::BcryptSha256(BcryptSha256::parse(rest)?),
            scrypt::ALGORITHM => StoredHash::Scrypt(ScryptHash::parse(rest)?),
            _ => return None,
        };
        (hash.cost() <= MAX_COST).then_some(hash)
    }

    /// Django's name for the algorithm, the hash's first field.
    pub fn algorithm(&self) -> &'static str {
        match self {
            StoredHash::Pbkdf2Sha256(_) => pbkdf2_sha256::ALGORITHM,
            StoredHash::Pbkdf2Sha1(_) => pbkdf2_sha1::ALGORITHM,
            StoredHash::Argon2(_) => argon2::ALGORITHM,
            StoredHash::BcryptSha256(_) => bcrypt_sha256::ALGORITHM,
            StoredHash::Scrypt(_) => scrypt::ALGORITHM,
        }
    }

    /// What checking a password against this hash costs, in PBKDF2-SHA256
    /// iterations or their equivalent (see `Cost`).
    pub fn cost(&self) -> u64 {
        match self {
            StoredHash::Pbkdf2Sha256(hash) => hash.cost(),
            StoredHash::Pbkdf2Sha1(hash) => hash.cost(),
            StoredHash::Argon2(hash) => hash.cost(),
            StoredHash::BcryptSha256(hash) => hash.cost(),
            StoredHash::Scrypt(hash) => hash.cost(),
        }
    }

    /// Checks `password` (as given: no normalization here) in constant time.
    /// `None` when the check could not be run (the memory it needs could not
    /// be had): the caller treats that as a failure.
    pub fn matches(&self, password: &str) -> Option<bool> {
        match self {
            StoredHash::Pbkdf2Sha256(hash) => Some(hash.matches(password)),
            StoredHash::Pbkdf2Sha1(hash) => Some(hash.matches(password)),
            StoredHash::Argon2(hash) => hash.matches(password),
            StoredHash::BcryptSha256(hash) => Some(hash.matches(password)),
            StoredHash::Scrypt(hash) => hash.matches(password),
        }
    }

    /// Whether a hash that verified must be rewritten at the policy's
    /// parameters: always for another algorithm (Django's behaviour when the
    /// preferred hasher changes), and for `pbkdf2_sha256` made with other
    /// iterations or a short salt.
    pub fn must_update(&self, iterations: u32) -> bool {
        match self {
            StoredHash::Pbkdf2Sha256(hash) => hash.must_update(iterations),
            _ => true,
        }
    }

    /// The algorithm and its parameters, e.g. `argon2id (m=65536, t=2,
    /// p=4)`: never the salt or the hash.
    pub fn parameters(&self) -> String {
        match self {
            StoredHash::Pbkdf2Sha256(hash) => hash.parameters(),
            StoredHash::Pbkdf2Sha1(hash) => hash.parameters(),
            StoredHash::Argon2(hash) => hash.parameters(),
            StoredHash::BcryptSha256(hash) => hash.parameters(),
            StoredHash::Scrypt(hash) => hash.parameters(),
        }
    }
}

/// The outcome of checking a password against a stored, untrusted hash string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Valid { must_update: bool },
    Invalid,
}

/// A verdict and the PBKDF2 iterations spent reaching it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verification {
    pub verdict: Verdict,
    pub iterations_spent: u64,
}

/// Checks `password` against `encoded`, a hash of any of Django's default
/// hashers (see `StoredHash`). A failure always costs at least one hash at
/// `iterations`, whatever `encoded` holds: an unusable (`!`), unknown or
/// malformed hash costs a full hash, and a wrong password against a cheaper
/// hash spends the difference (Django's `harden_runtime`, here for every
/// algorithm, through the cost model of `encoding::Cost`), so the answer's
/// timing tells little about the stored hash. `iterations_spent` counts
/// PBKDF2-SHA256 iterations, and another algorithm's work as its estimate in
/// them.
pub fn verify(password: &str, encoded: &str, iterations: u32) -> Verification {
    let full_hash = || {
        pbkdf2_sha256::spend_one_hash(password, iterations);
        Verification {
            verdict: Verdict::Invalid,
            iterations_spent: u64::from(iterations),
        }
    };
    let Some(hash) = StoredHash::parse(encoded) else {
        return full_hash();
    };
    let cost = hash.cost();
    match hash.matches(password) {
        Some(true) => Verification {
            verdict: Verdict::Valid {
                must_update: hash.must_update(iterations),
            },
            iterations_spent: cost,
        },
        Some(false) => {
            let shortfall = u64::from(iterations).saturating_sub(cost);
            // `shortfall` is below `iterations`, so it fits.
            let shortfall = u32::try_from(shortfall).unwrap_or(iterations);
            if shortfall > 0 {
                pbkdf2_sha256::spend_one_hash(password, shortfall);
            }
            Verification {
                verdict: Verdict::Invalid,
                iterations_spent: cost + u64::from(shortfall),
            }
        }
        // The check could not run (its memory could not be had): a failure,
        // at the price of one.
        None => full_hash(),
    }
}

/// What a stored hash is, for people: never the hash itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashDescription {
    /// Django's algorithm name, `unusable`, or `unknown`.
    pub algorithm: String,
    /// The iteration count of a PBKDF2 hash.
    pub iterations: Option<u32>,
    /// Whether some password can verify against it.
    pub usable: bool,
    /// The algorithm with its parameters, e.g. `argon2id (m=65536, t=2, p=4)`.
    parameters: String,
}

impl HashDescription {
    /// A stored string no password verifies against, named `algorithm`.
    fn unverifiable(algorithm: &str) -> HashDescription {
        HashDescription {
            algorithm: algorithm.to_owned(),
            iterations: None,
            usable: false,
            parameters: String::new(),
        }
    }

    /// For `users show`: `pbkdf2_sha256 at 1200000 iterations`, `unusable
    /// (no password)`, `md5 (latch cannot verify it)`.
    pub fn summary(&self) -> String {
        self.parameters_or("unusable (no password)", || {
            format!("{} (latch cannot verify it)", self.algorithm)
        })
    }

    /// For the audit trail: the algorithm and its parameters, `an unusable
    /// password`, or `an unrecognized hash`.
    pub fn in_audit(&self) -> String {
        self.parameters_or("an unusable password", || "an unrecognized hash".into())
    }

    /// The parameters of a usable hash; otherwise `unusable` for a `!`
    /// password, and what `unknown` says for anything else.
    fn parameters_or(&self, unusable: &str, unknown: impl FnOnce() -> String) -> String {
        if self.usable {
            self.parameters.clone()
        } else if self.algorithm == "unusable" {
            unusable.into()
        } else {
            unknown()
        }
    }
}

/// Describes a stored hash of any of Django's algorithms without revealing it.
pub fn describe(encoded: &str) -> HashDescription {
    if encoded.starts_with(UNUSABLE_PREFIX) {
        return HashDescription::unverifiable("unusable");
    }
    match StoredHash::parse(encoded) {
        Some(hash) => HashDescription {
            algorithm: hash.algorithm().into(),
            iterations: match &hash {
                StoredHash::Pbkdf2Sha256(hash) => Some(hash.iterations),
                _ => None,
            },
            usable: true,
            parameters: hash.parameters(),
        },
        None => HashDescription::unverifiable(
            encoded
                .split_once('$')
                .map(|(algorithm, _)| algorithm)
                .filter(|a| {
                    !a.is_empty()
                        && a.len() <= 32
                        && a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                })
                .unwrap_or("unknown"),
        ),
    }
}

/// Whether `encoded` may be stored as a password: a hash of one of Django's
/// algorithms that latch can verify, or an unusable `!` password. Plain text
/// never is.
pub fn is_storable(encoded: &str) -> bool {
    encoded.starts_with(UNUSABLE_PREFIX) || StoredHash::parse(encoded).is_some()
}

/// An unusable password: `!` followed by 40 random characters, as Django makes them.
pub fn unusable() -> Result<String> {
    Ok(format!("{UNUSABLE_PREFIX}{}", encoding::random_string(40)?))
}

#[cfg(test)]
mod tests;
