//! Opening a graph source once: a snapshot or an edge list, from a regular file, a pipe, a
//! named FIFO, a process substitution (`<(zcat edges.gz)`) or stdin.
//!
//! Every input is opened exactly once, and what it is is decided from that one open handle:
//! - a regular file is sniffed with a positioned read (its offset does not move), then mapped
//!   as a snapshot or read as text; a text file can be read a second time from the same handle
//!   (the string-id re-read of [`crate::read::IdKind::Auto`]);
//! - anything else (a pipe, FIFO, socket or terminal) is sniffed by reading its first bytes,
//!   which are then handed back in front of the rest of the stream, so no byte is lost. A
//!   snapshot arriving this way is read into memory ([`snapshot::read_snapshot`]); text is read
//!   once.
//!
//! Reopening a path instead would lose the sniffed bytes of a pipe (the second open of
//! `/dev/fd/63` sees the stream without them) and block forever on a named FIFO whose writer
//! has gone.
//!
//! ```no_run
//! use clout_ingest::input::Input;
//! use clout_ingest::read::ReadConfig;
//! use clout_ingest::source::open_graph;
//!
//! let opened = open_graph(&Input::from_arg("/dev/stdin"), &ReadConfig::default(), None)?;
//! println!("{} nodes ({:?})", opened.loaded.graph.node_count(), opened.kind);
//! # Ok::<(), clout_ingest::source::OpenError>(())
//! ```

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::time::Instant;

use crate::LoadedGraph;
use crate::input::{self, Input, read_up_to};
use crate::read::{self, ReadConfig, ReadError, ReadReport};
use crate::snapshot::{self, MAGIC, SnapshotError};

/// What a source turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A clout snapshot (mapped when it is a regular file, read into memory otherwise).
    Snapshot,
    /// A text edge list, read with a [`ReadConfig`].
    EdgeList,
}

/// A graph opened from a source.
#[derive(Debug)]
pub struct OpenedGraph {
    /// The graph and its original ids.
    pub loaded: LoadedGraph,
    /// Snapshot or text.
    pub kind: SourceKind,
    /// What the text reader did (`None` for a snapshot).
    pub report: Option<ReadReport>,
    /// Seconds to open, sniff and read or map it.
    pub seconds: f64,
}

/// Why a source could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// It is a snapshot, and the snapshot is invalid.
    Snapshot(SnapshotError),
    /// It is text (or could not be opened), and reading it failed.
    Read(ReadError),
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Snapshot(e) => e.fmt(f),
            OpenError::Read(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for OpenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OpenError::Snapshot(e) => e.source(),
            OpenError::Read(e) => e.source(),
        }
    }
}

impl From<SnapshotError> for OpenError {
    fn from(e: SnapshotError) -> Self {
        OpenError::Snapshot(e)
    }
}

impl From<ReadError> for OpenError {
    fn from(e: ReadError) -> Self {
        OpenError::Read(e)
    }
}

/// Opens `input` as a snapshot if it starts with the snapshot magic bytes, otherwise reads it
/// as an edge list with `cfg`. `progress` is called as text is read (see
/// [`read::read_graph`]). A snapshot that arrives through a pipe is read into memory;
/// `max_stream_snapshot` caps how many bytes its header may claim (`u64::MAX`: no cap; memory
/// then still follows the bytes that actually arrive).
///
/// Errors: [`OpenError::Snapshot`] for an invalid snapshot, [`OpenError::Read`] for a file that
/// cannot be opened or read, or text that does not parse.
pub fn open_graph(
    input: &Input,
    cfg: &ReadConfig,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<OpenedGraph, OpenError> {
    open_graph_capped(input, cfg, progress, u64::MAX)
}

/// [`open_graph`] with a cap on the size a streamed snapshot's header may claim.
pub fn open_graph_capped(
    input: &Input,
    cfg: &ReadConfig,
    progress: Option<&(dyn Fn(u64) + Sync)>,
    max_stream_snapshot: u64,
) -> Result<OpenedGraph, OpenError> {
    let started = Instant::now();
    let mut handle = Handle::open(input)?;
    let name = Path::new(&handle.name).to_path_buf();
    if handle.sniff()? == MAGIC {
        let file = handle.file.take().ok_or_else(|| already_read(&handle.name))?;
        let loaded = if handle.regular {
            snapshot::open_snapshot_file(file, &name)?
        } else {
            let stream = io::Cursor::new(std::mem::take(&mut handle.prefix)).chain(file);
            snapshot::read_snapshot(stream, &name, max_stream_snapshot)?
        };
        let seconds = started.elapsed().as_secs_f64();
        return Ok(OpenedGraph { loaded, kind: SourceKind::Snapshot, report: None, seconds });
    }
    let (loaded, report) = read_handles(vec![handle], cfg, progress)?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(OpenedGraph { loaded, kind: SourceKind::EdgeList, report: Some(report), seconds })
}

/// Reads `inputs` as edge lists into one graph, each opened once (see the module docs). An
/// input that is a snapshot is an error ([`ReadError::Snapshot`]), not text to parse.
pub(crate) fn read_inputs(
    inputs: &[Input],
    cfg: &ReadConfig,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<(LoadedGraph, ReadReport), ReadError> {
    let mut handles = Vec::with_capacity(inputs.len());
    for input in inputs {
        let mut handle = Handle::open(input)?;
        if handle.sniff()? == MAGIC {
            return Err(ReadError::Snapshot { file: handle.name });
        }
        handles.push(handle);
    }
    read_handles(handles, cfg, progress)
}

fn read_handles(
    mut handles: Vec<Handle>,
    cfg: &ReadConfig,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<(LoadedGraph, ReadReport), ReadError> {
    let names: Vec<String> = handles.iter().map(|h| h.name.clone()).collect();
    let rereadable = handles.iter().all(|h| h.regular);
    read::read_with(&names, cfg, progress, rereadable, &mut |i| handles[i].text())
}

/// One open input.
struct Handle {
    /// The name used in messages.
    name: String,
    /// The open file (stdin as a file); `None` once a stream has been handed out.
    file: Option<File>,
    /// Whether it is a regular file (positioned reads, readable again).
    regular: bool,
    /// Bytes already taken from a stream by [`Handle::sniff`], to be read again first.
    prefix: Vec<u8>,
    /// The first bytes, once sniffed.
    magic: Option<[u8; 8]>,
}

impl Handle {
    fn open(input: &Input) -> Result<Handle, ReadError> {
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
    fn sniff(&mut self) -> Result<[u8; 8], ReadError> {
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

    /// The text, decompressed: from the start for a regular file (again on every call), or
    /// the sniffed bytes followed by the rest of the stream (once).
    fn text(&mut self) -> Result<input::Opened<'static>, ReadError> {
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

fn already_read(name: &str) -> ReadError {
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
    use std::io::Write;
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
