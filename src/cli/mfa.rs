//! `latch mfa`: the logged-in user's second factor (TOTP): enable (with its
//! QR code, URI and secret), confirm, disable, status, and new recovery codes.
//!
//! The secret, the URI and the recovery codes are printed once, on stdout;
//! codes are read from a no-echo prompt or a line of standard input, never
//! from the command line.

use clap::{Args, Subcommand};
use serde_json::json;
use zeroize::Zeroizing;

use super::{Context, prompt};
use crate::accounts;
use crate::error::{Error, Result};
use crate::mfa::recovery::RecoveryCode;
use crate::timestamp;

/// Enrol, confirm, check or remove your second factor (TOTP)
///
/// A second factor is a code from an authenticator app (TOTP: 6 digits every
/// 30 seconds, HMAC-SHA1, RFC 6238), asked for at login after the password.
/// `mfa enable` shows a QR code to scan; the factor is active only once
/// `mfa confirm` (or the prompt that follows on a terminal) accepts a code
/// from the app. Ten single-use recovery codes are shown then, once.
#[derive(Debug, Args)]
pub struct MfaArgs {
    #[command(subcommand)]
    pub command: MfaCommand,
}

const ENABLE_HELP: &str = "JSON:\n  \
    {\"secret\", \"otpauth_uri\"}\n\n\
Examples:\n  \
    latch mfa enable\n  \
    printf '%s\\n' \"$PW\" | latch mfa enable --password-stdin --json | jq -r .otpauth_uri";

const STATUS_HELP: &str = "JSON:\n  \
    {\"username\", \"mfa\", \"pending\", \"recovery_codes_left\", \"confirmed_at\", \"required\"}";

const REGENERATE_HELP: &str = "JSON:\n  \
    {\"recovery_codes\": [\"abcd-efgh-ijkl-mnop\", ...]}\n\n\
Examples:\n  \
    latch mfa recovery-codes --regenerate\n  \
    printf '%s\\n%s\\n' \"$PW\" \"$CODE\" | latch mfa recovery-codes --regenerate --password-stdin";

#[derive(Debug, Subcommand)]
pub enum MfaCommand {
    /// Make a new secret and show it as a QR code, a URI and base32
    ///
    /// Asks for your password again. The new factor is pending: logins do not
    /// ask for a code until it is confirmed. On a terminal, enable then asks
    /// for a code from the app and confirms; otherwise run `latch mfa
    /// confirm`. Enabling again before confirming replaces the pending secret.
    #[command(after_long_help = ENABLE_HELP)]
    Enable {
        /// Read the password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
        /// Print {"secret", "otpauth_uri"} and no QR code
        #[arg(long)]
        json: bool,
    },
    /// Confirm the pending factor with a code from the app
    ///
    /// Prints ten recovery codes, once: each logs in once in place of a code
    /// from the app. Keep them somewhere safe.
    #[command(after_long_help = "Examples:\n  \
        latch mfa confirm\n  \
        oathtool --totp -b \"$SECRET\" | latch mfa confirm --code-stdin")]
    Confirm {
        /// Read the code from the first line of standard input
        #[arg(long)]
        code_stdin: bool,
    },
    /// Remove your second factor and recovery codes
    ///
    /// Asks for your password and a code (or a recovery code); with
    /// --password-stdin they are the first two lines of standard input.
    #[command(after_long_help = "Examples:\n  \
        latch mfa disable\n  \
        printf '%s\\n%s\\n' \"$PW\" \"$CODE\" | latch mfa disable --password-stdin")]
    Disable {
        /// Read the password, then the code, from standard input
        #[arg(long)]
        password_stdin: bool,
    },
    /// Show whether you have a second factor and how many recovery codes are left
    #[command(after_long_help = STATUS_HELP)]
    Status {
        /// Print the status as a JSON object
        #[arg(long)]
        json: bool,
    },
    /// Make ten new recovery codes, voiding the old ones
    ///
    /// Asks for your password and a code (or a recovery code); with
    /// --password-stdin they are the first two lines of standard input.
    #[command(name = "recovery-codes", after_long_help = REGENERATE_HELP)]
    RecoveryCodes {
        /// Make a new set (required: the old codes stop working)
        #[arg(long, required = true)]
        regenerate: bool,
        /// Read the password, then the code, from standard input
        #[arg(long)]
        password_stdin: bool,
        /// Print {"recovery_codes": [...]}
        #[arg(long)]
        json: bool,
    },
}

impl MfaArgs {
    pub fn json(&self) -> bool {
        matches!(
            self.command,
            MfaCommand::Enable { json: true, .. }
                | MfaCommand::Status { json: true }
                | MfaCommand::RecoveryCodes { json: true, .. }
        )
    }
}

pub fn run(context: &Context, args: &MfaArgs) -> Result<()> {
    match &args.command {
        MfaCommand::Enable {
            password_stdin,
            json,
        } => enable(context, *password_stdin, *json),
        MfaCommand::Confirm { code_stdin } => {
            let super::LoggedIn {
                mut store, current, ..
            } = context.enrolment_session()?;
            let code = if *code_stdin {
                prompt::code_from_stdin()?.ok_or_else(|| {
                    Error::invalid("code", "standard input is empty: pipe the code in")
                })?
            } else if prompt::interactive() {
                prompt::code("Code: ")?
            } else {
                return Err(Error::usage(
                    "no terminal to ask for the code on",
                    Some("pipe the code in with --code-stdin: `oathtool --totp -b \"$SECRET\" | latch mfa confirm --code-stdin`".into()),
                ));
            };
            let codes = accounts::confirm_enrolment(store.as_mut(), &current, &code)?;
            show_confirmed(context, &current.user.username, &codes)?;
            Ok(())
        }
        MfaCommand::Disable { password_stdin } => {
            let super::LoggedIn {
                mut store, current, ..
            } = context.enrolment_session()?;
            let confirmed = accounts::factor_status(store.as_ref(), &current.user)?.confirmed;
            let (password, code) = password_and_code(*password_stdin, confirmed, "disable")?;
            accounts::disable_factor(
                store.as_mut(),
                &current,
                &password,
                code.as_deref().map(|c| c.as_str()),
            )?;
            context.ui.say(&format!(
                "Removed the second factor of {}; logins ask for the password only.",
                current.user.username
            ));
            if accounts::enrolment_required(store.as_ref(), &current.user)? {
                context.ui.warn(&format!(
                    "the policy requires a second factor for {}: until one is enrolled \
                     (`latch mfa enable`), only {} work",
                    current.user.username,
                    accounts::FACTOR_COMMANDS
                ));
            }
            Ok(())
        }
        MfaCommand::Status { json } => status(context, *json),
        MfaCommand::RecoveryCodes {
            password_stdin,
            json,
            ..
        } => {
            let super::LoggedIn {
                mut store, current, ..
            } = context.enrolment_session()?;
            let (password, code) =
                password_and_code(*password_stdin, true, "recovery-codes --regenerate")?;
            let codes = accounts::regenerate_recovery_codes(
                store.as_mut(),
                &current,
                &password,
                code.as_deref().map(|c| c.as_str()),
            )?;
            if *json {
                let shown: Vec<String> = codes.iter().map(|c| c.display().to_string()).collect();
                context.ui.print_json(&json!({ "recovery_codes": shown }))?;
            } else {
                print_codes(context, &codes)?;
                context.ui.say(&format!(
                    "Made {} new recovery codes for {}; the old ones no longer work.",
                    codes.len(),
                    current.user.username
                ));
            }
            Ok(())
        }
    }
}

/// The password, and (when `needs_code`) a code: prompted for on a terminal,
/// or the first two lines of standard input.
fn password_and_code(
    password_stdin: bool,
    needs_code: bool,
    command: &str,
) -> Result<(Zeroizing<String>, Option<Zeroizing<String>>)> {
    if password_stdin {
        let password = prompt::password_from_stdin()?;
        let code = if needs_code {
            prompt::code_from_stdin()?
        } else {
            None
        };
        return Ok((password, code));
    }
    if !prompt::interactive() {
        return Err(prompt::no_terminal(&format!(
            "printf '%s\\n%s\\n' \"$PW\" \"$CODE\" | latch mfa {command} --password-stdin"
        )));
    }
    let password = prompt::password("Password: ")?;
    let code = if needs_code {
        Some(prompt::code("Code: ")?)
    } else {
        None
    };
    Ok((password, code))
}

fn enable(context: &Context, password_stdin: bool, json: bool) -> Result<()> {
    let super::LoggedIn {
        mut store, current, ..
    } = context.enrolment_session()?;
    let password = if password_stdin {
        prompt::password_from_stdin()?
    } else if prompt::interactive() {
        prompt::password("Password: ")?
    } else {
        return Err(prompt::no_terminal(
            "printf '%s\\n' \"$PW\" | latch mfa enable --password-stdin",
        ));
    };
    let store_name = context.location.to_string();
    let enrolment = accounts::begin_enrolment(store.as_mut(), &current, &password, &store_name)?;
    if json {
        context.ui.print_json(&json!({
            "secret": enrolment.secret.as_str(),
            "otpauth_uri": enrolment.otpauth_uri.as_str(),
        }))?;
        return Ok(());
    }
    match &enrolment.qr {
        Some(qr) => context.ui.print(qr)?,
        None => context.ui.warn(
            "the QR code would not fit an 80-column terminal: type the secret into the app instead",
        ),
    }
    context
        .ui
        .print(&format!("URI:    {}", enrolment.otpauth_uri.as_str()))?;
    context
        .ui
        .print(&format!("Secret: {}", enrolment.secret.as_str()))?;
    if password_stdin || !prompt::interactive() {
        context.ui.say(
            "Scan the QR code (or type the secret) into an authenticator app, then confirm \
             with a code from it: `latch mfa confirm`.",
        );
        return Ok(());
    }
    let code = prompt::code("Code from the app: ")?;
    let codes = accounts::confirm_enrolment(store.as_mut(), &current, &code)?;
    show_confirmed(context, &current.user.username, &codes)?;
    Ok(())
}

fn print_codes(context: &Context, codes: &[RecoveryCode]) -> Result<()> {
    context
        .ui
        .say("Recovery codes (each works once in place of a code; they are not shown again):");
    for code in codes {
        context.ui.print(&code.display())?;
    }
    Ok(())
}

fn show_confirmed(context: &Context, username: &str, codes: &[RecoveryCode]) -> Result<()> {
    print_codes(context, codes)?;
    context.ui.say(&format!(
        "Confirmed the second factor of {username}: logins now ask for a code after the password."
    ));
    Ok(())
}

fn status(context: &Context, json: bool) -> Result<()> {
    let super::LoggedIn { store, current, .. } = context.enrolment_session()?;
    let user = &current.user;
    let summary = accounts::factor_status(store.as_ref(), user)?;
    let required = store.policy()?.mfa_required.applies_to(user.is_superuser);
    if json {
        context.ui.print_json(&json!({
            "username": user.username,
            "mfa": summary.confirmed,
            "pending": summary.pending,
            "recovery_codes_left": summary.recovery_codes_left,
            "confirmed_at": summary.confirmed_at.map(timestamp::rfc3339),
            "required": required,
        }))?;
        return Ok(());
    }
    let mut lines = vec![if summary.confirmed {
        format!(
            "{} has a second factor (TOTP), confirmed {}; {} recovery code{} left.",
            user.username,
            summary
                .confirmed_at
                .map_or_else(|| "at import".to_owned(), timestamp::human),
            summary.recovery_codes_left,
            if summary.recovery_codes_left == 1 {
                ""
            } else {
                "s"
            }
        )
    } else if summary.pending {
        format!(
            "{} has a second factor waiting to be confirmed with `latch mfa confirm`.",
            user.username
        )
    } else {
        format!("{} has no second factor.", user.username)
    }];
    if required && !summary.confirmed {
        lines.push(format!(
            "The policy requires one: until it is enrolled, only {} work.",
            accounts::FACTOR_COMMANDS
        ));
    }
    context.ui.print(&lines.join("\n"))?;
    Ok(())
}
