//! `latch logout`: end this store's session and forget its token.

use clap::Args;

use super::Context;
use crate::accounts::{self, LoggedOut};
use crate::error::Result;
use crate::store::{AccountStore, OpenMode};

/// End the session and remove its token from the token store
///
/// Revokes this store's session in the account store and deletes its token.
/// Logging out when not logged in is not an error: it says so and exits 0.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
    latch logout\n  \
    latch logout --all    # every session of the user, wherever it began")]
pub struct LogoutArgs {
    /// End every session of the logged-in user, not only this one
    ///
    /// Every session of the user in this account store ends, wherever it
    /// began: other machines sharing the store, other token stores.
    #[arg(long)]
    pub all: bool,
}

pub fn run(context: &Context, args: &LogoutArgs) -> Result<()> {
    let tokens = context.tokens()?;
    let mut store = context.open_store(OpenMode::Existing)?;
    let outcome = accounts::logout(
        store.as_deref_mut().map(|s| s as &mut dyn AccountStore),
        tokens.as_ref(),
        &context.token_key(),
        args.all,
    )?;
    match outcome {
        LoggedOut::NotLoggedIn => context.ui.say("Not logged in."),
        LoggedOut::Ended { username, sessions } if args.all => context.ui.say(&format!(
            "Logged out {username}: ended {sessions} session{}.",
            if sessions == 1 { "" } else { "s" }
        )),
        LoggedOut::Ended { username, .. } => context.ui.say(&format!("Logged out {username}.")),
    }
    Ok(())
}
