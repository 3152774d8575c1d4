//! The Django fixture writer (`export --format django-json`, and the
//! `django_fixture` example): users as `auth.user` objects and their
//! confirmed second factors as django-otp's `otp_totp.totpdevice`, streamed
//! one object a line straight to a `Write`, in the form `manage.py loaddata`
//! reads. Passwords stay the Django-encoded hashes they are; a TOTP key is
//! held zeroized while it is written.

use std::io::Write;

use serde::Serialize;
use time::macros::format_description;

use crate::error::{Error, Result};
use crate::mfa::totp::TotpState;
use crate::store::User;
use crate::timestamp::DateTime;

/// What a fixture object's `pk` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrimaryKeys {
    /// Each user's `id`: `loaddata` creates or overwrites the row with that id.
    Keep,
    /// No `pk`: `loaddata` finds the user by username (Django's natural key for
    /// `auth.User`), updating it when it exists and creating it otherwise.
    ByUsername,
}

/// Writes users as a Django JSON fixture for `auth.user`:
/// `[{"model": "auth.user", "pk": 1, "fields": {…}}, …]`, one object a line.
/// Datetimes are written as `dumpdata` writes them with `USE_TZ = True`
/// (Django's default), in UTC with a `Z`.
#[derive(Debug)]
pub struct FixtureWriter<W: Write> {
    out: W,
    primary_keys: PrimaryKeys,
    written: usize,
}

#[derive(Serialize)]
struct FixtureObject<'a> {
    model: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pk: Option<i64>,
    fields: Fields<'a>,
}

/// Every field of Django's `auth.User`, in the model's order.
#[derive(Serialize)]
struct Fields<'a> {
    password: &'a str,
    last_login: Option<String>,
    is_superuser: bool,
    username: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    email: &'a str,
    is_staff: bool,
    is_active: bool,
    date_joined: String,
    groups: [u8; 0],
    user_permissions: [u8; 0],
}

impl<W: Write> FixtureWriter<W> {
    pub fn new(out: W, primary_keys: PrimaryKeys) -> FixtureWriter<W> {
        FixtureWriter {
            out,
            primary_keys,
            written: 0,
        }
    }

    /// Writes one user. An admin is staff too, as `createsuperuser` makes
    /// one (so that the Django admin lets them in).
    pub fn write(&mut self, user: &User) -> Result<()> {
        let object = FixtureObject {
            model: "auth.user",
            pk: match self.primary_keys {
                PrimaryKeys::Keep => Some(user.id),
                PrimaryKeys::ByUsername => None,
            },
            fields: Fields {
                password: &user.password,
                last_login: user.last_login.map(fixture_datetime),
                is_superuser: user.is_superuser,
                username: &user.username,
                first_name: &user.first_name,
                last_name: &user.last_name,
                email: &user.email,
                is_staff: user.is_staff || user.is_superuser,
                is_active: user.is_active,
                date_joined: fixture_datetime(user.date_joined),
                groups: [],
                user_permissions: [],
            },
        };
        let separator: &[u8] = if self.written == 0 { b"[\n" } else { b",\n" };
        self.out.write_all(separator).map_err(write_error)?;
        serde_json::to_writer(&mut self.out, &object).map_err(|e| write_error(e.into()))?;
        self.written += 1;
        Ok(())
    }

    /// Closes the list (an empty fixture is `[]`), flushes, and returns the
    /// writer and how many users were written.
    pub fn finish(mut self) -> Result<(W, usize)> {
        let end: &[u8] = if self.written == 0 { b"[]\n" } else { b"\n]\n" };
        self.out.write_all(end).map_err(write_error)?;
        self.out.flush().map_err(write_error)?;
        Ok((self.out, self.written))
    }
}

/// A failed write of the fixture: no bug, but a full disk or the like
/// (exit 74), or a reader gone (no error); the command names the place.
fn write_error(e: std::io::Error) -> Error {
    Error::write_failed(&e, "the fixture")
}

/// A datetime as `dumpdata` writes it with `USE_TZ = True`: UTC with a
/// `Z`, the fraction only when there is one (`2024-03-01T08:30:15Z`,
/// `2024-03-01T08:30:15.250000Z`).
fn fixture_datetime(moment: DateTime) -> String {
    let whole = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let fraction =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    let at = moment.as_offset();
    let format = if at.nanosecond() == 0 {
        whole
    } else {
        fraction
    };
    at.format(&format).unwrap_or_default()
}
#[derive(Serialize)]
struct DeviceObject<'a> {
    model: &'static str,
    fields: DeviceFields<'a>,
}

/// The fields of django-otp's `TOTPDevice` every version since 1.0 has.
#[derive(Serialize)]
struct DeviceFields<'a> {
    /// The user by natural key: `["alice"]`.
    user: [&'a str; 1],
    name: &'static str,
    confirmed: bool,
    key: &'a str,
    step: u32,
    t0: i64,
    digits: u8,
    tolerance: u32,
    drift: i64,
    last_t: i64,
}

impl<W: Write> FixtureWriter<W> {
    /// Writes a confirmed TOTP device of the user `username` (written in this
    /// fixture before it), for `otp_totp.totpdevice`; `tolerance` is the
    /// drift in steps latch's policy accepts.
    pub fn write_totp_device(
        &mut self,
        username: &str,
        totp: &TotpState,
        tolerance: u32,
    ) -> Result<()> {
        let key = zeroize::Zeroizing::new(crate::hex(&totp.key));
        let object = DeviceObject {
            model: "otp_totp.totpdevice",
            fields: DeviceFields {
                user: [username],
                name: "latch",
                confirmed: true,
                key: &key,
                step: totp.step,
                t0: totp.t0,
                digits: totp.digits,
                tolerance,
                drift: totp.drift,
                last_t: totp.last_t,
            },
        };
        let separator: &[u8] = if self.written == 0 { b"[\n" } else { b",\n" };
        self.out.write_all(separator).map_err(write_error)?;
        serde_json::to_writer(&mut self.out, &object).map_err(|e| write_error(e.into()))?;
        self.written += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timestamp::DateTime;
    use crate::transfer::django::DjangoDatabase;

    const SITE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/django/site.sqlite3"
    );

    /// Every user of the site Django made.
    fn site() -> Vec<User> {
        let mut db = DjangoDatabase::open(std::path::Path::new(SITE)).expect("opens");
        db.users()
            .expect("users")
            .map(|row| row.expect("read").expect("of the right types"))
            .collect()
    }

    fn fixture_of(users: &[User], keys: PrimaryKeys) -> serde_json::Value {
        let mut writer = FixtureWriter::new(Vec::new(), keys);
        for user in users {
            writer.write(user).expect("write");
        }
        let (bytes, written) = writer.finish().expect("finish");
        assert_eq!(written, users.len());
        serde_json::from_slice(&bytes).expect("the fixture is JSON")
    }

    #[test]
    fn writes_a_fixture_of_every_user_with_every_field() {
        let users = site();
        let fixture = fixture_of(&users, PrimaryKeys::Keep);
        let objects = fixture.as_array().expect("a list");
        assert_eq!(objects.len(), users.len());
        for (object, user) in objects.iter().zip(&users) {
            assert_eq!(object["model"], "auth.user");
            assert_eq!(object["pk"], user.id);
            let fields = object["fields"].as_object().expect("fields");
            let names: Vec<&str> = fields.keys().map(String::as_str).collect();
            let mut expected = vec![
                "password",
                "last_login",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "groups",
                "user_permissions",
            ];
            expected.sort_unstable();
            let mut names = names;
            names.sort_unstable();
            assert_eq!(names, expected);
            assert_eq!(fields["password"], user.password.as_str());
            assert_eq!(fields["username"], user.username.as_str());
            assert_eq!(fields["email"], user.email.as_str());
            assert_eq!(fields["first_name"], user.first_name.as_str());
            assert_eq!(fields["is_active"], user.is_active);
            assert_eq!(fields["is_staff"], user.is_staff);
            assert_eq!(fields["is_superuser"], user.is_superuser);
            assert_eq!(fields["groups"], serde_json::json!([]));
            assert_eq!(fields["user_permissions"], serde_json::json!([]));
        }
        let fields = |i: usize| &objects[i]["fields"];
        assert_eq!(fields(0)["date_joined"], "2024-03-01T08:30:15Z");
        assert_eq!(fields(0)["last_login"], "2024-03-20T09:30:15.123456Z");
        assert_eq!(fields(1)["date_joined"], "2024-03-02T08:30:15.250000Z");
        assert_eq!(fields(1)["last_name"], "Liddell");
        assert_eq!(fields(2)["last_login"], serde_json::Value::Null);
    }

    #[test]
    fn without_primary_keys_users_are_matched_by_username() {
        let users = site();
        let fixture = fixture_of(&users[..2], PrimaryKeys::ByUsername);
        for object in fixture.as_array().expect("a list") {
            assert!(object.get("pk").is_none(), "{object}");
            assert!(object["fields"]["username"].is_string());
        }
    }

    #[test]
    fn an_empty_fixture_is_an_empty_list() {
        assert_eq!(fixture_of(&[], PrimaryKeys::Keep), serde_json::json!([]));
    }

    #[test]
    fn datetimes_are_written_as_dumpdata_writes_them() {
        let cases = [
            ("2024-03-01 08:30:15", "2024-03-01T08:30:15Z"),
            ("2024-03-01 08:30:15.250000", "2024-03-01T08:30:15.250000Z"),
            ("2024-03-01 08:30:15.5", "2024-03-01T08:30:15.500000Z"),
            ("2024-03-01T08:30:15.000001Z", "2024-03-01T08:30:15.000001Z"),
            ("2024-03-01T10:30:15+02:00", "2024-03-01T08:30:15Z"),
        ];
        for (text, expected) in cases {
            assert_eq!(
                fixture_datetime(DateTime::fixed(text)),
                expected,
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_latch_user_becomes_a_django_user() {
        let user = User {
            id: 7,
            username: "alice".into(),
            email: "alice@example.com".into(),
            password: "pbkdf2_sha256$1200000$salt$hash".into(),
            first_name: "Alice".into(),
            last_name: String::new(),
            is_active: true,
            is_staff: false,
            is_superuser: true,
            date_joined: DateTime::fixed("2026-01-02 03:04:05.000000"),
            last_login: None,
        };
        let fixture = fixture_of(&[user], PrimaryKeys::Keep);
        let fields = &fixture[0]["fields"];
        assert_eq!(
            (&fixture[0]["pk"], &fields["username"]),
            (&7.into(), &"alice".into())
        );
        assert_eq!(fields["first_name"], "Alice");
        // An admin is staff, as createsuperuser makes one.
        assert_eq!(
            (
                &fields["is_staff"],
                &fields["is_superuser"],
                &fields["is_active"]
            ),
            (&true.into(), &true.into(), &true.into())
        );
        assert_eq!(fields["date_joined"], "2026-01-02T03:04:05Z");
    }
}
