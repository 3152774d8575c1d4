//! Django's `argon2`: `argon2$` and the PHC string argon2-cffi writes,
//! `$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>` (salt and hash
//! in unpadded base64). argon2-cffi also reads `argon2i` and `argon2d`, and
//! strings without `v=` (version 0x10), as older Django wrote them; so does
//! this.

use ::argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::encoding::{Cost, MAX_MEMORY_BYTES, decimal};

pub const ALGORITHM: &str = "argon2";
/// One 1 KiB block of one pass costs about 7.9 PBKDF2-SHA256 iterations:
/// Django's default (m=102400, t=2, p=8, computed lane after lane) took
/// 175 ms, as long as 1,610,000 iterations.
const COST: Cost = Cost::new(79, 10);
/// The longest salt and hash read: far beyond what anyone writes (argon2-cffi
/// writes 16 and 32 bytes, Django passes a 22-character salt).
const MAX_FIELD_BYTES: usize = 1024;

pub struct Argon2Hash {
    algorithm: Algorithm,
    version: Version,
    params: Params,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

impl std::fmt::Debug for Argon2Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Argon2Hash")
            .field("algorithm", &self.algorithm)
            .field("version", &self.version)
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl Argon2Hash {
    /// Parses what follows `argon2$`, field by field in the order the
    /// reference implementation's decoder requires.
    pub fn parse(rest: &str) -> Option<Argon2Hash> {
        let mut fields = rest.split('$');
        let algorithm = match fields.next()? {
            "argon2id" => Algorithm::Argon2id,
            "argon2i" => Algorithm::Argon2i,
            "argon2d" => Algorithm::Argon2d,
            _ => return None,
        };
        let mut field = fields.next()?;
        let version = match field.strip_prefix("v=") {
            Some(number) => {
                field = fields.next()?;
                match decimal::<u32>(number)? {
                    0x13 => Version::V0x13,
                    0x10 => Version::V0x10,
                    _ => return None,
                }
            }
            None => Version::V0x10,
        };
        let (memory, field) = field.strip_prefix("m=")?.split_once(",t=")?;
        let (time, lanes) = field.split_once(",p=")?;
        let (memory, time, lanes) = (
            decimal::<u32>(memory)?,
            decimal::<u32>(time)?,
            decimal::<u32>(lanes)?,
        );
        let (salt, hash) = (fields.next()?, fields.next()?);
        if fields.next().is_some() || u64::from(memory) * 1024 > MAX_MEMORY_BYTES {
            return None;
        }
        let salt = STANDARD_NO_PAD.decode(salt).ok()?;
        let hash = STANDARD_NO_PAD.decode(hash).ok()?;
        if !(::argon2::MIN_SALT_LEN..=MAX_FIELD_BYTES).contains(&salt.len())
            || hash.len() > MAX_FIELD_BYTES
        {
            return None;
        }
        // Checks the lower bounds: m ≥ 8·p, t ≥ 1, 1 ≤ p < 2^24, hash ≥ 4 bytes.
        let params = Params::new(memory, time, lanes, Some(hash.len())).ok()?;
        Some(Argon2Hash {
            algorithm,
            version,
            params,
            salt,
            hash,
        })
    }

    /// Every block of memory, once per pass.
    pub fn cost(&self) -> u64 {
        let blocks = u64::try_from(self.params.block_count()).unwrap_or(u64::MAX);
        COST.of(blocks.saturating_mul(u64::from(self.params.t_cost())))
    }

    /// `None` when the memory cannot be allocated.
    pub fn matches(&self, password: &str) -> Option<bool> {
        let mut memory: Vec<Block> = Vec::new();
        memory.try_reserve_exact(self.params.block_count()).ok()?;
        memory.resize(self.params.block_count(), Block::default());
        let mut out = Zeroizing::new(vec![0u8; self.hash.len()]);
        Argon2::new(self.algorithm, self.version, self.params.clone())
            .hash_password_into_with_memory(password.as_bytes(), &self.salt, &mut out, &mut memory)
            .ok()?;
        Some(bool::from(out.ct_eq(&self.hash)))
    }

    pub fn parameters(&self) -> String {
        format!(
            "{} (m={}, t={}, p={})",
            self.algorithm,
            self.params.m_cost(),
            self.params.t_cost(),
            self.params.p_cost()
        )
    }
}
