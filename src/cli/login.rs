//! `latch login`: check a username and password, and start a session.

use clap::Args;

use super::{Context, prompt};
use crate::accounts;
use crate::error::{Error, Result};
use crate::password::hasher;
use crate::policy::Policy;
use crate::store::OpenMode;

/// Log in and keep the session token in the token store
///
/// Prompts for the username (when none is given) and the password on a
/// terminal; scripts pipe the password in with --password-stdin. A wrong
/// password, an unknown user and a disabled account all get the same answer
/// (exit 4). A login replaces this store's previous session.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
    latch login alice\n  \
    printf '%s\\n' \"$PW\" | latch login alice --password-stdin\n  \
    latch --token-store keyutils login alice    # a headless server")]
pub struct LoginArgs {
    /// The username (prompted for on a terminal when left out)
    pub username: Option<String>,

    /// Read the password from the first line of standard input
    ///
    /// Its final newline is dropped. Without this flag, and without a terminal
    /// to prompt on, login fails at once (exit 2).
    #[arg(long)]
    pub password_stdin: bool,
}

pub fn run(context: &Context, args: &LoginArgs) -> Result<()> {
    let username = match &args.username {
        Some(username) => username.clone(),
        None if prompt::interactive() => prompt::line("Username: ")?,
        None => {
            return Err(Error::usage(
                "no USERNAME given, and no terminal to ask for it on",
                Some("latch login USERNAME --password-stdin".into()),
            ));
        }
    };
    let password = if args.password_stdin {
        prompt::password_from_stdin()?
    } else if prompt::interactive() {
        prompt::password("Password: ")?
    } else {
        return Err(prompt::no_terminal(
            "printf '%s\\n' \"$PW\" | latch login NAME --password-stdin",
        ));
    };

    let Some(mut store) = context.open_store(OpenMode::Existing)? else {
        // No store, so no such user: the same answer, after the same time.
        hasher::spend_one_hash(&password, Policy::default().pbkdf2_iterations);
        return Err(Error::not_authenticated(
            "invalid username or password",
            Some(format!(
                "there is no account store at {} yet: register first, or pass --db",
                context.location
            )),
        ));
    };
    // Read this store's previous token on the keyring's worker thread while
    // the password hash runs here; a failed login does not wait for it.
    let tokens = context.quiet_tokens()?;
    let key = context.token_key();
    let previous = tokens.start_load(&key);
    let authenticated = accounts::authenticate(&mut store, &username, &password)?;
    context.warn_about_token_store()?;
    let logged_in =
        accounts::start_session(&mut store, tokens.as_ref(), &key, authenticated, previous)?;
    context.ui.say(&format!(
        "Logged in as {} (the session ends {}).",
        logged_in.user.username,
        crate::timestamp::human(logged_in.expires_at)
    ));
    Ok(())
}
