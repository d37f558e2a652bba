//! Helpers shared by the simulation tests: tiny graphs with weights and signs given arc by arc,
//! and seeded random ones.

use clout_graph::rng::Rng;
use clout_graph::{BuildConfig, Duplicates, EdgeList, Graph, GraphInfo, NodeId, build};

/// A graph from `(u, v, weight, sign)` arcs; duplicates keep the first, self-loops dropped.
pub fn graph(n: u32, arcs: &[(NodeId, NodeId, f64, i8)]) -> Graph {
    let edges = EdgeList {
        node_count: n,
        src: arcs.iter().map(|a| a.0).collect(),
        dst: arcs.iter().map(|a| a.1).collect(),
        weights: Some(arcs.iter().map(|a| a.2).collect()),
        signs: Some(arcs.iter().map(|a| a.3).collect()),
    };
    let cfg = BuildConfig { duplicates: Duplicates::First, ..BuildConfig::default() };
    build(edges, &cfg, GraphInfo::default()).unwrap()
}

/// `m` random arcs on `n` nodes with weights in `[lo, hi)` and random signs (30 % distrust).
pub fn random_graph(n: u32, m: usize, seed: u64, lo: f64, hi: f64) -> Graph {
    let mut rng = Rng::new(seed);
    let arcs: Vec<_> = (0..m)
        .map(|_| {
            let u = rng.below(n as u64) as NodeId;
            let v = rng.below(n as u64) as NodeId;
            let sign = if rng.chance(0.3) { -1 } else { 1 };
            (u, v, lo + (hi - lo) * rng.next_f64(), sign)
        })
        .collect();
    graph(n, &arcs)
}

/// A diamond with a back arc: two attempts meet at node 3 in the same round (tie rule), one
/// of them over a distrust arc, and node 3's in-weights sum above 1 (LT normalization).
pub fn diamond() -> Graph {
    graph(
        5,
        &[
            (0, 1, 0.5, 1),
            (0, 2, 0.7, 1),
            (1, 3, 0.6, -1),
            (2, 3, 0.8, 1),
            (3, 4, 0.9, -1),
            (1, 4, 0.2, 1),
            (4, 0, 0.3, 1),
        ],
    )
}
