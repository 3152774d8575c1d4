//! `latch export`: every user, with password hashes, to a file or stdout (admins only).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

use clap::Args;

use super::Context;
use crate::error::{Error, Result};
use crate::transfer::{self, ExportFormat};

/// Export every user, password hashes included (admins only)
///
/// Written a row at a time. The output holds every password hash: a file is
/// created 0600, and it should be kept like the store itself.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
    latch export --format jsonl --output users.jsonl\n  \
    latch export --format jsonl | jq -r .username\n  \
    latch export --format django-json --output users.json && python manage.py loaddata users.json")]
pub struct ExportArgs {
    /// The format to write
    #[arg(long, value_enum)]
    pub format: ExportFormat,

    /// The file to write (created 0600, replaced if it exists) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(context: &Context, args: &ExportArgs) -> Result<()> {
    let super::LoggedIn {
        mut store, current, ..
    } = context.admin_session()?;
    let (mut output, target): (Box<dyn Write>, String) = match &args.output {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(path)
                .map_err(|e| {
                    Error::invalid("output", format!("cannot write {}: {e}", path.display()))
                })?;
            (
                Box::new(std::io::BufWriter::with_capacity(256 * 1024, file)),
                path.display().to_string(),
            )
        }
        None => (
            Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            "standard output".to_owned(),
        ),
    };
    match transfer::export(&mut store, &current.user, args.format, &mut output) {
        Ok(count) => {
            context.ui.say(&format!(
                "Exported {count} user{} to {target}.",
                if count == 1 { "" } else { "s" }
            ));
            Ok(())
        }
        Err(Error::Usage { message, .. }) if message.contains("Broken pipe") => Ok(()),
        Err(e) => Err(e),
    }
}
