//! The second factor's rows and `FactorStore`, the part of the account store
//! that keeps them: each account's TOTP factor (pending or confirmed) and its
//! recovery codes' hashes. Like the rest of the store it applies no rule
//! (`accounts` does) and each method that writes is one transaction.

use crate::audit::AuditEvent;
use crate::error::Result;
use crate::mfa::totp::TotpState;

/// A row of `mfa_factors`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Factor {
    pub user_id: i64,
    pub totp: TotpState,
    pub confirmed: bool,
    /// Unix seconds.
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
}

/// A code accepted in place of the password's second half.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptedCode {
    /// A TOTP code of step `t`: `last_t` becomes `t`, `drift` the new drift,
    /// if `last_t` is still `previous_last_t`.
    Totp {
        previous_last_t: i64,
        t: i64,
        drift: i64,
    },
    /// The recovery code stored with this id, if still unused.
    Recovery { id: i64 },
}

/// Whether an account has a factor and how many recovery codes it has left,
/// for `whoami`, `users show` and `mfa status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FactorSummary {
    pub confirmed: bool,
    pub pending: bool,
    pub recovery_codes_left: u32,
    pub confirmed_at: Option<i64>,
}

pub trait FactorStore {
    /// Calls `visit` with each confirmed factor and its user's name, in
    /// user id order, a row at a time.
    fn for_each_factor(&self, visit: &mut dyn FnMut(&str, Factor) -> Result<()>) -> Result<()>;

    /// The factor of the user `user_id`, pending or confirmed.
    fn factor(&self, user_id: i64) -> Result<Option<Factor>>;

    /// What `mfa status` shows of it.
    fn factor_summary(&self, user_id: i64) -> Result<FactorSummary>;

    /// Puts `factor` (pending) in place of the user's pending one, and
    /// records `event`; refused (`Error::Conflicts`) when the user has a
    /// confirmed factor by then.
    fn set_pending_factor(&mut self, factor: &Factor, event: &AuditEvent) -> Result<()>;

    /// Confirms the user's pending factor whose key is `key`, with the step
    /// of the code that confirmed it, and replaces the recovery codes with
    /// `codes`; records `event`. Refused (`Error::Conflicts`) when that
    /// factor is no longer pending.
    fn confirm_factor(
        &mut self,
        user_id: i64,
        key: &[u8],
        accepted: AcceptedCode,
        codes: &[[u8; 32]],
        now: i64,
        event: &AuditEvent,
    ) -> Result<()>;

    /// The hashes of the user's unused recovery codes, with their ids.
    fn recovery_codes(&self, user_id: i64) -> Result<Vec<(i64, [u8; 32])>>;

    /// Marks a code accepted for the user's confirmed factor, clears the
    /// failed logins of `username_key`, and records `events`, in one
    /// transaction. `false` (nothing written) when another command used the
    /// same code first.
    fn accept_code(
        &mut self,
        user_id: i64,
        username_key: &str,
        accepted: AcceptedCode,
        now: i64,
        events: &[AuditEvent],
    ) -> Result<bool>;

    /// Replaces the user's recovery codes with `codes` and records `event`.
    fn replace_recovery_codes(
        &mut self,
        user_id: i64,
        codes: &[[u8; 32]],
        event: &AuditEvent,
    ) -> Result<()>;

    /// Removes the user's factor and recovery codes, and when there was a
    /// factor, records `event` and (with `end_sessions`) ends their sessions.
    /// Returns whether there was one and how many sessions ended.
    fn remove_factor(
        &mut self,
        user_id: i64,
        end_sessions: bool,
        event: &AuditEvent,
    ) -> Result<(bool, usize)>;
}
