//! The backend-neutral contract of `AccountStore` and `ImportBatch`: each
//! function proves one documented promise through `&mut dyn AccountStore`
//! only, so every backend runs the same checks. `store_contract_tests!`
//! expands each into a `#[test]` over a backend's fresh, empty store. The
//! concurrency contracts (`at_once`) open several stores on one fresh store
//! (one connection each, as separate processes or hosts have) and run an
//! operation on all of them from threads started at one barrier: what each
//! operation keeps when SQLite's one write lock is not there to order it.
//! It knows no backend, no SQL and no file.

mod concurrent;
mod copy;
mod import;
mod lockout;
mod records;
mod sessions;
mod users;

pub use concurrent::*;
pub use copy::*;
pub use import::*;
pub use lockout::*;
pub use records::*;
pub use sessions::*;
pub use users::*;

use crate::audit::{AuditEvent, EventKind};
use crate::error::{Error, Taken};
use crate::session::{self, SessionToken};
use crate::store::{
    AccountStore, Attempt, EventFilter, ImportEnd, NewSession, NewUser, Sessions, User, UserFilter,
    Written,
};
use crate::timestamp::DateTime;

use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A fresh, empty store and whatever keeps it alive (a temporary directory,
/// a throwaway database) until the test ends.
pub struct FreshStore {
    pub store: Box<dyn AccountStore>,
    pub keep: Box<dyn std::any::Any>,
}

impl std::fmt::Debug for FreshStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FreshStore")
            .field("location", &self.store.location().to_string())
            .finish_non_exhaustive()
    }
}

/// Opens another store on one fresh store: a connection of its own each
/// time, the same accounts.
pub type OpenStore = dyn Fn() -> Box<dyn AccountStore> + Send + Sync;

/// A fresh, empty store that `open` opens again and again, and whatever
/// keeps it alive until the test ends.
pub struct SharedStore {
    pub open: Box<OpenStore>,
    pub keep: Box<dyn std::any::Any>,
}

impl std::fmt::Debug for SharedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedStore").finish_non_exhaustive()
    }
}

const LOCK_AT: u32 = 3;
/// How many stores race in each concurrency contract.
const RACERS: usize = 8;
const NOW: i64 = 1_900_000_000;

fn new_user(name: &str, admin: bool) -> NewUser {
    NewUser {
        id: (),
        username: name.to_owned(),
        email: format!("{name}@example.com"),
        password: format!("pbkdf2_sha256$1000${name}$hash"),
        first_name: String::new(),
        last_name: String::new(),
        is_active: true,
        is_staff: admin,
        is_superuser: admin,
        date_joined: DateTime::fixed("2030-01-01 00:00:00.000000"),
        last_login: None,
    }
}

fn event(kind: EventKind, name: &str) -> AuditEvent {
    AuditEvent::new(kind, name, None)
}

fn add(store: &mut dyn AccountStore, name: &str, admin: bool) -> User {
    store
        .insert_user(
            &new_user(name, admin),
            &event(EventKind::Register, name),
            false,
        )
        .expect("insert")
}

fn lock_until(count: u32) -> Option<i64> {
    (count >= LOCK_AT).then_some(NOW + 60)
}

fn new_session(user: &User) -> (NewSession, crate::session::TokenHash) {
    let hash = SessionToken::generate().expect("token").hash();
    let session = NewSession {
        user_id: user.id,
        token_hash: hash,
        password_binding: session::password_binding(&user.password),
        created_at: NOW,
        expires_at: NOW + 3600,
        host: "test".into(),
        login_time: DateTime::fixed("2030-01-02 00:00:00.000000"),
        verified_password: user.password.clone(),
        rehash: None,
    };
    (session, hash)
}

fn login(store: &mut dyn AccountStore, user: &User) -> Result<(i64, [u8; 32]), Error> {
    let (session, hash) = new_session(user);
    let events = [AuditEvent::by_self(
        EventKind::LoginSuccess,
        &user.username,
        user.id,
    )];
    store
        .start_session(&session, None, &events, &mut || Ok(()))
        .map(|id| (id, hash))
}

fn exit(result: crate::error::Result<impl std::fmt::Debug>) -> u8 {
    result.expect_err("refused").exit_code()
}

/// Expands every contract into a `#[test]`. `store_contract_tests!(fresh)`:
/// the one-store contracts over `fresh()`, a `fn() -> FreshStore` giving an
/// empty store of one backend. `store_contract_tests!(fresh, concurrent:
/// shared)` adds the concurrency contracts over `shared()`, a
/// `fn() -> SharedStore`; `store_contract_tests!(concurrent: shared)` runs
/// those alone.
#[macro_export]
macro_rules! store_contract_tests {
    ($fresh:path) => {
        $crate::store_contract_tests!(@each $fresh;
            folded_names_and_emails_are_unique,
            a_first_admin_is_refused_once_an_admin_exists,
            the_last_active_admin_stays,
            attempts_are_counted_before_the_check_and_lock_at_the_threshold,
            failures_are_reset_and_cleared,
            a_session_starts_only_for_the_checked_password_of_an_active_user,
            a_login_replaces_the_session_it_names,
            sessions_end_one_all_or_all_but_one,
            a_password_change_ends_other_sessions_and_refuses_a_stale_hash,
            policy_values_are_stored,
            events_are_filtered_and_limited_newest_first,
            an_import_commits_dry_runs_or_abandons_whole,
            users_are_visited_by_filter_in_id_order,
            a_copy_is_read_a_table_at_a_time_in_batches_of_copy_batch,
        );
    };
    ($fresh:path, concurrent: $shared:path) => {
        $crate::store_contract_tests!($fresh);
        $crate::store_contract_tests!(concurrent: $shared);
    };
    (concurrent: $shared:path) => {
        $crate::store_contract_tests!(@shared $shared;
            racing_inserts_of_one_folded_key_make_one_user,
            racing_attempts_lose_no_count_and_stop_at_the_threshold,
            racing_first_admins_make_one_admin,
            admins_removing_each_other_at_once_leave_one,
            logins_reach_the_token_store_one_at_a_time,
            a_login_racing_a_disabling_or_a_password_change_leaves_no_session,
            racing_password_changes_from_one_hash_make_one_change,
        );
    };
    (@each $fresh:path; $($contract:ident),* $(,)?) => {
        $(
            #[test]
            fn $contract() {
                let fresh: $crate::store::contract::FreshStore = $fresh();
                let $crate::store::contract::FreshStore { mut store, keep } = fresh;
                $crate::store::contract::$contract(store.as_mut());
                // The store goes before what keeps it.
                drop(store);
                drop(keep);
            }
        )*
    };
    (@shared $shared:path; $($contract:ident),* $(,)?) => {
        $(
            #[test]
            fn $contract() {
                let shared: $crate::store::contract::SharedStore = $shared();
                $crate::store::contract::$contract(shared.open.as_ref());
            }
        )*
    };
}
