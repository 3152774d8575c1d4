//! `latch whoami`: who is logged in on this store.

use clap::Args;
use serde_json::json;

use super::Context;
use crate::error::Result;
use crate::timestamp;

/// Print the logged-in username
///
/// Exits 0 and prints the username when this store's session is valid; exits 4
/// when not logged in or when the session has ended (expired, revoked, its
/// password changed, its account disabled), and then forgets the stale token.
/// With -q it prints nothing: the exit status is the answer.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
    if latch whoami -q; then echo \"logged in\"; fi\n  \
    latch whoami --json | jq -r .session.expires_at\n\
\n\
JSON:\n  \
    {\"username\", \"email\", \"is_admin\", \"mfa\", \"session\": {\"id\", \"created_at\", \"expires_at\"},\n   \
    \"token_store\"}\n  \
    Times are RFC 3339 in UTC. The token itself is never printed.")]
pub struct WhoamiArgs {
    /// Print the user and the session as JSON (never the token)
    ///
    /// One line: {"username", "email", "is_admin", "mfa", "session": {"id",
    /// "created_at", "expires_at"}, "token_store"}, times in RFC 3339. Errors
    /// are then JSON on stderr too: {"error": {"code", "message", ...}}.
    #[arg(long)]
    pub json: bool,
}

pub fn run(context: &Context, args: &WhoamiArgs) -> Result<()> {
    let session = context.session()?;
    let current = session.current;
    if args.json {
        let mfa = crate::accounts::factor_status(session.store.as_ref(), &current.user)?.confirmed;
        context.ui.print_json(&json!({
            "username": current.user.username,
            "email": current.user.email,
            "is_admin": current.user.is_superuser,
            "mfa": mfa,
            "session": {
                "id": current.session.id,
                "created_at": timestamp::rfc3339(current.session.created_at),
                "expires_at": timestamp::rfc3339(current.session.expires_at),
            },
            "token_store": context.token_store.as_str(),
        }))?;
    } else if !context.ui.quiet {
        context
            .ui
            .print(&crate::output::one_line(&current.user.username))?;
    }
    Ok(())
}
