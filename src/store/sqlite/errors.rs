//! What an SQLite or file-system failure means to a user of the store: one
//! `Error::Store` naming the file, its cause in words and a hint, and the
//! unique violations that are a conflict (exit 6). Messages here name the
//! store's path, never a password or a row's contents.

use std::path::Path;

use rusqlite::ErrorCode;

use super::BUSY_TIMEOUT;
use crate::error::{Error, Taken};

pub(super) fn unique_violation(e: &rusqlite::Error) -> Option<Error> {
    let rusqlite::Error::SqliteFailure(failure, Some(message)) = e else {
        return None;
    };
    if failure.code != ErrorCode::ConstraintViolation {
        return None;
    }
    if message.contains("users.username_key") {
        Some(Error::Conflict(Taken::Username))
    } else if message.contains("users.email_key") {
        Some(Error::Conflict(Taken::Email))
    } else {
        None
    }
}

/// SQLite's own message, without the statement rusqlite quotes with it.
pub(super) fn sqlite_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqlInputError { msg, .. }
        | rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        e => e.to_string(),
    }
}

pub(super) fn io_error(path: &Path, what: &str, e: &std::io::Error) -> Error {
    let hint = (e.kind() == std::io::ErrorKind::PermissionDenied).then(|| {
        "check the permissions of the store and its directory, or choose another with --db"
            .to_owned()
    });
    Error::store(path, format!("{what}: {}", io_reason(e)), hint)
}

pub(super) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::ReadOnlyFilesystem => "read-only file system".into(),
        _ => e.to_string(),
    }
}

pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Turns an SQLite error into a store error a user can act on.
pub(super) fn sql_error(path: &Path, e: &rusqlite::Error) -> Error {
    let code = match e {
        rusqlite::Error::SqliteFailure(failure, _) => Some(failure.code),
        _ => None,
    };
    let (cause, hint): (String, Option<&str>) = match code {
        Some(ErrorCode::NotADatabase) => (
            "is not an SQLite database".into(),
            Some("point --db at a latch store, or at a path where one may be created"),
        ),
        Some(ErrorCode::DatabaseCorrupt) => (
            "is corrupt".into(),
            Some("restore it from a backup; `sqlite3 FILE .recover` may save what is left"),
        ),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => (
            format!(
                "stayed locked by another process for {}s",
                BUSY_TIMEOUT.as_secs()
            ),
            Some("try again when the other latch command has finished"),
        ),
        Some(ErrorCode::ReadOnly) => (
            "is read-only".into(),
            Some("latch needs to write to its store; check its permissions and file system"),
        ),
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => (
            "cannot be opened".into(),
            Some(
                "check the permissions of the store and its directory, or choose another with --db",
            ),
        ),
        Some(ErrorCode::DiskFull) => ("the disk is full".into(), None),
        _ => (format!("database error: {e}"), None),
    };
    Error::store(path, cause, hint.map(str::to_owned))
}
