//! latch's integration tests: one binary, a harness in `util`, a module per
//! command. Every test runs the real `latch` binary against a real SQLite file
//! and a real token store; run them with `scripts/test-env` (see README.md),
//! which provides a private Secret Service and kernel session keyring.

// Each binary uses part of the harness.
#[allow(dead_code)]
mod util;

/// Every `Env` of this binary keeps its store in an SQLite file; the
/// `postgres` binary runs the same behaviour modules on PostgreSQL.
pub const BACKEND: util::Backend = util::Backend::Sqlite;

mod admin;
mod cli;
mod crash_model;
mod django;
mod django_postgres;
mod django_transfer;
mod docs;
mod hostile;
mod json_shapes;
mod location;
mod login;
mod logout;
pub mod mfa;
mod migrations;
mod output;
mod pam;
mod policy;
mod prompts;
mod properties;
mod register;
mod secrets;
mod security;
mod sessions;
mod store;
mod store_copy;
mod token_stores;
mod transfer;
mod verify;
mod whoami;
