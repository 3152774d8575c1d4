//! `verify --pam` behind a real PAM stack: Linux-PAM's pam_exec running latch,
//! driven by Debian's `pamtester`, through a service file written into
//! /etc/pam.d/ under a name of its own and removed afterwards. Writing there
//! needs root (CI runs as root); without it these tests fail, saying so.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::util::{Env, Outcome, PASSWORD, run_command};

const WRONG: &str = "not the password at all";
const RHOST: &str = "198.51.100.23";

/// A service file in /etc/pam.d/, removed when dropped.
struct PamService {
    name: String,
    path: PathBuf,
}

impl PamService {
    /// A service whose every line is `lines`, with `LATCH` standing for the
    /// latch binary and `STORE` for `env`'s store.
    fn new(env: &Env, lines: &[&str]) -> PamService {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "latch-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = PathBuf::from("/etc/pam.d").join(&name);
        let text: String = lines
            .iter()
            .map(|line| {
                line.replace("LATCH", env!("CARGO_BIN_EXE_latch"))
                    .replace("STORE", env.store.to_str().expect("a UTF-8 store"))
                    + "\n"
            })
            .collect();
        if let Err(e) = std::fs::write(&path, text) {
            panic!(
                "cannot write the PAM service file {} ({e}): the PAM tests need root, \
                 as CI runs them; run them as root (sudo -E scripts/test-env cargo test \
                 --test integration pam::)",
                path.display()
            );
        }
        PamService { name, path }
    }

    /// The usual service: latch answers auth, pam_permit the account.
    fn auth(env: &Env) -> PamService {
        PamService::new(
            env,
            &[
                "auth required pam_exec.so expose_authtok quiet type=auth LATCH --db STORE verify --pam",
                "account required pam_permit.so",
            ],
        )
    }

    /// `pamtester SERVICE USER OPERATION`, with the password typed at its
    /// prompt and PAM_RHOST set.
    fn pamtester(&self, user: &str, operation: &str, password: &str) -> Outcome {
        let mut command = Command::new("pamtester");
        command
            .args(["-I", &format!("rhost={RHOST}"), &self.name, user, operation])
            .env_clear();
        run_command(command, Some(format!("{password}\n").as_bytes()))
    }

    fn authenticate(&self, user: &str, password: &str) -> Outcome {
        self.pamtester(user, "authenticate", password)
    }
}

impl Drop for PamService {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn verify_events(env: &Env) -> Vec<(String, String, String)> {
    env.events_where("kind LIKE 'verify_%'")
}

#[test]
fn the_right_password_authenticates_and_no_other() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let service = PamService::auth(&env);
    let right = service.authenticate("alice", PASSWORD);
    right.success();
    assert!(
        format!("{}{}", right.stdout, right.stderr).contains("successfully authenticated"),
        "{right:#?}"
    );
    // pam_exec turns every failing exit status into PAM_SYSTEM_ERR.
    service
        .authenticate("alice", WRONG)
        .code(1)
        .stderr_has("System error");
    service.authenticate("nobody", PASSWORD).code(1);
    let origin = format!("PAM service \"{}\", remote host \"{RHOST}\"", service.name);
    let event = |kind: &str, subject: &str, detail: &str| {
        (kind.to_owned(), subject.to_owned(), detail.to_owned())
    };
    assert_eq!(
        verify_events(&env),
        vec![
            event("verify_success", "alice", &origin),
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
    assert_eq!(env.count("sessions"), 0);
    assert_eq!(env.stored_token(), None);
}

#[test]
fn a_locked_name_does_not_authenticate() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let service = PamService::auth(&env);
    for _ in 0..5 {
        env.login("alice", WRONG).code(4);
    }
    service.authenticate("alice", PASSWORD).code(1);
    let events = verify_events(&env);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(
        events[0].2,
        format!(
            "locked; PAM service \"{}\", remote host \"{RHOST}\"",
            service.name
        )
    );
    // Unlocked, the same password is let in.
    env.sql("DELETE FROM login_failures");
    service.authenticate("alice", PASSWORD).success();
}

/// latch answers only auth: an account line that runs it fails rather than
/// succeeds, and `type=auth` makes pam_exec pass over it (PAM_IGNORE).
#[test]
fn other_module_types_are_refused_unless_pam_exec_skips_them() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let refusing = PamService::new(
        &env,
        &["account required pam_exec.so quiet LATCH --db STORE verify --pam"],
    );
    refusing
        .pamtester("alice", "acct_mgmt", "")
        .code(1)
        .stderr_has("System error");
    let skipped = PamService::new(
        &env,
        &[
            "account required pam_exec.so quiet type=auth LATCH --db STORE verify --pam",
            "account required pam_permit.so",
        ],
    );
    skipped.pamtester("alice", "acct_mgmt", "").success();
    assert_eq!(verify_events(&env), vec![], "no check was made");
}

/// pam_exec passes only the PAM items: a line without --db cannot find the store.
#[test]
fn a_line_without_the_store_fails() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let service = PamService::new(
        &env,
        &["auth required pam_exec.so expose_authtok quiet LATCH verify --pam"],
    );
    service.authenticate("alice", PASSWORD).code(1);
    assert_eq!(verify_events(&env), vec![]);
}
