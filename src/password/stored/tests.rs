//! `verify`, `StoredHash` and `describe` against the hashes real Django made
//! (`tests/fixtures/django/hashes.json`), and against malformed, absurd and
//! unusable ones: every failure costs at least one policy hash.
use super::*;
use crate::validate::nfkc;

// Made by Django 5.2's PBKDF2PasswordHasher.encode(password, salt, iterations);
// `tests/fixtures/django/vectors.py` reproduces them.
const DJANGO_ASCII: &str =
    "pbkdf2_sha256$1200000$seasalt0123456789ABCDE$akP42UnRyfsYsw5KDfgkXZ81K967fXLNmWc+8OhHGsE=";
const DJANGO_OLD: &str =
    "pbkdf2_sha256$1000$shortsalt$it+6pvf1grdMwPSLJ7qRPujK8dQNvXunEfryfOO5dBk=";

/// Hashes made by Django (`tests/fixtures/django/make_fixtures.py`).
const FIXTURES: &str = include_str!("../../../tests/fixtures/django/hashes.json");
/// A policy far cheaper than the default, so that the many failed checks
/// below spend little; the fixtures at Django's defaults cost more.
const POLICY: u32 = 20_000;

#[derive(Debug, serde::Deserialize)]
struct Fixtures {
    wrong_password: String,
    hashes: Vec<Fixture>,
}

#[derive(Debug, serde::Deserialize)]
struct Fixture {
    name: String,
    algorithm: String,
    password: String,
    hash: String,
    nfkc_differs: bool,
    django_defaults: bool,
}

fn fixtures() -> Fixtures {
    serde_json::from_str(FIXTURES).expect("hashes.json parses")
}

/// The right password verifies (and asks for a rewrite), a wrong one and
/// a differing NFKC form do not, and every failure costs at least a
/// policy hash.
fn check_fixture(fixture: &Fixture, wrong: &str) {
    let name = &fixture.name;
    let hash = StoredHash::parse(&fixture.hash).unwrap_or_else(|| panic!("{name}: parses"));
    assert_eq!(hash.algorithm(), fixture.algorithm, "{name}");
    let right = verify(&fixture.password, &fixture.hash, POLICY);
    assert_eq!(
        right.verdict,
        Verdict::Valid { must_update: true },
        "{name}"
    );
    assert_eq!(right.iterations_spent, hash.cost(), "{name}");
    let mut failures = vec![verify(wrong, &fixture.hash, POLICY)];
    if fixture.nfkc_differs {
        failures.push(verify(&nfkc(&fixture.password), &fixture.hash, POLICY));
    }
    for failure in failures {
        assert_eq!(failure.verdict, Verdict::Invalid, "{name}");
        assert_eq!(
            failure.iterations_spent,
            hash.cost().max(u64::from(POLICY)),
            "{name}"
        );
    }
}

#[test]
fn every_hash_django_made_at_cheap_parameters_verifies() {
    let fixtures = fixtures();
    for fixture in fixtures.hashes.iter().filter(|f| !f.django_defaults) {
        check_fixture(fixture, &fixtures.wrong_password);
    }
}

#[test]
fn every_hash_django_made_at_its_defaults_verifies() {
    let fixtures = fixtures();
    for fixture in fixtures.hashes.iter().filter(|f| f.django_defaults) {
        check_fixture(fixture, &fixtures.wrong_password);
    }
}

#[test]
fn the_fixtures_cover_every_default_hasher() {
    let fixtures = fixtures();
    for algorithm in [
        "pbkdf2_sha256",
        "pbkdf2_sha1",
        "argon2",
        "bcrypt_sha256",
        "scrypt",
    ] {
        let of = |f: &&Fixture| f.algorithm == algorithm;
        let hashes: Vec<&Fixture> = fixtures.hashes.iter().filter(of).collect();
        assert!(
            hashes.iter().any(|f| f.django_defaults),
            "{algorithm} at defaults"
        );
        assert!(hashes.iter().any(|f| f.nfkc_differs), "{algorithm}, NFKC");
        assert!(
            hashes
                .iter()
                .any(|f| !f.password.is_ascii() && !f.nfkc_differs),
            "{algorithm}, non-ASCII"
        );
        assert!(
            hashes.iter().any(|f| f.password.is_ascii()),
            "{algorithm}, ASCII"
        );
    }
    for variant in [
        "$argon2id$v=19$",
        "$argon2i$v=19$",
        "$argon2i$m=",
        "$argon2d$",
        "$v=16$",
    ] {
        assert!(
            fixtures.hashes.iter().any(|f| f.hash.contains(variant)),
            "{variant}"
        );
    }
}

#[test]
fn defaults_cost_what_the_model_says() {
    let cost = |algorithm: &str| {
        let fixture = fixtures()
            .hashes
            .into_iter()
            .find(|f| f.django_defaults && f.algorithm == algorithm)
            .expect("a fixture at defaults");
        StoredHash::parse(&fixture.hash).expect("parses").cost()
    };
    assert_eq!(cost("pbkdf2_sha256"), 1_000_000);
    assert_eq!(cost("pbkdf2_sha1"), 1_000_000);
    assert_eq!(cost("argon2"), 102_400 * 2 * 79 / 10);
    assert_eq!(cost("bcrypt_sha256"), 4096 * 525);
    assert_eq!(cost("scrypt"), 16_384 * 8 * 5 * 21 / 10);
}

#[test]
fn a_changed_or_cut_hash_fails_and_nothing_panics() {
    let fixtures = fixtures();
    let cheap = fixtures.hashes.iter().filter(|f| !f.django_defaults);
    for fixture in cheap {
        let chars: Vec<char> = fixture.hash.chars().collect();
        let mut variants: Vec<String> = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            variants.push(chars[..i].iter().collect());
            for replacement in ['$', '0', 'A', '=', 'é'] {
                if replacement != c {
                    let mut changed = chars.clone();
                    changed[i] = replacement;
                    variants.push(changed.into_iter().collect());
                }
            }
        }
        // bcrypt's `$2a$`, `$2b$` and `$2y$` are one algorithm here.
        let version = |hash: &str| hash.replacen("$2a$", "$2b$", 1).replacen("$2y$", "$2b$", 1);
        variants.retain(|variant| version(variant) != version(&fixture.hash));
        for variant in variants {
            // A cut argon2 hash is a well-formed shorter one: it parses,
            // and must not verify. Keep the work bounded: a changed digit
            // can raise the cost.
            if let Some(hash) = StoredHash::parse(&variant).filter(|h| h.cost() <= 20_000) {
                assert_ne!(
                    hash.matches(&fixture.password),
                    Some(true),
                    "{variant} verifies"
                );
            }
        }
    }
}

#[test]
fn unknown_unusable_and_malformed_hashes_cost_a_full_hash() {
    let cases = [
        "",
        "!",
        "!UnusablePasswordMadeByDjango0000000000000",
        "md5$salt$0123456789abcdef0123456789abcdef",
        "0123456789abcdef0123456789abcdef",
        "sha1$$0123456789abcdef0123456789abcdef01234567",
        "unsalted_md5$$0123456789abcdef0123456789abcdef",
        "bcrypt$$2b$04$ZEDyW0eeWkLwcV/yGBC1Yeh5bRSnHqSxF7j3N4yaqdyHDeVpQ6Ly.",
        "argon2",
        "argon2$",
        "argon2$argon2id",
        "argon2$argon2x$v=19$m=64,t=1,p=2$bGF0Y2hGaXh0dXJlU2FsdDAxMjM0NQ$AAAAAAAAAAAAAAAAAAAAAA",
        "argon2$argon2id$v=18$m=64,t=1,p=2$bGF0Y2hGaXh0dXJlU2FsdDAxMjM0NQ$AAAAAAAAAAAAAAAAAAAAAA",
        "argon2$argon2id$v=19$t=1,m=64,p=2$bGF0Y2hGaXh0dXJlU2FsdDAxMjM0NQ$AAAAAAAAAAAAAAAAAAAAAA",
        "argon2$argon2id$v=19$m=64,t=0,p=2$bGF0Y2hGaXh0dXJlU2FsdDAxMjM0NQ$AAAAAAAAAAAAAAAAAAAAAA",
        "argon2$argon2id$v=19$m=64,t=1,p=0$bGF0Y2hGaXh0dXJlU2FsdDAxMjM0NQ$AAAAAAAAAAAAAAAAAAAAAA",
        "argon2$argon2id$v=19$m=15,t=1,p=2$bGF0Y2hGaXh0dXJlU2FsdDAxMjM0NQ$AAAAAAAAAAAAAAAAAAAAAA",
        "argon2$argon2id$v=19$m=64,t=1,p=2$c2FsdA$AAAAAAAAAAAAAAAAAAAAAA",
        "argon2$argon2id$v=19$m=64,t=1,p=2$bGF0Y2hGaXh0dXJlU2FsdDAxMjM0NQ$AAA",
        "argon2$argon2id$v=19$m=64,t=1,p=2$bGF0Y2hGaXh0dXJlU2FsdDAxMjM0NQ==$AAAAAAAAAAAAAAAAAAAAAA",
        "argon2$argon2id$v=19$m=64,t=1,p=2$bGF0Y2hGaXh0dXJlU2FsdDAxMjM0NQ$AAAAAAAAAAAAAAAAAAAAAA$",
        "bcrypt_sha256$",
        "bcrypt_sha256$$2b$04$",
        "bcrypt_sha256$$2x$04$ZEDyW0eeWkLwcV/yGBC1Yeh5bRSnHqSxF7j3N4yaqdyHDeVpQ6Ly.",
        "bcrypt_sha256$$2b$4$ZEDyW0eeWkLwcV/yGBC1Yeh5bRSnHqSxF7j3N4yaqdyHDeVpQ6Ly.",
        "bcrypt_sha256$$2b$03$ZEDyW0eeWkLwcV/yGBC1Yeh5bRSnHqSxF7j3N4yaqdyHDeVpQ6Ly.",
        "bcrypt_sha256$$2b$32$ZEDyW0eeWkLwcV/yGBC1Yeh5bRSnHqSxF7j3N4yaqdyHDeVpQ6Ly.",
        "bcrypt_sha256$$2b$04$ZEDyW0eeWkLwcV/yGBC1Yeh5bRSnHqSxF7j3N4yaqdyHDeVpQ6Ly",
        "bcrypt_sha256$$2b$04$ZEDyW0eeWkLwcV/yGBC1Yeh5bRSnHqSxF7j3N4yaqdyHDeVpQ6Ly.x",
        "bcrypt_sha256$$2b$04$ZEDyW0eeWkLwcV/yGBC1Yéh5bRSnHqSxF7j3N4yaqdyHDeVpQ6Ly",
        "bcrypt_sha256$2b$04$ZEDyW0eeWkLwcV/yGBC1Yeh5bRSnHqSxF7j3N4yaqdyHDeVpQ6Ly.",
        "scrypt$",
        "scrypt$1024$salt$8$1",
        "scrypt$1000$salt$8$1$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
        "scrypt$1$salt$8$1$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
        "scrypt$0$salt$8$1$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
        "scrypt$1024$$8$1$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
        "scrypt$1024$salt$0$1$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
        "scrypt$1024$salt$8$0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
        "scrypt$1024$salt$8$1$AAAA",
        "scrypt$65536$salt$1$1$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
        "pbkdf2_sha1$1000$salt$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "pbkdf2_sha1$01000$salt$AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "pbkdf2_sha1$0$salt$AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "pbkdf2_sha1$1000$$AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "pbkdf2_sha1$1000$salt$AAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ];
    for case in cases {
        assert!(StoredHash::parse(case).is_none(), "{case:?}");
        let verification = verify("pw", case, POLICY);
        assert_eq!(verification.verdict, Verdict::Invalid, "{case:?}");
        assert_eq!(verification.iterations_spent, u64::from(POLICY), "{case:?}");
    }
}

#[test]
fn absurd_parameters_are_malformed() {
    let salt = "bGF0Y2hGaXh0dXJlU2FsdDAxMjM0NQ";
    let argon2_hash = "AAAAAAAAAAAAAAAAAAAAAA";
    let key64 =
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
    let key20 = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    let bcrypt = "ZEDyW0eeWkLwcV/yGBC1Yeh5bRSnHqSxF7j3N4yaqdyHDeVpQ6Ly.";
    let cases = [
        // 2 GiB of memory.
        format!("argon2$argon2id$v=19$m=2097152,t=1,p=1${salt}${argon2_hash}"),
        format!("argon2$argon2id$v=19$m=4294967295,t=1,p=1${salt}${argon2_hash}"),
        format!("argon2$argon2id$v=19$m=99999999999,t=1,p=1${salt}${argon2_hash}"),
        // 1 GiB, a hundred passes: minutes.
        format!("argon2$argon2id$v=19$m=1048576,t=100,p=1${salt}${argon2_hash}"),
        format!("argon2$argon2id$v=19$m=64,t=4294967295,p=1${salt}${argon2_hash}"),
        format!("argon2$argon2id$v=19$m=4294967295,t=1,p=16777216${salt}${argon2_hash}"),
        // 2^40 blocks of 1 KiB; r so large that N·r overflows.
        format!("scrypt$1099511627776$salt$8$1${key64}"),
        format!("scrypt$16384$salt$4294967295$1${key64}"),
        format!("scrypt$9223372036854775808$salt$8$1${key64}"),
        // 16 MiB, p in the millions.
        format!("scrypt$16384$salt$8$4000000${key64}"),
        // Cheap enough, but p blocks of 128·r bytes make over 1 GiB.
        format!("scrypt$2$salt$1$9000000${key64}"),
        format!("bcrypt_sha256$$2b$31${bcrypt}"),
        format!("bcrypt_sha256$$2b$20${bcrypt}"),
        format!("pbkdf2_sha1$4294967295$salt${key20}"),
        format!("pbkdf2_sha1$100000001$salt${key20}"),
    ];
    for case in &cases {
        assert!(StoredHash::parse(case).is_none(), "{case}");
        assert_eq!(
            verify("pw", case, POLICY).iterations_spent,
            u64::from(POLICY),
            "{case}"
        );
    }
    // Near the largest accepted: Argon2's 1 GiB once, bcrypt's cost 17,
    // scrypt's 512 MiB.
    for case in [
        format!("argon2$argon2id$v=19$m=1048576,t=1,p=1${salt}${argon2_hash}"),
        format!("bcrypt_sha256$$2b$17${bcrypt}"),
        format!("scrypt$524288$salt$8$1${key64}"),
    ] {
        let hash = StoredHash::parse(&case).unwrap_or_else(|| panic!("{case} parses"));
        assert!(hash.cost() <= MAX_COST, "{case}");
    }
}

#[test]
fn a_wrong_password_spends_the_difference_up_to_the_policy() {
    let fixtures = fixtures();
    let argon2 = fixtures
        .hashes
        .iter()
        .find(|f| f.name == "argon2 ascii")
        .expect("a cheap argon2 fixture");
    let hash = StoredHash::parse(&argon2.hash).expect("parses");
    assert_eq!(hash.cost(), 64 * 79 / 10);
    let failure = verify("wrong", &argon2.hash, POLICY);
    assert_eq!(failure.iterations_spent, u64::from(POLICY));
    // A policy cheaper than the hash: nothing more is spent.
    let failure = verify("wrong", &argon2.hash, 100);
    assert_eq!(failure.iterations_spent, hash.cost());
}

#[test]
fn describes_for_the_audit_trail_without_secrets() {
    assert_eq!(describe("!abc").in_audit(), "an unusable password");
    assert_eq!(describe("md5$salt$hash").in_audit(), "an unrecognized hash");
    assert_eq!(
        describe(DJANGO_OLD).in_audit(),
        "pbkdf2_sha256 at 1000 iterations"
    );
}

#[test]
fn old_parameters_verify_and_ask_for_an_update() {
    assert_eq!(
        verify(
            "correct horse battery staple",
            DJANGO_OLD,
            pbkdf2_sha256::DEFAULT_ITERATIONS
        )
        .verdict,
        Verdict::Valid { must_update: true }
    );
    assert_eq!(
        verify(
            "correct horse battery staple",
            DJANGO_ASCII,
            pbkdf2_sha256::DEFAULT_ITERATIONS
        )
        .verdict,
        Verdict::Valid { must_update: false }
    );
    assert_eq!(
        verify("wrong", DJANGO_OLD, pbkdf2_sha256::DEFAULT_ITERATIONS).verdict,
        Verdict::Invalid
    );
}

#[test]
fn a_nul_is_never_padding() {
    assert!(pbkdf2_sha256::Pbkdf2Sha256::new("pass\0", 1).is_err());
    let hash = pbkdf2_sha256::Pbkdf2Sha256::new("pass", 1).expect("hash");
    assert!(hash.matches("pass"));
    assert!(!hash.matches("pass\0"));
    assert!(!hash.matches("pass\0\0"));
    assert_eq!(
        verify("pass\0", &hash.encode(), 1),
        Verification {
            verdict: Verdict::Invalid,
            iterations_spent: 1
        }
    );
}

#[test]
fn unusable_hashes_never_verify() {
    let encoded = unusable().expect("random");
    assert!(encoded.starts_with('!'));
    assert_eq!(encoded.len(), 41);
    assert_eq!(verify("", &encoded, 1).verdict, Verdict::Invalid);
    assert_eq!(verify("!", "!", 1).verdict, Verdict::Invalid);
    assert_eq!(pbkdf2_sha256::Pbkdf2Sha256::parse(&encoded), None);
}

#[test]
fn descriptions_never_show_the_hash() {
    assert_eq!(
        describe(DJANGO_ASCII).summary(),
        "pbkdf2_sha256 at 1200000 iterations"
    );
    assert_eq!(describe(DJANGO_ASCII).iterations, Some(1_200_000));
    assert_eq!(describe("!abc").summary(), "unusable (no password)");
    assert_eq!(
        describe("md5$salt$hash").summary(),
        "md5 (latch cannot verify it)"
    );
    assert_eq!(describe("plain text").algorithm, "unknown");
    assert_eq!(describe("a b$c").algorithm, "unknown");
}

#[test]
fn only_hashes_and_unusable_passwords_are_storable() {
    assert!(is_storable(DJANGO_ASCII));
    assert!(is_storable("!"));
    assert!(is_storable("!x9Jq"));
    assert!(!is_storable("correct horse battery staple"));
    assert!(!is_storable(""));
    assert!(!is_storable("pbkdf2_sha256$1000$salt$short"));
}

#[test]
fn malformed_hashes_are_rejected_without_panic() {
    let cases = [
        "",
        "$",
        "$$$",
        "pbkdf2_sha256",
        "pbkdf2_sha256$",
        "pbkdf2_sha256$$$",
        "pbkdf2_sha256$abc$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
        "pbkdf2_sha256$-1$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
        "pbkdf2_sha256$+5$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
        "pbkdf2_sha256$0$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
        "pbkdf2_sha256$99999999999999999999$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
        "pbkdf2_sha256$4294967295$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
        "pbkdf2_sha256$1000$$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
        "pbkdf2_sha256$1000$salt$not base64!",
        "pbkdf2_sha256$1000$salt$AAAA",
        "pbkdf2_sha256$1000$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=$extra",
        "pbkdf2_sha1$1000$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
        "md5$salt$hash",
        "\0\0\0",
        "pbkdf2_sha256$１０００$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
        // Django writes `%d`: a leading zero never verifies there.
        "pbkdf2_sha256$01000$salt$wNM/QLVoqcaiZVrJL0TcRTL7LxqhFRNdzzVhVuwdPy4=",
    ];
    for case in cases {
        assert_eq!(pbkdf2_sha256::Pbkdf2Sha256::parse(case), None, "{case:?}");
        assert_eq!(verify("pw", case, 1).verdict, Verdict::Invalid, "{case:?}");
    }
}

#[test]
fn every_failure_costs_at_least_one_policy_hash() {
    let policy = 5000;
    let cases = [
        ("wrong", DJANGO_OLD),
        ("correct horse battery staple", "!unusable"),
        ("correct horse battery staple", "md5$salt$hash"),
        ("correct horse battery staple", "garbage"),
        ("correct horse battery staple", ""),
    ];
    for (password, encoded) in cases {
        let verification = verify(password, encoded, policy);
        assert_eq!(verification.verdict, Verdict::Invalid, "{encoded}");
        assert_eq!(verification.iterations_spent, 5000, "{encoded}");
    }
    // A costlier stored hash costs what it costs.
    let verification = verify("wrong", DJANGO_OLD, 10);
    assert_eq!(verification.iterations_spent, 1000);
}
