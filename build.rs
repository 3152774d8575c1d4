//! Links the unwinder into the `latch` binary on Linux with glibc.
//!
//! Rust's standard library asks for `libgcc_s.so.1` for unwinding. Loading
//! it costs every latch process a shared library (mapped, relocated,
//! looked up) and its constructor, which queries the processor with
//! `cpuid`, an instruction that is slow under virtualization. Together that
//! was 0.15 ms of `latch --version` on the benchmark machine. Linking the
//! same unwinder from GCC's static `libgcc_eh.a` instead defines its symbols
//! in the binary, and the linker (which passes only needed libraries on)
//! then drops `libgcc_s`. Panics unwind as before: `main` still catches one
//! and prints one line.
//!
//! Only the binary: the tests and benchmarks link as Rust links them. Where
//! the C compiler that links knows no `libgcc_eh.a`, nothing changes.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=RUSTC_LINKER");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os != "linux" || env != "gnu" {
        return;
    }
    if let Some(unwinder) = static_unwinder() {
        println!(
            "cargo::rustc-link-arg-bins=-Wl,--push-state,--whole-archive,{},--pop-state",
            unwinder.display()
        );
    }
}

/// Where the linking C compiler keeps `libgcc_eh.a`, if it has one.
fn static_unwinder() -> Option<PathBuf> {
    let linker = std::env::var("RUSTC_LINKER").unwrap_or_else(|_| "cc".to_owned());
    let output = Command::new(linker)
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .ok()?;
    // Without the file, the compiler prints the bare name back. A comma
    // would split the `-Wl,` list the path goes into.
    let text = String::from_utf8(output.stdout).ok()?;
    let path = PathBuf::from(text.trim());
    let usable = output.status.success() && path.is_absolute() && path.is_file();
    (usable && !text.contains(',')).then_some(path)
}
