//! `latch history`: the audit trail, as a table or JSON.

use clap::Args;
use serde_json::json;

use super::Context;
use crate::accounts;
use crate::error::{Error, Result};
use crate::output::{one_line, table};
use crate::timestamp;

/// Show the audit trail
///
/// Registrations, logins (with the reason a login failed), logouts, password
/// changes, hash upgrades, locks and unlocks, and role changes, newest first,
/// with the OS user and host that ran each command. You see your own events;
/// an admin sees anyone's (USERNAME) or everyone's.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
    latch history\n  \
    latch history alice --limit 100\n  \
    latch history --json | jq -r '.[] | select(.kind == \"login_failure\") | .at'\n\
\n\
JSON:\n  \
    [{\"id\", \"at\", \"kind\", \"username\", \"actor\", \"detail\", \"os_user\", \"host\"}, ...]\n  \
    Newest first; at is RFC 3339 in UTC; actor is null when nobody was logged in.\n  \
    kind is one of register, login_success, login_failure, verify_success,\n  \
    verify_failure, logout, password_change, hash_upgrade, lock, unlock, admin_grant,\n  \
    admin_revoke, policy_change, enable, disable, delete, import, export.")]
pub struct HistoryArgs {
    /// Whose events (admins only, for anyone but yourself)
    pub username: Option<String>,

    /// How many events, newest first
    #[arg(long, short = 'n', value_name = "N", default_value_t = 50)]
    pub limit: u32,

    /// Print the events as a JSON array
    #[arg(long)]
    pub json: bool,
}

pub fn run(context: &Context, args: &HistoryArgs) -> Result<()> {
    if args.limit == 0 {
        return Err(Error::invalid("limit", "must be at least 1"));
    }
    let super::LoggedIn { store, current, .. } = context.session()?;
    let events = accounts::history(
        store.as_ref(),
        &current.user,
        args.username.as_deref(),
        args.limit,
    )?;
    if args.json {
        let events: Vec<serde_json::Value> = events
            .iter()
            .map(|recorded| {
                let e = &recorded.event;
                json!({
                    "id": recorded.id,
                    "at": timestamp::rfc3339(e.at),
                    "kind": e.kind,
                    "username": e.subject,
                    "actor": e.actor,
                    "detail": e.detail,
                    "os_user": e.os_user,
                    "host": e.host,
                })
            })
            .collect();
        return context.ui.print_json(&serde_json::Value::Array(events));
    }
    if events.is_empty() {
        context.ui.say("No events.");
        return Ok(());
    }
    // Names are recorded as typed, by anyone who tried them: never let one
    // send escape sequences to the reader's terminal.
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|recorded| {
            let e = &recorded.event;
            vec![
                timestamp::human(e.at).trim_end_matches(" UTC").to_owned(),
                one_line(&e.kind),
                one_line(&e.subject),
                one_line(e.actor.as_deref().unwrap_or_default()),
                one_line(&e.detail),
                one_line(&format!("{}@{}", e.os_user, e.host)),
            ]
        })
        .collect();
    context.ui.print(&table(
        &["time (UTC)", "event", "user", "by", "detail", "from"],
        &rows,
    ))
}
