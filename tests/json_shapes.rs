//! Every JSON shape latch prints, snapshotted: a change to a shape is a change
//! to an interface scripts rely on, and must show in review. Values that vary
//! from run to run (times, ids, hosts, speeds) are replaced by placeholders.
//! Rewritten with the docs by the command in `docs::UPDATE`.

use serde_json::Value;

use crate::util::{Env, PASSWORD};

const VARYING: &[&str] = &[
    "at",
    "created_at",
    "expires_at",
    "last_seen_at",
    "date_joined",
    "last_login",
    "locked_until",
    "id",
    "host",
    "os_user",
    "iterations_per_ms",
    "proposed",
    "proposed_ms",
    "current",
    "confirmed_at",
    "secret",
    "otpauth_uri",
];

fn placeholders(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if VARYING.contains(&key.as_str()) && !inner.is_null() && !inner.is_boolean() {
                    *inner = Value::String(format!("<{key}>"));
                } else {
                    placeholders(inner);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(placeholders),
        _ => {}
    }
}

fn shape(text: &str) -> Vec<u8> {
    let mut value: Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    placeholders(&mut value);
    let mut out = serde_json::to_string_pretty(&value).expect("JSON");
    out.push('\n');
    out.into_bytes()
}

#[test]
fn json_shapes_are_up_to_date() {
    let env = Env::new();
    let mut shapes: Vec<(String, Vec<u8>)> = Vec::new();
    let mut stdout = |name: &str, args: &[&str]| {
        let outcome = env.run(args, None);
        outcome.success();
        shapes.push((format!("{name}.json"), shape(&outcome.stdout)));
    };
    stdout("policy-show", &["policy", "show", "--json"]);
    env.root_logged_in();
    let mut stdout = |name: &str, args: &[&str]| {
        let outcome = env.run(args, None);
        outcome.success();
        shapes.push((format!("{name}.json"), shape(&outcome.stdout)));
    };
    stdout("whoami", &["whoami", "--json"]);
    stdout("users-list", &["users", "list", "--json"]);
    stdout("users-show", &["users", "show", "root", "--json"]);
    stdout("sessions-list", &["sessions", "list", "--json"]);
    stdout("history", &["history", "--limit", "2", "--json"]);
    // Before the second factor, which would make verify ask for a code.
    let outcome = env.run(
        &["verify", "root", "--password-stdin", "--json"],
        Some(&format!("{PASSWORD}\n")),
    );
    outcome.success();
    shapes.push(("verify.json".into(), shape(&outcome.stdout)));
    let outcome = env.run(
        &["mfa", "enable", "--password-stdin", "--json"],
        Some(&format!("{PASSWORD}\n")),
    );
    outcome.success();
    shapes.push(("mfa-enable.json".into(), shape(&outcome.stdout)));
    let secret = outcome.json()["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    env.run(
        &["mfa", "confirm", "--code-stdin"],
        Some(&format!("{}\n", crate::mfa::oathtool(&secret, 0))),
    )
    .success();
    let outcome = env.run(
        &[
            "mfa",
            "recovery-codes",
            "--regenerate",
            "--password-stdin",
            "--json",
        ],
        Some(&format!(
            "{PASSWORD}\n{}\n",
            crate::mfa::oathtool(&secret, 30)
        )),
    );
    outcome.success();
    let mut codes = outcome.json();
    for code in codes["recovery_codes"].as_array_mut().expect("codes") {
        *code = Value::String("<recovery_code>".into());
    }
    shapes.push(("mfa-recovery-codes.json".into(), shape(&codes.to_string())));
    let mut stdout = |name: &str, args: &[&str]| {
        let outcome = env.run(args, None);
        outcome.success();
        shapes.push((format!("{name}.json"), shape(&outcome.stdout)));
    };
    stdout("mfa-status", &["mfa", "status", "--json"]);
    stdout(
        "policy-calibrate",
        &["policy", "calibrate", "--target-ms", "10", "--json"],
    );

    let mut stderr = |name: &str, args: &[&str], stdin: Option<&str>, code: i32| {
        let outcome = env.run(args, stdin);
        outcome.code(code);
        shapes.push((format!("error-{name}.json"), shape(&outcome.stderr)));
    };
    stderr("usage", &["whoami", "--json", "--bogus"], None, 2);
    stderr(
        "not-authenticated",
        &["--db", "/nonexistent/latch.db", "whoami", "--json"],
        None,
        4,
    );
    stderr(
        "invalid-input",
        &["history", "--json", "--limit", "0"],
        None,
        3,
    );
    env.register("alice", "alice@example.com").success();
    let alice = env.using("keyutils");
    alice.login("alice", PASSWORD).success();
    let outcome = alice.run(&["history", "root", "--json"], None);
    outcome.code(9);
    shapes.push(("error-not-permitted.json".into(), shape(&outcome.stderr)));
    same_as_the_snapshots(&shapes);
}

/// On SQLite the shapes are the snapshots (`UPDATE_DOCS=1` rewrites them);
/// on PostgreSQL they must be the same files, byte for byte.
fn same_as_the_snapshots(shapes: &[(String, Vec<u8>)]) {
    match crate::BACKEND {
        crate::util::Backend::Sqlite => {
            crate::util::snapshots::ensure_dir("tests/snapshots/json", shapes)
        }
        crate::util::Backend::Postgres => {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/json");
            for (name, shape) in shapes {
                let committed = std::fs::read(format!("{dir}/{name}")).expect(name);
                assert_eq!(
                    String::from_utf8_lossy(&committed),
                    String::from_utf8_lossy(shape),
                    "{name} on PostgreSQL differs from the snapshot made on SQLite"
                );
            }
        }
    }
}
