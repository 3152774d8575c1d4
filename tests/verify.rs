//! `latch verify`: every outcome of the check login makes, without a session
//! or a token store; and `verify --pam` fed as pam_exec feeds it (the real
//! PAM stack is in `pam.rs`), hostile input included.

use std::process::Command;

use crate::util::{Env, Outcome, PASSWORD, binding, run_command};

mod mfa_required;

const WRONG: &str = "not the password at all";
const INVALID: &str = "latch: error: invalid username, password or code\n";
/// Django's hash of `PASSWORD` at 1,000 iterations (tests/fixtures/django/hashes.json).
const CHEAP_HASH: &str =
    "pbkdf2_sha256$1000$latchFixtureSalt012345$VwwfU6dwDuj6w0Bd1Wrf4wePq/UMMAcVIxaJ8h9cYlQ=";

fn verify(env: &Env, name: &str, password: &str, flags: &[&str]) -> Outcome {
    let mut args = vec!["verify", name, "--password-stdin"];
    args.extend_from_slice(flags);
    env.run(&args, Some(&format!("{password}\n")))
}

/// `(kind, subject, detail)` of every event after registration, in order.
fn events(env: &Env) -> Vec<(String, String, String)> {
    env.events_where("kind != 'register'")
}

fn event(kind: &str, subject: &str, detail: &str) -> (String, String, String) {
    (kind.into(), subject.into(), detail.into())
}

fn failures(env: &Env, key: &str) -> i64 {
    env.number(&format!(
        "SELECT coalesce((SELECT failures FROM login_failures WHERE username_key = {}), 0)",
        env.text_sql(key)
    ))
}

#[test]
fn the_right_password_is_exit_0_and_no_login() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    verify(&env, "alice", PASSWORD, &[])
        .success()
        .stdout("")
        .stderr("The password of alice is right.\n");
    verify(&env, "alice", PASSWORD, &["-q"])
        .success()
        .stdout("")
        .stderr("");
    // The name as the store spells it, whatever the case typed.
    let outcome = verify(&env, "ALICE", PASSWORD, &["--json"]);
    outcome.success().stderr("");
    assert_eq!(
        outcome.json(),
        serde_json::json!({"username": "alice", "verified": true})
    );
    assert_eq!(
        events(&env),
        vec![event("verify_success", "alice", ""); 3],
        "a verify is not a login"
    );
    let last_login = env.value("SELECT last_login FROM users");
    assert_eq!(last_login, None, "no session, so no login");
}

#[test]
fn wrong_unknown_disabled_and_unusable_get_one_answer_and_their_own_reasons() {
    let env = Env::new();
    env.root_logged_in();
    env.register("alice", "alice@example.com").success();
    env.register("bob", "bob@example.com").success();
    env.register("carol", "carol@example.com").success();
    env.run(&["users", "disable", "bob"], None).success();
    env.sql("UPDATE users SET password = '!unusable' WHERE username = 'carol'");
    env.sql("DELETE FROM events");
    for (name, password) in [
        ("alice", WRONG),
        ("nobody", PASSWORD),
        ("bob", PASSWORD),
        ("carol", PASSWORD),
    ] {
        verify(&env, name, password, &[])
            .code(4)
            .stdout("")
            .stderr(INVALID);
        verify(&env, name, password, &["-q"])
            .code(4)
            .stdout("")
            .stderr("");
        let outcome = verify(&env, name, password, &["--json"]);
        outcome.code(4).stdout("");
        let error: serde_json::Value = serde_json::from_str(&outcome.stderr).expect("JSON");
        assert_eq!(error["error"]["code"], "not_authenticated", "{name}");
        assert_eq!(
            error["error"]["message"], "invalid username, password or code",
            "{name}"
        );
    }
    let reasons = |subject: &str, detail: &str| vec![event("verify_failure", subject, detail); 3];
    let expected: Vec<_> = [
        reasons("alice", "wrong password"),
        reasons("nobody", "unknown user"),
        reasons("bob", "disabled"),
        reasons("carol", "unusable password"),
    ]
    .concat();
    assert_eq!(events(&env), expected);
    for key in ["alice", "nobody", "bob", "carol"] {
        assert_eq!(failures(&env, key), 3, "{key}: each check counts");
    }
}

#[test]
fn five_failed_checks_lock_the_name_even_against_the_right_password() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    for _ in 0..4 {
        verify(&env, "alice", WRONG, &[]).code(4).stderr(INVALID);
    }
    verify(&env, "alice", WRONG, &[]).code(4).stderr(
        "latch: error: invalid username, password or code\n\
         hint: after 5 failed attempts, \"alice\" is locked for 60 seconds\n",
    );
    let locked = verify(&env, "alice", PASSWORD, &[]);
    locked
        .code(5)
        .stderr_has("latch: error: too many failed login attempts for \"alice\"; try again in ");
    verify(&env, "alice", PASSWORD, &["-q"])
        .code(5)
        .stdout("")
        .stderr("");
    let outcome = verify(&env, "alice", PASSWORD, &["--json"]);
    outcome.code(5);
    let error: serde_json::Value = serde_json::from_str(&outcome.stderr).expect("JSON");
    assert_eq!(error["error"]["code"], "locked");
    let recorded = events(&env);
    assert_eq!(recorded[5].0, "lock", "{recorded:?}");
    assert_eq!(
        recorded[6..],
        vec![event("verify_failure", "alice", "locked"); 3]
    );
    // The lock is the login's lock too.
    env.login("alice", PASSWORD).code(5);
}

#[test]
fn login_and_verify_count_towards_one_lockout() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    for _ in 0..3 {
        env.login("alice", WRONG).code(4);
    }
    verify(&env, "alice", WRONG, &[]).code(4).stderr(INVALID);
    assert_eq!(failures(&env, "alice"), 4);
    // The fifth failure, a login's, locks verify out too.
    env.login("alice", WRONG).code(4);
    verify(&env, "alice", PASSWORD, &[]).code(5);
    env.login("alice", PASSWORD).code(5);

    // A right check forgets the count, as a login does.
    env.sql("DELETE FROM login_failures");
    for _ in 0..4 {
        env.login("alice", WRONG).code(4);
    }
    verify(&env, "alice", PASSWORD, &[]).success();
    assert_eq!(failures(&env, "alice"), 0);
    env.login("alice", WRONG).code(4);
    env.login("alice", PASSWORD).success();
}

#[test]
fn an_old_hash_is_rewritten_and_the_users_sessions_follow_it() {
    let env = Env::new();
    env.alice_logged_in();
    env.sql(&format!(
        "UPDATE users SET password = {}; UPDATE sessions SET password_binding = {}",
        env.text_sql(CHEAP_HASH),
        env.bytes_sql(&binding(CHEAP_HASH))
    ));
    env.sql("DELETE FROM events");
    let token = env.stored_token();

    verify(&env, "alice", PASSWORD, &["-q"]).success();
    let hash = env.value("SELECT password FROM users").expect("a hash");
    assert!(hash.starts_with("pbkdf2_sha256$1200000$"), "{hash}");
    assert_eq!(
        events(&env),
        vec![
            event("verify_success", "alice", ""),
            event(
                "hash_upgrade",
                "alice",
                "from pbkdf2_sha256 at 1000 iterations to pbkdf2_sha256 at 1200000 iterations"
            ),
        ]
    );
    // Her session goes on under the new hash; the token was not touched.
    env.whoami().success().stdout("alice\n");
    assert_eq!(env.stored_token(), token);
    assert_eq!(env.count("sessions"), 1);
    // Once rewritten, it is not rewritten again.
    verify(&env, "alice", PASSWORD, &["-q"]).success();
    assert_eq!(env.count("events WHERE kind = 'hash_upgrade'"), 1);
}

/// verify never writes a session or a token, in any token store, whether the
/// password is right or not.
#[test]
fn no_session_and_no_token_in_any_token_store() {
    for store in ["keyring", "keyutils", "file"] {
        let env = Env::with_token_store(store);
        env.register("alice", "alice@example.com").success();
        verify(&env, "alice", PASSWORD, &[])
            .success()
            // The file store's warning is for commands that use it.
            .stderr("The password of alice is right.\n");
        verify(&env, "alice", WRONG, &[]).code(4).stderr(INVALID);
        verify(&env, "nobody", WRONG, &[]).code(4);
        assert_eq!(env.count("sessions"), 0, "{store}");
        assert_eq!(env.stored_token(), None, "{store}");
        assert!(
            !env.home.join(".local/state/latch").exists(),
            "{store}: the file token store's directory was made"
        );
        assert_eq!(
            env.count("events WHERE kind IN ('login_success', 'login_failure')"),
            0,
            "{store}"
        );
    }
}

/// A logged-in user's session and token stay as they are, and the token
/// store is not even opened: verify works with no Secret Service to reach.
#[test]
fn the_token_store_is_never_opened() {
    let env = Env::new();
    env.alice_logged_in();
    let token = env.stored_token().expect("alice's token");
    let sessions = env.session_token_hashes();
    let mut command = env.command(&["verify", "alice", "--password-stdin"]);
    command.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    run_command(command, Some(format!("{PASSWORD}\n").as_bytes()))
        .success()
        .stderr("The password of alice is right.\n");
    // login, by contrast, needs it.
    let mut command = env.command(&["login", "alice", "--password-stdin"]);
    command.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    run_command(command, Some(format!("{PASSWORD}\n").as_bytes())).code(7);
    assert_eq!(env.stored_token(), Some(token));
    assert_eq!(env.session_token_hashes(), sessions);
    env.whoami().success().stdout("alice\n");
}

#[test]
fn without_a_store_every_name_is_unknown_and_no_store_is_made() {
    let env = Env::new();
    verify(&env, "alice", PASSWORD, &[])
        .code(4)
        .stderr_has(INVALID)
        .stderr_has("hint: there is no account store at ");
    assert!(!env.store_exists());
}

#[test]
fn without_a_terminal_it_fails_at_once_naming_password_stdin() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    env.run(&["verify", "alice"], None)
        .code(2)
        .stderr_has("latch: error: no terminal to prompt for the password on\n")
        .stderr_has("--password-stdin");
    env.run(&["verify"], None)
        .code(2)
        .stderr_has("latch: error: no USERNAME given, and no terminal to ask for it on\n")
        .stderr_has("--password-stdin");
    env.run(&["verify", "alice", "--pam"], None)
        .code(2)
        .stderr_has("cannot be used with");
    assert_eq!(events(&env), vec![]);
}

#[test]
fn on_a_terminal_it_prompts_for_the_name_and_the_password() {
    use rexpect::process::wait::WaitStatus;
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let mut session =
        rexpect::session::spawn_command(env.command(&["verify"]), Some(30_000)).expect("spawn");
    session.exp_string("Username: ").expect("name prompt");
    session.send_line("alice").expect("type");
    session.exp_string("Password: ").expect("password prompt");
    session.send_line(PASSWORD).expect("type");
    let rest = session.exp_eof().expect("exit");
    assert!(rest.contains("The password of alice is right."), "{rest}");
    assert!(!rest.contains(PASSWORD), "the password was echoed: {rest}");
    assert_eq!(
        session.process().wait().expect("wait"),
        WaitStatus::Exited(session.process().child_pid, 0)
    );
}

/// latch as pam_exec starts it: only the PAM variables, the store on the
/// command line.
fn pam_command(env: &Env, vars: &[(&str, &[u8])]) -> Command {
    use std::os::unix::ffi::OsStrExt;
    let mut command = Command::new(env!("CARGO_BIN_EXE_latch"));
    command
        .env_clear()
        .arg("--db")
        .arg(&env.store)
        .args(["verify", "--pam"]);
    for (name, value) in vars {
        command.env(name, std::ffi::OsStr::from_bytes(value));
    }
    command
}

fn pam(env: &Env, user: &str, stdin: &[u8]) -> Outcome {
    let vars: [(&str, &[u8]); 4] = [
        ("PAM_TYPE", b"auth"),
        ("PAM_USER", user.as_bytes()),
        ("PAM_SERVICE", b"ftp"),
        ("PAM_RHOST", b"192.0.2.7"),
    ];
    run_command(pam_command(env, &vars), Some(stdin))
}

#[test]
fn pam_answers_in_silence_or_one_line_and_names_service_and_host() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    env.sql("DELETE FROM events");
    // Linux-PAM 1.4 and later write the password alone; earlier, with a NUL.
    pam(&env, "alice", PASSWORD.as_bytes())
        .success()
        .stdout("")
        .stderr("");
    pam(&env, "alice", format!("{PASSWORD}\0").as_bytes())
        .success()
        .stderr("");
    pam(&env, "Alice", PASSWORD.as_bytes()).success().stderr("");
    pam(&env, "alice", WRONG.as_bytes()).code(4).stderr(INVALID);
    pam(&env, "nobody", PASSWORD.as_bytes())
        .code(4)
        .stderr(INVALID);
    let origin = "PAM service \"ftp\", remote host \"192.0.2.7\"";
    assert_eq!(
        events(&env),
        vec![
            event("verify_success", "alice", origin),
            event("verify_success", "alice", origin),
            event("verify_success", "alice", origin),
            event(
                "verify_failure",
                "alice",
                &format!("wrong password; {origin}")
            ),
            event(
                "verify_failure",
                "nobody",
                &format!("unknown user; {origin}")
            ),
        ]
    );
    // Locked: one line, no hint, here as at the threshold.
    for _ in 0..3 {
        pam(&env, "alice", WRONG.as_bytes()).code(4).stderr(INVALID);
    }
    pam(&env, "alice", WRONG.as_bytes()).code(4).stderr(INVALID);
    let locked = pam(&env, "alice", PASSWORD.as_bytes());
    locked.code(5);
    assert_eq!(locked.stderr.lines().count(), 1, "{locked:#?}");
    locked.stderr_has("latch: error: too many failed login attempts for \"alice\"");
    assert_eq!(env.count("sessions"), 0);
}

#[test]
fn pam_without_the_store_on_its_command_line_fails() {
    // pam_exec passes no HOME: the default store would be the one in the
    // home directory (from the password database) of whoever runs the
    // service, so --pam insists on --db.
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let mut command = Command::new(env!("CARGO_BIN_EXE_latch"));
    command
        .env_clear()
        .args(["verify", "--pam"])
        .env("PAM_TYPE", "auth")
        .env("PAM_USER", "alice");
    run_command(command, Some(PASSWORD.as_bytes()))
        .code(2)
        .stderr(
            "latch: error: verify --pam needs the store named with --db (pam_exec passes no HOME)\n",
        );
}

/// A writer that keeps standard input open is not pam_exec: latch stops
/// waiting after 10 seconds, and checks nothing.
#[test]
fn pam_does_not_wait_for_input_that_never_ends() {
    use std::io::Write;
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let before = env.dump();
    let mut command = pam_command(&env, &[("PAM_TYPE", b"auth"), ("PAM_USER", b"alice")]);
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("latch");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(PASSWORD.as_bytes()).expect("write");
    let started = std::time::Instant::now();
    let output = child.wait_with_output().expect("wait");
    drop(stdin);
    let waited = started.elapsed();
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "latch: error: password: standard input did not end within 10 seconds\n"
    );
    assert!(
        waited >= std::time::Duration::from_secs(9) && waited < std::time::Duration::from_secs(30),
        "{waited:?}"
    );
    assert_eq!(env.dump(), before, "nothing was recorded");
}

/// What pam_exec would not send, and PAM items no account can match: a
/// clear one-line refusal, and nothing counted or recorded against a name.
#[test]
fn hostile_pam_input_is_refused_and_records_nothing() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let before = env.dump();
    let big = vec![b'a'; 64 * 1024];
    let two_nuls = format!("{PASSWORD}\0{PASSWORD}\0");
    let after_nul = format!("{PASSWORD}\0more");
    let not_utf8 = [&PASSWORD.as_bytes()[..4], b"\xff\xfe"].concat();
    let stdin_cases: [(&str, &[u8], &str); 5] = [
        (
            "two NULs",
            two_nuls.as_bytes(),
            "goes on after the NUL byte",
        ),
        (
            "more after the NUL",
            after_nul.as_bytes(),
            "goes on after the NUL byte",
        ),
        ("64 KiB", &big, "holds more than 32768 bytes"),
        ("not UTF-8", &not_utf8, "password: is not valid UTF-8"),
        ("nothing", b"", "holds no password"),
    ];
    for (case, stdin, message) in stdin_cases {
        let outcome = pam(&env, "alice", stdin);
        outcome.code(3).stderr_has(message).no_panic();
        assert_eq!(outcome.stderr.lines().count(), 1, "{case}: {outcome:#?}");
    }
    let password = PASSWORD.as_bytes();
    let long_name = "a".repeat(151);
    let user_cases: [(&str, Option<&[u8]>, &str); 6] = [
        (
            "151 characters",
            Some(long_name.as_bytes()),
            "username: must be at most 150 characters (it has 151)",
        ),
        ("PAM_USER missing", None, "PAM_USER: is not set"),
        ("PAM_USER empty", Some(b""), "PAM_USER: is empty"),
        (
            "a newline",
            Some(b"alice\nroot"),
            "PAM_USER: holds control characters",
        ),
        (
            "an escape",
            Some(b"\x1b[2Jalice"),
            "PAM_USER: holds control characters",
        ),
        (
            "not UTF-8",
            Some(b"alice\xff"),
            "PAM_USER: is not valid UTF-8",
        ),
    ];
    for (case, user, message) in user_cases {
        let mut vars: Vec<(&str, &[u8])> = vec![("PAM_TYPE", b"auth")];
        if let Some(user) = user {
            vars.push(("PAM_USER", user));
        }
        let outcome = run_command(pam_command(&env, &vars), Some(password));
        outcome
            .code(3)
            .stderr(&format!("latch: error: {message}\n"))
            .no_panic();
        assert!(!outcome.stderr.contains('\x1b'), "{case}");
    }
    for (case, vars) in [
        ("PAM_TYPE missing", vec![("PAM_USER", &b"alice"[..])]),
        (
            "account",
            vec![("PAM_TYPE", &b"account"[..]), ("PAM_USER", b"alice")],
        ),
        (
            "open_session",
            vec![("PAM_TYPE", &b"open_session"[..]), ("PAM_USER", b"alice")],
        ),
    ] {
        let outcome = run_command(pam_command(&env, &vars), Some(password));
        outcome.code(2).no_panic();
        assert_eq!(outcome.stderr.lines().count(), 1, "{case}: {outcome:#?}");
    }
    assert_eq!(env.dump(), before, "nothing was recorded");
}

/// An account with a second factor: alice, enrolled, logged out again; her
/// TOTP secret and recovery codes.
fn alice_with_a_factor(env: &Env) -> (String, Vec<String>) {
    crate::mfa::settle();
    env.alice_logged_in();
    let enrolled = crate::mfa::enrol(env);
    env.run(&["logout"], None).success();
    env.sql("DELETE FROM events");
    enrolled
}

#[test]
fn a_second_factor_is_checked_as_login_checks_it() {
    let env = Env::new();
    let (secret, recovery) = alice_with_a_factor(&env);
    let stdin = |code: &str| format!("{PASSWORD}\n{code}\n");

    // The password alone is not enough, and neither is a wrong code.
    verify(&env, "alice", PASSWORD, &[]).code(4).stderr(INVALID);
    env.run(
        &["verify", "alice", "--password-stdin"],
        Some(&stdin("000000")),
    )
    .code(4)
    .stderr(INVALID);
    // The confirming code's step is used: the next step's code is right,
    // once.
    let code = crate::mfa::oathtool(&secret, 30);
    env.run(
        &["verify", "alice", "--password-stdin"],
        Some(&stdin(&code)),
    )
    .success();
    env.run(
        &["verify", "alice", "--password-stdin"],
        Some(&stdin(&code)),
    )
    .code(4)
    .stderr(INVALID);
    // A recovery code works once too.
    env.run(
        &["verify", "alice", "--password-stdin", "--json"],
        Some(&stdin(&recovery[0])),
    )
    .success();
    let kinds: Vec<(String, String)> = events(&env)
        .into_iter()
        .map(|(kind, _, detail)| (kind, detail))
        .collect();
    assert_eq!(
        kinds,
        [
            ("mfa_failure".into(), "verify: missing code".into()),
            ("mfa_failure".into(), "verify: wrong code".into()),
            ("verify_success".into(), String::new()),
            ("mfa_failure".into(), "verify: replayed code".into()),
            ("mfa_recovery_code_used".into(), "verify; 9 left".into()),
            ("verify_success".into(), String::new()),
        ]
    );
    // Three failed codes count toward the lockout; the successes cleared it.
    assert_eq!(failures(&env, "alice"), 0);
    assert_eq!(env.count("sessions"), 0);
}

#[test]
fn pam_takes_the_code_after_the_password_in_one_answer() {
    let env = Env::new();
    let (secret, _) = alice_with_a_factor(&env);
    pam(&env, "alice", PASSWORD.as_bytes())
        .code(4)
        .stderr(INVALID);
    pam(&env, "alice", format!("{PASSWORD}000000").as_bytes()).code(4);
    let code = crate::mfa::oathtool(&secret, 30);
    pam(&env, "alice", format!("{PASSWORD}{code}").as_bytes())
        .success()
        .stderr("");
    // Replayed through PAM: refused.
    pam(&env, "alice", format!("{PASSWORD}{code}").as_bytes()).code(4);
    let details: Vec<String> = events(&env)
        .into_iter()
        .map(|(kind, _, detail)| format!("{kind}: {detail}"))
        .collect();
    assert_eq!(details.len(), 4, "{details:?}");
    assert!(
        details[0].starts_with("mfa_failure: verify; PAM service"),
        "{details:?}"
    );
    assert!(details[0].ends_with("missing code"), "{details:?}");
    assert!(details[1].ends_with("wrong code"), "{details:?}");
    assert!(
        details[2].starts_with("verify_success: PAM service"),
        "{details:?}"
    );
    assert!(details[3].ends_with("replayed code"), "{details:?}");
}
