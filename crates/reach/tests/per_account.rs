//! Per-account outcomes ([`SimConfig::per_account`]): against exact per-node enumeration on
//! tiny graphs (every model, several qualities in one run, per-node quality), consistency with
//! the totals of the same run, no effect on any other number of the run, and the same result
//! at 1 and 4 threads.
//!
//! Statistical checks use fixed seeds and a 5-standard-error band. A per-account probability
//! `P` estimated from `T` trials has a standard error of at most `sqrt(P (1 - P) / T)`: that is
//! the indicator's, and the positive and negative probabilities average conditional
//! probabilities given each trial's live-edge graph, whose variance is no larger. At 40,000
//! trials the band is at most 0.0125 wide, while a wrong rule (a sign not flipped over a
//! distrust arc, a tie not split evenly, a round counted from 1) moves some account's
//! probability by 0.05 or more, or its mean round by a whole round. Each comparison fails by
//! chance with probability 6e-7 for a correct engine, so the hundreds of them together stay
//! below 1e-3.

mod common;

use clout_graph::{BuildConfig, Graph, GraphInfo, NodeId, build, from_pairs};
use clout_reach::exact::{ExactPerNode, exact_spread_with_quality};
use clout_reach::{
    AccountOutcomes, EdgeProbs, Model, ProbSpec, Quality, SimConfig, SimError, Simulation, simulate,
};
use common::{diamond, random_graph};

const TRIALS: usize = 40_000;

/// One account's Monte Carlo probability against the exact one (see the module docs).
fn probability(mc: f64, exact: f64, what: &str) {
    // The exact sum of outcome probabilities may exceed 1 by a rounding error.
    let p = exact.clamp(0.0, 1.0);
    let se = (p * (1.0 - p) / TRIALS as f64).sqrt();
    let limit = 5.0 * se + 1e-9;
    assert!((mc - exact).abs() <= limit, "{what}: Monte Carlo {mc} vs exact {exact} ({limit})");
}

/// Every account's outcomes against exact enumeration. The mean round of an account reached
/// in `k` trials has a standard error of at most `(n - 1) / 2 / sqrt(k)` (rounds lie in
/// `0..n`); it is checked where `k` is at least 400, so the band is at most 0.75 rounds on
/// these 5 to 7 node graphs.
fn agrees(mc: &AccountOutcomes, exact: &ExactPerNode, what: &str) {
    let n = exact.reached.len();
    assert_eq!(mc.reached.len(), n, "{what}");
    for v in 0..n {
        let at = |m: &str| format!("{what}: node {v} {m}");
        probability(mc.reached[v], exact.reached[v], &at("reached"));
        probability(mc.positive[v], exact.positive[v], &at("positive"));
        probability(mc.negative[v], exact.negative[v], &at("negative"));
        if exact.reached[v] == 0.0 {
            assert!(mc.mean_round[v].is_nan(), "{}", at("never reached: NaN round"));
        } else if exact.reached[v] * TRIALS as f64 >= 400.0 {
            let reached = mc.reached[v] * TRIALS as f64;
            let limit = 5.0 * (n - 1) as f64 / 2.0 / reached.sqrt();
            let (got, want) = (mc.mean_round[v], exact.mean_round[v]);
            assert!((got - want).abs() <= limit, "{}: {got} vs {want}", at("mean round"));
        }
    }
}

/// A run of `qualities` (IC-N) or of quality 1 with per-account outcomes, checked against
/// exact enumeration for each quality.
fn matches_exact(g: &Graph, spec: ProbSpec, seeds: &[NodeId], model: Model, qualities: &[f64]) {
    let qualities = if model == Model::IcN { qualities.to_vec() } else { vec![1.0] };
    let probs = EdgeProbs::new(g, spec).unwrap();
    let cfg = SimConfig {
        model,
        qualities: qualities.clone(),
        trials: TRIALS,
        seed: 11,
        per_account: true,
        ..SimConfig::default()
    };
    let sim = simulate(g, &probs, seeds, &cfg).unwrap();
    assert_eq!(sim.per_account.len(), qualities.len());
    for (outcome, &q) in sim.per_account.iter().zip(&qualities) {
        assert_eq!(outcome.quality, q);
        let quality = Quality::uniform(q).unwrap();
        let exact = exact_spread_with_quality(g, &probs, seeds, model, &quality).unwrap();
        agrees(outcome, &exact.per_node, &format!("{model} {spec} seeds {seeds:?} q {q}"));
    }
}

const MODELS: [Model; 4] = [Model::Ic, Model::Lt, Model::IcN, Model::Signed];

#[test]
fn every_model_matches_exact_per_node_probabilities() {
    let diamond = diamond();
    for model in MODELS {
        matches_exact(&diamond, ProbSpec::Weight, &[0], model, &[0.6, 0.9]);
        matches_exact(&diamond, ProbSpec::Uniform(0.45), &[0, 2], model, &[0.8]);
    }
    for seed in 1..=2 {
        let g = random_graph(7, 14, seed, 0.05, 0.95);
        for model in MODELS {
            matches_exact(&g, ProbSpec::Weight, &[0], model, &[0.7, 0.3]);
            matches_exact(&g, ProbSpec::WeightNormalized, &[1, 4], model, &[0.5]);
        }
    }
}

#[test]
fn per_node_quality_matches_exact_per_node_probabilities() {
    let g = random_graph(7, 13, 11, 0.2, 0.9);
    let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
    let quality = Quality::with_overrides(0.8, 7, &[(0, 0.5), (3, 0.1), (5, 1.0)]).unwrap();
    let exact = exact_spread_with_quality(&g, &probs, &[0, 1], Model::IcN, &quality).unwrap();
    let cfg = SimConfig {
        model: Model::IcN,
        qualities: vec![0.8],
        node_quality: Some(quality),
        trials: TRIALS,
        per_account: true,
        ..SimConfig::default()
    };
    let sim = simulate(&g, &probs, &[0, 1], &cfg).unwrap();
    agrees(&sim.per_account[0], &exact.per_node, "per-node quality");
}

#[test]
fn exact_per_node_probabilities_add_up_to_the_exact_totals() {
    let g = random_graph(7, 14, 3, 0.05, 0.95);
    let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
    for model in MODELS {
        let q = if model == Model::IcN { 0.6 } else { 1.0 };
        let e =
            exact_spread_with_quality(&g, &probs, &[0, 2], model, &Quality::uniform(q).unwrap())
                .unwrap();
        let sum = |xs: &[f64]| xs.iter().sum::<f64>();
        let p = &e.per_node;
        assert!((sum(&p.reached) - e.total).abs() < 1e-12, "{model}");
        assert!((sum(&p.positive) - e.positive).abs() < 1e-12, "{model}");
        assert!((sum(&p.negative) - e.negative).abs() < 1e-12, "{model}");
        assert!((p.reached[0] - 1.0).abs() < 1e-12 && p.mean_round[0] == 0.0, "{model}: seed");
    }
}

/// `sim` without its per-account outcomes, written out so that two runs can be compared
/// field by field including NaN fields (`Debug` writes every float so that it reads back to
/// the same bits).
fn without_accounts(sim: &Simulation) -> String {
    format!("{:?}", Simulation { per_account: Vec::new(), ..sim.clone() })
}

/// Runs `cfg` with and without per-account outcomes: every other field is identical, and
/// the per-account probabilities add up to the run's mean reach. Each per-trial positive
/// probability is rounded to a multiple of `2^-32` before counting, so the sums may differ
/// from the means by `2^-33` per activation, that is by `2^-33` times the mean total reach at
/// most (plus float rounding): `1e-9` relative leaves room for both, while a missed or doubled
/// round would be off by whole activations.
fn consistent(g: &Graph, probs: &EdgeProbs, seeds: &[NodeId], cfg: &SimConfig) -> Simulation {
    let off = simulate(g, probs, seeds, &SimConfig { per_account: false, ..cfg.clone() }).unwrap();
    let on = simulate(g, probs, seeds, &SimConfig { per_account: true, ..cfg.clone() }).unwrap();
    assert!(off.per_account.is_empty());
    let changed = without_accounts(&on) != without_accounts(&off);
    assert!(!changed, "{cfg:?}: per-account outcomes changed the run");
    assert_eq!(on.per_account.len(), on.results.len());
    let sum = |xs: &[f64]| xs.iter().sum::<f64>();
    for (accounts, result) in on.per_account.iter().zip(&on.results) {
        assert_eq!(accounts.quality, result.quality);
        let tolerance = 1e-9 * (1.0 + result.total.mean);
        let what = format!("{:?} q {}", cfg.model, result.quality);
        let pairs = [
            ("reached", sum(&accounts.reached), result.total.mean),
            ("positive", sum(&accounts.positive), result.positive.mean),
            ("negative", sum(&accounts.negative), result.negative.mean),
        ];
        for (name, total, mean) in pairs {
            assert!((total - mean).abs() <= tolerance, "{what} {name}: {total} vs {mean}");
        }
        for v in 0..g.node_count() {
            let (r, p, n) = (accounts.reached[v], accounts.positive[v], accounts.negative[v]);
            assert!((p + n - r).abs() < 1e-12 && p >= 0.0 && n >= 0.0, "{what} node {v}");
            assert_eq!(r == 0.0, accounts.mean_round[v].is_nan(), "{what} node {v}");
        }
    }
    on
}

#[test]
fn per_account_outcomes_add_up_and_change_nothing_else() {
    let g = random_graph(300, 1500, 4, 0.0, 0.4);
    let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
    let uniform = EdgeProbs::new(&g, ProbSpec::Uniform(0.08)).unwrap();
    let seeds = [1, 2, 3, 50];
    let base = SimConfig { trials: 700, seed: 5, ..SimConfig::default() };
    for model in MODELS {
        let qualities = if model == Model::IcN { vec![0.3, 0.7, 1.0] } else { vec![1.0] };
        let cfg = SimConfig { model, qualities, ..base.clone() };
        consistent(&g, &probs, &seeds, &cfg);
        consistent(&g, &uniform, &seeds, &SimConfig { awareness: false, ..cfg.clone() });
        let capped = consistent(&g, &probs, &seeds, &SimConfig { max_steps: Some(2), ..cfg });
        assert!(capped.per_account[0].mean_round.iter().all(|r| r.is_nan() || *r <= 2.0));
    }
    // Precision mode: the counts cover exactly the trials run, over several batches.
    let precise = SimConfig {
        model: Model::IcN,
        qualities: vec![0.6],
        trials: 200_000,
        precision: Some(0.01),
        ..base.clone()
    };
    let sim = consistent(&g, &uniform, &seeds, &precise);
    assert!(sim.trials > 1024 && sim.trials < 200_000, "{} trials", sim.trials);
    // Per-node quality.
    let quality = Quality::with_overrides(0.8, 300, &[(1, 0.2), (7, 0.0), (9, 1.0)]).unwrap();
    let per_node =
        SimConfig { model: Model::IcN, qualities: vec![0.8], node_quality: Some(quality), ..base };
    consistent(&g, &probs, &seeds, &per_node);
}

#[test]
fn same_per_account_outcomes_at_one_and_four_threads() {
    let g = random_graph(2000, 12_000, 9, 0.0, 0.5);
    let probs = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
    let seeds: Vec<NodeId> = (0..20).collect();
    let bits = |outcomes: &[AccountOutcomes]| {
        let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        outcomes
            .iter()
            .map(|o| {
                let fields = [&o.reached, &o.positive, &o.negative, &o.mean_round];
                (o.quality.to_bits(), fields.map(|f| bits(f)))
            })
            .collect::<Vec<_>>()
    };
    for (model, qualities) in
        [(Model::IcN, vec![0.6, 0.9]), (Model::Signed, vec![1.0]), (Model::Lt, vec![1.0])]
    {
        let cfg =
            SimConfig { model, qualities, trials: 1500, per_account: true, ..SimConfig::default() };
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| simulate(&g, &probs, &seeds, &cfg).unwrap())
        };
        let (one, four) = (run(1), run(4));
        assert!(without_accounts(&one) == without_accounts(&four), "{model}");
        assert_eq!(bits(&one.per_account), bits(&four.per_account), "{model}");
        let reached = one.per_account[0].reached.iter().filter(|&&r| r > 0.0).count();
        assert!(reached > 100, "{model}: the check needs a cascade ({reached} reached)");
        let other = SimConfig { seed: 2, ..cfg.clone() };
        let other = simulate(&g, &probs, &seeds, &other).unwrap();
        assert_ne!(bits(&one.per_account), bits(&other.per_account), "the seed must matter");
    }
}

#[test]
fn rounds_and_caps_on_a_certain_path() {
    // 0 -> 1 -> 2 -> 3 with certain arcs, cut after round 2: node 3 is never reached.
    let g = from_pairs(4, &[(0, 1), (1, 2), (2, 3)], true);
    let probs = EdgeProbs::new(&g, ProbSpec::Uniform(1.0)).unwrap();
    let cfg = SimConfig {
        model: Model::IcN,
        qualities: vec![0.5, 1.0],
        max_steps: Some(2),
        trials: 10,
        per_account: true,
        ..SimConfig::default()
    };
    let sim = simulate(&g, &probs, &[0], &cfg).unwrap();
    let half = &sim.per_account[0];
    assert_eq!(half.reached, [1.0, 1.0, 1.0, 0.0]);
    assert_eq!(half.mean_round[..3], [0.0, 1.0, 2.0]);
    assert!(half.mean_round[3].is_nan());
    // Positive with probability q^(1 + round), without noise on a certain path.
    assert_eq!(half.positive, [0.5, 0.25, 0.125, 0.0]);
    assert_eq!(half.negative, [0.5, 0.75, 0.875, 0.0]);
    assert_eq!(sim.per_account[1].positive, [1.0, 1.0, 1.0, 0.0]);
}

#[test]
fn too_many_trials_for_the_counters_are_refused() {
    let g = from_pairs(2, &[(0, 1)], true);
    let probs = EdgeProbs::new(&g, ProbSpec::Uniform(0.5)).unwrap();
    let trials = u32::MAX as usize + 1;
    let cfg = SimConfig { trials, per_account: true, ..SimConfig::default() };
    assert_eq!(simulate(&g, &probs, &[0], &cfg).unwrap_err(), SimError::PerAccountTrials(trials));
}

#[test]
fn per_account_memory_is_estimated() {
    let edges = clout_graph::generate::gnm(1000, 3000, 1).unwrap();
    let g = build(edges, &BuildConfig::default(), GraphInfo::default()).unwrap();
    let off = SimConfig { model: Model::IcN, qualities: vec![0.5, 0.9], ..SimConfig::default() };
    let on = SimConfig { per_account: true, ..off.clone() };
    // Counters: 8 x (2 + 2) bytes per node and thread; outcomes: 16 + 32 x 2 per node.
    let extra = |threads| on.memory_estimate(&g, threads) - off.memory_estimate(&g, threads);
    assert_eq!(extra(1), 1000 * (32 + 80));
    assert_eq!(extra(4), 1000 * (4 * 32 + 80));
}
