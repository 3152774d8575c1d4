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

use std::ffi::{CStr, OsStr, OsString, c_char, c_int};
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

use clap::{CommandFactory, FromArgMatches};
use latch::cli::{self, Cli};
use latch::output::{ColorChoice, Ui};

// The unwinder, linked in from GCC's static `libgcc_eh.a` rather than loaded
// from `libgcc_s.so.1`, as Rust's standard library asks: loading that library
// cost every latch process a shared object to map, relocate and look up, and
// its constructor's `cpuid` queries, slow under virtualization (0.15 ms of
// `latch --version` on the benchmark machine). Its symbols are then defined
// here, before the standard library's `-lgcc_s` is read, and the linker drops
// that library as not needed. Panics unwind as before.
#[cfg(all(
    target_os = "linux",
    target_env = "gnu",
    not(target_feature = "crt-static")
))]
#[link(name = "gcc_eh", kind = "static", modifiers = "+whole-archive,-bundle")]
unsafe extern "C" {}

#[unsafe(no_mangle)]
extern "C" fn main(argc: c_int, argv: *const *const c_char) -> c_int {
    startup();
    // SAFETY: the C runtime passes `argc` NUL-terminated strings in `argv`.
    let args = unsafe { arguments(argc, argv) };
    // A bug must still end in one line and exit 1, never a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("latch: error: internal error (this is a bug in latch){place}");
    }));
    let code = std::panic::catch_unwind(|| run(&args)).unwrap_or(1);
    // Flushes standard output first, as returning from Rust's `main` would.
    std::process::exit(code.into())
}

/// The command line as the C runtime passes it (`std::env::args` is filled
/// by Rust's start-up on some platforms).
///
/// # Safety
///
/// `argv` holds `argc` pointers to NUL-terminated strings.
unsafe fn arguments(argc: c_int, argv: *const *const c_char) -> Vec<OsString> {
    (0..usize::try_from(argc).unwrap_or(0))
        .map(|i| {
            // SAFETY: `i` is below `argc`, and each string is NUL-terminated.
            let arg = unsafe { CStr::from_ptr(*argv.add(i)) };
            OsStr::from_bytes(arg.to_bytes()).to_owned()
        })
        .collect()
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

fn run(args: &[OsString]) -> u8 {
    let cli = match parse(args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e, args),
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

/// `Cli::try_parse_from`, without freeing clap's command tree: it goes with
/// the process. Freeing it piece by piece took a fifteenth of a failing
/// whoami's instructions, and 0.1–0.2 ms of its time here.
fn parse(args: &[OsString]) -> Result<Cli, clap::Error> {
    let mut command = Cli::command();
    // clap's own errors come formatted; only those of the last step need the
    // command, as `try_parse_from` gives it.
    let parsed = match command.try_get_matches_from_mut(args) {
        Ok(mut matches) => {
            Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut command))
        }
        Err(e) => Err(e),
    };
    std::mem::forget(command);
    parsed
}

/// clap's own errors (exit 2), and `--help` / `--version` (exit 0).
fn usage_error(e: &clap::Error, args: &[OsString]) -> u8 {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return 0;
    }
    let json = args.iter().any(|a| a.as_os_str() == OsStr::new("--json"));
    let color = !json && ColorChoice::Auto.enabled();
    let text = e.render().to_string();
    let message = text.lines().next().unwrap_or("invalid command line");
    let message = message.strip_prefix("error: ").unwrap_or(message);
    let ui = Ui {
        color,
        json,
        quiet: false,
        quiet_when_unauthenticated: false,
        brief: false,
    };
    if json {
        ui.error(&latch::Error::usage(
            message,
            Some("see `latch --help`".into()),
        ));
    } else {
        // clap's usage lines follow its message: keep them, under latch's
        // prefix, in the same write.
        let mut report = ui.report(&latch::Error::usage(message, None));
        for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
            report.push_str(line);
            report.push('\n');
        }
        let _ = std::io::stderr().write_all(report.as_bytes());
    }
    2
}
