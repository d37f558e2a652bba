//! The adaptive collective-influence ranking (Morone and Makse, Nature 2015; with the max-heap
//! of Morone, Min, Bo, Mari and Makse, "Collective Influence Algorithm to find influencers via
//! optimal percolation in massively large social media", Scientific Reports 6, 30062, 2016),
//! and its replay verifier.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;

use clout_graph::{Graph, NodeId};

use super::batch::{Ball, Renumbered, initial_scores, scores_of_batch};
use super::{CiDirection, View, brute_force, refuse_self_loops};
use crate::CentralityError;
use crate::harmonic::msbfs::{LANES, MultiBfs};

/// Parameters of [`collective_influence_ranking`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CiRankingConfig {
    /// The ball radius `ℓ`. Default 2.
    pub radius: u32,
    /// The directed convention (see [`CiDirection`]). Default [`CiDirection::Influence`].
    pub direction: CiDirection,
    /// Stop after this many removals. Default `None`: run until every remaining node has CI 0.
    pub max_removals: Option<usize>,
}

impl Default for CiRankingConfig {
    fn default() -> Self {
        CiRankingConfig { radius: 2, direction: CiDirection::Influence, max_removals: None }
    }
}

/// The result of [`collective_influence_ranking`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CiRanking {
    /// Removed nodes, most influential first.
    pub order: Vec<NodeId>,
    /// The CI of each removed node at the moment it was removed. Not necessarily non-increasing:
    /// a removal can push nodes out to distance exactly `ℓ` and so raise someone's CI.
    pub ci_at_removal: Vec<u64>,
    /// The radius `ℓ` used.
    pub radius: u32,
    /// True when the ranking stopped because no remaining node has positive CI; false when it
    /// stopped at `max_removals`.
    pub complete: bool,
}

/// The adaptive CI ranking: repeatedly remove the node of largest CI (ties to the smallest id)
/// from the graph and re-score what it affected, until all remaining CI are 0 or
/// `max_removals` nodes are out. The removal order is the paper's list of influencers (before
/// its optional reinsertion step, which clout does not do). See the [module docs](super) for
/// the score and the directed convention.
///
/// # Algorithm (paper → code)
/// The authors' code re-scores every node within distance `ℓ + 1` of each removed node and
/// keeps exact CI in a max-heap. On heavy-tailed graphs that region is most of the graph each
/// time a hub goes, so clout keeps a max-heap with **lazy** updates (as CELF does for greedy
/// influence maximization): every alive node of positive CI has a heap key that bounds its
/// current CI from above, and a node is re-scored only when its key reaches the top.
/// - The bound: removals only lengthen distances and lower degrees, so a node's boundary now
///   lies inside the ball it had when last scored, with smaller degrees; `k_i - 1` times the
///   sum of `k_j - 1` over that old ball stays an upper bound. For `ℓ ≤ 2` the boundary itself
///   can only shrink (neighbours stay neighbours), so the last CI is the bound.
/// - An exact CI computed since the last removal that reaches the top is the maximum and is
///   removed; entries are `(key, Reverse(original id), kind, version, node)`, so ties go to
///   the smallest original id and superseded entries are skipped. A stale key is re-scored:
///   one node per thread first, doubling while that was not enough (up to 256), each by a
///   single-source BFS with a visited bitset, or by bit-parallel batches when there are many,
///   in parallel.
/// - Removing `r` lowers the degree of the alive nodes whose forward rows hold `r`; nothing
///   else is updated eagerly.
///
/// Paper → code: `CI` = the key of an exact entry, the heap = `heap`, `deg` = `degree`,
/// `n_i = 0` = `!alive[i]`.
///
/// # Errors
/// [`CentralityError::SelfLoop`] if the graph has a self-loop.
///
/// # Complexity
/// The initial scores as [`collective_influence`](super::collective_influence); then per
/// removal O(k_r) for the degrees, O(log heap) per heap entry, and one bounded BFS per
/// re-scored node. How many are re-scored depends on how far the removal lowered the top
/// keys: about 20 per removal on R-MAT, where removing a hub lowers the CI of every node near
/// the top. Memory O(n + m): the rows renumbered both ways, and the heap. The order is
/// identical at any thread count (integer scores, deterministic ties).
pub fn collective_influence_ranking(
    g: &Graph,
    cfg: &CiRankingConfig,
) -> Result<CiRanking, CentralityError> {
    refuse_self_loops(g)?;
    let n = g.node_count();
    let view = View::new(g, cfg.direction);
    // Everything below runs on renumbered ids (see `Renumbered`); ties and output use the
    // original ids.
    let renumbered = Renumbered::new(&view, &view.degrees(n), true);
    let mut state = State {
        heap: BinaryHeap::new(),
        version: vec![0; n],
        scored_at: vec![0; n],
        alive: vec![true; n],
        parked: Vec::new(),
        old: &renumbered.old,
        bound_is_ci: cfg.radius <= 2,
    };
    for (i, [ci, bound]) in initial_scores(&renumbered, cfg.radius).into_iter().enumerate() {
        state.push(i as NodeId, ci, bound);
    }
    let mut degree = renumbered.degree.clone();
    let mut dead = vec![0u64; n.div_ceil(64)];
    let threads = rayon::current_num_threads().max(1);
    let pool: Vec<Mutex<Scratch>> =
        (0..threads).map(|_| Mutex::new(Scratch { ball: Ball::new(n), bfs: None })).collect();
    let limit = cfg.max_removals.unwrap_or(usize::MAX);
    let mut result = CiRanking {
        order: Vec::new(),
        ci_at_removal: Vec::new(),
        radius: cfg.radius,
        complete: false,
    };
    let mut removals = 0u64;
    loop {
        let (rows, degree_now, dead_now) = (&renumbered.forward, &degree, &dead);
        let scratch = || {
            let slot = &pool[rayon::current_thread_index().unwrap_or(0) % pool.len()];
            slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
        };
        // A few stale nodes: one cache-friendly BFS each, in parallel. Many: bit-parallel
        // batches split over the threads. The scores are the same either way.
        let rescore = |stale: &[NodeId]| -> Vec<[u64; 2]> {
            if stale.len() < LANES / 4 {
                stale
                    .par_iter()
                    .map(|&v| scratch().ball.score(rows, cfg.radius, degree_now, dead_now, v))
                    .collect()
            } else {
                let chunk = stale.len().div_ceil(threads).min(LANES);
                stale
                    .par_chunks(chunk)
                    .flat_map_iter(|sources| {
                        let mut guard = scratch();
                        let bfs = guard.bfs.get_or_insert_with(|| MultiBfs::new(n));
                        let enter = |w: usize| dead_now[w >> 6] & (1 << (w & 63)) == 0;
                        scores_of_batch(rows, cfg.radius, degree_now, enter, sources, bfs)
                    })
                    .collect()
            }
        };
        let Some((value, r)) = state.next_top(removals, threads, rescore) else {
            result.complete = true;
            break;
        };
        if result.order.len() >= limit {
            break;
        }
        result.order.push(renumbered.old[r as usize]);
        result.ci_at_removal.push(value);
        state.alive[r as usize] = false;
        dead[r as usize >> 6] |= 1 << (r & 63);
        for &p in renumbered.backward().row(r) {
            if state.alive[p as usize] {
                degree[p as usize] -= 1;
            }
        }
        removals += 1;
        let parked = std::mem::take(&mut state.parked);
        state.heap.extend(parked);
    }
    Ok(result)
}

/// The most stale keys re-scored together: two full bit-parallel batches.
const RESCORE_BATCH: usize = 2 * LANES;

/// Per-thread re-scoring scratch.
struct Scratch {
    ball: Ball,
    bfs: Option<MultiBfs>,
}

/// What a heap entry's key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// An upper bound on the node's CI, valid until the node is re-scored.
    Bound,
    /// The node's exact CI, valid until the next removal.
    Exact,
    /// Both: the exact CI, which also bounds all later values.
    ExactBound,
}

/// `(key, Reverse(original id), kind, version, node)`: larger keys first, then smaller
/// original ids, then exact entries before bounds.
type Entry = (u64, Reverse<NodeId>, Kind, u32, NodeId);

struct State<'a> {
    heap: BinaryHeap<Entry>,
    /// How many times each node was scored: entries of older versions are superseded.
    version: Vec<u32>,
    /// The removal count when each node was last scored.
    scored_at: Vec<u64>,
    alive: Vec<bool>,
    /// Current bounds of nodes scored since the last removal, held back until the next one
    /// (popping them again would re-score a node that cannot have changed).
    parked: Vec<Entry>,
    /// Original id of each node.
    old: &'a [NodeId],
    /// `ℓ ≤ 2`: a node's CI bounds its later values, so the ball bound is not needed.
    bound_is_ci: bool,
}

impl State<'_> {
    /// Pushes the entries of a fresh scoring of `v` (nothing for a zero bound: CI stays 0).
    fn push(&mut self, v: NodeId, ci: u64, bound: u64) {
        let bound = if self.bound_is_ci { ci } else { bound };
        let (version, id) = (self.version[v as usize], Reverse(self.old[v as usize]));
        if ci == bound {
            if ci > 0 {
                self.heap.push((ci, id, Kind::ExactBound, version, v));
            }
        } else {
            if ci > 0 {
                self.heap.push((ci, id, Kind::Exact, version, v));
            }
            self.heap.push((bound, id, Kind::Bound, version, v));
        }
    }

    /// The alive node of largest current CI and its CI, re-scoring stale keys on the way with
    /// `rescore`; `None` when every alive node has CI 0. Usually the first re-scored key is
    /// still on top, so stale nodes are re-scored in groups of `first_group` (one per thread),
    /// doubled each time that was not enough, up to [`RESCORE_BATCH`].
    fn next_top(
        &mut self,
        removals: u64,
        first_group: usize,
        mut rescore: impl FnMut(&[NodeId]) -> Vec<[u64; 2]>,
    ) -> Option<(u64, NodeId)> {
        let mut stale: Vec<NodeId> = Vec::new();
        let mut group = first_group.min(RESCORE_BATCH);
        loop {
            let popped = self.heap.pop();
            if let Some(entry) = popped {
                let (key, _, kind, version, v) = entry;
                let i = v as usize;
                if !self.alive[i] || version != self.version[i] {
                    continue;
                }
                let fresh = self.scored_at[i] == removals;
                match (kind, fresh) {
                    (Kind::Exact | Kind::ExactBound, true) => {
                        if stale.is_empty() {
                            return Some((key, v));
                        }
                        // Stale keys above it must be re-scored first.
                        self.heap.push(entry);
                    }
                    (Kind::Exact, false) => continue,
                    (Kind::Bound, true) => {
                        self.parked.push(entry);
                        continue;
                    }
                    (Kind::Bound | Kind::ExactBound, false) => {
                        stale.push(v);
                        if stale.len() < group {
                            continue;
                        }
                    }
                }
            } else if stale.is_empty() {
                return None;
            }
            // Every key left in the heap is at most those of the stale nodes popped so far.
            let values = rescore(&stale);
            for (&v, [ci, bound]) in stale.iter().zip(values) {
                self.version[v as usize] += 1;
                self.scored_at[v as usize] = removals;
                self.push(v, ci, bound);
            }
            stale.clear();
            group = (2 * group).min(RESCORE_BATCH);
        }
    }
}

/// Replays a [`CiRanking`] against the definition: before each removal, recomputes every CI of
/// the remaining graph by brute force (see
/// [`verify_collective_influence`](super::verify_collective_influence)) and checks that the
/// removed node has the largest CI (ties to the smallest id) and that its reported CI is right;
/// at the end checks `complete` (no positive CI left) or that `max_removals` was reached.
///
/// Cost O((removals + 1) · n · average ball size), serial: for tests on small graphs.
pub fn verify_ci_ranking(
    g: &Graph,
    cfg: &CiRankingConfig,
    result: &CiRanking,
) -> Result<(), String> {
    if result.radius != cfg.radius {
        return Err(format!("result radius {}, config radius {}", result.radius, cfg.radius));
    }
    if result.order.len() != result.ci_at_removal.len() {
        return Err("order and ci_at_removal differ in length".into());
    }
    let view = View::new(g, cfg.direction);
    let mut alive = vec![true; g.node_count()];
    for (step, (&v, &value)) in result.order.iter().zip(&result.ci_at_removal).enumerate() {
        let scores = brute_force(&view, cfg.radius, &alive);
        let best = scores.iter().copied().max().unwrap_or(0);
        let first = scores.iter().position(|&s| s == best).unwrap_or(0);
        if best == 0 {
            return Err(format!("step {step}: node {v} removed, but every remaining CI is 0"));
        }
        if (v as usize, value) != (first, best) {
            return Err(format!(
                "step {step}: removed node {v} with CI {value}, but node {first} has the largest \
                 CI {best} (node {v} has {})",
                scores.get(v as usize).copied().unwrap_or(0)
            ));
        }
        alive[v as usize] = false;
    }
    let remaining = brute_force(&view, cfg.radius, &alive).into_iter().max().unwrap_or(0);
    if result.complete != (remaining == 0) {
        return Err(format!(
            "complete = {}, but the largest remaining CI is {remaining}",
            result.complete
        ));
    }
    if !result.complete && Some(result.order.len()) != cfg.max_removals {
        return Err(format!(
            "stopped after {} removals without reaching max_removals",
            result.order.len()
        ));
    }
    Ok(())
}
