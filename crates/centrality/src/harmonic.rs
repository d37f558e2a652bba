//! Harmonic closeness: exact (bit-parallel BFS from every node) and sampled (BFS from random
//! pivots, with a stated Hoeffding error bound), and its serial verifier.
//!
//! ```text
//! H(v) = Σ_{u ≠ v} 1 / d(v, u)        (1 / ∞ = 0: unreachable nodes add nothing)
//! ```
//!
//! Distances are hop counts (arc weights are ignored, as NetworkX's `distance=None`); self-loops
//! and duplicate arcs change nothing.
//!
//! # Direction
//! [`HarmonicDirection`] says which way the distances run along clout's influence arcs:
//! - [`Reach`](HarmonicDirection::Reach) (default): `H(v) = Σ_u 1 / d(v → u)`, how close `v`'s
//!   voice is to everyone, following influence arcs out of `v` (the distances a BFS over the
//!   out-adjacency from `v` finds).
//! - [`Exposure`](HarmonicDirection::Exposure): `H(v) = Σ_u 1 / d(u → v)`, how close everyone's
//!   voice is to `v` (a BFS over the in-adjacency from `v`).
//!
//! `networkx.harmonic_centrality(G)` sums `1 / d(u, v)` over sources `u` for each node `v`: the
//! distances **to** `v` along `G`'s edges. For a follower file (`A B` = "A follows B", read by
//! clout as the influence arc `B -> A`, by NetworkX as the edge `A -> B`), NetworkX's path
//! `u -> … -> v` along follow edges is clout's influence path `v -> … -> u`, so
//! `networkx.harmonic_centrality(nx.read_edgelist(file, create_using=nx.DiGraph))` equals
//! **Reach**: a node scores high when its posts reach many accounts in few re-shares. For a file
//! read as [`EdgeReading::Influence`](clout_graph::EdgeReading::Influence), NetworkX's numbers
//! are **Exposure**. Both are the same on undirected graphs.
//!
//! # Normalization
//! Unnormalized by default, as NetworkX. With `normalized`, scores are divided by `n - 1` (a
//! node adjacent to everyone scores 1; NetworKit's convention); a one-node graph scores 0.
//!
//! # Exact (Marchiori and Latora, "Harmony in the small-world", Physica A 285, 2000; Boldi and
//! Vigna, "Axioms for centrality", Internet Mathematics 10, 2014)
//! One BFS from every node `s`, **against** the chosen direction, so that it finds `d(w, s)`
//! for every `w` (Reach) and adds `1 / d` to `w`'s sum: `H(w)` collects one term from each
//! source. The BFS runs 128 sources at a time by bit-parallel multi-source BFS (Then et al.,
//! "The more the merrier", PVLDB 2014; the private `msbfs` module): one scan of a row serves
//! every source whose frontier contains it, and a node found by `c` sources at distance `d`
//! adds `c / d` with one popcount. Sums are 64.64 fixed-point integers (each `1 / d` rounded to
//! a multiple of `2⁻⁶⁴`, so a score is within `n · 2⁻⁶⁵` of the real sum before the final
//! rounding to f64): integer addition is exact in any order, so scores are bit-identical at
//! any thread count. Time O(n · m) worst case, far less in practice (a row is scanned once per
//! batch and level, not once per source); memory 32 bytes per node for the BFS scratch and 16
//! for the sums, per rayon job. Graphs of 65,536 nodes or more are first copied with nodes
//! renumbered by in-degree (`4m + 8n` bytes), so that the BFS cells touched most often share
//! cache lines (1.4x on R-MAT scale 18).
//!
//! # Sampled (Eppstein and Wang, "Fast approximation of centrality", JGAA 8(1), 2004)
//! Draw `k` pivots `p_1 … p_k` uniformly with replacement (pivot `i` from
//! `Rng::stream(seed, i)`), BFS from each distinct pivot against the chosen direction (giving
//! `d(v, p)` for every `v` at once), and estimate
//!
//! ```text
//! Ĥ(v) = n / k · Σ_i X_i,     X_i = 1 / d(v, p_i)  (0 if p_i = v or unreachable)
//! ```
//!
//! Each `X_i ∈ [0, 1]` with mean `H(v) / n`, so `Ĥ(v)` is unbiased. Hoeffding's inequality and a
//! union bound over the `n` nodes give, for the normalized estimate,
//! `P(max_v |Ĥ(v) - H(v)| / (n - 1) > ε) ≤ δ` as soon as
//! `k ≥ ln(2n / δ) / (2 ε² ((n - 1) / n)²)`; [`HarmonicMethod::Sampled`] picks the smallest such
//! `k` and [`HarmonicSampling`] reports `k` and the bound. On the unnormalized scale the bound
//! is `ε · (n - 1)`. Paper → code: Eppstein–Wang's `k` = `pivots.len()`, `v_i` = `pivots[i]`;
//! they bound closeness (`Σ d`, terms up to the diameter), harmonic terms are at most 1 so the
//! bound needs no diameter. Sums use the exact method's fixed point, weighted by how often each
//! pivot was drawn. Time O(k · m), memory as exact.

use rayon::prelude::*;
use serde::Serialize;

use clout_graph::rng::Rng;
use clout_graph::{Adjacency, Graph, NodeId};

use crate::CentralityError;

pub(crate) mod msbfs;
mod verify;

use msbfs::{LANES, MultiBfs, for_each_lane};
pub use verify::verify_harmonic;

/// The confidence at which [`HarmonicSampling::epsilon`] is reported for
/// [`HarmonicMethod::Pivots`], which has no `delta` of its own.
pub const PIVOTS_REPORT_DELTA: f64 = 0.05;

/// The largest pivot count accepted by [`HarmonicMethod::Pivots`] (a sanity bound: the pivot
/// list alone would take 8 GiB).
pub const MAX_PIVOTS: usize = 1 << 31;

/// Which way distances run along influence arcs (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HarmonicDirection {
    /// `Σ_u 1 / d(v → u)`: how close `v`'s voice is to everyone. NetworkX's number on a follower
    /// file read as `DiGraph`. Default.
    #[default]
    Reach,
    /// `Σ_u 1 / d(u → v)`: how close everyone's voice is to `v`.
    Exposure,
}

impl HarmonicDirection {
    /// Rows whose BFS from `v` gives the distances that `H(v)` sums (the verifier's way).
    pub(crate) fn forward_rows(self, g: &Graph) -> &Adjacency {
        match self {
            HarmonicDirection::Reach => g.out_adjacency(),
            HarmonicDirection::Exposure => g.in_adjacency(),
        }
    }

    /// Rows whose BFS from a source `s` gives, for every `v`, the distance between `v` and `s`
    /// that `H(v)` sums (the kernel's way: one BFS serves every node's sum).
    pub(crate) fn backward_rows(self, g: &Graph) -> &Adjacency {
        match self {
            HarmonicDirection::Reach => g.in_adjacency(),
            HarmonicDirection::Exposure => g.out_adjacency(),
        }
    }
}

/// Exact or sampled computation.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum HarmonicMethod {
    /// BFS from every node. O(n · m). Default.
    #[default]
    Exact,
    /// Enough random pivots that every normalized score is within `epsilon` of the exact one with
    /// probability at least `1 - delta` (`epsilon > 0`, `0 < delta < 1`). Falls back to
    /// [`Exact`](HarmonicMethod::Exact) (reported as no sampling) when that needs no more BFS
    /// runs than there are nodes.
    Sampled {
        /// Largest error of a normalized score (`H / (n - 1)`).
        epsilon: f64,
        /// Probability that some node exceeds `epsilon`.
        delta: f64,
        /// Seed of the pivot streams.
        seed: u64,
    },
    /// Exactly `k` random pivots (`1 ≤ k ≤` [`MAX_PIVOTS`]), even if `k ≥ n`.
    Pivots {
        /// Number of pivots drawn (with replacement).
        k: usize,
        /// Seed of the pivot streams.
        seed: u64,
    },
}

/// Parameters of [`harmonic_closeness`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct HarmonicConfig {
    /// Which way distances run. Default [`HarmonicDirection::Reach`] (NetworkX's on a follower
    /// file).
    pub direction: HarmonicDirection,
    /// Divide by `n - 1`. Default `false` (NetworkX's raw sums).
    pub normalized: bool,
    /// Exact or sampled. Default [`HarmonicMethod::Exact`].
    pub method: HarmonicMethod,
}

/// What a sampled run did and what it guarantees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HarmonicSampling {
    /// The pivots, in draw order (`k` = `pivots.len()`; repeats possible).
    pub pivots: Vec<NodeId>,
    /// Distinct pivots: the number of BFS runs.
    pub distinct_pivots: usize,
    /// The seed.
    pub seed: u64,
    /// Probability that the bound fails (the requested `delta`, or [`PIVOTS_REPORT_DELTA`]).
    pub delta: f64,
    /// With probability at least `1 - delta`, every node's normalized estimate is within
    /// `epsilon` of its exact normalized score (multiply by `n - 1` for raw scores).
    pub epsilon: f64,
}

/// The result of [`harmonic_closeness`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Harmonic {
    /// Score per node (dense ids).
    pub scores: Vec<f64>,
    /// Whether scores were divided by `n - 1`.
    pub normalized: bool,
    /// `None` for exact scores; the pivots and error bound for estimates.
    pub sampling: Option<HarmonicSampling>,
}

/// The smallest `k` for which the Hoeffding and union bound of the [module docs](self) give
/// error `epsilon` with probability `1 - delta` on `n` nodes (`n ≥ 2`).
pub fn pivots_for_guarantee(n: usize, epsilon: f64, delta: f64) -> usize {
    let shrink = (n as f64 - 1.0) / n as f64;
    let t = epsilon * shrink;
    ((2.0 * n as f64 / delta).ln() / (2.0 * t * t)).ceil().min(usize::MAX as f64) as usize
}

/// The error `ε` guaranteed with probability `1 - delta` by `k` pivots on `n ≥ 2` nodes.
pub fn guarantee_for_pivots(n: usize, k: usize, delta: f64) -> f64 {
    let grow = n as f64 / (n as f64 - 1.0);
    grow * ((2.0 * n as f64 / delta).ln() / (2.0 * k as f64)).sqrt()
}

/// Harmonic closeness of every node (see the [module docs](self) for direction,
/// normalization, the exact algorithm and the sampled estimate with its error bound).
///
/// # Errors
/// [`CentralityError::InvalidConfig`] for `epsilon` not finite and positive, `delta` outside
/// `(0, 1)`, or `k` outside `1 ..= MAX_PIVOTS`.
///
/// # Complexity
/// Exact: O(n · m) time, parallel over batches of 128 sources. Sampled: O(k · m). Memory O(n) per
/// rayon job. Bit-identical at any thread count.
///
/// # Example
/// Follower lines `0 1`, `1 2` ("0 follows 1", "1 follows 2") are the influence arcs `1->0`,
/// `2->1`: 2's voice reaches 1 in one hop and 0 in two.
/// ```
/// use clout_centrality::{HarmonicConfig, harmonic_closeness};
/// let g = clout_graph::from_pairs(3, &[(1, 0), (2, 1)], true);
/// let h = harmonic_closeness(&g, &HarmonicConfig::default()).unwrap();
/// // networkx.harmonic_centrality(nx.DiGraph([(0, 1), (1, 2)]))
/// assert_eq!(h.scores, vec![0.0, 1.0, 1.5]);
/// ```
pub fn harmonic_closeness(g: &Graph, cfg: &HarmonicConfig) -> Result<Harmonic, CentralityError> {
    let n = g.node_count();
    let plan = plan(n, &cfg.method)?;
    let (mut scores, sampling) = match plan {
        None => (exact(g, cfg.direction), None),
        Some((k, seed, delta)) => {
            let pivots = draw_pivots(n, k, seed);
            let (scores, distinct_pivots) = sampled(g, cfg.direction, &pivots);
            let epsilon = guarantee_for_pivots(n, k, delta);
            (scores, Some(HarmonicSampling { pivots, distinct_pivots, seed, delta, epsilon }))
        }
    };
    if cfg.normalized {
        normalize(&mut scores);
    }
    Ok(Harmonic { scores, normalized: cfg.normalized, sampling })
}

/// Checks the config; `None` means exact, `Some((k, seed, delta))` sampled.
pub(crate) fn plan(
    n: usize,
    method: &HarmonicMethod,
) -> Result<Option<(usize, u64, f64)>, CentralityError> {
    let invalid = |parameter, reason| Err(CentralityError::InvalidConfig { parameter, reason });
    match *method {
        HarmonicMethod::Exact => Ok(None),
        HarmonicMethod::Sampled { epsilon, delta, seed } => {
            if !(epsilon > 0.0 && epsilon.is_finite()) {
                return invalid("epsilon", format!("must be finite and > 0, got {epsilon}"));
            }
            if !(delta > 0.0 && delta < 1.0) {
                return invalid("delta", format!("must be in (0, 1), got {delta}"));
            }
            if n < 2 {
                return Ok(None);
            }
            let k = pivots_for_guarantee(n, epsilon, delta);
            Ok(if k >= n || k > MAX_PIVOTS { None } else { Some((k, seed, delta)) })
        }
        HarmonicMethod::Pivots { k, seed } => {
            if !(1..=MAX_PIVOTS).contains(&k) {
                return invalid("k", format!("must be in 1..={MAX_PIVOTS}, got {k}"));
            }
            Ok(if n < 2 { None } else { Some((k, seed, PIVOTS_REPORT_DELTA)) })
        }
    }
}

/// Pivot `i` is drawn from `Rng::stream(seed, i)`, uniform over the `n` nodes.
pub(crate) fn draw_pivots(n: usize, k: usize, seed: u64) -> Vec<NodeId> {
    (0..k as u64).into_par_iter().map(|i| Rng::stream(seed, i).below(n as u64) as NodeId).collect()
}

/// Divides by `n - 1` (a graph of fewer than two nodes scores 0).
pub(crate) fn normalize(scores: &mut [f64]) {
    let n = scores.len();
    if n < 2 {
        scores.iter_mut().for_each(|s| *s = 0.0);
    } else {
        let others = (n - 1) as f64;
        scores.par_iter_mut().for_each(|s| *s /= others);
    }
}

/// Exact raw scores: every node is a source, once.
fn exact(g: &Graph, direction: HarmonicDirection) -> Vec<f64> {
    let n = g.node_count();
    let sources: Vec<(NodeId, u64)> = (0..n as NodeId).map(|v| (v, 1)).collect();
    let sums = inverse_distance_sums(g, direction, &sources);
    sums.into_par_iter().map(fixed_to_f64).collect()
}

/// Sampled raw estimates `n / k · Σ_i 1 / d(v, p_i)`, and the number of distinct pivots.
fn sampled(g: &Graph, direction: HarmonicDirection, pivots: &[NodeId]) -> (Vec<f64>, usize) {
    let n = g.node_count();
    let mut sorted = pivots.to_vec();
    sorted.par_sort_unstable();
    // (pivot, multiplicity), ascending by pivot.
    let mut distinct: Vec<(NodeId, u64)> = Vec::new();
    for p in sorted {
        match distinct.last_mut() {
            Some(last) if last.0 == p => last.1 += 1,
            _ => distinct.push((p, 1)),
        }
    }
    let sums = inverse_distance_sums(g, direction, &distinct);
    let scale = n as f64 / pivots.len() as f64;
    (sums.into_par_iter().map(|s| fixed_to_f64(s) * scale).collect(), distinct.len())
}

/// Graphs from this many nodes are renumbered hottest-first before the BFS runs (see
/// [`msbfs::hot_first`]); below it the BFS cells fit in cache anyway.
const RENUMBER_FROM: usize = 1 << 16;

/// The sums of [`sums_along`] over the backward rows of `direction`, renumbered first on large
/// graphs; by original id.
fn inverse_distance_sums(
    g: &Graph,
    direction: HarmonicDirection,
    sources: &[(NodeId, u64)],
) -> Vec<u128> {
    let n = g.node_count();
    let rows = direction.backward_rows(g);
    if n < RENUMBER_FROM {
        return sums_along(rows, n, sources);
    }
    // A node's cell is touched once per arc into it along `rows`: its forward degree.
    let forward = direction.forward_rows(g);
    let hot: Vec<u32> =
        (0..n as NodeId).into_par_iter().map(|v| forward.degree(v) as u32).collect();
    let (old, new_of) = msbfs::hot_first(&hot);
    let lengths: Vec<u32> =
        (0..n as NodeId).into_par_iter().map(|v| rows.degree(v) as u32).collect();
    let renumbered = msbfs::renumbered_rows(&old, &new_of, &lengths, |v, f| {
        rows.row(v).iter().for_each(|&w| f(w));
    });
    let sources: Vec<(NodeId, u64)> =
        sources.iter().map(|&(s, m)| (new_of[s as usize], m)).collect();
    let sums = sums_along(&renumbered, n, &sources);
    let mut by_old = vec![0u128; n];
    for (i, sum) in sums.into_iter().enumerate() {
        by_old[old[i] as usize] = sum;
    }
    by_old
}

/// `1.0` in the 64.64 fixed point of the per-node sums.
const FIXED_ONE: u128 = 1 << 64;

fn fixed_to_f64(sum: u128) -> f64 {
    sum as f64 / FIXED_ONE as f64
}

/// For every node `w`, `Σ_(s, m) m / d(w, s)` over `sources` (node, multiplicity) in 64.64 fixed
/// point, where `d(w, s)` is the distance from `s` to `w` along `rows` (unreachable and `w = s`
/// add nothing). Each term is rounded to a multiple of `2⁻⁶⁴`, so a sum is within `n · 2⁻⁶⁵` of
/// the real value; integer addition is exact in any order, so the sums do not depend on how
/// rayon splits the batches.
fn sums_along(rows: &Adjacency, n: usize, sources: &[(NodeId, u64)]) -> Vec<u128> {
    sources
        .par_chunks(LANES)
        .fold(
            || (MultiBfs::new(n), vec![0u128; n]),
            |(mut bfs, mut sums), batch| {
                let ids: Vec<NodeId> = batch.iter().map(|s| s.0).collect();
                let all_single = batch.iter().all(|s| s.1 == 1);
                bfs.run(
                    rows,
                    &ids,
                    u32::MAX,
                    |_| true,
                    |d, nodes, lanes| {
                        let d = u128::from(d);
                        let unit = (FIXED_ONE + d / 2) / d;
                        for (&w, &lanes) in nodes.iter().zip(lanes) {
                            let weight = if all_single {
                                u64::from(lanes.count_ones())
                            } else {
                                let mut total = 0;
                                for_each_lane(lanes, |lane| total += batch[lane].1);
                                total
                            };
                            sums[w as usize] += u128::from(weight) * unit;
                        }
                    },
                );
                (bfs, sums)
            },
        )
        .map(|(_, sums)| sums)
        .reduce_with(|mut a, b| {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
            a
        })
        .unwrap_or_else(|| vec![0; n])
}
