//! `latch completions`: print the completion script of a shell.
//!
//! Needs neither the account store nor a token store, so it works with no
//! HOME and no keyring (in a package build, a container, a CI job).

use std::io::Write;

use clap::Args;
use clap_complete::Shell;

use crate::docs;
use crate::error::Result;

/// Print the completion script for a shell
///
/// The script goes to standard output: save it where the shell looks for
/// completions, as in the examples, or load it when the shell starts. It needs
/// no account store and no keyring. The completions/ directory of latch's
/// source holds the same scripts.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
    latch completions bash > ~/.local/share/bash-completion/completions/latch\n  \
    latch completions zsh > ~/.zfunc/_latch    # with fpath=(~/.zfunc $fpath) in ~/.zshrc\n  \
    latch completions fish > ~/.config/fish/completions/latch.fish")]
pub struct CompletionsArgs {
    /// The shell to complete latch's commands and options in
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

pub fn run(args: &CompletionsArgs) -> Result<()> {
    let script = docs::completion(args.shell);
    let mut out = std::io::stdout().lock();
    // A closed pipe (`latch completions bash | head`) is not an error.
    out.write_all(&script)
        .and_then(|()| out.flush())
        .map_err(crate::output::stdout_error)
}
