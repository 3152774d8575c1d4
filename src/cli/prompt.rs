//! Reading secrets and names from a person or a script: no-echo prompts on
//! the terminal, or one line of standard input with `--password-stdin`.
//!
//! Never waits for a prompt that no one can answer: without a terminal and
//! without `--password-stdin` it fails at once. Ctrl-C at a prompt restores the
//! terminal and exits 130 before anything is written; end of input (Ctrl-D)
//! at a prompt ends the command the same way (`Error::EndOfInput`, exit 130),
//! after a newline so that the message starts on a line of its own: it is
//! never taken for an empty answer.

use std::io::{BufRead, IsTerminal, Read};
use std::os::fd::{AsRawFd, IntoRawFd};
use std::sync::OnceLock;

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The most standard input may hold before the password's newline: four bytes
/// for each of the longest policy's 4096 characters, and some.
const STDIN_LIMIT: u64 = 64 * 1024;

/// Whether a person can be prompted: standard input is a terminal.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

/// The error for a password that cannot be prompted for; `example` shows the
/// command with `--password-stdin`.
pub fn no_terminal(example: &str) -> Error {
    Error::usage(
        "no terminal to prompt for the password on",
        Some(format!(
            "pipe the password in with --password-stdin: `{example}`"
        )),
    )
}

/// One line of standard input, its final newline dropped: the password of
/// `--password-stdin`.
pub fn password_from_stdin() -> Result<Zeroizing<String>> {
    let mut lines = password_lines_from_stdin(1)?;
    Ok(lines.pop().unwrap_or_default())
}

/// The first `count` lines of standard input, each without its newline.
pub fn password_lines_from_stdin(count: usize) -> Result<Vec<Zeroizing<String>>> {
    let mut input = std::io::stdin().lock();
    let mut lines = Vec::with_capacity(count);
    for number in 1..=count {
        let line = read_line(&mut input).map_err(|message| {
            let message = if count == 1 {
                message
            } else {
                format!("line {number} of standard input: {message}")
            };
            Error::invalid("password", message)
        })?;
        lines.push(line);
    }
    Ok(lines)
}

/// One line of at most `STDIN_LIMIT` bytes, valid UTF-8, its `\n` or `\r\n`
/// dropped; the error says what was wrong with it.
fn read_line(input: &mut impl BufRead) -> Result<Zeroizing<String>, String> {
    let mut bytes = Zeroizing::new(Vec::new());
    input
        .take(STDIN_LIMIT + 1)
        .read_until(b'\n', &mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    if bytes.len() as u64 > STDIN_LIMIT {
        return Err(format!(
            "standard input holds more than {STDIN_LIMIT} bytes before a newline"
        ));
    }
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    } else if bytes.is_empty() {
        return Err("standard input is empty".into());
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| "is not valid UTF-8".to_owned())?;
    Ok(Zeroizing::new(text.to_owned()))
}

/// Prompts for a password on the terminal without echo.
pub fn password(prompt: &str) -> Result<Zeroizing<String>> {
    guard_interrupts();
    match rpassword::prompt_password(prompt) {
        Ok(password) => Ok(Zeroizing::new(password)),
        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => Err(Error::Interrupted),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            end_the_prompt_line(true);
            Err(Error::EndOfInput)
        }
        Err(e) => Err(Error::usage(
            format!("cannot prompt for the password: {e}"),
            Some("pass --password-stdin and pipe the password in".into()),
        )),
    }
}

/// Prompts for a line with echo (a username, an answer). End of input
/// before a newline is `Error::EndOfInput`.
pub fn line(prompt: &str) -> Result<String> {
    guard_interrupts();
    crate::output::to_stderr(prompt);
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .take(STDIN_LIMIT)
        .read_line(&mut line)
        .map_err(|e| Error::usage(format!("cannot read the answer: {e}"), None))?;
    if !line.ends_with('\n') {
        end_the_prompt_line(false);
        return Err(Error::EndOfInput);
    }
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

/// Ends the prompt's line after end of input, where the prompt was written:
/// the terminal for a password (rpassword writes there), stderr otherwise.
fn end_the_prompt_line(on_terminal: bool) {
    use std::io::Write;
    let tty = on_terminal
        .then(|| {
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/tty")
                .ok()
        })
        .flatten();
    match tty {
        Some(mut tty) => {
            let _ = tty.write_all(b"\n");
        }
        None => crate::output::to_stderr("\n"),
    }
}

/// The terminal settings from before any prompt changed them.
static SAVED_TERMINAL: OnceLock<(i32, libc::termios)> = OnceLock::new();

/// Makes Ctrl-C at a prompt restore the terminal and exit 130. The prompt
/// turns echo (and the terminal's own Ctrl-C) off and raises SIGINT itself;
/// the default action would leave the terminal without echo.
fn guard_interrupts() {
    if SAVED_TERMINAL.get().is_some() {
        return;
    }
    let Ok(tty) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
    else {
        return;
    };
    // SAFETY: termios is plain data; tcgetattr fills it or fails.
    let mut settings: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: a valid descriptor and a valid pointer to a termios.
    if unsafe { libc::tcgetattr(tty.as_raw_fd(), &mut settings) } != 0 {
        return;
    }
    // The descriptor must outlive every prompt: the handler uses it.
    let fd = tty.into_raw_fd();
    let _ = SAVED_TERMINAL.set((fd, settings));
    // SAFETY: the handler only calls async-signal-safe functions (tcsetattr,
    // write, _exit) on data that is fully set before it is installed.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_interrupt as *const () as usize;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
    }
}

extern "C" fn on_interrupt(_signal: libc::c_int) {
    if let Some((fd, settings)) = SAVED_TERMINAL.get() {
        // SAFETY: async-signal-safe calls on a descriptor kept open for good.
        unsafe {
            libc::tcsetattr(*fd, libc::TCSANOW, settings);
            libc::write(*fd, b"\n".as_ptr().cast(), 1);
        }
    }
    // SAFETY: _exit is async-signal-safe and ends the process at once.
    unsafe { libc::_exit(130) }
}

/// The next line of standard input as a second-factor code, after the
/// password line(s): `None` when standard input has no more lines. A line
/// that cannot be read (too long, not UTF-8) is the error `field` "code".
pub fn code_from_stdin() -> Result<Option<Zeroizing<String>>> {
    let mut input = std::io::stdin().lock();
    match read_line(&mut input) {
        Ok(line) => Ok(Some(line)),
        Err(message) if message == "standard input is empty" => Ok(None),
        Err(message) => Err(Error::invalid("code", message)),
    }
}

/// Prompts for a second-factor code on the terminal, without echo.
pub fn code(prompt: &str) -> Result<Zeroizing<String>> {
    password(prompt)
}

/// The username a command was given, or (on a terminal) asked for at a
/// `Username:` prompt; without either, a usage error whose hint is `usage`.
pub fn username(given: Option<&String>, usage: &str) -> Result<String> {
    match given {
        Some(username) => Ok(username.clone()),
        None if interactive() => line("Username: "),
        None => Err(Error::usage(
            "no USERNAME given, and no terminal to ask for it on",
            Some(usage.into()),
        )),
    }
}
