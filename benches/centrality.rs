//! Centrality benchmarks: every kernel on real graphs (read from `CLOUT_DATASETS`, default
//! `../shared/datasets`) and seeded R-MAT graphs. Graph loading is outside the timed region;
//! throughput is reported in arcs per second (per iteration for PageRank).
//!
//! R-MAT scales from `CLOUT_BENCH_RMAT_SCALES` (comma-separated, default `18`; the README's
//! figures use `20,22`). Kernels that are quadratic (exact betweenness, exact harmonic) run only
//! on graphs under `CLOUT_BENCH_EXACT_MAX_NODES` nodes (default 10,000).

#![allow(missing_docs)] // criterion_group! generates undocumented functions

use std::path::{Path, PathBuf};

use clout_centrality as cc;
use clout_graph::generate::{RmatConfig, rmat};
use clout_graph::{BuildConfig, EdgeReading, Graph, GraphInfo};
use clout_ingest::input::Input;
use clout_ingest::read::{ReadConfig, read_graph};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn datasets_dir() -> PathBuf {
    std::env::var_os("CLOUT_DATASETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets"))
}

fn env_list(name: &str, default: &str) -> Vec<u32> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// The benchmark graphs: name and graph.
fn graphs() -> Vec<(String, Graph)> {
    let mut out = Vec::new();
    let data = datasets_dir();
    let undirected = ReadConfig { reading: EdgeReading::Undirected, ..ReadConfig::default() };
    for (name, rel, cfg) in [
        ("ego-facebook", "ego-facebook/facebook_combined.txt", undirected),
        ("wiki-vote", "wiki-vote/Wiki-Vote.txt", ReadConfig::default()),
        ("slashdot", "slashdot/soc-Slashdot0902.txt.gz", ReadConfig::default()),
    ] {
        let path = data.join(rel);
        if !path.exists() {
            eprintln!("skipping {name}: {} not found (set CLOUT_DATASETS)", path.display());
            continue;
        }
        let (loaded, _) = read_graph(&[Input::Path(path)], &cfg, None).unwrap();
        out.push((name.to_string(), loaded.graph));
    }
    for scale in env_list("CLOUT_BENCH_RMAT_SCALES", "18") {
        let e = rmat(&RmatConfig { scale, edge_factor: 16, ..RmatConfig::default() }).unwrap();
        let g = clout_graph::build(e, &BuildConfig::default(), GraphInfo::default()).unwrap();
        out.push((format!("rmat{scale}"), g));
    }
    out
}

fn bench_kernels(c: &mut Criterion) {
    let exact_max = env_list("CLOUT_BENCH_EXACT_MAX_NODES", "10000")[0] as usize;
    for (name, g) in graphs() {
        let arcs = g.arc_count() as u64;
        let mut group = c.benchmark_group(format!("centrality/{name}"));
        group.sample_size(10);
        group.throughput(Throughput::Elements(arcs));
        // One PageRank iteration's worth of work is one pass over the arcs; time a fixed
        // number of iterations so that the per-iteration cost is comparable across graphs.
        let pr = cc::PageRankConfig { tolerance: 0.0, max_iterations: 20, ..Default::default() };
        group.throughput(Throughput::Elements(arcs * 20));
        group.bench_function(BenchmarkId::new("pagerank-20-iterations", &name), |b| {
            b.iter(|| cc::pagerank(&g, &pr).unwrap())
        });
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
            group.bench_function(BenchmarkId::new("harmonic-exact", &name), |b| {
                b.iter(|| cc::harmonic_closeness(&g, &cc::HarmonicConfig::default()).unwrap())
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench_kernels);
criterion_main!(benches);
