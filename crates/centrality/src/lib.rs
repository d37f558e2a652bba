//! clout-centrality: parallel centrality kernels on a clout [`Graph`](clout_graph::Graph).
//!
//! Every kernel is a pure function of a graph and a config struct that returns a named result
//! struct, and each has an independent verifier that tests (and the CLI's `--verify`) call:
//!
//! | kernel | function | verifier |
//! |---|---|---|
//! | PageRank | [`pagerank()`] | [`verify_pagerank`]: push-direction residual |
//! | degree | [`degrees`], [`weighted_degrees`], [`degree_centrality`] | (direct counts) |
//! | k-core | [`coreness()`] | [`verify_coreness`]: brute-force k-core definition |
//! | betweenness | [`betweenness()`] (exact, approximate, sampled sources) | [`verify_betweenness`]: serial textbook Brandes |
//! | harmonic closeness | [`harmonic_closeness`] (exact, sampled) | [`verify_harmonic`]: serial BFS recompute |
//! | collective influence | [`collective_influence`], [`collective_influence_ranking`] | [`verify_collective_influence`], [`verify_ci_ranking`]: brute force |
//!
//! # Direction
//! clout stores every arc in the **influence** direction (see [`clout_graph::EdgeReading`]): a
//! follower-file line `A B` ("A follows B") is the arc `B -> A`. Kernels state in their docs
//! which way they read arcs and what that means in NetworkX's terms, where the same file is
//! usually loaded as `nx.DiGraph` of `A -> B` lines. In short, for a follower file:
//!
//! - [`pagerank()`] equals `networkx.pagerank` on the file's `DiGraph`: a highly followed
//!   account ranks high;
//! - [`Degrees::out_degree`] is the number of followers (NetworkX's `in_degree`);
//! - [`coreness()`] with [`CoreDegree::Total`] equals `networkx.core_number`.
//!
//! # Determinism
//! Results do not depend on the number of threads: PageRank sums every node's row in a fixed
//! order and reduces partial sums over fixed chunks in chunk order (bit-identical at any thread
//! count); coreness numbers are unique, whatever order the parallel peeling runs in.

pub mod betweenness;
pub mod collective;
pub mod coreness;
pub mod degree;
pub mod harmonic;
pub mod pagerank;

pub use betweenness::{
    Betweenness, BetweennessConfig, BetweennessMethod, BetweennessMode, WeightMode, betweenness,
    verify_betweenness,
};
pub use collective::{
    CiDirection, CiRanking, CiRankingConfig, CollectiveInfluence, CollectiveInfluenceConfig,
    collective_influence, collective_influence_ranking, verify_ci_ranking,
    verify_collective_influence,
};
pub use coreness::{CoreDegree, Coreness, CorenessConfig, coreness, verify_coreness};
pub use degree::{
    DegreeKind, Degrees, WeightedDegrees, degree_centrality, degrees, weighted_degrees,
};
pub use harmonic::{
    Harmonic, HarmonicConfig, HarmonicDirection, HarmonicMethod, HarmonicSampling,
    harmonic_closeness, verify_harmonic,
};
pub use pagerank::{
    DanglingPolicy, PageRank, PageRankConfig, PageRankMethod, PartitionedError, PullArrays,
    StateExchange, pagerank, pagerank_rows, pagerank_rows_of, partition_offsets, partition_rows,
    verify_pagerank,
};

use clout_graph::NodeId;

/// Why a centrality kernel refused its input. Not converging is not an error: iterative kernels
/// report it in their result.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CentralityError {
    /// A configuration value is out of its documented range.
    InvalidConfig {
        /// The config field.
        parameter: &'static str,
        /// What is wrong with it, including the value.
        reason: String,
    },
    /// A per-node vector (such as a personalization vector) has the wrong length.
    WrongLength {
        /// What the vector is.
        what: &'static str,
        /// The graph's node count.
        expected: usize,
        /// The vector's length.
        found: usize,
    },
    /// A personalization entry is negative, infinite or NaN.
    InvalidPersonalization {
        /// Dense id of the node.
        node: NodeId,
        /// The value found.
        value: f64,
    },
    /// Every personalization entry is zero, so there is nowhere to teleport to.
    ZeroPersonalization,
    /// A weighted computation was asked for, but the graph has no weights.
    Unweighted,
    /// An arc weight is negative, infinite or NaN (weighted PageRank). The arc is the first
    /// such one in (source, target) order.
    InvalidWeight {
        /// The arc's source in the influence direction (dense id).
        source: NodeId,
        /// The arc's target (dense id).
        target: NodeId,
        /// The weight found.
        weight: f64,
    },
    /// An arc length (a weight, or `1 / weight` for strengths) is zero, negative, infinite or
    /// NaN, so shortest paths are not defined (betweenness).
    NonPositiveWeight {
        /// The arc's source in the influence direction (dense id).
        source: NodeId,
        /// The arc's target (dense id).
        target: NodeId,
        /// The weight found.
        weight: f64,
    },
    /// The kernel is not defined on graphs with self-loops (as NetworkX's `core_number`).
    SelfLoop {
        /// Dense id of a node with a self-loop.
        node: NodeId,
    },
}

impl CentralityError {
    /// The message, with nodes named by `name` (for example their original ids) instead of
    /// dense ids. [`Display`](std::fmt::Display) names them `node 3`.
    pub fn describe(&self, name: &dyn Fn(NodeId) -> String) -> String {
        struct Described<'a>(&'a CentralityError, &'a dyn Fn(NodeId) -> String);
        impl std::fmt::Display for Described<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.write(f, self.1)
            }
        }
        Described(self, name).to_string()
    }

    fn write(
        &self,
        f: &mut std::fmt::Formatter<'_>,
        name: &dyn Fn(NodeId) -> String,
    ) -> std::fmt::Result {
        match self {
            CentralityError::InvalidConfig { parameter, reason } => {
                write!(f, "invalid {parameter}: {reason}")
            }
            CentralityError::WrongLength { what, expected, found } => {
                write!(f, "{what} has {found} entries but the graph has {expected} nodes")
            }
            CentralityError::InvalidPersonalization { node, value } => write!(
                f,
                "personalization value {value} for {} is not a finite non-negative number",
                name(*node)
            ),
            CentralityError::ZeroPersonalization => f.write_str(
                "personalization vector is all zero: at least one entry must be positive",
            ),
            CentralityError::Unweighted => {
                f.write_str("a weighted computation was requested but the graph has no weights")
            }
            CentralityError::InvalidWeight { source, target, weight } => write!(
                f,
                "the arc {} -> {} has weight {weight}; weighted PageRank needs finite, \
                 non-negative weights",
                name(*source),
                name(*target)
            ),
            CentralityError::NonPositiveWeight { source, target, weight } => write!(
                f,
                "the arc {} -> {} has weight {weight}; shortest paths need finite positive lengths",
                name(*source),
                name(*target)
            ),
            CentralityError::SelfLoop { node } => write!(
                f,
                "{} has a self-loop; remove self-loops first (the default build policy drops them)",
                name(*node)
            ),
        }
    }
}

impl std::fmt::Display for CentralityError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write(f, &|node| format!("node {node}"))
    }
}

/// The ends of arc `arc` (an index into `adjacency`'s targets) as (row, entry): (source,
/// target) in the out-adjacency, (target, source) in the in-adjacency.
pub(crate) fn arc_ends(adjacency: &clout_graph::Adjacency, arc: usize) -> (NodeId, NodeId) {
    let offsets = adjacency.offsets.as_slice();
    let row = offsets.partition_point(|&end| end <= arc as u64) - 1;
    (row as NodeId, adjacency.targets.as_slice()[arc])
}

impl std::error::Error for CentralityError {}
