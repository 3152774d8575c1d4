//! The `latch` binary: parse the command line, run it through the library,
//! and turn the outcome into the exit status of the table in README.md.

use std::process::ExitCode;

use clap::Parser;
use latch::cli::{self, Cli};
use latch::output::{ColorChoice, Ui};

fn main() -> ExitCode {
    // A bug must still end in one line and exit 1, never a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("latch: error: internal error (this is a bug in latch){place}");
    }));
    match std::panic::catch_unwind(run) {
        Ok(code) => code,
        Err(_) => ExitCode::from(1),
    }
}

fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let ui = cli.ui();
    match cli::run(&cli, &ui) {
        // A reader that stopped reading has all it wanted.
        Ok(()) | Err(latch::Error::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            ui.error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

/// clap's own errors (exit 2), and `--help` / `--version` (exit 0).
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
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
    ExitCode::from(2)
}
