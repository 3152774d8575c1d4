//! The PostgreSQL side of the store. Today it holds libpq's connection layer
//! only, which the `postgres` crate does not have: reading a connection
//! string (`conninfo`), applying libpq's environment variables and defaults,
//! and the password file (`pgpass`). It opens no connection and runs no SQL;
//! the backend that does will sit beside it. Nothing here ever puts a
//! password in a message, a `Display` or a `Debug`.

pub mod conninfo;
pub mod pgpass;

pub use conninfo::{Endpoint, Host, Password, PgConnInfo, SslMode};
