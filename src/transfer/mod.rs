//! Moving many users in and out at once: the import with its conflict
//! policy and the export, over the sources and formats of the modules below
//! (`jsonl`: JSON Lines, one user per line; `django`: a Django site's
//! database read, and a `loaddata` fixture written). Every source gives
//! the one user model (`store::User`), and `check` holds the checks each
//! user must pass, as `register` would check them.
//!
//! Both directions stream: an import reads one user at a time inside one
//! transaction (all or nothing) and an export writes one row at a time, so a
//! million users need no memory in proportion. A password in plain text is
//! never accepted, and no message quotes a value from the source that could
//! be one. Nothing here writes SQL: the store does.

use std::io::Write;

use crate::accounts::require_admin;
use crate::audit::{AuditEvent, EventKind};
use crate::error::{Error, Problem, Result, Taken};
use crate::store::{AccountStore, ImportEnd, NewUser, User, UserFilter, Written};

mod check;
pub mod django;
mod jsonl;

pub use check::check_user;
pub use django::django_users;
use django::{FixtureWriter, PrimaryKeys};
pub use jsonl::{MAX_LINE, json_lines, parse_line};

/// How many problems an import lists before it only counts the rest.
pub const MAX_PROBLEMS: usize = 1000;

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
    /// A Django site's database (an SQLite file or PostgreSQL), its auth_user read read-only
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
                serde_json::to_writer(&mut *output, &listing.user)
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
                fixture.write(&listing.user)?;
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
