//! Repeated edges are merged while reading: the parsed arrays stay within the distinct edges
//! plus a block's worth, and the graph is the one the builder alone would give, bit for bit,
//! at any block size and thread count.

use clout_graph::rng::Rng;
use clout_graph::{Duplicates, EdgeReading, SelfLoops};
use clout_ingest::LoadedGraph;
use clout_ingest::read::{IdKind, ReadConfig, ReadReport, read_graph_from_reader};
use clout_ingest::snapshot::write_snapshot;

fn read(text: &[u8], cfg: &ReadConfig, threads: usize) -> (LoadedGraph, ReadReport) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| read_graph_from_reader("edges.txt", text, cfg, None)).unwrap()
}

fn snapshot_bytes(g: &LoadedGraph) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.clout");
    write_snapshot(&path, g).unwrap();
    std::fs::read(path).unwrap()
}

/// `copies` copies of the same `distinct` random lines (ids below 60, so some are self-loops
/// and some are `u v` / `v u` pairs) with a weight per line that differs from copy to copy, so
/// the sum depends on the order in which copies are added.
fn repeated_text(distinct: usize, copies: usize, prefix: &str) -> Vec<u8> {
    let mut rng = Rng::new(11);
    let lines: Vec<(u64, u64)> = (0..distinct).map(|_| (rng.below(60), rng.below(60))).collect();
    let mut text = String::new();
    for copy in 0..copies {
        for (i, (a, b)) in lines.iter().enumerate() {
            let sign = if (i + copy) % 3 == 0 { -1 } else { 1 };
            let weight = 0.1 * (1 + (i * 7 + copy * 13) % 10) as f64;
            text.push_str(&format!("{prefix}{a} {prefix}{b} {weight} {sign}\n"));
        }
    }
    text.into_bytes()
}

#[test]
fn parsed_arcs_stay_bounded_by_the_distinct_edges() {
    let text = "1 2\n".repeat(20_000) + &"3 4\n5 6\n".repeat(5_000);
    let block_bytes = 256;
    let cfg = ReadConfig { block_bytes, ..ReadConfig::default() };
    let (loaded, report) = read(text.as_bytes(), &cfg, 2);
    assert_eq!(loaded.graph.arc_count(), 3);
    let info = loaded.graph.info();
    assert_eq!((info.input_edges, info.duplicates_merged), (30_000, 29_997));
    // At most twice the distinct edges plus a block's worth pending plus the block being added.
    let bound = 2 * 3 + 2 * (block_bytes as u64 / 4);
    assert!(report.peak_parsed_arcs <= bound, "{} > {bound}", report.peak_parsed_arcs);
    // A multigraph keeps every copy.
    let keep = ReadConfig { duplicates: Duplicates::Keep, ..cfg };
    let (loaded, report) = read(text.as_bytes(), &keep, 2);
    assert_eq!((loaded.graph.arc_count() as u64, report.peak_parsed_arcs), (30_000, 30_000));
}

#[test]
fn merging_while_reading_gives_the_builders_graph() {
    let text = repeated_text(200, 10, "");
    let strings = repeated_text(200, 10, "@u");
    for (text, ids) in [(&text, IdKind::Integer), (&strings, IdKind::String)] {
        for duplicates in [Duplicates::Sum, Duplicates::First] {
            for reading in [EdgeReading::Follows, EdgeReading::Undirected] {
                for self_loops in [SelfLoops::Drop, SelfLoops::Keep] {
                    let cfg = ReadConfig {
                        reading,
                        duplicates,
                        self_loops,
                        ids,
                        weight: Some(3.into()),
                        sign: Some(4.into()),
                        ..ReadConfig::default()
                    };
                    // One block: nothing is compacted, the builder merges every copy.
                    let (whole, whole_report) = read(text, &cfg, 1);
                    assert_eq!(whole_report.peak_parsed_arcs, 2000);
                    let expected = snapshot_bytes(&whole);
                    for (threads, block_bytes) in [(1, 64), (2, 64), (2, 700)] {
                        let small = ReadConfig { block_bytes, ..cfg.clone() };
                        let (loaded, report) = read(text, &small, threads);
                        let case = format!(
                            "{ids:?} {duplicates:?} {reading:?} {self_loops:?} \
                             {threads} threads, {block_bytes}-byte blocks"
                        );
                        assert!(report.peak_parsed_arcs < 2000 / 2, "{case}");
                        assert_eq!(loaded.graph.info(), whole.graph.info(), "{case}");
                        assert!(snapshot_bytes(&loaded) == expected, "{case}");
                    }
                }
            }
        }
    }
}
