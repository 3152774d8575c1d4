//! `latch import`: users from a file, in one transaction (admins only).

use std::io::{BufRead, BufReader, IsTerminal};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;

use super::Context;
use crate::error::{Error, Result};
use crate::transfer::{self, ImportOptions, OnConflict};

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    /// One JSON object per line with the users columns (see EXAMPLES)
    Jsonl,
}

/// Import users from a file (admins only)
///
/// All or nothing: every line is checked, every bad line is reported with its
/// number (exit 3), and with --on-conflict fail every username or email that
/// is taken too (exit 6); then nothing is written. Passwords come as
/// Django-encoded hashes (or ! for none), never as plain text. The file is
/// read as a stream, so its size does not matter.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
    latch import --format jsonl users.jsonl --dry-run\n  \
    latch export --format jsonl | ssh other-host latch import --format jsonl - --on-conflict update\n\
\n\
JSONL:\n  \
    One object per line. username, email and password are required; first_name,\n  \
    last_name, is_active (true), is_staff, is_superuser, date_joined (now) and\n  \
    last_login may be given. Times are Django's \"YYYY-MM-DD HH:MM:SS[.ffffff]\" in\n  \
    UTC, or RFC 3339.\n  \
    {\"username\": \"alice\", \"email\": \"alice@example.com\", \"password\": \"pbkdf2_sha256$1200000$...\"}")]
pub struct ImportArgs {
    /// The format of the file
    #[arg(long, value_enum)]
    pub format: ImportFormat,

    /// The file to read, or - for standard input
    pub file: PathBuf,

    /// What to do with a user whose username or email is taken
    #[arg(long, value_enum, default_value_t = OnConflict::Fail)]
    pub on_conflict: OnConflict,

    /// Check everything, write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(context: &Context, args: &ImportArgs) -> Result<()> {
    let ImportFormat::Jsonl = args.format;
    let mut input: Box<dyn BufRead> = if args.file.as_os_str() == "-" {
        Box::new(BufReader::new(std::io::stdin().lock()))
    } else {
        let file = std::fs::File::open(&args.file).map_err(|e| {
            Error::invalid("file", format!("cannot open {}: {e}", args.file.display()))
        })?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(Error::invalid(
                "file",
                format!("{} is a directory", args.file.display()),
            ));
        }
        Box::new(BufReader::with_capacity(256 * 1024, file))
    };
    let super::LoggedIn {
        mut store, current, ..
    } = context.admin_session()?;
    let mut progress = Progress::new();
    let report = transfer::import(
        &mut store,
        &current.user,
        &mut input,
        ImportOptions {
            on_conflict: args.on_conflict,
            dry_run: args.dry_run,
        },
        &mut |lines| progress.update(lines),
    );
    progress.finish();
    let report = report?;
    let counts = format!(
        "{} new, {} updated, {} skipped, from {} line{}",
        report.inserted,
        report.updated,
        report.skipped,
        report.lines,
        if report.lines == 1 { "" } else { "s" }
    );
    context.ui.say(&if args.dry_run {
        format!("Dry run: the import would write {counts}; nothing was written.")
    } else {
        format!("Imported {counts}.")
    });
    Ok(())
}

/// A line counter on stderr, shown only on a terminal and only once the
/// import has taken longer than a moment.
struct Progress {
    started: Instant,
    bar: Option<indicatif::ProgressBar>,
    terminal: bool,
}

impl Progress {
    fn new() -> Self {
        Progress {
            started: Instant::now(),
            bar: None,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn update(&mut self, lines: u64) {
        if !self.terminal || !lines.is_multiple_of(1000) {
            return;
        }
        if self.bar.is_none() && self.started.elapsed() > Duration::from_millis(500) {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {pos} lines checked ({per_sec})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(lines);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
