//! django-otp's TOTP devices (`otp_totp_totpdevice`, model
//! `otp_totp.totpdevice`), both ways: read from a Django database for
//! `import --format django-db`, and written into the `loaddata` fixture of
//! `export --format django-json`, with their key, step, t0, digits, drift and
//! last_t, so that users keep their authenticator apps across the move.
//!
//! Like the rest of `django`, the reader never writes to the database and
//! judges no row beyond reading it: whether latch can use a device is the
//! importer's to say (`TotpState::is_usable`).

use std::collections::HashMap;
use std::io::Write;

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::{DjangoDatabase, FixtureWriter, problem, write_error};
use crate::error::Result;
use crate::mfa::totp::TotpState;

/// A user's confirmed device, or why it cannot be read.
pub type Device = std::result::Result<TotpState, String>;

impl DjangoDatabase {
    /// The confirmed TOTP devices by Django user id: the one with the lowest
    /// id for a user with several. Empty when django-otp's TOTP plugin is not
    /// installed (no `otp_totp_totpdevice` table). Read before the users, in
    /// a snapshot of its own.
    pub fn totp_devices(&self) -> Result<HashMap<i64, Device>> {
        let path = self.path();
        let read = |e: rusqlite::Error| {
            problem(path, format!("cannot read otp_totp_totpdevice: {e}"), None)
        };
        let table: Option<String> = self
            .conn
            .query_row(
                "SELECT name FROM sqlite_master \
                 WHERE type = 'table' AND name = 'otp_totp_totpdevice'",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(read)?;
        let mut devices = HashMap::new();
        if table.is_none() {
            return Ok(devices);
        }
        let mut statement = self
            .conn
            .prepare(
                "SELECT user_id, key, step, t0, digits, drift, last_t \
                 FROM otp_totp_totpdevice WHERE confirmed ORDER BY id",
            )
            .map_err(read)?;
        let mut rows = statement.query([]).map_err(read)?;
        while let Some(row) = rows.next().map_err(read)? {
            let user_id: i64 = row.get(0).map_err(read)?;
            let device = read_device(row);
            devices.entry(user_id).or_insert(device);
        }
        Ok(devices)
    }
}

/// One device row; a value latch cannot use is `Err` with what is wrong.
fn read_device(row: &rusqlite::Row<'_>) -> Device {
    let unreadable = |column: &str| format!("its TOTP device's {column} cannot be read");
    let key: String = row.get(1).map_err(|_| unreadable("key"))?;
    let key = crate::store::decode_hex(&key)
        .ok_or_else(|| "its TOTP device's key is not hex".to_owned())?;
    let state = TotpState {
        key,
        step: row.get(2).map_err(|_| unreadable("step"))?,
        t0: row.get(3).map_err(|_| unreadable("t0"))?,
        digits: row.get(4).map_err(|_| unreadable("digits"))?,
        drift: row.get(5).map_err(|_| unreadable("drift"))?,
        last_t: row.get(6).map_err(|_| unreadable("last_t"))?,
    };
    if state.is_usable() {
        Ok(state)
    } else {
        Err(
            "its TOTP device has digits other than 6 or 8, a step of 0 or over a day, \
             or a key of more than 64 bytes"
                .into(),
        )
    }
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
