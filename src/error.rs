//! The one error type of latch and the one table of exit statuses. Each error
//! variant knows its exit status, and through it its stable JSON `code`; and
//! the hint that helps a user out of it. `--help`, the man pages and README's
//! table are made from `ExitStatus` (`docs`), never written again by hand.
//!
//! Messages here are for people and scripts: they never contain a password, a
//! session token, or a backtrace.

use std::fmt;

/// One problem with one input field, as a form would show it beside the field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The field, or for a file a place in it such as `line 12: email`.
    pub field: String,
    pub message: String,
    #[serde(skip)]
    pub hint: Option<String>,
}

impl Problem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            field: field.into(),
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Which unique field a registration collided on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    Username,
    Email,
    Both,
}

/// One row of the exit status table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExitRow {
    /// The process's exit status.
    pub code: u8,
    /// The `code` of the JSON error object; none for success.
    pub json_code: Option<&'static str>,
    /// A few words, for the table in `latch --help`.
    pub summary: &'static str,
    /// A sentence, for the man pages and README.
    pub meaning: &'static str,
}

/// Declares `ExitStatus` from its table: one row per status, in the order
/// `--help`, the man pages and README list them.
macro_rules! exit_statuses {
    ($($(#[$doc:meta])* $status:ident = $code:literal, $json:expr, $summary:literal, $meaning:literal;)*) => {
        /// Every way latch can end: the exit status table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ExitStatus {
            $($(#[$doc])* $status,)*
        }

        impl ExitStatus {
            /// Every status, in the table's order.
            pub const ALL: &'static [ExitStatus] = &[$(ExitStatus::$status),*];

            /// This status's row of the table.
            pub const fn row(self) -> ExitRow {
                match self {
                    $(ExitStatus::$status => ExitRow {
                        code: $code,
                        json_code: $json,
                        summary: $summary,
                        meaning: $meaning,
                    },)*
                }
            }
        }
    };
}

// To add an outcome: a row here, then `Error::status` for the errors that end
// with it, then regenerate the docs (ARCHITECTURE.md, "How to add a command").
exit_statuses! {
    Success = 0, None, "success", "Success.";
    /// A bug in latch, not in what the user did.
    Internal = 1, Some("internal"), "internal error", "Internal error: a bug in latch, and the message says so.";
    Usage = 2, Some("usage"), "usage error", "Usage error: an unknown flag, a missing argument, or no terminal to prompt on.";
    InvalidInput = 3, Some("invalid_input"), "invalid input", "Invalid input: every problem found is listed.";
    NotAuthenticated = 4, Some("not_authenticated"), "not authenticated", "Not authenticated: wrong credentials, not logged in, or the session ended.";
    LockedOut = 5, Some("locked"), "locked out", "Locked out after failed attempts.";
    Conflict = 6, Some("conflict"), "username or email taken", "Conflict: the username or email is already taken.";
    TokenStoreUnavailable = 7, Some("token_store_unavailable"), "token store unavailable", "Token store unavailable: the message gives the cause and the alternatives.";
    StoreError = 8, Some("store_error"), "account store error", "Account store error: it cannot be opened, created or migrated; it is corrupt, from a newer latch, or writable by other users.";
    NotPermitted = 9, Some("not_permitted"), "not permitted (needs an admin)", "Not permitted: the command needs an admin.";
    /// Standard output or an `export --output` file could not be written.
    OutputError = 74, Some("output_error"), "output not written", "Output error: standard output or the output file cannot be written (a full disk); a closed pipe is not one.";
    Interrupted = 130, Some("interrupted"), "interrupted at a prompt", "Interrupted at a prompt (Ctrl-C, or Ctrl-D for end of input): the terminal is restored and nothing is written.";
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A bug in latch, not in what the user did.
    #[error("internal error (this is a bug in latch): {0}")]
    Internal(String),

    /// The command line itself is wrong (exit 2), beyond what clap catches.
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },

    /// Every problem found in the input, not only the first.
    #[error("{}", describe_problems(.0))]
    InvalidInput(Vec<Problem>),

    /// Wrong credentials, not logged in, or a session that has ended.
    #[error("{message}")]
    NotAuthenticated {
        message: String,
        hint: Option<String>,
    },

    /// Too many failed logins for this name; `retry_after` is whole seconds.
    #[error("too many failed login attempts for {username:?}; try again in {}", human_seconds(*.retry_after))]
    LockedOut { username: String, retry_after: i64 },

    #[error("{}", describe_taken(*.0))]
    Conflict(Taken),

    /// Rows of an import whose username or email is taken, one problem each.
    #[error("{}", describe_problems(.0))]
    Conflicts(Vec<Problem>),

    /// The token store (Secret Service, kernel keyring, or file) cannot be used.
    #[error("{store} is unavailable: {cause}")]
    TokenStoreUnavailable {
        store: &'static str,
        cause: String,
        hint: String,
    },

    /// The account store cannot be opened, created, migrated or read.
    #[error("account store {path}: {cause}")]
    Store {
        path: String,
        cause: String,
        hint: Option<String>,
    },

    /// The database an import reads (a Django site's PostgreSQL database)
    /// cannot be reached or read: the store's exit status, since it is a
    /// database failing the same ways, but named for what it is.
    #[error("Django database {name}: {cause}")]
    Source {
        name: String,
        cause: String,
        hint: Option<String>,
    },

    #[error("{0}")]
    NotPermitted(String),

    /// Ctrl-C at a prompt.
    #[error("interrupted")]
    Interrupted,

    /// End of input (Ctrl-D) at a prompt: the command ends there, as after
    /// Ctrl-C, with nothing done.
    #[error("no answer at the prompt (end of input); nothing was done")]
    EndOfInput,

    /// Standard output, or the file a command was told to write, cannot be
    /// written (a full disk, `/dev/full`, an I/O error): exit 74, as
    /// sysexits.h's `EX_IOERR`.
    #[error("cannot write to {target}: {cause}")]
    Output { target: String, cause: String },

    /// Standard output's reader stopped reading (`latch … | head`): not a
    /// failure. The command stops, prints nothing more, and exits 0.
    #[error("standard output was closed")]
    OutputClosed,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn usage(message: impl Into<String>, hint: Option<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint,
        }
    }

    pub fn not_authenticated(message: impl Into<String>, hint: Option<String>) -> Self {
        Error::NotAuthenticated {
            message: message.into(),
            hint,
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput(vec![Problem::new(field, message)])
    }

    /// Where this error stands in the exit status table.
    pub fn status(&self) -> ExitStatus {
        match self {
            Error::Internal(_) => ExitStatus::Internal,
            Error::Usage { .. } => ExitStatus::Usage,
            Error::InvalidInput(_) => ExitStatus::InvalidInput,
            Error::NotAuthenticated { .. } => ExitStatus::NotAuthenticated,
            Error::LockedOut { .. } => ExitStatus::LockedOut,
            Error::Conflict(_) | Error::Conflicts(_) => ExitStatus::Conflict,
            Error::TokenStoreUnavailable { .. } => ExitStatus::TokenStoreUnavailable,
            Error::Store { .. } | Error::Source { .. } => ExitStatus::StoreError,
            Error::NotPermitted(_) => ExitStatus::NotPermitted,
            Error::Interrupted | Error::EndOfInput => ExitStatus::Interrupted,
            Error::Output { .. } => ExitStatus::OutputError,
            Error::OutputClosed => ExitStatus::Success,
        }
    }

    /// The process's exit status (`status().row().code`).
    pub fn exit_code(&self) -> u8 {
        self.status().row().code
    }

    /// The stable `code` of the JSON error object. `OutputClosed`, the one
    /// error that ends in success, prints no error object and has none.
    pub fn code(&self) -> &'static str {
        self.status().row().json_code.unwrap_or_default()
    }

    /// Lines that help the user out of this error, in the order to show them.
    pub fn hints(&self) -> Vec<String> {
        match self {
            Error::Usage { hint, .. }
            | Error::NotAuthenticated { hint, .. }
            | Error::Store { hint, .. }
            | Error::Source { hint, .. } => hint.iter().cloned().collect(),
            Error::InvalidInput(problems) => {
                problems.iter().filter_map(|p| p.hint.clone()).collect()
            }
            Error::TokenStoreUnavailable { hint, .. } => vec![hint.clone()],
            Error::Conflict(_) => vec!["choose another, or log in to the existing account".into()],
            Error::Conflicts(_) => vec![
                "pass --on-conflict skip to keep the existing users, or update to overwrite them"
                    .into(),
            ],
            Error::LockedOut { .. } => {
                vec!["an admin can clear the lock with `latch users unlock NAME`".into()]
            }
            Error::Internal(_)
            | Error::NotPermitted(_)
            | Error::Interrupted
            | Error::EndOfInput
            | Error::Output { .. }
            | Error::OutputClosed => Vec::new(),
        }
    }

    /// The problems of an `InvalidInput`, empty for every other error.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::InvalidInput(problems) | Error::Conflicts(problems) => problems,
            _ => &[],
        }
    }

    /// The error for a failed write to `target` ("standard output", or the
    /// file's path): `OutputClosed` when the reader went away (a closed
    /// pipe), which is no failure; `Output` (exit 74) for any other cause.
    pub fn write_failed(e: &std::io::Error, target: &str) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Error::OutputClosed
        } else {
            Error::Output {
                target: target.to_owned(),
                cause: io_cause(e),
            }
        }
    }

    /// The same error, said of `target`: a writer that did not know where
    /// it was writing names the place here.
    pub fn written_to(self, target: &str) -> Self {
        match self {
            Error::Output { cause, .. } => Error::Output {
                target: target.to_owned(),
                cause,
            },
            other => other,
        }
    }

    /// An account store error for `path`, with an optional hint.
    pub fn store(path: &std::path::Path, cause: impl Into<String>, hint: Option<String>) -> Self {
        Error::Store {
            path: path.display().to_string(),
            cause: cause.into(),
            hint,
        }
    }
}

/// The operating system's words for `e`, without Rust's "(os error N)".
pub fn io_cause(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.rsplit_once(" (os error ") {
        Some((cause, _)) => cause.to_owned(),
        None => text,
    }
}

fn describe_problems(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(Problem::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn describe_taken(taken: Taken) -> &'static str {
    match taken {
        Taken::Username => "that username is already taken",
        Taken::Email => "that email address is already registered",
        Taken::Both => {
            "that username is already taken and that email address is already registered"
        }
    }
}

/// "45 seconds", "2 minutes", "1 hour": for lockout messages.
pub fn human_seconds(seconds: i64) -> String {
    let seconds = seconds.max(1);
    let (n, unit) = if seconds < 120 {
        (seconds, "second")
    } else if seconds < 2 * 3600 {
        ((seconds + 59) / 60, "minute")
    } else {
        ((seconds + 3599) / 3600, "hour")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_table() {
        let cases = [
            (Error::Internal("x".into()), 1, "internal"),
            (Error::usage("x", None), 2, "usage"),
            (Error::invalid("username", "x"), 3, "invalid_input"),
            (Error::not_authenticated("x", None), 4, "not_authenticated"),
            (
                Error::LockedOut {
                    username: "a".into(),
                    retry_after: 60,
                },
                5,
                "locked",
            ),
            (Error::Conflict(Taken::Email), 6, "conflict"),
            (
                Error::TokenStoreUnavailable {
                    store: "keyring",
                    cause: "x".into(),
                    hint: "y".into(),
                },
                7,
                "token_store_unavailable",
            ),
            (Error::store("a".as_ref(), "x", None), 8, "store_error"),
            (Error::NotPermitted("x".into()), 9, "not_permitted"),
            (Error::Interrupted, 130, "interrupted"),
            (Error::EndOfInput, 130, "interrupted"),
            (
                Error::Output {
                    target: "standard output".into(),
                    cause: "No space left on device".into(),
                },
                74,
                "output_error",
            ),
            (Error::OutputClosed, 0, ""),
        ];
        for (error, exit, code) in cases {
            assert_eq!(error.exit_code(), exit, "{error:?}");
            assert_eq!(error.code(), code, "{error:?}");
        }
    }

    #[test]
    fn the_table_has_one_row_per_code_and_json_code() {
        let codes: std::collections::BTreeSet<u8> =
            ExitStatus::ALL.iter().map(|s| s.row().code).collect();
        assert_eq!(codes.len(), ExitStatus::ALL.len());
        let json: std::collections::BTreeSet<&str> = ExitStatus::ALL
            .iter()
            .filter_map(|s| s.row().json_code)
            .collect();
        assert_eq!(json.len(), ExitStatus::ALL.len() - 1);
        assert_eq!(ExitStatus::ALL[0], ExitStatus::Success);
        assert_eq!(ExitStatus::Success.row().json_code, None);
    }

    #[test]
    fn every_problem_is_in_the_message() {
        let error = Error::InvalidInput(vec![
            Problem::new("username", "is required"),
            Problem::new("email", "is not a valid email address"),
        ]);
        assert_eq!(
            error.to_string(),
            "username: is required; email: is not a valid email address"
        );
    }

    #[test]
    fn human_seconds_reads_well() {
        assert_eq!(human_seconds(1), "1 second");
        assert_eq!(human_seconds(0), "1 second");
        assert_eq!(human_seconds(59), "59 seconds");
        assert_eq!(human_seconds(120), "2 minutes");
        assert_eq!(human_seconds(3600), "60 minutes");
        assert_eq!(human_seconds(7200), "2 hours");
    }
}
