//! Harmonic closeness against NetworkX 3.6.1 `harmonic_centrality` (tests/fixtures, made by
//! `make_harmonic_fixtures.py`), the sampled estimate's stated error bound, the serial verifier,
//! and thread-count independence.

mod common;

use clout_centrality::harmonic::{guarantee_for_pivots, pivots_for_guarantee};
use clout_centrality::{
    CentralityError, Harmonic, HarmonicConfig, HarmonicDirection, HarmonicMethod,
    harmonic_closeness, verify_harmonic,
};
use clout_graph::{EdgeReading, Graph};
use common::{Loaded, arb_graph, fixture_by_dense, load, with_threads};
use proptest::prelude::*;

/// NetworkX sums `1 / d` node by node, clout count by count per level: the sums differ only by
/// rounding, far below 1e-9 relative for a few thousand terms.
fn assert_close(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len());
    for (v, (&g, &w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() <= 1e-9 * w.abs().max(1.0), "{what}: node {v}: {g} vs {w}");
    }
}

fn exact_matches(loaded: &Loaded, direction: HarmonicDirection, fixture: &str) -> Harmonic {
    let cfg = HarmonicConfig { direction, ..HarmonicConfig::default() };
    let h = harmonic_closeness(&loaded.graph, &cfg).unwrap();
    assert!(h.sampling.is_none() && !h.normalized);
    assert_close(&h.scores, &fixture_by_dense(loaded, fixture), fixture);
    verify_harmonic(&loaded.graph, &cfg, &h).unwrap_or_else(|e| panic!("{fixture}: {e}"));
    let one = with_threads(1, || harmonic_closeness(&loaded.graph, &cfg).unwrap());
    let two = with_threads(2, || harmonic_closeness(&loaded.graph, &cfg).unwrap());
    assert!(bits(&one.scores) == bits(&h.scores) && bits(&two.scores) == bits(&h.scores));
    h
}

fn bits(scores: &[f64]) -> Vec<u64> {
    scores.iter().map(|s| s.to_bits()).collect()
}

fn karate() -> Loaded {
    load("karate/karate.edges", EdgeReading::Undirected, false)
}
fn facebook() -> Loaded {
    load("ego-facebook/facebook_combined.txt", EdgeReading::Undirected, false)
}
fn wiki() -> Loaded {
    load("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows, false)
}

#[test]
fn karate_matches_networkx() {
    let k = karate();
    let h = exact_matches(&k, HarmonicDirection::Reach, "harmonic_karate.tsv");
    // Undirected: both directions are the same numbers.
    exact_matches(&k, HarmonicDirection::Exposure, "harmonic_karate.tsv");
    // Node 34 (the instructor's rival) is the most central, node 1 next.
    let top = (0..34).max_by(|&a, &b| h.scores[a].total_cmp(&h.scores[b])).unwrap();
    assert_eq!(k.original[top], 34);
}

#[test]
fn ego_facebook_matches_networkx() {
    exact_matches(&facebook(), HarmonicDirection::Reach, "harmonic_ego_facebook.tsv");
}

#[test]
fn wiki_vote_reach_is_networkx_on_the_follower_digraph() {
    let w = wiki();
    exact_matches(&w, HarmonicDirection::Reach, "harmonic_wiki_vote.tsv");
    // Exposure is NetworkX on the influence arcs (the reversed follower DiGraph) ...
    exact_matches(&w, HarmonicDirection::Exposure, "harmonic_wiki_vote_exposure.tsv");
    // ... which is also Reach on the file read the other way round.
    let i = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Influence, false);
    exact_matches(&i, HarmonicDirection::Reach, "harmonic_wiki_vote_exposure.tsv");
}

#[test]
fn small_cases_by_hand() {
    // Undirected path 0 - 1 - 2 - 3: H(0) = 1 + 1/2 + 1/3, H(1) = 1 + 1 + 1/2.
    let path = clout_graph::from_pairs(4, &[(0, 1), (1, 2), (2, 3)], false);
    let h = harmonic_closeness(&path, &HarmonicConfig::default()).unwrap();
    assert_close(&h.scores, &[11.0 / 6.0, 2.5, 2.5, 11.0 / 6.0], "path");
    let cfg = HarmonicConfig { normalized: true, ..HarmonicConfig::default() };
    let h = harmonic_closeness(&path, &cfg).unwrap();
    assert_close(&h.scores, &[11.0 / 18.0, 2.5 / 3.0, 2.5 / 3.0, 11.0 / 18.0], "path / 3");
    // Directed star of influence 0 -> 1, 0 -> 2, 0 -> 3 plus 3 -> 4: 0 reaches everyone.
    let star = clout_graph::from_pairs(5, &[(0, 1), (0, 2), (0, 3), (3, 4)], true);
    let reach = harmonic_closeness(&star, &HarmonicConfig::default()).unwrap();
    assert_close(&reach.scores, &[3.5, 0.0, 0.0, 1.0, 0.0], "star reach");
    let cfg = HarmonicConfig { direction: HarmonicDirection::Exposure, ..Default::default() };
    let exposure = harmonic_closeness(&star, &cfg).unwrap();
    assert_close(&exposure.scores, &[0.0, 1.0, 1.0, 1.0, 1.5], "star exposure");
    // Empty and one-node graphs.
    let empty = clout_graph::from_pairs(0, &[], true);
    assert!(harmonic_closeness(&empty, &HarmonicConfig::default()).unwrap().scores.is_empty());
    let one = clout_graph::from_pairs(1, &[], false);
    let cfg = HarmonicConfig { normalized: true, ..HarmonicConfig::default() };
    assert_eq!(harmonic_closeness(&one, &cfg).unwrap().scores, vec![0.0]);
}

/// Runs a sampled estimate and checks it against the exact normalized scores.
fn sampled_error(g: &Graph, exact: &[f64], method: HarmonicMethod) -> (Harmonic, f64) {
    let cfg = HarmonicConfig { normalized: true, method, ..HarmonicConfig::default() };
    let h = harmonic_closeness(g, &cfg).unwrap();
    let worst = h.scores.iter().zip(exact).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    (h, worst)
}

#[test]
fn sampled_estimates_are_within_the_stated_error() {
    for (name, loaded) in [("ego-Facebook", facebook()), ("wiki-Vote", wiki())] {
        let g = &loaded.graph;
        let n = g.node_count();
        let cfg = HarmonicConfig { normalized: true, ..HarmonicConfig::default() };
        let exact = harmonic_closeness(g, &cfg).unwrap().scores;
        let (epsilon, delta) = (0.1, 0.1);
        let k = pivots_for_guarantee(n, epsilon, delta);
        assert!(k < n, "{name}: {k} pivots");
        for seed in [1, 2, 3, 4, 5] {
            let (h, worst) =
                sampled_error(g, &exact, HarmonicMethod::Sampled { epsilon, delta, seed });
            let s = h.sampling.as_ref().expect("sampled");
            assert_eq!(s.pivots.len(), k);
            assert!(s.epsilon <= epsilon && s.epsilon > 0.99 * epsilon, "{name}: {}", s.epsilon);
            assert_eq!(s.delta, delta);
            // The bound holds with probability 0.9 per run; Hoeffding is loose enough that a
            // failure here means a bug, not bad luck.
            assert!(worst <= s.epsilon, "{name} seed {seed}: error {worst} > {}", s.epsilon);
            println!("{name} seed {seed}: k = {k}, max error {worst:.4} (bound {:.4})", s.epsilon);
            if seed == 1 {
                let cfg = HarmonicConfig {
                    normalized: true,
                    method: HarmonicMethod::Sampled { epsilon, delta, seed },
                    ..Default::default()
                };
                verify_harmonic(g, &cfg, &h).unwrap_or_else(|e| panic!("{name}: {e}"));
                let one = with_threads(1, || harmonic_closeness(g, &cfg).unwrap());
                let two = with_threads(2, || harmonic_closeness(g, &cfg).unwrap());
                assert!(
                    bits(&one.scores) == bits(&h.scores) && bits(&two.scores) == bits(&h.scores)
                );
            }
        }
        // A smaller sample gives a larger (but still bounded) error.
        let (h, worst) = sampled_error(g, &exact, HarmonicMethod::Pivots { k: 50, seed: 9 });
        let s = h.sampling.unwrap();
        assert!(worst <= s.epsilon && s.epsilon == guarantee_for_pivots(n, 50, s.delta));
    }
}

#[test]
fn sampled_estimate_is_unbiased() {
    // Tiny directed graph; average the k = 3 estimate over 4000 seeds. Each normalized estimate
    // lies in [0, n / (n - 1)] = [0, 1.25], so the 4000-run mean has standard deviation below
    // 1.25 / 2 / sqrt(3 * 4000) < 0.006; 5 sd = 0.03 catches a wrong scale (n - 1 for n is 20%).
    let g = clout_graph::from_pairs(5, &[(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 3)], true);
    let exact = harmonic_closeness(&g, &HarmonicConfig { normalized: true, ..Default::default() })
        .unwrap()
        .scores;
    let mut mean = [0.0f64; 5];
    for seed in 0..4000 {
        let cfg = HarmonicConfig {
            normalized: true,
            method: HarmonicMethod::Pivots { k: 3, seed },
            ..Default::default()
        };
        let h = harmonic_closeness(&g, &cfg).unwrap();
        if seed < 50 {
            verify_harmonic(&g, &cfg, &h).unwrap();
        }
        mean.iter_mut().zip(&h.scores).for_each(|(m, s)| *m += s / 4000.0);
    }
    for v in 0..5 {
        assert!((mean[v] - exact[v]).abs() < 0.03, "node {v}: mean {} vs {}", mean[v], exact[v]);
    }
}

#[test]
fn sampling_falls_back_to_exact_when_cheaper() {
    let k = karate();
    let method = HarmonicMethod::Sampled { epsilon: 0.2, delta: 0.1, seed: 1 };
    let cfg = HarmonicConfig { method, ..HarmonicConfig::default() };
    let h = harmonic_closeness(&k.graph, &cfg).unwrap();
    assert!(h.sampling.is_none());
    assert_eq!(h, harmonic_closeness(&k.graph, &HarmonicConfig::default()).unwrap());
    verify_harmonic(&k.graph, &cfg, &h).unwrap();
}

#[test]
fn bad_configs_are_refused() {
    let g = clout_graph::from_pairs(3, &[(0, 1)], true);
    let run = |method| harmonic_closeness(&g, &HarmonicConfig { method, ..Default::default() });
    let bad = |parameter: &str, r: Result<Harmonic, CentralityError>| {
        assert!(
            matches!(r, Err(CentralityError::InvalidConfig { parameter: p, .. }) if p == parameter)
        );
    };
    bad("epsilon", run(HarmonicMethod::Sampled { epsilon: 0.0, delta: 0.1, seed: 0 }));
    bad("epsilon", run(HarmonicMethod::Sampled { epsilon: f64::NAN, delta: 0.1, seed: 0 }));
    bad("delta", run(HarmonicMethod::Sampled { epsilon: 0.1, delta: 1.0, seed: 0 }));
    bad("delta", run(HarmonicMethod::Sampled { epsilon: 0.1, delta: 0.0, seed: 0 }));
    bad("k", run(HarmonicMethod::Pivots { k: 0, seed: 0 }));
}

#[test]
fn verifier_rejects_wrong_answers() {
    let k = karate();
    let cfg = HarmonicConfig::default();
    let good = harmonic_closeness(&k.graph, &cfg).unwrap();
    let mut nudged = good.clone();
    nudged.scores[5] += 1e-6;
    assert!(verify_harmonic(&k.graph, &cfg, &nudged).is_err());
    let mut flagged = good.clone();
    flagged.normalized = true;
    assert!(verify_harmonic(&k.graph, &cfg, &flagged).is_err());
    let exposure = HarmonicConfig { direction: HarmonicDirection::Exposure, ..cfg };
    let w = wiki();
    let reach = harmonic_closeness(&w.graph, &cfg).unwrap();
    assert!(verify_harmonic(&w.graph, &exposure, &reach).is_err());

    let sampled_cfg = HarmonicConfig { method: HarmonicMethod::Pivots { k: 10, seed: 3 }, ..cfg };
    let sampled = harmonic_closeness(&k.graph, &sampled_cfg).unwrap();
    verify_harmonic(&k.graph, &sampled_cfg, &sampled).unwrap();
    assert!(verify_harmonic(&k.graph, &cfg, &sampled).is_err());
    assert!(verify_harmonic(&k.graph, &sampled_cfg, &good).is_err());
    let mut other_pivots = sampled.clone();
    other_pivots.sampling.as_mut().unwrap().pivots[0] ^= 1;
    assert!(verify_harmonic(&k.graph, &sampled_cfg, &other_pivots).is_err());
    let mut nudged = sampled;
    nudged.scores[0] *= 1.0 + 1e-7;
    assert!(verify_harmonic(&k.graph, &sampled_cfg, &nudged).is_err());
}

#[test]
fn large_graphs_are_renumbered_and_still_verify() {
    // 70,000 nodes (above the renumbering threshold) and 35,000 random arcs: subcritical, so
    // every BFS stays small and the exact all-pairs run is cheap.
    let edges = clout_graph::generate::gnm(70_000, 35_000, 5).unwrap();
    let g = clout_graph::build(edges, &Default::default(), Default::default()).unwrap();
    for direction in [HarmonicDirection::Reach, HarmonicDirection::Exposure] {
        for method in [HarmonicMethod::Exact, HarmonicMethod::Pivots { k: 300, seed: 2 }] {
            let cfg = HarmonicConfig { direction, normalized: false, method };
            let one = with_threads(1, || harmonic_closeness(&g, &cfg).unwrap());
            let two = with_threads(2, || harmonic_closeness(&g, &cfg).unwrap());
            assert_eq!(bits(&one.scores), bits(&two.scores));
            verify_harmonic(&g, &cfg, &one).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_graphs_verify_and_are_thread_independent(
        g in arb_graph(1..150, 400, any::<bool>()),
        exposure in any::<bool>(),
        k in 1usize..200,
    ) {
        let direction =
            if exposure { HarmonicDirection::Exposure } else { HarmonicDirection::Reach };
        for method in [HarmonicMethod::Exact, HarmonicMethod::Pivots { k, seed: k as u64 }] {
            let cfg = HarmonicConfig { direction, normalized: k % 2 == 0, method };
            let one = with_threads(1, || harmonic_closeness(&g, &cfg).unwrap());
            let two = with_threads(2, || harmonic_closeness(&g, &cfg).unwrap());
            prop_assert_eq!(bits(&one.scores), bits(&two.scores));
            verify_harmonic(&g, &cfg, &one).map_err(TestCaseError::fail)?;
        }
    }
}
