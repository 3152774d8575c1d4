//! The harness: each `Env` is a fresh HOME, XDG directories, store (an
//! SQLite file, or a PostgreSQL database of its own) and token store choice;
//! `run` starts the real binary with only those settings and returns exit
//! code, stdout and stderr together. `inspect` reads and changes the store
//! behind latch's back, on either backend.

mod inspect;
mod keyring;
mod pg;
pub mod snapshots;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};

pub use keyring::*;
pub use pg::{PgDatabase, PgServer};
// Used by the binaries with PostgreSQL tests of their own settings, or a
// server of their own, only.
#[allow(unused_imports)]
pub use pg::{PrivateServer, pg_setting};

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

    /// One `latch: error:` line, and nothing on stderr but it, warnings and
    /// hints.
    #[track_caller]
    pub fn one_error_line(&self) -> &Self {
        let errors = self
            .stderr
            .lines()
            .filter(|line| line.starts_with("latch: error: "))
            .count();
        assert_eq!(errors, 1, "{self:#?}");
        for line in self.stderr.lines() {
            assert!(
                line.starts_with("latch: error: ")
                    || line.starts_with("latch: warning: ")
                    || line.starts_with("hint: "),
                "{self:#?}"
            );
        }
        self
    }

    /// None of `secrets` on stderr.
    #[track_caller]
    pub fn hides(&self, secrets: &[&str]) -> &Self {
        for secret in secrets {
            assert!(!self.stderr.contains(secret), "{self:#?}");
        }
        self
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

/// Which store the tests of a binary run against: `integration` on SQLite
/// files, `postgres` on databases of the server scripts/test-env starts. The
/// binary's root says which, as `BACKEND`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug)]
pub struct Env {
    _dir: tempfile::TempDir,
    pub home: PathBuf,
    /// The SQLite file (on PostgreSQL, a path nothing is ever written to).
    pub db: PathBuf,
    /// What `LATCH_DB` is: the file, or the database's connection string.
    pub store: std::ffi::OsString,
    pub token_store: &'static str,
    /// The database of this environment's own, when on PostgreSQL; shared by
    /// the environments `using` makes, dropped with the last of them.
    pg: Option<Arc<PgDatabase>>,
}

impl Env {
    /// A fresh environment on this binary's backend, using the Secret Service.
    pub fn new() -> Env {
        Env::with_token_store("keyring")
    }

    pub fn with_token_store(token_store: &'static str) -> Env {
        Env::on(crate::BACKEND, token_store)
    }

    /// A fresh environment on an SQLite file, whatever the binary's backend:
    /// for tests of the file itself.
    pub fn sqlite() -> Env {
        Env::on(Backend::Sqlite, "keyring")
    }

    /// A fresh environment on a database of its own, whatever the binary's
    /// backend.
    pub fn postgres() -> Env {
        Env::on(Backend::Postgres, "keyring")
    }

    pub fn on(backend: Backend, token_store: &'static str) -> Env {
        let pg = (backend == Backend::Postgres).then(PgDatabase::create);
        Env::with_database(pg, token_store)
    }

    /// A fresh environment on a new database of `server` (a private one).
    pub fn on_server(server: PgServer, token_store: &'static str) -> Env {
        Env::with_database(Some(PgDatabase::create_on(server)), token_store)
    }

    fn with_database(pg: Option<PgDatabase>, token_store: &'static str) -> Env {
        let dir = tempfile::tempdir().expect("temporary directory");
        let home = dir.path().join("home");
        std::fs::create_dir(&home).expect("home");
        let db = home.join("store").join("latch.db");
        let pg = pg.map(Arc::new);
        let store = match &pg {
            Some(database) => database.conninfo().into(),
            None => db.clone().into_os_string(),
        };
        Env {
            _dir: dir,
            home,
            db,
            store,
            token_store,
            pg,
        }
    }

    pub fn backend(&self) -> Backend {
        if self.pg.is_some() {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// The database, when the store is on PostgreSQL.
    pub fn pg(&self) -> Option<&PgDatabase> {
        self.pg.as_deref()
    }

    /// The same store and HOME, another token store.
    pub fn using(&self, token_store: &'static str) -> Env {
        let dir = tempfile::tempdir().expect("temporary directory");
        Env {
            _dir: dir,
            home: self.home.clone(),
            db: self.db.clone(),
            store: self.store.clone(),
            token_store,
            pg: self.pg.clone(),
        }
    }

    /// Another host on the same store: a HOME and token store of its own.
    pub fn another_host(&self, token_store: &'static str) -> Env {
        let dir = tempfile::tempdir().expect("temporary directory");
        let home = dir.path().join("home");
        std::fs::create_dir(&home).expect("home");
        Env {
            _dir: dir,
            home,
            db: self.db.clone(),
            store: self.store.clone(),
            token_store,
            pg: self.pg.clone(),
        }
    }

    /// This environment's store reached another way (`url`: through
    /// PgBouncer, say): a HOME and token store of its own, the same database.
    pub fn through(&self, url: String, token_store: &'static str) -> Env {
        let mut env = self.another_host(token_store);
        env.store = url.into();
        env
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
            .env("LATCH_DB", &self.store)
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
        match &self.pg {
            Some(database) => database.token_key(),
            None => std::fs::canonicalize(&self.db)
                .unwrap_or_else(|_| self.db.clone())
                .to_string_lossy()
                .into_owned(),
        }
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

/// Runs the commands `commands` makes, each in a process of its own, all
/// started at once: a thread per command, each waiting at one barrier before
/// it spawns latch and writes its standard input. Outcomes in the commands'
/// order.
pub fn at_once(commands: Vec<(Command, Option<String>)>) -> Vec<Outcome> {
    use std::io::Write;
    let barrier = std::sync::Barrier::new(commands.len());
    std::thread::scope(|scope| {
        let handles: Vec<_> = commands
            .into_iter()
            .map(|(mut command, stdin)| {
                let barrier = &barrier;
                scope.spawn(move || {
                    command
                        .stdin(Stdio::piped())
                        .stdout(Stdio::piped())
                        .stderr(Stdio::piped());
                    barrier.wait();
                    let mut child = command.spawn().expect("start latch");
                    let mut input = child.stdin.take().expect("stdin");
                    if let Some(text) = stdin {
                        // latch may exit before it reads (a usage error, a lock).
                        let _ = input.write_all(text.as_bytes());
                    }
                    drop(input);
                    let output = child.wait_with_output().expect("wait for latch");
                    Outcome {
                        code: output.status.code().unwrap_or(-1),
                        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
                        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a racing thread"))
            .collect()
    })
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
