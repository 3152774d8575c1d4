//! `latch users`: administration of accounts (admins only).

use clap::{Args, Subcommand};
use serde_json::json;

use super::{Context, prompt};
use crate::accounts;
use crate::error::{Error, Result};
use crate::output::{one_line, shell_operand, stdout_error, table};
use crate::store::{AccountStore, UserFilter, UserListing};
use crate::timestamp::{self, DateTime};

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
    /// List accounts: a table on a terminal, or JSON
    #[command(after_long_help = JSON_LIST)]
    List {
        /// Only active accounts
        #[arg(long, conflicts_with_all = ["disabled", "admins", "mfa", "no_mfa"])]
        active: bool,
        /// Only disabled accounts
        #[arg(long, conflicts_with_all = ["admins", "mfa", "no_mfa"])]
        disabled: bool,
        /// Only admins
        #[arg(long, conflicts_with_all = ["mfa", "no_mfa"])]
        admins: bool,
        /// Only accounts with a confirmed second factor
        #[arg(long, conflicts_with = "no_mfa")]
        mfa: bool,
        /// Only accounts without one
        #[arg(long)]
        no_mfa: bool,
        /// Print one JSON array, streamed
        #[arg(long)]
        json: bool,
    },
    /// Show one account
    #[command(after_long_help = JSON_SHOW)]
    Show {
        /// The username
        username: String,
        /// Print the account as a JSON object
        #[arg(long)]
        json: bool,
    },
    /// Disable an account and end its sessions
    Disable {
        /// The username
        username: String,
    },
    /// Enable a disabled account
    Enable {
        /// The username
        username: String,
    },
    /// Delete an account and its sessions; its history stays
    ///
    /// Asks for confirmation on a terminal; without one, --yes is required.
    /// The last admin cannot be deleted.
    Delete {
        /// The username
        username: String,
        /// Delete without asking
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Set another account's password and end its sessions
    ///
    /// Prompts twice on a terminal; --password-stdin reads one line. The
    /// password must meet the policy, as at registration.
    SetPassword {
        /// The username
        username: String,
        /// Read the new password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
    },
    /// Clear a name's failed logins and lift its lock
    ///
    /// Works for any name, known to the store or not: unknown names are
    /// locked too, so that a lock tells nothing about which names exist.
    Unlock {
        /// The username
        username: String,
    },
    /// Remove an account's second factor (a lost phone) and end its sessions
    ///
    /// The account logs in with its password alone until it enrols a new
    /// factor (`latch mfa enable`), unless the policy mfa-required asks it to
    /// enrol first.
    ResetMfa {
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

const JSON_LIST: &str = "JSON:\n  \
    [{\"username\", \"email\", \"is_admin\", \"is_active\", \"date_joined\", \"last_login\",\n    \
    \"locked_until\", \"failed_logins\", \"sessions\", \"mfa\", \"recovery_codes_left\"}, ...]\n  \
    Times are RFC 3339 in UTC; last_login and locked_until may be null.";

const JSON_SHOW: &str = "JSON:\n  \
    {\"username\", \"email\", \"first_name\", \"last_name\", \"is_admin\", \"is_staff\",\n   \
    \"is_active\", \"date_joined\", \"last_login\", \"locked_until\", \"failed_logins\", \"sessions\",\n   \
    \"mfa\", \"recovery_codes_left\",\n   \
    \"password\": {\"algorithm\", \"iterations\", \"usable\"}}\n  \
    The password object describes the hash; it never holds the hash itself.";

impl UsersArgs {
    pub fn json(&self) -> bool {
        matches!(
            self.command,
            UsersCommand::List { json: true, .. } | UsersCommand::Show { json: true, .. }
        )
    }
}

pub fn run(context: &Context, args: &UsersArgs) -> Result<()> {
    let super::LoggedIn {
        mut store, current, ..
    } = context.admin_session()?;
    let admin = &current.user;
    let say = |line: String| context.ui.say(&line);
    match &args.command {
        UsersCommand::List {
            active,
            disabled,
            admins,
            mfa,
            no_mfa,
            json,
        } => {
            let filter = if *active {
                UserFilter::Active
            } else if *disabled {
                UserFilter::Disabled
            } else if *admins {
                UserFilter::Admins
            } else if *mfa {
                UserFilter::WithFactor
            } else if *no_mfa {
                UserFilter::WithoutFactor
            } else {
                UserFilter::All
            };
            list(context, store.as_ref(), filter, *json)?;
        }
        UsersCommand::Show { username, json } => {
            let listing = accounts::show_user(store.as_ref(), admin, username)?;
            if *json {
                context.ui.print_json(&listing_json(&listing, true))?;
            } else {
                show(context, &listing)?;
            }
        }
        UsersCommand::Disable { username } => {
            let (user, changed, ended) =
                accounts::set_active(store.as_mut(), admin, username, false)?;
            say(if changed {
                format!(
                    "Disabled {}; ended {ended} session{}.",
                    user.username,
                    plural(ended)
                )
            } else {
                format!("{} is disabled already.", user.username)
            });
        }
        UsersCommand::Enable { username } => {
            let (user, changed, _) = accounts::set_active(store.as_mut(), admin, username, true)?;
            say(if changed {
                format!("Enabled {}.", user.username)
            } else {
                format!("{} is enabled already.", user.username)
            });
        }
        UsersCommand::Delete { username, yes } => {
            let user = accounts::find_user(store.as_ref(), username)?;
            if !yes && !confirm_delete(&user.username)? {
                // Declining is an answer, not a failure (as `rm -i`).
                say(format!("Not deleted: {} stays.", user.username));
                return Ok(());
            }
            let user = accounts::delete_user(store.as_mut(), admin, &user.username)?;
            say(format!("Deleted {}.", user.username));
        }
        UsersCommand::SetPassword {
            username,
            password_stdin,
        } => {
            let (password, confirmation) = if *password_stdin {
                (prompt::password_from_stdin()?, None)
            } else if prompt::interactive() {
                let password =
                    prompt::password(&format!("New password for {}: ", one_line(username)))?;
                let again = prompt::password("New password (again): ")?;
                (password, Some(again))
            } else {
                return Err(prompt::no_terminal(
                    "printf '%s\\n' \"$PW\" | latch users set-password NAME --password-stdin",
                ));
            };
            let (user, ended) = accounts::reset_password(
                store.as_mut(),
                admin,
                username,
                &password,
                confirmation.as_deref().map(String::as_str),
            )?;
            say(format!(
                "Set the password of {}; ended {ended} session{}.",
                user.username,
                plural(ended)
            ));
        }
        UsersCommand::Unlock { username } => {
            // `say` shows the name through `one_line`, as typed or not.
            say(if accounts::unlock(store.as_mut(), admin, username)? {
                format!("Unlocked {username}.")
            } else {
                format!("{username} had no failed logins.")
            });
        }
        UsersCommand::ResetMfa { username } => {
            let (user, removed, ended) = accounts::reset_factor(store.as_mut(), admin, username)?;
            say(if removed {
                format!(
                    "Removed the second factor of {}; ended {ended} session{}.",
                    user.username,
                    plural(ended)
                )
            } else {
                format!("{} has no second factor.", user.username)
            });
        }
        UsersCommand::Admin { action } => {
            let (name, grant) = match action {
                AdminAction::Grant { username } => (username, true),
                AdminAction::Revoke { username } => (username, false),
            };
            let (user, changed) = accounts::set_admin(store.as_mut(), admin, name, grant)?;
            let name = &user.username;
            say(match (grant, changed) {
                (true, true) => format!("{name} is now an admin."),
                (true, false) => format!("{name} is an admin already."),
                (false, true) => format!("{name} is no longer an admin."),
                (false, false) => format!("{name} is not an admin."),
            });
        }
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Asks on the terminal whether to delete; without one, `--yes` is the only
/// way. Anything but yes is a no.
fn confirm_delete(username: &str) -> Result<bool> {
    if !prompt::interactive() {
        return Err(Error::usage(
            format!("deleting {username} needs confirmation, and there is no terminal to ask on"),
            Some(format!(
                "latch users delete --yes {}",
                shell_operand(username)
            )),
        ));
    }
    let answer = prompt::line(&format!(
        "Delete {} and end their sessions? Their history stays. [y/N] ",
        one_line(username)
    ))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

fn time_or_null(moment: Option<DateTime>) -> serde_json::Value {
    moment.map_or(serde_json::Value::Null, |moment| json!(moment.rfc3339()))
}

fn listing_json(listing: &UserListing, full: bool) -> serde_json::Value {
    let user = &listing.user;
    let now = timestamp::now();
    let locked_until = listing
        .locked_until
        .filter(|&until| until > now)
        .map_or(serde_json::Value::Null, |until| {
            json!(timestamp::rfc3339(until))
        });
    let mut value = json!({
        "username": user.username,
        "email": user.email,
        "is_admin": user.is_superuser,
        "is_active": user.is_active,
        "date_joined": time_or_null(Some(user.date_joined)),
        "last_login": time_or_null(user.last_login),
        "locked_until": locked_until,
        "failed_logins": listing.failures,
        "sessions": listing.sessions,
        "mfa": listing.mfa,
        "recovery_codes_left": listing.recovery_codes_left,
    });
    if full {
        let hash = crate::password::describe(&user.password);
        value["first_name"] = json!(user.first_name);
        value["last_name"] = json!(user.last_name);
        value["is_staff"] = json!(user.is_staff);
        value["password"] = json!({
            "algorithm": hash.algorithm,
            "iterations": hash.iterations,
            "usable": hash.usable,
        });
    }
    value
}

fn list(context: &Context, store: &dyn AccountStore, filter: UserFilter, json: bool) -> Result<()> {
    if json {
        // One array, written a row at a time: a million users need no memory.
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        let mut first = true;
        let result = store.for_each_user(filter, &mut |listing| {
            use std::io::Write;
            let separator = if first { "[" } else { "," };
            first = false;
            write!(out, "{separator}{}", listing_json(&listing, false)).map_err(stdout_error)
        });
        use std::io::Write;
        let closing = if first { "[]\n" } else { "]\n" };
        return result.and_then(|()| {
            out.write_all(closing.as_bytes())
                .and_then(|()| out.flush())
                .map_err(stdout_error)
        });
    }
    let now = timestamp::now();
    let mut rows = Vec::new();
    store.for_each_user(filter, &mut |listing| {
        let user = &listing.user;
        rows.push(vec![
            one_line(&user.username),
            one_line(&user.email),
            yes_no(user.is_superuser),
            yes_no(user.is_active),
            short_time(Some(user.date_joined)),
            short_time(user.last_login),
            listing
                .locked_until
                .filter(|&until| until > now)
                .map(timestamp::human)
                .unwrap_or_default(),
        ]);
        Ok(())
    })?;
    if rows.is_empty() {
        context.ui.say("No users.");
        return Ok(());
    }
    let header = [
        "username",
        "email",
        "admin",
        "active",
        "joined",
        "last login",
        "locked until",
    ];
    context.ui.print(&table(&header, &rows))
}

fn show(context: &Context, listing: &UserListing) -> Result<()> {
    let user = &listing.user;
    let hash = crate::password::describe(&user.password);
    let now = timestamp::now();
    let lines = [
        ("username", user.username.clone()),
        ("email", user.email.clone()),
        ("name", {
            let name = format!("{} {}", user.first_name, user.last_name);
            if name.trim().is_empty() {
                "-".to_owned()
            } else {
                name.trim().to_owned()
            }
        }),
        ("admin", yes_no(user.is_superuser)),
        ("active", yes_no(user.is_active)),
        ("joined", short_time(Some(user.date_joined))),
        ("last login", short_time(user.last_login)),
        ("sessions", listing.sessions.to_string()),
        ("failed logins", listing.failures.to_string()),
        (
            "locked until",
            listing
                .locked_until
                .filter(|&until| until > now)
                .map(timestamp::human)
                .unwrap_or_else(|| "-".into()),
        ),
        ("password", hash.summary()),
        (
            "second factor",
            if listing.mfa {
                format!("TOTP, {} recovery codes left", listing.recovery_codes_left)
            } else {
                "none".into()
            },
        ),
    ];
    let width = lines
        .iter()
        .map(|(label, _)| label.len())
        .max()
        .unwrap_or(0);
    let text: Vec<String> = lines
        .iter()
        .map(|(label, value)| format!("{label:>width$}: {}", one_line(value)))
        .collect();
    context.ui.print(&text.join("\n"))
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.into()
}

fn short_time(moment: Option<DateTime>) -> String {
    moment.map_or_else(|| "-".into(), DateTime::minutes)
}
