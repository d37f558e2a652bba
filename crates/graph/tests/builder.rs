//! The CSR builder against a naive reference: policies, attributes, undirected graphs,
//! thread-count independence.

use std::collections::BTreeMap;

use clout_graph::{BuildConfig, Duplicates, EdgeList, Graph, GraphInfo, SelfLoops, build};
use proptest::prelude::*;

fn edges(
    n: u32,
    pairs: &[(u32, u32)],
    weights: Option<Vec<f64>>,
    signs: Option<Vec<i8>>,
) -> EdgeList {
    let mut e = EdgeList::from_pairs(n, pairs);
    e.weights = weights;
    e.signs = signs;
    e
}

fn cfg(directed: bool, self_loops: SelfLoops, duplicates: Duplicates) -> BuildConfig {
    BuildConfig { directed, self_loops, duplicates }
}

/// Every stored arc as (u, v, weight, sign), in CSR order.
fn arcs(g: &Graph) -> Vec<(u32, u32, f64, i8)> {
    let mut out = Vec::new();
    for u in g.nodes() {
        let w = g.out_weights(u);
        let s = g.out_signs(u);
        for (i, &v) in g.out_neighbors(u).iter().enumerate() {
            out.push((u, v, w.map_or(1.0, |w| w[i]), s.map_or(1, |s| s[i])));
        }
    }
    out
}

/// The in-adjacency must be exactly the transpose of the out-adjacency.
fn assert_transpose(g: &Graph) {
    let mut from_in = Vec::new();
    for v in g.nodes() {
        let w = g.in_weights(v);
        let s = g.in_signs(v);
        for (i, &u) in g.in_neighbors(v).iter().enumerate() {
            from_in.push((u, v, w.map_or(1.0, |w| w[i]), s.map_or(1, |s| s[i])));
        }
        assert!(g.in_neighbors(v).is_sorted());
    }
    let mut from_out = arcs(g);
    from_in.sort_by(|a, b| a.partial_cmp(b).unwrap());
    from_out.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(from_in, from_out);
}

#[test]
fn merges_duplicates_summing_weights_in_input_order() {
    let e = edges(
        3,
        &[(0, 1), (0, 2), (0, 1), (1, 1), (0, 1)],
        Some(vec![1.0, 5.0, 2.0, 9.0, 4.0]),
        None,
    );
    let g = build(e, &BuildConfig::default(), GraphInfo::default()).unwrap();
    assert_eq!(arcs(&g), vec![(0, 1, 7.0, 1), (0, 2, 5.0, 1)]);
    assert_eq!(g.info().duplicates_merged, 2);
    assert_eq!(g.info().self_loops_dropped, 1);
    assert_eq!(g.info().input_edges, 5);
    assert_transpose(&g);
}

#[test]
fn first_policy_keeps_first_weight_and_sign() {
    let e = edges(3, &[(2, 0), (2, 0), (0, 2)], Some(vec![3.0, 8.0, 1.0]), Some(vec![-1, 1, 1]));
    let g = build(e, &cfg(true, SelfLoops::Drop, Duplicates::First), GraphInfo::default()).unwrap();
    assert_eq!(arcs(&g), vec![(0, 2, 1.0, 1), (2, 0, 3.0, -1)]);
    assert_transpose(&g);
}

#[test]
fn keep_policy_makes_a_multigraph_and_keeps_loops_when_asked() {
    let e = edges(2, &[(0, 1), (0, 1), (1, 1)], None, None);
    let g = build(e, &cfg(true, SelfLoops::Keep, Duplicates::Keep), GraphInfo::default()).unwrap();
    assert_eq!(arcs(&g).len(), 3);
    assert_eq!(g.info().self_loops_kept, 1);
    assert_eq!(g.info().duplicates_merged, 0);
    assert_transpose(&g);
}

#[test]
fn undirected_counts_each_edge_once() {
    // 0-1 given twice in both orientations, 1-2 once, a loop at 2 kept.
    let e = edges(3, &[(0, 1), (1, 0), (1, 2), (2, 2)], Some(vec![1.0, 2.0, 4.0, 8.0]), None);
    let g = build(e, &cfg(false, SelfLoops::Keep, Duplicates::Sum), GraphInfo::default()).unwrap();
    assert!(!g.is_directed());
    assert_eq!(g.edge_count(), 3);
    assert_eq!(g.arc_count(), 5);
    assert_eq!(g.info().duplicates_merged, 1);
    assert_eq!(g.out_neighbors(1), &[0, 2]);
    assert_eq!(g.out_weights(0), Some(&[3.0][..]));
    assert_eq!(g.out_weights(1), Some(&[3.0, 4.0][..]));
    assert_eq!(g.in_neighbors(1), g.out_neighbors(1));
}

#[test]
fn rejects_out_of_range_ids_and_bad_attributes() {
    assert!(
        build(edges(2, &[(0, 2)], None, None), &BuildConfig::default(), GraphInfo::default())
            .is_err()
    );
    assert!(
        build(
            edges(2, &[(0, 1)], Some(vec![]), None),
            &BuildConfig::default(),
            GraphInfo::default()
        )
        .is_err()
    );
    assert!(
        build(
            edges(2, &[(0, 1)], None, Some(vec![0])),
            &BuildConfig::default(),
            GraphInfo::default()
        )
        .is_err()
    );
}

#[test]
fn empty_and_isolated_nodes() {
    let g =
        build(edges(5, &[], None, None), &BuildConfig::default(), GraphInfo::default()).unwrap();
    assert_eq!(g.node_count(), 5);
    assert_eq!(g.edge_count(), 0);
    assert!(g.nodes().all(|u| g.out_degree(u) == 0 && g.in_degree(u) == 0));
}

/// Naive reference: a sorted map from (u, v) to (summed weight, first sign, copies).
fn reference(n: u32, list: &[(u32, u32, f64, i8)], directed: bool) -> Vec<(u32, u32, f64, i8)> {
    let mut map: BTreeMap<(u32, u32), (f64, i8)> = BTreeMap::new();
    for &(u, v, w, s) in list {
        if u == v {
            continue;
        }
        let mut add = |a: u32, b: u32| {
            map.entry((a, b)).and_modify(|e| e.0 += w).or_insert((w, s));
        };
        add(u, v);
        if !directed {
            add(v, u);
        }
    }
    let _ = n;
    map.into_iter().map(|((u, v), (w, s))| (u, v, w, s)).collect()
}

proptest! {
    #[test]
    fn matches_naive_reference(
        n in 1u32..40,
        raw in proptest::collection::vec((0u32..40, 0u32..40, 1u32..5, any::<bool>()), 0..300),
        directed in any::<bool>(),
    ) {
        let list: Vec<(u32, u32, f64, i8)> =
            raw.iter().map(|&(u, v, w, s)| (u % n, v % n, w as f64, if s { 1 } else { -1 })).collect();
        let pairs: Vec<(u32, u32)> = list.iter().map(|t| (t.0, t.1)).collect();
        let e = edges(n, &pairs, Some(list.iter().map(|t| t.2).collect()), Some(list.iter().map(|t| t.3).collect()));
        let g = build(e.clone(), &cfg(directed, SelfLoops::Drop, Duplicates::Sum), GraphInfo::default()).unwrap();
        prop_assert_eq!(arcs(&g), reference(n, &list, directed));
        assert_transpose(&g);
        // Same arrays at one and two threads.
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let g1 = one.install(|| build(e, &cfg(directed, SelfLoops::Drop, Duplicates::Sum), GraphInfo::default()).unwrap());
        prop_assert_eq!(arcs(&g1), arcs(&g));
    }
}

#[test]
fn large_rmat_build_is_thread_independent() {
    use clout_graph::generate::{RmatConfig, rmat};
    // Scale 15: 524,288 arcs make two scatter chunks and 32 buckets.
    let e = rmat(&RmatConfig { scale: 15, edge_factor: 16, ..RmatConfig::default() }).unwrap();
    let mut e = e;
    e.weights = Some((0..e.len()).map(|i| (i % 7) as f64 + 0.25).collect());
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let g1 =
        one.install(|| build(e.clone(), &BuildConfig::default(), GraphInfo::default()).unwrap());
    let g2 = two.install(|| build(e, &BuildConfig::default(), GraphInfo::default()).unwrap());
    assert_eq!(g1.out_adjacency().targets.as_slice(), g2.out_adjacency().targets.as_slice());
    assert_eq!(g1.out_adjacency().offsets.as_slice(), g2.out_adjacency().offsets.as_slice());
    let w1: Vec<u64> =
        g1.out_adjacency().weights.as_ref().unwrap().iter().map(|w| w.to_bits()).collect();
    let w2: Vec<u64> =
        g2.out_adjacency().weights.as_ref().unwrap().iter().map(|w| w.to_bits()).collect();
    assert_eq!(w1, w2);
    assert!(g1.info().duplicates_merged > 0, "R-MAT at this scale has duplicates to merge");
    assert_transpose(&g1);
}

#[test]
fn merged_duplicate_self_loops_count_once_as_kept() {
    // Five copies of the loop 0 -- 0 merge into one arc: one kept self-loop, four merged. The
    // undirected edge count is derived from the kept self-loops (it used to underflow here).
    let e = edges(2, &[(0, 0), (0, 0), (0, 0), (0, 0), (0, 0)], None, None);
    let g = build(e, &cfg(false, SelfLoops::Keep, Duplicates::Sum), GraphInfo::default()).unwrap();
    assert_eq!((g.arc_count(), g.info().self_loops_kept, g.info().duplicates_merged), (1, 1, 4));
    assert_eq!(g.edge_count(), 1);
    let e = edges(3, &[(0, 0), (0, 1), (0, 0), (2, 2)], None, None);
    let g =
        build(e, &cfg(false, SelfLoops::Keep, Duplicates::First), GraphInfo::default()).unwrap();
    assert_eq!((g.arc_count(), g.info().self_loops_kept), (4, 2));
    assert_eq!(g.edge_count(), 3);
    let e = edges(2, &[(1, 1), (1, 1), (0, 1)], None, None);
    let g = build(e, &cfg(true, SelfLoops::Keep, Duplicates::Keep), GraphInfo::default()).unwrap();
    assert_eq!((g.arc_count(), g.info().self_loops_kept), (3, 2));
}

#[test]
fn weight_sums_that_overflow_and_non_finite_weights_are_errors() {
    use clout_graph::BuildError;
    let pairs = [(0, 1), (2, 1), (2, 1), (0, 1)];
    let weights = vec![1e308, 1e308, 1e308, 1.0];
    let sum = cfg(true, SelfLoops::Drop, Duplicates::Sum);
    let e = build(edges(3, &pairs, Some(weights.clone()), None), &sum, GraphInfo::default());
    assert_eq!(e.unwrap_err(), BuildError::WeightOverflow { source: 2, target: 1 });
    // The same input under the other policies keeps finite weights.
    for duplicates in [Duplicates::First, Duplicates::Keep] {
        let c = cfg(true, SelfLoops::Drop, duplicates);
        assert!(
            build(edges(3, &pairs, Some(weights.clone()), None), &c, GraphInfo::default()).is_ok()
        );
    }
    // Undirected: both copies of the edge overflow; the first in (source, target) order.
    let undirected = cfg(false, SelfLoops::Drop, Duplicates::Sum);
    let e = build(edges(3, &pairs, Some(weights), None), &undirected, GraphInfo::default());
    assert_eq!(e.unwrap_err(), BuildError::WeightOverflow { source: 1, target: 2 });
    let e = build(edges(2, &[(0, 1)], Some(vec![f64::NAN]), None), &sum, GraphInfo::default());
    assert!(matches!(e.unwrap_err(), BuildError::NonFiniteWeight { arc: 0, .. }));
}
