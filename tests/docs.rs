//! The generated documents are up to date: the man pages in `man/`, the
//! completion scripts in `completions/`, the `--help` snapshots in
//! `tests/snapshots/help/` (and, through `ensure_dir`, the JSON shapes in
//! `tests/snapshots/json/`, made by `json_shapes`). Each is generated in memory and compared with the
//! committed file; a difference fails with the command that rewrites them all:
//!
//!     UPDATE_DOCS=1 scripts/test-env cargo test --test integration -- docs:: json_shapes::
//!
//! The help snapshots are what the binary prints; the other tests check that
//! `latch completions` prints the committed scripts, with no HOME or keyring.

use clap::CommandFactory;
use latch::cli::Cli;

use crate::util::Env;
use crate::util::snapshots::{ensure_dir, ensure_section, root};

/// The width the help snapshots are rendered at.
const COLUMNS: usize = 100;

#[test]
fn man_pages_are_up_to_date() {
    ensure_dir("man", &latch::docs::man_pages());
}

#[test]
fn completions_are_up_to_date() {
    ensure_dir("completions", &latch::docs::completions());
}

#[test]
fn help_snapshots_are_up_to_date() {
    let snapshots: Vec<(String, Vec<u8>)> = help_invocations()
        .into_iter()
        .map(|(name, args)| (name, help_output(&args).into_bytes()))
        .collect();
    ensure_dir("tests/snapshots/help", &snapshots);
}

/// `latch help COMMAND` prints the long help, as `latch COMMAND --help` does.
#[test]
fn help_command_prints_the_long_help() {
    for (_, args) in help_invocations() {
        if let [command, flag] = args.as_slice()
            && flag == "--help"
        {
            assert_eq!(
                help_output(&["help", command.as_str()]),
                help_output(&args),
                "latch help {command}"
            );
        }
    }
}

/// `latch completions SHELL` needs no HOME, no store and no keyring, and
/// prints the committed script byte for byte.
#[test]
fn completions_work_without_home_or_keyring() {
    for (file, script) in latch::docs::completions() {
        let shell = match file.as_str() {
            "latch.bash" => "bash",
            "_latch" => "zsh",
            "latch.fish" => "fish",
            "latch.elv" => "elvish",
            "_latch.ps1" => "powershell",
            other => panic!("a completion file for an unknown shell: {other}"),
        };
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_latch"));
        command.args(["completions", shell]).env_clear();
        let output = command.output().expect("run latch");
        assert_eq!(output.status.code(), Some(0), "{shell}: {output:?}");
        assert!(output.stderr.is_empty(), "{shell}: {output:?}");
        assert!(output.stdout == script, "{shell}: differs from {file}");
        let committed = std::fs::read(root().join("completions").join(&file)).expect(&file);
        assert!(output.stdout == committed, "{shell}: differs from {file}");
    }
}

#[test]
fn completions_of_an_unknown_shell_is_a_usage_error() {
    let env = Env::new();
    env.run(&["completions", "tcsh"], None)
        .code(2)
        .no_panic()
        .stdout("")
        .stderr_has("latch: error: invalid value 'tcsh' for '<SHELL>'");
    env.run(&["completions"], None)
        .code(2)
        .stderr_has("<SHELL>");
}

/// Every completion script names every command.
#[test]
fn completions_know_every_command() {
    for (file, script) in latch::docs::completions() {
        let script = String::from_utf8(script).expect("UTF-8");
        for command in ["register", "login", "logout", "whoami", "completions"] {
            assert!(script.contains(command), "{file} lacks {command}");
        }
    }
}

/// README's exit status table is the one `error::ExitStatus` declares,
/// between the two marker lines.
#[test]
fn readme_exit_status_table_is_the_table() {
    ensure_section(
        "README.md",
        "exit-status",
        &latch::docs::help::exit_status_markdown(),
    );
}

/// Every page has the sections a reader looks for.
#[test]
fn man_pages_have_their_sections() {
    for (name, page) in latch::docs::man_pages() {
        let page = String::from_utf8(page).expect("UTF-8");
        let mut sections = vec![
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "\"EXIT STATUS\"",
            "\"SEE ALSO\"",
        ];
        if name == "latch.1" {
            sections.extend(["COMMANDS", "ENVIRONMENT", "FILES", "SECURITY", "EXAMPLES"]);
        }
        for section in sections {
            assert!(
                page.contains(&format!("\n.SH {section}\n")),
                "{name} lacks {section}"
            );
        }
        assert!(
            page.contains(&format!(
                ".TH {} 1 {}",
                name.trim_end_matches(".1").to_uppercase(),
                latch::docs::MAN_DATE
            )),
            "{name} has another title line"
        );
    }
}

/// Each help snapshot: its file name and the arguments that print it.
/// `latch.txt` is `latch --help`, `latch.short.txt` is `latch -h`, and so on
/// for each command (`help` aside).
fn help_invocations() -> Vec<(String, Vec<String>)> {
    let mut invocations = vec![
        ("latch.txt".to_owned(), vec!["--help".to_owned()]),
        ("latch.short.txt".to_owned(), vec!["-h".to_owned()]),
    ];
    // Built, so that every command's arguments and subcommands are there.
    let mut command = Cli::command();
    command.build();
    add_subcommands(&command, &[], &mut invocations);
    invocations
}

/// Every subcommand of `command`, however deep (`users admin grant`), named
/// `latch-users-admin-grant.txt`.
fn add_subcommands(
    command: &clap::Command,
    path: &[String],
    invocations: &mut Vec<(String, Vec<String>)>,
) {
    for sub in command
        .get_subcommands()
        .filter(|sub| sub.get_name() != "help")
    {
        let mut words = path.to_vec();
        words.push(sub.get_name().to_owned());
        for (suffix, flag) in [("txt", "--help"), ("short.txt", "-h")] {
            let mut args = words.clone();
            args.push(flag.to_owned());
            invocations.push((format!("latch-{}.{suffix}", words.join("-")), args));
        }
        add_subcommands(sub, &words, invocations);
    }
}

/// What `latch ARGS` prints, at `COLUMNS` columns, with no other setting from
/// the environment (help shows the values of LATCH_DB and LATCH_TOKEN_STORE).
fn help_output<S: AsRef<std::ffi::OsStr> + std::fmt::Debug>(args: &[S]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_latch"))
        .args(args)
        .env_clear()
        .env("COLUMNS", COLUMNS.to_string())
        .output()
        .expect("run latch");
    assert_eq!(output.status.code(), Some(0), "latch {args:?}: {output:?}");
    assert!(output.stderr.is_empty(), "latch {args:?}: {output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 help")
}
