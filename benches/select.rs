//! Influence-maximization benchmarks: IMM (and the IC-N method) at 1 and 2 threads on real
//! graphs and a seeded R-MAT graph. Graph loading and probability derivation are outside the
//! timed region; one untimed run per case prints the RR sets drawn, their peak memory and the
//! chosen seeds, and criterion's throughput is RR sets per second.
//!
//! Graphs: wiki-Vote from `datasets/`; ego-Facebook, Slashdot and soc-sign-epinions from
//! `CLOUT_DATASETS` (default `../shared/datasets`) when present; R-MAT at the scales in
//! `CLOUT_BENCH_SELECT_RMAT_SCALES` (default `20`, edge factor 16, seed 1);
//! `CLOUT_BENCH_SELECT_GRAPHS` (comma-separated names, e.g. `wiki-vote,rmat20`) keeps only some
//! graphs, so their untimed probe runs are skipped too. Directed files are
//! read with `--edges influence` (a line `A B` is the arc `A -> B`), the way the peer
//! libraries read them, so the numbers compare with `benches/compare` (pynetim's IMM).
//!
//! Cases:
//! - `ic-p0.01-k10-eps0.1`: pynetim's IMM reference on wiki-Vote (1.44 s single-threaded).
//! - `ic-p0.01-k50-eps0.5`: the reference on soc-sign-epinions (15.9 s).
//! - `wc-k50-eps0.1`: weighted cascade, the literature's standard setting, on every graph.
//! - `icn-q0.8-wc-k50-eps0.1`: the backfire-aware method (weighted RR sets plus validation).

#![allow(missing_docs)] // criterion_group! generates undocumented functions

use std::path::{Path, PathBuf};

use clout_graph::generate::{RmatConfig, rmat};
use clout_graph::{BuildConfig, EdgeReading, Graph, GraphInfo};
use clout_ingest::input::Input;
use clout_ingest::read::{ReadConfig, read_graph};
use clout_reach::select::{SelectConfig, imm};
use clout_reach::{EdgeProbs, Model, ProbSpec};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn datasets_dir() -> PathBuf {
    std::env::var_os("CLOUT_DATASETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets"))
}

fn read(path: &Path, reading: EdgeReading) -> Option<Graph> {
    if !path.exists() {
        eprintln!("skipping {}: not found (set CLOUT_DATASETS)", path.display());
        return None;
    }
    let cfg = ReadConfig { reading, ..ReadConfig::default() };
    let (loaded, _) = read_graph(&[Input::Path(path.to_path_buf())], &cfg, None).ok()?;
    Some(loaded.graph)
}

/// A benchmark case: name, probabilities, selection config.
struct Case {
    name: &'static str,
    prob: ProbSpec,
    cfg: SelectConfig,
}

fn case(name: &'static str, prob: ProbSpec, k: usize, epsilon: f64, model: Model) -> Case {
    let quality = if model == Model::IcN { 0.8 } else { 1.0 };
    Case { name, prob, cfg: SelectConfig { k, epsilon, model, quality, ..SelectConfig::default() } }
}

/// Whether graph `name` is wanted (`CLOUT_BENCH_SELECT_GRAPHS`, default all).
fn wanted(name: &str) -> bool {
    match std::env::var("CLOUT_BENCH_SELECT_GRAPHS") {
        Ok(list) if !list.trim().is_empty() => list.split(',').any(|g| g.trim() == name),
        _ => true,
    }
}

fn workloads() -> Vec<(String, Graph, Vec<Case>)> {
    let data = datasets_dir();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets");
    let wc = || case("wc-k50-eps0.1", ProbSpec::WeightedCascade, 50, 0.1, Model::Ic);
    let icn = || case("icn-q0.8-wc-k50-eps0.1", ProbSpec::WeightedCascade, 50, 0.1, Model::IcN);
    let mut out = Vec::new();
    let wiki = root.join("wiki-vote/Wiki-Vote.txt");
    if let Some(g) = wanted("wiki-vote").then(|| read(&wiki, EdgeReading::Influence)).flatten() {
        let pynetim = case("ic-p0.01-k10-eps0.1", ProbSpec::Uniform(0.01), 10, 0.1, Model::Ic);
        out.push(("wiki-vote".to_string(), g, vec![pynetim, wc(), icn()]));
    }
    let undirected = EdgeReading::Undirected;
    let facebook = data.join("ego-facebook/facebook_combined.txt");
    if let Some(g) = wanted("ego-facebook").then(|| read(&facebook, undirected)).flatten() {
        out.push(("ego-facebook".to_string(), g, vec![wc()]));
    }
    let slashdot = data.join("slashdot/soc-Slashdot0902.txt.gz");
    if let Some(g) = wanted("slashdot").then(|| read(&slashdot, EdgeReading::Influence)).flatten() {
        out.push(("slashdot".to_string(), g, vec![wc()]));
    }
    let epinions = data.join("sign-epinions/soc-sign-epinions.txt.gz");
    if let Some(g) = wanted("epinions").then(|| read(&epinions, EdgeReading::Influence)).flatten() {
        let pynetim = case("ic-p0.01-k50-eps0.5", ProbSpec::Uniform(0.01), 50, 0.5, Model::Ic);
        out.push(("epinions".to_string(), g, vec![pynetim, wc()]));
    }
    let scales = std::env::var("CLOUT_BENCH_SELECT_RMAT_SCALES").unwrap_or_else(|_| "20".into());
    for scale in scales.split(',').filter_map(|s| s.trim().parse::<u32>().ok()) {
        if !wanted(&format!("rmat{scale}")) {
            continue;
        }
        let e = rmat(&RmatConfig { scale, edge_factor: 16, seed: 1, ..RmatConfig::default() });
        let g = clout_graph::build(e.unwrap(), &BuildConfig::default(), GraphInfo::default());
        out.push((format!("rmat{scale}"), g.unwrap(), vec![wc()]));
    }
    out
}

fn bench_imm(c: &mut Criterion) {
    for (graph_name, g, cases) in workloads() {
        let mut group = c.benchmark_group(format!("select/{graph_name}"));
        group.sample_size(10);
        for case in cases {
            let probs = EdgeProbs::new(&g, case.prob).unwrap();
            for threads in [1usize, 2] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                // One untimed run: what the timed runs draw and choose.
                let probe = pool.install(|| imm(&g, &probs, &case.cfg).unwrap());
                let s = probe.sampling.unwrap();
                eprintln!(
                    "select/{graph_name}/{} T={threads}: {} RR sets ({} estimation, {} \
                     selection, {} validation), {} members, peak RR memory {:.1} MiB, \
                     estimate {:.1}, guarantee: {}",
                    case.name,
                    s.estimation_sets.max(s.selection_sets) + s.validation_sets,
                    s.estimation_sets,
                    s.selection_sets,
                    s.validation_sets,
                    s.members,
                    s.peak_bytes as f64 / (1 << 20) as f64,
                    probe.estimate.unwrap_or(f64::NAN),
                    probe.guarantee.statement
                );
                let drawn = (s.estimation_sets.max(s.selection_sets) + s.validation_sets) as u64;
                group.throughput(Throughput::Elements(drawn));
                let id = BenchmarkId::new(format!("imm-{}", case.name), format!("T{threads}"));
                group.bench_function(id, |b| {
                    b.iter(|| pool.install(|| imm(&g, &probs, &case.cfg).unwrap()))
                });
            }
        }
        group.finish();
    }
}

criterion_group!(benches, bench_imm);
criterion_main!(benches);
