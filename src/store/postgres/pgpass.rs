//! libpq's password file (PGPASSFILE, `passfile`, or ~/.pgpass): lines of
//! `hostname:port:database:username:password`, the first four fields a
//! literal or `*`, `\` escaping `:` and `\`; the first line that matches
//! gives the password. As in libpq, a file that is not a plain file, or that
//! its group or others may read, write or run, is ignored with a warning,
//! and a missing one silently. It never shows a password, nor a line of the
//! file, in a warning.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::conninfo::{Endpoint, Password};

/// ~/.pgpass, when there is a home directory.
pub fn default_path(home: Option<&Path>) -> Option<PathBuf> {
    home.map(|home| home.join(".pgpass"))
}

/// The password of the first line of `file` that matches the connection.
/// A refused file is reported through `warn` and gives none.
pub fn lookup(
    file: &Path,
    endpoint: &Endpoint,
    dbname: &str,
    user: &str,
    warn: &mut dyn FnMut(String),
) -> Option<Password> {
    let metadata = std::fs::metadata(file).ok()?;
    if !metadata.is_file() {
        warn(format!(
            "the password file {} is not a plain file, so it is ignored",
            file.display()
        ));
        return None;
    }
    if metadata.permissions().mode() & 0o077 != 0 {
        warn(format!(
            "the password file {} has group or world access, so it is ignored; \
             make it u=rw (0600) or less: chmod 600 {}",
            file.display(),
            file.display()
        ));
        return None;
    }
    let text = Zeroizing::new(std::fs::read(file).ok()?);
    let text = Zeroizing::new(String::from_utf8_lossy(&text).into_owned());
    let wanted = [
        endpoint.host.pgpass_name(),
        endpoint.port.to_string(),
        dbname.to_owned(),
        user.to_owned(),
    ];
    text.lines()
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .find_map(|line| matching_password(line, &wanted))
}

/// The password of `line` if its four fields match `wanted`.
fn matching_password(line: &str, wanted: &[String; 4]) -> Option<Password> {
    let mut rest = line;
    for want in wanted {
        let (field, after) = split_field(rest)?;
        // Only a bare `*` is a wildcard: `\*` is a literal star.
        if field != "*" && unescape(field).as_str() != want {
            return None;
        }
        rest = after;
    }
    Some(Password::new(unescape(rest).as_str()))
}

/// The first `:`-separated field as written (escapes kept) and what follows
/// its `:`; `None` when the line has no more fields.
fn split_field(text: &str) -> Option<(&str, &str)> {
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next()?;
            }
            ':' => return Some((&text[..at], &text[at + 1..])),
            _ => {}
        }
    }
    None
}

fn unescape(text: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::new());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::postgres::Host;

    fn endpoint(host: Host, port: u16) -> Endpoint {
        Endpoint { host, port }
    }

    fn file_with(text: &str, mode: u32) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("pgpass");
        std::fs::write(&path, text).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        (dir, path)
    }

    fn find(
        path: &Path,
        endpoint: &Endpoint,
        db: &str,
        user: &str,
    ) -> (Option<String>, Vec<String>) {
        let mut warnings = Vec::new();
        let found = lookup(path, endpoint, db, user, &mut |w| warnings.push(w));
        (found.map(|p| p.expose().to_owned()), warnings)
    }

    #[test]
    fn the_first_matching_line_wins_and_stars_match_anything() {
        let (_dir, path) = file_with(
            "# a comment\n\
             db.example:5432:app:latch:first\n\
             db.example:*:*:latch:second\n\
             *:*:*:*:anyone\n",
            0o600,
        );
        let tcp = |port| endpoint(Host::Tcp("db.example".into()), port);
        assert_eq!(
            find(&path, &tcp(5432), "app", "latch").0.as_deref(),
            Some("first")
        );
        assert_eq!(
            find(&path, &tcp(6543), "app", "latch").0.as_deref(),
            Some("second")
        );
        assert_eq!(
            find(&path, &tcp(5432), "other", "bob").0.as_deref(),
            Some("anyone")
        );
    }

    #[test]
    fn no_matching_line_gives_no_password() {
        let (_dir, path) = file_with("db.example:5432:app:latch:pw\n", 0o600);
        let other = endpoint(Host::Tcp("other.example".into()), 5432);
        assert_eq!(find(&path, &other, "app", "latch"), (None, Vec::new()));
        let wrong_port = endpoint(Host::Tcp("db.example".into()), 5433);
        assert_eq!(find(&path, &wrong_port, "app", "latch").0, None);
    }

    #[test]
    fn backslash_escapes_colons_and_backslashes_in_every_field() {
        let (_dir, path) = file_with("h:5432:a\\:b:u\\\\v:p\\:w\\\\d\\:\r\n", 0o600);
        let tcp = endpoint(Host::Tcp("h".into()), 5432);
        assert_eq!(
            find(&path, &tcp, "a:b", "u\\v").0.as_deref(),
            Some("p:w\\d:")
        );
        assert_eq!(find(&path, &tcp, "a", "u\\v").0, None);
    }

    #[test]
    fn an_escaped_star_is_a_literal_star() {
        let (_dir, path) = file_with("h:5432:\\*:u:literal\n", 0o600);
        let tcp = endpoint(Host::Tcp("h".into()), 5432);
        assert_eq!(find(&path, &tcp, "app", "u").0, None);
        assert_eq!(find(&path, &tcp, "*", "u").0.as_deref(), Some("literal"));
    }

    #[test]
    fn the_default_socket_directory_is_localhost_and_others_are_their_path() {
        let (_dir, path) = file_with(
            "localhost:5432:app:latch:local\n/tmp/pg:5432:app:latch:other-socket\n",
            0o600,
        );
        let default = endpoint(Host::Unix("/var/run/postgresql".into()), 5432);
        let other = endpoint(Host::Unix("/tmp/pg".into()), 5432);
        assert_eq!(
            find(&path, &default, "app", "latch").0.as_deref(),
            Some("local")
        );
        assert_eq!(
            find(&path, &other, "app", "latch").0.as_deref(),
            Some("other-socket")
        );
    }

    #[test]
    fn a_file_others_may_read_is_ignored_with_a_warning_that_shows_no_password() {
        for mode in [0o644, 0o640, 0o604, 0o610, 0o601] {
            let (_dir, path) = file_with("*:*:*:*:s3cret-pw\n", mode);
            let tcp = endpoint(Host::Tcp("h".into()), 5432);
            let (found, warnings) = find(&path, &tcp, "app", "u");
            assert_eq!(found, None, "mode {mode:o}");
            assert_eq!(warnings.len(), 1, "mode {mode:o}");
            assert!(
                warnings[0].contains("group or world access"),
                "{}",
                warnings[0]
            );
            assert!(warnings[0].contains("chmod 600"), "{}", warnings[0]);
            assert!(!warnings[0].contains("s3cret"), "{}", warnings[0]);
        }
        let (_dir, path) = file_with("*:*:*:*:s3cret-pw\n", 0o400);
        let tcp = endpoint(Host::Tcp("h".into()), 5432);
        assert_eq!(
            find(&path, &tcp, "app", "u").0.as_deref(),
            Some("s3cret-pw")
        );
    }

    #[test]
    fn a_missing_file_is_silent_and_a_directory_is_warned_about() {
        let dir = tempfile::tempdir().expect("tempdir");
        let tcp = endpoint(Host::Tcp("h".into()), 5432);
        assert_eq!(
            find(&dir.path().join("none"), &tcp, "a", "u"),
            (None, Vec::new())
        );
        let (found, warnings) = find(dir.path(), &tcp, "a", "u");
        assert_eq!(found, None);
        assert!(warnings[0].contains("not a plain file"), "{warnings:?}");
    }

    #[test]
    fn short_lines_are_skipped() {
        let (_dir, path) = file_with("h:5432:app\nh:5432:app:u:good\n", 0o600);
        let tcp = endpoint(Host::Tcp("h".into()), 5432);
        assert_eq!(find(&path, &tcp, "app", "u").0.as_deref(), Some("good"));
    }

    #[test]
    fn the_default_file_is_in_the_home_directory() {
        assert_eq!(
            default_path(Some(Path::new("/home/a"))),
            Some(PathBuf::from("/home/a/.pgpass"))
        );
        assert_eq!(default_path(None), None);
    }
}
