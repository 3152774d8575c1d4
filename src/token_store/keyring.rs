//! The Secret Service (desktop keyring) and the Linux kernel keyring.
//!
//! The kernel keyring goes through `keyring-core` and its keyutils store,
//! kept to the session keyring; the Secret Service through latch's client
//! (`secret_service`), which opens its costly encrypted session only when a
//! secret crosses the bus.
//!
//! Connecting happens on first use only, once. Every call that may wait on a
//! daemon (the Secret Service's connect included) runs on a worker thread
//! with a deadline: a keyring daemon that never answers makes latch fail with
//! exit 7, it never hangs a script. A `load` from the kernel keyring, which
//! never waits on a daemon, runs on the calling thread.

use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use super::{PendingLoad, TokenStore, TokenStoreKind, alternatives};
use crate::error::{Error, Result};
use crate::session::SessionToken;

/// The service name of every latch entry.
pub(super) const SERVICE: &str = "latch";
/// How long one keyring call may take before latch gives up on it.
const DEADLINE: Duration = Duration::from_secs(10);

/// A connected keyring: one secret per store key, under `SERVICE`.
pub(super) trait Keyring: Send + Sync {
    /// The secret kept for `key`; `None` when there is none or it is not text.
    fn get(&self, key: &str) -> keyring_core::Result<Option<Zeroizing<String>>>;
    /// Keeps `secret` for `key`, replacing what was kept.
    fn set(&self, key: &str, secret: &str) -> keyring_core::Result<()>;
    /// Forgets the secret of `key`; `false` when there was none.
    fn delete(&self, key: &str) -> keyring_core::Result<bool>;
    /// `get`, answered on the calling thread when this keyring never waits
    /// on a daemon; `None` when the answer must come from a worker thread.
    fn get_inline(&self, _key: &str) -> Option<keyring_core::Result<Option<Zeroizing<String>>>> {
        None
    }
}

type Connect = fn() -> keyring_core::Result<Arc<dyn Keyring>>;

pub struct KeyringTokenStore {
    kind: TokenStoreKind,
    connect: Connect,
    /// The connection, once made; shared with calls still under way.
    store: Arc<OnceLock<Arc<dyn Keyring>>>,
}

impl std::fmt::Debug for KeyringTokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyringTokenStore")
            .field("kind", &self.kind)
            .field("connected", &self.store.get().is_some())
            .finish()
    }
}

impl KeyringTokenStore {
    /// The Secret Service on the session bus (gnome-keyring, KeePassXC, KWallet).
    pub fn secret_service() -> Self {
        KeyringTokenStore {
            kind: TokenStoreKind::Keyring,
            connect: connect_secret_service,
            store: Arc::default(),
        }
    }

    /// The kernel keyring of this login session: its session keyring only.
    pub fn keyutils() -> Self {
        KeyringTokenStore {
            kind: TokenStoreKind::Keyutils,
            connect: connect_keyutils,
            store: Arc::default(),
        }
    }

    /// The connected store, connecting on first use. Connecting waits on no
    /// daemon (the Secret Service connects to the bus in its first call, on
    /// a worker thread; the kernel keyring is system calls), so it runs on
    /// the calling thread.
    fn connected(&self) -> Result<Arc<dyn Keyring>> {
        if let Some(store) = self.store.get() {
            return Ok(Arc::clone(store));
        }
        let store = (self.connect)().map_err(|e| unavailable(self.kind, describe(&e)))?;
        Ok(Arc::clone(self.store.get_or_init(|| store)))
    }

    /// Runs `op` against the connected store on a worker thread and waits at
    /// most `DEADLINE`, connecting first if this is the first call.
    fn call<T: Send + 'static>(
        &self,
        op: impl FnOnce(&dyn Keyring) -> keyring_core::Result<T> + Send + 'static,
    ) -> Result<T> {
        self.start(op)()
    }

    /// Starts `op` on a worker thread; the returned closure waits for it, at
    /// most `DEADLINE` from now.
    fn start<T: Send + 'static>(
        &self,
        op: impl FnOnce(&dyn Keyring) -> keyring_core::Result<T> + Send + 'static,
    ) -> impl FnOnce() -> Result<T> + Send + 'static {
        let deadline = Instant::now() + DEADLINE;
        let kind = self.kind;
        let running = self.connected().map(|store| {
            let (sender, receiver) = mpsc::channel();
            std::thread::spawn(move || {
                // The receiver is gone only after the deadline passed; nothing to tell.
                let _ = sender.send(op(store.as_ref()));
            });
            receiver
        });
        move || match running?.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(answer) => answer.map_err(|e| unavailable(kind, describe(&e))),
            Err(_) => Err(unavailable(
                kind,
                format!("no answer within {} seconds", DEADLINE.as_secs()),
            )),
        }
    }
}

/// The token store of `kind` cannot be used, because of `cause`.
fn unavailable(kind: TokenStoreKind, cause: String) -> Error {
    let (store, fix) = match kind {
        TokenStoreKind::Keyutils => (
            "the kernel keyring (keyutils)",
            "run latch inside a session keyring (`keyctl session - latch …`, or log in through PAM)",
        ),
        _ => (
            "the Secret Service keyring",
            "start and unlock a Secret Service (gnome-keyring, KeePassXC) on the D-Bus session bus",
        ),
    };
    Error::TokenStoreUnavailable {
        store,
        cause,
        hint: format!("{fix}, {}", alternatives(kind)),
    }
}

impl TokenStore for KeyringTokenStore {
    fn kind(&self) -> TokenStoreKind {
        self.kind
    }

    fn load(&self, store_key: &str) -> Result<Option<SessionToken>> {
        // A keyring that never waits on a daemon answers on this thread,
        // without starting a worker.
        match self.connected()?.get_inline(store_key) {
            Some(answer) => Ok(answer
                .map_err(|e| unavailable(self.kind, describe(&e)))?
                .and_then(|text| SessionToken::parse(&text))),
            None => self.start_load(store_key).wait(),
        }
    }

    fn start_load(&self, store_key: &str) -> PendingLoad {
        let key = store_key.to_owned();
        let wait = self.start(move |keyring| keyring.get(&key));
        PendingLoad::new(move || Ok(wait()?.and_then(|text| SessionToken::parse(&text))))
    }

    fn save(&self, store_key: &str, token: &SessionToken) -> Result<()> {
        let key = store_key.to_owned();
        let secret = Zeroizing::new(token.expose().to_owned());
        self.call(move |keyring| keyring.set(&key, &secret))
    }

    fn remove(&self, store_key: &str) -> Result<bool> {
        let key = store_key.to_owned();
        self.call(move |keyring| keyring.delete(&key))
    }
}

/// The kernel keyring, through `keyring-core`'s keyutils store.
///
/// The store's own entries link each key into the user's persistent keyring
/// too, and link that keyring into the session keyring, where every search
/// finds what it holds: a token would outlive its session keyring by days
/// and be found from any other session of the same user. So each entry is
/// built here with the session keyring alone.
#[derive(Debug)]
struct Keyutils;

/// How many times a kernel keyring operation is made while another process
/// changes the key under it.
const KEY_ATTEMPTS: usize = 3;

impl Keyutils {
    /// `op` on the entry of `key`, made again while it fails because another
    /// process changed the key under it. Each operation finds the key by a
    /// search of the session keyring, then uses the key found. When another
    /// latch removes that key in between (a logout invalidates it) or
    /// replaces it (a login after such a logout adds a new one), the kernel
    /// answers that access is denied, since a key no longer reachable from
    /// this session is no longer this process's to read or link; or, for a
    /// key just added, that it does not exist. A fresh search finds what is
    /// there now. A key this process may truly not use fails every time.
    fn with_entry<T>(
        &self,
        key: &str,
        changed_under: impl Fn(&keyring_core::Error) -> bool,
        op: impl Fn(&keyring_core::Entry) -> keyring_core::Result<T>,
    ) -> keyring_core::Result<T> {
        let entry = session_entry(key)?;
        let mut attempts = 1;
        loop {
            match op(&entry) {
                Err(e) if attempts < KEY_ATTEMPTS && changed_under(&e) => attempts += 1,
                answer => return answer,
            }
        }
    }
}

/// Access denied to a key a search has just found (see `with_entry`).
fn denied(e: &keyring_core::Error) -> bool {
    matches!(e, keyring_core::Error::NoStorageAccess(_))
}

impl Keyring for Keyutils {
    fn get(&self, key: &str) -> keyring_core::Result<Option<Zeroizing<String>>> {
        self.with_entry(key, denied, |entry| match entry.get_password() {
            Ok(text) => Ok(Some(Zeroizing::new(text))),
            // Not valid UTF-8: not one of ours either.
            Err(keyring_core::Error::NoEntry | keyring_core::Error::BadEncoding(_)) => Ok(None),
            Err(e) => Err(e),
        })
    }

    fn set(&self, key: &str, secret: &str) -> keyring_core::Result<()> {
        // A key another process has just invalidated can still be in the
        // keyring when this one adds over it: there is then no such key.
        let changed_under =
            |e: &keyring_core::Error| denied(e) || matches!(e, keyring_core::Error::NoEntry);
        self.with_entry(key, changed_under, |entry| entry.set_password(secret))
    }

    fn delete(&self, key: &str) -> keyring_core::Result<bool> {
        self.with_entry(key, denied, |entry| match entry.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            Err(e) => Err(e),
        })
    }

    /// Always: the kernel keyring answers at once, never waiting on a daemon.
    fn get_inline(&self, key: &str) -> Option<keyring_core::Result<Option<Zeroizing<String>>>> {
        Some(self.get(key))
    }
}

#[cfg(target_os = "linux")]
fn connect_secret_service() -> keyring_core::Result<Arc<dyn Keyring>> {
    Ok(Arc::new(super::secret_service::SecretService::new(
        DEADLINE,
    )))
}

#[cfg(target_os = "linux")]
fn connect_keyutils() -> keyring_core::Result<Arc<dyn Keyring>> {
    // The session keyring must be there before anything is stored.
    session_keyring()?;
    Ok(Arc::new(Keyutils))
}

/// The entry of `key` in the session keyring, and in no other: the
/// description the keyutils store gives it (`keyring:KEY@latch`), without
/// the store's link to the persistent keyring (see `Keyutils`).
#[cfg(target_os = "linux")]
fn session_entry(key: &str) -> keyring_core::Result<keyring_core::Entry> {
    let credential = linux_keyutils_keyring_store::Cred {
        session: session_keyring()?,
        persistent: None,
        description: format!("keyring:{key}@{SERVICE}"),
        specifiers: Some((SERVICE.to_owned(), key.to_owned())),
    };
    Ok(keyring_core::Entry::new_with_credential(Arc::new(
        credential,
    )))
}

/// This process's session keyring. A process without one of its own is
/// given the user's session keyring instead, which every process of the
/// user without a session keyring shares and which outlives them: no place
/// for a token that must end with its session, so that is no access.
#[cfg(target_os = "linux")]
fn session_keyring() -> keyring_core::Result<linux_keyutils::KeyRing> {
    use linux_keyutils::{KeyRing, KeyRingIdentifier};
    let no_access = |e: linux_keyutils::KeyError| keyring_core::Error::NoStorageAccess(e.into());
    let session = KeyRing::from_special_id(KeyRingIdentifier::Session, false).map_err(no_access)?;
    let shared =
        KeyRing::from_special_id(KeyRingIdentifier::UserSession, false).map_err(no_access)?;
    if session == shared {
        return Err(keyring_core::Error::NoStorageAccess(
            "this process has no session keyring of its own, only the user's shared one".into(),
        ));
    }
    Ok(session)
}

#[cfg(not(target_os = "linux"))]
fn connect_secret_service() -> keyring_core::Result<Arc<dyn Keyring>> {
    Err(keyring_core::Error::NotSupportedByStore(
        "this build of latch has no keyring for this platform yet".into(),
    ))
}

#[cfg(not(target_os = "linux"))]
fn connect_keyutils() -> keyring_core::Result<Arc<dyn Keyring>> {
    Err(keyring_core::Error::NotSupportedByStore(
        "the kernel keyring exists only on Linux".into(),
    ))
}

/// The error and its causes on one line.
fn describe(e: &keyring_core::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text.replace('\n', " ")
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The kernel keyring of the session the tests run in, which
    /// `scripts/test-env` starts.
    fn keyutils() -> Keyutils {
        let keyutils = Keyutils;
        let probe = format!("probe-{}", std::process::id());
        keyutils
            .set(&probe, "x")
            .and_then(|()| keyutils.delete(&probe))
            .expect("a session keyring: run the tests through scripts/test-env");
        keyutils
    }

    #[test]
    fn a_key_another_process_replaces_or_removes_while_it_is_read_is_no_error() {
        use std::sync::Barrier;
        use std::sync::atomic::{AtomicBool, Ordering};

        let keyutils = Arc::new(keyutils());
        let key = format!("race-{}", std::process::id());
        let start = Arc::new(Barrier::new(2));
        let stop = Arc::new(AtomicBool::new(false));
        // Another latch logging in and out over and over (the store's write
        // lock keeps logins and logouts of one store from overlapping): each
        // logout invalidates the key, each login adds a new one.
        let churn = {
            let (keyutils, key) = (Arc::clone(&keyutils), key.clone());
            let (start, stop) = (Arc::clone(&start), Arc::clone(&stop));
            std::thread::spawn(move || {
                start.wait();
                let mut round = 0;
                while !stop.load(Ordering::Relaxed) {
                    if let Err(e) = keyutils.set(&key, &format!("token {round}")) {
                        return Err(format!("login {round}: {e}"));
                    }
                    if let Err(e) = keyutils.delete(&key) {
                        return Err(format!("logout {round}: {e}"));
                    }
                    round += 1;
                }
                Ok(round)
            })
        };
        // This one: whoami after whoami, which takes no lock.
        start.wait();
        let mut outcome = Ok(());
        for round in 0..10_000 {
            if let Err(e) = keyutils.get(&key) {
                outcome = Err(format!("whoami {round}: {e}"));
                break;
            }
        }
        stop.store(true, Ordering::Relaxed);
        let rounds = churn.join().expect("churn").expect("the other latch");
        outcome.expect("this latch");
        assert!(rounds > 0);
    }
}
