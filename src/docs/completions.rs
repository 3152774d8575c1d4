//! The shell completion scripts (clap_complete) that `completions/` holds
//! and `latch completions SHELL` prints. Never reads anything but the clap
//! definition.

use clap::CommandFactory;
use clap_complete::Shell;

use super::BIN;
use crate::cli::Cli;

/// The shells `latch completions` writes scripts for, in file order.
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::Elvish,
    Shell::PowerShell,
];

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
