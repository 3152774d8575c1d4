//! The stored-hash parser: whatever the password column holds, parsing never
//! panics, a parsed hash re-encodes to a string that parses to the same hash
//! with its iterations in bounds, and anything that does not parse never
//! verifies.

#![no_main]

use latch::password::hasher::{self, DjangoHash, Verdict};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let stored = String::from_utf8_lossy(data);
    match DjangoHash::parse(&stored) {
        Some(hash) => {
            assert!((1..=hasher::MAX_ITERATIONS).contains(&hash.iterations));
            assert!(!hash.salt.is_empty() && !hash.salt.contains('$'));
            assert_eq!(DjangoHash::parse(&hash.encode()).as_ref(), Some(&hash));
            // Checking a password costs the hash's iterations: only cheap ones.
            if hash.iterations <= 16 {
                let _ = hash.verify("correct horse battery staple");
                let _ = hash.must_update(hasher::DEFAULT_ITERATIONS);
            }
        }
        None => {
            let verification = hasher::verify("correct horse battery staple", &stored, 1);
            assert_eq!(verification.verdict, Verdict::Invalid);
        }
    }
});
