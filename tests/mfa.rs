//! The second factor, end to end: enrolment, confirmation, logins with
//! codes, replays, drift, recovery codes, the lockout, an admin's reset, the
//! `mfa-required` policy, and hostile codes.
//!
//! Every code comes from `oathtool --totp` (Debian package oathtool), an
//! implementation independent of latch's, and the QR code is decoded with
//! `zbarimg` (zbar-tools).

use std::process::Command;

use rexpect::process::wait::WaitStatus;
use rexpect::session::spawn_command;

use crate::util::{Env, OTHER_PASSWORD, Outcome, PASSWORD};

/// The TOTP code of `secret` `offset` seconds from now, by oathtool.
pub fn oathtool(secret: &str, offset: i64) -> String {
    let when = if offset >= 0 {
        format!("now + {offset} seconds")
    } else {
        format!("now - {} seconds", -offset)
    };
    let output = Command::new("oathtool")
        .args(["--totp", "-b", "-N", &when, secret])
        .output()
        .expect("oathtool (Debian package oathtool) runs");
    assert!(output.status.success(), "oathtool: {output:?}");
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .trim()
        .to_owned()
}

/// Waits until the current 30-second step has at least 20 seconds left, so
/// that the codes oathtool makes next are still of this step when latch
/// checks them.
pub fn settle() {
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs()
    };
    while now() % 30 >= 10 {
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
}

/// `mfa enable --json` for the logged-in user: the base32 secret and URI.
pub fn enable(env: &Env) -> (String, String) {
    let outcome = env.run(
        &["mfa", "enable", "--password-stdin", "--json"],
        Some(&format!("{PASSWORD}\n")),
    );
    outcome.success();
    let value = outcome.json();
    (
        value["secret"].as_str().expect("secret").to_owned(),
        value["otpauth_uri"].as_str().expect("uri").to_owned(),
    )
}

/// Enables and confirms a factor for the logged-in user: its secret and the
/// recovery codes shown at confirmation.
pub fn enrol(env: &Env) -> (String, Vec<String>) {
    let (secret, _) = enable(env);
    let outcome = env.run(
        &["mfa", "confirm", "--code-stdin"],
        Some(&format!("{}\n", oathtool(&secret, 0))),
    );
    outcome.success();
    let codes: Vec<String> = outcome.stdout.lines().map(str::to_owned).collect();
    (secret, codes)
}

fn login_with(env: &Env, username: &str, code: &str) -> Outcome {
    env.run(
        &["login", username, "--password-stdin"],
        Some(&format!("{PASSWORD}\n{code}\n")),
    )
}

/// The rows of the factor's tables and the rest, to show nothing changed.
fn dump(env: &Env) -> String {
    env.dump_tables(&[
        "users",
        "sessions",
        "policy",
        "events",
        "login_failures",
        "mfa_factors",
        "mfa_recovery_codes",
    ])
}

fn events(env: &Env, kind: &str) -> Vec<String> {
    env.column(&format!(
        "SELECT detail FROM events WHERE kind = {} ORDER BY id",
        env.text_sql(kind)
    ))
}

const INVALID: &str = "latch: error: invalid username, password or code\n";

#[test]
fn enable_shows_a_160_bit_secret_and_nothing_changes_until_confirmed() {
    let env = Env::new();
    env.alice_logged_in();
    let (secret, uri) = enable(&env);
    assert_eq!(secret.len(), 32, "160 bits of base32");
    assert!(uri.starts_with("otpauth://totp/latch:alice%20%28"), "{uri}");
    assert!(uri.contains(&format!("secret={secret}")), "{uri}");
    assert!(uri.contains("issuer=latch"), "{uri}");
    // Pending: a login still takes the password alone.
    env.login("alice", PASSWORD).success();
    let status = env.run(&["mfa", "status", "--json"], None);
    status.success();
    assert_eq!(status.json()["mfa"], false);
    assert_eq!(status.json()["pending"], true);
    assert_eq!(env.run(&["whoami", "--json"], None).json()["mfa"], false);
    // Enabling again replaces the pending secret.
    let (again, _) = enable(&env);
    assert_ne!(again, secret);
    let old = env.run(
        &["mfa", "confirm", "--code-stdin"],
        Some(&format!("{}\n", oathtool(&secret, 0))),
    );
    old.code(4).stderr_has("not a current code");
    assert_eq!(events(&env, "mfa_failure"), ["confirm: wrong code"]);
}

#[test]
fn enable_needs_the_password_again() {
    let env = Env::new();
    env.alice_logged_in();
    let before = dump(&env);
    let outcome = env.run(
        &["mfa", "enable", "--password-stdin", "--json"],
        Some(&format!("{OTHER_PASSWORD}\n")),
    );
    outcome
        .code(4)
        .stderr_has("\"message\":\"invalid username, password or code\"")
        .stdout("");
    assert_eq!(env.count("mfa_factors"), 0);
    assert_ne!(dump(&env), before, "the failure is recorded");
    // No terminal and no --password-stdin: at once, exit 2.
    env.run(&["mfa", "enable"], None)
        .code(2)
        .stderr_has("--password-stdin");
}

#[test]
fn confirm_then_login_asks_for_a_code_on_the_second_line() {
    let env = Env::new();
    env.alice_logged_in();
    let (secret, codes) = enrol(&env);
    assert_eq!(codes.len(), 10);
    let whoami = env.run(&["whoami", "--json"], None);
    assert_eq!(whoami.json()["mfa"], true);

    // The password alone is no longer enough.
    env.login("alice", PASSWORD).code(4).stderr(INVALID);
    // The confirming code's step is used: the next step's code logs in.
    let code = oathtool(&secret, 30);
    login_with(&env, "alice", &code).success();
    env.whoami().success().stdout("alice\n");
    // The code is in no event and nowhere in the store.
    let dumped = dump(&env);
    assert!(!dumped.contains(&code), "the code was stored");
    assert!(!dumped.contains(&secret), "the secret in base32 was stored");
    for recovery in &codes {
        assert!(!dumped.contains(recovery.as_str()));
    }
    assert_eq!(
        events(&env, "mfa_failure"),
        ["login: missing code"],
        "the password-only login"
    );
}

#[test]
fn a_wrong_code_is_a_wrong_password_and_a_replayed_one_too() {
    let env = Env::new();
    env.alice_logged_in();
    let (secret, _) = enrol(&env);
    let right = oathtool(&secret, 30);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let before = env.count("sessions");
    login_with(&env, "alice", wrong).code(4).stderr(INVALID);
    assert_eq!(env.count("sessions"), before);
    // A wrong password with the right code: the same answer.
    env.run(
        &["login", "alice", "--password-stdin"],
        Some(&format!("{OTHER_PASSWORD}\n{right}\n")),
    )
    .code(4)
    .stderr(INVALID);
    login_with(&env, "alice", &right).success();
    // The same code again: refused, as django-otp refuses it (last_t).
    login_with(&env, "alice", &right).code(4).stderr(INVALID);
    assert_eq!(
        events(&env, "mfa_failure"),
        ["login: wrong code", "login: replayed code"]
    );
}

#[test]
fn one_step_of_drift_either_way_is_accepted_and_the_policy_sets_it() {
    let env = Env::new();
    env.register_with("root", "root@example.com", &["--admin"])
        .success();
    env.login("root", PASSWORD).success();
    let drift = || env.number("SELECT drift FROM mfa_factors");
    settle();
    let (secret, _) = enrol(&env);
    // Two steps ahead: outside the window.
    login_with(&env, "root", &oathtool(&secret, 60)).code(4);
    // One step ahead: inside it, and django-otp keeps the drift.
    login_with(&env, "root", &oathtool(&secret, 30)).success();
    assert_eq!(drift(), 1);
    // One step behind (once no later step was accepted).
    env.sql("UPDATE mfa_factors SET last_t = -1, drift = 0");
    login_with(&env, "root", &oathtool(&secret, -30)).success();
    assert_eq!(drift(), -1);
    // `mfa-drift-steps 0`: the current step only.
    env.sql("UPDATE mfa_factors SET last_t = -1, drift = 0");
    env.run(&["policy", "set", "mfa-drift-steps", "0"], None)
        .success();
    login_with(&env, "root", &oathtool(&secret, 30)).code(4);
    login_with(&env, "root", &oathtool(&secret, -30)).code(4);
    login_with(&env, "root", &oathtool(&secret, 0)).success();
    assert_eq!(drift(), 0);
}

#[test]
fn a_recovery_code_logs_in_once_and_regenerate_voids_the_set() {
    let env = Env::new();
    env.alice_logged_in();
    let (secret, codes) = enrol(&env);
    login_with(&env, "alice", &codes[0]).success();
    login_with(&env, "alice", &codes[0]).code(4).stderr(INVALID);
    // Upper case, without dashes: the same code.
    login_with(&env, "alice", &codes[1].replace('-', "").to_uppercase()).success();
    let status = env.run(&["mfa", "status", "--json"], None);
    assert_eq!(status.json()["recovery_codes_left"], 8);
    assert_eq!(
        events(&env, "mfa_recovery_code_used"),
        ["login; 9 left", "login; 8 left"]
    );

    // Regenerating needs the password and a code.
    env.run(
        &["mfa", "recovery-codes", "--regenerate", "--password-stdin"],
        Some(&format!("{PASSWORD}\n000000\n")),
    )
    .code(4);
    let outcome = env.run(
        &[
            "mfa",
            "recovery-codes",
            "--regenerate",
            "--password-stdin",
            "--json",
        ],
        Some(&format!("{PASSWORD}\n{}\n", oathtool(&secret, 30))),
    );
    outcome.success();
    let fresh: Vec<String> = outcome.json()["recovery_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("text").to_owned())
        .collect();
    assert_eq!(fresh.len(), 10);
    login_with(&env, "alice", &codes[2]).code(4);
    login_with(&env, "alice", &fresh[0]).success();
    assert_eq!(env.count("mfa_recovery_codes"), 10);
}

#[test]
fn failed_codes_lock_the_name_like_failed_passwords() {
    let env = Env::new();
    env.alice_logged_in();
    let (secret, _) = enrol(&env);
    for _ in 0..4 {
        login_with(&env, "alice", "000000").code(4).stderr(INVALID);
    }
    login_with(&env, "alice", "000000")
        .code(4)
        .stderr_has("is locked for");
    // Locked: even the right password and code are refused.
    login_with(&env, "alice", &oathtool(&secret, 30)).code(5);
    assert_eq!(events(&env, "mfa_failure").len(), 5);
    assert_eq!(events(&env, "lock").len(), 1);
    // A right code after failures resets the count.
    env.sql("DELETE FROM login_failures");
    login_with(&env, "alice", "000000").code(4);
    login_with(&env, "alice", &oathtool(&secret, 30)).success();
    assert_eq!(env.count("login_failures"), 0);
}

#[test]
fn passwd_and_disable_check_the_factor() {
    let env = Env::new();
    env.alice_logged_in();
    let (secret, _) = enrol(&env);
    let before = dump(&env);
    // Three lines: current password, code, new password.
    env.run(
        &["passwd", "--password-stdin"],
        Some(&format!("{PASSWORD}\n000000\n{OTHER_PASSWORD}\n")),
    )
    .code(4)
    .stderr(INVALID);
    assert_ne!(dump(&env), before);
    env.run(
        &["passwd", "--password-stdin"],
        Some(&format!(
            "{PASSWORD}\n{}\n{OTHER_PASSWORD}\n",
            oathtool(&secret, 30)
        )),
    )
    .success();
    // Disabling: the password, then a code.
    env.run(
        &["mfa", "disable", "--password-stdin"],
        Some(&format!("{OTHER_PASSWORD}\n")),
    )
    .code(4)
    .stderr(INVALID);
    assert_eq!(env.count("mfa_factors"), 1);
    env.run(
        &["mfa", "disable", "--password-stdin"],
        Some(&format!("{OTHER_PASSWORD}\n{}\n", oathtool(&secret, 60))),
    )
    .success();
    assert_eq!(env.count("mfa_factors"), 0);
    assert_eq!(env.count("mfa_recovery_codes"), 0);
    env.login("alice", OTHER_PASSWORD).success();
    assert_eq!(events(&env, "mfa_disable").len(), 1);
}

#[test]
fn an_admin_reset_removes_the_factor_and_ends_the_sessions() {
    let env = Env::new();
    env.register_with("root", "root@example.com", &["--admin"])
        .success();
    let alice = env.using("file");
    alice.register("alice", "alice@example.com").success();
    alice.login("alice", PASSWORD).success();
    enrol(&alice);
    env.login("root", PASSWORD).success();
    let show = env.run(&["users", "show", "alice", "--json"], None);
    assert_eq!(show.json()["mfa"], true);
    assert_eq!(show.json()["recovery_codes_left"], 10);
    let list = env.run(&["users", "list", "--mfa", "--json"], None);
    assert_eq!(crate::util::field(&list.json(), "username"), ["alice"]);
    let list = env.run(&["users", "list", "--no-mfa", "--json"], None);
    assert_eq!(crate::util::field(&list.json(), "username"), ["root"]);

    env.run(&["users", "reset-mfa", "alice"], None)
        .success()
        .stderr("Removed the second factor of alice; ended 1 session.\n");
    alice.whoami().code(4);
    alice.login("alice", PASSWORD).success();
    let reset = events(&env, "mfa_reset");
    assert_eq!(reset.len(), 1);
    env.run(&["users", "reset-mfa", "alice"], None)
        .success()
        .stderr("alice has no second factor.\n");
    // Not an admin: exit 9.
    alice.run(&["users", "reset-mfa", "root"], None).code(9);
}

#[test]
fn mfa_required_lets_an_account_without_one_log_in_only_to_enrol() {
    let env = Env::new();
    env.register_with("root", "root@example.com", &["--admin"])
        .success();
    env.login("root", PASSWORD).success();
    env.run(&["policy", "set", "mfa-required", "admins"], None)
        .success()
        .stderr("Set mfa-required to admins (it was none).\n");
    // Root has none: every other command is refused now.
    env.whoami().code(9).stderr_has("requires a second factor");
    env.run(&["users", "list"], None).code(9);
    let status = env.run(&["mfa", "status", "--json"], None);
    status.success();
    assert_eq!(status.json()["required"], true);
    // A login still works, and says what to do.
    env.login("root", PASSWORD)
        .success()
        .stderr_has("enrol one with `latch mfa enable`");
    let (secret, _) = enrol(&env);
    env.whoami().success().stdout("root\n");
    // A user who is not an admin is not asked under `admins`.
    env.register("alice", "alice@example.com").success();
    let alice = env.using("file");
    alice.login("alice", PASSWORD).success();
    alice.whoami().success();
    login_with(&env, "root", &oathtool(&secret, 30)).success();
    env.run(&["policy", "set", "mfa-required", "all"], None)
        .success();
    alice.whoami().code(9);
    alice.run(&["logout"], None).success();
}

#[test]
fn the_qr_code_decodes_to_the_uri() {
    let env = Env::new();
    env.alice_logged_in();
    let outcome = env.run(
        &["mfa", "enable", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    );
    outcome.success();
    let mut qr: Vec<&str> = Vec::new();
    let mut uri = None;
    for line in outcome.stdout.lines() {
        if let Some(rest) = line.strip_prefix("URI:") {
            uri = Some(rest.trim().to_owned());
        } else if uri.is_none() {
            qr.push(line);
        }
    }
    let uri = uri.expect("a URI line");
    assert!(!qr.is_empty(), "{outcome:#?}");
    for line in &qr {
        assert!(line.chars().count() <= 80, "wider than 80 columns: {line}");
    }
    // Each character is two modules, top and bottom; a block is drawn in
    // the text colour, which is light on a dark terminal.
    let width = qr[0].chars().count();
    let mut rows: Vec<Vec<bool>> = Vec::new();
    for line in &qr {
        let (mut top, mut bottom) = (Vec::new(), Vec::new());
        for c in line.chars() {
            let (t, b) = match c {
                '█' => (true, true),
                '▀' => (true, false),
                '▄' => (false, true),
                ' ' => (false, false),
                other => panic!("not a half block: {other:?}"),
            };
            top.push(t);
            bottom.push(b);
        }
        assert_eq!(top.len(), width);
        rows.push(top);
        rows.push(bottom);
    }
    // A PBM (1 = black) with a light border and 4 pixels per module.
    const SCALE: usize = 4;
    const BORDER: usize = 8;
    let (w, h) = (
        (width + 2 * BORDER) * SCALE,
        (rows.len() + 2 * BORDER) * SCALE,
    );
    let mut pbm = format!("P1\n{w} {h}\n");
    for y in 0..h {
        let row = (y / SCALE).checked_sub(BORDER).and_then(|r| rows.get(r));
        for x in 0..w {
            let light = match (row, (x / SCALE).checked_sub(BORDER)) {
                (Some(row), Some(col)) if col < width => row[col],
                _ => true,
            };
            pbm.push(if light { '0' } else { '1' });
            pbm.push(' ');
        }
        pbm.push('\n');
    }
    let file = env.home.join("qr.pbm");
    std::fs::write(&file, pbm).expect("write the image");
    let decoded = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(&file)
        .output()
        .expect("zbarimg (Debian package zbar-tools) runs");
    assert!(decoded.status.success(), "zbarimg: {decoded:?}");
    assert_eq!(String::from_utf8_lossy(&decoded.stdout).trim(), uri);
    let secret = outcome
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Secret:"))
        .expect("a secret line")
        .trim();
    assert!(uri.contains(&format!("secret={secret}&")), "{uri}");
}

#[test]
fn hostile_codes_are_refused_with_nothing_written() {
    let env = Env::new();
    env.alice_logged_in();
    enable(&env);
    let long = "1".repeat(70_000);
    let hostile: Vec<Vec<u8>> = vec![
        b"123 456\n".to_vec(),
        b" 123456\n".to_vec(),
        b"12345a\n".to_vec(),
        b"12345\n".to_vec(),
        b"1234567\n".to_vec(),
        b"123\x00456\n".to_vec(),
        b"\xff\xfe\xfd\xfc\xfb\xfa\n".to_vec(),
        format!("{long}\n").into_bytes(),
        b"".to_vec(),
    ];
    let before = dump(&env);
    for input in &hostile {
        let outcome = env.run_bytes(&["mfa", "confirm", "--code-stdin"], input);
        outcome.code(3).no_panic();
        assert_eq!(
            outcome.stderr.lines().count(),
            1 + outcome.stderr.matches("hint:").count()
        );
        assert!(outcome.stderr.starts_with("latch: error: "), "{outcome:#?}");
        assert_eq!(dump(&env), before, "{input:?}");
    }
    // No terminal, no --code-stdin: at once.
    env.run(&["mfa", "confirm"], None)
        .code(2)
        .stderr_has("--code-stdin");

    // At login, a hostile second line is a failed code: exit 4, no session,
    // the factor's state as it was.
    let env = Env::new();
    env.alice_logged_in();
    enrol(&env);
    let factor = || env.texts("SELECT last_t, drift FROM mfa_factors");
    let state = factor();
    let sessions = env.count("sessions");
    for input in hostile.iter().take(8) {
        let mut stdin = format!("{PASSWORD}\n").into_bytes();
        stdin.extend_from_slice(input);
        env.sql("DELETE FROM login_failures");
        let outcome = env.run_bytes(&["login", "alice", "--password-stdin"], &stdin);
        outcome.code(4).stderr(INVALID).no_panic();
        assert_eq!(factor(), state);
        assert_eq!(env.count("sessions"), sessions);
    }
    assert!(
        events(&env, "mfa_failure")
            .iter()
            .all(|e| e == "login: malformed code"),
        "{:?}",
        events(&env, "mfa_failure")
    );
}

/// django-otp's table as its migrations make it on SQLite (django-otp 1.7).
const TOTP_DEVICE_TABLE: &str = "CREATE TABLE otp_totp_totpdevice (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    name varchar(64) NOT NULL,
    confirmed bool NOT NULL,
    key varchar(80) NOT NULL,
    step smallint unsigned NOT NULL CHECK (step >= 0),
    t0 bigint NOT NULL,
    digits smallint unsigned NOT NULL CHECK (digits >= 0),
    tolerance smallint unsigned NOT NULL CHECK (tolerance >= 0),
    drift smallint NOT NULL,
    last_t bigint NOT NULL,
    throttling_failure_count integer unsigned NOT NULL CHECK (throttling_failure_count >= 0),
    throttling_failure_timestamp datetime NULL,
    user_id integer NOT NULL REFERENCES auth_user (id),
    created_at datetime NULL,
    last_used_at datetime NULL)";

/// The key of RFC 6238's test vectors, as django-otp keeps keys (hex).
const KEY_HEX: &str = "3132333435363738393031323334353637383930";
/// The same key in base32, for oathtool.
const KEY_BASE32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

#[test]
fn django_otp_devices_come_in_with_the_users_and_go_out_in_the_fixture() {
    let env = Env::new();
    env.register_with("root", "root@example.com", &["--admin"])
        .success();
    env.login("root", PASSWORD).success();
    // The site Django made, with django-otp's devices: alice's confirmed one
    // (a step well in the past accepted), bob's unconfirmed, carol's with 7
    // digits, which latch cannot check.
    let site = env.home.join("site.sqlite3");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/django/site.sqlite3"
        ),
        &site,
    )
    .expect("copy the site");
    let django = rusqlite::Connection::open(&site).expect("site");
    django.execute_batch(TOTP_DEVICE_TABLE).expect("table");
    for (user, confirmed, digits) in [(2, 1, 6), (3, 0, 6), (4, 1, 7)] {
        django
            .execute(
                "INSERT INTO otp_totp_totpdevice (name, confirmed, key, step, t0, digits, \
                 tolerance, drift, last_t, throttling_failure_count, user_id) \
                 VALUES ('phone', ?1, ?2, 30, 0, ?3, 1, 0, 1000, 0, ?4)",
                rusqlite::params![confirmed, KEY_HEX, digits, user],
            )
            .expect("device");
    }
    drop(django);
    let outcome = env.run(&["import", "--format", "django-db"], None);
    outcome.code(2);
    let outcome = env.run(
        &[
            "import",
            "--format",
            "django-db",
            site.to_str().expect("UTF-8"),
        ],
        None,
    );
    outcome
        .success()
        .stderr_has("carol")
        .stderr_has("TOTP device");
    let factors = env.query(
        "SELECT users.username, key, last_t FROM mfa_factors \
         JOIN users ON users.id = mfa_factors.user_id WHERE confirmed",
    );
    let text = |s: &str| Some(s.to_owned());
    assert_eq!(factors, [[text("alice"), text(KEY_HEX), text("1000")]]);
    let alice = env.using("file");
    alice.login("alice", PASSWORD).code(4);
    login_with(&alice, "alice", &oathtool(KEY_BASE32, 30)).success();
    alice.login("bob", PASSWORD).success();

    // Out again: the device follows its user, by natural key.
    let outcome = env.run(&["export", "--format", "django-json"], None);
    outcome.success();
    let fixture: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    let devices: Vec<&serde_json::Value> = fixture
        .as_array()
        .expect("a list")
        .iter()
        .filter(|object| object["model"] == "otp_totp.totpdevice")
        .collect();
    assert_eq!(devices.len(), 1, "{fixture:#}");
    let fields = &devices[0]["fields"];
    assert_eq!(fields["user"], serde_json::json!(["alice"]));
    assert_eq!(fields["key"], KEY_HEX);
    assert_eq!(fields["confirmed"], true);
    assert_eq!(
        (fields["step"].as_i64(), fields["digits"].as_i64()),
        (Some(30), Some(6))
    );
    assert!(fields["last_t"].as_i64().expect("last_t") > 1000);
    assert!(devices[0].get("pk").is_none());
}

#[test]
fn on_a_terminal_enable_confirms_and_login_asks_for_the_code() {
    let env = Env::new();
    env.alice_logged_in();
    let mut session = spawn_command(env.command(&["mfa", "enable"]), Some(30_000)).expect("spawn");
    session.exp_string("Password: ").expect("password prompt");
    session.send_line(PASSWORD).expect("type");
    let (shown, _) = session
        .exp_regex("Secret: [A-Z2-7]{32}")
        .expect("the secret");
    // rexpect reads bytes as Latin-1: the QR code is checked elsewhere.
    session
        .exp_string("Code from the app: ")
        .expect("code prompt");
    let status = env.run(&["mfa", "status", "--json"], None);
    assert_eq!(status.json()["pending"], true);
    let uri = shown
        .lines()
        .find_map(|line| line.trim().strip_prefix("URI:"))
        .expect("the URI line")
        .trim()
        .to_owned();
    let base32 = uri
        .split("secret=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .expect("the secret in the URI")
        .to_owned();
    let code = oathtool(&base32, 0);
    session.send_line(&code).expect("type");
    let rest = session.exp_eof().expect("exit");
    assert!(rest.contains("Recovery codes"), "{rest}");
    assert!(!rest.contains(&code), "the code was echoed: {rest}");
    assert_eq!(
        session.process().wait().expect("wait"),
        WaitStatus::Exited(session.process().child_pid, 0)
    );

    let mut session = spawn_command(env.command(&["login", "alice"]), Some(30_000)).expect("spawn");
    session.exp_string("Password: ").expect("password prompt");
    session.send_line(PASSWORD).expect("type");
    session.exp_string("Code: ").expect("code prompt");
    let code = oathtool(&base32, 30);
    session.send_line(&code).expect("type");
    let rest = session.exp_eof().expect("exit");
    assert!(rest.contains("Logged in as alice"), "{rest}");
    assert!(!rest.contains(&code), "the code was echoed: {rest}");
    // A wrong password asks for no code.
    let mut session = spawn_command(env.command(&["login", "alice"]), Some(30_000)).expect("spawn");
    session.exp_string("Password: ").expect("password prompt");
    session.send_line(OTHER_PASSWORD).expect("type");
    let rest = session.exp_eof().expect("exit");
    assert!(!rest.contains("Code:"), "{rest}");
    assert!(
        rest.contains("invalid username, password or code"),
        "{rest}"
    );
}
