//! Recovery codes: ten single-use codes that stand in for a code from the
//! app when the phone is lost. Each is 80 bits from the OS CSPRNG, written
//! as four groups of four base32 letters (`abcd-efgh-ijkl-mnop`); only its
//! SHA-256 is stored, and a typed code is compared with the stored hashes in
//! constant time. Never logs or stores a code itself.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// How many codes a set holds.
pub const COUNT: usize = 10;
/// The base32 letters of RFC 4648, lowercase.
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
const LETTERS: usize = 16;

/// A recovery code, normalized: sixteen lowercase base32 letters, no dashes.
#[derive(PartialEq, Eq)]
pub struct RecoveryCode(Zeroizing<String>);

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

impl RecoveryCode {
    /// The code as it is shown: four groups of four, with dashes.
    pub fn display(&self) -> Zeroizing<String> {
        let mut text = Zeroizing::new(String::with_capacity(LETTERS + 3));
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                text.push('-');
            }
            text.push(c);
        }
        text
    }

    /// What the store keeps of it.
    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(self.0.as_bytes()).into()
    }
}

/// A fresh set of `COUNT` codes.
pub fn generate() -> Result<Vec<RecoveryCode>> {
    (0..COUNT)
        .map(|_| {
            let mut bytes = Zeroizing::new([0u8; LETTERS]);
            getrandom::fill(bytes.as_mut()).map_err(|e| {
                Error::Internal(format!("the OS random number generator failed: {e}"))
            })?;
            // 16 letters of 5 bits each: the low 5 bits of 16 random bytes.
            let text: String = bytes
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
                .collect();
            Ok(RecoveryCode(Zeroizing::new(text)))
        })
        .collect()
}

/// Reads a typed recovery code: sixteen base32 letters in any case, with or
/// without the dashes between groups of four.
pub fn normalize(typed: &str) -> Option<RecoveryCode> {
    let bytes = typed.as_bytes();
    let plain = bytes.len() == LETTERS;
    let dashed = bytes.len() == LETTERS + 3 && [4, 9, 14].iter().all(|&i| bytes[i] == b'-');
    if !plain && !dashed {
        return None;
    }
    let letters: String = typed
        .chars()
        .filter(|&c| c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (letters.len() == LETTERS && letters.bytes().all(|b| ALPHABET.contains(&b)))
        .then(|| RecoveryCode(Zeroizing::new(letters)))
}

/// The id of the stored hash that `code` matches, comparing with every one
/// of them in constant time.
pub fn find(code: &RecoveryCode, stored: &[(i64, [u8; 32])]) -> Option<i64> {
    let hash = code.hash();
    stored.iter().fold(None, |found, (id, stored)| {
        let same: bool = stored.ct_eq(&hash).into();
        if same { found.or(Some(*id)) } else { found }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sixteen_base32_letters_in_four_groups() {
        let codes = generate().expect("random");
        assert_eq!(codes.len(), COUNT);
        for code in &codes {
            let shown = code.display();
            assert_eq!(shown.len(), 19);
            let back = normalize(&shown).expect("reads back");
            assert_eq!(&back, code);
            assert_eq!(normalize(&shown.to_uppercase()).as_ref(), Some(code));
            assert_eq!(normalize(&shown.replace('-', "")).as_ref(), Some(code));
        }
        let hashes: Vec<[u8; 32]> = codes.iter().map(RecoveryCode::hash).collect();
        for (i, hash) in hashes.iter().enumerate() {
            assert!(!hashes[..i].contains(hash), "codes repeat");
        }
    }

    #[test]
    fn other_text_is_not_a_recovery_code() {
        for bad in [
            "abcd-efgh-ijkl-mno",
            "abcd-efgh-ijkl-mnop-",
            "abcd efgh ijkl mnop",
            "abcd-efgh-ijkl-mno1",
            "abcdefgh-ijklmnop",
            "ａbcd-efgh-ijkl-mnop",
        ] {
            assert_eq!(normalize(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn find_matches_only_the_stored_hash() {
        let codes = generate().expect("random");
        let stored: Vec<(i64, [u8; 32])> = codes
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, c)| (i as i64, c.hash()))
            .collect();
        assert_eq!(find(&codes[3], &stored), Some(3));
        assert_eq!(find(&codes[0], &stored), None);
    }
}
