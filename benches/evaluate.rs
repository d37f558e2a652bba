//! Re-estimating a chosen seed sequence and CELF's estimates: one cascade per trial for every
//! prefix ([`simulate_prefixes`]) against one simulation per prefix, and CELF on shared IC
//! trials ([`IcWorlds`]) against a whole simulation per estimate. Graphs: wiki-Vote (shipped)
//! and Slashdot (from `CLOUT_DATASETS`, default `../shared/datasets`, skipped with a note when
//! absent), read as follower files (`clout select`'s default), weighted cascade.
//!
//! Workload: the 50 accounts of highest out-degree as the sequence (prefix evaluation; the
//! per-prefix baseline runs a tenth of the trials, and throughput is trials per second so the
//! two compare directly), and CELF for 5 seeds with 100 trials per estimate on wiki-Vote
//! (the plain oracle's first round alone is a simulation per account).
//! `CLOUT_BENCH_PREFIX_TRIALS` sets the prefix trials (default 200).

#![allow(missing_docs)] // criterion_group! generates undocumented functions

mod common;

use clout_graph::{Graph, NodeId};
use clout_ingest::read::ReadConfig;
use clout_reach::select::{SelectConfig, celf, celf_with};
use clout_reach::{EdgeProbs, ProbSpec, SimConfig, simulate, simulate_prefixes};
use common::{env_or, read, shared, shipped, top_out_degree};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn graphs() -> Vec<(String, Graph)> {
    let follows = ReadConfig::default();
    let mut out =
        vec![("wiki-vote".to_string(), read(&shipped("wiki-vote/Wiki-Vote.txt"), &follows))];
    match shared("slashdot/soc-Slashdot0902.txt.gz") {
        Some(path) => out.push(("slashdot".to_string(), read(&path, &follows))),
        None => eprintln!("slashdot not found: benchmarking wiki-vote only"),
    }
    out
}

fn bench_prefixes(c: &mut Criterion) {
    let trials: usize = env_or("CLOUT_BENCH_PREFIX_TRIALS", 200);
    for (name, g) in graphs() {
        let probs = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
        let seeds = top_out_degree(&g, 50);
        let mut group = c.benchmark_group(format!("evaluate/{name}"));
        group.sample_size(10);
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let cfg = SimConfig { trials, awareness: false, ..SimConfig::default() };
            group.throughput(Throughput::Elements(trials as u64));
            group.bench_function(
                BenchmarkId::new("prefixes-shared-k50", format!("{threads}-threads")),
                |b| {
                    b.iter(|| pool.install(|| simulate_prefixes(&g, &probs, &seeds, &cfg).unwrap()))
                },
            );
            let few = SimConfig { trials: (trials / 10).max(2), ..cfg.clone() };
            group.throughput(Throughput::Elements(few.trials as u64));
            group.bench_function(
                BenchmarkId::new("one-simulation-per-prefix-k50", format!("{threads}-threads")),
                |b| {
                    b.iter(|| {
                        pool.install(|| {
                            (1..=seeds.len())
                                .map(|i| simulate(&g, &probs, &seeds[..i], &few).unwrap().trials)
                                .sum::<usize>()
                        })
                    })
                },
            );
        }
        if name == "wiki-vote" {
            let cfg = SelectConfig { k: 5, celf_trials: 100, ..SelectConfig::default() };
            let sim = SimConfig { trials: 100, seed: 1, ..SimConfig::default() };
            group.throughput(Throughput::Elements(1));
            group.bench_function("celf-shared-k5", |b| b.iter(|| celf(&g, &probs, &cfg).unwrap()));
            group.bench_function("celf-simulation-per-estimate-k5", |b| {
                b.iter(|| {
                    let spread = |s: &[NodeId]| {
                        simulate(&g, &probs, s, &sim).map(|r| r.results[0].positive.mean)
                    };
                    celf_with(&g, &cfg, false, spread).unwrap()
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench_prefixes);
criterion_main!(benches);
