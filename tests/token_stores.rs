//! The three token stores, used for real: the Secret Service, the kernel
//! keyring, and the file; and what happens when one cannot be used.

use std::os::unix::fs::PermissionsExt;

use crate::util::{Env, PASSWORD, mode};

#[test]
fn the_secret_service_holds_the_token() {
    let env = Env::new();
    env.alice_logged_in();
    let token = crate::util::secret_tool_lookup(&env.token_key()).expect("item");
    assert!(token.starts_with("latch_"));
    env.run(&["logout"], None).success();
    assert!(crate::util::secret_tool_lookup(&env.token_key()).is_none());
}

#[test]
fn a_token_another_client_filed_under_latch_attributes_is_latchs() {
    // What matters is the item's attributes, not which program wrote it:
    // secret-tool (libsecret) refiles the token under a label of its own.
    let env = Env::new();
    env.alice_logged_in();
    let key = env.token_key();
    let token = crate::util::secret_tool_lookup(&key).expect("item");
    crate::util::secret_tool_clear(&key);
    env.whoami().code(4);
    crate::util::secret_tool_store(&key, &token, &[]);
    env.whoami().success().stdout("alice\n");
    env.run(&["logout"], None).success();
    assert!(crate::util::secret_tool_lookup(&key).is_none());
}

#[test]
fn two_items_for_one_store_are_no_token_until_login_or_logout_replaces_them() {
    let env = Env::new();
    env.alice_logged_in();
    let key = env.token_key();
    let token = crate::util::secret_tool_lookup(&key).expect("item");
    // A second item under latch's attributes, told apart by one more.
    crate::util::secret_tool_store(&key, &token, &["copy", "1"]);
    env.whoami().code(4).no_panic().stderr_has("not logged in");
    env.login("alice", PASSWORD).success();
    assert_eq!(crate::util::secret_tool_search_count(&key), 1);
    env.whoami().success().stdout("alice\n");

    crate::util::secret_tool_store(&key, &token, &["copy", "2"]);
    env.run(&["logout"], None)
        .success()
        .stderr("Not logged in.\n");
    assert_eq!(crate::util::secret_tool_search_count(&key), 0);
}

#[test]
fn only_a_secret_crossing_the_bus_opens_an_encrypted_session() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    // A bus of its own: no other test's calls to count.
    let keyring = crate::util::PrivateKeyring::start(&env);
    let run = |args: &[&str], stdin: Option<&str>| keyring.run(&env, args, stdin);
    let monitor = crate::util::BusMonitor::start(&keyring.address, "OpenSession");
    // Nobody logged in: one search each, no session, no Diffie-Hellman.
    run(&["whoami"], None).code(4);
    run(&["logout"], None).success();
    assert_eq!(monitor.calls(), 0, "a search opened a session");
    // A login writes the token and whoami reads it: one session each.
    run(
        &["login", "alice", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    )
    .success();
    run(&["whoami"], None).success().stdout("alice\n");
    assert_eq!(monitor.calls(), 2);
}

#[test]
fn a_whoami_searches_the_secret_service_once() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let keyring = crate::util::PrivateKeyring::start(&env);
    let run = |args: &[&str], stdin: Option<&str>| keyring.run(&env, args, stdin);
    let searches = crate::util::BusMonitor::start(&keyring.address, "SearchItems");
    run(&["whoami"], None)
        .code(4)
        .stderr("latch: error: not logged in\nhint: log in with `latch login USERNAME`\n");
    assert_eq!(searches.calls(), 1);
    run(
        &["login", "alice", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    )
    .success();
    let before = searches.seen().len();
    // The search finds the item; the encrypted session that reads its
    // secret is opened on the same connection, which the search has
    // introduced to gnome-keyring.
    run(&["whoami"], None).success().stdout("alice\n");
    let calls = searches.seen().split_off(before);
    assert_eq!(calls.len(), 1, "{calls:?}");
}

#[test]
fn every_connection_searches_before_its_encrypted_session_opens() {
    // gnome-keyring can handle a connection's first call before it has
    // registered the caller; a search then fails cleanly and is made again,
    // where an `OpenSession` could upset the daemon. So on latch's
    // connection a search comes first, and each latch makes one connection.
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let keyring = crate::util::PrivateKeyring::start(&env);
    let run = |args: &[&str], stdin: Option<&str>| keyring.run(&env, args, stdin);
    let monitor =
        crate::util::BusMonitor::start_for(&keyring.address, &["SearchItems", "OpenSession"]);
    run(
        &["login", "alice", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    )
    .success();
    run(&["whoami"], None).success().stdout("alice\n");
    run(&["logout"], None).success();
    let calls = monitor.seen();
    let sessions: Vec<_> = calls
        .iter()
        .enumerate()
        .filter(|(_, (_, member))| member == "OpenSession")
        .collect();
    // The login's write, and the reads of whoami and logout.
    assert_eq!(sessions.len(), 3, "{calls:?}");
    let mut callers: Vec<_> = calls.iter().map(|(caller, _)| caller).collect();
    callers.sort();
    callers.dedup();
    assert_eq!(callers.len(), 3, "one connection for each latch: {calls:?}");
    for (at, (caller, _)) in sessions {
        assert!(
            calls[..at]
                .iter()
                .any(|(before, member)| before == caller && member == "SearchItems"),
            "{caller} opened a session before searching: {calls:?}"
        );
    }
}

/// The whole cycle on a private bus listening at `listen`.
fn a_session_on_a_bus_at(listen: &str) {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let keyring = crate::util::PrivateKeyring::start_listening(&env, Some(listen));
    let scheme = listen.split(':').next().expect("scheme");
    assert!(
        keyring.address.starts_with(&format!("{scheme}:")),
        "{}",
        keyring.address
    );
    let run = |args: &[&str], stdin: Option<&str>| keyring.run(&env, args, stdin);
    run(&["whoami"], None).code(4);
    run(
        &["login", "alice", "--password-stdin"],
        Some(&format!("{PASSWORD}\n")),
    )
    .success();
    run(&["whoami"], None).success().stdout("alice\n");
    // Not in the keyring every other test uses.
    assert!(crate::util::secret_tool_lookup(&env.token_key()).is_none());
    run(&["logout"], None)
        .success()
        .stderr("Logged out alice.\n");
    run(&["whoami"], None).code(4);
    assert_eq!(env.count("sessions"), 0);
}

#[test]
fn a_session_bus_on_an_abstract_socket_keeps_the_token() {
    a_session_on_a_bus_at(&format!(
        "unix:abstract=/latch-test/{}/{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_nanos()
    ));
}

#[test]
fn a_session_bus_over_tcp_keeps_the_token() {
    a_session_on_a_bus_at("tcp:host=127.0.0.1,bind=127.0.0.1,port=0");
}

#[test]
fn a_tcp_bus_address_with_nothing_there_is_exit_7() {
    let env = Env::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    let mut command = env.command(&["whoami"]);
    command.env(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("tcp:host=127.0.0.1,port={port}"),
    );
    crate::util::run_command(command, None)
        .code(7)
        .no_panic()
        .stderr_has("latch: error: the Secret Service keyring is unavailable: ");
}

#[test]
fn the_kernel_keyring_holds_the_token() {
    let env = Env::with_token_store("keyutils");
    env.alice_logged_in();
    let token = env.stored_token().expect("a key in the session keyring");
    assert!(token.starts_with("latch_"));
    env.whoami().success().stdout("alice\n");
    let json = env.run(&["whoami", "--json"], None);
    json.success();
    assert_eq!(json.json()["token_store"], "keyutils");
    env.run(&["logout"], None).success();
    assert!(env.stored_token().is_none());
    env.whoami().code(4);
}

/// `command` in a session keyring of its own, which ends with it.
fn in_new_session_keyring(command: &std::process::Command) -> std::process::Command {
    crate::util::wrapped("keyctl", &["session", "-"], command)
}

#[test]
fn a_kernel_keyring_token_lives_in_its_session_keyring_only() {
    let env = Env::with_token_store("keyutils");
    env.register("alice", "alice@example.com").success();
    let description = format!("keyring:{}@latch", env.token_key());
    let login = env.command(&["login", "alice", "--password-stdin"]);
    crate::util::run_command(
        in_new_session_keyring(&login),
        Some(format!("{PASSWORD}\n").as_bytes()),
    )
    .success();
    assert_eq!(env.count("sessions"), 1);
    // Neither another session keyring nor the one the tests run in has it.
    crate::util::run_command(in_new_session_keyring(&env.command(&["whoami"])), None)
        .code(4)
        .stderr_has("not logged in");
    env.whoami().code(4);
    assert!(env.stored_token().is_none());
    // Nor the user's persistent keyring, looked at from a session keyring
    // of its own (linking the persistent keyring into a session keyring
    // makes every search there see it).
    let persistent = std::process::Command::new("keyctl")
        .args(["session", "-", "sh", "-c"])
        .arg(r#"keyctl search "$(keyctl get_persistent @s)" user "$1""#)
        .args(["sh", &description])
        .output()
        .expect("keyctl");
    assert!(
        !persistent.status.success(),
        "a latch key in the persistent keyring: {persistent:?}"
    );
}

#[test]
fn a_process_without_a_session_keyring_of_its_own_cannot_use_the_kernel_keyring() {
    // A process with no session keyring is given the user's session
    // keyring, which every such process shares: joining it by name makes
    // the same case.
    let env = Env::with_token_store("keyutils");
    env.register("alice", "alice@example.com").success();
    let uid = std::process::Command::new("id")
        .arg("-u")
        .output()
        .expect("id -u");
    let shared = format!("_uid_ses.{}", String::from_utf8_lossy(&uid.stdout).trim());
    let in_shared =
        |args: &[&str]| crate::util::wrapped("keyctl", &["session", &shared], &env.command(args));
    crate::util::run_command(
        in_shared(&["login", "alice", "--password-stdin"]),
        Some(format!("{PASSWORD}\n").as_bytes()),
    )
    .code(7)
    .no_panic()
    .stderr_has("latch: error: the kernel keyring (keyutils) is unavailable: ")
    .stderr_has("no session keyring of its own")
    .stderr_has("keyctl session");
    assert_eq!(env.count("sessions"), 0);
    crate::util::run_command(in_shared(&["whoami"]), None).code(7);
}

#[test]
fn the_file_holds_the_token_with_a_warning_every_time() {
    let env = Env::with_token_store("file");
    env.register("alice", "alice@example.com")
        .success()
        .stderr("Registered alice.\n");
    let warning = "latch: warning: the session token is kept in a plain file";
    env.login("alice", PASSWORD).success().stderr_has(warning);
    env.whoami().success().stdout("alice\n").stderr_has(warning);
    let file = env.home.join(".local/state/latch/tokens.json");
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(file.parent().expect("dir")), 0o700);
    assert!(env.stored_token().expect("token").starts_with("latch_"));
    env.run(&["logout"], None).success().stderr_has(warning);
    assert!(env.stored_token().is_none());
}

#[test]
fn a_readable_token_file_is_refused() {
    let env = Env::with_token_store("file");
    env.alice_logged_in();
    let file = env.home.join(".local/state/latch/tokens.json");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    env.whoami()
        .code(7)
        .stderr_has("can be read by other users (mode 0644)")
        .stderr_has("hint: chmod 600");
}

#[test]
fn a_corrupt_token_file_is_exit_7() {
    let env = Env::with_token_store("file");
    env.register("alice", "alice@example.com").success();
    let file = env.home.join(".local/state/latch/tokens.json");
    std::fs::create_dir_all(file.parent().expect("dir")).expect("dir");
    std::fs::write(&file, "{not json").expect("write");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    env.login("alice", PASSWORD)
        .code(7)
        .no_panic()
        .stderr_has("is not a latch token file");
    assert_eq!(env.count("sessions"), 0);
}

#[test]
fn no_secret_service_is_exit_7_and_no_session() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let before = env.dump();
    let mut command = env.command(&["login", "alice", "--password-stdin"]);
    command.env(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/latch-test-bus",
    );
    crate::util::run_command(command, Some(format!("{PASSWORD}\n").as_bytes()))
        .code(7)
        .no_panic()
        .stderr_has("latch: error: the Secret Service keyring is unavailable: ")
        .stderr_has("--token-store keyutils or --token-store file");
    // Only the successful password check's event may differ: no session row.
    assert_eq!(env.count("sessions"), 0);
    assert!(
        env.dump()
            .starts_with(before.lines().next().expect("user row"))
    );

    let mut command = env.command(&["whoami"]);
    command.env(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/latch-test-bus",
    );
    crate::util::run_command(command, None).code(7);
}

#[test]
fn a_silent_secret_service_times_out_with_exit_7() {
    // A socket that accepts connections and never answers: latch must give up.
    let dir = tempfile::tempdir().expect("dir");
    let socket = dir.path().join("bus");
    let listener = std::os::unix::net::UnixListener::bind(&socket).expect("bind");
    let _held = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let env = Env::new();
    let mut command = env.command(&["whoami"]);
    command.env(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", socket.display()),
    );
    crate::util::run_command(command, None)
        .code(7)
        .stderr_has("no answer within 10 seconds");
}

#[test]
fn an_unknown_token_store_is_a_usage_error() {
    let env = Env::with_token_store("pigeon");
    env.whoami()
        .code(2)
        .stderr_has("latch: error: invalid value 'pigeon' for '--token-store <STORE>'");
}

#[test]
fn each_token_store_is_its_own_session() {
    let env = Env::new();
    env.register("alice", "alice@example.com").success();
    let keyutils = env.using("keyutils");
    keyutils.login("alice", PASSWORD).success();
    env.whoami().code(4);
    keyutils.whoami().success().stdout("alice\n");
}
