//! `FactorStore` on PostgreSQL: the `mfa_factors` and `mfa_recovery_codes`
//! tables. Each change is conditional on the state it was decided from
//! (`UPDATE … WHERE last_t = previous`, `… WHERE used_at IS NULL`,
//! `… WHERE NOT confirmed`), so two commands using one code, or confirming
//! one factor, at once: one wins, the other changes nothing. Every statement
//! is parameterized; each method is one transaction.

use postgres::Row;
use postgres::types::Type;
use zeroize::Zeroizing;

use super::PostgresStore;
use super::rows::{insert_event, insert_events};
use super::transaction::{Failure, Tx};
use crate::audit::AuditEvent;
use crate::error::{Error, Problem, Result};
use crate::mfa::totp::TotpState;
use crate::store::decode_hex;
use crate::store::factor::{AcceptedCode, Factor, FactorStore, FactorSummary};

const FACTOR_COLUMNS: &str = "mfa_factors.user_id::bigint, key, step, t0, digits, drift, \
     last_t, confirmed, created_at, confirmed_at";

fn read_factor(row: &Row) -> Result<Factor, Failure> {
    let key: String = row.try_get(1)?;
    let key =
        decode_hex(&key).ok_or_else(|| Failure::Corrupt("mfa_factors.key is not hex".into()))?;
    let step: i32 = row.try_get(2)?;
    let digits: i32 = row.try_get(4)?;
    let out_of_range = |what: &str| Failure::Corrupt(format!("mfa_factors.{what} is out of range"));
    Ok(Factor {
        user_id: row.try_get(0)?,
        totp: TotpState {
            key,
            step: u32::try_from(step).map_err(|_| out_of_range("step"))?,
            t0: row.try_get(3)?,
            digits: u8::try_from(digits).map_err(|_| out_of_range("digits"))?,
            drift: row.try_get(5)?,
            last_t: row.try_get(6)?,
        },
        confirmed: row.try_get(7)?,
        created_at: row.try_get(8)?,
        confirmed_at: row.try_get(9)?,
    })
}

/// Writes `codes` as the user's whole set of recovery codes.
fn write_codes(tx: &mut Tx<'_>, user_id: i64, codes: &[[u8; 32]]) -> Result<(), Failure> {
    tx.execute_typed(
        "DELETE FROM mfa_recovery_codes WHERE user_id = $1",
        &[(&user_id, Type::INT8)],
    )?;
    if codes.is_empty() {
        return Ok(());
    }
    // One statement for the set: the hashes as one bytea array.
    let hashes: Vec<&[u8]> = codes.iter().map(|code| &code[..]).collect();
    tx.execute_typed(
        "INSERT INTO mfa_recovery_codes (user_id, code_hash) \
         SELECT $1, hash FROM unnest($2::bytea[]) WITH ORDINALITY AS codes (hash, n) ORDER BY n",
        &[(&user_id, Type::INT8), (&hashes, Type::BYTEA_ARRAY)],
    )?;
    Ok(())
}

/// Applies an accepted code; `false` when its state changed since it was
/// read (the same code used by another command).
fn apply_code(
    tx: &mut Tx<'_>,
    user_id: i64,
    accepted: AcceptedCode,
    now: i64,
) -> Result<bool, Failure> {
    let changed = match accepted {
        AcceptedCode::Totp {
            previous_last_t,
            t,
            drift,
        } => tx.execute_typed(
            "UPDATE mfa_factors SET last_t = $1, drift = $2 \
             WHERE user_id = $3 AND last_t = $4 AND last_t < $1",
            &[
                (&t, Type::INT8),
                (&drift, Type::INT8),
                (&user_id, Type::INT8),
                (&previous_last_t, Type::INT8),
            ],
        )?,
        AcceptedCode::Recovery { id } => tx.execute_typed(
            "UPDATE mfa_recovery_codes SET used_at = $1 \
             WHERE id = $2 AND user_id = $3 AND used_at IS NULL",
            &[
                (&now, Type::INT8),
                (&id, Type::INT8),
                (&user_id, Type::INT8),
            ],
        )?,
    };
    Ok(changed == 1)
}

/// Puts a factor in place of the user's, `confirmed` or pending; a pending
/// one only where no confirmed one is (`false`: refused, nothing written).
fn put_factor(
    tx: &mut Tx<'_>,
    user_id: i64,
    totp: &TotpState,
    confirmed: bool,
    created_at: i64,
) -> Result<bool, Failure> {
    let key = Zeroizing::new(crate::hex(&totp.key));
    let (step, digits) = (i64::from(totp.step), i64::from(totp.digits));
    let sql = format!(
        "INSERT INTO mfa_factors \
         (user_id, key, step, t0, digits, drift, last_t, confirmed, created_at, confirmed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL) \
         ON CONFLICT (user_id) DO UPDATE SET key = excluded.key, step = excluded.step, \
             t0 = excluded.t0, digits = excluded.digits, drift = excluded.drift, \
             last_t = excluded.last_t, confirmed = excluded.confirmed, \
             created_at = excluded.created_at, confirmed_at = NULL{} \
         RETURNING 1",
        if confirmed {
            ""
        } else {
            " WHERE NOT mfa_factors.confirmed"
        }
    );
    let row = tx.query_typed_opt(
        &sql,
        &[
            (&user_id, Type::INT8),
            (&*key, Type::TEXT),
            (&step, Type::INT8),
            (&totp.t0, Type::INT8),
            (&digits, Type::INT8),
            (&totp.drift, Type::INT8),
            (&totp.last_t, Type::INT8),
            (&confirmed, Type::BOOL),
            (&created_at, Type::INT8),
        ],
    )?;
    Ok(row.is_some())
}

/// An imported factor: confirmed, with its django-otp state, in place of the
/// user's factor and recovery codes.
pub(super) fn import_factor(
    tx: &mut Tx<'_>,
    user_id: i64,
    totp: &TotpState,
) -> Result<(), Failure> {
    write_codes(tx, user_id, &[])?;
    put_factor(tx, user_id, totp, true, crate::timestamp::now())?;
    Ok(())
}

fn already_used() -> Failure {
    Failure::Refused(Error::Conflicts(vec![Problem::new(
        "code",
        "was used by another latch command at the same moment; nothing was changed",
    )]))
}

impl FactorStore for PostgresStore {
    fn for_each_factor(&self, visit: &mut dyn FnMut(&str, Factor) -> Result<()>) -> Result<()> {
        let sql = format!(
            "SELECT {FACTOR_COLUMNS}, users.username \
             FROM mfa_factors JOIN users ON users.id = mfa_factors.user_id \
             WHERE confirmed ORDER BY users.id"
        );
        self.stream(&sql, &mut |row| {
            let factor = read_factor(row)?;
            let username: String = row.try_get(10)?;
            visit(&username, factor).map_err(Failure::Refused)
        })
    }

    fn factor(&self, user_id: i64) -> Result<Option<Factor>> {
        self.transact(None, |tx| {
            tx.query_typed_opt(
                &format!("SELECT {FACTOR_COLUMNS} FROM mfa_factors WHERE user_id = $1"),
                &[(&user_id, Type::INT8)],
            )?
            .map(|row| read_factor(&row))
            .transpose()
        })
    }

    fn factor_summary(&self, user_id: i64) -> Result<FactorSummary> {
        self.transact(None, |tx| {
            let row = tx.query_typed_one(
                "SELECT coalesce((SELECT confirmed FROM mfa_factors WHERE user_id = $1), false), \
                        EXISTS (SELECT 1 FROM mfa_factors WHERE user_id = $1 AND NOT confirmed), \
                        (SELECT count(*) FROM mfa_recovery_codes \
                         WHERE user_id = $1 AND used_at IS NULL), \
                        (SELECT confirmed_at FROM mfa_factors WHERE user_id = $1)",
                &[(&user_id, Type::INT8)],
            )?;
            Ok(FactorSummary {
                confirmed: row.try_get(0)?,
                pending: row.try_get(1)?,
                recovery_codes_left: super::rows::small(row.try_get(2)?, "a recovery code count")?,
                confirmed_at: row.try_get(3)?,
            })
        })
    }

    /// Invariant: a pending factor never replaces a confirmed one (the
    /// upsert's `WHERE NOT confirmed`, under the row's lock).
    fn set_pending_factor(&mut self, factor: &Factor, event: &AuditEvent) -> Result<()> {
        self.transact(None, |tx| {
            if !put_factor(tx, factor.user_id, &factor.totp, false, factor.created_at)? {
                return Err(Failure::Refused(Error::Conflicts(vec![Problem::new(
                    "mfa",
                    "the account has a second factor already",
                )])));
            }
            insert_event(tx, event)
        })
    }

    /// Invariant: one pending factor is confirmed once, and by a code used
    /// once (both updates are conditional on the state read).
    fn confirm_factor(
        &mut self,
        user_id: i64,
        key: &[u8],
        accepted: AcceptedCode,
        codes: &[[u8; 32]],
        now: i64,
        event: &AuditEvent,
    ) -> Result<()> {
        let key = Zeroizing::new(crate::hex(key));
        self.transact(None, |tx| {
            let confirmed = tx.execute_typed(
                "UPDATE mfa_factors SET confirmed = true, confirmed_at = $1 \
                 WHERE user_id = $2 AND key = $3 AND NOT confirmed",
                &[
                    (&now, Type::INT8),
                    (&user_id, Type::INT8),
                    (&*key, Type::TEXT),
                ],
            )?;
            if confirmed != 1 || !apply_code(tx, user_id, accepted, now)? {
                return Err(Failure::Refused(Error::Conflicts(vec![Problem::new(
                    "mfa",
                    "the pending second factor was replaced or confirmed by another latch \
                     command; nothing was changed",
                )])));
            }
            write_codes(tx, user_id, codes)?;
            insert_event(tx, event)
        })
    }

    fn recovery_codes(&self, user_id: i64) -> Result<Vec<(i64, [u8; 32])>> {
        self.transact(None, |tx| {
            let rows = tx.query_typed(
                "SELECT id, code_hash FROM mfa_recovery_codes \
                 WHERE user_id = $1 AND used_at IS NULL ORDER BY id",
                &[(&user_id, Type::INT8)],
            )?;
            let mut codes = Vec::new();
            for row in rows {
                let (id, hash): (i64, Vec<u8>) = (row.try_get(0)?, row.try_get(1)?);
                // A hash of another length matches no code.
                if let Ok(hash) = <[u8; 32]>::try_from(hash.as_slice()) {
                    codes.push((id, hash));
                }
            }
            Ok(codes)
        })
    }

    fn accept_code(
        &mut self,
        user_id: i64,
        username_key: &str,
        accepted: AcceptedCode,
        now: i64,
        events: &[AuditEvent],
    ) -> Result<bool> {
        self.transact(None, |tx| {
            if !apply_code(tx, user_id, accepted, now)? {
                return Ok(false);
            }
            tx.execute_typed(
                "DELETE FROM login_failures WHERE username_key = $1",
                &[(&username_key, Type::TEXT)],
            )?;
            insert_events(tx, events)?;
            Ok(true)
        })
    }

    /// Invariant: codes are replaced only while the factor is confirmed
    /// (its row is locked `FOR UPDATE` first).
    fn replace_recovery_codes(
        &mut self,
        user_id: i64,
        codes: &[[u8; 32]],
        event: &AuditEvent,
    ) -> Result<()> {
        self.transact(None, |tx| {
            let confirmed = tx
                .query_typed_opt(
                    "SELECT 1 FROM mfa_factors WHERE user_id = $1 AND confirmed FOR UPDATE",
                    &[(&user_id, Type::INT8)],
                )?
                .is_some();
            if !confirmed {
                return Err(already_used());
            }
            write_codes(tx, user_id, codes)?;
            insert_event(tx, event)
        })
    }

    fn remove_factor(
        &mut self,
        user_id: i64,
        end_sessions: bool,
        event: &AuditEvent,
    ) -> Result<(bool, usize)> {
        self.transact(None, |tx| {
            let removed = tx.execute_typed(
                "DELETE FROM mfa_factors WHERE user_id = $1",
                &[(&user_id, Type::INT8)],
            )? > 0;
            write_codes(tx, user_id, &[])?;
            let ended = if end_sessions && removed {
                tx.execute_typed(
                    "DELETE FROM sessions WHERE user_id = $1",
                    &[(&user_id, Type::INT8)],
                )?
            } else {
                0
            };
            if removed {
                insert_event(tx, event)?;
            }
            Ok((removed, usize::try_from(ended).unwrap_or(usize::MAX)))
        })
    }
}
