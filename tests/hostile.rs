//! Hostile input at every door: arguments, standard input, the environment,
//! the store path and the token stores. One table; each case gets a fresh
//! environment and must end with the documented exit status, only
//! `latch: error:` and `hint:` lines on stderr (clap's usage lines too, for
//! exit 2), no panic, and the store as it was: byte for byte; or row for row
//! when the command checked a password first (the attempt is counted, then
//! forgotten); or, for a failed login (which the audit trail and the lockout
//! record by design), row for row in users, sessions and policy.
//!
//! A locked keyring gets a D-Bus session and gnome-keyring of its own, whose
//! login collection the test locks with `org.freedesktop.Secret.Service.Lock`
//! (dbus-send); with no display the unlock prompt is dismissed at once. The
//! kernel keyring is made unavailable by a session keyring whose permissions
//! are all taken away (`keyctl setperm @s 0`).
//!
//! Cases that cannot be made here, and why:
//! - NUL on argv: the kernel passes arguments as C strings, so a NUL cannot
//!   reach latch there; the NUL cases go through standard input.
//! - A store the user may not read, as root: permission bits do not stop
//!   root, so those cases run latch as `nobody` (with `setpriv`) when the
//!   tests run as root, and as the test's own user otherwise.
//! - A store on a read-only file system: a test cannot mount one; a
//!   directory or file the user may not write stands in for it.
//! - No HOME at all: the default store's directory then falls back to the
//!   home in the password database, so latch would reach the real user's
//!   files; every case sets HOME, and `LATCH_DB` where it matters.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use crate::util::{Env, OTHER_PASSWORD, Outcome, PASSWORD, run_command};

/// What is at the store path before the command runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Store {
    /// Nothing: no store, no directory.
    None,
    /// alice's store (alice@example.com, password `PASSWORD`), alice logged
    /// in through the file token store.
    Alice,
    Directory,
    NotSqlite,
    /// alice's store cut to half its length.
    Truncated,
    NewerSchema,
    WritableByOthers,
    InWritableDirectory,
    Fifo,
    SymlinkToDirectory,
    /// alice's store that the user running latch may not read.
    Unreadable,
    /// alice's store that the user running latch may read but not write.
    ReadOnly,
    /// No store, in a directory the user running latch may not write.
    ReadOnlyParent,
    /// No store and no directory above it: three levels are missing.
    MissingParent,
    /// The store's directory is a regular file.
    ParentIsAFile,
    /// No store, in a directory of mode 0777 (no sticky bit).
    NoneInWritableDirectory,
}

#[derive(Debug, Clone)]
enum Input {
    /// An empty standard input that is closed at once (/dev/null).
    Closed,
    /// No standard input at all: descriptor 0 closed before latch starts.
    NoDescriptor,
    Bytes(Vec<u8>),
}

/// How latch is started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wrap {
    Plain,
    /// As another user than the owner of the store (`nobody` when root).
    OtherUser,
    /// In a session keyring that denies latch everything.
    NoKernelKeyring,
}

/// What a case may change.
#[derive(Debug, Clone, Copy)]
enum Effect {
    /// Nothing: every file under HOME byte for byte.
    None,
    /// A failed login: the audit trail and the lockout, and nothing else.
    AuditOnly,
    /// A command that fails after checking a password (which counts the
    /// attempt, then forgets it): every row as it was.
    Rows,
    /// Input that looks hostile but is valid: the check says what it did.
    Accepted(fn(&Env)),
}

#[derive(Debug, Clone)]
struct Case {
    name: &'static str,
    store: Store,
    args: Vec<OsString>,
    stdin: Input,
    env: Vec<(&'static str, Option<OsString>)>,
    wrap: Wrap,
    code: i32,
    stderr_has: String,
    effect: Effect,
    json: bool,
    /// Run after the store is set up, before anything is recorded.
    prepare: Option<fn(&Env)>,
}

fn case<S: AsRef<std::ffi::OsStr>>(
    name: &'static str,
    store: Store,
    args: &[S],
    code: i32,
    stderr_has: &str,
) -> Case {
    Case {
        name,
        store,
        args: args.iter().map(|arg| arg.as_ref().to_owned()).collect(),
        stdin: Input::Closed,
        env: Vec::new(),
        wrap: Wrap::Plain,
        code,
        stderr_has: stderr_has.to_owned(),
        effect: Effect::None,
        json: false,
        prepare: None,
    }
}

impl Case {
    fn stdin(mut self, text: &str) -> Self {
        self.stdin = Input::Bytes(text.as_bytes().to_vec());
        self
    }

    fn stdin_bytes(mut self, bytes: Vec<u8>) -> Self {
        self.stdin = Input::Bytes(bytes);
        self
    }

    fn no_stdin_descriptor(mut self) -> Self {
        self.stdin = Input::NoDescriptor;
        self
    }

    fn arg_bytes(mut self, index: usize, bytes: &[u8]) -> Self {
        self.args[index] = OsString::from_vec(bytes.to_vec());
        self
    }

    fn env(mut self, key: &'static str, value: impl Into<OsString>) -> Self {
        self.env.push((key, Some(value.into())));
        self
    }

    fn unset(mut self, key: &'static str) -> Self {
        self.env.push((key, None));
        self
    }

    fn wrap(mut self, wrap: Wrap) -> Self {
        self.wrap = wrap;
        self
    }

    fn audit_only(mut self) -> Self {
        self.effect = Effect::AuditOnly;
        self
    }

    fn same_rows(mut self) -> Self {
        self.effect = Effect::Rows;
        self
    }

    fn accepted(mut self, check: fn(&Env)) -> Self {
        self.effect = Effect::Accepted(check);
        self
    }

    fn json(mut self) -> Self {
        self.json = true;
        self
    }

    fn prepare(mut self, prepare: fn(&Env)) -> Self {
        self.prepare = Some(prepare);
        self
    }
}

/// The file token store's directory, `$XDG_STATE_HOME/latch`.
fn state_dir(env: &Env) -> std::path::PathBuf {
    env.home.join(".local/state/latch")
}

/// The token store's directory with `mode`, reachable by the other user.
fn state_dir_with_mode(env: &Env, mode: u32) {
    let dir = state_dir(env);
    std::fs::create_dir_all(&dir).expect("state dir");
    for ancestor in [
        env.home.parent().expect("temporary dir"),
        &env.home,
        &env.home.join(".local"),
        &env.home.join(".local/state"),
    ] {
        chmod(ancestor, 0o711);
    }
    chmod(&dir, mode);
}

/// alice made an admin, as only SQL can on her store.
fn alice_admin(env: &Env) {
    env.sql("UPDATE users SET is_superuser = true");
}

fn line(password: &str) -> String {
    format!("{password}\n")
}

fn register(username: &str, email: &str) -> Vec<String> {
    ["register", username, "--email", email, "--password-stdin"]
        .map(str::to_owned)
        .to_vec()
}

const LOGIN: [&str; 3] = ["login", "alice", "--password-stdin"];
const PASSWD: [&str; 2] = ["passwd", "--password-stdin"];
const INVALID_LOGIN: &str = "latch: error: invalid username, password or code\n";
const TAKEN: &str = "latch: error: that username is already taken\n";
const IMPOSSIBLE_NAME: &str = "latch: error: username: may contain only letters, digits and _ . @ + -, so no account has it\n";

/// One user more than alice, with exactly these fields.
fn one_more_user(env: &Env, username: &str, email: &str) {
    assert_eq!(env.count("users"), 2);
    let (stored_name, stored_email): (String, String) = env
        .connection()
        .query_row(
            "SELECT username, email FROM users WHERE id = (SELECT max(id) FROM users)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("the new user");
    assert_eq!(
        (stored_name.as_str(), stored_email.as_str()),
        (username, email)
    );
}

// One case a line: the table reads better than rustfmt's layout of it.
#[rustfmt::skip]
fn cases() -> Vec<Case> {
    use Store::*;
    let ten_megabytes = vec![b'x'; 10 << 20];
    let long_name = "a".repeat(100_000);
    let long_email = format!("{}@example.com", "a".repeat(300));
    let pw = line(PASSWORD);
    let bob = register("bob", "bob@example.com");
    vec![
        // Usernames: empty, blank, overlong, control and invisible characters.
        case("empty username", Alice, &register("", "bob@example.com"), 3, "latch: error: username: is required\n").stdin(&pw),
        case("blank username", Alice, &register("   ", "bob@example.com"), 3, "username: may contain only letters, digits and _ . @ + - (found U+0020)").stdin(&pw),
        case("username of 151 characters", Alice, &register(&"b".repeat(151), "bob@example.com"), 3, "username: must be at most 150 characters (it has 151)").stdin(&pw),
        case("username of 100,000 characters", Alice, &register(&long_name, "bob@example.com"), 3, "username: must be at most 150 characters (it has 100000)").stdin(&pw),
        case("tab in a username", Alice, &register("bob\tby", "bob@example.com"), 3, "(found U+0009)").stdin(&pw),
        case("newline in a username", Alice, &register("bob\nroot", "bob@example.com"), 3, "(found U+000A)").stdin(&pw),
        case("escape sequence in a username", Alice, &register("\u{1b}[31mbob", "bob@example.com"), 3, "(found U+001B, '[')").stdin(&pw),
        case("bell in a username", Alice, &register("bob\u{7}", "bob@example.com"), 3, "(found U+0007)").stdin(&pw),
        case("right-to-left override after a name", Alice, &register("alice\u{202e}", "bob@example.com"), 3, "(found U+202E)").stdin(&pw),
        case("right-to-left override before a name", Alice, &register("\u{202e}ecila", "bob@example.com"), 3, "(found U+202E)").stdin(&pw),
        case("zero-width space in a name", Alice, &register("ali\u{200b}ce", "bob@example.com"), 3, "(found U+200B)").stdin(&pw),
        case("soft hyphen in a name", Alice, &register("ali\u{ad}ce", "bob@example.com"), 3, "(found U+00AD)").stdin(&pw),
        case("username not UTF-8", Alice, &bob, 2, "latch: error: invalid UTF-8 was detected in one or more arguments\n").arg_bytes(1, b"b\xffob").stdin(&pw),
        // Look-alikes that normalize onto alice.
        case("fullwidth alice", Alice, &register("ａｌｉｃｅ", "bob@example.com"), 6, TAKEN).stdin(&pw),
        case("upper-case alice", Alice, &register("ALICE", "bob@example.com"), 6, TAKEN).stdin(&pw),
        case("mathematical bold alice", Alice, &register("𝐚𝐥𝐢𝐜𝐞", "bob@example.com"), 6, TAKEN).stdin(&pw),
        case("modifier-letter A in alice", Alice, &register("ᴬlice", "bob@example.com"), 6, TAKEN).stdin(&pw),
        case("circled a in alice", Alice, &register("ⓐlice", "bob@example.com"), 6, TAKEN).stdin(&pw),
        // SQL and shell metacharacters.
        case("SQL injection in a username", Alice, &register("bob'; DROP TABLE users;--", "bob@example.com"), 3, "(found ''', ';', U+0020, ';')").stdin(&pw),
        case("SQL tautology in a username", Alice, &register("\" OR 1=1 --", "bob@example.com"), 3, "username: may contain only").stdin(&pw),
        case("command substitution in a username", Alice, &register("$(reboot)", "bob@example.com"), 3, "username: may contain only").stdin(&pw),
        case("backticks in a username", Alice, &register("`id`", "bob@example.com"), 3, "username: may contain only").stdin(&pw),
        case("pipes and redirections in a username", Alice, &register("a|b&c;d>e", "bob@example.com"), 3, "username: may contain only").stdin(&pw),
        case("LIKE wildcards are plain characters", Alice, &register("ali_e", "bob@example.com"), 0, "Registered ali_e.\n").stdin(&pw).accepted(|env| one_more_user(env, "ali_e", "bob@example.com")),
        case("SQL and shell characters allowed in an address", Alice, &register("bob", "o'hara+`id`%_*@example.com"), 0, "Registered bob.\n").stdin(&pw).accepted(|env| one_more_user(env, "bob", "o'hara+`id`%_*@example.com")),
        // Email addresses.
        case("empty email", Alice, &register("bob", ""), 3, "latch: error: email: is required\n").stdin(&pw),
        case("blank email", Alice, &register("bob", "   "), 3, "latch: error: email: is required\n").stdin(&pw),
        case("email of 312 characters", Alice, &register("bob", &long_email), 3, "email: must be at most 254 characters (it has 312)").stdin(&pw),
        case("control character in an email", Alice, &register("bob", "bob\u{7}@example.com"), 3, "email: is not a valid email address").stdin(&pw),
        case("header injection in an email", Alice, &register("bob", "bob@example.com\nBcc: all@example.com"), 3, "is not a valid email address").stdin(&pw),
        case("SQL injection in an email", Alice, &register("bob", "x'); DROP TABLE users;--@example.com"), 3, "is not a valid email address").stdin(&pw),
        case("email taken in another case", Alice, &register("bob", "ALICE@EXAMPLE.COM"), 6, "latch: error: that email address is already registered\n").stdin(&pw),
        case("email not UTF-8", Alice, &bob, 2, "invalid UTF-8 was detected").arg_bytes(3, b"bob@ex\xe9mple.com").stdin(&pw),
        // Passwords on standard input.
        case("closed stdin", Alice, &bob, 3, "latch: error: password: standard input is empty\n"),
        case("no stdin descriptor", Alice, &bob, 3, "latch: error: password: standard input is empty\n").no_stdin_descriptor(),
        case("login with no stdin descriptor", Alice, &LOGIN, 3, "latch: error: password: standard input is empty\n").no_stdin_descriptor(),
        case("empty line", Alice, &bob, 3, "password: must be at least 15 characters (it has 0)").stdin("\n"),
        case("CRLF alone", Alice, &bob, 3, "password: must be at least 15 characters (it has 0)").stdin("\r\n"),
        case("blank password", Alice, &bob, 3, "password: is too easy to guess").stdin(&line(&" ".repeat(20))),
        case("NUL in a new password", Alice, &bob, 3, "latch: error: password: must not contain a NUL character\n").stdin("correct horse\0battery staple\n"),
        case("invalid UTF-8 password", Alice, &bob, 3, "password: is not valid UTF-8").stdin_bytes(b"correct horse \xc3\x28 battery\n".to_vec()),
        case("10 MB on stdin", Alice, &bob, 3, "password: standard input holds more than 65536 bytes before a newline").stdin_bytes(ten_megabytes.clone()),
        case("password of 1025 characters", Alice, &bob, 3, "password: must be at most 1024 characters (it has 1025)").stdin(&line(&"correct horse battery staple ".repeat(36)[..1025])),
        // No terminal to prompt on.
        case("register without a terminal", Alice, &["register", "bob", "--email", "bob@example.com"], 2, "latch: error: no terminal to prompt for the password on\n"),
        case("login without a username or terminal", Alice, &["login"], 2, "latch: error: no USERNAME given, and no terminal to ask for it on\n"),
        case("login without a terminal", Alice, &["login", "alice"], 2, "latch: error: no terminal to prompt for the password on\n"),
        case("passwd without a terminal", Alice, &["passwd"], 2, "latch: error: no terminal to prompt for the password on\n"),
        // Logins.
        case("login with an empty username", Alice, &["login", "", "--password-stdin"], 3, "latch: error: username: is required\n").stdin(&pw),
        case("login with a username of 100,000 characters", Alice, &["login", &long_name, "--password-stdin"], 3, "username: must be at most 150 characters (it has 100000)").stdin(&pw),
        // A name no account can have is invalid input: not recorded, not counted.
        case("login with a right-to-left override", Alice, &["login", "alice\u{202e}", "--password-stdin"], 3, IMPOSSIBLE_NAME).stdin(&pw),
        case("login with SQL in the username", Alice, &["login", "alice' OR '1'='1", "--password-stdin"], 3, IMPOSSIBLE_NAME).stdin(&pw),
        case("login with a password for a username", Alice, &["login", "Tq8#vLr2!mZp9xWe-kelp", "--password-stdin"], 3, IMPOSSIBLE_NAME).stdin(&pw),
        case("login with a space in the username", Alice, &["login", "alice smith", "--password-stdin"], 3, IMPOSSIBLE_NAME).stdin(&pw),
        case("login with a control character in the username", Alice, &["login", "alice\u{1b}[2J", "--password-stdin"], 3, IMPOSSIBLE_NAME).stdin(&pw),
        case("login with a zero-width space in the username", Alice, &["login", "ali\u{200b}ce", "--password-stdin"], 3, IMPOSSIBLE_NAME).stdin(&pw),
        case("login with a name of only a space", Alice, &["login", " ", "--password-stdin"], 3, IMPOSSIBLE_NAME).stdin(&pw),
        case("admin: unlock a password typed as a name", Alice, &["users", "unlock", "Tq8#vLr2!mZp9xWe-kelp"], 3, IMPOSSIBLE_NAME).prepare(alice_admin),
        case("admin: history of a password typed as a name", Alice, &["history", "Tq8#vLr2!mZp9xWe-kelp"], 3, IMPOSSIBLE_NAME).prepare(alice_admin),
        case("admin: show a name with a space", Alice, &["users", "show", "a b"], 3, IMPOSSIBLE_NAME).prepare(alice_admin),
        case("admin: disable a name with an escape", Alice, &["users", "disable", "\u{1b}[31mbob"], 3, IMPOSSIBLE_NAME).prepare(alice_admin),
        case("admin: delete a name with a bidi override", Alice, &["users", "delete", "--yes", "bob\u{202e}"], 3, IMPOSSIBLE_NAME).prepare(alice_admin),
        case("admin: set the password of a name with a space", Alice, &["users", "set-password", "a b", "--password-stdin"], 3, IMPOSSIBLE_NAME).stdin(&pw).prepare(alice_admin),
        case("admin: grant admin to a name with a #", Alice, &["users", "admin", "grant", "#x"], 3, IMPOSSIBLE_NAME).prepare(alice_admin),
        case("admin: delete without a terminal names the command that works", Alice, &["users", "delete", "--", "alice"], 2, "hint: latch users delete --yes alice\n").prepare(alice_admin),
        case("login with a NUL after the password", Alice, &LOGIN, 4, INVALID_LOGIN).stdin(&format!("{PASSWORD}\0\n")).audit_only(),
        case("login with an invalid UTF-8 password", Alice, &LOGIN, 3, "password: is not valid UTF-8").stdin_bytes(b"\xff\xfe\n".to_vec()),
        case("login with 10 MB on stdin", Alice, &LOGIN, 3, "more than 65536 bytes").stdin_bytes(ten_megabytes.clone()),
        case("login with a closed stdin", Alice, &LOGIN, 3, "password: standard input is empty"),
        case("login username not UTF-8", Alice, &LOGIN, 2, "invalid UTF-8 was detected").arg_bytes(1, b"al\xffice").stdin(&pw),
        case("fullwidth ALICE logs in as alice", Alice, &["login", "ＡＬＩＣＥ", "--password-stdin"], 0, "Logged in as alice").stdin(&pw).accepted(|env| {
            env.whoami().success().stdout("alice\n");
        }),
        // passwd, logged in as alice.
        case("passwd with one line", Alice, &PASSWD, 3, "latch: error: password: line 2 of standard input: standard input is empty\n").stdin(&pw),
        case("passwd with a NUL in the new password", Alice, &PASSWD, 3, "password: must not contain a NUL character").stdin(&format!("{PASSWORD}\ncorrect horse\0battery staple\n")).same_rows(),
        case("passwd with a closed stdin", Alice, &PASSWD, 3, "standard input is empty"),
        case("passwd with 10 MB on stdin", Alice, &PASSWD, 3, "more than 65536 bytes").stdin_bytes(ten_megabytes),
        case("passwd with a wrong current password", Alice, &PASSWD, 4, INVALID_LOGIN).stdin(&format!("{OTHER_PASSWORD}\n{OTHER_PASSWORD}\n")).audit_only(),
        // The other commands' arguments.
        case("history limit 0", Alice, &["history", "--limit", "0"], 3, "latch: error: limit: must be at least 1\n"),
        case("history limit negative", Alice, &["history", "--limit", "-1"], 2, "latch: error: unexpected argument '-1' found"),
        case("history limit overflowing", Alice, &["history", "--limit", "99999999999"], 2, "invalid value '99999999999' for '--limit <N>'"),
        case("history of an empty name", Alice, &["history", ""], 9, "only an admin can read another user's history"),
        case("unlock an empty name", Alice, &["users", "unlock", ""], 9, "this needs an admin, and alice is not one"),
        case("policy value overflowing", Alice, &["policy", "set", "min-length", "99999999999999999999"], 2, "invalid value '99999999999999999999'"),
        case("policy key unknown", Alice, &["policy", "set", "min_length; DROP TABLE policy", "1"], 2, "invalid value 'min_length; DROP TABLE policy' for '<KEY>'"),
        case("policy set by a user", Alice, &["policy", "set", "min-length", "8"], 9, "this needs an admin, and alice is not one"),
        case("logout with an argument", Alice, &["logout", "alice"], 2, "latch: error: unexpected argument 'alice' found"),
        case("logout --all from a store that is not SQLite", NotSqlite, &["logout", "--all"], 8, "is not an SQLite database"),
        case("grant admin to an overlong name", Alice, &["users", "admin", "grant", &long_name], 9, "this needs an admin, and alice is not one"),
        case("revoke admin from an injected name", Alice, &["users", "admin", "revoke", "alice'--"], 9, "this needs an admin, and alice is not one"),
        case("policy show from a truncated store", Truncated, &["policy", "show", "--json"], 8, "store_error").json(),
        case("history from a store others can write", WritableByOthers, &["history", "--json"], 8, "store_error").json(),
        case("completions for a shell command", None, &["completions", "bash; rm -rf /"], 2, "invalid value 'bash; rm -rf /' for '<SHELL>'"),
        // The environment.
        // An empty variable counts as unset: the default store (none there) and token store.
        case("empty LATCH_DB", Alice, &["whoami"], 4, "latch: error: not logged in\n").env("LATCH_DB", ""),
        case("empty LATCH_TOKEN_STORE", Alice, &["whoami"], 4, "latch: error: not logged in\n").env("LATCH_TOKEN_STORE", ""),
        case("empty LATCH_DB and LATCH_TOKEN_STORE, completions", None, &["completions", "bash"], 0, "").env("LATCH_DB", "").env("LATCH_TOKEN_STORE", ""),
        case("empty LATCH_DB, policy show", Alice, &["policy", "show", "--json"], 0, "").env("LATCH_DB", ""),
        case("empty --db on the command line", Alice, &["--db", "", "whoami"], 2, "a value is required for '--db <PATH>' but none was supplied"),
        case("empty --token-store on the command line", Alice, &["--token-store=", "whoami"], 2, "a value is required for '--token-store <STORE>'"),
        case("LATCH_TOKEN_STORE in capitals", Alice, &["whoami"], 2, "invalid value 'FILE' for '--token-store <STORE>'").env("LATCH_TOKEN_STORE", "FILE"),
        case("LATCH_DB not UTF-8, no store there", Alice, &["whoami"], 4, "latch: error: not logged in\n").env("LATCH_DB", OsString::from_vec(b"/nonexistent-latch-\xff/latch.db".to_vec())),
        case("no D-Bus session", Alice, &["whoami"], 7, "latch: error: the Secret Service keyring is unavailable: ").env("LATCH_TOKEN_STORE", "keyring").unset("DBUS_SESSION_BUS_ADDRESS").env("XDG_RUNTIME_DIR", "/nonexistent-latch-runtime"),
        case("a D-Bus address that is garbage", Alice, &LOGIN, 7, "the Secret Service keyring is unavailable").env("LATCH_TOKEN_STORE", "keyring").env("DBUS_SESSION_BUS_ADDRESS", "garbage;;;").stdin(&pw).same_rows(),
        case("kernel keyring unavailable: whoami", Alice, &["whoami"], 7, "latch: error: the kernel keyring (keyutils) is unavailable: ").env("LATCH_TOKEN_STORE", "keyutils").wrap(Wrap::NoKernelKeyring),
        case("kernel keyring unavailable: login", Alice, &LOGIN, 7, "hint: run latch inside a session keyring").env("LATCH_TOKEN_STORE", "keyutils").wrap(Wrap::NoKernelKeyring).stdin(&pw).same_rows(),
        // The store path.
        case("store is a directory", Directory, &bob, 8, "is a directory, not a store file").stdin(&pw),
        case("store is a symlink to a directory", SymlinkToDirectory, &LOGIN, 8, "is a directory, not a store file").stdin(&pw),
        case("store is a named pipe", Fifo, &LOGIN, 8, "is a named pipe, not a store file").stdin(&pw),
        case("store is /dev/null", None, &LOGIN, 8, "/dev/null: is a character device, not a store file").env("LATCH_DB", "/dev/null").stdin(&pw),
        case("store is not SQLite", NotSqlite, &bob, 8, "is not an SQLite database").stdin(&pw),
        case("store is not SQLite, JSON error", NotSqlite, &["policy", "show", "--json"], 8, "store_error").json(),
        // Nobody is logged in: whoami reads the token first and never opens the store.
        case("store is not SQLite, whoami", NotSqlite, &["whoami"], 4, "latch: error: not logged in"),
        case("store is truncated", Truncated, &LOGIN, 8, "latch: error: account store ").stdin(&pw),
        case("store is truncated: register", Truncated, &bob, 8, ": is corrupt\n").stdin(&pw),
        case("store from a newer schema", NewerSchema, &["whoami"], 8, "was written by a newer latch (schema 99; this latch knows up to 5)"),
        case("store others can write", WritableByOthers, &["whoami"], 8, "is writable by other users (mode 0666)"),
        case("store in a directory others can write", InWritableDirectory, &LOGIN, 8, "is in a directory other users may write to (mode 0777)").stdin(&pw),
        case("new store in a directory others can write", NoneInWritableDirectory, &bob, 8, "is in a directory other users may write to (mode 0777)\nhint: chmod 700 ").stdin(&pw),
        case("new store in a directory its group can write", NoneInWritableDirectory, &bob, 8, "(mode 0775)").stdin(&pw).prepare(|env| chmod(env.db.parent().expect("dir"), 0o775)),
        case("new store in a sticky shared directory", NoneInWritableDirectory, &bob, 0, "Registered bob.").stdin(&pw).prepare(|env| chmod(env.db.parent().expect("dir"), 0o1777)).accepted(|env| assert_eq!(env.count("users"), 1)),
        // The file token store's directory and file.
        case("token file is a directory", None, &["whoami"], 7, "tokens.json is a directory, not a token file\nhint: remove it or move it away, or choose another token store").prepare(|env| std::fs::create_dir_all(state_dir(env).join("tokens.json")).expect("mkdir")),
        case("token file is a named pipe", None, &["whoami"], 7, "tokens.json is not a regular file, not a token file").prepare(|env| {
            std::fs::create_dir_all(state_dir(env)).expect("mkdir");
            assert!(Command::new("mkfifo").arg(state_dir(env).join("tokens.json")).status().expect("mkfifo").success());
        }),
        case("token directory others can write", None, &["whoami"], 7, "is in a directory other users may write to (mode 0777)\nhint: chmod 700 ").prepare(|env| state_dir_with_mode(env, 0o777)),
        case("token directory others can write: login", Alice, &LOGIN, 7, "is in a directory other users may write to (mode 0777)").stdin(&pw).same_rows().prepare(|env| chmod(&state_dir(env), 0o777)),
        case("token directory of mode 000", None, &["whoami"], 7, "hint: check the permissions of ").prepare(|env| state_dir_with_mode(env, 0o000)).wrap(Wrap::OtherUser),
        case("store this user cannot read", Unreadable, &bob, 8, ": cannot be opened\n").stdin(&pw).wrap(Wrap::OtherUser),
        case("store this user cannot write", ReadOnly, &bob, 8, ": is read-only\n").stdin(&pw).wrap(Wrap::OtherUser),
        case("store this user cannot write: login", ReadOnly, &LOGIN, 8, ": is read-only\n").stdin(&pw).wrap(Wrap::OtherUser),
        case("store in a directory this user cannot write", ReadOnlyParent, &bob, 8, ": cannot create: permission denied\n").stdin(&pw).wrap(Wrap::OtherUser),
        case("store with a missing parent: whoami", MissingParent, &["whoami"], 4, "latch: error: not logged in\n"),
        case("store with a missing parent: login", MissingParent, &LOGIN, 4, "hint: there is no account store at ").stdin(&pw),
        case("store whose directory is a file", ParentIsAFile, &bob, 8, "cannot read").stdin(&pw),
    ]
}

/// alice's store and her token, made once: every case starts from a copy.
fn alice_template() -> &'static (Vec<u8>, String) {
    static TEMPLATE: OnceLock<(Vec<u8>, String)> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let env = Env::with_token_store("file");
        env.alice_logged_in();
        let token = env.stored_token().expect("alice's token");
        // Every connection is closed: the WAL is folded into the file.
        (std::fs::read(&env.db).expect("read the store"), token)
    })
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn write_alice(env: &Env) {
    let (bytes, token) = alice_template();
    let dir = env.db.parent().expect("store directory");
    std::fs::create_dir_all(dir).expect("store directory");
    chmod(dir, 0o700);
    std::fs::write(&env.db, bytes).expect("write the store");
    chmod(&env.db, 0o600);
    let state = env.home.join(".local/state/latch");
    std::fs::create_dir_all(&state).expect("state directory");
    chmod(&state, 0o700);
    let tokens = state.join("tokens.json");
    let json = serde_json::json!({ env.token_key(): token });
    std::fs::write(&tokens, json.to_string()).expect("token file");
    chmod(&tokens, 0o600);
}

fn set_up(env: &Env, store: Store) {
    let dir = env.db.parent().expect("store directory");
    match store {
        Store::None | Store::MissingParent => {}
        Store::Alice => write_alice(env),
        Store::Directory => std::fs::create_dir_all(&env.db).expect("directory"),
        Store::NotSqlite => {
            std::fs::create_dir_all(dir).expect("dir");
            std::fs::write(&env.db, "this is not a database\n".repeat(200)).expect("write");
            chmod(&env.db, 0o600);
        }
        Store::Truncated => {
            write_alice(env);
            let bytes = std::fs::read(&env.db).expect("read");
            std::fs::write(&env.db, &bytes[..bytes.len() / 2]).expect("truncate");
        }
        Store::NewerSchema => {
            write_alice(env);
            env.sql("PRAGMA user_version = 99");
        }
        Store::WritableByOthers => {
            write_alice(env);
            chmod(&env.db, 0o666);
        }
        Store::InWritableDirectory => {
            write_alice(env);
            chmod(dir, 0o777);
        }
        Store::Fifo => {
            std::fs::create_dir_all(dir).expect("dir");
            let status = Command::new("mkfifo")
                .args(["-m", "600"])
                .arg(&env.db)
                .status()
                .expect("mkfifo");
            assert!(status.success());
        }
        Store::SymlinkToDirectory => {
            std::fs::create_dir_all(dir).expect("dir");
            std::os::unix::fs::symlink(&env.home, &env.db).expect("symlink");
        }
        Store::Unreadable | Store::ReadOnly | Store::ReadOnlyParent => {
            if store == Store::ReadOnlyParent {
                std::fs::create_dir_all(dir).expect("dir");
            } else {
                write_alice(env);
            }
            // The other user must reach the store through the temporary directories.
            for ancestor in [env.home.parent().expect("temporary dir"), &env.home] {
                chmod(ancestor, 0o711);
            }
            match store {
                Store::Unreadable => {
                    chmod(dir, 0o711);
                    chmod(&env.db, 0o000);
                }
                Store::ReadOnly => {
                    chmod(dir, 0o555);
                    chmod(&env.db, 0o444);
                }
                _ => chmod(dir, 0o555),
            }
        }
        Store::NoneInWritableDirectory => {
            std::fs::create_dir_all(dir).expect("dir");
            chmod(dir, 0o777);
        }
        Store::ParentIsAFile => {
            std::fs::write(dir, "a file where the store's directory should be\n").expect("write");
        }
    }
}

fn command(env: &Env, case: &Case) -> Command {
    let mut inner = env.command(&[]);
    inner.args(&case.args);
    if matches!(case.store, Store::MissingParent) {
        inner.env("LATCH_DB", env.home.join("a/b/c/latch.db"));
    }
    if !matches!(case.store, Store::Alice)
        || case.env.iter().all(|(k, _)| *k != "LATCH_TOKEN_STORE")
    {
        inner.env("LATCH_TOKEN_STORE", "file");
    }
    for (key, value) in &case.env {
        match value {
            Some(value) => inner.env(key, value),
            None => inner.env_remove(key),
        };
    }
    let (program, prefix): (&str, Vec<&str>) = match case.wrap {
        Wrap::Plain => return inner,
        Wrap::OtherUser if running_as_root() => (
            "setpriv",
            vec!["--reuid=65534", "--regid=65534", "--clear-groups"],
        ),
        Wrap::OtherUser => return inner,
        Wrap::NoKernelKeyring => (
            "keyctl",
            vec![
                "session",
                "-",
                "sh",
                "-c",
                "keyctl setperm @s 0 && exec \"$@\"",
                "sh",
            ],
        ),
    };
    crate::util::wrapped(program, &prefix, &inner)
}

/// Every file under HOME, with its bytes (or what it is, if not a file).
fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(path) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let name = path.display().to_string();
        if meta.is_dir() {
            out.push((
                name,
                format!("dir {:o}", meta.permissions().mode()).into_bytes(),
            ));
            if let Ok(entries) = std::fs::read_dir(&path) {
                stack.extend(entries.flatten().map(|e| e.path()));
            }
        } else if meta.is_file() {
            let bytes =
                std::fs::read(&path).unwrap_or_else(|e| format!("unreadable: {e}").into_bytes());
            out.push((name, bytes));
        } else {
            out.push((name, format!("{:?}", meta.file_type()).into_bytes()));
        }
    }
    out.sort();
    out
}

/// The rows a failed login must leave alone.
fn accounts_and_sessions(env: &Env) -> String {
    let dump = env.dump();
    dump.lines()
        .filter(|line| {
            ["users:", "sessions:", "policy:"]
                .iter()
                .any(|t| line.starts_with(t))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn check(case: &Case, outcome: &Outcome) {
    let context = format!("case {:?}: {outcome:#?}", case.name);
    assert_eq!(outcome.code, case.code, "exit status, {context}");
    outcome.no_panic();
    assert!(!outcome.stderr.contains("internal error"), "{context}");
    assert!(
        outcome.stderr.contains(&case.stderr_has),
        "stderr lacks {:?}, {context}",
        case.stderr_has
    );
    if case.code == 0 {
        return;
    }
    assert_eq!(outcome.stdout, "", "stdout, {context}");
    if case.json {
        let lines: Vec<&str> = outcome
            .stderr
            .lines()
            .filter(|l| !l.starts_with("latch: warning:"))
            .collect();
        assert_eq!(lines.len(), 1, "one JSON line, {context}");
        let value: serde_json::Value = serde_json::from_str(lines[0]).expect("a JSON error");
        assert_eq!(
            value["error"]["code"],
            case.stderr_has.as_str(),
            "{context}"
        );
        return;
    }
    let mut errors = 0;
    for line in outcome.stderr.lines() {
        if line.starts_with("latch: error: ") {
            errors += 1;
            continue;
        }
        let clap_usage = case.code == 2
            && (line.starts_with("Usage: ")
                || line.starts_with("For more information")
                || line.starts_with("  "));
        let allowed = line.starts_with("hint: ")
            || line.starts_with("latch: warning: ")
            || line.starts_with("Joined session keyring: ") && case.wrap == Wrap::NoKernelKeyring
            || clap_usage;
        assert!(allowed, "stray stderr line {line:?}, {context}");
    }
    assert!(errors >= 1, "no `latch: error:` line, {context}");
}

#[test]
fn hostile_input_gets_its_exit_status_one_line_errors_and_no_change() {
    let cases = cases();
    assert!(cases.len() >= 50, "only {} cases", cases.len());
    // Every case runs, and every failure is reported, not only the first.
    let failed: Vec<&str> = cases
        .iter()
        .filter(|case| std::panic::catch_unwind(|| run_case(case, &[])).is_err())
        .map(|case| case.name)
        .collect();
    assert!(failed.is_empty(), "failed cases: {failed:#?}");
}

fn run_case(case: &Case, extra_env: &[(&str, &str)]) {
    let env = Env::with_token_store("file");
    set_up(&env, case.store);
    if let Some(prepare) = case.prepare {
        prepare(&env);
    }
    let before_files = snapshot(&env.home);
    let before_rows = match case.effect {
        Effect::AuditOnly => Some(accounts_and_sessions(&env)),
        Effect::Rows => Some(env.dump()),
        _ => None,
    };
    let mut command = command(&env, case);
    for (key, value) in extra_env {
        command.env(key, value);
    }
    let stdin = match &case.stdin {
        Input::Closed => None,
        Input::NoDescriptor => {
            use std::os::unix::process::CommandExt;
            // SAFETY: close is async-signal-safe, and the child owns its descriptors.
            unsafe {
                command.pre_exec(|| {
                    libc::close(0);
                    Ok(())
                });
            }
            None
        }
        Input::Bytes(bytes) => Some(bytes.as_slice()),
    };
    let outcome = run_command(command, stdin);
    check(case, &outcome);
    match case.effect {
        Effect::None => assert!(
            snapshot(&env.home) == before_files,
            "case {:?} changed files under HOME: {outcome:#?}",
            case.name
        ),
        Effect::AuditOnly => assert_eq!(
            Some(accounts_and_sessions(&env)),
            before_rows,
            "case {:?} changed accounts or sessions",
            case.name
        ),
        Effect::Rows => assert_eq!(
            Some(env.dump()),
            before_rows,
            "case {:?} changed rows",
            case.name
        ),
        Effect::Accepted(check) => check(&env),
    }
}

#[test]
fn a_locked_keyring_is_exit_7_and_changes_nothing() {
    let env = Env::new();
    let keyring = crate::util::PrivateKeyring::start(&env);
    let bus = [
        ("DBUS_SESSION_BUS_ADDRESS", keyring.address.as_str()),
        ("DISPLAY", ""),
        ("WAYLAND_DISPLAY", ""),
    ];
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut command = env.command(args);
        command.envs(bus);
        run_command(command, stdin.map(str::as_bytes))
    };
    run(
        &[
            "register",
            "alice",
            "--email",
            "alice@example.com",
            "--password-stdin",
            "--login",
        ],
        Some(&line(PASSWORD)),
    )
    .success();
    run(&["whoami"], None).success().stdout("alice\n");

    // Lock the login collection, as a screen lock or `secret-tool lock` would.
    let collection = "/org/freedesktop/secrets/collection/login";
    keyring.dbus_send(&[
        "/org/freedesktop/secrets",
        "org.freedesktop.Secret.Service.Lock",
        &format!("array:objpath:{collection}"),
    ]);
    let locked = keyring.dbus_send(&[
        collection,
        "org.freedesktop.DBus.Properties.Get",
        "string:org.freedesktop.Secret.Collection",
        "string:Locked",
    ]);
    assert!(locked.contains("boolean true"), "not locked: {locked}");

    // login and passwd check the password, which counts the attempt and
    // then forgets it: every row must be as it was.
    let before = env.dump();
    let unlocks = crate::util::BusMonitor::start(&keyring.address, "Unlock");
    for (args, stdin) in [
        (&["whoami"][..], None),
        (&LOGIN[..], Some(line(PASSWORD))),
        (&["logout"][..], None),
        (&PASSWD[..], Some(format!("{PASSWORD}\n{OTHER_PASSWORD}\n"))),
    ] {
        let outcome = run(args, stdin.as_deref());
        let expected = case(
            "locked keyring",
            Store::Alice,
            args,
            7,
            "latch: error: the Secret Service keyring is unavailable: ",
        );
        check(&expected, &outcome);
    }
    // Each asked the Secret Service to unlock the token (its prompt is
    // dismissed at once without a display) before giving up.
    assert_eq!(unlocks.calls(), 4);
    assert_eq!(env.dump(), before, "a command changed the store");
}
