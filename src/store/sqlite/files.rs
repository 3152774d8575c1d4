//! The store file on disk: created 0600 in a 0700 directory before SQLite
//! opens it, and refused when it is not a regular file or when other users
//! may write to it or to its directory. It never loosens a mode it finds.

use std::fs::{self, DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::errors::io_error;
use crate::error::{Error, Result};
use crate::files::shared_directory;
use crate::output::shell_operand;

/// Creates the store file 0600 (and any missing directories 0700) before
/// SQLite opens it, so that it never exists with looser permissions.
pub(super) fn create_file(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(parent)
            .map_err(|e| io_error(parent, "cannot create the directory", &e))?;
    }
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io_error(path, "cannot create", &e)),
    }
}

/// What a path that is not a regular file is, for a message.
pub(super) fn file_kind(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else {
        "something other than a regular file"
    }
}

/// Refuses a store file, or a directory without the sticky bit, that users
/// other than its owner may write to: they could change any account.
pub(super) fn check_permissions(path: &Path, meta: &fs::Metadata) -> Result<()> {
    let mode = meta.permissions().mode();
    if mode & 0o022 != 0 {
        return Err(Error::store(
            path,
            format!("is writable by other users (mode {:04o})", mode & 0o7777),
            Some(format!(
                "chmod 600 {}",
                shell_operand(&path.display().to_string())
            )),
        ));
    }
    check_directory(path)
}

/// Refuses a store in a directory others may write to, without the sticky
/// bit: at creation and at every open alike.
pub(super) fn check_directory(path: &Path) -> Result<()> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match shared_directory(parent) {
        Some(mode) => Err(Error::store(
            path,
            format!("is in a directory other users may write to (mode {mode:04o})"),
            Some(format!(
                "chmod 700 {}",
                shell_operand(&parent.display().to_string())
            )),
        )),
        None => Ok(()),
    }
}
