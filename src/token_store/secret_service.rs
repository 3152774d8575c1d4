//! latch's Secret Service client (gnome-keyring, KeePassXC, KWallet) on the
//! D-Bus session bus: one zbus connection, and the `secret-service` crate for
//! everything that carries a secret.
//!
//! Secrets cross the bus only inside an encrypted session, whose
//! Diffie-Hellman exchange costs more than everything else `whoami` does
//! together. Finding an item needs no session: it is one `SearchItems` call
//! on the connection, and so are deleting an item and dismissing a prompt.
//! The session is opened over the same connection, once, only when a secret
//! must be read (an item was found) or written: a `whoami` with nobody
//! logged in never opens one.
//!
//! Items carry the attributes `service` = `latch` and `username` = the store
//! key, the same as `keyring-core`'s Secret Service store writes, and live in
//! the default collection.
//!
//! gnome-keyring learns of each new connection from a callback it schedules
//! when the connection's first message arrives, and that callback can run
//! after the message itself has been handled. A method that needs to know
//! the caller then fails: `SearchItems` answers that there is no such method
//! (and gnome-keyring logs "assertion 'client' failed"); `OpenSession` can
//! leave gnome-keyring in a bad state, or end it. So the connection's first
//! call to the Secret Service is a search, the session is opened only after
//! one was answered, and each call outside the session is made again while
//! it fails that way.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use secret_service::EncryptionType;
use secret_service::blocking::SecretService as Session;
use zbus::zvariant::OwnedObjectPath;
use zeroize::Zeroizing;

use super::keyring::{Keyring, SERVICE};

const DESTINATION: &str = "org.freedesktop.secrets";
const SERVICE_PATH: &str = "/org/freedesktop/secrets";
const SERVICE_INTERFACE: &str = "org.freedesktop.Secret.Service";
const ITEM_INTERFACE: &str = "org.freedesktop.Secret.Item";
const PROMPT_INTERFACE: &str = "org.freedesktop.Secret.Prompt";
/// How many times an operation starts over when items vanish under it.
const RETRIES_AFTER_REMOVAL: usize = 3;
/// What a method answers instead of a prompt when it needs none.
const NO_PROMPT: &str = "/";
/// gnome-keyring's answer to a call made before it knew the caller (see the
/// module's notes).
const UNKNOWN_METHOD: &str = "org.freedesktop.DBus.Error.UnknownMethod";
/// How many times a call is made while the answer is `UNKNOWN_METHOD`.
const CALL_ATTEMPTS: u32 = 5;
/// The pause before the second call; it doubles for each one after.
const FIRST_PAUSE: Duration = Duration::from_millis(1);
const CONTENT_TYPE: &str = "text/plain";

pub(super) struct SecretService {
    /// How long one method call may wait for its reply.
    timeout: Duration,
    /// The connection to the session bus, made by the first call.
    bus: Mutex<Option<zbus::blocking::Connection>>,
    /// Set once a search was answered: the Secret Service knows the caller
    /// (see the module's notes).
    known: OnceLock<()>,
    /// The encrypted session, once a secret has had to cross the bus.
    session: Mutex<Option<Session<'static>>>,
}

/// The items found for one store key.
struct Found {
    unlocked: Vec<OwnedObjectPath>,
    locked: Vec<OwnedObjectPath>,
}

impl Found {
    fn all(&self) -> impl Iterator<Item = &OwnedObjectPath> {
        self.unlocked.iter().chain(&self.locked)
    }

    fn count(&self) -> usize {
        self.unlocked.len() + self.locked.len()
    }
}

impl SecretService {
    /// The Secret Service of the session bus, with a reply to each call
    /// waited for `timeout` at most. Nothing is connected until the first call.
    pub(super) fn new(timeout: Duration) -> SecretService {
        SecretService {
            timeout,
            bus: Mutex::new(None),
            known: OnceLock::new(),
            session: Mutex::new(None),
        }
    }

    /// The connection, made on first use.
    fn bus(&self) -> keyring_core::Result<zbus::blocking::Connection> {
        let mut bus = self.bus.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(bus) = bus.as_ref() {
            return Ok(bus.clone());
        }
        let made = zbus::blocking::connection::Builder::session()
            .and_then(|builder| builder.method_timeout(self.timeout).build())
            .map_err(connection_error)?;
        Ok(bus.insert(made).clone())
    }

    /// One method call outside any session, for what carries no secret;
    /// made again while the Secret Service does not know the caller yet
    /// (see `until_known`).
    fn call<A, R>(
        &self,
        path: &str,
        interface: &str,
        method: &str,
        args: &A,
    ) -> keyring_core::Result<R>
    where
        A: serde::Serialize + zbus::zvariant::DynamicType,
        R: for<'b> zbus::zvariant::DynamicDeserialize<'b>,
    {
        let bus = self.bus()?;
        let reply =
            until_known(|| bus.call_method(Some(DESTINATION), path, Some(interface), method, args))
                .map_err(|e| failure(e.into()))?;
        reply.body().deserialize().map_err(|e| failure(e.into()))
    }

    /// The items of `key`: one `SearchItems` call, no session. Once one is
    /// answered, the Secret Service knows the caller.
    fn find(&self, key: &str) -> keyring_core::Result<Found> {
        let (unlocked, locked) = self.call(
            SERVICE_PATH,
            SERVICE_INTERFACE,
            "SearchItems",
            &attributes(key),
        )?;
        let _ = self.known.set(());
        Ok(Found { unlocked, locked })
    }

    /// Runs `op` with the encrypted session, opening it on first use, for
    /// an operation on the items of `key`. The session is never the
    /// connection's first call to the Secret Service: a search for `key`
    /// comes first unless one was answered already.
    fn with_session<T>(
        &self,
        key: &str,
        op: impl FnOnce(&Session<'static>) -> Result<T, secret_service::Error>,
    ) -> keyring_core::Result<T> {
        let mut guard = self.session.lock().unwrap_or_else(PoisonError::into_inner);
        let session = match guard.take() {
            Some(open) => open,
            None => {
                if self.known.get().is_none() {
                    self.find(key)?;
                }
                Session::connect_with_existing(EncryptionType::Dh, self.bus()?).map_err(failure)?
            }
        };
        op(guard.insert(session)).map_err(failure)
    }

    /// Asks the Secret Service to unlock `locked`, items of `key` (it may
    /// prompt the user).
    fn unlock(&self, key: &str, locked: &[OwnedObjectPath]) -> keyring_core::Result<()> {
        if locked.is_empty() {
            return Ok(());
        }
        self.with_session(key, |session| {
            for path in locked {
                session.get_item_by_path(path.clone())?.unlock()?;
            }
            Ok(())
        })
    }

    /// Deletes one unlocked item of `key`: a call outside the session, unless
    /// the Secret Service answers with a prompt (KeePassXC may ask to confirm).
    fn delete_item(&self, key: &str, path: &OwnedObjectPath) -> keyring_core::Result<()> {
        let prompt: OwnedObjectPath = self.call(path, ITEM_INTERFACE, "Delete", &())?;
        if prompt.as_str() == NO_PROMPT {
            return Ok(());
        }
        // Dismiss that prompt and delete through the crate, which asks again
        // and shows its prompt to the user.
        let _: keyring_core::Result<()> = self.call(&prompt, PROMPT_INTERFACE, "Dismiss", &());
        self.with_session(key, |session| {
            session.get_item_by_path(path.clone())?.delete()
        })
    }

    /// Runs `op` over the items of `key`. Another process may remove one of
    /// them between the search and `op`'s calls: when `op` fails and a fresh
    /// search no longer lists an item it was given, `op` runs again over what
    /// is there now. Any other failure is the answer.
    fn over_items<T>(
        &self,
        key: &str,
        op: impl Fn(&Found) -> keyring_core::Result<T>,
    ) -> keyring_core::Result<T> {
        let mut found = self.find(key)?;
        for _ in 0..RETRIES_AFTER_REMOVAL {
            let error = match op(&found) {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            match self.find(key) {
                Ok(now)
                    if found
                        .all()
                        .any(|path| !now.all().any(|there| there == path)) =>
                {
                    found = now;
                }
                // Nothing vanished, or the search failed too: the first
                // failure is the answer.
                _ => return Err(error),
            }
        }
        op(&found)
    }
}

impl Keyring for SecretService {
    fn get(&self, key: &str) -> keyring_core::Result<Option<Zeroizing<String>>> {
        let secret = self.over_items(key, |found| {
            // Several items nobody can choose between are no token; the
            // next login or logout replaces or removes them all.
            let (1, Some(path)) = (found.count(), found.all().next()) else {
                return Ok(None);
            };
            self.unlock(key, &found.locked)?;
            self.with_session(key, |session| {
                Ok(Some(Zeroizing::new(
                    session.get_item_by_path(path.clone())?.get_secret()?,
                )))
            })
        })?;
        // Not UTF-8: not one of ours.
        Ok(secret.and_then(|secret| {
            std::str::from_utf8(&secret)
                .ok()
                .map(|text| Zeroizing::new(text.to_owned()))
        }))
    }

    fn set(&self, key: &str, secret: &str) -> keyring_core::Result<()> {
        let label = format!("latch session token for {key}");
        self.over_items(key, |found| {
            self.unlock(key, &found.locked)?;
            if let (1, Some(path)) = (found.count(), found.all().next()) {
                return self.with_session(key, |session| {
                    session
                        .get_item_by_path(path.clone())?
                        .set_secret(secret.as_bytes(), CONTENT_TYPE)
                });
            }
            // None, or several nobody can choose between: one new item.
            for path in found.all() {
                self.delete_item(key, path)?;
            }
            self.with_session(key, |session| {
                let collection = session.get_default_collection()?;
                if collection.is_locked()? {
                    collection.unlock()?;
                }
                collection.create_item(
                    &label,
                    attributes(key),
                    secret.as_bytes(),
                    true,
                    CONTENT_TYPE,
                )?;
                Ok(())
            })
        })
    }

    fn delete(&self, key: &str) -> keyring_core::Result<bool> {
        self.over_items(key, |found| {
            if found.count() == 0 {
                return Ok(false);
            }
            self.unlock(key, &found.locked)?;
            // Every item of the key: logging out must leave none behind.
            for path in found.all() {
                self.delete_item(key, path)?;
            }
            Ok(true)
        })
    }
}

/// The reply to `call`, made again while the answer is `UNKNOWN_METHOD`
/// (see the module's notes), after a pause that doubles each time.
fn until_known(
    mut call: impl FnMut() -> zbus::Result<zbus::Message>,
) -> zbus::Result<zbus::Message> {
    let mut pause = FIRST_PAUSE;
    for _ in 1..CALL_ATTEMPTS {
        match call() {
            Err(zbus::Error::MethodError(name, ..)) if name.as_str() == UNKNOWN_METHOD => {
                std::thread::sleep(pause);
                pause *= 2;
            }
            answer => return answer,
        }
    }
    call()
}

fn attributes(key: &str) -> HashMap<&str, &str> {
    HashMap::from([("service", SERVICE), ("username", key)])
}

/// No bus to connect to is "unavailable", as `secret-service` says it.
fn connection_error(e: zbus::Error) -> keyring_core::Error {
    let unavailable = match &e {
        zbus::Error::InterfaceNotFound | zbus::Error::Address(_) => true,
        zbus::Error::InputOutput(io) => io.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    };
    failure(if unavailable {
        secret_service::Error::Unavailable
    } else {
        e.into()
    })
}

/// A refusal (locked, prompt dismissed) is no access; the rest is a failure.
fn failure(e: secret_service::Error) -> keyring_core::Error {
    match e {
        secret_service::Error::Locked
        | secret_service::Error::NoResult
        | secret_service::Error::Prompt
        | secret_service::Error::PromptDisconnected => {
            keyring_core::Error::NoStorageAccess(Box::new(e))
        }
        e => keyring_core::Error::PlatformFailure(Box::new(e)),
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::time::Instant;

    use super::*;

    fn search() -> zbus::Message {
        zbus::Message::method_call(SERVICE_PATH, "SearchItems")
            .and_then(|call| call.destination(DESTINATION))
            .and_then(|call| call.interface(SERVICE_INTERFACE))
            .and_then(|call| call.build(&attributes("key")))
            .expect("call")
    }

    /// What the Secret Service answers `call` with: an error named `name`,
    /// or the empty lists of a search that found nothing.
    fn answer(call: &zbus::Message, error: Option<&str>) -> zbus::Result<zbus::Message> {
        match error {
            Some(name) => Err(zbus::Error::from(
                zbus::Message::error(&call.header(), name)?.build(&("refused",))?,
            )),
            None => zbus::Message::method_return(&call.header())?
                .build(&(Vec::<OwnedObjectPath>::new(), Vec::<OwnedObjectPath>::new())),
        }
    }

    /// `until_known` over a service that gives the answers of `errors` in
    /// turn, then finds nothing; how many calls it made, and its answer.
    fn searched(errors: &[&str]) -> (usize, zbus::Result<zbus::Message>) {
        let calls = Cell::new(0);
        let reply = until_known(|| {
            let call = search();
            let error = errors.get(calls.get()).copied();
            calls.set(calls.get() + 1);
            answer(&call, error)
        });
        (calls.get(), reply)
    }

    fn error_name(reply: &zbus::Result<zbus::Message>) -> Option<String> {
        match reply {
            Err(zbus::Error::MethodError(name, ..)) => Some(name.to_string()),
            _ => None,
        }
    }

    #[test]
    fn a_search_the_service_answers_before_it_knows_the_caller_is_made_again() {
        let (calls, reply) = searched(&[UNKNOWN_METHOD, UNKNOWN_METHOD]);
        assert_eq!(calls, 3);
        assert!(reply.is_ok(), "{reply:?}");
    }

    #[test]
    fn any_other_answer_is_the_answer_of_the_first_call() {
        let (calls, reply) = searched(&[]);
        assert_eq!((calls, reply.is_ok()), (1, true));
        let (calls, reply) = searched(&["org.freedesktop.DBus.Error.AccessDenied"]);
        assert_eq!(calls, 1);
        assert_eq!(
            error_name(&reply).as_deref(),
            Some("org.freedesktop.DBus.Error.AccessDenied")
        );
    }

    #[test]
    fn a_service_that_never_knows_the_caller_gets_a_few_searches_then_its_answer() {
        let always = [UNKNOWN_METHOD; 2 * CALL_ATTEMPTS as usize];
        let started = Instant::now();
        let (calls, reply) = searched(&always);
        assert_eq!(calls, CALL_ATTEMPTS as usize);
        assert_eq!(error_name(&reply).as_deref(), Some(UNKNOWN_METHOD));
        // The pauses between them: 1 + 2 + 4 + 8 ms.
        assert!(started.elapsed() >= Duration::from_millis(15));
    }
}
