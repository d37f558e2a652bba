//! The power iteration (pull form, parallel over fixed chunks) and the rule by which `Auto`
//! leaves it for Gauss–Seidel.
//!
//! Per iteration the cost is the gather of `contrib[u]` over every arc. On graphs whose
//! contributions fit in cache (Slashdot, soc-sign-epinions, Higgs: under 2 MiB) an iteration
//! takes about as long as a bare pass of those loads (`gather-probe` in `benches/centrality.rs`).
//! On R-MAT scale 22 (2.4M nodes, 65M arcs, 19 MiB of contributions) the loads miss cache:
//! measured on the shared 2-core VM, ~270–340 ms per iteration at 1 thread and ~125–145 ms at
//! 2, against a streaming floor `(4m + 24n) / bandwidth` of ~11–13 ms. Tried and not kept:
//! `f32` contributions (1.4x faster per iteration, but the NetworkX answer needs `f64` in the
//! last iterations) and renumbering nodes by degree per call (1.4–2x faster per iteration, but
//! the renumbering itself cost 1.3–2.8 s, more than the 11 iterations R-MAT needs at an L1
//! tolerance of 1e-8).

use rayon::prelude::*;

use clout_graph::NodeId;

use super::gather::{gather, gather_weighted, padded_len};
use super::{CHUNK, Distribution, PageRank, PageRankConfig, PageRankMethod};

/// `Auto` leaves the power iteration for Gauss–Seidel when the last two L1 changes `c₋₁, c`
/// predict more than this many further iterations, `ln(N · tol / c) / ln(c / c₋₁)`. Ordering
/// the components and copying their rows costs about ten iterations on the graphs measured
/// (more on large graphs, where it is latency-bound), and Gauss–Seidel then needs about half
/// as many sweeps as power needs iterations; fast-mixing graphs (R-MAT: 11 iterations at an
/// L1 tolerance of 1e-8) and loose tolerances stay with power.
const SWITCH_REMAINING: f64 = 15.0;

/// The pull form of the graph: row `v` lists the nodes `v` gathers from.
pub(super) struct PullRows<'a> {
    pub(super) offsets: &'a [u64],
    pub(super) sources: &'a [NodeId],
    pub(super) weights: Option<&'a [f64]>,
    pub(super) inv_share: &'a [f64],
}

/// What [`power_steps`] ended with.
pub(super) struct Stepped {
    pub(super) result: PageRank,
    /// Stopped early because the convergence rate favours Gauss–Seidel (see [`Plan`]).
    pub(super) wants_gauss_seidel: bool,
}

/// What a power step needs besides the iterate.
pub(super) struct Iteration<'a> {
    pub(super) rows: &'a PullRows<'a>,
    pub(super) cfg: &'a PageRankConfig,
    pub(super) teleport: Distribution<'a>,
    pub(super) dangling_to: Distribution<'a>,
}

/// When [`power_steps`] stops (besides `max_iterations`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Exit {
    /// When NetworkX's stopping rule holds.
    Converged,
    /// Also when the rate of convergence says Gauss–Seidel will be faster (see [`Plan`]).
    ConvergedOrSlow,
}

/// Power iteration from `start` (non-negative, summing to 1), `done` iterations already spent,
/// until `exit` or `max_iterations`.
pub(super) fn power_steps(
    iteration: &Iteration,
    start: Vec<f64>,
    done: usize,
    exit: Exit,
    work: &mut Workspace,
) -> Stepped {
    let Iteration { rows, cfg, teleport, dangling_to } = *iteration;
    let n = start.len();
    let (offsets, sources, inv_share) = (rows.offsets, rows.sources, rows.inv_share);
    let alpha = cfg.damping;
    let mut x = start;
    // Padded for the masked gather (see `gather`); only the first n entries are ever written,
    // so the padding stays zero.
    let mut contrib = std::mem::take(&mut work.contrib);
    contrib.resize(padded_len(n), 0.0);
    contrib[..n]
        .par_chunks_mut(CHUNK)
        .zip(x.par_chunks(CHUNK).zip(inv_share.par_chunks(CHUNK)))
        .for_each(|(out, (xs, invs))| {
            out.iter_mut().zip(xs.iter().zip(invs)).for_each(|(c, (xu, inv))| *c = xu * inv)
        });
    let mut dangling_mass: f64 = x
        .par_chunks(CHUNK)
        .zip(inv_share.par_chunks(CHUNK))
        .map(|(xs, invs)| xs.iter().zip(invs).filter(|p| *p.1 == 0.0).map(|p| p.0).sum::<f64>())
        .collect::<Vec<f64>>()
        .iter()
        .sum();
    let mut next = std::mem::take(&mut work.next);
    next.resize(n, 0.0);
    let mut next_contrib = std::mem::take(&mut work.next_contrib);
    next_contrib.resize(padded_len(n), 0.0);
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
        if exit == Exit::ConvergedOrSlow
            && result.iterations >= 2
            && result.iterations + 2 <= cfg.max_iterations
        {
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
    *work = Workspace { contrib, next, next_contrib };
    Stepped { result, wants_gauss_seidel }
}

/// Buffers handed from phase to phase of one [`pagerank`] call, so that each is allocated (and
/// its pages faulted in: a measurable part of a single run on a graph of a million arcs) once.
#[derive(Default)]
pub(super) struct Workspace {
    /// Contributions `x · inv_share`, padded for the masked gather.
    pub(super) contrib: Vec<f64>,
    /// The next iterate.
    pub(super) next: Vec<f64>,
    /// The next contributions, padded.
    pub(super) next_contrib: Vec<f64>,
}
