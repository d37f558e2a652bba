//! Helpers shared by the criterion benches: where the input graphs are, reading them, seeded
//! R-MAT graphs and numeric settings from environment variables.
//!
//! Graphs shipped in `datasets/` are always read from there (a missing one is a failure). The
//! larger graphs come from `$CLOUT_DATASETS` (default `../shared/datasets` beside the
//! workspace); a benchmark leaves out a graph that is not there, with a note on stderr, since a
//! bench run measures what is at hand rather than checking it.
// Each bench is its own crate and uses only some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::str::FromStr;

use clout_graph::generate::{RmatConfig, rmat};
use clout_graph::{BuildConfig, Graph, GraphInfo, NodeId};
use clout_ingest::input::Input;
use clout_ingest::read::{ReadConfig, read_graph};

/// A file shipped in the repository's `datasets/` folder.
pub fn shipped(rel: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets").join(rel);
    assert!(path.is_file(), "{} is shipped in datasets/ and must exist", path.display());
    path
}

/// A file of the larger datasets outside the repository, or `None` (after a note on stderr)
/// when it is not there.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let root = std::env::var_os("CLOUT_DATASETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets"));
    let path = root.join(rel);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("skipping {rel}: {} not found (set CLOUT_DATASETS)", path.display());
        None
    }
}

/// Reads one graph file; a benchmark input that does not read is a failure.
pub fn read(path: &Path, cfg: &ReadConfig) -> Graph {
    let (loaded, _) = read_graph(&[Input::Path(path.to_path_buf())], cfg, None)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    loaded.graph
}

/// A directed R-MAT graph of `2^scale` nodes, Graph500's parameters (edge factor 16, seed 1).
pub fn rmat_graph(scale: u32) -> Graph {
    let cfg = RmatConfig { scale, ..RmatConfig::default() };
    clout_graph::build(rmat(&cfg).unwrap(), &BuildConfig::default(), GraphInfo::default()).unwrap()
}

/// The environment variable `name` parsed as a `T`, or `default` when unset or unparsable.
pub fn env_or<T: FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

/// The comma-separated numbers in `name`, or in `default` when it is unset.
pub fn env_list(name: &str, default: &str) -> Vec<u32> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// The `k` nodes of highest out-degree, ties by id (the peer comparison's seed rule).
pub fn top_out_degree(g: &Graph, k: usize) -> Vec<NodeId> {
    let mut nodes: Vec<NodeId> = g.nodes().collect();
    nodes.sort_by_key(|&u| (std::cmp::Reverse(g.out_degree(u)), u));
    nodes.truncate(k);
    nodes
}
