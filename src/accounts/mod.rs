//! What latch does with accounts and sessions: register, log in, check a
//! password for another program (verify), find who is logged in, log out,
//! change a password, lock and unlock names, grant and revoke admin, read the
//! audit trail. The rules live here; the SQL lives in
//! `store` and the keyring calls in `token_store`.
//!
//! Invariants kept here: a login answers an unknown user, a wrong password and
//! a disabled account with one message after about one hash's time; a locked
//! name is refused before any hash is computed; a session row is committed only
//! once its token is in the token store; a stale token is removed from the
//! token store as soon as it is found.

mod admin;
mod credentials;
mod register;
mod second_factor;
mod sessions;
mod store_copy;
#[cfg(test)]
mod tests;

pub use admin::*;
pub use credentials::*;
pub use register::*;
pub use second_factor::{
    Enrolment, FACTOR_COMMANDS, begin_enrolment, check_second_factor, confirm_enrolment,
    disable_factor, enrolment_required, factor_status, regenerate_recovery_codes, require_enrolled,
    reset_factor,
};
pub use sessions::*;
pub use store_copy::{CopySummary, copy_store};
