//! `latch policy`: show the store's policy, or (admins) change it.

use clap::{Args, Subcommand};
use comfy_table::Table;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use serde_json::json;

use super::Context;
use crate::accounts;
use crate::error::Result;
use crate::policy::{KEYS, Policy};
use crate::store::{AccountStore, OpenMode};

/// Show or change the store's policy
#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Show every policy value, its default and its bounds
    Show {
        /// Print the policy as a JSON object
        #[arg(long)]
        json: bool,
    },
    /// Change one policy value (admins only)
    ///
    /// Keys: min-length and max-length (password characters), pbkdf2-iterations,
    /// session-age (seconds), lockout-threshold (failures), lockout-base and
    /// lockout-max (seconds). Each has bounds that keep latch safe; a value
    /// outside them is refused (exit 3).
    #[command(after_long_help = "Examples:\n  \
        latch policy set min-length 20\n  \
        latch policy set lockout-threshold 10")]
    Set {
        /// The policy key
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(KEYS.iter().map(|(name, _, _)| *name)))]
        key: String,
        /// The new value
        #[arg(allow_negative_numbers = true)]
        value: i64,
    },
}

impl PolicyArgs {
    pub fn json(&self) -> bool {
        matches!(self.command, PolicyCommand::Show { json: true })
    }
}

pub fn run(context: &Context, args: &PolicyArgs) -> Result<()> {
    match &args.command {
        PolicyCommand::Show { json } => show(context, *json),
        PolicyCommand::Set { key, value } => {
            let (mut store, current) = context.admin_session()?;
            let previous = accounts::set_policy(&mut store, &current.user, key, *value)?;
            context
                .ui
                .say(&format!("Set {key} to {value} (it was {previous})."));
            Ok(())
        }
    }
}

fn show(context: &Context, json: bool) -> Result<()> {
    let policy = match context.open_store(OpenMode::Existing)? {
        Some(store) => store.policy()?,
        None => Policy::default(),
    };
    let defaults = Policy::default().entries();
    if json {
        let object: serde_json::Map<String, serde_json::Value> = policy
            .entries()
            .into_iter()
            .map(|(key, value)| (key.replace('-', "_"), json!(value)))
            .collect();
        context.ui.print_json(&serde_json::Value::Object(object));
        return Ok(());
    }
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(["key", "value", "default", "bounds"]);
    for (((key, value), (_, default)), (_, low, high)) in
        policy.entries().into_iter().zip(defaults).zip(KEYS)
    {
        table.add_row([
            key.to_owned(),
            value.to_string(),
            default.to_string(),
            format!("{low}..{high}"),
        ]);
    }
    context.ui.print(&table.to_string());
    Ok(())
}
