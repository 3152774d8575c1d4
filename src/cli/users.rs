//! `latch users`: administration of other accounts (admins only).

use clap::{Args, Subcommand};

use super::Context;
use crate::accounts;
use crate::error::Result;

/// Administer accounts (admins only)
///
/// Every subcommand needs a logged-in admin: not logged in is exit 4, logged
/// in as anyone else is exit 9.
#[derive(Debug, Args)]
pub struct UsersArgs {
    #[command(subcommand)]
    pub command: UsersCommand,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Clear a name's failed logins and lift its lock
    ///
    /// Works for any name, known to the store or not: unknown names are
    /// locked too, so that a lock tells nothing about which names exist.
    Unlock {
        /// The username
        username: String,
    },
    /// Grant or revoke admin
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminAction {
    /// Make an account an admin
    Grant {
        /// The username
        username: String,
    },
    /// Take admin away from an account (never from the last admin)
    Revoke {
        /// The username
        username: String,
    },
}

pub fn run(context: &Context, args: &UsersArgs) -> Result<()> {
    let (mut store, current) = context.admin_session()?;
    let admin = &current.user;
    match &args.command {
        UsersCommand::Unlock { username } => {
            if accounts::unlock(&mut store, admin, username)? {
                context.ui.say(&format!("Unlocked {username}."));
            } else {
                context.ui.say(&format!("{username} had no failed logins."));
            }
        }
        UsersCommand::Admin { action } => {
            let (name, grant) = match action {
                AdminAction::Grant { username } => (username, true),
                AdminAction::Revoke { username } => (username, false),
            };
            let (user, changed) = accounts::set_admin(&mut store, admin, name, grant)?;
            let name = &user.username;
            context.ui.say(&match (grant, changed) {
                (true, true) => format!("{name} is now an admin."),
                (true, false) => format!("{name} is an admin already."),
                (false, true) => format!("{name} is no longer an admin."),
                (false, false) => format!("{name} is not an admin."),
            });
        }
    }
    Ok(())
}
