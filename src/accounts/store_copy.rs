//! `store copy`: everything in one store into another, empty one. The
//! rules are here: only an admin copies, never into the store itself, and
//! never into a store that holds anything (a user, an event, a policy
//! value, a failed login), so that every id is kept and nothing is merged.
//! The store reads one snapshot and writes it in one transaction.

use super::require_admin;
use crate::audit::{AuditEvent, EventKind};
use crate::error::{Error, Result};
use crate::store::{AccountStore, CopyWritten, User};

/// What `copy_store` carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopySummary {
    pub users: usize,
    pub admins: usize,
    /// Confirmed second factors.
    pub factors: usize,
    pub events: usize,
    pub policy: usize,
    pub failures: usize,
}

/// Copies every row of `source` but its sessions into `target`, for the
/// admin `admin` (logged in to `source`), and records a `store_copy` event
/// in both: in `target` inside the copy's transaction, in `source` after it.
pub fn copy_store(
    source: &mut dyn AccountStore,
    admin: &User,
    target: &mut dyn AccountStore,
) -> Result<CopySummary> {
    require_admin(admin)?;
    if source.location().token_key() == target.location().token_key() {
        return Err(Error::invalid(
            "--to",
            format!(
                "{} is the store being copied; store copy writes into another, empty store",
                target.location()
            ),
        ));
    }
    let copy = source.read_all()?;
    let summary = CopySummary {
        users: copy.users.len(),
        admins: copy
            .users
            .iter()
            .filter(|u| u.user.is_superuser && u.user.is_active)
            .count(),
        factors: copy.factors.iter().filter(|f| f.confirmed).count(),
        events: copy.events.len(),
        policy: copy.policy.len(),
        failures: copy.failures.len(),
    };
    let detail = |direction: &str, other: String| {
        format!(
            "{direction} {other}: {} users, {} events",
            summary.users, summary.events
        )
    };
    let event = AuditEvent::new(EventKind::StoreCopy, &admin.username, Some(admin.id))
        .actor(&admin.username, admin.id);
    let into_target = event
        .clone()
        .detail(detail("from", source.location().to_string()));
    match target.write_all(&copy, &into_target)? {
        CopyWritten::Done => {}
        CopyWritten::NotEmpty { users, rows } => {
            return Err(Error::invalid(
                "--to",
                format!(
                    "the store {} is not empty ({users} user{}, {rows} other row{}); \
                     store copy writes only into a new or empty store, and wrote nothing",
                    target.location(),
                    if users == 1 { "" } else { "s" },
                    if rows == 1 { "" } else { "s" },
                ),
            ));
        }
    }
    source.record(&event.detail(detail("to", target.location().to_string())))?;
    Ok(summary)
}
