//! latch's behaviour on PostgreSQL: the integration tests of every command
//! that reads or writes the store, run again with each `Env` on a database
//! of its own on the server scripts/test-env starts (one server per run, one
//! database per test). The modules are the `integration` binary's, compiled
//! here with `BACKEND` set to PostgreSQL; what only an SQLite file has (its
//! permissions, its migrations, writes over devices, the store path itself)
//! stays in `integration` alone: cli, crash_model, docs, hostile, location,
//! migrations and store. django_postgres is in `integration` and runs
//! PostgreSQL throughout already. The tests of several hosts on one store,
//! its races, PgBouncer, faults and the role README gives the checking hosts
//! are PostgreSQL's own: the `pg_` modules.

// Each binary uses part of the harness.
#[allow(dead_code)]
mod util;

/// Every `Env` of this binary keeps its store in a PostgreSQL database.
pub const BACKEND: util::Backend = util::Backend::Postgres;

mod admin;
mod django;
mod django_transfer;
mod json_shapes;
mod login;
mod logout;
pub mod mfa;
mod output;
mod pam;
mod pg_bouncer;
mod pg_connect;
mod pg_faults;
mod pg_hosts;
mod pg_races;
mod pg_verify_role;
mod policy;
mod prompts;
mod properties;
mod register;
mod secrets;
mod security;
mod sessions;
mod token_stores;
mod transfer;
mod verify;
mod whoami;
