//! The stored-hash parser: whatever the password column holds, parsing never
//! panics, a parsed hash re-encodes to a string that parses to the same hash
//! with its iterations in bounds, and anything that does not parse never
//! verifies.

#![no_main]

use latch::password::{self, Pbkdf2Sha256, Verdict};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let stored = String::from_utf8_lossy(data);
    match Pbkdf2Sha256::parse(&stored) {
        Some(hash) => {
            assert!((1..=password::MAX_ITERATIONS).contains(&hash.iterations));
            assert!(!hash.salt.is_empty() && !hash.salt.contains('$'));
            assert_eq!(Pbkdf2Sha256::parse(&hash.encode()).as_ref(), Some(&hash));
            // Checking a password costs the hash's iterations: only cheap ones.
            if hash.iterations <= 16 {
                let _ = hash.matches("correct horse battery staple");
                let _ = hash.must_update(password::DEFAULT_ITERATIONS);
            }
        }
        None => {
            let verification = password::verify("correct horse battery staple", &stored, 1);
            assert_eq!(verification.verdict, Verdict::Invalid);
        }
    }
});
