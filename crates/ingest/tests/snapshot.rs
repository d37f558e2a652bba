//! API tests for clout's binary snapshot: round trips of every graph kind, determinism, and a
//! typed error (never a panic, never silent success) for every truncation, every flipped byte
//! and every crafted hostile header. Header offsets used here are the documented layout (see
//! the `clout_ingest::snapshot` module documentation), so these tests also pin the format.

use std::path::{Path, PathBuf};

use clout_graph::generate::{RmatConfig, rmat};
use clout_graph::{
    Adjacency, BuildConfig, Duplicates, EdgeList, EdgeReading, GraphInfo, SelfLoops, Slab, build,
    from_pairs,
};
use clout_ingest::snapshot::{
    HEADER_SIZE, MAGIC, SnapshotError, VERSION, is_snapshot, open_snapshot, write_snapshot,
};
use clout_ingest::{IdMap, LoadedGraph};
use proptest::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

// ---------------------------------------------------------------------------------------------
// Documented header offsets.

const VERSION_AT: usize = 8;
const FLAGS_AT: usize = 12;
const NODE_COUNT_AT: usize = 16;
const ARC_COUNT_AT: usize = 24;
const READING_AT: usize = 32;
const SELF_LOOPS_KEPT_AT: usize = 56;
const FILE_LEN_AT: usize = 72;
const DATA_CHECKSUM_AT: usize = 80;
const SECTIONS_AT: usize = 88;
const RESERVED_AT: usize = 376;
const HEADER_CHECKSUM_AT: usize = 440;

/// Section indices, as in the documented section table.
const OUT_OFFSETS: usize = 0;
const OUT_TARGETS: usize = 1;
const IN_OFFSETS: usize = 2;
const IN_SOURCES: usize = 3;
const OUT_WEIGHTS: usize = 4;
const IN_WEIGHTS: usize = 5;
const OUT_SIGNS: usize = 6;
const IN_SIGNS: usize = 7;
const ID_STRING_BYTES: usize = 10;
const PROVENANCE: usize = 11;

fn get_u64(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())
}

fn put_u64(bytes: &mut [u8], at: usize, value: u64) {
    bytes[at..at + 8].copy_from_slice(&value.to_le_bytes());
}

fn put_u32(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// (offset, bytes, count) of section `i`.
fn section(bytes: &[u8], i: usize) -> (u64, u64, u64) {
    let at = SECTIONS_AT + 24 * i;
    (get_u64(bytes, at), get_u64(bytes, at + 8), get_u64(bytes, at + 16))
}

fn set_section(bytes: &mut [u8], i: usize, (offset, len, count): (u64, u64, u64)) {
    let at = SECTIONS_AT + 24 * i;
    put_u64(bytes, at, offset);
    put_u64(bytes, at + 8, len);
    put_u64(bytes, at + 16, count);
}

/// Recomputes the header checksum so a crafted header gets past it.
fn fix_header_checksum(bytes: &mut [u8]) {
    let sum = xxh3_64(&bytes[..HEADER_CHECKSUM_AT]);
    put_u64(bytes, HEADER_CHECKSUM_AT, sum);
}

/// Recomputes both checksums so crafted data reaches the graph and id-map checks.
fn fix_checksums(bytes: &mut [u8]) {
    let sum = xxh3_64(&bytes[HEADER_SIZE..]);
    put_u64(bytes, DATA_CHECKSUM_AT, sum);
    fix_header_checksum(bytes);
}

// ---------------------------------------------------------------------------------------------
// Graphs.

fn string_ids(ids: &[&str]) -> IdMap {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    let mut offsets = vec![0u64];
    let mut bytes = Vec::new();
    for s in sorted {
        bytes.extend_from_slice(s.as_bytes());
        offsets.push(bytes.len() as u64);
    }
    IdMap::String { offsets: Slab::from_vec(offsets), bytes: Slab::from_vec(bytes) }
}

fn handles(n: usize) -> IdMap {
    let names: Vec<String> = (0..n).map(|i| format!("@user{i:05}")).collect();
    string_ids(&names.iter().map(String::as_str).collect::<Vec<_>>())
}

/// A directed, weighted, signed graph with string ids, kept self-loops, merged duplicates and a
/// non-ASCII provenance: every section and every info field is non-trivial.
fn everything_graph() -> LoadedGraph {
    let edges = EdgeList {
        node_count: 6,
        src: vec![0, 1, 2, 3, 3, 4, 5, 0, 2, 0],
        dst: vec![1, 2, 0, 3, 4, 5, 0, 1, 4, 5],
        weights: Some(vec![0.5, 1.25, -2.0, 3.0, f64::MIN_POSITIVE, 1e300, 0.1, 0.25, 7.0, 8.0]),
        signs: Some(vec![1, -1, 1, 1, -1, -1, 1, 1, -1, 1]),
    };
    let cfg =
        BuildConfig { directed: true, self_loops: SelfLoops::Keep, duplicates: Duplicates::Sum };
    let info = GraphInfo {
        reading: EdgeReading::Follows,
        synthetic: true,
        provenance: "votes.csv — Zoë's export".into(),
        ..GraphInfo::default()
    };
    let graph = build(edges, &cfg, info).unwrap();
    let ids = string_ids(&["@alice", "@bob", "Zoë", "carol", "dave", "émile"]);
    LoadedGraph { graph, ids }
}

fn integer_graph() -> LoadedGraph {
    let graph = from_pairs(5, &[(0, 1), (1, 2), (2, 0), (3, 4), (4, 3), (0, 4)], true);
    let ids = IdMap::Integer(Slab::from_vec(vec![3, 7, 8297, 1 << 40, u64::MAX]));
    LoadedGraph { graph, ids }
}

fn undirected_graph() -> LoadedGraph {
    let edges = EdgeList {
        node_count: 5,
        src: vec![0, 1, 2, 3, 1],
        dst: vec![1, 2, 3, 3, 0],
        weights: Some(vec![1.0, 2.0, 3.0, 4.0, 5.0]),
        signs: Some(vec![1, -1, 1, -1, -1]),
    };
    let cfg =
        BuildConfig { directed: false, self_loops: SelfLoops::Keep, ..BuildConfig::default() };
    let info = GraphInfo { reading: EdgeReading::Undirected, ..GraphInfo::default() };
    LoadedGraph { graph: build(edges, &cfg, info).unwrap(), ids: handles(5) }
}

fn rmat_graph(scale: u32, edge_factor: u32) -> LoadedGraph {
    let cfg = RmatConfig { scale, edge_factor, ..RmatConfig::default() };
    let info = GraphInfo {
        reading: EdgeReading::Influence,
        synthetic: true,
        provenance: cfg.describe(),
        ..GraphInfo::default()
    };
    let graph = build(rmat(&cfg).unwrap(), &BuildConfig::default(), info).unwrap();
    let ids = IdMap::identity(graph.node_count() as u32);
    LoadedGraph { graph, ids }
}

// ---------------------------------------------------------------------------------------------
// Comparison.

fn assert_same_adjacency(name: &str, a: &Adjacency, b: &Adjacency) {
    assert_eq!(&*a.offsets, &*b.offsets, "{name} offsets");
    assert_eq!(&*a.targets, &*b.targets, "{name} targets");
    // Weights are compared bit for bit: a snapshot stores them, it does not compute them.
    let bits = |w: &Option<Slab<f64>>| {
        w.as_ref().map(|w| w.iter().map(|x| x.to_bits()).collect::<Vec<_>>())
    };
    assert_eq!(bits(&a.weights), bits(&b.weights), "{name} weights");
    assert_eq!(a.signs.as_deref(), b.signs.as_deref(), "{name} signs");
}

/// `opened` equals `original` in every array, id and info field, and views the file in place.
fn assert_same(original: &LoadedGraph, opened: &LoadedGraph) {
    let (a, b) = (&original.graph, &opened.graph);
    assert_eq!(a.node_count(), b.node_count());
    assert_eq!(a.arc_count(), b.arc_count());
    assert_eq!(a.edge_count(), b.edge_count());
    assert_eq!(a.is_directed(), b.is_directed());
    assert_eq!(a.info(), b.info());
    assert_same_adjacency("out", a.out_adjacency(), b.out_adjacency());
    assert_same_adjacency("in", a.in_adjacency(), b.in_adjacency());
    assert_eq!(original.ids.len(), opened.ids.len());
    assert_eq!(original.ids.is_string(), opened.ids.is_string());
    for u in a.nodes() {
        assert_eq!(original.ids.original(u), opened.ids.original(u));
    }
    // Nothing was copied: every array is a view of the map.
    let out = b.out_adjacency();
    assert!(out.offsets.is_shared() && out.targets.is_shared());
    assert!(out.weights.as_ref().is_none_or(Slab::is_shared));
    assert!(out.signs.as_ref().is_none_or(Slab::is_shared));
    assert!(b.in_adjacency().targets.is_shared());
    assert_eq!(opened.ids.owned_bytes(), 0);
}

fn round_trip(original: &LoadedGraph) -> LoadedGraph {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.clout");
    let len = write_snapshot(&path, original).unwrap();
    assert_eq!(len, std::fs::metadata(&path).unwrap().len());
    assert!(is_snapshot(&path).unwrap());
    let opened = open_snapshot(&path).unwrap();
    assert_same(original, &opened);
    opened
}

/// Snapshot bytes of `g`.
fn snapshot_bytes(g: &LoadedGraph) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.clout");
    write_snapshot(&path, g).unwrap();
    std::fs::read(&path).unwrap()
}

/// Writes `bytes` to a fresh file and opens it.
fn open_bytes(bytes: &[u8]) -> Result<LoadedGraph, SnapshotError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crafted.clout");
    std::fs::write(&path, bytes).unwrap();
    open_snapshot(&path)
}

// ---------------------------------------------------------------------------------------------
// Round trips.

#[test]
fn round_trips_directed_weighted_signed_string_ids() {
    let g = everything_graph();
    assert!(g.graph.info().self_loops_kept > 0 && g.graph.info().duplicates_merged > 0);
    let opened = round_trip(&g);
    assert_eq!(opened.ids.lookup("Zoë"), g.ids.lookup("Zoë"));
    assert_eq!(opened.graph.info().provenance, "votes.csv — Zoë's export");
}

#[test]
fn round_trips_integer_ids() {
    let opened = round_trip(&integer_graph());
    assert_eq!(opened.ids.lookup("18446744073709551615"), Some(4));
}

#[test]
fn round_trips_undirected_storing_adjacency_once() {
    let g = undirected_graph();
    let opened = round_trip(&g);
    assert!(!opened.graph.is_directed());
    assert_eq!(opened.graph.edge_count(), g.graph.edge_count());
    let bytes = snapshot_bytes(&g);
    for in_section in [2, 3, 5, 7] {
        assert_eq!(section(&bytes, in_section), (0, 0, 0), "in-section {in_section} stored");
    }
}

#[test]
fn round_trips_empty_graphs() {
    for directed in [true, false] {
        let graph = from_pairs(0, &[], directed);
        round_trip(&LoadedGraph { graph: graph.clone(), ids: IdMap::identity(0) });
        round_trip(&LoadedGraph { graph, ids: string_ids(&[]) });
    }
}

#[test]
fn round_trips_isolated_nodes_and_no_edges() {
    round_trip(&LoadedGraph { graph: from_pairs(7, &[], true), ids: handles(7) });
    round_trip(&LoadedGraph { graph: from_pairs(10, &[(9, 2)], true), ids: IdMap::identity(10) });
}

#[test]
fn round_trips_rmat() {
    round_trip(&rmat_graph(10, 8));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_graphs_round_trip_byte_identically(
        n in 1u32..24,
        pairs in proptest::collection::vec((0u32..24, 0u32..24), 0..64),
        weighted in any::<bool>(),
        signed in any::<bool>(),
        directed in any::<bool>(),
        strings in any::<bool>(),
    ) {
        let pairs: Vec<_> = pairs.into_iter().map(|(u, v)| (u % n, v % n)).collect();
        let mut edges = EdgeList::from_pairs(n, &pairs);
        if weighted {
            edges.weights = Some((0..pairs.len()).map(|i| i as f64 / 3.0).collect());
        }
        if signed {
            edges.signs = Some((0..pairs.len()).map(|i| if i % 3 == 0 { -1 } else { 1 }).collect());
        }
        let cfg = BuildConfig { directed, ..BuildConfig::default() };
        let graph = build(edges, &cfg, GraphInfo::default()).unwrap();
        let ids = if strings { handles(n as usize) } else { IdMap::identity(n) };
        let g = LoadedGraph { graph, ids };
        let opened = round_trip(&g);
        prop_assert_eq!(snapshot_bytes(&g), snapshot_bytes(&opened));
    }
}

// ---------------------------------------------------------------------------------------------
// Determinism.

#[test]
fn writing_twice_gives_identical_bytes() {
    for g in [everything_graph(), integer_graph(), undirected_graph(), rmat_graph(9, 8)] {
        let first = snapshot_bytes(&g);
        assert_eq!(first, snapshot_bytes(&g));
        // A graph viewed from a snapshot writes the same file again.
        assert_eq!(first, snapshot_bytes(&round_trip(&g)));
    }
}

#[test]
fn snapshot_is_identical_at_any_thread_count() {
    let at = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| snapshot_bytes(&rmat_graph(11, 8)))
    };
    assert_eq!(at(1), at(2));
}

#[test]
fn layout_matches_the_documentation() {
    let bytes = snapshot_bytes(&everything_graph());
    assert_eq!(&bytes[..8], &MAGIC);
    assert_eq!(u32::from_le_bytes(bytes[VERSION_AT..VERSION_AT + 4].try_into().unwrap()), VERSION);
    assert_eq!(bytes[FLAGS_AT], 0b11111, "directed, weighted, signed, string ids, synthetic");
    assert_eq!(get_u64(&bytes, NODE_COUNT_AT), 6);
    assert_eq!(get_u64(&bytes, FILE_LEN_AT), bytes.len() as u64);
    assert!(bytes[RESERVED_AT..HEADER_CHECKSUM_AT].iter().all(|&b| b == 0));
    assert_eq!(get_u64(&bytes, DATA_CHECKSUM_AT), xxh3_64(&bytes[HEADER_SIZE..]));
    assert_eq!(get_u64(&bytes, HEADER_CHECKSUM_AT), xxh3_64(&bytes[..HEADER_CHECKSUM_AT]));
    let (offset, len, count) = section(&bytes, OUT_OFFSETS);
    assert_eq!((offset, len, count), (HEADER_SIZE as u64, 7 * 8, 7));
    let mut end = HEADER_SIZE as u64;
    for i in 0..12 {
        let (offset, len, _) = section(&bytes, i);
        if i == 8 {
            assert_eq!(section(&bytes, i), (0, 0, 0), "integer ids absent");
            continue;
        }
        assert_eq!(offset, end.next_multiple_of(64), "section {i} placement");
        assert!(bytes[end as usize..offset as usize].iter().all(|&b| b == 0), "padding zeroed");
        end = offset + len;
    }
    assert_eq!(end, bytes.len() as u64);
    let (offset, len, _) = section(&bytes, OUT_TARGETS);
    let targets: Vec<u32> = bytes[offset as usize..(offset + len) as usize]
        .chunks(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
        .collect();
    assert_eq!(targets, everything_graph().graph.out_adjacency().targets.to_vec());
}

// ---------------------------------------------------------------------------------------------
// Corruption: truncation and flipped bytes.

#[test]
fn every_truncation_is_too_short() {
    let bytes = snapshot_bytes(&everything_graph());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.clout");
    for cut in 0..bytes.len() {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        match open_snapshot(&path) {
            Err(SnapshotError::TooShort { found, .. }) => assert_eq!(found, cut as u64),
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
}

#[test]
fn trailing_bytes_are_refused() {
    let mut bytes = snapshot_bytes(&integer_graph());
    bytes.push(0);
    assert!(matches!(open_bytes(&bytes), Err(SnapshotError::Invalid { .. })));
}

#[test]
fn every_flipped_byte_is_caught() {
    for g in [everything_graph(), undirected_graph()] {
        let bytes = snapshot_bytes(&g);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("flipped.clout");
        for at in 0..bytes.len() {
            for mask in [0x01u8, 0x80, 0xff] {
                let mut flipped = bytes.clone();
                flipped[at] ^= mask;
                std::fs::write(&path, &flipped).unwrap();
                let result = open_snapshot(&path);
                let ok = match (&result, at) {
                    (Err(SnapshotError::BadMagic { .. }), 0..8) => true,
                    (Err(SnapshotError::UnsupportedVersion { .. }), 8..12) => true,
                    (Err(SnapshotError::HeaderChecksum { .. }), 12..HEADER_SIZE) => true,
                    (Err(SnapshotError::DataChecksum { .. }), _) => at >= HEADER_SIZE,
                    _ => false,
                };
                assert!(ok, "byte {at} ^ {mask:#x}: {:?}", result.map(|_| "opened"));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Crafted headers: version, magic, hostile sizes, inconsistent contents.

#[test]
fn wrong_version_is_typed() {
    let mut bytes = snapshot_bytes(&integer_graph());
    put_u32(&mut bytes, VERSION_AT, 2);
    match open_bytes(&bytes) {
        Err(SnapshotError::UnsupportedVersion { found: 2, supported: 1, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_magic_and_non_snapshots() {
    let mut bytes = snapshot_bytes(&integer_graph());
    bytes[..8].copy_from_slice(b"CLOUTSNQ");
    assert!(matches!(open_bytes(&bytes), Err(SnapshotError::BadMagic { .. })));

    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("edges.txt");
    std::fs::write(&text, "0 1\n1 2\n".repeat(100)).unwrap();
    assert!(!is_snapshot(&text).unwrap());
    assert!(matches!(open_snapshot(&text), Err(SnapshotError::BadMagic { .. })));
    let short = dir.path().join("short.txt");
    std::fs::write(&short, "0 1\n").unwrap();
    assert!(!is_snapshot(&short).unwrap());
    assert!(matches!(open_snapshot(&short), Err(SnapshotError::BadMagic { .. })));
    let empty = dir.path().join("empty");
    std::fs::write(&empty, b"").unwrap();
    assert!(!is_snapshot(&empty).unwrap());
    assert!(matches!(open_snapshot(&empty), Err(SnapshotError::TooShort { found: 0, .. })));
    let missing = dir.path().join("missing.clout");
    assert!(is_snapshot(&missing).is_err());
    assert!(matches!(open_snapshot(&missing), Err(SnapshotError::Io { .. })));
}

/// Applies `craft` to a valid snapshot, fixes the header checksum, and opens it.
fn open_crafted(craft: impl FnOnce(&mut Vec<u8>)) -> Result<LoadedGraph, SnapshotError> {
    let mut bytes = snapshot_bytes(&everything_graph());
    craft(&mut bytes);
    fix_header_checksum(&mut bytes);
    open_bytes(&bytes)
}

#[test]
fn hostile_sizes_are_typed_errors() {
    use SnapshotError::*;
    let huge = |r: Result<LoadedGraph, SnapshotError>| r.map(|_| "opened");
    // Node and arc counts beyond anything the file holds.
    assert!(matches!(
        huge(open_crafted(|b| put_u64(b, NODE_COUNT_AT, u64::MAX))),
        Err(Invalid { .. })
    ));
    assert!(matches!(
        huge(open_crafted(|b| put_u64(b, NODE_COUNT_AT, u32::MAX as u64))),
        Err(Invalid { .. })
    ));
    assert!(matches!(
        huge(open_crafted(|b| put_u64(b, ARC_COUNT_AT, 1 << 62))),
        Err(Invalid { .. })
    ));
    // A section claiming (almost) 2^64 bytes, with a consistent count and arc count.
    let r = open_crafted(|b| {
        let (offset, _, _) = section(b, OUT_TARGETS);
        let count = u64::MAX / 4;
        set_section(b, OUT_TARGETS, (offset, count * 4, count));
        put_u64(b, ARC_COUNT_AT, count);
    });
    assert!(matches!(huge(r), Err(SectionOutOfBounds { name: "out-targets", .. })));
    // offset + bytes overflows u64.
    let r = open_crafted(|b| set_section(b, OUT_WEIGHTS, (u64::MAX - 63, 64, 8)));
    assert!(matches!(huge(r), Err(SectionOutOfBounds { name: "out-weights", .. })));
    // A count whose byte size overflows u64, with a small byte length.
    let r = open_crafted(|b| {
        let (offset, len, _) = section(b, OUT_WEIGHTS);
        set_section(b, OUT_WEIGHTS, (offset, len, u64::MAX / 2));
    });
    assert!(matches!(huge(r), Err(Invalid { .. })));
    // The recorded file length.
    // (Checked against the section table before the actual length, as a stream must.)
    let r = open_crafted(|b| put_u64(b, FILE_LEN_AT, u64::MAX));
    let r = huge(r);
    assert!(
        matches!(&r, Err(Invalid { reason, .. }) if reason.contains("the recorded length is")),
        "{:?}",
        r.err()
    );
    // Huge id-string and provenance sections.
    let r = open_crafted(|b| {
        let (offset, _, _) = section(b, ID_STRING_BYTES);
        set_section(b, ID_STRING_BYTES, (offset, 1 << 50, 1 << 50));
    });
    assert!(matches!(huge(r), Err(SectionOutOfBounds { name: "id-string-bytes", .. })));
    let r = open_crafted(|b| {
        let (offset, _, _) = section(b, PROVENANCE);
        set_section(b, PROVENANCE, (offset, u64::MAX - offset, u64::MAX - offset));
    });
    assert!(matches!(huge(r), Err(SectionOutOfBounds { name: "provenance", .. })));
}

#[test]
fn inconsistent_headers_are_typed_errors() {
    use SnapshotError::*;
    let r = |craft: fn(&mut Vec<u8>)| open_crafted(craft).map(|_| "opened");
    // Misaligned, overlapping, and out-of-order sections.
    assert!(matches!(
        r(|b| {
            let (offset, len, count) = section(b, IN_SOURCES);
            set_section(b, IN_SOURCES, (offset + 8, len, count));
        }),
        Err(Misaligned { name: "in-sources", .. })
    ));
    assert!(matches!(
        r(|b| {
            let (offset, _, _) = section(b, OUT_OFFSETS);
            let (_, len, count) = section(b, OUT_TARGETS);
            set_section(b, OUT_TARGETS, (offset, len, count));
        }),
        Err(SectionOutOfBounds { name: "out-targets", .. })
    ));
    assert!(matches!(
        r(|b| set_section(b, OUT_OFFSETS, (0, 56, 7))),
        Err(SectionOutOfBounds { .. })
    ));
    // Counts that disagree with the header or with the byte length.
    assert!(matches!(r(|b| put_u64(b, NODE_COUNT_AT, 5)), Err(Invalid { .. })));
    assert!(matches!(
        r(|b| {
            let (offset, len, count) = section(b, OUT_SIGNS);
            set_section(b, OUT_SIGNS, (offset, len - 1, count));
        }),
        Err(Invalid { .. })
    ));
    // Flags and codes.
    assert!(matches!(r(|b| b[FLAGS_AT + 1] |= 1), Err(Invalid { .. })));
    assert!(matches!(r(|b| put_u32(b, READING_AT, 7)), Err(Invalid { .. })));
    assert!(matches!(r(|b| b[RESERVED_AT + 5] = 1), Err(Invalid { .. })));
    // Flags that drop a section the table still records, or call for one it lacks.
    assert!(matches!(r(|b| b[FLAGS_AT] &= !0b10), Err(Invalid { .. })));
    assert!(matches!(r(|b| b[FLAGS_AT] ^= 0b1000), Err(SectionOutOfBounds { .. })));
}

/// Corrupts data bytes and fixes both checksums: the graph and id-map checks must catch it.
fn open_forged(section_index: usize, at: usize, value: u8) -> Result<LoadedGraph, SnapshotError> {
    let mut bytes = snapshot_bytes(&everything_graph());
    let (offset, _, _) = section(&bytes, section_index);
    bytes[offset as usize + at] = value;
    fix_checksums(&mut bytes);
    open_bytes(&bytes)
}

#[test]
fn forged_data_with_valid_checksums_fails_the_invariant_checks() {
    let invalid =
        |r: Result<LoadedGraph, SnapshotError>| matches!(r, Err(SnapshotError::Invalid { .. }));
    assert!(invalid(open_forged(OUT_TARGETS, 0, 200)), "target beyond node count");
    assert!(invalid(open_forged(IN_SOURCES, 1, 1)), "in-source beyond node count");
    assert!(invalid(open_forged(OUT_OFFSETS, 8, 0xff)), "decreasing offsets");
    assert!(invalid(open_forged(OUT_SIGNS, 0, 0)), "sign 0");
    assert!(invalid(open_forged(ID_STRING_BYTES, 0, b'z')), "unsorted string ids");
    assert!(invalid(open_forged(ID_STRING_BYTES, 1, 0xff)), "string id not UTF-8");
    assert!(invalid(open_forged(PROVENANCE, 0, 0xff)), "provenance not UTF-8");
}

// ---------------------------------------------------------------------------------------------
// Writing: failures leave nothing behind, replacing keeps old views intact.

fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    entries
}

#[test]
fn writing_into_a_missing_directory_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no").join("such").join("g.clout");
    let err = write_snapshot(&path, &integer_graph()).unwrap_err();
    assert!(matches!(err, SnapshotError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("g.clout"), "{err}");
    assert!(!path.exists());
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn a_failed_rename_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let occupied = dir.path().join("occupied");
    std::fs::create_dir(&occupied).unwrap();
    std::fs::write(occupied.join("keep"), b"x").unwrap();
    let err = write_snapshot(&occupied, &everything_graph()).unwrap_err();
    assert!(matches!(err, SnapshotError::Io { .. }), "{err:?}");
    assert_eq!(listing(dir.path()), vec![occupied.clone()], "temporary file left behind");
    assert!(occupied.is_dir());
}

#[test]
fn an_inconsistent_graph_is_refused_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.clout");
    let mismatched = LoadedGraph { graph: integer_graph().graph, ids: IdMap::identity(3) };
    let err = write_snapshot(&path, &mismatched).unwrap_err();
    assert!(matches!(err, SnapshotError::Invalid { .. }), "{err:?}");
    let unsorted = IdMap::Integer(Slab::from_vec(vec![5, 4, 3, 2, 1]));
    let bad_ids = LoadedGraph { graph: integer_graph().graph, ids: unsorted };
    assert!(matches!(write_snapshot(&path, &bad_ids), Err(SnapshotError::Invalid { .. })));
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn replacing_a_snapshot_keeps_open_views_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.clout");
    let first = everything_graph();
    write_snapshot(&path, &first).unwrap();
    let opened = open_snapshot(&path).unwrap();
    let second = rmat_graph(8, 4);
    write_snapshot(&path, &second).unwrap();
    assert_same(&first, &opened);
    assert_same(&second, &open_snapshot(&path).unwrap());
    assert_eq!(listing(dir.path()), vec![path]);
}

#[test]
fn every_error_message_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("named-file.clout");
    let mut bytes = snapshot_bytes(&everything_graph());
    let mut messages = Vec::new();
    for cut in [0usize, 100, HEADER_SIZE + 1] {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        messages.push(open_snapshot(&path).unwrap_err().to_string());
    }
    bytes[HEADER_SIZE + 3] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    messages.push(open_snapshot(&path).unwrap_err().to_string());
    bytes[0] = b'X';
    std::fs::write(&path, &bytes).unwrap();
    messages.push(open_snapshot(&path).unwrap_err().to_string());
    for message in messages {
        assert!(message.contains("named-file.clout"), "{message}");
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshots read from a stream (a pipe or stdin) instead of a mapped file.

fn read_stream(bytes: &[u8], max: u64) -> Result<LoadedGraph, SnapshotError> {
    clout_ingest::snapshot::read_snapshot(bytes, Path::new("<stdin>"), max)
}

#[test]
fn stream_reads_give_the_mapped_graph() {
    for g in [everything_graph(), integer_graph(), undirected_graph()] {
        let bytes = snapshot_bytes(&g);
        assert_same(&g, &read_stream(&bytes, u64::MAX).unwrap());
    }
}

#[test]
fn stream_reads_check_length_before_reading_on() {
    let bytes = snapshot_bytes(&everything_graph());
    let err = read_stream(&bytes, bytes.len() as u64 - 1).unwrap_err();
    assert!(err.to_string().contains("allowed for a snapshot read from a stream"), "{err}");
    for cut in [0, 3, 8, HEADER_SIZE - 1, HEADER_SIZE, bytes.len() - 1] {
        let err = read_stream(&bytes[..cut], u64::MAX).unwrap_err();
        assert!(matches!(err, SnapshotError::TooShort { .. }), "cut at {cut}: {err}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(read_stream(&longer, u64::MAX), Err(SnapshotError::Invalid { .. })));
    // A recorded length shorter than the header: the sections lie outside it, whichever way
    // the bytes arrive (the stream used to say something else, found by the fuzzer).
    let mut lying = bytes.clone();
    put_u64(&mut lying, FILE_LEN_AT, 209);
    fix_header_checksum(&mut lying);
    let streamed = read_stream(&lying, u64::MAX);
    let mapped = clout_ingest::snapshot::open_snapshot_bytes(lying, Path::new("<stdin>"));
    assert!(
        matches!(streamed, Err(SnapshotError::SectionOutOfBounds { .. })),
        "{:?}",
        streamed.err()
    );
    assert!(matches!(mapped, Err(SnapshotError::SectionOutOfBounds { .. })), "{:?}", mapped.err());
}

// ---------------------------------------------------------------------------------------------
// Snapshots that lie: valid checksums over contents that contradict themselves.

/// Applies `forge` to the snapshot of `g`, recomputes both checksums and opens the result.
fn open_lying(
    g: &LoadedGraph,
    forge: impl FnOnce(&mut Vec<u8>),
) -> Result<LoadedGraph, SnapshotError> {
    let mut bytes = snapshot_bytes(g);
    forge(&mut bytes);
    fix_checksums(&mut bytes);
    open_bytes(&bytes)
}

/// Byte position of element `index` of section `i` (elements of `size` bytes).
fn element_at(bytes: &[u8], i: usize, index: usize, size: usize) -> usize {
    section(bytes, i).0 as usize + index * size
}

fn refused_with(result: Result<LoadedGraph, SnapshotError>, words: &str) {
    match result {
        Err(SnapshotError::Invalid { reason, .. }) => {
            assert!(reason.contains(words), "expected {words:?} in {reason:?}")
        }
        other => panic!("expected Invalid mentioning {words:?}, got {:?}", other.map(|_| "opened")),
    }
}

#[test]
fn an_in_adjacency_that_is_not_the_transpose_is_refused() {
    // integer_graph's in-rows are 0: [2], 1: [0], 2: [1], 3: [4], 4: [0, 3]. Row 0 becomes [3]:
    // still sorted and in range, but there is no arc 3 -> 0.
    let g = integer_graph();
    let r = open_lying(&g, |b| {
        let at = element_at(b, IN_SOURCES, 0, 4);
        assert_eq!(b[at], 2);
        b[at] = 3;
    });
    refused_with(r, "not the transpose");
    // The out-side changed instead: row 0 = [1, 4] becomes [1, 3].
    let r = open_lying(&g, |b| {
        let at = element_at(b, OUT_TARGETS, 1, 4);
        assert_eq!(b[at], 4);
        b[at] = 3;
    });
    refused_with(r, "not the transpose");
    // An arc moved between in-rows by the offsets alone: in-offsets [0, 1, 2, 3, 4, 6] becomes
    // [0, 1, 1, 3, 4, 6], so row 1 is empty and row 2 is [0, 1] (sorted, in range).
    let r = open_lying(&g, |b| {
        let at = element_at(b, IN_OFFSETS, 2, 8);
        assert_eq!(b[at], 2);
        b[at] = 1;
    });
    refused_with(r, "not the transpose");
}

#[test]
fn in_weights_or_signs_that_disagree_with_the_out_side_are_refused() {
    let g = everything_graph();
    let r = open_lying(&g, |b| {
        let at = element_at(b, IN_WEIGHTS, 0, 8);
        b[at] ^= 1;
    });
    refused_with(r, "not the transpose");
    let r = open_lying(&g, |b| {
        let at = element_at(b, IN_SIGNS, 0, 1);
        b[at] = (-(b[at] as i8)) as u8;
    });
    refused_with(r, "not the transpose");
}

#[test]
fn an_asymmetric_undirected_adjacency_is_refused() {
    let g = undirected_graph();
    let r = open_lying(&g, |b| {
        let at = element_at(b, OUT_WEIGHTS, 0, 8);
        b[at] ^= 1;
    });
    refused_with(r, "not symmetric");
    let r = open_lying(&g, |b| {
        let at = element_at(b, OUT_SIGNS, 0, 1);
        b[at] = (-(b[at] as i8)) as u8;
    });
    refused_with(r, "not symmetric");
    // Row 0 is [1]: point it at node 4 instead (4 has no arc back to 0).
    let r = open_lying(&g, |b| {
        let at = element_at(b, OUT_TARGETS, 0, 4);
        assert_eq!(b[at], 1);
        b[at] = 4;
    });
    refused_with(r, "not symmetric");
}

#[test]
fn self_loop_counters_that_contradict_the_arcs_are_refused() {
    // undirected_graph keeps the self-loop 3 -- 3; its edge count is derived from the arc count
    // and the kept self-loops, so a larger counter would give a wrong count (or underflow).
    let g = undirected_graph();
    assert_eq!((g.graph.arc_count(), g.graph.info().self_loops_kept), (7, 1));
    for lie in [0, 2, 8, u64::MAX] {
        let r = open_lying(&g, |b| put_u64(b, SELF_LOOPS_KEPT_AT, lie));
        refused_with(r, &format!("records {lie} kept self-loops but the graph has 1 self-loop"));
    }
    // A directed graph's counter may exceed its loop arcs (older files counted merged copies),
    // but may not fall short of them.
    let g = everything_graph();
    assert_eq!(g.graph.info().self_loops_kept, 1);
    refused_with(open_lying(&g, |b| put_u64(b, SELF_LOOPS_KEPT_AT, 0)), "has 1 self-loop arcs");
    assert!(open_lying(&g, |b| put_u64(b, SELF_LOOPS_KEPT_AT, 2)).is_ok());
}

#[test]
fn nonzero_padding_and_displaced_sections_are_refused() {
    let g = everything_graph();
    let bytes = snapshot_bytes(&g);
    // The padding before the first section that has some, and before the last section.
    let mut end = HEADER_SIZE as u64;
    let padded = (0..12)
        .find(|&i| {
            let (offset, len, _) = section(&bytes, i);
            let gap = offset > end;
            if offset != 0 {
                end = offset + len;
            }
            gap
        })
        .unwrap();
    let pad_at = section(&bytes, padded).0 as usize - 1;
    refused_with(open_lying(&g, |b| b[pad_at] = 0x80), "padding before section");
    let (provenance, _, _) = section(&bytes, PROVENANCE);
    let (ids, len, _) = section(&bytes, ID_STRING_BYTES);
    assert!(ids + len < provenance, "the test needs padding before the provenance");
    refused_with(open_lying(&g, |b| b[provenance as usize - 1] = 7), "padding before section");
    // The provenance moved 64 bytes further on (zero padding, consistent lengths).
    let r = open_lying(&g, |b| {
        let (offset, len, count) = section(b, PROVENANCE);
        b.splice(offset as usize..offset as usize, [0u8; 64]);
        set_section(b, PROVENANCE, (offset + 64, len, count));
        let len = b.len() as u64;
        put_u64(b, FILE_LEN_AT, len);
    });
    refused_with(r, "not at the first multiple of 64");
}

/// A snapshot followed by a petabyte of holes: refused from its header, before anything is
/// mapped (mapping it would fail, or read the whole file with a smaller hole). Needs a tmpfs at
/// /dev/shm, whose files may be that sparse (ext4's limit is 16 TiB).
#[cfg(target_os = "linux")]
#[test]
fn a_file_longer_than_its_header_says_is_refused_from_the_header() {
    let dir = tempfile::tempdir_in("/dev/shm").expect("a tmpfs at /dev/shm");
    let path = dir.path().join("sparse.clout");
    write_snapshot(&path, &integer_graph()).unwrap();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(1 << 50).unwrap();
    drop(file);
    refused_with(open_snapshot(&path), "unexpected bytes after the recorded end");
    let file = std::fs::File::open(&path).unwrap();
    let r = clout_ingest::snapshot::open_snapshot_file(file, Path::new("named"));
    refused_with(r, "unexpected bytes after the recorded end");
}

#[test]
fn snapshots_open_from_bytes_in_memory() {
    use clout_ingest::snapshot::{open_snapshot_bytes, snapshot_to_bytes};
    let name = Path::new("<memory>");
    for g in [everything_graph(), integer_graph(), undirected_graph(), rmat_graph(8, 4)] {
        let bytes = snapshot_to_bytes(&g, name).unwrap();
        assert_eq!(bytes, snapshot_bytes(&g), "in-memory and file bytes agree");
        assert_same(&g, &open_snapshot_bytes(bytes, name).unwrap());
    }
    let bytes = snapshot_bytes(&integer_graph());
    for cut in [0, 5, HEADER_SIZE - 1, HEADER_SIZE, bytes.len() - 1] {
        let r = open_snapshot_bytes(bytes[..cut].to_vec(), name);
        assert!(matches!(r, Err(SnapshotError::TooShort { .. })), "cut at {cut}");
    }
    let mut lying = bytes.clone();
    put_u64(&mut lying, FILE_LEN_AT, u64::MAX);
    fix_header_checksum(&mut lying);
    let r = open_snapshot_bytes(lying, name);
    assert!(matches!(r, Err(SnapshotError::Invalid { .. })), "{:?}", r.err());
}

// ---------------------------------------------------------------------------------------------
// Single-byte changes: the checksums catch every one; with recomputed checksums, the contents
// checks leave only changes that give another valid snapshot, byte for byte.

/// Arcs of one direction as sorted (tail, head, weight bits, sign) tuples.
fn arc_list(adj: &Adjacency, rows_are_tails: bool) -> Vec<(u32, u32, u64, i8)> {
    let mut arcs = Vec::new();
    for row in 0..adj.offsets.len().saturating_sub(1) {
        for k in adj.offsets[row] as usize..adj.offsets[row + 1] as usize {
            let (row, other) = (row as u32, adj.targets[k]);
            let w = adj.weights.as_ref().map_or(0, |w| w[k].to_bits());
            let s = adj.signs.as_ref().map_or(0, |s| s[k]);
            arcs.push(if rows_are_tails { (row, other, w, s) } else { (other, row, w, s) });
        }
    }
    arcs.sort_unstable();
    arcs
}

/// What a forged snapshot that opened must satisfy: its directions agree (naively, by sorting
/// both arc lists), and it is exactly the file its graph gives.
fn assert_opened_is_canonical(opened: &LoadedGraph, bytes: &[u8]) {
    let g = &opened.graph;
    let out = arc_list(g.out_adjacency(), true);
    assert_eq!(out, arc_list(g.in_adjacency(), false), "directions disagree");
    if !g.is_directed() {
        let mut mirrored: Vec<_> = out.iter().map(|&(u, v, w, s)| (v, u, w, s)).collect();
        mirrored.sort_unstable();
        assert_eq!(out, mirrored, "undirected adjacency is not symmetric");
    }
    assert_eq!(opened.ids.len(), g.node_count());
    let name = Path::new("<memory>");
    let rewritten = clout_ingest::snapshot::snapshot_to_bytes(opened, name).unwrap();
    assert!(rewritten == bytes, "an opened snapshot is not the file its graph gives");
}

fn open_in_memory(bytes: &[u8]) -> Result<LoadedGraph, SnapshotError> {
    clout_ingest::snapshot::open_snapshot_bytes(bytes.to_vec(), Path::new("<memory>"))
}

fn small_snapshots() -> &'static [Vec<u8>] {
    static SNAPSHOTS: std::sync::LazyLock<Vec<Vec<u8>>> = std::sync::LazyLock::new(|| {
        [everything_graph(), integer_graph(), undirected_graph()]
            .iter()
            .map(snapshot_bytes)
            .collect()
    });
    &SNAPSHOTS
}

#[test]
fn every_single_byte_change_with_recomputed_checksums_is_refused_or_canonical() {
    let mut opened_count = 0;
    for bytes in small_snapshots() {
        for at in 0..bytes.len() {
            // Checksum fields are recomputed, so changing them is no change.
            if (DATA_CHECKSUM_AT..DATA_CHECKSUM_AT + 8).contains(&at)
                || (HEADER_CHECKSUM_AT..HEADER_SIZE).contains(&at)
            {
                continue;
            }
            for value in [bytes[at] ^ 0x01, bytes[at] ^ 0x80, 0x00, 0xff, 0x02] {
                if value == bytes[at] {
                    continue;
                }
                let mut changed = bytes.clone();
                changed[at] = value;
                fix_checksums(&mut changed);
                if let Ok(opened) = open_in_memory(&changed) {
                    assert_opened_is_canonical(&opened, &changed);
                    opened_count += 1;
                }
            }
        }
    }
    // Weights, ids, provenance and build counters are free to change: some changes open.
    assert!(opened_count > 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_single_byte_change_is_a_typed_error(
        which in 0usize..3,
        position in any::<proptest::sample::Index>(),
        value in any::<u8>(),
    ) {
        let bytes = &small_snapshots()[which];
        let at = position.index(bytes.len());
        prop_assume!(bytes[at] != value);
        let mut changed = bytes.clone();
        changed[at] = value;
        let result = open_in_memory(&changed).map(|_| "opened");
        prop_assert!(result.is_err(), "byte {} = {:#x} opened", at, value);
    }

    #[test]
    fn any_single_byte_change_with_recomputed_checksums_is_refused_or_canonical(
        which in 0usize..3,
        position in any::<proptest::sample::Index>(),
        value in any::<u8>(),
    ) {
        let bytes = &small_snapshots()[which];
        let at = position.index(bytes.len());
        let mut changed = bytes.clone();
        changed[at] = value;
        fix_checksums(&mut changed);
        match open_in_memory(&changed) {
            Ok(opened) => assert_opened_is_canonical(&opened, &changed),
            Err(e) => prop_assert!(e.to_string().contains("<memory>"), "{}", e),
        }
    }
}

#[test]
fn a_stream_recording_a_huge_length_costs_only_what_it_holds() {
    // 2^50 bytes recorded, a few hundred present: without a cap from the caller, the reader
    // must still not allocate for the recorded length (that allocation would abort).
    // The provenance section is stretched to match, so the header is consistent.
    let mut lying = snapshot_bytes(&integer_graph());
    let (offset, _, _) = section(&lying, PROVENANCE);
    set_section(&mut lying, PROVENANCE, (offset, (1 << 50) - offset, (1 << 50) - offset));
    put_u64(&mut lying, FILE_LEN_AT, 1 << 50);
    fix_header_checksum(&mut lying);
    let err = read_stream(&lying, u64::MAX).unwrap_err();
    assert!(matches!(err, SnapshotError::TooShort { needed, .. } if needed == 1 << 50), "{err}");
}

#[test]
fn a_file_and_a_stream_report_the_same_first_problem() {
    // Found by the snapshot fuzz target: a misaligned section in a file that also has bytes
    // after its recorded end was "unexpected bytes" from the file and "not aligned" from the
    // stream (which sees its length only at the end). The header is now checked against its
    // recorded length first, the actual length last, by both.
    let mut bytes = snapshot_bytes(&everything_graph());
    let (offset, len, count) = section(&bytes, OUT_OFFSETS);
    set_section(&mut bytes, OUT_OFFSETS, (offset + 2, len, count));
    bytes.extend_from_slice(&[0; 117]);
    fix_checksums(&mut bytes);
    let name = Path::new("g.clout");
    let mapped = clout_ingest::snapshot::open_snapshot_bytes(bytes.clone(), name).unwrap_err();
    let streamed = read_stream(&bytes, u64::MAX).unwrap_err();
    assert!(matches!(mapped, SnapshotError::Misaligned { .. }), "{mapped}");
    assert!(matches!(streamed, SnapshotError::Misaligned { .. }), "{streamed}");
}
