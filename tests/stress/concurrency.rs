//! Many latch processes against one store at once: registrations racing for
//! one name or for many, and logins, whoami and logouts side by side. No
//! contention may reach a user, the store's unique indexes decide every race,
//! and the store is sound afterwards.

use std::time::Duration;

use crate::util::{Env, PASSWORD, run_command};
use crate::{exclusive, install_schema_1, never_busy, run_all, sharing_store, user_version};

const PROCESSES: usize = 32;

fn register_command(env: &Env, username: &str, email: &str) -> std::process::Command {
    env.command(&["register", username, "--email", email, "--password-stdin"])
}

#[test]
fn one_name_registered_by_32_processes_at_once_goes_to_exactly_one() {
    let _turn = exclusive();
    // A fresh store: the processes also race to create and migrate it.
    let env = Env::new();
    let commands = (0..PROCESSES)
        .map(|i| {
            (
                register_command(&env, "alice", &format!("alice{i}@example.com")),
                Some(format!("{PASSWORD}\n").into_bytes()),
            )
        })
        .collect();
    let outcomes = run_all(commands);
    for outcome in &outcomes {
        never_busy(outcome);
    }
    let winners: Vec<_> = outcomes.iter().filter(|o| o.code == 0).collect();
    assert_eq!(winners.len(), 1, "{outcomes:#?}");
    winners[0].stderr("Registered alice.\n");
    for outcome in outcomes.iter().filter(|o| o.code != 0) {
        outcome.code(6).stdout("").stderr(
            "latch: error: that username is already taken\n\
             hint: choose another, or log in to the existing account\n",
        );
    }
    assert_eq!(env.count("users"), 1);
    assert_eq!(env.count("events WHERE kind = 'register'"), 1);
    assert_eq!(env.integrity(), "ok");
}

#[test]
fn different_names_registered_by_32_processes_at_once_all_succeed() {
    let _turn = exclusive();
    let env = Env::new();
    let commands = (0..PROCESSES)
        .map(|i| {
            (
                register_command(&env, &format!("user{i}"), &format!("user{i}@example.com")),
                Some(format!("{PASSWORD}\n").into_bytes()),
            )
        })
        .collect();
    for (i, outcome) in run_all(commands).iter().enumerate() {
        never_busy(outcome);
        outcome.success().stderr(&format!("Registered user{i}.\n"));
    }
    assert_eq!(env.count("users"), PROCESSES as i64);
    assert_eq!(
        env.count("events WHERE kind = 'register'"),
        PROCESSES as i64
    );
    assert_eq!(env.integrity(), "ok");
}

#[test]
fn logins_at_once_from_one_token_store_leave_one_session_and_its_token() {
    let _turn = exclusive();
    // One HOME, so one token store: each login replaces the session before
    // it, even when another login committed while this one was hashing; and
    // a logout or whoami that cleans up never removes a newer login's token.
    for token_store in ["file", "keyutils", "keyring"] {
        let env = Env::with_token_store(token_store);
        env.register("alice", "alice@example.com").success();
        // Logins at once count as failures until each succeeds: allow them.
        env.sql("INSERT INTO policy (key, value) VALUES ('lockout-threshold', 100)");
        for round in 0..6 {
            let login = || {
                (
                    env.command(&["login", "alice", "--password-stdin"]),
                    Some(format!("{PASSWORD}\n").into_bytes()),
                )
            };
            // Logins alone first, then with logouts and whoami among them.
            let mut commands: Vec<_> = (0..6).map(|_| login()).collect();
            if round >= 3 {
                commands.truncate(4);
                commands.extend([
                    (env.command(&["logout"]), None),
                    (env.command(&["logout"]), None),
                    (env.command(&["whoami"]), None),
                    (env.command(&["whoami"]), None),
                ]);
            }
            for outcome in run_all(commands) {
                never_busy(&outcome);
                assert!(outcome.code == 0 || outcome.code == 4, "{outcome:#?}");
            }
            let token = env.stored_token();
            let live = env.session_token_hashes();
            let expected: Vec<Vec<u8>> = token.iter().map(|t| crate::util::sha256(t)).collect();
            if round < 3 {
                assert_eq!(live, expected, "{token_store}, round {round}");
            } else {
                // The logouts may have ended the last session, leaving at
                // most an orphan token; never a session without its token.
                assert!(
                    live.is_empty() || live == expected,
                    "{token_store}, round {round}: sessions whose token is gone"
                );
            }
            let whoami = env.whoami();
            whoami.no_panic();
            assert_eq!(whoami.code == 0, !live.is_empty(), "{whoami:#?}");
        }
    }
}

#[test]
fn logins_whoami_and_logouts_from_many_processes_share_one_store() {
    let _turn = exclusive();
    const USERS: usize = 8;
    let store = Env::with_token_store("file");
    // Each user is another HOME on the same store, with a token file of its own.
    let users: Vec<Env> = (0..USERS).map(|_| sharing_store(&store, "file")).collect();
    let registrations = users
        .iter()
        .enumerate()
        .map(|(i, env)| {
            (
                register_command(env, &format!("user{i}"), &format!("user{i}@example.com")),
                Some(format!("{PASSWORD}\n").into_bytes()),
            )
        })
        .collect();
    for outcome in run_all(registrations) {
        never_busy(&outcome);
        outcome.success();
    }

    // Every user logs in, asks who they are, logs out, logs in again and asks
    // again, while strangers fail to log in and others ask whoami with no
    // session: all at once, on one store.
    let threads: Vec<_> = users
        .into_iter()
        .enumerate()
        .map(|(i, env)| {
            std::thread::spawn(move || {
                let name = format!("user{i}");
                let outcomes = vec![
                    (0, env.login(&name, PASSWORD)),
                    (0, env.whoami()),
                    (0, env.run(&["whoami", "--json"], None)),
                    (0, env.run(&["logout"], None)),
                    (4, env.whoami()),
                    (0, env.login(&name, PASSWORD)),
                    (0, env.whoami()),
                ];
                (env, name, outcomes)
            })
        })
        .collect();
    let strangers: Vec<_> = (0..4)
        .map(|i| {
            let env = sharing_store(&store, "file");
            std::thread::spawn(move || {
                vec![
                    env.login(&format!("ghost{i}"), "not the password at all"),
                    env.whoami(),
                    env.run(&["logout"], None),
                ]
            })
        })
        .collect();

    let mut logged_in = Vec::new();
    for thread in threads {
        let (env, name, outcomes) = thread.join().expect("user thread");
        for (code, outcome) in &outcomes {
            never_busy(outcome);
            outcome.code(*code);
        }
        assert_eq!(outcomes[1].1.stdout, format!("{name}\n"));
        assert_eq!(outcomes[6].1.stdout, format!("{name}\n"));
        logged_in.push((env, name));
    }
    for thread in strangers {
        let outcomes = thread.join().expect("stranger thread");
        for outcome in &outcomes {
            never_busy(outcome);
        }
        outcomes[0]
            .code(4)
            .stderr_has("latch: error: invalid username, password or code\n");
        outcomes[1].code(4);
        outcomes[2].success().stderr_has("Not logged in.\n");
    }

    // Afterwards: one session per user, each still good, and a sound store.
    assert_eq!(store.count("sessions"), USERS as i64);
    assert_eq!(store.count("login_failures"), 4);
    assert_eq!(store.count("events WHERE kind = 'logout'"), USERS as i64);
    for (env, name) in &logged_in {
        env.whoami().success().stdout(&format!("{name}\n"));
    }
    assert_eq!(store.integrity(), "ok");
}

#[test]
fn a_store_locked_by_another_writer_is_waited_for() {
    let _turn = exclusive();
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    // Another program holds the write lock for a while, then lets go: latch
    // waits for it (the busy timeout) and succeeds.
    let holder = env.connection();
    holder
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO policy VALUES ('min-length', 16);")
        .expect("take the write lock");
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        holder.execute_batch("COMMIT").expect("commit");
    });
    let outcome = env.register("bob", "bob@example.com");
    release.join().expect("holder");
    never_busy(&outcome);
    outcome.success();
    assert_eq!(env.count("users"), 2);
}

#[test]
fn a_store_locked_for_longer_than_the_busy_timeout_is_exit_8_and_unchanged() {
    // Mostly waiting: no need to take turns with the tests that load the CPU.
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let before = env.dump();
    let holder = env.connection();
    holder
        .execute_batch("BEGIN EXCLUSIVE")
        .expect("take the write lock");
    let mut command = env.command(&["register", "bob", "--email", "bob@example.com"]);
    command.arg("--password-stdin");
    let outcome = run_command(command, Some(format!("{PASSWORD}\n").as_bytes()));
    holder.execute_batch("ROLLBACK").expect("rollback");
    drop(holder);
    outcome
        .code(8)
        .no_panic()
        .stdout("")
        .stderr_has("latch: error: account store ")
        .stderr_has(": stayed locked by another process for 10s\n")
        .stderr_has("hint: try again when the other latch command has finished\n");
    assert_eq!(env.dump(), before);
}

#[test]
fn parallel_guesses_get_no_more_password_checks_than_the_lockout_allows() {
    let _turn = exclusive();
    let env = Env::with_token_store("file");
    env.register("alice", "alice@example.com").success();
    // Twelve guesses at once against a lockout of five failures: five may be
    // checked, the rest must find the name locked.
    let commands = (0..12)
        .map(|_| {
            (
                env.command(&["login", "alice", "--password-stdin"]),
                Some(b"not the password at all\n".to_vec()),
            )
        })
        .collect();
    let outcomes = run_all(commands);
    for outcome in &outcomes {
        never_busy(outcome);
    }
    let checked = outcomes.iter().filter(|o| o.code == 4).count();
    let refused = outcomes.iter().filter(|o| o.code == 5).count();
    assert_eq!((checked, refused), (5, 7), "{outcomes:#?}");
    assert_eq!(env.count("events WHERE detail = 'wrong password'"), 5);
    assert_eq!(env.count("events WHERE detail = 'locked'"), 7);
    assert_eq!(env.count("events WHERE kind = 'lock'"), 1);
    env.login("alice", PASSWORD).code(5);
}

#[test]
fn an_old_store_opened_by_16_processes_at_once_is_migrated_once() {
    let _turn = exclusive();
    let env = Env::new();
    install_schema_1(&env);
    // Migration adds a column to sessions; the other tables must not change.
    let users = env.dump_tables(&["users", "policy", "events"]);
    let sessions = env.count("sessions");
    let commands = (0..16)
        .map(|_| (env.command(&["policy", "show", "--json"]), None))
        .collect();
    for outcome in run_all(commands) {
        never_busy(&outcome);
        outcome.success();
        assert!(outcome.stdout.contains("\"min_length\":16"), "{outcome:#?}");
    }
    assert_eq!(user_version(&env), crate::CURRENT_SCHEMA);
    assert_eq!(env.dump_tables(&["users", "policy", "events"]), users);
    assert_eq!(env.count("sessions"), sessions);
    assert_eq!(env.integrity(), "ok");
}
