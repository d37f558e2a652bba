//! k-core decomposition (coreness, NetworkX's `core_number`) by parallel level-synchronous
//! peeling, and its brute-force verifier.
//!
//! The *k-core* is the largest subgraph in which every node has degree at least `k` (Seidman,
//! "Network structure and minimum degree", Social Networks 1983); a node's *coreness* is the
//! largest `k` whose k-core contains it.
//!
//! # Which degree
//! Undirected graphs use the ordinary degree. Directed graphs use [`CoreDegree`]:
//! - [`CoreDegree::Total`] (default): in + out degree, as NetworkX's `core_number` on a
//!   `DiGraph` does. A reciprocated pair `u <-> v` counts twice, as in NetworkX.
//! - [`CoreDegree::In`] / [`CoreDegree::Out`]: the in- or out-degree **in clout's influence
//!   direction**. For a follower file (`A B` = "A follows B", stored `B -> A`), the `Out`-core
//!   is the largest group in which everyone has at least `k` followers inside the group
//!   (NetworkX in-degree), and the `In`-core the largest group in which everyone follows at
//!   least `k` members (NetworkX out-degree). NetworkX has no equivalent.
//!
//! Self-loops are refused ([`CentralityError::SelfLoop`]), as NetworkX refuses them; clout's
//! default build policy drops them.
//!
//! # Algorithm (Kabir and Madduri, "Parallel k-core decomposition on multicore platforms",
//! IPDPSW 2017, "PKC")
//! Levels `l` are processed in increasing order. At level `l`, every remaining node whose
//! remaining degree is `l` joins the frontier; removing a frontier node decrements the degree of
//! each remaining neighbour whose degree is above `l`, and a neighbour that drops to `l` joins
//! the next frontier of the same level. When the frontier empties, the next level is the
//! smallest remaining degree (PKC scans every level; skipping empty ones is free here). A removed
//! node's final degree is its coreness.
//!
//! Paper → code: `deg` = `remaining_degree` (one `AtomicU64` per node), `l` = `level`, the
//! per-thread `buff` = rayon `fold` buffers, `visited` = `removed`; the remaining node list is
//! compacted after every level instead of rescanning all `n` nodes.
//!
//! Decrements use atomic `fetch_sub`; one that takes a degree from `l + 1` to `l` enqueues the
//! node (exactly one thread sees that transition), and one that lands below `l` (a race with
//! another decrement) is undone. The coreness numbers are unique, so the result is the same at
//! any thread count and in any schedule.
//!
//! A frontier of fewer than `PARALLEL_FRONTIER` (1,024) nodes is peeled serially, depth first, until
//! the level is done or the stack has grown back to that size: a long chain (a path, a broom's
//! handle) peels one node per level-synchronous round, and a round per node made a 2-million
//! node path cost seconds of fork-join overhead instead of milliseconds of work.
//!
//! # Cost
//! O(m + Σ_levels |remaining|) time — O(n + m) on typical social graphs and on chains, stars
//! and cycles, O(n · k_max + m) in the worst case — parallel; O(n) memory. Rounds of the
//! parallel loop are at most one per 1,024 removed nodes.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use clout_graph::{Graph, NodeId};

use crate::CentralityError;

/// Which degree defines the k-cores of a directed graph (ignored for undirected graphs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "kebab-case")]
pub enum CoreDegree {
    /// In-degree plus out-degree, as NetworkX's `core_number` on a `DiGraph`. Default.
    #[default]
    Total,
    /// Influence in-degree. For a follower graph: how many members a node follows.
    In,
    /// Influence out-degree. For a follower graph: how many followers a node has.
    Out,
}

/// Parameters of [`coreness`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CorenessConfig {
    /// The degree that defines the cores of a directed graph. Default [`CoreDegree::Total`].
    pub degree: CoreDegree,
}

/// The result of [`coreness`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coreness {
    /// Coreness of each node (dense ids).
    pub core: Vec<u64>,
    /// The largest coreness (the degeneracy); 0 for an empty graph.
    pub max_core: u64,
}

/// How one node's removal lowers the degree of others, for a graph and a [`CoreDegree`].
#[derive(Clone, Copy)]
struct Peel<'g> {
    g: &'g Graph,
    /// Removing `v` lowers the degree of its out-neighbours.
    out_row: bool,
    /// Removing `v` lowers the degree of its in-neighbours.
    in_row: bool,
}

impl<'g> Peel<'g> {
    fn new(g: &'g Graph, degree: CoreDegree) -> Self {
        let (out_row, in_row) = match (g.is_directed(), degree) {
            (false, _) => (true, false),
            (true, CoreDegree::Total) => (true, true),
            // v's in-degree counts arcs u -> v: removing u lowers it for u's out-neighbours.
            (true, CoreDegree::In) => (true, false),
            (true, CoreDegree::Out) => (false, true),
        };
        Peel { g, out_row, in_row }
    }

    /// The degree of `v` that the cores are defined by: for each removal direction, the
    /// opposite row's length.
    fn degree(self, v: NodeId) -> u64 {
        if !self.g.is_directed() {
            return self.g.out_degree(v) as u64;
        }
        let counted_by_out_rows = if self.out_row { self.g.in_degree(v) } else { 0 };
        let counted_by_in_rows = if self.in_row { self.g.out_degree(v) } else { 0 };
        (counted_by_out_rows + counted_by_in_rows) as u64
    }

    /// The nodes whose degree drops by one (per occurrence) when `v` is removed.
    fn affected(self, v: NodeId) -> impl Iterator<Item = NodeId> + 'g {
        let out: &'g [NodeId] = if self.out_row { self.g.out_neighbors(v) } else { &[] };
        let inn: &'g [NodeId] = if self.in_row { self.g.in_neighbors(v) } else { &[] };
        out.iter().chain(inn).copied()
    }
}

/// The coreness (core number) of every node. See the [module docs](self) for the degree used
/// on directed graphs and the algorithm.
///
/// # Errors
/// [`CentralityError::SelfLoop`] if the graph has a self-loop.
///
/// # Complexity
/// O(m + Σ_levels |remaining|) time (O(n + m) on typical graphs and on chains, stars and
/// cycles), parallel; O(n) memory.
///
/// # Example
/// A triangle with a pendant node:
/// ```
/// use clout_centrality::{CorenessConfig, coreness};
/// let g = clout_graph::from_pairs(4, &[(0, 1), (1, 2), (2, 0), (2, 3)], false);
/// let c = coreness(&g, &CorenessConfig::default()).unwrap();
/// assert_eq!(c.core, vec![2, 2, 2, 1]);
/// assert_eq!(c.max_core, 2);
/// ```
pub fn coreness(g: &Graph, cfg: &CorenessConfig) -> Result<Coreness, CentralityError> {
    peel_all(g, cfg).map(|(result, _)| result)
}

/// [`coreness`], and the number of parallel (fork-join) rounds it took.
fn peel_all(g: &Graph, cfg: &CorenessConfig) -> Result<(Coreness, usize), CentralityError> {
    let n = g.node_count();
    let nodes = 0..n as NodeId;
    if let Some(node) =
        nodes.clone().into_par_iter().find_first(|&v| g.out_neighbors(v).binary_search(&v).is_ok())
    {
        return Err(CentralityError::SelfLoop { node });
    }
    let peel = Peel::new(g, cfg.degree);
    let remaining_degree: Vec<AtomicU64> =
        nodes.clone().into_par_iter().map(|v| AtomicU64::new(peel.degree(v))).collect();
    let degree_of = |v: NodeId| remaining_degree[v as usize].load(Ordering::Relaxed);

    let mut remaining: Vec<NodeId> = nodes.collect();
    let mut removed = 0usize;
    let mut max_core = 0u64;
    let mut rounds = 0usize;
    while removed < n {
        let level = remaining.par_iter().map(|&v| degree_of(v)).min().unwrap_or(0);
        max_core = level;
        let mut frontier: Vec<NodeId> =
            remaining.par_iter().copied().filter(|&v| degree_of(v) == level).collect();
        while !frontier.is_empty() {
            if frontier.len() < PARALLEL_FRONTIER {
                frontier = peel_serially(peel, &remaining_degree, level, frontier, &mut removed);
                continue;
            }
            removed += frontier.len();
            rounds += 1;
            frontier = frontier
                .par_iter()
                .fold(Vec::new, |mut found, &v| {
                    remove(peel, &remaining_degree, level, v, |u| found.push(u));
                    found
                })
                .reduce(Vec::new, |mut a, mut b| {
                    a.append(&mut b);
                    a
                });
        }
        remaining = remaining.par_iter().copied().filter(|&v| degree_of(v) > level).collect();
    }
    let core = remaining_degree.into_iter().map(AtomicU64::into_inner).collect();
    Ok((Coreness { core, max_core }, rounds))
}

/// Frontiers smaller than this are peeled by one thread, which keeps going through the nodes
/// they bring down to the level (a stack) until none is left or the stack grows to this size.
/// A level-synchronous round costs a rayon fork and join (microseconds); a chain peels one
/// node per round, so a path of 2 million nodes took 2 million rounds (16-25 s) instead of a
/// few milliseconds of work.
const PARALLEL_FRONTIER: usize = 1024;

/// Removes `v` at `level`: lowers the remaining degree of each affected neighbour still above
/// the level, and calls `reached_level(u)` for each one this brings down to it (exactly one
/// caller sees that transition; a decrement that lands below the level, racing with another, is
/// undone).
#[inline]
fn remove(
    peel: Peel<'_>,
    remaining_degree: &[AtomicU64],
    level: u64,
    v: NodeId,
    mut reached_level: impl FnMut(NodeId),
) {
    for u in peel.affected(v) {
        let slot = &remaining_degree[u as usize];
        if slot.load(Ordering::Relaxed) > level {
            let before = slot.fetch_sub(1, Ordering::Relaxed);
            if before == level + 1 {
                reached_level(u);
            } else if before <= level {
                slot.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// Peels a small frontier on this thread, depth first; counts the removed nodes in `removed`.
/// Returns the unprocessed rest when it has grown to [`PARALLEL_FRONTIER`] nodes (empty when
/// the level is done). The order of removals within a level does not change any core number.
fn peel_serially(
    peel: Peel<'_>,
    remaining_degree: &[AtomicU64],
    level: u64,
    mut stack: Vec<NodeId>,
    removed: &mut usize,
) -> Vec<NodeId> {
    while let Some(v) = stack.pop() {
        *removed += 1;
        remove(peel, remaining_degree, level, v, |u| stack.push(u));
        if stack.len() >= PARALLEL_FRONTIER {
            break;
        }
    }
    stack
}

/// Checks a [`Coreness`] result against the definition by brute force, for small graphs: for
/// every `k` from 1 to `max_core + 1` it computes the k-core by serial peeling (repeatedly
/// deleting nodes of degree below `k`) and checks that it is exactly the set of nodes with
/// coreness at least `k`. Together these say that every node with coreness `k` lies in the
/// k-core (it has at least `k` neighbours of coreness at least `k`) and not in the
/// (k+1)-core.
///
/// Cost O((max_core + 2) · (n + m)), serial.
pub fn verify_coreness(g: &Graph, cfg: &CorenessConfig, result: &Coreness) -> Result<(), String> {
    let n = g.node_count();
    let core = &result.core;
    if core.len() != n {
        return Err(format!("{} core numbers for {} nodes", core.len(), n));
    }
    let max = core.iter().copied().max().unwrap_or(0);
    if max != result.max_core {
        return Err(format!(
            "max_core is {} but the largest core number is {max}",
            result.max_core
        ));
    }
    let peel = Peel::new(g, cfg.degree);
    for k in 1..=max + 1 {
        let in_core = k_core(g, peel, k);
        if let Some(v) = (0..n).find(|&v| in_core[v] != (core[v] >= k)) {
            return Err(format!(
                "node {v} has core number {} but is {}in the {k}-core",
                core[v],
                if in_core[v] { "" } else { "not " }
            ));
        }
    }
    Ok(())
}

/// Membership of the k-core, by serial queue-based peeling.
fn k_core(g: &Graph, peel: Peel<'_>, k: u64) -> Vec<bool> {
    let n = g.node_count();
    let mut degree: Vec<u64> = (0..n as NodeId).map(|v| peel.degree(v)).collect();
    let mut alive = vec![true; n];
    let mut queue: Vec<NodeId> = Vec::new();
    for v in 0..n {
        if degree[v] < k {
            alive[v] = false;
            queue.push(v as NodeId);
        }
    }
    while let Some(v) = queue.pop() {
        for u in peel.affected(v) {
            let u = u as usize;
            if alive[u] {
                degree[u] -= 1;
                if degree[u] < k {
                    alive[u] = false;
                    queue.push(u as NodeId);
                }
            }
        }
    }
    alive
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parallel rounds only for frontiers of at least `PARALLEL_FRONTIER` nodes: a long chain
    /// peels in one serial sweep instead of one round per node, and a wide frontier still goes
    /// parallel, with the core numbers unchanged.
    #[test]
    fn chains_peel_without_a_round_per_node() {
        let n: u32 = 50_000;
        let path: Vec<(NodeId, NodeId)> = (0..n - 1).map(|i| (i + 1, i)).collect();
        let mut cycle = path.clone();
        cycle.push((0, n - 1));
        // A broom: a handle of n / 2 nodes ending in a hub with n / 2 leaves.
        let hub = n / 2 - 1;
        let mut broom: Vec<(NodeId, NodeId)> = (0..hub).map(|i| (i, i + 1)).collect();
        broom.extend((hub + 1..n).map(|leaf| (hub, leaf)));
        for (arcs, core) in [(&path, 1), (&cycle, 2), (&broom, 1)] {
            for directed in [true, false] {
                let g = clout_graph::from_pairs(n, arcs, directed);
                let cfg = CorenessConfig::default();
                let (result, rounds) = peel_all(&g, &cfg).unwrap();
                assert!(result.core.iter().all(|&c| c == core));
                // The old loop took one round per chain node (about n / 2 here).
                assert!(rounds <= 2 + n as usize / 1024, "{rounds} rounds");
            }
        }
        // The broom's leaves are one frontier of n / 2 nodes: peeled in parallel.
        let g = clout_graph::from_pairs(n, &broom, false);
        assert!(peel_all(&g, &CorenessConfig::default()).unwrap().1 >= 1);
    }
}
