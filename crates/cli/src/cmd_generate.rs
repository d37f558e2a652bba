//! `clout generate`: seeded synthetic graphs, written as a snapshot or a text edge list.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use clout::generate;
use clout::graph::generate::RmatConfig;

use crate::args::{GenerateArgs, GenerateKind, RmatArgs};
use crate::output::Outputs;
use crate::progress::spinner;

/// Runs `clout generate`.
pub fn run(args: GenerateArgs) -> Result<()> {
    match args.kind {
        GenerateKind::Rmat(a) => rmat_cmd(a),
    }
}

fn rmat_cmd(a: RmatArgs) -> Result<()> {
    let start = Instant::now();
    let cfg = RmatConfig {
        scale: a.scale,
        edge_factor: a.edge_factor,
        a: a.a,
        b: a.b,
        c: a.c,
        scramble: !a.no_scramble,
        seed: a.seed,
    };
    let text = is_text_name(&a.output);
    cfg.validate()?;
    // The output is checked (and its temporary file created) before any work.
    let (mut outputs, out) = Outputs::single(&[], &a.output)?;
    let bar = spinner("generating R-MAT arcs");
    let edges = generate::rmat_arcs(&cfg, text)?;
    bar.finish_and_clear();
    let generated = edges.len();
    if text {
        // Raw arcs, self-loops and duplicates included, as a real export would have them.
        outputs.write(out, |w| {
            Ok(generate::write_edge_list(w, &cfg.describe(), &edges.src, &edges.dst)?)
        })?;
        outputs.commit()?;
        eprintln!(
            "wrote {} arcs over {} nodes to {} (text, `u v` = u influences v; {}) in {:.2} s",
            generated,
            edges.node_count,
            a.output.display(),
            cfg.describe(),
            start.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    let loaded = generate::build_rmat(&cfg, edges)?;
    let bytes = clout::write_snapshot(outputs.file(out)?, &a.output, &loaded)
        .with_context(|| format!("cannot write snapshot {}", a.output.display()))?;
    outputs.commit()?;
    let info = loaded.graph.info();
    eprintln!(
        "wrote {} nodes, {} edges ({} generated; {} self-loops dropped, {} duplicates merged), {} bytes to {} in {:.2} s [{}]",
        loaded.graph.node_count(),
        loaded.graph.edge_count(),
        generated,
        info.self_loops_dropped,
        info.duplicates_merged,
        bytes,
        a.output.display(),
        start.elapsed().as_secs_f64(),
        info.provenance
    );
    Ok(())
}

/// Whether a file name asks for a text edge list rather than a snapshot.
fn is_text_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
        Some("txt" | "tsv" | "edges" | "el")
    )
}
