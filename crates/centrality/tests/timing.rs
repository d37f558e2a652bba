//! PageRank iteration time on seeded R-MAT graphs (not a benchmark suite; the lead's criterion
//! benches are). Ignored by default; run with
//! `cargo test -p clout-centrality --release --test timing -- --ignored --nocapture`.
//! Set `CLOUT_RMAT_SCALES=16,18` to pick other scales (default 20,22).

mod common;

use std::time::Instant;

use clout_centrality::{PageRankConfig, pagerank};
use clout_graph::generate::{RmatConfig, rmat};
use common::with_threads;

#[test]
#[ignore = "timing; run in release with --ignored --nocapture"]
fn pagerank_iteration_time_on_rmat() {
    let scales: Vec<u32> = std::env::var("CLOUT_RMAT_SCALES")
        .unwrap_or_else(|_| "20,22".into())
        .split(',')
        .map(|s| s.trim().parse().expect("scale"))
        .collect();
    const ITERATIONS: usize = 20;
    const TRIALS: usize = 5;
    for scale in scales {
        // Setup outside the timed region: generate and build once per scale.
        let rmat_cfg = RmatConfig { scale, edge_factor: 16, ..RmatConfig::default() };
        let edges = rmat(&rmat_cfg).unwrap();
        let g = clout_graph::build(edges, &Default::default(), Default::default()).unwrap();
        let (n, m) = (g.node_count(), g.arc_count());
        for threads in [1, 2] {
            let run = |iterations: usize| {
                // tolerance 0: the stopping rule never fires, so exactly `iterations` run.
                let cfg = PageRankConfig {
                    tolerance: 0.0,
                    max_iterations: iterations,
                    // Per-iteration time of the power iteration (Auto would switch solvers).
                    method: clout_centrality::pagerank::PageRankMethod::Power,
                    ..Default::default()
                };
                let (start, cpu_start) = (Instant::now(), cpu_seconds());
                let pr = pagerank(&g, &cfg).unwrap();
                assert_eq!(pr.iterations, iterations);
                (start.elapsed().as_secs_f64(), cpu_seconds() - cpu_start)
            };
            let (setup, full) = with_threads(threads, || {
                run(2); // warm up: page in the graph
                let best = |k| {
                    (0..TRIALS)
                        .map(|_| run(k))
                        .fold((f64::INFINITY, f64::INFINITY), |a, b| if b.0 < a.0 { b } else { a })
                };
                (best(0), best(ITERATIONS))
            });
            let wall = (full.0 - setup.0) / ITERATIONS as f64;
            let cpu = (full.1 - setup.1) / ITERATIONS as f64;
            println!(
                "R-MAT scale {scale} (n={n}, m={m} arcs), {threads} thread(s): setup {:.1} ms, \
                 {:.1} ms/iteration, {:.2} ns/arc/iteration wall ({:.0} M arcs/s), \
                 {:.2} CPU-ns/arc/iteration; load average {}",
                setup.0 * 1e3,
                wall * 1e3,
                wall * 1e9 / m as f64,
                m as f64 / wall / 1e6,
                cpu * 1e9 / m as f64,
                load_average()
            );
        }
    }
}

#[test]
#[ignore = "timing; run in release with --ignored --nocapture"]
fn coreness_time_on_rmat() {
    let scale: u32 =
        std::env::var("CLOUT_RMAT_CORE_SCALE").map_or(20, |s| s.parse().expect("scale"));
    let rmat_cfg = RmatConfig { scale, edge_factor: 16, ..RmatConfig::default() };
    let g = clout_graph::build(rmat(&rmat_cfg).unwrap(), &Default::default(), Default::default())
        .unwrap();
    let cfg = clout_centrality::CorenessConfig::default();
    for threads in [1, 2] {
        let (seconds, max_core) = with_threads(threads, || {
            let start = Instant::now();
            let c = clout_centrality::coreness(&g, &cfg).unwrap();
            (start.elapsed().as_secs_f64(), c.max_core)
        });
        println!(
            "coreness R-MAT scale {scale} (m={} arcs), {threads} thread(s): {:.1} ms, max core {max_core}",
            g.arc_count(),
            seconds * 1e3
        );
    }
}

/// User + system CPU seconds of this process (all threads), from /proc (Linux; 0 elsewhere).
/// Ticks are 1/100 s, so only differences over long runs mean anything.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let after = &stat[stat.rfind(')').map_or(0, |i| i + 2)..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// The 1-minute load average, to judge how busy the shared machine was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().next().unwrap_or("?").to_string())
        .unwrap_or_else(|_| "?".into())
}
