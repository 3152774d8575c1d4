//! Passwords: Django-encoded PBKDF2 hashing and verification (`hasher`), on
//! a dedicated PBKDF2-HMAC-SHA256 loop (`pbkdf2`).
//! The rules a new password must meet are in `validate`, the numbers in `policy`.

pub mod hasher;
pub mod pbkdf2;
