//! Django's `pbkdf2_sha1`: `pbkdf2_sha1$<iterations>$<salt>$<base64 of the
//! 20-byte key>`, PBKDF2-HMAC-SHA1 over the UTF-8 password and salt.

use sha1::Sha1;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::encoding;
use super::encoding::Cost;

pub const ALGORITHM: &str = "pbkdf2_sha1";
const KEY_LENGTH: usize = 20;
/// An HMAC-SHA1 iteration costs about what an HMAC-SHA256 one does (both
/// use the CPU's SHA extensions): 1,000,000 took 110 ms, against 108 ms.
const COST: Cost = Cost::new(1, 1);

#[derive(Clone, PartialEq, Eq)]
pub struct Pbkdf2Sha1 {
    iterations: u32,
    salt: String,
    key: [u8; KEY_LENGTH],
}

impl std::fmt::Debug for Pbkdf2Sha1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pbkdf2Sha1")
            .field("iterations", &self.iterations)
            .finish_non_exhaustive()
    }
}

impl Pbkdf2Sha1 {
    /// Parses what follows `pbkdf2_sha1$`.
    pub fn parse(rest: &str) -> Option<Pbkdf2Sha1> {
        let (iterations, salt, key) = encoding::parse_pbkdf2_fields(rest)?;
        Some(Pbkdf2Sha1 {
            iterations,
            salt: salt.to_owned(),
            key: key.try_into().ok()?,
        })
    }

    pub fn cost(&self) -> u64 {
        COST.of(u64::from(self.iterations))
    }

    pub fn matches(&self, password: &str) -> bool {
        let mut key = Zeroizing::new([0u8; KEY_LENGTH]);
        pbkdf2::pbkdf2_hmac::<Sha1>(
            password.as_bytes(),
            self.salt.as_bytes(),
            self.iterations,
            &mut *key,
        );
        bool::from(key.ct_eq(&self.key))
    }

    pub fn parameters(&self) -> String {
        format!("{ALGORITHM} at {} iterations", self.iterations)
    }
}
