//! The PostgreSQL server scripts/test-env starts, as the tests use it: one
//! database per test, over the server's Unix socket (trusted), dropped when
//! the test is done. And a private server of one test's own, for the tests
//! that stop it (the shared one must never be).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

/// A setting scripts/test-env exports (`LATCH_TEST_PG_*`).
pub fn pg_setting(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the tests under scripts/test-env, which starts PostgreSQL")
    })
}

/// Where a server is reached: its socket directory, port and role.
#[derive(Debug, Clone)]
pub struct PgServer {
    pub socket: String,
    pub port: String,
    pub user: String,
}

impl PgServer {
    /// The server scripts/test-env starts.
    pub fn shared() -> PgServer {
        PgServer {
            socket: pg_setting("LATCH_TEST_PG_SOCKET"),
            port: pg_setting("LATCH_TEST_PG_PORT"),
            user: pg_setting("LATCH_TEST_PG_USER"),
        }
    }

    /// `dbname` on this server, over its socket, as a libpq string.
    fn conninfo_of(&self, dbname: &str) -> String {
        format!(
            "host={} port={} user={} dbname={dbname}",
            self.socket, self.port, self.user
        )
    }

    fn connect(&self, dbname: &str) -> postgres::Client {
        postgres::Client::connect(&self.conninfo_of(dbname), postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect to the test server's {dbname}: {e}"))
    }
}

/// A database of one test's own.
#[derive(Debug)]
pub struct PgDatabase {
    pub name: String,
    server: PgServer,
}

impl PgDatabase {
    /// A database on the shared server.
    pub fn create() -> PgDatabase {
        PgDatabase::create_on(PgServer::shared())
    }

    pub fn create_on(server: PgServer) -> PgDatabase {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "latch_t{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        server
            .connect("postgres")
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
        PgDatabase { name, server }
    }

    /// The store string latch is given: the database over the socket, as a
    /// URL (no spaces, so that it also fits a PAM service line).
    pub fn conninfo(&self) -> String {
        format!(
            "postgresql:///{}?host={}&port={}&user={}",
            self.name,
            encode(&self.server.socket),
            self.server.port,
            self.server.user,
        )
    }

    /// The same database over TCP on 127.0.0.1, as a URL without the
    /// password (which is in `LATCH_TEST_PG_PASSWORD`).
    pub fn tcp_url(&self) -> String {
        format!(
            "postgresql://{}@127.0.0.1:{}/{}",
            pg_setting("LATCH_TEST_PG_USER"),
            pg_setting("LATCH_TEST_PG_PORT"),
            self.name
        )
    }

    /// The same database through PgBouncer (transaction pooling).
    pub fn bouncer_url(&self) -> String {
        format!(
            "postgresql://{}@127.0.0.1:{}/{}?sslmode=disable",
            pg_setting("LATCH_TEST_PG_USER"),
            pg_setting("LATCH_TEST_PGBOUNCER_PORT"),
            self.name
        )
    }

    /// A client of the test's own, its search path latch's schema.
    pub fn client(&self) -> postgres::Client {
        let mut client = self.server.connect(&self.name);
        client
            .batch_execute("SET search_path TO latch")
            .expect("search_path");
        client
    }

    /// Whether latch's schema exists yet.
    pub fn has_schema(&self) -> bool {
        let row = self
            .server
            .connect(&self.name)
            .query_one(
                "SELECT count(*) FROM pg_namespace WHERE nspname = 'latch'",
                &[],
            )
            .expect("pg_namespace");
        row.get::<_, i64>(0) == 1
    }

    /// The store's identity as latch files its token under it.
    pub fn token_key(&self) -> String {
        let socket = encode(&self.server.socket);
        format!(
            "postgresql://{socket}:{}/{}?schema=latch",
            self.server.port, self.name
        )
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) =
            postgres::Client::connect(&self.server.conninfo_of("postgres"), postgres::NoTls)
        {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// A PostgreSQL server of one test's own: initdb into a temporary
/// directory, trusted on its Unix socket there, no TCP, fsync off (the
/// machine does not crash, only the server stops; but commits stay
/// synchronous, or an immediate stop loses the last of them). Stopped
/// (immediately) and removed when dropped, the test failed or not.
pub struct PrivateServer {
    dir: tempfile::TempDir,
    bin: PathBuf,
}

impl PrivateServer {
    /// A new server, started.
    pub fn start() -> PrivateServer {
        let dir = tempfile::tempdir().expect("temporary directory");
        let bin = PathBuf::from(pg_setting("LATCH_TEST_PG_BIN"));
        let server = PrivateServer { dir, bin };
        let root = server.dir.path();
        // As root, the server runs as `postgres`, which must reach and own
        // the directory.
        std::fs::set_permissions(root, std::os::unix::fs::PermissionsExt::from_mode(0o711))
            .expect("chmod");
        if is_root() {
            let status = Command::new("chown")
                .args(["postgres:", &root.to_string_lossy()])
                .status()
                .expect("chown");
            assert!(status.success(), "chown the private server's directory");
        }
        let data = server.data();
        server.as_postgres(
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                "latch".as_ref(),
                "--auth=trust".as_ref(),
                "--no-sync".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C.UTF-8".as_ref(),
            ],
        );
        let conf = format!(
            "\nlisten_addresses = ''\nunix_socket_directories = '{}'\nport = 5432\n\
             fsync = off\nfull_page_writes = off\n\
             max_connections = 50\n",
            root.display()
        );
        let mut text = std::fs::read_to_string(data.join("postgresql.conf")).expect("conf");
        text.push_str(&conf);
        std::fs::write(data.join("postgresql.conf"), text).expect("conf");
        server.up();
        server
    }

    /// How latch and the tests reach it.
    pub fn address(&self) -> PgServer {
        PgServer {
            socket: self.dir.path().to_string_lossy().into_owned(),
            port: "5432".into(),
            user: "latch".into(),
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Starts the server (after a stop), waiting until it takes connections.
    pub fn up(&self) {
        let data = self.data();
        let log = self.dir.path().join("log");
        self.as_postgres(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
                "-w".as_ref(),
                "-s".as_ref(),
                "start".as_ref(),
            ],
        );
    }

    /// `pg_ctl stop -m immediate`: every backend ends at once, no checkpoint;
    /// the next start recovers from the WAL.
    pub fn stop_immediately(&self) {
        let data = self.data();
        self.as_postgres(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-m".as_ref(),
                "immediate".as_ref(),
                "-w".as_ref(),
                "-s".as_ref(),
                "stop".as_ref(),
            ],
        );
    }

    fn postgres_command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }

    #[track_caller]
    fn as_postgres(&self, program: &str, args: &[&std::ffi::OsStr]) {
        let output = self
            .postgres_command(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("run {program}: {e}"));
        assert!(
            output.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&output.stderr),
            log_tail(&self.dir.path().join("log"))
        );
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        if self.data().join("postmaster.pid").exists() {
            let _ = self
                .postgres_command("pg_ctl")
                .arg("-D")
                .arg(self.data())
                .args(["-m", "immediate", "-w", "-s", "stop"])
                .output();
        }
    }
}

fn is_root() -> bool {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() == 0 }
}

fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(10)..].join("\n")
}

/// Percent-encodes all but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
