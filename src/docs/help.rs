//! The plain-text renderings of the exit status table (`error::ExitStatus`):
//! the end of `latch --help` (with its examples) and the table in README.md.
//! Text only, made from the table, never written again by hand.

use crate::error::{ExitRow, ExitStatus};

/// Where the second column of `--help`'s exit status table starts, after the
/// two-space indent.
const SECOND_COLUMN: usize = 26;

/// The examples at the end of `latch --help`.
const EXAMPLES: &str = "\
Examples:
  latch register alice --email alice@example.com
  printf '%s\\n' \"$PW\" | latch login alice --password-stdin
  if latch whoami -q; then echo \"logged in\"; fi";

/// What `latch --help` prints after the options: the exit statuses, the
/// one-digit ones in two columns and the others a line each, then examples.
pub fn after_long_help() -> String {
    let line = |row: &ExitRow| format!("{} {}", row.code, row.summary);
    let (short, long): (Vec<ExitRow>, Vec<ExitRow>) = ExitStatus::ALL
        .iter()
        .map(|status| status.row())
        .partition(|row| row.code < 10);
    let (left, right) = short.split_at(short.len().div_ceil(2));
    let mut text = String::from("Exit status:\n");
    for (i, row) in left.iter().enumerate() {
        match right.get(i) {
            Some(other) => text += &format!("  {:<SECOND_COLUMN$}{}\n", line(row), line(other)),
            None => text += &format!("  {}\n", line(row)),
        }
    }
    for row in &long {
        text += &format!("  {}\n", line(row));
    }
    text + "\n" + EXAMPLES
}

/// README.md's exit status table, in Markdown.
pub fn exit_status_markdown() -> String {
    let mut table = String::from("| code | meaning | JSON `code` |\n| --- | --- | --- |\n");
    for status in ExitStatus::ALL {
        let row = status.row();
        let json = row
            .json_code
            .map_or_else(|| "—".to_owned(), |code| format!("`{code}`"));
        table += &format!("| {} | {} | {json} |\n", row.code, row.meaning);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_every_status_once() {
        let help = after_long_help();
        for status in ExitStatus::ALL {
            let row = status.row();
            let entry = format!("{} {}", row.code, row.summary);
            assert_eq!(help.matches(&entry).count(), 1, "{entry}");
        }
    }
}
