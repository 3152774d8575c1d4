//! What latch shows: results on stdout, messages and errors on stderr, in
//! text for people or JSON for scripts, with colour only where it is wanted.
//!
//! Errors are `latch: error: <what>` with `hint:` lines, or one JSON object
//! under `--json`. A closed stdout (`latch whoami | head -0`) is not an error.

use std::io::{IsTerminal, Write};

use serde_json::json;

use crate::error::Error;

/// When to colour stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// When stderr is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        }
    }
}

/// The channel to the user for one command.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub color: bool,
    pub json: bool,
    pub quiet: bool,
    /// `whoami -q`, `verify -q`: "not logged in", a wrong password and a
    /// locked name are answers, told by the exit status alone.
    pub quiet_when_unauthenticated: bool,
    /// `verify --pam`: an error is one line, without hints (pam_exec's
    /// `log=` file keeps it).
    pub brief: bool,
}

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

impl Ui {
    fn paint(&self, color: &str, text: &str) -> String {
        if self.color {
            format!("{color}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }

    /// A line of result on stdout. A closed pipe is not an error.
    pub fn print(&self, line: &str) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}").and_then(|()| out.flush());
    }

    /// A JSON value on stdout, on one line.
    pub fn print_json(&self, value: &serde_json::Value) {
        self.print(&value.to_string());
    }

    /// A confirmation on stderr, unless `-q`.
    pub fn say(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    pub fn warn(&self, line: &str) {
        eprintln!("latch: {} {line}", self.paint(YELLOW, "warning:"));
    }

    /// Reports `error` on stderr, as text or (under `--json`) as JSON.
    pub fn error(&self, error: &Error) {
        if self.quiet_when_unauthenticated
            && matches!(
                error,
                Error::NotAuthenticated { .. } | Error::LockedOut { .. }
            )
        {
            return;
        }
        // The whole report in one write: a script's stderr may be shared.
        let _ = std::io::stderr().write_all(self.report(error).as_bytes());
    }

    /// What `error` writes: its lines, each ending in a newline.
    pub fn report(&self, error: &Error) -> String {
        if self.json {
            return format!("{}\n", error_json(error));
        }
        let label = self.paint(RED, "error:");
        let problems = error.problems();
        let messages: Vec<String> = if problems.is_empty() {
            vec![error.to_string()]
        } else {
            problems.iter().map(ToString::to_string).collect()
        };
        let mut report = String::new();
        for message in messages {
            report += &format!("latch: {label} {}\n", one_line(&message));
        }
        if self.brief {
            return report;
        }
        for hint in error.hints() {
            report += &format!("{} {}\n", self.paint(CYAN, "hint:"), one_line(&hint));
        }
        report
    }
}

/// The JSON error object: `{"error":{"code","message","problems":[…]}}`.
pub fn error_json(error: &Error) -> serde_json::Value {
    let mut body = json!({
        "code": error.code(),
        "message": error.to_string(),
        "problems": error.problems(),
    });
    let hints = error.hints();
    if !hints.is_empty() {
        body["hints"] = json!(hints);
    }
    json!({ "error": body })
}

/// Keeps text on one line and harmless to a terminal whatever it holds:
/// control characters (escape sequences among them) are shown escaped. For
/// errors, and for every table cell that shows stored text.
pub fn one_line(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Problem;

    #[test]
    fn json_errors_carry_code_message_and_problems() {
        let error = Error::InvalidInput(vec![
            Problem::new("username", "is required"),
            Problem::new("password", "is too easy to guess").with_hint("add a word"),
        ]);
        let value = error_json(&error);
        assert_eq!(value["error"]["code"], "invalid_input");
        assert_eq!(value["error"]["problems"][1]["field"], "password");
        assert_eq!(
            value["error"]["problems"][1]["message"],
            "is too easy to guess"
        );
        assert_eq!(value["error"]["hints"][0], "add a word");
    }

    #[test]
    fn control_characters_never_break_the_line() {
        assert_eq!(one_line("a\nb\u{1b}[31m"), "a\\nb\\u{1b}[31m");
    }
}
