//! Dropping repeated edges while the input is read, so that the parsed arrays grow with the
//! distinct edges rather than with the input lines.
//!
//! Parsed pieces are collected in input order. Under a duplicate policy that merges
//! ([`Duplicates::Sum`] or [`Duplicates::First`]), everything collected so far is compacted
//! whenever the pieces received since the last compaction hold at least as many edges as the
//! compacted part and at least `min_pending` (a sixteenth of a block: 1 Mi edges by default):
//! the edges are sorted by
//! `(a, b)` (by `(min, max)` for an undirected graph, where `u v` and `v u` are one edge) and
//! each repeated edge is merged into one. Between compactions the collector holds at most the
//! distinct edges seen so far, plus as many again, plus `min_pending`, plus the piece just
//! added: at most about `2 × distinct + min_pending + piece` edges. Each compaction costs
//! O(pending log pending + compacted), and pending is at least compacted, so the total is
//! O(m log m) for m input edges. [`Duplicates::Keep`] (a multigraph) cannot drop anything: the
//! collector then holds every input edge.
//!
//! The result is the one the builder gives without compaction, bit for bit, at any thread
//! count and wherever the compactions fall:
//! - the compacted part always comes first in input order (every edge it holds occurred before
//!   any pending edge), and pending edges with one key are visited in input order;
//! - [`Duplicates::First`] keeps the first occurrence's weight and sign;
//! - [`Duplicates::Sum`] starts from the compacted running sum (the sum of the earlier copies
//!   in input order) and adds the later copies one by one in input order, which is exactly the
//!   strictly sequential sum the builder computes; the sign is the first occurrence's.
//!
//! Merged copies are counted (self-loops apart) so the builder's counters stay those of the
//! whole input (see `clout_graph::builder::Premerged`). A self-loop keeps one copy, so a node
//! seen only in self-loops still gets an id.

use rayon::prelude::*;

use clout_graph::Duplicates;

use super::dictionary::{Sorted, from_merged, merge_all, positions, text_dictionaries};
use super::{Endpoints, Piece};

/// How repeated edges are merged while reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dedup {
    /// [`Duplicates::Sum`] or [`Duplicates::First`].
    pub policy: Duplicates,
    /// `a b` and `b a` are the same edge.
    pub undirected: bool,
    /// Pending edges below which no compaction is done.
    pub min_pending: usize,
}

impl Dedup {
    /// The dedup for a policy, or `None` for [`Duplicates::Keep`]. `block_bytes`: the reader's
    /// block size. A block holds at most `block_bytes / 4` edges (`"1 2\n"`); a quarter of that,
    /// `block_bytes / 16` edges (1 Mi edges, 8 MiB of ids, at the default 16 MiB), is the least
    /// number of pending edges worth a compaction: small next to the three blocks the reader
    /// holds anyway, large enough that a graph of distinct edges is rarely sorted twice.
    pub(crate) fn new(policy: Duplicates, undirected: bool, block_bytes: usize) -> Option<Dedup> {
        (policy != Duplicates::Keep).then_some(Dedup {
            policy,
            undirected,
            min_pending: (block_bytes / 16).max(16),
        })
    }
}

/// Parsed pieces as collected, with what compaction merged.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    /// The pieces in input order (a compacted piece first, if any).
    pub pieces: Vec<Piece>,
    /// Input edges merged into an earlier copy, self-loops included.
    pub merged: u64,
    /// How many of the merged copies were self-loops.
    pub merged_loops: u64,
    /// The most parsed edges held at once.
    pub peak_edges: u64,
}

/// Collects parsed pieces in input order and compacts them as they accumulate.
#[derive(Debug)]
pub(crate) struct Collector {
    dedup: Option<Dedup>,
    /// Distinct edges in key order (at most one piece).
    compacted: Option<Piece>,
    compacted_edges: usize,
    pending: Vec<Piece>,
    pending_edges: usize,
    merged: u64,
    merged_loops: u64,
    peak_edges: u64,
}

impl Collector {
    pub(crate) fn new(dedup: Option<Dedup>) -> Collector {
        Collector {
            dedup,
            compacted: None,
            compacted_edges: 0,
            pending: Vec::new(),
            pending_edges: 0,
            merged: 0,
            merged_loops: 0,
            peak_edges: 0,
        }
    }

    /// Adds the next piece in input order (its counts have been read already; only its edges
    /// are kept), compacting if enough has accumulated.
    pub(crate) fn push(&mut self, piece: Piece) {
        if piece.edges() == 0 {
            return;
        }
        self.pending_edges += piece.edges();
        self.pending.push(piece);
        let held = (self.compacted_edges + self.pending_edges) as u64;
        self.peak_edges = self.peak_edges.max(held);
        if let Some(dedup) = self.dedup
            && self.pending_edges >= self.compacted_edges.max(dedup.min_pending)
        {
            self.compact(dedup);
        }
    }

    /// The pieces in input order.
    pub(crate) fn finish(self) -> Collected {
        let mut pieces = Vec::with_capacity(self.pending.len() + 1);
        pieces.extend(self.compacted);
        pieces.extend(self.pending);
        Collected {
            pieces,
            merged: self.merged,
            merged_loops: self.merged_loops,
            peak_edges: self.peak_edges,
        }
    }

    fn compact(&mut self, dedup: Dedup) {
        // A compacted dictionary addresses its tokens with 32-bit offsets; past that (billions
        // of bytes of distinct string ids) the pieces are kept as they are.
        let text_bytes: usize = self
            .compacted
            .iter()
            .chain(&self.pending)
            .map(|p| match &p.ids {
                Endpoints::Text(dict) => dict.byte_len(),
                Endpoints::Narrow(_) | Endpoints::Wide(_) => 0,
            })
            .sum();
        if text_bytes > u32::MAX as usize {
            self.dedup = None;
            return;
        }
        let mut parts: Vec<Piece> = Vec::with_capacity(self.pending.len() + 1);
        parts.extend(self.compacted.take());
        parts.append(&mut self.pending);
        let merged = compact(parts, dedup);
        self.merged += merged.merged;
        self.merged_loops += merged.merged_loops;
        self.compacted_edges = merged.piece.edges();
        self.compacted = Some(merged.piece);
        self.pending_edges = 0;
    }
}

/// One compaction's result.
struct Compacted {
    piece: Piece,
    merged: u64,
    merged_loops: u64,
}

/// Merges the repeated edges of `parts`: the first part may be an earlier compaction (sorted
/// and distinct); the others are pending pieces in input order.
fn compact(parts: Vec<Piece>, dedup: Dedup) -> Compacted {
    let (min, max) = parts.iter().fold((u64::MAX, 0), |(lo, hi), p| (lo.min(p.min), hi.max(p.max)));
    let weighted = parts.iter().any(|p| !p.weights.is_empty());
    let signed = parts.iter().any(|p| !p.signs.is_empty());
    let wide = parts.iter().any(|p| matches!(p.ids, Endpoints::Wide(_)));
    let text = parts.iter().any(|p| matches!(p.ids, Endpoints::Text(_)));
    let mut weights = Vec::new();
    let mut signs = Vec::new();
    let mut endpoint_parts = Vec::with_capacity(parts.len());
    for mut part in parts {
        if weighted {
            weights.append(&mut part.weights);
        }
        if signed {
            signs.append(&mut part.signs);
        }
        endpoint_parts.push(part.ids);
    }
    let attrs = Attrs { weights, signs, weighted, signed };
    let (ids, attrs, (merged, merged_loops)) = if text {
        compact_text(endpoint_parts, attrs, dedup)
    } else if wide {
        let pack = |a: u64, b: u64| (a as u128) << 64 | b as u128;
        let keys = int_keys(endpoint_parts, dedup.undirected, pack);
        let (keys, attrs, merged) = merge_keys(keys, attrs, dedup.policy);
        let ids = keys.iter().flat_map(|&k| [(k >> 64) as u64, k as u64]).collect();
        (Endpoints::Wide(ids), attrs, merged)
    } else {
        let keys = int_keys(endpoint_parts, dedup.undirected, |a, b| a << 32 | b);
        let (keys, attrs, merged) = merge_keys(keys, attrs, dedup.policy);
        let ids = keys.iter().flat_map(|&k| [(k >> 32) as u32, k as u32]).collect();
        (Endpoints::Narrow(ids), attrs, merged)
    };
    let piece = Piece::of_edges(ids, attrs.weights, attrs.signs, min, max);
    Compacted { piece, merged, merged_loops }
}

/// Per-edge attributes in input order (empty when absent).
struct Attrs {
    weights: Vec<f64>,
    signs: Vec<i8>,
    weighted: bool,
    signed: bool,
}

/// An edge's sort key: its two endpoints packed high then low.
trait Key: Ord + Copy + Send + Sync {
    fn is_loop(self) -> bool;
}

impl Key for u64 {
    fn is_loop(self) -> bool {
        self >> 32 == self & 0xFFFF_FFFF
    }
}

impl Key for u128 {
    fn is_loop(self) -> bool {
        (self >> 64) as u64 == self as u64
    }
}

/// The keys of integer pieces in input order (the smaller id first when undirected); each
/// piece is freed once its keys are written.
fn int_keys<K: Key>(
    parts: Vec<Endpoints>,
    undirected: bool,
    pack: impl Fn(u64, u64) -> K,
) -> Vec<K> {
    let mut keys = Vec::with_capacity(parts.iter().map(|p| p.len() / 2).sum());
    let mut push = |a: u64, b: u64| {
        let (a, b) = if undirected && a > b { (b, a) } else { (a, b) };
        keys.push(pack(a, b));
    };
    for part in parts {
        match &part {
            Endpoints::Narrow(v) => v.chunks_exact(2).for_each(|p| push(p[0] as u64, p[1] as u64)),
            Endpoints::Wide(v) => v.chunks_exact(2).for_each(|p| push(p[0], p[1])),
            Endpoints::Text(_) => {}
        }
    }
    keys
}

/// String pieces: their dictionaries are merged into one and each edge is keyed by its two
/// global ranks (byte order, the order dense ids follow).
fn compact_text(
    parts: Vec<Endpoints>,
    attrs: Attrs,
    dedup: Dedup,
) -> (Endpoints, Attrs, (u64, u64)) {
    let dicts = text_dictionaries(parts);
    let global = merge_all(&dicts);
    let mut keys: Vec<u64> = Vec::with_capacity(dicts.iter().map(|d| d.rank.len() / 2).sum());
    for dict in dicts {
        let map = positions(&dict, &global);
        for pair in dict.rank.chunks_exact(2) {
            let (a, b) = (map[pair[0] as usize] as u64, map[pair[1] as usize] as u64);
            let (a, b) = if dedup.undirected && a > b { (b, a) } else { (a, b) };
            keys.push(a << 32 | b);
        }
    }
    let (keys, attrs, merged) = merge_keys(keys, attrs, dedup.policy);
    let rank = keys.iter().flat_map(|&k| [(k >> 32) as u32, k as u32]).collect();
    (Endpoints::Text(from_merged(global, rank)), attrs, merged)
}

/// Sorts `keys` (input order) and merges repeats per `policy`: the first occurrence's
/// attributes are kept, and under [`Duplicates::Sum`] the later weights are added to it one by
/// one in input order. Returns the distinct keys ascending with their attributes, and the
/// number of merged copies and of merged self-loop copies.
fn merge_keys<K: Key>(
    keys: Vec<K>,
    attrs: Attrs,
    policy: Duplicates,
) -> (Vec<K>, Attrs, (u64, u64)) {
    let total = keys.len() as u64;
    let mut merged_loops = 0u64;
    if !attrs.weighted && !attrs.signed {
        let mut keys = keys;
        keys.par_sort_unstable();
        let mut kept = 0usize;
        for i in 0..keys.len() {
            if kept > 0 && keys[i] == keys[kept - 1] {
                merged_loops += keys[i].is_loop() as u64;
            } else {
                keys[kept] = keys[i];
                kept += 1;
            }
        }
        keys.truncate(kept);
        keys.shrink_to_fit();
        let merged = total - kept as u64;
        return (keys, attrs, (merged, merged_loops));
    }
    // Sorting (key, input index) pairs keeps input order among equal keys.
    let mut order: Vec<(K, usize)> = keys.into_iter().enumerate().map(|(i, k)| (k, i)).collect();
    order.par_sort_unstable();
    let mut out_keys = Vec::new();
    let mut weights = Vec::new();
    let mut signs = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let (key, first) = order[i];
        let mut weight = if attrs.weighted { attrs.weights[first] } else { 0.0 };
        let mut j = i + 1;
        while j < order.len() && order[j].0 == key {
            if attrs.weighted && policy == Duplicates::Sum {
                weight += attrs.weights[order[j].1];
            }
            j += 1;
        }
        merged_loops += key.is_loop() as u64 * (j - i - 1) as u64;
        out_keys.push(key);
        if attrs.weighted {
            weights.push(weight);
        }
        if attrs.signed {
            signs.push(attrs.signs[first]);
        }
        i = j;
    }
    let merged = total - out_keys.len() as u64;
    let attrs = Attrs { weights, signs, ..attrs };
    (out_keys, attrs, (merged, merged_loops))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(ids: Vec<u32>, weights: Vec<f64>, signs: Vec<i8>) -> Piece {
        let min = ids.iter().copied().min().unwrap_or(u32::MAX) as u64;
        let max = ids.iter().copied().max().unwrap_or(0) as u64;
        Piece::of_edges(Endpoints::Narrow(ids), weights, signs, min, max)
    }

    fn narrow(p: &Piece) -> Vec<u32> {
        match &p.ids {
            Endpoints::Narrow(v) => v.clone(),
            other => panic!("not narrow: {other:?}"),
        }
    }

    fn dedup(policy: Duplicates, undirected: bool) -> Dedup {
        Dedup { policy, undirected, min_pending: 1 }
    }

    #[test]
    fn first_keeps_the_earliest_copy_across_compactions() {
        let mut c = Collector::new(Some(dedup(Duplicates::First, false)));
        c.push(piece(vec![1, 2, 3, 4, 1, 2], vec![0.5, 7.0, 9.0], vec![1, 1, -1]));
        c.push(piece(vec![3, 4, 5, 5, 1, 2], vec![2.0, 1.0, 3.0], vec![-1, 1, -1]));
        c.push(piece(vec![5, 5, 3, 4], vec![4.0, 5.0], vec![-1, 1]));
        let out = c.finish();
        // The last piece waits (2 pending edges against 3 compacted): the builder merges it.
        assert_eq!(out.pieces.len(), 2);
        let p = &out.pieces[0];
        assert_eq!(narrow(p), [1, 2, 3, 4, 5, 5]);
        assert_eq!(p.weights, [0.5, 7.0, 1.0]);
        assert_eq!(p.signs, [1, 1, 1]);
        assert_eq!((out.merged, out.merged_loops), (3, 0));
        assert_eq!((p.min, p.max), (1, 5));
        assert_eq!((out.peak_edges, narrow(&out.pieces[1])), (5, vec![5, 5, 3, 4]));
    }

    #[test]
    fn merged_self_loops_are_counted_apart() {
        let mut c = Collector::new(Some(dedup(Duplicates::First, false)));
        c.push(piece(vec![5, 5, 5, 5, 1, 2, 5, 5, 1, 2], vec![], vec![]));
        let out = c.finish();
        assert_eq!(narrow(&out.pieces[0]), [1, 2, 5, 5]);
        assert_eq!((out.merged, out.merged_loops), (3, 2));
    }

    #[test]
    fn sum_adds_in_input_order() {
        // 0.1 + 0.2 + 0.3 differs from 0.1 + (0.2 + 0.3) in the last bit: the sum must be the
        // sequential one however the copies fall into pieces and compactions.
        let sequential = (0.1 + 0.2) + 0.3;
        assert_ne!(sequential, 0.1 + (0.2 + 0.3));
        for split in [1, 2] {
            let mut c = Collector::new(Some(dedup(Duplicates::Sum, false)));
            let weights = [0.1, 0.2, 0.3];
            c.push(piece([7, 8].repeat(split), weights[..split].to_vec(), vec![]));
            c.push(piece([7, 8].repeat(3 - split), weights[split..].to_vec(), vec![]));
            let out = c.finish();
            assert_eq!(out.pieces[0].weights, [sequential], "split {split}");
        }
    }

    #[test]
    fn undirected_merges_both_orientations() {
        let mut c = Collector::new(Some(dedup(Duplicates::Sum, true)));
        c.push(piece(vec![2, 1, 1, 2, 3, 1], vec![], vec![]));
        let out = c.finish();
        assert_eq!(narrow(&out.pieces[0]), [1, 2, 1, 3]);
        assert_eq!(out.merged, 1);
    }

    #[test]
    fn keep_policy_holds_every_edge() {
        assert!(Dedup::new(Duplicates::Keep, false, 1 << 20).is_none());
        let mut c = Collector::new(None);
        for _ in 0..3 {
            c.push(piece(vec![1, 2, 1, 2], vec![], vec![]));
        }
        let out = c.finish();
        assert_eq!((out.pieces.len(), out.merged, out.peak_edges), (3, 0, 6));
    }

    #[test]
    fn waits_for_enough_pending_edges() {
        let mut c = Collector::new(Some(Dedup { min_pending: 4, ..dedup(Duplicates::Sum, false) }));
        c.push(piece(vec![1, 2, 1, 2, 1, 2], vec![], vec![]));
        assert!(c.compacted.is_none());
        c.push(piece(vec![1, 2], vec![], vec![]));
        assert_eq!(c.compacted_edges, 1);
        assert!(c.pending.is_empty());
    }
}
