//! Helpers shared by the reader's API tests: finding datasets, writing inputs, reading them, and
//! comparing arcs and messages by original ids.
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use clout_graph::EdgeReading;
use clout_ingest::LoadedGraph;
use clout_ingest::read::{ReadConfig, ReadError, ReadReport, read_graph_from_reader};

/// A file shipped in the repository's `datasets/` folder. The folder is part of the repository,
/// so a missing file is a failure, never a skip.
pub fn dataset(rel: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets").join(rel);
    assert!(path.is_file(), "{} is shipped in datasets/ and must exist", path.display());
    path
}

/// The environment variable that lets tests needing the shared data folder skip when it is
/// missing. CI never sets it.
pub const ALLOW_MISSING_SHARED: &str = "CLOUT_ALLOW_MISSING_SHARED";

/// A file of the larger datasets kept outside the repository, in `$CLOUT_DATASETS` or else
/// `../shared/datasets` beside the workspace.
///
/// A missing file fails the test with a message saying where it was looked for. Only when
/// `CLOUT_ALLOW_MISSING_SHARED=1` does this return `None` instead, after writing a
/// `SKIPPED (../shared/datasets missing)` line straight to stderr, past the test harness's
/// capture, so the skip shows in a plain `cargo test` run.
pub fn shared_dataset(rel: &str) -> Option<PathBuf> {
    let root = std::env::var_os("CLOUT_DATASETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets"));
    let path = root.join(rel);
    if path.is_file() {
        return Some(path);
    }
    if std::env::var(ALLOW_MISSING_SHARED).as_deref() == Ok("1") {
        let _ = writeln!(
            std::io::stderr().lock(),
            "SKIPPED (../shared/datasets missing): {} not found",
            path.display()
        );
        return None;
    }
    panic!(
        "{} not found: this test reads the shared datasets in ../shared/datasets (or the folder \
         named by CLOUT_DATASETS); provide them, or set {ALLOW_MISSING_SHARED}=1 to skip locally",
        path.display()
    )
}

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
