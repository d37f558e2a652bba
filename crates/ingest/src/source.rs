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
use std::io::{self, Read};
use std::path::Path;
use std::time::Instant;

use crate::LoadedGraph;
use crate::handle::{Handle, already_read};
use crate::input::Input;
use crate::read::{self, ReadConfig, ReadError, ReadReport};
use crate::snapshot::{self, SnapshotError};

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
    if handle.is_snapshot()? {
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
    let (loaded, report) = read::read_handles(vec![handle], cfg, progress)?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(OpenedGraph { loaded, kind: SourceKind::EdgeList, report: Some(report), seconds })
}
