//! The command line: clap definitions of the global options and one module per
//! command. Each command reads its input, calls `accounts`, and shows the
//! result; none of them touches SQL or a keyring directly.

mod completions;
mod export;
mod history;
mod import;
mod login;
mod logout;
mod mfa;
mod passwd;
mod policy;
pub mod prompt;
mod register;
mod sessions;
mod store;
mod users;
mod verify;
mod whoami;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::accounts;
use crate::error::{Error, Result};
use crate::output::{ColorChoice, Ui};
use crate::store::postgres::conninfo::ProcessEnvironment;
use crate::store::{AccountStore, OpenMode, StoreLocation};
use crate::token_store::{self, TokenStore, TokenStoreKind};

const ABOUT: &str = "Register accounts, log in, see who is logged in, and log out";

const LONG_ABOUT: &str = "\
latch manages accounts in a store that other programs can read too: an SQLite file whose \
users table has Django's auth_user columns, with passwords hashed as Django does \
(PBKDF2-HMAC-SHA256). A login keeps its session token in the OS keyring, never on screen.";

#[derive(Debug, Parser)]
#[command(
    name = "latch",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_long_help = crate::docs::help::after_long_help(),
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
    /// completed from libpq's PG* variables and password file; latch's tables
    /// are in its schema `latch`. Any other scheme (mysql://...) is refused
    /// (exit 3). A file path with = or :// in it is given as ./PATH or /PATH.
    #[arg(long, env = "LATCH_DB", value_name = "PATH", global = true,
          value_parser = EmptyEnvIsUnset::new("LATCH_DB", clap::builder::PathBufValueParser::new()))]
    pub db: Option<PathBuf>,

    /// Where the session token is kept
    ///
    /// latch never falls back from one to another: a token store that cannot
    /// be used is exit 7, with the cause and the other choices.
    #[arg(
        long,
        env = "LATCH_TOKEN_STORE",
        value_name = "STORE",
        default_value_t = TokenStoreKind::Keyring,
        value_parser = EmptyEnvIsUnset::new(
            "LATCH_TOKEN_STORE",
            clap::builder::EnumValueParser::<TokenStoreKind>::new(),
        ),
        global = true
    )]
    pub token_store: TokenStoreKind,

    /// Print nothing on success
    ///
    /// Leaves out the confirmations on stderr ("Registered alice."). whoami -q
    /// prints neither the username nor "not logged in", and verify -q neither a
    /// wrong password nor a lock (only --json output): the exit status is the
    /// answer. Other errors, and warnings, are still printed.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// When to colour messages
    ///
    /// Colours the error, warning and hint labels on stderr.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

/// A value parser for an option with an `env` fallback that takes an empty
/// variable (`LATCH_DB=`) for an unset one, as shells and `env -u` users
/// expect: the empty value parses as `T::default()`, which the option then
/// reads as "not given" (an empty path is the default store; the default
/// token store). An empty value on the command line is still refused.
#[derive(Clone)]
struct EmptyEnvIsUnset<P> {
    variable: &'static str,
    inner: P,
}

impl<P> EmptyEnvIsUnset<P> {
    fn new(variable: &'static str, inner: P) -> Self {
        EmptyEnvIsUnset { variable, inner }
    }
}

impl<P> clap::builder::TypedValueParser for EmptyEnvIsUnset<P>
where
    P: clap::builder::TypedValueParser,
    P::Value: Default,
{
    type Value = P::Value;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<Self::Value, clap::Error> {
        let from_empty_env = value.is_empty()
            && std::env::var_os(self.variable).is_some_and(|v| v.is_empty())
            && !std::env::args_os().any(|a| {
                let flag = format!(
                    "--{}",
                    arg.map_or("", |a| a.get_id().as_str()).replace('_', "-")
                );
                a == flag.as_str() || a.to_string_lossy().starts_with(&format!("{flag}="))
            });
        if from_empty_env {
            return Ok(P::Value::default());
        }
        self.inner.parse_ref(command, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        self.inner.possible_values()
    }
}

/// The commands. Each one's description, the line `latch --help` lists
/// included, is the doc comment of its arguments' struct.
#[derive(Debug, Subcommand)]
pub enum Command {
    Register(register::RegisterArgs),
    Login(login::LoginArgs),
    Logout(logout::LogoutArgs),
    Whoami(whoami::WhoamiArgs),
    Passwd(passwd::PasswdArgs),
    Users(users::UsersArgs),
    History(history::HistoryArgs),
    Policy(policy::PolicyArgs),
    Sessions(sessions::SessionsArgs),
    Import(import::ImportArgs),
    Export(export::ExportArgs),
    Store(store::StoreArgs),
    Mfa(mfa::MfaArgs),
    Verify(verify::VerifyArgs),
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
            Command::Mfa(args) => args.json(),
            Command::Verify(args) => args.json,
            _ => false,
        }
    }

    pub fn ui(&self) -> Ui {
        Ui {
            color: self.global.color.enabled(),
            json: self.json(),
            quiet: self.global.quiet,
            quiet_when_unauthenticated: self.global.quiet
                && matches!(self.command, Command::Whoami(_) | Command::Verify(_)),
            brief: matches!(&self.command, Command::Verify(args) if args.pam),
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
        Command::Store(args) => store::run(&context()?, args),
        Command::Mfa(args) => mfa::run(&context()?, args),
        Command::Verify(args) => verify::run(&context()?, args),
        Command::Completions(args) => completions::run(args),
    }
}

/// What every command needs: where the store is, which token store, and the UI.
#[derive(Debug)]
pub struct Context {
    /// Where the store is: a file, or a PostgreSQL database.
    pub location: StoreLocation,
    /// Whether the store was named (--db or LATCH_DB), not the default.
    pub db_named: bool,
    pub token_store: TokenStoreKind,
    pub ui: Ui,
}

impl Context {
    fn new(global: &GlobalArgs, ui: Ui) -> Result<Self> {
        // An empty path is an empty LATCH_DB, which counts as unset (an
        // empty --db is refused while parsing).
        let location = match &global.db {
            Some(given) if !given.as_os_str().is_empty() => {
                StoreLocation::parse(given.as_os_str(), &ProcessEnvironment)?
            }
            // $XDG_DATA_HOME when it is an absolute path, else ~/.local/share,
            // the home being $HOME or, when HOME is unset or empty, the
            // user database's (as `dirs` finds it).
            _ => dirs::data_dir()
                .map(|dir| StoreLocation::File(dir.join("latch").join("latch.db")))
                .ok_or_else(|| {
                    Error::usage(
                        "there is no data directory for the default store \
                         (XDG_DATA_HOME and HOME are not set, and the user database gives no home)",
                        Some("pass the store with --db PATH or LATCH_DB".into()),
                    )
                })?,
        };
        if let Some(warning) = location.password_warning() {
            ui.warn(warning);
        }
        Ok(Context {
            db_named: global
                .db
                .as_ref()
                .is_some_and(|p| !p.as_os_str().is_empty()),
            location,
            token_store: global.token_store,
            ui,
        })
    }

    pub fn open_store(&self, mode: OpenMode) -> Result<Option<Box<dyn AccountStore>>> {
        crate::store::open(&self.location, mode, &mut |warning| self.ui.warn(&warning))
    }

    /// The store, created if need be.
    pub fn create_store(&self) -> Result<Box<dyn AccountStore>> {
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
    /// to (exit 4 if nobody; exit 9 if the policy `mfa-required` asks them
    /// to enrol a second factor first).
    pub fn session(&self) -> Result<LoggedIn> {
        let session = self.enrolment_session()?;
        accounts::require_enrolled(session.store.as_ref(), &session.current.user)?;
        Ok(session)
    }

    /// Who is logged in, whether or not they still have to enrol a second
    /// factor: for the `mfa` commands.
    pub fn enrolment_session(&self) -> Result<LoggedIn> {
        let tokens = self.tokens()?;
        let key = self.token_key();
        // Without a token there is no session: the store is not even opened,
        // so a `whoami` with nobody logged in costs one token-store lookup.
        let token = accounts::kept_token(tokens.as_ref(), &key)?;
        let mut store = self.open_store(OpenMode::Existing)?;
        let current = accounts::current_by_token(
            store.as_deref_mut().map(|s| s as &mut dyn AccountStore),
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
    pub store: Box<dyn AccountStore>,
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
}
