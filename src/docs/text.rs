//! The hand-written text of the man pages: the EXIT STATUS, ENVIRONMENT,
//! FILES, SECURITY, JSON and EXAMPLES sections, and each command's exit
//! statuses, as roff. Text only: the pages are put together in `man`.

use clap_mangen::roff::{Inline, Roff, bold, italic, roman};

use super::BIN;

/// The exit status table of README.md.
const EXIT_STATUS: [(u8, &str); 11] = [
    (0, "Success."),
    (
        1,
        "Internal error: a bug in latch, and the message says so.",
    ),
    (
        2,
        "Usage error: an unknown flag, a missing argument, or no terminal to prompt on.",
    ),
    (3, "Invalid input: every problem found is listed."),
    (
        4,
        "Not authenticated: wrong credentials, not logged in, or the session ended.",
    ),
    (5, "Locked out after failed attempts."),
    (6, "Conflict: the username or email is already taken."),
    (
        7,
        "Token store unavailable: the message gives the cause and the alternatives.",
    ),
    (
        8,
        "Account store error: it cannot be opened, created or migrated; it is corrupt, \
         from a newer latch, or writable by other users.",
    ),
    (9, "Not permitted: the command needs an admin."),
    (
        130,
        "Interrupted at a prompt (Ctrl-C): the terminal is restored and nothing is written.",
    ),
];

pub(super) fn exit_status_all() -> Roff {
    let mut roff = Roff::new();
    for (code, meaning) in EXIT_STATUS {
        tagged(&mut roff, [bold(code.to_string())], meaning);
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

/// The exit statuses one command can end with.
pub(super) fn exit_status_of(command: &str) -> Roff {
    const BUG: (u8, &str) = (1, "Internal error: a bug in latch.");
    const USAGE: (u8, &str) = (2, "Usage error.");
    const USAGE_PROMPT: (u8, &str) = (
        2,
        "Usage error, or no terminal to prompt on and no --password-stdin.",
    );
    const LOCKED: (u8, &str) = (
        5,
        "The name is locked after too many failed logins; the message says when to retry.",
    );
    const TOKENS: (u8, &str) = (7, "The token store is unavailable.");
    const STORE: (u8, &str) = (8, "Account store error.");
    const INTERRUPTED: (u8, &str) = (130, "Interrupted at a prompt: nothing was written.");
    let codes: &[(u8, &str)] = match command {
        "register" => &[
            (
                0,
                "The account was registered (and, with --login, logged in).",
            ),
            BUG,
            USAGE_PROMPT,
            (
                3,
                "Invalid input: every problem with the username, email and password is listed.",
            ),
            (6, "The username or the email is already taken."),
            (
                7,
                "The token store is unavailable (with --login, or --admin on a store that has \
                 an admin). With --login the account was registered all the same.",
            ),
            STORE,
            (
                9,
                "--admin on a store that has an admin, and no admin is logged in.",
            ),
            INTERRUPTED,
        ],
        "login" => &[
            (0, "Logged in."),
            BUG,
            USAGE_PROMPT,
            (
                3,
                "Standard input held no usable password (empty, not UTF-8, or too long).",
            ),
            (
                4,
                "Invalid username or password, whatever the reason: unknown user, wrong \
                 password or disabled account.",
            ),
            LOCKED,
            TOKENS,
            STORE,
            INTERRUPTED,
        ],
        "passwd" => &[
            (
                0,
                "The password was changed; every other session of the account ended.",
            ),
            BUG,
            USAGE_PROMPT,
            (
                3,
                "The new password breaks the policy, the two entries differ, or standard \
                 input did not hold two usable lines.",
            ),
            (4, "Not logged in, or the current password is wrong."),
            LOCKED,
            TOKENS,
            STORE,
            INTERRUPTED,
        ],
        "users" => &[
            (0, "Done (also when there was nothing to change)."),
            BUG,
            (
                2,
                "Usage error, or delete without --yes and no terminal to confirm on.",
            ),
            (
                3,
                "There is no such user, or set-password's password breaks the policy.",
            ),
            (4, "Not logged in."),
            TOKENS,
            STORE,
            (
                9,
                "The logged-in user is not an admin, or the last admin would be revoked, \
                 disabled or deleted.",
            ),
            INTERRUPTED,
        ],
        "history" => &[
            (0, "The events were printed."),
            BUG,
            USAGE,
            (3, "--limit is 0."),
            (4, "Not logged in."),
            TOKENS,
            STORE,
            (
                9,
                "Another user's history, and the logged-in user is not an admin.",
            ),
        ],
        "sessions" => &[
            (0, "The sessions were listed, or ended."),
            BUG,
            USAGE,
            (3, "There is no session with that id."),
            (4, "Not logged in."),
            TOKENS,
            STORE,
            (
                9,
                "--all, or another user's session, and the logged-in user is not an admin.",
            ),
        ],
        "import" => &[
            (0, "The users were imported (or, with --dry-run, would be)."),
            BUG,
            USAGE,
            (
                3,
                "The file cannot be read, or has bad lines: every one is listed with its \
                 number, and nothing was written.",
            ),
            (4, "Not logged in."),
            (
                6,
                "With --on-conflict fail (or update, for an email): usernames or emails are \
                 taken; every such line is listed, and nothing was written.",
            ),
            TOKENS,
            STORE,
            (
                9,
                "The logged-in user is not an admin, or the import would leave the store \
                 without an admin.",
            ),
        ],
        "export" => &[
            (0, "The users were written."),
            BUG,
            (2, "Usage error, or the output cannot be written."),
            (3, "The output file cannot be created."),
            (4, "Not logged in."),
            TOKENS,
            STORE,
            (9, "The logged-in user is not an admin."),
        ],
        "policy" => &[
            (0, "The policy was shown, or changed."),
            BUG,
            (2, "Usage error, such as an unknown key."),
            (
                3,
                "The value is outside the key's bounds, or min-length would exceed max-length.",
            ),
            (4, "set: not logged in."),
            TOKENS,
            STORE,
            (9, "set: the logged-in user is not an admin."),
        ],
        "whoami" => &[
            (0, "Logged in."),
            BUG,
            USAGE,
            (
                4,
                "Not logged in, or the session ended (expired, revoked, its password changed, \
                 its account disabled).",
            ),
            TOKENS,
            STORE,
        ],
        "logout" => &[
            (0, "Logged out, or there was no session to end."),
            BUG,
            USAGE,
            TOKENS,
            STORE,
        ],
        "completions" => &[
            (0, "The script was printed."),
            BUG,
            (
                2,
                "Usage error: an unknown shell, or standard output cannot be written.",
            ),
        ],
        _ => &[(0, "Success."), USAGE],
    };
    let mut roff = Roff::new();
    for (code, meaning) in codes {
        tagged(&mut roff, [bold(code.to_string())], meaning);
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
    roff.text([roman(
        "The codes are usage, invalid_input, not_authenticated, locked, conflict, \
         token_store_unavailable, store_error, not_permitted, internal and interrupted, \
         one for each exit status. problems lists every problem for invalid_input and \
         conflict, and is empty otherwise; hints is there when latch has advice. Each \
         command's own JSON output is shown on its page.",
    )]);
    roff
}

pub(super) fn environment() -> Roff {
    let mut roff = Roff::new();
    tagged(
        &mut roff,
        [bold("LATCH_DB")],
        "The account store, as --db gives it (a file path, a postgresql:// URL or a libpq \
         key=value string); --db wins over it.",
    );
    tagged(
        &mut roff,
        [bold("LATCH_TOKEN_STORE")],
        "The token store: keyring, keyutils or file, as --token-store gives it; \
         --token-store wins over it.",
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
        "The base of the two directories above when their variables are unset. With \
         neither, and no --db, a command that needs the store fails (exit 2).",
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
        "A user key in the kernel session keyring, described as \
         \"keyring:<store path>@latch\". It is gone at reboot.",
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
