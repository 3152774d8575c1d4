//! The command line: clap definitions of the global options and one module per
//! command. Each command reads its input, calls `accounts`, and shows the
//! result; none of them touches SQL or a keyring directly.

mod completions;
mod export;
mod history;
mod import;
mod login;
mod logout;
mod passwd;
mod policy;
pub mod prompt;
mod register;
mod sessions;
mod users;
mod whoami;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::accounts;
use crate::error::{Error, Result};
use crate::output::{ColorChoice, Ui};
use crate::store::postgres::conninfo::ProcessEnvironment;
use crate::store::{AccountStore, OpenMode, SqliteStore, StoreLocation};
use crate::token_store::{self, TokenStore, TokenStoreKind};

const ABOUT: &str = "Register accounts, log in, see who is logged in, and log out";

const LONG_ABOUT: &str = "\
latch manages accounts in a store that other programs can read too: an SQLite file whose \
users table has Django's auth_user columns, with passwords hashed as Django does \
(PBKDF2-HMAC-SHA256). A login keeps its session token in the OS keyring, never on screen.";

const AFTER_LONG_HELP: &str = "\
Exit status:
  0 success                 5 locked out
  1 internal error          6 username or email taken
  2 usage error             7 token store unavailable
  3 invalid input           8 account store error
  4 not authenticated       9 not permitted (needs an admin)
  130 interrupted at a prompt

Examples:
  latch register alice --email alice@example.com
  printf '%s\\n' \"$PW\" | latch login alice --password-stdin
  if latch whoami -q; then echo \"logged in\"; fi";

#[derive(Debug, Parser)]
#[command(
    name = "latch",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_long_help = AFTER_LONG_HELP,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The account store [default: $XDG_DATA_HOME/latch/latch.db]
    ///
    /// An SQLite file. The first register creates it (directory 0700, file
    /// 0600); the other commands never create one. A store that other users
    /// can write to is refused.
    ///
    /// A postgres:// or postgresql:// URL, or a libpq key=value string (text
    /// with = in it, such as "host=db dbname=app"), names a PostgreSQL store,
    /// completed from libpq's PG* variables; this version of latch cannot
    /// open one yet (exit 8). Any other scheme (mysql://...) is refused (exit
    /// 3). A file path with = or :// in it is given as ./PATH or /PATH.
    #[arg(long, env = "LATCH_DB", value_name = "PATH", global = true)]
    pub db: Option<PathBuf>,

    /// Where the session token is kept
    ///
    /// latch never falls back from one to another: a token store that cannot
    /// be used is exit 7, with the cause and the other choices.
    #[arg(
        long,
        env = "LATCH_TOKEN_STORE",
        value_enum,
        value_name = "STORE",
        default_value_t = TokenStoreKind::Keyring,
        global = true
    )]
    pub token_store: TokenStoreKind,

    /// Print nothing on success
    ///
    /// Leaves out the confirmations on stderr ("Registered alice."). whoami -q
    /// prints neither the username nor "not logged in" (only --json output):
    /// the exit status is the answer. Other errors, and warnings, are still
    /// printed.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// When to colour messages
    ///
    /// Colours the error, warning and hint labels on stderr.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

/// The commands. Each command's arguments are built only when it runs
/// (`defer`), so a `whoami` does not pay for building the others'; their
/// one-line descriptions, which `latch --help` lists, are therefore here.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Create an account
    Register(register::RegisterArgs),
    /// Log in and keep the session token in the token store
    Login(login::LoginArgs),
    /// End the session and remove its token from the token store
    Logout(logout::LogoutArgs),
    /// Print the logged-in username
    Whoami(whoami::WhoamiArgs),
    /// Change your password
    Passwd(passwd::PasswdArgs),
    /// Administer accounts (admins only)
    Users(users::UsersArgs),
    /// Show the audit trail
    History(history::HistoryArgs),
    /// Show or change the store's policy
    Policy(policy::PolicyArgs),
    /// List or end sessions
    Sessions(sessions::SessionsArgs),
    /// Import users from a file (admins only)
    Import(import::ImportArgs),
    /// Export every user, password hashes included (admins only)
    Export(export::ExportArgs),
    /// Print the completion script for a shell
    Completions(completions::CompletionsArgs),
}

impl Cli {
    /// Whether errors should be JSON.
    pub fn json(&self) -> bool {
        match &self.command {
            Command::Whoami(args) => args.json,
            Command::History(args) => args.json,
            Command::Policy(args) => args.json(),
            Command::Users(args) => args.json(),
            Command::Sessions(args) => args.json(),
            _ => false,
        }
    }

    pub fn ui(&self) -> Ui {
        Ui {
            color: self.global.color.enabled(),
            json: self.json(),
            quiet: self.global.quiet,
            quiet_when_unauthenticated: self.global.quiet
                && matches!(self.command, Command::Whoami(_)),
        }
    }
}

/// Runs the parsed command.
pub fn run(cli: &Cli, ui: &Ui) -> Result<()> {
    // Resolved only by the commands that use a store: `completions` works
    // without HOME or a keyring.
    let context = || Context::new(&cli.global, *ui);
    match &cli.command {
        Command::Register(args) => register::run(&context()?, args),
        Command::Login(args) => login::run(&context()?, args),
        Command::Logout(args) => logout::run(&context()?, args),
        Command::Whoami(args) => whoami::run(&context()?, args),
        Command::Passwd(args) => passwd::run(&context()?, args),
        Command::Users(args) => users::run(&context()?, args),
        Command::History(args) => history::run(&context()?, args),
        Command::Policy(args) => policy::run(&context()?, args),
        Command::Sessions(args) => sessions::run(&context()?, args),
        Command::Import(args) => import::run(&context()?, args),
        Command::Export(args) => export::run(&context()?, args),
        Command::Completions(args) => completions::run(args),
    }
}

/// What every command needs: where the store is, which token store, and the UI.
#[derive(Debug)]
pub struct Context {
    pub location: StoreLocation,
    pub token_store: TokenStoreKind,
    pub ui: Ui,
}

impl Context {
    fn new(global: &GlobalArgs, ui: Ui) -> Result<Self> {
        let location = match &global.db {
            Some(path) if path.as_os_str().is_empty() => {
                return Err(Error::usage(
                    "the store path is empty",
                    Some("pass a file path with --db or LATCH_DB, or unset LATCH_DB".into()),
                ));
            }
            Some(given) => StoreLocation::parse(given.as_os_str(), &ProcessEnvironment)?,
            None => dirs::data_dir()
                .map(|dir| StoreLocation::File(dir.join("latch").join("latch.db")))
                .ok_or_else(|| {
                    Error::usage(
                        "there is no data directory for the default store (HOME is not set)",
                        Some("pass the store with --db PATH or LATCH_DB".into()),
                    )
                })?,
        };
        if location.holds_password() {
            ui.warn(
                "the store location holds a password, which other users may see (ps, shell \
                 history); use PGPASSWORD or ~/.pgpass instead",
            );
        }
        // Until latch has its PostgreSQL backend, a command on such a store
        // stops here: no prompt, no token-store lookup, nothing created.
        location.file()?;
        Ok(Context {
            location,
            token_store: global.token_store,
            ui,
        })
    }

    pub fn open_store(&self, mode: OpenMode) -> Result<Option<SqliteStore>> {
        SqliteStore::open(self.location.file()?, mode)
    }

    /// The store, created if need be.
    pub fn create_store(&self) -> Result<SqliteStore> {
        self.open_store(OpenMode::Create)?
            .ok_or_else(|| Error::Internal("a created store was not opened".into()))
    }

    /// The token store chosen with `--token-store`; the file store is warned about.
    pub fn tokens(&self) -> Result<Box<dyn TokenStore>> {
        let tokens = self.quiet_tokens()?;
        self.warn_about_token_store()?;
        Ok(tokens)
    }

    /// The token store, before the file store's warning: for a login that
    /// starts reading the previous token while it checks the password, and
    /// warns only once the password is right.
    pub fn quiet_tokens(&self) -> Result<Box<dyn TokenStore>> {
        token_store::open(self.token_store)
    }

    /// Warns that the token is kept in a plain file, when it is.
    pub fn warn_about_token_store(&self) -> Result<()> {
        if self.token_store == TokenStoreKind::File {
            let path = token_store::FileTokenStore::in_state_dir()?;
            self.ui.warn(&format!(
                "the session token is kept in a plain file ({}); anyone who can read it can use the session",
                path.path().display()
            ));
        }
        Ok(())
    }

    /// The key of this store's entry in the token store.
    pub fn token_key(&self) -> String {
        accounts::token_key(&self.location)
    }

    /// Who is logged in, with the store and token store they are logged in
    /// to (exit 4 if nobody).
    pub fn session(&self) -> Result<LoggedIn> {
        let tokens = self.tokens()?;
        let key = self.token_key();
        // Without a token there is no session: the store is not even opened,
        // so a `whoami` with nobody logged in costs one token-store lookup.
        let token = accounts::kept_token(tokens.as_ref(), &key)?;
        let mut store = self.open_store(OpenMode::Existing)?;
        let current = accounts::current_by_token(
            store.as_mut().map(|s| s as &mut dyn AccountStore),
            tokens.as_ref(),
            &key,
            token,
        )?;
        let store = store.ok_or_else(|| Error::Internal("a session without a store".into()))?;
        Ok(LoggedIn {
            store,
            current,
            tokens,
        })
    }

    /// The logged-in admin (exit 4 if nobody, 9 if not an admin).
    pub fn admin_session(&self) -> Result<LoggedIn> {
        let session = self.session()?;
        accounts::require_admin(&session.current.user)?;
        Ok(session)
    }
}

/// A command's view of the logged-in user.
pub struct LoggedIn {
    pub store: SqliteStore,
    pub current: accounts::Current,
    pub tokens: Box<dyn TokenStore>,
}

impl std::fmt::Debug for LoggedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoggedIn")
            .field("user", &self.current.user.username)
            .field("session", &self.current.session.id)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_valid() {
        Cli::command().debug_assert();
    }

    /// `latch --help` lists each command with the description on its
    /// `Command` variant; the command's own help, built when it runs, takes
    /// its struct's. The two must say the same.
    #[test]
    fn each_command_is_described_alike_in_the_list_and_in_its_own_help() {
        let listed = Cli::command();
        let mut built = Cli::command();
        built.build();
        for command in listed.get_subcommands() {
            let own = built
                .find_subcommand(command.get_name())
                .expect("the command, built");
            assert_eq!(
                command.get_about().map(ToString::to_string),
                own.get_about().map(ToString::to_string),
                "{}",
                command.get_name()
            );
        }
    }
}
