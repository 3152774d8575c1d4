//! libpq's connection strings, read as libpq reads them: a
//! `postgresql://` (or `postgres://`) URL, or `key=value` pairs, then libpq's
//! environment variables for what the string does not set, then its
//! defaults. The result, `PgConnInfo`, is what a connection needs: the hosts
//! and ports to try, user, database, password, TLS mode, timeouts.
//!
//! The URL goes through the `url` crate (which reads one host, so each entry
//! of libpq's host list is read on its own); `key=value` is small and written
//! here. It never connects, never reads the password file (`pgpass` does,
//! when a connection asks), and never puts a password — or any piece of the
//! string that might be one — in a message, `Display` or `Debug`: errors name
//! keywords latch knows and positions, not what was written.

mod syntax;
#[cfg(test)]
pub(crate) mod tests;

pub use syntax::url_prefix_len;
use syntax::{KEYWORDS, Keyword, Settings, parse_keyword_value, parse_url};

use std::ffi::OsString;
use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use zeroize::Zeroizing;

use crate::error::Problem;

/// The directory of the server's Unix socket when no host is given:
/// Debian's libpq (upstream's is /tmp).
pub const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";
pub const DEFAULT_PORT: u16 = 5432;
/// latch's connect timeout when neither the string nor PGCONNECT_TIMEOUT sets
/// one (libpq itself would wait as long as the operating system does).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The application name the server sees when none is set.
pub const FALLBACK_APPLICATION_NAME: &str = "latch";

/// The field of the problems found in the string itself.
const FIELD: &str = "store";

/// A password. Shown as `***` by `Debug`; there is no `Display`. Its memory
/// is wiped when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(Zeroizing<String>);

impl Password {
    pub fn new(text: impl Into<String>) -> Self {
        Password(Zeroizing::new(text.into()))
    }

    /// The password itself, for the connection that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Where the password came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordSource {
    /// Written in the URL or the `key=value` string: it works, but it shows
    /// in `ps`, shell history and process environments, so latch warns.
    ConnectionString,
    /// PGPASSWORD.
    Environment,
}

/// libpq's `sslmode`, with libpq's meanings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Only a connection without TLS.
    Disable,
    /// Without TLS first; with TLS if the server refuses that.
    Allow,
    /// With TLS first; without TLS if the server does not offer it (libpq's
    /// default). The certificate is not verified.
    Prefer,
    /// TLS only; the certificate is not verified.
    Require,
    /// TLS only; the certificate must chain to a trusted root
    /// (`sslrootcert`, or the system's roots).
    VerifyCa,
    /// As `VerifyCa`, and the certificate must name the host connected to.
    VerifyFull,
}

impl SslMode {
    pub const ALL: [SslMode; 6] = [
        SslMode::Disable,
        SslMode::Allow,
        SslMode::Prefer,
        SslMode::Require,
        SslMode::VerifyCa,
        SslMode::VerifyFull,
    ];

    pub fn parse(text: &str) -> Option<SslMode> {
        SslMode::ALL.into_iter().find(|mode| mode.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    /// Whether TLS is ever attempted.
    pub fn tries_tls(self) -> bool {
        self != SslMode::Disable
    }

    /// Whether the first attempt uses TLS.
    pub fn tls_first(self) -> bool {
        !matches!(self, SslMode::Disable | SslMode::Allow)
    }

    /// Whether a connection without TLS is acceptable at all.
    pub fn allows_plain(self) -> bool {
        matches!(self, SslMode::Disable | SslMode::Allow | SslMode::Prefer)
    }

    /// Whether the certificate must chain to a trusted root.
    pub fn verifies_chain(self) -> bool {
        matches!(self, SslMode::VerifyCa | SslMode::VerifyFull)
    }

    /// Whether the certificate must name the host.
    pub fn verifies_host_name(self) -> bool {
        self == SslMode::VerifyFull
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One host of the list: a name or address over TCP, or the directory of a
/// Unix socket (a host that begins with `/`). TLS is never used on a Unix
/// socket, whatever `sslmode` says (libpq's rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Tcp(String),
    Unix(PathBuf),
}

impl Host {
    /// The host as the password file names it: `localhost` for the default
    /// socket directory (libpq's rule), else the name or directory as given.
    pub fn pgpass_name(&self) -> String {
        match self {
            Host::Unix(dir) if dir == Path::new(DEFAULT_SOCKET_DIR) => "localhost".into(),
            Host::Unix(dir) => dir.display().to_string(),
            Host::Tcp(name) => name.clone(),
        }
    }

    /// The host in a URL's authority: a socket directory percent-encoded, an
    /// IPv6 address in brackets. `identity` also lowercases names and writes
    /// addresses canonically, so that one server has one name.
    fn url_form(&self, identity: bool) -> String {
        match self {
            Host::Unix(dir) => utf8_percent_encode(&dir.to_string_lossy(), COMPONENT).to_string(),
            Host::Tcp(name) => match name.parse::<IpAddr>() {
                Ok(IpAddr::V6(address)) if identity => format!("[{address}]"),
                Ok(address) if identity => address.to_string(),
                _ if name.contains(':') => format!("[{name}]"),
                _ if identity => name.to_ascii_lowercase(),
                _ => utf8_percent_encode(name, HOST_NAME).to_string(),
            },
        }
    }
}

/// A host with the port to reach it on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub host: Host,
    pub port: u16,
}

/// What latch reads from the environment: variables, the OS user name and
/// the home directory. `ProcessEnvironment` is the real one; tests give
/// their own.
pub trait Environment {
    fn var(&self, name: &str) -> Option<OsString>;
    /// The name of the effective user in the user database (getpwuid).
    fn os_user(&self) -> Option<String>;
    fn home(&self) -> Option<PathBuf>;
}

/// The process's own environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnvironment;

impl Environment for ProcessEnvironment {
    fn var(&self, name: &str) -> Option<OsString> {
        std::env::var_os(name)
    }

    fn os_user(&self) -> Option<String> {
        effective_user_name()
    }

    fn home(&self) -> Option<PathBuf> {
        dirs::home_dir()
    }
}

/// A PostgreSQL store's connection settings, the string's, the environment's
/// and the defaults together. `Debug` shows the password as `***`; `Display`
/// is a URL without it (`postgresql://user:***@host:5432/db`), built from
/// these fields and never from the string as written.
#[derive(Debug, Clone)]
pub struct PgConnInfo {
    /// The hosts to try, in order, each with its port.
    pub endpoints: Vec<Endpoint>,
    pub user: String,
    pub dbname: String,
    password: Option<(Password, PasswordSource)>,
    /// `passfile` or PGPASSFILE; unset means ~/.pgpass.
    pub passfile: Option<PathBuf>,
    pub sslmode: SslMode,
    /// `sslrootcert` or PGSSLROOTCERT: the roots `verify-ca` and
    /// `verify-full` trust; unset means the system's.
    pub sslrootcert: Option<PathBuf>,
    /// `None`: wait as long as the operating system does (a timeout of 0).
    pub connect_timeout: Option<Duration>,
    pub application_name: Option<String>,
}

impl PgConnInfo {
    /// Reads `text` (a URL or `key=value` string) and completes it from
    /// `env`. Every problem found is returned, not only the first.
    pub fn parse(text: &str, env: &dyn Environment) -> Result<PgConnInfo, Vec<Problem>> {
        let settings = match url_prefix_len(text) {
            Some(prefix) => parse_url(text, prefix)?,
            None => parse_keyword_value(text)?,
        };
        resolve(&settings, env)
    }

    /// The password from the string or PGPASSWORD, if any (the password
    /// file is `password_for`'s).
    pub fn password(&self) -> Option<(&Password, PasswordSource)> {
        self.password
            .as_ref()
            .map(|(password, source)| (password, *source))
    }

    /// Whether the string itself holds a password (latch warns about it).
    pub fn password_in_string(&self) -> bool {
        matches!(self.password, Some((_, PasswordSource::ConnectionString)))
    }

    /// The password for a connection to `endpoint`: the string's, else
    /// PGPASSWORD, else the password file's line for it (libpq's order). A
    /// password file that is refused is reported through `warn`.
    pub fn password_for(
        &self,
        endpoint: &Endpoint,
        env: &dyn Environment,
        warn: &mut dyn FnMut(String),
    ) -> Option<Password> {
        if let Some((password, _)) = &self.password {
            return Some(password.clone());
        }
        let file = match &self.passfile {
            Some(file) => file.clone(),
            None => super::pgpass::default_path(env.home().as_deref())?,
        };
        super::pgpass::lookup(&file, endpoint, &self.dbname, &self.user, warn)
    }

    /// The store's identity, which names its entry in the token store:
    /// hosts, ports, database and latch's schema, never the user or the
    /// password. Host names are lowercased and addresses written canonically.
    pub fn token_key(&self) -> String {
        let hosts = self
            .endpoints
            .iter()
            .map(|e| format!("{}:{}", e.host.url_form(true), e.port))
            .collect::<Vec<_>>()
            .join(",");
        format!(
            "postgresql://{hosts}/{}?schema=latch",
            utf8_percent_encode(&self.dbname, COMPONENT)
        )
    }
}

impl fmt::Display for PgConnInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hosts = self
            .endpoints
            .iter()
            .map(|e| format!("{}:{}", e.host.url_form(false), e.port))
            .collect::<Vec<_>>()
            .join(",");
        write!(
            f,
            "postgresql://{}{}@{hosts}/{}",
            utf8_percent_encode(&self.user, COMPONENT),
            if self.password.is_some() { ":***" } else { "" },
            utf8_percent_encode(&self.dbname, COMPONENT),
        )?;
        if self.sslmode != SslMode::Prefer {
            write!(f, "?sslmode={}", self.sslmode)?;
        }
        Ok(())
    }
}

/// What a URL component keeps unencoded (RFC 3986's unreserved characters).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
const HOST_NAME: &AsciiSet = COMPONENT;

/// A value and the field to blame for it: the string's, else the
/// environment variable's. An empty variable counts as unset; an empty value
/// in the string means libpq's default.
fn lookup(
    settings: &Settings,
    env: &dyn Environment,
    keyword: Keyword,
    problems: &mut Vec<Problem>,
) -> Option<(Zeroizing<String>, String)> {
    let (_, name, variable) = KEYWORDS
        .iter()
        .find(|(k, _, _)| *k == keyword)
        .copied()
        .unwrap_or((keyword, "", ""));
    if let Some(value) = settings.get(keyword) {
        return Some((Zeroizing::new(value.to_owned()), format!("{FIELD}: {name}")));
    }
    let value = env.var(variable).filter(|v| !v.is_empty())?;
    match value.into_string() {
        Ok(text) => Some((Zeroizing::new(text), variable.to_owned())),
        Err(_) => {
            problems.push(Problem::new(variable, "is not valid UTF-8"));
            None
        }
    }
}

fn resolve(settings: &Settings, env: &dyn Environment) -> Result<PgConnInfo, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut get = |keyword| lookup(settings, env, keyword, &mut problems);
    let host = get(Keyword::Host);
    let port = get(Keyword::Port);
    let user = get(Keyword::User);
    let dbname = get(Keyword::Dbname);
    let password = get(Keyword::Password);
    let passfile = get(Keyword::Passfile);
    let sslmode = get(Keyword::Sslmode);
    let sslrootcert = get(Keyword::Sslrootcert);
    let connect_timeout = get(Keyword::ConnectTimeout);
    let application_name = get(Keyword::ApplicationName);

    let hosts: Vec<Host> = match &host {
        Some((list, field)) => list
            .split(',')
            .filter_map(|entry| match entry {
                "" => Some(Host::Unix(DEFAULT_SOCKET_DIR.into())),
                _ if entry.starts_with('/') => Some(Host::Unix(entry.into())),
                _ if entry.starts_with('@') => {
                    problems.push(Problem::new(
                        field.as_str(),
                        "latch does not take Unix sockets in the abstract namespace (@…)",
                    ));
                    None
                }
                _ => Some(Host::Tcp(entry.to_owned())),
            })
            .collect(),
        None => vec![Host::Unix(DEFAULT_SOCKET_DIR.into())],
    };
    let ports: Vec<u16> = match &port {
        Some((list, field)) => list
            .split(',')
            .filter_map(|entry| match entry.trim() {
                "" => Some(DEFAULT_PORT),
                text => match text.parse::<u16>() {
                    Ok(port) if port > 0 => Some(port),
                    _ => {
                        problems.push(Problem::new(
                            field.as_str(),
                            "a port is a number from 1 to 65535",
                        ));
                        None
                    }
                },
            })
            .collect(),
        None => vec![DEFAULT_PORT],
    };
    let endpoints = match (hosts.len(), ports.len()) {
        (_, 1) => hosts
            .iter()
            .map(|host| Endpoint {
                host: host.clone(),
                port: ports[0],
            })
            .collect(),
        (h, p) if h == p => hosts
            .iter()
            .zip(&ports)
            .map(|(host, port)| Endpoint {
                host: host.clone(),
                port: *port,
            })
            .collect(),
        (h, p) => {
            if problems.is_empty() {
                problems.push(Problem::new(
                    FIELD,
                    format!("{p} ports for {h} hosts: give one port, or one for each host"),
                ));
            }
            Vec::new()
        }
    };

    let user = match user.filter(|(u, _)| !u.is_empty()) {
        Some((user, _)) => user.to_string(),
        None => env.os_user().unwrap_or_else(|| {
            problems.push(
                Problem::new(
                    FIELD,
                    "no user name: the user database has no name for this process",
                )
                .with_hint("give user= in the store string, or set PGUSER"),
            );
            String::new()
        }),
    };
    let dbname = match dbname.filter(|(d, _)| !d.is_empty()) {
        Some((dbname, _)) => dbname.to_string(),
        None => user.clone(),
    };
    let password = password
        .filter(|(p, _)| !p.is_empty())
        .map(|(password, field)| {
            let source = if field == "PGPASSWORD" {
                PasswordSource::Environment
            } else {
                PasswordSource::ConnectionString
            };
            (Password::new(password.as_str()), source)
        });
    let sslmode = match sslmode.filter(|(m, _)| !m.is_empty()) {
        None => SslMode::Prefer,
        Some((mode, field)) => SslMode::parse(&mode).unwrap_or_else(|| {
            problems.push(Problem::new(
                field,
                format!(
                    "sslmode is one of {}",
                    SslMode::ALL.map(SslMode::as_str).join(", ")
                ),
            ));
            SslMode::Prefer
        }),
    };
    let connect_timeout = match connect_timeout.filter(|(t, _)| !t.trim().is_empty()) {
        None => Some(DEFAULT_CONNECT_TIMEOUT),
        Some((text, field)) => match text.trim().parse::<i64>() {
            // libpq: 0 or less waits indefinitely; 1 is taken as 2.
            Ok(seconds) if seconds <= 0 => None,
            Ok(seconds) => Some(Duration::from_secs(seconds.max(2).unsigned_abs())),
            Err(_) => {
                problems.push(Problem::new(
                    field,
                    "connect_timeout is a whole number of seconds",
                ));
                None
            }
        },
    };
    let path = |value: Option<(Zeroizing<String>, String)>| {
        value
            .filter(|(p, _)| !p.is_empty())
            .map(|(p, _)| PathBuf::from(p.as_str()))
    };
    let info = PgConnInfo {
        endpoints,
        user,
        dbname,
        password,
        passfile: path(passfile),
        sslmode,
        sslrootcert: path(sslrootcert),
        connect_timeout,
        application_name: application_name
            .filter(|(a, _)| !a.is_empty())
            .map(|(a, _)| a.to_string()),
    };
    if problems.is_empty() {
        Ok(info)
    } else {
        Err(problems)
    }
}

/// The effective user's name from the user database (libpq's default user).
fn effective_user_name() -> Option<String> {
    crate::audit::user_name(nix::unistd::geteuid())
}
