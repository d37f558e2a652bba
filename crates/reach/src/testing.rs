//! Helpers shared by the unit tests.

use clout_graph::{Graph, from_pairs};

/// A directed graph on `n` nodes with up to `m` arcs between uniformly random distinct
/// endpoints (repeats merge), drawn from `seed`.
pub(crate) fn random_graph(n: u32, m: usize, seed: u64) -> Graph {
    let mut rng = clout_graph::rng::Rng::new(seed);
    let arcs: Vec<(u32, u32)> = (0..m)
        .map(|_| ((rng.next_u64() % n as u64) as u32, (rng.next_u64() % n as u64) as u32))
        .filter(|(a, b)| a != b)
        .collect();
    from_pairs(n, &arcs, true)
}

/// A directed G(n, m) graph from [`clout_graph::generate::gnm`] with `seed`, built with the
/// default settings.
pub(crate) fn gnm_graph(n: u32, m: usize, seed: u64) -> Graph {
    let edges = clout_graph::generate::gnm(n, m, seed).unwrap();
    let cfg = clout_graph::BuildConfig::default();
    clout_graph::build(edges, &cfg, clout_graph::GraphInfo::default()).unwrap()
}
