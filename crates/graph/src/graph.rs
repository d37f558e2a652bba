//! The graph type: dense `u32` node ids, CSR out- and in-adjacency, optional per-arc weights
//! and signs in parallel arrays, and a record of how the graph was read.
//!
//! # Direction
//! Every arc points in the **influence** direction: an arc `u -> v` means that what `u` says can
//! reach `v`. Readers turn input lines into influence arcs according to an [`EdgeReading`]; a
//! follower export (`A follows B`) therefore stores the arc `B -> A`.
//!
//! # Undirected graphs
//! An undirected graph stores each edge `{u, v}` as the two arcs `u -> v` and `v -> u` (a kept
//! self-loop once), and its in-adjacency is the same array as its out-adjacency.

use serde::Serialize;

use crate::slab::Slab;

/// Dense node id, `0 .. node_count`.
pub type NodeId = u32;

/// How a line `A B` of an input file was turned into influence arcs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "kebab-case")]
pub enum EdgeReading {
    /// `A` follows / endorses / retweeted / voted for `B`: influence flows `B -> A`.
    /// SNAP's Twitter, wiki-Vote, Slashdot and Higgs files read this way.
    #[default]
    Follows,
    /// `A` influences `B`: the arc is `A -> B`.
    Influence,
    /// Friendship: both directions.
    #[cfg_attr(feature = "clap", value(skip))]
    Undirected,
}

impl EdgeReading {
    /// A short name, as used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            EdgeReading::Follows => "follows",
            EdgeReading::Influence => "influence",
            EdgeReading::Undirected => "undirected",
        }
    }

    /// One sentence that says what a line `A B` meant.
    pub fn describe(self) -> &'static str {
        match self {
            EdgeReading::Follows => "a line `A B` means A follows B: influence flows B -> A",
            EdgeReading::Influence => "a line `A B` means A influences B: influence flows A -> B",
            EdgeReading::Undirected => "a line `A B` is a friendship: influence flows both ways",
        }
    }

    /// Stable numeric code used in snapshots.
    pub fn code(self) -> u32 {
        match self {
            EdgeReading::Follows => 0,
            EdgeReading::Influence => 1,
            EdgeReading::Undirected => 2,
        }
    }

    /// Inverse of [`EdgeReading::code`].
    pub fn from_code(code: u32) -> Option<Self> {
        match code {
            0 => Some(EdgeReading::Follows),
            1 => Some(EdgeReading::Influence),
            2 => Some(EdgeReading::Undirected),
            _ => None,
        }
    }
}

/// Where a graph came from and what was done to it while it was built.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GraphInfo {
    /// How input lines were read.
    pub reading: EdgeReading,
    /// True for generated graphs (R-MAT and the like): never real data.
    pub synthetic: bool,
    /// Free text: input file names, or the generator and its parameters.
    pub provenance: String,
    /// Input edges (lines) that were read, before any policy.
    pub input_edges: u64,
    /// Self-loops dropped by the self-loop policy.
    pub self_loops_dropped: u64,
    /// Self-loop arcs kept in the graph (after duplicate merging; merged copies count in
    /// `duplicates_merged`).
    pub self_loops_kept: u64,
    /// Duplicate input edges merged into an earlier one by the duplicate policy.
    pub duplicates_merged: u64,
}

/// One direction of adjacency in CSR form: row `u` is `targets[offsets[u] .. offsets[u + 1]]`,
/// sorted by target, with per-arc attributes in parallel arrays.
#[derive(Debug, Clone, Default)]
pub struct Adjacency {
    /// `node_count + 1` offsets into `targets`, starting at 0, non-decreasing.
    pub offsets: Slab<u64>,
    /// Neighbour ids, row by row, each row sorted ascending.
    pub targets: Slab<NodeId>,
    /// Per-arc weights, parallel to `targets`, if the graph is weighted.
    pub weights: Option<Slab<f64>>,
    /// Per-arc signs (+1 or -1), parallel to `targets`, if the graph is signed.
    pub signs: Option<Slab<i8>>,
}

impl Adjacency {
    /// The neighbours of `u` in this direction.
    #[inline]
    pub fn row(&self, u: NodeId) -> &[NodeId] {
        let (lo, hi) = self.bounds(u);
        &self.targets[lo..hi]
    }

    /// The index range of row `u` in `targets` (and the attribute arrays).
    #[inline]
    pub fn bounds(&self, u: NodeId) -> (usize, usize) {
        let offsets = self.offsets.as_slice();
        (offsets[u as usize] as usize, offsets[u as usize + 1] as usize)
    }

    /// Number of arcs in row `u`.
    #[inline]
    pub fn degree(&self, u: NodeId) -> usize {
        let (lo, hi) = self.bounds(u);
        hi - lo
    }
}

/// A directed or undirected graph in CSR form with both out- and in-adjacency.
///
/// Built by [`crate::builder::build`], by a generator, or by opening a snapshot (clout-ingest).
/// Arrays are immutable; cloning shares them.
#[derive(Debug, Clone)]
pub struct Graph {
    pub(crate) node_count: u32,
    pub(crate) directed: bool,
    pub(crate) out_adj: Adjacency,
    pub(crate) in_adj: Adjacency,
    pub(crate) info: GraphInfo,
}

/// Why arrays could not be assembled into a [`Graph`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidGraph(pub String);

impl std::fmt::Display for InvalidGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid graph arrays: {}", self.0)
    }
}

impl std::error::Error for InvalidGraph {}

/// The edge count of a graph with `arcs` stored arcs of which `self_loops` are self-loops:
/// the arcs when directed; for an undirected graph, which stores each edge `{u, v}` as two arcs
/// and a self-loop as one, `(arcs - self_loops) / 2 + self_loops`.
pub fn edge_count(directed: bool, arcs: usize, self_loops: u64) -> usize {
    if directed {
        arcs
    } else {
        let loops = self_loops as usize;
        arcs.saturating_sub(loops) / 2 + loops
    }
}

impl Graph {
    /// Assembles a graph from prepared arrays (for example views into a snapshot), checking every
    /// structural invariant so that no later access can go out of bounds: offsets start at 0,
    /// never decrease and end at the arc count; every target is below `node_count`; rows are
    /// sorted; attribute arrays have one entry per arc; signs are +1 or -1; out and in arc counts
    /// agree. (That the in-adjacency is exactly the transpose of the out-adjacency is not
    /// re-derived here; snapshots guard it with their checksum.)
    ///
    /// Cost: one parallel pass over every array, O(n + m).
    pub fn from_parts(
        node_count: u32,
        directed: bool,
        out_adj: Adjacency,
        in_adj: Adjacency,
        info: GraphInfo,
    ) -> Result<Graph, InvalidGraph> {
        check_adjacency("out", node_count, &out_adj)?;
        if directed {
            check_adjacency("in", node_count, &in_adj)?;
            if in_adj.targets.len() != out_adj.targets.len() {
                return Err(InvalidGraph(format!(
                    "out-adjacency has {} arcs but in-adjacency has {}",
                    out_adj.targets.len(),
                    in_adj.targets.len()
                )));
            }
        }
        let in_adj = if directed { in_adj } else { out_adj.clone() };
        Ok(Graph { node_count, directed, out_adj, in_adj, info })
    }

    /// Number of nodes.
    #[inline]
    pub fn node_count(&self) -> usize {
        self.node_count as usize
    }

    /// Number of edges: arcs for a directed graph; for an undirected graph each edge `{u, v}`
    /// counts once (a self-loop once), as NetworkX's `number_of_edges` does.
    pub fn edge_count(&self) -> usize {
        edge_count(self.directed, self.arc_count(), self.info.self_loops_kept)
    }

    /// Number of stored arcs in the out-adjacency (twice the non-loop edges when undirected).
    #[inline]
    pub fn arc_count(&self) -> usize {
        self.out_adj.targets.len()
    }

    /// Whether the graph is directed.
    #[inline]
    pub fn is_directed(&self) -> bool {
        self.directed
    }

    /// Whether arcs carry weights.
    pub fn is_weighted(&self) -> bool {
        self.out_adj.weights.is_some()
    }

    /// Whether arcs carry signs.
    pub fn is_signed(&self) -> bool {
        self.out_adj.signs.is_some()
    }

    /// How the graph was read and what the build policies did.
    pub fn info(&self) -> &GraphInfo {
        &self.info
    }

    /// Replaces the provenance record (used by readers and generators).
    pub fn set_info(&mut self, info: GraphInfo) {
        self.info = info;
    }

    /// Out-adjacency: row `u` lists the nodes `u` influences.
    #[inline]
    pub fn out_adjacency(&self) -> &Adjacency {
        &self.out_adj
    }

    /// In-adjacency: row `v` lists the nodes that influence `v`.
    #[inline]
    pub fn in_adjacency(&self) -> &Adjacency {
        &self.in_adj
    }

    /// Nodes that `u` influences (sorted).
    #[inline]
    pub fn out_neighbors(&self, u: NodeId) -> &[NodeId] {
        self.out_adj.row(u)
    }

    /// Nodes that influence `v` (sorted).
    #[inline]
    pub fn in_neighbors(&self, v: NodeId) -> &[NodeId] {
        self.in_adj.row(v)
    }

    /// Out-degree of `u` (number of arcs leaving it).
    #[inline]
    pub fn out_degree(&self, u: NodeId) -> usize {
        self.out_adj.degree(u)
    }

    /// In-degree of `v` (number of arcs entering it).
    #[inline]
    pub fn in_degree(&self, v: NodeId) -> usize {
        self.in_adj.degree(v)
    }

    /// Weights of `u`'s out-arcs, parallel to [`Graph::out_neighbors`], if weighted.
    pub fn out_weights(&self, u: NodeId) -> Option<&[f64]> {
        let (lo, hi) = self.out_adj.bounds(u);
        self.out_adj.weights.as_ref().map(|w| &w[lo..hi])
    }

    /// Weights of `v`'s in-arcs, parallel to [`Graph::in_neighbors`], if weighted.
    pub fn in_weights(&self, v: NodeId) -> Option<&[f64]> {
        let (lo, hi) = self.in_adj.bounds(v);
        self.in_adj.weights.as_ref().map(|w| &w[lo..hi])
    }

    /// Signs of `u`'s out-arcs, parallel to [`Graph::out_neighbors`], if signed.
    pub fn out_signs(&self, u: NodeId) -> Option<&[i8]> {
        let (lo, hi) = self.out_adj.bounds(u);
        self.out_adj.signs.as_ref().map(|s| &s[lo..hi])
    }

    /// Signs of `v`'s in-arcs, parallel to [`Graph::in_neighbors`], if signed.
    pub fn in_signs(&self, v: NodeId) -> Option<&[i8]> {
        let (lo, hi) = self.in_adj.bounds(v);
        self.in_adj.signs.as_ref().map(|s| &s[lo..hi])
    }

    /// Whether the arc `u -> v` exists (binary search in `u`'s sorted row).
    pub fn has_arc(&self, u: NodeId, v: NodeId) -> bool {
        self.out_neighbors(u).binary_search(&v).is_ok()
    }

    /// Iterates over all node ids.
    pub fn nodes(&self) -> std::ops::Range<NodeId> {
        0..self.node_count
    }

    /// Iterates over all stored arcs `(u, v)` in CSR order.
    pub fn arcs(&self) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        self.nodes().flat_map(move |u| self.out_neighbors(u).iter().map(move |&v| (u, v)))
    }

    /// Bytes held by the graph's arrays (owned or mapped).
    pub fn memory_bytes(&self) -> usize {
        fn adj_bytes(a: &Adjacency) -> usize {
            a.offsets.len() * 8
                + a.targets.len() * 4
                + a.weights.as_ref().map_or(0, |w| w.len() * 8)
                + a.signs.as_ref().map_or(0, |s| s.len())
        }
        adj_bytes(&self.out_adj) + if self.directed { adj_bytes(&self.in_adj) } else { 0 }
    }
}

fn check_adjacency(name: &str, node_count: u32, adj: &Adjacency) -> Result<(), InvalidGraph> {
    use rayon::prelude::*;
    let offsets = adj.offsets.as_slice();
    let targets = adj.targets.as_slice();
    if offsets.len() != node_count as usize + 1 {
        return Err(InvalidGraph(format!(
            "{name}-offsets has {} entries, expected {}",
            offsets.len(),
            node_count as u64 + 1
        )));
    }
    if offsets[0] != 0 || offsets[offsets.len() - 1] != targets.len() as u64 {
        return Err(InvalidGraph(format!(
            "{name}-offsets must run from 0 to {} (the arc count), found {} .. {}",
            targets.len(),
            offsets[0],
            offsets[offsets.len() - 1]
        )));
    }
    if let Some(i) = offsets.par_windows(2).position_any(|w| w[0] > w[1]) {
        return Err(InvalidGraph(format!("{name}-offsets decrease at node {i}")));
    }
    if let Some(i) = targets.par_iter().position_any(|&t| t >= node_count) {
        return Err(InvalidGraph(format!(
            "{name}-adjacency arc {i} points to node {} but there are only {node_count} nodes",
            targets[i]
        )));
    }
    // Rows must be sorted ascending: kernels and `has_arc` rely on it.
    if let Some(u) = (0..node_count as usize)
        .into_par_iter()
        .position_any(|u| !targets[offsets[u] as usize..offsets[u + 1] as usize].is_sorted())
    {
        return Err(InvalidGraph(format!("{name}-adjacency row of node {u} is not sorted")));
    }
    if let Some(w) = &adj.weights
        && w.len() != targets.len()
    {
        return Err(InvalidGraph(format!(
            "{name}-weights has {} entries, expected {}",
            w.len(),
            targets.len()
        )));
    }
    if let Some(s) = &adj.signs {
        if s.len() != targets.len() {
            return Err(InvalidGraph(format!(
                "{name}-signs has {} entries, expected {}",
                s.len(),
                targets.len()
            )));
        }
        if let Some(i) = s.par_iter().position_any(|&x| x != 1 && x != -1) {
            return Err(InvalidGraph(format!("{name}-signs entry {i} is {}, not +1 or -1", s[i])));
        }
    }
    Ok(())
}
