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
//! Only the binary: the tests and benchmarks link as Rust links them.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!(
            "cargo::rustc-link-arg-bins=-Wl,--push-state,--whole-archive,-l:libgcc_eh.a,--pop-state"
        );
    }
}
