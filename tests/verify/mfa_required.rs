//! `verify` under the policy `mfa-required`: an account it covers that has
//! no confirmed factor can log in only to enrol one, so its password alone
//! passes no check, through `verify` or through PAM.

use super::{INVALID, WRONG, event, events, failures, pam, verify};
use crate::util::{Env, PASSWORD};

const MESSAGE: &str = "the policy mfa-required requires a second factor for alice, who has none \
                       yet; until one is enrolled with `latch login` then `latch mfa enable`, \
                       verify refuses the account";
const REASON: &str = "second factor required by policy";

#[test]
fn an_account_that_must_enrol_a_factor_is_refused_after_the_right_password() {
    let env = Env::new();
    env.root_logged_in();
    env.register("alice", "alice@example.com").success();
    // Policy none (the default): the password alone passes, as before.
    verify(&env, "alice", PASSWORD, &[])
        .success()
        .stderr("The password of alice is right.\n");
    env.run(&["policy", "set", "mfa-required", "all"], None)
        .success();
    env.sql("DELETE FROM events");

    // A wrong password gets the usual answer, which tells nothing of the policy.
    verify(&env, "alice", WRONG, &[]).code(4).stderr(INVALID);
    assert_eq!(failures(&env, "alice"), 1);
    // The right one: exit 9, one line; the count cleared, as a login clears it.
    let line = format!("latch: error: {MESSAGE}\n");
    verify(&env, "alice", PASSWORD, &[])
        .code(9)
        .stdout("")
        .stderr(&line);
    assert_eq!(failures(&env, "alice"), 0);
    // Not a wrong password: -q still prints it; --json is the JSON error.
    verify(&env, "alice", PASSWORD, &["-q"])
        .code(9)
        .stdout("")
        .stderr(&line);
    let json = verify(&env, "alice", PASSWORD, &["--json"]);
    json.code(9).stdout("");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json.stderr).expect("JSON on stderr"),
        serde_json::json!({"error": {
            "code": "not_permitted",
            "message": MESSAGE,
            "problems": [],
        }})
    );
    // Through PAM: exit 9 (PAM_SYSTEM_ERR for pam_exec), the same line.
    pam(&env, "alice", PASSWORD.as_bytes())
        .code(9)
        .stdout("")
        .stderr(&line);
    assert_eq!(failures(&env, "alice"), 0, "the refusals never count");
    let origin = "PAM service \"ftp\", remote host \"192.0.2.7\"";
    assert_eq!(
        events(&env),
        vec![
            event("verify_failure", "alice", "wrong password"),
            event("verify_failure", "alice", REASON),
            event("verify_failure", "alice", REASON),
            event("verify_failure", "alice", REASON),
            event("verify_failure", "alice", &format!("{REASON}; {origin}")),
        ]
    );
    assert_eq!(env.count("sessions"), 1, "root's alone");

    // alice logs in, enrols a factor; then the password and a code pass.
    crate::mfa::settle();
    let alice = env.using("file");
    alice.login("alice", PASSWORD).success();
    let (secret, _) = crate::mfa::enrol(&alice);
    alice.run(&["logout"], None).success();
    verify(&env, "alice", PASSWORD, &[]).code(4).stderr(INVALID);
    env.run(
        &["verify", "alice", "--password-stdin"],
        Some(&format!(
            "{PASSWORD}\n{}\n",
            crate::mfa::oathtool(&secret, 30)
        )),
    )
    .success()
    .stderr("The password of alice is right.\n");
}
