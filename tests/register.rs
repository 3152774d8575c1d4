//! `latch register`: validation, conflicts, normalization, admin bootstrap.

use crate::util::{Env, PASSWORD};

#[test]
fn registers_with_a_confirmation_on_stderr_only() {
    let env = Env::new();
    env.register("alice", "alice@example.com")
        .success()
        .stdout("")
        .stderr("Registered alice.\n");
    let row = env.texts(
        "SELECT username, email, password, CAST(is_active AS integer), \
         CAST(is_superuser AS integer) FROM users",
    );
    let (username, email, password, active, admin) =
        (&row[0], &row[1], &row[2], row[3] == "1", row[4] == "1");
    assert_eq!(
        (username.as_str(), email.as_str()),
        ("alice", "alice@example.com")
    );
    assert!(active && !admin);
    let parts: Vec<&str> = password.split('$').collect();
    assert_eq!(parts.len(), 4, "{password}");
    assert_eq!(parts[0], "pbkdf2_sha256");
    assert_eq!(parts[1], "1200000");
    assert_eq!(parts[2].len(), 22);
    assert_eq!(parts[3].len(), 44);
    assert!(!password.contains(PASSWORD));
}

#[test]
fn does_not_log_in_unless_asked() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    env.whoami().code(4);
    assert_eq!(env.count("sessions"), 0);
}

#[test]
fn login_flag_logs_in() {
    let env = Env::new();
    env.register_with("alice", "alice@example.com", &["--login"])
        .success()
        .stdout("")
        .stderr_has("Registered alice.\nLogged in as alice (the session ends ");
    env.whoami().success().stdout("alice\n");
}

#[test]
fn reports_every_problem_at_once_and_creates_nothing() {
    let env = Env::new();
    env.run(
        &["register", "bad name!", "--email", "not-an-address", "--password-stdin"],
        Some("tiny\n"),
    )
    .code(3)
    .stdout("")
    .stderr_has("latch: error: username: may contain only letters, digits and _ . @ + - (found U+0020, '!')\n")
    .stderr_has("latch: error: email: is not a valid email address (it has no @)\n")
    .stderr_has("latch: error: password: must be at least 15 characters (it has 4)\n");
    assert!(
        !env.store_exists(),
        "a refused registration created the store"
    );
}

#[test]
fn refuses_weak_passwords_with_advice() {
    let env = Env::new();
    let cases = [
        ("passwordpassword", "password: is too easy to guess"),
        (
            "1234567890123456789",
            "password: must not be entirely numeric",
        ),
        ("aaaaaaaaaaaaaaaaaaaa", "password: is too easy to guess"),
        ("abcdefghijklmnopqrs", "password: is too easy to guess"),
        ("alice.wonderland1", "password: is too easy to guess"),
        ("short", "password: must be at least 15 characters"),
    ];
    for (password, message) in cases {
        let outcome = env.run(
            &[
                "register",
                "alice.wonderland",
                "--email",
                "alice@example.com",
                "--password-stdin",
            ],
            Some(&format!("{password}\n")),
        );
        outcome.code(3).stderr_has(message);
        if message.contains("guess") {
            outcome.stderr_has("hint: ");
        }
    }
    let long = "correct horse battery staple ".repeat(40);
    env.run(
        &[
            "register",
            "alice",
            "--email",
            "alice@example.com",
            "--password-stdin",
        ],
        Some(&format!("{long}\n")),
    )
    .code(3)
    .stderr_has("password: must be at most 1024 characters (it has 1160)");
    assert!(!env.store_exists());
}

#[test]
fn usernames_are_unique_without_regard_to_case() {
    let env = Env::new();
    env.register("Alice", "alice@example.com").success();
    let before = env.dump();
    env.register("alice", "other@example.com")
        .code(6)
        .stderr("latch: error: that username is already taken\nhint: choose another, or log in to the existing account\n");
    env.register("ALICE", "third@example.com").code(6);
    // Fullwidth letters are a compatibility form of ASCII: the same name.
    env.register("ａｌｉｃｅ", "fourth@example.com").code(6);
    assert_eq!(
        env.dump(),
        before,
        "a refused registration changed the store"
    );
    let shown = env.value("SELECT username FROM users").expect("a name");
    assert_eq!(shown, "Alice", "the first spelling is kept");
}

#[test]
fn emails_are_unique_without_regard_to_case() {
    let env = Env::new();
    env.register("alice", "Alice@Example.com").success();
    env.register("bob", "ALICE@example.COM")
        .code(6)
        .stderr_has("latch: error: that email address is already registered\n");
    env.register("alice", "alice@example.com")
        .code(6)
        .stderr_has("that username is already taken and that email address is already registered");
    // A fullwidth domain is a compatibility form of the ASCII one.
    env.register("carol", "alice@ｅｘａｍｐｌｅ.com")
        .code(6)
        .stderr_has("latch: error: that email address is already registered\n");
    assert_eq!(env.count("users"), 1);
}

#[test]
fn normalizes_username_and_email() {
    let env = Env::new();
    env.register("ｂｏｂ", "  Bob@EXAMPLE.Org ")
        .success()
        .stderr("Registered bob.\n");
    let row = env.texts("SELECT username, email FROM users");
    let (username, email) = (&row[0], &row[1]);
    assert_eq!(username, "bob");
    assert_eq!(email, "Bob@example.org");
}

#[test]
fn the_database_itself_refuses_a_second_folded_name() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let inserted = env.try_sql(
        "INSERT INTO users (password, username, email, date_joined, username_key, email_key) \
         VALUES ('!', 'ALICE', 'x@example.com', '2026-01-01 00:00:00', 'alice', 'x@example.com')",
    );
    assert!(!inserted, "the unique index let a second alice in");
}

#[test]
fn password_stdin_edge_cases() {
    let env = Env::new();
    let args = [
        "register",
        "alice",
        "--email",
        "alice@example.com",
        "--password-stdin",
    ];
    env.run(&args, Some(""))
        .code(3)
        .stderr_has("password: standard input is empty");
    env.run_bytes(&args, b"correct horse \xff battery\n")
        .code(3)
        .stderr_has("password: is not valid UTF-8");
    let huge = "x".repeat(100_000);
    env.run(&args, Some(&huge))
        .code(3)
        .stderr_has("more than 65536 bytes before a newline");
    assert!(!env.store_exists());
    // Only the first line is the password; a CRLF ending is dropped whole.
    env.run(&args, Some(&format!("{PASSWORD}\r\nignored\n")))
        .success();
    env.login("alice", PASSWORD).success();
}

#[test]
fn without_a_terminal_fails_at_once_naming_password_stdin() {
    let env = Env::new();
    env.run(&["register", "alice", "--email", "alice@example.com"], None)
        .code(2)
        .stderr_has("latch: error: no terminal to prompt for the password on\n")
        .stderr_has("--password-stdin");
    assert!(!env.store_exists());
}

#[test]
fn the_first_admin_bootstraps_then_only_admins_grant() {
    let env = Env::new();
    env.register_with("root", "root@example.com", &["--admin"])
        .success()
        .stderr("Registered root (admin).\n");

    // Not logged in: refused, nothing written.
    let before = env.dump();
    let second_admin = || env.register_with("eve", "eve@example.com", &["--admin"]);
    second_admin()
        .code(9)
        .stderr_has("log in as an admin to create another");
    assert_eq!(env.dump(), before);

    // Logged in as a non-admin: refused.
    env.register("bob", "bob@example.com").success();
    env.login("bob", PASSWORD).success();
    second_admin()
        .code(9)
        .stderr_has("only an admin can create another admin, and bob is not one");

    // Logged in as the admin: granted.
    env.login("root", PASSWORD).success();
    second_admin().success().stderr("Registered eve (admin).\n");
    let admins = env.count("users WHERE is_superuser");
    assert_eq!(admins, 2);
}

#[test]
fn records_the_registration_in_the_audit_trail() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let row = env.texts("SELECT kind, subject FROM events");
    let (kind, subject) = (&row[0], &row[1]);
    assert_eq!((kind.as_str(), subject.as_str()), ("register", "alice"));
}
