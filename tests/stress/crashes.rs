//! latch killed with SIGKILL at random points of register, login, passwd and
//! import, and while it creates or migrates a store. After every kill the
//! store must be sound (`PRAGMA integrity_check`), hold no half-created user
//! and no half an import, and hold no session whose token is not in the token
//! store; a token whose session never committed (an orphan) is expected, and
//! the next `whoami` removes it. Every command works afterwards.

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use latch::password::Pbkdf2Sha256;

use crate::util::{Env, OTHER_PASSWORD, PASSWORD, sha256};
use crate::{exclusive, install_schema_1, user_version};

/// How many kills that land while latch is still running the loop needs.
const KILLS: usize = 60;

#[derive(Debug, Clone, Copy)]
enum Op {
    Register,
    Login,
    Passwd,
    Import,
}

/// Users per import: enough that a kill lands inside its transaction.
const IMPORT_BATCH: usize = 3000;

/// The JSON Lines of import `round`: `IMPORT_BATCH` users named
/// `import{round}_{n}`, sharing one real hash.
fn import_lines(round: usize, hash: &str) -> String {
    (0..IMPORT_BATCH)
        .map(|n| {
            format!(
                "{{\"username\":\"import{round}_{n}\",\"email\":\"import{round}_{n}@example.com\",\"password\":\"{hash}\"}}\n"
            )
        })
        .collect()
}

/// How a command started by `kill_after` ended.
enum Ending {
    Killed,
    /// It exited first, with this status, after this long.
    Exited(i32, Duration),
}

/// Starts `args` with `stdin`, and kills it with SIGKILL after `delay` if it
/// is still running then.
fn kill_after(env: &Env, args: &[&str], stdin: &str, delay: Duration) -> Ending {
    let start = Instant::now();
    let mut child = env
        .command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn latch");
    if let Some(mut input) = child.stdin.take() {
        // A process killed before it reads closes the pipe: not an error here.
        let _ = input.write_all(stdin.as_bytes());
    }
    while start.elapsed() < delay {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Ending::Exited(status.code().unwrap_or(-1), start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    if let Some(status) = child.try_wait().expect("try_wait") {
        return Ending::Exited(status.code().unwrap_or(-1), start.elapsed());
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    Ending::Killed
}

/// The password alice has now: each committed `passwd` swaps the two.
fn current_password(env: &Env) -> &'static str {
    let changes = env.count("events WHERE kind = 'password_change' AND subject = 'alice'");
    if changes % 2 == 0 {
        PASSWORD
    } else {
        OTHER_PASSWORD
    }
}

fn other(password: &str) -> &'static str {
    if password == PASSWORD {
        OTHER_PASSWORD
    } else {
        PASSWORD
    }
}

/// Everything that must hold after any kill.
#[track_caller]
fn check_consistent(env: &Env, context: &str) {
    assert_eq!(env.integrity(), "ok", "{context}");
    let conn = env.connection();
    let violations: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })
        .expect("foreign_key_check");
    assert_eq!(violations, 0, "{context}");

    // No half an import: its users are there all together with its event,
    // or none of them and no event.
    let imports = env.count("events WHERE kind = 'import'");
    let imported = env.count("users WHERE username LIKE 'import%'");
    assert_eq!(
        imported,
        imports * IMPORT_BATCH as i64,
        "{context}: {imported} imported users for {imports} imports"
    );

    // No half-created user: every row has a real hash, and every registered
    // one its registration event.
    let mut statement = conn
        .prepare(
            "SELECT username, password, \
                    (SELECT count(*) FROM events WHERE kind = 'register' AND user_id = users.id) \
             FROM users WHERE username NOT LIKE 'import%'",
        )
        .expect("users");
    let users: Vec<(String, String, i64)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("users");
    for (username, password, registered) in &users {
        let hash = Pbkdf2Sha256::parse(password);
        assert!(
            hash.is_some_and(|h| h.iterations == 1_200_000),
            "{context}: {username} has the hash {password:?}"
        );
        assert_eq!(
            *registered, 1,
            "{context}: {username} has no register event"
        );
    }

    // No session without its token: the token store holds one token for this
    // store, and any session row must be that token's.
    let token = env.stored_token();
    let sessions = env.session_token_hashes();
    for hash in &sessions {
        assert_eq!(
            Some(hash),
            token.as_deref().map(sha256).as_ref(),
            "{context}: a session row whose token is not in the token store \
             (token store holds {})",
            if token.is_some() {
                "another token"
            } else {
                "none"
            }
        );
    }
    drop(statement);
    drop(conn);

    // The next whoami answers from that state, and removes an orphan token.
    let outcome = env.whoami();
    outcome.no_panic();
    if sessions.is_empty() {
        outcome.code(4);
        assert_eq!(
            env.stored_token(),
            None,
            "{context}: whoami kept an orphan token"
        );
    } else {
        outcome.success().stdout("alice\n");
    }
}

#[test]
fn sigkill_during_register_login_passwd_and_import_leaves_a_consistent_store() {
    let _turn = exclusive();
    let mut rng = Rng::from_env("sigkill_during_register_login_passwd_and_import");
    let env = Env::with_token_store("file");

    // Calibrate: how long each command takes here, unkilled.
    let timed = |run: &dyn Fn() -> crate::util::Outcome| {
        let start = Instant::now();
        run().success();
        start.elapsed()
    };
    // alice is the store's admin, so that her session can import.
    let mut register_time =
        timed(&|| env.register_with("alice", "alice@example.com", &["--admin"]));
    let mut login_time = timed(&|| env.login("alice", PASSWORD));
    let hash: String = env
        .connection()
        .query_row(
            "SELECT password FROM users WHERE username = 'alice'",
            [],
            |row| row.get(0),
        )
        .expect("alice's hash");
    let mut import_time = timed(&|| {
        env.run(
            &["import", "--format", "jsonl", "-"],
            Some(&import_lines(0, &hash)),
        )
    });
    let mut passwd_time = timed(&|| {
        env.run(
            &["passwd", "--password-stdin"],
            Some(&format!("{PASSWORD}\n{OTHER_PASSWORD}\n")),
        )
    });
    check_consistent(&env, "after calibration");
    // A login killed after its attempt was counted and before its verdict
    // stays a failure, as it must (the count comes first): allow many, so
    // that the kills do not lock alice out of the loop.
    env.sql("INSERT INTO policy (key, value) VALUES ('lockout-threshold', 100)");

    let mut kills = 0;
    let mut kills_of = [0; 4];
    let mut finished = 0;
    let mut round = 0;
    while kills < KILLS {
        round += 1;
        assert!(
            round <= 4 * KILLS,
            "only {kills} of {round} processes were still running when killed"
        );
        let op = match round % 4 {
            0 => Op::Register,
            1 => Op::Login,
            2 => Op::Passwd,
            _ => Op::Import,
        };
        let password = current_password(&env);
        if matches!(op, Op::Passwd | Op::Import) && env.whoami().code != 0 {
            env.login("alice", password).success();
        }
        let (args, stdin, typical): (Vec<String>, String, &mut Duration) = match op {
            Op::Register => (
                ["register", &format!("user{round}"), "--email"]
                    .iter()
                    .map(|s| s.to_string())
                    .chain([
                        format!("user{round}@example.com"),
                        "--password-stdin".into(),
                    ])
                    .collect(),
                format!("{PASSWORD}\n"),
                &mut register_time,
            ),
            Op::Login => (
                vec!["login".into(), "alice".into(), "--password-stdin".into()],
                format!("{password}\n"),
                &mut login_time,
            ),
            Op::Passwd => (
                vec!["passwd".into(), "--password-stdin".into()],
                format!("{password}\n{}\n", other(password)),
                &mut passwd_time,
            ),
            Op::Import => (
                ["import", "--format", "jsonl", "-"]
                    .map(String::from)
                    .to_vec(),
                import_lines(round, &hash),
                &mut import_time,
            ),
        };
        // Most kills aim at the end of the command, where it writes; the rest
        // anywhere in it.
        let fraction = if rng.unit() < 0.7 {
            0.8 + 0.25 * rng.unit()
        } else {
            rng.unit()
        };
        let delay = typical.mul_f64(fraction);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let context = format!("round {round}: {op:?} killed after {delay:?}");
        match kill_after(&env, &args, &stdin, delay) {
            Ending::Killed => {
                kills += 1;
                kills_of[op as usize] += 1;
            }
            Ending::Exited(code, took) => {
                finished += 1;
                assert_eq!(code, 0, "{context}: finished with exit {code}");
                // The machine got faster: aim the next kills earlier.
                *typical = (*typical + took) / 2;
            }
        }
        check_consistent(&env, &context);
    }
    eprintln!(
        "{kills} kills (register, login, passwd, import: {kills_of:?}) and \
         {finished} completed commands in {round} rounds"
    );
    assert!(
        kills_of.iter().all(|&k| k > 0),
        "a command was never killed: {kills_of:?}"
    );

    // Every command works afterwards.
    let password = current_password(&env);
    env.register("zed", "zed@example.com").success();
    env.login("alice", password).success();
    env.whoami().success().stdout("alice\n");
    env.run(
        &["passwd", "--password-stdin"],
        Some(&format!("{password}\n{}\n", other(password))),
    )
    .success();
    env.run(&["history", "--limit", "5"], None).success();
    env.run(&["logout"], None).success();
    env.login("zed", PASSWORD).success();
    check_consistent_as(&env, "zed");
}

/// After the loop, the logged-in user may be someone else than alice.
fn check_consistent_as(env: &Env, username: &str) {
    assert_eq!(env.integrity(), "ok");
    env.whoami().success().stdout(&format!("{username}\n"));
}

#[test]
fn sigkill_while_creating_a_store_leaves_one_that_works() {
    let _turn = exclusive();
    let mut rng = Rng::from_env("sigkill_while_creating_a_store");
    let probe = Env::with_token_store("file");
    let start = Instant::now();
    probe.register("alice", "alice@example.com").success();
    let register_time = start.elapsed();
    let mut kills = 0;
    for round in 0..12 {
        let env = Env::with_token_store("file");
        // The store is created after the input is checked and before the
        // hash: early in the command.
        let delay = register_time.mul_f64(0.5 * rng.unit());
        let args = [
            "register",
            "alice",
            "--email",
            "alice@example.com",
            "--password-stdin",
        ];
        if let Ending::Killed = kill_after(&env, &args, &format!("{PASSWORD}\n"), delay) {
            kills += 1;
        }
        let context = format!("round {round}: killed after {delay:?}");
        if env.db.exists() && std::fs::metadata(&env.db).expect("stat").len() > 0 {
            assert_eq!(env.integrity(), "ok", "{context}");
        }
        // Whatever was left, the next register completes the store.
        let outcome = env.register("alice", "alice@example.com");
        assert!(
            outcome.code == 0 || outcome.code == 6,
            "{context}: {outcome:#?}"
        );
        env.login("alice", PASSWORD).success();
        env.whoami().success().stdout("alice\n");
        assert_eq!(env.count("users"), 1, "{context}");
    }
    eprintln!("{kills} of 12 processes killed while creating the store");
    assert!(kills > 0, "no process was still running when killed");
}

#[test]
fn sigkill_while_migrating_leaves_the_old_schema_or_the_new() {
    let _turn = exclusive();
    let mut rng = Rng::from_env("sigkill_while_migrating");
    let probe = Env::new();
    install_schema_1(&probe);
    // Migration adds a column to sessions; the other tables must not change.
    let rows = probe.dump_tables(&["users", "policy", "events"]);
    let sessions = probe.count("sessions");
    let start = Instant::now();
    probe.run(&["policy", "show"], None).success();
    let open_time = start.elapsed();
    let mut kills = 0;
    for round in 0..20 {
        let env = Env::new();
        install_schema_1(&env);
        let delay = open_time.mul_f64(1.2 * rng.unit());
        if let Ending::Killed = kill_after(&env, &["policy", "show"], "", delay) {
            kills += 1;
        }
        let context = format!("round {round}: killed after {delay:?}");
        assert_eq!(env.integrity(), "ok", "{context}");
        let tables = env.count("sqlite_master WHERE name = 'login_failures'");
        match user_version(&env) {
            1 => assert_eq!(tables, 0, "{context}: half a migration"),
            crate::CURRENT_SCHEMA => assert_eq!(tables, 1, "{context}: half a migration"),
            other => panic!("{context}: schema {other}"),
        }
        assert_eq!(
            env.dump_tables(&["users", "policy", "events"]),
            rows,
            "{context}"
        );
        assert_eq!(env.count("sessions"), sessions, "{context}");
        env.run(&["policy", "show"], None).success();
        assert_eq!(user_version(&env), crate::CURRENT_SCHEMA, "{context}");
    }
    eprintln!("{kills} of 20 processes killed while opening the old store");
    assert!(kills > 0, "no process was still running when killed");
}

/// A small xorshift generator: the tests need reproducible delays, not
/// quality randomness.
struct Rng(u64);

impl Rng {
    fn from_env(test: &str) -> Rng {
        let seed = std::env::var("LATCH_STRESS_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            })
            | 1;
        eprintln!("{test}: LATCH_STRESS_SEED={seed}");
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0.0..1.0`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}
