//! `latch export`: every user, with password hashes, to a file or stdout (admins only).

use std::path::PathBuf;

use clap::Args;

use super::Context;
use crate::error::Result;
use crate::files::Output;
use crate::transfer::{self, ExportFormat};

/// Export every user, password hashes included (admins only)
///
/// Written a row at a time. The output holds every password hash: a regular
/// file is replaced by a new one made 0600 (never written through a link,
/// never left half-written), and it should be kept like the store itself. A
/// device, FIFO or socket is written to as a shell redirection would; - is
/// standard output.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
    latch export --format jsonl --output users.jsonl\n  \
    latch export --format jsonl | jq -r .username\n  \
    latch export --format django-json --output users.json && python manage.py loaddata users.json")]
pub struct ExportArgs {
    /// The format to write
    #[arg(long, value_enum)]
    pub format: ExportFormat,

    /// Where to write instead of standard output: a file (replaced, 0600), a device or FIFO, or -
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(context: &Context, args: &ExportArgs) -> Result<()> {
    let super::LoggedIn {
        mut store, current, ..
    } = context.admin_session()?;
    // Opened after the admin check: nobody else may have a FIFO's reader
    // waiting on latch, or a file replaced.
    let mut output = match &args.output {
        Some(path) => Output::open(path)?,
        None => Output::stdout(),
    };
    let name = output.name().to_owned();
    let count = transfer::export(store.as_mut(), &current.user, args.format, output.writer())
        .map_err(|e| e.written_to(&name))?;
    output.finish()?;
    context.ui.say(&format!(
        "Exported {count} user{} to {name}.",
        if count == 1 { "" } else { "s" }
    ));
    Ok(())
}
