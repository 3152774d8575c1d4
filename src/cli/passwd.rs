//! `latch passwd`: change the logged-in user's own password.

use clap::Args;

use super::{Context, prompt};
use crate::accounts::{self, PasswordChange};
use crate::error::Result;

/// Change your password
///
/// Asks for the current password, then the new one twice. With
/// --password-stdin, standard input holds two lines: the current password,
/// then the new one. Every other session of the account ends; this one goes
/// on. A wrong current password counts towards the lockout like a failed login.
///
/// For an account with a second factor, a code is asked for after the current
/// password; with --password-stdin it is the line between the current and
/// the new password.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
    latch passwd\n  \
    printf '%s\\n%s\\n' \"$OLD\" \"$NEW\" | latch passwd --password-stdin")]
pub struct PasswdArgs {
    /// Read the current and the new password from the first two lines of standard input
    #[arg(long)]
    pub password_stdin: bool,
}

pub fn run(context: &Context, args: &PasswdArgs) -> Result<()> {
    if !args.password_stdin && !prompt::interactive() {
        return Err(prompt::no_terminal(
            "printf '%s\\n%s\\n' \"$OLD\" \"$NEW\" | latch passwd --password-stdin",
        ));
    }
    let super::LoggedIn {
        mut store, current, ..
    } = context.session()?;
    let needs_code = accounts::factor_status(store.as_ref(), &current.user)?.confirmed;
    let (old, code, new, confirmation) = if args.password_stdin && needs_code {
        let old = prompt::password_from_stdin()?;
        let code = prompt::code_from_stdin()?;
        let new = prompt::password_from_stdin()?;
        (old, code, new, None)
    } else if args.password_stdin {
        let mut lines = prompt::password_lines_from_stdin(2)?.into_iter();
        let old = lines.next().unwrap_or_default();
        let new = lines.next().unwrap_or_default();
        (old, None, new, None)
    } else {
        let old = prompt::password("Current password: ")?;
        let code = if needs_code {
            Some(prompt::code("Code: ")?)
        } else {
            None
        };
        let new = prompt::password("New password: ")?;
        let again = prompt::password("New password (again): ")?;
        (old, code, new, Some(again))
    };
    let ended = accounts::change_password(
        store.as_mut(),
        &current,
        &PasswordChange {
            current: &old,
            new: &new,
            confirmation: confirmation.as_deref().map(String::as_str),
            code: code.as_deref().map(String::as_str),
        },
    )?;
    context.ui.say(&format!(
        "Changed the password of {}; ended {ended} other session{}.",
        current.user.username,
        if ended == 1 { "" } else { "s" }
    ));
    Ok(())
}
