//! Snapshots, structure-aware. The input first describes a small graph (direction, weights,
//! signs, id kind, policies, arcs, ids, provenance), which is written as a valid snapshot; then
//! a few mutations (a byte, a header field nudged, a section entry copied or shifted, the
//! length changed); then whether to recompute the checksums, so the fuzzer gets past them.
//!
//! Opening must give a typed error or a graph that passes every invariant and is exactly the
//! file: writing the opened graph gives the mutated bytes back (so a change nothing checks
//! cannot exist). Without recomputed checksums every change must be an error, and the mapped
//! and streamed readers must agree.

#![no_main]

use std::path::Path;

use clout_fuzz::{Bytes, check_loaded};
use clout_graph::{BuildConfig, Duplicates, EdgeList, EdgeReading, GraphInfo, SelfLoops, Slab};
use clout_ingest::snapshot::{
    HEADER_SIZE, SnapshotError, open_snapshot_bytes, read_snapshot, snapshot_to_bytes,
};
use clout_ingest::{IdMap, LoadedGraph};
use libfuzzer_sys::fuzz_target;
use xxhash_rust::xxh3::xxh3_64;

/// A small graph described by the input.
fn graph(b: &mut Bytes<'_>) -> LoadedGraph {
    let flags = b.byte();
    let n = u32::from(b.byte() % 12);
    let m = if n == 0 { 0 } else { usize::from(b.byte() % 32) };
    let (weighted, signed) = (flags & 2 != 0, flags & 4 != 0);
    let mut edges =
        EdgeList { node_count: n, src: vec![], dst: vec![], weights: None, signs: None };
    let (mut weights, mut signs) = (vec![], vec![]);
    for _ in 0..m {
        let (u, v, attr) = (b.byte(), b.byte(), b.byte());
        edges.src.push(u32::from(u) % n);
        edges.dst.push(u32::from(v) % n);
        weights.push(f64::from(attr as i8) / 4.0);
        signs.push(if attr & 1 == 0 { 1 } else { -1 });
    }
    edges.weights = weighted.then_some(weights);
    edges.signs = signed.then_some(signs);
    let cfg = BuildConfig {
        directed: flags & 1 == 0,
        self_loops: if flags & 16 != 0 { SelfLoops::Keep } else { SelfLoops::Drop },
        duplicates: [Duplicates::Sum, Duplicates::First, Duplicates::Keep]
            [usize::from(flags >> 5) % 3],
    };
    let reading = if cfg.directed {
        [EdgeReading::Follows, EdgeReading::Influence][usize::from(flags >> 7)]
    } else {
        EdgeReading::Undirected
    };
    let provenance_len = usize::from(b.byte() % 16);
    let provenance = String::from_utf8_lossy(b.take(provenance_len)).into_owned();
    let info =
        GraphInfo { reading, synthetic: flags & 64 != 0, provenance, ..GraphInfo::default() };
    let graph = clout_graph::build(edges, &cfg, info).expect("arcs are in range");
    let ids = if flags & 8 != 0 {
        let mut offsets = vec![0u64];
        let mut bytes = Vec::new();
        for i in 0..n {
            // Sorted, distinct, some multi-byte: "a", "b", ... with a suffix from the input.
            bytes.extend_from_slice(
                format!("{}{}", char::from(b'a' + i as u8), "é".repeat(usize::from(b.byte() % 3)))
                    .as_bytes(),
            );
            offsets.push(bytes.len() as u64);
        }
        IdMap::String { offsets: Slab::from_vec(offsets), bytes: Slab::from_vec(bytes) }
    } else {
        let mut id = 0u64;
        let ids = (0..n)
            .map(|_| {
                id += 1 + u64::from(b.byte());
                id
            })
            .collect();
        IdMap::Integer(Slab::from_vec(ids))
    };
    LoadedGraph { graph, ids }
}

fn get_u64(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())
}

fn put_u64(bytes: &mut [u8], at: usize, value: u64) {
    bytes[at..at + 8].copy_from_slice(&value.to_le_bytes());
}

/// Applies one mutation chosen by the input.
fn mutate(b: &mut Bytes<'_>, bytes: &mut Vec<u8>) {
    let len = bytes.len();
    let kind = b.byte() % 5;
    if len < HEADER_SIZE && kind < 4 {
        return;
    }
    match kind {
        // Any byte.
        0 => {
            let at = usize::from(b.u16()) % len;
            bytes[at] = b.byte();
        }
        // A header field (u64 slot), nudged by a small signed amount.
        1 => {
            let at = 8 * (usize::from(b.byte()) % (HEADER_SIZE / 8 - 1));
            let delta = i64::from(b.byte() as i8);
            let value = get_u64(bytes, at).wrapping_add_signed(delta);
            put_u64(bytes, at, value);
        }
        // A section-table field (offset, length or count) set from another one, or shifted by
        // one element or one alignment unit.
        2 => {
            let field = |i: u8| 88 + 8 * (usize::from(i) % 36);
            let (to, from) = (field(b.byte()), field(b.byte()));
            let shift = [0i64, 1, -1, 4, -4, 8, -8, 64, -64][usize::from(b.byte()) % 9];
            let value = get_u64(bytes, from).wrapping_add_signed(shift);
            put_u64(bytes, to, value);
        }
        // A data byte, set to a value from the arcs' own vocabulary.
        3 => {
            let at = HEADER_SIZE + usize::from(b.u16()) % (len - HEADER_SIZE).max(1);
            if at < len {
                bytes[at] = [0, 1, 2, 0xff, 0x80, 0x7f, 3][usize::from(b.byte()) % 7];
            }
        }
        // The length: cut or extended with zeros.
        _ => {
            let change = usize::from(b.byte()) % 130;
            if b.byte() & 1 == 0 {
                bytes.truncate(len - change.min(len));
            } else {
                bytes.resize(len + change, 0);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes::new(data);
    let original = graph(&mut b);
    let name = Path::new("fuzz.clout");
    let valid = snapshot_to_bytes(&original, name).expect("a built graph can be written");
    let mut bytes = valid.clone();
    for _ in 0..b.byte() % 6 {
        mutate(&mut b, &mut bytes);
    }
    let fix = b.byte() % 3;
    if fix > 0 && bytes.len() >= HEADER_SIZE {
        if fix == 2 {
            let sum = xxh3_64(&bytes[HEADER_SIZE..]);
            put_u64(&mut bytes, 80, sum);
        }
        let sum = xxh3_64(&bytes[..HEADER_SIZE - 8]);
        put_u64(&mut bytes, HEADER_SIZE - 8, sum);
    }
    let opened = open_snapshot_bytes(bytes.clone(), name);
    let streamed = read_snapshot(&bytes[..], name, u64::MAX);
    match (&opened, &streamed) {
        (Ok(_), Ok(_)) => {}
        // The stream reader reads no further than the recorded length and checks the section
        // table against it before reading on, so its messages about lengths may differ, and a
        // file both short and inconsistent may be reported either way; otherwise the kind of
        // error may not differ.
        (Err(a), Err(b)) => {
            let short = |e: &SnapshotError| matches!(e, SnapshotError::TooShort { .. });
            if !short(a) && !short(b) {
                assert_eq!(
                    std::mem::discriminant(a),
                    std::mem::discriminant(b),
                    "same kind of error either way: {a} / {b}"
                );
            }
        }
        _ => panic!(
            "in-memory and streamed opening disagree: {:?} / {:?}",
            opened.as_ref().err(),
            streamed.as_ref().err()
        ),
    }
    match opened {
        Ok(g) => {
            check_loaded(&g);
            let rewritten = snapshot_to_bytes(&g, name).expect("an opened graph can be written");
            assert!(rewritten == bytes, "a snapshot that opens is exactly the file of its graph");
            if fix == 0 {
                assert!(bytes == valid, "without recomputed checksums every change is an error");
            }
        }
        Err(e) => {
            assert!(e.to_string().contains("fuzz.clout"), "{e}");
            assert!(bytes != valid, "a valid snapshot opens: {e}");
        }
    }
});
