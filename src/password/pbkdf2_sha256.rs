//! Django's `pbkdf2_sha256`, `pbkdf2_sha256$<iterations>$<salt>$<base64 of
//! the 32-byte key>`, on the dedicated loop in `pbkdf2`: the only hashes latch
//! writes. Owns making, parsing, encoding and checking them, and the dummy
//! hash a failure spends. It must never compare secrets with `==`, never draw
//! randomness from anything but the OS CSPRNG, and never panic on a malformed
//! hash string: whatever is in the store is untrusted.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::encoding;
use crate::error::{Error, Result};

pub const ALGORITHM: &str = "pbkdf2_sha256";
/// Django 6.0's default iteration count.
pub const DEFAULT_ITERATIONS: u32 = 1_200_000;
/// Django's salt length: 22 characters of [A-Za-z0-9], about 131 bits.
pub const SALT_LENGTH: usize = 22;
const KEY_LENGTH: usize = 32;
/// Why a password with a NUL character cannot be set (Django's forms refuse
/// NUL too).
pub const NUL_PROBLEM: &str = "must not contain a NUL character";

/// A parsed `pbkdf2_sha256` hash.
#[derive(Clone, PartialEq, Eq)]
pub struct Pbkdf2Sha256 {
    pub iterations: u32,
    pub salt: String,
    key: [u8; KEY_LENGTH],
}

impl std::fmt::Debug for Pbkdf2Sha256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pbkdf2Sha256")
            .field("iterations", &self.iterations)
            .field("salt", &self.salt)
            .finish_non_exhaustive()
    }
}

impl Pbkdf2Sha256 {
    /// Parses a whole encoded hash, its `pbkdf2_sha256$` prefix included (the
    /// inverse of `encode`); `None` for anything that is not a well-formed
    /// `pbkdf2_sha256` hash (unusable, another algorithm, or garbage).
    pub fn parse(encoded: &str) -> Option<Pbkdf2Sha256> {
        let (iterations, salt, key) =
            encoding::parse_pbkdf2_fields(encoded.strip_prefix(ALGORITHM)?.strip_prefix('$')?)?;
        Some(Pbkdf2Sha256 {
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
    /// A password with a NUL character is refused: see `matches`.
    pub fn new(password: &str, iterations: u32) -> Result<Pbkdf2Sha256> {
        if password.contains('\0') {
            return Err(Error::invalid("password", NUL_PROBLEM));
        }
        let salt = encoding::random_string(SALT_LENGTH)?;
        Ok(Pbkdf2Sha256 {
            key: derive(password, &salt, iterations),
            iterations,
            salt,
        })
    }

    /// Constant-time check of `password` against this hash. A password with
    /// a NUL character never matches, though it costs the same: HMAC pads a
    /// short key with zero bytes, so PBKDF2 gives `p` and `p\0` one hash.
    pub fn matches(&self, password: &str) -> bool {
        let candidate = Zeroizing::new(derive(password, &self.salt, self.iterations));
        bool::from(candidate.ct_eq(&self.key)) && !password.contains('\0')
    }

    /// Whether this hash was made with other parameters than `iterations` or
    /// with a salt of less entropy than Django's 128 bits (Django's `must_update`:
    /// fewer than 22 characters of its 62-letter alphabet).
    pub fn must_update(&self, iterations: u32) -> bool {
        self.iterations != iterations || self.salt.len() < SALT_LENGTH
    }

    /// What checking a password against this hash costs: its iterations.
    pub fn cost(&self) -> u64 {
        u64::from(self.iterations)
    }

    /// The algorithm and its iterations: never the salt or the key.
    pub fn parameters(&self) -> String {
        format!("{ALGORITHM} at {} iterations", self.iterations)
    }
}

/// Runs one hash at `iterations` and throws it away: the time an unknown user,
/// a disabled account or an unusable hash must cost.
pub fn spend_one_hash(password: &str, iterations: u32) {
    let key = Zeroizing::new(derive(password, "latchdummysalt", iterations));
    std::hint::black_box(&*key);
}

fn derive(password: &str, salt: &str, iterations: u32) -> [u8; KEY_LENGTH] {
    super::pbkdf2::pbkdf2_sha256(password.as_bytes(), salt.as_bytes(), iterations)
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

    #[test]
    fn verifies_hashes_made_by_django() {
        let hash = Pbkdf2Sha256::parse(DJANGO_ASCII).expect("parses");
        assert!(hash.matches("correct horse battery staple"));
        assert!(!hash.matches("correct horse battery stapl"));
        assert_eq!(hash.encode(), DJANGO_ASCII);

        let hash = Pbkdf2Sha256::parse(DJANGO_UNICODE).expect("parses");
        assert!(hash.matches("Ünïcødé päss wörd ½"));
        assert!(!hash.matches("Ünïcødé päss wörd 1/2"));
    }

    #[test]
    fn reproduces_django_encoding_exactly() {
        let key = derive(
            "correct horse battery staple",
            "seasalt0123456789ABCDE",
            1_200_000,
        );
        let hash = Pbkdf2Sha256 {
            iterations: 1_200_000,
            salt: "seasalt0123456789ABCDE".into(),
            key,
        };
        assert_eq!(hash.encode(), DJANGO_ASCII);
    }

    #[test]
    fn new_hashes_have_django_shape() {
        let hash = Pbkdf2Sha256::new("a password", 1000).expect("hash");
        let encoded = hash.encode();
        let parts: Vec<&str> = encoded.split('$').collect();
        assert_eq!(parts[0], "pbkdf2_sha256");
        assert_eq!(parts[1], "1000");
        assert_eq!(parts[2].len(), SALT_LENGTH);
        assert!(parts[2].bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(parts[3].len(), 44);
        assert_eq!(Pbkdf2Sha256::parse(&encoded), Some(hash.clone()));
        assert!(hash.matches("a password"));
        assert!(!hash.must_update(1000));
        assert!(hash.must_update(2000));
    }

    #[test]
    fn salts_differ() {
        let a = Pbkdf2Sha256::new("same", 1).expect("hash");
        let b = Pbkdf2Sha256::new("same", 1).expect("hash");
        assert_ne!(a.salt, b.salt);
        assert_ne!(a.encode(), b.encode());
    }
}
