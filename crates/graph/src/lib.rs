//! clout-graph: the graph type everything in clout stands on.
//!
//! - [`Graph`]: dense `u32` node ids, `u64` offsets, CSR out- and in-adjacency as slices, optional
//!   per-arc weights (`f64`) and signs (`i8`, +1 / -1) in parallel arrays.
//! - Direction convention: every arc points the way **influence** flows (see [`EdgeReading`]).
//! - [`builder::build`]: a deterministic, parallel CSR builder with self-loop and duplicate
//!   policies.
//! - [`generate`]: seeded R-MAT and G(n, m) generators (always labelled synthetic).
//! - [`rng`]: the seeded random streams every clout kernel uses.
//! - [`components`]: weakly and strongly connected components.
//! - [`stats`]: degree, reciprocity and component summaries (`clout stats`).
//! - [`petgraph_adapter`]: petgraph's visit traits, so petgraph's algorithms run on a clout graph
//!   without copying.
//!
//! Weights are `f64`: they are summed when duplicates merge and feed f64 kernels (weighted
//! PageRank, cascade probabilities), so the extra 4 bytes per arc buy exact agreement with
//! NetworkX's f64 arithmetic.

pub mod builder;
pub mod components;
pub mod generate;
pub mod graph;
pub mod petgraph_adapter;
pub mod rng;
pub mod slab;
pub mod stats;

pub use builder::{
    BuildConfig, BuildError, Duplicates, EdgeList, Premerged, SelfLoops, build, build_premerged,
    from_pairs,
};
pub use graph::{Adjacency, EdgeReading, Graph, GraphInfo, InvalidGraph, NodeId};
pub use slab::{Backing, Slab, SlabError};
