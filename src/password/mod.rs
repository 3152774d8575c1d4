//! Passwords: Django-encoded hashes. `hasher` makes latch's own
//! (`pbkdf2_sha256`, on the dedicated loop in `pbkdf2`) and checks a password
//! against any stored hash; `django` reads every algorithm of Django's default
//! `PASSWORD_HASHERS`. The rules a new password must meet are in `validate`,
//! the numbers in `policy`.

pub mod django;
pub mod hasher;
pub mod pbkdf2;
