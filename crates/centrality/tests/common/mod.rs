//! Shared helpers for the API tests: a tiny edge-list parser (this crate cannot depend on
//! clout-ingest), a reader for the NetworkX fixtures made by `fixtures/make_fixtures.py`, a
//! thread-pool runner and the random-graph strategy of the property tests.

#![allow(dead_code)]

use std::ops::Range;
use std::path::PathBuf;

use clout_graph::{BuildConfig, EdgeList, EdgeReading, Graph, GraphInfo, NodeId};
use proptest::prelude::*;

/// A graph read from a file, with the original id of every dense id.
pub struct Loaded {
    /// The graph, arcs in the influence direction.
    pub graph: Graph,
    /// `original[dense]` = the id in the file; ascending, as clout's id map assigns them.
    pub original: Vec<u64>,
}

impl Loaded {
    /// The dense id of an original id.
    pub fn dense(&self, original: u64) -> NodeId {
        self.original.binary_search(&original).expect("id not in graph") as NodeId
    }
}

/// `datasets/<rel>` at the workspace root.
pub fn dataset(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../datasets").join(rel)
}

/// Reads a whitespace-separated edge list (`#` comments, optional third column as weight).
/// `Follows` stores line `A B` as the influence arc `B -> A`; `Undirected` stores `{A, B}`.
/// Dense ids are the original integer ids in ascending order.
pub fn load(rel: &str, reading: EdgeReading, weighted: bool) -> Loaded {
    let text = std::fs::read_to_string(dataset(rel)).expect("read dataset");
    let mut lines: Vec<(u64, u64, f64)> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let a: u64 = fields.next().unwrap().parse().unwrap();
        let b: u64 = fields.next().unwrap().parse().unwrap();
        let w: f64 = if weighted { fields.next().unwrap().parse().unwrap() } else { 1.0 };
        lines.push((a, b, w));
    }
    let mut original: Vec<u64> = lines.iter().flat_map(|&(a, b, _)| [a, b]).collect();
    original.sort_unstable();
    original.dedup();
    let dense = |id: u64| original.binary_search(&id).unwrap() as NodeId;
    let pairs: Vec<(NodeId, NodeId)> = lines
        .iter()
        .map(|&(a, b, _)| match reading {
            EdgeReading::Follows => (dense(b), dense(a)),
            EdgeReading::Influence | EdgeReading::Undirected => (dense(a), dense(b)),
        })
        .collect();
    let mut edges = EdgeList::from_pairs(original.len() as u32, &pairs);
    if weighted {
        edges.weights = Some(lines.iter().map(|l| l.2).collect());
    }
    let cfg =
        BuildConfig { directed: reading != EdgeReading::Undirected, ..BuildConfig::default() };
    let info = GraphInfo { reading, provenance: rel.into(), ..GraphInfo::default() };
    let graph = clout_graph::build(edges, &cfg, info).expect("build");
    Loaded { graph, original }
}

/// A fixture's rows `(original id, value)`, ascending by id.
pub fn fixture(name: &str) -> Vec<(u64, f64)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let text = std::fs::read_to_string(&path).expect("read fixture");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (id, value) = l.split_once('\t').expect("id<TAB>value");
            (id.parse().unwrap(), value.trim().parse().unwrap())
        })
        .collect()
}

/// A fixture's values laid out by the dense ids of `loaded` (every node must be present).
pub fn fixture_by_dense(loaded: &Loaded, name: &str) -> Vec<f64> {
    let rows = fixture(name);
    assert_eq!(rows.len(), loaded.original.len(), "{name}: fixture and graph node counts differ");
    let mut values = vec![f64::NAN; rows.len()];
    for (id, value) in rows {
        values[loaded.dense(id) as usize] = value;
    }
    values
}

/// Runs `f` on a rayon pool of `threads` threads.
pub fn with_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(f)
}

/// Random graphs for property tests: a node count drawn from `nodes`, up to `max_arcs` random
/// arcs among those nodes (the builder drops self-loops and merges duplicates), directed when
/// `directed` draws true.
pub fn arb_graph(
    nodes: Range<u32>,
    max_arcs: usize,
    directed: impl Strategy<Value = bool>,
) -> impl Strategy<Value = Graph> {
    let ids = 0..nodes.end;
    (nodes, proptest::collection::vec((ids.clone(), ids), 0..max_arcs), directed).prop_map(
        |(n, arcs, directed)| {
            let pairs: Vec<_> = arcs.into_iter().map(|(u, v)| (u % n, v % n)).collect();
            clout_graph::from_pairs(n, &pairs, directed)
        },
    )
}
