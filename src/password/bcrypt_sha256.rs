//! Django's `bcrypt_sha256`: `bcrypt_sha256$` and the bcrypt string
//! `$2b$<cost>$<22-character salt><31-character hash>`, over the lowercase
//! hex of the password's SHA-256 (so that bcrypt's 72-byte limit never cuts
//! a password short). `$2a$` and `$2y$` are read too, as bcrypt does.

use base64::Engine as _;
use base64::alphabet::BCRYPT;
use base64::engine::GeneralPurpose;
use base64::engine::general_purpose::NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::encoding::Cost;

pub const ALGORITHM: &str = "bcrypt_sha256";
/// One of bcrypt's 2^cost rounds costs about 525 PBKDF2-SHA256 iterations:
/// Django's default cost of 12 took 234 ms, as long as 2,150,000 iterations.
const COST: Cost = Cost::new(525, 1);
/// bcrypt's own base64, read strictly: a salt or hash with stray bits is one
/// that Django, which compares the re-encoded string, never verifies.
const BCRYPT_BASE64: GeneralPurpose = GeneralPurpose::new(&BCRYPT, NO_PAD);
const HASH_LENGTH: usize = 23;

pub struct BcryptSha256 {
    cost: u32,
    salt: [u8; 16],
    hash: [u8; HASH_LENGTH],
}

impl std::fmt::Debug for BcryptSha256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BcryptSha256")
            .field("cost", &self.cost)
            .finish_non_exhaustive()
    }
}

impl BcryptSha256 {
    /// Parses what follows `bcrypt_sha256$`: `$2b$12$` and 53 characters.
    pub fn parse(rest: &str) -> Option<BcryptSha256> {
        let mut fields = rest.strip_prefix('$')?.split('$');
        let (version, cost, data) = (fields.next()?, fields.next()?, fields.next()?);
        if fields.next().is_some() || !matches!(version, "2a" | "2b" | "2y") {
            return None;
        }
        // Always two digits, as bcrypt writes it.
        if cost.len() != 2 || !cost.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let cost: u32 = cost.parse().ok()?;
        if !(4..=31).contains(&cost) || data.len() != 53 || !data.is_ascii() {
            return None;
        }
        let (salt, hash) = data.split_at(22);
        Some(BcryptSha256 {
            cost,
            salt: BCRYPT_BASE64.decode(salt).ok()?.try_into().ok()?,
            hash: BCRYPT_BASE64.decode(hash).ok()?.try_into().ok()?,
        })
    }

    pub fn cost(&self) -> u64 {
        COST.of(1u64 << self.cost)
    }

    pub fn matches(&self, password: &str) -> bool {
        let mut digest = Zeroizing::new([0u8; 32]);
        digest.copy_from_slice(&Sha256::digest(password.as_bytes()));
        // The hex digest and the terminating NUL bcrypt takes: 65 bytes,
        // within its 72.
        let mut input = Zeroizing::new([0u8; 65]);
        for (pair, byte) in input.chunks_exact_mut(2).zip(digest.iter()) {
            pair[0] = HEX[usize::from(byte >> 4)];
            pair[1] = HEX[usize::from(byte & 0x0f)];
        }
        let output = Zeroizing::new(::bcrypt::bcrypt(self.cost, self.salt, &input[..]));
        bool::from(output[..HASH_LENGTH].ct_eq(&self.hash))
    }

    pub fn parameters(&self) -> String {
        format!("{ALGORITHM} (cost {})", self.cost)
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";
