//! `store copy`: everything in one store into another, empty one. The
//! rules are here: only an admin copies, never into the store itself, and
//! never into a store that holds anything (a user, an event, a policy
//! value, a failed login), so that every id is kept and nothing is merged.
//! The source reads one snapshot a batch at a time, and the target writes
//! each batch as it comes, all in one transaction.

use super::require_admin;
use crate::audit::{AuditEvent, EventKind};
use crate::error::{Error, Result};
use crate::store::{AccountStore, CopyWritten, User};

/// What `copy_store` carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
    let event = AuditEvent::new(EventKind::StoreCopy, &admin.username, Some(admin.id))
        .actor(&admin.username, admin.id);
    let from = source.location().to_string();
    let reader: &dyn AccountStore = source;
    let mut summary = CopySummary::default();
    // The source is read a batch at a time, each written into the target's
    // one transaction as it comes: any error rolls the target back.
    let written = target.write_copy(&mut |sink| {
        summary = CopySummary::default();
        reader.read_batches(&mut |batch| {
            summary.users += batch.users.len();
            summary.admins += batch
                .users
                .iter()
                .filter(|u| u.is_superuser && u.is_active)
                .count();
            summary.factors += batch.factors.iter().filter(|f| f.confirmed).count();
            summary.events += batch.events.len();
            summary.policy += batch.policy.len();
            summary.failures += batch.failures.len();
            sink(batch)
        })?;
        Ok(event.clone().detail(detail("from", &from, &summary)))
    })?;
    match written {
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
    source.record(&event.detail(detail("to", &target.location().to_string(), &summary)))?;
    Ok(summary)
}

fn detail(direction: &str, other: &str, summary: &CopySummary) -> String {
    format!(
        "{direction} {other}: {} users, {} events",
        summary.users, summary.events
    )
}
