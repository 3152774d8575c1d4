//! The man pages (clap_mangen): clap's sections of each page, then the
//! hand-written ones of `text`, put together byte for byte as `man/` holds
//! them. Never reads the clock or the environment.

use clap::{CommandFactory, FromArgMatches};
use clap_mangen::Man;
use clap_mangen::roff::{Inline, Roff, bold, roman};

use super::BIN;
use super::text;
use crate::cli::{Cli, Command};

/// The date printed in every man page: the last change that mattered to
/// them. A fixed date, so that regenerating the pages gives the same bytes.
pub const MAN_DATE: &str = "2026-11-24";

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
        let top = parsed(command);
        add_pages(command, BIN, &top, &mut pages);
    }
    pages
}

/// The `Command` that clap parses for the top-level `command`, from a
/// command line made to satisfy it: so that the exit statuses are found by
/// the command's variant, never by its name.
fn parsed(command: &clap::Command) -> Command {
    let mut args = vec![BIN.to_owned()];
    invocation(command, &mut args);
    // Without the `env` fallbacks, so that LATCH_TOKEN_STORE and the like in
    // the environment cannot change what is parsed.
    let parsed = Cli::command()
        .mut_args(|arg| arg.env(None::<&str>))
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    match parsed {
        Ok(cli) => cli.command,
        Err(e) => panic!("the man pages cannot parse {args:?}: {e}"),
    }
}

/// Appends `command`'s name, a value for each argument it requires (its
/// first possible value, or `1`), and likewise its first subcommand if it
/// has any.
fn invocation(command: &clap::Command, args: &mut Vec<String>) {
    args.push(command.get_name().to_owned());
    for arg in command.get_arguments().filter(|arg| arg.is_required_set()) {
        if let Some(long) = arg.get_long() {
            args.push(format!("--{long}"));
        }
        let value = arg
            .get_possible_values()
            .first()
            .map_or_else(|| "1".to_owned(), |value| value.get_name().to_owned());
        args.push(value);
    }
    if let Some(sub) = command
        .get_subcommands()
        .find(|sub| sub.get_name() != "help")
    {
        invocation(sub, args);
    }
}

/// The page of `command` (named after `parent`), then those of its
/// subcommands. `top` is the top-level command, whose exit statuses they share.
fn add_pages(
    command: &clap::Command,
    parent: &str,
    top: &Command,
    pages: &mut Vec<(String, Vec<u8>)>,
) {
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
    page.section("EXIT STATUS", text::exit_status_all());
    page.section("ENVIRONMENT", text::environment());
    page.section("FILES", text::files());
    page.section("SECURITY", text::security());
    page.section("JSON", text::json_errors());
    page.section("EXAMPLES", text::examples());
    page.section("SEE ALSO", see_also_root(commands));
    page.finish()
}

/// `latch-<command>.1`: clap's sections, the command's exit statuses, its
/// examples (from its `after_long_help`), and a pointer to `latch(1)`.
fn command_page(command: &clap::Command, name: &str, top: &Command, parent: &str) -> Vec<u8> {
    let mut page = Page::new(command, name);
    page.clap_sections(false);
    page.section("EXIT STATUS", text::exit_status_of(top));
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
                    text::code(&mut roff, &block);
                    block.clear();
                }
                if !line.trim().is_empty() {
                    roff.control("PP", []);
                    roff.text([roman(line)]);
                }
            }
            if !block.is_empty() {
                text::code(&mut roff, &block);
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
                "latch-users-reset-mfa.1",
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
                "latch-store.1",
                "latch-store-copy.1",
                "latch-mfa.1",
                "latch-mfa-enable.1",
                "latch-mfa-confirm.1",
                "latch-mfa-disable.1",
                "latch-mfa-status.1",
                "latch-mfa-recovery-codes.1",
                "latch-verify.1",
                "latch-completions.1",
            ]
        );
    }

    /// Each top-level command's page takes the exit statuses of its own
    /// variant of `Command`, found by parsing, not by its name.
    #[test]
    fn each_command_is_parsed_to_its_own_variant() {
        let root = built(Cli::command());
        for command in root.get_subcommands() {
            let variant = format!("{:?}", parsed(command));
            let name: String = command
                .get_name()
                .split('-')
                .map(|word| word[..1].to_uppercase() + &word[1..])
                .collect();
            assert!(
                variant.starts_with(&format!("{name}(")),
                "{name}: {variant}"
            );
        }
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
