//! JSON Lines, one user per line (`import --format jsonl`): reading a line
//! into a checked user (`parse_line`) and a file into a stream of them
//! (`json_lines`), a line at a time, each line at most `MAX_LINE` bytes.
//! It never quotes a value from a bad line: serde's messages are cut down
//! to latch's own field names and serde's fixed words.

use std::io::{BufRead, Read};

use serde_json::Value;

use super::check::check_user;
use super::{Incoming, at_place};
use crate::error::{Error, Problem, Result};
use crate::store::{NOT_A_TIME, NewUser};
use crate::timestamp::DateTime;

/// The longest line an import reads; a longer one is a problem of its own.
pub const MAX_LINE: u64 = 64 * 1024;

/// Turns one line into a user to write, or every problem with it, each field
/// named as `line N: field`. A line is a `User` as serde writes it: a line
/// that is not JSON, or holds a value of the wrong type, is one problem (the
/// first serde meets); a user goes through `check_user`. A time that is not
/// one stops serde too, so such a line is checked again without its times
/// (`with_bad_times`).
pub fn parse_line(line: &str, number: u64) -> Result<NewUser, Vec<Problem>> {
    let place = format!("line {number}");
    match serde_json::from_str::<NewUser>(line) {
        Ok(user) => check_user(user).map_err(|problems| at_place(&place, problems)),
        Err(e) => Err(match time_problem(&e) {
            Some(field) => with_bad_times(line, field, &place),
            None => vec![Problem::new(place, json_problem(&e, line))],
        }),
    }
}

/// The problems of a line whose time `first` is not one: the rest of the
/// line's (it read without its bad times, as far as serde then goes), then
/// each bad time.
fn with_bad_times(line: &str, first: &'static str, place: &str) -> Vec<Problem> {
    let mut bad = vec![first];
    let mut problems = Vec::new();
    if let Ok(mut object) = serde_json::from_str::<serde_json::Map<String, Value>>(line) {
        bad = TIMES
            .into_iter()
            .filter(|field| {
                object
                    .get(*field)
                    .and_then(Value::as_str)
                    .is_some_and(|text| DateTime::parse(text).is_none())
            })
            .collect();
        object.retain(|field, _| !bad.contains(&field.as_str()));
        // Another problem behind the times is for the next run.
        if let Ok(user) = serde_json::from_value::<NewUser>(Value::Object(object)) {
            problems = check_user(user).err().unwrap_or_default();
        }
    }
    problems.extend(bad.iter().map(|field| Problem::new(*field, NOT_A_TIME)));
    at_place(place, problems)
}

/// The fields of `User` that are times.
const TIMES: [&str; 2] = ["date_joined", "last_login"];

/// The field of a time that is text but not a date and time: the model's
/// own message (`store::NOT_A_TIME`), which names the field and nothing of
/// the text.
fn time_problem(e: &serde_json::Error) -> Option<&'static str> {
    let message = e.to_string();
    TIMES.into_iter().find(|field| {
        message.starts_with(&format!("{field} {NOT_A_TIME} at line "))
            || message == format!("{field} {NOT_A_TIME}")
    })
}
/// serde's message for a bad line, without any value from the line: a value
/// of the wrong type could be a password typed in the wrong place.
fn json_problem(e: &serde_json::Error, line: &str) -> String {
    let message = e.to_string();
    let message = message.split(" at line ").next().unwrap_or_default();
    // Missing and duplicate fields are latch's own names; an unknown one is
    // the file's, quoted only when it is a plain name (never a control
    // character, a line break or a page of text).
    if let Some(rest) = message.strip_prefix("unknown field `") {
        // serde_json's own words come last: split there, not inside the name.
        return match rest.rsplit_once("`, expected ") {
            Some((name, expected)) if is_plain_name(name) => {
                format!("unknown field `{name}`, expected {expected}")
            }
            _ => format!("has an unknown field (column {})", e.column()),
        };
    }
    let names_a_field = ["missing field", "duplicate field"]
        .iter()
        .any(|start| message.starts_with(start));
    match e.classify() {
        serde_json::error::Category::Data if names_a_field => message.to_owned(),
        serde_json::error::Category::Data => {
            format!("a value has the wrong type (column {})", e.column())
        }
        serde_json::error::Category::Eof => "the JSON object is cut short".into(),
        // serde_json's syntax messages are its own fixed words ("number out
        // of range", "trailing characters"), never the line's.
        serde_json::error::Category::Syntax if line.trim_start().starts_with('{') => {
            format!("is not valid JSON: {message} (column {})", e.column())
        }
        _ => format!("is not a JSON object (column {})", e.column()),
    }
}

fn is_plain_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}
/// The users of a JSON Lines file, a line at a time.
pub fn json_lines<'a>(input: &'a mut dyn BufRead) -> impl Iterator<Item = Result<Incoming>> + 'a {
    let mut number = 0u64;
    let mut line = Vec::new();
    std::iter::from_fn(move || {
        loop {
            line.clear();
            let read = match input.take(MAX_LINE + 1).read_until(b'\n', &mut line) {
                Ok(read) => read,
                Err(e) => {
                    return Some(Err(Error::invalid("input", format!("cannot read it: {e}"))));
                }
            };
            if read == 0 {
                return None;
            }
            number += 1;
            let place = format!("line {number}");
            if line.len() as u64 > MAX_LINE && line.last() != Some(&b'\n') {
                if let Err(e) = skip_rest_of_line(input) {
                    return Some(Err(e));
                }
                let problem =
                    Problem::new(place.clone(), format!("is longer than {MAX_LINE} bytes"));
                return Some(Ok(Incoming {
                    place,
                    user: Err(vec![problem]),
                    factor: None,
                }));
            }
            // A byte-order mark (as some editors write) may open the file.
            let bytes = match line.strip_prefix(b"\xef\xbb\xbf") {
                Some(rest) if number == 1 => rest,
                _ => &line[..],
            };
            let Ok(text) = std::str::from_utf8(bytes) else {
                let problem = Problem::new(place.clone(), "is not valid UTF-8");
                return Some(Ok(Incoming {
                    place,
                    user: Err(vec![problem]),
                    factor: None,
                }));
            };
            if text.trim().is_empty() {
                continue;
            }
            let user = parse_line(text, number);
            return Some(Ok(Incoming {
                place,
                user,
                factor: None,
            }));
        }
    })
}
fn skip_rest_of_line(input: &mut dyn BufRead) -> Result<()> {
    let mut sink = Vec::new();
    loop {
        sink.clear();
        let read = input
            .take(MAX_LINE)
            .read_until(b'\n', &mut sink)
            .map_err(|e| Error::invalid("input", format!("cannot read it: {e}")))?;
        if read == 0 || sink.last() == Some(&b'\n') {
            return Ok(());
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::timestamp::DateTime;

    const HASH: &str =
        "pbkdf2_sha256$1200000$seasalt0123456789ABCDE$akP42UnRyfsYsw5KDfgkXZ81K967fXLNmWc+8OhHGsE=";

    fn line(fields: &str) -> String {
        format!(r#"{{"username":"alice","email":"alice@example.com","password":"{HASH}"{fields}}}"#)
    }

    #[test]
    fn a_minimal_line_gets_the_defaults() {
        let before = DateTime::now();
        let user = parse_line(&line(""), 1).expect("valid");
        assert_eq!(user.username, "alice");
        assert!(user.is_active && !user.is_staff && !user.is_superuser);
        assert!((before..=DateTime::now()).contains(&user.date_joined));
        assert_eq!(user.last_login, None);
    }

    #[test]
    fn every_problem_of_a_line_is_named() {
        // The times (which serde stops at) after the rest.
        let text = r#"{"username":"bad name","email":"nope","password":"hunter2hunter2","first_name":"a","date_joined":"then","last_login":"hunter2"}"#;
        let text = text.replace("\"a\"", &format!("{:?}", "a".repeat(151)));
        let problems = parse_line(&text, 7).expect_err("invalid");
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "line 7: username",
                "line 7: email",
                "line 7: password",
                "line 7: first_name",
                "line 7: date_joined",
                "line 7: last_login"
            ]
        );
        for problem in &problems {
            assert!(!problem.message.contains("hunter2"), "{problem:?}");
        }
    }

    #[test]
    fn a_time_that_is_not_one_is_named_without_its_text() {
        for (fields, field) in [
            (r#","date_joined":"hunter2""#, "date_joined"),
            (r#","last_login":"2026-13-01 00:00:00""#, "last_login"),
        ] {
            let problems = parse_line(&line(fields), 3).expect_err("invalid");
            assert_eq!(
                problems,
                [Problem::new(
                    format!("line 3: {field}"),
                    "is not a date and time"
                )]
            );
        }
        // A value of the wrong type behind a bad time: the time alone.
        let problems =
            parse_line(&line(r#","date_joined":"then","is_staff":"no""#), 3).expect_err("invalid");
        assert_eq!(
            problems,
            [Problem::new(
                "line 3: date_joined",
                "is not a date and time"
            )]
        );
        let problems = parse_line(&line(r#","date_joined":5"#), 3).expect_err("invalid");
        assert!(problems[0].message.contains("wrong type"), "{problems:?}");
        let user = parse_line(&line(r#","last_login":null"#), 3).expect("valid");
        assert_eq!(user.last_login, None);
    }

    #[test]
    fn json_problems_never_quote_values() {
        let cases = [
            (
                r#"{"username":"a","email":"a@b.cc","password":"x","is_active":1e999}"#,
                "is not valid JSON: number out of range (column ",
            ),
            (
                r#"{"username":"a","email":"a@b.cc","password":"hunter2"} hunter2"#,
                "is not valid JSON: trailing characters (column ",
            ),
            (
                r#"{"username":"a","email":"a@b.cc","password":"x","is_active":"hunter2"}"#,
                "wrong type",
            ),
            (
                r#"{"username":"a","email":"a@b.cc","passwd":"hunter2"}"#,
                "unknown field `passwd`",
            ),
            (
                r#"{"username":"a","email":"a@b.cc"}"#,
                "missing field `password`",
            ),
            (
                r#"{"username":"a","email":"a@b.cc","hunter2\n\u202e":1}"#,
                "has an unknown field (column ",
            ),
            (
                r#"{"username":"a","email":"a@b.cc","a`, hunter2\n\u202e":1}"#,
                "has an unknown field (column ",
            ),
            (r#"{"username":"a""#, "cut short"),
            (r#"hunter2"#, "not a JSON object"),
            (r#"["hunter2"]"#, "wrong type"),
        ];
        for (text, expected) in cases {
            let problems = parse_line(text, 1).expect_err("invalid");
            assert!(
                problems[0].message.contains(expected),
                "{text}: {problems:?}"
            );
            assert!(
                !problems[0].message.contains("hunter2"),
                "{text}: {problems:?}"
            );
            assert!(
                !problems[0].message.contains(['\n', '\u{202e}']),
                "{text}: {problems:?}"
            );
        }
    }

    #[test]
    fn a_hash_beyond_the_work_limit_says_so() {
        let over = line("").replace("$1200000$", "$100000001$");
        let problems = parse_line(&over, 1).expect_err("refused");
        assert_eq!(
            problems[0].message,
            "asks for 100000001 iterations, more than the 100000000 latch checks \
             (a planted hash must not tie up the machine)"
        );
        let sha1 = line("").replace(
            "pbkdf2_sha256$1200000$",
            "pbkdf2_sha1$999999999999999999999999$",
        );
        let problems = parse_line(&sha1, 1).expect_err("refused");
        assert!(
            problems[0]
                .message
                .starts_with("asks for 999999999999999999999999 iterations"),
            "{problems:?}"
        );
        let bcrypt = line("").replace(&HASH.to_string(), "bcrypt_sha256$$2b$31$abc");
        let problems = parse_line(&bcrypt, 1).expect_err("refused");
        assert!(
            problems[0]
                .message
                .starts_with("is a bcrypt_sha256 hash latch cannot read"),
            "{problems:?}"
        );
        let plain = line("").replace(&HASH.to_string(), "hunter2$hunter2");
        let problems = parse_line(&plain, 1).expect_err("refused");
        assert!(
            problems[0]
                .message
                .contains("plain-text passwords are never imported"),
            "{problems:?}"
        );
        assert!(!problems[0].message.contains("hunter2"), "{problems:?}");
    }

    #[test]
    fn a_byte_order_mark_may_open_the_file_only() {
        let text = format!(
            "\u{feff}{}\n\u{feff}{}\n",
            line(""),
            line("").replace("alice", "bob")
        );
        let mut input = std::io::Cursor::new(text.into_bytes());
        let incoming: Vec<Incoming> = json_lines(&mut input).map(|i| i.expect("read")).collect();
        assert!(incoming[0].user.is_ok(), "{incoming:?}");
        assert!(incoming[1].user.is_err(), "{incoming:?}");
    }

    #[test]
    fn records_round_trip() {
        let user = parse_line(
            &line(r#","is_superuser":true,"last_login":"2026-01-02T03:04:05Z""#),
            1,
        )
        .expect("valid");
        let exported = user.clone().with_id(1);
        let text = serde_json::to_string(&exported).expect("JSON");
        assert_eq!(parse_line(&text, 1).expect("valid"), user);
    }
}
