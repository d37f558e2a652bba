//! `clout ingest`: edge lists in, one snapshot out.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::args::IngestArgs;
use crate::load::read_edge_lists;
use crate::output::{Outputs, to_stdout};

/// The summary `clout ingest --json` prints.
#[derive(Serialize)]
struct IngestSummary {
    output: String,
    nodes: usize,
    edges: usize,
    reading: &'static str,
    ids: &'static str,
    input_edges: u64,
    self_loops_dropped: u64,
    duplicates_merged: u64,
    bad_lines_skipped: u64,
    input_bytes: u64,
    snapshot_bytes: u64,
    parse_seconds: f64,
    ids_seconds: f64,
    build_seconds: f64,
    write_seconds: f64,
    seconds: f64,
}

/// Runs `clout ingest`.
pub fn run(args: IngestArgs) -> Result<()> {
    let start = Instant::now();
    let inputs: Vec<Option<&Path>> = args.inputs.iter().map(|p| Some(p.as_path())).collect();
    let (outputs, out) = Outputs::single(&inputs, &args.output)?;
    let (loaded, report) = read_edge_lists(&args.inputs, &args.input)?;
    let write_start = Instant::now();
    let bytes = clout::write_snapshot(outputs.file(out)?, &args.output, &loaded)
        .with_context(|| format!("cannot write snapshot {}", args.output.display()))?;
    outputs.commit()?;
    let g = &loaded.graph;
    let info = g.info();
    let summary = IngestSummary {
        output: args.output.display().to_string(),
        nodes: g.node_count(),
        edges: g.edge_count(),
        reading: info.reading.name(),
        ids: if loaded.ids.is_string() { "string" } else { "integer" },
        input_edges: info.input_edges,
        self_loops_dropped: info.self_loops_dropped,
        duplicates_merged: info.duplicates_merged,
        bad_lines_skipped: report.bad_lines,
        input_bytes: report.bytes,
        snapshot_bytes: bytes,
        parse_seconds: report.parse_seconds,
        ids_seconds: report.ids_seconds,
        build_seconds: report.build_seconds,
        write_seconds: write_start.elapsed().as_secs_f64(),
        seconds: start.elapsed().as_secs_f64(),
    };
    if args.json {
        to_stdout(|w| {
            serde_json::to_writer_pretty(&mut *w, &summary)?;
            Ok(writeln!(w)?)
        })?;
    } else {
        let s = &summary;
        eprintln!(
            "{} nodes, {} edges ({}), {} self-loops dropped, {} duplicates merged, {} bad lines skipped; read {} bytes, wrote {} bytes to {} in {:.2} s ({:.1} MB/s, {:.2} M edges/s)",
            s.nodes,
            s.edges,
            s.reading,
            s.self_loops_dropped,
            s.duplicates_merged,
            s.bad_lines_skipped,
            s.input_bytes,
            s.snapshot_bytes,
            s.output,
            s.seconds,
            s.input_bytes as f64 / 1e6 / s.seconds.max(1e-9),
            s.input_edges as f64 / 1e6 / s.seconds.max(1e-9),
        );
    }
    Ok(())
}
