//! Opening a connection to a PostgreSQL store as libpq would, with the sync
//! `postgres` crate over rustls: the hosts of the list in order (TCP and
//! Unix sockets), each address of a host name in turn, `connect_timeout`
//! for each whole attempt (socket, TLS and authentication), libpq's
//! meanings of `sslmode` (`allow`'s and `prefer`'s second tries included),
//! the password from the string, PGPASSWORD or the password file, and
//! SCRAM-SHA-256 with channel binding when the server offers it (the crate's
//! default, `channel_binding=prefer`).
//!
//! Every failure is one account store error (exit 8) that names the store
//! as its `Display` shows it (no password) and says what really happened
//! for each host: the server's message and SQLSTATE, "connection refused",
//! "could not resolve the host name", rustls's certificate error, "the
//! server does not support TLS". Only an attempt that ran out of time says
//! "timed out". It never puts a password in a message, and never runs SQL
//! beyond what the crate's start-up does.

#[cfg(test)]
mod tests;

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::net::{IpAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use postgres::config::SslMode as CrateSslMode;
use postgres::{Client, Config, NoTls};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::conninfo::{
    Environment, FALLBACK_APPLICATION_NAME, Host, Password, PgConnInfo, ProcessEnvironment, SslMode,
};
use super::tls::Verification;
use crate::error::{Error, Result};

/// A connection to the store `info` names, with the process's environment
/// (the home directory's password file and `~/.postgresql/root.crt`). A
/// password file that is refused is given to `warn`, once, for the caller
/// to say.
pub fn connect(info: &PgConnInfo, warn: &mut dyn FnMut(String)) -> Result<Client> {
    connect_with(info, &ProcessEnvironment, warn)
}

/// As `connect`, reading the home directory from `env` and giving each
/// distinct warning to `warn`.
pub fn connect_with(
    info: &PgConnInfo,
    env: &dyn Environment,
    warn: &mut dyn FnMut(String),
) -> Result<Client> {
    let mut warned: Vec<String> = Vec::new();
    let mut warn_once = |warning: String| {
        if !warned.contains(&warning) {
            warned.push(warning.clone());
            warn(warning);
        }
    };
    let mut tls = LazyTls::new(info, env);
    let mut failures: Vec<(String, Failure)> = Vec::new();
    for endpoint in &info.endpoints {
        let password = info.password_for(endpoint, env, &mut warn_once);
        let config = || base_config(info, endpoint.port, password.as_ref());
        match &endpoint.host {
            // libpq never uses TLS on a Unix socket, whatever sslmode says.
            Host::Unix(dir) => {
                let mut config = config();
                config.host_path(dir).ssl_mode(CrateSslMode::Disable);
                match attempt(&config, None, info.connect_timeout) {
                    Ok(client) => return Ok(client),
                    Err(failure) => failures.push((socket_label(dir, endpoint.port), failure)),
                }
            }
            Host::Tcp(name) => {
                let addresses = match addresses(name, endpoint.port) {
                    Ok(addresses) => addresses,
                    Err(failure) => {
                        failures.push((format!("{name}:{}", endpoint.port), failure));
                        continue;
                    }
                };
                for address in &addresses {
                    // The name for TLS (SNI, verify-full), the address to
                    // reach: each address of the name is tried in turn.
                    let mut config = config();
                    config.host(name).hostaddr(*address);
                    match attempt_tcp(&config, &mut tls, info)? {
                        Ok(client) => return Ok(client),
                        Err(failure) => {
                            failures.push((tcp_label(name, *address, endpoint.port), failure))
                        }
                    }
                }
            }
        }
    }
    Err(report(info, failures))
}

/// One TCP address under the store's sslmode: the first try and, for
/// `allow` and `prefer`, libpq's second. `Err` is a setting that stops the
/// whole connection (a root file that is missing, a weak mode with
/// sslrootcert=system); `Ok(Err)` is this address's failure.
fn attempt_tcp(
    config: &Config,
    tls: &mut LazyTls<'_>,
    info: &PgConnInfo,
) -> Result<Result<Client, Failure>> {
    let timeout = info.connect_timeout;
    let mode = tls.mode()?;
    let mut config = config.clone();
    Ok(match mode {
        SslMode::Disable => attempt(config.ssl_mode(CrateSslMode::Disable), None, timeout),
        SslMode::Allow => {
            match attempt(config.ssl_mode(CrateSslMode::Disable), None, timeout) {
                // The server refused a connection without TLS (a
                // `hostssl` line in pg_hba.conf): try with it. Other
                // refusals (a wrong password, no such database) would only
                // repeat themselves.
                Err(plain) if plain.is_authorization_refusal() => {
                    let connector = tls.connector()?;
                    attempt(
                        config.ssl_mode(CrateSslMode::Require),
                        Some(connector),
                        timeout,
                    )
                    .map_err(|with_tls| Failure::Both(Box::new(plain), Box::new(with_tls)))
                }
                other => other,
            }
        }
        SslMode::Prefer => {
            let connector = tls.connector()?;
            // The crate goes on without TLS when the server says it has
            // none; libpq also does when the TLS handshake itself fails.
            match attempt(
                config.ssl_mode(CrateSslMode::Prefer),
                Some(connector),
                timeout,
            ) {
                Err(with_tls) if with_tls.is_tls_handshake() => {
                    attempt(config.ssl_mode(CrateSslMode::Disable), None, timeout)
                        .map_err(|plain| Failure::Both(Box::new(with_tls), Box::new(plain)))
                }
                other => other,
            }
        }
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
            let connector = tls.connector()?;
            attempt(
                config.ssl_mode(CrateSslMode::Require),
                Some(connector),
                timeout,
            )
        }
    })
}

/// The TLS side of a connection, settled at the first TCP attempt and its
/// connector built at the first attempt that uses TLS: a store reached
/// over a Unix socket, or with `sslmode=disable`, never reads a certificate.
struct LazyTls<'a> {
    info: &'a PgConnInfo,
    default_root_file: Option<PathBuf>,
    settled: Option<(SslMode, Verification)>,
    connector: Option<MakeRustlsConnect>,
}

impl<'a> LazyTls<'a> {
    fn new(info: &'a PgConnInfo, env: &dyn Environment) -> Self {
        LazyTls {
            info,
            default_root_file: env
                .home()
                .map(|home| home.join(".postgresql").join("root.crt")),
            settled: None,
            connector: None,
        }
    }

    /// The sslmode in force: the store's, or verify-full for an unset (or
    /// `prefer`) sslmode with sslrootcert=system, as libpq 16 does.
    fn mode(&mut self) -> Result<SslMode> {
        Ok(self.settle()?.0)
    }

    fn settle(&mut self) -> Result<&(SslMode, Verification)> {
        if self.settled.is_none() {
            if self.info.sslmode == SslMode::Disable {
                self.settled = Some((SslMode::Disable, Verification::None));
            } else {
                let settled = Verification::for_mode(
                    self.info.sslmode,
                    self.info.sslrootcert.as_deref(),
                    self.default_root_file.as_deref(),
                )
                .map_err(|cause| store_error(self.info, cause, None))?;
                self.settled = Some(settled);
            }
        }
        self.settled
            .as_ref()
            .ok_or_else(|| Error::Internal("the TLS settings were not settled".into()))
    }

    fn connector(&mut self) -> Result<&MakeRustlsConnect> {
        if self.connector.is_none() {
            let verification = self.settle()?.1.clone();
            let connector = verification.connector().map_err(|cause| {
                store_error(
                    self.info,
                    cause,
                    Some("check sslrootcert (a PEM file of the CA that signed the server's certificate)"),
                )
            })?;
            self.connector = Some(connector);
        }
        self.connector
            .as_ref()
            .ok_or_else(|| Error::Internal("the TLS connector was not built".into()))
    }
}

/// One connection attempt, ended after `timeout` whatever stage it is in.
/// The crate's own timeout covers the socket's connect only, so the attempt
/// runs on a thread of its own; one that runs out of time is left to end
/// by itself (its socket closes when the process ends).
fn attempt(
    config: &Config,
    tls: Option<&MakeRustlsConnect>,
    timeout: Option<Duration>,
) -> Result<Client, Failure> {
    let config = config.clone();
    let tls = tls.cloned();
    let run = move || match tls {
        Some(tls) => config.connect(tls),
        None => config.connect(NoTls),
    };
    let result = match timeout {
        None => run(),
        Some(limit) => {
            let (sender, receiver) = mpsc::sync_channel(1);
            std::thread::Builder::new()
                .name("latch-pg-connect".into())
                .spawn(move || {
                    // The receiver is gone when the attempt ran out of time.
                    let _ = sender.send(run());
                })
                .map_err(|e| Failure::Other(format!("cannot start the connection: {e}")))?;
            match receiver.recv_timeout(limit) {
                Ok(result) => result,
                Err(mpsc::RecvTimeoutError::Timeout) => return Err(Failure::TimedOut(timeout)),
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(Failure::Other(
                        "the connection attempt ended without an answer".into(),
                    ));
                }
            }
        }
    };
    result.map_err(|error| Failure::classify(&error, timeout))
}

/// The addresses of a host name (or the address it is), in the resolver's
/// order, each once.
fn addresses(name: &str, port: u16) -> Result<Vec<IpAddr>, Failure> {
    if let Ok(address) = name.parse::<IpAddr>() {
        return Ok(vec![address]);
    }
    let found = (name, port).to_socket_addrs().map_err(|e| {
        let cause = e.to_string();
        let cause = cause
            .strip_prefix("failed to lookup address information: ")
            .unwrap_or(&cause)
            .to_owned();
        Failure::Resolve(cause)
    })?;
    let mut addresses: Vec<IpAddr> = Vec::new();
    for address in found {
        if !addresses.contains(&address.ip()) {
            addresses.push(address.ip());
        }
    }
    if addresses.is_empty() {
        return Err(Failure::Resolve("no address".into()));
    }
    Ok(addresses)
}

/// The settings every attempt at one endpoint shares.
fn base_config(info: &PgConnInfo, port: u16, password: Option<&Password>) -> Config {
    let mut config = Config::new();
    config
        .user(&info.user)
        .dbname(&info.dbname)
        .application_name(
            info.application_name
                .as_deref()
                .unwrap_or(FALLBACK_APPLICATION_NAME),
        )
        .port(port);
    if let Some(timeout) = info.connect_timeout {
        config.connect_timeout(timeout);
    }
    if let Some(password) = password {
        config.password(password.expose());
    }
    config
}

fn socket_label(dir: &std::path::Path, port: u16) -> String {
    format!("{}/.s.PGSQL.{port}", dir.display())
}

fn tcp_label(name: &str, address: IpAddr, port: u16) -> String {
    let shown = match address {
        IpAddr::V6(v6) => format!("[{v6}]:{port}"),
        IpAddr::V4(v4) => format!("{v4}:{port}"),
    };
    if name.parse::<IpAddr>().is_ok() {
        shown
    } else {
        format!("{name} ({shown})")
    }
}

/// Why one attempt failed.
#[derive(Debug)]
enum Failure {
    /// The server answered with an error: its message and SQLSTATE.
    Server {
        message: String,
        code: String,
    },
    /// The server answered "no" to TLS, which the sslmode needs.
    NoTls,
    /// rustls refused the server's certificate.
    Certificate(String),
    /// The TLS handshake failed otherwise.
    Tls(String),
    /// The server asks for a password and there is none.
    NoPassword,
    Refused,
    /// No socket file in the directory.
    NoSocket,
    /// The attempt ran out of its `connect_timeout` (`None`: the operating
    /// system's limit).
    TimedOut(Option<Duration>),
    Resolve(String),
    Other(String),
    /// Both of `allow`'s or `prefer`'s tries, in order.
    Both(Box<Failure>, Box<Failure>),
}

impl Failure {
    fn classify(error: &postgres::Error, timeout: Option<Duration>) -> Failure {
        if let Some(db) = error.as_db_error() {
            return Failure::Server {
                message: db.message().to_owned(),
                code: db.code().code().to_owned(),
            };
        }
        let mut next: Option<&(dyn StdError + 'static)> = Some(error);
        while let Some(current) = next {
            if let Some(tls) = current.downcast_ref::<rustls::Error>() {
                return Failure::from_rustls(tls);
            }
            if let Some(io) = current.downcast_ref::<io::Error>() {
                if let Some(tls) = io
                    .get_ref()
                    .and_then(|inner| inner.downcast_ref::<rustls::Error>())
                {
                    return Failure::from_rustls(tls);
                }
                match io.kind() {
                    io::ErrorKind::ConnectionRefused => return Failure::Refused,
                    io::ErrorKind::TimedOut => return Failure::TimedOut(timeout),
                    io::ErrorKind::NotFound => return Failure::NoSocket,
                    _ => {}
                }
            }
            match current.to_string().as_str() {
                "server does not support TLS" => return Failure::NoTls,
                "password missing" => return Failure::NoPassword,
                _ => {}
            }
            next = current.source();
        }
        Failure::Other(error.to_string())
    }

    fn from_rustls(error: &rustls::Error) -> Failure {
        match error {
            rustls::Error::InvalidCertificate(_) => Failure::Certificate(error.to_string()),
            _ => Failure::Tls(error.to_string()),
        }
    }

    /// SQLSTATE 28000: pg_hba.conf has no line that lets this connection in.
    fn is_authorization_refusal(&self) -> bool {
        matches!(self, Failure::Server { code, .. } if code == "28000")
    }

    fn is_tls_handshake(&self) -> bool {
        matches!(self, Failure::Certificate(_) | Failure::Tls(_))
    }

    /// The last failure of a pair, whose hint matters most.
    fn last(&self) -> &Failure {
        match self {
            Failure::Both(_, second) => second.last(),
            other => other,
        }
    }

    fn hint(&self) -> Option<&'static str> {
        Some(match self.last() {
            Failure::Server { code, .. } => match code.as_str() {
                "28P01" => {
                    "check the password: the store string's, PGPASSWORD, or the password file's (~/.pgpass)"
                }
                "3D000" => "create the database (createdb NAME), or name another in the store",
                "28000" => {
                    "the server's pg_hba.conf has no line for this host, user, database and TLS setting"
                }
                _ => return None,
            },
            Failure::NoTls => {
                "the sslmode needs TLS: turn ssl on in the server, or connect to it directly rather than through a pooler without TLS"
            }
            Failure::Certificate(_) => {
                "give the CA that signed the server's certificate as sslrootcert, and a host name the certificate names"
            }
            Failure::NoPassword => {
                "give it with PGPASSWORD or in the password file (~/.pgpass, mode 0600)"
            }
            Failure::Refused | Failure::NoSocket => {
                "is the server running, and listening on that address and port?"
            }
            Failure::TimedOut(_) => {
                "the server did not answer in time: check the host, the port and the firewall, or raise connect_timeout"
            }
            Failure::Resolve(_) => "check the host name",
            Failure::Tls(_) | Failure::Other(_) | Failure::Both(..) => return None,
        })
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Server { message, code } => write!(f, "{message} (SQLSTATE {code})"),
            Failure::NoTls => f.write_str("the server does not support TLS"),
            Failure::Certificate(cause) => {
                write!(f, "the server's certificate does not verify: {cause}")
            }
            Failure::Tls(cause) => write!(f, "the TLS handshake failed: {cause}"),
            Failure::NoPassword => f.write_str("the server asks for a password and none was given"),
            Failure::Refused => f.write_str("connection refused"),
            Failure::NoSocket => f.write_str("no server socket there (no such file)"),
            Failure::TimedOut(Some(limit)) => {
                write!(f, "timed out after {} s (connect_timeout)", limit.as_secs())
            }
            Failure::TimedOut(None) => f.write_str("timed out"),
            Failure::Resolve(cause) => write!(f, "could not resolve host ({cause})"),
            Failure::Other(cause) => f.write_str(cause),
            Failure::Both(first, second) => write!(f, "{first}, then {second}"),
        }
    }
}

/// The one error of a connection that reached no host.
fn report(info: &PgConnInfo, failures: Vec<(String, Failure)>) -> Error {
    let hint = failures.last().and_then(|(_, failure)| failure.hint());
    let cause = match failures.as_slice() {
        [] => "the store names no host".to_owned(),
        [(label, failure)] => format!("cannot connect to {label}: {failure}"),
        many => format!(
            "cannot connect to any of its hosts: {}",
            many.iter()
                .map(|(label, failure)| format!("{label}: {failure}"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    store_error(info, cause, hint)
}

fn store_error(info: &PgConnInfo, cause: String, hint: Option<&str>) -> Error {
    Error::Store {
        path: info.to_string(),
        cause: one_line(&cause),
        hint: hint.map(str::to_owned),
    }
}

/// Server messages may hold line breaks (a DETAIL); the error is one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
