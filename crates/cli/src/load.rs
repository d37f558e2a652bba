//! Opening the GRAPH argument of any command, and the edge lists of `clout ingest`, with a
//! progress bar on a terminal and the reader's warnings on stderr.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clout::{LoadedGraph, Opened, ReadReport};

use crate::flags::InputArgs;
use crate::progress::bytes_bar;

/// Opens `path` (a snapshot or an edge list read with `input`'s flags; `-` is stdin).
pub fn open_graph(path: &Path, input: &InputArgs) -> Result<Opened> {
    let cfg = input.read_config()?;
    let bar = bytes_bar(clout::total_bytes(&[path]), "reading");
    let progress = |bytes: u64| bar.set_position(bytes);
    let result = clout::open_with_progress(path, &cfg, Some(&progress));
    bar.finish_and_clear();
    let opened = result?;
    if let Some(report) = &opened.report {
        warn_about(report);
    }
    Ok(opened)
}

/// Reads edge lists (never snapshots) with `input`'s flags into one graph.
pub fn read_edge_lists(paths: &[PathBuf], input: &InputArgs) -> Result<(LoadedGraph, ReadReport)> {
    let cfg = input.read_config()?;
    let files: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let bar = bytes_bar(clout::total_bytes(&files), "reading");
    let progress = |bytes: u64| bar.set_position(bytes);
    let result = clout::read_edge_lists(paths, &cfg, Some(&progress));
    bar.finish_and_clear();
    let (loaded, report) = result?;
    warn_about(&report);
    Ok((loaded, report))
}

/// Prints the reader's warnings (skipped lines, a re-read with string ids) on stderr.
fn warn_about(report: &ReadReport) {
    if report.bad_lines > 0 {
        eprintln!("warning: skipped {} bad lines; the first ones:", report.bad_lines);
        for bad in &report.bad_line_samples {
            eprintln!("  {}:{}: {}: `{}`", bad.file, bad.line, bad.problem, bad.text);
        }
    }
    if let Some(switch) = &report.string_ids_switch {
        eprintln!("note: {switch} (use --ids string or --ids integer to choose)");
    }
}
