//! Moving many users in and out at once: JSON Lines, one user per line, with
//! the `users` columns and the password as its Django-encoded hash.
//!
//! Both directions stream: an import reads one line at a time inside one
//! transaction (all or nothing) and an export writes one row at a time, so a
//! million users need no memory in proportion. A password in plain text is
//! never accepted, and no message quotes a value from the file that could be
//! one.

use std::io::{BufRead, Read, Write};

use serde::{Deserialize, Serialize};

use crate::accounts::require_admin;
use crate::audit::{AuditEvent, EventKind};
use crate::django::{DjangoUser, FixtureWriter, PrimaryKeys};
use crate::error::{Error, Problem, Result, Taken};
use crate::password;
use crate::store::{AccountStore, ImportEnd, NewUser, User, UserFilter, Written};
use crate::{timestamp, validate};

/// The longest line an import reads; a longer one is a problem of its own.
pub const MAX_LINE: u64 = 64 * 1024;
/// How many problems an import lists before it only counts the rest.
pub const MAX_PROBLEMS: usize = 1000;

/// One user as a line of JSON: the `users` columns, as Django names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub username: String,
    pub email: String,
    /// A Django-encoded hash, or `!…` for an account without a password.
    pub password: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default = "active_by_default")]
    pub is_active: bool,
    #[serde(default)]
    pub is_staff: bool,
    #[serde(default)]
    pub is_superuser: bool,
    /// Django's `YYYY-MM-DD HH:MM:SS.ffffff` (UTC) or RFC 3339; now when absent.
    #[serde(default)]
    pub date_joined: Option<String>,
    #[serde(default)]
    pub last_login: Option<String>,
}

fn active_by_default() -> bool {
    true
}

impl From<&User> for Record {
    fn from(user: &User) -> Self {
        Record {
            username: user.username.clone(),
            email: user.email.clone(),
            password: user.password.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            is_active: user.is_active,
            is_staff: user.is_staff,
            is_superuser: user.is_superuser,
            date_joined: Some(user.date_joined.clone()),
            last_login: user.last_login.clone(),
        }
    }
}

/// What to do with a row whose username or email is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OnConflict {
    /// Import nothing, and list every such row (exit 6)
    #[default]
    Fail,
    /// Keep the existing user and go on
    Skip,
    /// Write the row over the user with that username
    Update,
}

/// What an import did (or, dry, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Users read from the source (blank lines aside).
    pub read: u64,
    pub inserted: u64,
    pub updated: u64,
    /// Kept as they were, under `--on-conflict skip`.
    pub skipped: u64,
    /// Rows latch's rules refuse, under `Refused::Skip`: one problem each
    /// (the first `MAX_PROBLEMS`), and their count.
    pub refused: u64,
    pub refusals: Vec<Problem>,
}

/// Turns one line into a user to write, or every problem with it, each field
/// named as `line N: field`.
pub fn parse_line(line: &str, number: u64, now: i64) -> Result<NewUser, Vec<Problem>> {
    let place = format!("line {number}");
    let record: Record = serde_json::from_str(line)
        .map_err(|e| vec![Problem::new(place.clone(), json_problem(&e, line))])?;
    check_record(record, now).map_err(|problems| at_place(&place, problems))
}

/// Names each problem's field as `PLACE: field`.
fn at_place(place: &str, problems: Vec<Problem>) -> Vec<Problem> {
    problems
        .into_iter()
        .map(|p| Problem {
            field: format!("{place}: {}", p.field),
            ..p
        })
        .collect()
}

/// Checks a record against latch's rules, as `register` would.
pub fn check_record(record: Record, now: i64) -> Result<NewUser, Vec<Problem>> {
    let mut problems = Vec::new();
    let username = validate::username(&record.username)
        .map_err(|p| problems.extend(p))
        .ok();
    let email = validate::email(&record.email)
        .map_err(|p| problems.extend(p))
        .ok();
    if record.password.is_empty() {
        problems.push(Problem::new(
            "password",
            "is required: a Django-encoded hash, or ! for none",
        ));
    } else if !password::is_storable(&record.password) {
        problems.push(Problem::new("password", unreadable_hash(&record.password)));
    }
    let date_joined = match &record.date_joined {
        None => Some(timestamp::django(now)),
        Some(text) => timestamp::normalize(text),
    };
    if date_joined.is_none() {
        problems.push(Problem::new("date_joined", "is not a date and time"));
    }
    let last_login = record.last_login.as_deref().map(timestamp::normalize);
    if last_login == Some(None) {
        problems.push(Problem::new("last_login", "is not a date and time"));
    }
    for (field, value) in [
        ("first_name", &record.first_name),
        ("last_name", &record.last_name),
    ] {
        if value.chars().count() > 150 {
            problems.push(Problem::new(field, "must be at most 150 characters"));
        }
    }
    match (username, email, date_joined) {
        (Some(username), Some(email), Some(date_joined)) if problems.is_empty() => Ok(NewUser {
            username_key: validate::fold(&username),
            email_key: validate::email_key(&email),
            username,
            email,
            password: record.password,
            first_name: record.first_name,
            last_name: record.last_name,
            is_active: record.is_active,
            is_staff: record.is_staff,
            is_superuser: record.is_superuser,
            date_joined,
            last_login: last_login.flatten(),
        }),
        _ => Err(problems),
    }
}

/// The algorithms of Django's default hashers, which a message may name.
const DJANGO_ALGORITHMS: [&str; 5] = [
    "pbkdf2_sha256",
    "pbkdf2_sha1",
    "argon2",
    "bcrypt_sha256",
    "scrypt",
];

/// Why a `password` latch cannot store is refused, quoting nothing from it
/// but a known algorithm's name and a PBKDF2 iteration count (a number): the
/// field could hold a plain-text password.
fn unreadable_hash(encoded: &str) -> String {
    let mut fields = encoded.split('$');
    let algorithm = fields.next().unwrap_or_default();
    if !DJANGO_ALGORITHMS.contains(&algorithm) || !encoded.contains('$') {
        return "is not a Django-encoded hash latch can verify \
                (plain-text passwords are never imported)"
            .into();
    }
    let limit = password::MAX_ITERATIONS;
    if algorithm.starts_with("pbkdf2_")
        && let Some(iterations) = fields
            .next()
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<u128>().ok())
        && iterations > u128::from(limit)
    {
        return format!(
            "asks for {iterations} iterations, more than the {limit} latch checks \
             (a planted hash must not tie up the machine)"
        );
    }
    format!(
        "is a {algorithm} hash latch cannot read: malformed, or asking for more work than \
         {limit} PBKDF2 iterations or more than 1 GiB of memory"
    )
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

/// What an import does with a row latch's rules refuse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Refused {
    /// Import nothing, and list every such row (exit 3): for files made for latch.
    #[default]
    Fail,
    /// Leave the row out and report it: for databases of other programs,
    /// which allowed what latch does not.
    Skip,
}

/// How an import is asked to go.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    pub on_conflict: OnConflict,
    pub refused: Refused,
    pub dry_run: bool,
}

/// One user from an import's source: where it is (`line 12`, `user 7
/// "ivan"`) and the user, or what is wrong with it (fields already named).
#[derive(Debug)]
pub struct Incoming {
    pub place: String,
    pub user: Result<NewUser, Vec<Problem>>,
    /// The user's confirmed TOTP factor (django-otp's device), if any.
    pub factor: Option<crate::mfa::totp::TotpState>,
}

/// The users of a JSON Lines file, a line at a time.
pub fn json_lines<'a>(
    input: &'a mut dyn BufRead,
    now: i64,
) -> impl Iterator<Item = Result<Incoming>> + 'a {
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
            let user = parse_line(text, number, now);
            return Some(Ok(Incoming {
                place,
                user,
                factor: None,
            }));
        }
    })
}

/// The users of a Django site's `auth_user`, a row at a time. A row with a
/// value of the wrong type is refused like any other user latch cannot take.
/// Each brings its confirmed django-otp TOTP device from `devices` along; a
/// user whose device latch cannot use is refused, rather than imported
/// without their second factor.
pub fn django_users<'a>(
    users: impl Iterator<Item = Result<crate::django::DjangoRow>> + 'a,
    mut devices: std::collections::HashMap<i64, crate::django::Device>,
    now: i64,
) -> impl Iterator<Item = Result<Incoming>> + 'a {
    users.map(move |user| {
        let user = match user? {
            Ok(user) => user,
            Err(bad) => {
                devices.remove(&bad.id);
                let place = match &bad.username {
                    Some(name) => format!("user {} {name:?}", bad.id),
                    None => format!("user {}", bad.id),
                };
                let problems = at_place(&place, bad.problems);
                return Ok(Incoming {
                    place,
                    user: Err(problems),
                    factor: None,
                });
            }
        };
        let device = devices.remove(&user.id);
        let place = format!("user {} {:?}", user.id, user.username);
        let record = Record {
            username: user.username,
            email: user.email,
            password: user.password,
            first_name: user.first_name,
            last_name: user.last_name,
            is_active: user.is_active,
            is_staff: user.is_staff,
            is_superuser: user.is_superuser,
            date_joined: Some(user.date_joined),
            last_login: user.last_login,
        };
        let user = check_record(record, now).map_err(|problems| at_place(&place, problems));
        let (user, factor) = match device {
            Some(Err(message)) => (
                Err(at_place(&place, vec![Problem::new("mfa", message)])),
                None,
            ),
            Some(Ok(factor)) => (user, Some(factor)),
            None => (user, None),
        };
        Ok(Incoming {
            place,
            user,
            factor,
        })
    })
}

/// Imports users in one transaction (admins only). With `Refused::Fail`,
/// every row latch's rules refuse is reported (exit 3); with
/// `OnConflict::Fail`, every taken username or email too (exit 6); either way
/// nothing is written. A dry run checks everything and writes nothing.
/// `progress` is told how many users were read.
pub fn import(
    store: &mut dyn AccountStore,
    admin: &User,
    source: &mut dyn Iterator<Item = Result<Incoming>>,
    options: ImportOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportReport> {
    require_admin(admin)?;
    let mut batch = store.import()?;
    let mut report = ImportReport::default();
    let mut invalid = Problems::default();
    let mut refused = Problems::default();
    let mut conflicts = Problems::default();
    for incoming in source {
        let Incoming {
            place,
            user,
            factor,
        } = incoming?;
        report.read += 1;
        progress(report.read);
        let mut refuse = |problems: Vec<Problem>| match options.refused {
            Refused::Fail => problems.into_iter().for_each(|p| invalid.push(p)),
            Refused::Skip => {
                report.refused += 1;
                // One line per refused user: its first problem says why.
                problems.into_iter().take(1).for_each(|p| refused.push(p));
            }
        };
        let user = match user {
            Ok(user) => user,
            Err(problems) => {
                refuse(problems);
                continue;
            }
        };
        match batch.insert(&user)? {
            Written::Done { id } => {
                report.inserted += 1;
                if let Some(factor) = &factor {
                    batch.set_factor(id, factor)?;
                }
            }
            Written::Taken {
                earlier: true,
                field,
                ..
            } => refuse(vec![Problem::new(
                format!("{place}: {}", taken_field(field)),
                "is taken by an earlier user of this import (letter case aside)",
            )]),
            Written::Taken { field, by, .. } => match (options.on_conflict, field) {
                (OnConflict::Fail, _) => conflicts.push(Problem::new(
                    format!("{place}: {}", taken_field(field)),
                    "belongs to an existing user",
                )),
                (OnConflict::Skip, _) => report.skipped += 1,
                (OnConflict::Update, Taken::Username | Taken::Both) => {
                    match batch.update(by, &user)? {
                        Written::Done { id } => {
                            report.updated += 1;
                            if let Some(factor) = &factor {
                                batch.set_factor(id, factor)?;
                            }
                        }
                        Written::Taken { .. } => conflicts.push(Problem::new(
                            format!("{place}: email"),
                            "belongs to another existing user",
                        )),
                    }
                }
                (OnConflict::Update, Taken::Email) => conflicts.push(Problem::new(
                    format!("{place}: email"),
                    "belongs to an existing user with another username",
                )),
            },
        }
    }
    let event = AuditEvent::new(EventKind::Import, &admin.username, Some(admin.id))
        .actor(&admin.username, admin.id)
        .detail(format!(
            "{} inserted, {} updated, {} skipped, {} refused",
            report.inserted, report.updated, report.skipped, report.refused
        ));
    if !invalid.is_empty() {
        batch.finish(ImportEnd::Abandon, &event)?;
        let mut problems = invalid.into_list();
        problems.extend(conflicts.into_list());
        return Err(Error::InvalidInput(problems));
    }
    if !conflicts.is_empty() {
        batch.finish(ImportEnd::Abandon, &event)?;
        return Err(Error::Conflicts(conflicts.into_list()));
    }
    // A dry run goes as far as the commit, with its checks, and no further.
    let end = if options.dry_run {
        ImportEnd::DryRun
    } else {
        ImportEnd::Commit
    };
    batch.finish(end, &event)?;
    report.refusals = refused.into_list();
    Ok(report)
}

fn taken_field(field: Taken) -> &'static str {
    match field {
        Taken::Username | Taken::Both => "username",
        Taken::Email => "email",
    }
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

/// The problems of an import: the first `MAX_PROBLEMS` listed, the rest counted.
#[derive(Debug, Default)]
struct Problems {
    listed: Vec<Problem>,
    more: u64,
}

impl Problems {
    fn push(&mut self, problem: Problem) {
        if self.listed.len() < MAX_PROBLEMS {
            self.listed.push(problem);
        } else {
            self.more += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    fn into_list(mut self) -> Vec<Problem> {
        if self.more > 0 {
            self.listed.push(Problem::new(
                "input",
                format!("and {} more problems", self.more),
            ));
        }
        self.listed
    }
}

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    /// One JSON object per line with the users columns (see JSONL below)
    Jsonl,
    /// A Django site's SQLite database, its auth_user table read read-only
    DjangoDb,
}

/// The formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line with the users columns, as `import` reads them
    Jsonl,
    /// A fixture for Django's `manage.py loaddata` into auth.user
    DjangoJson,
}

/// Writes every user to `output` in `format` (admins only), one row at a
/// time, and records the export. Returns how many were written.
pub fn export(
    store: &mut dyn AccountStore,
    admin: &User,
    format: ExportFormat,
    output: &mut dyn Write,
) -> Result<u64> {
    require_admin(admin)?;
    let mut count = 0;
    match format {
        ExportFormat::Jsonl => {
            store.for_each_user(UserFilter::All, &mut |listing| {
                serde_json::to_writer(&mut *output, &Record::from(&listing.user))
                    .map_err(|e| write_error(&e.into()))?;
                output.write_all(b"\n").map_err(|e| write_error(&e))?;
                count += 1;
                Ok(())
            })?;
            output.flush().map_err(|e| write_error(&e))?;
        }
        ExportFormat::DjangoJson => {
            // Without primary keys, loaddata finds each user by username:
            // loading into a site that has users updates them, never another.
            let mut fixture = FixtureWriter::new(&mut *output, PrimaryKeys::ByUsername);
            store.for_each_user(UserFilter::All, &mut |listing| {
                fixture.write(&DjangoUser::from(&listing.user))?;
                count += 1;
                Ok(())
            })?;
            // Their confirmed second factors, as django-otp's TOTP devices,
            // after every user they refer to by username.
            let tolerance = store.policy()?.mfa_drift_steps;
            store.for_each_factor(&mut |username, factor| {
                fixture.write_totp_device(username, &factor.totp, tolerance)
            })?;
            fixture.finish()?;
        }
    }
    let event = AuditEvent::new(EventKind::Export, &admin.username, Some(admin.id))
        .actor(&admin.username, admin.id)
        .detail(format!("{count} users"));
    store.record(&event)?;
    Ok(count)
}

/// A failed write of the export; the command names the place
/// (`Error::written_to`).
fn write_error(e: &std::io::Error) -> Error {
    Error::write_failed(e, "the export")
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str =
        "pbkdf2_sha256$1200000$seasalt0123456789ABCDE$akP42UnRyfsYsw5KDfgkXZ81K967fXLNmWc+8OhHGsE=";

    fn line(fields: &str) -> String {
        format!(r#"{{"username":"alice","email":"alice@example.com","password":"{HASH}"{fields}}}"#)
    }

    #[test]
    fn a_minimal_line_gets_the_defaults() {
        let user = parse_line(&line(""), 1, 0).expect("valid");
        assert_eq!(user.username, "alice");
        assert!(user.is_active && !user.is_staff && !user.is_superuser);
        assert_eq!(user.date_joined, "1970-01-01 00:00:00.000000");
        assert_eq!(user.last_login, None);
    }

    #[test]
    fn every_problem_of_a_line_is_named() {
        let text = r#"{"username":"bad name","email":"nope","password":"hunter2hunter2","date_joined":"then"}"#;
        let problems = parse_line(text, 7, 0).expect_err("invalid");
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "line 7: username",
                "line 7: email",
                "line 7: password",
                "line 7: date_joined"
            ]
        );
        for problem in &problems {
            assert!(!problem.message.contains("hunter2"), "{problem:?}");
        }
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
            let problems = parse_line(text, 1, 0).expect_err("invalid");
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
        let problems = parse_line(&over, 1, 0).expect_err("refused");
        assert_eq!(
            problems[0].message,
            "asks for 100000001 iterations, more than the 100000000 latch checks \
             (a planted hash must not tie up the machine)"
        );
        let sha1 = line("").replace(
            "pbkdf2_sha256$1200000$",
            "pbkdf2_sha1$999999999999999999999999$",
        );
        let problems = parse_line(&sha1, 1, 0).expect_err("refused");
        assert!(
            problems[0]
                .message
                .starts_with("asks for 999999999999999999999999 iterations"),
            "{problems:?}"
        );
        let bcrypt = line("").replace(&HASH.to_string(), "bcrypt_sha256$$2b$31$abc");
        let problems = parse_line(&bcrypt, 1, 0).expect_err("refused");
        assert!(
            problems[0]
                .message
                .starts_with("is a bcrypt_sha256 hash latch cannot read"),
            "{problems:?}"
        );
        let plain = line("").replace(&HASH.to_string(), "hunter2$hunter2");
        let problems = parse_line(&plain, 1, 0).expect_err("refused");
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
        let incoming: Vec<Incoming> = json_lines(&mut input, 0)
            .map(|i| i.expect("read"))
            .collect();
        assert!(incoming[0].user.is_ok(), "{incoming:?}");
        assert!(incoming[1].user.is_err(), "{incoming:?}");
    }

    #[test]
    fn records_round_trip() {
        let user = parse_line(
            &line(r#","is_superuser":true,"last_login":"2026-01-02T03:04:05Z""#),
            1,
            0,
        )
        .expect("valid");
        let exported = Record::from(&user.clone().into_user(1));
        let text = serde_json::to_string(&exported).expect("JSON");
        assert_eq!(parse_line(&text, 1, 99).expect("valid"), user);
    }
}
