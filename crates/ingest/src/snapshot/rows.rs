//! Opening a snapshot for a job that reads only some rows of its out-adjacency: one process of
//! a row-partitioned PageRank, which needs every offset but only its own rows' arcs.
//!
//! [`open_snapshot_rows`] maps the file without pre-faulting it and checks the data checksum by
//! streaming the file through a small buffer with plain reads, so no page of the arrays becomes
//! part of the process's memory until the job reads it. A process whose rows hold `1/N` of the
//! arcs then keeps about `m/N` arcs plus the `O(n)` offsets resident, where [`open_snapshot`]
//! (which validates every arc, in parallel over the mapped pages) keeps the whole file.
//!
//! [`open_snapshot`]: super::open_snapshot

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use clout_graph::{GraphInfo, NodeId, Slab};
use xxhash_rust::xxh3::Xxh3Default;

use super::{
    DIRECTED, HEADER_SIZE, Header, IdMap, SIGNED, Sections, SnapshotError, WEIGHTED, check_padding,
    invalid, map_checked_header,
};

/// Bytes read per call while the data checksum is streamed.
const STREAM_BUFFER: usize = 4 << 20;

/// A snapshot opened by [`open_snapshot_rows`]: the offsets of both adjacency directions, the
/// out-adjacency's arcs (mapped, read on demand), the id map when asked for, and the header's
/// facts. Nothing here is copied out of the map.
pub struct SnapshotRows {
    node_count: usize,
    directed: bool,
    weighted: bool,
    signed: bool,
    info: GraphInfo,
    out_offsets: Slab<u64>,
    out_targets: Slab<NodeId>,
    in_offsets: Slab<u64>,
    ids: Option<IdMap>,
}

impl SnapshotRows {
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.node_count
    }

    /// Number of stored out-arcs.
    pub fn arc_count(&self) -> usize {
        self.out_targets.len()
    }

    /// Number of edges, as [`clout_graph::Graph::edge_count`] counts them.
    pub fn edge_count(&self) -> usize {
        clout_graph::graph::edge_count(self.directed, self.arc_count(), self.info.self_loops_kept)
    }

    /// Whether the graph is directed.
    pub fn is_directed(&self) -> bool {
        self.directed
    }

    /// Whether arcs carry weights (the weights themselves are not opened).
    pub fn is_weighted(&self) -> bool {
        self.weighted
    }

    /// Whether arcs carry signs (the signs themselves are not opened).
    pub fn is_signed(&self) -> bool {
        self.signed
    }

    /// How the graph was read, from the header and the provenance section.
    pub fn info(&self) -> &GraphInfo {
        &self.info
    }

    /// The out-adjacency offsets (`n + 1` entries from 0 to the arc count). **Not checked**
    /// in between (that would read every page of them): a reader checks that the offsets of
    /// its rows never decrease, as `clout-centrality`'s `pagerank_rows_of` does.
    pub fn out_offsets(&self) -> &[u64] {
        self.out_offsets.as_slice()
    }

    /// Every out-arc's target, mapped. **Not checked** beyond the data checksum: a reader must
    /// check the targets of the rows it reads (below the node count) before indexing with them,
    /// as `clout-centrality`'s `pagerank_rows_of` does.
    pub fn out_targets(&self) -> &[NodeId] {
        self.out_targets.as_slice()
    }

    /// The in-adjacency offsets (checked: from 0 to the arc count, never decreasing; the same
    /// array as [`Self::out_offsets`] for an undirected graph, and then checked too).
    pub fn in_offsets(&self) -> &[u64] {
        self.in_offsets.as_slice()
    }

    /// The id map (validated), when [`open_snapshot_rows`] was asked for it.
    pub fn ids(&self) -> Option<&IdMap> {
        self.ids.as_ref()
    }
}

/// Opens the snapshot at `path` for a job that reads only some rows of its out-adjacency (see
/// the module documentation); `with_ids` also opens and validates the id map (`O(n)`), which
/// only a process that writes results with original ids needs.
///
/// Checked, as [`open_snapshot`](super::open_snapshot) checks them: the header (magic, version,
/// header checksum, section table against the file's length), the data checksum over every byte
/// after the header (streamed, so the integrity of the whole file is still verified: one
/// sequential read), zero padding, the in-offsets (from 0 to the arc count, never decreasing),
/// the out-offsets' first and last entries, the provenance's UTF-8, and the id map when asked
/// for. **Not checked**, because they need every out-row: that the out-offsets never decrease,
/// that targets are below the node count and rows sorted (the reader checks its own rows), that
/// the in-adjacency is the transpose of the out-adjacency, and the self-loop counter. The checksum catches a damaged or truncated file; only a deliberate edit that also
/// forges both checksums can get past these checks, and then the reader's own checks still keep
/// it from reading out of bounds.
///
/// Memory: the map is not pre-faulted and the checksum reads through a 4 MiB buffer, so the
/// process's resident set grows only with the pages the job reads (the page cache holds the
/// file as for any read, and can evict it).
///
/// # Errors
/// The [`SnapshotError`] [`open_snapshot`](super::open_snapshot) gives for the same problem.
pub fn open_snapshot_rows(path: &Path, with_ids: bool) -> Result<SnapshotRows, SnapshotError> {
    let io_error = |source| SnapshotError::Io { path: path.to_path_buf(), source };
    let mut file = File::open(path).map_err(io_error)?;
    let (header, present, map) = map_checked_header(&file, path, false)?;
    stream_checksum(&mut file, path, &header)?;
    check_padding(path, &header, &map)?;
    let sections = Sections { path, header: &header, present, backing: Arc::new(map) };
    let directed = header.flags & DIRECTED != 0;
    let out_offsets: Slab<u64> = sections.required(0)?;
    let out_targets: Slab<NodeId> = sections.required(1)?;
    let in_offsets = if directed { sections.required(2)? } else { out_offsets.clone() };
    let m = header.arc_count;
    let ends = |o: &[u64]| (o.first().copied(), o.last().copied());
    if ends(out_offsets.as_slice()) != (Some(0), Some(m)) {
        let (first, last) = ends(out_offsets.as_slice());
        return Err(invalid(
            path,
            format!(
                "out-offsets must run from 0 to {m} (the arc count), found {} .. {}",
                first.unwrap_or(0),
                last.unwrap_or(0)
            ),
        ));
    }
    check_offsets(path, "in-offsets", in_offsets.as_slice(), m)?;
    let info = sections.info()?;
    let ids = if with_ids { Some(sections.ids()?) } else { None };
    Ok(SnapshotRows {
        // At most u32::MAX: checked in `check_header`.
        node_count: header.node_count as usize,
        directed,
        weighted: header.flags & WEIGHTED != 0,
        signed: header.flags & SIGNED != 0,
        info,
        out_offsets,
        out_targets,
        in_offsets,
        ids,
    })
}

/// The data checksum of the bytes after the header, read from `file` with plain reads.
fn stream_checksum(file: &mut File, path: &Path, header: &Header) -> Result<(), SnapshotError> {
    let io_error = |source| SnapshotError::Io { path: path.to_path_buf(), source };
    file.seek(SeekFrom::Start(HEADER_SIZE as u64)).map_err(io_error)?;
    let want = header.file_len - HEADER_SIZE as u64;
    let mut hasher = Xxh3Default::new();
    let mut buffer = vec![0u8; STREAM_BUFFER];
    let mut seen = 0u64;
    let mut reader = file.take(want);
    loop {
        let got = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(got) => got,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(e)),
        };
        hasher.update(&buffer[..got]);
        seen += got as u64;
    }
    if seen != want {
        return Err(invalid(path, "the file changed while it was being opened".into()));
    }
    let found = hasher.digest();
    if found != header.data_checksum {
        let expected = header.data_checksum;
        return Err(SnapshotError::DataChecksum { path: path.into(), expected, found });
    }
    Ok(())
}

/// Offsets from 0 to `m` that never decrease (their count was checked with the header).
fn check_offsets(path: &Path, name: &str, offsets: &[u64], m: u64) -> Result<(), SnapshotError> {
    use rayon::prelude::*;
    let (first, last) = (offsets.first().copied(), offsets.last().copied());
    if first != Some(0) || last != Some(m) {
        return Err(invalid(
            path,
            format!(
                "{name} must run from 0 to {m} (the arc count), found {} .. {}",
                first.unwrap_or(0),
                last.unwrap_or(0)
            ),
        ));
    }
    if let Some(i) = offsets.par_windows(2).position_any(|w| w[0] > w[1]) {
        return Err(invalid(path, format!("{name} decrease at node {i}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{open_snapshot, write_snapshot};

    fn sample(dir: &Path) -> std::path::PathBuf {
        let pairs: Vec<(u32, u32)> = (0..500u32).map(|i| (i % 97, (i * 7 + 3) % 101)).collect();
        let g = clout_graph::from_pairs(101, &pairs, true);
        let ids = IdMap::Integer(Slab::from_vec((0..101u64).map(|i| i * 10).collect()));
        let path = dir.join("g.clout");
        write_snapshot(&path, &crate::LoadedGraph { graph: g, ids }).unwrap();
        path
    }

    #[test]
    fn rows_open_gives_the_whole_opens_arrays() {
        let dir = tempfile::tempdir().unwrap();
        let path = sample(dir.path());
        let whole = open_snapshot(&path).unwrap();
        let rows = open_snapshot_rows(&path, true).unwrap();
        let g = &whole.graph;
        assert_eq!(rows.node_count(), g.node_count());
        assert_eq!(rows.edge_count(), g.edge_count());
        assert_eq!(rows.out_offsets(), g.out_adjacency().offsets.as_slice());
        assert_eq!(rows.out_targets(), g.out_adjacency().targets.as_slice());
        assert_eq!(rows.in_offsets(), g.in_adjacency().offsets.as_slice());
        assert_eq!(rows.info(), g.info());
        assert!(rows.ids().is_some_and(|ids| ids.original(5).to_string() == "50"));
        assert!(open_snapshot_rows(&path, false).unwrap().ids().is_none());
    }

    #[test]
    fn a_flipped_arc_byte_fails_the_streamed_checksum() {
        let dir = tempfile::tempdir().unwrap();
        let path = sample(dir.path());
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(
            open_snapshot_rows(&path, false),
            Err(SnapshotError::DataChecksum { .. })
        ));
        assert!(matches!(open_snapshot(&path), Err(SnapshotError::DataChecksum { .. })));
    }
}
