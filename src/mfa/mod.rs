//! The second factor: time-based one-time codes (TOTP, RFC 6238) and the
//! single-use recovery codes beside them.
//!
//! This module owns the factor's arithmetic and formats: the secret, the
//! `otpauth://` URI and its QR code (`totp`, `qr`), checking a code against
//! a factor with the replay and drift rules of django-otp (`totp::check`),
//! and making, parsing and hashing recovery codes (`recovery`). It keeps no
//! state and applies no policy: whether an account must have a factor, and
//! what a failed code costs, are `accounts`' rules. It never logs or returns
//! a code it was given, and compares codes only in constant time.

pub mod qr;
pub mod recovery;
pub mod totp;

/// What was typed where a code is asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Code {
    /// A code from the authenticator app: ASCII digits only.
    Totp(String),
    /// A recovery code, normalized (`recovery::normalize`).
    Recovery(recovery::RecoveryCode),
}

/// Reads a typed code: `digits` ASCII digits (a code from the app) or a
/// recovery code. Anything else is `Err` with what is wrong with it, never
/// quoting it: spaces, letters in a code, the wrong length, control
/// characters.
pub fn parse_code(typed: &str, digits: u8) -> Result<Code, &'static str> {
    if typed.is_empty() {
        return Err("no code was given");
    }
    if typed.len() > 64 {
        return Err("the code is too long");
    }
    if typed.bytes().any(|b| b.is_ascii_control()) {
        return Err("the code holds a control character");
    }
    if typed.bytes().any(|b| b.is_ascii_whitespace()) {
        return Err("the code holds a space");
    }
    if typed.bytes().all(|b| b.is_ascii_digit()) {
        return if typed.len() == usize::from(digits) {
            Ok(Code::Totp(typed.to_owned()))
        } else {
            Err("a code from the app has the wrong number of digits")
        };
    }
    recovery::normalize(typed)
        .map(Code::Recovery)
        .ok_or("the code is neither a code from the app nor a recovery code")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_or_a_recovery_code() {
        assert_eq!(parse_code("012345", 6), Ok(Code::Totp("012345".into())));
        assert_eq!(parse_code("01234567", 8), Ok(Code::Totp("01234567".into())));
        for bad in [
            "",
            "12345",
            "1234567",
            "123 456",
            " 123456",
            "12345a",
            "123456\0",
            "\u{ff11}23456",
            &"1".repeat(100),
        ] {
            assert!(parse_code(bad, 6).is_err(), "{bad:?}");
        }
        assert!(matches!(
            parse_code("abcd-efgh-ijkl-mnop", 6),
            Ok(Code::Recovery(_))
        ));
    }
}
