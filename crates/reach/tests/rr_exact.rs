//! RR sets follow the exact live-edge distribution, whichever way the sampler finds live
//! in-arcs: geometric jumps over a row that shares one probability (uniform and weighted
//! cascade, including rows with `p = 1`), or one coin per arc (per-arc weights).
//!
//! The exact law comes from enumerating all `2^m` live-edge worlds of a 12-arc graph: for each
//! root `r`, node `v` and reverse distance `d`, `P[r][v][d]` is the probability that `v` reaches
//! `r` in the live-edge graph with shortest distance `d` (IC-N's distances), and `v` is in the
//! RR set of `r` with probability `sum over d`. The sampler's counts per cell, given the number
//! of sets drawn with root `r`, are binomial; each cell is checked with Bernstein's inequality
//! `Pr[|X - Np| >= t] <= 2 exp(-t^2 / (2 (Np(1-p) + t/3)))` at a per-cell level that keeps the
//! whole file's false-alarm probability (all cells of all cases, union bound) below 1e-6.
//! Cells of probability 0 or 1 must match exactly. Every draw is seeded, so the outcome is
//! fixed; a companion check shows the same counts are rejected against a law whose arc
//! probabilities are 10 % lower, so the test can fail.

use clout_graph::{BuildConfig, EdgeList, Graph, GraphInfo, NodeId, build, from_pairs};
use clout_reach::select::{RrModel, RrSampler, RrSets};
use clout_reach::{EdgeProbs, ProbSpec};

/// Arcs `u -> v` (influence direction): cycles and parallel paths of different lengths, so
/// distances and multi-path inclusion both matter. In-degrees 1, 2, 2, 3, 3, 1.
const ARCS: [(NodeId, NodeId); 12] = [
    (0, 1),
    (0, 2),
    (1, 2),
    (2, 3),
    (1, 3),
    (3, 4),
    (4, 0),
    (2, 4),
    (5, 3),
    (5, 4),
    (3, 5),
    (4, 1),
];
const N: usize = 6;
/// RR sets drawn per case: about 50,000 per root.
const SETS: usize = 300_000;
/// Cells checked per case (root x node x distance), times 10 (more than the six cases).
const CELLS: f64 = (N * N * N) as f64 * 10.0;
/// Per-cell false-alarm level: 1e-6 over every cell of the file.
const ALPHA: f64 = 1e-6 / CELLS;

/// `P[r][v][d]` by enumerating every live-edge world; `p[i]` is the probability of in-arc `i`
/// of `g` (in-CSR order).
fn exact_law(g: &Graph, p: &[f64]) -> Vec<Vec<Vec<f64>>> {
    let adjacency = g.in_adjacency();
    let (offsets, sources) = (adjacency.offsets.as_slice(), adjacency.targets.as_slice());
    let m = sources.len();
    assert!(m <= 16, "enumeration is for tiny graphs");
    let mut law = vec![vec![vec![0.0; N]; N]; N];
    for world in 0u32..1 << m {
        let live = |i: usize| world >> i & 1 == 1;
        let weight: f64 = (0..m).map(|i| if live(i) { p[i] } else { 1.0 - p[i] }).product();
        if weight == 0.0 {
            continue;
        }
        for (r, law_r) in law.iter_mut().enumerate() {
            // Reverse breadth-first search over live in-arcs: shortest live distances to r.
            let mut dist = [usize::MAX; N];
            dist[r] = 0;
            let mut queue = vec![r];
            let mut head = 0;
            while head < queue.len() {
                let v = queue[head];
                head += 1;
                let row = offsets[v] as usize..offsets[v + 1] as usize;
                for (i, &u) in row.clone().zip(&sources[row]) {
                    let u = u as usize;
                    if live(i) && dist[u] == usize::MAX {
                        dist[u] = dist[v] + 1;
                        queue.push(u);
                    }
                }
            }
            for (v, &d) in dist.iter().enumerate() {
                if d != usize::MAX {
                    law_r[v][d] += weight;
                }
            }
        }
    }
    law
}

/// Counts `[r][v][d]` of the sampled sets (`d = 0` for every member when distances are off,
/// so only inclusion is compared) and the number of sets per root.
fn counts(sets: &RrSets) -> (Vec<Vec<Vec<u64>>>, Vec<u64>) {
    let mut count = vec![vec![vec![0u64; N]; N]; N];
    let mut roots = vec![0u64; N];
    for i in 0..sets.len() {
        let set = sets.set(i);
        let r = set[0] as usize;
        roots[r] += 1;
        for (j, &v) in set.iter().enumerate() {
            let d = sets.distances(i).map_or(0, |d| d[j] as usize);
            count[r][v as usize][d] += 1;
        }
    }
    (count, roots)
}

/// The cells whose count is implausible under `law` (inclusion only when `by_distance` is
/// false), as readable strings.
fn rejected(
    count: &[Vec<Vec<u64>>],
    roots: &[u64],
    law: &[Vec<Vec<f64>>],
    by_distance: bool,
) -> Vec<String> {
    let ln = (2.0 / ALPHA).ln();
    let mut bad = Vec::new();
    for r in 0..N {
        let trials = roots[r] as f64;
        for v in 0..N {
            let cells: Vec<(usize, f64, u64)> = if by_distance {
                (0..N).map(|d| (d, law[r][v][d], count[r][v][d])).collect()
            } else {
                vec![(0, law[r][v].iter().sum(), count[r][v].iter().sum())]
            };
            for (d, p, x) in cells {
                let p = p.clamp(0.0, 1.0);
                let mean = trials * p;
                let ok = if p < 1e-12 {
                    x == 0
                } else if p > 1.0 - 1e-12 {
                    x == roots[r]
                } else {
                    let t = ln / 3.0 + ((ln / 3.0).powi(2) + 2.0 * mean * (1.0 - p) * ln).sqrt();
                    (x as f64 - mean).abs() < t
                };
                if !ok {
                    bad.push(format!(
                        "root {r} node {v} distance {d}: {x} of {trials} vs p {p:.5}"
                    ));
                }
            }
        }
    }
    bad
}

/// Draws the sets of one case and checks them against the exact law (and that a 10 % lower
/// law is rejected).
fn check(name: &str, g: &Graph, spec: ProbSpec, with_distances: bool) {
    let probs = EdgeProbs::new(g, spec).unwrap();
    let sampler = RrSampler::new(g, &probs, RrModel::Ic, with_distances);
    assert_eq!(sampler.with_distances(), with_distances);
    let mut sets = RrSets::new(with_distances);
    sampler.extend(&mut sets, SETS, 20_240_601);
    let (count, roots) = counts(&sets);
    let law = exact_law(g, probs.in_probs());
    let bad = rejected(&count, &roots, &law, with_distances);
    assert!(bad.is_empty(), "{name}: {} cells off the exact law: {bad:#?}", bad.len());
    let lower: Vec<f64> = probs.in_probs().iter().map(|p| p * 0.9).collect();
    let wrong = rejected(&count, &roots, &exact_law(g, &lower), with_distances);
    assert!(!wrong.is_empty(), "{name}: the check cannot tell 10 % lower probabilities apart");
}

fn plain() -> Graph {
    from_pairs(N as u32, &ARCS, true)
}

/// The same arcs with weights that differ within every row of more than one in-arc.
fn weighted() -> Graph {
    let mut edges = EdgeList::from_pairs(N as u32, &ARCS);
    edges.weights = Some(vec![0.7, 0.35, 0.6, 0.25, 0.5, 0.45, 0.8, 0.3, 0.65, 0.55, 0.9, 0.4]);
    build(edges, &BuildConfig::default(), GraphInfo::default()).unwrap()
}

#[test]
fn rr_geometric_jumps_follow_the_exact_law_uniform() {
    check("uniform 0.4", &plain(), ProbSpec::Uniform(0.4), false);
}

#[test]
fn rr_geometric_jumps_follow_the_exact_law_weighted_cascade() {
    // Rows of in-degree 1 have p = 1 (every jump 0), the others 1/2 and 1/3.
    check("weighted cascade", &plain(), ProbSpec::WeightedCascade, false);
}

#[test]
fn rr_per_arc_coins_follow_the_exact_law() {
    check("per-arc weights", &weighted(), ProbSpec::Weight, false);
}

#[test]
fn rr_distances_follow_the_exact_law_geometric_jumps() {
    check("uniform 0.4, distances", &plain(), ProbSpec::Uniform(0.4), true);
    check("weighted cascade, distances", &plain(), ProbSpec::WeightedCascade, true);
}

#[test]
fn rr_distances_follow_the_exact_law_per_arc_coins() {
    check("per-arc weights, distances", &weighted(), ProbSpec::Weight, true);
}
