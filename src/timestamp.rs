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
    fn out_of_range_does_not_panic() {
        assert_eq!(django(i64::MAX), "1970-01-01 00:00:00.000000");
    }
}
