//! Centrality benchmarks: every kernel on real graphs (ego-Facebook and wiki-Vote from
//! `datasets/`, the larger ones from `CLOUT_DATASETS`, default `../shared/datasets`) and seeded
//! R-MAT graphs. Graph loading is outside the timed region;
//! throughput is reported in arcs per second (per iteration for PageRank).
//!
//! PageRank (group `pagerank/<graph>`, also on soc-sign-epinions and the Higgs retweet graph):
//! - `power-20-iterations`: twenty power iterations (tolerance 0), setup included;
//! - `power-iteration`: one power iteration, setup excluded (runs of 21 and of 1 iteration,
//!   differenced): the figure to hold against the bandwidth floor `(4m + 24n) / bandwidth`;
//! - `gather-probe`: the memory part of one pull iteration alone, every `c[u]` of every row
//!   loaded in CSR order (integer sums of the bits, so additions cost nothing), in parallel:
//!   a measured floor for the iteration on this graph, random gathers included;
//! - `auto`, `gauss-seidel`, `power` at an L1 tolerance of 1e-8 (`tol = 1e-8 / N`, the peer
//!   comparison's setting): end to end, everything a call does (component ordering included);
//! - `auto` and `gauss-seidel` at an L1 tolerance of 1e-4 (GAP's `pr -t 1e-4`) in pools of 1
//!   and 2 threads (`-1t`, `-2t`): a few sweeps only, so the fixed costs weigh most.
//!
//! R-MAT scales from `CLOUT_BENCH_RMAT_SCALES` (comma-separated, default `18`; BENCHMARKS.md's
//! figures use `20,22`). Kernels that are quadratic (exact betweenness, exact harmonic) run only
//! on graphs under `CLOUT_BENCH_EXACT_MAX_NODES` nodes (default 10,000); exact betweenness also
//! runs without leaf folding there, to show what folding saves. Larger graphs get sampled
//! harmonic closeness (epsilon 0.05, delta 0.1) instead. Adaptive collective-influence ranking
//! runs its first 1% of removals on every graph.

#![allow(missing_docs)] // criterion_group! generates undocumented functions

mod common;

use clout_centrality as cc;
use clout_graph::{EdgeReading, Graph};
use clout_ingest::read::ReadConfig;
use common::{env_list, read, rmat_graph, shared, shipped};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;

/// The benchmark graphs: name and graph. `more` adds the graphs only PageRank runs on.
fn graphs(more: bool) -> Vec<(String, Graph)> {
    let undirected = ReadConfig { reading: EdgeReading::Undirected, ..ReadConfig::default() };
    let mut out = vec![
        (
            "ego-facebook".to_string(),
            read(&shipped("ego-facebook/facebook_combined.txt"), &undirected),
        ),
        (
            "wiki-vote".to_string(),
            read(&shipped("wiki-vote/Wiki-Vote.txt"), &ReadConfig::default()),
        ),
    ];
    let mut list = vec![("slashdot", "slashdot/soc-Slashdot0902.txt.gz")];
    if more {
        // Extra columns (sign, retweet count) are ignored: unweighted, as the peers run them.
        list.push(("epinions", "sign-epinions/soc-sign-epinions.txt.gz"));
        list.push(("higgs-retweet", "higgs-twitter/higgs-retweet_network.edgelist.gz"));
    }
    for (name, rel) in list {
        if let Some(path) = shared(rel) {
            out.push((name.to_string(), read(&path, &ReadConfig::default())));
        }
    }
    for scale in env_list("CLOUT_BENCH_RMAT_SCALES", "18") {
        out.push((format!("rmat{scale}"), rmat_graph(scale)));
    }
    out
}

fn bench_pagerank(c: &mut Criterion) {
    use cc::pagerank::PageRankMethod;
    for (name, g) in graphs(true) {
        let (n, arcs) = (g.node_count(), g.arc_count() as u64);
        let mut group = c.benchmark_group(format!("pagerank/{name}"));
        group.sample_size(10);
        // One iteration's worth of work is one pass over the arcs; time a fixed number of
        // iterations so that the per-iteration cost is comparable across graphs.
        let fixed = cc::PageRankConfig {
            tolerance: 0.0,
            max_iterations: 20,
            method: PageRankMethod::Power,
            ..Default::default()
        };
        group.throughput(Throughput::Elements(arcs * 20));
        group.bench_function(BenchmarkId::new("power-20-iterations", &name), |b| {
            b.iter(|| cc::pagerank(&g, &fixed).unwrap())
        });
        // One power iteration alone: each sample times a run of 21 iterations and one of 1
        // and counts the difference over 20, so the per-call setup (shares, buffers, page
        // faults) drops out. This is the figure compared with the bandwidth floor.
        group.throughput(Throughput::Elements(arcs));
        group.bench_function(BenchmarkId::new("power-iteration", &name), |b| {
            let timed = |iterations: usize| {
                let cfg = cc::PageRankConfig { max_iterations: iterations, ..fixed.clone() };
                let start = std::time::Instant::now();
                std::hint::black_box(cc::pagerank(&g, &cfg).unwrap());
                start.elapsed()
            };
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| timed(21).saturating_sub(timed(1)) / 20)
                    .sum::<std::time::Duration>()
            })
        });
        let (offsets, sources) =
            (g.out_adjacency().offsets.as_slice(), g.out_adjacency().targets.as_slice());
        let contrib = vec![1.0f64; n];
        group.bench_function(BenchmarkId::new("gather-probe", &name), |b| {
            b.iter(|| {
                (0..n)
                    .into_par_iter()
                    .with_min_len(cc::pagerank::CHUNK)
                    .map(|v| {
                        // Integer adds of the bits (one-cycle latency): the loads are the cost.
                        let row = &sources[offsets[v] as usize..offsets[v + 1] as usize];
                        row.iter()
                            .fold(0u64, |sum, &u| sum.wrapping_add(contrib[u as usize].to_bits()))
                    })
                    .reduce(|| 0, u64::wrapping_add)
            })
        });
        for (label, method) in [
            ("auto", PageRankMethod::Auto),
            ("gauss-seidel", PageRankMethod::GaussSeidel),
            ("power", PageRankMethod::Power),
        ] {
            let cfg = cc::PageRankConfig {
                tolerance: 1e-8 / n as f64,
                max_iterations: 1000,
                method,
                ..Default::default()
            };
            group.bench_function(BenchmarkId::new(format!("{label}-l1-1e-8"), &name), |b| {
                b.iter(|| cc::pagerank(&g, &cfg).unwrap())
            });
        }
        // The peer comparison at a loose tolerance (L1 change 1e-4, GAP's `pr -t 1e-4`), where
        // fixed costs weigh most, at 1 and 2 threads.
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            for (label, method) in
                [("auto", PageRankMethod::Auto), ("gauss-seidel", PageRankMethod::GaussSeidel)]
            {
                let cfg =
                    cc::PageRankConfig { tolerance: 1e-4 / n as f64, method, ..Default::default() };
                let id = BenchmarkId::new(format!("{label}-l1-1e-4-{threads}t"), &name);
                group.bench_function(id, |b| {
                    b.iter(|| pool.install(|| cc::pagerank(&g, &cfg).unwrap()))
                });
            }
        }
        group.finish();
    }
}

fn bench_kernels(c: &mut Criterion) {
    let exact_max = env_list("CLOUT_BENCH_EXACT_MAX_NODES", "10000")[0] as usize;
    for (name, g) in graphs(false) {
        let arcs = g.arc_count() as u64;
        let mut group = c.benchmark_group(format!("centrality/{name}"));
        group.sample_size(10);
        group.throughput(Throughput::Elements(arcs));
        group.bench_function(BenchmarkId::new("coreness", &name), |b| {
            b.iter(|| cc::coreness(&g, &cc::CorenessConfig::default()).unwrap())
        });
        group.bench_function(BenchmarkId::new("collective-influence-l2", &name), |b| {
            b.iter(|| {
                cc::collective_influence(&g, &cc::CollectiveInfluenceConfig::default()).unwrap()
            })
        });
        let approx = cc::BetweennessConfig {
            mode: cc::BetweennessMode::Approximate { epsilon: 0.01, delta: 0.1, seed: 1 },
            ..Default::default()
        };
        group.bench_function(BenchmarkId::new("betweenness-approx-eps0.01", &name), |b| {
            b.iter(|| cc::betweenness(&g, &approx).unwrap())
        });
        if g.node_count() <= exact_max {
            group.bench_function(BenchmarkId::new("betweenness-exact", &name), |b| {
                b.iter(|| cc::betweenness(&g, &cc::BetweennessConfig::default()).unwrap())
            });
            let unfolded = cc::BetweennessConfig { fold_leaves: false, ..Default::default() };
            group.bench_function(BenchmarkId::new("betweenness-exact-no-folding", &name), |b| {
                b.iter(|| cc::betweenness(&g, &unfolded).unwrap())
            });
            group.bench_function(BenchmarkId::new("harmonic-exact", &name), |b| {
                b.iter(|| cc::harmonic_closeness(&g, &cc::HarmonicConfig::default()).unwrap())
            });
        } else {
            let method = cc::HarmonicMethod::Sampled { epsilon: 0.05, delta: 0.1, seed: 1 };
            let sampled =
                cc::HarmonicConfig { method, normalized: true, ..cc::HarmonicConfig::default() };
            group.bench_function(BenchmarkId::new("harmonic-sampled-eps0.05", &name), |b| {
                b.iter(|| cc::harmonic_closeness(&g, &sampled).unwrap())
            });
        }
        let first_percent = cc::CiRankingConfig {
            max_removals: Some(g.node_count() / 100),
            ..cc::CiRankingConfig::default()
        };
        group.bench_function(BenchmarkId::new("ci-ranking-l2-first-1pct", &name), |b| {
            b.iter(|| cc::collective_influence_ranking(&g, &first_percent).unwrap())
        });
        group.finish();
    }
}

criterion_group!(benches, bench_pagerank, bench_kernels);
criterion_main!(benches);
