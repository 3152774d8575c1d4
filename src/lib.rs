//! latch: a command-line account manager over a Django-compatible store.
//!
//! The library is the product; the `latch` binary is one client of it. Data
//! flows one way: `cli` → `accounts` → `store` / `token_store`, with
//! `password`, `validate`, `session`, `policy` and `error` beside them.
//! ARCHITECTURE.md maps the modules and the invariants they keep.

pub mod accounts;
pub mod audit;
pub mod cli;

pub mod docs;
pub mod error;
pub mod files;
pub mod mfa;
pub mod output;
pub mod password;
pub mod policy;
pub mod session;
pub mod store;
pub mod timestamp;
pub mod token_store;
pub mod transfer;
pub mod validate;

pub use error::{Error, Result};

/// `bytes` in lowercase hex, two digits each.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}
