//! The cost of per-account outcomes ([`SimConfig::per_account`]): the same simulation on
//! wiki-vote (shipped in `datasets/`) with and without them, at 1 thread.
//!
//! Workloads: IC with weighted cascade (one coin per arc), IC-N with uniform p = 0.01 and two
//! qualities (geometric jumps, awareness off, so the cascade itself is as cheap as it gets and
//! the counters' share is largest). Seeds: the 10 nodes of highest out-degree. Arcs `A -> B`
//! as in the file ("A voted on B"). Graph loading and probabilities are outside the timed
//! region; throughput is arcs examined per second, as in the root `reach` bench.
//!
//! Run: `cargo bench -p clout-reach --bench per_account`.
//!
//! Measured (2,000 trials, 1 thread, on a machine shared with other jobs, so a few per cent
//! is noise): IC weighted cascade, 284 accounts reached per trial, 341 ms with totals only and
//! 347 ms with per-account outcomes (+2 %); IC-N uniform 0.01 with two qualities, 104 reached
//! per trial, 34.5 ms and 32.6 ms (no measurable cost). The counters cost a few additions
//! per activation, against the cascade's coins and random reads per arc.

#![allow(missing_docs)] // criterion_group! generates undocumented functions

use std::path::Path;

use clout_graph::{Graph, NodeId, from_pairs};
use clout_reach::{EdgeProbs, Model, ProbSpec, SimConfig, simulate};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// wiki-vote as a directed graph on its original ids (at most 8,298 of them, so they serve as
/// dense ids; ids without arcs are isolated nodes).
fn wiki_vote() -> Graph {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/wiki-vote/Wiki-Vote.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{}: {e} (the dataset ships with the repository)", path.display())
    });
    let pairs: Vec<(NodeId, NodeId)> = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let mut ids = line.split_whitespace().map(|id| id.parse::<NodeId>().unwrap());
            (ids.next().unwrap(), ids.next().unwrap())
        })
        .collect();
    let n = pairs.iter().map(|&(u, v)| u.max(v)).max().unwrap() + 1;
    from_pairs(n, &pairs, true)
}

fn bench_per_account(c: &mut Criterion) {
    let g = wiki_vote();
    let mut seeds: Vec<NodeId> = g.nodes().collect();
    seeds.sort_by_key(|&u| (std::cmp::Reverse(g.out_degree(u)), u));
    seeds.truncate(10);
    let trials = 2000;
    let workloads = [
        ("ic-wc", Model::Ic, ProbSpec::WeightedCascade, vec![1.0], true),
        (
            "icn-uniform0.01-2q-no-awareness",
            Model::IcN,
            ProbSpec::Uniform(0.01),
            vec![0.6, 0.9],
            false,
        ),
    ];
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let mut group = c.benchmark_group("reach/wiki-vote/per-account");
    group.sample_size(10);
    for (label, model, spec, qualities, awareness) in workloads {
        let probs = EdgeProbs::new(&g, spec).unwrap();
        let cfg = SimConfig { model, qualities, trials, awareness, ..SimConfig::default() };
        let probe = simulate(&g, &probs, &seeds, &cfg).unwrap();
        eprintln!(
            "{label}: {trials} trials, {:.0} arcs examined and {:.1} accounts reached per trial",
            probe.arcs_examined as f64 / trials as f64,
            probe.results[0].total.mean
        );
        group.throughput(Throughput::Elements(probe.arcs_examined));
        for per_account in [false, true] {
            let cfg = SimConfig { per_account, ..cfg.clone() };
            let id = BenchmarkId::new(label, if per_account { "per-account" } else { "totals" });
            group.bench_function(id, |b| {
                b.iter(|| pool.install(|| simulate(&g, &probs, &seeds, &cfg).unwrap()))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_per_account);
criterion_main!(benches);
