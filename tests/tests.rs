//! latch's integration tests: one binary, a harness in `util`, a module per
//! command. Every test runs the real `latch` binary against a real SQLite file
//! and a real token store; run them with `scripts/test-env` (see README.md),
//! which provides a private Secret Service and kernel session keyring.

mod util;

mod cli;
mod crash_model;
mod docs;
mod hostile;
mod login;
mod logout;
mod migrations;
mod policy;
mod prompts;
mod properties;
mod register;
mod secrets;
mod security;
mod store;
mod token_stores;
mod whoami;
