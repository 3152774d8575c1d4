//! Generated files kept in the repository (man pages, completions, help
//! and JSON snapshots): compared with what latch generates now, rewritten
//! under `UPDATE_DOCS=1`.

use std::path::Path;

/// The one command that rewrites every generated document.
const UPDATE: &str =
    "UPDATE_DOCS=1 scripts/test-env cargo test --test integration -- docs:: json_shapes::";

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Compares the files of `dir` (relative to the crate) with `expected`, which
/// is every file the directory should hold. Under `UPDATE_DOCS=1` it rewrites
/// the files that differ and removes the ones no longer generated; otherwise
/// it fails naming them, and the command that rewrites them.
#[track_caller]
pub fn ensure_dir(dir: &str, expected: &[(String, Vec<u8>)]) {
    let update = update_requested();
    let path = root().join(dir);
    let mut stale = Vec::new();
    for (name, contents) in expected {
        let file = path.join(name);
        let committed = std::fs::read(&file).ok();
        if committed.as_deref() == Some(contents.as_slice()) {
            continue;
        }
        stale.push(format!(
            "{dir}/{name}: {}",
            describe_difference(committed.as_deref(), contents)
        ));
        if update {
            std::fs::create_dir_all(&path).expect(dir);
            std::fs::write(&file, contents).expect(name);
        }
    }
    let entries = std::fs::read_dir(&path).into_iter().flatten();
    for entry in entries {
        let entry = entry.expect(dir);
        let name = entry.file_name().to_string_lossy().into_owned();
        if !expected.iter().any(|(expected, _)| *expected == name) {
            stale.push(format!("{dir}/{name}: no longer generated"));
            if update {
                std::fs::remove_file(entry.path()).expect(&name);
            }
        }
    }
    if update {
        for line in &stale {
            eprintln!("updated {line}");
        }
    } else {
        assert!(
            stale.is_empty(),
            "generated files are out of date:\n  {}\nrewrite them with:\n  {UPDATE}",
            stale.join("\n  ")
        );
    }
}

/// Compares the lines between `<!-- NAME:begin -->` and `<!-- NAME:end -->`
/// in `file` with `expected`; under `UPDATE_DOCS=1` it rewrites them.
#[track_caller]
pub fn ensure_section(file: &str, name: &str, expected: &str) {
    let path = root().join(file);
    let text = std::fs::read_to_string(&path).expect(file);
    let (begin, end) = (
        format!("<!-- {name}:begin -->\n"),
        format!("<!-- {name}:end -->"),
    );
    let start = text.find(&begin).expect("the begin marker") + begin.len();
    let stop = start + text[start..].find(&end).expect("the end marker");
    let committed = &text[start..stop];
    if committed == expected {
        return;
    }
    if update_requested() {
        std::fs::write(
            &path,
            format!("{}{expected}{}", &text[..start], &text[stop..]),
        )
        .expect(file);
        eprintln!("updated {file}: {name}");
    } else {
        panic!(
            "{file}: the {name} section is out of date ({})\nrewrite it with:\n  {UPDATE}",
            describe_difference(Some(committed.as_bytes()), expected.as_bytes())
        );
    }
}

fn update_requested() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Where the committed file first differs from the generated one.
fn describe_difference(committed: Option<&[u8]>, generated: &[u8]) -> String {
    let Some(committed) = committed else {
        return "missing".into();
    };
    let committed = String::from_utf8_lossy(committed);
    let generated = String::from_utf8_lossy(generated);
    let mut old = committed.lines();
    let mut new = generated.lines();
    for number in 1.. {
        match (old.next(), new.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (None, None) => break,
            (a, b) => {
                return format!(
                    "line {number} is {:?}, should be {:?}",
                    a.unwrap_or("(end of file)"),
                    b.unwrap_or("(end of file)")
                );
            }
        }
    }
    "differs in its line endings".into()
}
