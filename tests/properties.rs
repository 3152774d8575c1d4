//! Properties of the pure parts of the library, over generated input: the
//! validators never panic and are stable on their own output; hashes
//! round-trip through their encoding; a hash verifies its own password and no
//! other; and no string in the store's password column is mistaken for a hash.
//! The hashes here use a few PBKDF2 iterations: the property is the same at
//! any count, and the cost is not.

use latch::password::{self, Pbkdf2Sha256, Verdict};
use latch::policy::Policy;
use latch::validate;
use proptest::prelude::*;

/// A few iterations: enough to exercise the loop, cheap enough for hundreds of cases.
fn iterations() -> impl Strategy<Value = u32> {
    1u32..4
}

/// Strings of the characters that make normalization and case folding
/// interesting, mixed with any character at all.
fn tricky_string() -> impl Strategy<Value = String> {
    let tricky = prop_oneof![
        // ASCII, letters that fold to several (ß, ŉ, İ), fullwidth and
        // mathematical forms, ligatures, combining marks, Greek with
        // ypogegrammeni, Hangul jamo, bidi controls and zero-width characters.
        proptest::char::range('\0', '\u{7f}'),
        prop::sample::select(vec![
            'ß', 'ẞ', 'ŉ', 'İ', 'ı', 'ſ', 'K', 'Å', 'ﬁ', 'ﬃ', 'ｱ', 'Ａ', 'ａ', '𝐀', '𝔞', 'ⓐ', 'ᴬ',
            'ª', '\u{301}', '\u{308}', '\u{345}', 'ᾳ', 'ᾼ', 'ΐ', 'ᄀ', 'ᅡ', '가', '\u{202e}',
            '\u{200b}', '\u{200d}', '\u{ad}', '\u{fe0f}', 'Ⅻ', '½', '㎏', 'ǅ', 'Ϊ', 'ϒ',
            '\u{1e9e}', 'ﬀ',
        ]),
        any::<char>(),
    ];
    proptest::collection::vec(tricky, 0..40).prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn validators_never_panic(s in tricky_string(), other in any::<String>()) {
        let policy = Policy::default();
        let _ = validate::username(&s);
        let _ = validate::email(&s);
        let _ = validate::email(&format!("{s}@{other}"));
        let _ = validate::password(&s, &policy, &[&other, &s]);
        let _ = validate::fold(&s);
        let _ = validate::nfkc(&s);
    }

    #[test]
    fn an_accepted_username_is_stable_and_keeps_its_key(s in tricky_string()) {
        if let Ok(name) = validate::username(&s) {
            prop_assert_eq!(validate::username(&name), Ok(name.clone()));
            prop_assert_eq!(validate::fold(&name), validate::fold(&s));
        }
    }

    #[test]
    fn the_folded_key_is_a_fixed_point(s in tricky_string()) {
        // Two names are one when their keys are equal; a key that folded
        // again to something else would let a look-alike of a name in.
        let key = validate::fold(&s);
        prop_assert_eq!(validate::fold(&key), key);
    }

    #[test]
    fn an_accepted_email_is_stable(local in "[a-zA-Z0-9.+_-]{1,20}", domain in tricky_string()) {
        if let Ok(email) = validate::email(&format!("{local}@{domain}")) {
            prop_assert_eq!(validate::email(&email), Ok(email.clone()));
        }
    }

    #[test]
    fn an_encoded_hash_parses_back_to_itself(
        iterations in 1..=password::MAX_ITERATIONS,
        salt in "[A-Za-z0-9]{1,40}",
        key in proptest::array::uniform32(any::<u8>()),
    ) {
        use base64::Engine as _;
        let encoded = format!(
            "pbkdf2_sha256${iterations}${salt}${}",
            base64::engine::general_purpose::STANDARD.encode(key)
        );
        let hash = Pbkdf2Sha256::parse(&encoded).expect("a well-formed hash");
        prop_assert_eq!(hash.iterations, iterations);
        prop_assert_eq!(&hash.salt, &salt);
        prop_assert_eq!(hash.encode(), encoded);
    }

    #[test]
    fn any_string_parses_to_nothing_or_to_a_hash_that_round_trips(s in any::<String>()) {
        if let Some(hash) = Pbkdf2Sha256::parse(&s) {
            prop_assert_eq!(Pbkdf2Sha256::parse(&hash.encode()), Some(hash));
        }
    }

    #[test]
    fn any_bytes_as_a_stored_hash_never_verify(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let stored = String::from_utf8_lossy(&bytes);
        let verification = password::verify("correct horse battery staple", &stored, 1);
        prop_assert_eq!(verification.verdict, Verdict::Invalid);
        prop_assert_eq!(verification.iterations_spent, 1);
    }

    #[test]
    fn near_hashes_are_rejected_without_panic(
        iterations in "[0-9+-]{0,12}",
        salt in "[^$]{0,30}",
        key in "[A-Za-z0-9+/=_-]{0,50}",
        extra in proptest::option::of("[^$]{0,5}"),
    ) {
        let mut stored = format!("pbkdf2_sha256${iterations}${salt}${key}");
        if let Some(extra) = extra {
            stored.push('$');
            stored.push_str(&extra);
        }
        // Parse only: a parsed count can be up to MAX_ITERATIONS, too slow here.
        if let Some(hash) = Pbkdf2Sha256::parse(&stored) {
            prop_assert!(hash.iterations >= 1 && hash.iterations <= password::MAX_ITERATIONS);
        }
    }
}

proptest! {
    // Each case hashes: keep the count low.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_hash_verifies_its_password_and_no_other(
        password in tricky_string(),
        other in tricky_string(),
        iterations in iterations(),
    ) {
        prop_assume!(password != other);
        match Pbkdf2Sha256::new(&password, iterations) {
            Ok(hash) => {
                prop_assert!(hash.matches(&password));
                prop_assert!(!hash.matches(&other));
                let encoded = hash.encode();
                prop_assert_eq!(
                    password::verify(&password, &encoded, iterations).verdict,
                    Verdict::Valid { must_update: false }
                );
                prop_assert_eq!(password::verify(&other, &encoded, iterations).verdict, Verdict::Invalid);
            }
            // A password that cannot be hashed must never be one a user can set.
            Err(_) => prop_assert!(!validate::password(&password, &Policy::default(), &[]).is_empty()),
        }
    }

    #[test]
    fn a_password_with_a_nul_appended_is_another_password(
        password in tricky_string(),
        nuls in 1usize..4,
        iterations in iterations(),
    ) {
        // HMAC pads a short key with zero bytes, so PBKDF2 alone cannot tell
        // "p" from "p\0": latch must.
        let longer = format!("{password}{}", "\0".repeat(nuls));
        if let Ok(hash) = Pbkdf2Sha256::new(&password, iterations) {
            prop_assert!(!hash.matches(&longer));
            prop_assert_eq!(
                password::verify(&longer, &hash.encode(), iterations).verdict,
                Verdict::Invalid
            );
        }
        if let Ok(hash) = Pbkdf2Sha256::new(&longer, iterations) {
            prop_assert!(!hash.matches(&password));
        }
    }
}
