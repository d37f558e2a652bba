//! Building a CSR [`Graph`] from a list of influence arcs: a bucketed stable scatter (see
//! `scatter.rs`) that sorts and merges each bucket's rows (as GAP's `builder.h` does, but while
//! the bucket is still in cache; see `rows.rs`), then a transpose for the in-adjacency (the same
//! scatter over the reversed arcs, whose rows come out sorted).
//!
//! The result is deterministic: the same edge list gives the same arrays, bit for bit, at any
//! thread count. Scatters are stable (input order is kept inside each row before the sort), so
//! "the first occurrence" of a duplicate and the order in which duplicate weights are summed are
//! both the input order. Row sorts and merges run in parallel over disjoint buckets of rows.
//!
//! Cost: O(n + m log d) time where d is the largest degree; memory for the input arrays plus the
//! two CSRs (the input is dropped before the transpose).

use rayon::prelude::*;

mod rows;
mod scatter;

use scatter::{ArcSource, Attributes, RowFinish, Scattered, scatter};

use crate::graph::{Adjacency, Graph, GraphInfo, NodeId};
use crate::slab::Slab;

/// Arcs in the influence direction (`src[i] -> dst[i]`), with optional per-arc attributes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EdgeList {
    /// Number of nodes; every id must be below it.
    pub node_count: u32,
    /// Arc sources.
    pub src: Vec<NodeId>,
    /// Arc targets, parallel to `src`.
    pub dst: Vec<NodeId>,
    /// Optional weights, parallel to `src`.
    pub weights: Option<Vec<f64>>,
    /// Optional signs (+1 / -1), parallel to `src`.
    pub signs: Option<Vec<i8>>,
}

impl EdgeList {
    /// An unweighted, unsigned edge list from `(src, dst)` pairs.
    pub fn from_pairs(node_count: u32, pairs: &[(NodeId, NodeId)]) -> Self {
        EdgeList {
            node_count,
            src: pairs.iter().map(|p| p.0).collect(),
            dst: pairs.iter().map(|p| p.1).collect(),
            weights: None,
            signs: None,
        }
    }

    /// Number of arcs.
    pub fn len(&self) -> usize {
        self.src.len()
    }

    /// Whether there are no arcs.
    pub fn is_empty(&self) -> bool {
        self.src.is_empty()
    }
}

/// What to do with an edge from a node to itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum SelfLoops {
    /// Drop it and count it (default: a self-loop carries no influence to anyone else).
    #[default]
    Drop,
    /// Keep it.
    Keep,
}

/// What to do with a repeated arc `u -> v`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Duplicates {
    /// Merge into one arc whose weight is the sum of the weights, in input order (default).
    /// The sign is the first occurrence's.
    #[default]
    Sum,
    /// Merge into the first occurrence, with its weight and sign.
    First,
    /// Keep every copy (a multigraph).
    Keep,
}

/// How to build a graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildConfig {
    /// Directed (default) or undirected (each arc also stored reversed). Default: `true`.
    pub directed: bool,
    /// Self-loop policy. Default: [`SelfLoops::Drop`].
    pub self_loops: SelfLoops,
    /// Duplicate policy. Default: [`Duplicates::Sum`].
    pub duplicates: Duplicates,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig { directed: true, self_loops: SelfLoops::Drop, duplicates: Duplicates::Sum }
    }
}

/// Why an edge list could not be built.
#[derive(Debug, Clone, PartialEq)]
pub enum BuildError {
    /// An arc names a node id at or above `node_count`.
    NodeOutOfRange {
        /// Index of the arc in the edge list.
        arc: usize,
        /// The offending id.
        node: NodeId,
        /// The declared node count.
        node_count: u32,
    },
    /// Attribute arrays are not parallel to the arcs.
    LengthMismatch {
        /// Which array.
        what: &'static str,
        /// Its length.
        len: usize,
        /// The number of arcs.
        arcs: usize,
    },
    /// A sign other than +1 or -1.
    BadSign {
        /// Index of the arc.
        arc: usize,
        /// The value found.
        value: i8,
    },
    /// An input weight is infinite or NaN.
    NonFiniteWeight {
        /// Index of the arc.
        arc: usize,
        /// The value found.
        value: f64,
    },
    /// The weights of a repeated arc sum to an infinite value under [`Duplicates::Sum`]. The
    /// arc is the first such one in (source, target) order.
    WeightOverflow {
        /// The arc's source (dense id).
        source: NodeId,
        /// The arc's target (dense id).
        target: NodeId,
    },
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::NodeOutOfRange { arc, node, node_count } => {
                write!(f, "arc {arc} names node {node}, but the graph has {node_count} nodes")
            }
            BuildError::LengthMismatch { what, len, arcs } => {
                write!(f, "{what} has {len} entries but there are {arcs} arcs")
            }
            BuildError::BadSign { arc, value } => {
                write!(f, "arc {arc} has sign {value}; signs must be +1 or -1")
            }
            BuildError::NonFiniteWeight { arc, value } => {
                write!(f, "arc {arc} has weight {value}; weights must be finite")
            }
            BuildError::WeightOverflow { source, target } => write!(
                f,
                "the weights of the repeated arc {source} -> {target} (dense ids) sum to infinity"
            ),
        }
    }
}

impl std::error::Error for BuildError {}

/// Repeated input edges that were merged before the edge list was made (a reader that drops
/// repeats as it parses, under [`Duplicates::Sum`] or [`Duplicates::First`]), so that the
/// graph's counters still describe the whole input. A merged self-loop copy counts as a
/// dropped self-loop when self-loops are dropped, and as a merged duplicate when they are kept,
/// as it would have in the builder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Premerged {
    /// Input edges merged into an earlier copy, self-loops included. Default: 0.
    pub copies: u64,
    /// How many of `copies` were self-loops. Default: 0.
    pub self_loops: u64,
}

/// Builds a graph from influence arcs under the given policies. `info` is stored in the graph
/// with its policy counters (`input_edges`, `self_loops_dropped`, `self_loops_kept`,
/// `duplicates_merged`) filled in here.
///
/// For an undirected graph, the duplicate policy sees `u v` and `v u` as the same edge.
///
/// Errors: ids out of range, attribute arrays of the wrong length, signs other than ±1,
/// non-finite weights, and (under [`Duplicates::Sum`]) repeated arcs whose weights sum to
/// infinity ([`BuildError::WeightOverflow`]), so a built graph's weights are always finite.
pub fn build(edges: EdgeList, cfg: &BuildConfig, info: GraphInfo) -> Result<Graph, BuildError> {
    build_premerged(edges, cfg, info, Premerged::default())
}

/// [`build`] for an edge list from which repeated edges were already partly merged: the
/// counters add `premerged` (see [`Premerged`]). The caller keeps, for every merged edge, the
/// copy (or running sum) that [`build`] would have kept, placed before any later copy.
pub fn build_premerged(
    edges: EdgeList,
    cfg: &BuildConfig,
    mut info: GraphInfo,
    premerged: Premerged,
) -> Result<Graph, BuildError> {
    // Input weights are finite; after a partial merge an infinite one is an overflowed sum.
    if premerged.copies > 0
        && let Some(w) = &edges.weights
        && let Some(arc) = w.iter().position(|x| x.is_infinite())
        && arc < edges.src.len().min(edges.dst.len())
    {
        return Err(BuildError::WeightOverflow { source: edges.src[arc], target: edges.dst[arc] });
    }
    validate(&edges)?;
    let n = edges.node_count as usize;
    info.input_edges = edges.len() as u64 + premerged.copies;

    // 1. Stable, cache-friendly scatter into rows (self-loops dropped here if asked).
    let keep_loops = cfg.self_loops == SelfLoops::Keep;
    let loops = edges.src.par_iter().zip(&edges.dst).filter(|(s, d)| s == d).count() as u64;
    let source = EdgeSource { edges: &edges, keep_loops, directed: cfg.directed };
    let attrs = Attributes { weights: edges.weights.as_deref(), signs: edges.signs.as_deref() };
    let finish = RowFinish { policy: cfg.duplicates, directed: cfg.directed };
    let Scattered { offsets, targets, weights, signs, merged } =
        scatter(n, &source, &attrs, Some(finish));
    drop(edges);
    // Input weights are finite (checked above), so an infinite one is an overflowed sum.
    if let Some(arc) = weights.as_deref().and_then(first_non_finite) {
        let source = (offsets.partition_point(|&end| end <= arc as u64) - 1) as NodeId;
        return Err(BuildError::WeightOverflow { source, target: targets[arc] });
    }

    let loops = loops + premerged.self_loops;
    // Kept self-loops are the loop arcs left after duplicates were merged (merged copies are
    // counted in `duplicates_merged`), so `Graph::edge_count` can rely on them.
    info.self_loops_kept = if keep_loops { count_loop_arcs(&offsets, &targets) } else { 0 };
    info.self_loops_dropped = if keep_loops { 0 } else { loops };
    info.duplicates_merged = merged + premerged.copies;
    if !keep_loops {
        info.duplicates_merged -= premerged.self_loops;
    }

    let out_adj = Adjacency {
        offsets: Slab::from_vec(offsets),
        targets: Slab::from_vec(targets),
        weights: weights.map(Slab::from_vec),
        signs: signs.map(Slab::from_vec),
    };
    let in_adj = if cfg.directed { transpose(n, &out_adj) } else { out_adj.clone() };
    Ok(Graph { node_count: n as u32, directed: cfg.directed, out_adj, in_adj, info })
}

/// Arcs `u -> u` in a CSR with sorted rows (a binary search per row).
fn count_loop_arcs(offsets: &[u64], targets: &[NodeId]) -> u64 {
    (0..offsets.len().saturating_sub(1))
        .into_par_iter()
        .map(|u| {
            let row = &targets[offsets[u] as usize..offsets[u + 1] as usize];
            let at = row.partition_point(|&v| (v as usize) < u);
            row[at..].iter().take_while(|&&v| v as usize == u).count() as u64
        })
        .sum()
}

fn validate(edges: &EdgeList) -> Result<(), BuildError> {
    let arcs = edges.src.len();
    if edges.dst.len() != arcs {
        return Err(BuildError::LengthMismatch { what: "dst", len: edges.dst.len(), arcs });
    }
    if let Some(w) = &edges.weights {
        if w.len() != arcs {
            return Err(BuildError::LengthMismatch { what: "weights", len: w.len(), arcs });
        }
        if let Some(arc) = first_non_finite(w) {
            return Err(BuildError::NonFiniteWeight { arc, value: w[arc] });
        }
    }
    if let Some(s) = &edges.signs {
        if s.len() != arcs {
            return Err(BuildError::LengthMismatch { what: "signs", len: s.len(), arcs });
        }
        if let Some(arc) = s.iter().position(|&x| x != 1 && x != -1) {
            return Err(BuildError::BadSign { arc, value: s[arc] });
        }
    }
    let n = edges.node_count;
    for ids in [&edges.src, &edges.dst] {
        if let Some(arc) = ids.par_iter().position_first(|&x| x >= n) {
            return Err(BuildError::NodeOutOfRange { arc, node: ids[arc], node_count: n });
        }
    }
    Ok(())
}

/// The index of the first weight that is infinite or NaN. Checks blocks with a branch-free
/// fold that the compiler vectorizes (milliseconds for 10^7 weights), searching inside a
/// block only when it holds one.
fn first_non_finite(weights: &[f64]) -> Option<usize> {
    const BLOCK: usize = 4096;
    let block =
        weights.chunks(BLOCK).position(|c| !c.iter().fold(true, |ok, w| ok & w.is_finite()))?;
    let start = block * BLOCK;
    weights[start..].iter().position(|w| !w.is_finite()).map(|i| start + i)
}

/// Row boundaries of about equal arc counts, enough blocks to balance rayon's workers.
fn row_blocks(offsets: &[u64]) -> Vec<usize> {
    let n = offsets.len() - 1;
    let arcs = offsets[n];
    let wanted = (rayon::current_num_threads() * 8).max(1) as u64;
    let per_block = (arcs / wanted).max(4096);
    let mut blocks = vec![0usize];
    let mut next = per_block;
    for row in 0..n {
        if offsets[row + 1] >= next {
            blocks.push(row + 1);
            next = offsets[row + 1] + per_block;
        }
    }
    if *blocks.last().unwrap() != n {
        blocks.push(n);
    }
    blocks
}

/// The in-adjacency of a directed graph: row `v` lists the sources of arcs into `v`, ascending
/// (rows come out sorted because sources are emitted in order), with attributes carried along.
pub(crate) fn transpose(n: usize, out: &Adjacency) -> Adjacency {
    let source = TransposeSource { out, blocks: row_blocks(out.offsets.as_slice()) };
    let attrs = Attributes { weights: out.weights.as_deref(), signs: out.signs.as_deref() };
    let Scattered { offsets, targets, weights, signs, .. } = scatter(n, &source, &attrs, None);
    Adjacency {
        offsets: Slab::from_vec(offsets),
        targets: Slab::from_vec(targets),
        weights: weights.map(Slab::from_vec),
        signs: signs.map(Slab::from_vec),
    }
}

/// Input arcs, chunked by edge index.
struct EdgeSource<'a> {
    edges: &'a EdgeList,
    keep_loops: bool,
    directed: bool,
}

/// Edges per chunk of [`EdgeSource`].
const EDGE_CHUNK: usize = 1 << 18;

impl ArcSource for EdgeSource<'_> {
    fn chunks(&self) -> usize {
        self.edges.len().div_ceil(EDGE_CHUNK).max(1)
    }

    fn for_each(&self, c: usize, emit: &mut dyn FnMut(NodeId, NodeId, usize)) {
        let lo = c * EDGE_CHUNK;
        let hi = (lo + EDGE_CHUNK).min(self.edges.len());
        for e in lo..hi {
            let (s, d) = (self.edges.src[e], self.edges.dst[e]);
            if s == d {
                if self.keep_loops {
                    emit(s, d, e);
                }
                continue;
            }
            emit(s, d, e);
            if !self.directed {
                emit(d, s, e);
            }
        }
    }
}

/// A CSR's arcs reversed, chunked by blocks of rows.
struct TransposeSource<'a> {
    out: &'a Adjacency,
    blocks: Vec<usize>,
}

impl ArcSource for TransposeSource<'_> {
    fn chunks(&self) -> usize {
        self.blocks.len() - 1
    }

    fn for_each(&self, c: usize, emit: &mut dyn FnMut(NodeId, NodeId, usize)) {
        let offsets = self.out.offsets.as_slice();
        let targets = self.out.targets.as_slice();
        for u in self.blocks[c]..self.blocks[c + 1] {
            let (lo, hi) = (offsets[u] as usize, offsets[u + 1] as usize);
            for (e, &v) in targets[lo..hi].iter().enumerate() {
                emit(v, u as NodeId, lo + e);
            }
        }
    }
}

/// Convenience for tests and small examples: a graph from `(u, v)` influence pairs with the
/// default policies (self-loops dropped, duplicates merged).
///
/// Panics if an id is not below `node_count`; [`build`] returns that as an error instead.
pub fn from_pairs(node_count: u32, pairs: &[(NodeId, NodeId)], directed: bool) -> Graph {
    let cfg = BuildConfig { directed, ..BuildConfig::default() };
    let reading =
        if directed { crate::EdgeReading::Influence } else { crate::EdgeReading::Undirected };
    let info = GraphInfo { reading, provenance: "edge pairs".into(), ..GraphInfo::default() };
    build(EdgeList::from_pairs(node_count, pairs), &cfg, info)
        .expect("from_pairs: every id must be below node_count")
}
