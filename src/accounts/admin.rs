//! Administration and account changes: passwords, locks, roles, policy,
//! enabling, deleting, and the audit trail.

use zeroize::Zeroizing;

use crate::audit::{AuditEvent, EventKind, RecordedEvent};
use crate::error::{Error, Result};
use crate::password::Pbkdf2Sha256;
use crate::session::{self};
use crate::store::{AccountStore, EventFilter, User, UserListing};
use crate::validate;

use super::{Current, authenticate, check_new_password, check_second_factor};

/// Refuses (exit 9) a user who is not an admin.
pub fn require_admin(user: &User) -> Result<()> {
    if user.is_superuser {
        Ok(())
    } else {
        Err(Error::NotPermitted(format!(
            "this needs an admin, and {} is not one",
            user.username
        )))
    }
}

/// What `passwd` is given, as typed.
#[derive(Debug)]
pub struct PasswordChange<'a> {
    pub current: &'a str,
    pub new: &'a str,
    pub confirmation: Option<&'a str>,
    /// The code of the account's second factor, when it has one.
    pub code: Option<&'a str>,
}

/// Changes the logged-in user's password after checking the current one
/// (failures count towards the lockout like a failed login). Every other
/// session of the user ends; the current one goes on. Returns how many ended.
pub fn change_password(
    store: &mut dyn AccountStore,
    current: &Current,
    change: &PasswordChange<'_>,
) -> Result<usize> {
    let policy = store.policy()?;
    let user = &current.user;
    let normalized = Zeroizing::new(validate::nfkc(change.new));
    let problems = check_new_password(
        &normalized,
        change.confirmation,
        change.new,
        &policy,
        &[&user.username, &user.email],
    );
    // Check the current password first: a wrong one must not learn whether the
    // new one would have passed.
    let verified = authenticate(store, &user.username, change.current)?;
    let verified = check_second_factor(store, verified, change.code, "passwd")?;
    if !problems.is_empty() {
        return Err(Error::InvalidInput(problems));
    }
    let hash = Pbkdf2Sha256::new(&normalized, policy.pbkdf2_iterations)?.encode();
    let binding = session::password_binding(&hash);
    let event = AuditEvent::by_self(EventKind::PasswordChange, &user.username, user.id);
    // Only over the hash just verified: not over one another command wrote since.
    store.change_password(
        user.id,
        &verified.user.password,
        &hash,
        Some(current.session.id),
        &binding,
        &event,
    )
}

/// Clears the failed logins of `name` (known to the store or not). Returns
/// whether it had any.
pub fn unlock(store: &mut dyn AccountStore, admin: &User, name: &str) -> Result<bool> {
    require_admin(admin)?;
    let key = name_key(name)?;
    let user = store.user_by_key(&key)?;
    let subject = user.as_ref().map_or(name, |u| u.username.as_str());
    let event = AuditEvent::new(EventKind::Unlock, subject, user.as_ref().map(|u| u.id))
        .actor(&admin.username, admin.id);
    store.clear_failures(&key, &event)
}

/// The key of a name an admin gave to find an account: exit 3, naming no
/// character of it, when no account can have it (as at login).
pub(super) fn name_key(name: &str) -> Result<String> {
    validate::login_name(name).map_err(Error::InvalidInput)?;
    Ok(validate::fold(name))
}

/// The user named `name`, or exit 3 naming it.
pub fn find_user(store: &dyn AccountStore, name: &str) -> Result<User> {
    store
        .user_by_key(&name_key(name)?)?
        .ok_or_else(|| Error::invalid("username", format!("there is no user {name:?}")))
}

/// Grants or revokes admin. Returns the user and whether anything changed.
pub fn set_admin(
    store: &mut dyn AccountStore,
    admin: &User,
    name: &str,
    grant: bool,
) -> Result<(User, bool)> {
    require_admin(admin)?;
    let user = find_user(store, name)?;
    if user.is_superuser == grant {
        return Ok((user, false));
    }
    let kind = if grant {
        EventKind::AdminGrant
    } else {
        EventKind::AdminRevoke
    };
    let event =
        AuditEvent::new(kind, &user.username, Some(user.id)).actor(&admin.username, admin.id);
    store.set_admin(user.id, grant, &event)?;
    Ok((user, true))
}

/// The audit trail as `viewer` may see it: their own events, or, for an
/// admin, anyone's (`name`) or everyone's (no `name`).
pub fn history(
    store: &dyn AccountStore,
    viewer: &User,
    name: Option<&str>,
    limit: u32,
) -> Result<Vec<RecordedEvent>> {
    let filter = match name {
        None if viewer.is_superuser => EventFilter::default(),
        None => EventFilter {
            user_id: Some(viewer.id),
            subject_key: None,
        },
        // Your own name means your own account: not the events of an earlier
        // account that had the name, nor failures against it before.
        Some(name)
            if !viewer.is_superuser && validate::fold(name) == validate::fold(&viewer.username) =>
        {
            EventFilter {
                user_id: Some(viewer.id),
                subject_key: None,
            }
        }
        Some(name) => {
            let key = validate::fold(name);
            if key != validate::fold(&viewer.username) {
                // An admin asking for a name no account can have gets exit 3;
                // anyone else is refused first, as for any other name.
                if viewer.is_superuser {
                    name_key(name)?;
                }
                require_admin(viewer).map_err(|_| {
                    Error::NotPermitted(format!(
                        "only an admin can read another user's history, and {} is not one",
                        viewer.username
                    ))
                })?;
            }
            EventFilter {
                user_id: store.user_by_key(&key)?.map(|u| u.id),
                subject_key: Some(key),
            }
        }
    };
    store.events(&filter, limit)
}

/// Changes one policy value (admins only), checked against its bounds and the
/// rest of the policy. Returns the value it had.
pub fn set_policy(
    store: &mut dyn AccountStore,
    admin: &User,
    key: &str,
    value: i64,
) -> Result<i64> {
    require_admin(admin)?;
    let mut policy = store.policy()?;
    let previous = policy
        .entries()
        .into_iter()
        .find_map(|(name, old)| (name == key).then_some(old));
    policy.apply(key, value)?;
    let previous =
        previous.ok_or_else(|| Error::Internal(format!("policy key {key} has no value")))?;
    let event = AuditEvent::new(EventKind::PolicyChange, &admin.username, Some(admin.id))
        .actor(&admin.username, admin.id)
        .detail(format!("{key}: {previous} -> {value}"));
    store.set_policy(key, value, &event)?;
    Ok(previous)
}

/// A user with their lock and sessions, as an admin sees them.
pub fn show_user(store: &dyn AccountStore, admin: &User, name: &str) -> Result<UserListing> {
    require_admin(admin)?;
    store
        .user_listing(&name_key(name)?)?
        .ok_or_else(|| Error::invalid("username", format!("there is no user {name:?}")))
}

/// Enables or disables an account (admins only). Disabling ends its sessions.
/// Returns the user, whether anything changed, and how many sessions ended.
pub fn set_active(
    store: &mut dyn AccountStore,
    admin: &User,
    name: &str,
    active: bool,
) -> Result<(User, bool, usize)> {
    require_admin(admin)?;
    let user = find_user(store, name)?;
    if user.is_active == active {
        return Ok((user, false, 0));
    }
    let kind = if active {
        EventKind::Enable
    } else {
        EventKind::Disable
    };
    let event =
        AuditEvent::new(kind, &user.username, Some(user.id)).actor(&admin.username, admin.id);
    let ended = store.set_active(user.id, active, &event)?;
    Ok((user, true, ended))
}

/// Deletes an account and its sessions (admins only); its events stay.
pub fn delete_user(store: &mut dyn AccountStore, admin: &User, name: &str) -> Result<User> {
    require_admin(admin)?;
    let user = find_user(store, name)?;
    let event = AuditEvent::new(EventKind::Delete, &user.username, Some(user.id))
        .actor(&admin.username, admin.id);
    store.delete_user(user.id, &event)?;
    Ok(user)
}

/// Sets another user's password (admins only), checked against the policy,
/// and ends every session of that user. Returns the user and how many ended.
pub fn reset_password(
    store: &mut dyn AccountStore,
    admin: &User,
    name: &str,
    password: &str,
    confirmation: Option<&str>,
) -> Result<(User, usize)> {
    require_admin(admin)?;
    let policy = store.policy()?;
    let user = find_user(store, name)?;
    let normalized = Zeroizing::new(validate::nfkc(password));
    let problems = check_new_password(
        &normalized,
        confirmation,
        password,
        &policy,
        &[&user.username, &user.email],
    );
    if !problems.is_empty() {
        return Err(Error::InvalidInput(problems));
    }
    let hash = Pbkdf2Sha256::new(&normalized, policy.pbkdf2_iterations)?.encode();
    let event = AuditEvent::new(EventKind::PasswordChange, &user.username, Some(user.id))
        .actor(&admin.username, admin.id)
        .detail("set by an admin");
    let ended = store.change_password(
        user.id,
        &user.password,
        &hash,
        None,
        &session::password_binding(&hash),
        &event,
    )?;
    Ok((user, ended))
}
