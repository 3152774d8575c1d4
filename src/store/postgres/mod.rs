//! The PostgreSQL side of the store. libpq's connection layer, which the
//! `postgres` crate does not have: reading a connection string
//! (`conninfo`), applying libpq's environment variables and defaults, the
//! password file (`pgpass`), and opening the connection itself (`connect`,
//! with `tls` for libpq's sslmodes over rustls). And the backend,
//! `PostgresStore`: its schema (`migrate`, the files in `migrations/`), its
//! transactions (`transaction`), its rows (`rows`), the account store
//! (`store`, with a login's part in `logins`), the second factor (`mfa`) and
//! imports (`import`). Nothing here ever puts a password in a message, a
//! `Display` or a `Debug`; every statement is parameterized and unnamed, so
//! that it works through PgBouncer.

pub mod connect;
pub mod conninfo;
mod copy;
mod import;
mod logins;
mod mfa;
mod migrate;
pub mod pgpass;
mod rows;
mod store;
#[cfg(test)]
pub(crate) mod tests;
pub mod tls;
mod transaction;

pub use connect::{connect, connect_with};
pub use conninfo::{Endpoint, Host, Password, PgConnInfo, SslMode};
pub use migrate::SCHEMA_VERSION;
pub use store::PostgresStore;
