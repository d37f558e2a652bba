//! Helpers shared by the reader's API tests: writing inputs, reading them, and comparing arcs
//! and messages by original ids.
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use clout_graph::EdgeReading;
use clout_ingest::LoadedGraph;
use clout_ingest::read::{ReadConfig, ReadError, ReadReport, read_graph_from_reader};

/// Writes `bytes` to `dir/name`.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Reads `text` as an input named `edges.txt`.
pub fn read_text(text: &[u8], cfg: &ReadConfig) -> Result<(LoadedGraph, ReadReport), ReadError> {
    read_graph_from_reader("edges.txt", text, cfg, None)
}

/// The default configuration with the influence reading (`A B` stores `A -> B`).
pub fn influence() -> ReadConfig {
    ReadConfig { reading: EdgeReading::Influence, ..ReadConfig::default() }
}

/// Arcs as (original source, original target), sorted.
pub fn arcs(loaded: &LoadedGraph) -> Vec<(String, String)> {
    let name = |u| loaded.ids.original(u).to_string();
    let mut out: Vec<_> = loaded.graph.arcs().map(|(u, v)| (name(u), name(v))).collect();
    out.sort();
    out
}

/// Pairs of names, sorted, to compare with [`arcs`].
pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<_> = list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    out.sort();
    out
}

/// The message of a read that must fail.
pub fn error_of(result: Result<(LoadedGraph, ReadReport), ReadError>) -> String {
    match result {
        Ok((g, _)) => panic!("expected an error, read {} arcs", g.graph.arc_count()),
        Err(e) => e.to_string(),
    }
}

/// Asserts that the message starts with `file:line: ` and contains every fragment.
pub fn assert_line_error(message: &str, file: &str, line: u64, fragments: &[&str]) {
    assert!(message.starts_with(&format!("{file}:{line}: ")), "wrong file/line: {message}");
    for f in fragments {
        assert!(message.contains(f), "missing {f:?} in: {message}");
    }
}
