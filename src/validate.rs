//! The rules for usernames, email addresses and passwords, and the folded keys
//! that make names and addresses unique without regard to case.
//!
//! Pure functions: no I/O, no store. Each check returns every problem it finds,
//! so a form can show them all at once. Nothing here may panic on any string.

use unicode_normalization::UnicodeNormalization;

use crate::error::Problem;
use crate::policy::Policy;

/// Django's `username` column limit.
pub const USERNAME_MAX: usize = 150;
/// RFC 5321's limit on a whole address, as Django's `EmailField`.
pub const EMAIL_MAX: usize = 254;
const EMAIL_LOCAL_MAX: usize = 64;
/// zxcvbn's matching grows quickly with length; past this many characters a
/// password is long enough that its score comes from the first part alone.
const ZXCVBN_PREFIX: usize = 256;
/// zxcvbn's score below which a password is refused.
const MIN_SCORE: u8 = 3;

pub fn nfkc(s: &str) -> String {
    s.nfkc().collect()
}

/// The key two usernames or addresses share when they differ only in case or
/// in compatibility forms: NFKC, then Unicode case folding, then NFKC again.
pub fn fold(s: &str) -> String {
    nfkc(&caseless::default_case_fold_str(&nfkc(s)))
}

/// A username after NFKC normalization, or every problem with it.
pub fn username(raw: &str) -> Result<String, Vec<Problem>> {
    let name = nfkc(raw);
    let mut problems = Vec::new();
    let length = name.chars().count();
    if length == 0 {
        problems.push(Problem::new("username", "is required"));
    } else if length > USERNAME_MAX {
        problems.push(Problem::new(
            "username",
            format!("must be at most {USERNAME_MAX} characters (it has {length})"),
        ));
    }
    let mut bad: Vec<char> = name.chars().filter(|&c| !is_username_char(c)).collect();
    bad.dedup();
    if !bad.is_empty() {
        let shown: Vec<String> = bad.iter().take(5).map(|c| describe_char(*c)).collect();
        problems.push(
            Problem::new(
                "username",
                format!(
                    "may contain only letters, digits and _ . @ + - (found {})",
                    shown.join(", ")
                ),
            )
            .with_hint("usernames follow Django's rule: letters, digits and _ . @ + -"),
        );
    }
    if problems.is_empty() {
        Ok(name)
    } else {
        Err(problems)
    }
}

/// A name given to find an account (to log in, or for an admin command):
/// refused when no account can have it (empty, too long, or with a
/// character no username may hold: every account was registered or imported
/// under `username`'s rule, which is Django's). The message never quotes
/// the name or its characters: a password typed in the wrong place must not
/// reach the screen, the audit trail or the lockout.
pub fn login_name(raw: &str) -> Result<(), Vec<Problem>> {
    let name = nfkc(raw);
    let length = name.chars().count();
    if length == 0 {
        Err(vec![Problem::new("username", "is required")])
    } else if length > USERNAME_MAX {
        Err(vec![Problem::new(
            "username",
            format!("must be at most {USERNAME_MAX} characters (it has {length})"),
        )])
    } else if !name.chars().all(is_username_char) {
        Err(vec![
            Problem::new(
                "username",
                "may contain only letters, digits and _ . @ + -, so no account has it",
            )
            .with_hint("usernames follow Django's rule: letters, digits and _ . @ + -"),
        ])
    } else {
        Ok(())
    }
}

fn is_username_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || matches!(c, '_' | '.' | '@' | '+' | '-')
}

fn describe_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() || !c.is_alphanumeric() && !c.is_ascii_graphic() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("'{c}'")
    }
}

/// An email address, trimmed and with its domain lowercased, or its problem.
pub fn email(raw: &str) -> Result<String, Vec<Problem>> {
    let address = raw.trim();
    let problem = |message: String| Err(vec![Problem::new("email", message)]);
    if address.is_empty() {
        return problem("is required".into());
    }
    let length = address.chars().count();
    if length > EMAIL_MAX {
        return problem(format!(
            "must be at most {EMAIL_MAX} characters (it has {length})"
        ));
    }
    let Some((local, domain)) = address.rsplit_once('@') else {
        return problem("is not a valid email address (it has no @)".into());
    };
    // Django lowercases the domain; latch also maps compatibility forms
    // (fullwidth letters) onto ASCII, so a look-alike is the same address.
    let domain = nfkc(&nfkc(domain).to_lowercase());
    if !valid_local_part(local) || !valid_domain(&domain) {
        // Not quoted: a value in the wrong field could be a password.
        return problem("is not a valid email address".into());
    }
    let address = format!("{local}@{domain}");
    // Normalizing can lengthen a domain (㎒ is "mhz"): the stored form counts.
    let length = address.chars().count();
    if length > EMAIL_MAX {
        return problem(format!(
            "must be at most {EMAIL_MAX} characters (it has {length} once normalized)"
        ));
    }
    Ok(address)
}

/// The key two addresses share when they are one mailbox as far as latch
/// can tell: the local part lowercased, and the domain lowercased and, for
/// a name (not an address literal), folded through IDNA (UTS #46, as
/// browsers and mail systems map names): `user@bücher.de` and
/// `user@xn--bcher-kva.de` have one key. `address` is an address `email`
/// accepted; it is stored as given, the key beside it.
pub fn email_key(address: &str) -> String {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return address.to_lowercase();
    };
    let domain = if domain.starts_with('[') {
        domain.to_lowercase()
    } else {
        idna::domain_to_ascii(domain).unwrap_or_else(|_| domain.to_lowercase())
    };
    format!("{}@{domain}", local.to_lowercase())
}

/// RFC 5322's dot-atom, or a quoted string, as Django's `EmailValidator` accepts.
fn valid_local_part(local: &str) -> bool {
    if local.is_empty() || local.len() > EMAIL_LOCAL_MAX {
        return false;
    }
    if let Some(inner) = local
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        let mut escaped = false;
        return inner.chars().all(|c| {
            let ok = c.is_ascii() && !c.is_ascii_control() && (escaped || c != '"');
            escaped = !escaped && c == '\\';
            ok
        }) && !escaped;
    }
    local.split('.').all(|atom| {
        !atom.is_empty()
            && atom
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c))
    })
}

/// A host name of two or more labels (Unicode labels allowed, as IDNs), or an
/// address literal in brackets.
fn valid_domain(domain: &str) -> bool {
    if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        let literal = literal.strip_prefix("ipv6:").unwrap_or(literal);
        return literal.parse::<std::net::IpAddr>().is_ok();
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || domain.len() > 253 {
        return false;
    }
    let label_ok = |label: &str| {
        (1..=63).contains(&label.chars().count())
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let tld = labels[labels.len() - 1];
    labels.iter().all(|label| label_ok(label))
        && tld.chars().count() >= 2
        && (tld.chars().all(char::is_alphabetic) || tld.starts_with("xn--"))
}

/// Checks a new password (already NFKC-normalized) against the policy, with the
/// username and email as words it must not be close to.
pub fn password(password: &str, policy: &Policy, user_inputs: &[&str]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let length = password.chars().count();
    let (min, max) = (
        policy.min_password_length as usize,
        policy.max_password_length as usize,
    );
    if length < min {
        problems.push(
            Problem::new(
                "password",
                format!("must be at least {min} characters (it has {length})"),
            )
            .with_hint("a few unrelated words make a long password that is easy to remember"),
        );
    } else if length > max {
        problems.push(Problem::new(
            "password",
            format!("must be at most {max} characters (it has {length})"),
        ));
        return problems;
    }
    if password.contains('\0') {
        problems.push(Problem::new("password", crate::password::NUL_PROBLEM));
    }
    if length > 0 && password.chars().all(char::is_numeric) {
        problems.push(Problem::new("password", "must not be entirely numeric"));
    }
    if length >= min && problems.is_empty() {
        let prefix: String = password.chars().take(ZXCVBN_PREFIX).collect();
        let inputs: Vec<&str> = user_inputs
            .iter()
            .flat_map(|input| {
                let local = input.split('@').next().unwrap_or(input);
                [*input, local]
            })
            .filter(|input| !input.is_empty())
            .collect();
        let estimate = zxcvbn::zxcvbn(&prefix, &inputs);
        if (estimate.score() as u8) < MIN_SCORE {
            let mut problem = Problem::new("password", "is too easy to guess");
            if let Some(hint) = estimate.feedback().map(|f| f.to_string().trim().to_owned())
                && !hint.is_empty()
            {
                problem = problem.with_hint(hint);
            }
            problems.push(problem);
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_names_no_account_can_have_are_refused_without_quoting_them() {
        for impossible in [
            "Tq8#vLr2!mZp9xWe-kelp",
            "two words",
            "a\u{202e}",
            "x\u{7}",
            "semi;colon",
        ] {
            let problems = login_name(impossible).expect_err(impossible);
            assert_eq!(problems.len(), 1);
            for c in ['#', '!', ';', ' '] {
                assert!(!problems[0].message.contains(c) || c == ' ', "{problems:?}");
            }
            assert!(!problems[0].message.contains("Tq8"), "{problems:?}");
        }
        for possible in [
            "alice",
            "ＡＬＩＣＥ",
            "bob.smith+test@host-1",
            "李雷",
            "-rf",
        ] {
            assert_eq!(login_name(possible), Ok(()), "{possible}");
        }
    }

    #[test]
    fn email_keys_fold_domains_through_idna() {
        assert_eq!(email_key("user@bücher.de"), "user@xn--bcher-kva.de");
        assert_eq!(email_key("user@xn--bcher-kva.de"), "user@xn--bcher-kva.de");
        assert_eq!(email_key("User@XN--BCHER-KVA.DE"), "user@xn--bcher-kva.de");
        assert_eq!(email_key("Alice@Example.COM"), "alice@example.com");
        assert_eq!(email_key("a@[IPv6:::1]"), "a@[ipv6:::1]");
        let typed = email("user@Bücher.de").expect("valid");
        assert_eq!(typed, "user@bücher.de");
        assert_eq!(email_key(&typed), email_key("user@xn--bcher-kva.de"));
    }

    #[test]
    fn usernames_follow_djangos_rule() {
        for good in [
            "alice",
            "Álvaro",
            "bob.smith+test@host-1",
            "李雷",
            "_",
            "x1",
        ] {
            assert_eq!(username(good).as_deref(), Ok(good), "{good}");
        }
        for bad in [
            "",
            "a b",
            "a!b",
            "a/b",
            "tab\there",
            "nul\0",
            "rtl\u{202e}x",
        ] {
            assert!(username(bad).is_err(), "{bad:?}");
        }
        assert!(username(&"a".repeat(150)).is_ok());
        assert!(username(&"a".repeat(151)).is_err());
    }

    #[test]
    fn usernames_are_nfkc_normalized() {
        // Fullwidth letters and the ﬁ ligature are compatibility forms of ASCII.
        assert_eq!(username("ａｌｉｃｅ").as_deref(), Ok("alice"));
        assert_eq!(username("ﬁnn").as_deref(), Ok("finn"));
    }

    #[test]
    fn every_username_problem_is_reported() {
        let problems = username(&format!("{} !", "a".repeat(151))).expect_err("two problems");
        assert_eq!(problems.len(), 2);
        assert!(problems[1].message.contains("U+0020"));
    }

    #[test]
    fn fold_ignores_case_and_compatibility_forms() {
        assert_eq!(fold("Alice"), fold("alice"));
        assert_eq!(fold("ＡＬＩＣＥ"), fold("alice"));
        assert_eq!(fold("STRASSE"), fold("straße"));
        assert_ne!(fold("alice"), fold("alicia"));
    }

    #[test]
    fn emails_are_trimmed_and_domains_lowercased_and_folded() {
        assert_eq!(
            email("  Alice.Smith@Example.COM ").as_deref(),
            Ok("Alice.Smith@example.com")
        );
        assert_eq!(email("x@bücher.de").as_deref(), Ok("x@bücher.de"));
        assert_eq!(
            email("a+tag@sub.example.org").as_deref(),
            Ok("a+tag@sub.example.org")
        );
        assert_eq!(
            email("\"a b\"@example.com").as_deref(),
            Ok("\"a b\"@example.com")
        );
        assert_eq!(email("root@[127.0.0.1]").as_deref(), Ok("root@[127.0.0.1]"));
        // The length counts once normalized: each ㎒ is three letters.
        let long = format!("{}@{}com", "a".repeat(64), "㎒.".repeat(60));
        assert!(long.chars().count() <= EMAIL_MAX);
        let problems = email(&long).expect_err("too long once normalized");
        assert!(
            problems[0]
                .message
                .ends_with("(it has 308 once normalized)"),
            "{problems:?}"
        );
        // Compatibility forms of the domain are its ASCII spelling.
        assert_eq!(
            email("alice@ＥＸＡＭＰＬＥ．com").as_deref(),
            Ok("alice@example.com")
        );
    }

    #[test]
    fn bad_emails_are_refused() {
        let long = format!("{}@example.com", "a".repeat(250));
        for bad in [
            "",
            "   ",
            "alice",
            "@example.com",
            "alice@",
            "alice@localhost",
            "alice@example.c",
            "alice@example.123",
            "a..b@example.com",
            ".a@example.com",
            "a b@example.com",
            "alice@-example.com",
            "alice@exa_mple.com",
            "alice@example..com",
            "ünï@example.com",
            "a\0@example.com",
            long.as_str(),
        ] {
            assert!(email(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_follow_the_policy() {
        let policy = Policy::default();
        assert!(password("correct horse battery staple", &policy, &[]).is_empty());

        let short = password("tiny", &policy, &[]);
        assert_eq!(short.len(), 1);
        assert!(short[0].message.contains("at least 15"));

        let long = password(&"x".repeat(1025), &policy, &[]);
        assert!(long[0].message.contains("at most 1024"));

        let numeric = password("1234567890123456789", &policy, &[]);
        assert!(numeric.iter().any(|p| p.message.contains("numeric")));

        let common = password("passwordpassword", &policy, &[]);
        assert_eq!(common[0].message, "is too easy to guess");
        assert!(common[0].hint.is_some());
    }

    #[test]
    fn passwords_close_to_the_user_are_refused() {
        let policy = Policy::default();
        let name = "maximilian.hoffmann";
        let problems = password(name, &policy, &[name, "maximilian.hoffmann@example.com"]);
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn passwords_up_to_the_maximum_are_scored() {
        let policy = Policy::default();
        let password_1015 = "correct horse battery staple ".repeat(35);
        assert!(password(&password_1015, &policy, &[]).is_empty());
        assert!(!password(&"a".repeat(1024), &policy, &[]).is_empty());
    }
}
