//! Properties of the Monte Carlo engine on random graphs: opinions partition the active set,
//! reach is monotone in the seed set trial by trial, certain arcs reach exactly the reachable
//! set, results do not depend on the thread count, and (on tiny graphs, with a fixed proptest
//! seed so the statistical check is reproducible) Monte Carlo agrees with exact enumeration.

use clout_graph::{BuildConfig, Duplicates, EdgeList, Graph, GraphInfo, NodeId, build};
use clout_reach::exact::exact_spread;
use clout_reach::{EdgeProbs, Model, ProbSpec, SimConfig, simulate};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

type Arc = (NodeId, NodeId, f64, bool);

fn graph(n: u32, arcs: &[Arc]) -> Graph {
    let edges = EdgeList {
        node_count: n,
        src: arcs.iter().map(|a| a.0 % n).collect(),
        dst: arcs.iter().map(|a| a.1 % n).collect(),
        weights: Some(arcs.iter().map(|a| a.2).collect()),
        signs: Some(arcs.iter().map(|a| if a.3 { 1 } else { -1 }).collect()),
    };
    let cfg = BuildConfig { duplicates: Duplicates::First, ..BuildConfig::default() };
    build(edges, &cfg, GraphInfo::default()).unwrap()
}

fn arcs(max: usize) -> impl Strategy<Value = Vec<Arc>> {
    prop::collection::vec((0u32..1000, 0u32..1000, 0.0f64..1.0, prop::bool::weighted(0.7)), 0..max)
}

fn model() -> impl Strategy<Value = Model> {
    prop_oneof![Just(Model::Ic), Just(Model::Lt), Just(Model::IcN), Just(Model::Signed)]
}

fn config(model: Model, q: f64, trials: usize) -> SimConfig {
    let qualities = if model == Model::IcN { vec![q, 1.0] } else { vec![1.0] };
    SimConfig { model, qualities, trials, ..SimConfig::default() }
}

/// Nodes reachable from `seeds` along any arcs.
fn reachable(g: &Graph, seeds: &[NodeId]) -> usize {
    let mut seen = vec![false; g.node_count()];
    let mut stack = seeds.to_vec();
    seeds.iter().for_each(|&s| seen[s as usize] = true);
    while let Some(u) = stack.pop() {
        for &v in g.out_neighbors(u) {
            if !std::mem::replace(&mut seen[v as usize], true) {
                stack.push(v);
            }
        }
    }
    seen.iter().filter(|&&s| s).count()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn opinions_partition_the_active_set(
        n in 2u32..40, arcs in arcs(120), model in model(), q in 0.0f64..1.0, seed in any::<u64>()
    ) {
        let g = graph(n, &arcs);
        let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
        let cfg = SimConfig { seed, ..config(model, q, 200) };
        let sim = simulate(&g, &probs, &[0, n / 2], &cfg).unwrap();
        for r in &sim.results {
            let total = r.total.mean;
            prop_assert!((r.positive.mean + r.negative.mean - total).abs() <= 1e-9 * total);
            prop_assert!(r.positive.q95 <= r.total.q95 && r.negative.q95 <= r.total.q95);
            let by_step: f64 =
                r.steps.iter().map(|s| s.new_positive.mean + s.new_negative.mean).sum();
            prop_assert!((by_step - total).abs() <= 1e-9 * total);
            prop_assert!(r.awareness.mean >= total);
            // Net is positive minus negative, trial by trial: the difference of the means, a
            // spread no larger than the two spreads added.
            let net = &r.net;
            prop_assert!((net.mean - (r.positive.mean - r.negative.mean)).abs() <= 1e-9 * total.max(1.0));
            prop_assert!(net.std_error <= r.positive.std_error + r.negative.std_error + 1e-12);
            prop_assert!(net.q05 <= net.q50 && net.q50 <= net.q95);
            // -negative <= net <= positive in every trial, so the quantiles keep that order.
            prop_assert!(net.q95 <= r.positive.q95 + 1e-9 && net.q05 >= -r.negative.q95 - 1e-9);
            if !model.has_opinions() {
                prop_assert_eq!(r.negative.mean, 0.0);
                prop_assert_eq!(net.mean, r.positive.mean);
            }
        }
    }

    #[test]
    fn reach_is_monotone_in_the_seed_set_trial_by_trial(
        n in 2u32..60, arcs in arcs(200), model in prop_oneof![Just(Model::Ic), Just(Model::Lt), Just(Model::IcN)],
        small in prop::collection::vec(0u32..1000, 1..4), extra in prop::collection::vec(0u32..1000, 1..4),
        seed in any::<u64>()
    ) {
        let g = graph(n, &arcs);
        let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
        let small: Vec<NodeId> = small.iter().map(|s| s % n).collect();
        let large: Vec<NodeId> = small.iter().chain(&extra).map(|s| s % n).collect();
        let cfg = SimConfig { seed, ..config(model, 0.5, 100) };
        let a = simulate(&g, &probs, &small, &cfg).unwrap();
        let b = simulate(&g, &probs, &large, &cfg).unwrap();
        for (t, (x, y)) in a.trial_totals.iter().zip(&b.trial_totals).enumerate() {
            prop_assert!(x <= y, "trial {}: {} seeds reach {}, {} seeds reach {}", t, small.len(), x, large.len(), y);
        }
    }

    #[test]
    fn certain_arcs_reach_exactly_the_reachable_set(
        n in 1u32..60, arcs in arcs(150), model in prop_oneof![Just(Model::Ic), Just(Model::IcN), Just(Model::Signed)],
        seeds in prop::collection::vec(0u32..1000, 1..4)
    ) {
        let g = graph(n, &arcs);
        let probs = EdgeProbs::new(&g, ProbSpec::Uniform(1.0)).unwrap();
        let seeds: Vec<NodeId> = seeds.iter().map(|s| s % n).collect();
        let sim = simulate(&g, &probs, &seeds, &config(model, 0.7, 20)).unwrap();
        let total = &sim.results[0].total;
        prop_assert_eq!(total.mean, reachable(&g, &seeds) as f64);
        prop_assert_eq!((total.std_error, total.q05), (0.0, total.q95));
    }

    #[test]
    fn same_answer_at_one_and_two_threads(
        n in 2u32..80, arcs in arcs(300), model in model(), q in 0.0f64..1.0, seed in any::<u64>()
    ) {
        let g = graph(n, &arcs);
        let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
        let cfg = SimConfig { seed, conversion_rate: Some(0.2), ..config(model, q, 700) };
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| simulate(&g, &probs, &[0, 1 % n], &cfg).unwrap())
        };
        prop_assert_eq!(run(1), run(2));
    }
}

proptest! {
    // A fixed proptest seed: the cases below are the same on every run, so this statistical
    // check (4 standard errors) cannot flicker.
    #![proptest_config(ProptestConfig { cases: 24, rng_seed: RngSeed::Fixed(20_251_123), ..ProptestConfig::default() })]

    #[test]
    fn monte_carlo_matches_exact_enumeration_on_tiny_random_graphs(
        n in 2u32..8, arcs in arcs(13), model in model(), q in 0.0f64..1.0
    ) {
        let g = graph(n, &arcs);
        let probs = EdgeProbs::new(&g, ProbSpec::Weight).unwrap();
        let q = if model == Model::IcN { q } else { 1.0 };
        let exact = exact_spread(&g, &probs, &[0], model, q).unwrap();
        let trials = 20_000;
        let cfg = SimConfig { model, qualities: vec![q], trials, ..SimConfig::default() };
        let r = &simulate(&g, &probs, &[0], &cfg).unwrap().results[0];
        for (what, e, x) in [
            ("positive", &r.positive, exact.positive),
            ("negative", &r.negative, exact.negative),
            ("total", &r.total, exact.total),
            ("awareness", &r.awareness, exact.awareness),
        ] {
            prop_assert!((e.mean - x).abs() <= 4.0 * e.std_error + 1e-9, "{}: {} vs exact {}", what, e.mean, x);
        }
        let b = exact.backfire_risk;
        let limit = 4.0 * (b * (1.0 - b) / trials as f64).sqrt() + 1e-9;
        prop_assert!((r.backfire_risk.mean - b).abs() <= limit, "backfire {} vs {}", r.backfire_risk.mean, b);
    }
}
