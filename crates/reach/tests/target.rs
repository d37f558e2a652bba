//! Target audiences, purchase probabilities and sale values in the Monte Carlo engine: weighted
//! estimates against exact enumeration (every model), weights of 1 against the unweighted run
//! trial for trial, a one-account audience against that account's activation probability, and
//! the prefix search against one simulation per prefix.
//!
//! Statistical checks use fixed seeds and a 4-standard-error band (see `simulate.rs`).

mod common;

use clout_graph::rng::Rng;
use clout_graph::{Graph, NodeId};
use clout_reach::exact::exact_spread;
use clout_reach::{
    Conversion, EdgeProbs, Estimate, Model, ProbSpec, SimConfig, SimError, simulate,
    simulate_prefixes,
};
use common::{diamond, random_graph};

fn near(e: &Estimate, exact: f64, what: &str) {
    let limit = 4.0 * e.std_error + 1e-9;
    assert!((e.mean - exact).abs() <= limit, "{what}: Monte Carlo {} vs exact {exact}", e.mean);
}

fn random_values(n: usize, seed: u64, scale: f64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    // A quarter of the accounts outside the audience (weight 0).
    (0..n).map(|_| if rng.chance(0.25) { 0.0 } else { scale * rng.next_f64() }).collect()
}

fn dot(w: &[f64], p: &[f64]) -> f64 {
    w.iter().zip(p).map(|(a, b)| a * b).sum()
}

/// Target reach, its opinions, sales and revenue against the exact per-node probabilities.
fn weighted_agrees_with_exact(g: &Graph, spec: ProbSpec, seeds: &[NodeId], model: Model, q: f64) {
    let q = if model == Model::IcN { q } else { 1.0 };
    let n = g.node_count();
    let probs = EdgeProbs::new(g, spec).unwrap();
    let exact = exact_spread(g, &probs, seeds, model, q).unwrap().per_node;
    let target = random_values(n, 3, 4.0);
    let buy = random_values(n, 4, 1.0);
    let value = random_values(n, 5, 50.0);
    let cfg = SimConfig {
        model,
        qualities: vec![q],
        trials: 40_000,
        seed: 9,
        target: Some(target.clone()),
        conversion: Some(Conversion { probability: buy.clone(), value: Some(value.clone()) }),
        ..SimConfig::default()
    };
    let sim = simulate(g, &probs, seeds, &cfg).unwrap();
    assert!((sim.target_weight.unwrap() - target.iter().sum::<f64>()).abs() < 1e-12);
    let r = &sim.results[0];
    let t = r.target.as_ref().unwrap();
    let what = |m: &str| format!("{model} {spec} seeds {seeds:?}: target {m}");
    near(&t.total, dot(&target, &exact.reached), &what("total"));
    near(&t.positive, dot(&target, &exact.positive), &what("positive"));
    near(&t.negative, dot(&target, &exact.negative), &what("negative"));
    let net: Vec<f64> = exact.positive.iter().zip(&exact.negative).map(|(p, m)| p - m).collect();
    near(&t.net, dot(&target, &net), &what("net"));
    near(r.sales.as_ref().unwrap(), dot(&buy, &exact.positive), &what("sales"));
    let worth: Vec<f64> = buy.iter().zip(&value).map(|(p, v)| p * v).collect();
    near(r.revenue.as_ref().unwrap(), dot(&worth, &exact.positive), &what("revenue"));
    // The per-round curves add up to the totals.
    let curve: f64 = t.steps.iter().map(|s| s.new_positive.mean + s.new_negative.mean).sum();
    assert!((curve - t.total.mean).abs() < 1e-9 * (1.0 + t.total.mean), "{}", what("curve"));
    let heard: f64 = t.awareness_steps.iter().map(|b| b.mean).sum();
    assert!((heard - t.awareness.mean).abs() < 1e-9 * (1.0 + heard), "{}", what("heard"));
    assert!(
        t.awareness_steps.len() >= t.steps.len() && t.awareness_steps.len() <= t.steps.len() + 1
    );
    assert!(
        (t.awareness_steps[0].mean - seeds.iter().map(|&v| target[v as usize]).sum::<f64>()).abs()
            < 1e-12
    );
}

#[test]
fn target_weights_match_exact_enumeration_for_every_model() {
    let d = diamond();
    for model in [Model::Ic, Model::Lt, Model::IcN, Model::Signed] {
        weighted_agrees_with_exact(&d, ProbSpec::Weight, &[0], model, 0.6);
        let g = random_graph(7, 14, 2, 0.05, 0.95);
        weighted_agrees_with_exact(&g, ProbSpec::Weight, &[1, 4], model, 0.7);
    }
}

#[test]
fn weights_of_one_give_the_unweighted_numbers_trial_for_trial() {
    let g = random_graph(60, 300, 8, 0.05, 0.6);
    let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
    for (model, qualities) in
        [(Model::Ic, vec![1.0]), (Model::Lt, vec![1.0]), (Model::IcN, vec![0.9, 0.5])]
    {
        let plain = SimConfig { model, qualities, trials: 500, seed: 4, ..SimConfig::default() };
        let ones = SimConfig { target: Some(vec![1.0; 60]), ..plain.clone() };
        let a = simulate(&g, &probs, &[0, 5, 9], &plain).unwrap();
        let b = simulate(&g, &probs, &[0, 5, 9], &ones).unwrap();
        let totals: Vec<f64> = a.trial_totals.iter().map(|&t| t as f64).collect();
        assert_eq!(b.trial_targets, totals, "{model}");
        assert_eq!(a.trial_totals, b.trial_totals, "{model}: the unweighted run changed");
        for (x, y) in a.results.iter().zip(&b.results) {
            let t = y.target.as_ref().unwrap();
            assert!(x.target.is_none());
            for (u, w) in [
                (&x.total, &t.total),
                (&x.positive, &t.positive),
                (&x.negative, &t.negative),
                (&x.net, &t.net),
                (&x.awareness, &t.awareness),
            ] {
                assert_eq!((u.mean, u.q05, u.q50, u.q95), (w.mean, w.q05, w.q50, w.q95), "{model}");
                assert!((u.std_error - w.std_error).abs() <= 1e-12 * u.std_error, "{model}");
            }
            assert_eq!(x.backfire_risk, t.backfire_risk, "{model}");
            assert_eq!(x.steps, t.steps, "{model}");
        }
    }
}

#[test]
fn a_one_account_audience_gives_its_activation_probability() {
    let g = random_graph(7, 14, 5, 0.1, 0.9);
    let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
    let exact = exact_spread(&g, &probs, &[0], Model::Ic, 1.0).unwrap().per_node;
    for v in 1..7 {
        let mut target = vec![0.0; 7];
        target[v] = 1.0;
        let cfg = SimConfig { trials: 40_000, target: Some(target), ..SimConfig::default() };
        let sim = simulate(&g, &probs, &[0], &cfg).unwrap();
        let t = &sim.results[0].target.as_ref().unwrap().total;
        near(t, exact.reached[v], &format!("P(node {v} reached)"));
    }
}

#[test]
fn prefixes_carry_target_reach_as_one_simulation_per_prefix() {
    let g = random_graph(200, 1600, 6, 0.02, 0.3);
    let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
    let target = random_values(200, 7, 3.0);
    for model in [Model::Ic, Model::Lt, Model::IcN] {
        let cfg = SimConfig {
            model,
            qualities: vec![if model == Model::IcN { 0.8 } else { 1.0 }],
            trials: 200,
            seed: 2,
            target: Some(target.clone()),
            ..SimConfig::default()
        };
        let seeds = [4, 17, 4, 150, 3];
        let run = simulate_prefixes(&g, &probs, &seeds, &cfg).unwrap();
        for (i, prefix) in run.prefixes.iter().enumerate() {
            let alone = simulate(&g, &probs, &seeds[..=i], &cfg).unwrap();
            let (a, b) =
                (prefix.outcome.target.as_ref().unwrap(), alone.results[0].target.as_ref());
            let b = b.unwrap();
            // Sums in a different order (search order against round order) may differ in
            // the last bits.
            assert_eq!(prefix.trial_targets.len(), alone.trial_targets.len());
            for (x, y) in prefix.trial_targets.iter().zip(&alone.trial_targets) {
                assert!((x - y).abs() <= 1e-12 * y.max(1.0), "{model} prefix {}", i + 1);
            }
            for (x, y) in [(&a.total, &b.total), (&a.positive, &b.positive)] {
                assert!((x.mean - y.mean).abs() <= 1e-9 * y.mean.max(1.0), "{model}");
            }
        }
    }
}

#[test]
fn precision_is_judged_on_target_reach() {
    let g = random_graph(300, 2400, 9, 0.02, 0.2);
    let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
    let mut target = vec![0.0; 300];
    target[250..].iter_mut().for_each(|w| *w = 1.0);
    let cfg = SimConfig {
        trials: 200_000,
        precision: Some(0.02),
        target: Some(target),
        ..SimConfig::default()
    };
    let sim = simulate(&g, &probs, &[0, 1], &cfg).unwrap();
    let t = &sim.results[0].target.as_ref().unwrap().total;
    assert!(sim.precision.unwrap().reached);
    assert!(1.96 * t.std_error / t.mean <= 0.02, "{t:?}");
    // Judged on total reach, the run stops much earlier.
    let plain = SimConfig { target: None, ..cfg };
    assert!(simulate(&g, &probs, &[0, 1], &plain).unwrap().trials * 2 < sim.trials);
}

#[test]
fn bad_weights_are_refused_with_the_node_named() {
    let g = random_graph(5, 8, 1, 0.1, 0.5);
    let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
    let run = |cfg: SimConfig| simulate(&g, &probs, &[0], &cfg).unwrap_err();
    let short = SimConfig { target: Some(vec![1.0; 4]), ..SimConfig::default() };
    assert!(matches!(run(short), SimError::Weights(m) if m.contains("4 target weight")));
    let negative =
        SimConfig { target: Some(vec![1.0, 1.0, -2.0, 1.0, 1.0]), ..SimConfig::default() };
    assert!(matches!(run(negative), SimError::Weights(m) if m.contains("node 2")));
    let huge = SimConfig { target: Some(vec![1e308; 5]), ..SimConfig::default() };
    assert!(matches!(run(huge), SimError::Weights(m) if m.contains("too large")));
    let nan = SimConfig {
        conversion: Some(Conversion {
            probability: vec![0.5, f64::NAN, 0.1, 0.1, 0.1],
            value: None,
        }),
        ..SimConfig::default()
    };
    assert!(matches!(run(nan), SimError::Weights(m) if m.contains("node 1")));
    let value = SimConfig {
        conversion: Some(Conversion {
            probability: vec![0.5; 5],
            value: Some(vec![1.0, 2.0, 3.0, f64::INFINITY, 0.0]),
        }),
        ..SimConfig::default()
    };
    assert!(matches!(run(value), SimError::Weights(m) if m.contains("node 3")));
}
