//! Every hash in Django's default `PASSWORD_HASHERS` (5.x and 6.0), read from
//! its encoded form and checked against a password: `pbkdf2_sha256` (latch's
//! own, in `hasher`), `pbkdf2_sha1`, `argon2` (argon2id, and the argon2i and
//! argon2d encodings argon2-cffi reads, with or without `v=`),
//! `bcrypt_sha256` and `scrypt`.
//!
//! Owns recognising an algorithm by its prefix, parsing each encoding exactly
//! as Django writes it, refusing parameters that would make a planted hash
//! exhaust memory or time, and the cost model that says what each check costs
//! in PBKDF2-SHA256 iterations (so that `hasher::verify` can make every
//! failure cost the same). It must never panic on any string, never compare
//! secrets with `==`, and never write a hash: latch writes only
//! `pbkdf2_sha256`.

mod argon2;
mod bcrypt;
mod pbkdf2_sha1;
mod scrypt;

use super::hasher::{self, DjangoHash};

/// The most memory a stored hash may ask for (Argon2's `m`, scrypt's
/// `128·r·(N + p)`): 1 GiB, ten times Django's Argon2 default. More is treated as
/// malformed, so that a planted hash cannot exhaust the machine's memory.
pub const MAX_MEMORY_BYTES: u64 = 1 << 30;

/// The most work a stored hash may ask for, in PBKDF2-SHA256 iterations or
/// their equivalent: the same bound as for `pbkdf2_sha256` itself (about ten
/// seconds here). More is treated as malformed.
pub const MAX_COST: u64 = hasher::MAX_ITERATIONS as u64;

/// A stored hash of one of Django's algorithms, parsed and within bounds.
#[derive(Debug)]
pub enum StoredHash {
    Pbkdf2Sha256(DjangoHash),
    Pbkdf2Sha1(pbkdf2_sha1::Pbkdf2Sha1),
    Argon2(argon2::Argon2Hash),
    BcryptSha256(bcrypt::BcryptSha256),
    Scrypt(scrypt::ScryptHash),
}

impl StoredHash {
    /// Parses `encoded`; `None` for an unusable (`!`) password, an algorithm
    /// latch does not know, anything malformed, and parameters beyond
    /// `MAX_MEMORY_BYTES` or `MAX_COST`.
    pub fn parse(encoded: &str) -> Option<StoredHash> {
        let (algorithm, rest) = encoded.split_once('$')?;
        let hash = match algorithm {
            hasher::ALGORITHM => StoredHash::Pbkdf2Sha256(DjangoHash::parse(encoded)?),
            pbkdf2_sha1::ALGORITHM => StoredHash::Pbkdf2Sha1(pbkdf2_sha1::Pbkdf2Sha1::parse(rest)?),
            argon2::ALGORITHM => StoredHash::Argon2(argon2::Argon2Hash::parse(rest)?),
            bcrypt::ALGORITHM => StoredHash::BcryptSha256(bcrypt::BcryptSha256::parse(rest)?),
            scrypt::ALGORITHM => StoredHash::Scrypt(scrypt::ScryptHash::parse(rest)?),
            _ => return None,
        };
        (hash.cost() <= MAX_COST).then_some(hash)
    }

    /// Django's name for the algorithm, the hash's first field.
    pub fn algorithm(&self) -> &'static str {
        match self {
            StoredHash::Pbkdf2Sha256(_) => hasher::ALGORITHM,
            StoredHash::Pbkdf2Sha1(_) => pbkdf2_sha1::ALGORITHM,
            StoredHash::Argon2(_) => argon2::ALGORITHM,
            StoredHash::BcryptSha256(_) => bcrypt::ALGORITHM,
            StoredHash::Scrypt(_) => scrypt::ALGORITHM,
        }
    }

    /// What checking a password against this hash costs, in PBKDF2-SHA256
    /// iterations or their equivalent (see `Cost`).
    pub fn cost(&self) -> u64 {
        match self {
            StoredHash::Pbkdf2Sha256(hash) => u64::from(hash.iterations),
            StoredHash::Pbkdf2Sha1(hash) => hash.cost(),
            StoredHash::Argon2(hash) => hash.cost(),
            StoredHash::BcryptSha256(hash) => hash.cost(),
            StoredHash::Scrypt(hash) => hash.cost(),
        }
    }

    /// Checks `password` (as given: no normalization here) in constant time.
    /// `None` when the check could not be run (the memory it needs could not
    /// be had): the caller treats that as a failure.
    pub fn matches(&self, password: &str) -> Option<bool> {
        match self {
            StoredHash::Pbkdf2Sha256(hash) => Some(hash.verify(password)),
            StoredHash::Pbkdf2Sha1(hash) => Some(hash.matches(password)),
            StoredHash::Argon2(hash) => hash.matches(password),
            StoredHash::BcryptSha256(hash) => Some(hash.matches(password)),
            StoredHash::Scrypt(hash) => hash.matches(password),
        }
    }

    /// Whether a hash that verified must be rewritten at the policy's
    /// parameters: always for another algorithm (Django's behaviour when the
    /// preferred hasher changes), and for `pbkdf2_sha256` made with other
    /// iterations or a short salt.
    pub fn must_update(&self, iterations: u32) -> bool {
        match self {
            StoredHash::Pbkdf2Sha256(hash) => hash.must_update(iterations),
            _ => true,
        }
    }

    /// The algorithm and its parameters, for the audit trail: never the salt
    /// or the hash.
    pub fn describe(&self) -> String {
        match self {
            StoredHash::Pbkdf2Sha256(hash) => {
                format!("{} at {} iterations", hasher::ALGORITHM, hash.iterations)
            }
            StoredHash::Pbkdf2Sha1(hash) => hash.describe(),
            StoredHash::Argon2(hash) => hash.describe(),
            StoredHash::BcryptSha256(hash) => hash.describe(),
            StoredHash::Scrypt(hash) => hash.describe(),
        }
    }
}

/// What a stored hash string is, for the audit trail: its algorithm and
/// parameters, "an unusable password", or "an unrecognized hash".
pub fn describe(encoded: &str) -> String {
    if encoded.starts_with(hasher::UNUSABLE_PREFIX) {
        return "an unusable password".into();
    }
    StoredHash::parse(encoded).map_or_else(|| "an unrecognized hash".into(), |hash| hash.describe())
}

/// The cost model: how many PBKDF2-HMAC-SHA256 iterations take as long as one
/// unit of an algorithm's work, as `numerator / denominator`. Each module
/// keeps its ratio, measured in a release build on x86-64 with the SHA
/// extensions against Django's default parameters (`cargo run --release
/// --example hash_costs` measures them again).
///
/// They are estimates: on another CPU the ratios move (PBKDF2 without SHA
/// extensions is slower, Argon2 depends on memory bandwidth), so a failed
/// check against another algorithm costs about, not exactly, one policy hash.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cost {
    numerator: u64,
    denominator: u64,
}

impl Cost {
    pub(crate) const fn new(numerator: u64, denominator: u64) -> Cost {
        Cost {
            numerator,
            denominator,
        }
    }

    /// `units` of work in PBKDF2-SHA256 iterations, saturating.
    pub(crate) fn of(self, units: u64) -> u64 {
        let iterations =
            u128::from(units) * u128::from(self.numerator) / u128::from(self.denominator);
        u64::try_from(iterations).unwrap_or(u64::MAX)
    }
}

/// A decimal number as Django writes one (`%d`): ASCII digits, no sign, no
/// leading zero. Django checks a hash by encoding it again and comparing the
/// strings, so a number written any other way never verifies there.
pub(crate) fn decimal<T: std::str::FromStr>(text: &str) -> Option<T> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if canonical { text.parse().ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::password::hasher::{Verdict, verify};
    use crate::validate::nfkc;

    /// Hashes made by Django (`tests/fixtures/django/make_fixtures.py`).
    const FIXTURES: &str = include_str!("../../tests/fixtures/django/hashes.json");
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
        let key64 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
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
    fn decimals_are_written_as_django_writes_them() {
        assert_eq!(decimal::<u32>("1000"), Some(1000));
        assert_eq!(decimal::<u32>("0"), Some(0));
        for text in [
            "",
            "01000",
            "+5",
            "-1",
            " 5",
            "5 ",
            "１０",
            "4294967296",
            "1e3",
        ] {
            assert_eq!(decimal::<u32>(text), None, "{text:?}");
        }
    }

    #[test]
    fn costs_saturate() {
        assert_eq!(Cost::new(3, 2).of(10), 15);
        assert_eq!(Cost::new(u64::MAX, 1).of(u64::MAX), u64::MAX);
        assert_eq!(Cost::new(1, 1000).of(999), 0);
    }

    #[test]
    fn describes_without_secrets() {
        assert_eq!(describe("!abc"), "an unusable password");
        assert_eq!(describe("md5$salt$hash"), "an unrecognized hash");
        assert_eq!(
            describe("pbkdf2_sha256$1000$shortsalt$it+6pvf1grdMwPSLJ7qRPujK8dQNvXunEfryfOO5dBk="),
            "pbkdf2_sha256 at 1000 iterations"
        );
    }
}
