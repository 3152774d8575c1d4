//! The checks a user from any import source must pass before the store
//! sees it (`check_user`: latch's rules, as `register` applies them). A
//! refusal never quotes a value that could be a password: only a known
//! algorithm's name and a PBKDF2 iteration count.

use crate::error::Problem;
use crate::password;
use crate::store::{NewUser, User};
use crate::validate;

/// Checks a user read from an import source against latch's rules, as
/// `register` would: the user to write, its username and email
/// normalized, or every problem with it.
pub fn check_user<Id>(user: User<Id>) -> Result<NewUser, Vec<Problem>> {
    let mut problems = Vec::new();
    let username = validate::username(&user.username)
        .map_err(|p| problems.extend(p))
        .ok();
    let email = validate::email(&user.email)
        .map_err(|p| problems.extend(p))
        .ok();
    if user.password.is_empty() {
        problems.push(Problem::new(
            "password",
            "is required: a Django-encoded hash, or ! for none",
        ));
    } else if !password::is_storable(&user.password) {
        problems.push(Problem::new("password", unreadable_hash(&user.password)));
    }
    for (field, value) in [
        ("first_name", &user.first_name),
        ("last_name", &user.last_name),
    ] {
        if value.chars().count() > 150 {
            problems.push(Problem::new(field, "must be at most 150 characters"));
        }
    }
    match (username, email) {
        (Some(username), Some(email)) if problems.is_empty() => Ok(User {
            username,
            email,
            ..user.with_id(())
        }),
        _ => Err(problems),
    }
}

/// The algorithms of Django's default hashers, which a message may name.
const DJANGO_ALGORITHMS: [&str; 5] = [
    "pbkdf2_sha256",
    "pbkdf2_sha1",
    "argon2",
    "bcrypt_sha256",
    "scrypt",
];

/// Why a `password` latch cannot store is refused, quoting nothing from it
/// but a known algorithm's name and a PBKDF2 iteration count (a number): the
/// field could hold a plain-text password.
fn unreadable_hash(encoded: &str) -> String {
    let mut fields = encoded.split('$');
    let algorithm = fields.next().unwrap_or_default();
    if !DJANGO_ALGORITHMS.contains(&algorithm) || !encoded.contains('$') {
        return "is not a Django-encoded hash latch can verify \
                (plain-text passwords are never imported)"
            .into();
    }
    let limit = password::MAX_ITERATIONS;
    if algorithm.starts_with("pbkdf2_")
        && let Some(iterations) = fields
            .next()
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<u128>().ok())
        && iterations > u128::from(limit)
    {
        return format!(
            "asks for {iterations} iterations, more than the {limit} latch checks \
             (a planted hash must not tie up the machine)"
        );
    }
    format!(
        "is a {algorithm} hash latch cannot read: malformed, or asking for more work than \
         {limit} PBKDF2 iterations or more than 1 GiB of memory"
    )
}
