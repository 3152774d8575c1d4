//! The token and the password never show: not on stdout or stderr, not in
//! JSON, not in the store file.

use crate::util::{Env, PASSWORD};

#[test]
fn neither_token_nor_password_appears_anywhere() {
    for kind in ["keyring", "keyutils", "file"] {
        let env = Env::with_token_store(kind);
        let mut outcomes = vec![
            env.register("alice", "alice@example.com"),
            env.login("alice", PASSWORD),
        ];
        let token = env.stored_token().expect("token");
        outcomes.push(env.whoami());
        outcomes.push(env.run(&["whoami", "--json"], None));
        outcomes.push(env.login("alice", "wrong password entirely"));
        outcomes.push(env.register("alice", "alice@example.com"));
        let token_after = env.stored_token().expect("token");
        outcomes.push(env.run(&["logout"], None));
        outcomes.push(env.whoami());

        let files: Vec<Vec<u8>> = std::fs::read_dir(env.db.parent().expect("dir"))
            .expect("store directory")
            .map(|entry| std::fs::read(entry.expect("entry").path()).expect("read"))
            .collect();
        for secret in [token.as_str(), token_after.as_str(), PASSWORD, &token[6..]] {
            for outcome in &outcomes {
                assert!(
                    !outcome.stdout.contains(secret),
                    "{kind}: secret on stdout: {outcome:#?}"
                );
                assert!(
                    !outcome.stderr.contains(secret),
                    "{kind}: secret on stderr: {outcome:#?}"
                );
            }
            for bytes in &files {
                let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
                assert!(!found, "{kind}: a secret is in the store's files");
            }
        }
    }
}
