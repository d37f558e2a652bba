//! Collective influence: hand-computed cases, brute-force Python references on karate,
//! ego-Facebook and wiki-Vote (tests/fixtures, made by `make_harmonic_fixtures.py`), the
//! adaptive ranking against a from-scratch replay, and thread-count independence.

mod common;

use clout_centrality::{
    CentralityError, CiDirection, CiRanking, CiRankingConfig, CollectiveInfluenceConfig,
    collective_influence, collective_influence_ranking, verify_ci_ranking,
    verify_collective_influence,
};
use clout_graph::{EdgeReading, Graph, NodeId};
use common::{Loaded, arb_graph, fixture_by_dense, load, with_threads};
use proptest::prelude::*;

fn ci(g: &Graph, radius: u32, direction: CiDirection) -> Vec<u64> {
    let cfg = CollectiveInfluenceConfig { radius, direction };
    let result = collective_influence(g, &cfg).unwrap();
    verify_collective_influence(g, &cfg, &result).unwrap();
    result.scores
}

#[test]
fn star_path_and_tree_by_hand() {
    use CiDirection::Influence;
    // Star with centre 0 and four leaves: no node is at distance 2 from the centre, and leaves
    // have k - 1 = 0, so every CI_1 and CI_2 is 0 (CI_0 of the centre is (4 - 1)² = 9).
    let star = clout_graph::from_pairs(5, &[(0, 1), (0, 2), (0, 3), (0, 4)], false);
    assert_eq!(ci(&star, 2, Influence), vec![0; 5]);
    assert_eq!(ci(&star, 1, Influence), vec![0; 5]);
    assert_eq!(ci(&star, 0, Influence), vec![9, 0, 0, 0, 0]);
    // Path 0 - 1 - 2 - 3 - 4 - 5, degrees 1 2 2 2 2 1.
    let path = clout_graph::from_pairs(6, &[(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)], false);
    assert_eq!(ci(&path, 1, Influence), vec![0, 1, 2, 2, 1, 0]);
    assert_eq!(ci(&path, 2, Influence), vec![0, 1, 1, 1, 1, 0]);
    assert_eq!(ci(&path, 3, Influence), vec![0, 1, 0, 0, 1, 0]);
    // Tree: 0 has children 1, 2; 1 has 3, 4; 2 has 5, 6; 3 has 7, 8.
    // CI_2(0) = 1 · (k_3 - 1) = 2; CI_2(1) = 2 · (k_2 - 1) = 4; CI_2(2) = 2 · (k_1 - 1) = 4;
    // CI_2(3) = 2 · ((k_0 - 1) + (k_4 - 1)) = 2.
    let tree_arcs = [(0, 1), (0, 2), (1, 3), (1, 4), (2, 5), (2, 6), (3, 7), (3, 8)];
    let tree = clout_graph::from_pairs(9, &tree_arcs, false);
    assert_eq!(ci(&tree, 2, Influence), vec![2, 4, 4, 2, 0, 0, 0, 0, 0]);
}

#[test]
fn directed_conventions_by_hand() {
    // Influence arcs 0->1, 0->2, 1->3, 2->3, 3->4, 3->5, 4->0: out-degrees 2 1 1 2 1 0.
    let arcs = [(0, 1), (0, 2), (1, 3), (2, 3), (3, 4), (3, 5), (4, 0)];
    let g = clout_graph::from_pairs(6, &arcs, true);
    // Influence: CI_2(0) = (2 - 1) · (k_3 - 1) = 1 (node 3 counted once though two paths reach
    // it); CI_2(3) = (2 - 1) · (k_0 - 1) = 1 (0 is two hops out via 4; 5 is a dead end).
    assert_eq!(ci(&g, 2, CiDirection::Influence), vec![1, 0, 0, 1, 0, 0]);
    // Exposure: in-degrees 1 1 1 2 1 1; only node 3 has k - 1 > 0, and nothing with k > 1 is at
    // distance exactly 2 against the arcs from 3 (that is node 0).
    assert_eq!(ci(&g, 2, CiDirection::Exposure), vec![0; 6]);
    // Undirected view: degrees 3 2 2 4 2 1, distances in the underlying graph.
    // CI_2(0) = 2 · (k_3 - 1) = 6; CI_2(3) = 3 · (k_0 - 1) = 6; CI_2(1) = 1 · (k_2 + k_4 + k_5 - 3) = 2.
    let undirected = ci(&g, 2, CiDirection::Undirected);
    let plain = clout_graph::from_pairs(6, &arcs, false);
    assert_eq!(undirected, ci(&plain, 2, CiDirection::Influence));
    assert_eq!(&undirected[..4], &[6, 2, 2, 6]);
}

#[test]
fn reciprocated_digraph_equals_undirected_and_exposure_is_reversed_influence() {
    let k = karate();
    let arcs: Vec<(NodeId, NodeId)> = k.graph.arcs().collect();
    let both_ways = clout_graph::from_pairs(34, &arcs, true);
    for radius in 0..4 {
        let undirected = ci(&k.graph, radius, CiDirection::Influence);
        for direction in [CiDirection::Influence, CiDirection::Exposure, CiDirection::Undirected] {
            assert_eq!(ci(&both_ways, radius, direction), undirected);
        }
    }
    let w = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows, false);
    let i = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Influence, false);
    assert_eq!(ci(&w.graph, 2, CiDirection::Exposure), ci(&i.graph, 2, CiDirection::Influence));
}

fn karate() -> Loaded {
    load("karate/karate.edges", EdgeReading::Undirected, false)
}

fn matches_fixture(loaded: &Loaded, radius: u32, fixture: &str) -> Vec<u64> {
    let cfg = CollectiveInfluenceConfig { radius, direction: CiDirection::Influence };
    let result = collective_influence(&loaded.graph, &cfg).unwrap();
    let want = fixture_by_dense(loaded, fixture);
    for (v, (&got, &want)) in result.scores.iter().zip(&want).enumerate() {
        assert_eq!(got as f64, want, "{fixture}: node {}", loaded.original[v]);
    }
    let one = with_threads(1, || collective_influence(&loaded.graph, &cfg).unwrap());
    let two = with_threads(2, || collective_influence(&loaded.graph, &cfg).unwrap());
    assert!(one == result && two == result);
    result.scores
}

/// The `count` highest-scoring nodes as (original id, score), ties to the smaller id.
fn top(loaded: &Loaded, scores: &[u64], count: usize) -> Vec<(u64, u64)> {
    let mut ranked: Vec<(u64, u64)> =
        scores.iter().enumerate().map(|(v, &s)| (loaded.original[v], s)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(count);
    ranked
}

#[test]
fn karate_matches_brute_force_reference() {
    let k = karate();
    for radius in [1, 2, 3] {
        let scores = matches_fixture(&k, radius, &format!("ci_karate_l{radius}.tsv"));
        verify_collective_influence(
            &k.graph,
            &CollectiveInfluenceConfig { radius, direction: CiDirection::Influence },
            &clout_centrality::CollectiveInfluence { scores: scores.clone(), radius },
        )
        .unwrap();
        println!("karate CI_{radius} top 5 (id, CI): {:?}", top(&k, &scores, 5));
    }
    // CI_2 top 5, from the brute-force reference (ci_karate_l2.tsv): node 34 (the
    // administrator) and node 1 (the instructor) lead, then their lieutenants 33, 3 and 2.
    let scores = matches_fixture(&k, 2, "ci_karate_l2.tsv");
    assert_eq!(top(&k, &scores, 5), vec![(34, 656), (1, 615), (33, 528), (3, 477), (2, 424)]);
}

#[test]
fn ego_facebook_and_wiki_vote_match_brute_force_reference() {
    let f = load("ego-facebook/facebook_combined.txt", EdgeReading::Undirected, false);
    let scores = matches_fixture(&f, 2, "ci_ego_facebook_l2.tsv");
    println!("ego-Facebook CI_2 top 5: {:?}", top(&f, &scores, 5));
    let w = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows, false);
    let scores = matches_fixture(&w, 2, "ci_wiki_vote_l2.tsv");
    println!("wiki-Vote CI_2 (influence) top 5: {:?}", top(&w, &scores, 5));
}

/// Rows `step<TAB>original id<TAB>CI` of a ranking fixture.
fn ranking_fixture(name: &str) -> Vec<(u64, u64)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let f: Vec<u64> = l.split('\t').map(|x| x.parse().unwrap()).collect();
            (f[1], f[2])
        })
        .collect()
}

fn ranking(g: &Graph, cfg: &CiRankingConfig) -> CiRanking {
    let r = collective_influence_ranking(g, cfg).unwrap();
    verify_ci_ranking(g, cfg, &r).unwrap();
    let one = with_threads(1, || collective_influence_ranking(g, cfg).unwrap());
    let two = with_threads(2, || collective_influence_ranking(g, cfg).unwrap());
    assert!(one == r && two == r);
    r
}

#[test]
fn karate_adaptive_ranking_matches_brute_force_reference() {
    let k = karate();
    for radius in [1, 2] {
        let cfg = CiRankingConfig { radius, ..CiRankingConfig::default() };
        let r = ranking(&k.graph, &cfg);
        let got: Vec<(u64, u64)> = r
            .order
            .iter()
            .zip(&r.ci_at_removal)
            .map(|(&v, &c)| (k.original[v as usize], c))
            .collect();
        assert_eq!(got, ranking_fixture(&format!("ci_karate_l{radius}_ranking.txt")));
        assert!(r.complete);
        println!("karate adaptive CI_{radius} order (id, CI at removal): {got:?}");
    }
    // The adaptive order differs from the static top 5 after the first pick: once 34 is gone,
    // node 1's neighbourhood loses its hub-to-hub paths and 33 overtakes it.
    let cfg = CiRankingConfig { max_removals: Some(2), ..CiRankingConfig::default() };
    let r = ranking(&k.graph, &cfg);
    assert_eq!(r.order.iter().map(|&v| k.original[v as usize]).collect::<Vec<_>>(), vec![34, 33]);
    assert!(!r.complete);
}

#[test]
fn ranking_on_real_data_is_thread_independent() {
    let f = load("ego-facebook/facebook_combined.txt", EdgeReading::Undirected, false);
    let cfg = CiRankingConfig { max_removals: Some(200), ..CiRankingConfig::default() };
    let one = with_threads(1, || collective_influence_ranking(&f.graph, &cfg).unwrap());
    let two = with_threads(2, || collective_influence_ranking(&f.graph, &cfg).unwrap());
    assert_eq!(one, two);
    assert_eq!(one.order.len(), 200);
    // The first pick is the static CI maximum.
    let scores = collective_influence(&f.graph, &CollectiveInfluenceConfig::default()).unwrap();
    let best = scores.scores.iter().max().unwrap();
    assert_eq!(one.ci_at_removal[0], *best);
}

#[test]
fn self_loops_are_refused_and_verifiers_reject_wrong_answers() {
    let cfg =
        clout_graph::BuildConfig { self_loops: clout_graph::SelfLoops::Keep, ..Default::default() };
    let g = clout_graph::build(
        clout_graph::EdgeList::from_pairs(3, &[(0, 1), (2, 2)]),
        &cfg,
        Default::default(),
    )
    .unwrap();
    let err = Err(CentralityError::SelfLoop { node: 2 });
    assert_eq!(collective_influence(&g, &CollectiveInfluenceConfig::default()), err);
    assert!(matches!(
        collective_influence_ranking(&g, &CiRankingConfig::default()),
        Err(CentralityError::SelfLoop { node: 2 })
    ));

    let k = karate();
    let cfg = CollectiveInfluenceConfig::default();
    let good = collective_influence(&k.graph, &cfg).unwrap();
    let mut bad = good.clone();
    bad.scores[7] += 1;
    assert!(verify_collective_influence(&k.graph, &cfg, &bad).is_err());
    let other_radius = CollectiveInfluenceConfig { radius: 3, ..cfg };
    assert!(verify_collective_influence(&k.graph, &other_radius, &good).is_err());

    let rcfg = CiRankingConfig::default();
    let good = collective_influence_ranking(&k.graph, &rcfg).unwrap();
    let mut swapped = good.clone();
    swapped.order.swap(1, 2);
    assert!(verify_ci_ranking(&k.graph, &rcfg, &swapped).is_err());
    let mut wrong_value = good.clone();
    wrong_value.ci_at_removal[0] -= 1;
    assert!(verify_ci_ranking(&k.graph, &rcfg, &wrong_value).is_err());
    let mut truncated = good.clone();
    truncated.order.pop();
    truncated.ci_at_removal.pop();
    assert!(verify_ci_ranking(&k.graph, &rcfg, &truncated).is_err());
    let mut extended = good;
    extended.order.push(0);
    extended.ci_at_removal.push(0);
    assert!(verify_ci_ranking(&k.graph, &rcfg, &extended).is_err());
}

#[test]
fn empty_and_tiny_graphs() {
    let empty = clout_graph::from_pairs(0, &[], true);
    assert!(collective_influence(&empty, &Default::default()).unwrap().scores.is_empty());
    let r = collective_influence_ranking(&empty, &Default::default()).unwrap();
    assert!(r.order.is_empty() && r.complete);
    let isolated = clout_graph::from_pairs(3, &[], false);
    assert_eq!(ci(&isolated, 0, CiDirection::Influence), vec![0, 0, 0]);
}

#[test]
fn skewed_graph_rankings_replay_against_brute_force() {
    // R-MAT scale 9 (512 nodes, ~8k arcs before merging): hubs make hundreds of stale keys per
    // removal, so re-scoring runs in several 128-node batches.
    use clout_graph::generate::{RmatConfig, rmat};
    for directed in [true, false] {
        let rmat_cfg = RmatConfig { scale: 9, edge_factor: 16, seed: 7, ..RmatConfig::default() };
        let build = clout_graph::BuildConfig { directed, ..Default::default() };
        let g = clout_graph::build(rmat(&rmat_cfg).unwrap(), &build, Default::default()).unwrap();
        for radius in [2, 3] {
            let cfg = CiRankingConfig { radius, max_removals: Some(120), ..Default::default() };
            let r = ranking(&g, &cfg);
            assert_eq!(r.order.len(), 120, "directed {directed}, radius {radius}");
        }
    }
}

fn arb_direction() -> impl Strategy<Value = CiDirection> {
    prop_oneof![
        Just(CiDirection::Influence),
        Just(CiDirection::Exposure),
        Just(CiDirection::Undirected)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn random_graphs_match_brute_force(g in arb_graph(1..60, 200, any::<bool>()), radius in 0u32..5, direction in arb_direction()) {
        let cfg = CollectiveInfluenceConfig { radius, direction };
        let one = with_threads(1, || collective_influence(&g, &cfg).unwrap());
        let two = with_threads(2, || collective_influence(&g, &cfg).unwrap());
        prop_assert_eq!(&one, &two);
        verify_collective_influence(&g, &cfg, &one).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn random_rankings_replay(
        g in arb_graph(1..60, 200, any::<bool>()),
        radius in 0u32..4,
        direction in arb_direction(),
        limit in proptest::option::of(0usize..10),
    ) {
        let cfg = CiRankingConfig { radius, direction, max_removals: limit };
        let one = with_threads(1, || collective_influence_ranking(&g, &cfg).unwrap());
        let two = with_threads(2, || collective_influence_ranking(&g, &cfg).unwrap());
        prop_assert_eq!(&one, &two);
        verify_ci_ranking(&g, &cfg, &one).map_err(TestCaseError::fail)?;
    }
}
