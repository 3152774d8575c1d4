//! The Secret Service and the kernel keyring as the tests see them, with
//! the platform's own tools: secret-tool, dbus-monitor, a private
//! gnome-keyring, keyctl.

use std::process::{Command, Stdio};
use std::time::Duration;

use super::{Env, Outcome, run_command};

pub fn secret_tool_lookup(key: &str) -> Option<String> {
    let output = Command::new("secret-tool")
        .args(["lookup", "service", "latch", "username", key])
        .output()
        .expect("secret-tool (apt-get install libsecret-tools)");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.success() && !text.is_empty()).then_some(text)
}

/// Files `secret` under latch's attributes for `key`, plus `extra` ones.
pub fn secret_tool_store(key: &str, secret: &str, extra: &[&str]) {
    let mut child = Command::new("secret-tool")
        .args([
            "store", "--label", "test", "service", "latch", "username", key,
        ])
        .args(extra)
        .stdin(Stdio::piped())
        .spawn()
        .expect("secret-tool");
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(secret.as_bytes())
            .expect("write");
    }
    assert!(child.wait().expect("secret-tool").success());
}

pub fn secret_tool_clear(key: &str) {
    let status = Command::new("secret-tool")
        .args(["clear", "service", "latch", "username", key])
        .status()
        .expect("secret-tool");
    assert!(status.success());
}

/// How many Secret Service items carry latch's attributes for `key`.
pub fn secret_tool_search_count(key: &str) -> usize {
    let output = Command::new("secret-tool")
        .args(["search", "--all", "service", "latch", "username", key])
        .output()
        .expect("secret-tool");
    // Each item is a block that starts with its object path in brackets.
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&output.stderr).lines())
        .filter(|line| line.starts_with("[/"))
        .count()
}

/// `dbus-monitor` on the bus at `address`, keeping the calls of some Secret
/// Service methods while it runs. A call gnome-keyring refused because it
/// did not know the caller yet (`UnknownMethod`: latch makes it again) is not
/// kept.
pub struct BusMonitor {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    /// Each call kept so far: who made it (a unique bus name), its serial,
    /// and which method.
    seen: std::cell::RefCell<Vec<(String, String, String)>>,
}

const UNKNOWN_METHOD: &str = "org.freedesktop.DBus.Error.UnknownMethod";

impl BusMonitor {
    /// Keeps the calls of `member`.
    pub fn start(address: &str, member: &str) -> BusMonitor {
        BusMonitor::start_for(address, &[member])
    }

    /// Keeps the calls of each of `members`.
    pub fn start_for(address: &str, members: &[&str]) -> BusMonitor {
        let rules = members
            .iter()
            .map(|member| {
                format!(
                    "type='method_call',interface='org.freedesktop.Secret.Service',member='{member}'"
                )
            })
            .chain(["type='error'".to_owned()]);
        let mut child = Command::new("dbus-monitor")
            .args(["--address", address])
            .args(rules)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor (apt-get install dbus)");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        // The monitor's own NameLost signal says it is listening.
        let ready = lines
            .recv_timeout(Duration::from_secs(10))
            .expect("dbus-monitor started");
        assert!(ready.starts_with("signal"), "{ready}");
        BusMonitor {
            child,
            lines,
            seen: std::cell::RefCell::default(),
        }
    }

    /// The calls kept so far, in order, as (caller, method); each ends the
    /// round trip of a finished command, so a short wait collects them all.
    pub fn seen(&self) -> Vec<(String, String)> {
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(500)) {
            let field = |name: &str| {
                line.split([' ', ';'])
                    .find_map(|part| part.strip_prefix(name))
                    .map(str::to_owned)
            };
            let mut seen = self.seen.borrow_mut();
            if line.starts_with("method call")
                && let (Some(caller), Some(serial), Some(member)) =
                    (field("sender="), field("serial="), field("member="))
            {
                seen.push((caller, serial, member));
            } else if line.starts_with("error")
                && field("error_name=").as_deref() == Some(UNKNOWN_METHOD)
                && let (Some(caller), Some(serial)) =
                    (field("destination="), field("reply_serial="))
            {
                seen.retain(|(by, number, _)| (by, number) != (&caller, &serial));
            }
        }
        self.seen
            .borrow()
            .iter()
            .map(|(caller, _, member)| (caller.clone(), member.clone()))
            .collect()
    }

    /// How many calls were kept so far.
    pub fn calls(&self) -> usize {
        self.seen().len()
    }
}

impl Drop for BusMonitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A D-Bus session of its own with a gnome-keyring, so that a test can lock
/// the keyring without locking the one every other test uses. Closing its
/// standard input ends the session, and the keyring with it.
pub struct PrivateKeyring {
    session: std::process::Child,
    pub address: String,
}

impl PrivateKeyring {
    pub fn start(env: &Env) -> PrivateKeyring {
        PrivateKeyring::start_listening(env, None)
    }

    /// The same, on a bus that listens at `listen` (a D-Bus server address
    /// such as `unix:abstract=…` or `tcp:…`) instead of a socket file.
    pub fn start_listening(env: &Env, listen: Option<&str>) -> PrivateKeyring {
        use std::io::BufRead;
        // The address is printed once the keyring owns its name on the bus
        // (or after 10 seconds, for the test to fail on).
        let script = "eval \"$(printf pw | gnome-keyring-daemon --unlock --components=secrets --daemonize)\" >/dev/null; \
                      tries=0; until dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
                            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
                            | grep -q true || [ $tries -ge 200 ]; do tries=$((tries + 1)); sleep 0.05; done; \
                      echo \"$DBUS_SESSION_BUS_ADDRESS\"; read _";
        let runtime = env.home.join("run");
        std::fs::create_dir_all(&runtime).expect("runtime directory");
        std::fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .expect("chmod");
        let mut command = Command::new("dbus-run-session");
        if let Some(listen) = listen {
            // A session bus listening where the test says. Over TCP no
            // credentials cross, so any mechanism is allowed: gnome-keyring
            // uses DBUS_COOKIE_SHA1, zbus ANONYMOUS.
            let config = env.home.join("bus.conf");
            std::fs::write(
                &config,
                format!(
                    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" \
                     \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n\
                     <busconfig><type>session</type><listen>{listen}</listen>\
                     <allow_anonymous/>\
                     <policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>\
                     <allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n"
                ),
            )
            .expect("bus configuration");
            command.arg(format!("--config-file={}", config.display()));
        }
        let mut session = command
            .args(["--", "sh", "-c", script])
            .env("HOME", &env.home)
            .env("XDG_DATA_HOME", env.home.join(".local/share"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("dbus-run-session");
        let mut address = String::new();
        std::io::BufReader::new(session.stdout.take().expect("stdout"))
            .read_line(&mut address)
            .expect("the bus address");
        PrivateKeyring {
            session,
            address: address.trim().to_owned(),
        }
    }

    /// Runs latch in `env` with this keyring's bus as its session bus.
    pub fn run(&self, env: &Env, args: &[&str], stdin: Option<&str>) -> Outcome {
        let mut command = env.command(args);
        command.env("DBUS_SESSION_BUS_ADDRESS", &self.address);
        run_command(command, stdin.map(str::as_bytes))
    }

    pub fn dbus_send(&self, args: &[&str]) -> String {
        let output = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
            ])
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .expect("dbus-send");
        assert!(output.status.success(), "dbus-send {args:?}: {output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        drop(self.session.stdin.take());
        let _ = self.session.wait();
    }
}

pub fn keyctl_lookup(description: &str) -> Option<String> {
    let search = Command::new("keyctl")
        .args(["search", "@s", "user", description])
        .output()
        .expect("keyctl (apt-get install keyutils)");
    if !search.status.success() {
        return None;
    }
    let id = String::from_utf8_lossy(&search.stdout).trim().to_owned();
    let output = Command::new("keyctl")
        .args(["pipe", &id])
        .output()
        .expect("keyctl pipe");
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
