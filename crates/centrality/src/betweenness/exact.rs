//! Exact Brandes, parallel over fixed blocks of sources: one BFS (unweighted, see
//! [`super::bfs`]) or Dijkstra with a binary heap (weighted) per source, then the dependency
//! accumulation in reverse visit order.
//!
//! Paper → code (Brandes 2001, Algorithm 1): `d[w]` = `level[w]` (hops, `u32`) or `dist[w]`
//! (lengths); `σ[w]` = `sigma[w]`; `S` (the stack) = `order`, which is also the BFS queue (a
//! flat array read from the front while it grows, then walked backwards; `level_start` marks
//! where each BFS level begins); `δ[v]` is never stored: instead of pushing `σ[v]/σ[w]·(1 +
//! δ[w])` to every predecessor `v` through predecessor lists, `coef[w] = (r[w] + δ[w]) / σ[w]`
//! is computed once per node and summed over successors into `acc[v]`, so inner loops have no
//! division and there are no predecessor lists; `δ[v] = σ[v] · acc[v]`. `r[w]` is the number
//! of original vertices `w` stands for after degree-1 folding (1 without folding), and a
//! source's dependencies count `r[s]` times.
//!
//! Scratch lives in a per-call pool: a block takes one, reuses it for all its sources, and
//! gives it back, so there is at most one per running thread; per-node state is reset only
//! where a search touched it.

use std::cmp::Reverse;

use clout_graph::NodeId;

use super::scratch::Scratch;
use super::{Net, Pool, bfs, tree_reduce};

/// Sources per block. Fixed, so block sums (and every bit of the result) do not depend on the
/// thread count.
pub(super) const SOURCE_BLOCK: usize = 16;

/// Raw ordered-pair betweenness sums (NetworkX's pre-rescale values) over `sources`.
///
/// `reach[v]` (default 1) weights `v` as a source and as a target. `endpoints` adds NetworkX's
/// endpoint counts and is only meaningful without `reach`.
pub(super) fn brandes(
    net: &Net<'_>,
    sources: &[NodeId],
    reach: Option<&[f64]>,
    endpoints: bool,
) -> Vec<f64> {
    debug_assert!(!(endpoints && reach.is_some()));
    let n = net.node_count();
    let weighted = net.lengths.is_some();
    let pool = Pool::default();
    let enterable: Vec<NodeId> = if weighted {
        Vec::new()
    } else {
        (0..n as NodeId).filter(|&v| net.inn.degree(v) > 0).collect()
    };
    let leaf = |block: usize| {
        let mut partial = vec![0.0; n];
        let lo = block * SOURCE_BLOCK;
        let hi = (lo + SOURCE_BLOCK).min(sources.len());
        pool.with(
            || Scratch::new(n, weighted),
            |scratch| {
                let endpoint = if endpoints { 1.0 } else { 0.0 };
                for &s in &sources[lo..hi] {
                    let source_weight = reach.map_or(1.0, |r| r[s as usize]);
                    let reached = if weighted {
                        dijkstra_source(net, s, scratch);
                        accumulate_weighted(net, s, reach, endpoints, scratch, &mut partial);
                        scratch.order.len()
                    } else {
                        let reached = bfs::forward(net, &enterable, s, scratch);
                        bfs::backward(net, reach, source_weight, endpoint, scratch, &mut partial);
                        reached
                    };
                    partial[s as usize] += endpoint * (reached - 1) as f64;
                }
            },
        );
        partial
    };
    let merge = |into: &mut Vec<f64>, from: Vec<f64>| {
        into.iter_mut().zip(from).for_each(|(a, b)| *a += b);
    };
    tree_reduce(0..sources.len().div_ceil(SOURCE_BLOCK), &leaf, &merge)
        .unwrap_or_else(|| vec![0.0; n])
}

/// Dijkstra from `s` with a binary heap: `dist`, `sigma` and the settle order. Lengths are
/// positive; an arc whose length vanishes in `dist[v] + len` (it cannot lengthen a path in
/// `f64`) is ignored, so that forward counting and backward accumulation agree on every arc.
fn dijkstra_source(net: &Net<'_>, s: NodeId, scratch: &mut Scratch) {
    let Scratch { dist, sigma, order, heap, .. } = scratch;
    let lengths = net.lengths.as_deref().expect("weighted search without lengths");
    order.clear();
    dist[s as usize] = 0.0;
    sigma[s as usize] = 1.0;
    heap.push(Reverse((0f64.to_bits(), s)));
    // Non-negative f64 values order like their bit patterns.
    while let Some(Reverse((key, v))) = heap.pop() {
        let dist_v = f64::from_bits(key);
        if dist_v > dist[v as usize] {
            continue; // stale entry
        }
        order.push(v);
        let sigma_v = sigma[v as usize];
        let (row, first) = net.row(v);
        for (&w, &len) in row.iter().zip(&lengths[first..]) {
            let through_v = dist_v + len;
            let w = w as usize;
            if through_v <= dist_v {
                continue;
            }
            if through_v < dist[w] {
                dist[w] = through_v;
                sigma[w] = sigma_v;
                heap.push(Reverse((through_v.to_bits(), w as NodeId)));
            } else if through_v == dist[w] {
                sigma[w] += sigma_v;
            }
        }
    }
}

/// Dependency accumulation in reverse settle order after a Dijkstra search; adds
/// `r[s] · δ[v]` (plus the endpoint count) to `partial[v]` and resets `dist`.
fn accumulate_weighted(
    net: &Net<'_>,
    s: NodeId,
    reach: Option<&[f64]>,
    endpoints: bool,
    scratch: &mut Scratch,
    partial: &mut [f64],
) {
    let Scratch { dist, sigma, coef, order, .. } = scratch;
    let lengths = net.lengths.as_deref().expect("weighted accumulation without lengths");
    let reach_of = |v: usize| reach.map_or(1.0, |r| r[v]);
    let source_weight = reach_of(s as usize);
    let endpoint = if endpoints { 1.0 } else { 0.0 };
    // order[0] is s: its own dependency is not betweenness.
    for &v in order[1..].iter().rev() {
        let v = v as usize;
        let (row, first) = net.row(v as NodeId);
        let dist_v = dist[v];
        let mut pulled = 0.0;
        for (&w, &len) in row.iter().zip(&lengths[first..]) {
            let through_v = dist_v + len;
            if through_v == dist[w as usize] && through_v > dist_v {
                pulled += coef[w as usize];
            }
        }
        let delta = sigma[v] * pulled;
        coef[v] = (reach_of(v) + delta) / sigma[v];
        partial[v] += source_weight * delta + endpoint;
    }
    order.iter().for_each(|&v| dist[v as usize] = f64::INFINITY);
}
