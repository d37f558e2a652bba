//! Target audiences cost little: simulation, prefix re-estimation and OPIM with and without a
//! target audience (and per-account conversion), side by side on the same graph and seeds, so
//! the ratio is the price of counting in weight. Graphs: wiki-Vote (shipped) and Slashdot (from
//! `CLOUT_DATASETS`, default `../shared/datasets`, skipped with a note when absent), read as
//! follower files, weighted cascade, at 1 thread.
//!
//! The audience is a seeded random 10% of the accounts with weights uniform in (0, 2]; the
//! conversion file a random 10% with purchase probabilities and values. Workloads: IC from the
//! 50 accounts of highest out-degree (1,000 trials, awareness counted, as `clout simulate`),
//! IC-N at q = 0.8, the 50-prefix re-estimation (200 trials, as `clout select`), and OPIM for
//! k = 50, epsilon = 0.1 (as `clout select`). `CLOUT_BENCH_TARGET_TRIALS` sets the
//! simulation's trials.

#![allow(missing_docs)] // criterion_group! generates undocumented functions

mod common;

use clout_graph::Graph;
use clout_graph::rng::Rng;
use clout_ingest::read::ReadConfig;
use clout_reach::select::{SelectConfig, opim};
use clout_reach::{Conversion, EdgeProbs, Model, ProbSpec, SimConfig, simulate, simulate_prefixes};
use common::{env_or, read, shared, shipped, top_out_degree};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn graphs() -> Vec<(String, Graph)> {
    let follows = ReadConfig::default();
    let mut out =
        vec![("wiki-vote".to_string(), read(&shipped("wiki-vote/Wiki-Vote.txt"), &follows))];
    if let Some(path) = shared("slashdot/soc-Slashdot0902.txt.gz") {
        out.push(("slashdot".to_string(), read(&path, &follows)));
    }
    out
}

/// A random 10% of `n` accounts with a value drawn by `value`, the others 0.
fn tenth(n: usize, seed: u64, mut value: impl FnMut(&mut Rng) -> f64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| if rng.chance(0.1) { value(&mut rng) } else { 0.0 }).collect()
}

fn bench_target(c: &mut Criterion) {
    let trials: usize = env_or("CLOUT_BENCH_TARGET_TRIALS", 1000);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    for (name, g) in graphs() {
        let n = g.node_count();
        let probs = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
        let seeds = top_out_degree(&g, 50);
        let target = tenth(n, 7, |r| 2.0 * (1.0 - r.next_f64()));
        let conversion = Conversion {
            probability: tenth(n, 8, |r| 0.01 + 0.19 * r.next_f64()),
            value: Some(tenth(n, 9, |r| 20.0 + 100.0 * r.next_f64())),
        };
        let mut group = c.benchmark_group(format!("target/{name}"));
        group.sample_size(10);
        for (model, q) in [(Model::Ic, 1.0), (Model::IcN, 0.8)] {
            let plain = SimConfig { model, qualities: vec![q], trials, ..SimConfig::default() };
            let aimed = SimConfig { target: Some(target.clone()), ..plain.clone() };
            let both = SimConfig { conversion: Some(conversion.clone()), ..aimed.clone() };
            for (label, cfg) in
                [("plain", &plain), ("target", &aimed), ("target+conversion", &both)]
            {
                group.bench_function(BenchmarkId::new(format!("simulate-{model}"), label), |b| {
                    b.iter(|| pool.install(|| simulate(&g, &probs, &seeds, cfg).unwrap()))
                });
            }
        }
        let plain = SimConfig { trials: 200, awareness: false, ..SimConfig::default() };
        let aimed = SimConfig { target: Some(target.clone()), ..plain.clone() };
        for (label, cfg) in [("plain", &plain), ("target", &aimed)] {
            group.bench_function(BenchmarkId::new("prefixes-k50", label), |b| {
                b.iter(|| pool.install(|| simulate_prefixes(&g, &probs, &seeds, cfg).unwrap()))
            });
        }
        let plain = SelectConfig { k: 50, ..SelectConfig::default() };
        let aimed = SelectConfig { weights: Some(target.clone()), ..plain.clone() };
        for (label, cfg) in [("plain", &plain), ("target", &aimed)] {
            group.bench_function(BenchmarkId::new("opim-k50", label), |b| {
                b.iter(|| pool.install(|| opim(&g, &probs, cfg).unwrap()))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench_target);
criterion_main!(benches);
