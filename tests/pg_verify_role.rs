//! The role README gives the hosts that only check passwords: its SQL, read
//! out of README.md (between the `verify-role` markers) and run in the
//! test's database, is enough for every check `verify` makes, through
//! libpq's SCRAM login with that role's password: the right password, a
//! wrong one, the lockout counted, set and expired, an old hash rewritten
//! with the sessions bound to it, TOTP and recovery codes, a replay, and
//! policy `mfa-required`. And it is no more: `register` and `login` as that
//! role fail with the server's refusal, one line, nothing written.

use std::process::Command;

use crate::util::{Env, OTHER_PASSWORD, Outcome, PASSWORD, binding, pg_setting, run_command};

const WRONG: &str = "not the password at all";
const INVALID: &str = "latch: error: invalid username, password or code\n";
/// Django's hash of `PASSWORD` at 1,000 iterations (tests/fixtures/django/hashes.json).
const CHEAP_HASH: &str =
    "pbkdf2_sha256$1000$latchFixtureSalt012345$VwwfU6dwDuj6w0Bd1Wrf4wePq/UMMAcVIxaJ8h9cYlQ=";
/// The role's name and password as README writes them.
const README_ROLE: &str = "latch_verify";
const README_PASSWORD: &str = "'CHANGE-ME'";

/// README's SQL block between `<!-- verify-role:begin -->` and its end,
/// without the code fence.
fn readme_sql() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let text = std::fs::read_to_string(&path).expect("README.md");
    let begin = "<!-- verify-role:begin -->";
    let start = text.find(begin).expect("README's verify-role:begin marker") + begin.len();
    let stop = start
        + text[start..]
            .find("<!-- verify-role:end -->")
            .expect("README's verify-role:end marker");
    let sql: Vec<&str> = text[start..stop]
        .lines()
        .filter(|line| !line.trim_start().starts_with("```"))
        .collect();
    sql.join("\n")
}

/// The role of one test run (role names are the cluster's, so it carries
/// the database's name), dropped when the test ends, failed or not.
struct Role {
    name: String,
    password: String,
    owner: postgres::Client,
}

impl Role {
    /// README's role, made in `env`'s database by its owner.
    fn create(env: &Env) -> Role {
        let database = env.pg().expect("a PostgreSQL store");
        let seed = format!("{}{:?}", database.name, std::time::SystemTime::now());
        let password = hex(&crate::util::sha256(&seed)[..16]);
        let role = Role {
            name: format!("{README_ROLE}_{}", database.name),
            password,
            owner: database.client(),
        };
        let sql = readme_sql();
        assert!(sql.contains(README_PASSWORD), "README's placeholder: {sql}");
        let sql = sql
            .replace(README_PASSWORD, &format!("'{}'", role.password))
            .replace(README_ROLE, &role.name);
        let mut owner = database.client();
        owner
            .batch_execute(&sql)
            .unwrap_or_else(|e| panic!("README's verify-role SQL: {e:?}\n{sql}"));
        role
    }

    /// `env`'s store reached as this role over TCP, its password in
    /// PGPASSWORD: a host of its own, with the file token store.
    fn host(&self, env: &Env) -> Env {
        let url = format!(
            "postgresql://{}@127.0.0.1:{}/{}",
            self.name,
            pg_setting("LATCH_TEST_PG_PORT"),
            env.pg().expect("a PostgreSQL store").name
        );
        env.through(url, "file")
    }

    /// A client of the role's own, over TCP with its password.
    fn client(&self, env: &Env) -> postgres::Client {
        let conninfo = format!(
            "host=127.0.0.1 port={} user={} password={} dbname={} options='-c search_path=latch'",
            pg_setting("LATCH_TEST_PG_PORT"),
            self.name,
            self.password,
            env.pg().expect("a PostgreSQL store").name
        );
        postgres::Client::connect(&conninfo, postgres::NoTls).expect("connect as the role")
    }

    fn command(&self, host: &Env, args: &[&str]) -> Command {
        let mut command = host.command(args);
        command.env("PGPASSWORD", &self.password);
        command
    }

    fn run(&self, host: &Env, args: &[&str], stdin: &str) -> Outcome {
        run_command(self.command(host, args), Some(stdin.as_bytes()))
    }

    fn verify(&self, host: &Env, name: &str, password: &str) -> Outcome {
        self.run(
            host,
            &["verify", name, "--password-stdin"],
            &format!("{password}\n"),
        )
    }

    /// `verify --pam` as pam_exec starts it, the role's password in its
    /// environment.
    fn pam(&self, host: &Env, user: &str, answer: &str) -> Outcome {
        let mut command = Command::new(env!("CARGO_BIN_EXE_latch"));
        command
            .env_clear()
            .arg("--db")
            .arg(&host.store)
            .args(["verify", "--pam"])
            .env("PAM_TYPE", "auth")
            .env("PAM_USER", user)
            .env("PAM_SERVICE", "ftp")
            .env("PGPASSWORD", &self.password);
        run_command(command, Some(answer.as_bytes()))
    }

    /// One error line naming the server's refusal (a warning or a hint
    /// maybe); no password of any kind.
    #[track_caller]
    fn refused(&self, outcome: &Outcome, table: &str) {
        outcome
            .code(8)
            .stdout("")
            .stderr_has(&format!(": permission denied for table {table}\n"))
            .stderr_has("hint: this command needs a privilege the role lacks")
            .no_panic();
        assert!(
            !outcome
                .stderr
                .contains("permission denied: permission denied"),
            "{}",
            outcome.stderr
        );
        outcome.one_error_line().hides(&[
            PASSWORD,
            &self.password,
            &pg_setting("LATCH_TEST_PG_PASSWORD"),
        ]);
    }
}

impl Drop for Role {
    fn drop(&mut self) {
        // Its grants first (they are this database's), then the role.
        let _ = self
            .owner
            .batch_execute(&format!("DROP OWNED BY {}", self.name));
        if let Err(e) = self
            .owner
            .batch_execute(&format!("DROP ROLE IF EXISTS {}", self.name))
        {
            eprintln!("could not drop the role {}: {e:?}", self.name);
        }
    }
}

fn failures(env: &Env, key: &str) -> i64 {
    env.number(&format!(
        "SELECT coalesce((SELECT failures FROM login_failures WHERE username_key = {}), 0)",
        env.text_sql(key)
    ))
}

/// `(kind, detail)` of `subject`'s events after `after` (an event id).
fn events_of(env: &Env, subject: &str, after: i64) -> Vec<(String, String)> {
    env.events_where(&format!(
        "subject = {} AND id > {after}",
        env.text_sql(subject)
    ))
    .into_iter()
    .map(|(kind, _, detail)| (kind, detail))
    .collect()
}

fn last_event(env: &Env) -> i64 {
    env.number("SELECT coalesce(max(id), 0) FROM events")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn pair(kind: &str, detail: &str) -> (String, String) {
    (kind.into(), detail.into())
}

#[test]
fn readmes_check_role_does_every_check_and_nothing_else() {
    // The owner's hosts: root the admin; bob logged in (his session bound
    // to his hash); carol enrolled with a factor; alice and dave plain.
    let env = Env::new();
    env.root_logged_in();
    for name in ["alice", "dave"] {
        env.register(name, &format!("{name}@example.com")).success();
    }
    let bob = env.another_host("file");
    bob.register("bob", "bob@example.com").success();
    bob.login("bob", PASSWORD).success();
    bob.sql(&format!(
        "UPDATE users SET password = {} WHERE username = 'bob'; \
         UPDATE sessions SET password_binding = {} \
         WHERE user_id = (SELECT id FROM users WHERE username = 'bob')",
        env.text_sql(CHEAP_HASH),
        env.bytes_sql(&binding(CHEAP_HASH))
    ));
    crate::mfa::settle();
    let carol = env.another_host("file");
    carol.register("carol", "carol@example.com").success();
    carol.login("carol", PASSWORD).success();
    let (secret, recovery) = crate::mfa::enrol(&carol);
    carol.run(&["logout"], None).success();

    let role = Role::create(&env);
    let host = role.host(&env);

    // carol first, while the code of the next step is still ahead.
    let start = last_event(&env);
    role.verify(&host, "carol", PASSWORD)
        .code(4)
        .stderr(INVALID);
    let code = crate::mfa::oathtool(&secret, 30);
    let with = |code: &str| format!("{PASSWORD}\n{code}\n");
    let args = ["verify", "carol", "--password-stdin"];
    role.run(&host, &args, &with(&code)).success();
    role.run(&host, &args, &with(&code)).code(4).stderr(INVALID);
    role.pam(&host, "carol", &format!("{PASSWORD}000000"))
        .code(4)
        .stderr(INVALID);
    role.run(&host, &args, &with(&recovery[0])).success();
    assert_eq!(
        events_of(&env, "carol", start),
        [
            pair("mfa_failure", "verify: missing code"),
            pair("verify_success", ""),
            pair("mfa_failure", "verify: replayed code"),
            pair("mfa_failure", "verify; PAM service \"ftp\": wrong code"),
            pair("mfa_recovery_code_used", "verify; 9 left"),
            pair("verify_success", ""),
        ]
    );
    assert_eq!(
        env.number("SELECT count(*) FROM mfa_recovery_codes WHERE used_at IS NOT NULL"),
        1
    );
    assert_eq!(
        failures(&env, "carol"),
        0,
        "the successes cleared the count"
    );

    // alice: the right password, a wrong one, the lockout.
    let start = last_event(&env);
    role.verify(&host, "alice", PASSWORD)
        .success()
        .stderr("The password of alice is right.\n");
    role.pam(&host, "alice", PASSWORD).success().stderr("");
    role.verify(&host, "nobody", PASSWORD)
        .code(4)
        .stderr(INVALID);
    for _ in 0..4 {
        role.verify(&host, "alice", WRONG).code(4).stderr(INVALID);
    }
    assert_eq!(failures(&env, "alice"), 4);
    role.verify(&host, "alice", WRONG).code(4).stderr(
        "latch: error: invalid username, password or code\n\
         hint: after 5 failed attempts, \"alice\" is locked for 60 seconds\n",
    );
    role.verify(&host, "alice", PASSWORD)
        .code(5)
        .stderr_has("too many failed login attempts for \"alice\"");
    // The lock runs out: the right password passes and clears the count.
    env.sql(&format!(
        "UPDATE login_failures SET locked_until = {} - 1",
        env.now_sql()
    ));
    role.verify(&host, "alice", PASSWORD).success();
    assert_eq!(env.count("login_failures WHERE username_key = 'alice'"), 0);
    let mut expected = vec![pair("verify_success", ""); 2];
    expected[1].1 = "PAM service \"ftp\"".into();
    expected.extend(vec![pair("verify_failure", "wrong password"); 5]);
    expected.push(pair("lock", "5 consecutive failures; locked for 60 s"));
    expected.push(pair("verify_failure", "locked"));
    expected.push(pair("verify_success", ""));
    assert_eq!(events_of(&env, "alice", start), expected);
    assert_eq!(
        events_of(&env, "nobody", start),
        [pair("verify_failure", "unknown user")]
    );

    // bob: his old hash rewritten, his session carried over to the new one.
    let start = last_event(&env);
    role.verify(&host, "bob", PASSWORD).success();
    let hash = env
        .value("SELECT password FROM users WHERE username = 'bob'")
        .expect("a hash");
    assert!(hash.starts_with("pbkdf2_sha256$1200000$"), "{hash}");
    assert_eq!(
        env.column("SELECT password_binding FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'bob')"),
        [hex(&binding(&hash))]
    );
    bob.whoami().success().stdout("bob\n");
    assert_eq!(
        events_of(&env, "bob", start),
        [
            pair("verify_success", ""),
            pair(
                "hash_upgrade",
                "from pbkdf2_sha256 at 1000 iterations to pbkdf2_sha256 at 1200000 iterations"
            ),
        ]
    );

    // dave, under mfa-required: exit 9 after the right password.
    env.run(&["policy", "set", "mfa-required", "all"], None)
        .success();
    let start = last_event(&env);
    role.verify(&host, "dave", PASSWORD)
        .code(9)
        .stderr_has("the policy mfa-required requires a second factor for dave");
    assert_eq!(
        events_of(&env, "dave", start),
        [pair("verify_failure", "second factor required by policy")]
    );
    assert_eq!(failures(&env, "dave"), 0);

    // Nothing else: no account made, no session started.
    let before = env.dump();
    let outcome = role.run(
        &host,
        &[
            "register",
            "eve",
            "--email",
            "eve@example.com",
            "--password-stdin",
        ],
        &format!("{OTHER_PASSWORD}\n"),
    );
    role.refused(&outcome, "users");
    assert!(!outcome.stderr.contains(OTHER_PASSWORD), "{outcome:#?}");
    let outcome = role.run(
        &host,
        &["login", "alice", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    role.refused(&outcome, "sessions");
    assert_eq!(env.dump(), before, "nothing was written");
    // No session is read for its token, by latch or by anyone else.
    let mut client = role.client(&env);
    for sql in ["SELECT token_hash FROM sessions", "SELECT * FROM sessions"] {
        let error = client.simple_query(sql).expect_err(sql);
        assert!(
            error
                .as_db_error()
                .is_some_and(|db| db.message() == "permission denied for table sessions"),
            "{sql}: {error:?}"
        );
    }
}
