//! PBKDF2-HMAC-SHA256 for one 32-byte block: the hot loop of every login.
//!
//! HMAC's inner and outer keyed states are computed once; each further
//! iteration is then exactly two SHA-256 compressions (`sha2::compress256`,
//! which uses the CPU's SHA extensions where there are any) and an XOR — the
//! floor for PBKDF2, with none of the generic HMAC path's buffering. It must
//! agree with RFC 7914's test vectors and with the `pbkdf2` crate, and must
//! leave no key material behind: every buffer that held it is zeroized.

use sha2::digest::consts::U64;
use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

/// SHA-256's initial state.
const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];
const BLOCK: usize = 64;
/// One block as `compress256` takes it, so the hot loop passes it without a copy.
type Block = [GenericArray<u8, U64>; 1];

/// The first (and, for a 32-byte key, only) block of PBKDF2-HMAC-SHA256.
pub fn pbkdf2_sha256(password: &[u8], salt: &[u8], iterations: u32) -> [u8; 32] {
    // HMAC's key: the password, or its digest when longer than a block.
    let mut key = [0u8; BLOCK];
    if password.len() > BLOCK {
        key[..32].copy_from_slice(&Sha256::digest(password));
    } else {
        key[..password.len()].copy_from_slice(password);
    }
    let mut pad = [0u8; BLOCK];
    let mut inner = IV;
    let mut outer = IV;
    xor_into(&mut pad, &key, 0x36);
    compress(&mut inner, &pad);
    xor_into(&mut pad, &key, 0x5c);
    compress(&mut outer, &pad);

    // U1 = HMAC(password, salt || INT(1)), through the keyed states.
    let mut message = Sha256Stream::new(inner, BLOCK as u64);
    message.update(salt);
    message.update(&1u32.to_be_bytes());
    let mut u = message.finish();
    let mut message = Sha256Stream::new(outer, BLOCK as u64);
    message.update(&words_to_bytes(&u));
    u = message.finish();

    // Every later U_j hashes the 32-byte U_{j-1}: one padded block for the
    // inner hash and one for the outer, their length fields fixed at 768 bits.
    let mut result = u;
    let mut inner_block = padded_digest_block();
    let mut outer_block = padded_digest_block();
    for _ in 1..iterations {
        write_words(&mut inner_block, &u);
        let mut state = inner;
        sha2::compress256(&mut state, &inner_block);
        write_words(&mut outer_block, &state);
        u = outer;
        sha2::compress256(&mut u, &outer_block);
        for (r, x) in result.iter_mut().zip(&u) {
            *r ^= x;
        }
    }

    let out = words_to_bytes(&result);
    key.zeroize();
    pad.zeroize();
    inner.zeroize();
    outer.zeroize();
    u.zeroize();
    result.zeroize();
    inner_block[0].as_mut_slice().zeroize();
    outer_block[0].as_mut_slice().zeroize();
    out
}

fn compress(state: &mut [u32; 8], block: &[u8; BLOCK]) {
    sha2::compress256(state, &[*GenericArray::from_slice(block)]);
}

fn xor_into(pad: &mut [u8; BLOCK], key: &[u8; BLOCK], byte: u8) {
    for (p, k) in pad.iter_mut().zip(key) {
        *p = k ^ byte;
    }
}

/// A block holding a 32-byte digest after a 64-byte key block: the digest,
/// the 0x80 terminator, zeros, and the length, (64 + 32) × 8 = 768 bits.
fn padded_digest_block() -> Block {
    let mut block: Block = Default::default();
    block[0][32] = 0x80;
    block[0][56..].copy_from_slice(&768u64.to_be_bytes());
    block
}

fn write_words(block: &mut Block, words: &[u32; 8]) {
    for (chunk, word) in block[0][..32].chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
}

fn words_to_bytes(words: &[u32; 8]) -> [u8; 32] {
    let mut bytes = [0u8; 32];
    for (chunk, word) in bytes.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    bytes
}

/// SHA-256 over a message of any length, starting from a keyed state that
/// has already taken in `prefix` bytes.
struct Sha256Stream {
    state: [u32; 8],
    buffer: [u8; BLOCK],
    filled: usize,
    length: u64,
}

impl Sha256Stream {
    fn new(state: [u32; 8], prefix: u64) -> Self {
        Sha256Stream {
            state,
            buffer: [0; BLOCK],
            filled: 0,
            length: prefix,
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        self.length += data.len() as u64;
        while !data.is_empty() {
            let take = (BLOCK - self.filled).min(data.len());
            self.buffer[self.filled..self.filled + take].copy_from_slice(&data[..take]);
            self.filled += take;
            data = &data[take..];
            if self.filled == BLOCK {
                compress(&mut self.state, &self.buffer);
                self.filled = 0;
            }
        }
    }

    fn finish(mut self) -> [u32; 8] {
        let bits = self.length * 8;
        self.buffer[self.filled] = 0x80;
        self.buffer[self.filled + 1..].fill(0);
        if self.filled + 1 > BLOCK - 8 {
            compress(&mut self.state, &self.buffer);
            self.buffer.fill(0);
        }
        self.buffer[BLOCK - 8..].copy_from_slice(&bits.to_be_bytes());
        compress(&mut self.state, &self.buffer);
        let state = self.state;
        self.buffer.zeroize();
        self.state.zeroize();
        state
    }
}

/// The floor this loop is measured against: `2 × iterations` dependent
/// SHA-256 compressions, each block made from the state before it.
pub fn compression_floor(iterations: u32) -> [u32; 8] {
    let mut state = IV;
    let mut block = padded_digest_block();
    for _ in 0..iterations {
        for _ in 0..2 {
            write_words(&mut block, &state);
            sha2::compress256(&mut state, &block);
        }
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hex;

    #[test]
    fn rfc_7914_vectors() {
        // RFC 7914 section 11: the first 32 bytes of each 64-byte output.
        assert_eq!(
            hex(&pbkdf2_sha256(b"passwd", b"salt", 1)),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
        assert_eq!(
            hex(&pbkdf2_sha256(b"Password", b"NaCl", 80_000)),
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
        );
    }

    /// A small xorshift generator: arbitrary inputs, the same on every run.
    fn bytes(seed: &mut u64, length: usize) -> Vec<u8> {
        (0..length)
            .map(|_| {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                (*seed >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn agrees_with_the_pbkdf2_crate_on_arbitrary_inputs() {
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        // Every length around the block and padding boundaries, for both inputs.
        for password_length in (0..=140).step_by(3).chain([55, 56, 63, 64, 65, 119, 120]) {
            for salt_length in [0, 1, 22, 51, 52, 55, 56, 59, 60, 63, 64, 100, 119, 120, 200] {
                let password = bytes(&mut seed, password_length);
                let salt = bytes(&mut seed, salt_length);
                let iterations = 1 + (seed % 5) as u32;
                let mut expected = [0u8; 32];
                pbkdf2::pbkdf2_hmac::<Sha256>(&password, &salt, iterations, &mut expected);
                assert_eq!(
                    pbkdf2_sha256(&password, &salt, iterations),
                    expected,
                    "password {password_length} bytes, salt {salt_length}, {iterations} iterations"
                );
            }
        }
    }

    #[test]
    fn the_floor_depends_on_every_compression() {
        assert_ne!(compression_floor(1), compression_floor(2));
    }
}
