//! Opening a graph: a snapshot or a text edge list, from a file, a pipe, a FIFO or stdin.

use std::path::{Path, PathBuf};

use clout_ingest::LoadedGraph;
use clout_ingest::input::Input;
use clout_ingest::read::{ReadConfig, ReadReport, read_graph};
use clout_ingest::source::{self, SourceKind};

use crate::error::Result;
use crate::memory;

/// A graph opened by [`open`].
#[derive(Debug)]
pub struct Opened {
    /// The graph and its original ids.
    pub network: LoadedGraph,
    /// Snapshot or edge list.
    pub kind: SourceKind,
    /// What the reader saw, for an edge list (`None` for a snapshot).
    pub report: Option<ReadReport>,
    /// Seconds to map or read it.
    pub seconds: f64,
}

/// Progress callback: bytes read so far.
pub type Progress<'a> = Option<&'a (dyn Fn(u64) + Sync)>;

/// Opens `path` as a snapshot when it starts with the snapshot magic bytes, otherwise reads it
/// as an edge list with `read`. `-` is stdin. The input is opened once, so a pipe, a FIFO or a
/// process substitution gives the same graph as a file with the same bytes; a snapshot that
/// arrives through a pipe is read into memory, and its header may claim at most the memory
/// budget ([`memory::budget`]).
///
/// ```
/// let opened = clout::open("../../datasets/karate/karate.edges", &clout::ReadConfig {
///     reading: clout::EdgeReading::Undirected,
///     ..Default::default()
/// })?;
/// assert_eq!(opened.network.graph.node_count(), 34);
/// # Ok::<(), clout::Error>(())
/// ```
pub fn open(path: impl AsRef<Path>, read: &ReadConfig) -> Result<Opened> {
    open_with_progress(path.as_ref(), read, None)
}

/// [`open`], reporting the bytes read so far to `progress`.
pub fn open_with_progress(
    path: &Path,
    read: &ReadConfig,
    progress: Progress<'_>,
) -> Result<Opened> {
    let cap = memory::engine_limit().unwrap_or(u64::MAX);
    let opened = source::open_graph_capped(&Input::from_arg(path), read, progress, cap)?;
    Ok(Opened {
        network: opened.loaded,
        kind: opened.kind,
        report: opened.report,
        seconds: opened.seconds,
    })
}

/// Reads one or more edge lists as one graph (never snapshots), reporting bytes read to
/// `progress`.
pub fn read_edge_lists(
    paths: &[PathBuf],
    read: &ReadConfig,
    progress: Progress<'_>,
) -> Result<(LoadedGraph, ReadReport)> {
    let inputs: Vec<Input> = paths.iter().map(Input::from_arg).collect();
    Ok(read_graph(&inputs, read, progress)?)
}

/// The total size of the regular files among `paths` (0 for stdin, pipes and FIFOs), for a
/// progress bar.
pub fn total_bytes(paths: &[&Path]) -> u64 {
    paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .filter_map(|p| std::fs::metadata(p).ok().filter(|m| m.is_file()))
        .map(|m| m.len())
        .sum()
}

/// Writes `network` as a snapshot into `file` (already created; `path` names it in errors).
/// Returns the bytes written.
pub fn write_snapshot(file: &std::fs::File, path: &Path, network: &LoadedGraph) -> Result<u64> {
    Ok(clout_ingest::snapshot::write_snapshot_into(file, path, network)?)
}
