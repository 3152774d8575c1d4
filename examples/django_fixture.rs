//! Reads `auth_user` from a Django SQLite database with `transfer::django::DjangoDatabase`
//! and writes it back out as a Django JSON fixture with `transfer::django::FixtureWriter`:
//! the two library halves of `latch import --format django-db` and `latch
//! export --format django-json`, end to end. `tests/fixtures/django/interop.py`
//! loads its output into a real Django with `manage.py loaddata`.
//!
//!     cargo run --example django_fixture -- SITE.sqlite3 [--by-username] > users.json

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use latch::transfer::django::{DjangoDatabase, FixtureWriter, PrimaryKeys};

fn run() -> latch::Result<usize> {
    let mut args = std::env::args_os().skip(1);
    let path = PathBuf::from(args.next().unwrap_or_default());
    let keys = match args.next() {
        Some(flag) if flag == "--by-username" => PrimaryKeys::ByUsername,
        _ => PrimaryKeys::Keep,
    };
    let mut db = DjangoDatabase::open(&path)?;
    let mut writer = FixtureWriter::new(std::io::stdout().lock(), keys);
    for row in db.users()? {
        match row? {
            Ok(user) => writer.write(&user)?,
            Err(bad) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "django_fixture: left out user {}",
                    bad.id
                );
            }
        }
    }
    Ok(writer.finish()?.1)
}

fn main() -> ExitCode {
    match run() {
        Ok(count) => {
            let _ = writeln!(std::io::stderr(), "wrote {count} users");
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "django_fixture: {e}");
            ExitCode::FAILURE
        }
    }
}
