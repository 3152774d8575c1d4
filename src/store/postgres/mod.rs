//! The PostgreSQL side of the store: libpq's connection layer, which the
//! `postgres` crate does not have — reading a connection string
//! (`conninfo`), applying libpq's environment variables and defaults, the
//! password file (`pgpass`) — and opening the connection itself (`connect`,
//! with `tls` for libpq's sslmodes over rustls). Nothing here ever puts a
//! password in a message, a `Display` or a `Debug`.

pub mod connect;
pub mod conninfo;
pub mod pgpass;
pub mod tls;

pub use connect::{connect, connect_with};
pub use conninfo::{Endpoint, Host, Password, PgConnInfo, SslMode};
