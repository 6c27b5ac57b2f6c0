//! Where a command's output goes: standard output, or the file `--output` names, written so
//! that nothing the name points at is destroyed.
//!
//! - A regular file (or a name not yet taken) is written beside itself, to a hidden
//!   `.NAME.XXXXXX.partial`, and renamed over it once whole: a script never picks up half a
//!   report, and a failed run leaves the earlier one as it was, with its permissions. It is
//!   written on a thread of its own, large blocks past the page cache (see `large_file`).
//! - A symlink is followed: its target is written, the same way, in the target's folder.
//! - What is not a regular file (a device such as `/dev/null`, a FIFO) is opened and written
//!   in place, as a shell's `>` does; a write error (`/dev/full`) is the command's failure.
//! - A file the command reads (an input, the scheme, a records file, a profile, a calendar,
//!   the indicator map) is refused as the output, by device and inode, whatever path names
//!   it.
//!
//! The partial file is removed when the run fails, and when it is interrupted (Ctrl-C,
//! SIGTERM, SIGHUP: exit 130); only a kill that no process can see (SIGKILL) leaves it.

use std::fs::{self, OpenOptions, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use tempfile::NamedTempFile;

use super::large_file::LargeFile;
use crate::fail::Failure;

/// The exit status of a run interrupted by a signal, as shells report Ctrl-C.
const INTERRUPTED: i32 = 130;

/// A file the command reads, which its output must never replace.
#[derive(Debug, Clone, Copy)]
pub struct Protected<'a> {
    pub path: &'a Path,
    /// What the file is to the command, for the message: `an input`, `the scheme`, …
    pub role: &'static str,
}

impl<'a> Protected<'a> {
    pub fn new(path: &'a Path, role: &'static str) -> Protected<'a> {
        Protected { path, role }
    }
}

/// Where the output goes, chosen (and a file begun) before the work, so that a long run
/// never ends in a refusal it could have made at the start.
#[derive(Debug)]
pub enum Destination {
    Stdout,
    File {
        /// The path as given, for messages.
        path: PathBuf,
        target: Target,
    },
}

#[derive(Debug)]
pub enum Target {
    /// Not a regular file: written as it is.
    InPlace(PathBuf),
    /// A regular file, or none yet: written beside it and renamed over it.
    Replace { target: PathBuf, partial: Partial },
}

impl Destination {
    /// Standard output without `output`; else the file, checked against the files the
    /// command reads, with its partial file begun when it is to be replaced.
    pub fn open(
        output: Option<&Path>,
        protected: &[Protected<'_>],
    ) -> Result<Destination, Failure> {
        let Some(path) = output else {
            return Ok(Destination::Stdout);
        };
        let failure = |error| Failure::Write {
            target: path.display().to_string(),
            error,
        };
        refuse_own_files(path, protected)?;
        let target = follow_links(path).map_err(failure)?;
        let target = match fs::metadata(&target) {
            Ok(meta) if meta.is_dir() => {
                return Err(failure(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "it is a folder",
                )));
            }
            Ok(meta) if !meta.is_file() => Target::InPlace(target),
            Ok(meta) => Target::Replace {
                partial: Partial::beside(&target, Some(meta.permissions())).map_err(failure)?,
                target,
            },
            Err(error) if error.kind() == io::ErrorKind::NotFound => Target::Replace {
                partial: Partial::beside(&target, None).map_err(failure)?,
                target,
            },
            Err(error) => return Err(failure(error)),
        };
        Ok(Destination::File {
            path: path.to_path_buf(),
            target,
        })
    }

    /// Writes the output with `write`, whole or not at all where the target allows.
    pub fn write_with(
        self,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Failure> {
        match self {
            Destination::Stdout => {
                let mut stdout = io::stdout().lock();
                write(&mut stdout)
                    .and_then(|()| stdout.flush())
                    .map_err(|error| Failure::Write {
                        target: "standard output".into(),
                        error,
                    })
            }
            Destination::File { path, target } => {
                let failure = |error| Failure::Write {
                    target: path.display().to_string(),
                    error,
                };
                match target {
                    Target::InPlace(target) => OpenOptions::new()
                        .write(true)
                        .open(&target)
                        .and_then(|mut file| {
                            write(&mut file)?;
                            file.flush()
                        })
                        .map_err(failure),
                    Target::Replace { target, partial } => {
                        partial.write_and_rename(&target, write).map_err(failure)
                    }
                }
            }
        }
    }

    /// [`Destination::write_with`] of an output written by a command's own steps, which may
    /// fail for other reasons than writing (an input that cannot be read half-way): the
    /// output is then left as it was, and that failure is the command's.
    pub fn write_through(
        self,
        write: impl FnOnce(&mut dyn Write) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let mut stopped = None;
        let written = self.write_with(|out| {
            write(out).map_err(|failure| {
                let error = match &failure {
                    Failure::Write { error, .. } => io::Error::new(error.kind(), error.to_string()),
                    _ => io::Error::other("stopped"),
                };
                stopped = Some(failure);
                error
            })
        });
        match (written, stopped) {
            (Ok(()), _) => Ok(()),
            // A failure to write is the destination's to name.
            (Err(failure @ Failure::Write { .. }), Some(Failure::Write { .. })) => Err(failure),
            (Err(_), Some(failure)) => Err(failure),
            (Err(failure), None) => Err(failure),
        }
    }

    /// [`Destination::write_with`] of bytes already rendered.
    pub fn write(self, bytes: &[u8]) -> Result<(), Failure> {
        self.write_with(|out| out.write_all(bytes))
    }

    /// Whether the output goes to standard output.
    pub fn is_stdout(&self) -> bool {
        matches!(self, Destination::Stdout)
    }
}

/// The output must not be a file the command reads: it would be destroyed by the output.
fn refuse_own_files(output: &Path, protected: &[Protected<'_>]) -> Result<(), Failure> {
    for file in protected {
        if file.path.as_os_str() == "-" || !same_file(output, file.path) {
            continue;
        }
        let which = if output == file.path {
            String::new()
        } else {
            format!(" ({}, the same file)", file.path.display())
        };
        return Err(Failure::Usage(format!(
            "--output {} is {}{which}: writing the output there would destroy it; \
             choose another file",
            output.display(),
            file.role
        )));
    }
    Ok(())
}

/// Whether two paths name one regular file (through links, hard or symbolic). What is not a
/// regular file cannot be overwritten by the output, and is never refused.
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.is_file() && b.is_file() && a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b && a.is_file(),
        _ => false,
    }
}

/// The path a chain of symlinks ends at, whether or not a file is there yet.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    // As many links as the kernel follows before it gives up (ELOOP).
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&path)?;
                // A relative link is relative to the folder of the link.
                path = match path.parent() {
                    Some(parent) => parent.join(link),
                    None => link,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The output being written beside its target; removed unless renamed over it.
#[derive(Debug)]
pub struct Partial {
    file: NamedTempFile,
    /// Removes the file from those an interruption removes, once it is renamed or gone.
    _pending: pending::Entry,
}

impl Partial {
    fn beside(target: &Path, permissions: Option<Permissions>) -> io::Result<Partial> {
        let folder = match target.parent() {
            Some(folder) if !folder.as_os_str().is_empty() => folder,
            _ => Path::new("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".partial");
        // A new report is made as any new file is (0666 less the umask); tempfile's own
        // default is private.
        #[cfg(unix)]
        if permissions.is_none() {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(Permissions::from_mode(0o666));
        }
        let (file, entry) = pending::Entry::create(|| builder.tempfile_in(folder))?;
        // The report replaced keeps the permissions its owner gave it.
        if let Some(permissions) = permissions {
            file.as_file().set_permissions(permissions)?;
        }
        Ok(Partial {
            file,
            _pending: entry,
        })
    }

    /// Writes the file and renames it over `target`; on failure the file is removed.
    fn write_and_rename(
        self,
        target: &Path,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut out = LargeFile::new(self.file.as_file().try_clone()?, self.file.path());
        write(&mut out)?;
        out.finish()?;
        self.file.persist(target).map(drop).map_err(|e| e.error)
    }
}

/// Partial files to remove when the run is interrupted.
mod pending {
    use super::*;

    static FILES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    static HANDLER: Once = Once::new();

    /// A partial file an interruption removes, for as long as the entry lives.
    #[derive(Debug)]
    pub struct Entry(PathBuf);

    impl Entry {
        /// Makes the partial file with `create`, entered before an interruption can look:
        /// the handler waits for the list while the file is made.
        pub fn create(
            create: impl FnOnce() -> io::Result<NamedTempFile>,
        ) -> io::Result<(NamedTempFile, Entry)> {
            install_handler();
            let mut files = files();
            let file = create()?;
            files.push(file.path().to_path_buf());
            let entry = Entry(file.path().to_path_buf());
            Ok((file, entry))
        }
    }

    impl Drop for Entry {
        fn drop(&mut self) {
            files().retain(|p| *p != self.0);
        }
    }

    fn install_handler() {
        HANDLER.call_once(|| {
            // Without a handler (another was set first), an interrupted run leaves its
            // partial file, as before; nothing else changes.
            let _ = ctrlc::set_handler(|| {
                for path in files().drain(..) {
                    let _ = fs::remove_file(path);
                }
                std::process::exit(INTERRUPTED);
            });
        });
    }

    pub(super) fn files() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
        FILES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_to_where_they_end_even_when_nothing_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        std::os::unix::fs::symlink("real.csv", dir.path().join("a")).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert_eq!(follow_links(&dir.path().join("b")).unwrap(), real);
        std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
        assert!(follow_links(&dir.path().join("loop")).is_err());
    }

    #[test]
    fn a_failed_write_removes_its_partial_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.md");
        let destination = Destination::open(Some(&path), &[]).unwrap();
        let partial = match &destination {
            Destination::File {
                target: Target::Replace { partial, .. },
                ..
            } => partial.file.path().to_path_buf(),
            other => panic!("{other:?}"),
        };
        assert!(partial.exists());
        let name = partial.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(".report.md.") && name.ends_with(".partial"),
            "{name}"
        );
        let failed = destination.write_with(|out| {
            out.write_all(b"half")?;
            Err(io::Error::other("disk gone"))
        });
        assert!(matches!(failed, Err(Failure::Write { .. })));
        assert!(!partial.exists());
        assert!(!path.exists());
        assert!(!pending::files().contains(&partial));
    }
}
