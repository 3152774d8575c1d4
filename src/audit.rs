//! The audit trail's events: what happened, to whom, by whom, from where.
//!
//! An event names users and says what happened; it must never carry a
//! password, a token or a hash of either.

use std::sync::OnceLock;

use crate::{timestamp, validate};

/// What an event records. `as_str` is what the `events.kind` column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Register,
    LoginSuccess,
    LoginFailure,
    /// A password checked by `verify`, for another program: no session.
    VerifySuccess,
    VerifyFailure,
    Logout,
    PasswordChange,
    HashUpgrade,
    Lock,
    Unlock,
    AdminGrant,
    AdminRevoke,
    PolicyChange,
    Enable,
    Disable,
    Delete,
    Import,
    Export,
    /// Everything in the store copied into another (`store copy`).
    StoreCopy,
    MfaEnrol,
    MfaConfirm,
    MfaDisable,
    MfaReset,
    MfaRecoveryCodeUsed,
    MfaRecoveryCodesRegenerated,
    MfaFailure,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Register => "register",
            EventKind::LoginSuccess => "login_success",
            EventKind::LoginFailure => "login_failure",
            EventKind::VerifySuccess => "verify_success",
            EventKind::VerifyFailure => "verify_failure",
            EventKind::Logout => "logout",
            EventKind::PasswordChange => "password_change",
            EventKind::HashUpgrade => "hash_upgrade",
            EventKind::Lock => "lock",
            EventKind::Unlock => "unlock",
            EventKind::AdminGrant => "admin_grant",
            EventKind::AdminRevoke => "admin_revoke",
            EventKind::PolicyChange => "policy_change",
            EventKind::Enable => "enable",
            EventKind::Disable => "disable",
            EventKind::Delete => "delete",
            EventKind::Import => "import",
            EventKind::Export => "export",
            EventKind::StoreCopy => "store_copy",
            EventKind::MfaEnrol => "mfa_enrol",
            EventKind::MfaConfirm => "mfa_confirm",
            EventKind::MfaDisable => "mfa_disable",
            EventKind::MfaReset => "mfa_reset",
            EventKind::MfaRecoveryCodeUsed => "mfa_recovery_code_used",
            EventKind::MfaRecoveryCodesRegenerated => "mfa_recovery_codes_regenerated",
            EventKind::MfaFailure => "mfa_failure",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub kind: String,
    /// Unix seconds, UTC.
    pub at: i64,
    /// The username the event is about, as typed (kept if the user goes).
    pub subject: String,
    pub subject_key: String,
    pub user_id: Option<i64>,
    /// The logged-in user who acted, if any.
    pub actor: Option<String>,
    pub actor_id: Option<i64>,
    /// A short detail, e.g. the reason a login failed.
    pub detail: String,
    pub os_user: String,
    pub host: String,
}

impl AuditEvent {
    /// An event about `subject`, acted by nobody logged in (yet).
    pub fn new(kind: EventKind, subject: &str, user_id: Option<i64>) -> Self {
        AuditEvent {
            kind: kind.as_str().to_owned(),
            at: timestamp::now(),
            subject: subject.to_owned(),
            subject_key: validate::fold(subject),
            user_id,
            actor: None,
            actor_id: None,
            detail: String::new(),
            os_user: os_user().to_owned(),
            host: host().to_owned(),
        }
    }

    /// An event a user did to their own account.
    pub fn by_self(kind: EventKind, username: &str, user_id: i64) -> Self {
        AuditEvent::new(kind, username, Some(user_id)).actor(username, user_id)
    }

    pub fn actor(mut self, username: &str, user_id: i64) -> Self {
        self.actor = Some(username.to_owned());
        self.actor_id = Some(user_id);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// An event read back from the trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedEvent {
    pub id: i64,
    pub event: AuditEvent,
}

/// The name of the OS account running latch: the real user id, named by
/// the system's user database (`getpwuid_r`), or `uid N` when it has no
/// entry. Never the environment's `$USER` or `$LOGNAME`, which the caller
/// sets as it likes.
pub fn os_user() -> &'static str {
    static USER: OnceLock<String> = OnceLock::new();
    USER.get_or_init(|| {
        let uid = nix::unistd::getuid();
        user_name(uid).unwrap_or_else(|| format!("uid {uid}"))
    })
}

/// The name of `uid` in the user database, if it has one.
pub(crate) fn user_name(uid: nix::unistd::Uid) -> Option<String> {
    nix::unistd::User::from_uid(uid)
        .ok()
        .flatten()
        .map(|user| user.name)
}

/// This machine's host name.
pub fn host() -> &'static str {
    static HOST: OnceLock<String> = OnceLock::new();
    HOST.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|name| name.trim().to_owned())
            .ok()
            .filter(|name| !name.is_empty())
            .or_else(|| std::env::var("HOSTNAME").ok())
            .unwrap_or_default()
    })
}
