//! The files latch writes: `Output`, the one way a path a user named is
//! written (`export --output`), and `shared_directory`, the rule for a
//! directory that holds one of latch's private files (the store, the token
//! file).
//!
//! An output path is written as a shell redirection would write it, except
//! that a regular file is never written in place: a new 0600 file is made
//! beside it and renamed over it when complete, so it is never half-written,
//! never readable by others, and never written through a symbolic link (the
//! link itself is replaced). A device, a FIFO or a socket is opened and
//! written to, never replaced; `-` and `/dev/stdout` are standard output.
//! Nothing here decides what is written.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::STDOUT;

/// A place to write a command's output to; `finish` completes it.
pub struct Output {
    writer: BufWriter<Sink>,
    /// For a regular file: the temporary beside it, renamed over it by `finish`.
    replace: Option<(PathBuf, PathBuf)>,
    name: String,
}

enum Sink {
    Stdout(std::io::Stdout),
    File(File),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(out) => out.write(buf),
            Sink::File(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(out) => out.flush(),
            Sink::File(file) => file.flush(),
        }
    }
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output").field("name", &self.name).finish()
    }
}

impl Output {
    /// Standard output.
    pub fn stdout() -> Output {
        Output {
            writer: BufWriter::with_capacity(256 * 1024, Sink::Stdout(std::io::stdout())),
            replace: None,
            name: STDOUT.to_owned(),
        }
    }

    /// `path`, as the module's head says: `-` and `/dev/stdout` are standard
    /// output, `/dev/fd/N` (and `/proc/self/fd/N`) descriptor N, a device,
    /// FIFO or socket is opened for writing, and anything else (a regular
    /// file, a link, nothing) is replaced by a new 0600 file when `finish`
    /// is called. Opening a FIFO waits for its reader, as a shell does.
    pub fn open(path: &Path) -> Result<Output> {
        let name = path.display().to_string();
        let fail = |e: &std::io::Error| Error::write_failed(e, &name);
        let text = path.as_os_str();
        if text == "-" || text == "/dev/stdout" {
            return Ok(Output::stdout());
        }
        if let Some(fd) = descriptor(path) {
            // SAFETY: dup only reads the descriptor table; a number that is
            // not open fails with EBADF.
            let copy = unsafe { libc::dup(fd) };
            if copy < 0 {
                return Err(fail(&std::io::Error::last_os_error()));
            }
            // SAFETY: `copy` is a new descriptor this process owns alone.
            let file = File::from(unsafe { OwnedFd::from_raw_fd(copy) });
            return Ok(Output::to(Sink::File(file), None, name));
        }
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => Err(Error::Output {
                target: name,
                cause: "it is a directory".into(),
            }),
            Ok(meta) if !meta.is_file() => {
                // A device, FIFO or socket: written to, as `>` would.
                let file = OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| fail(&e))?;
                Ok(Output::to(Sink::File(file), None, name))
            }
            Ok(_) => Output::replacing(path, name),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Output::replacing(path, name),
            Err(e) => Err(fail(&e)),
        }
    }

    fn to(sink: Sink, replace: Option<(PathBuf, PathBuf)>, name: String) -> Output {
        Output {
            writer: BufWriter::with_capacity(256 * 1024, sink),
            replace,
            name,
        }
    }

    /// A new 0600 file beside `path`, to be renamed over it.
    fn replacing(path: &Path, name: String) -> Result<Output> {
        let temporary = temporary_beside(path);
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temporary)
            .map_err(|e| Error::write_failed(&e, &name))?;
        Ok(Output::to(
            Sink::File(file),
            Some((temporary, path.to_owned())),
            name,
        ))
    }

    /// What messages call this output: "standard output" or the path.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The writer to write the output to.
    pub fn writer(&mut self) -> &mut dyn Write {
        &mut self.writer
    }

    /// Flushes everything, and puts a replacing file in its place.
    pub fn finish(mut self) -> Result<()> {
        let name = self.name.clone();
        let fail = |e: &std::io::Error| Error::write_failed(e, &name);
        self.writer.flush().map_err(|e| fail(&e))?;
        if let Some((temporary, target)) = self.replace.take() {
            let result = match self.writer.get_ref() {
                Sink::File(file) => file.sync_all(),
                Sink::Stdout(_) => Ok(()),
            }
            .and_then(|()| fs::rename(&temporary, &target));
            if let Err(e) = result {
                let _ = fs::remove_file(&temporary);
                return Err(fail(&e));
            }
        }
        Ok(())
    }
}

impl Drop for Output {
    /// An output never finished leaves no temporary file behind.
    fn drop(&mut self) {
        if let Some((temporary, _)) = self.replace.take() {
            let _ = fs::remove_file(temporary);
        }
    }
}

/// The descriptor `/dev/fd/N` or `/proc/self/fd/N` names, as bash reads
/// them in a redirection.
fn descriptor(path: &Path) -> Option<i32> {
    let text = path.to_str()?;
    let number = text
        .strip_prefix("/dev/fd/")
        .or_else(|| text.strip_prefix("/proc/self/fd/"))?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number.parse().ok()
}

/// `DIR/.NAME.latch-export-PID`: in the target's directory, so that the
/// rename stays on one file system.
fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.latch-export-{}", std::process::id()))
}

/// The mode of `dir` when users other than its owner may write to it and
/// its sticky bit is off: they could then replace the private file it holds.
/// `None` when it is safe, or does not exist (latch creates it 0700).
pub fn shared_directory(dir: &Path) -> Option<u32> {
    let mode = fs::metadata(dir).ok()?.permissions().mode();
    (mode & 0o022 != 0 && mode & 0o1000 == 0).then_some(mode & 0o7777)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptor_paths_are_read_as_bash_reads_them() {
        assert_eq!(descriptor(Path::new("/dev/fd/3")), Some(3));
        assert_eq!(descriptor(Path::new("/proc/self/fd/12")), Some(12));
        assert_eq!(descriptor(Path::new("/dev/fd/")), None);
        assert_eq!(descriptor(Path::new("/dev/fd/1x")), None);
        assert_eq!(descriptor(Path::new("/dev/full")), None);
    }

    #[test]
    fn a_shared_directory_without_the_sticky_bit_is_found() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("d");
        fs::create_dir(&path).expect("mkdir");
        for (mode, shared) in [
            (0o700, None),
            (0o755, None),
            (0o777, Some(0o777)),
            (0o775, Some(0o775)),
            (0o1777, None),
        ] {
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).expect("chmod");
            assert_eq!(shared_directory(&path), shared, "{mode:o}");
        }
        assert_eq!(shared_directory(&dir.path().join("missing")), None);
    }
}
