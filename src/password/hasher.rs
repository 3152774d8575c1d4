//! PBKDF2-HMAC-SHA256 password hashes in Django's encoding,
//! `pbkdf2_sha256$<iterations>$<salt>$<base64 of the 32-byte key>`: the only
//! hashes latch writes; and `verify`, which checks a password against a
//! stored hash of any of Django's default hashers (read by `django`).
//!
//! Owns making, parsing and verifying encoded hashes, and what a failed check
//! costs. It must never compare secrets with `==`, never draw randomness from
//! anything but the OS CSPRNG, and never panic on a malformed hash string:
//! whatever is in the store is untrusted.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::django::{self, StoredHash};
use crate::error::{Error, Result};

pub const ALGORITHM: &str = "pbkdf2_sha256";
/// Django 6.0's default iteration count.
pub const DEFAULT_ITERATIONS: u32 = 1_200_000;
/// Django's salt length: 22 characters of [A-Za-z0-9], about 131 bits.
pub const SALT_LENGTH: usize = 22;
/// A stored hash asking for more than this is treated as malformed, so that a
/// planted hash cannot make a login run for minutes.
pub const MAX_ITERATIONS: u32 = 100_000_000;
const KEY_LENGTH: usize = 32;
const SALT_ALPHABET: &[u8; 62] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/// Django's prefix for an unusable password (`set_unusable_password`).
pub const UNUSABLE_PREFIX: char = '!';
/// Why a password with a NUL character cannot be set (Django's forms refuse
/// NUL too).
pub const NUL_PROBLEM: &str = "must not contain a NUL character";

/// A parsed `pbkdf2_sha256` hash.
#[derive(Clone, PartialEq, Eq)]
pub struct DjangoHash {
    pub iterations: u32,
    pub salt: String,
    key: [u8; KEY_LENGTH],
}

impl std::fmt::Debug for DjangoHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DjangoHash")
            .field("iterations", &self.iterations)
            .field("salt", &self.salt)
            .finish_non_exhaustive()
    }
}

impl DjangoHash {
    /// Parses an encoded hash; `None` for anything that is not a well-formed
    /// `pbkdf2_sha256` hash (unusable, another algorithm, or garbage).
    pub fn parse(encoded: &str) -> Option<DjangoHash> {
        let (iterations, salt, key) =
            parse_pbkdf2_fields(encoded.strip_prefix(ALGORITHM)?.strip_prefix('$')?)?;
        Some(DjangoHash {
            iterations,
            salt: salt.to_owned(),
            key: key.try_into().ok()?,
        })
    }

    /// The Django encoding of this hash.
    pub fn encode(&self) -> String {
        format!(
            "{ALGORITHM}${}${}${}",
            self.iterations,
            self.salt,
            STANDARD.encode(self.key)
        )
    }

    /// Hashes `password` (already normalized by the caller) with a fresh salt.
    /// A password with a NUL character is refused: see `verify`.
    pub fn new(password: &str, iterations: u32) -> Result<DjangoHash> {
        if password.contains('\0') {
            return Err(Error::invalid("password", NUL_PROBLEM));
        }
        let salt = random_salt()?;
        Ok(DjangoHash {
            key: derive(password, &salt, iterations),
            iterations,
            salt,
        })
    }

    /// Constant-time check of `password` against this hash. A password with
    /// a NUL character never matches, though it costs the same: HMAC pads a
    /// short key with zero bytes, so PBKDF2 gives `p` and `p\0` one hash.
    pub fn verify(&self, password: &str) -> bool {
        let candidate = Zeroizing::new(derive(password, &self.salt, self.iterations));
        bool::from(candidate.ct_eq(&self.key)) && !password.contains('\0')
    }

    /// Whether this hash was made with other parameters than `iterations` or
    /// with a salt of less entropy than Django's 128 bits (Django's `must_update`:
    /// fewer than 22 characters of its 62-letter alphabet).
    pub fn must_update(&self, iterations: u32) -> bool {
        self.iterations != iterations || self.salt.len() < SALT_LENGTH
    }
}

/// The fields after the algorithm of Django's PBKDF2 encodings,
/// `<iterations>$<salt>$<base64 key>`: the iterations (written as Django
/// writes them, from 1 to `MAX_ITERATIONS`), the salt (not empty) and the
/// decoded key.
pub(crate) fn parse_pbkdf2_fields(rest: &str) -> Option<(u32, &str, Vec<u8>)> {
    let mut parts = rest.split('$');
    let (iterations, salt, key) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || salt.is_empty() {
        return None;
    }
    let iterations: u32 = django::decimal(iterations)?;
    if !(1..=MAX_ITERATIONS).contains(&iterations) {
        return None;
    }
    Some((iterations, salt, STANDARD.decode(key).ok()?))
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
/// hashers (see `django`). A failure always costs at least one hash at
/// `iterations`, whatever `encoded` holds: an unusable (`!`), unknown or
/// malformed hash costs a full hash, and a wrong password against a cheaper
/// hash spends the difference (Django's `harden_runtime`, here for every
/// algorithm, through the cost model of `django::Cost`), so the answer's
/// timing tells little about the stored hash. `iterations_spent` counts
/// PBKDF2-SHA256 iterations, and another algorithm's work as its estimate in
/// them.
pub fn verify(password: &str, encoded: &str, iterations: u32) -> Verification {
    let full_hash = || {
        spend_one_hash(password, iterations);
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
                spend_one_hash(password, shortfall);
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

/// Runs one hash at `iterations` and throws it away: the time an unknown user,
/// a disabled account or an unusable hash must cost.
pub fn spend_one_hash(password: &str, iterations: u32) {
    let key = Zeroizing::new(derive(password, "latchdummysalt", iterations));
    std::hint::black_box(&*key);
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
    /// `pbkdf2_sha256 at 1200000 iterations`, `unusable (no password)`, …
    pub fn summary(&self) -> String {
        if self.usable {
            self.parameters.clone()
        } else if self.algorithm == "unusable" {
            "unusable (no password)".into()
        } else {
            format!("{} (latch cannot verify it)", self.algorithm)
        }
    }
}

/// Describes a stored hash of any of Django's algorithms without revealing it.
pub fn describe(encoded: &str) -> HashDescription {
    if encoded.starts_with(UNUSABLE_PREFIX) {
        return HashDescription {
            algorithm: "unusable".into(),
            iterations: None,
            usable: false,
            parameters: String::new(),
        };
    }
    match StoredHash::parse(encoded) {
        Some(hash) => HashDescription {
            algorithm: hash.algorithm().into(),
            iterations: match &hash {
                StoredHash::Pbkdf2Sha256(hash) => Some(hash.iterations),
                _ => None,
            },
            usable: true,
            parameters: hash.describe(),
        },
        None => HashDescription {
            algorithm: encoded
                .split_once('$')
                .map(|(algorithm, _)| algorithm)
                .filter(|a| {
                    !a.is_empty()
                        && a.len() <= 32
                        && a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                })
                .unwrap_or("unknown")
                .to_owned(),
            iterations: None,
            usable: false,
            parameters: String::new(),
        },
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
    Ok(format!("{UNUSABLE_PREFIX}{}", random_string(40)?))
}

fn derive(password: &str, salt: &str, iterations: u32) -> [u8; KEY_LENGTH] {
    super::pbkdf2::pbkdf2_sha256(password.as_bytes(), salt.as_bytes(), iterations)
}

fn random_salt() -> Result<String> {
    random_string(SALT_LENGTH)
}

/// `length` characters from [A-Za-z0-9], unbiased, from the OS CSPRNG.
fn random_string(length: usize) -> Result<String> {
    let mut out = String::with_capacity(length);
    let mut buffer = [0u8; 64];
    while out.len() < length {
        getrandom::fill(&mut buffer)
            .map_err(|e| Error::Internal(format!("the OS random number generator failed: {e}")))?;
        // 248 = 4 × 62: rejecting bytes above it keeps every character equally likely.
        for &byte in buffer.iter().filter(|&&b| b < 248) {
            if out.len() == length {
                break;
            }
            out.push(char::from(SALT_ALPHABET[usize::from(byte % 62)]));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Made by Django 5.2's PBKDF2PasswordHasher.encode(password, salt, iterations);
    // `tests/fixtures/django/vectors.py` reproduces them.
    const DJANGO_ASCII: &str =
        "pbkdf2_sha256$1200000$seasalt0123456789ABCDE$akP42UnRyfsYsw5KDfgkXZ81K967fXLNmWc+8OhHGsE=";
    const DJANGO_UNICODE: &str =
        "pbkdf2_sha256$1200000$NaCl4latchTestVector22$p68xmcrc4pDIen3LDBT398PhW+PpsFIjwmBCF6Esb6o=";
    const DJANGO_OLD: &str =
        "pbkdf2_sha256$1000$shortsalt$it+6pvf1grdMwPSLJ7qRPujK8dQNvXunEfryfOO5dBk=";

    #[test]
    fn verifies_hashes_made_by_django() {
        let hash = DjangoHash::parse(DJANGO_ASCII).expect("parses");
        assert!(hash.verify("correct horse battery staple"));
        assert!(!hash.verify("correct horse battery stapl"));
        assert_eq!(hash.encode(), DJANGO_ASCII);

        let hash = DjangoHash::parse(DJANGO_UNICODE).expect("parses");
        assert!(hash.verify("Ünïcødé päss wörd ½"));
        assert!(!hash.verify("Ünïcødé päss wörd 1/2"));
    }

    #[test]
    fn reproduces_django_encoding_exactly() {
        let key = derive(
            "correct horse battery staple",
            "seasalt0123456789ABCDE",
            1_200_000,
        );
        let hash = DjangoHash {
            iterations: 1_200_000,
            salt: "seasalt0123456789ABCDE".into(),
            key,
        };
        assert_eq!(hash.encode(), DJANGO_ASCII);
    }

    #[test]
    fn old_parameters_verify_and_ask_for_an_update() {
        assert_eq!(
            verify(
                "correct horse battery staple",
                DJANGO_OLD,
                DEFAULT_ITERATIONS
            )
            .verdict,
            Verdict::Valid { must_update: true }
        );
        assert_eq!(
            verify(
                "correct horse battery staple",
                DJANGO_ASCII,
                DEFAULT_ITERATIONS
            )
            .verdict,
            Verdict::Valid { must_update: false }
        );
        assert_eq!(
            verify("wrong", DJANGO_OLD, DEFAULT_ITERATIONS).verdict,
            Verdict::Invalid
        );
    }

    #[test]
    fn new_hashes_have_django_shape() {
        let hash = DjangoHash::new("a password", 1000).expect("hash");
        let encoded = hash.encode();
        let parts: Vec<&str> = encoded.split('$').collect();
        assert_eq!(parts[0], "pbkdf2_sha256");
        assert_eq!(parts[1], "1000");
        assert_eq!(parts[2].len(), SALT_LENGTH);
        assert!(parts[2].bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(parts[3].len(), 44);
        assert_eq!(DjangoHash::parse(&encoded), Some(hash.clone()));
        assert!(hash.verify("a password"));
        assert!(!hash.must_update(1000));
        assert!(hash.must_update(2000));
    }

    #[test]
    fn salts_differ() {
        let a = DjangoHash::new("same", 1).expect("hash");
        let b = DjangoHash::new("same", 1).expect("hash");
        assert_ne!(a.salt, b.salt);
        assert_ne!(a.encode(), b.encode());
    }

    #[test]
    fn a_nul_is_never_padding() {
        assert!(DjangoHash::new("pass\0", 1).is_err());
        let hash = DjangoHash::new("pass", 1).expect("hash");
        assert!(hash.verify("pass"));
        assert!(!hash.verify("pass\0"));
        assert!(!hash.verify("pass\0\0"));
        assert_eq!(
            verify("pass\0", &hash.encode(), 1),
            Verification {
                verdict: Verdict::Invalid,
                iterations_spent: 1
            }
        );
    }

    #[test]
    fn unusable_hashes_never_verify() {
        let encoded = unusable().expect("random");
        assert!(encoded.starts_with('!'));
        assert_eq!(encoded.len(), 41);
        assert_eq!(verify("", &encoded, 1).verdict, Verdict::Invalid);
        assert_eq!(verify("!", "!", 1).verdict, Verdict::Invalid);
        assert_eq!(DjangoHash::parse(&encoded), None);
    }

    #[test]
    fn descriptions_never_show_the_hash() {
        assert_eq!(
            describe(DJANGO_ASCII).summary(),
            "pbkdf2_sha256 at 1200000 iterations"
        );
        assert_eq!(describe(DJANGO_ASCII).iterations, Some(1_200_000));
        assert_eq!(describe("!abc").summary(), "unusable (no password)");
        assert_eq!(
            describe("md5$salt$hash").summary(),
            "md5 (latch cannot verify it)"
        );
        assert_eq!(describe("plain text").algorithm, "unknown");
        assert_eq!(describe("a b$c").algorithm, "unknown");
    }

    #[test]
    fn only_hashes_and_unusable_passwords_are_storable() {
        assert!(is_storable(DJANGO_ASCII));
        assert!(is_storable("!"));
        assert!(is_storable("!x9Jq"));
        assert!(!is_storable("correct horse battery staple"));
        assert!(!is_storable(""));
        assert!(!is_storable("pbkdf2_sha256$1000$salt$short"));
    }

    #[test]
    fn malformed_hashes_are_rejected_without_panic() {
        let cases = [
            "",
            "$",
            "$$$",
            "pbkdf2_sha256",
            "pbkdf2_sha256$",
            "pbkdf2_sha256$$$",
            "pbkdf2_sha256$abc$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
            "pbkdf2_sha256$-1$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
            "pbkdf2_sha256$+5$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
            "pbkdf2_sha256$0$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
            "pbkdf2_sha256$99999999999999999999$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
            "pbkdf2_sha256$4294967295$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
            "pbkdf2_sha256$1000$$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
            "pbkdf2_sha256$1000$salt$not base64!",
            "pbkdf2_sha256$1000$salt$AAAA",
            "pbkdf2_sha256$1000$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=$extra",
            "pbkdf2_sha1$1000$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
            "md5$salt$hash",
            "\0\0\0",
            "pbkdf2_sha256$１０００$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
            // Django writes `%d`: a leading zero never verifies there.
            "pbkdf2_sha256$01000$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
        ];
        for case in cases {
            assert_eq!(DjangoHash::parse(case), None, "{case:?}");
            assert_eq!(verify("pw", case, 1).verdict, Verdict::Invalid, "{case:?}");
        }
    }

    #[test]
    fn every_failure_costs_at_least_one_policy_hash() {
        let policy = 5000;
        let cases = [
            ("wrong", DJANGO_OLD),
            ("correct horse battery staple", "!unusable"),
            ("correct horse battery staple", "md5$salt$hash"),
            ("correct horse battery staple", "garbage"),
            ("correct horse battery staple", ""),
        ];
        for (password, encoded) in cases {
            let verification = verify(password, encoded, policy);
            assert_eq!(verification.verdict, Verdict::Invalid, "{encoded}");
            assert_eq!(verification.iterations_spent, 5000, "{encoded}");
        }
        // A costlier stored hash costs what it costs.
        let verification = verify("wrong", DJANGO_OLD, 10);
        assert_eq!(verification.iterations_spent, 1000);
    }
}
