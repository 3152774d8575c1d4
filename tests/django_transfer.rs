//! Users from and to a Django site: `import --format django-db` against a
//! database Django made (tests/fixtures/django/site.sqlite3), and `export
//! --format django-json`, read back as Django's loaddata would.

use crate::util::{Env, PASSWORD};

const SITE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/django/site.sqlite3"
);
const SITE_USERS: &str = include_str!("fixtures/django/site-users.json");

fn admin_env() -> Env {
    let env = Env::new();
    env.root_logged_in();
    env
}

fn import_site(env: &Env, extra: &[&str]) -> crate::util::Outcome {
    let mut args = vec!["import", "--format", "django-db", SITE];
    args.extend_from_slice(extra);
    env.run(&args, None)
}

#[test]
fn a_django_site_imports_with_every_refusal_named() {
    let env = admin_env();
    let site_before = std::fs::read(SITE).expect("fixture");
    let outcome = import_site(&env, &[]);
    outcome.success();
    for refused in [
        "latch: warning: refused user 10 \"ivan\": email: is required",
        "latch: warning: refused user 11 \"judy\": email: is taken by an earlier user of this import",
        "latch: warning: refused user 12 \"mallory\": email: is taken by an earlier user",
        "latch: warning: refused user 13 \"DAVE\": username: is taken by an earlier user",
        "latch: warning: refused user 14 \"ｅｒｉｎ\": username: is taken by an earlier user",
    ] {
        outcome.stderr_has(refused);
    }
    outcome.stderr_has("Imported 12 new, 0 updated, 0 skipped, 5 refused, of 17 read.");
    assert_eq!(
        std::fs::read(SITE).expect("fixture"),
        site_before,
        "the Django database was changed"
    );
    assert_eq!(env.count("users"), 13);

    // Every importable user logs in with the password Django hashed, whatever
    // the hasher; the disabled and the password-less do not.
    let site: serde_json::Value = serde_json::from_str(SITE_USERS).expect("site-users.json");
    let users = site["users"].as_array().expect("users");
    let elsewhere = env.using("keyutils");
    let refused = ["ivan", "judy", "mallory", "DAVE", "ｅｒｉｎ"];
    for user in users {
        let name = user["username"].as_str().expect("name");
        if refused.contains(&name) {
            continue;
        }
        let expected = if user["is_active"] == true && user["password"].is_string() {
            0
        } else {
            4
        };
        let password = user["password"].as_str().unwrap_or(PASSWORD);
        elsewhere.login(name, password).code(expected);
    }
    let admin =
        env.number("SELECT CAST(is_superuser AS integer) FROM users WHERE username = 'admin'");
    assert_eq!(admin, 1);
}

#[test]
fn a_second_import_of_the_site_conflicts_or_skips() {
    let env = admin_env();
    import_site(&env, &[]).success();
    let before = env.dump();
    import_site(&env, &[])
        .code(6)
        .stderr_has("latch: error: user 1 \"admin\": username: belongs to an existing user");
    assert_eq!(env.dump(), before);
    // Now judy, mallory, DAVE and ｅｒｉｎ collide with users in the store, not
    // with earlier rows: conflicts, which skip leaves as they are.
    import_site(&env, &["--on-conflict", "skip"])
        .success()
        .stderr_has("Imported 0 new, 0 updated, 16 skipped, 1 refused, of 17 read.");
    // update writes over the user with the same username, but never takes
    // another user's email: judy's is bob's.
    let before = env.dump();
    import_site(&env, &["--dry-run", "--on-conflict", "update"])
        .code(6)
        .stderr_has("user 11 \"judy\": email: belongs to an existing user with another username");
    assert_eq!(env.dump(), before);
}

#[test]
fn what_is_not_a_django_database_is_refused() {
    let env = admin_env();
    let junk = env.home.join("junk.sqlite3");
    std::fs::write(&junk, "not a database").expect("write");
    env.run(
        &[
            "import",
            "--format",
            "django-db",
            junk.to_str().expect("path"),
        ],
        None,
    )
    .code(3)
    .no_panic();
    env.run(
        &["import", "--format", "django-db", "/nonexistent/db.sqlite3"],
        None,
    )
    .code(3);
    env.run(&["import", "--format", "django-db", "-"], None)
        .code(2);
}

#[test]
fn the_django_json_export_is_a_fixture_loaddata_reads() {
    let env = admin_env();
    env.register("alice", "alice@example.com").success();
    let file = env.home.join("users.json");
    env.run(
        &[
            "export",
            "--format",
            "django-json",
            "--output",
            file.to_str().expect("path"),
        ],
        None,
    )
    .success()
    .stderr_has("Exported 2 users");
    assert_eq!(crate::util::mode(&file), 0o600);
    let fixture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("JSON");
    let objects = fixture.as_array().expect("a list of objects");
    assert_eq!(objects.len(), 2);
    let root = &objects[0];
    assert_eq!(root["model"], "auth.user");
    assert!(
        root.get("pk").is_none(),
        "users are found by username, not by id"
    );
    let fields = &root["fields"];
    assert_eq!(fields["username"], "root");
    assert_eq!(fields["is_superuser"], true);
    assert_eq!(fields["is_staff"], true);
    assert!(
        fields["password"]
            .as_str()
            .expect("hash")
            .starts_with("pbkdf2_sha256$1200000$")
    );
    assert_eq!(fields["groups"], serde_json::json!([]));
    for field in [
        "last_login",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "date_joined",
        "user_permissions",
    ] {
        assert!(fields.get(field).is_some(), "no {field}");
    }
}

#[test]
fn a_row_of_the_wrong_type_is_refused_on_its_own_line() {
    let env = admin_env();
    let dir = tempfile::tempdir().expect("dir");
    let site = dir.path().join("site.sqlite3");
    std::fs::copy(SITE, &site).expect("copy");
    rusqlite::Connection::open(&site)
        .and_then(|c| {
            c.execute_batch(
                "UPDATE auth_user SET date_joined = 1700000000 WHERE id = 2; \
                 UPDATE auth_user SET is_staff = 'no' WHERE id = 3;",
            )
        })
        .expect("spoil two rows");
    let outcome = env.run(
        &[
            "import",
            "--format",
            "django-db",
            site.to_str().expect("path"),
        ],
        None,
    );
    outcome
        .success()
        .stderr_has("\": date_joined: is an integer, not text\n")
        .stderr_has("\": is_staff: is text, not a boolean (0 or 1)\n")
        // alice and bob refused, judy and mallory (who shared their emails) come in.
        .stderr_has("Imported 12 new, 0 updated, 0 skipped, 5 refused, of 17 read.");
    for line in outcome
        .stderr
        .lines()
        .filter(|l| l.contains("wrong") || l.contains("not text"))
    {
        assert!(line.starts_with("latch: warning: refused user "), "{line}");
    }
    assert!(
        !outcome.stderr.contains("rusqlite") && !outcome.stderr.contains("Invalid column type")
    );
}
