//! Django's `scrypt`: `scrypt$<N>$<salt>$<r>$<p>$<base64 of the 64-byte
//! key>`, scrypt over the UTF-8 password and salt.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::encoding::{Cost, MAX_MEMORY_BYTES, decimal};

pub const ALGORITHM: &str = "scrypt";
/// One unit of `N·r·p` (a 128-byte block written and read once) costs about
/// 2.1 PBKDF2-SHA256 iterations: Django's default (N=2^14, r=8, p=5) took
/// 150 ms, as long as 1,380,000 iterations.
const COST: Cost = Cost::new(21, 10);
const KEY_LENGTH: usize = 64;

pub struct ScryptHash {
    params: scrypt::Params,
    salt: String,
    key: [u8; KEY_LENGTH],
}

impl std::fmt::Debug for ScryptHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScryptHash")
            .field("log_n", &self.params.log_n())
            .field("r", &self.params.r())
            .field("p", &self.params.p())
            .finish_non_exhaustive()
    }
}

impl ScryptHash {
    /// Parses what follows `scrypt$`.
    pub fn parse(rest: &str) -> Option<ScryptHash> {
        let mut fields = rest.split('$');
        let (n, salt, r, p, key) = (
            fields.next()?,
            fields.next()?,
            fields.next()?,
            fields.next()?,
            fields.next()?,
        );
        if fields.next().is_some() || salt.is_empty() {
            return None;
        }
        let (n, r, p) = (decimal::<u64>(n)?, decimal::<u32>(r)?, decimal::<u32>(p)?);
        // N is a power of two above 1, as scrypt requires.
        if n < 2 || !n.is_power_of_two() {
            return None;
        }
        // ROMix's N blocks and the p blocks it mixes, each 128·r bytes.
        let memory = (u128::from(n) + u128::from(p)) * u128::from(r) * 128;
        if memory > u128::from(MAX_MEMORY_BYTES) {
            return None;
        }
        let log_n = u8::try_from(n.trailing_zeros()).ok()?;
        // Checks r ≥ 1, p ≥ 1, N < 2^(16·r) and r·p < 2^30.
        let params = scrypt::Params::new(log_n, r, p, KEY_LENGTH).ok()?;
        Some(ScryptHash {
            params,
            salt: salt.to_owned(),
            key: STANDARD.decode(key).ok()?.try_into().ok()?,
        })
    }

    pub fn cost(&self) -> u64 {
        let blocks = (1u64 << self.params.log_n())
            .saturating_mul(u64::from(self.params.r()))
            .saturating_mul(u64::from(self.params.p()));
        COST.of(blocks)
    }

    /// `None` if scrypt refuses the parameters (it does not: they were
    /// checked when parsed).
    pub fn matches(&self, password: &str) -> Option<bool> {
        let mut key = Zeroizing::new([0u8; KEY_LENGTH]);
        scrypt::scrypt(
            password.as_bytes(),
            self.salt.as_bytes(),
            &self.params,
            &mut *key,
        )
        .ok()?;
        Some(bool::from(key.ct_eq(&self.key)))
    }

    pub fn parameters(&self) -> String {
        format!(
            "{ALGORITHM} (N={}, r={}, p={})",
            1u64 << self.params.log_n(),
            self.params.r(),
            self.params.p()
        )
    }
}
