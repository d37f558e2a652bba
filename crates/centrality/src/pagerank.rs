//! PageRank with NetworkX's conventions (dangling nodes, personalization, weights, stopping
//! rule): pull-direction power iteration, parallel over fixed node chunks, a Gauss–Seidel solver
//! over strongly connected components (`pagerank/gauss_seidel.rs`), and the push-direction
//! verifier (`pagerank/verify.rs`).
//!
//! # Direction
//! PageRank is the stationary distribution of a random surfer who follows links. In a follower
//! file a line `A B` ("A follows B") is the link the surfer follows, so rank flows `A -> B` and
//! accounts with many (well-ranked) followers rank high. clout stores that line as the influence
//! arc `B -> A`, so rank flows **against** clout's arcs: node `v` gathers rank from its influence
//! out-neighbours (its followers), and each node `u` splits its rank over its influence
//! in-neighbours (the accounts it follows).
//!
//! Equivalently: `pagerank(g)` equals `networkx.pagerank(H)` where `H` is the NetworkX `DiGraph`
//! with the arcs of `g` reversed. For a follower file read the default way
//! ([`EdgeReading::Follows`](clout_graph::EdgeReading::Follows)), `H` is simply
//! `nx.read_edgelist(file, create_using=nx.DiGraph)`. Undirected graphs are symmetric and match
//! `networkx.pagerank` on the `nx.Graph` directly.
//!
//! # The iteration (Page, Brin, Motwani and Winograd, "The PageRank citation ranking: bringing
//! order to the Web", Stanford 1999; pull form as in Beamer, Asanović and Patterson, "The GAP
//! benchmark suite", arXiv:1508.03619, `pr.cc`)
//!
//! ```text
//! x(k+1) = α · ( Pᵀ x(k) + (Σ_{u dangling} x(k)_u) · w ) + (1 - α) · p,    x(0) = 1/N
//! ```
//!
//! Paper → code: `α` = `damping`; `x(k)` = `x`; `P[u][v]` = share of `u`'s rank sent to `v` =
//! weight of the NetworkX-direction link `u -> v` over `S_u`, the total NetworkX out-weight of
//! `u` (`inv_share[u]` = `1 / S_u`, 0 when `S_u = 0`); a node is *dangling* when `S_u = 0`
//! (no one it follows: influence in-degree 0); `p` = `teleport` (personalization, normalized;
//! uniform by default); `w` = `dangling_to` ([`DanglingPolicy`]). Each step, `contrib[u]` =
//! `x[u] · inv_share[u]`, and `next[v]` sums `contrib` over the row of `v` in the influence
//! out-adjacency (the NetworkX in-neighbours of `v`).
//!
//! # Stopping rule (NetworkX's)
//! Stop after the first iteration `k` whose L1 change `Σ_v |x(k)_v - x(k-1)_v|` is below
//! `N · tolerance`. The same `tolerance` therefore means what NetworkX's `tol` means, and with
//! the same parameters clout stops at the same iteration. Note the threshold grows with `N`: on
//! a million nodes the default `1e-6` stops at an L1 change below 1. Ask for a smaller tolerance
//! when per-node accuracy matters (the error after stopping is at most `α / (1 - α)` times the
//! last change, in L1).
//!
//! # Methods ([`PageRankMethod`])
//! - [`PageRankMethod::Power`]: the iteration above from `x(0) = 1/N`, step for step what
//!   NetworkX does (same stopping iteration; scores equal up to rounding).
//! - [`PageRankMethod::GaussSeidel`]: solves the same equation by Gauss–Seidel over the
//!   strongly connected components in topological order (PRPACK's method, see
//!   `pagerank/gauss_seidel.rs`), then finishes with power steps under the same stopping rule.
//!   Nodes outside cycles are settled in a single pass (Higgs retweet: 99% of nodes), and large
//!   components need 2.5–3x fewer sweeps than power iteration needs iterations (Slashdot: 30
//!   sweeps against 83 iterations at an L1 tolerance of 1e-8; soc-sign-epinions: 26 against
//!   85). Ordering the components and copying their rows costs about ten iterations' time.
//! - [`PageRankMethod::Auto`] (default): where Gauss–Seidel applies (damping below 1, dangling
//!   rank going where teleport rank goes, `max_iterations >= 2`), start with power iteration
//!   and switch to Gauss–Seidel, warm-started from the current iterate, as soon as two
//!   successive changes predict more than 15 further iterations; otherwise
//!   power. Fast-mixing graphs (R-MAT: 11 iterations) and loose tolerances never pay for the
//!   ordering.
//!
//! Whatever the method, the scores returned are one power step `x = F(y)` from the previous
//! iterate `y`, `residual` is `‖x - y‖₁`, and `converged` means NetworkX's rule held for that
//! step; hence `‖x - x*‖₁ ≤ α / (1 - α) · residual` and the verifier's check apply equally.
//! `iterations` counts power steps plus, for Gauss–Seidel, the largest number of sweeps any
//! component took (the pass over the acyclic part counts as one sweep), so it stays within
//! `max_iterations`; [`PageRank::method`] says which method produced the scores.
//!
//! # Cost and determinism
//! Power: time O(n + m) per iteration, parallel over chunks of [`CHUNK`] nodes; memory five
//! `f64` per node. Each node's sum runs over its row in a fixed order (four interleaved partial
//! sums) and chunk partial sums (the L1 change, the dangling mass) are added in chunk order, so
//! scores are bit-identical at any thread count. No locks, no atomics: each chunk writes only
//! its own slice of the next vector. Gauss–Seidel: serial O(n + m) to order the components,
//! O(m_C) per sweep of a component, plus power steps; bit-identical at any thread count (the
//! solver is serial and the switch decision depends only on the iterates).

use rayon::prelude::*;
use serde::Serialize;

use clout_graph::{Adjacency, Graph, NodeId};

use crate::CentralityError;

mod gather;
mod gauss_seidel;
mod scc_order;
mod verify;
use gather::{gather, gather_weighted, padded_len};
pub use verify::verify_pagerank;

/// Nodes per parallel chunk. Fixed, not derived from the thread count, so that per-chunk partial
/// sums (and therefore every bit of the result) are the same at any thread count.
pub const CHUNK: usize = 2048;

/// Where the rank of a dangling node (one that follows no one) goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DanglingPolicy {
    /// Along the teleport (personalization) vector: NetworkX's default (`dangling=None`). Without
    /// a personalization vector this is the uniform distribution. Default.
    #[default]
    Personalization,
    /// Uniformly over all nodes, even when a personalization vector is given (NetworkX's
    /// `dangling={v: 1 for v in G}`).
    Uniform,
}

/// How [`pagerank`] solves the PageRank equation (see the [module docs](self#methods-pagerankmethod)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageRankMethod {
    /// Power iteration, switching to Gauss–Seidel when its rate predicts a long run and
    /// Gauss–Seidel applies (damping below 1, dangling rank following the teleport vector,
    /// `max_iterations >= 2`). Default.
    #[default]
    Auto,
    /// Power iteration from the uniform vector: NetworkX's iteration, step for step.
    Power,
    /// Gauss–Seidel over strongly connected components in topological order, finished by power
    /// steps. An error when it does not apply (see [`Auto`](PageRankMethod::Auto)).
    GaussSeidel,
}

/// Parameters of [`pagerank`]. `PageRankConfig::default()` gives NetworkX's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRankConfig {
    /// Damping factor `α`, the probability of following a link, in `[0, 1]`. Default 0.85.
    pub damping: f64,
    /// Stop when the L1 change of one iteration is below `node_count · tolerance` (NetworkX's
    /// rule and meaning of `tol`). Must be finite and `>= 0`. Default `1e-6`.
    pub tolerance: f64,
    /// Give up after this many iterations and report `converged = false`. Default 100.
    pub max_iterations: usize,
    /// Teleport distribution, one non-negative entry per node (dense ids), normalized internally
    /// to sum 1; at least one entry must be positive. `None` (default) means uniform.
    pub personalization: Option<Vec<f64>>,
    /// Where dangling nodes' rank goes. Default [`DanglingPolicy::Personalization`] (NetworkX's).
    pub dangling: DanglingPolicy,
    /// Split a node's rank in proportion to arc weights instead of equally. Requires a weighted
    /// graph with finite non-negative weights. Default `false`.
    pub weighted: bool,
    /// How to solve. Default [`PageRankMethod::Auto`]; [`PageRankMethod::Power`] reproduces
    /// NetworkX's iterates. Every method stops on NetworkX's rule for `tolerance`.
    pub method: PageRankMethod,
}

impl Default for PageRankConfig {
    fn default() -> Self {
        PageRankConfig {
            damping: 0.85,
            tolerance: 1e-6,
            max_iterations: 100,
            personalization: None,
            dangling: DanglingPolicy::Personalization,
            weighted: false,
            method: PageRankMethod::Auto,
        }
    }
}

/// The result of [`pagerank`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageRank {
    /// Score per node (dense ids); non-negative, summing to 1 up to rounding.
    pub scores: Vec<f64>,
    /// Iterations performed.
    pub iterations: usize,
    /// L1 change of the last iteration (infinite if no iteration ran on a non-empty graph).
    pub residual: f64,
    /// Whether the stopping rule was met within `max_iterations`.
    pub converged: bool,
    /// The method that ran: [`PageRankMethod::Power`] or [`PageRankMethod::GaussSeidel`].
    pub method: PageRankMethod,
}

/// A per-node distribution: uniform without storing it, or an explicit normalized vector.
#[derive(Clone, Copy)]
enum Distribution<'a> {
    Uniform(f64),
    Given(&'a [f64]),
}

impl Distribution<'_> {
    #[inline]
    fn at(self, v: usize) -> f64 {
        match self {
            Distribution::Uniform(c) => c,
            Distribution::Given(p) => p[v],
        }
    }
}

/// PageRank of every node, computed as `networkx.pagerank` does (see the [module docs](self)
/// for the direction convention, the iteration and the stopping rule).
///
/// # Errors
/// [`CentralityError::InvalidConfig`] for a damping outside `[0, 1]` or a negative or non-finite
/// tolerance; [`CentralityError::WrongLength`], [`CentralityError::InvalidPersonalization`] or
/// [`CentralityError::ZeroPersonalization`] for a bad personalization vector;
/// [`CentralityError::Unweighted`] or [`CentralityError::InvalidWeight`] when `weighted` is set
/// on a graph without valid weights. Not converging is reported in the result, not an error.
///
/// # Complexity
/// O((n + m) · iterations) time; power steps parallel, Gauss–Seidel serial. O(n) extra memory,
/// plus a copy of the largest strongly connected component's rows when Gauss–Seidel runs.
///
/// # Example
/// A follower file with lines `0 1`, `1 2`, `2 0`, `2 3` ("0 follows 1", ...) is stored as the
/// influence arcs `1->0`, `2->1`, `0->2`, `3->2`:
/// ```
/// use clout_centrality::{PageRankConfig, pagerank};
/// let g = clout_graph::from_pairs(4, &[(1, 0), (2, 1), (0, 2), (3, 2)], true);
/// let cfg = PageRankConfig { tolerance: 1e-12, ..PageRankConfig::default() };
/// let pr = pagerank(&g, &cfg).unwrap();
/// // networkx.pagerank(nx.DiGraph([(0, 1), (1, 2), (2, 0), (2, 3)]))
/// let expected = [0.21376215407627214, 0.26462228870538135, 0.30785340314207432, 0.21376215407627214];
/// assert!(pr.converged);
/// for (got, want) in pr.scores.iter().zip(expected) {
///     assert!((got - want).abs() < 1e-12);
/// }
/// ```
pub fn pagerank(g: &Graph, cfg: &PageRankConfig) -> Result<PageRank, CentralityError> {
    let n = g.node_count();
    check_config(cfg)?;
    let teleport_vec = normalized_personalization(n, cfg.personalization.as_deref())?;
    let arc_weights = if cfg.weighted { Some(checked_weights(g)?) } else { None };
    let plan = resolve_plan(cfg)?;
    if n == 0 {
        let method = match plan {
            Plan::GaussSeidel => PageRankMethod::GaussSeidel,
            _ => PageRankMethod::Power,
        };
        return Ok(PageRank {
            scores: Vec::new(),
            iterations: 0,
            residual: 0.0,
            converged: true,
            method,
        });
    }
    let uniform = Distribution::Uniform(1.0 / n as f64);
    let teleport = teleport_vec.as_deref().map_or(uniform, Distribution::Given);
    let dangling_to = match cfg.dangling {
        DanglingPolicy::Personalization => teleport,
        DanglingPolicy::Uniform => uniform,
    };
    let inv_share = inverse_shares(g, cfg.weighted);
    // Pull rows: the influence out-adjacency lists each node's NetworkX in-neighbours.
    let pull = g.out_adjacency();
    let rows = PullRows {
        offsets: pull.offsets.as_slice(),
        sources: pull.targets.as_slice(),
        weights: arc_weights,
        inv_share: &inv_share,
    };
    let uniform_start = || vec![1.0 / n as f64; n];
    let gauss_seidel = |start: Vec<f64>, done: usize| {
        let solved = gauss_seidel::solve(
            &gauss_seidel::Problem {
                offsets: rows.offsets,
                sources: rows.sources,
                weights: rows.weights,
                inv_share: rows.inv_share,
                teleport,
                alpha: cfg.damping,
                tolerance: cfg.tolerance,
                max_sweeps: cfg.max_iterations - done - 1,
            },
            start,
        );
        (solved.scores, done + solved.sweeps)
    };
    let steps = |start: Vec<f64>, done: usize, may_switch: bool| {
        power_steps(&rows, cfg, teleport, dangling_to, start, done, may_switch)
    };
    let (mut result, method) = match plan {
        Plan::Power => (steps(uniform_start(), 0, false).result, PageRankMethod::Power),
        Plan::GaussSeidel => {
            let (start, done) = gauss_seidel(uniform_start(), 0);
            (steps(start, done, false).result, PageRankMethod::GaussSeidel)
        }
        Plan::PowerThenGaussSeidel => {
            let first = steps(uniform_start(), 0, true);
            if first.wants_gauss_seidel {
                let (start, done) = gauss_seidel(first.result.scores, first.result.iterations);
                (steps(start, done, false).result, PageRankMethod::GaussSeidel)
            } else {
                (first.result, PageRankMethod::Power)
            }
        }
    };
    result.method = method;
    Ok(result)
}

/// How [`pagerank`] proceeds, from the config's [`PageRankMethod`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Plan {
    Power,
    GaussSeidel,
    /// `Auto`: power iteration while it converges fast, Gauss–Seidel once its rate predicts
    /// more than [`SWITCH_REMAINING`] further iterations.
    PowerThenGaussSeidel,
}

/// `Auto` leaves the power iteration for Gauss–Seidel when the last two L1 changes `c₋₁, c`
/// predict more than this many further iterations, `ln(N · tol / c) / ln(c / c₋₁)`. Ordering
/// the components and copying their rows costs about ten iterations on the graphs measured
/// (more on large graphs, where it is latency-bound), and Gauss–Seidel then needs about half
/// as many sweeps as power needs iterations; fast-mixing graphs (R-MAT: 11 iterations at an
/// L1 tolerance of 1e-8) and loose tolerances stay with power.
const SWITCH_REMAINING: f64 = 15.0;

/// The plan for the config's method; `GaussSeidel` is checked.
fn resolve_plan(cfg: &PageRankConfig) -> Result<Plan, CentralityError> {
    // Gauss-Seidel solves y = α Pᵀ y + p, which needs α < 1 and the dangling mass to follow p,
    // and leaves at least one power step for the stopping rule.
    let dangling_follows_teleport =
        cfg.dangling == DanglingPolicy::Personalization || cfg.personalization.is_none();
    let applies = cfg.damping < 1.0 && dangling_follows_teleport && cfg.max_iterations >= 2;
    match cfg.method {
        PageRankMethod::Power => Ok(Plan::Power),
        PageRankMethod::Auto if applies => Ok(Plan::PowerThenGaussSeidel),
        PageRankMethod::Auto => Ok(Plan::Power),
        PageRankMethod::GaussSeidel if applies => Ok(Plan::GaussSeidel),
        PageRankMethod::GaussSeidel => Err(CentralityError::InvalidConfig {
            parameter: "method",
            reason: "Gauss-Seidel needs damping < 1, dangling rank following the \
                     personalization vector, and max_iterations >= 2"
                .into(),
        }),
    }
}

/// The pull form of the graph: row `v` lists the nodes `v` gathers from.
struct PullRows<'a> {
    offsets: &'a [u64],
    sources: &'a [NodeId],
    weights: Option<&'a [f64]>,
    inv_share: &'a [f64],
}

/// What [`power_steps`] ended with.
struct Stepped {
    result: PageRank,
    /// Stopped early because the convergence rate favours Gauss–Seidel (see [`Plan`]).
    wants_gauss_seidel: bool,
}

/// Power iteration from `start` (non-negative, summing to 1), `done` iterations already spent,
/// until NetworkX's stopping rule holds or `max_iterations` is reached, or, with `may_switch`,
/// until the rate of convergence says Gauss–Seidel will be faster.
fn power_steps(
    rows: &PullRows,
    cfg: &PageRankConfig,
    teleport: Distribution,
    dangling_to: Distribution,
    start: Vec<f64>,
    done: usize,
    may_switch: bool,
) -> Stepped {
    let n = start.len();
    let (offsets, sources, inv_share) = (rows.offsets, rows.sources, rows.inv_share);
    let alpha = cfg.damping;
    let mut x = start;
    // Padded for the masked gather (see `gather`); the padding stays zero.
    let mut contrib: Vec<f64> = x.par_iter().zip(inv_share).map(|(xu, inv)| xu * inv).collect();
    contrib.resize(padded_len(n), 0.0);
    let mut dangling_mass: f64 = x
        .par_chunks(CHUNK)
        .zip(inv_share.par_chunks(CHUNK))
        .map(|(xs, invs)| xs.iter().zip(invs).filter(|p| *p.1 == 0.0).map(|p| p.0).sum::<f64>())
        .collect::<Vec<f64>>()
        .iter()
        .sum();
    let mut next = vec![0.0; n];
    let mut next_contrib = vec![0.0; padded_len(n)];
    let mut result = PageRank {
        scores: Vec::new(),
        iterations: done,
        residual: f64::INFINITY,
        converged: false,
        method: PageRankMethod::Power,
    };
    let mut wants_gauss_seidel = false;

    while result.iterations < cfg.max_iterations {
        let partials: Vec<(f64, f64)> = next
            .par_chunks_mut(CHUNK)
            .zip(next_contrib.par_chunks_mut(CHUNK))
            .enumerate()
            .map(|(chunk, (next_part, contrib_part))| {
                let first = chunk * CHUNK;
                let (mut change, mut dangling_part) = (0.0f64, 0.0f64);
                for (i, (slot, contrib_slot)) in next_part.iter_mut().zip(contrib_part).enumerate()
                {
                    let v = first + i;
                    let (lo, hi) = (offsets[v] as usize, offsets[v + 1] as usize);
                    let gathered = match rows.weights {
                        None => gather(&sources[lo..hi], &contrib),
                        Some(w) => gather_weighted(&sources[lo..hi], &w[lo..hi], &contrib),
                    };
                    let value = alpha * (gathered + dangling_mass * dangling_to.at(v))
                        + (1.0 - alpha) * teleport.at(v);
                    change += (value - x[v]).abs();
                    *slot = value;
                    *contrib_slot = value * inv_share[v];
                    if inv_share[v] == 0.0 {
                        dangling_part += value;
                    }
                }
                (change, dangling_part)
            })
            .collect();
        let (change, mass) = partials.iter().fold((0.0, 0.0), |acc, p| (acc.0 + p.0, acc.1 + p.1));
        std::mem::swap(&mut x, &mut next);
        std::mem::swap(&mut contrib, &mut next_contrib);
        dangling_mass = mass;
        result.iterations += 1;
        let previous = std::mem::replace(&mut result.residual, change);
        let target = n as f64 * cfg.tolerance;
        if change < target {
            result.converged = true;
            break;
        }
        // Room for one sweep and the final power step.
        if may_switch && result.iterations >= 2 && result.iterations + 2 <= cfg.max_iterations {
            let rate = change / previous;
            let remaining =
                if rate < 1.0 { (target / change).ln() / rate.ln() } else { f64::INFINITY };
            if remaining > SWITCH_REMAINING {
                wants_gauss_seidel = true;
                break;
            }
        }
    }
    result.scores = x;
    Stepped { result, wants_gauss_seidel }
}

fn check_config(cfg: &PageRankConfig) -> Result<(), CentralityError> {
    if !(0.0..=1.0).contains(&cfg.damping) {
        return Err(CentralityError::InvalidConfig {
            parameter: "damping",
            reason: format!("must be in [0, 1], got {}", cfg.damping),
        });
    }
    if !(cfg.tolerance >= 0.0 && cfg.tolerance.is_finite()) {
        return Err(CentralityError::InvalidConfig {
            parameter: "tolerance",
            reason: format!("must be finite and >= 0, got {}", cfg.tolerance),
        });
    }
    Ok(())
}

/// Validates a personalization vector and returns it divided by its sum.
fn normalized_personalization(
    n: usize,
    personalization: Option<&[f64]>,
) -> Result<Option<Vec<f64>>, CentralityError> {
    let Some(p) = personalization else { return Ok(None) };
    if p.len() != n {
        return Err(CentralityError::WrongLength {
            what: "personalization vector",
            expected: n,
            found: p.len(),
        });
    }
    if n == 0 {
        return Ok(None);
    }
    if let Some(node) = p.iter().position(|&value| !(value >= 0.0 && value.is_finite())) {
        return Err(CentralityError::InvalidPersonalization {
            node: node as NodeId,
            value: p[node],
        });
    }
    let total: f64 = p.iter().sum();
    if total <= 0.0 {
        return Err(CentralityError::ZeroPersonalization);
    }
    Ok(Some(p.iter().map(|value| value / total).collect()))
}

/// The out-adjacency weights, after checking that both directions' weights (one shared array
/// when undirected) are finite and non-negative.
fn checked_weights(g: &Graph) -> Result<&[f64], CentralityError> {
    let check = |adj: &Adjacency| -> Result<(), CentralityError> {
        let w = adj.weights.as_ref().ok_or(CentralityError::Unweighted)?;
        match w.par_iter().position_first(|&wt| !(wt >= 0.0 && wt.is_finite())) {
            Some(arc) => Err(CentralityError::InvalidWeight { arc, weight: w[arc] }),
            None => Ok(()),
        }
    };
    check(g.out_adjacency())?;
    if g.is_directed() {
        check(g.in_adjacency())?;
    }
    Ok(g.out_adjacency().weights.as_ref().map(|w| w.as_slice()).unwrap_or_default())
}

/// `1 / S_u` per node, where `S_u` is `u`'s total NetworkX out-weight: the length (or weight)
/// of its influence in-adjacency row. 0 marks a dangling node.
fn inverse_shares(g: &Graph, weighted: bool) -> Vec<f64> {
    let inverse = |total: f64| if total > 0.0 { 1.0 / total } else { 0.0 };
    if !weighted {
        let offsets = g.in_adjacency().offsets.as_slice();
        return offsets.par_windows(2).map(|w| inverse((w[1] - w[0]) as f64)).collect();
    }
    (0..g.node_count() as NodeId)
        .into_par_iter()
        .map(|u| {
            let total = match g.in_weights(u) {
                Some(w) => w.iter().sum::<f64>(),
                None => g.in_degree(u) as f64,
            };
            inverse(total)
        })
        .collect()
}
