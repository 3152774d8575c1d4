//! The harness: each `Env` is a fresh HOME, XDG directories, store path and
//! token store choice; `run` starts the real binary with only those settings
//! and returns exit code, stdout and stderr together.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use sha2::{Digest, Sha256};

pub const PASSWORD: &str = "correct horse battery staple";
pub const OTHER_PASSWORD: &str = "purple elephant tango jukebox";

#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Asserts the exit code, with the whole outcome in the failure message.
    #[track_caller]
    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "unexpected exit status: {self:#?}");
        self
    }

    #[track_caller]
    pub fn success(&self) -> &Self {
        self.code(0)
    }

    #[track_caller]
    pub fn stdout(&self, expected: &str) -> &Self {
        assert_eq!(self.stdout, expected, "stdout differs: {self:#?}");
        self
    }

    #[track_caller]
    pub fn stderr(&self, expected: &str) -> &Self {
        assert_eq!(self.stderr, expected, "stderr differs: {self:#?}");
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}: {self:#?}"
        );
        self
    }

    /// stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:#?}"))
    }

    #[track_caller]
    pub fn no_panic(&self) -> &Self {
        for text in [&self.stdout, &self.stderr] {
            assert!(!text.contains("panicked"), "panic: {self:#?}");
            assert!(!text.contains("RUST_BACKTRACE"), "backtrace: {self:#?}");
        }
        self
    }
}

#[derive(Debug)]
pub struct Env {
    _dir: tempfile::TempDir,
    pub home: PathBuf,
    pub db: PathBuf,
    pub token_store: &'static str,
}

impl Env {
    /// A fresh environment using the Secret Service.
    pub fn new() -> Env {
        Env::with_token_store("keyring")
    }

    pub fn with_token_store(token_store: &'static str) -> Env {
        let dir = tempfile::tempdir().expect("temporary directory");
        let home = dir.path().join("home");
        std::fs::create_dir(&home).expect("home");
        let db = home.join("store").join("latch.db");
        Env {
            _dir: dir,
            home,
            db,
            token_store,
        }
    }

    /// The same store and HOME, another token store.
    pub fn using(&self, token_store: &'static str) -> Env {
        let dir = tempfile::tempdir().expect("temporary directory");
        Env {
            _dir: dir,
            home: self.home.clone(),
            db: self.db.clone(),
            token_store,
        }
    }

    /// The latch command with this environment and nothing else of latch's.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_latch"));
        command
            .args(args)
            .env("HOME", &self.home)
            .env("XDG_DATA_HOME", self.home.join(".local/share"))
            .env("XDG_STATE_HOME", self.home.join(".local/state"))
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("LATCH_DB", &self.db)
            .env("LATCH_TOKEN_STORE", self.token_store)
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            .env_remove("RUST_BACKTRACE");
        command
    }

    /// Runs latch with `stdin` (none: an empty, closed standard input).
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Outcome {
        run_command(self.command(args), stdin.map(str::as_bytes))
    }

    pub fn run_bytes(&self, args: &[&str], stdin: &[u8]) -> Outcome {
        run_command(self.command(args), Some(stdin))
    }

    pub fn register(&self, username: &str, email: &str) -> Outcome {
        self.register_with(username, email, &[])
    }

    /// `register` with more flags (`--admin`, `--login`), password `PASSWORD`.
    pub fn register_with(&self, username: &str, email: &str, flags: &[&str]) -> Outcome {
        let mut args = vec!["register", username, "--email", email, "--password-stdin"];
        args.extend_from_slice(flags);
        self.run(&args, Some(&format!("{PASSWORD}\n")))
    }

    pub fn login(&self, username: &str, password: &str) -> Outcome {
        self.run(
            &["login", username, "--password-stdin"],
            Some(&format!("{password}\n")),
        )
    }

    /// Registers `root` as the store's first admin and logs in as root.
    pub fn root_logged_in(&self) {
        self.register_with("root", "root@example.com", &["--admin"])
            .success();
        self.login("root", PASSWORD).success();
    }

    /// Registers `alice` and logs her in.
    pub fn alice_logged_in(&self) {
        self.register("alice", "alice@example.com").success();
        self.login("alice", PASSWORD).success();
    }

    pub fn whoami(&self) -> Outcome {
        self.run(&["whoami"], None)
    }

    /// The key of this store's entry in every token store.
    pub fn token_key(&self) -> String {
        std::fs::canonicalize(&self.db)
            .unwrap_or_else(|_| self.db.clone())
            .to_string_lossy()
            .into_owned()
    }

    /// The token kept in this environment's token store, read with the
    /// platform's own tools, not through latch.
    pub fn stored_token(&self) -> Option<String> {
        match self.token_store {
            "keyring" => secret_tool_lookup(&self.token_key()),
            "keyutils" => keyctl_lookup(&format!("keyring:{}@latch", self.token_key())),
            "file" => {
                let path = self.home.join(".local/state/latch/tokens.json");
                let text = std::fs::read_to_string(path).ok()?;
                let tokens: serde_json::Value = serde_json::from_str(&text).ok()?;
                tokens[self.token_key()].as_str().map(str::to_owned)
            }
            other => panic!("unknown token store {other}"),
        }
    }

    pub fn connection(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).expect("open the store")
    }

    /// The token hash of every session row, in row order.
    pub fn session_token_hashes(&self) -> Vec<Vec<u8>> {
        self.connection()
            .prepare("SELECT token_hash FROM sessions")
            .expect("sessions")
            .query_map([], |row| row.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("sessions")
    }

    /// Runs one SQL statement that changes the store (a test's shortcut to a
    /// state latch itself would take time or several users to reach).
    pub fn sql(&self, statement: &str) {
        self.connection().execute_batch(statement).expect(statement);
    }

    /// `PRAGMA integrity_check`: "ok" for a sound store.
    pub fn integrity(&self) -> String {
        self.connection()
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .expect("integrity_check")
    }

    pub fn count(&self, table: &str) -> i64 {
        self.connection()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .expect("count")
    }

    /// `(kind, subject, detail)` of the events matching `filter` (an SQL
    /// condition on the events table), oldest first.
    pub fn events_where(&self, filter: &str) -> Vec<(String, String, String)> {
        let conn = self.connection();
        let mut statement = conn
            .prepare(&format!(
                "SELECT kind, subject, detail FROM events WHERE {filter} ORDER BY id"
            ))
            .expect("select");
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .expect("events")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    /// Every row of the tables that matter, as text: to prove a failed
    /// command left the store as it was.
    pub fn dump(&self) -> String {
        self.dump_tables(&["users", "sessions", "policy", "events", "login_failures"])
    }

    /// Every row of `tables`, as text.
    pub fn dump_tables(&self, tables: &[&str]) -> String {
        if !self.db.exists() {
            return "no store".into();
        }
        let conn = self.connection();
        let mut out = String::new();
        for table in tables {
            let mut statement = conn
                .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
                .expect("select");
            let columns = statement.column_count();
            let rows = statement
                .query_map([], |row| {
                    (0..columns)
                        .map(|i| {
                            row.get::<_, rusqlite::types::Value>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .expect("rows");
            for row in rows {
                out.push_str(&format!("{table}: {}\n", row.expect("row").join(" | ")));
            }
        }
        out
    }
}

/// `program prefix… inner_program inner_args…`, with `inner`'s environment:
/// latch run through a wrapper (a shell, `setpriv`, `keyctl session`).
pub fn wrapped(program: &str, prefix: &[&str], inner: &Command) -> Command {
    let mut wrapped = Command::new(program);
    wrapped
        .args(prefix)
        .arg(inner.get_program())
        .args(inner.get_args());
    for (key, value) in inner.get_envs() {
        match value {
            Some(value) => wrapped.env(key, value),
            None => wrapped.env_remove(key),
        };
    }
    wrapped
}

pub fn run_command(mut command: Command, stdin: Option<&[u8]>) -> Outcome {
    command.stdin(Stdio::null());
    let mut command = assert_cmd::Command::from_std(command);
    command.timeout(Duration::from_secs(60));
    if let Some(input) = stdin {
        command.write_stdin(input.to_vec());
    }
    let output = command.output().expect("run latch");
    assert!(
        output.status.code().is_some(),
        "latch was killed (by the 60 s deadline?): {output:?}"
    );
    Outcome {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn secret_tool_lookup(key: &str) -> Option<String> {
    let output = Command::new("secret-tool")
        .args(["lookup", "service", "latch", "username", key])
        .output()
        .expect("secret-tool (apt-get install libsecret-tools)");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.success() && !text.is_empty()).then_some(text)
}

/// Files `secret` under latch's attributes for `key`, plus `extra` ones.
pub fn secret_tool_store(key: &str, secret: &str, extra: &[&str]) {
    let mut child = Command::new("secret-tool")
        .args([
            "store", "--label", "test", "service", "latch", "username", key,
        ])
        .args(extra)
        .stdin(Stdio::piped())
        .spawn()
        .expect("secret-tool");
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(secret.as_bytes())
            .expect("write");
    }
    assert!(child.wait().expect("secret-tool").success());
}

pub fn secret_tool_clear(key: &str) {
    let status = Command::new("secret-tool")
        .args(["clear", "service", "latch", "username", key])
        .status()
        .expect("secret-tool");
    assert!(status.success());
}

/// How many Secret Service items carry latch's attributes for `key`.
pub fn secret_tool_search_count(key: &str) -> usize {
    let output = Command::new("secret-tool")
        .args(["search", "--all", "service", "latch", "username", key])
        .output()
        .expect("secret-tool");
    // Each item is a block that starts with its object path in brackets.
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&output.stderr).lines())
        .filter(|line| line.starts_with("[/"))
        .count()
}

/// `dbus-monitor` on the bus at `address`, keeping the calls of some Secret
/// Service methods while it runs. A call gnome-keyring refused because it
/// did not know the caller yet (`UnknownMethod`: latch makes it again) is not
/// kept.
pub struct BusMonitor {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    /// Each call kept so far: who made it (a unique bus name), its serial,
    /// and which method.
    seen: std::cell::RefCell<Vec<(String, String, String)>>,
}

const UNKNOWN_METHOD: &str = "org.freedesktop.DBus.Error.UnknownMethod";

impl BusMonitor {
    /// Keeps the calls of `member`.
    pub fn start(address: &str, member: &str) -> BusMonitor {
        BusMonitor::start_for(address, &[member])
    }

    /// Keeps the calls of each of `members`.
    pub fn start_for(address: &str, members: &[&str]) -> BusMonitor {
        let rules = members
            .iter()
            .map(|member| {
                format!(
                    "type='method_call',interface='org.freedesktop.Secret.Service',member='{member}'"
                )
            })
            .chain(["type='error'".to_owned()]);
        let mut child = Command::new("dbus-monitor")
            .args(["--address", address])
            .args(rules)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor (apt-get install dbus)");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        // The monitor's own NameLost signal says it is listening.
        let ready = lines
            .recv_timeout(Duration::from_secs(10))
            .expect("dbus-monitor started");
        assert!(ready.starts_with("signal"), "{ready}");
        BusMonitor {
            child,
            lines,
            seen: std::cell::RefCell::default(),
        }
    }

    /// The calls kept so far, in order, as (caller, method); each ends the
    /// round trip of a finished command, so a short wait collects them all.
    pub fn seen(&self) -> Vec<(String, String)> {
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(500)) {
            let field = |name: &str| {
                line.split([' ', ';'])
                    .find_map(|part| part.strip_prefix(name))
                    .map(str::to_owned)
            };
            let mut seen = self.seen.borrow_mut();
            if line.starts_with("method call")
                && let (Some(caller), Some(serial), Some(member)) =
                    (field("sender="), field("serial="), field("member="))
            {
                seen.push((caller, serial, member));
            } else if line.starts_with("error")
                && field("error_name=").as_deref() == Some(UNKNOWN_METHOD)
                && let (Some(caller), Some(serial)) =
                    (field("destination="), field("reply_serial="))
            {
                seen.retain(|(by, number, _)| (by, number) != (&caller, &serial));
            }
        }
        self.seen
            .borrow()
            .iter()
            .map(|(caller, _, member)| (caller.clone(), member.clone()))
            .collect()
    }

    /// How many calls were kept so far.
    pub fn calls(&self) -> usize {
        self.seen().len()
    }
}

impl Drop for BusMonitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A D-Bus session of its own with a gnome-keyring, so that a test can lock
/// the keyring without locking the one every other test uses. Closing its
/// standard input ends the session, and the keyring with it.
pub struct PrivateKeyring {
    session: std::process::Child,
    pub address: String,
}

impl PrivateKeyring {
    pub fn start(env: &Env) -> PrivateKeyring {
        PrivateKeyring::start_listening(env, None)
    }

    /// The same, on a bus that listens at `listen` (a D-Bus server address
    /// such as `unix:abstract=…` or `tcp:…`) instead of a socket file.
    pub fn start_listening(env: &Env, listen: Option<&str>) -> PrivateKeyring {
        use std::io::BufRead;
        // The address is printed once the keyring owns its name on the bus
        // (or after 10 seconds, for the test to fail on).
        let script = "eval \"$(printf pw | gnome-keyring-daemon --unlock --components=secrets --daemonize)\" >/dev/null; \
                      tries=0; until dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
                            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
                            | grep -q true || [ $tries -ge 200 ]; do tries=$((tries + 1)); sleep 0.05; done; \
                      echo \"$DBUS_SESSION_BUS_ADDRESS\"; read _";
        let runtime = env.home.join("run");
        std::fs::create_dir_all(&runtime).expect("runtime directory");
        std::fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .expect("chmod");
        let mut command = Command::new("dbus-run-session");
        if let Some(listen) = listen {
            // A session bus listening where the test says. Over TCP no
            // credentials cross, so any mechanism is allowed: gnome-keyring
            // uses DBUS_COOKIE_SHA1, zbus ANONYMOUS.
            let config = env.home.join("bus.conf");
            std::fs::write(
                &config,
                format!(
                    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" \
                     \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n\
                     <busconfig><type>session</type><listen>{listen}</listen>\
                     <allow_anonymous/>\
                     <policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>\
                     <allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n"
                ),
            )
            .expect("bus configuration");
            command.arg(format!("--config-file={}", config.display()));
        }
        let mut session = command
            .args(["--", "sh", "-c", script])
            .env("HOME", &env.home)
            .env("XDG_DATA_HOME", env.home.join(".local/share"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("dbus-run-session");
        let mut address = String::new();
        std::io::BufReader::new(session.stdout.take().expect("stdout"))
            .read_line(&mut address)
            .expect("the bus address");
        PrivateKeyring {
            session,
            address: address.trim().to_owned(),
        }
    }

    /// Runs latch in `env` with this keyring's bus as its session bus.
    pub fn run(&self, env: &Env, args: &[&str], stdin: Option<&str>) -> Outcome {
        let mut command = env.command(args);
        command.env("DBUS_SESSION_BUS_ADDRESS", &self.address);
        run_command(command, stdin.map(str::as_bytes))
    }

    pub fn dbus_send(&self, args: &[&str]) -> String {
        let output = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
            ])
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .expect("dbus-send");
        assert!(output.status.success(), "dbus-send {args:?}: {output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        drop(self.session.stdin.take());
        let _ = self.session.wait();
    }
}

pub fn keyctl_lookup(description: &str) -> Option<String> {
    let search = Command::new("keyctl")
        .args(["search", "@s", "user", description])
        .output()
        .expect("keyctl (apt-get install keyutils)");
    if !search.status.success() {
        return None;
    }
    let id = String::from_utf8_lossy(&search.stdout).trim().to_owned();
    let output = Command::new("keyctl")
        .args(["pipe", &id])
        .output()
        .expect("keyctl pipe");
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The string `key` of every object in a JSON array, in order.
#[track_caller]
pub fn field(array: &serde_json::Value, key: &str) -> Vec<String> {
    array
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|item| item[key].as_str().expect(key).to_owned())
        .collect()
}

pub fn sha256(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}

/// The binding latch stores for a session made under `encoded_hash`.
pub fn binding(encoded_hash: &str) -> Vec<u8> {
    let mut digest = Sha256::new();
    digest.update(b"latch session binding\0");
    digest.update(encoded_hash.as_bytes());
    digest.finalize().to_vec()
}

pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o7777
}
