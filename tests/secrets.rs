//! The token and the password never show: not on stdout or stderr, not in
//! JSON, not in the store (its files, or its database's rows).

use crate::util::{Env, OTHER_PASSWORD, PASSWORD};

#[test]
fn neither_token_nor_password_appears_anywhere() {
    for kind in ["keyring", "keyutils", "file"] {
        let env = Env::with_token_store(kind);
        let mut outcomes = vec![
            env.register_with("alice", "alice@example.com", &["--admin"]),
            env.login("alice", PASSWORD),
        ];
        let token = env.stored_token().expect("token");
        outcomes.push(env.whoami());
        outcomes.push(env.run(&["whoami", "--json"], None));
        outcomes.push(env.login("alice", "wrong password entirely"));
        for flags in [&[][..], &["--json"]] {
            for password in [PASSWORD, OTHER_PASSWORD] {
                let mut args = vec!["verify", "alice", "--password-stdin"];
                args.extend_from_slice(flags);
                outcomes.push(env.run(&args, Some(&format!("{password}\n"))));
            }
        }
        outcomes.push(env.register("alice", "alice@example.com"));
        outcomes.push(env.run(
            &["passwd", "--password-stdin"],
            Some(&format!("{PASSWORD}\n{OTHER_PASSWORD}\n")),
        ));
        outcomes.push(env.run(&["history"], None));
        outcomes.push(env.run(&["history", "--json"], None));
        outcomes.push(env.run(&["users", "unlock", "alice"], None));
        outcomes.push(env.run(&["users", "admin", "revoke", "alice"], None));
        let token_after = env.stored_token().expect("token");
        outcomes.push(env.run(&["logout"], None));
        outcomes.push(env.whoami());
        outcomes.push(env.login("alice", OTHER_PASSWORD));
        let last_token = env.stored_token().expect("token");

        // The store's files on SQLite; on PostgreSQL every row of every
        // table of latch's schema.
        let files: Vec<Vec<u8>> = match env.backend() {
            crate::util::Backend::Sqlite => std::fs::read_dir(env.db.parent().expect("dir"))
                .expect("store directory")
                .map(|entry| std::fs::read(entry.expect("entry").path()).expect("read"))
                .collect(),
            crate::util::Backend::Postgres => vec![
                env.dump_tables(&[
                    "users",
                    "sessions",
                    "policy",
                    "events",
                    "login_failures",
                    "mfa_factors",
                    "mfa_recovery_codes",
                ])
                .into_bytes(),
            ],
        };
        let secrets = [
            token.as_str(),
            &token[6..],
            token_after.as_str(),
            last_token.as_str(),
            PASSWORD,
            OTHER_PASSWORD,
        ];
        for secret in secrets {
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
