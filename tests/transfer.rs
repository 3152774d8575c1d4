//! `latch import` and `latch export`: JSON Lines, all or nothing, streaming.

use crate::util::{Env, PASSWORD};

// Made by Django 5.2 for PASSWORD (tests/fixtures/django/vectors.py).
const HASH: &str =
    "pbkdf2_sha256$1200000$seasalt0123456789ABCDE$akP42UnRyfsYsw5KDfgkXZ81K967fXLNmWc+8OhHGsE=";

fn admin_env() -> Env {
    let env = Env::new();
    env.root_logged_in();
    env
}

fn user_line(name: &str) -> String {
    format!(r#"{{"username":"{name}","email":"{name}@example.com","password":"{HASH}"}}"#)
}

fn import(env: &Env, input: &str, extra: &[&str]) -> crate::util::Outcome {
    let mut args = vec!["import", "--format", "jsonl", "-"];
    args.extend_from_slice(extra);
    env.run(&args, Some(input))
}

#[test]
fn imports_users_who_can_then_log_in() {
    let env = admin_env();
    let input = format!(
        "{}\n\n{}\n{}\n",
        user_line("alice"),
        user_line("bob"),
        r#"{"username":"carol","email":"carol@example.com","password":"!","is_active":false,"date_joined":"2020-01-02T03:04:05Z","first_name":"Carol"}"#
    );
    import(&env, &input, &[])
        .success()
        .stderr("Imported 3 new, 0 updated, 0 skipped, 0 refused, of 3 read.\n");
    let elsewhere = env.using("keyutils");
    elsewhere.login("alice", PASSWORD).success();
    elsewhere.login("carol", PASSWORD).code(4);
    let joined = env
        .value(match env.backend() {
            crate::util::Backend::Sqlite => {
                "SELECT date_joined FROM users WHERE username = 'carol'"
            }
            crate::util::Backend::Postgres => {
                "SELECT to_char(date_joined AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') \
                 FROM users WHERE username = 'carol'"
            }
        })
        .expect("carol's date");
    assert_eq!(joined, "2020-01-02 03:04:05.000000");
    assert_eq!(env.count("events WHERE kind = 'import'"), 1);
}

#[test]
fn a_bad_file_is_refused_whole_with_every_problem() {
    let env = admin_env();
    let before = env.dump();
    let input = [
        user_line("alice"),
        r#"{"username":"bad name","email":"x","password":"hunter2hunter2"}"#.to_owned(),
        "not json at all".to_owned(),
        user_line("bob"),
        user_line("ALICE"),
        r#"{"username":"dave","email":"dave@example.com","password":"pbkdf2_sha256$1$x$y","extra":1}"#.to_owned(),
    ]
    .join("\n");
    let outcome = import(&env, &input, &[]);
    outcome
        .code(3)
        .stderr_has("latch: error: line 2: username: may contain only")
        .stderr_has("latch: error: line 2: email:")
        .stderr_has("latch: error: line 2: password: is not a Django-encoded hash")
        .stderr_has("latch: error: line 3: is not a JSON object")
        .stderr_has("latch: error: line 5: username: is taken by an earlier user of this import (letter case aside)")
        .stderr_has("latch: error: line 6: unknown field `extra`");
    assert!(!outcome.stderr.contains("hunter2"), "{outcome:#?}");
    assert_eq!(env.dump(), before, "a refused import changed the store");
}

#[test]
fn conflicts_fail_skip_or_update() {
    let env = admin_env();
    env.register("alice", "alice@example.com").success();
    let before = env.dump();
    let input = format!("{}\n{}\n", user_line("Alice"), user_line("bob"));
    import(&env, &input, &[])
        .code(6)
        .stderr_has("latch: error: line 1: username: belongs to an existing user")
        .stderr_has("hint: pass --on-conflict skip");
    assert_eq!(env.dump(), before);

    import(&env, &input, &["--on-conflict", "skip"])
        .success()
        .stderr("Imported 1 new, 0 updated, 1 skipped, 0 refused, of 2 read.\n");
    // Skipped: alice keeps her own password. (Her logins use another token
    // store, so that root stays logged in on this one.)
    let elsewhere = env.using("keyutils");
    elsewhere.login("alice", PASSWORD).success();

    let renamed =
        r#"{"username":"ALICE","email":"new@example.com","password":"!","first_name":"Al"}"#;
    import(&env, renamed, &["--on-conflict", "update"])
        .success()
        .stderr("Imported 0 new, 1 updated, 0 skipped, 0 refused, of 1 read.\n");
    let row = env.texts("SELECT username, email FROM users WHERE username_key = 'alice'");
    let (name, email) = (&row[0], &row[1]);
    // The spelling already in the store is kept; the rest is the file's.
    assert_eq!(
        (name.as_str(), email.as_str()),
        ("alice", "new@example.com")
    );
    env.login("alice", PASSWORD).code(4);

    // An email that belongs to another user cannot be taken by an update.
    let stolen = format!(r#"{{"username":"bob","email":"root@example.com","password":"{HASH}"}}"#);
    import(&env, &stolen, &["--on-conflict", "update"])
        .code(6)
        .stderr_has("line 1: email: belongs to another existing user");
}

#[test]
fn a_dry_run_refuses_whatever_the_import_refuses() {
    let env = admin_env();
    env.register("alice", "alice@example.com").success();
    let demote = format!(
        r#"{{"username":"root","email":"root@example.com","password":"{HASH}","is_superuser":false}}"#
    );
    let disable = format!(
        r#"{{"username":"root","email":"root@example.com","password":"{HASH}","is_superuser":true,"is_active":false}}"#
    );
    let cases: Vec<(&str, String, &[&str], i32)> = vec![
        (
            "the last admin demoted",
            demote,
            &["--on-conflict", "update"],
            9,
        ),
        (
            "the last admin disabled",
            disable,
            &["--on-conflict", "update"],
            9,
        ),
        ("a conflict", user_line("alice"), &[], 6),
        (
            "an email of another user",
            format!(r#"{{"username":"zed","email":"ALICE@example.com","password":"{HASH}"}}"#),
            &[],
            6,
        ),
        (
            "an update onto another's email",
            format!(r#"{{"username":"alice","email":"root@example.com","password":"{HASH}"}}"#),
            &["--on-conflict", "update"],
            6,
        ),
        (
            "a duplicate line",
            format!("{}\n{}", user_line("bob"), user_line("BOB")),
            &[],
            3,
        ),
        (
            "an invalid line",
            "{\"username\":\"x y\"}".to_owned(),
            &[],
            3,
        ),
        (
            "a plain-text password",
            r#"{"username":"eve","email":"eve@example.com","password":"hunter2hunter2"}"#
                .to_owned(),
            &[],
            3,
        ),
        ("a line that is not JSON", "hunter2".to_owned(), &[], 3),
    ];
    let before = env.dump();
    for (name, input, extra, code) in cases {
        let real = import(&env, &input, extra);
        real.code(code);
        let mut dry_extra = extra.to_vec();
        dry_extra.push("--dry-run");
        let dry = import(&env, &input, &dry_extra);
        dry.code(code);
        assert_eq!(dry.stderr, real.stderr, "{name}");
        assert_eq!(env.dump(), before, "{name}");
    }
    // Not permitted: a user who is not an admin, dry or not.
    let alice = env.using("keyutils");
    alice.login("alice", PASSWORD).success();
    for extra in [&[][..], &["--dry-run"]] {
        let mut args = vec!["import", "--format", "jsonl", "-"];
        args.extend_from_slice(extra);
        alice.run(&args, Some(&user_line("zed"))).code(9);
    }
    assert_eq!(env.count("users"), 2);
}

#[test]
fn an_update_keeps_the_stored_spelling_of_the_username() {
    let env = admin_env();
    env.register("bob", "bob@example.com").success();
    let line = format!(
        r#"{{"username":"BOB","email":"bob@example.org","password":"{HASH}","first_name":"Robert"}}"#
    );
    import(&env, &line, &["--on-conflict", "update"])
        .success()
        .stderr("Imported 0 new, 1 updated, 0 skipped, 0 refused, of 1 read.\n");
    let shown = env.run(&["users", "show", "bob", "--json"], None);
    shown.success();
    let user = shown.json();
    assert_eq!(user["username"], "bob");
    assert_eq!(user["email"], "bob@example.org");
    assert_eq!(user["first_name"], "Robert");
}

#[test]
fn each_distinct_hint_is_shown_once() {
    let env = admin_env();
    let input: String = (0..3000)
        .map(|i| {
            format!(
                r#"{{"username":"bad name {i}","email":"u{i}@example.com","password":"{HASH}"}}"#
            ) + "\n"
        })
        .collect();
    let outcome = import(&env, &input, &[]);
    outcome.code(3);
    assert_eq!(
        outcome
            .stderr
            .matches("hint: usernames follow Django's rule")
            .count(),
        1,
        "{}",
        &outcome.stderr[..500]
    );
    assert!(
        outcome
            .stderr
            .contains("latch: error: input: and 2000 more problems")
    );
    let json = env.run(&["import", "--format", "jsonl", "-"], Some(&input));
    json.code(3);
}

#[test]
fn a_byte_order_mark_may_open_a_json_lines_file() {
    let env = admin_env();
    let input = format!("\u{feff}{}\n{}\n", user_line("alice"), user_line("bob"));
    import(&env, &input, &[])
        .success()
        .stderr("Imported 2 new, 0 updated, 0 skipped, 0 refused, of 2 read.\n");
    // Anywhere else it is a character of the line, as before.
    let later = format!("{}\n\u{feff}{}\n", user_line("carol"), user_line("dave"));
    import(&env, &later, &[])
        .code(3)
        .stderr_has("line 2: is not a JSON object");
}

#[test]
fn messages_about_numbers_and_work_limits_say_what_is_wrong() {
    let env = admin_env();
    let huge = format!(
        r#"{{"username":"a","email":"a@example.com","password":"{HASH}","is_active":1e999}}"#
    );
    import(&env, &huge, &[])
        .code(3)
        .stderr_has("latch: error: line 1: is not valid JSON: number out of range (column ");
    let costly = user_line("a").replace("$1200000$", "$100000001$");
    import(&env, &costly, &[])
        .code(3)
        .stderr_has("latch: error: line 1: password: asks for 100000001 iterations, more than the 100000000 latch checks");
}

#[test]
fn addresses_that_idna_makes_one_are_one() {
    let env = admin_env();
    env.register("u1", "user@bücher.de").success();
    env.register("u2", "user@xn--bcher-kva.de")
        .code(6)
        .stderr_has("latch: error: that email address is already registered\n");
    env.register("u3", "USER@XN--BCHER-KVA.DE").code(6);
    let line =
        format!(r#"{{"username":"u4","email":"user@xn--BCHER-kva.de","password":"{HASH}"}}"#);
    import(&env, &line, &[])
        .code(6)
        .stderr_has("line 1: email: belongs to an existing user");
    // Shown as typed.
    let shown = env.run(&["users", "show", "u1", "--json"], None);
    assert_eq!(shown.json()["email"], "user@bücher.de");
}

#[test]
fn a_dry_run_writes_nothing() {
    let env = admin_env();
    let before = env.dump();
    import(&env, &user_line("alice"), &["--dry-run"])
        .success()
        .stderr("Dry run: the import would write 1 new, 0 updated, 0 skipped, 0 refused, of 1 read; nothing was written.\n");
    assert_eq!(env.dump(), before);
}

#[test]
fn an_import_cannot_leave_the_store_without_an_admin() {
    let env = admin_env();
    let demote = format!(
        r#"{{"username":"root","email":"root@example.com","password":"{HASH}","is_superuser":false}}"#
    );
    import(&env, &demote, &["--on-conflict", "update"])
        .code(9)
        .stderr_has("without an active admin");
}

#[test]
fn export_round_trips_into_another_store() {
    let env = admin_env();
    env.register("alice", "alice@example.com").success();
    let file = env.home.join("users.jsonl");
    env.run(
        &[
            "export",
            "--format",
            "jsonl",
            "--output",
            file.to_str().expect("path"),
        ],
        None,
    )
    .success()
    .stderr(&format!("Exported 2 users to {}.\n", file.display()));
    assert_eq!(crate::util::mode(&file), 0o600);
    let text = std::fs::read_to_string(&file).expect("export");
    assert_eq!(text.lines().count(), 2);
    let stdout = env.run(&["export", "--format", "jsonl"], None);
    stdout.success();
    assert_eq!(stdout.stdout, text);

    let other = admin_env();
    other
        .run(
            &[
                "import",
                "--format",
                "jsonl",
                file.to_str().expect("path"),
                "--on-conflict",
                "skip",
            ],
            None,
        )
        .success()
        .stderr("Imported 1 new, 0 updated, 1 skipped, 0 refused, of 2 read.\n");
    other.login("alice", PASSWORD).success();
    other
        .run(&["import", "--format", "jsonl", "/nonexistent/file"], None)
        .code(3);
    other.run(&["import", "--format", "csv", "-"], None).code(2);
}

#[test]
fn a_hundred_thousand_users_import_in_one_go() {
    let env = admin_env();
    let mut input = String::with_capacity(100_000 * 150);
    for i in 0..100_000 {
        input.push_str(&user_line(&format!("user{i}")));
        input.push('\n');
    }
    import(&env, &input, &[])
        .success()
        .stderr("Imported 100000 new, 0 updated, 0 skipped, 0 refused, of 100000 read.\n");
    assert_eq!(env.count("users"), 100_001);
    env.using("keyutils").login("user99999", PASSWORD).success();

    // One bad line at the very end: nothing of the rest is written.
    let mut more = String::new();
    for i in 100_000..150_000 {
        more.push_str(&user_line(&format!("user{i}")));
        more.push('\n');
    }
    more.push_str("{}\n");
    import(&env, &more, &[])
        .code(3)
        .stderr_has("line 50001: missing field `username`");
    assert_eq!(env.count("users"), 100_001);

    let listing = env.run(&["users", "list", "--json"], None);
    let users: serde_json::Value = listing.json();
    assert_eq!(users.as_array().expect("array").len(), 100_001);
}

#[test]
fn export_never_writes_through_an_existing_file_or_link() {
    use std::os::unix::fs::PermissionsExt;
    let env = admin_env();
    let out = env.home.join("out.jsonl");
    std::fs::write(&out, "old\n").expect("write");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    env.run(
        &[
            "export",
            "--format",
            "jsonl",
            "--output",
            out.to_str().expect("path"),
        ],
        None,
    )
    .success();
    assert_eq!(
        crate::util::mode(&out),
        0o600,
        "an existing file kept its looser mode"
    );
    assert!(
        std::fs::read_to_string(&out)
            .expect("read")
            .contains("\"root\"")
    );

    let target = env.home.join("elsewhere.txt");
    std::fs::write(&target, "untouched\n").expect("write");
    let link = env.home.join("link.jsonl");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    env.run(
        &[
            "export",
            "--format",
            "jsonl",
            "--output",
            link.to_str().expect("path"),
        ],
        None,
    )
    .success();
    assert_eq!(
        std::fs::read_to_string(&target).expect("read"),
        "untouched\n"
    );
    assert!(
        !std::fs::symlink_metadata(&link)
            .expect("stat")
            .file_type()
            .is_symlink()
    );
    let leftovers: Vec<_> = std::fs::read_dir(&env.home)
        .expect("home")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("latch-export"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_reader_that_stops_reading_is_not_an_error() {
    let env = admin_env();
    // Enough users that every output outgrows the pipe's buffer.
    let input: String = (0..2000)
        .map(|i| user_line(&format!("user{i}")) + "\n")
        .collect();
    import(&env, &input, &[]).success();
    for args in [
        &["export", "--format", "jsonl"][..],
        &["export", "--format", "django-json"],
        &["users", "list", "--json"],
    ] {
        let mut child = env
            .command(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("wait");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {output:?}");
        assert!(output.stderr.is_empty(), "{args:?}: {output:?}");
    }
}
