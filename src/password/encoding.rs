//! What Django's hash encodings share, below every algorithm's module: the
//! bounds on a stored hash's memory and work, the cost model that prices an
//! algorithm's work in PBKDF2-SHA256 iterations, numbers and PBKDF2 fields
//! read exactly as Django writes them, and random strings from Django's salt
//! alphabet. It knows no algorithm, and must never panic on any string nor
//! draw randomness from anything but the OS CSPRNG.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::{Error, Result};

/// A stored PBKDF2 hash asking for more iterations than this is treated as
/// malformed, so that a planted hash cannot make a login run for minutes.
pub const MAX_ITERATIONS: u32 = 100_000_000;

/// The most memory a stored hash may ask for (Argon2's `m`, scrypt's
/// `128·r·(N + p)`): 1 GiB, ten times Django's Argon2 default. More is treated as
/// malformed, so that a planted hash cannot exhaust the machine's memory.
pub const MAX_MEMORY_BYTES: u64 = 1 << 30;

/// The most work a stored hash may ask for, in PBKDF2-SHA256 iterations or
/// their equivalent: the same bound as for `pbkdf2_sha256` itself (about ten
/// seconds here). More is treated as malformed.
pub const MAX_COST: u64 = MAX_ITERATIONS as u64;

const SALT_ALPHABET: &[u8; 62] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// The cost model: how many PBKDF2-HMAC-SHA256 iterations take as long as one
/// unit of an algorithm's work, as `numerator / denominator`. Each module
/// keeps its ratio, measured in a release build on x86-64 with the SHA
/// extensions against Django's default parameters (`cargo run --release
/// --example hash_costs` measures them again).
///
/// They are estimates: on another CPU the ratios move (PBKDF2 without SHA
/// extensions is slower, Argon2 depends on memory bandwidth), so a failed
/// check against another algorithm costs about, not exactly, one policy hash.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cost {
    numerator: u64,
    denominator: u64,
}

impl Cost {
    pub(crate) const fn new(numerator: u64, denominator: u64) -> Cost {
        Cost {
            numerator,
            denominator,
        }
    }

    /// `units` of work in PBKDF2-SHA256 iterations, saturating.
    pub(crate) fn of(self, units: u64) -> u64 {
        let iterations =
            u128::from(units) * u128::from(self.numerator) / u128::from(self.denominator);
        u64::try_from(iterations).unwrap_or(u64::MAX)
    }
}

/// A decimal number as Django writes one (`%d`): ASCII digits, no sign, no
/// leading zero. Django checks a hash by encoding it again and comparing the
/// strings, so a number written any other way never verifies there.
pub(crate) fn decimal<T: std::str::FromStr>(text: &str) -> Option<T> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if canonical { text.parse().ok() } else { None }
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
    let iterations: u32 = decimal(iterations)?;
    if !(1..=MAX_ITERATIONS).contains(&iterations) {
        return None;
    }
    Some((iterations, salt, STANDARD.decode(key).ok()?))
}

/// `length` characters from [A-Za-z0-9], unbiased, from the OS CSPRNG.
pub(crate) fn random_string(length: usize) -> Result<String> {
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

    #[test]
    fn decimals_are_written_as_django_writes_them() {
        assert_eq!(decimal::<u32>("1000"), Some(1000));
        assert_eq!(decimal::<u32>("0"), Some(0));
        for text in [
            "",
            "01000",
            "+5",
            "-1",
            " 5",
            "5 ",
            "１０",
            "4294967296",
            "1e3",
        ] {
            assert_eq!(decimal::<u32>(text), None, "{text:?}");
        }
    }

    #[test]
    fn costs_saturate() {
        assert_eq!(Cost::new(3, 2).of(10), 15);
        assert_eq!(Cost::new(u64::MAX, 1).of(u64::MAX), u64::MAX);
        assert_eq!(Cost::new(1, 1000).of(999), 0);
    }
}
