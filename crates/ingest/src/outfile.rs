//! Output files that appear whole or not at all, without clobbering special files.
//!
//! An ordinary output is written to a temporary file beside the target and renamed over it when
//! complete, so an error never leaves a partial file. That rename must not happen when the target
//! is not a regular file: renaming over `/dev/null`, a FIFO or a terminal would replace the device
//! with a plain file (and a machine whose `/dev/null` is a plain file breaks every program that
//! reads it as empty input). Such targets are written in place instead; a symbolic link to a
//! regular file has its target replaced, not the link.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Where an output goes.
#[derive(Debug)]
pub enum OutFile {
    /// A temporary file, renamed to `target` by [`OutFile::commit`].
    Atomic {
        /// The temporary file, in the target's directory.
        tmp: NamedTempFile,
        /// The path it is renamed to (a symbolic link's resolved target).
        target: PathBuf,
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
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "the output path is a directory",
                ));
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
        let mut builder = tempfile::Builder::new();
        builder.prefix(prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let tmp = builder.tempfile_in(&dir)?;
        Ok(OutFile::Atomic { tmp, target })
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
            OutFile::Atomic { tmp, target } => {
                if sync {
                    tmp.as_file().sync_all()?;
                }
                tmp.persist(&target).map_err(|e| e.error)?;
                Ok(())
            }
            OutFile::Direct(_) => Ok(()),
        }
    }
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
