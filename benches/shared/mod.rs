//! What more than one benchmark needs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A store of `users` users in `dir`, named `name`, made through
/// `benches/make-store.sh` (register + import) with this build's latch.
pub fn make_store(dir: &Path, name: &str, users: u32) -> PathBuf {
    let db = dir.join(format!("{name}.db"));
    let status = Command::new("benches/make-store.sh")
        .arg(&db)
        .arg(users.to_string())
        .env("LATCH", env!("CARGO_BIN_EXE_latch"))
        .stdout(Stdio::null())
        .status()
        .expect("benches/make-store.sh");
    assert!(status.success(), "making the {name} store failed");
    db
}
