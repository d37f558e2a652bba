//! `clout generate`: seeded synthetic graphs, written as a snapshot or a text edge list.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use clout_graph::generate::{RmatConfig, rmat};
use clout_graph::{BuildConfig, EdgeReading, GraphInfo, NodeId};
use clout_ingest::{IdMap, LoadedGraph, snapshot};
use rayon::prelude::*;

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
    cfg.validate()?;
    let text = is_text_name(&a.output);
    // Text: the arcs plus the formatting buffers of one write (8 chunks of up to 2^20 lines of
    // at most 22 bytes); snapshot: the peak of building the graph.
    let needed = if text {
        cfg.memory_estimate().saturating_add(cfg.arc_count().min(8 << 20).saturating_mul(22))
    } else {
        cfg.built_memory_estimate()
    };
    let what = format!("generating R-MAT scale {} with {} arcs", cfg.scale, cfg.arc_count());
    crate::limits::check(needed, &what, "--scale or --edge-factor")?;
    // The output is checked (and its temporary file created) before any work.
    let (mut outputs, out) = Outputs::single(&[], &a.output)?;
    let bar = spinner("generating R-MAT arcs");
    let edges = rmat(&cfg)?;
    bar.finish_and_clear();
    let generated = edges.len();
    if text {
        // Raw arcs, self-loops and duplicates included, as a real export would have them.
        outputs.write(out, |w| write_edge_list(w, &cfg.describe(), &edges.src, &edges.dst))?;
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
    let info = GraphInfo {
        reading: EdgeReading::Influence,
        synthetic: true,
        provenance: cfg.describe(),
        ..GraphInfo::default()
    };
    let n = edges.node_count;
    let graph = clout_graph::build(edges, &BuildConfig::default(), info)?;
    let loaded = LoadedGraph { graph, ids: IdMap::identity(n) };
    let bytes = snapshot::write_snapshot_into(outputs.file(out)?, &a.output, &loaded)
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

/// Writes `# synthetic: ...` and then `u\tv` lines, formatted in parallel chunks and written in
/// order, so the file is the same at any thread count.
fn write_edge_list(w: &mut dyn Write, header: &str, src: &[NodeId], dst: &[NodeId]) -> Result<()> {
    const CHUNK: usize = 1 << 20;
    {
        writeln!(w, "# {header}")?;
        writeln!(w, "# u\tv  (u influences v; read with --edges influence)")?;
        for (s, d) in src.chunks(CHUNK * 8).zip(dst.chunks(CHUNK * 8)) {
            let parts: Vec<Vec<u8>> = s
                .par_chunks(CHUNK)
                .zip(d.par_chunks(CHUNK))
                .map(|(s, d)| {
                    let mut buf = Vec::with_capacity(s.len() * 16);
                    for (&u, &v) in s.iter().zip(d) {
                        push_u32(&mut buf, u);
                        buf.push(b'\t');
                        push_u32(&mut buf, v);
                        buf.push(b'\n');
                    }
                    buf
                })
                .collect();
            for part in parts {
                w.write_all(&part)?;
            }
        }
        Ok(())
    }
}

/// Appends the decimal digits of `x`.
fn push_u32(buf: &mut Vec<u8>, mut x: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (x % 10) as u8;
        x /= 10;
        if x == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_integers() {
        let mut buf = Vec::new();
        for x in [0u32, 7, 10, 4_294_967_295] {
            push_u32(&mut buf, x);
            buf.push(b' ');
        }
        assert_eq!(String::from_utf8(buf).unwrap(), "0 7 10 4294967295 ");
    }
}
