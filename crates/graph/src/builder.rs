//! Building a CSR [`Graph`] from a list of influence arcs: a bucketed stable scatter (see
//! `scatter.rs`), per-row sort and merge (as GAP's `builder.h` does), then a transpose for the
//! in-adjacency (the same scatter over the reversed arcs).
//!
//! The result is deterministic: the same edge list gives the same arrays, bit for bit, at any
//! thread count. Scatters are stable (input order is kept inside each row before the sort), so "the first occurrence" of a duplicate and the order in which duplicate weights are
//! summed are both the input order. Row sorts and merges run in parallel over disjoint blocks of
//! rows.
//!
//! Cost: O(n + m log d) time where d is the largest degree; memory for the input arrays plus the
//! two CSRs (the input is dropped before the transpose).

use rayon::prelude::*;

mod scatter;

use scatter::{ArcSource, Attributes, Scattered, scatter};

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
pub enum SelfLoops {
    /// Drop it and count it (default: a self-loop carries no influence to anyone else).
    #[default]
    Drop,
    /// Keep it.
    Keep,
}

/// What to do with a repeated arc `u -> v`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
        }
    }
}

impl std::error::Error for BuildError {}

/// Builds a graph from influence arcs under the given policies. `info` is stored in the graph
/// with its policy counters (`input_edges`, `self_loops_dropped`, `self_loops_kept`,
/// `duplicates_merged`) filled in here.
///
/// For an undirected graph, the duplicate policy sees `u v` and `v u` as the same edge.
pub fn build(edges: EdgeList, cfg: &BuildConfig, mut info: GraphInfo) -> Result<Graph, BuildError> {
    validate(&edges)?;
    let n = edges.node_count as usize;
    info.input_edges = edges.len() as u64;

    // 1. Stable, cache-friendly scatter into rows (self-loops dropped here if asked).
    let keep_loops = cfg.self_loops == SelfLoops::Keep;
    let loops = edges.src.par_iter().zip(&edges.dst).filter(|(s, d)| s == d).count() as u64;
    let source = EdgeSource { edges: &edges, keep_loops, directed: cfg.directed };
    let attrs = Attributes { weights: edges.weights.as_deref(), signs: edges.signs.as_deref() };
    let Scattered { offsets, targets, weights, signs } = scatter(n, &source, &attrs);
    drop(edges);

    // 2. Sort and merge each row.
    let mut rows = RowArrays { offsets, targets, weights, signs };
    let merged = rows.sort_and_merge(cfg.duplicates, cfg.directed);

    info.self_loops_kept = if keep_loops { loops } else { 0 };
    info.self_loops_dropped = if keep_loops { 0 } else { loops };
    info.duplicates_merged = merged;

    let out_adj = rows.into_adjacency();
    let in_adj = if cfg.directed { transpose(n, &out_adj) } else { out_adj.clone() };
    Ok(Graph { node_count: n as u32, directed: cfg.directed, out_adj, in_adj, info })
}

fn validate(edges: &EdgeList) -> Result<(), BuildError> {
    let arcs = edges.src.len();
    if edges.dst.len() != arcs {
        return Err(BuildError::LengthMismatch { what: "dst", len: edges.dst.len(), arcs });
    }
    if let Some(w) = &edges.weights
        && w.len() != arcs
    {
        return Err(BuildError::LengthMismatch { what: "weights", len: w.len(), arcs });
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

/// CSR arrays under construction.
struct RowArrays {
    offsets: Vec<u64>,
    targets: Vec<NodeId>,
    weights: Option<Vec<f64>>,
    signs: Option<Vec<i8>>,
}

/// One row's mutable view of the arrays.
struct RowMut<'a> {
    targets: &'a mut [NodeId],
    weights: Option<&'a mut [f64]>,
    signs: Option<&'a mut [i8]>,
}

impl RowArrays {
    /// Sorts every row by target (stably, keeping input order among equal targets) and merges
    /// duplicates per `policy`. Returns the number of merged input edges.
    fn sort_and_merge(&mut self, policy: Duplicates, directed: bool) -> u64 {
        let n = self.offsets.len() - 1;
        let blocks = row_blocks(&self.offsets);
        let offsets = &self.offsets;
        // Split every array into the blocks' disjoint ranges.
        let mut target_parts = split_by(&mut self.targets, offsets, &blocks);
        let mut weight_parts = self.weights.as_mut().map(|w| split_by(w, offsets, &blocks));
        let mut sign_parts = self.signs.as_mut().map(|s| split_by(s, offsets, &blocks));
        let mut jobs: Vec<(usize, usize, RowMut<'_>)> = Vec::with_capacity(blocks.len() - 1);
        for b in (0..blocks.len() - 1).rev() {
            jobs.push((
                blocks[b],
                blocks[b + 1],
                RowMut {
                    targets: target_parts.pop().unwrap(),
                    weights: weight_parts.as_mut().map(|p| p.pop().unwrap()),
                    signs: sign_parts.as_mut().map(|p| p.pop().unwrap()),
                },
            ));
        }
        jobs.reverse();
        // Each block returns its rows' new lengths and its merge count.
        let results: Vec<(Vec<u64>, u64)> = jobs
            .into_par_iter()
            .map(|(lo, hi, block)| sort_block(lo, hi, offsets, block, policy, directed))
            .collect();
        let merged: u64 = results.iter().map(|r| r.1).sum();
        if merged == 0 {
            return 0;
        }
        // Compact: new offsets, then copy each row's kept prefix.
        let mut new_offsets = Vec::with_capacity(n + 1);
        new_offsets.push(0u64);
        for (lens, _) in &results {
            for &len in lens {
                let last = *new_offsets.last().unwrap();
                new_offsets.push(last + len);
            }
        }
        self.targets = compact(&self.targets, &self.offsets, &new_offsets);
        self.weights = self.weights.as_ref().map(|w| compact(w, &self.offsets, &new_offsets));
        self.signs = self.signs.as_ref().map(|s| compact(s, &self.offsets, &new_offsets));
        self.offsets = new_offsets;
        merged
    }

    fn into_adjacency(self) -> Adjacency {
        Adjacency {
            offsets: Slab::from_vec(self.offsets),
            targets: Slab::from_vec(self.targets),
            weights: self.weights.map(Slab::from_vec),
            signs: self.signs.map(Slab::from_vec),
        }
    }
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

/// Splits `data` into the arc ranges of the given row blocks.
fn split_by<'a, T>(mut data: &'a mut [T], offsets: &[u64], blocks: &[usize]) -> Vec<&'a mut [T]> {
    let mut parts = Vec::with_capacity(blocks.len());
    for b in 0..blocks.len() - 1 {
        let len = (offsets[blocks[b + 1]] - offsets[blocks[b]]) as usize;
        let (head, tail) = data.split_at_mut(len);
        parts.push(head);
        data = tail;
    }
    parts
}

fn sort_block(
    lo: usize,
    hi: usize,
    offsets: &[u64],
    block: RowMut<'_>,
    policy: Duplicates,
    directed: bool,
) -> (Vec<u64>, u64) {
    let base = offsets[lo];
    let mut lens = Vec::with_capacity(hi - lo);
    let mut merged = 0u64;
    let mut perm: Vec<u32> = Vec::new();
    let mut scratch_t: Vec<NodeId> = Vec::new();
    let mut scratch_w: Vec<f64> = Vec::new();
    let mut scratch_s: Vec<i8> = Vec::new();
    let RowMut { targets, mut weights, mut signs } = block;
    for row in lo..hi {
        let a = (offsets[row] - base) as usize;
        let b = (offsets[row + 1] - base) as usize;
        let t = &mut targets[a..b];
        let mut w = weights.as_deref_mut().map(|w| &mut w[a..b]);
        let mut s = signs.as_deref_mut().map(|s| &mut s[a..b]);
        if !t.is_sorted() {
            if w.is_none() && s.is_none() {
                t.sort_unstable();
            } else {
                // Stable sort through a permutation so attributes follow their targets.
                perm.clear();
                perm.extend(0..t.len() as u32);
                perm.sort_by_key(|&i| t[i as usize]);
                scratch_t.clear();
                scratch_t.extend(perm.iter().map(|&i| t[i as usize]));
                t.copy_from_slice(&scratch_t);
                if let Some(w) = w.as_deref_mut() {
                    scratch_w.clear();
                    scratch_w.extend(perm.iter().map(|&i| w[i as usize]));
                    w.copy_from_slice(&scratch_w);
                }
                if let Some(s) = s.as_deref_mut() {
                    scratch_s.clear();
                    scratch_s.extend(perm.iter().map(|&i| s[i as usize]));
                    s.copy_from_slice(&scratch_s);
                }
            }
        }
        let len = if policy == Duplicates::Keep || t.len() < 2 {
            t.len()
        } else {
            let mut kept = 1usize;
            for i in 1..t.len() {
                if t[i] == t[kept - 1] {
                    // An undirected duplicate shows up in both endpoint rows: count it once.
                    if directed || t[i] as usize >= row {
                        merged += 1;
                    }
                    if policy == Duplicates::Sum
                        && let Some(w) = w.as_deref_mut()
                    {
                        w[kept - 1] += w[i];
                    }
                } else {
                    t[kept] = t[i];
                    if let Some(w) = w.as_deref_mut() {
                        w[kept] = w[i];
                    }
                    if let Some(s) = s.as_deref_mut() {
                        s[kept] = s[i];
                    }
                    kept += 1;
                }
            }
            kept
        };
        lens.push(len as u64);
    }
    (lens, merged)
}

/// Copies the first `new_offsets[r+1] - new_offsets[r]` entries of each row into a packed array.
fn compact<T: Copy + Default + Send + Sync>(data: &[T], old: &[u64], new: &[u64]) -> Vec<T> {
    let n = old.len() - 1;
    let mut out = vec![T::default(); new[n] as usize];
    let blocks = row_blocks(new);
    let parts = split_by(&mut out, new, &blocks);
    parts.into_par_iter().enumerate().for_each(|(b, part)| {
        let mut at = 0usize;
        for row in blocks[b]..blocks[b + 1] {
            let len = (new[row + 1] - new[row]) as usize;
            let start = old[row] as usize;
            part[at..at + len].copy_from_slice(&data[start..start + len]);
            at += len;
        }
    });
    out
}

/// The in-adjacency of a directed graph: row `v` lists the sources of arcs into `v`, ascending
/// (rows come out sorted because sources are emitted in order), with attributes carried along.
pub(crate) fn transpose(n: usize, out: &Adjacency) -> Adjacency {
    let source = TransposeSource { out, blocks: row_blocks(out.offsets.as_slice()) };
    let attrs = Attributes { weights: out.weights.as_deref(), signs: out.signs.as_deref() };
    let Scattered { offsets, targets, weights, signs } = scatter(n, &source, &attrs);
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
pub fn from_pairs(node_count: u32, pairs: &[(NodeId, NodeId)], directed: bool) -> Graph {
    let cfg = BuildConfig { directed, ..BuildConfig::default() };
    let reading =
        if directed { crate::EdgeReading::Influence } else { crate::EdgeReading::Undirected };
    let info = GraphInfo { reading, provenance: "edge pairs".into(), ..GraphInfo::default() };
    build(EdgeList::from_pairs(node_count, pairs), &cfg, info)
        .expect("from_pairs: every id must be below node_count")
}
