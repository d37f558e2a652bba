//! clout-ingest: turning exported follower graphs into clout graphs.
//!
//! - [`escape`]: untrusted text made safe to print in messages.
//! - [`IdMap`]: original ids (integers or handles) for dense node ids.
//! - [`input`]: opening inputs (files or stdin), gzip / zstd detected by magic bytes.
//! - [`outfile`]: outputs that appear whole or not at all, never replacing devices or FIFOs.
//! - [`read`]: edge lists, CSV and SNAP files into a graph, with policies and a report; its
//!   errors are [`read::ReadError`] and [`read::LineProblem`].
//! - [`snapshot`]: the memory-mappable binary snapshot format.
//! - [`source`]: any graph source (snapshot or text; file, pipe, FIFO or stdin), opened once.
//!
//! Private modules: `error` (the reader's errors and line quoting, below every module that
//! reports a bad line), `idmap`, `parse` (the chunked, parallel line parser) and `handle` (one
//! input opened once and sniffed, below both [`read`] and [`source`]). No two modules import
//! each other, directly or through others (`scripts/module_cycles.py` checks this).

mod error;
pub mod escape;
mod handle;
mod idmap;
pub mod input;
pub mod outfile;
mod parse;
pub mod read;
pub mod snapshot;
pub mod source;

pub use idmap::{IdMap, OriginalId};

/// A graph together with the original ids of its nodes.
#[derive(Debug, Clone)]
pub struct LoadedGraph {
    /// The graph, arcs in the influence direction.
    pub graph: clout_graph::Graph,
    /// Original ids, one per node.
    pub ids: IdMap,
}
