//! `FactorStore` on SQLite: the `mfa_factors` and `mfa_recovery_codes`
//! tables of migration 0005. Every statement is parameterized; each method
//! that writes is one `BEGIN IMMEDIATE` transaction.

use rusqlite::{OptionalExtension, Transaction, params};
use zeroize::Zeroizing;

use super::SqliteStore;
use super::errors::sql_error;
use super::events::insert_event;
use crate::audit::AuditEvent;
use crate::error::{Error, Problem, Result};
use crate::mfa::totp::TotpState;
use crate::store::factor::{AcceptedCode, Factor, FactorStore, FactorSummary};

const FACTOR_COLUMNS: &str =
    "user_id, key, step, t0, digits, drift, last_t, confirmed, created_at, confirmed_at";

fn read_factor(row: &rusqlite::Row<'_>) -> rusqlite::Result<Factor> {
    let key: String = row.get(1)?;
    let key = decode_hex(&key).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            1,
            rusqlite::types::Type::Text,
            "mfa_factors.key is not hex".into(),
        )
    })?;
    Ok(Factor {
        user_id: row.get(0)?,
        totp: TotpState {
            key,
            step: row.get(2)?,
            t0: row.get(3)?,
            digits: row.get(4)?,
            drift: row.get(5)?,
            last_t: row.get(6)?,
        },
        confirmed: row.get(7)?,
        created_at: row.get(8)?,
        confirmed_at: row.get(9)?,
    })
}

/// Lowercase or uppercase hex into bytes; `None` for anything else.
pub(crate) fn decode_hex(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |b: u8| (b as char).to_digit(16);
    let mut bytes = Zeroizing::new(Vec::with_capacity(text.len() / 2));
    for pair in text.as_bytes().chunks(2) {
        bytes.push(u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).ok()?);
    }
    Some(bytes)
}

/// Writes `codes` as the user's whole set of recovery codes.
fn write_codes(tx: &Transaction<'_>, user_id: i64, codes: &[[u8; 32]]) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM mfa_recovery_codes WHERE user_id = ?1",
        [user_id],
    )?;
    let mut insert =
        tx.prepare_cached("INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES (?1, ?2)")?;
    for code in codes {
        insert.execute(params![user_id, &code[..]])?;
    }
    Ok(())
}

/// Applies an accepted code to the user's factor; `false` when its state
/// changed since it was read (the same code used by another command).
fn apply_code(
    tx: &Transaction<'_>,
    user_id: i64,
    accepted: AcceptedCode,
    now: i64,
) -> rusqlite::Result<bool> {
    let changed = match accepted {
        AcceptedCode::Totp {
            previous_last_t,
            t,
            drift,
        } => tx.execute(
            "UPDATE mfa_factors SET last_t = ?1, drift = ?2 \
             WHERE user_id = ?3 AND last_t = ?4 AND last_t < ?1",
            params![t, drift, user_id, previous_last_t],
        )?,
        AcceptedCode::Recovery { id } => tx.execute(
            "UPDATE mfa_recovery_codes SET used_at = ?1 \
             WHERE id = ?2 AND user_id = ?3 AND used_at IS NULL",
            params![now, id, user_id],
        )?,
    };
    Ok(changed == 1)
}

fn already_used() -> Error {
    Error::Conflicts(vec![Problem::new(
        "code",
        "was used by another latch command at the same moment; nothing was changed",
    )])
}

/// An imported factor: confirmed, with its django-otp state, in place of the
/// user's factor and recovery codes.
pub(super) fn import_factor(
    tx: &Transaction<'_>,
    user_id: i64,
    totp: &TotpState,
) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM mfa_recovery_codes WHERE user_id = ?1",
        [user_id],
    )?;
    tx.execute(
        "INSERT OR REPLACE INTO mfa_factors \
         (user_id, key, step, t0, digits, drift, last_t, confirmed, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8)",
        params![
            user_id,
            *Zeroizing::new(crate::hex(&totp.key)),
            totp.step,
            totp.t0,
            totp.digits,
            totp.drift,
            totp.last_t,
            crate::timestamp::now()
        ],
    )?;
    Ok(())
}

impl FactorStore for SqliteStore {
    fn for_each_factor(&self, visit: &mut dyn FnMut(&str, Factor) -> Result<()>) -> Result<()> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT mfa_factors.user_id, key, step, t0, digits, drift, last_t, confirmed, \
                        created_at, confirmed_at, users.username \
                 FROM mfa_factors JOIN users ON users.id = mfa_factors.user_id \
                 WHERE confirmed ORDER BY users.id",
            )
            .map_err(self.err())?;
        let mut rows = statement.query([]).map_err(self.err())?;
        while let Some(row) = rows.next().map_err(self.err())? {
            let factor = read_factor(row).map_err(self.err())?;
            let username: String = row.get(10).map_err(self.err())?;
            visit(&username, factor)?;
        }
        Ok(())
    }

    fn factor(&self, user_id: i64) -> Result<Option<Factor>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {FACTOR_COLUMNS} FROM mfa_factors WHERE user_id = ?1"
            ))
            .and_then(|mut s| s.query_row([user_id], read_factor).optional())
            .map_err(self.err())
    }

    fn factor_summary(&self, user_id: i64) -> Result<FactorSummary> {
        self.conn
            .prepare_cached(
                "SELECT coalesce((SELECT confirmed FROM mfa_factors WHERE user_id = ?1), 0), \
                        EXISTS (SELECT 1 FROM mfa_factors WHERE user_id = ?1 AND NOT confirmed), \
                        (SELECT count(*) FROM mfa_recovery_codes \
                         WHERE user_id = ?1 AND used_at IS NULL), \
                        (SELECT confirmed_at FROM mfa_factors WHERE user_id = ?1)",
            )
            .and_then(|mut s| {
                s.query_row([user_id], |row| {
                    Ok(FactorSummary {
                        confirmed: row.get(0)?,
                        pending: row.get(1)?,
                        recovery_codes_left: row.get(2)?,
                        confirmed_at: row.get(3)?,
                    })
                })
            })
            .map_err(self.err())
    }

    fn set_pending_factor(&mut self, factor: &Factor, event: &AuditEvent) -> Result<()> {
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        let confirmed: Option<bool> = tx
            .query_row(
                "SELECT confirmed FROM mfa_factors WHERE user_id = ?1",
                [factor.user_id],
                |row| row.get(0),
            )
            .optional()
            .map_err(err)?;
        if confirmed == Some(true) {
            return Err(Error::Conflicts(vec![Problem::new(
                "mfa",
                "the account has a second factor already",
            )]));
        }
        let totp = &factor.totp;
        tx.execute(
            "INSERT OR REPLACE INTO mfa_factors \
             (user_id, key, step, t0, digits, drift, last_t, confirmed, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8)",
            params![
                factor.user_id,
                *Zeroizing::new(crate::hex(&totp.key)),
                totp.step,
                totp.t0,
                totp.digits,
                totp.drift,
                totp.last_t,
                factor.created_at
            ],
        )
        .map_err(err)?;
        insert_event(&tx, event).map_err(err)?;
        tx.commit().map_err(err)
    }

    fn confirm_factor(
        &mut self,
        user_id: i64,
        key: &[u8],
        accepted: AcceptedCode,
        codes: &[[u8; 32]],
        now: i64,
        event: &AuditEvent,
    ) -> Result<()> {
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        let confirmed = tx
            .execute(
                "UPDATE mfa_factors SET confirmed = 1, confirmed_at = ?1 \
                 WHERE user_id = ?2 AND key = ?3 AND NOT confirmed",
                params![now, user_id, *Zeroizing::new(crate::hex(key))],
            )
            .map_err(err)?;
        if confirmed != 1 || !apply_code(&tx, user_id, accepted, now).map_err(err)? {
            return Err(Error::Conflicts(vec![Problem::new(
                "mfa",
                "the pending second factor was replaced or confirmed by another latch command; \
                 nothing was changed",
            )]));
        }
        write_codes(&tx, user_id, codes).map_err(err)?;
        insert_event(&tx, event).map_err(err)?;
        tx.commit().map_err(err)
    }

    fn recovery_codes(&self, user_id: i64) -> Result<Vec<(i64, [u8; 32])>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT id, code_hash FROM mfa_recovery_codes \
                 WHERE user_id = ?1 AND used_at IS NULL ORDER BY id",
            )
            .map_err(self.err())?;
        let rows = statement
            .query_map([user_id], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?))
            })
            .map_err(self.err())?;
        let mut codes = Vec::new();
        for row in rows {
            let (id, hash) = row.map_err(self.err())?;
            // A hash of another length matches no code.
            if let Ok(hash) = <[u8; 32]>::try_from(hash.as_slice()) {
                codes.push((id, hash));
            }
        }
        Ok(codes)
    }

    fn accept_code(
        &mut self,
        user_id: i64,
        username_key: &str,
        accepted: AcceptedCode,
        now: i64,
        events: &[AuditEvent],
    ) -> Result<bool> {
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        if !apply_code(&tx, user_id, accepted, now).map_err(err)? {
            return Ok(false);
        }
        tx.execute(
            "DELETE FROM login_failures WHERE username_key = ?1",
            [username_key],
        )
        .map_err(err)?;
        for event in events {
            insert_event(&tx, event).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(true)
    }

    fn replace_recovery_codes(
        &mut self,
        user_id: i64,
        codes: &[[u8; 32]],
        event: &AuditEvent,
    ) -> Result<()> {
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        let confirmed: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM mfa_factors WHERE user_id = ?1 AND confirmed)",
                [user_id],
                |row| row.get(0),
            )
            .map_err(err)?;
        if !confirmed {
            return Err(already_used());
        }
        write_codes(&tx, user_id, codes).map_err(err)?;
        insert_event(&tx, event).map_err(err)?;
        tx.commit().map_err(err)
    }

    fn remove_factor(
        &mut self,
        user_id: i64,
        end_sessions: bool,
        event: &AuditEvent,
    ) -> Result<(bool, usize)> {
        let (tx, path) = self.write()?;
        let err = |e: rusqlite::Error| sql_error(path, &e);
        let removed = tx
            .execute("DELETE FROM mfa_factors WHERE user_id = ?1", [user_id])
            .map_err(err)?
            > 0;
        tx.execute(
            "DELETE FROM mfa_recovery_codes WHERE user_id = ?1",
            [user_id],
        )
        .map_err(err)?;
        let ended = if end_sessions && removed {
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])
                .map_err(err)?
        } else {
            0
        };
        if removed {
            insert_event(&tx, event).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok((removed, ended))
    }
}
