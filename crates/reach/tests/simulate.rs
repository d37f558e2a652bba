//! The Monte Carlo engine against exact enumeration on tiny graphs (every model), closed forms,
//! IC-N's shortcut against direct sign-coin simulation, and determinism across thread counts.
//!
//! Statistical checks use fixed seeds and a 4-standard-error band: each comparison would fail
//! by chance with probability 6e-5 for a correct engine, while a wrong rule (tie order, sign
//! propagation, LT normalization, a skipped arc) moves the mean by many standard errors.

mod common;

use clout_graph::rng::Rng;
use clout_graph::{BuildConfig, Graph, GraphInfo, NodeId, build, from_pairs};
use clout_reach::exact::{exact_spread, exact_spread_with_quality};
use clout_reach::{EdgeProbs, Estimate, Model, ProbSpec, Quality, SimConfig, SimError, simulate};
use common::{diamond, graph, random_graph};

fn within(mc: f64, se: f64, exact: f64, what: &str) {
    let limit = 4.0 * se + 1e-9;
    assert!(
        (mc - exact).abs() <= limit,
        "{what}: Monte Carlo {mc} vs exact {exact} (limit {limit})"
    );
}

fn near(e: &Estimate, exact: f64, what: &str) {
    within(e.mean, e.std_error, exact, what);
}

/// Every metric of a Monte Carlo run against exact enumeration.
fn agrees_with_exact(g: &Graph, spec: ProbSpec, seeds: &[NodeId], model: Model, q: f64) {
    let q = if model == Model::IcN { q } else { 1.0 };
    let probs = EdgeProbs::new(g, spec).unwrap();
    let exact = exact_spread(g, &probs, seeds, model, q).unwrap();
    let cfg =
        SimConfig { model, qualities: vec![q], trials: 40_000, seed: 7, ..SimConfig::default() };
    let sim = simulate(g, &probs, seeds, &cfg).unwrap();
    let r = &sim.results[0];
    let what = |m: &str| format!("{model} {spec} seeds {seeds:?}: {m}");
    near(&r.positive, exact.positive, &what("positive"));
    near(&r.negative, exact.negative, &what("negative"));
    near(&r.total, exact.total, &what("total"));
    near(&r.awareness, exact.awareness, &what("awareness"));
    let b = exact.backfire_risk;
    within(r.backfire_risk.mean, (b * (1.0 - b) / 40_000.0).sqrt(), b, &what("backfire risk"));
    assert!(r.steps.len() <= exact.new_positive.len(), "{}", what("more rounds than possible"));
    for (s, step) in r.steps.iter().enumerate() {
        let band = &step.new_positive;
        within(band.mean, band.std_error, exact.new_positive[s], &what(&format!("round {s} +")));
        let band = &step.new_negative;
        within(band.mean, band.std_error, exact.new_negative[s], &what(&format!("round {s} -")));
    }
}

const MODELS: [Model; 4] = [Model::Ic, Model::Lt, Model::IcN, Model::Signed];

#[test]
fn every_model_matches_exact_enumeration_on_tiny_graphs() {
    let diamond = diamond();
    for model in MODELS {
        agrees_with_exact(&diamond, ProbSpec::Weight, &[0], model, 0.6);
        agrees_with_exact(&diamond, ProbSpec::Uniform(0.45), &[0, 2], model, 0.8);
    }
    for seed in 1..=3 {
        let g = random_graph(7, 14, seed, 0.05, 0.95);
        for model in MODELS {
            agrees_with_exact(&g, ProbSpec::Weight, &[0], model, 0.7);
            agrees_with_exact(&g, ProbSpec::WeightNormalized, &[1, 4], model, 0.5);
        }
    }
}

#[test]
fn geometric_jumps_and_thinning_match_exact_enumeration() {
    // Uniform 0.1 (geometric jumps) and weights up to 0.25 (jumps with thinning) on a
    // two-level out-star, plus an undirected graph (both arcs of every edge).
    let mut arcs: Vec<_> = (1..=12).map(|v| (0, v, 0.02 * v as f64, 1)).collect();
    arcs.extend((1..=6).map(|v| (v, v + 6, 0.25, 1)));
    let star = graph(13, &arcs);
    for spec in [ProbSpec::Uniform(0.1), ProbSpec::Weight] {
        agrees_with_exact(&star, spec, &[0], Model::Ic, 1.0);
        agrees_with_exact(&star, spec, &[0], Model::IcN, 0.75);
    }
    let ring = from_pairs(6, &[(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0), (0, 3)], false);
    for model in [Model::Ic, Model::Lt, Model::IcN] {
        agrees_with_exact(&ring, ProbSpec::Uniform(0.35), &[0], model, 0.9);
        agrees_with_exact(&ring, ProbSpec::WeightedCascade, &[2], model, 0.9);
    }
}

#[test]
fn per_node_quality_matches_exact_enumeration() {
    let g = random_graph(7, 13, 11, 0.2, 0.9);
    let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
    let quality = Quality::with_overrides(0.8, 7, &[(0, 0.5), (3, 0.1), (5, 1.0)]).unwrap();
    let exact = exact_spread_with_quality(&g, &probs, &[0, 1], Model::IcN, &quality).unwrap();
    let cfg = SimConfig {
        model: Model::IcN,
        qualities: vec![0.8],
        node_quality: Some(quality),
        trials: 40_000,
        ..SimConfig::default()
    };
    let r = &simulate(&g, &probs, &[0, 1], &cfg).unwrap().results[0];
    near(&r.positive, exact.positive, "positive");
    near(&r.negative, exact.negative, "negative");
    let b = exact.backfire_risk;
    within(r.backfire_risk.mean, (b * (1.0 - b) / 40_000.0).sqrt(), b, "backfire");
}

#[test]
fn icn_single_arc_known_answer() {
    // s -> v, p = 0.5, q = 0.7: positive = 0.7 + 0.5 * 0.7^2 = 0.945, negative = 1.5 - 0.945.
    let g = from_pairs(2, &[(0, 1)], true);
    let probs = EdgeProbs::new(&g, ProbSpec::Uniform(0.5)).unwrap();
    let e = exact_spread(&g, &probs, &[0], Model::IcN, 0.7).unwrap();
    assert!((e.positive - 0.945).abs() < 1e-12 && (e.negative - 0.555).abs() < 1e-12, "{e:?}");
    // Backfire: v negative and s negative, or s negative alone: 0.3; (s+, v-) is a tie.
    assert!((e.backfire_risk - 0.3).abs() < 1e-12);
    let cfg = SimConfig { model: Model::IcN, qualities: vec![0.7], ..SimConfig::default() };
    let r = &simulate(&g, &probs, &[0], &cfg).unwrap().results[0];
    near(&r.positive, 0.945, "positive");
    near(&r.negative, 0.555, "negative");
    near(&r.total, 1.5, "total");
}

#[test]
fn icn_positive_is_q_to_the_one_plus_distance_without_noise() {
    // A path with certain arcs: distances are fixed, so the Rao-Blackwellized positive reach
    // is exactly q + q^2 + q^3 in every trial (no sampling error at all).
    let g = from_pairs(3, &[(0, 1), (1, 2)], true);
    let probs = EdgeProbs::new(&g, ProbSpec::Uniform(1.0)).unwrap();
    let cfg = SimConfig { model: Model::IcN, qualities: vec![0.8, 0.5], ..SimConfig::default() };
    let sim = simulate(&g, &probs, &[0], &cfg).unwrap();
    for r in &sim.results {
        let q = r.quality;
        assert!((r.positive.mean - (q + q * q + q * q * q)).abs() < 1e-12, "{r:?}");
        assert!(r.positive.std_error < 1e-12);
        assert!((r.steps[2].new_positive.mean - q * q * q).abs() < 1e-12);
    }
}

#[test]
fn icn_total_is_ic_total_trial_by_trial_and_one_run_answers_every_quality() {
    let g = random_graph(300, 1500, 4, 0.0, 0.3);
    let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
    let seeds = [1, 2, 3];
    let ic = simulate(&g, &probs, &seeds, &SimConfig { trials: 2000, ..SimConfig::default() });
    let qualities = vec![0.5, 0.7, 0.9, 1.0];
    let cfg = SimConfig { model: Model::IcN, qualities, trials: 2000, ..SimConfig::default() };
    let icn = simulate(&g, &probs, &seeds, &cfg).unwrap();
    let ic = ic.unwrap();
    assert_eq!(ic.trial_totals, icn.trial_totals);
    assert_eq!(ic.results[0].total, icn.results[0].total);
    // q = 1: nobody is disappointed, IC-N is IC.
    assert_eq!(icn.results[3].positive.mean, ic.results[0].total.mean);
    // The q = 0.7 answer of the joint run is the answer of a run for 0.7 alone.
    let alone =
        simulate(&g, &probs, &seeds, &SimConfig { qualities: vec![0.7], ..cfg.clone() }).unwrap();
    assert_eq!(alone.results[0], icn.results[1]);
    // Coupled sign draws: positive reach is monotone in q, trial by trial, so in every summary.
    for w in icn.results.windows(2) {
        assert!(w[0].positive.mean < w[1].positive.mean);
        assert!(w[0].positive.q50 <= w[1].positive.q50 && w[0].positive.q95 <= w[1].positive.q95);
        assert!(w[0].backfire_risk.mean >= w[1].backfire_risk.mean);
    }
}

/// IC-N exactly as the rules read: every round, shuffle each node's attempters, try them in
/// that order, the first success decides; sign coins drawn explicitly. Returns per-trial
/// (positive, negative).
fn direct_icn(g: &Graph, p: f64, q: f64, seeds: &[NodeId], trials: u64) -> Vec<(f64, f64)> {
    let n = g.node_count();
    (0..trials)
        .map(|t| {
            let mut rng = Rng::stream(0xD1EC7, t);
            let mut opinion = vec![0i8; n];
            for &s in seeds {
                opinion[s as usize] = if rng.chance(q) { 1 } else { -1 };
            }
            let mut frontier = seeds.to_vec();
            while !frontier.is_empty() {
                let mut attempters: Vec<Vec<NodeId>> = vec![Vec::new(); n];
                for &u in &frontier {
                    for &v in g.out_neighbors(u) {
                        if opinion[v as usize] == 0 {
                            attempters[v as usize].push(u);
                        }
                    }
                }
                let mut next = Vec::new();
                for v in 0..n {
                    let mut order = std::mem::take(&mut attempters[v]);
                    rng.shuffle(&mut order);
                    if let Some(&u) = order.iter().find(|_| rng.chance(p)) {
                        opinion[v] = if opinion[u as usize] > 0 && rng.chance(q) { 1 } else { -1 };
                        next.push(v as NodeId);
                    }
                }
                frontier = next;
            }
            let pos = opinion.iter().filter(|&&o| o > 0).count() as f64;
            let neg = opinion.iter().filter(|&&o| o < 0).count() as f64;
            (pos, neg)
        })
        .collect()
}

#[test]
fn icn_shortcut_agrees_with_direct_sign_coin_simulation() {
    let edges = clout_graph::generate::gnm(200, 1000, 3).unwrap();
    let g = build(edges, &BuildConfig::default(), GraphInfo::default()).unwrap();
    let (p, q, seeds) = (0.15, 0.6, [0, 1, 2, 3, 4]);
    let trials = 20_000;
    let direct = direct_icn(&g, p, q, &seeds, trials);
    let mean_se = |xs: &[f64]| {
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64;
        (m, (v / xs.len() as f64).sqrt())
    };
    let probs = EdgeProbs::new(&g, ProbSpec::Uniform(p)).unwrap();
    let cfg = SimConfig { model: Model::IcN, qualities: vec![q], ..SimConfig::default() };
    let r = &simulate(&g, &probs, &seeds, &cfg).unwrap().results[0];
    let pos: Vec<f64> = direct.iter().map(|d| d.0).collect();
    let neg: Vec<f64> = direct.iter().map(|d| d.1).collect();
    let backfire: Vec<f64> = direct.iter().map(|d| (d.1 > d.0) as u8 as f64).collect();
    for (what, e, xs) in [("positive", &r.positive, &pos), ("negative", &r.negative, &neg)] {
        let (m, se) = mean_se(xs);
        let limit = 4.0 * (se * se + e.std_error * e.std_error).sqrt();
        assert!((m - e.mean).abs() < limit, "{what}: direct {m} vs engine {} ({limit})", e.mean);
        // The engine's quantiles come from drawn opinions: they match the direct ones closely.
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        let direct_median = sorted[sorted.len() / 2];
        assert!((direct_median - e.q50).abs() <= 0.1 * direct_median + 2.0, "{what} median");
    }
    let (m, se) = mean_se(&backfire);
    let b = &r.backfire_risk;
    let limit = 4.0 * (se * se + b.std_error * b.std_error).sqrt();
    assert!((m - b.mean).abs() < limit, "backfire: direct {m} vs engine {}", b.mean);
    assert!(m > 0.05, "the check needs backfire to happen: {m}");
}

#[test]
fn lt_closed_forms_and_weight_normalization() {
    // Two seeds -> v with weights 0.3 each: P(v) = P(theta <= 0.6) = 0.6.
    let g = graph(3, &[(0, 2, 0.3, 1), (1, 2, 0.3, 1)]);
    let cfg = SimConfig { model: Model::Lt, trials: 40_000, ..SimConfig::default() };
    let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
    near(&simulate(&g, &probs, &[0, 1], &cfg).unwrap().results[0].total, 2.6, "0.3 + 0.3");
    // Weights 0.8 + 0.8 sum above 1: each is scaled to 0.5, so both seeds always activate v
    // and one seed activates it with probability 0.5.
    let g = graph(3, &[(0, 2, 0.8, 1), (1, 2, 0.8, 1)]);
    let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
    let both = simulate(&g, &probs, &[0, 1], &cfg).unwrap();
    assert_eq!((both.results[0].total.mean, both.results[0].total.std_error), (3.0, 0.0));
    near(&simulate(&g, &probs, &[0], &cfg).unwrap().results[0].total, 1.5, "0.8 scaled to 0.5");
}

#[test]
fn signed_spread_is_not_monotone() {
    // s -> x -> u -> {v1, v2} over trust arcs; w -> u over a distrust arc; all certain.
    // Seeds {s}: s, x, u, v1, v2 positive. Adding w: w reaches u in round 1, before x's
    // attempt in round 2, over distrust: u, v1, v2 turn negative. Positive reach 5 -> 3.
    let (s, x, u, v1, v2, w) = (0, 1, 2, 3, 4, 5);
    let g = graph(
        6,
        &[(s, x, 1.0, 1), (x, u, 1.0, 1), (u, v1, 1.0, 1), (u, v2, 1.0, 1), (w, u, 1.0, -1)],
    );
    let probs = EdgeProbs::new(&g, ProbSpec::Uniform(1.0)).unwrap();
    let cfg = SimConfig { model: Model::Signed, trials: 100, ..SimConfig::default() };
    let alone = simulate(&g, &probs, &[s], &cfg).unwrap();
    let more = simulate(&g, &probs, &[s, w], &cfg).unwrap();
    assert_eq!(alone.results[0].positive.mean, 5.0);
    assert_eq!((more.results[0].positive.mean, more.results[0].negative.mean), (3.0, 3.0));
    let exact = exact_spread(&g, &probs, &[s, w], Model::Signed, 1.0).unwrap();
    assert_eq!((exact.positive, exact.negative), (3.0, 3.0));
}

#[test]
fn simultaneous_attempts_are_tried_in_uniformly_random_order() {
    // s reaches a and b in round 1; both attempt v in round 2 with certainty, a over a
    // distrust arc and b over a trust arc; v passes its opinion to w1..w3. Whoever goes first
    // decides: with probability 1/2 v and the w's are negative (4 negative vs 3 positive, a
    // backfire), else all 7 are positive. A rule that let the first-visited attempter win
    // would give 0 or 1, not 1/2.
    let (s, a, b, v) = (0, 1, 2, 3);
    let g = graph(
        7,
        &[(s, a, 1.0, 1), (s, b, 1.0, 1), (a, v, 1.0, -1), (b, v, 1.0, 1)]
            .into_iter()
            .chain((4..7).map(|w| (v, w, 1.0, 1)))
            .collect::<Vec<_>>(),
    );
    let probs = EdgeProbs::new(&g, ProbSpec::Uniform(1.0)).unwrap();
    let exact = exact_spread(&g, &probs, &[s], Model::Signed, 1.0).unwrap();
    assert_eq!((exact.backfire_risk, exact.positive), (0.5, 5.0));
    let cfg = SimConfig { model: Model::Signed, trials: 20_000, ..SimConfig::default() };
    let r = &simulate(&g, &probs, &[s], &cfg).unwrap().results[0];
    within(r.backfire_risk.mean, (0.25f64 / 20_000.0).sqrt(), 0.5, "backfire risk");
    assert_eq!((r.positive.mean, r.positive.q05, r.positive.q95), (5.0, 3.0, 7.0));
}

#[test]
fn same_seed_same_result_at_one_and_two_threads() {
    let edges = clout_graph::generate::gnm(2000, 12_000, 9).unwrap();
    let g = build(edges, &BuildConfig::default(), GraphInfo::default()).unwrap();
    let probs = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
    let seeds: Vec<NodeId> = (0..20).collect();
    let cfg = SimConfig {
        model: Model::IcN,
        qualities: vec![0.6, 0.9],
        trials: 3000,
        conversion_rate: Some(0.05),
        ..SimConfig::default()
    };
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| simulate(&g, &probs, &seeds, &cfg).unwrap())
    };
    let (one, two) = (run(1), run(2));
    assert_eq!(one, two);
    assert_eq!(one.trial_totals, two.trial_totals);
    let other = simulate(&g, &probs, &seeds, &SimConfig { seed: 2, ..cfg.clone() }).unwrap();
    assert_ne!(one.trial_totals, other.trial_totals, "the seed must matter");
}

#[test]
fn precision_runs_until_the_interval_is_tight_enough() {
    let edges = clout_graph::generate::gnm(500, 3000, 2).unwrap();
    let g = build(edges, &BuildConfig::default(), GraphInfo::default()).unwrap();
    let probs = EdgeProbs::new(&g, ProbSpec::Uniform(0.1)).unwrap();
    let cfg = SimConfig { precision: Some(0.02), trials: 1_000_000, ..SimConfig::default() };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let sim = pool.install(|| simulate(&g, &probs, &[0, 1], &cfg).unwrap());
    assert!(sim.precision.as_ref().unwrap().reached);
    assert!(sim.relative_ci95_half_width <= 0.02);
    assert!(sim.trials > 1024 && sim.trials < 1_000_000, "{} trials", sim.trials);
    assert_eq!(sim, simulate(&g, &probs, &[0, 1], &cfg).unwrap(), "deterministic batches");
    // A cap too small to reach the target: stops at the cap and says so.
    let capped = simulate(&g, &probs, &[0, 1], &SimConfig { trials: 300, ..cfg }).unwrap();
    assert_eq!(capped.trials, 300);
    assert!(!capped.precision.unwrap().reached);
}

#[test]
fn max_steps_conversions_and_attempt_counts() {
    // A path 0 -> 1 -> 2 -> 3 with certain arcs, cut after round 2.
    let g = from_pairs(4, &[(0, 1), (1, 2), (2, 3)], true);
    let probs = EdgeProbs::new(&g, ProbSpec::Uniform(1.0)).unwrap();
    let cfg = SimConfig {
        max_steps: Some(2),
        conversion_rate: Some(0.1),
        trials: 10,
        ..SimConfig::default()
    };
    let sim = simulate(&g, &probs, &[0], &cfg).unwrap();
    let r = &sim.results[0];
    assert_eq!((r.total.mean, r.steps.len()), (3.0, 3));
    // Nodes 0 and 1 attempted (node 2 activated in the last round and did not): awareness 3.
    assert_eq!(r.awareness.mean, 3.0);
    assert_eq!(sim.arcs_examined, 2 * 10);
    assert!((r.conversions.as_ref().unwrap().mean - 0.3).abs() < 1e-12);
}

#[test]
fn skipping_awareness_changes_nothing_else() {
    let edges = clout_graph::generate::gnm(400, 4000, 5).unwrap();
    let g = build(edges, &BuildConfig::default(), GraphInfo::default()).unwrap();
    let probs = EdgeProbs::new(&g, ProbSpec::Uniform(0.05)).unwrap();
    let cfg =
        SimConfig { model: Model::IcN, qualities: vec![0.7], trials: 500, ..SimConfig::default() };
    let with = simulate(&g, &probs, &[0, 1], &cfg).unwrap();
    let without = simulate(&g, &probs, &[0, 1], &SimConfig { awareness: false, ..cfg }).unwrap();
    assert_eq!(with.trial_totals, without.trial_totals);
    assert_eq!(with.arcs_examined, without.arcs_examined);
    let (a, b) = (&with.results[0], &without.results[0]);
    assert_eq!(
        (&a.positive, &a.negative, &a.backfire_risk),
        (&b.positive, &b.negative, &b.backfire_risk)
    );
    assert!(a.awareness.mean > a.total.mean);
    assert!(b.awareness.mean.is_nan() && b.awareness.q95.is_nan());
}

#[test]
fn bad_configurations_are_refused() {
    let g = from_pairs(3, &[(0, 1)], true);
    let probs = EdgeProbs::new(&g, ProbSpec::Uniform(0.5)).unwrap();
    let ok = SimConfig::default();
    let err = |seeds: &[NodeId], cfg: &SimConfig| simulate(&g, &probs, seeds, cfg).unwrap_err();
    assert_eq!(err(&[], &ok), SimError::NoSeeds);
    assert_eq!(err(&[3], &ok), SimError::SeedOutOfRange { seed: 3, node_count: 3 });
    assert_eq!(
        err(&[0], &SimConfig { model: Model::Signed, ..ok.clone() }),
        SimError::UnsignedGraph
    );
    assert!(matches!(
        err(&[0], &SimConfig { qualities: vec![0.5], ..ok.clone() }),
        SimError::Quality(_)
    ));
    let icn = SimConfig { model: Model::IcN, qualities: vec![1.5], ..ok.clone() };
    assert!(matches!(err(&[0], &icn), SimError::Quality(_)));
    assert_eq!(err(&[0], &SimConfig { trials: 1, ..ok.clone() }), SimError::TooFewTrials(1));
    assert!(matches!(
        err(&[0], &SimConfig { precision: Some(0.0), ..ok.clone() }),
        SimError::Precision(_)
    ));
    let other = from_pairs(3, &[(0, 1), (1, 2)], true);
    let wrong = EdgeProbs::new(&other, ProbSpec::Uniform(0.5)).unwrap();
    assert_eq!(simulate(&g, &wrong, &[0], &ok).unwrap_err(), SimError::ProbsMismatch);
    // Exact enumeration refuses graphs with too many random arcs.
    let big = clout_graph::generate::gnm(30, 60, 1).unwrap();
    let big = build(big, &BuildConfig::default(), GraphInfo::default()).unwrap();
    let p = EdgeProbs::new(&big, ProbSpec::Uniform(0.5)).unwrap();
    assert!(exact_spread(&big, &p, &[0], Model::Ic, 1.0).is_err());
}

#[test]
fn simulate_sets_gives_each_set_exactly_what_simulate_gives() {
    // Seed sets run together share each trial's live arcs; every number must be the one a
    // separate run gives, bit for bit, for every model (signed spread on a signed graph), with
    // several qualities, per-node probabilities and a uniform one.
    let g = random_graph(150, 900, 3, 0.0, 0.4);
    let sets: Vec<Vec<NodeId>> = vec![vec![0, 1, 2], vec![2, 90], vec![149], vec![5, 5, 60, 7]];
    for model in MODELS {
        for spec in [ProbSpec::Weight, ProbSpec::Uniform(0.1)] {
            let probs = EdgeProbs::new(&g, spec).unwrap();
            let qualities = if model == Model::IcN { vec![0.6, 0.9] } else { vec![1.0] };
            let cfg = SimConfig { model, qualities, trials: 300, seed: 4, ..SimConfig::default() };
            let together = clout_reach::simulate_sets(&g, &probs, &sets, &cfg).unwrap();
            for (set, run) in sets.iter().zip(&together) {
                let alone = simulate(&g, &probs, set, &cfg).unwrap();
                assert_eq!(run, &alone, "{model} {spec} {set:?}");
            }
        }
    }
    let per_account = SimConfig { per_account: true, ..SimConfig::default() };
    let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
    let refused = clout_reach::simulate_sets(&g, &probs, &sets, &per_account).unwrap_err();
    assert_eq!(refused, SimError::PerAccountSets);
}
