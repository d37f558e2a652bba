//! Output files that appear whole or not at all, without clobbering special files.
//!
//! An ordinary output is written to a temporary file beside the target and renamed over it when
//! complete, so an error never leaves a partial file. That rename must not happen when the target
//! is not a regular file: renaming over `/dev/null`, a FIFO or a terminal would replace the device
//! with a plain file (and a machine whose `/dev/null` is a plain file breaks every program that
//! reads it as empty input). Such targets are written in place instead; a symbolic link to a
//! regular file has its target replaced, not the link.
//!
//! A command with several outputs prepares all of them up front with [`OutputSet`]: each path
//! is checked before any work (its directory exists, it is not a directory, it is not one of the
//! command's inputs or another output, through links), written to its temporary file, and the
//! temporary files are renamed into place only when every one of them was written.
//!
//! Every temporary file is registered while it exists, so a signal handler can delete them all
//! with [`remove_pending`] before the process exits (an interrupted run leaves no hidden
//! half-written snapshot behind).

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use tempfile::NamedTempFile;

/// Temporary files that exist now, by registration number.
static PENDING: Mutex<BTreeMap<u64, PathBuf>> = Mutex::new(BTreeMap::new());
static NEXT_PENDING: AtomicU64 = AtomicU64::new(0);

/// A temporary file's entry among the pending ones, removed when dropped.
#[derive(Debug)]
pub struct Registration(u64);

impl Registration {
    fn new(path: &Path) -> Registration {
        let key = NEXT_PENDING.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut pending) = PENDING.lock() {
            pending.insert(key, path.to_path_buf());
        }
        Registration(key)
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Ok(mut pending) = PENDING.lock() {
            pending.remove(&self.0);
        }
    }
}

/// Deletes every temporary output file that exists now, and returns a guard that keeps new
/// ones from being registered (hold it until the process exits). For signal handlers: call it,
/// then exit without running destructors.
pub fn remove_pending() -> impl Drop {
    let pending = PENDING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    for path in pending.values() {
        let _ = fs::remove_file(path);
    }
    pending
}

/// Where an output goes.
#[derive(Debug)]
pub enum OutFile {
    /// A temporary file, renamed to `target` by [`OutFile::commit`].
    Atomic {
        /// The temporary file, in the target's directory.
        tmp: NamedTempFile,
        /// The path it is renamed to (a symbolic link's resolved target).
        target: PathBuf,
        /// Its entry among the pending temporary files.
        registration: Registration,
    },
    /// An existing non-regular file (a device, FIFO or socket), opened for writing in place.
    Direct(File),
}

impl OutFile {
    /// Prepares to write `path`. `prefix` names the temporary file (`.clout-` say).
    ///
    /// The temporary file gets mode 0666 before the umask (what a plain new file gets), not
    /// tempfile's 0600.
    pub fn create(path: &Path, prefix: &str) -> io::Result<OutFile> {
        if let Ok(meta) = fs::metadata(path)
            && !meta.is_file()
        {
            if meta.is_dir() {
                return Err(io::Error::new(io::ErrorKind::IsADirectory, "it is a directory"));
            }
            let file = OpenOptions::new().write(true).open(path)?;
            return Ok(OutFile::Direct(file));
        }
        let target = match fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path)?,
            _ => path.to_path_buf(),
        };
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            let what = if dir.exists() { "is not a directory" } else { "does not exist" };
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("the directory {} {what}", dir.display()),
            ));
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let tmp = builder.tempfile_in(&dir)?;
        let registration = Registration::new(tmp.path());
        Ok(OutFile::Atomic { tmp, target, registration })
    }

    /// The file to write.
    pub fn file(&self) -> &File {
        match self {
            OutFile::Atomic { tmp, .. } => tmp.as_file(),
            OutFile::Direct(file) => file,
        }
    }

    /// True when the output is written in place (the target is not a regular file).
    pub fn is_direct(&self) -> bool {
        matches!(self, OutFile::Direct(_))
    }

    /// Finishes the output: renames the temporary file into place (after `sync_all` when `sync`
    /// is set). A direct output needs nothing more. Dropping an `OutFile` without committing
    /// deletes the temporary file.
    pub fn commit(self, sync: bool) -> io::Result<()> {
        match self {
            OutFile::Atomic { tmp, target, registration } => {
                if sync {
                    tmp.as_file().sync_all()?;
                }
                tmp.persist(&target).map_err(|e| e.error)?;
                drop(registration);
                Ok(())
            }
            OutFile::Direct(_) => Ok(()),
        }
    }
}

/// Why an output cannot be written.
#[derive(Debug)]
pub enum OutputError {
    /// The output is the same file as an input (same device and inode, through links).
    SameAsInput {
        /// The output as given.
        output: PathBuf,
        /// The input as given.
        input: PathBuf,
    },
    /// Two outputs are the same file.
    SameOutput {
        /// The first output as given.
        first: PathBuf,
        /// The second output as given.
        second: PathBuf,
    },
    /// The output cannot be created, written or moved into place.
    Io {
        /// The output as given.
        path: PathBuf,
        /// What was being done (`cannot create`, `cannot write`, `cannot move into place`).
        action: &'static str,
        /// The underlying error.
        source: io::Error,
    },
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::SameAsInput { output, input } => write!(
                f,
                "the output {} is the input {}; refusing to replace an input (choose another \
                 output path)",
                output.display(),
                input.display()
            ),
            OutputError::SameOutput { first, second } => write!(
                f,
                "two outputs name the same file: {} and {}",
                first.display(),
                second.display()
            ),
            OutputError::Io { path, action, source } => {
                write!(f, "{action} the output {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OutputError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Whether two paths name the same existing file (same device and inode, after links).
/// A path that does not exist is no file's alias.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(x), Ok(y)) => same_inode(&x, &y),
        _ => false,
    }
}

#[cfg(unix)]
fn same_inode(x: &fs::Metadata, y: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    x.dev() == y.dev() && x.ino() == y.ino()
}

#[cfg(not(unix))]
fn same_inode(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    false
}

/// Whether the path is a device, FIFO or socket (written in place, so it may be named twice:
/// `/dev/null` as two outputs is fine).
fn is_special(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// The outputs of one command, prepared before the work and committed together.
#[derive(Debug, Default)]
pub struct OutputSet {
    outputs: Vec<(PathBuf, Option<OutFile>)>,
}

/// A prepared output in an [`OutputSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputId(usize);

impl OutputSet {
    /// No outputs yet.
    pub fn new() -> Self {
        OutputSet::default()
    }

    /// Checks `path` against `inputs` and the outputs added so far, and creates its temporary
    /// file now, so a missing or unwritable directory is found before any work.
    pub fn add(&mut self, path: &Path, inputs: &[&Path]) -> Result<OutputId, OutputError> {
        for input in inputs {
            if same_file(path, input) && !is_special(path) {
                let (output, input) = (path.to_path_buf(), input.to_path_buf());
                return Err(OutputError::SameAsInput { output, input });
            }
        }
        for (earlier, _) in &self.outputs {
            let alias = same_file(path, earlier) || lexically_same(path, earlier);
            if alias && !is_special(path) {
                let (first, second) = (earlier.clone(), path.to_path_buf());
                return Err(OutputError::SameOutput { first, second });
            }
        }
        let out = OutFile::create(path, ".clout-").map_err(|source| OutputError::Io {
            path: path.to_path_buf(),
            action: "cannot create",
            source,
        })?;
        self.outputs.push((path.to_path_buf(), Some(out)));
        Ok(OutputId(self.outputs.len() - 1))
    }

    /// The path an output was added with.
    pub fn path(&self, id: OutputId) -> &Path {
        &self.outputs[id.0].0
    }

    /// Writes output `id` through `fill` (buffered). Writing it again starts it over.
    pub fn write<E>(
        &mut self,
        id: OutputId,
        fill: impl FnOnce(&mut dyn io::Write) -> Result<(), E>,
    ) -> Result<(), E>
    where
        E: From<OutputError>,
    {
        use std::io::{Seek, Write};
        let (path, out) = &mut self.outputs[id.0];
        let io_error =
            |source| OutputError::Io { path: path.clone(), action: "cannot write", source };
        let Some(out) = out else {
            return Err(io_error(io::Error::other("already committed")).into());
        };
        let file = out.file();
        if !out.is_direct() {
            file.set_len(0).map_err(io_error)?;
            (&*file).seek(io::SeekFrom::Start(0)).map_err(io_error)?;
        }
        let mut w = io::BufWriter::with_capacity(1 << 20, file);
        fill(&mut w)?;
        w.flush().map_err(io_error)?;
        Ok(())
    }

    /// The open file behind output `id` (for writers that seek, such as snapshots); `None`
    /// after commit.
    pub fn file(&self, id: OutputId) -> Option<&File> {
        self.outputs[id.0].1.as_ref().map(OutFile::file)
    }

    /// Renames every temporary file into place, the last added first, so the first output (a
    /// command's main one) appears last, after its companions. Call it only when every output
    /// was written; dropping the set instead deletes them all.
    pub fn commit(mut self) -> Result<(), OutputError> {
        for (path, out) in self.outputs.iter_mut().rev() {
            if let Some(out) = out.take() {
                out.commit(false).map_err(|source| OutputError::Io {
                    path: path.clone(),
                    action: "cannot move into place",
                    source,
                })?;
            }
        }
        Ok(())
    }
}

/// Whether two paths that may not exist yet name the same place (same parent directory, same
/// file name).
fn lexically_same(a: &Path, b: &Path) -> bool {
    let parent = |p: &Path| {
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::canonicalize(dir).ok()
    };
    a.file_name() == b.file_name() && parent(a).is_some() && parent(a) == parent(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn regular_target_appears_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        let out = OutFile::create(&path, ".t-").unwrap();
        assert!(!out.is_direct());
        writeln!(out.file(), "hello").unwrap();
        assert!(!path.exists());
        out.commit(false).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "hello\n");
    }

    #[test]
    fn dropped_output_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        let out = OutFile::create(&path, ".t-").unwrap();
        writeln!(out.file(), "partial").unwrap();
        drop(out);
        assert!(!path.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn device_is_written_in_place_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let out = OutFile::create(Path::new("/dev/null"), ".t-").unwrap();
        assert!(out.is_direct());
        writeln!(out.file(), "discarded").unwrap();
        out.commit(true).unwrap();
        let meta = fs::symlink_metadata("/dev/null").unwrap();
        assert!(meta.file_type().is_char_device());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_keeps_pointing_at_the_replaced_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        let link = dir.path().join("link.txt");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let out = OutFile::create(&link, ".t-").unwrap();
        write!(out.file(), "new").unwrap();
        out.commit(false).unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn directory_target_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = OutFile::create(dir.path(), ".t-").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::IsADirectory);
    }
}
