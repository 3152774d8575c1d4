//! The `latch` binary: parse the command line, run it through the library,
//! and turn the outcome into the exit status of the table in README.md.
//!
//! Rust's own start-up does what latch relies on before `main`: a standard
//! stream the caller closed is opened on /dev/null (so no file latch opens,
//! the store, takes its number and receives output), and SIGPIPE is ignored
//! (a closed pipe is an error latch handles, `latch users list | head`, not
//! a signal that kills it).

use std::ffi::OsStr;
use std::io::Write;
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
    ExitCode::from(std::panic::catch_unwind(run).unwrap_or(1))
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

/// The help of the deepest command the arguments name (`latch users` gives
/// the help of `users`), as clap renders it.
fn help_of_named_command(args: impl Iterator<Item = std::ffi::OsString>) -> String {
    let mut command = <Cli as clap::CommandFactory>::command();
    command.build();
    let mut current = &mut command;
    for arg in args {
        let Some(name) = arg.to_str() else { continue };
        if current.find_subcommand(name).is_none() {
            continue;
        }
        current = current
            .find_subcommand_mut(name)
            .expect("the subcommand just found");
    }
    current.render_help().to_string()
}

/// clap's own errors (exit 2); `--help` and `--version` (exit 0); and the
/// help clap shows when a command is missing (bare `latch`, `latch users`),
/// on stderr with exit 2, as clap prints it.
fn usage_error(e: &clap::Error) -> u8 {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return 0;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return 2;
        }
        // The same, when an option's environment variable (LATCH_DB) counts
        // as an argument and clap reports the missing command instead.
        ErrorKind::MissingSubcommand => {
            let help = help_of_named_command(std::env::args_os().skip(1));
            let _ = std::io::stderr().write_all(help.as_bytes());
            return 2;
        }
        _ => {}
    }
    let json = std::env::args_os().any(|a| a == OsStr::new("--json"));
    let ui = Ui {
        color: !json && ColorChoice::Auto.enabled(),
        json,
        quiet: false,
        quiet_when_unauthenticated: false,
        brief: false,
    };
    let text = e.render().to_string();
    let (message, usage) = split_usage_error(&text);
    if json {
        ui.error(&latch::Error::usage(
            message,
            Some("see `latch --help`".into()),
        ));
    } else {
        // clap's usage lines follow its message: keep them, under latch's
        // prefix, in the same write.
        let mut report = ui.report(&latch::Error::usage(message, None));
        for line in usage {
            report.push_str(line);
            report.push('\n');
        }
        let _ = std::io::stderr().write_all(report.as_bytes());
    }
    2
}

/// clap's rendered error: its message, without clap's `error: ` label, and
/// the usage lines after it (blank lines left out).
fn split_usage_error(text: &str) -> (&str, Vec<&str>) {
    let mut lines = text.lines();
    let message = lines.next().unwrap_or("invalid command line");
    let message = message.strip_prefix("error: ").unwrap_or(message);
    (message, lines.filter(|l| !l.is_empty()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(args: &[&str]) -> String {
        let e = Cli::try_parse_from(args).expect_err("a usage error");
        e.render().to_string()
    }

    #[test]
    fn a_usage_error_is_clap_s_message_without_its_label_then_the_usage() {
        let text = rendered(&["latch", "whoami", "--bogus"]);
        let (message, usage) = split_usage_error(&text);
        assert_eq!(message, "unexpected argument '--bogus' found");
        assert!(
            usage.iter().any(|l| l.starts_with("Usage: latch whoami")),
            "{usage:?}"
        );
        assert!(usage.iter().all(|l| !l.is_empty()));
    }

    #[test]
    fn a_missing_command_is_help_not_an_error_message() {
        let e = Cli::try_parse_from(["latch"]).expect_err("no command");
        assert_eq!(
            e.kind(),
            clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        );
        assert!(e.render().to_string().contains("Usage: latch"));
    }
}
