//! `connect` against the real server scripts/test-env starts: its trusted
//! Unix socket, TCP with SCRAM and TLS (a throwaway CA's certificate for
//! localhost and 127.0.0.1), and PgBouncer without TLS. Each test names the
//! server through libpq's string and a fake environment (its own home, so
//! no ~/.pgpass or ~/.postgresql of the machine's is read). Without the
//! server's variables the tests fail and say how to run them.

use std::collections::HashMap;
use std::ffi::OsString;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::*;
use crate::store::postgres::conninfo::Environment;

/// The test server, from scripts/test-env's variables.
struct Server {
    socket: String,
    port: u16,
    user: String,
    password: String,
    ca: String,
    bouncer_port: u16,
}

fn server() -> Server {
    let var = |name: &str| {
        std::env::var(name).unwrap_or_else(|_| {
            panic!(
                "{name} is not set: the PostgreSQL connection tests need the server that \
                 scripts/test-env starts; run them as `scripts/test-env cargo test --lib`"
            )
        })
    };
    let port = |name: &str| var(name).parse().expect("a port number");
    Server {
        socket: var("LATCH_TEST_PG_SOCKET"),
        port: port("LATCH_TEST_PG_PORT"),
        user: var("LATCH_TEST_PG_USER"),
        password: var("LATCH_TEST_PG_PASSWORD"),
        ca: var("LATCH_TEST_PG_CA"),
        bouncer_port: port("LATCH_TEST_PGBOUNCER_PORT"),
    }
}

/// libpq's environment for one test: its variables and its own home.
struct TestEnv {
    vars: HashMap<String, OsString>,
    home: tempfile::TempDir,
}

impl TestEnv {
    fn new() -> Self {
        TestEnv {
            vars: HashMap::new(),
            home: tempfile::tempdir().expect("a home directory"),
        }
    }

    fn with(mut self, name: &str, value: &str) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    fn home(&self) -> &Path {
        self.home.path()
    }
}

impl Environment for TestEnv {
    fn var(&self, name: &str) -> Option<OsString> {
        self.vars.get(name).cloned()
    }
    fn os_user(&self) -> Option<String> {
        Some("nobody-here".into())
    }
    fn home(&self) -> Option<PathBuf> {
        Some(self.home.path().to_owned())
    }
}

/// The outcome of connecting with `text` in `env`: the client or the error,
/// and the warnings given.
fn open(text: &str, env: &TestEnv) -> (Result<Client>, Vec<String>) {
    let info = PgConnInfo::parse(text, env).unwrap_or_else(|p| panic!("{text}: {p:?}"));
    let mut warnings = Vec::new();
    let result = connect_with(&info, env, &mut |w| warnings.push(w));
    (result, warnings)
}

fn connected(text: &str, env: &TestEnv) -> Client {
    match open(text, env).0 {
        Ok(client) => client,
        Err(error) => panic!("{text}: {error}"),
    }
}

/// The error of a connection that must fail, as the user sees it.
fn refused(text: &str, env: &TestEnv) -> Error {
    match open(text, env).0 {
        Ok(_) => panic!("{text}: connected"),
        Err(error) => {
            assert_eq!(error.exit_code(), 8, "{error}");
            assert!(!error.to_string().contains('\n'), "one line: {error}");
            error
        }
    }
}

/// Whether the session is encrypted, and `SELECT 1` works on it.
fn uses_tls(client: &mut Client) -> bool {
    let row = client
        .query_typed_one(
            "SELECT ssl, 1::int4 FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .expect("pg_stat_ssl");
    assert_eq!(row.get::<_, i32>(1), 1);
    row.get(0)
}

fn select_one(client: &mut Client) {
    let rows = client.simple_query("SELECT 1").expect("SELECT 1");
    assert!(
        rows.iter()
            .any(|m| matches!(m, postgres::SimpleQueryMessage::Row(r) if r.get(0) == Some("1")))
    );
}

fn tcp(server: &Server, rest: &str) -> String {
    format!(
        "host=127.0.0.1 port={} user={} dbname=postgres {rest}",
        server.port, server.user
    )
}

/// A CA of its own that signed nothing the server has.
fn unrelated_ca(dir: &Path) -> PathBuf {
    let (key, cert) = (dir.join("other.key"), dir.join("other.crt"));
    let status = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
        .args(["ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"])
        .args(["-subj", "/CN=unrelated CA", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("openssl (scripts/test-env needs it)");
    assert!(status.success());
    cert
}

#[test]
fn a_trusted_unix_socket_connects_without_a_password_and_without_tls() {
    let server = server();
    let env = TestEnv::new();
    // verify-full needs no root file on a socket: TLS is never used there,
    // and nothing of TLS is read.
    let mut client = connected(
        &format!(
            "host={} port={} user={} dbname=postgres sslmode=verify-full",
            server.socket, server.port, server.user
        ),
        &env,
    );
    select_one(&mut client);
    let name: String = client
        .query_typed_one("SELECT current_setting('application_name')", &[])
        .expect("application_name")
        .get(0);
    assert_eq!(name, "latch");
}

#[test]
fn tcp_with_the_right_password_connects_over_tls_by_default() {
    let server = server();
    let env = TestEnv::new().with("PGPASSWORD", &server.password);
    let mut client = connected(&tcp(&server, "application_name=latch-test"), &env);
    assert!(uses_tls(&mut client), "prefer uses the server's TLS");
    let name: String = client
        .query_typed_one("SELECT current_setting('application_name')", &[])
        .expect("application_name")
        .get(0);
    assert_eq!(name, "latch-test");
}

#[test]
fn a_wrong_password_is_the_servers_28p01_and_never_shown() {
    let server = server();
    let secret = "hunter2-wrong-secret";
    for (text, env) in [
        (tcp(&server, &format!("password={secret}")), TestEnv::new()),
        (
            format!(
                "postgresql://{}:{secret}@127.0.0.1:{}/postgres",
                server.user, server.port
            ),
            TestEnv::new(),
        ),
        (tcp(&server, ""), TestEnv::new().with("PGPASSWORD", secret)),
    ] {
        let (result, warnings) = open(&text, &env);
        let Err(error) = result else {
            panic!("{text}: connected with a wrong password")
        };
        let shown = error.to_string();
        assert_eq!(error.exit_code(), 8);
        assert!(shown.contains("SQLSTATE 28P01"), "{shown}");
        assert!(shown.contains("password authentication failed"), "{shown}");
        assert!(shown.starts_with("account store postgresql://"), "{shown}");
        for text in [shown, format!("{error:?}"), error.hints().join(" ")]
            .into_iter()
            .chain(warnings)
        {
            assert!(!text.contains("hunter2"), "{text}");
        }
    }
}

#[test]
fn a_missing_database_is_the_servers_3d000() {
    let server = server();
    let env = TestEnv::new().with("PGPASSWORD", &server.password);
    let error = refused(
        &format!(
            "host={} port={} user={} dbname=latch_no_such_database",
            server.socket, server.port, server.user
        ),
        &env,
    );
    let shown = error.to_string();
    assert!(shown.contains("SQLSTATE 3D000"), "{shown}");
    assert!(shown.contains("latch_no_such_database"), "{shown}");
    assert!(error.hints()[0].contains("createdb"), "{:?}", error.hints());
}

#[test]
fn an_unknown_role_is_the_servers_refusal_with_its_sqlstate() {
    let server = server();
    let error = refused(
        &format!(
            "host={} port={} user=latch_no_such_role dbname=postgres",
            server.socket, server.port
        ),
        &TestEnv::new(),
    );
    let shown = error.to_string();
    assert!(shown.contains("latch_no_such_role"), "{shown}");
    assert!(shown.contains("SQLSTATE 28000"), "{shown}");
}

#[test]
fn every_sslmode_against_the_tls_server() {
    let server = server();
    let env = TestEnv::new().with("PGPASSWORD", &server.password);
    let ca = format!("sslrootcert={}", server.ca);
    for (rest, tls) in [
        ("sslmode=disable".to_owned(), false),
        ("sslmode=allow".to_owned(), false),
        ("sslmode=prefer".to_owned(), true),
        ("sslmode=require".to_owned(), true),
        (format!("sslmode=require {ca}"), true),
        (format!("sslmode=verify-ca {ca}"), true),
        (format!("sslmode=verify-full {ca}"), true),
    ] {
        let mut client = connected(&tcp(&server, &rest), &env);
        assert_eq!(uses_tls(&mut client), tls, "{rest}");
    }
    // The certificate names localhost as well as 127.0.0.1.
    let mut client = connected(
        &format!(
            "host=localhost port={} user={} dbname=postgres sslmode=verify-full {ca}",
            server.port, server.user
        ),
        &env,
    );
    assert!(uses_tls(&mut client));
}

/// `::ffff:127.0.0.1` reaches the server's 127.0.0.1, but it is not a name
/// the certificate has: verify-ca takes it, verify-full does not.
#[test]
fn verify_ca_checks_the_chain_only_and_verify_full_the_name_too() {
    let server = server();
    let env = TestEnv::new().with("PGPASSWORD", &server.password);
    let text = |mode: &str| {
        format!(
            "host=::ffff:127.0.0.1 port={} user={} dbname=postgres sslmode={mode} sslrootcert={}",
            server.port, server.user, server.ca
        )
    };
    let mut client = connected(&text("verify-ca"), &env);
    assert!(uses_tls(&mut client));
    let error = refused(&text("verify-full"), &env);
    let shown = error.to_string();
    assert!(
        shown.contains("certificate does not verify") && shown.contains("not valid for name"),
        "{shown}"
    );
}

#[test]
fn verify_full_without_the_servers_ca_fails_with_the_certificate_cause() {
    let server = server();
    let env = TestEnv::new().with("PGPASSWORD", &server.password);
    let other = unrelated_ca(env.home());
    for rest in [
        format!("sslmode=verify-full sslrootcert={}", other.display()),
        format!("sslmode=verify-ca sslrootcert={}", other.display()),
        "sslmode=verify-full sslrootcert=system".to_owned(),
    ] {
        let error = refused(&tcp(&server, &rest), &env);
        let shown = error.to_string();
        assert!(
            shown.contains("certificate does not verify") && shown.contains("UnknownIssuer"),
            "{rest}: {shown}"
        );
        assert!(!shown.contains("timed out"), "{shown}");
    }
    // No root file at all: libpq's refusal, before any connection.
    let error = refused(&tcp(&server, "sslmode=verify-full"), &env);
    let shown = error.to_string();
    assert!(
        shown.contains(".postgresql/root.crt does not exist"),
        "{shown}"
    );
}

#[test]
fn require_checks_the_chain_when_a_root_file_exists_as_libpq_does() {
    let server = server();
    let env = TestEnv::new().with("PGPASSWORD", &server.password);
    // require without a root file: any certificate.
    let mut client = connected(&tcp(&server, "sslmode=require"), &env);
    assert!(uses_tls(&mut client));
    // ~/.postgresql/root.crt of another CA: the chain is checked, and fails.
    let dir = env.home().join(".postgresql");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::copy(unrelated_ca(env.home()), dir.join("root.crt")).expect("copy");
    let error = refused(&tcp(&server, "sslmode=require"), &env);
    assert!(error.to_string().contains("UnknownIssuer"), "{error}");
    // ... and with the server's CA there, it passes.
    std::fs::copy(&server.ca, dir.join("root.crt")).expect("copy");
    let mut client = connected(&tcp(&server, "sslmode=require"), &env);
    assert!(uses_tls(&mut client));
}

#[test]
fn the_systems_roots_are_for_verify_full_only() {
    let server = server();
    let env = TestEnv::new().with("PGPASSWORD", &server.password);
    for mode in ["require", "verify-ca", "allow"] {
        let error = refused(
            &tcp(&server, &format!("sslmode={mode} sslrootcert=system")),
            &env,
        );
        assert!(
            error
                .to_string()
                .contains("cannot be used with sslrootcert=system"),
            "{mode}: {error}"
        );
    }
}

#[test]
fn pgbouncer_without_tls_fails_require_and_verify_full_and_serves_allow_and_prefer() {
    let server = server();
    let env = TestEnv::new();
    let text = |mode: &str| {
        format!(
            "host=127.0.0.1 port={} user={} dbname=postgres sslmode={mode} sslrootcert={}",
            server.bouncer_port, server.user, server.ca
        )
    };
    for mode in ["require", "verify-ca", "verify-full"] {
        let error = refused(&text(mode), &env);
        let shown = error.to_string();
        assert!(shown.contains("the server does not support TLS"), "{shown}");
        assert!(!shown.contains("timed out"), "{shown}");
    }
    // allow and prefer go on without TLS (prefer's chain check never
    // starts: the pooler says it has no TLS).
    for mode in ["allow", "prefer", "disable"] {
        let mut client = connected(&text(mode), &env);
        select_one(&mut client);
    }
}

#[test]
fn an_unused_port_is_connection_refused_at_once() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let started = Instant::now();
    let error = refused(
        &format!("host=127.0.0.1 port={port} user=latch connect_timeout=5"),
        &TestEnv::new(),
    );
    let shown = error.to_string();
    assert!(shown.contains("connection refused"), "{shown}");
    assert!(!shown.contains("timed out"), "{shown}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_missing_socket_says_so() {
    let env = TestEnv::new();
    let error = refused(&format!("host={} user=latch", env.home().display()), &env);
    let shown = error.to_string();
    assert!(
        shown.contains(".s.PGSQL.5432: no server socket there"),
        "{shown}"
    );
}

#[test]
fn an_unresolvable_host_name_says_so() {
    let error = refused(
        "host=latch-no-such-host.invalid user=latch connect_timeout=5",
        &TestEnv::new(),
    );
    let shown = error.to_string();
    assert!(
        shown.contains("latch-no-such-host.invalid:5432: could not resolve host"),
        "{shown}"
    );
    assert!(!shown.contains("timed out"), "{shown}");
}

/// A listening socket that accepts (through the kernel's backlog) and never
/// answers: only `connect_timeout` ends the attempt, in about that time.
#[test]
fn connect_timeout_ends_an_attempt_that_gets_no_answer() {
    let blackhole = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = blackhole.local_addr().expect("address").port();
    for mode in ["prefer", "disable"] {
        let started = Instant::now();
        let error = refused(
            &format!("host=127.0.0.1 port={port} user=latch connect_timeout=2 sslmode={mode}"),
            &TestEnv::new(),
        );
        let elapsed = started.elapsed();
        let shown = error.to_string();
        assert!(shown.contains("timed out after 2 s"), "{shown}");
        assert!(
            elapsed >= Duration::from_millis(1900) && elapsed < Duration::from_secs(4),
            "{mode}: {elapsed:?}"
        );
    }
    drop(blackhole);
}

#[test]
fn hosts_are_tried_in_order_and_every_failure_is_named() {
    let server = server();
    let env = TestEnv::new().with("PGPASSWORD", &server.password);
    let unused = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let mut client = connected(
        &format!(
            "host=127.0.0.1,{} port={unused},{} user={} dbname=postgres",
            server.socket, server.port, server.user
        ),
        &env,
    );
    select_one(&mut client);
    let error = refused(
        &format!(
            "host=127.0.0.1,latch-no-such-host.invalid port={unused},{} user=latch",
            server.port
        ),
        &env,
    );
    let shown = error.to_string();
    assert!(
        shown.contains("cannot connect to any of its hosts"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("127.0.0.1:{unused}: connection refused"))
            && shown.contains("could not resolve host"),
        "{shown}"
    );
}

#[test]
fn the_password_file_is_used_and_refused_when_others_may_read_it() {
    let server = server();
    let env = TestEnv::new();
    let file = env.home().join(".pgpass");
    std::fs::write(
        &file,
        format!(
            "127.0.0.1:{}:*:{}:{}\n",
            server.port, server.user, server.password
        ),
    )
    .expect("write");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let (result, warnings) = open(&tcp(&server, ""), &env);
    select_one(&mut result.expect("the password file's password"));
    assert!(warnings.is_empty(), "{warnings:?}");

    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let (result, warnings) = open(&tcp(&server, ""), &env);
    let Err(error) = result else {
        panic!("connected with a refused password file")
    };
    let shown = error.to_string();
    assert!(shown.contains("the server asks for a password"), "{shown}");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("group or world access"),
        "{warnings:?}"
    );
    for text in [shown, warnings[0].clone()] {
        assert!(!text.contains(&server.password), "{text}");
    }
}

/// SCRAM-SHA-256-PLUS: with channel binding required, the server and
/// latch's TLS connector agree on the certificate's binding.
#[test]
fn scram_over_tls_binds_the_channel() {
    let server = server();
    let connector = crate::store::postgres::tls::Verification::None
        .connector()
        .expect("a connector");
    let mut config = Config::new();
    config
        .host("127.0.0.1")
        .port(server.port)
        .user(&server.user)
        .password(&server.password)
        .dbname("postgres")
        .ssl_mode(CrateSslMode::Require)
        .channel_binding(postgres::config::ChannelBinding::Require);
    let mut client = config.connect(connector).expect("channel binding");
    assert!(uses_tls(&mut client));
}

/// A whole connection and `SELECT 1`, over each transport; the times are
/// printed (`--nocapture`) and must stay well under a second.
#[test]
fn connect_and_select_one_times() {
    let server = server();
    let env = TestEnv::new().with("PGPASSWORD", &server.password);
    for (name, text) in [
        (
            "socket",
            format!(
                "host={} port={} user={} dbname=postgres",
                server.socket, server.port, server.user
            ),
        ),
        ("tcp", tcp(&server, "sslmode=disable")),
        (
            "tls verify-full",
            tcp(
                &server,
                &format!("sslmode=verify-full sslrootcert={}", server.ca),
            ),
        ),
    ] {
        let mut times = Vec::new();
        for _ in 0..20 {
            let started = Instant::now();
            let mut client = connected(&text, &env);
            select_one(&mut client);
            times.push(started.elapsed());
        }
        times.sort();
        let median = times[times.len() / 2];
        eprintln!(
            "connect + SELECT 1 over {name}: median {median:?}, best {:?}",
            times[0]
        );
        assert!(median < Duration::from_secs(1), "{name}: {median:?}");
    }
}
