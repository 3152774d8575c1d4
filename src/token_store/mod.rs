//! Where the session token lives between commands: the OS keyring (Secret
//! Service), the Linux kernel keyring (keyutils), or a 0600 file.
//!
//! One entry per account store, keyed by the store's absolute path. A store
//! that cannot be used is `Error::TokenStoreUnavailable` (exit 7) with the
//! real cause and the alternatives: there is never a silent fallback from one
//! kind to another. The token passes through here and nowhere else: never to
//! stdout, a log, or an error message.

mod file;
mod keyring;
#[cfg(target_os = "linux")]
mod secret_service;

use std::fmt;

pub use file::FileTokenStore;
pub use keyring::KeyringTokenStore;

use crate::error::Result;
use crate::session::SessionToken;

/// The kinds of token store, as `--token-store` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum TokenStoreKind {
    /// The desktop keyring: Secret Service on Linux.
    #[default]
    Keyring,
    /// The Linux kernel session keyring only, for headless servers; gone when it ends.
    Keyutils,
    /// A plain 0600 file in the state directory: an explicit, warned-about opt-in.
    File,
}

impl TokenStoreKind {
    pub const ALL: [TokenStoreKind; 3] = [
        TokenStoreKind::Keyring,
        TokenStoreKind::Keyutils,
        TokenStoreKind::File,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TokenStoreKind::Keyring => "keyring",
            TokenStoreKind::Keyutils => "keyutils",
            TokenStoreKind::File => "file",
        }
    }
}

impl fmt::Display for TokenStoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place that keeps one session token per account store.
pub trait TokenStore {
    fn kind(&self) -> TokenStoreKind;

    /// The token kept for `store_key`; `None` when there is none, or when what
    /// is kept is not a latch token.
    fn load(&self, store_key: &str) -> Result<Option<SessionToken>>;

    /// Starts `load` where it can run beside other work (a keyring's worker
    /// thread), so that a login reads the previous token while it hashes.
    /// Nothing waits for it unless `PendingLoad::wait` is called.
    fn start_load(&self, store_key: &str) -> PendingLoad {
        let loaded = self.load(store_key);
        PendingLoad::new(move || loaded)
    }

    /// Keeps `token` for `store_key`, replacing any token kept before.
    fn save(&self, store_key: &str, token: &SessionToken) -> Result<()>;

    /// Forgets the token of `store_key`; `false` when there was none.
    fn remove(&self, store_key: &str) -> Result<bool>;
}

/// A `load` under way; `wait` gives its answer (within the store's deadline).
pub struct PendingLoad(Box<dyn FnOnce() -> Result<Option<SessionToken>> + Send>);

impl PendingLoad {
    pub fn new(wait: impl FnOnce() -> Result<Option<SessionToken>> + Send + 'static) -> Self {
        PendingLoad(Box::new(wait))
    }

    pub fn wait(self) -> Result<Option<SessionToken>> {
        (self.0)()
    }
}

impl fmt::Debug for PendingLoad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PendingLoad")
    }
}

/// The token store of `kind`. Nothing is connected until the first call.
pub fn open(kind: TokenStoreKind) -> Result<Box<dyn TokenStore>> {
    Ok(match kind {
        TokenStoreKind::Keyring => Box::new(KeyringTokenStore::secret_service()),
        TokenStoreKind::Keyutils => Box::new(KeyringTokenStore::keyutils()),
        TokenStoreKind::File => Box::new(FileTokenStore::in_state_dir()?),
    })
}

/// The line every failure of a token store ends with: the other choices.
fn alternatives(kind: TokenStoreKind) -> String {
    let others: Vec<String> = TokenStoreKind::ALL
        .into_iter()
        .filter(|other| *other != kind)
        .map(|other| format!("--token-store {other}"))
        .collect();
    format!("or choose another token store: {}", others.join(" or "))
}
