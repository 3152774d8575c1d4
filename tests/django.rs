//! Logging in with hashes Django made: every default hasher verifies, is
//! rewritten as latch's `pbkdf2_sha256` on success without ending the user's
//! other sessions, and a password Django hashed as typed (not in NFKC form)
//! still logs in. The hashes come from `tests/fixtures/django/hashes.json`,
//! made by Django with `make_fixtures.py`; no Python runs here.

use crate::util::{Env, binding};

const INVALID: &str = "latch: error: invalid username, password or code\n";
const FIXTURES: &str = include_str!("fixtures/django/hashes.json");

#[derive(Debug, serde::Deserialize)]
struct Fixtures {
    wrong_password: String,
    hashes: Vec<Fixture>,
}

#[derive(Debug, serde::Deserialize)]
struct Fixture {
    name: String,
    password: String,
    hash: String,
}

fn fixtures() -> Fixtures {
    serde_json::from_str(FIXTURES).expect("hashes.json parses")
}

fn fixture(name: &str) -> Fixture {
    fixtures()
        .hashes
        .into_iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no fixture {name:?} in hashes.json"))
}

fn stored_hash(env: &Env) -> String {
    env.value("SELECT password FROM users WHERE username = 'alice'")
        .expect("alice's hash")
}

/// Alice, logged in on the Secret Service, whose password hash is then
/// replaced by `hash` with her session bound to it, as if both had been made
/// by Django.
fn alice_with_hash(env: &Env, hash: &str) {
    env.alice_logged_in();
    env.sql(&format!(
        "UPDATE users SET password = {}; UPDATE sessions SET password_binding = {}",
        env.text_sql(hash),
        env.bytes_sql(&binding(hash))
    ));
    env.whoami().success().stdout("alice\n");
}

fn hash_upgrades(env: &Env) -> Vec<String> {
    env.column("SELECT detail FROM events WHERE kind = 'hash_upgrade' ORDER BY id")
}

/// A wrong password fails like any other; the right one logs in on another
/// token store, the hash becomes latch's at the policy's iterations, and the
/// first session goes on.
fn logs_in_and_is_rewritten(name: &str, upgraded_from: &str) {
    let fixture = fixture(name);
    let env = Env::new();
    let files = env.using("file");
    alice_with_hash(&env, &fixture.hash);

    files
        .login("alice", &fixtures().wrong_password)
        .code(4)
        .stderr(INVALID);
    assert_eq!(stored_hash(&env), fixture.hash);

    files.login("alice", &fixture.password).success();
    let hash = stored_hash(&env);
    assert!(hash.starts_with("pbkdf2_sha256$1200000$"), "{name}: {hash}");
    env.whoami().success().stdout("alice\n");
    files.whoami().success().stdout("alice\n");
    assert_eq!(
        hash_upgrades(&env),
        [format!(
            "from {upgraded_from} to pbkdf2_sha256 at 1200000 iterations"
        )]
    );

    // The new hash is of the same password, and needs no second rewrite.
    env.login("alice", &fixture.password).success();
    assert_eq!(stored_hash(&env), hash);
}

#[test]
fn pbkdf2_sha256_at_django_5_defaults() {
    logs_in_and_is_rewritten(
        "pbkdf2_sha256 defaults",
        "pbkdf2_sha256 at 1000000 iterations",
    );
}

#[test]
fn pbkdf2_sha1() {
    logs_in_and_is_rewritten("pbkdf2_sha1 non-ascii", "pbkdf2_sha1 at 1000 iterations");
}

#[test]
fn argon2id() {
    logs_in_and_is_rewritten("argon2 ascii", "argon2id (m=64, t=1, p=2)");
}

#[test]
fn argon2id_at_django_defaults() {
    logs_in_and_is_rewritten("argon2 defaults", "argon2id (m=102400, t=2, p=8)");
}

#[test]
fn argon2i_as_older_django_wrote_it() {
    logs_in_and_is_rewritten("argon2i without v= ascii", "argon2i (m=64, t=1, p=2)");
}

#[test]
fn argon2d() {
    logs_in_and_is_rewritten("argon2d v=19 ascii", "argon2d (m=64, t=1, p=2)");
}

#[test]
fn bcrypt_sha256() {
    logs_in_and_is_rewritten("bcrypt_sha256 non-ascii", "bcrypt_sha256 (cost 4)");
}

#[test]
fn scrypt() {
    logs_in_and_is_rewritten("scrypt ascii", "scrypt (N=1024, r=8, p=1)");
}

#[test]
fn a_password_django_hashed_as_typed_logs_in_and_is_rewritten_normalized() {
    for name in ["pbkdf2_sha256 nfkc", "argon2 nfkc"] {
        let fixture = fixture(name);
        let typed = fixture.password.as_str();
        assert!(typed.contains('ﬁ'), "{name}: {typed}");
        // What latch hashes: NFKC turns "ﬁ" into "fi" and "½" into "1⁄2".
        let normalized = typed.replace('ﬁ', "fi").replace('½', "1\u{2044}2");
        let env = Env::new();
        alice_with_hash(&env, &fixture.hash);

        // Django never saw the normalized form: it does not match.
        env.login("alice", &normalized).code(4).stderr(INVALID);
        env.login("alice", typed).success();
        let hash = stored_hash(&env);
        assert!(hash.starts_with("pbkdf2_sha256$1200000$"), "{name}: {hash}");
        assert_eq!(hash_upgrades(&env).len(), 1, "{name}");

        // Now the normalized form is stored: both spellings log in, and
        // nothing is rewritten again.
        env.login("alice", &normalized).success();
        env.login("alice", typed).success();
        assert_eq!(stored_hash(&env), hash, "{name}");
        assert_eq!(hash_upgrades(&env).len(), 1, "{name}");
    }
}

#[test]
fn unknown_and_malformed_hashes_are_refused_like_unusable_ones() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let cases = [
        // Not in Django's default PASSWORD_HASHERS.
        "md5$salt$5f4dcc3b5aa765d61d8327deb882cf99",
        "bcrypt$$2b$04$ZEDyW0eeWkLwcV/yGBC1Yeh5bRSnHqSxF7j3N4yaqdyHDeVpQ6Ly.",
        // 2 GiB of Argon2 memory: refused before any is allocated.
        "argon2$argon2id$v=19$m=2097152,t=1,p=1$bGF0Y2hGaXh0dXJlU2FsdDAxMjM0NQ$AAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$1099511627776$salt$8$1$AAAA",
        "argon2$argon2id$v=19$m=64",
    ];
    for hash in cases {
        env.sql(&format!(
            "UPDATE users SET password = {}",
            env.text_sql(hash)
        ));
        env.login("alice", "correct horse battery staple")
            .code(4)
            .stderr(INVALID)
            .no_panic();
        env.sql("DELETE FROM login_failures");
    }
    let details = env.column("SELECT detail FROM events WHERE kind = 'login_failure' ORDER BY id");
    assert_eq!(details, vec!["unrecognized password hash"; cases.len()]);
}
