//! Time as latch keeps and shows it: Unix seconds for its own moments
//! (sessions, events, locks), `DateTime` for Django's `date_joined` and
//! `last_login`, Django's `YYYY-MM-DD HH:MM:SS.ffffff` (UTC) as their text,
//! RFC 3339 for people and JSON.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn at(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
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

/// A moment of a user's row (`date_joined`, `last_login`): UTC, to the
/// microsecond, as Django keeps it. SQLite stores it as Django's text (its
/// `Display`), PostgreSQL as `timestamptz`; both give back the same value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(OffsetDateTime);

impl DateTime {
    /// The moment `seconds` after the Unix epoch (the epoch itself when out
    /// of range).
    pub fn from_unix(seconds: i64) -> DateTime {
        DateTime(at(seconds))
    }

    /// Now, to the whole second, as latch writes `date_joined` and
    /// `last_login`.
    pub fn now() -> DateTime {
        DateTime::from_unix(now())
    }

    /// Any moment, in UTC and cut to the microsecond.
    pub fn at(moment: OffsetDateTime) -> DateTime {
        let utc = moment.to_offset(UtcOffset::UTC);
        let micros = utc.microsecond();
        DateTime(utc.replace_microsecond(micros).unwrap_or(utc))
    }

    /// A datetime as users and Django write it: Django's form
    /// (`2026-11-24 05:07:22`, with or without fractional seconds or a
    /// `+00:00`, UTC) or RFC 3339 (`2026-11-24T05:07:22Z`, any offset);
    /// `None` if it is neither.
    pub fn parse(text: &str) -> Option<DateTime> {
        let text = text.trim();
        if let Ok(moment) = OffsetDateTime::parse(text, &Rfc3339) {
            return Some(DateTime::at(moment));
        }
        let django_format = format_description!(
            version = 2,
            "[year]-[month]-[day] [hour]:[minute]:[second][optional [.[subsecond]]][optional [+00:00]]"
        );
        PrimitiveDateTime::parse(text, &django_format)
            .ok()
            .map(|moment| DateTime::at(moment.assume_utc()))
    }

    /// A moment written in a test, in Django's form or RFC 3339.
    #[cfg(test)]
    pub fn fixed(text: &str) -> DateTime {
        DateTime::parse(text).expect("a date and time")
    }

    /// The moment for a library that takes `time`'s type (PostgreSQL's
    /// `timestamptz`).
    pub fn as_offset(self) -> OffsetDateTime {
        self.0
    }

    /// RFC 3339 in UTC to the whole second, as JSON shows it:
    /// `2026-11-24T05:07:22Z`.
    pub fn rfc3339(self) -> String {
        let whole = self.0.replace_nanosecond(0).unwrap_or(self.0);
        whole.format(&Rfc3339).unwrap_or_default()
    }

    /// To the minute, as tables show it: `2026-11-24 05:07`.
    pub fn minutes(self) -> String {
        let format = format_description!("[year]-[month]-[day] [hour]:[minute]");
        self.0.format(&format).unwrap_or_default()
    }
}

/// Django's text, as JSON Lines and Django's SQLite backend keep it.
impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        out.collect_str(self)
    }
}

/// Django's text: `2026-11-24 05:07:22.000000`, UTC.
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let format = format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:6]"
        );
        let text = self.0.format(&format).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(rfc3339(1_795_000_000), "2026-11-18T11:06:40Z");
        assert_eq!(human(1_795_000_000), "2026-11-18 11:06 UTC");
        let moment = DateTime::from_unix(1_795_000_000);
        assert_eq!(moment.to_string(), "2026-11-18 11:06:40.000000");
        assert_eq!(moment.rfc3339(), "2026-11-18T11:06:40Z");
        assert_eq!(moment.minutes(), "2026-11-18 11:06");
        assert_eq!(
            DateTime::from_unix(0).to_string(),
            "1970-01-01 00:00:00.000000"
        );
    }

    #[test]
    fn parses_what_users_and_django_write() {
        let cases = [
            ("2026-11-24 05:07:22", Some("2026-11-24 05:07:22.000000")),
            (
                "2026-11-24 05:07:22.123456",
                Some("2026-11-24 05:07:22.123456"),
            ),
            ("2026-11-24 05:07:22.5", Some("2026-11-24 05:07:22.500000")),
            (
                "2026-11-24 05:07:22+00:00",
                Some("2026-11-24 05:07:22.000000"),
            ),
            ("2026-11-24T05:07:22Z", Some("2026-11-24 05:07:22.000000")),
            (
                "2026-11-24T07:07:22+02:00",
                Some("2026-11-24 05:07:22.000000"),
            ),
            (
                "2026-11-24T05:07:22.1234567Z",
                Some("2026-11-24 05:07:22.123456"),
            ),
            ("2026-11-24", None),
            ("yesterday", None),
            ("", None),
            ("2026-13-24 05:07:22", None),
        ];
        for (text, expected) in cases {
            let parsed = DateTime::parse(text).map(|moment| moment.to_string());
            assert_eq!(parsed.as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn json_shows_whole_seconds() {
        let moment = DateTime::fixed("2026-11-24 05:07:22.999999");
        assert_eq!(moment.rfc3339(), "2026-11-24T05:07:22Z");
    }

    #[test]
    fn out_of_range_does_not_panic() {
        assert_eq!(
            DateTime::from_unix(i64::MAX).to_string(),
            "1970-01-01 00:00:00.000000"
        );
        assert_eq!(rfc3339(i64::MAX), "1970-01-01T00:00:00Z");
    }
}
