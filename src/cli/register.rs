//! `latch register`: create an account, and with `--login` log in to it.

use clap::Args;

use super::{Context, prompt};
use crate::accounts::{self, Admin, Registration};
use crate::error::{Error, Result};
use crate::store::{AccountStore, OpenMode, User};

/// Create an account
///
/// Prompts for the password twice, without echo, on a terminal; scripts pipe it
/// in with --password-stdin. By default the password needs 15 to 1024
/// characters; it must not be easy to guess, and there are no rules about
/// character classes. Every
/// problem with the username, email and password is reported at once (exit 3);
/// a username or email that is taken, in any letter case, is exit 6.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
    latch register alice --email alice@example.com\n  \
    printf '%s\\n' \"$PW\" | latch register alice --email alice@example.com --password-stdin --login")]
pub struct RegisterArgs {
    /// The username: 1-150 letters, digits and _ . @ + -
    ///
    /// Unique without regard to case: Alice and alice are one name. The
    /// spelling registered first is the one shown.
    pub username: String,

    /// The email address
    ///
    /// At most 254 characters; unique without regard to case.
    #[arg(long, value_name = "EMAIL")]
    pub email: String,

    /// Read the password from the first line of standard input
    ///
    /// Its final newline is dropped. It is read once: there is no
    /// confirmation. Without this flag, and without a terminal to prompt on,
    /// register fails at once (exit 2).
    #[arg(long)]
    pub password_stdin: bool,

    /// Log in as the new account right away
    ///
    /// The login replaces this store's previous session. If it fails, the
    /// account stays registered.
    #[arg(long)]
    pub login: bool,

    /// Make the account an admin
    ///
    /// Anyone may register the first admin of a store that has none. After
    /// that, only a logged-in admin can create another (exit 9 otherwise).
    #[arg(long)]
    pub admin: bool,
}

pub fn run(context: &Context, args: &RegisterArgs) -> Result<()> {
    let (password, confirmation) = if args.password_stdin {
        (prompt::password_from_stdin()?, None)
    } else if prompt::interactive() {
        let password = prompt::password("Password: ")?;
        let again = prompt::password("Password (again): ")?;
        (password, Some(again))
    } else {
        return Err(prompt::no_terminal(
            "printf '%s\\n' \"$PW\" | latch register NAME --email EMAIL --password-stdin",
        ));
    };

    // Check the input before creating anything: a refused registration leaves
    // no new store behind.
    let mut existing = context.open_store(OpenMode::Existing)?;
    let policy = match &existing {
        Some(store) => store.policy()?,
        None => Default::default(),
    };
    let (admin, granted_by) = match existing.as_deref_mut() {
        _ if !args.admin => (Admin::No, None),
        Some(store) if store.has_admin()? => (
            Admin::GrantedByAdmin,
            Some(logged_in_admin(context, store)?),
        ),
        _ => (Admin::Bootstrap, None),
    };
    let checked = accounts::check_registration(
        &Registration {
            username: &args.username,
            email: &args.email,
            password: &password,
            confirmation: confirmation.as_deref().map(String::as_str),
            admin,
        },
        &policy,
    )?;

    let mut store = match existing {
        Some(store) => store,
        None => context.create_store()?,
    };
    let registered = accounts::register(store.as_mut(), checked, granted_by.as_ref())?;
    let username = registered.user.username.clone();
    let role = if registered.user.is_superuser {
        " (admin)"
    } else {
        ""
    };
    context.ui.say(&format!("Registered {username}{role}."));

    if args.login {
        let tokens = context.tokens()?;
        let key = context.token_key();
        let previous = tokens.start_load(&key);
        let logged_in =
            accounts::start_session(store.as_mut(), tokens.as_ref(), &key, registered, previous)
                .inspect_err(|_| {
                    context.ui.warn(&format!(
                        "{username} was registered, but could not be logged in"
                    ));
                })?;
        context.ui.say(&format!(
            "Logged in as {} (the session ends {}).",
            logged_in.user.username,
            crate::timestamp::human(logged_in.expires_at)
        ));
    }
    Ok(())
}

/// Creating a second admin needs an admin's session on this store.
fn logged_in_admin(context: &Context, store: &mut dyn AccountStore) -> Result<User> {
    let tokens = context.tokens()?;
    let current = accounts::current(Some(store), tokens.as_ref(), &context.token_key());
    match current {
        Ok(current) if current.user.is_superuser => Ok(current.user),
        Ok(current) => Err(Error::NotPermitted(format!(
            "only an admin can create another admin, and {} is not one",
            current.user.username
        ))),
        Err(Error::NotAuthenticated { .. }) => Err(Error::NotPermitted(
            "this store has an admin already: log in as an admin to create another".into(),
        )),
        Err(e) => Err(e),
    }
}
