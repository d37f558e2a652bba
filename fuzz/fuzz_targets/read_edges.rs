//! The edge-list reader across formats and options. The first three bytes choose the
//! `ReadConfig` (reading, format, delimiter, header, ids, policies, bad-line skipping, block
//! size, weight and sign columns); the rest is the input text. A read must return a typed error
//! (whose message renders) or a graph that passes every invariant, survives a snapshot round
//! trip byte for byte, and does not depend on the block size.

#![no_main]

use clout_fuzz::{Bytes, check_loaded};
use clout_graph::{Duplicates, EdgeReading, SelfLoops};
use clout_ingest::read::{
    Column, DEFAULT_BLOCK_BYTES, Delimiter, Format, IdKind, ReadConfig, read_graph_from_reader,
};
use clout_ingest::snapshot::{open_snapshot_bytes, snapshot_to_bytes};
use libfuzzer_sys::fuzz_target;

fn config(b: &mut Bytes<'_>) -> ReadConfig {
    let (c0, c1, c2) = (b.byte(), b.byte(), b.byte());
    let header = c0 & 0x80 != 0;
    let column = |choice: u8| match choice {
        1 => Some(Column::Position(3)),
        2 => Some(Column::Position(4)),
        3 => Some(Column::Position(1)),
        4 if header => Some(Column::Name("w".into())),
        5 if header => Some(Column::Name("S".into())),
        _ => None,
    };
    let (mut src, mut dst) = if c2 & 0x80 != 0 && header {
        (Column::Name("a".into()), Column::Name("b".into()))
    } else {
        (Column::Position(1), Column::Position(2))
    };
    if c2 & 0x40 != 0 {
        std::mem::swap(&mut src, &mut dst);
    }
    ReadConfig {
        reading: [EdgeReading::Follows, EdgeReading::Influence, EdgeReading::Undirected]
            [usize::from(c0 & 3) % 3],
        format: [Format::EdgeList, Format::SnapSigned, Format::BitcoinCsv, Format::EdgeList]
            [usize::from(c0 >> 2 & 3)],
        delimiter: [
            Delimiter::Auto,
            Delimiter::Whitespace,
            Delimiter::Char(b','),
            Delimiter::Char(b';'),
            Delimiter::Char(b'\t'),
            Delimiter::Char(b'|'),
            Delimiter::Char(b' '),
            Delimiter::Auto,
        ][usize::from(c0 >> 4 & 7)],
        header,
        src,
        dst,
        weight: column(c2 & 7),
        sign: column(c2 >> 3 & 7),
        ids: [IdKind::Auto, IdKind::Integer, IdKind::String, IdKind::Auto][usize::from(c1 & 3)],
        self_loops: if c1 & 4 != 0 { SelfLoops::Keep } else { SelfLoops::Drop },
        duplicates: [Duplicates::Sum, Duplicates::First, Duplicates::Keep, Duplicates::Sum]
            [usize::from(c1 >> 3 & 3)],
        skip_bad_lines: c1 & 0x20 != 0,
        block_bytes: [DEFAULT_BLOCK_BYTES, 1, 16, 256][usize::from(c1 >> 6)],
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes::new(data);
    let cfg = config(&mut b);
    let text = b.rest();
    let name = std::path::Path::new("fuzz.txt");
    let (loaded, report) = match read_graph_from_reader("fuzz.txt", text, &cfg, None) {
        Ok(read) => read,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    check_loaded(&loaded);
    let g = &loaded.graph;
    let info = g.info();
    assert!(
        info.input_edges <= report.lines,
        "{} edges from {} lines",
        info.input_edges,
        report.lines
    );
    if let Some(w) = &g.out_adjacency().weights {
        assert!(w.iter().all(|x| x.is_finite()), "weights are finite");
    }
    if g.is_directed() {
        let accounted = g.arc_count() as u64 + info.self_loops_dropped + info.duplicates_merged;
        assert_eq!(accounted, info.input_edges, "every input edge is an arc, dropped or merged");
    }
    let bytes = snapshot_to_bytes(&loaded, name).expect("a graph that was read can be written");
    let reopened = open_snapshot_bytes(bytes.clone(), name)
        .expect("a graph that was read survives a snapshot round trip");
    assert_eq!(snapshot_to_bytes(&reopened, name).unwrap(), bytes);
    if cfg.block_bytes != DEFAULT_BLOCK_BYTES {
        // Block boundaries must not change the graph (with automatic ids the first block
        // decides the id kind, so a different block size may fail where this one succeeded).
        let whole = ReadConfig { block_bytes: DEFAULT_BLOCK_BYTES, ..cfg.clone() };
        if let Ok((again, _)) = read_graph_from_reader("fuzz.txt", text, &whole, None) {
            if cfg.ids != IdKind::Auto || again.ids.is_string() == loaded.ids.is_string() {
                assert_eq!(snapshot_to_bytes(&again, name).unwrap(), bytes, "block size matters");
            }
        }
    }
});
