//! Choosing seeds for a target audience: RR sets with roots drawn by weight estimate target
//! reach without bias (against exact enumeration), weights of one choose exactly as no weights,
//! and on a graph whose targets sit behind a low-degree bridge the targeted choice differs from
//! the untargeted one and reaches more target weight.

#[allow(dead_code)] // each test file uses some of the helpers
mod common;

use clout_graph::rng::Rng;
use clout_graph::{Graph, NodeId, from_pairs};
use clout_reach::exact::exact_spread;
use clout_reach::select::{RrModel, RrSampler, RrSets, SelectConfig, celf, imm, opim};
use clout_reach::{EdgeProbs, Model, ProbSpec, SimConfig, simulate};
use clout_reach::{SelectError, Selection};
use common::random_graph;

/// `W` times the fraction of RR sets that `seeds` meet, and its standard error.
fn rr_estimate(sets: &RrSets, seeds: &[NodeId], total: f64) -> (f64, f64) {
    let hits = (0..sets.len()).filter(|&i| sets.set(i).iter().any(|v| seeds.contains(v))).count();
    let p = hits as f64 / sets.len() as f64;
    (total * p, total * (p * (1.0 - p) / sets.len() as f64).sqrt())
}

#[test]
fn weighted_roots_estimate_target_reach_without_bias() {
    let mut rng = Rng::new(11);
    for (case, model) in [(1u64, Model::Ic), (2, Model::Lt), (3, Model::Ic)] {
        let g = random_graph(8, 18, case, 0.1, 0.9);
        let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
        // Some accounts outside the audience, the others with unequal weights.
        let weights: Vec<f64> =
            (0..8).map(|_| if rng.chance(0.3) { 0.0 } else { 5.0 * rng.next_f64() }).collect();
        let total: f64 = weights.iter().sum();
        let rr_model = if model == Model::Lt { RrModel::Lt } else { RrModel::Ic };
        let sampler = RrSampler::new(&g, &probs, rr_model, false).with_root_weights(&weights);
        let mut sets = RrSets::new(false);
        sampler.extend(&mut sets, 200_000, case);
        // No set is rooted at a weightless account.
        for i in 0..sets.len() {
            assert!(weights[sets.set(i)[0] as usize] > 0.0, "case {case}");
        }
        for seeds in [vec![0], vec![3, 5], vec![1, 6, 7]] {
            let exact = exact_spread(&g, &probs, &seeds, model, 1.0).unwrap().per_node.reached;
            let want: f64 = weights.iter().zip(&exact).map(|(w, p)| w * p).sum();
            let (got, se) = rr_estimate(&sets, &seeds, total);
            assert!((got - want).abs() <= 4.0 * se + 1e-9, "{model} {seeds:?}: {got} vs {want}");
        }
        // A wrong estimator (uniform roots scaled to the same weight) is far off.
        let uniform = RrSampler::new(&g, &probs, rr_model, false);
        let mut plain = RrSets::new(false);
        uniform.extend(&mut plain, 200_000, case);
        let exact = exact_spread(&g, &probs, &[0], model, 1.0).unwrap().per_node.reached;
        let want: f64 = weights.iter().zip(&exact).map(|(w, p)| w * p).sum();
        let (wrong, se) = rr_estimate(&plain, &[0], total);
        assert!((wrong - want).abs() > 4.0 * se, "{model}: uniform roots fit by chance");
    }
}

#[test]
fn weights_of_one_choose_as_no_weights() {
    let g = random_graph(300, 2000, 5, 0.01, 0.2);
    let probs = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
    for model in [Model::Ic, Model::Lt, Model::IcN] {
        let plain = SelectConfig { k: 5, model, quality: 0.8, ..SelectConfig::default() };
        let ones = SelectConfig { weights: Some(vec![1.0; 300]), ..plain.clone() };
        for method in [imm, opim] {
            let (a, b) = (method(&g, &probs, &plain).unwrap(), method(&g, &probs, &ones).unwrap());
            assert_eq!(a.seeds, b.seeds, "{model}");
            assert_eq!(a.gains, b.gains, "{model}");
        }
    }
}

/// A hub with many followers outside the audience, and a low-degree account whose few
/// followers lead, over certain arcs, to a target community.
fn bridge() -> (Graph, Vec<f64>) {
    let mut arcs: Vec<(NodeId, NodeId)> = (2..42).map(|v| (0, v)).collect();
    // Node 1 (out-degree 2) bridges to 42 and 43, who reach the community 44..60.
    arcs.extend([(1, 42), (1, 43)]);
    arcs.extend((44..60).map(|v| (42 + (v % 2), v)));
    let g = from_pairs(60, &arcs, true);
    let mut weights = vec![0.0; 60];
    weights[44..60].iter_mut().for_each(|w| *w = 1.0);
    (g, weights)
}

#[test]
fn targets_behind_a_bridge_change_the_choice_and_reach_more_of_them() {
    let (g, weights) = bridge();
    let probs = EdgeProbs::new(&g, ProbSpec::Uniform(0.9)).unwrap();
    let target_reach = |seeds: &[NodeId]| {
        let cfg = SimConfig { trials: 4000, target: Some(weights.clone()), ..SimConfig::default() };
        simulate(&g, &probs, seeds, &cfg).unwrap().results[0].target.clone().unwrap().total
    };
    for model in [Model::Ic, Model::IcN] {
        let plain = SelectConfig { k: 1, model, quality: 0.9, ..SelectConfig::default() };
        let aimed = SelectConfig { weights: Some(weights.clone()), ..plain.clone() };
        type Method = fn(&Graph, &EdgeProbs, &SelectConfig) -> Result<Selection, SelectError>;
        for (name, method) in [("imm", imm as Method), ("opim", opim), ("celf", celf)] {
            let untargeted = method(&g, &probs, &plain).unwrap();
            let targeted = method(&g, &probs, &aimed).unwrap();
            assert_eq!(
                untargeted.seeds,
                vec![0],
                "{model} {name}: the hub reaches the most accounts"
            );
            assert_ne!(targeted.seeds, untargeted.seeds, "{model} {name}");
            let (a, b) = (target_reach(&untargeted.seeds), target_reach(&targeted.seeds));
            assert!(b.mean > a.mean + 4.0 * b.std_error.hypot(a.std_error), "{model} {name}");
            let statement = &targeted.guarantee.statement;
            assert!(name == "celf" || statement.contains("weight reached"), "{statement}");
        }
    }
}

#[test]
fn weightless_candidates_are_refused_only_when_nothing_is_known() {
    let g = from_pairs(4, &[(0, 1), (2, 3)], true);
    let probs = EdgeProbs::new(&g, ProbSpec::Uniform(0.5)).unwrap();
    // Candidates 0 and 2 weigh nothing but reach 1 directly: a floor exists.
    let cfg = SelectConfig {
        k: 1,
        candidates: Some(vec![0, 2]),
        weights: Some(vec![0.0, 1.0, 0.0, 0.0]),
        ..SelectConfig::default()
    };
    assert_eq!(opim(&g, &probs, &cfg).unwrap().seeds, vec![0]);
    // Candidate 3 weighs nothing and reaches nobody.
    let none = SelectConfig { candidates: Some(vec![3]), ..cfg.clone() };
    let message = opim(&g, &probs, &none).unwrap_err().to_string();
    assert!(message.contains("no lower bound"), "{message}");
    let zeros = SelectConfig { weights: Some(vec![0.0; 4]), ..cfg };
    assert!(opim(&g, &probs, &zeros).unwrap_err().to_string().contains("every weight is 0"));
}

#[test]
fn budgets_and_candidates_work_with_weights() {
    let (g, weights) = bridge();
    let probs = EdgeProbs::new(&g, ProbSpec::Uniform(0.9)).unwrap();
    // The bridge (node 1) costs 3, the hub 1, everyone else 2; budget 3.
    let costs: Vec<f64> = (0..60).map(|v| [1.0, 3.0].get(v).copied().unwrap_or(2.0)).collect();
    let cfg = SelectConfig {
        weights: Some(weights.clone()),
        budget: Some(clout_reach::Budget { costs: costs.clone(), budget: 3.0 }),
        ..SelectConfig::default()
    };
    for method in [imm, opim] {
        let chosen = method(&g, &probs, &cfg).unwrap();
        let spent: f64 = chosen.seeds.iter().map(|&v| costs[v as usize]).sum();
        assert!(spent <= 3.0, "{:?}", chosen.seeds);
        // The bridge alone reaches the most target weight within the budget.
        assert_eq!(chosen.seeds, vec![1]);
    }
    // Without the bridge among the candidates, the choice goes to 42 and 43, its followers.
    let cfg = SelectConfig {
        k: 2,
        weights: Some(weights),
        candidates: Some((2..60).collect()),
        ..SelectConfig::default()
    };
    let mut chosen = opim(&g, &probs, &cfg).unwrap().seeds;
    chosen.sort_unstable();
    assert_eq!(chosen, vec![42, 43]);
}
