//! TOTP (RFC 6238) over totp-rs: the secret, the `otpauth://` URI, and
//! checking a code the way django-otp's `TOTPDevice.verify_token` does, so
//! that a factor moves between latch and Django with its state intact.
//!
//! The time step a code belongs to is `floor((now - t0) / step) + drift`; a
//! code is accepted for that step or up to `tolerance` steps either side,
//! only if its step is later than `last_t` (the last one accepted), and the
//! accepted offset is added to `drift` (django-otp's `OTP_TOTP_SYNC`). Every
//! candidate is computed and compared in constant time (`subtle`) before
//! the answer is chosen. Never returns or keeps the code it checked.

use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Builder, Secret};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Bytes of a new secret: 160 bits, as RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;
/// What every authenticator app reads: 6 digits every 30 seconds, HMAC-SHA1.
pub const DIGITS: u8 = 6;
pub const STEP: u32 = 30;
/// The issuer in the URI, which the app shows above the code.
pub const ISSUER: &str = "latch";

/// A factor's parameters and state, as django-otp keeps them.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpState {
    pub key: Zeroizing<Vec<u8>>,
    pub step: u32,
    pub t0: i64,
    pub digits: u8,
    pub drift: i64,
    /// The last time step accepted; -1 for none.
    pub last_t: i64,
}

impl std::fmt::Debug for TotpState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpState")
            .field("key", &"<redacted>")
            .field("step", &self.step)
            .field("t0", &self.t0)
            .field("digits", &self.digits)
            .field("drift", &self.drift)
            .field("last_t", &self.last_t)
            .finish()
    }
}

impl TotpState {
    /// A factor with a fresh 160-bit secret from the OS CSPRNG and latch's
    /// parameters.
    pub fn generate() -> Result<TotpState> {
        let mut key = Zeroizing::new(vec![0u8; SECRET_BYTES]);
        getrandom::fill(key.as_mut_slice())
            .map_err(|e| Error::Internal(format!("the OS random number generator failed: {e}")))?;
        Ok(TotpState {
            key,
            step: STEP,
            t0: 0,
            digits: DIGITS,
            drift: 0,
            last_t: -1,
        })
    }

    /// Whether latch can check codes of these parameters: django-otp's
    /// digits (6 or 8), a positive step, and a key of 1 to 64 bytes.
    pub fn is_usable(&self) -> bool {
        matches!(self.digits, 6 | 8)
            && (1..=24 * 3600).contains(&self.step)
            && (1..=64).contains(&self.key.len())
    }

    /// The secret in base32 (RFC 4648, no padding), for typing into an app.
    pub fn base32(&self) -> Zeroizing<String> {
        Zeroizing::new(Secret::from(self.key.to_vec()).to_base32())
    }

    /// The `otpauth://totp/latch:LABEL?secret=…&issuer=latch` URI that
    /// authenticator apps read from the QR code.
    pub fn otpauth_uri(&self, label: &str) -> Result<Zeroizing<String>> {
        let totp = Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(self.digits)
            .with_step_duration(u64::from(self.step))
            .with_secret(self.key.to_vec())
            .with_account_name(label.replace(':', "_"))
            .with_issuer(Some(ISSUER))
            .build_noncompliant();
        totp.to_url()
            .map(Zeroizing::new)
            .map_err(|e| Error::Internal(format!("cannot write the otpauth URI: {e}")))
    }

    /// The code of time step `t` (also what tests type as the app's code).
    pub(crate) fn code_at(&self, t: u64) -> Zeroizing<String> {
        let totp = Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(self.digits)
            .with_step_duration(u64::from(self.step))
            .with_secret(self.key.to_vec())
            .with_skew(0)
            .build_noncompliant();
        Zeroizing::new(
            totp.generate(t.saturating_mul(u64::from(self.step)))
                .to_string(),
        )
    }

    /// The time step of `now` with the factor's drift, as django-otp's `t()`.
    pub fn step_of(&self, now: i64) -> i64 {
        (now - self.t0).div_euclid(i64::from(self.step.max(1))) + self.drift
    }
}

/// What checking a code found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The code of step `t`; `drift` is the factor's drift from now on.
    Accepted { t: i64, drift: i64 },
    /// The code of a step already accepted (or earlier): a replay.
    Replayed,
    /// No step in the window has this code.
    Wrong,
}

/// Checks `code` (ASCII digits) against `state` at `now`, `tolerance` steps
/// either side. Every step of the window is computed and compared, in
/// constant time, whatever matches.
pub fn check(state: &TotpState, code: &str, now: i64, tolerance: u32) -> Check {
    let tolerance = i64::from(tolerance);
    let origin = state.step_of(now);
    let mut accepted: Option<(i64, i64)> = None;
    let mut replayed = false;
    for offset in -tolerance..=tolerance {
        let t = origin + offset;
        let Ok(counter) = u64::try_from(t) else {
            continue;
        };
        let expected = state.code_at(counter);
        let same: bool = expected.as_bytes().ct_eq(code.as_bytes()).into();
        if same && t > state.last_t {
            // The first step after last_t, as django-otp takes it.
            accepted = accepted.or(Some((t, state.drift + offset)));
        } else if same {
            replayed = true;
        }
    }
    match accepted {
        Some((t, drift)) => Check::Accepted { t, drift },
        None if replayed => Check::Replayed,
        None => Check::Wrong,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc_state(digits: u8) -> TotpState {
        TotpState {
            key: Zeroizing::new(b"12345678901234567890".to_vec()),
            step: 30,
            t0: 0,
            digits,
            drift: 0,
            last_t: -1,
        }
    }

    /// RFC 6238, appendix B, the SHA-1 rows.
    #[test]
    fn rfc_6238_test_vectors() {
        let state = rfc_state(8);
        for (time, code) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            let t = state.step_of(time);
            assert_eq!(*state.code_at(t as u64), code, "time {time}");
            assert_eq!(
                check(&state, code, time, 0),
                Check::Accepted { t, drift: 0 },
                "time {time}"
            );
        }
    }

    #[test]
    fn six_digits_are_the_last_six_of_the_eight() {
        let state = rfc_state(6);
        assert_eq!(*state.code_at(1), "287082");
    }

    #[test]
    fn a_step_at_or_before_last_t_is_a_replay() {
        let mut state = rfc_state(8);
        state.last_t = 1;
        assert_eq!(check(&state, "94287082", 59, 1), Check::Replayed);
        state.last_t = 0;
        assert_eq!(
            check(&state, "94287082", 59, 1),
            Check::Accepted { t: 1, drift: 0 }
        );
    }

    #[test]
    fn drift_within_tolerance_is_accepted_and_kept() {
        let state = rfc_state(8);
        // The code of step 1, typed at step 2: one step behind.
        assert_eq!(
            check(&state, "94287082", 60, 1),
            Check::Accepted { t: 1, drift: -1 }
        );
        assert_eq!(check(&state, "94287082", 90, 1), Check::Wrong);
        assert_eq!(check(&state, "94287082", 60, 0), Check::Wrong);
        // A drift already kept moves the window.
        let mut drifted = rfc_state(8);
        drifted.drift = -2;
        assert_eq!(
            check(&drifted, "94287082", 90, 0),
            Check::Accepted { t: 1, drift: -2 }
        );
    }

    #[test]
    fn the_secret_is_160_bits_of_base32() {
        let state = TotpState::generate().expect("random");
        assert_eq!(state.key.len(), 20);
        assert_eq!(state.base32().len(), 32);
        assert_ne!(state.key, TotpState::generate().expect("random").key);
        let uri = state.otpauth_uri("alice (latch.db)").expect("uri");
        assert!(uri.starts_with("otpauth://totp/latch:alice"), "{}", *uri);
        assert!(uri.contains(&format!("secret={}", *state.base32())));
        assert!(uri.contains("issuer=latch"));
    }
}
