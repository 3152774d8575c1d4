//! `latch policy`: show the store's policy, or (admins) change it.

use clap::{Args, Subcommand};
use serde_json::json;

use super::Context;
use crate::accounts;
use crate::error::Result;
use crate::output::table;
use crate::policy::{KEYS, Policy};
use crate::store::OpenMode;

/// Show or change the store's policy
#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Show every policy value, its default and its bounds
    #[command(after_long_help = "JSON:\n  \
        {\"min_length\", \"max_length\", \"pbkdf2_iterations\", \"session_age\",\n   \
        \"lockout_threshold\", \"lockout_base\", \"lockout_max\"}\n  \
        Lengths in characters, ages and lock times in seconds.")]
    Show {
        /// Print the policy as a JSON object
        #[arg(long)]
        json: bool,
    },
    /// Change one policy value (admins only)
    ///
    /// Keys: min-length and max-length (password characters), pbkdf2-iterations,
    /// session-age (seconds), lockout-threshold (failures), lockout-base and
    /// lockout-max (seconds), mfa-required (none, admins or all: who must have
    /// a second factor), mfa-drift-steps (30-second steps of clock drift a
    /// code may have either side). Each has bounds that keep latch safe; a value
    /// outside them is refused (exit 3).
    #[command(after_long_help = "Examples:\n  \
        latch policy set min-length 20\n  \
        latch policy set lockout-threshold 10")]
    Set {
        /// The policy key
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(KEYS.iter().map(|(name, _, _)| *name)))]
        key: String,
        /// The new value (for mfa-required: none, admins or all)
        #[arg(allow_negative_numbers = true, value_parser = value_text)]
        value: String,
    },
    /// Measure this machine's PBKDF2 speed and propose an iteration count
    ///
    /// Proposes the iterations one hash takes about --target-ms milliseconds
    /// for here, never below Django 6.0's 1,200,000. --apply sets it (admins
    /// only); new hashes use it, and older ones are upgraded at each login.
    #[command(after_long_help = "JSON:\n  \
        {\"iterations_per_ms\", \"target_ms\", \"proposed\", \"proposed_ms\", \"current\", \"applied\"}")]
    Calibrate {
        /// How long one hash should take, in milliseconds
        #[arg(long, value_name = "MS", default_value_t = 250, value_parser = clap::value_parser!(u32).range(10..=10_000))]
        target_ms: u32,
        /// Set pbkdf2-iterations to the proposal (admins only)
        #[arg(long)]
        apply: bool,
        /// Print the measurement as a JSON object
        #[arg(long)]
        json: bool,
    },
}

impl PolicyArgs {
    pub fn json(&self) -> bool {
        matches!(
            self.command,
            PolicyCommand::Show { json: true } | PolicyCommand::Calibrate { json: true, .. }
        )
    }
}

pub fn run(context: &Context, args: &PolicyArgs) -> Result<()> {
    match &args.command {
        PolicyCommand::Show { json } => show(context, *json),
        PolicyCommand::Set { key, value } => {
            // Not a value at all is a usage error, before anything else.
            let value = crate::policy::parse_value(key, value)?;
            let super::LoggedIn {
                mut store, current, ..
            } = context.admin_session()?;
            let previous = accounts::set_policy(store.as_mut(), &current.user, key, value)?;
            context.ui.say(&format!(
                "Set {key} to {} (it was {}).",
                crate::policy::display_value(key, value),
                crate::policy::display_value(key, previous)
            ));
            Ok(())
        }
        PolicyCommand::Calibrate {
            target_ms,
            apply,
            json: as_json,
        } => calibrate(context, *target_ms, *apply, *as_json),
    }
}

fn calibrate(context: &Context, target_ms: u32, apply: bool, as_json: bool) -> Result<()> {
    // Check the right to apply before spending a second measuring.
    let mut admin = if apply {
        Some(context.admin_session()?)
    } else {
        None
    };
    let current = match &admin {
        Some(session) => session.store.policy()?,
        None => match context.open_store(OpenMode::Existing)? {
            Some(store) => store.policy()?,
            None => Policy::default(),
        },
    }
    .pbkdf2_iterations;
    let calibration = crate::password::calibrate(target_ms);
    if let Some(session) = &mut admin {
        accounts::set_policy(
            session.store.as_mut(),
            &session.current.user,
            "pbkdf2-iterations",
            i64::from(calibration.proposed),
        )?;
    }
    if as_json {
        context.ui.print_json(&json!({
            "iterations_per_ms": calibration.iterations_per_ms.round(),
            "target_ms": target_ms,
            "proposed": calibration.proposed,
            "proposed_ms": (calibration.proposed_ms * 10.0).round() / 10.0,
            "current": current,
            "applied": apply,
        }))?;
        return Ok(());
    }
    context.ui.print(&format!(
        "PBKDF2-HMAC-SHA256 runs {:.0} iterations per millisecond here.\n\
         {} iterations take about {:.0} ms (target {target_ms} ms); the policy has {current}.",
        calibration.iterations_per_ms, calibration.proposed, calibration.proposed_ms
    ))?;
    if apply {
        context.ui.say(&format!(
            "Set pbkdf2-iterations to {}.",
            calibration.proposed
        ));
    } else {
        context.ui.say("Run again with --apply to set it.");
    }
    Ok(())
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
            .map(|(key, value)| {
                let shown = match key {
                    "mfa-required" => json!(crate::policy::display_value(key, value)),
                    _ => json!(value),
                };
                (key.replace('-', "_"), shown)
            })
            .collect();
        return context.ui.print_json(&serde_json::Value::Object(object));
    }
    let rows: Vec<Vec<String>> = policy
        .entries()
        .into_iter()
        .zip(defaults)
        .zip(KEYS)
        .map(|(((key, value), (_, default)), (_, low, high))| {
            vec![
                key.to_owned(),
                crate::policy::display_value(key, value),
                crate::policy::display_value(key, default),
                if key == "mfa-required" {
                    crate::policy::MfaRequired::NAMES.join(", ")
                } else {
                    format!("{low}..{high}")
                },
            ]
        })
        .collect();
    context
        .ui
        .print(&table(&["key", "value", "default", "bounds"], &rows))
}

/// What clap takes as a policy value: a whole number, or one of the names
/// of `mfa-required`; `policy::parse_value` then reads it for its key.
fn value_text(text: &str) -> std::result::Result<String, String> {
    if text.parse::<i64>().is_ok() || crate::policy::MfaRequired::NAMES.contains(&text) {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "a whole number (or, for mfa-required, {})",
            crate::policy::MfaRequired::NAMES.join(", ")
        ))
    }
}
