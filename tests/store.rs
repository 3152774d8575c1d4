//! The account store: where it lives, its schema, and every way it can be bad.

use std::os::unix::fs::PermissionsExt;

use crate::util::{Env, PASSWORD, mode};

#[test]
fn defaults_to_the_xdg_data_directory() {
    let env = Env::new();
    let mut command = env.command(&[
        "register",
        "alice",
        "--email",
        "alice@example.com",
        "--password-stdin",
    ]);
    command.env_remove("LATCH_DB");
    crate::util::run_command(command, Some(format!("{}\n", PASSWORD).as_bytes())).success();
    let default = env.home.join(".local/share/latch/latch.db");
    assert!(default.exists());
    assert_eq!(mode(&default), 0o600);
    assert_eq!(mode(default.parent().expect("dir")), 0o700);
}

#[test]
fn db_flag_wins_over_the_environment() {
    let env = Env::new();
    let elsewhere = env.home.join("elsewhere.db");
    env.run(
        &[
            "--db",
            elsewhere.to_str().expect("path"),
            "register",
            "alice",
            "--email",
            "a@example.com",
            "--password-stdin",
        ],
        Some(&format!("{}\n", PASSWORD)),
    )
    .success();
    assert!(elsewhere.exists());
    assert!(!env.db.exists());
}

#[test]
fn keeps_djangos_auth_user_columns() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let conn = env.connection();
    let mut statement = conn
        .prepare("SELECT name FROM pragma_table_info('users')")
        .expect("pragma");
    let columns: Vec<String> = statement
        .query_map([], |row| row.get(0))
        .expect("columns")
        .collect::<Result<_, _>>()
        .expect("rows");
    for django in [
        "id",
        "password",
        "last_login",
        "is_superuser",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_active",
        "date_joined",
    ] {
        assert!(
            columns.iter().any(|c| c == django),
            "no {django} column in {columns:?}"
        );
    }
    let journal: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("mode");
    assert_eq!(journal, "wal");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("version");
    assert_eq!(version, 5);
    let joined: String = conn
        .query_row("SELECT date_joined FROM users", [], |row| row.get(0))
        .expect("date");
    assert_eq!(joined.len(), "2026-11-24 05:07:22.000000".len(), "{joined}");
}

#[test]
fn a_directory_is_not_a_store() {
    let env = Env::new();
    std::fs::create_dir_all(&env.db).expect("dir");
    env.register("alice", "alice@example.com")
        .code(8)
        .no_panic()
        .stderr_has("is a directory, not a store file");
    // Nobody is logged in: whoami reads the token first, never the store.
    env.whoami().code(4);
    env.run(&["policy", "show"], None).code(8);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let env = Env::new();
    std::fs::create_dir_all(env.db.parent().expect("dir")).expect("dir");
    let junk = "this is not a database\n".repeat(100);
    std::fs::write(&env.db, &junk).expect("write");
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    env.register("alice", "alice@example.com")
        .code(8)
        .no_panic()
        .stderr_has("is not an SQLite database");
    env.login("alice", PASSWORD).code(8);
    assert_eq!(std::fs::read_to_string(&env.db).expect("read"), junk);
}

#[test]
fn a_truncated_store_is_refused() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    env.sql("PRAGMA wal_checkpoint(TRUNCATE)");
    let bytes = std::fs::read(&env.db).expect("read");
    std::fs::write(&env.db, &bytes[..bytes.len() / 3]).expect("truncate");
    let outcome = env.login("alice", PASSWORD);
    outcome.no_panic();
    assert!([4, 8].contains(&outcome.code), "{outcome:#?}");
    if outcome.code == 8 {
        outcome.stderr_has("latch: error: account store");
    }
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    env.sql("PRAGMA user_version = 99");
    let before = env.dump();
    env.login("alice", PASSWORD)
        .code(8)
        .stderr_has("was written by a newer latch (schema 99; this latch knows up to 5)")
        .stderr_has("hint: upgrade latch");
    env.register("bob", "bob@example.com").code(8);
    assert_eq!(env.dump(), before);
}

#[test]
fn another_programs_database_is_refused() {
    let env = Env::new();
    std::fs::create_dir_all(env.db.parent().expect("dir")).expect("dir");
    let conn = rusqlite::Connection::open(&env.db).expect("create");
    conn.execute_batch("CREATE TABLE auth_user (id INTEGER PRIMARY KEY)")
        .expect("table");
    drop(conn);
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let before = std::fs::read(&env.db).expect("read");
    env.register("alice", "alice@example.com")
        .code(8)
        .stderr_has("is an SQLite database but not a latch store");
    env.run(&["policy", "show"], None).code(8);
    assert_eq!(
        std::fs::read(&env.db).expect("read"),
        before,
        "a refused database was written to"
    );
    let journal: String = rusqlite::Connection::open(&env.db)
        .expect("open")
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("mode");
    assert_eq!(journal, "delete", "a refused database was switched to WAL");
}

#[test]
fn a_store_others_can_write_is_refused() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o666)).expect("chmod");
    env.login("alice", PASSWORD)
        .code(8)
        .stderr_has("is writable by other users (mode 0666)")
        .stderr_has(&format!("hint: chmod 600 {}\n", env.db.display()));
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let dir = env.db.parent().expect("dir");
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    env.login("alice", PASSWORD)
        .code(8)
        .stderr_has("is in a directory other users may write to");
}

#[test]
fn a_store_that_cannot_be_created_is_exit_8() {
    let env = Env::new();
    let mut command = env.command(&[
        "register",
        "alice",
        "--email",
        "a@example.com",
        "--password-stdin",
    ]);
    command.env("LATCH_DB", "/proc/latch-cannot-be-here/latch.db");
    crate::util::run_command(command, Some(format!("{}\n", PASSWORD).as_bytes()))
        .code(8)
        .no_panic()
        .stderr_has("cannot create the directory");
}

#[test]
fn an_empty_store_path_is_a_usage_error() {
    let env = Env::new();
    let mut command = env.command(&["whoami"]);
    command.env("LATCH_DB", "");
    let outcome = crate::util::run_command(command, None);
    outcome.no_panic();
    assert!([2, 4].contains(&outcome.code), "{outcome:#?}");
}

#[test]
fn a_path_that_is_not_a_regular_file_is_refused() {
    let env = Env::new();
    let dir = env.db.parent().expect("dir");
    std::fs::create_dir_all(dir).expect("dir");
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let fifo = dir.join("fifo.db");
    let status = std::process::Command::new("mkfifo")
        .args(["-m", "600"])
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    for (path, kind) in [
        (fifo.to_str().expect("path"), "a named pipe"),
        ("/dev/null", "a character device"),
    ] {
        let mut command = env.command(&["login", "alice", "--password-stdin"]);
        command.env("LATCH_DB", path);
        let outcome = crate::util::run_command(command, Some(format!("{}\n", PASSWORD).as_bytes()));
        outcome.code(8).no_panic().stderr(&format!(
            "latch: error: account store {path}: is {kind}, not a store file\n\
                 hint: pass the path of a file with --db (or LATCH_DB)\n"
        ));
    }
}

#[test]
fn a_session_on_a_store_that_broke_is_a_store_error() {
    let env = Env::new();
    env.alice_logged_in();
    std::fs::write(&env.db, "this is not a database\n".repeat(100)).expect("overwrite");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", env.db.display()));
    }
    env.whoami()
        .code(8)
        .no_panic()
        .stderr_has("is not an SQLite database");
    assert!(
        env.stored_token().is_some(),
        "the token went with the store"
    );
}

#[test]
fn without_home_the_store_is_under_the_user_databases_home() {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root, to run latch as nobody");
        return;
    }
    let passwd = std::process::Command::new("getent")
        .args(["passwd", "65534"])
        .output()
        .expect("getent");
    let passwd = String::from_utf8(passwd.stdout).expect("text");
    let home = passwd
        .trim()
        .split(':')
        .nth(5)
        .expect("a home field")
        .to_owned();
    let env = crate::util::Env::with_token_store("file");
    for home_variable in [None, Some("")] {
        let mut inner = env.command(&[
            "register",
            "bob",
            "--email",
            "bob@example.com",
            "--password-stdin",
        ]);
        inner.env_remove("XDG_DATA_HOME").env_remove("LATCH_DB");
        match home_variable {
            None => inner.env_remove("HOME"),
            Some(value) => inner.env("HOME", value),
        };
        let command = crate::util::wrapped(
            "setpriv",
            &["--reuid=65534", "--regid=65534", "--clear-groups"],
            &inner,
        );
        // Not a usage error: the home of the user database is used, as the
        // man page says (nobody's cannot be written here).
        crate::util::run_command(command, Some(format!("{}\n", PASSWORD).as_bytes()))
            .code(8)
            .stderr_has(&format!(
                "latch: error: account store {home}/.local/share/latch"
            ));
    }
}

// Of the store file itself, so here rather than with their commands.

#[test]
fn creates_the_store_private() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    assert_eq!(mode(&env.db), 0o600);
    assert_eq!(mode(env.db.parent().expect("directory")), 0o700);
}

#[test]
fn a_vanished_store_is_not_logged_in() {
    let env = Env::new();
    env.alice_logged_in();
    std::fs::remove_dir_all(env.db.parent().expect("dir")).expect("remove the store");
    env.whoami().code(4);
    assert!(env.stored_token().is_none());
    assert!(!env.store_exists(), "whoami created a store");
}

#[test]
fn stores_whose_paths_differ_only_in_invalid_utf8_keep_their_own_sessions() {
    use std::os::unix::ffi::OsStrExt;
    // Two stores in one HOME, so one token store: their directories are
    // `s-\xff` and `s-\xfe`, which both read as `s-\u{fffd}` when converted
    // lossily.
    let in_directory = |env: &mut Env, name: &[u8]| {
        let dir = env.home.join(std::ffi::OsStr::from_bytes(name));
        std::fs::create_dir_all(&dir).expect("dir");
        env.db = dir.join("latch.db");
        env.store = env.db.clone().into_os_string();
    };
    let mut alice = Env::new();
    let mut bob = alice.using(alice.token_store);
    in_directory(&mut alice, b"s-\xff");
    in_directory(&mut bob, b"s-\xfe");

    alice.alice_logged_in();
    bob.register("bob", "bob@example.com").success();
    bob.login("bob", PASSWORD).success();
    alice.whoami().success().stdout("alice\n");
    bob.whoami().success().stdout("bob\n");
    bob.run(&["logout"], None).success();
    alice.whoami().success().stdout("alice\n");
}
