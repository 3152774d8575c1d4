//! The documents generated from the clap definition: man pages (clap_mangen,
//! `man`) and shell completion scripts (clap_complete, `completions`), with
//! the hand-written text of the man pages in `text`, and the plain-text
//! renderings of the exit status table (`help`: `--help`, README).
//!
//! The files in `man/` and `completions/` are exactly these bytes, and
//! `tests/docs.rs` checks that they are. Everything here depends on the clap
//! definition and the version alone: never on the clock, the environment or
//! the terminal, so that regenerating is deterministic.

mod completions;
pub mod help;
mod man;
mod text;

pub use completions::{SHELLS, completion, completions};
pub use man::{MAN_DATE, man_pages};

/// The program's name, as the pages and scripts call it.
const BIN: &str = "latch";
