//! `latch verify`: checks a username and password for another program, as
//! `login` checks them, without starting a session; and `verify --pam`, the
//! same check answering `pam_exec.so expose_authtok`.
//!
//! It reads its input (arguments, prompts, standard input, or PAM's
//! environment) and calls `accounts::verify`. It must never open a token
//! store, and on the `--pam` path it must refuse input pam_exec would not
//! send (or a user name no account can have) before the store is opened, so
//! that nothing is recorded against anyone.

use std::ffi::OsString;
use std::io::{IsTerminal, Read};
use std::time::Duration;

use clap::Args;
use serde_json::json;
use zeroize::Zeroizing;

use super::{Context, prompt};
use crate::accounts;
use crate::error::{Error, Result};
use crate::store::{OpenMode, User};

/// Check a password as login does, without logging in
///
/// For scripts and other programs: the password is checked exactly as login
/// checks it (the same answer for an unknown user, a wrong password and a
/// disabled account, the same lockout, the same hash upgrade), but no session
/// starts and no token store is opened. Exit 0: the password is right; 4: it
/// is not; 5: the name is locked; 9: it is right, but the policy mfa-required
/// asks the account for a second factor it has not enrolled. Each check is an
/// event of the audit trail (verify_success, verify_failure), with the reason
/// of a failure.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
    printf '%s\\n' \"$PW\" | latch verify alice --password-stdin -q && echo right\n  \
    latch --db /var/lib/latch/latch.db verify alice\n\
\n\
JSON:\n  \
    {\"username\", \"verified\"}\n  \
    username is the name as the store spells it; verified is true. A wrong password is\n  \
    the JSON error not_authenticated on stderr (exit 4), a locked name locked (exit 5), an\n  \
    account that must enrol a second factor first not_permitted (exit 9).\n\
\n\
PAM:\n\
    With --pam, latch answers pam_exec(8). One line in a service's file in /etc/pam.d/ \
    does it; it names the store with --db, since pam_exec passes no HOME.\n  \
    auth required pam_exec.so expose_authtok quiet type=auth /usr/bin/latch --db /var/lib/latch/latch.db verify --pam\n\
    The username is PAM_USER. The password is standard input up to the NUL byte pam_exec \
    writes after it before Linux-PAM 1.4, or to its end (later versions write none); pam_exec \
    passes at most 511 bytes of it (PAM_MAX_RESP_SIZE less one), so a longer password fails \
    through PAM. Nothing is printed on success, and one line on failure, which pam_exec's \
    log=FILE keeps. Each check's event names PAM_SERVICE and PAM_RHOST.\n\
    pam_exec turns exit 0 into PAM_SUCCESS, and every other exit status (or a signal) into \
    PAM_SYSTEM_ERR: no exit status gives PAM_IGNORE. So latch answers only PAM_TYPE=auth and \
    fails (exit 2) for any other type rather than claim a success; with type=auth on the line, \
    pam_exec returns PAM_IGNORE for the other types without running latch (and for setcred \
    it always does).\n\
    Input pam_exec does not send (nothing, more after the NUL byte, more than 32 KiB, not \
    UTF-8, an input that does not end within 10 seconds) and a PAM_USER that is missing, empty, not UTF-8 or holds control characters are \
    refused (exit 3; exit 2 for the type and a missing --db) before the store is opened: \
    nothing is counted or recorded against any name.\n\
\n\
Second factor:\n\
    For an account with a confirmed second factor the code is checked as login checks it: \
    verify reads it on the line after the password (or prompts Code: on a terminal), and \
    --pam takes the password followed by the code in one answer (the code's digits at its \
    end), as OpenVPN and LinOTP users type it. A missing, wrong or replayed code is a wrong \
    password: exit 4, counted toward the lockout. Recovery codes work with verify, not \
    through --pam.\n\
    An account the policy mfa-required (admins or all) covers that has no confirmed factor \
    yet is refused after the right password: exit 9, one line, a verify_failure event \
    (second factor required by policy), and nothing counted toward the lockout (the right \
    password clears the count, as at login). Through pam_exec that is PAM_SYSTEM_ERR, so \
    the service does not authenticate the user. The account enrols a factor with latch \
    login then latch mfa enable; from then on its checks take the password and a code.")]
pub struct VerifyArgs {
    /// The username (prompted for on a terminal when left out)
    #[arg(conflicts_with = "pam")]
    pub username: Option<String>,

    /// Read the password from the first line of standard input
    ///
    /// Its final newline is dropped. Without this flag, and without a terminal
    /// to prompt on, verify fails at once (exit 2).
    #[arg(long, conflicts_with = "pam")]
    pub password_stdin: bool,

    /// Answer pam_exec.so expose_authtok: PAM_USER, the password on stdin
    ///
    /// The username comes from PAM_USER and the password from standard input
    /// (up to a NUL byte, or to its end); only PAM_TYPE=auth is answered.
    /// Prints nothing on success and one line on failure. See PAM below.
    #[arg(long)]
    pub pam: bool,

    /// Print {"username", "verified"} as JSON
    ///
    /// Errors are then JSON on stderr too: {"error": {"code", "message", ...}}.
    #[arg(long, conflicts_with = "pam")]
    pub json: bool,
}

pub fn run(context: &Context, args: &VerifyArgs) -> Result<()> {
    if args.pam {
        return pam(context);
    }
    let username = prompt::username(
        args.username.as_ref(),
        "latch verify USERNAME --password-stdin",
    )?;
    let password = if args.password_stdin {
        prompt::password_from_stdin()?
    } else if prompt::interactive() {
        prompt::password("Password: ")?
    } else {
        return Err(prompt::no_terminal(
            "printf '%s\\n' \"$PW\" | latch verify NAME --password-stdin",
        ));
    };
    let password_stdin = args.password_stdin;
    let mut code = || {
        if password_stdin {
            // A line that cannot be read is no code: a failed one.
            Ok(prompt::code_from_stdin().unwrap_or_else(|_| Some(Default::default())))
        } else {
            prompt::code("Code: ").map(Some)
        }
    };
    let user = check(context, &username, &password, "", &mut code)?;
    if args.json {
        context.ui.print_json(&json!({
            "username": user.username,
            "verified": true,
        }))?;
    } else {
        context
            .ui
            .say(&format!("The password of {} is right.", user.username));
    }
    Ok(())
}

/// The check itself, on the store that must exist already.
fn check(
    context: &Context,
    username: &str,
    password: &str,
    origin: &str,
    code: &mut dyn FnMut() -> Result<Option<Zeroizing<String>>>,
) -> Result<User> {
    let Some(mut store) = context.open_store(OpenMode::Existing)? else {
        // No store, so no such user: the same answer, after the same time.
        return Err(accounts::no_store(password, &context.location));
    };
    accounts::verify(store.as_mut(), username, password, origin, code)
}

/// `verify --pam`: everything from pam_exec is read and checked first.
fn pam(context: &Context) -> Result<()> {
    let var = |name: &str| std::env::var_os(name);
    pam_type(var("PAM_TYPE"))?;
    if !context.db_named {
        // The default would be in the home directory (from the password
        // database) of whoever runs the service: not a store to guess.
        return Err(Error::usage(
            "verify --pam needs the store named with --db (pam_exec passes no HOME)",
            None,
        ));
    }
    let username = pam_user(var("PAM_USER"))?;
    if std::io::stdin().is_terminal() {
        return Err(Error::usage(
            "standard input is a terminal: verify --pam reads the password pam_exec's \
             expose_authtok writes",
            None,
        ));
    }
    let input = pam_input()?;
    let password = pam_password(&input)?;
    let origin = pam_origin(var("PAM_SERVICE"), var("PAM_RHOST"));
    // The password and the code come in one answer: split it only for an
    // account with a second factor.
    let Some(mut store) = context.open_store(OpenMode::Existing)? else {
        return Err(accounts::no_store(password, &context.location));
    };
    let (password, code) = accounts::split_answer(store.as_ref(), &username, password)?;
    let mut code = || Ok(code.map(|c| Zeroizing::new(c.to_owned())));
    accounts::verify(store.as_mut(), &username, password, &origin, &mut code).map(drop)
}

/// The most standard input `--pam` reads: twice what the longest password
/// the policy allows can take (4096 characters of four bytes), and far more
/// than pam_exec sends (at most 511 bytes).
const PAM_INPUT_LIMIT: usize = 32 * 1024;

/// How long `--pam` waits for standard input to end. pam_exec writes the
/// password and closes the pipe at once; a writer that keeps it open is not
/// pam_exec, and is not waited for.
const PAM_INPUT_DEADLINE: Duration = Duration::from_secs(10);

/// Standard input to its end, at most `PAM_INPUT_LIMIT` bytes and one more
/// (to tell that there was more), within `PAM_INPUT_DEADLINE`.
fn pam_input() -> Result<Zeroizing<Vec<u8>>> {
    let refuse = |message: String| Error::invalid("password", message);
    let (sender, receiver) = std::sync::mpsc::channel();
    // The read runs on a thread of its own, so that a writer that never
    // closes the pipe is not waited for past the deadline.
    std::thread::spawn(move || {
        // The whole capacity up front: the buffer is never reallocated, so
        // no copy of the password is left behind unzeroized.
        let mut input = Zeroizing::new(Vec::with_capacity(PAM_INPUT_LIMIT + 1));
        let limit = u64::try_from(PAM_INPUT_LIMIT + 1).unwrap_or(u64::MAX);
        let read = std::io::stdin().lock().take(limit).read_to_end(&mut input);
        let _ = sender.send(read.map(|_| input));
    });
    match receiver.recv_timeout(PAM_INPUT_DEADLINE) {
        Ok(Ok(input)) => Ok(input),
        Ok(Err(e)) => Err(refuse(format!("cannot read standard input: {e}"))),
        Err(_) => Err(refuse(format!(
            "standard input did not end within {} seconds",
            PAM_INPUT_DEADLINE.as_secs()
        ))),
    }
}

/// Refuses every PAM_TYPE but `auth`.
fn pam_type(value: Option<OsString>) -> Result<()> {
    match value {
        Some(value) if value == "auth" => Ok(()),
        Some(value) => Err(Error::usage(
            format!(
                "verify --pam answers only PAM_TYPE=auth, not {:?}: put type=auth on the \
                 pam_exec line",
                value.to_string_lossy()
            ),
            None,
        )),
        None => Err(Error::usage(
            "PAM_TYPE is not set: verify --pam is run by pam_exec (auth ... pam_exec.so \
             expose_authtok ... verify --pam)",
            None,
        )),
    }
}

/// The user PAM asks about: set, UTF-8, not empty, without control characters.
fn pam_user(value: Option<OsString>) -> Result<String> {
    let refuse = |message: &str| Err(Error::invalid("PAM_USER", message));
    let Some(value) = value else {
        return refuse("is not set");
    };
    let Ok(name) = value.into_string() else {
        return refuse("is not valid UTF-8");
    };
    if name.is_empty() {
        return refuse("is empty");
    }
    if name.chars().any(char::is_control) {
        return refuse("holds control characters");
    }
    Ok(name)
}

/// The password in what pam_exec wrote: the bytes up to a NUL byte (which
/// must end the input) or to the end, valid UTF-8, not empty.
fn pam_password(input: &[u8]) -> Result<&str> {
    let refuse = |message: String| Err(Error::invalid("password", message));
    if input.len() > PAM_INPUT_LIMIT {
        return refuse(format!(
            "standard input holds more than {PAM_INPUT_LIMIT} bytes"
        ));
    }
    let password = match input.iter().position(|&b| b == 0) {
        Some(end) if end + 1 == input.len() => &input[..end],
        Some(_) => {
            return refuse(
                "standard input goes on after the NUL byte that ends the password".into(),
            );
        }
        None => input,
    };
    if password.is_empty() {
        return refuse(
            "standard input holds no password (is expose_authtok on the pam_exec line?)".into(),
        );
    }
    std::str::from_utf8(password).or_else(|_| refuse("is not valid UTF-8".into()))
}

/// Who asked, for the audit trail: `PAM service "sshd", remote host "…"`.
/// Each value is quoted with its control characters escaped, and cut at 253
/// characters (the longest host name).
fn pam_origin(service: Option<OsString>, rhost: Option<OsString>) -> String {
    let quoted = |value: OsString| {
        let text: String = value.to_string_lossy().chars().take(253).collect();
        format!("{text:?}")
    };
    let mut origin = String::from("PAM");
    if let Some(service) = service.filter(|s| !s.is_empty()) {
        origin += &format!(" service {}", quoted(service));
    }
    if let Some(rhost) = rhost.filter(|s| !s.is_empty()) {
        origin += &format!(", remote host {}", quoted(rhost));
    }
    origin
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(text: &str) -> Option<OsString> {
        Some(OsString::from(text))
    }

    #[test]
    fn only_auth_is_answered() {
        assert!(pam_type(os("auth")).is_ok());
        for other in ["account", "password", "open_session", "close_session", ""] {
            let error = pam_type(os(other)).expect_err(other);
            assert_eq!(error.exit_code(), 2, "{other}");
            assert!(error.to_string().contains("type=auth"), "{error}");
        }
        assert_eq!(pam_type(None).expect_err("unset").exit_code(), 2);
    }

    #[test]
    fn the_password_ends_at_the_nul_byte_or_the_end() {
        assert_eq!(pam_password(b"secret words").ok(), Some("secret words"));
        assert_eq!(pam_password(b"secret words\0").ok(), Some("secret words"));
        // A newline is part of what PAM was given, not an end of line.
        assert_eq!(pam_password(b"secret\n").ok(), Some("secret\n"));
    }

    #[test]
    fn what_pam_exec_does_not_send_is_refused() {
        let long = vec![b'a'; 64 * 1024];
        for input in [
            &b""[..],
            b"\0",
            b"one\0two\0",
            b"one\0two",
            b"one\0\0",
            b"\xff\xfe",
            &long,
        ] {
            let error = pam_password(input).expect_err("refused");
            assert_eq!(error.exit_code(), 3, "{input:?}");
        }
        assert!(pam_password(&long[..PAM_INPUT_LIMIT]).is_ok());
    }

    #[test]
    fn pam_user_must_be_a_plain_name() {
        assert_eq!(pam_user(os("alice")).ok().as_deref(), Some("alice"));
        for bad in [None, os(""), os("al\nice"), os("\u{1b}[31m"), os("a\u{7f}")] {
            assert_eq!(
                pam_user(bad.clone()).expect_err("refused").exit_code(),
                3,
                "{bad:?}"
            );
        }
        use std::os::unix::ffi::OsStringExt;
        let invalid = OsString::from_vec(vec![b'a', 0xff]);
        assert_eq!(pam_user(Some(invalid)).expect_err("refused").exit_code(), 3);
    }

    #[test]
    fn the_origin_is_quoted_and_bounded() {
        assert_eq!(
            pam_origin(os("sshd"), os("192.0.2.1")),
            "PAM service \"sshd\", remote host \"192.0.2.1\""
        );
        assert_eq!(pam_origin(os("login"), None), "PAM service \"login\"");
        assert_eq!(pam_origin(None, os("")), "PAM");
        assert_eq!(pam_origin(os("x\n\"y"), None), "PAM service \"x\\n\\\"y\"");
        let long = "h".repeat(1000);
        assert_eq!(
            pam_origin(None, os(&long)).len(),
            ", remote host \"\"".len() + 3 + 253
        );
    }
}
