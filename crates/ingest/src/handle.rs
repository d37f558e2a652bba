//! One input opened exactly once, and what it is decided from that open handle (see
//! [`crate::source`]): a regular file is sniffed with a positioned read and can be read again
//! from the start; a stream is sniffed by reading its first bytes, which are handed back in
//! front of the rest of it.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

use crate::error::ReadError;
use crate::input::{self, Input, read_up_to};
use crate::snapshot::MAGIC;

/// One open input.
pub(crate) struct Handle {
    /// The name used in messages.
    pub(crate) name: String,
    /// The open file (stdin as a file); `None` once a stream has been handed out.
    pub(crate) file: Option<File>,
    /// Whether it is a regular file (positioned reads, readable again).
    pub(crate) regular: bool,
    /// Bytes already taken from a stream by [`Handle::sniff`], to be read again first.
    pub(crate) prefix: Vec<u8>,
    /// The first bytes, once sniffed.
    magic: Option<[u8; 8]>,
}

impl Handle {
    pub(crate) fn open(input: &Input) -> Result<Handle, ReadError> {
        let name = input.name();
        let io_error = |action, source| ReadError::Io { file: input.name(), action, source };
        let file = match input {
            Input::Path(path) => File::open(path).map_err(|e| io_error("cannot open", e))?,
            Input::Stdin => stdin_file().map_err(|e| io_error("cannot open", e))?,
        };
        let meta = file.metadata().map_err(|e| io_error("cannot read", e))?;
        if meta.is_dir() {
            let source = io::Error::new(io::ErrorKind::IsADirectory, "is a directory");
            return Err(io_error("cannot read", source));
        }
        Ok(Handle {
            name,
            file: Some(file),
            regular: meta.is_file(),
            prefix: Vec::new(),
            magic: None,
        })
    }

    /// The first eight bytes (zero-padded when the input is shorter), read without losing any.
    pub(crate) fn sniff(&mut self) -> Result<[u8; 8], ReadError> {
        if let Some(magic) = self.magic {
            return Ok(magic);
        }
        let mut magic = [0u8; 8];
        let Some(file) = self.file.as_mut() else { return Ok(magic) };
        let got = if self.regular {
            read_at_start(file, &mut magic)
        } else {
            let got = read_up_to(file, &mut magic);
            if let Ok(n) = got {
                self.prefix.extend_from_slice(&magic[..n]);
            }
            got
        };
        got.map_err(|source| ReadError::Io {
            file: self.name.clone(),
            action: "cannot read",
            source,
        })?;
        self.magic = Some(magic);
        Ok(magic)
    }

    /// Whether it starts with the snapshot magic bytes.
    pub(crate) fn is_snapshot(&mut self) -> Result<bool, ReadError> {
        Ok(self.sniff()? == MAGIC)
    }

    /// The text, decompressed: from the start for a regular file (again on every call), or
    /// the sniffed bytes followed by the rest of the stream (once).
    pub(crate) fn text(&mut self) -> Result<input::Opened<'static>, ReadError> {
        let name = self.name.clone();
        let io_error = |source| ReadError::Io { file: name.clone(), action: "cannot read", source };
        if self.regular {
            let file = self.file.as_ref().ok_or_else(|| already_read(&self.name))?;
            let mut file = file.try_clone().map_err(io_error)?;
            file.seek(SeekFrom::Start(0)).map_err(io_error)?;
            return input::open_reader(name.clone(), file);
        }
        let file = self.file.take().ok_or_else(|| already_read(&self.name))?;
        let prefix = std::mem::take(&mut self.prefix);
        input::open_reader(name.clone(), io::Cursor::new(prefix).chain(file))
    }
}

pub(crate) fn already_read(name: &str) -> ReadError {
    ReadError::Config(format!("{name} is a stream and was already read"))
}

/// Standard input as a [`File`] (a duplicate of descriptor 0), so that a redirected regular
/// file can be mapped and sniffed like any other.
#[cfg(unix)]
fn stdin_file() -> io::Result<File> {
    use std::os::fd::AsFd;
    Ok(File::from(io::stdin().as_fd().try_clone_to_owned()?))
}

#[cfg(not(unix))]
fn stdin_file() -> io::Result<File> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "reading stdin is supported on Unix only"))
}

/// Reads up to `buf.len()` bytes from offset 0 without moving the file's offset.
#[cfg(unix)]
fn read_at_start(file: &File, buf: &mut [u8]) -> io::Result<usize> {
    use std::os::unix::fs::FileExt;
    let mut got = 0;
    while got < buf.len() {
        match file.read_at(&mut buf[got..], got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

#[cfg(not(unix))]
fn read_at_start(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    file.seek(SeekFrom::Start(0))?;
    let got = read_up_to(file, buf)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(got)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::read::{ReadConfig, read_handles};
    use std::io::Write;
    use std::path::Path;
    use std::process::{Command, Stdio};

    /// A pipe's read end as a file: the stdout of `cat FILE`.
    fn piped(path: &Path) -> (std::process::Child, File) {
        let mut child = Command::new("cat").arg(path).stdout(Stdio::piped()).spawn().unwrap();
        let out = child.stdout.take().unwrap();
        (child, File::from(std::os::fd::OwnedFd::from(out)))
    }

    #[test]
    fn a_pipe_loses_no_bytes_to_the_sniff() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.txt");
        std::fs::File::create(&path).unwrap().write_all(b"1 2\n2 3\n3 1\n").unwrap();
        let (mut child, file) = piped(&path);
        let mut handle = Handle {
            name: "<pipe>".into(),
            file: Some(file),
            regular: false,
            prefix: Vec::new(),
            magic: None,
        };
        assert_eq!(&handle.sniff().unwrap(), b"1 2\n2 3\n");
        let (loaded, _) = read_handles(vec![handle], &ReadConfig::default(), None).unwrap();
        child.wait().unwrap();
        assert_eq!(loaded.graph.arc_count(), 3);
    }
}
