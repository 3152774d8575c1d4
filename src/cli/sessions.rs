//! `latch sessions`: list and end sessions.

use clap::{Args, Subcommand};
use serde_json::json;

use super::Context;
use crate::accounts::{self, Revoke};
use crate::error::{Error, Result};
use crate::output::{one_line, table};
use crate::timestamp;

/// List or end sessions
#[derive(Debug, Args)]
pub struct SessionsArgs {
    #[command(subcommand)]
    pub command: SessionsCommand,
}

#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// List your sessions (with --all, an admin sees everyone's)
    #[command(after_long_help = "JSON:\n  \
        [{\"id\", \"username\", \"created_at\", \"expires_at\", \"last_seen_at\", \"host\", \"current\"}, ...]\n  \
        Times are RFC 3339 in UTC; current is true for this session.")]
    List {
        /// Every user's sessions (admins only)
        #[arg(long)]
        all: bool,
        /// Print the sessions as a JSON array
        #[arg(long)]
        json: bool,
    },
    /// End a session by its id, or every session of yours but this one
    ///
    /// Your own sessions, or (admins) anyone's. Ending this session is a
    /// logout: its token is forgotten too.
    #[command(after_long_help = "Examples:\n  \
        latch sessions revoke 42\n  \
        latch sessions revoke --all-others")]
    Revoke {
        /// The session id, as `sessions list` shows it
        #[arg(required_unless_present = "all_others", conflicts_with = "all_others")]
        id: Option<i64>,
        /// Every session of yours except this one
        #[arg(long)]
        all_others: bool,
    },
}

impl SessionsArgs {
    pub fn json(&self) -> bool {
        matches!(self.command, SessionsCommand::List { json: true, .. })
    }
}

pub fn run(context: &Context, args: &SessionsArgs) -> Result<()> {
    match &args.command {
        SessionsCommand::List { all, json } => {
            let super::LoggedIn { store, current, .. } = context.session()?;
            let sessions = accounts::list_sessions(store.as_ref(), &current, *all)?;
            if *json {
                let rows: Vec<serde_json::Value> = sessions
                    .iter()
                    .map(|listing| {
                        let s = &listing.session;
                        json!({
                            "id": s.id,
                            "username": listing.username,
                            "created_at": timestamp::rfc3339(s.created_at),
                            "expires_at": timestamp::rfc3339(s.expires_at),
                            "last_seen_at": s.last_seen_at.map(timestamp::rfc3339),
                            "host": s.host,
                            "current": s.id == current.session.id,
                        })
                    })
                    .collect();
                return context.ui.print_json(&serde_json::Value::Array(rows));
            }
            let rows: Vec<Vec<String>> = sessions
                .iter()
                .map(|listing| {
                    let s = &listing.session;
                    vec![
                        if s.id == current.session.id { "*" } else { "" }.to_owned(),
                        s.id.to_string(),
                        one_line(&listing.username),
                        timestamp::human(s.created_at),
                        timestamp::human(s.expires_at),
                        s.last_seen_at.map(timestamp::human).unwrap_or_default(),
                        one_line(&s.host),
                    ]
                })
                .collect();
            context.ui.print(&table(
                &["", "id", "user", "created", "expires", "last seen", "host"],
                &rows,
            ))
        }
        SessionsCommand::Revoke { id, all_others } => {
            let which = match (id, all_others) {
                (_, true) => Revoke::AllOthers,
                (Some(id), false) => Revoke::One(*id),
                (None, false) => {
                    return Err(Error::usage("give a session ID or --all-others", None));
                }
            };
            let super::LoggedIn {
                mut store,
                current,
                tokens,
            } = context.session()?;
            let ended = accounts::revoke_sessions(
                store.as_mut(),
                tokens.as_ref(),
                &context.token_key(),
                &current,
                which,
            )?;
            context.ui.say(&format!(
                "Ended {ended} session{}.",
                if ended == 1 { "" } else { "s" }
            ));
            Ok(())
        }
    }
}
