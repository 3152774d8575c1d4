//! The file token store: a JSON object from store path to token in
//! `$XDG_STATE_HOME/latch/tokens.json`, mode 0600 in a 0700 directory.
//!
//! It is an explicit opt-in for machines with no keyring, and the command line
//! warns about it on every use: anyone who can read the file can use the
//! session. Writes take an exclusive lock and replace the file atomically, so
//! two latch processes never lose each other's tokens. The file's directory
//! is held to the store's rule: one that others may write to, without the
//! sticky bit, is refused, as is a token file that is not a regular file.

use std::collections::BTreeMap;
use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use zeroize::{Zeroize, Zeroizing};

use super::{TokenStore, TokenStoreKind, alternatives};
use crate::error::{Error, Result, io_cause};
use crate::files::shared_directory;
use crate::output::shell_operand;
use crate::session::SessionToken;

const NAME: &str = "the token file";

#[derive(Debug)]
pub struct FileTokenStore {
    path: PathBuf,
}

/// The file's contents; the tokens are wiped from memory when dropped.
#[derive(Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct Tokens(BTreeMap<String, String>);

impl Drop for Tokens {
    fn drop(&mut self) {
        self.0.values_mut().for_each(Zeroize::zeroize);
    }
}

impl FileTokenStore {
    /// The file in the platform's state directory (`$XDG_STATE_HOME/latch`).
    pub fn in_state_dir() -> Result<Self> {
        let dir = dirs::state_dir()
            .or_else(dirs::data_local_dir)
            .ok_or_else(|| Error::TokenStoreUnavailable {
                store: NAME,
                cause: "there is no state directory (XDG_STATE_HOME and HOME are not set, \
                        and the user database gives no home)"
                    .into(),
                hint: format!(
                    "set HOME or XDG_STATE_HOME, {}",
                    alternatives(TokenStoreKind::File)
                ),
            })?;
        Ok(FileTokenStore {
            path: dir.join("latch").join("tokens.json"),
        })
    }

    /// The file at `path`: for tests, in a temporary directory.
    #[cfg(test)]
    pub(crate) fn at(path: PathBuf) -> Self {
        FileTokenStore { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    fn unavailable(&self, cause: impl Into<String>) -> Error {
        Error::TokenStoreUnavailable {
            store: NAME,
            cause: format!("{}: {}", self.path.display(), cause.into()),
            hint: alternatives(TokenStoreKind::File)
                .trim_start_matches("or ")
                .to_owned(),
        }
    }

    /// An I/O error on the file or its directory; permission denied gets
    /// the `chmod` that gives the directory back to its owner.
    fn io_unavailable(&self, what: &str, e: &std::io::Error) -> Error {
        let cause = format!("{}: {what}: {}", self.path.display(), io_cause(e));
        let hint = if e.kind() == std::io::ErrorKind::PermissionDenied {
            let dir = self.dir().display().to_string();
            format!(
                "check the permissions of {dir} and the directories above it \
                 (latch makes it 0700: chmod 700 {}), {}",
                shell_operand(&dir),
                alternatives(TokenStoreKind::File)
            )
        } else {
            alternatives(TokenStoreKind::File)
                .trim_start_matches("or ")
                .to_owned()
        };
        Error::TokenStoreUnavailable {
            store: NAME,
            cause,
            hint,
        }
    }

    /// Refuses a directory others may write to without the sticky bit: they
    /// could put a token file of their own in its place.
    fn check_directory(&self) -> Result<()> {
        let dir = self.dir();
        match shared_directory(dir) {
            Some(mode) => Err(Error::TokenStoreUnavailable {
                store: NAME,
                cause: format!(
                    "{} is in a directory other users may write to (mode {mode:04o})",
                    self.path.display()
                ),
                hint: format!(
                    "chmod 700 {}, then log in again: the token may have been seen",
                    shell_operand(&dir.display().to_string())
                ),
            }),
            None => Ok(()),
        }
    }

    fn read(&self) -> Result<Tokens> {
        self.check_directory()?;
        // Non-blocking, so that a FIFO in the file's place cannot hang latch.
        let opened = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&self.path);
        let mut file = match opened {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Tokens::default());
            }
            Err(e) => return Err(self.io_unavailable("cannot read it", &e)),
        };
        let meta = file
            .metadata()
            .map_err(|e| self.io_unavailable("cannot read it", &e))?;
        if !meta.is_file() {
            let what = if meta.is_dir() {
                "a directory"
            } else {
                "not a regular file"
            };
            return Err(Error::TokenStoreUnavailable {
                store: NAME,
                cause: format!("{} is {what}, not a token file", self.path.display()),
                hint: format!(
                    "remove it or move it away, {}",
                    alternatives(TokenStoreKind::File)
                ),
            });
        }
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(Error::TokenStoreUnavailable {
                store: NAME,
                cause: format!(
                    "{} can be read by other users (mode {:04o})",
                    self.path.display(),
                    mode & 0o7777
                ),
                hint: format!(
                    "chmod 600 {}, then log in again: the token may have been seen",
                    shell_operand(&self.path.display().to_string())
                ),
            });
        }
        let mut text = Zeroizing::new(String::new());
        file.read_to_string(&mut text)
            .map_err(|e| self.io_unavailable("cannot read it", &e))?;
        if text.trim().is_empty() {
            return Ok(Tokens::default());
        }
        serde_json::from_str(&text).map_err(|_| Error::TokenStoreUnavailable {
            store: NAME,
            cause: format!("{} is not a latch token file", self.path.display()),
            hint: format!(
                "remove it (every session kept in it is then logged out), {}",
                alternatives(TokenStoreKind::File)
            ),
        })
    }

    /// Reads the tokens under an exclusive lock, lets `change` edit them, and
    /// writes them back atomically if it says so.
    fn update<T>(&self, change: impl FnOnce(&mut Tokens) -> (bool, T)) -> Result<T> {
        let dir = self.dir();
        self.check_directory()?;
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| self.io_unavailable("cannot create its directory", &e))?;
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(dir.join("tokens.lock"))
            .map_err(|e| self.io_unavailable("cannot create its lock file", &e))?;
        File::lock(&lock).map_err(|e| self.unavailable(format!("cannot lock it: {e}")))?;
        let mut tokens = self.read()?;
        let (changed, value) = change(&mut tokens);
        if changed {
            let text = Zeroizing::new(
                serde_json::to_string_pretty(&tokens)
                    .map_err(|e| Error::Internal(format!("cannot encode the token file: {e}")))?,
            );
            let temporary = self.path.with_extension("json.tmp");
            let _ = fs::remove_file(&temporary);
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&temporary)
                .map_err(|e| self.io_unavailable("cannot write it", &e))?;
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
                .and_then(|()| fs::rename(&temporary, &self.path))
                .map_err(|e| self.io_unavailable("cannot write it", &e))?;
        }
        Ok(value)
    }
}

impl TokenStore for FileTokenStore {
    fn kind(&self) -> TokenStoreKind {
        TokenStoreKind::File
    }

    fn load(&self, store_key: &str) -> Result<Option<SessionToken>> {
        Ok(self
            .read()?
            .0
            .get(store_key)
            .and_then(|text| SessionToken::parse(text)))
    }

    fn save(&self, store_key: &str, token: &SessionToken) -> Result<()> {
        self.update(|tokens| {
            tokens
                .0
                .insert(store_key.to_owned(), token.expose().to_owned());
            (true, ())
        })
    }

    fn remove(&self, store_key: &str) -> Result<bool> {
        self.update(|tokens| {
            let removed = tokens.0.remove(store_key).is_some();
            (removed, removed)
        })
    }
}
