//! What latch shows: results on stdout, messages and errors on stderr, in
//! text for people or JSON for scripts, with colour only where it is wanted.
//!
//! Errors are `latch: error: <what>` with `hint:` lines (each distinct hint
//! once), or one JSON object under `--json`. A closed stdout (`latch whoami |
//! head -0`) is not an error; any other failure to write it is (exit 74), and
//! every command's stdout goes through `Ui::print` or `stdout_error` so that
//! it is handled alike. Text that a user or a file supplied is shown through
//! `one_line`, never raw; tables are fitted to the terminal by `table`.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde_json::json;
use unicode_width::UnicodeWidthStr;

use crate::error::{Error, Result};

/// How errors name standard output.
pub const STDOUT: &str = "standard output";

/// The error for a failed write to standard output: none for a closed pipe
/// (`Error::OutputClosed`, exit 0), exit 74 otherwise.
pub fn stdout_error(e: std::io::Error) -> Error {
    Error::write_failed(&e, STDOUT)
}

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

    /// A result on stdout, with a newline. A closed pipe is
    /// `Error::OutputClosed`; any other write error is `Error::Output`.
    pub fn print(&self, text: &str) -> Result<()> {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{text}")
            .and_then(|()| out.flush())
            .map_err(stdout_error)
    }

    /// A JSON value on stdout, on one line.
    pub fn print_json(&self, value: &serde_json::Value) -> Result<()> {
        self.print(&value.to_string())
    }

    /// A confirmation on stderr, unless `-q`. It names users, so it goes
    /// through `one_line`.
    pub fn say(&self, line: &str) {
        if !self.quiet {
            to_stderr(&format!("{}\n", one_line(line)));
        }
    }

    pub fn warn(&self, line: &str) {
        to_stderr(&format!(
            "latch: {} {}\n",
            self.paint(YELLOW, "warning:"),
            one_line(line)
        ));
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
        for hint in distinct(error.hints()) {
            report += &format!("{} {}\n", self.paint(CYAN, "hint:"), one_line(&hint));
        }
        report
    }
}

/// Writes `text` to stderr in one write. A stderr that cannot be written
/// (`2>/dev/full`) leaves nowhere to say so: the text is dropped, and the
/// command's exit status still tells (`eprintln!` would panic instead).
pub fn to_stderr(text: &str) {
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// The JSON error object: `{"error":{"code","message","problems":[…]}}`.
pub fn error_json(error: &Error) -> serde_json::Value {
    let mut body = json!({
        "code": error.code(),
        "message": error.to_string(),
        "problems": error.problems(),
    });
    let hints = distinct(error.hints());
    if !hints.is_empty() {
        body["hints"] = json!(hints);
    }
    json!({ "error": body })
}

/// Each hint once, in the order first given: a report of many problems (an
/// import's thousand bad lines) often has the same advice for all of them.
fn distinct(hints: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    hints
        .into_iter()
        .filter(|hint| seen.insert(hint.clone()))
        .collect()
}

/// The one escaping function for text a user or a file supplied (names,
/// addresses, hosts, details, messages quoting them): it keeps the text on
/// one line and shows it as it is. Control characters (escape sequences
/// among them), line and paragraph separators, bidirectional overrides and
/// isolates, and invisible characters (zero-width spaces and joiners, the
/// soft hyphen, word joiners, byte-order marks, fillers, tags) are written
/// as `\u{…}` escapes. JSON output does not use it: serde escapes control
/// characters, and a program reading JSON gets the value exactly.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that move, hide or reorder what a terminal shows.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// `word` as one shell word: as it is when it holds only characters no
/// shell treats specially, else in single quotes.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// `operand` as the last word of a command in a hint: quoted for the shell,
/// and after `--` when it starts with `-`, so that it is never read as an
/// option (`latch users delete --yes -- -rf`).
pub fn shell_operand(operand: &str) -> String {
    if operand.starts_with('-') {
        format!("-- {}", shell_word(operand))
    } else {
        shell_word(operand)
    }
}

/// The width tables must fit in: `COLUMNS` when it is a positive number (as
/// `ls` reads it), else the terminal's when standard output is one, else
/// none (a pipe or a file gets whole rows).
pub fn output_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
    {
        return Some(columns);
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(terminal_size::Width(columns), _)| usize::from(columns))
        .filter(|&columns| columns > 0)
}

/// The narrowest a column of a grid may be: its longest word, up to this.
const WORD_LIMIT: usize = 20;

/// Rows under `header`, fitted to `output_width()`: a grid when every
/// column can be as wide as its longest word (up to 20 characters), else one
/// record per block, as `psql`'s expanded mode shows them. Cells are shown
/// as given: the caller passes them through `one_line`.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    table_at(header, rows, output_width())
}

/// `table` at a given width (`None`: no limit).
pub fn table_at(header: &[&str], rows: &[Vec<String>], width: Option<usize>) -> String {
    let Some(width) = width else {
        return grid(header, rows, None);
    };
    let narrowest: usize = (0..header.len())
        .map(|column| {
            std::iter::once(header[column])
                .chain(
                    rows.iter()
                        .filter_map(|row| row.get(column).map(String::as_str)),
                )
                .flat_map(str::split_whitespace)
                .map(UnicodeWidthStr::width)
                .max()
                .unwrap_or(0)
                .clamp(1, WORD_LIMIT)
        })
        .sum();
    // Each column has a space either side and a border on its left; the
    // last has one on its right too.
    if narrowest + 3 * header.len() < width {
        let text = grid(header, rows, Some(width));
        if text.lines().all(|line| line.width() <= width) {
            return text;
        }
    }
    expanded(header, rows, width)
}

fn grid(header: &[&str], rows: &[Vec<String>], width: Option<usize>) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(header);
    match width {
        Some(width) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(u16::try_from(width).unwrap_or(u16::MAX));
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    for row in rows {
        table.add_row(row);
    }
    table.to_string()
}

/// One block per record: a `-[ N ]` line, then `label | value` lines, the
/// values broken to fit; on a screen too narrow for that, each label on a
/// line of its own and its value indented below it.
fn expanded(header: &[&str], rows: &[Vec<String>], width: usize) -> String {
    let label_width = header.iter().map(|h| h.width()).max().unwrap_or(0);
    let beside = width.saturating_sub(label_width + 3);
    let mut out = Vec::new();
    for (number, row) in rows.iter().enumerate() {
        let title = format!("-[ {} ]", number + 1);
        let rule = width.saturating_sub(title.width()).min(label_width + 20);
        out.push(format!("{title}{}", "-".repeat(rule)));
        for (label, value) in header.iter().zip(row) {
            if beside >= 12 {
                let pad = " ".repeat(label_width - label.width());
                for (i, piece) in pieces(value, beside).into_iter().enumerate() {
                    let shown = if i == 0 { *label } else { "" };
                    let pad = if i == 0 {
                        pad.clone()
                    } else {
                        " ".repeat(label_width)
                    };
                    out.push(format!("{shown}{pad} | {piece}").trim_end().to_owned());
                }
            } else {
                out.push(label.to_string());
                for piece in pieces(value, width.saturating_sub(2).max(1)) {
                    out.push(format!("  {piece}").trim_end().to_owned());
                }
            }
        }
    }
    out.join("\n")
}

/// `text` cut into pieces of at most `width` columns (a character wider
/// than that is a piece of its own).
fn pieces(text: &str, width: usize) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width && used > 0 {
            pieces.push(String::new());
            used = 0;
        }
        if let Some(last) = pieces.last_mut() {
            last.push(c);
        }
        used += w;
    }
    pieces
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

    #[test]
    fn bidi_and_invisible_characters_are_escaped() {
        assert_eq!(one_line("alice\u{202e}"), "alice\\u{202e}");
        assert_eq!(one_line("al\u{200b}ice\u{2066}"), "al\\u{200b}ice\\u{2066}");
        assert_eq!(
            one_line("\u{feff}x\u{ad}\u{2028}"),
            "\\u{feff}x\\u{ad}\\u{2028}"
        );
        assert_eq!(
            one_line("Álvaro 李雷 👩‍👩‍👧"),
            "Álvaro 李雷 👩\\u{200d}👩\\u{200d}👧"
        );
    }

    #[test]
    fn hints_quote_names_for_the_shell() {
        assert_eq!(shell_operand("alice"), "alice");
        assert_eq!(shell_operand("-rf"), "-- -rf");
        assert_eq!(shell_operand("o'hara x"), "'o'\\''hara x'");
        assert_eq!(shell_operand("-a b"), "-- '-a b'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn the_same_hint_is_shown_once() {
        let problems = (0..500)
            .map(|i| Problem::new(format!("line {i}"), "bad").with_hint("the same advice"))
            .collect();
        let ui = Ui {
            color: false,
            json: false,
            quiet: false,
            quiet_when_unauthenticated: false,
            brief: false,
        };
        let report = ui.report(&Error::InvalidInput(problems));
        assert_eq!(report.matches("hint: the same advice").count(), 1);
        assert_eq!(report.lines().count(), 501);
    }

    #[test]
    fn tables_fit_their_width_or_become_records() {
        let header = ["username", "email", "admin", "active", "joined"];
        let rows = vec![
            [
                "alice",
                "alice@example.com",
                "yes",
                "yes",
                "2026-11-24 05:07",
            ]
            .map(String::from)
            .to_vec(),
            ["bob", "bob@example.com", "no", "yes", "2026-11-25 06:00"]
                .map(String::from)
                .to_vec(),
        ];
        for width in [20, 40, 60, 80, 120] {
            let text = table_at(&header, &rows, Some(width));
            for line in text.lines() {
                assert!(line.width() <= width, "{width}: {line:?} in\n{text}");
            }
            assert!(
                text.contains("alice@example.com") || width < 40,
                "{width}:\n{text}"
            );
        }
        assert!(table_at(&header, &rows, Some(40)).starts_with("-[ 1 ]"));
        assert!(table_at(&header, &rows, Some(120)).starts_with('┌'));
        assert!(table_at(&header, &rows, None).starts_with('┌'));
    }
}
