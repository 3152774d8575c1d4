//! The documents generated from the clap definition: man pages (clap_mangen)
//! and shell completion scripts (clap_complete).
//!
//! The files in `man/` and `completions/` are exactly these bytes, and
//! `tests/docs.rs` checks that they are. Everything here depends on the clap
//! definition and the version alone: never on the clock, the environment or
//! the terminal, so that regenerating is deterministic.

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;
use clap_mangen::roff::{Inline, Roff, bold, italic, roman};

use crate::cli::Cli;

/// The date printed in every man page: the last change that mattered to
/// them. A fixed date, so that regenerating the pages gives the same bytes.
pub const MAN_DATE: &str = "2026-11-24";

/// The shells `latch completions` writes scripts for, in file order.
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::Elvish,
    Shell::PowerShell,
];

const BIN: &str = "latch";

/// The completion script of `shell`, as `latch completions SHELL` prints it.
pub fn completion(shell: Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut expanded(), BIN, &mut script);
    script
}

/// The clap definition, built. Each command's arguments and subcommands are
/// made only when it runs (`defer`), so the `help` command, which clap builds
/// from the tree before those are made, lists the commands without their
/// subcommands: they are added to it here, as clap copies them (name, about,
/// hidden or not), so that `latch help users <TAB>` completes.
fn expanded() -> clap::Command {
    let mut root = Cli::command();
    root.build();
    let nested: Vec<(String, Vec<clap::Command>)> = root
        .get_subcommands()
        .filter(|command| command.get_name() != "help")
        .map(|command| {
            let bin_name = format!("{BIN} help {}", command.get_name());
            (
                command.get_name().to_owned(),
                copies_for_help(command, &bin_name),
            )
        })
        .collect();
    root.mut_subcommand("help", |help| {
        help.mut_subcommands(|listed| {
            if listed.has_subcommands() {
                return listed;
            }
            match nested.iter().find(|(name, _)| name == listed.get_name()) {
                Some((_, subcommands)) => listed.subcommands(subcommands.clone()),
                None => listed,
            }
        })
    })
}

/// The subcommands of `command` as clap copies them under `help` (named
/// `bin_name` there): name, about, hidden or not, and their subcommands
/// likewise; no arguments, no help or version flag.
fn copies_for_help(command: &clap::Command, bin_name: &str) -> Vec<clap::Command> {
    command
        .get_subcommands()
        .filter(|sub| sub.get_name() != "help")
        .map(|sub| {
            let bin_name = format!("{bin_name} {}", sub.get_name());
            let copy = clap::Command::new(sub.get_name().to_owned())
                .hide(sub.is_hide_set())
                .disable_help_flag(true)
                .disable_version_flag(true)
                .disable_help_subcommand(true)
                .subcommands(copies_for_help(sub, &bin_name))
                .bin_name(bin_name);
            match sub.get_about() {
                Some(about) => copy.about(about.clone()),
                None => copy,
            }
        })
        .collect()
}

/// Every completion script, with its file name in `completions/`
/// (`latch.bash`, `_latch`, `latch.fish`, `latch.elv`, `_latch.ps1`).
pub fn completions() -> Vec<(String, Vec<u8>)> {
    use clap_complete::Generator;
    SHELLS
        .into_iter()
        .map(|shell| (shell.file_name(BIN), completion(shell)))
        .collect()
}

/// Every man page, with its file name in `man/`: `latch.1`, then one
/// `latch-<command>.1` per command and `latch-<command>-<sub>.1` per
/// subcommand, however deep (the `help` command has none).
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    let root = built(Cli::command());
    let names: Vec<String> = root
        .get_subcommands()
        .map(|command| command.get_name().to_owned())
        .collect();
    let mut pages = vec![(format!("{BIN}.1"), root_page(&root, &names))];

    // A command's page lists its own options first, then the global ones
    // under a heading of their own.
    let root = built(Cli::command().mut_args(|arg| {
        if arg.is_global_set() {
            arg.help_heading("GLOBAL OPTIONS")
        } else {
            arg
        }
    }));
    for command in root.get_subcommands() {
        add_pages(command, BIN, command.get_name(), &mut pages);
    }
    pages
}

/// The page of `command` (named after `parent`), then those of its
/// subcommands. `top` is the top-level command, whose exit statuses they share.
fn add_pages(command: &clap::Command, parent: &str, top: &str, pages: &mut Vec<(String, Vec<u8>)>) {
    let name = format!("{parent}-{}", command.get_name());
    pages.push((
        format!("{name}.1"),
        command_page(command, &name, top, parent),
    ));
    for sub in command.get_subcommands() {
        add_pages(sub, &name, top, pages);
    }
}

/// The command as the man pages show it: built, so that each command has its
/// full name (`latch register`) and the global options; without `help`.
fn built(command: clap::Command) -> clap::Command {
    let mut command = command
        .subcommand_help_heading("COMMANDS")
        .subcommand_value_name("COMMAND")
        .disable_help_subcommand(true);
    command.build();
    command
}

/// `latch.1`: clap's sections, then the ones written here.
fn root_page(root: &clap::Command, commands: &[String]) -> Vec<u8> {
    let mut page = Page::new(root, BIN);
    page.clap_sections(true);
    page.section("EXIT STATUS", exit_status_all());
    page.section("ENVIRONMENT", environment());
    page.section("FILES", files());
    page.section("SECURITY", security());
    page.section("JSON", json_errors());
    page.section("EXAMPLES", examples());
    page.section("SEE ALSO", see_also_root(commands));
    page.finish()
}

/// `latch-<command>.1`: clap's sections, the command's exit statuses, its
/// examples (from its `after_long_help`), and a pointer to `latch(1)`.
fn command_page(command: &clap::Command, name: &str, top: &str, parent: &str) -> Vec<u8> {
    let mut page = Page::new(command, name);
    page.clap_sections(false);
    page.section("EXIT STATUS", exit_status_of(top));
    if let Some(text) = command.get_after_long_help() {
        for (heading, body) in after_help_sections(&text.to_string()) {
            page.section(&heading, body);
        }
    }
    let mut see_also = Roff::new();
    see_also.text(page_ref(parent));
    page.section("SEE ALSO", see_also);
    page.finish()
}

/// One of clap_mangen's `Man::render_*_section` methods.
type RenderSection = fn(&Man, &mut dyn std::io::Write) -> std::io::Result<()>;

/// A man page being put together from clap_mangen's sections and our own.
struct Page {
    man: Man,
    out: Vec<u8>,
    /// What `roff` writes before every document it renders; written once.
    preamble: String,
}

impl Page {
    fn new(command: &clap::Command, name: &str) -> Page {
        // The after_long_help (examples, exit statuses) becomes sections of
        // its own here, not clap_mangen's EXTRA.
        let man = Man::new(command.clone().after_long_help(None).after_help(None))
            .title(name.to_uppercase())
            .section("1")
            .date(MAN_DATE)
            .source(format!("{BIN} {}", env!("CARGO_PKG_VERSION")))
            .manual("latch manual");
        let preamble = Roff::new().render();
        Page {
            man,
            out: preamble.clone().into_bytes(),
            preamble,
        }
    }

    /// NAME, SYNOPSIS, DESCRIPTION, OPTIONS and (for `latch.1`) COMMANDS.
    fn clap_sections(&mut self, with_commands: bool) {
        let mut parts: Vec<RenderSection> = vec![
            Man::render_title,
            Man::render_name_section,
            Man::render_synopsis_section,
            Man::render_description_section,
            Man::render_options_section,
        ];
        if with_commands {
            parts.push(Man::render_subcommands_section);
        }
        for (i, render) in parts.into_iter().enumerate() {
            let mut fragment = Vec::new();
            // Writing to a Vec cannot fail.
            let _ = render(&self.man, &mut fragment);
            self.push(&fragment);
            if i == 0 {
                // Ragged right, and no hyphens: paths and option names in the
                // text stay whole, ready to copy.
                let mut roff = Roff::new();
                roff.control("ad", ["l"]).control("nh", []);
                self.push(roff.render().as_bytes());
            }
        }
    }

    fn section(&mut self, heading: &str, body: Roff) {
        let mut roff = Roff::new();
        roff.control("SH", [heading]);
        self.push(roff.render().as_bytes());
        self.push(body.render().as_bytes());
    }

    /// Appends a rendered fragment without its copy of the preamble.
    fn push(&mut self, fragment: &[u8]) {
        let fragment = fragment
            .strip_prefix(self.preamble.as_bytes())
            .unwrap_or(fragment);
        self.out.extend_from_slice(fragment);
    }

    fn finish(self) -> Vec<u8> {
        self.out
    }
}

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

fn exit_status_all() -> Roff {
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
fn exit_status_of(command: &str) -> Roff {
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
fn json_errors() -> Roff {
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

fn environment() -> Roff {
    let mut roff = Roff::new();
    tagged(
        &mut roff,
        [bold("LATCH_DB")],
        "The account store, as --db gives it; --db wins over it.",
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

fn files() -> Roff {
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

fn security() -> Roff {
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

fn examples() -> Roff {
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

fn see_also_root(commands: &[String]) -> Roff {
    let mut pages: Vec<String> = commands
        .iter()
        .map(|command| format!("{BIN}-{command}"))
        .collect();
    pages.sort();
    pages.extend(["secret-tool", "keyctl", "sqlite3"].map(String::from));
    let mut line = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            line.push(roman(", "));
        }
        line.extend(page_ref(page));
    }
    let mut roff = Roff::new();
    roff.text(line);
    roff
}

/// `name(1)`, the way man pages refer to one another.
fn page_ref(name: &str) -> Vec<Inline> {
    vec![bold(name), roman("(1)")]
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
fn code(roff: &mut Roff, lines: &[&str]) {
    roff.control("PP", []);
    roff.control("RS", ["4"]);
    roff.control("nf", []);
    for line in lines {
        roff.text([roman(*line)]);
    }
    roff.control("fi", []);
    roff.control("RE", []);
}

/// Splits a command's `after_long_help` into man page sections: a line like
/// `Examples:` starts a section (`EXAMPLES`), the indented lines under it are
/// set as they are, other lines are text.
fn after_help_sections(text: &str) -> Vec<(String, Roff)> {
    let mut sections: Vec<(String, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        let heading = line
            .strip_suffix(':')
            .filter(|h| !h.is_empty() && !line.starts_with(' '));
        match (heading, sections.last_mut()) {
            (Some(heading), _) => sections.push((heading.to_uppercase(), Vec::new())),
            (None, Some((_, lines))) => lines.push(line),
            (None, None) => sections.push(("NOTES".into(), vec![line])),
        }
    }
    sections
        .into_iter()
        .map(|(heading, lines)| {
            let mut roff = Roff::new();
            let mut block: Vec<&str> = Vec::new();
            for line in lines {
                if let Some(indented) = line.strip_prefix("  ") {
                    block.push(indented);
                    continue;
                }
                if !block.is_empty() {
                    code(&mut roff, &block);
                    block.clear();
                }
                if !line.trim().is_empty() {
                    roff.control("PP", []);
                    roff.text([roman(line)]);
                }
            }
            if !block.is_empty() {
                code(&mut roff, &block);
            }
            (heading, roff)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_page_and_help_has_none() {
        let names: Vec<String> = man_pages().into_iter().map(|(name, _)| name).collect();
        assert_eq!(
            names,
            [
                "latch.1",
                "latch-register.1",
                "latch-login.1",
                "latch-logout.1",
                "latch-whoami.1",
                "latch-passwd.1",
                "latch-users.1",
                "latch-users-list.1",
                "latch-users-show.1",
                "latch-users-disable.1",
                "latch-users-enable.1",
                "latch-users-delete.1",
                "latch-users-set-password.1",
                "latch-users-unlock.1",
                "latch-users-admin.1",
                "latch-users-admin-grant.1",
                "latch-users-admin-revoke.1",
                "latch-history.1",
                "latch-policy.1",
                "latch-policy-show.1",
                "latch-policy-set.1",
                "latch-policy-calibrate.1",
                "latch-sessions.1",
                "latch-sessions-list.1",
                "latch-sessions-revoke.1",
                "latch-import.1",
                "latch-export.1",
                "latch-completions.1",
            ]
        );
    }

    #[test]
    fn the_preamble_is_written_once() {
        for (name, page) in man_pages() {
            let page = String::from_utf8(page).expect("UTF-8");
            assert_eq!(page.matches(".ds Aq").count(), 2, "{name}");
            assert_eq!(page.matches(".TH ").count(), 1, "{name}");
        }
    }

    #[test]
    fn after_long_help_becomes_sections() {
        let sections = after_help_sections("Examples:\n  latch a\n  latch b\nNote:\n  x");
        let headings: Vec<&str> = sections.iter().map(|(h, _)| h.as_str()).collect();
        assert_eq!(headings, ["EXAMPLES", "NOTE"]);
        let examples = sections[0].1.to_roff();
        assert!(
            examples.contains(".nf\nlatch a\nlatch b\n.fi"),
            "{examples}"
        );
    }
}
