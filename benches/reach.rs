//! Reach-simulation benchmarks: Monte Carlo trials on ego-Facebook (shipped in `datasets/`),
//! Slashdot and soc-sign-epinions (read from `CLOUT_DATASETS`, default `../shared/datasets`,
//! skipped with a note when absent) and a seeded R-MAT graph, at 1 and 2 threads.
//!
//! Workload: the peer comparison's IC setting (the 10 nodes of highest out-degree as seeds,
//! uniform p = 0.01), with and without the awareness metric (which reads every out-arc of
//! every active node; without it, geometric jumps touch only live arcs), plus weighted cascade (one coin per arc instead of geometric jumps),
//! IC-N with six qualities answered by the same trials, LT and (on epinions) signed spread.
//! Throughput is edges examined per second: every out-arc of every node that got to attempt,
//! whether its coin was drawn or skipped ([`clout_reach::Simulation::arcs_examined`]). Each
//! workload prints its arcs per trial first, so trials/s = (edges/s) / (arcs per trial).
//! Graph loading, probability derivation and seed choice are outside the timed region.
//!
//! `CLOUT_BENCH_RMAT_SCALE` sets the R-MAT scale (default 20, edge factor 16);
//! `CLOUT_BENCH_REACH_TRIALS` the trials per run on the real graphs (default 2000; R-MAT runs a
//! hundredth of that: its cascades from the top hubs reach a large part of the graph);
//! `CLOUT_BENCH_REACH_FILTER` keeps only the workloads whose `graph/workload` name contains one
//! of its comma-separated parts (each workload first runs once, untimed, to count its arcs, so
//! criterion's own filter would still pay for that run).

#![allow(missing_docs)] // criterion_group! generates undocumented functions

mod common;

use clout_graph::{EdgeReading, Graph};
use clout_ingest::read::{Format, ReadConfig};
use clout_reach::{EdgeProbs, Model, ProbSpec, SimConfig, simulate};
use common::{env_or, read, rmat_graph, shared, shipped, top_out_degree};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// The benchmark graphs: name, graph, trials per run.
fn graphs() -> Vec<(String, Graph, usize)> {
    let trials: usize = env_or("CLOUT_BENCH_REACH_TRIALS", 2000);
    let undirected = ReadConfig { reading: EdgeReading::Undirected, ..ReadConfig::default() };
    let facebook = read(&shipped("ego-facebook/facebook_combined.txt"), &undirected);
    let mut out = vec![("ego-facebook".to_string(), facebook, trials)];
    // The peers run IC along `A -> B` for a directed line `A B`: read with --edges influence.
    let influence = ReadConfig { reading: EdgeReading::Influence, ..ReadConfig::default() };
    let signed = ReadConfig { format: Format::SnapSigned, ..influence.clone() };
    for (name, rel, cfg) in [
        ("slashdot", "slashdot/soc-Slashdot0902.txt.gz", influence),
        ("epinions", "sign-epinions/soc-sign-epinions.txt.gz", signed),
    ] {
        if let Some(path) = shared(rel) {
            out.push((name.to_string(), read(&path, &cfg), trials));
        }
    }
    let scale: u32 = env_or("CLOUT_BENCH_RMAT_SCALE", 20);
    out.push((format!("rmat{scale}"), rmat_graph(scale), (trials / 100).max(2)));
    out
}

fn six_qualities() -> Vec<f64> {
    vec![0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
}

fn bench_reach(c: &mut Criterion) {
    for (name, g, trials) in graphs() {
        let seeds = top_out_degree(&g, 10);
        // (label, model, probabilities, qualities, count awareness)
        let mut workloads = vec![
            ("ic-uniform0.01", Model::Ic, ProbSpec::Uniform(0.01), vec![1.0], true),
            ("ic-uniform0.01-no-awareness", Model::Ic, ProbSpec::Uniform(0.01), vec![1.0], false),
            ("ic-wc", Model::Ic, ProbSpec::WeightedCascade, vec![1.0], true),
            ("icn-uniform0.01-6q", Model::IcN, ProbSpec::Uniform(0.01), six_qualities(), true),
            ("lt-wc", Model::Lt, ProbSpec::WeightedCascade, vec![1.0], true),
        ];
        if g.is_signed() {
            workloads.push((
                "signed-uniform0.01",
                Model::Signed,
                ProbSpec::Uniform(0.01),
                vec![1.0],
                true,
            ));
        }
        let filter = std::env::var("CLOUT_BENCH_REACH_FILTER").unwrap_or_default();
        let wanted = |label: &str| {
            let full = format!("{name}/{label}");
            filter.is_empty() || filter.split(',').any(|part| full.contains(part.trim()))
        };
        workloads.retain(|w| wanted(w.0));
        if workloads.is_empty() {
            continue;
        }
        let mut group = c.benchmark_group(format!("reach/{name}"));
        group.sample_size(10);
        for (label, model, spec, qualities, awareness) in workloads {
            let probs = EdgeProbs::new(&g, spec).unwrap();
            let cfg = SimConfig { model, qualities, trials, awareness, ..SimConfig::default() };
            let probe = simulate(&g, &probs, &seeds, &cfg).unwrap();
            eprintln!(
                "{name} {label}: {trials} trials, {:.0} arcs examined per trial, mean spread {:.1}",
                probe.arcs_examined as f64 / trials as f64,
                probe.results[0].total.mean
            );
            group.throughput(Throughput::Elements(probe.arcs_examined));
            for threads in [1, 2] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                let id = BenchmarkId::new(label, format!("{threads}-threads"));
                group.bench_function(id, |b| {
                    b.iter(|| pool.install(|| simulate(&g, &probs, &seeds, &cfg).unwrap()))
                });
            }
        }
        group.finish();
    }
}

criterion_group!(benches, bench_reach);
criterion_main!(benches);
