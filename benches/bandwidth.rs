//! Memory-bandwidth probe: how fast can this machine stream memory?
//!
//! Sums a large `u64` array (default 1 GiB, far bigger than any cache) with rayon at 1 and 2
//! threads (or the counts in `CLOUT_BANDWIDTH_THREADS`, comma separated), several repetitions
//! each, and reports the best and median read bandwidth in GB/s (10^9 bytes per second).
//!
//! A pull PageRank iteration is bound by this number: it streams the offsets and the neighbour
//! array once per iteration, so `bytes streamed / (seconds per iteration)` compared with the
//! figure printed here says how close an iteration gets to the hardware limit. The peer
//! comparison (`benches/compare/`) runs this probe and records its JSON line.
//!
//! Run: `cargo bench --bench bandwidth`. Environment knobs (all optional):
//! `CLOUT_BANDWIDTH_GIB` (array size in GiB, default 1, fractions allowed),
//! `CLOUT_BANDWIDTH_REPS` (repetitions per thread count, default 7),
//! `CLOUT_BANDWIDTH_THREADS` (default `1,2`).
//!
//! Output: one human-readable line per thread count, then a single line of JSON starting with
//! `{"bench":"bandwidth"`.

use std::hint::black_box;
use std::time::Instant;

use rayon::prelude::*;

/// Elements per rayon task: 512 KiB of `u64`, large enough that scheduling costs vanish.
const CHUNK_ELEMENTS: usize = 1 << 16;

/// One thread count's measurements.
struct Measurement {
    threads: usize,
    best_gbps: f64,
    median_gbps: f64,
    all_gbps: Vec<f64>,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

fn thread_counts() -> Vec<usize> {
    let raw = std::env::var("CLOUT_BANDWIDTH_THREADS").unwrap_or_else(|_| "1,2".to_string());
    let counts: Vec<usize> =
        raw.split(',').filter_map(|t| t.trim().parse().ok()).filter(|&t| t > 0).collect();
    if counts.is_empty() { vec![1, 2] } else { counts }
}

/// Streaming read: the wrapping sum of every element, chunked so each thread reads long
/// contiguous runs.
fn stream_sum(data: &[u64]) -> u64 {
    data.par_chunks(CHUNK_ELEMENTS)
        .map(|chunk| chunk.iter().fold(0u64, |acc, &x| acc.wrapping_add(x)))
        .reduce(|| 0, u64::wrapping_add)
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 { sorted[mid] } else { (sorted[mid - 1] + sorted[mid]) / 2.0 }
}

fn measure(data: &[u64], threads: usize, reps: usize, expected: u64) -> Measurement {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("building a rayon pool");
    let bytes = std::mem::size_of_val(data) as f64;
    // One untimed warm-up pass so every thread is spawned and the pages are resident.
    let warm = pool.install(|| stream_sum(black_box(data)));
    assert_eq!(warm, expected, "bandwidth probe summed wrongly");
    let mut all_gbps = Vec::with_capacity(reps);
    for _ in 0..reps {
        let start = Instant::now();
        let sum = pool.install(|| stream_sum(black_box(data)));
        let seconds = start.elapsed().as_secs_f64();
        assert_eq!(black_box(sum), expected, "bandwidth probe summed wrongly");
        all_gbps.push(bytes / seconds / 1e9);
    }
    let best_gbps = all_gbps.iter().copied().fold(0.0, f64::max);
    Measurement { threads, best_gbps, median_gbps: median(&all_gbps), all_gbps }
}

fn main() {
    let gib: f64 = env_or("CLOUT_BANDWIDTH_GIB", 1.0);
    let reps: usize = env_or("CLOUT_BANDWIDTH_REPS", 7).max(1);
    let elements = ((gib * (1u64 << 30) as f64) as usize / 8).max(CHUNK_ELEMENTS);
    // Filled in parallel so that the pages are touched (and, on NUMA machines, spread) the way
    // a parallel kernel would touch them. Values are their index, so the sum is known.
    let mut data = vec![0u64; elements];
    data.par_iter_mut().enumerate().for_each(|(i, x)| *x = i as u64);
    let n = elements as u64;
    let expected = (u128::from(n) * u128::from(n - 1) / 2) as u64;
    let array_bytes = elements * 8;
    println!("bandwidth: streaming read (sum of u64) over {} MiB, {reps} reps", array_bytes >> 20);
    let results: Vec<Measurement> =
        thread_counts().into_iter().map(|t| measure(&data, t, reps, expected)).collect();
    for m in &results {
        println!(
            "threads {:>2}: best {:>6.2} GB/s, median {:>6.2} GB/s",
            m.threads, m.best_gbps, m.median_gbps
        );
    }
    let per_thread: Vec<String> = results
        .iter()
        .map(|m| {
            let all: Vec<String> = m.all_gbps.iter().map(|g| format!("{g:.3}")).collect();
            format!(
                "{{\"threads\":{},\"best_gbps\":{:.3},\"median_gbps\":{:.3},\"all_gbps\":[{}]}}",
                m.threads,
                m.best_gbps,
                m.median_gbps,
                all.join(",")
            )
        })
        .collect();
    println!(
        "{{\"bench\":\"bandwidth\",\"kind\":\"streaming_read_u64_sum\",\"array_bytes\":{array_bytes},\"reps\":{reps},\"results\":[{}]}}",
        per_thread.join(",")
    );
}
