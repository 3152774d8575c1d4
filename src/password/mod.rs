//! Passwords: Django-encoded hashes. One module per algorithm of Django's
//! default `PASSWORD_HASHERS` (`pbkdf2_sha256`, the only one latch writes, on
//! the dedicated loop in `pbkdf2`; `pbkdf2_sha1`, `argon2`, `bcrypt_sha256`,
//! `scrypt`), each parsing its encoding and checking a password against it;
//! below them `encoding`, what the encodings share (bounds, the cost model,
//! Django's numbers); above them `stored`, the stored-hash type, `verify` and
//! `describe`; and `calibrate`, the PBKDF2 measurement behind `policy
//! calibrate`. The rules a new password must meet are in `validate`, the
//! numbers in `policy`.

pub mod argon2;
pub mod bcrypt_sha256;
mod calibrate;
pub mod encoding;
pub mod pbkdf2;
pub mod pbkdf2_sha1;
pub mod pbkdf2_sha256;
pub mod scrypt;
mod stored;

pub use calibrate::{Calibration, calibrate};
pub use encoding::{MAX_COST, MAX_ITERATIONS, MAX_MEMORY_BYTES};
pub use pbkdf2_sha256::{DEFAULT_ITERATIONS, NUL_PROBLEM, Pbkdf2Sha256, spend_one_hash};
pub use stored::{
    HashDescription, StoredHash, UNUSABLE_PREFIX, Verdict, Verification, describe, is_storable,
    unusable, verify,
};
