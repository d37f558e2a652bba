//! Coreness against NetworkX 3.6.1 `core_number` (tests/fixtures), the brute-force verifier,
//! directed degree choices, and thread-count independence.

mod common;

use clout_centrality::{
    CentralityError, CoreDegree, Coreness, CorenessConfig, coreness, verify_coreness,
};
use clout_graph::{EdgeReading, Graph};
use common::{Loaded, arb_graph, fixture_by_dense, load, with_threads};
use proptest::prelude::*;

fn check_against(loaded: &Loaded, fixture: &str) -> Coreness {
    let cfg = CorenessConfig::default();
    let c = coreness(&loaded.graph, &cfg).unwrap();
    let expected = fixture_by_dense(loaded, fixture);
    for (v, (&got, &want)) in c.core.iter().zip(&expected).enumerate() {
        assert_eq!(got as f64, want, "{fixture}: node {}", loaded.original[v]);
    }
    verify_coreness(&loaded.graph, &cfg, &c).unwrap_or_else(|e| panic!("{fixture}: {e}"));
    let two = with_threads(2, || coreness(&loaded.graph, &cfg).unwrap());
    let one = with_threads(1, || coreness(&loaded.graph, &cfg).unwrap());
    assert_eq!(one, c);
    assert_eq!(two, c);
    c
}

#[test]
fn karate_matches_networkx() {
    let k = load("karate/karate.edges", EdgeReading::Undirected, false);
    assert_eq!(check_against(&k, "core_karate.tsv").max_core, 4);
}

#[test]
fn ego_facebook_matches_networkx() {
    let f = load("ego-facebook/facebook_combined.txt", EdgeReading::Undirected, false);
    assert_eq!(check_against(&f, "core_ego_facebook.tsv").max_core, 115);
}

#[test]
fn wiki_vote_total_degree_matches_networkx() {
    // NetworkX's core_number on the DiGraph counts in + out degree; the direction of the
    // reading does not matter for Total, so both readings must agree with it.
    let w = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows, false);
    let c = check_against(&w, "core_wiki_vote.tsv");
    let i = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Influence, false);
    assert_eq!(coreness(&i.graph, &CorenessConfig::default()).unwrap(), c);
}

#[test]
fn in_and_out_cores_follow_influence_direction() {
    let follows = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows, false);
    let influence = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Influence, false);
    let run = |g: &Graph, degree| {
        let cfg = CorenessConfig { degree };
        let c = coreness(g, &cfg).unwrap();
        verify_coreness(g, &cfg, &c).unwrap();
        c
    };
    // Reversing every arc swaps in- and out-cores.
    let out_f = run(&follows.graph, CoreDegree::Out);
    let in_f = run(&follows.graph, CoreDegree::In);
    assert_eq!(out_f, run(&influence.graph, CoreDegree::In));
    assert_eq!(in_f, run(&influence.graph, CoreDegree::Out));
    assert_ne!(out_f, in_f);
}

#[test]
fn small_directed_cases_by_hand() {
    // Follower lines "1 0", "2 0", "2 1", "1 2": 0 is followed by 1 and 2; 1 and 2 follow each
    // other. Influence arcs: 0->1, 0->2, 1->2, 2->1.
    let g = clout_graph::from_pairs(3, &[(0, 1), (0, 2), (1, 2), (2, 1)], true);
    let run = |degree| coreness(&g, &CorenessConfig { degree }).unwrap().core;
    // Total (in + out): degrees 2, 3, 3; the reciprocated pair counts twice, as in NetworkX.
    assert_eq!(run(CoreDegree::Total), vec![2, 2, 2]);
    // Out (followers): 0 has 2 followers, 1 and 2 have 1 each inside {1, 2}.
    assert_eq!(run(CoreDegree::Out), vec![1, 1, 1]);
    // In (following): 0 follows no one.
    assert_eq!(run(CoreDegree::In), vec![0, 1, 1]);
}

#[test]
fn self_loops_are_refused() {
    let cfg =
        clout_graph::BuildConfig { self_loops: clout_graph::SelfLoops::Keep, ..Default::default() };
    let edges = clout_graph::EdgeList::from_pairs(3, &[(0, 1), (2, 2)]);
    let g = clout_graph::build(edges, &cfg, Default::default()).unwrap();
    assert_eq!(
        coreness(&g, &CorenessConfig::default()),
        Err(CentralityError::SelfLoop { node: 2 })
    );
}

#[test]
fn verifier_rejects_wrong_answers() {
    let k = load("karate/karate.edges", EdgeReading::Undirected, false);
    let cfg = CorenessConfig::default();
    let good = coreness(&k.graph, &cfg).unwrap();
    let mut high = good.clone();
    high.core[11] += 1; // node 12 (a leaf) claims a higher core
    assert!(verify_coreness(&k.graph, &cfg, &high).is_err());
    let mut low = good.clone();
    low.core[0] -= 1;
    assert!(verify_coreness(&k.graph, &cfg, &low).is_err());
    let mut max = good;
    max.max_core += 1;
    assert!(verify_coreness(&k.graph, &cfg, &max).is_err());
}

#[test]
fn empty_graph() {
    let g = clout_graph::from_pairs(0, &[], false);
    let c = coreness(&g, &CorenessConfig::default()).unwrap();
    assert!(c.core.is_empty() && c.max_core == 0);
    let isolated = clout_graph::from_pairs(3, &[], true);
    assert_eq!(coreness(&isolated, &CorenessConfig::default()).unwrap().core, vec![0, 0, 0]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn random_graphs_verify_and_are_thread_independent(
        g in arb_graph(1..50, 300, any::<bool>()),
        degree in prop_oneof![Just(CoreDegree::Total), Just(CoreDegree::In), Just(CoreDegree::Out)],
    ) {
        let cfg = CorenessConfig { degree };
        let one = with_threads(1, || coreness(&g, &cfg).unwrap());
        let two = with_threads(2, || coreness(&g, &cfg).unwrap());
        prop_assert_eq!(&one, &two);
        verify_coreness(&g, &cfg, &one).map_err(TestCaseError::fail)?;
    }
}
