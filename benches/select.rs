//! Influence-maximization benchmarks: IMM and OPIM (the CLI's default; IC and the IC-N
//! method) at 1 and 2 threads on real graphs and a seeded R-MAT graph, and RR-set generation
//! alone. Graph loading and probability derivation are outside the timed region; one untimed
//! run per case prints the RR sets drawn, their peak memory and the chosen seeds, and
//! criterion's throughput is RR sets per second.
//!
//! `greedy/<graph>`: the greedy alone (one thread; it is sequential), on the selection sample
//! OPIM's last round holds on soc-sign-epinions (23,808 weighted-cascade RR sets, indexed
//! outside the timed region): k = 50 by coverage with OPIM-C's upper bound and the direct
//! reach as tie-break, as `opim` runs it.
//!
//! `rr/<graph>`: 10,000 IC RR sets under weighted cascade (one probability per in-row, so live
//! arcs are found by geometric jumps), with and without IC-N distances, and under per-arc
//! probabilities that differ within rows (`trivalency`: one coin per arc), at 1 and 2 threads.
//!
//! Graphs: wiki-Vote and ego-Facebook from `datasets/`; Slashdot and soc-sign-epinions from
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

mod common;

use std::path::Path;

use clout_graph::{EdgeReading, Graph};
use clout_ingest::read::ReadConfig;
use clout_reach::select::coverage::Coverage;
use clout_reach::select::greedy::{GreedyOptions, Limit, Rule, lazy_greedy};
use clout_reach::select::index::Index;
use clout_reach::select::{RrModel, RrSampler, RrSets, SelectConfig, direct_reach, imm, opim};
use clout_reach::{EdgeProbs, Model, ProbSpec};
use common::{env_list, rmat_graph, shared, shipped};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn read(path: &Path, reading: EdgeReading) -> Graph {
    common::read(path, &ReadConfig { reading, ..ReadConfig::default() })
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
    let wc = || case("wc-k50-eps0.1", ProbSpec::WeightedCascade, 50, 0.1, Model::Ic);
    let icn = || case("icn-q0.8-wc-k50-eps0.1", ProbSpec::WeightedCascade, 50, 0.1, Model::IcN);
    let mut out = Vec::new();
    if wanted("wiki-vote") {
        let g = read(&shipped("wiki-vote/Wiki-Vote.txt"), EdgeReading::Influence);
        let pynetim = case("ic-p0.01-k10-eps0.1", ProbSpec::Uniform(0.01), 10, 0.1, Model::Ic);
        out.push(("wiki-vote".to_string(), g, vec![pynetim, wc(), icn()]));
    }
    if wanted("ego-facebook") {
        let g = read(&shipped("ego-facebook/facebook_combined.txt"), EdgeReading::Undirected);
        out.push(("ego-facebook".to_string(), g, vec![wc()]));
    }
    let slashdot = "slashdot/soc-Slashdot0902.txt.gz";
    if let Some(path) = wanted("slashdot").then(|| shared(slashdot)).flatten() {
        let g = read(&path, EdgeReading::Influence);
        out.push(("slashdot".to_string(), g, vec![wc()]));
    }
    let epinions = "sign-epinions/soc-sign-epinions.txt.gz";
    if let Some(path) = wanted("epinions").then(|| shared(epinions)).flatten() {
        let g = read(&path, EdgeReading::Influence);
        let pynetim = case("ic-p0.01-k50-eps0.5", ProbSpec::Uniform(0.01), 50, 0.5, Model::Ic);
        out.push(("epinions".to_string(), g, vec![pynetim, wc()]));
    }
    for scale in env_list("CLOUT_BENCH_SELECT_RMAT_SCALES", "20") {
        if wanted(&format!("rmat{scale}")) {
            out.push((format!("rmat{scale}"), rmat_graph(scale), vec![wc()]));
        }
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
                let probe = pool.install(|| opim(&g, &probs, &case.cfg).unwrap());
                let s = probe.sampling.unwrap();
                eprintln!(
                    "select/{graph_name}/opim-{} T={threads}: {} selection + {} validation RR \
                     sets, {} rounds, guarantee: {}",
                    case.name,
                    s.selection_sets,
                    s.validation_sets,
                    s.rounds,
                    probe.guarantee.statement
                );
                group.throughput(Throughput::Elements(
                    (s.selection_sets + s.validation_sets) as u64,
                ));
                let id = BenchmarkId::new(format!("opim-{}", case.name), format!("T{threads}"));
                group.bench_function(id, |b| {
                    b.iter(|| pool.install(|| opim(&g, &probs, &case.cfg).unwrap()))
                });
            }
        }
        group.finish();
    }
}

/// RR sets drawn per timed run of the `rr` group.
const RR_SETS: usize = 10_000;

fn bench_rr(c: &mut Criterion) {
    for (graph_name, g, _) in workloads() {
        let mut group = c.benchmark_group(format!("rr/{graph_name}"));
        group.sample_size(10);
        let wc = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
        let per_arc = EdgeProbs::new(&g, ProbSpec::Trivalency { seed: 1 }).unwrap();
        let cases = [
            ("wc-jumps", &wc, false),
            ("wc-jumps-distances", &wc, true),
            ("trivalency-coins", &per_arc, false),
        ];
        for (name, probs, distances) in cases {
            let sampler = RrSampler::new(&g, probs, RrModel::Ic, distances);
            for threads in [1usize, 2] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                let draw = || {
                    let mut sets = RrSets::new(distances);
                    pool.install(|| sampler.extend(&mut sets, RR_SETS, 7));
                    sets
                };
                let probe = draw();
                eprintln!(
                    "rr/{graph_name}/{name} T={threads}: {} members, {} in-arcs in visited rows",
                    probe.total_members(),
                    probe.arcs_examined()
                );
                group.throughput(Throughput::Elements(RR_SETS as u64));
                group.bench_function(BenchmarkId::new(name, format!("T{threads}")), |b| {
                    b.iter(draw)
                });
            }
        }
        group.finish();
    }
}

/// RR sets in the `greedy/<graph>` sample.
const GREEDY_SETS: usize = 23_808;

fn bench_greedy(c: &mut Criterion) {
    for (graph_name, g, _) in workloads() {
        let mut group = c.benchmark_group(format!("greedy/{graph_name}"));
        group.sample_size(20);
        let n = g.node_count();
        let wc = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
        let mut sets = RrSets::new(false);
        RrSampler::new(&g, &wc, RrModel::Ic, false).extend(&mut sets, GREEDY_SETS, 11);
        let index = Index::build(&sets, n);
        let tie = direct_reach(&g, &wc, None);
        let candidates: Vec<u32> = (0..n as u32).collect();
        let options = GreedyOptions { upper_bound: true, ..GreedyOptions::default() };
        let run = || {
            let mut coverage = Coverage::new(&sets, &index, n).with_tie_break(&tie);
            lazy_greedy(&mut coverage, &candidates, Limit::Count(50), Rule::Gain, options)
        };
        let probe = run();
        eprintln!(
            "greedy/{graph_name}: {} members, coverage {} of {GREEDY_SETS}, upper bound {:?}",
            sets.total_members(),
            probe.value,
            probe.upper
        );
        group.bench_function("wc-k50-upper", |b| b.iter(run));
        group.finish();
    }
}

criterion_group!(benches, bench_imm, bench_rr, bench_greedy);
criterion_main!(benches);
