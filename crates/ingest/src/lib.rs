//! clout-ingest: turning exported follower graphs into clout graphs.
//!
//! - [`idmap`]: original ids (integers or handles) for dense node ids.

pub mod idmap;

pub use idmap::{IdMap, OriginalId};

/// A graph together with the original ids of its nodes.
#[derive(Debug, Clone)]
pub struct LoadedGraph {
    /// The graph, arcs in the influence direction.
    pub graph: clout_graph::Graph,
    /// Original ids, one per node.
    pub ids: IdMap,
}
