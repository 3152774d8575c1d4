//! The `latch` binary: parse the command line, run it through the library,
//! and turn the outcome into the exit status of the table in README.md.
//!
//! The process starts at C's `main`, not Rust's. Rust's own start-up reads
//! /proc/self/maps to find the main thread's stack, for its stack-overflow
//! message, and sets up a signal stack and handlers for it: 0.12 ms of every
//! latch process on the benchmark machine, more than any command but the
//! hashing ones spends on its own work. `startup` does the two parts of it
//! latch relies on. A stack overflow still stops at the guard page, as a
//! plain SIGSEGV.

#![no_main]

use std::ffi::{c_char, c_int};

use clap::Parser;
use latch::cli::{self, Cli};
use latch::output::{ColorChoice, Ui};

#[unsafe(no_mangle)]
extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    startup();
    // A bug must still end in one line and exit 1, never a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("latch: error: internal error (this is a bug in latch){place}");
    }));
    let code = std::panic::catch_unwind(run).unwrap_or(1);
    // Flushes standard output first, as returning from Rust's `main` would.
    std::process::exit(code.into())
}

/// What Rust's start-up does that latch relies on.
fn startup() {
    // A standard stream the caller closed is opened on /dev/null, so that no
    // file latch opens (the store) takes its number and receives output.
    for fd in 0..=2 {
        // SAFETY: F_GETFD only reads a descriptor's flags; any number may be asked.
        let closed = unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF);
        // SAFETY: a NUL-terminated path and plain flags. The lowest free
        // number is `fd`, as the lower ones are open.
        if closed && unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) } != fd {
            std::process::abort();
        }
    }
    // A closed pipe is an error latch handles (`latch users list | head`),
    // not a signal that kills it.
    // SAFETY: ignoring a signal installs no handler; nothing else sets SIGPIPE.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
}

fn run() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let ui = cli.ui();
    match cli::run(&cli, &ui) {
        // A reader that stopped reading has all it wanted.
        Ok(()) | Err(latch::Error::OutputClosed) => 0,
        Err(e) => {
            ui.error(&e);
            e.exit_code()
        }
    }
}

/// clap's own errors (exit 2), and `--help` / `--version` (exit 0).
fn usage_error(e: &clap::Error) -> u8 {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return 0;
    }
    let json = std::env::args_os().any(|a| a == "--json");
    let color = !json && ColorChoice::Auto.enabled();
    let text = e.render().to_string();
    let message = text.lines().next().unwrap_or("invalid command line");
    let message = message.strip_prefix("error: ").unwrap_or(message);
    let ui = Ui {
        color,
        json,
        quiet: false,
        quiet_when_unauthenticated: false,
    };
    if json {
        ui.error(&latch::Error::usage(
            message,
            Some("see `latch --help`".into()),
        ));
    } else {
        // clap's usage lines follow its message: keep them, under latch's prefix.
        ui.error(&latch::Error::usage(message, None));
        for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
            eprintln!("{line}");
        }
    }
    2
}
