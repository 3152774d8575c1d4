//! The one record every import source becomes (`Record`: the `users`
//! columns, as Django names them; a line of JSON Lines as it is) and the
//! checks it must pass before the store sees it (`check_record`: latch's
//! rules, as `register` applies them). A refusal never quotes a value that
//! could be a password: only a known algorithm's name and a PBKDF2
//! iteration count.

use serde::{Deserialize, Serialize};

use crate::error::Problem;
use crate::password;
use crate::store::{NewUser, User};
use crate::timestamp::DateTime;
use crate::validate;

/// One user on its way in or out, from whatever source: a line of JSON
/// Lines (which is this, serialized), a row of a Django site's `auth_user`
/// (from SQLite or PostgreSQL), a user of the store being exported. The
/// `users` columns, as Django names them; times are text, as Django's SQLite
/// backend keeps them (`2024-03-01 08:30:15.250000`, UTC, the fraction left
/// out when it is zero) or RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The source's id for the user (Django's `auth_user.id`, the store's
    /// `users.id`); never read from or written to JSON Lines.
    #[serde(skip)]
    pub id: Option<i64>,
    pub username: String,
    pub email: String,
    /// A Django-encoded hash, or `!…` for an account without a password.
    pub password: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default = "active_by_default")]
    pub is_active: bool,
    #[serde(default)]
    pub is_staff: bool,
    #[serde(default)]
    pub is_superuser: bool,
    /// Django's `YYYY-MM-DD HH:MM:SS.ffffff` (UTC) or RFC 3339; now when absent.
    #[serde(default)]
    pub date_joined: Option<String>,
    #[serde(default)]
    pub last_login: Option<String>,
}

fn active_by_default() -> bool {
    true
}

impl From<&User> for Record {
    fn from(user: &User) -> Self {
        Record {
            id: Some(user.id),
            username: user.username.clone(),
            email: user.email.clone(),
            password: user.password.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            is_active: user.is_active,
            is_staff: user.is_staff,
            is_superuser: user.is_superuser,
            date_joined: Some(user.date_joined.to_string()),
            last_login: user.last_login.map(|moment| moment.to_string()),
        }
    }
}
/// Checks a record against latch's rules, as `register` would.
pub fn check_record(record: Record, now: i64) -> Result<NewUser, Vec<Problem>> {
    let mut problems = Vec::new();
    let username = validate::username(&record.username)
        .map_err(|p| problems.extend(p))
        .ok();
    let email = validate::email(&record.email)
        .map_err(|p| problems.extend(p))
        .ok();
    if record.password.is_empty() {
        problems.push(Problem::new(
            "password",
            "is required: a Django-encoded hash, or ! for none",
        ));
    } else if !password::is_storable(&record.password) {
        problems.push(Problem::new("password", unreadable_hash(&record.password)));
    }
    let date_joined = match &record.date_joined {
        None => Some(DateTime::from_unix(now)),
        Some(text) => DateTime::parse(text),
    };
    if date_joined.is_none() {
        problems.push(Problem::new("date_joined", "is not a date and time"));
    }
    let last_login = record.last_login.as_deref().map(DateTime::parse);
    if last_login == Some(None) {
        problems.push(Problem::new("last_login", "is not a date and time"));
    }
    for (field, value) in [
        ("first_name", &record.first_name),
        ("last_name", &record.last_name),
    ] {
        if value.chars().count() > 150 {
            problems.push(Problem::new(field, "must be at most 150 characters"));
        }
    }
    match (username, email, date_joined) {
        (Some(username), Some(email), Some(date_joined)) if problems.is_empty() => Ok(NewUser {
            username_key: validate::fold(&username),
            email_key: validate::email_key(&email),
            username,
            email,
            password: record.password,
            first_name: record.first_name,
            last_name: record.last_name,
            is_active: record.is_active,
            is_staff: record.is_staff,
            is_superuser: record.is_superuser,
            date_joined,
            last_login: last_login.flatten(),
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
