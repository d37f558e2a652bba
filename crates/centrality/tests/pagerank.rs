//! PageRank against NetworkX 3.6.1 reference values (tests/fixtures, made by make_fixtures.py),
//! hand-checkable cases, error cases, the verifier, and thread-count independence.

mod common;

use clout_centrality::{
    CentralityError, DanglingPolicy, PageRank, PageRankConfig, pagerank, verify_pagerank,
};
use clout_graph::{EdgeReading, Graph};
use common::{Loaded, fixture_by_dense, load, with_threads};
use proptest::prelude::*;

/// NetworkX's fixtures were made with `tol=1e-12`; clout runs the same iteration with the same
/// stopping rule, so both stop at the same step and differ only by rounding (~1e-16 per entry).
/// 1e-9 leaves room for a one-step difference in where they stop (each step changes an entry
/// by well under N · 1e-12 ≤ 7.2e-9 in L1, and far less per entry).
const MATCH: f64 = 1e-9;

fn tight() -> PageRankConfig {
    PageRankConfig { tolerance: 1e-12, max_iterations: 10_000, ..PageRankConfig::default() }
}

/// Runs PageRank, checks it with the verifier, and compares it with a NetworkX fixture.
fn check_against(loaded: &Loaded, cfg: &PageRankConfig, fixture: &str) -> PageRank {
    let pr = pagerank(&loaded.graph, cfg).expect("pagerank");
    assert!(pr.converged, "{fixture}: did not converge in {} iterations", pr.iterations);
    verify_pagerank(&loaded.graph, cfg, &pr).unwrap_or_else(|e| panic!("{fixture}: {e}"));
    let expected = fixture_by_dense(loaded, fixture);
    let (worst, at) = pr
        .scores
        .iter()
        .zip(&expected)
        .enumerate()
        .map(|(v, (got, want))| ((got - want).abs(), v))
        .fold((0.0, 0), |a, b| if b.0 > a.0 { b } else { a });
    eprintln!("{fixture}: {} iterations, max |clout - NetworkX| = {worst:e}", pr.iterations);
    assert!(
        worst < MATCH,
        "{fixture}: node {} differs by {worst:e} ({} vs NetworkX {})",
        loaded.original[at],
        pr.scores[at],
        expected[at]
    );
    // Sums of about 7000 terms near 1e-4 in f64: rounding well under 1e-12.
    let sum: f64 = pr.scores.iter().sum();
    assert!((sum - 1.0).abs() < 1e-12, "{fixture}: scores sum to {sum}");
    pr
}

/// The follower file `0 1`, `1 2`, `2 0`, `2 3` ("0 follows 1", ...), stored as influence arcs.
fn tiny() -> Loaded {
    let graph = clout_graph::from_pairs(4, &[(1, 0), (2, 1), (0, 2), (3, 2)], true);
    Loaded { graph, original: vec![0, 1, 2, 3] }
}

fn personalization(loaded: &Loaded, values: &[(u64, f64)]) -> Option<Vec<f64>> {
    let mut p = vec![0.0; loaded.original.len()];
    for &(id, value) in values {
        p[loaded.dense(id) as usize] = value;
    }
    Some(p)
}

// Keep in sync with make_fixtures.py.
const TINY_PERSONALIZATION: &[(u64, f64)] = &[(0, 1.0), (3, 3.0)];
const KARATE_PERSONALIZATION: &[(u64, f64)] = &[(1, 1.0), (34, 2.0), (17, 0.5)];
const WIKI_PERSONALIZATION: &[(u64, f64)] =
    &[(30, 2.0), (1412, 3.0), (3352, 1.0), (2565, 0.5), (15, 1.5)];

#[test]
fn tiny_follower_graph_matches_networkx() {
    let t = tiny();
    let pr = check_against(&t, &tight(), "pagerank_tiny.tsv");
    // The values quoted in the issue.
    for (got, want) in pr.scores.iter().zip([0.21376, 0.26462, 0.30785, 0.21376]) {
        assert!((got - want).abs() < 5e-6);
    }
}

#[test]
fn tiny_personalized_follows_networkx_dangling_default() {
    let t = tiny();
    let cfg =
        PageRankConfig { personalization: personalization(&t, TINY_PERSONALIZATION), ..tight() };
    check_against(&t, &cfg, "pagerank_tiny_personalized.tsv");
    let uniform = PageRankConfig { dangling: DanglingPolicy::Uniform, ..cfg };
    check_against(&t, &uniform, "pagerank_tiny_personalized_uniform_dangling.tsv");
}

#[test]
fn karate_matches_networkx() {
    let k = load("karate/karate.edges", EdgeReading::Undirected, false);
    assert_eq!((k.graph.node_count(), k.graph.edge_count()), (34, 78));
    check_against(&k, &tight(), "pagerank_karate.tsv");
    let cfg =
        PageRankConfig { personalization: personalization(&k, KARATE_PERSONALIZATION), ..tight() };
    check_against(&k, &cfg, "pagerank_karate_personalized.tsv");
}

#[test]
fn weighted_karate_matches_networkx() {
    let k = load("karate/karate_weighted.edges", EdgeReading::Undirected, true);
    check_against(
        &k,
        &PageRankConfig { weighted: true, ..tight() },
        "pagerank_karate_weighted.tsv",
    );
    check_against(&k, &tight(), "pagerank_karate_unweighted_view.tsv");
}

#[test]
fn ego_facebook_matches_networkx() {
    let f = load("ego-facebook/facebook_combined.txt", EdgeReading::Undirected, false);
    assert_eq!((f.graph.node_count(), f.graph.edge_count()), (4039, 88234));
    check_against(&f, &tight(), "pagerank_ego_facebook.tsv");
}

#[test]
fn wiki_vote_follower_reading_matches_networkx() {
    let w = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows, false);
    assert_eq!((w.graph.node_count(), w.graph.edge_count()), (7115, 103689));
    check_against(&w, &tight(), "pagerank_wiki_vote.tsv");
    let cfg =
        PageRankConfig { personalization: personalization(&w, WIKI_PERSONALIZATION), ..tight() };
    check_against(&w, &cfg, "pagerank_wiki_vote_personalized.tsv");
}

#[test]
fn highly_followed_account_ranks_high() {
    // Lines "1 0", "2 0", "3 0", "0 4": three accounts follow 0, and 0 follows 4.
    let g = clout_graph::from_pairs(5, &[(0, 1), (0, 2), (0, 3), (4, 0)], true);
    let pr = pagerank(&g, &tight()).unwrap();
    verify_pagerank(&g, &tight(), &pr).unwrap();
    let best = (0..5).max_by(|&a, &b| pr.scores[a].total_cmp(&pr.scores[b])).unwrap();
    assert_eq!(best, 4, "{:?}", pr.scores); // 4 is followed by the best-followed account
    assert!(pr.scores[0] > pr.scores[1]);
}

#[test]
fn default_config_is_networkx_default() {
    let cfg = PageRankConfig::default();
    assert_eq!((cfg.damping, cfg.tolerance, cfg.max_iterations), (0.85, 1e-6, 100));
    assert_eq!(cfg.dangling, DanglingPolicy::Personalization);
    assert!(cfg.personalization.is_none() && !cfg.weighted);
    // NetworkX's default stopping rule is loose (L1 change < N · 1e-6), but the documented
    // bound holds: L1 distance to the fixed point <= α / (1 - α) · last change.
    let w = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows, false);
    let pr = pagerank(&w.graph, &cfg).unwrap();
    assert!(pr.converged && pr.residual < 7115.0 * 1e-6);
    let expected = fixture_by_dense(&w, "pagerank_wiki_vote.tsv");
    let distance: f64 = pr.scores.iter().zip(&expected).map(|(a, b)| (a - b).abs()).sum();
    assert!(distance <= 0.85 / 0.15 * pr.residual + 1e-9, "{distance} vs {}", pr.residual);
}

#[test]
fn thread_count_does_not_change_a_bit() {
    let w = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows, false);
    let k = load("karate/karate_weighted.edges", EdgeReading::Undirected, true);
    let rmat = clout_graph::generate::rmat(&clout_graph::generate::RmatConfig {
        scale: 14,
        edge_factor: 8,
        ..Default::default()
    })
    .unwrap();
    let r = clout_graph::build(rmat, &Default::default(), Default::default()).unwrap();
    let cases: [(&Graph, PageRankConfig); 3] = [
        (&w.graph, tight()),
        (&k.graph, PageRankConfig { weighted: true, ..tight() }),
        (&r, tight()),
    ];
    for (g, cfg) in cases {
        let one = with_threads(1, || pagerank(g, &cfg).unwrap());
        let two = with_threads(2, || pagerank(g, &cfg).unwrap());
        assert_eq!(one.iterations, two.iterations);
        assert_eq!(one.residual.to_bits(), two.residual.to_bits());
        assert!(one.scores.iter().zip(&two.scores).all(|(a, b)| a.to_bits() == b.to_bits()));
    }
}

#[test]
fn not_converging_is_reported_not_an_error() {
    let w = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows, false);
    let cfg = PageRankConfig { max_iterations: 3, ..tight() };
    let pr = pagerank(&w.graph, &cfg).unwrap();
    assert!(!pr.converged);
    assert_eq!(pr.iterations, 3);
    verify_pagerank(&w.graph, &cfg, &pr).unwrap();
    let none = pagerank(&w.graph, &PageRankConfig { max_iterations: 0, ..tight() }).unwrap();
    assert!(!none.converged && none.residual.is_infinite());
}

#[test]
fn verifier_rejects_wrong_answers() {
    let k = load("karate/karate.edges", EdgeReading::Undirected, false);
    let cfg = tight();
    let good = pagerank(&k.graph, &cfg).unwrap();
    let residual = verify_pagerank(&k.graph, &cfg, &good).unwrap();
    // One contraction step: at most α times the last change (< 34 · 1e-12), plus rounding.
    assert!(residual <= 0.85 * good.residual + 1e-15, "{residual} vs {}", good.residual);

    let mut moved = good.clone();
    moved.scores[0] += 1e-6;
    moved.scores[1] -= 1e-6;
    assert!(verify_pagerank(&k.graph, &cfg, &moved).is_err());
    let mut scaled = good.clone();
    scaled.scores.iter_mut().for_each(|s| *s *= 1.001);
    assert!(verify_pagerank(&k.graph, &cfg, &scaled).is_err());
    // Right numbers for the wrong question: undamped-teleport differences are caught.
    let other = PageRankConfig { damping: 0.5, ..cfg.clone() };
    assert!(verify_pagerank(&k.graph, &other, &good).is_err());
    let mut short = good;
    short.scores.pop();
    assert!(verify_pagerank(&k.graph, &cfg, &short).is_err());
}

#[test]
fn reversed_reading_is_caught_by_the_verifier() {
    // Scores for the follower reading are not a fixed point for the opposite reading.
    let w = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows, false);
    let i = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Influence, false);
    let pr = pagerank(&w.graph, &tight()).unwrap();
    assert!(verify_pagerank(&i.graph, &tight(), &pr).is_err());
}

#[test]
fn bad_inputs_are_errors() {
    let g = clout_graph::from_pairs(3, &[(0, 1), (1, 2)], true);
    let run = |cfg: PageRankConfig| pagerank(&g, &cfg).unwrap_err();
    assert_eq!(
        run(PageRankConfig { weighted: true, ..Default::default() }),
        CentralityError::Unweighted
    );
    assert!(matches!(
        run(PageRankConfig { damping: 1.5, ..Default::default() }),
        CentralityError::InvalidConfig { parameter: "damping", .. }
    ));
    assert!(matches!(
        run(PageRankConfig { tolerance: f64::NAN, ..Default::default() }),
        CentralityError::InvalidConfig { parameter: "tolerance", .. }
    ));
    assert_eq!(
        run(PageRankConfig { personalization: Some(vec![0.0; 3]), ..Default::default() }),
        CentralityError::ZeroPersonalization
    );
    assert_eq!(
        run(PageRankConfig { personalization: Some(vec![1.0, -1.0, 1.0]), ..Default::default() }),
        CentralityError::InvalidPersonalization { node: 1, value: -1.0 }
    );
    assert_eq!(
        run(PageRankConfig { personalization: Some(vec![1.0]), ..Default::default() }),
        CentralityError::WrongLength { what: "personalization vector", expected: 3, found: 1 }
    );
    let edges = clout_graph::EdgeList {
        weights: Some(vec![1.0, -2.0]),
        ..clout_graph::EdgeList::from_pairs(3, &[(0, 1), (1, 2)])
    };
    let weighted = clout_graph::build(edges, &Default::default(), Default::default()).unwrap();
    let err = pagerank(&weighted, &PageRankConfig { weighted: true, ..Default::default() });
    assert_eq!(err.unwrap_err(), CentralityError::InvalidWeight { arc: 1, weight: -2.0 });
}

#[test]
fn empty_and_isolated_graphs() {
    let empty = clout_graph::from_pairs(0, &[], true);
    let pr = pagerank(&empty, &PageRankConfig::default()).unwrap();
    assert!(pr.scores.is_empty() && pr.converged);
    // No arcs: every node is dangling, so the answer is uniform.
    let isolated = clout_graph::from_pairs(4, &[], true);
    let pr = pagerank(&isolated, &tight()).unwrap();
    assert!(pr.scores.iter().all(|&s| (s - 0.25).abs() < 1e-15));
}

fn arb_graph() -> impl Strategy<Value = (Graph, Vec<f64>)> {
    (1u32..40, proptest::collection::vec((0u32..40, 0u32..40, 0.0f64..5.0), 0..120), any::<bool>())
        .prop_map(|(n, arcs, directed)| {
            let arcs: Vec<_> = arcs.into_iter().map(|(u, v, w)| (u % n, v % n, w)).collect();
            let pairs: Vec<_> = arcs.iter().map(|a| (a.0, a.1)).collect();
            let edges = clout_graph::EdgeList {
                weights: Some(arcs.iter().map(|a| a.2).collect()),
                ..clout_graph::EdgeList::from_pairs(n, &pairs)
            };
            let cfg = clout_graph::BuildConfig { directed, ..Default::default() };
            let g = clout_graph::build(edges, &cfg, Default::default()).unwrap();
            let p = (0..n).map(|v| (v % 3) as f64).collect();
            (g, p)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_graphs_verify_and_are_thread_independent(
        (g, p) in arb_graph(),
        weighted in any::<bool>(),
        personalized in any::<bool>(),
        uniform_dangling in any::<bool>(),
    ) {
        let personalization = (personalized && p.iter().any(|&x| x > 0.0)).then_some(p);
        let dangling = if uniform_dangling { DanglingPolicy::Uniform } else { DanglingPolicy::Personalization };
        let cfg = PageRankConfig { weighted, personalization, dangling, ..tight() };
        let one = with_threads(1, || pagerank(&g, &cfg).unwrap());
        let two = with_threads(2, || pagerank(&g, &cfg).unwrap());
        prop_assert!(one.converged);
        prop_assert_eq!(&one, &two);
        verify_pagerank(&g, &cfg, &one).map_err(TestCaseError::fail)?;
        let sum: f64 = one.scores.iter().sum();
        prop_assert!((sum - 1.0).abs() < 1e-12);
    }
}
