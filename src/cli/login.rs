//! `latch login`: check a username and password, and start a session.

use clap::Args;

use super::{Context, prompt};
use crate::accounts;
use crate::error::{Error, Result};
use crate::store::OpenMode;

/// Log in and keep the session token in the token store
///
/// Prompts for the username (when none is given) and the password on a
/// terminal; scripts pipe the password in with --password-stdin. A wrong
/// password, an unknown user and a disabled account all get the same answer
/// (exit 4). A login replaces this store's previous session.
///
/// For an account with a second factor, login then asks for a code from the
/// app (or a recovery code); with --password-stdin it is the second line of
/// standard input. A missing, wrong or replayed code gets the same answer as
/// a wrong password, and counts toward the lockout like one.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
    latch login alice\n  \
    printf '%s\\n' \"$PW\" | latch login alice --password-stdin\n  \
    printf '%s\\n%s\\n' \"$PW\" \"$CODE\" | latch login alice --password-stdin\n  \
    latch --token-store keyutils login alice    # a headless server")]
pub struct LoginArgs {
    /// The username (prompted for on a terminal when left out)
    pub username: Option<String>,

    /// Read the password from the first line of standard input
    ///
    /// Its final newline is dropped. For an account with a second factor,
    /// the second line is the code. Without this flag, and without a terminal
    /// to prompt on, login fails at once (exit 2).
    #[arg(long)]
    pub password_stdin: bool,
}

pub fn run(context: &Context, args: &LoginArgs) -> Result<()> {
    let username = prompt::username(
        args.username.as_ref(),
        "latch login USERNAME --password-stdin",
    )?;
    // A name no account can have is refused before the password is asked
    // for: it is not recorded, counted or hashed against.
    crate::validate::login_name(&username).map_err(Error::InvalidInput)?;
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
        return Err(accounts::no_store(&password, &context.location));
    };
    // Read this store's previous token on the keyring's worker thread while
    // the password hash runs here; a failed login does not wait for it.
    let tokens = context.quiet_tokens()?;
    let key = context.token_key();
    let previous = tokens.start_load(&key);
    let authenticated = accounts::authenticate(store.as_mut(), &username, &password)?;
    let authenticated = if authenticated.needs_code() {
        let code = if args.password_stdin {
            // A line that cannot be read is no code: a failed one.
            prompt::code_from_stdin().unwrap_or_else(|_| Some(Default::default()))
        } else {
            Some(prompt::code("Code: ")?)
        };
        accounts::check_second_factor(
            store.as_mut(),
            authenticated,
            code.as_deref().map(|c| c.as_str()),
            "login",
        )?
    } else {
        authenticated
    };
    context.warn_about_token_store()?;
    let logged_in = accounts::start_session(
        store.as_mut(),
        tokens.as_ref(),
        &key,
        authenticated,
        previous,
    )?;
    context.ui.say(&format!(
        "Logged in as {} (the session ends {}).",
        logged_in.user.username,
        crate::timestamp::human(logged_in.expires_at)
    ));
    if accounts::enrolment_required(store.as_ref(), &logged_in.user)? {
        context.ui.warn(&format!(
            "the policy requires a second factor for {}: enrol one with `latch mfa enable`;              until then only {} work",
            logged_in.user.username,
            accounts::FACTOR_COMMANDS
        ));
    }
    Ok(())
}
