//! Seeded synthetic graphs (always labelled synthetic): R-MAT arcs, built into a graph or
//! written as a text edge list.

use std::io::Write;

use clout_graph::generate::{RmatConfig, rmat};
use clout_graph::{BuildConfig, EdgeList, EdgeReading, GraphInfo, NodeId};
use clout_ingest::{IdMap, LoadedGraph};
use rayon::prelude::*;

use crate::error::{Result, Setting};
use crate::memory;

/// Lines formatted per parallel chunk of [`write_edge_list`].
const CHUNK: usize = 1 << 20;

/// Draws the arcs of `cfg` after validating it and checking the memory they need: the arcs
/// and, when `for_text`, the formatting buffers of [`write_edge_list`]; otherwise the peak of
/// building the graph.
pub fn rmat_arcs(cfg: &RmatConfig, for_text: bool) -> Result<EdgeList> {
    cfg.validate()?;
    let needed = if for_text {
        // 8 chunks of up to 2^20 lines of at most 22 bytes.
        cfg.memory_estimate()
            .saturating_add(cfg.arc_count().min(8 * CHUNK as u64).saturating_mul(22))
    } else {
        cfg.built_memory_estimate()
    };
    let what = format!("generating R-MAT scale {} with {} arcs", cfg.scale, cfg.arc_count());
    memory::check(needed, what, Setting::GeneratedSize)?;
    Ok(rmat(cfg)?)
}

/// Builds the arcs of [`rmat_arcs`] into a graph read as influence arcs (self-loops dropped,
/// duplicates merged), with identity ids and `cfg`'s description as provenance.
pub fn build_rmat(cfg: &RmatConfig, edges: EdgeList) -> Result<LoadedGraph> {
    let info = GraphInfo {
        reading: EdgeReading::Influence,
        synthetic: true,
        provenance: cfg.describe(),
        ..GraphInfo::default()
    };
    let n = edges.node_count;
    let graph = clout_graph::build(edges, &BuildConfig::default(), info)?;
    Ok(LoadedGraph { graph, ids: IdMap::identity(n) })
}

/// Writes `# header`, a column comment and then `u<TAB>v` lines (u influences v), formatted in
/// parallel chunks and written in order, so the file is the same at any thread count.
pub fn write_edge_list(
    w: &mut dyn Write,
    header: &str,
    src: &[NodeId],
    dst: &[NodeId],
) -> std::io::Result<()> {
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
