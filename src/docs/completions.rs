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
    clap_complete::generate(shell, &mut Cli::command(), BIN, &mut script);
    script
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
