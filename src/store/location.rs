//! Where the account store is: an SQLite file or a PostgreSQL database,
//! decided once from what `--db` / `LATCH_DB` says, by these rules in order:
//!
//! 1. Text that begins with a URL scheme (`^[A-Za-z][A-Za-z0-9+.-]*://`) is a
//!    URL: `postgresql://` and `postgres://` are PostgreSQL; any other
//!    scheme (`mysql://`, `postgress://`, `POSTGRES://`) is refused, never
//!    taken as a file name.
//! 2. Text that begins with `/`, `./` or `../` is a file path, whatever it
//!    holds: that is how a path with `=` or `://` in it is given.
//! 3. Other text with `=` in it is a libpq `key=value` string (libpq's own
//!    rule), so `host=db dbname=app` is PostgreSQL.
//! 4. Anything else is a file path.
//!
//! A location owns the key its session token is kept under, and shows
//! itself (`Display`, `Debug`) without a password. It opens nothing.

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Problem, Result};
use crate::store::postgres::PgConnInfo;
use crate::store::postgres::conninfo::{Environment, url_prefix_len};

/// The account store's location.
#[derive(Debug, Clone)]
pub enum StoreLocation {
    /// An SQLite file.
    File(PathBuf),
    /// A PostgreSQL database; latch's tables are in its schema `latch`.
    Postgres(Box<PgConnInfo>),
}

impl StoreLocation {
    /// Reads a location the user gave (`--db`, `LATCH_DB`); a PostgreSQL one
    /// is completed from libpq's environment variables in `env`. An unknown
    /// scheme or a bad connection string is invalid input (exit 3), with
    /// every problem found.
    pub fn parse(given: &OsStr, env: &dyn Environment) -> Result<StoreLocation> {
        let bytes = given.as_encoded_bytes();
        if let Some(scheme) = url_scheme(bytes) {
            let text = given.to_str().ok_or_else(not_utf8)?;
            if url_prefix_len(text).is_none() {
                return Err(unknown_scheme(scheme));
            }
            return postgres(text, env);
        }
        if [&b"/"[..], b"./", b"../"]
            .iter()
            .any(|p| bytes.starts_with(p))
            || !bytes.contains(&b'=')
        {
            return Ok(StoreLocation::File(PathBuf::from(given)));
        }
        postgres(given.to_str().ok_or_else(not_utf8)?, env)
    }

    /// The key of this store's entry in the token store: a file's absolute
    /// path (`bytes:` and its bytes in hex when the path is not UTF-8); a
    /// database's hosts, ports, name and schema, never its credentials
    /// (`postgresql://db.example:5432/app?schema=latch`).
    pub fn token_key(&self) -> String {
        match self {
            StoreLocation::File(path) => file_token_key(path),
            StoreLocation::Postgres(info) => info.token_key(),
        }
    }

    /// The warning for a password written in the location itself, if any.
    pub fn password_warning(&self) -> Option<&'static str> {
        match self {
            StoreLocation::File(_) => None,
            StoreLocation::Postgres(info) => info.password_in_string().then_some(
                "the store location holds a password, which other users may see (ps, shell \
                 history); use PGPASSWORD or ~/.pgpass instead",
            ),
        }
    }
}

impl fmt::Display for StoreLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreLocation::File(path) => write!(f, "{}", path.display()),
            StoreLocation::Postgres(info) => write!(f, "{info}"),
        }
    }
}

/// The scheme of text that begins `scheme://`.
fn url_scheme(bytes: &[u8]) -> Option<&[u8]> {
    let end = bytes.windows(3).position(|w| w == b"://")?;
    let scheme = &bytes[..end];
    let (first, rest) = scheme.split_first()?;
    (first.is_ascii_alphabetic()
        && rest
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-')))
    .then_some(scheme)
}

fn postgres(text: &str, env: &dyn Environment) -> Result<StoreLocation> {
    PgConnInfo::parse(text, env)
        .map(|info| StoreLocation::Postgres(Box::new(info)))
        .map_err(Error::InvalidInput)
}

fn not_utf8() -> Error {
    Error::invalid(
        "store",
        "a PostgreSQL connection string must be UTF-8 (a file path with = in it can be given as ./PATH)",
    )
}

fn unknown_scheme(scheme: &[u8]) -> Error {
    let scheme = String::from_utf8_lossy(scheme);
    let problem =
        if scheme.eq_ignore_ascii_case("postgresql") || scheme.eq_ignore_ascii_case("postgres") {
            Problem::new(
                "store",
                format!("the scheme {scheme}:// must be written in lower case"),
            )
            .with_hint("write postgresql://…, as libpq does")
        } else {
            Problem::new(
                "store",
                format!("latch does not know the scheme {scheme}://"),
            )
            .with_hint(
                "a store is a file path, a postgresql:// URL or a key=value string; \
                 a file path with :// in it can be given as ./PATH",
            )
        };
    Error::InvalidInput(vec![problem])
}

fn file_token_key(store_path: &Path) -> String {
    let path = std::fs::canonicalize(store_path)
        .or_else(|_| std::path::absolute(store_path))
        .unwrap_or_else(|_| store_path.to_owned());
    match path.to_str() {
        Some(text) => text.to_owned(),
        // Not UTF-8: every byte in hex, so that two paths which differ only
        // in invalid bytes keep their own keys. An absolute path begins with
        // `/`, so this never meets a UTF-8 key.
        None => {
            use std::os::unix::ffi::OsStrExt;
            format!("bytes:{}", crate::hex(path.as_os_str().as_bytes()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::postgres::conninfo::tests::FakeEnvironment;

    fn parse(text: &str) -> Result<StoreLocation> {
        StoreLocation::parse(OsStr::new(text), &FakeEnvironment::new("os-user"))
    }

    fn is_file(text: &str) -> bool {
        matches!(parse(text), Ok(StoreLocation::File(path)) if path == Path::new(text))
    }

    #[test]
    fn paths_without_a_scheme_or_an_equals_sign_are_files() {
        for text in [
            "latch.db",
            "data/latch.db",
            "/var/lib/latch.db",
            "a:b",
            "postgres:",
        ] {
            assert!(is_file(text), "{text}");
        }
    }

    #[test]
    fn a_path_that_begins_with_a_slash_or_a_dot_is_a_file_whatever_it_holds() {
        for text in [
            "./a=b.db",
            "../x=y",
            "/tmp/a=b",
            "./mysql://x",
            "/srv/postgres://db",
        ] {
            assert!(is_file(text), "{text}");
        }
    }

    #[test]
    fn postgres_urls_and_key_value_strings_are_postgres() {
        for text in [
            "postgres://latch@127.0.0.1/app",
            "postgresql://db.example/app",
            "host=db.example dbname=app",
            "dbname = app",
        ] {
            assert!(
                matches!(parse(text), Ok(StoreLocation::Postgres(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn unknown_schemes_are_invalid_input_and_name_the_scheme() {
        for (text, scheme) in [
            ("mysql://root@localhost/app", "mysql://"),
            ("postgress://latch@127.0.0.1/app", "postgress://"),
            ("sqlite://latch.db", "sqlite://"),
            ("a+b.c-d://x", "a+b.c-d://"),
        ] {
            let error = parse(text).expect_err(text);
            assert_eq!(error.exit_code(), 3, "{text}");
            assert!(error.to_string().contains(scheme), "{text}: {error}");
        }
    }

    #[test]
    fn an_upper_case_postgres_scheme_is_refused_with_a_hint() {
        let error = parse("POSTGRESQL://u:pw@h/db").expect_err("upper case");
        assert_eq!(error.exit_code(), 3);
        assert!(
            error.hints()[0].contains("postgresql://"),
            "{:?}",
            error.hints()
        );
    }

    #[test]
    fn a_key_value_string_that_does_not_parse_is_invalid_input() {
        let error = parse("my=store.db").expect_err("not a keyword");
        assert_eq!(error.exit_code(), 3);
    }

    #[test]
    fn a_postgres_store_is_shown_without_its_password() {
        let location = parse("postgres://latch:hunter2-secret@127.0.0.1/app").expect("parses");
        let text = location.to_string();
        assert!(
            text.contains("postgresql://latch:***@127.0.0.1:5432/app"),
            "{text}"
        );
        for shown in [text, format!("{location:?}")] {
            assert!(!shown.contains("hunter2"), "{shown}");
        }
        assert!(location.password_warning().is_some());
    }

    #[test]
    fn a_file_location_opens_its_file() {
        let location = parse("latch.db").expect("file");
        assert!(
            matches!(&location, StoreLocation::File(path) if path == Path::new("latch.db")),
            "{location:?}"
        );
        assert_eq!(location.password_warning(), None);
        assert_eq!(location.to_string(), "latch.db");
    }

    #[test]
    fn token_keys_of_files_are_absolute_paths_and_of_databases_never_hold_credentials() {
        let file = parse("relative.db").expect("file");
        assert!(file.token_key().starts_with('/'), "{}", file.token_key());
        let a = parse("postgresql://alice:pw1@DB.example:5432/app").expect("a");
        let b = parse("host=db.example user=bob password=pw2 dbname=app").expect("b");
        assert_eq!(
            a.token_key(),
            "postgresql://db.example:5432/app?schema=latch"
        );
        assert_eq!(a.token_key(), b.token_key());
        for key in [a.token_key(), b.token_key()] {
            assert!(
                !key.contains("alice") && !key.contains("bob") && !key.contains("pw"),
                "{key}"
            );
        }
        let other_db = parse("host=db.example dbname=other").expect("other");
        assert_ne!(a.token_key(), other_db.token_key());
    }
}
