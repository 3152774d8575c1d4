//! The hand-written text of the man pages: the EXIT STATUS, ENVIRONMENT,
//! FILES, SECURITY, JSON and EXAMPLES sections, and each command's exit
//! statuses, as roff. Text only: the pages are put together in `man`.

use clap_mangen::roff::{Inline, Roff, bold, italic, roman};

use super::BIN;
use crate::cli::Command;
use crate::error::ExitStatus;

pub(super) fn exit_status_all() -> Roff {
    let mut roff = Roff::new();
    for status in ExitStatus::ALL {
        tagged(
            &mut roff,
            [bold(status.row().code.to_string())],
            status.row().meaning,
        );
    }
    roff.control("PP", []);
    roff.text([
        roman("Errors go to standard error as "),
        bold("latch: error: "),
        italic("what"),
        roman(", with "),
        bold("hint:"),
        roman(" lines where one helps. Under "),
        bold("--json"),
        roman(
            ", an error is one JSON object on standard error instead, whose \"code\" \
             names the kind of error.",
        ),
    ]);
    roff
}

/// The exit statuses one command can end with. Matched on the command's
/// variant, with no catch-all: a new command does not compile without its list.
pub(super) fn exit_status_of(command: &Command) -> Roff {
    const BUG: (ExitStatus, &str) = (ExitStatus::Internal, "Internal error: a bug in latch.");
    const USAGE: (ExitStatus, &str) = (ExitStatus::Usage, "Usage error.");
    const USAGE_PROMPT: (ExitStatus, &str) = (
        ExitStatus::Usage,
        "Usage error, or no terminal to prompt on and no --password-stdin.",
    );
    const LOCKED: (ExitStatus, &str) = (
        ExitStatus::LockedOut,
        "The name is locked after too many failed logins; the message says when to retry.",
    );
    const TOKENS: (ExitStatus, &str) = (
        ExitStatus::TokenStoreUnavailable,
        "The token store is unavailable.",
    );
    const STORE: (ExitStatus, &str) = (ExitStatus::StoreError, "Account store error.");
    const INTERRUPTED: (ExitStatus, &str) = (
        ExitStatus::Interrupted,
        "Interrupted at a prompt (Ctrl-C or end of input): nothing was written.",
    );
    const OUTPUT: (ExitStatus, &str) = (
        ExitStatus::OutputError,
        "Standard output cannot be written (a full disk).",
    );
    const MFA_REQUIRED: (ExitStatus, &str) = (
        ExitStatus::NotPermitted,
        "The policy mfa-required asks the logged-in account for a second factor it has not \
         enrolled: only mfa enable, confirm and status, and logout, work until it has.",
    );
    let codes: &[(ExitStatus, &str)] = match command {
        Command::Register(_) => &[
            (
                ExitStatus::Success,
                "The account was registered (and, with --login, logged in).",
            ),
            BUG,
            USAGE_PROMPT,
            (
                ExitStatus::InvalidInput,
                "Invalid input: every problem with the username, email and password is listed.",
            ),
            (
                ExitStatus::Conflict,
                "The username or the email is already taken.",
            ),
            (
                ExitStatus::TokenStoreUnavailable,
                "The token store is unavailable (with --login, or --admin on a store that has \
                 an admin). With --login the account was registered all the same.",
            ),
            STORE,
            (
                ExitStatus::NotPermitted,
                "--admin on a store that has an admin, and no admin is logged in.",
            ),
            INTERRUPTED,
        ],
        Command::Login(_) => &[
            (ExitStatus::Success, "Logged in."),
            BUG,
            USAGE_PROMPT,
            (
                ExitStatus::InvalidInput,
                "Standard input held no usable password (empty, not UTF-8, or too long), or \
                 the username is one no account can have (empty, too long, or with a \
                 character no username may hold): it is neither recorded nor counted.",
            ),
            (
                ExitStatus::NotAuthenticated,
                "Invalid username, password or code, whatever the reason: unknown user, wrong \
                 password, disabled account, or a missing, wrong or replayed second-factor code.",
            ),
            LOCKED,
            TOKENS,
            STORE,
            INTERRUPTED,
        ],
        Command::Verify(_) => &[
            (
                ExitStatus::Success,
                "The password is right (no session was started).",
            ),
            BUG,
            (
                ExitStatus::Usage,
                "Usage error, or no terminal to prompt on and no --password-stdin; with \
                 --pam, PAM_TYPE is not auth, no --db, or standard input is a terminal.",
            ),
            (
                ExitStatus::InvalidInput,
                "Standard input held no usable password, or (--pam) PAM_USER is missing, \
                 empty, not UTF-8 or holds control characters: nothing was recorded.",
            ),
            (
                ExitStatus::NotAuthenticated,
                "Invalid username or password, whatever the reason: unknown user, wrong \
                 password, disabled account or unusable password.",
            ),
            LOCKED,
            STORE,
            (
                ExitStatus::NotPermitted,
                "The password is right, but the policy mfa-required asks the account for a \
                 second factor it has not enrolled (latch login, then latch mfa enable): \
                 recorded as a verify_failure, not counted toward the lockout. Through \
                 pam_exec, PAM_SYSTEM_ERR: not authenticated.",
            ),
            INTERRUPTED,
        ],
        Command::Passwd(_) => &[
            (
                ExitStatus::Success,
                "The password was changed; every other session of the account ended.",
            ),
            BUG,
            USAGE_PROMPT,
            (
                ExitStatus::InvalidInput,
                "The new password breaks the policy, the two entries differ, or standard \
                 input did not hold two usable lines.",
            ),
            (
                ExitStatus::NotAuthenticated,
                "Not logged in, or the current password (or second-factor code) is wrong.",
            ),
            LOCKED,
            TOKENS,
            STORE,
            INTERRUPTED,
        ],
        Command::Users(_) => &[
            (
                ExitStatus::Success,
                "Done (also when there was nothing to change, or when a deletion was \
                 declined at its confirmation).",
            ),
            BUG,
            (
                ExitStatus::Usage,
                "Usage error, or delete without --yes and no terminal to confirm on.",
            ),
            (
                ExitStatus::InvalidInput,
                "There is no such user (or no account can have the name), or \
                 set-password's password breaks the policy.",
            ),
            (ExitStatus::NotAuthenticated, "Not logged in."),
            TOKENS,
            STORE,
            OUTPUT,
            (
                ExitStatus::NotPermitted,
                "The logged-in user is not an admin, or the last admin would be revoked, \
                 disabled or deleted.",
            ),
            INTERRUPTED,
        ],
        Command::History(_) => &[
            (ExitStatus::Success, "The events were printed."),
            BUG,
            USAGE,
            (
                ExitStatus::InvalidInput,
                "--limit is 0, or no account can have the USERNAME given.",
            ),
            (ExitStatus::NotAuthenticated, "Not logged in."),
            TOKENS,
            STORE,
            OUTPUT,
            (
                ExitStatus::NotPermitted,
                "Another user's history, and the logged-in user is not an admin.",
            ),
        ],
        Command::Sessions(_) => &[
            (ExitStatus::Success, "The sessions were listed, or ended."),
            BUG,
            USAGE,
            (
                ExitStatus::InvalidInput,
                "There is no session with that id.",
            ),
            (ExitStatus::NotAuthenticated, "Not logged in."),
            TOKENS,
            STORE,
            OUTPUT,
            (
                ExitStatus::NotPermitted,
                "--all, or another user's session, and the logged-in user is not an admin.",
            ),
        ],
        Command::Import(_) => &[
            (
                ExitStatus::Success,
                "The users were imported (or, with --dry-run, would be).",
            ),
            BUG,
            USAGE,
            (
                ExitStatus::InvalidInput,
                "The file cannot be read, or has bad lines: every one is listed with its \
                 number, and nothing was written.",
            ),
            (ExitStatus::NotAuthenticated, "Not logged in."),
            (
                ExitStatus::Conflict,
                "With --on-conflict fail (or update, for an email): usernames or emails are \
                 taken; every such line is listed, and nothing was written.",
            ),
            TOKENS,
            STORE,
            (
                ExitStatus::NotPermitted,
                "The logged-in user is not an admin, or the import would leave the store \
                 without an admin.",
            ),
        ],
        Command::Export(_) => &[
            (ExitStatus::Success, "The users were written."),
            BUG,
            USAGE,
            (ExitStatus::NotAuthenticated, "Not logged in."),
            TOKENS,
            STORE,
            (
                ExitStatus::OutputError,
                "The output cannot be created or written (a full disk, a missing directory, \
                 a directory in its place); a regular file it would replace is left as it was.",
            ),
            (
                ExitStatus::NotPermitted,
                "The logged-in user is not an admin.",
            ),
        ],
        Command::Store(_) => &[
            (
                ExitStatus::Success,
                "Everything but the sessions was copied into the target store.",
            ),
            BUG,
            USAGE,
            (
                ExitStatus::InvalidInput,
                "The target store is not a valid store location (an unknown URL scheme, a bad \
                 connection string), is this store, or is not empty: nothing was written.",
            ),
            (ExitStatus::NotAuthenticated, "Not logged in."),
            TOKENS,
            (
                ExitStatus::StoreError,
                "Account store error, on either store: the target was left as it was.",
            ),
            (
                ExitStatus::NotPermitted,
                "The logged-in user is not an admin: nothing was written.",
            ),
        ],
        Command::Policy(_) => &[
            (ExitStatus::Success, "The policy was shown, or changed."),
            BUG,
            (ExitStatus::Usage, "Usage error, such as an unknown key."),
            (
                ExitStatus::InvalidInput,
                "The value is outside the key's bounds, or min-length would exceed max-length.",
            ),
            (ExitStatus::NotAuthenticated, "set: not logged in."),
            TOKENS,
            STORE,
            OUTPUT,
            (
                ExitStatus::NotPermitted,
                "set: the logged-in user is not an admin.",
            ),
        ],
        Command::Whoami(_) => &[
            (ExitStatus::Success, "Logged in."),
            BUG,
            USAGE,
            (
                ExitStatus::NotAuthenticated,
                "Not logged in, or the session ended (expired, revoked, its password changed, \
                 its account disabled).",
            ),
            TOKENS,
            STORE,
            MFA_REQUIRED,
            OUTPUT,
        ],
        Command::Mfa(_) => &[
            (ExitStatus::Success, "Done."),
            BUG,
            (
                ExitStatus::Usage,
                "Usage error, or no terminal to prompt on and no --password-stdin (or \
                 --code-stdin).",
            ),
            (
                ExitStatus::InvalidInput,
                "The code is not a code (spaces, letters, the wrong number of digits, a \
                 control character, too long), there is no factor to confirm or disable, or \
                 standard input held no usable line; nothing was written.",
            ),
            (
                ExitStatus::NotAuthenticated,
                "Not logged in, or the password or code is wrong (recorded, and counted \
                 toward the lockout as a failed login, except at confirm).",
            ),
            LOCKED,
            (
                ExitStatus::Conflict,
                "The account has a second factor already.",
            ),
            TOKENS,
            STORE,
            OUTPUT,
            INTERRUPTED,
        ],
        Command::Logout(_) => &[
            (
                ExitStatus::Success,
                "Logged out, or there was no session to end.",
            ),
            BUG,
            USAGE,
            TOKENS,
            STORE,
        ],
        Command::Completions(_) => &[
            (ExitStatus::Success, "The script was printed."),
            BUG,
            (ExitStatus::Usage, "Usage error: an unknown shell."),
            OUTPUT,
        ],
    };
    let mut roff = Roff::new();
    for (status, meaning) in codes {
        tagged(&mut roff, [bold(status.row().code.to_string())], meaning);
    }
    roff.control("PP", []);
    roff.text([
        roman("The table of every exit status is in "),
        bold(BIN),
        roman("(1)."),
    ]);
    roff
}

/// The error object every `--json` command prints on stderr.
pub(super) fn json_errors() -> Roff {
    let mut roff = Roff::new();
    roff.text([roman(
        "Every command that reads takes --json, and then prints its errors as one JSON object \
         on stderr, with a stable code:",
    )]);
    code(
        &mut roff,
        &[
            "{\"error\": {\"code\": \"invalid_input\", \"message\": \"...\",",
            "           \"problems\": [{\"field\": \"password\", \"message\": \"...\"}],",
            "           \"hints\": [\"...\"]}}",
        ],
    );
    let codes: Vec<&str> = ExitStatus::ALL
        .iter()
        .filter_map(|status| status.row().json_code)
        .collect();
    let (last, others) = codes.split_last().expect("the table has error codes");
    roff.text([roman(format!(
        "The codes are {} and {last}, one for each exit status of failure. problems lists \
         every problem for invalid_input and conflict, and is empty otherwise; hints is there \
         when latch has advice. Each command's own JSON output is shown on its page.",
        others.join(", ")
    ))]);
    roff
}

pub(super) fn environment() -> Roff {
    let mut roff = Roff::new();
    tagged(
        &mut roff,
        [bold("LATCH_DB")],
        "The account store, as --db gives it (a file path, a postgresql:// URL or a libpq \
         key=value string); --db wins over it. Empty, it counts as unset.",
    );
    tagged(
        &mut roff,
        [bold("LATCH_TOKEN_STORE")],
        "The token store: keyring, keyutils or file, as --token-store gives it; \
         --token-store wins over it. Empty, it counts as unset.",
    );
    tagged(
        &mut roff,
        [bold("NO_COLOR")],
        "When set and not empty, --color auto (the default) never colours messages.",
    );
    tagged(
        &mut roff,
        [bold("XDG_DATA_HOME")],
        "The directory of the default account store, $XDG_DATA_HOME/latch/latch.db; \
         ~/.local/share when unset.",
    );
    tagged(
        &mut roff,
        [bold("XDG_STATE_HOME")],
        "The directory of the file token store, $XDG_STATE_HOME/latch/tokens.json; \
         ~/.local/state when unset.",
    );
    tagged(
        &mut roff,
        [bold("HOME")],
        "The base of the two directories above when their variables are unset or not \
         absolute paths. When HOME is unset or empty, the home directory of the user \
         database (getpwuid) is used instead, and the store and token file are made \
         there; only when neither gives a home does a command that needs the default \
         store fail (exit 2).",
    );
    tagged(
        &mut roff,
        [bold("DBUS_SESSION_BUS_ADDRESS")],
        "The D-Bus session bus on which the keyring token store finds the Secret \
         Service. Where there is no session bus (a server, a container, an ssh login \
         without one), the keyring token store is unavailable (exit 7): use \
         --token-store keyutils or file.",
    );
    roff
}

pub(super) fn files() -> Roff {
    let mut roff = Roff::new();
    tagged(
        &mut roff,
        [italic("$XDG_DATA_HOME/latch/latch.db")],
        "The default account store (usually ~/.local/share/latch/latch.db): SQLite in WAL \
         mode, so the files latch.db-wal and latch.db-shm may sit beside it. The first \
         registration creates it, the directory 0700 and the file 0600. Its users table has \
         the columns of Django's auth_user; sessions holds the SHA-256 of each session \
         token; events is the audit trail.",
    );
    roff.control("PP", []);
    roff.text([roman(
        "The session token is kept in the token store, one entry per account store, \
         named by the absolute path of the account store (\"bytes:\" and the \
         path's bytes in hex, for a path that is not UTF-8):",
    )]);
    tagged(
        &mut roff,
        [bold("keyring")],
        "A Secret Service item (gnome-keyring, KeePassXC, KWallet) with the attributes \
         service \"latch\" and username the absolute store path. \
         \"secret-tool search service latch\" lists them.",
    );
    tagged(
        &mut roff,
        [bold("keyutils")],
        "A user key in the kernel session keyring only, described as \
         \"keyring:<store path>@latch\", never in the persistent keyring: it is \
         gone when that session keyring ends, and at reboot, and no other session \
         finds it. A process without a session keyring of its own is refused (exit 7).",
    );
    tagged(
        &mut roff,
        [
            bold("file"),
            roman(" ("),
            italic("$XDG_STATE_HOME/latch/tokens.json"),
            roman(")"),
        ],
        "A JSON object from store path to token, mode 0600 in a 0700 directory, with \
         tokens.lock beside it to serialize writers. latch warns about it on every use.",
    );
    roff
}

pub(super) fn security() -> Roff {
    let mut roff = Roff::new();
    roff.text([roman("What latch protects, and how:")]);
    for item in [
        "latch hashes passwords with PBKDF2-HMAC-SHA256, 1,200,000 iterations with a \
         random 22-character salt, in Django's format (pbkdf2_sha256$1200000$salt$hash). \
         A hash imported from Django with another of its algorithms (pbkdf2_sha1, argon2, \
         bcrypt_sha256, scrypt), or made with other parameters, is rewritten so at the \
         next login.",
        "A password is never taken on the command line, where other users could see it \
         in the process list: it comes from a prompt without echo, or from the first line \
         of standard input with --password-stdin. latch wipes it from memory after use.",
        "The session token is 256 bits from the operating system's random generator. The \
         account store keeps only its SHA-256; the token itself is only in the token \
         store, and latch never prints it, not even with --json.",
        "A failed login looks the same whatever the reason (unknown user, wrong password, \
         disabled account): the same message, exit 4, and about the time of one hash. \
         The events table keeps the real reason. After 5 failures in a row a name is \
         locked (exit 5), known to the store or not, and no hash is computed while it is.",
        "The account store is created 0600 in a 0700 directory, and refused (exit 8) when \
         users other than its owner may write to it or to its directory.",
        "A second factor (latch mfa enable) is a TOTP secret of 160 bits from the operating \
         system's random generator. The store keeps it readable, as django-otp does, since \
         a code cannot be checked otherwise: anyone who can read the store can make codes. \
         Recovery codes are kept only as SHA-256 hashes. A code is accepted once, never \
         logged or stored, and a wrong one counts toward the lockout like a wrong password.",
    ] {
        bullet(&mut roff, item);
    }
    roff.control("PP", []);
    roff.text([roman("What latch does not protect against:")]);
    for item in [
        "Anyone who can read the account store can copy the hashes and try to guess the \
         passwords offline. The iterations make every guess slow, and easy passwords are \
         refused, but keep the file unreadable to others.",
        "Anyone who can read the token (your unlocked keyring, your session keyring, \
         tokens.json) can use the session until it ends: 14 days, a logout, or a change \
         of the password.",
        "The superuser, and programs running as you, can read all of the above.",
    ] {
        bullet(&mut roff, item);
    }
    roff
}

pub(super) fn examples() -> Roff {
    let mut roff = Roff::new();
    roff.text([roman(
        "Register, log in, see who is logged in and log out, at a terminal (latch \
         prompts for the password without echo):",
    )]);
    code(
        &mut roff,
        &[
            "latch register alice --email alice@example.com",
            "latch login alice",
            "latch whoami",
            "latch logout",
        ],
    );
    roff.control("PP", []);
    roff.text([roman(
        "In a script, pipe the password in with --password-stdin; latch reads the first \
         line of standard input:",
    )]);
    code(
        &mut roff,
        &[
            "printf '%s\\n' \"$PW\" | latch register bob --email bob@example.com --password-stdin --login",
            "printf '%s\\n' \"$PW\" | latch login bob --password-stdin",
        ],
    );
    roff.control("PP", []);
    roff.text([roman(
        "Go on only when someone is logged in; -q makes the exit status the whole answer:",
    )]);
    code(
        &mut roff,
        &[
            "if latch whoami -q; then",
            "    echo \"logged in as $(latch whoami)\"",
            "else",
            "    echo \"not logged in\" >&2; exit 1",
            "fi",
        ],
    );
    roff.control("PP", []);
    roff.text([roman("Read the session as JSON:")]);
    code(
        &mut roff,
        &[
            "latch whoami --json | jq -r .username",
            "latch whoami --json | jq -r .session.expires_at",
        ],
    );
    roff.control("PP", []);
    roff.text([roman(
        "On a headless server with no Secret Service, keep the token in the kernel \
         keyring of the login session. An ssh login usually has a session keyring; \
         keyctl session - starts a shell with a new one where there is none:",
    )]);
    code(
        &mut roff,
        &[
            "export LATCH_TOKEN_STORE=keyutils",
            "printf '%s\\n' \"$PW\" | latch login alice --password-stdin",
            "latch whoami",
        ],
    );
    roff
}

/// A `.TP` paragraph: `tag` on its own line, `text` indented below.
fn tagged(roff: &mut Roff, tag: impl Into<Vec<Inline>>, text: &str) {
    roff.control("TP", []);
    roff.text(tag);
    roff.text([roman(text)]);
}

fn bullet(roff: &mut Roff, text: &str) {
    roff.control("IP", ["\\(bu", "2"]);
    roff.text([roman(text)]);
}

/// Lines of shell, indented and set as they are (no filling).
pub(super) fn code(roff: &mut Roff, lines: &[&str]) {
    roff.control("PP", []);
    roff.control("RS", ["4"]);
    roff.control("nf", []);
    for line in lines {
        roff.text([roman(*line)]);
    }
    roff.control("fi", []);
    roff.control("RE", []);
}
