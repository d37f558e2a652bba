//! PageRank against NetworkX 3.6.1 reference values (tests/fixtures, made by make_fixtures.py),
//! hand-checkable cases, error cases, the verifier, and thread-count independence.

mod common;

use clout_centrality::pagerank::PageRankMethod;
use clout_centrality::{
    CentralityError, DanglingPolicy, PageRank, PageRankConfig, pagerank, verify_pagerank,
};
use clout_graph::{EdgeReading, Graph};
use common::{Loaded, fixture_by_dense, load, with_threads};
use proptest::prelude::*;

/// NetworkX's fixtures were made with `tol=1e-12`; clout's power method runs the same iteration
/// with the same stopping rule, so both stop at the same step and differ only by rounding
/// (~1e-16 per entry). 1e-9 leaves room for a one-step difference in where they stop (each step
/// changes an entry by well under N · 1e-12 ≤ 7.2e-9 in L1, and far less per entry). The
/// Gauss–Seidel method stops elsewhere under the same rule; both answers are within
/// α / (1 - α) · N · 1e-12 ≤ 4.1e-8 of the fixed point in L1, and measured per entry within
/// 4e-10 of NetworkX (ego-Facebook, wiki-Vote), so the same 1e-9 holds with room to spare.
const MATCH: f64 = 1e-9;

fn tight() -> PageRankConfig {
    PageRankConfig { tolerance: 1e-12, max_iterations: 10_000, ..PageRankConfig::default() }
}

/// Runs PageRank with the config's method and with the power method, checks both with the
/// verifier, and compares both with a NetworkX fixture; returns the first.
fn check_against(loaded: &Loaded, cfg: &PageRankConfig, fixture: &str) -> PageRank {
    let power = PageRankConfig { method: PageRankMethod::Power, ..cfg.clone() };
    let pr = check_one(loaded, cfg, fixture);
    let reference = check_one(loaded, &power, fixture);
    assert_eq!(reference.method, PageRankMethod::Power);
    pr
}

fn check_one(loaded: &Loaded, cfg: &PageRankConfig, fixture: &str) -> PageRank {
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
    eprintln!(
        "{fixture}: {:?}, {} iterations, max |clout - NetworkX| = {worst:e}",
        pr.method, pr.iterations
    );
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
    // NetworkX's values for this graph to five digits (pagerank_tiny.tsv holds them in full).
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
    let power = PageRankConfig { method: PageRankMethod::Power, ..tight() };
    let cases: [(&Graph, PageRankConfig); 5] = [
        (&w.graph, tight()),
        (&k.graph, PageRankConfig { weighted: true, ..tight() }),
        (&r, tight()),
        (&w.graph, power.clone()),
        (&r, power),
    ];
    for (g, cfg) in cases {
        let one = with_threads(1, || pagerank(g, &cfg).unwrap());
        let two = with_threads(2, || pagerank(g, &cfg).unwrap());
        assert_eq!((one.iterations, one.method), (two.iterations, two.method));
        assert_eq!(one.residual.to_bits(), two.residual.to_bits());
        assert!(one.scores.iter().zip(&two.scores).all(|(a, b)| a.to_bits() == b.to_bits()));
    }
}

/// The unweighted power iteration sums fixed-point states exactly; with a personalization
/// vector it sums `f64` states. A uniform personalization vector gives the same problem through
/// the other path: the two must stop at the same iteration with scores equal far below the
/// tolerance (each path's rounding is under 1e-15 per entry here), on graphs small enough for
/// the running-prefix row sums and on one large enough for row-by-row sums.
#[test]
fn fixed_point_and_float_iterations_agree() {
    let w = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows, false).graph;
    let f = load("ego-facebook/facebook_combined.txt", EdgeReading::Undirected, false).graph;
    // 2^18 nodes: 2 MiB of states, summed row by row rather than by running prefix.
    let rmat = clout_graph::generate::rmat(&clout_graph::generate::RmatConfig {
        scale: 18,
        edge_factor: 4,
        ..Default::default()
    })
    .unwrap();
    let r = clout_graph::build(rmat, &Default::default(), Default::default()).unwrap();
    for g in [&w, &f, &r] {
        let n = g.node_count();
        let power = PageRankConfig { method: PageRankMethod::Power, ..tight() };
        let fixed = pagerank(g, &power).unwrap();
        verify_pagerank(g, &power, &fixed).unwrap();
        let float =
            pagerank(g, &PageRankConfig { personalization: Some(vec![1.0; n]), ..power.clone() })
                .unwrap();
        assert_eq!(fixed.iterations, float.iterations);
        let worst = fixed.scores.iter().zip(&float.scores).map(|(a, b)| (a - b).abs());
        let worst = worst.fold(0.0, f64::max);
        assert!(worst < 1e-15, "fixed point and f64 differ by {worst:e}");
        assert!(worst > 0.0 || n == 0, "the two paths were not both exercised");
    }
}

#[test]
fn not_converging_is_reported_not_an_error() {
    let w = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows, false);
    for method in [PageRankMethod::Auto, PageRankMethod::Power] {
        let cfg = PageRankConfig { max_iterations: 3, method, ..tight() };
        let pr = pagerank(&w.graph, &cfg).unwrap();
        assert!(!pr.converged);
        assert_eq!(pr.iterations, 3);
        verify_pagerank(&w.graph, &cfg, &pr).unwrap();
    }
    let none = pagerank(&w.graph, &PageRankConfig { max_iterations: 0, ..tight() }).unwrap();
    assert!(!none.converged && none.residual.is_infinite());
}

/// A tolerance of 0 never stops early: the power method runs exactly `max_iterations`, which is
/// what the per-iteration benchmark relies on when it differences runs of 21 and 1 iterations.
#[test]
fn zero_tolerance_runs_exactly_max_iterations() {
    let k = load("karate/karate.edges", EdgeReading::Undirected, false);
    for iterations in [1, 20, 200] {
        let cfg = PageRankConfig {
            tolerance: 0.0,
            max_iterations: iterations,
            method: PageRankMethod::Power,
            ..PageRankConfig::default()
        };
        let pr = pagerank(&k.graph, &cfg).unwrap();
        assert_eq!(
            (pr.iterations, pr.method, pr.converged),
            (iterations, PageRankMethod::Power, false)
        );
    }
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
    let err = err.unwrap_err();
    assert_eq!(err, CentralityError::InvalidWeight { source: 1, target: 2, weight: -2.0 });
    assert!(err.to_string().contains("node 1 -> node 2"), "{err}");
    let named = err.describe(&|u| format!("`{}`", ["a", "b", "c"][u as usize]));
    assert!(named.contains("`b` -> `c` has weight -2"), "{named}");
}

#[test]
fn method_choice_follows_the_config() {
    let w = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows, false);
    let run = |cfg: PageRankConfig| pagerank(&w.graph, &cfg);
    assert_eq!(run(tight()).unwrap().method, PageRankMethod::GaussSeidel);
    let p = personalization(&w, WIKI_PERSONALIZATION);
    let personalized = PageRankConfig { personalization: p, ..tight() };
    assert_eq!(run(personalized.clone()).unwrap().method, PageRankMethod::GaussSeidel);
    // Dangling rank spread uniformly while teleport is personalized: not one linear system.
    let split = PageRankConfig { dangling: DanglingPolicy::Uniform, ..personalized };
    assert_eq!(run(split.clone()).unwrap().method, PageRankMethod::Power);
    let forced = PageRankConfig { method: PageRankMethod::GaussSeidel, ..split };
    assert!(matches!(
        run(forced).unwrap_err(),
        CentralityError::InvalidConfig { parameter: "method", .. }
    ));
    // Damping 1 (no teleport) and a single allowed iteration also fall back to power.
    let undamped = PageRankConfig { damping: 1.0, ..tight() };
    assert_eq!(run(undamped).unwrap().method, PageRankMethod::Power);
    let one_step = PageRankConfig { max_iterations: 1, ..tight() };
    assert_eq!(run(one_step).unwrap().method, PageRankMethod::Power);
}

#[test]
fn acyclic_graph_is_solved_in_one_sweep() {
    // A follower chain and a star: no cycles, so Gauss-Seidel settles every node in its single
    // pass and the power step that follows changes nothing beyond rounding.
    let pairs: Vec<(u32, u32)> =
        (1..200).map(|v| (v, v - 1)).chain((201..300).map(|v| (200, v))).collect();
    let g = clout_graph::from_pairs(300, &pairs, true);
    let cfg = PageRankConfig { method: PageRankMethod::GaussSeidel, ..tight() };
    let pr = pagerank(&g, &cfg).unwrap();
    assert_eq!(pr.iterations, 2, "one sweep and one power step");
    assert!(pr.converged && pr.residual < 1e-14, "{}", pr.residual);
    verify_pagerank(&g, &cfg, &pr).unwrap();
    // Auto starts with power iteration; the slow chain makes it switch after two steps.
    let auto = pagerank(&g, &tight()).unwrap();
    assert_eq!((auto.method, auto.iterations), (PageRankMethod::GaussSeidel, 4));
    assert!(auto.converged && auto.residual < 1e-14, "{}", auto.residual);
}

#[test]
fn fast_mixing_graph_stays_with_power() {
    // R-MAT mixes fast: the power iteration's own rate predicts few iterations, so Auto does
    // not pay for ordering components.
    let edges = clout_graph::generate::rmat(&clout_graph::generate::RmatConfig {
        scale: 12,
        edge_factor: 16,
        ..Default::default()
    })
    .unwrap();
    let g = clout_graph::build(edges, &Default::default(), Default::default()).unwrap();
    let cfg = PageRankConfig { tolerance: 1e-8 / g.node_count() as f64, ..Default::default() };
    let auto = pagerank(&g, &cfg).unwrap();
    let power = pagerank(&g, &PageRankConfig { method: PageRankMethod::Power, ..cfg }).unwrap();
    assert_eq!(auto, power);
    assert!(auto.converged && auto.iterations < 20, "{}", auto.iterations);
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
        power in any::<bool>(),
    ) {
        let personalization = (personalized && p.iter().any(|&x| x > 0.0)).then_some(p);
        let dangling = if uniform_dangling { DanglingPolicy::Uniform } else { DanglingPolicy::Personalization };
        let method = if power { PageRankMethod::Power } else { PageRankMethod::Auto };
        let cfg = PageRankConfig { weighted, personalization, dangling, method, ..tight() };
        let one = with_threads(1, || pagerank(&g, &cfg).unwrap());
        let two = with_threads(2, || pagerank(&g, &cfg).unwrap());
        prop_assert!(one.converged);
        prop_assert_eq!(&one, &two);
        verify_pagerank(&g, &cfg, &one).map_err(TestCaseError::fail)?;
        let sum: f64 = one.scores.iter().sum();
        prop_assert!((sum - 1.0).abs() < 1e-12);
        // Both methods solve the same equation: the answers agree within the two error bounds.
        let other = PageRankConfig { method: PageRankMethod::Power, ..cfg.clone() };
        let reference = pagerank(&g, &other).unwrap();
        let distance: f64 = one.scores.iter().zip(&reference.scores).map(|(a, b)| (a - b).abs()).sum();
        let bound = cfg.damping / (1.0 - cfg.damping) * (one.residual + reference.residual) + 1e-13;
        prop_assert!(distance <= bound, "{} > {}", distance, bound);
    }
}

#[test]
fn verifier_accepts_a_correct_pagerank_of_a_long_path() {
    // A follower chain: node i + 1 follows i (influence arc i -> i + 1 read the follower way
    // round is i + 1 -> i). One power step already meets the N · tolerance rule, and the
    // residual is α times the last change almost exactly, so the kernel's fixed-point rounding
    // (absolute, growing with n) decides; it was rejected in the 9th digit from 500,000 nodes.
    let n: u32 = 500_000;
    let arcs: Vec<(u32, u32)> = (0..n - 1).map(|i| (i + 1, i)).collect();
    let g = clout_graph::from_pairs(n, &arcs, true);
    let cfg = PageRankConfig::default();
    let pr = pagerank(&g, &cfg).unwrap();
    assert!(pr.converged);
    verify_pagerank(&g, &cfg, &pr).unwrap();
    // The allowance stays far below a real error: moving 1e-9 of rank is still caught.
    let mut moved = pr.clone();
    moved.scores[0] += 1e-9;
    moved.scores[n as usize / 2] -= 1e-9;
    assert!(verify_pagerank(&g, &cfg, &moved).is_err());
}
