//! clout-ingest: turning exported follower graphs into clout graphs.
//!
//! - [`escape`]: untrusted text made safe to print in messages.
//! - [`idmap`]: original ids (integers or handles) for dense node ids.
//! - [`input`]: opening inputs (files or stdin), gzip / zstd detected by magic bytes.
//! - [`outfile`]: outputs that appear whole or not at all, never replacing devices or FIFOs.
//! - [`parse`]: the chunked, parallel line parser.
//! - [`read`]: edge lists, CSV and SNAP files into a graph, with policies and a report.
//! - [`snapshot`]: the memory-mappable binary snapshot format.
//! - [`source`]: any graph source (snapshot or text; file, pipe, FIFO or stdin), opened once.

pub mod escape;
pub mod idmap;
pub mod input;
pub mod outfile;
pub mod parse;
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
