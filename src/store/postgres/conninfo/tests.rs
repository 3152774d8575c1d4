//! Every rule of `conninfo`, against an environment of the test's own.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use super::*;

/// An environment with the variables, OS user and home a test gives.
#[derive(Debug, Default)]
pub(crate) struct FakeEnvironment {
    vars: HashMap<String, OsString>,
    user: Option<String>,
    home: Option<PathBuf>,
}

impl FakeEnvironment {
    pub(crate) fn new(user: &str) -> Self {
        FakeEnvironment {
            user: Some(user.into()),
            ..Default::default()
        }
    }

    pub(crate) fn with(mut self, name: &str, value: &str) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    fn with_home(mut self, home: PathBuf) -> Self {
        self.home = Some(home);
        self
    }
}

impl Environment for FakeEnvironment {
    fn var(&self, name: &str) -> Option<OsString> {
        self.vars.get(name).cloned()
    }
    fn os_user(&self) -> Option<String> {
        self.user.clone()
    }
    fn home(&self) -> Option<PathBuf> {
        self.home.clone()
    }
}

fn parse(text: &str) -> PgConnInfo {
    parse_in(text, &FakeEnvironment::new("osuser"))
}

fn parse_in(text: &str, env: &FakeEnvironment) -> PgConnInfo {
    PgConnInfo::parse(text, env).unwrap_or_else(|p| panic!("{text}: {p:?}"))
}

fn problems(text: &str) -> Vec<Problem> {
    problems_in(text, &FakeEnvironment::new("osuser"))
}

fn problems_in(text: &str, env: &FakeEnvironment) -> Vec<Problem> {
    match PgConnInfo::parse(text, env) {
        Ok(info) => panic!("{text} parsed: {info:?}"),
        Err(problems) => problems,
    }
}

fn tcp(name: &str, port: u16) -> Endpoint {
    Endpoint {
        host: Host::Tcp(name.into()),
        port,
    }
}

fn unix(dir: &str, port: u16) -> Endpoint {
    Endpoint {
        host: Host::Unix(dir.into()),
        port,
    }
}

/// Every message and hint, as a user would read them.
fn shown(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("{p} {}", p.hint.as_deref().unwrap_or("")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn password(info: &PgConnInfo) -> Option<&str> {
    info.password().map(|(p, _)| p.expose())
}

#[test]
fn a_url_gives_user_password_host_port_and_database() {
    let info = parse("postgresql://latch:s3cret@db.example:6543/app");
    assert_eq!(info.endpoints, [tcp("db.example", 6543)]);
    assert_eq!(info.user, "latch");
    assert_eq!(password(&info), Some("s3cret"));
    assert_eq!(info.dbname, "app");
    assert!(info.password_in_string());
    let short = parse("postgres://latch@127.0.0.1/app");
    assert_eq!(short.endpoints, [tcp("127.0.0.1", 5432)]);
    assert_eq!(password(&short), None);
}

#[test]
fn a_url_decodes_percent_encoding_in_every_part() {
    let info = parse("postgresql://us%40er:p%3Aw%2F%40%23d@h/my%20db?application_name=a%26b");
    assert_eq!(info.user, "us@er");
    assert_eq!(password(&info), Some("p:w/@#d"));
    assert_eq!(info.dbname, "my db");
    assert_eq!(info.application_name.as_deref(), Some("a&b"));
    // libpq decodes percent signs only: a + stays a +.
    assert_eq!(parse("postgresql:///a+b").dbname, "a+b");
}

#[test]
fn a_url_takes_a_percent_encoded_socket_directory_as_its_host() {
    let info = parse("postgresql://%2Fvar%2Flib%2Fpostgresql/app");
    assert_eq!(info.endpoints, [unix("/var/lib/postgresql", 5432)]);
    let lower = parse("postgresql://%2ftmp%2fpg:5433/app");
    assert_eq!(lower.endpoints, [unix("/tmp/pg", 5433)]);
    let query = parse("postgresql:///app?host=/tmp/sock&port=5444");
    assert_eq!(query.endpoints, [unix("/tmp/sock", 5444)]);
}

#[test]
fn a_url_takes_ipv6_addresses_in_brackets() {
    let info = parse("postgresql://[::1]:5433/app");
    assert_eq!(info.endpoints, [tcp("::1", 5433)]);
    let full = parse("postgresql://u@[2001:db8::1234]/app");
    assert_eq!(full.endpoints, [tcp("2001:db8::1234", 5432)]);
    assert!(!problems("postgresql://[::1/app").is_empty());
}

#[test]
fn a_url_takes_a_list_of_hosts_each_with_its_port() {
    let info = parse("postgresql://u:pw@host1:123,host2:456,[::1]/somedb");
    assert_eq!(
        info.endpoints,
        [tcp("host1", 123), tcp("host2", 456), tcp("::1", 5432)]
    );
    assert_eq!(info.user, "u");
    assert_eq!(info.dbname, "somedb");
}

#[test]
fn query_parameters_set_keywords_and_override_the_hierarchical_part() {
    let info = parse(
        "postgresql://h/app?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=3&dbname=other",
    );
    assert_eq!(info.sslmode, SslMode::VerifyFull);
    assert_eq!(info.sslrootcert, Some(PathBuf::from("/etc/ca.pem")));
    assert_eq!(info.connect_timeout, Some(Duration::from_secs(3)));
    assert_eq!(info.dbname, "other");
}

#[test]
fn url_errors_are_listed_and_never_quote_the_string() {
    for (text, expected) in [
        (
            "postgresql://h/app?sslmod=x-s3cret",
            "query parameter 1 is not a connection option",
        ),
        (
            "postgresql://h/app?a=1&hostaddr=1.2.3.4",
            "does not take the connection option \"hostaddr\"",
        ),
        (
            "postgresql://h/app?s3cret",
            "query parameter 1 has no \"=\"",
        ),
        ("postgresql://h:99999/app", "not a valid URL"),
        ("postgresql://u:s3cret@h/app#frag", "no fragment"),
        (
            "postgresql://h/app?port=0",
            "a port is a number from 1 to 65535",
        ),
        ("postgresql://u:s3cret@h/%FF", "not UTF-8"),
    ] {
        let shown = shown(&problems(text));
        assert!(shown.contains(expected), "{text}: {shown}");
        assert!(!shown.contains("s3cret"), "{text}: {shown}");
    }
    assert_eq!(problems("postgresql://h/app?a=1&b=2&hostaddr=h").len(), 3);
}

#[test]
fn key_value_strings_take_spaces_around_the_equals_sign() {
    let info = parse("host=db.example  port = 6543\tdbname=app user=latch");
    assert_eq!(info.endpoints, [tcp("db.example", 6543)]);
    assert_eq!(info.dbname, "app");
    assert_eq!(info.user, "latch");
    // As in libpq, the space after = is skipped, so the next word is the value.
    assert_eq!(parse("dbname= app").dbname, "app");
}

#[test]
fn key_value_strings_quote_with_single_quotes_and_escape_with_backslashes() {
    let info = parse(r"password='it\'s a pw' dbname='my db' user=a\ b application_name='x\'y\\z'");
    assert_eq!(password(&info), Some("it's a pw"));
    assert_eq!(info.dbname, "my db");
    assert_eq!(info.user, "a b");
    assert_eq!(info.application_name.as_deref(), Some(r"x'y\z"));
    assert_eq!(parse("dbname=''").dbname, "osuser");
}

#[test]
fn the_last_of_a_repeated_keyword_wins() {
    assert_eq!(parse("dbname=a dbname=b").dbname, "b");
    assert_eq!(parse("postgresql://h/a?dbname=b").dbname, "b");
}

#[test]
fn key_value_errors_name_positions_and_libpq_keywords_never_values() {
    for (text, expected) in [
        (
            "host=h s3cret",
            "the word at character 8 is not followed by \"=\"",
        ),
        ("password='s3cret", "is not closed"),
        (
            "host=h pasword=s3cret",
            "the word at character 8 is not a connection option",
        ),
        (
            "host=h sslcert=/k.pem",
            "does not take the connection option \"sslcert\"",
        ),
        (
            "sslmode=s3cret",
            "sslmode is one of disable, allow, prefer, require, verify-ca, verify-full",
        ),
        ("port=s3cret", "a port is a number from 1 to 65535"),
        (
            "connect_timeout=s3cret",
            "connect_timeout is a whole number of seconds",
        ),
        ("host=@abstract", "abstract namespace"),
        ("host=a,b,c port=1,2", "2 ports for 3 hosts"),
    ] {
        let shown = shown(&problems(text));
        assert!(shown.contains(expected), "{text}: {shown}");
        assert!(!shown.contains("s3cret"), "{text}: {shown}");
    }
}

#[test]
fn every_problem_is_listed() {
    let found = problems("sslmode=bad port=bad connect_timeout=bad");
    assert_eq!(found.len(), 3, "{found:?}");
}

#[test]
fn host_and_port_lists_pair_up_or_share_one_port() {
    let info = parse("host=a,b,/tmp/s port=1,2,3");
    assert_eq!(
        info.endpoints,
        [tcp("a", 1), tcp("b", 2), unix("/tmp/s", 3)]
    );
    let shared = parse("host=a,b port=7");
    assert_eq!(shared.endpoints, [tcp("a", 7), tcp("b", 7)]);
    let gaps = parse("host=a,,b port=1,,");
    assert_eq!(
        gaps.endpoints,
        [tcp("a", 1), unix(DEFAULT_SOCKET_DIR, 5432), tcp("b", 5432)]
    );
}

#[test]
fn defaults_are_the_socket_directory_port_5432_the_os_user_and_its_database() {
    let info = parse("dbname=");
    assert_eq!(info.endpoints, [unix("/var/run/postgresql", 5432)]);
    assert_eq!(info.user, "osuser");
    assert_eq!(info.dbname, "osuser");
    assert_eq!(info.sslmode, SslMode::Prefer);
    assert_eq!(info.connect_timeout, Some(Duration::from_secs(10)));
    assert_eq!(info.application_name, None);
    assert_eq!(password(&info), None);
    assert_eq!(parse("postgresql://").endpoints, info.endpoints);
    assert_eq!(parse("user=u").dbname, "u");
}

#[test]
fn without_an_os_user_name_and_no_user_given_it_says_so() {
    let env = FakeEnvironment::default();
    let found = problems_in("dbname=app", &env);
    assert!(found[0].message.contains("no user name"), "{found:?}");
    assert!(found[0].hint.as_deref().unwrap_or("").contains("PGUSER"));
    assert_eq!(parse_in("user=u", &env).user, "u");
}

#[test]
fn environment_variables_fill_in_what_the_string_does_not_set() {
    let env = FakeEnvironment::new("osuser")
        .with("PGHOST", "env.example,/tmp/s")
        .with("PGPORT", "6000")
        .with("PGUSER", "envuser")
        .with("PGPASSWORD", "envpw")
        .with("PGDATABASE", "envdb")
        .with("PGSSLMODE", "require")
        .with("PGSSLROOTCERT", "/etc/root.pem")
        .with("PGCONNECT_TIMEOUT", "30")
        .with("PGAPPNAME", "envapp")
        .with("PGPASSFILE", "/etc/pgpass");
    let info = parse_in("postgresql://", &env);
    assert_eq!(
        info.endpoints,
        [tcp("env.example", 6000), unix("/tmp/s", 6000)]
    );
    assert_eq!(info.user, "envuser");
    assert_eq!(
        info.password(),
        Some((&Password::new("envpw"), PasswordSource::Environment))
    );
    assert!(!info.password_in_string());
    assert_eq!(info.dbname, "envdb");
    assert_eq!(info.sslmode, SslMode::Require);
    assert_eq!(info.sslrootcert, Some(PathBuf::from("/etc/root.pem")));
    assert_eq!(info.connect_timeout, Some(Duration::from_secs(30)));
    assert_eq!(info.application_name.as_deref(), Some("envapp"));
    assert_eq!(info.passfile, Some(PathBuf::from("/etc/pgpass")));

    let given = parse_in(
        "host=h port=1 user=u password=p dbname=d sslmode=disable connect_timeout=5 application_name=a",
        &env,
    );
    assert_eq!(given.endpoints, [tcp("h", 1)]);
    assert_eq!((given.user.as_str(), given.dbname.as_str()), ("u", "d"));
    assert_eq!(
        given.password().map(|(_, s)| s),
        Some(PasswordSource::ConnectionString)
    );
    assert_eq!(given.sslmode, SslMode::Disable);
    assert_eq!(given.connect_timeout, Some(Duration::from_secs(5)));
    assert_eq!(given.application_name.as_deref(), Some("a"));
}

#[test]
fn an_empty_environment_variable_counts_as_unset() {
    let env = FakeEnvironment::new("osuser")
        .with("PGHOST", "")
        .with("PGPORT", "")
        .with("PGSSLMODE", "")
        .with("PGPASSWORD", "");
    let info = parse_in("dbname=app", &env);
    assert_eq!(info.endpoints, [unix(DEFAULT_SOCKET_DIR, 5432)]);
    assert_eq!(info.sslmode, SslMode::Prefer);
    assert_eq!(password(&info), None);
}

#[test]
fn a_bad_environment_variable_is_blamed_by_name() {
    let env = FakeEnvironment::new("osuser")
        .with("PGSSLMODE", "sometimes")
        .with("PGPORT", "http");
    let found = problems_in("dbname=app", &env);
    let fields: Vec<&str> = found.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["PGPORT", "PGSSLMODE"]);
}

#[test]
fn connect_timeout_follows_libpq_zero_waits_and_one_is_two() {
    assert_eq!(parse("connect_timeout=0").connect_timeout, None);
    assert_eq!(parse("connect_timeout=-5").connect_timeout, None);
    assert_eq!(
        parse("connect_timeout=1").connect_timeout,
        Some(Duration::from_secs(2))
    );
    assert_eq!(
        parse("connect_timeout=' 7 '").connect_timeout,
        Some(Duration::from_secs(7))
    );
}

#[test]
fn sslmode_values_keep_libpq_meanings() {
    let table = [
        ("disable", false, false, true, false, false),
        ("allow", true, false, true, false, false),
        ("prefer", true, true, true, false, false),
        ("require", true, true, false, false, false),
        ("verify-ca", true, true, false, true, false),
        ("verify-full", true, true, false, true, true),
    ];
    for (text, tries, first, plain, chain, name) in table {
        let mode = parse(&format!("sslmode={text}")).sslmode;
        assert_eq!(mode.as_str(), text);
        assert_eq!(
            (
                mode.tries_tls(),
                mode.tls_first(),
                mode.allows_plain(),
                mode.verifies_chain(),
                mode.verifies_host_name()
            ),
            (tries, first, plain, chain, name),
            "{text}"
        );
    }
    assert_eq!(SslMode::parse("VERIFY-FULL"), None);
}

#[test]
fn display_and_debug_never_show_a_password_from_anywhere() {
    let env = FakeEnvironment::new("osuser").with("PGPASSWORD", "env-s3cret");
    for (text, env) in [
        (
            "postgresql://u:url-s3cret@h/db",
            FakeEnvironment::new("osuser"),
        ),
        (
            "postgresql://u@h/db?password=query-s3cret",
            FakeEnvironment::new("osuser"),
        ),
        (
            "host=h password=kv-s3cret dbname=db",
            FakeEnvironment::new("osuser"),
        ),
        (
            "host=h password='quoted s3cret' dbname=db",
            FakeEnvironment::new("osuser"),
        ),
        ("host=h dbname=db", env),
    ] {
        let info = parse_in(text, &env);
        for shown in [info.to_string(), format!("{info:?}"), format!("{info:#?}")] {
            assert!(!shown.contains("s3cret"), "{text}: {shown}");
        }
        assert!(info.to_string().contains(":***@"), "{info}");
    }
}

#[test]
fn display_is_a_url_of_the_settings() {
    assert_eq!(
        parse("postgresql://latch:pw@DB.example:6543/app").to_string(),
        "postgresql://latch:***@DB.example:6543/app"
    );
    assert_eq!(
        parse("host=/tmp/s,::1 user=a\\ b dbname=d sslmode=require").to_string(),
        "postgresql://a%20b@%2Ftmp%2Fs:5432,[::1]:5432/d?sslmode=require"
    );
}

#[test]
fn the_token_key_is_the_server_and_database_never_the_credentials() {
    let key = parse("postgresql://alice:pw@DB.Example:5432/app").token_key();
    assert_eq!(key, "postgresql://db.example:5432/app?schema=latch");
    assert_eq!(
        parse("host=db.example dbname=app user=bob").token_key(),
        key
    );
    assert_eq!(
        parse("host=0:0:0:0:0:0:0:1 dbname=app").token_key(),
        parse("postgresql://[::1]/app").token_key()
    );
    assert_eq!(
        parse("dbname=app").token_key(),
        "postgresql://%2Fvar%2Frun%2Fpostgresql:5432/app?schema=latch"
    );
    assert_ne!(
        parse("host=h port=1 dbname=a").token_key(),
        parse("host=h port=2 dbname=a").token_key()
    );
    assert_ne!(
        parse("host=h dbname=a").token_key(),
        parse("host=h dbname=b").token_key()
    );
}

#[test]
fn password_for_prefers_the_string_then_pgpassword_then_the_password_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pgpass = dir.path().join(".pgpass");
    std::fs::write(&pgpass, "h:5432:app:u:from-file\n").expect("write");
    std::fs::set_permissions(&pgpass, std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .expect("chmod");
    let home = FakeEnvironment::new("osuser").with_home(dir.path().into());
    let mut warnings = Vec::new();
    let mut warn = |w| warnings.push(w);

    let from_file = parse_in("host=h dbname=app user=u", &home);
    let found = from_file.password_for(&from_file.endpoints[0], &home, &mut warn);
    assert_eq!(found.as_ref().map(Password::expose), Some("from-file"));

    let string = parse_in("host=h dbname=app user=u password=from-string", &home);
    let found = string.password_for(&string.endpoints[0], &home, &mut warn);
    assert_eq!(found.as_ref().map(Password::expose), Some("from-string"));

    let env = FakeEnvironment::new("osuser")
        .with_home(dir.path().into())
        .with("PGPASSWORD", "from-env");
    let environment = parse_in("host=h dbname=app user=u", &env);
    let found = environment.password_for(&environment.endpoints[0], &env, &mut warn);
    assert_eq!(found.as_ref().map(Password::expose), Some("from-env"));

    let elsewhere = dir.path().join("elsewhere");
    std::fs::write(&elsewhere, "*:*:*:*:from-passfile\n").expect("write");
    std::fs::set_permissions(
        &elsewhere,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .expect("chmod");
    let named = parse_in(
        &format!("host=h dbname=app user=u passfile={}", elsewhere.display()),
        &home,
    );
    let found = named.password_for(&named.endpoints[0], &home, &mut warn);
    assert_eq!(found.as_ref().map(Password::expose), Some("from-passfile"));
    assert!(warnings.is_empty(), "{warnings:?}");
}
