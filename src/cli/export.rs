//! `latch export`: every user, with password hashes, to a file or stdout (admins only).

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
    let Some(path) = &args.output else {
        let mut output = std::io::BufWriter::new(std::io::stdout().lock());
        return finish(
            context,
            transfer::export(&mut store, &current.user, args.format, &mut output),
            "standard output",
        );
    };
    // The hashes go to a new 0600 file beside the target, renamed over it
    // when complete: never into a file someone else made or a link's target,
    // and never half-written.
    let temporary = temporary_beside(path);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temporary)
        .map_err(|e| Error::invalid("output", format!("cannot write {}: {e}", path.display())))?;
    let mut output = std::io::BufWriter::with_capacity(256 * 1024, file);
    let written =
        transfer::export(&mut store, &current.user, args.format, &mut output).and_then(|count| {
            let file = output.into_inner().map_err(|e| {
                Error::invalid("output", format!("cannot write {}: {e}", path.display()))
            })?;
            file.sync_all()
                .and_then(|()| std::fs::rename(&temporary, path))
                .map_err(|e| {
                    Error::invalid("output", format!("cannot write {}: {e}", path.display()))
                })?;
            Ok(count)
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    finish(context, written, &path.display().to_string())
}

/// `DIR/.NAME.latch-export-PID`: in the target's directory, so that the
/// rename stays on one file system.
fn temporary_beside(path: &std::path::Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.latch-export-{}", std::process::id()))
}

fn finish(context: &Context, written: Result<u64>, target: &str) -> Result<()> {
    let count = written?;
    context.ui.say(&format!(
        "Exported {count} user{} to {target}.",
        if count == 1 { "" } else { "s" }
    ));
    Ok(())
}
