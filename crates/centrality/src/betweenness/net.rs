//! The plumbing the betweenness kernels share: the graph view they walk ([`Net`], [`Rows`]),
//! arc lengths from weights, a per-call scratch pool, and the fixed-shape parallel reduction.

use std::borrow::Cow;

use clout_graph::{Adjacency, Graph, NodeId};

use super::WeightMode;
use crate::CentralityError;

/// A graph as the kernels walk it: rows along the arcs (`out`), rows against them (`inn`, for
/// bottom-up BFS steps and push-style accumulation), and optional arc lengths parallel to
/// `out`'s targets.
#[derive(Clone)]
pub(super) struct Net<'a> {
    pub(super) out: Rows<'a>,
    pub(super) inn: Rows<'a>,
    /// `inn` is `out` (an undirected graph).
    pub(super) symmetric: bool,
    pub(super) lengths: Option<Cow<'a, [f64]>>,
}

impl<'a> Net<'a> {
    pub(super) fn out_of(g: &'a Graph, lengths: Option<Cow<'a, [f64]>>) -> Self {
        let (out, inn) = (Rows::of(g.out_adjacency()), Rows::of(g.in_adjacency()));
        Net { out, inn, symmetric: !g.is_directed(), lengths }
    }

    pub(super) fn node_count(&self) -> usize {
        self.out.offsets.len() - 1
    }

    /// Row `v` along the arcs: neighbours and the index of the first arc.
    #[inline]
    pub(super) fn row(&self, v: NodeId) -> (&'a [NodeId], usize) {
        let first = self.out.offsets[v as usize] as usize;
        (self.out.row(v), first)
    }
}

/// CSR rows as plain slices (taken out of the graph's slabs once, not per row).
#[derive(Clone, Copy)]
pub(super) struct Rows<'a> {
    pub(super) offsets: &'a [u64],
    pub(super) targets: &'a [NodeId],
}

impl<'a> Rows<'a> {
    pub(super) fn of(adjacency: &'a Adjacency) -> Self {
        Rows { offsets: adjacency.offsets.as_slice(), targets: adjacency.targets.as_slice() }
    }

    #[inline]
    pub(super) fn row(self, v: NodeId) -> &'a [NodeId] {
        let v = v as usize;
        &self.targets[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    #[inline]
    pub(super) fn degree(self, v: NodeId) -> usize {
        let v = v as usize;
        (self.offsets[v + 1] - self.offsets[v]) as usize
    }
}

/// Arc lengths of one adjacency under `mode`, checked finite and positive; `None` unweighted.
/// `inward`: the adjacency is the in-adjacency (its rows are arc targets), for messages.
pub(super) fn arc_lengths(
    adjacency: &Adjacency,
    mode: Option<WeightMode>,
    inward: bool,
) -> Result<Option<Cow<'_, [f64]>>, CentralityError> {
    use rayon::prelude::*;
    let Some(mode) = mode else { return Ok(None) };
    let weights = adjacency.weights.as_ref().ok_or(CentralityError::Unweighted)?.as_slice();
    let lengths: Cow<'_, [f64]> = match mode {
        WeightMode::Distance => Cow::Borrowed(weights),
        WeightMode::Strength => Cow::Owned(weights.par_iter().map(|w| 1.0 / w).collect()),
    };
    match lengths.par_iter().position_first(|&l| !(l > 0.0 && l.is_finite())) {
        Some(arc) => {
            let (row, entry) = crate::arc_ends(adjacency, arc);
            let (source, target) = if inward { (entry, row) } else { (row, entry) };
            Err(CentralityError::NonPositiveWeight { source, target, weight: weights[arc] })
        }
        None => Ok(Some(lengths)),
    }
}

/// Combines `blocks` results by a pairwise reduction of fixed shape (split at the midpoint),
/// so the result does not depend on the thread count or on which thread ran which block.
pub(super) fn tree_reduce<T: Send>(
    blocks: std::ops::Range<usize>,
    leaf: &(impl Fn(usize) -> T + Sync),
    merge: &(impl Fn(&mut T, T) + Sync),
) -> Option<T> {
    match blocks.len() {
        0 => None,
        1 => Some(leaf(blocks.start)),
        len => {
            let mid = blocks.start + len / 2;
            let (left, right) = rayon::join(
                || tree_reduce(blocks.start..mid, leaf, merge),
                || tree_reduce(mid..blocks.end, leaf, merge),
            );
            let (mut left, right) = (left?, right?);
            merge(&mut left, right);
            Some(left)
        }
    }
}

/// Scratch buffers shared by the blocks of one call: a block takes one (or makes one) and gives
/// it back, so a call holds at most one per thread running its blocks, and frees them on return.
pub(super) struct Pool<T>(std::sync::Mutex<Vec<T>>);

impl<T> Default for Pool<T> {
    fn default() -> Self {
        Pool(std::sync::Mutex::new(Vec::new()))
    }
}

impl<T> Pool<T> {
    /// Runs `f` on a pooled item, made by `make` when none is free.
    pub(super) fn with<R>(&self, make: impl FnOnce() -> T, f: impl FnOnce(&mut T) -> R) -> R {
        let taken = self.0.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut item = taken.unwrap_or_else(make);
        let out = f(&mut item);
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(item);
        out
    }
}
