//! Ingest benchmarks: parsing and building real exports and seeded R-MAT text, opening
//! snapshots. Setup (generating and writing input files) happens outside the timed region;
//! throughput is reported in input bytes per second.
//!
//! Inputs: wiki-Vote from `datasets/`, the larger real files from `CLOUT_DATASETS` (default
//! `../shared/datasets`); R-MAT scale from `CLOUT_BENCH_RMAT_SCALE` (default 18, edge factor
//! 16); `CLOUT_BENCH_FILE`, when set, adds one more edge list of your choice (read with the
//! default settings; `RAYON_NUM_THREADS` sets the thread count). The 50-million-edge ingest figure in
//! BENCHMARKS.md comes from `clout ingest` on `clout generate rmat --scale 22 --edge-factor 12`
//! output instead (see BENCHMARKS.md for the command), because criterion's repeated sampling of a
//! multi-second run adds nothing but minutes.

#![allow(missing_docs)] // criterion_group! generates undocumented functions

mod common;

use std::path::{Path, PathBuf};

use clout_graph::generate::{RmatConfig, rmat};
use clout_graph::{BuildConfig, EdgeReading, GraphInfo};
use clout_ingest::input::Input;
use clout_ingest::read::{Format, ReadConfig, read_graph};
use clout_ingest::snapshot::{open_snapshot, write_snapshot};
use clout_ingest::{IdMap, LoadedGraph};
use common::{env_or, shared, shipped};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn rmat_scale() -> u32 {
    env_or("CLOUT_BENCH_RMAT_SCALE", 18)
}

/// Writes an R-MAT edge list as text (`u\tv` lines) and returns its path.
fn rmat_text(dir: &Path, scale: u32) -> PathBuf {
    let e = rmat(&RmatConfig { scale, edge_factor: 16, ..RmatConfig::default() }).unwrap();
    let mut text = String::with_capacity(e.len() * 16);
    for (u, v) in e.src.iter().zip(&e.dst) {
        text.push_str(&format!("{u}\t{v}\n"));
    }
    let path = dir.join(format!("rmat{scale}.txt"));
    std::fs::write(&path, text).unwrap();
    path
}

fn bench_read(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let mut cases: Vec<(String, PathBuf, ReadConfig)> = Vec::new();
    let influence = ReadConfig { reading: EdgeReading::Influence, ..ReadConfig::default() };
    let scale = rmat_scale();
    cases.push((format!("rmat{scale}-text"), rmat_text(tmp.path(), scale), influence));
    cases.push(("wiki-vote".into(), shipped("wiki-vote/Wiki-Vote.txt"), ReadConfig::default()));
    let real = [
        ("slashdot-gz", "slashdot/soc-Slashdot0902.txt.gz", ReadConfig::default()),
        (
            "epinions-signed-gz",
            "sign-epinions/soc-sign-epinions.txt.gz",
            ReadConfig { format: Format::SnapSigned, ..ReadConfig::default() },
        ),
    ];
    for (name, rel, cfg) in real {
        if let Some(path) = shared(rel) {
            cases.push((name.to_string(), path, cfg));
        }
    }
    if let Some(path) = std::env::var_os("CLOUT_BENCH_FILE") {
        cases.push(("bench-file".into(), PathBuf::from(path), ReadConfig::default()));
    }
    let mut group = c.benchmark_group("ingest/read");
    group.sample_size(10);
    for (name, path, cfg) in &cases {
        let bytes = std::fs::metadata(path).unwrap().len();
        group.throughput(Throughput::Bytes(bytes));
        let inputs = [Input::Path(path.clone())];
        group.bench_with_input(BenchmarkId::from_parameter(name), &inputs, |b, inputs| {
            b.iter(|| read_graph(inputs, cfg, None).unwrap())
        });
    }
    group.finish();
}

fn bench_build_and_snapshot(c: &mut Criterion) {
    let scale = rmat_scale();
    let edges = rmat(&RmatConfig { scale, edge_factor: 16, ..RmatConfig::default() }).unwrap();
    let arcs = edges.len() as u64;
    let mut group = c.benchmark_group("ingest/build");
    group.sample_size(10);
    group.throughput(Throughput::Elements(arcs));
    group.bench_function(BenchmarkId::new("csr", format!("rmat{scale}")), |b| {
        b.iter_batched(
            || edges.clone(),
            |e| clout_graph::build(e, &BuildConfig::default(), GraphInfo::default()).unwrap(),
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();

    let n = edges.node_count;
    let graph = clout_graph::build(edges, &BuildConfig::default(), GraphInfo::default()).unwrap();
    let loaded = LoadedGraph { graph, ids: IdMap::identity(n) };
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("g.clout");
    let size = write_snapshot(&path, &loaded).unwrap();
    let mut group = c.benchmark_group("ingest/snapshot");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(size));
    group.bench_function(BenchmarkId::new("open", format!("rmat{scale}")), |b| {
        b.iter(|| open_snapshot(&path).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench_read, bench_build_and_snapshot);
criterion_main!(benches);
