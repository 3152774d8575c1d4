//! `latch store copy`: everything in the store into another, empty one (admins only).

use std::ffi::OsString;

use clap::{Args, Subcommand};

use super::Context;
use crate::accounts;
use crate::error::{Error, Result};
use crate::store::postgres::conninfo::ProcessEnvironment;
use crate::store::{self, OpenMode, StoreLocation};

/// Work on the store as a whole (admins only)
#[derive(Debug, Args)]
pub struct StoreArgs {
    #[command(subcommand)]
    pub command: StoreCommand,
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy everything in the store into another, empty store (admins only)
    ///
    /// Copies every user (same ids, password hashes, names, emails, times,
    /// admin and active flags), their second factors and recovery codes, the
    /// policy, the lockout state and the whole audit trail into STORE, read
    /// from one snapshot of this store and written in one transaction: all
    /// of it or, on any failure, nothing. STORE is given as --db is (a file,
    /// a postgresql:// URL or a key=value string) and is created when it does
    /// not exist; it must be empty, else nothing is written (exit 9).
    /// Sessions are not copied: a token belongs to the store that issued it,
    /// so everyone logs in again on the new store. Both stores record a
    /// store_copy event.
    #[command(after_long_help = "Examples:\n  \
        latch --db ~/.local/share/latch/latch.db store copy --to postgresql://latch@db.example/accounts\n  \
        LATCH_DB=postgresql://db.example/accounts latch store copy --to ./backup.db")]
    Copy {
        /// The store to copy into: a file path, a postgresql:// URL or a key=value string
        #[arg(long, value_name = "STORE")]
        to: OsString,
    },
}

pub fn run(context: &Context, args: &StoreArgs) -> Result<()> {
    match &args.command {
        StoreCommand::Copy { to } => copy(context, to),
    }
}

fn copy(context: &Context, to: &OsString) -> Result<()> {
    let location = StoreLocation::parse(to, &ProcessEnvironment)?;
    if let Some(warning) = location.password_warning() {
        context.ui.warn(warning);
    }
    let super::LoggedIn {
        mut store, current, ..
    } = context.admin_session()?;
    // Opened (and created) only once the admin is known.
    let mut target = store::open(&location, OpenMode::Create, &mut |warning| {
        context.ui.warn(&warning);
    })?
    .ok_or_else(|| Error::Internal("a created store was not opened".into()))?;
    let copied = accounts::copy_store(store.as_mut(), &current.user, target.as_mut())?;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    context.ui.say(&format!(
        "Copied {} ({}, {}), {}, {} and {} from {} to {location}.",
        plural(copied.users, "user"),
        plural(copied.admins, "admin"),
        plural(copied.factors, "second factor"),
        plural(copied.events, "event"),
        plural(copied.policy, "policy value"),
        plural(copied.failures, "failed-login record"),
        context.location,
    ));
    context
        .ui
        .say("Sessions are not copied: everyone logs in again on the new store.");
    Ok(())
}
