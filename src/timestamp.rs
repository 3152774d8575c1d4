//! Time as latch stores and shows it: Unix seconds inside, Django's
//! `YYYY-MM-DD HH:MM:SS.ffffff` (UTC) in Django's columns, RFC 3339 for people
//! and JSON.

use std::time::{SystemTime, UNIX_EPOCH};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn at(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Django's datetime text, as its SQLite backend stores `date_joined`.
pub fn django(seconds: i64) -> String {
    let format =
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:6]");
    at(seconds).format(&format).unwrap_or_default()
}

/// RFC 3339 in UTC, e.g. `2026-11-24T05:07:22Z`.
pub fn rfc3339(seconds: i64) -> String {
    at(seconds).format(&Rfc3339).unwrap_or_default()
}

/// A short form for messages, e.g. `2026-12-08 05:07 UTC`.
pub fn human(seconds: i64) -> String {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    at(seconds).format(&format).unwrap_or_default()
}

/// A datetime from an import, in Django's form (`2026-11-24 05:07:22`, with
/// or without fractional seconds, UTC) or RFC 3339 (`2026-11-24T05:07:22Z`,
/// any offset), as Django's text in UTC; `None` if it is neither.
pub fn normalize(text: &str) -> Option<String> {
    let text = text.trim();
    if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(django_at(at.to_offset(time::UtcOffset::UTC)));
    }
    let django_format = format_description!(
        version = 2,
        "[year]-[month]-[day] [hour]:[minute]:[second][optional [.[subsecond]]][optional [+00:00]]"
    );
    time::PrimitiveDateTime::parse(text, &django_format)
        .ok()
        .map(|at| django_at(at.assume_utc()))
}

fn django_at(at: OffsetDateTime) -> String {
    let format =
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:6]");
    at.format(&format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(django(0), "1970-01-01 00:00:00.000000");
        assert_eq!(django(1_795_000_000), "2026-11-18 11:06:40.000000");
        assert_eq!(rfc3339(1_795_000_000), "2026-11-18T11:06:40Z");
        assert_eq!(human(1_795_000_000), "2026-11-18 11:06 UTC");
    }

    #[test]
    fn normalizes_imported_times() {
        let cases = [
            ("2026-11-24 05:07:22", Some("2026-11-24 05:07:22.000000")),
            (
                "2026-11-24 05:07:22.123456",
                Some("2026-11-24 05:07:22.123456"),
            ),
            ("2026-11-24 05:07:22.5", Some("2026-11-24 05:07:22.500000")),
            ("2026-11-24T05:07:22Z", Some("2026-11-24 05:07:22.000000")),
            (
                "2026-11-24T07:07:22+02:00",
                Some("2026-11-24 05:07:22.000000"),
            ),
            ("2026-11-24", None),
            ("yesterday", None),
            ("", None),
            ("2026-13-24 05:07:22", None),
        ];
        for (text, expected) in cases {
            assert_eq!(normalize(text).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn out_of_range_does_not_panic() {
        assert_eq!(django(i64::MAX), "1970-01-01 00:00:00.000000");
    }
}
