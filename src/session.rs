//! Session tokens: 256 bits from the OS CSPRNG, shown to nobody, kept in the
//! token store; the account store sees only their SHA-256.
//!
//! A `SessionToken` never prints itself (its `Debug` is redacted, it has no
//! `Display`) and its memory is zeroized when dropped.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

const PREFIX: &str = "latch_";
const TOKEN_BYTES: usize = 32;
/// `latch_` and 43 characters of unpadded base64url.
const TOKEN_LENGTH: usize = PREFIX.len() + 43;

/// The SHA-256 of a token: what the account store keeps instead of the token.
pub type TokenHash = [u8; 32];

pub struct SessionToken(Zeroizing<String>);

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

impl SessionToken {
    /// A fresh token from the OS CSPRNG.
    pub fn generate() -> Result<SessionToken> {
        let mut bytes = Zeroizing::new([0u8; TOKEN_BYTES]);
        getrandom::fill(bytes.as_mut())
            .map_err(|e| Error::Internal(format!("the OS random number generator failed: {e}")))?;
        let mut token = Zeroizing::new(String::with_capacity(TOKEN_LENGTH));
        token.push_str(PREFIX);
        URL_SAFE_NO_PAD.encode_string(bytes.as_ref(), &mut token);
        Ok(SessionToken(token))
    }

    /// A token read back from a token store; `None` when it is not one of ours.
    pub fn parse(text: &str) -> Option<SessionToken> {
        let body = text.strip_prefix(PREFIX)?;
        let decoded = Zeroizing::new(URL_SAFE_NO_PAD.decode(body).ok()?);
        (decoded.len() == TOKEN_BYTES).then(|| SessionToken(Zeroizing::new(text.to_owned())))
    }

    /// The text to hand to the token store, and to nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        Sha256::digest(self.0.as_bytes()).into()
    }
}

/// What ties a session to the password it was created under: a digest of the
/// stored hash. A new password changes it, and with it ends the session.
pub fn password_binding(encoded_hash: &str) -> [u8; 32] {
    let mut digest = Sha256::new();
    digest.update(b"latch session binding\0");
    digest.update(encoded_hash.as_bytes());
    digest.finalize().into()
}

/// Constant-time comparison of a session's binding with the current one.
pub fn binding_matches(stored: &[u8], encoded_hash: &str) -> bool {
    bool::from(stored.ct_eq(&password_binding(encoded_hash)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_the_documented_shape() {
        let token = SessionToken::generate().expect("random");
        let text = token.expose();
        assert!(text.starts_with("latch_"));
        assert_eq!(text.len(), TOKEN_LENGTH);
        assert!(
            text[PREFIX.len()..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(
            SessionToken::parse(text).map(|t| t.hash()),
            Some(token.hash())
        );
    }

    #[test]
    fn tokens_differ() {
        let a = SessionToken::generate().expect("random");
        let b = SessionToken::generate().expect("random");
        assert_ne!(a.expose(), b.expose());
        assert_ne!(a.hash(), b.hash());
    }

    #[test]
    fn foreign_text_is_not_a_token() {
        for text in ["", "latch_", "latch_short", "ghp_abcdef", "latch_!!!!"] {
            assert!(SessionToken::parse(text).is_none(), "{text:?}");
        }
        let long = format!("latch_{}", "A".repeat(44));
        assert!(SessionToken::parse(&long).is_none());
    }

    #[test]
    fn debug_never_shows_the_token() {
        let token = SessionToken::generate().expect("random");
        let shown = format!("{token:?}");
        assert!(!shown.contains(&token.expose()[PREFIX.len()..]));
    }

    #[test]
    fn binding_follows_the_password_hash() {
        let binding = password_binding("pbkdf2_sha256$1$a$b");
        assert!(binding_matches(&binding, "pbkdf2_sha256$1$a$b"));
        assert!(!binding_matches(&binding, "pbkdf2_sha256$1$a$c"));
        assert!(!binding_matches(&binding[..31], "pbkdf2_sha256$1$a$b"));
    }
}
