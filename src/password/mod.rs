//! Passwords: Django-encoded PBKDF2 hashing and verification (`hasher`).
//! The rules a new password must meet are in `validate`, the numbers in `policy`.

pub mod hasher;
