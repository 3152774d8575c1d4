//! The audit trail's events: what happened, to whom, by whom, from where.
//!
//! An event names users and says what happened; it must never carry a
//! password, a token or a hash of either.

use std::sync::OnceLock;

use crate::timestamp;

/// What an event records. `as_str` is what the `events.kind` column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Register,
    LoginSuccess,
    LoginFailure,
    Logout,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Register => "register",
            EventKind::LoginSuccess => "login_success",
            EventKind::LoginFailure => "login_failure",
            EventKind::Logout => "logout",
        }
    }
}

#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub kind: EventKind,
    /// Django's datetime format, UTC.
    pub at: String,
    /// The username the event is about, as typed (kept if the user goes).
    pub subject: String,
    pub user_id: Option<i64>,
    pub actor_id: Option<i64>,
    /// A short machine-readable detail, e.g. the reason a login failed.
    pub detail: String,
    pub os_user: String,
    pub host: String,
}

impl AuditEvent {
    pub fn new(kind: EventKind, subject: &str, user_id: Option<i64>) -> Self {
        AuditEvent {
            kind,
            at: timestamp::django(timestamp::now()),
            subject: subject.to_owned(),
            user_id,
            actor_id: user_id,
            detail: String::new(),
            os_user: os_user().to_owned(),
            host: host().to_owned(),
        }
    }

    pub fn detail(mut self, detail: &str) -> Self {
        self.detail = detail.to_owned();
        self
    }
}

/// The name of the OS account running latch.
pub fn os_user() -> &'static str {
    static USER: OnceLock<String> = OnceLock::new();
    USER.get_or_init(|| {
        ["USER", "LOGNAME"]
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
            .unwrap_or_else(|| format!("uid {}", current_uid()))
    })
}

fn current_uid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").map_or(0, |m| m.uid())
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
