//! `latch import`: users from a file, in one transaction (admins only).

use std::io::{BufReader, IsTerminal};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;

use super::Context;
use crate::error::{Error, Result};
use crate::transfer::django::{DjangoSite, SiteName};
use crate::transfer::{self, ImportFormat, ImportOptions, OnConflict, Refused};

/// Import users from a file or a Django database (admins only)
///
/// All or nothing: every user is checked as `register` checks its input, and
/// with --on-conflict fail every username or email that is taken is reported
/// (exit 6); then nothing is written. From JSON Lines, every bad line fails
/// the import too (exit 3). From a Django database, users latch cannot take
/// (a blank or repeated email, a username that differs from another only in
/// case) are left out, each reported on its own line, and counted; a
/// PostgreSQL database is read read-only, from one snapshot.
/// Passwords come as Django-encoded hashes (or ! for none), never as plain
/// text. The source is read as a stream, so its size does not matter.
/// --dry-run runs the whole import, every check of a real one included (the
/// last admin kept), then rolls it back. A user that is updated keeps the
/// spelling of its username already in the store.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
    latch import --format jsonl users.jsonl --dry-run\n  \
    latch export --format jsonl | ssh other-host latch import --format jsonl - --on-conflict update\n  \
    latch import --format django-db /srv/site/db.sqlite3 --on-conflict skip\n  \
    latch import --format django-db postgresql://django@db.example/site --on-conflict skip\n\
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

    /// The file to read, or - for standard input (jsonl only); for django-db, an
    /// SQLite file or a PostgreSQL URL or key=value string
    pub file: PathBuf,

    /// What to do with a user whose username or email is taken
    #[arg(long, value_enum, default_value_t = OnConflict::Fail)]
    pub on_conflict: OnConflict,

    /// Check everything, write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(context: &Context, args: &ImportArgs) -> Result<()> {
    let stdin = args.file.as_os_str() == "-";
    // Name the source first: a missing file is found before any login check
    // (a Django server is reached only after it, below).
    let named = match args.format {
        ImportFormat::Jsonl if stdin => {
            Named::Lines(Box::new(BufReader::new(std::io::stdin().lock())))
        }
        ImportFormat::Jsonl => {
            let file = std::fs::File::open(&args.file).map_err(|e| {
                Error::invalid("file", format!("cannot open {}: {e}", args.file.display()))
            })?;
            if file.metadata().is_ok_and(|m| m.is_dir()) {
                return Err(Error::invalid(
                    "file",
                    format!("{} is a directory", args.file.display()),
                ));
            }
            Named::Lines(Box::new(BufReader::with_capacity(256 * 1024, file)))
        }
        ImportFormat::DjangoDb if stdin => {
            return Err(Error::usage(
                "a Django database is read from a file or a PostgreSQL server, not from standard input",
                Some("latch import --format django-db PATH/TO/db.sqlite3".into()),
            ));
        }
        ImportFormat::DjangoDb => Named::Django(SiteName::parse(args.file.as_os_str())?),
    };
    let super::LoggedIn {
        mut store, current, ..
    } = context.admin_session()?;
    let mut source = match named {
        Named::Lines(input) => Source::Lines(input),
        Named::Django(name) => Source::Django(name.open(&mut |warning| context.ui.warn(&warning))?),
    };
    let options = ImportOptions {
        on_conflict: args.on_conflict,
        refused: match args.format {
            ImportFormat::Jsonl => Refused::Fail,
            ImportFormat::DjangoDb => Refused::Skip,
        },
        dry_run: args.dry_run,
    };
    // django-otp's confirmed TOTP devices, read before the users.
    let devices = match &mut source {
        Source::Django(database) => database.totp_devices()?,
        Source::Lines(_) => Default::default(),
    };
    let mut progress = Progress::new();
    let report = match &mut source {
        Source::Lines(input) => transfer::import(
            store.as_mut(),
            &current.user,
            &mut transfer::json_lines(input.as_mut()),
            options,
            &mut |read| progress.update(read),
        ),
        Source::Django(database) => transfer::import(
            store.as_mut(),
            &current.user,
            &mut transfer::django_users(database.users()?, devices),
            options,
            &mut |read| progress.update(read),
        ),
    };
    progress.finish();
    let report = report?;
    for refusal in &report.refusals {
        context.ui.warn(&format!("refused {refusal}"));
    }
    let counts = format!(
        "{} new, {} updated, {} skipped, {} refused, of {} read",
        report.inserted, report.updated, report.skipped, report.refused, report.read
    );
    context.ui.say(&if args.dry_run {
        format!("Dry run: the import would write {counts}; nothing was written.")
    } else {
        format!("Imported {counts}.")
    });
    Ok(())
}

/// A rate as a whole number of users a second, with thousands separated:
/// `256,404/s`.
fn whole_rate(per_sec: f64) -> String {
    let whole = if per_sec.is_finite() && per_sec > 0.0 {
        per_sec.round() as u64
    } else {
        0
    };
    format!("{}/s", indicatif::HumanCount(whole))
}

/// Where an import reads its users from, as named: a Django server is not
/// connected to yet.
enum Named {
    Lines(Box<dyn std::io::BufRead>),
    Django(SiteName),
}

/// Where an import reads its users from.
enum Source {
    Lines(Box<dyn std::io::BufRead>),
    Django(DjangoSite),
}

/// A counter on stderr, shown only on a terminal and only once the import has
/// taken longer than a moment.
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

    fn update(&mut self, read: u64) {
        if !self.terminal || !read.is_multiple_of(1000) {
            return;
        }
        if self.bar.is_none() && self.started.elapsed() > Duration::from_millis(500) {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {human_pos} users checked ({rate})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner())
                .with_key(
                    "rate",
                    |state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
                        let _ = out.write_str(&whole_rate(state.per_sec()));
                    },
                ),
            );
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(read);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_a_whole_number() {
        assert_eq!(whole_rate(256_404.323_3), "256,404/s");
        assert_eq!(whole_rate(0.4), "0/s");
        assert_eq!(whole_rate(f64::NAN), "0/s");
        assert_eq!(whole_rate(999.5), "1,000/s");
    }
}
