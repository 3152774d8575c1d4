//! Registering: every field checked against the policy at once, then the
//! account created, the first admin bootstrapped, conflicts named.

use zeroize::Zeroizing;

use crate::audit::{AuditEvent, EventKind};
use crate::error::{Error, Problem, Result};
use crate::password::Pbkdf2Sha256;
use crate::policy::Policy;
use crate::store::{AccountStore, NewUser, User};
use crate::timestamp::DateTime;
use crate::validate;

use super::Authenticated;

/// What `register` is given, as typed.
#[derive(Debug)]
pub struct Registration<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    /// The second entry at a prompt; `None` when there was no prompt.
    pub confirmation: Option<&'a str>,
    pub admin: Admin,
}

/// Whether, and on what authority, a new account is an admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admin {
    No,
    /// The first admin of a store that has none.
    Bootstrap,
    /// Granted by a logged-in admin.
    GrantedByAdmin,
}

/// A registration whose every field passed the policy, normalized.
#[derive(Debug)]
pub struct CheckedRegistration {
    username: String,
    email: String,
    password: Zeroizing<String>,
    admin: Admin,
}

/// Checks every field of a registration and reports every problem at once.
pub fn check_registration(
    registration: &Registration<'_>,
    policy: &Policy,
) -> Result<CheckedRegistration> {
    let mut problems: Vec<Problem> = Vec::new();
    let username = validate::username(registration.username)
        .map_err(|p| problems.extend(p))
        .ok();
    let email = validate::email(registration.email)
        .map_err(|p| problems.extend(p))
        .ok();
    let password = Zeroizing::new(validate::nfkc(registration.password));
    problems.extend(check_new_password(
        &password,
        registration.confirmation,
        registration.password,
        policy,
        &[registration.username, registration.email],
    ));
    match (username, email) {
        (Some(username), Some(email)) if problems.is_empty() => Ok(CheckedRegistration {
            username,
            email,
            password,
            admin: registration.admin,
        }),
        _ => Err(Error::InvalidInput(problems)),
    }
}

/// The policy's problems with a new (normalized) password, and a mismatch
/// with its confirmation (compared as typed).
pub(super) fn check_new_password(
    normalized: &str,
    confirmation: Option<&str>,
    typed: &str,
    policy: &Policy,
    user_inputs: &[&str],
) -> Vec<Problem> {
    let user_inputs: Vec<&str> = user_inputs
        .iter()
        .copied()
        .filter(|s| !s.is_empty())
        .collect();
    let mut problems = validate::password(normalized, policy, &user_inputs);
    if confirmation.is_some_and(|confirmation| confirmation != typed) {
        problems.push(Problem::new("password", "the two entries do not match"));
    }
    problems
}

/// Creates a checked account, failing with a conflict that names the username
/// or email that is taken (exit 6). `actor` is the admin who creates an admin:
/// an admin granted by anyone else is refused (exit 9).
/// The account is ready to log in: its `Authenticated` starts a session
/// without asking for the password again.
pub fn register(
    store: &mut dyn AccountStore,
    registration: CheckedRegistration,
    actor: Option<&User>,
) -> Result<Authenticated> {
    if registration.admin == Admin::GrantedByAdmin {
        match actor {
            Some(actor) => super::require_admin(actor)?,
            None => {
                return Err(Error::NotPermitted(
                    "only a logged-in admin can create another admin".into(),
                ));
            }
        }
    }
    let policy = store.policy()?;
    let CheckedRegistration {
        username,
        email,
        password,
        admin,
    } = registration;
    let hash = Pbkdf2Sha256::new(&password, policy.pbkdf2_iterations)?;
    let user = NewUser {
        id: (),
        username,
        email,
        password: hash.encode(),
        first_name: String::new(),
        last_name: String::new(),
        is_active: true,
        is_staff: false,
        is_superuser: admin != Admin::No,
        date_joined: DateTime::now(),
        last_login: None,
    };
    let mut event =
        AuditEvent::new(EventKind::Register, &user.username, None).detail(match admin {
            Admin::No => "",
            Admin::Bootstrap => "first admin",
            Admin::GrantedByAdmin => "admin",
        });
    if let Some(actor) = actor {
        event = event.actor(&actor.username, actor.id);
    }
    let user = store.insert_user(&user, &event, admin == Admin::Bootstrap)?;
    Ok(Authenticated {
        // A new account has no factor yet.
        enrolment_required: super::second_factor::must_enrol(&policy, &user, false),
        user,
        rehash: None,
        session_age: policy.session_age,
        second_factor: None,
    })
}
