//! clout's binary snapshot: a documented, memory-mappable file that reopens a graph and its id
//! map without parsing or copying.
//!
//! [`write_snapshot`] writes one; [`open_snapshot`] maps it, validates it and views the arrays in
//! place ([`Slab`]s over the map). Opening costs one checksum pass plus one parallel invariant
//! pass over the mapped bytes, and allocates only the (small) provenance string.
//!
//! # Layout (version 1)
//!
//! All integers are little-endian; big-endian machines are refused ([`SnapshotError::BigEndian`]).
//! The file is a 448-byte header followed by the arrays, each starting at a multiple of 64 bytes
//! (zero padding in between), in section-table order. The file ends where the last array ends.
//!
//! | offset | size | field |
//! |-------:|-----:|-------|
//! | 0   | 8   | magic, [`MAGIC`] = `b"CLOUTSNP"` |
//! | 8   | 4   | format version `u32`, [`VERSION`] |
//! | 12  | 4   | flags `u32`: bit 0 directed, 1 weighted, 2 signed, 3 string ids, 4 synthetic; other bits 0 |
//! | 16  | 8   | node count `u64` (at most `u32::MAX`) |
//! | 24  | 8   | arc count `u64` (stored out-arcs) |
//! | 32  | 4   | edge reading `u32` ([`EdgeReading::code`]) |
//! | 36  | 4   | reserved, 0 |
//! | 40  | 8   | `GraphInfo::input_edges` |
//! | 48  | 8   | `GraphInfo::self_loops_dropped` |
//! | 56  | 8   | `GraphInfo::self_loops_kept` |
//! | 64  | 8   | `GraphInfo::duplicates_merged` |
//! | 72  | 8   | file length in bytes |
//! | 80  | 8   | data checksum: xxh3-64 of every byte after the header (offset 448 to the end) |
//! | 88  | 288 | section table: 12 entries of `{offset u64, length in bytes u64, element count u64}` |
//! | 376 | 64  | reserved, 0 |
//! | 440 | 8   | header checksum: xxh3-64 of header bytes 0 .. 440 |
//!
//! Section table, in order (entry `i` at header offset `88 + 24 i`). An absent section's entry is
//! all zeros. `n` is the node count, `m` the arc count.
//!
//! | # | section | type | elements | present when |
//! |--:|---------|------|----------|--------------|
//! | 0  | out-offsets       | `u64` | n + 1 | always |
//! | 1  | out-targets       | `u32` | m     | always |
//! | 2  | in-offsets        | `u64` | n + 1 | directed |
//! | 3  | in-sources        | `u32` | m     | directed |
//! | 4  | out-weights       | `f64` | m     | weighted |
//! | 5  | in-weights        | `f64` | m     | weighted and directed |
//! | 6  | out-signs         | `i8`  | m     | signed |
//! | 7  | in-signs          | `i8`  | m     | signed and directed |
//! | 8  | id-integers       | `u64` | n     | integer ids |
//! | 9  | id-string-offsets | `u64` | n + 1 | string ids |
//! | 10 | id-string-bytes   | `u8`  | any   | string ids |
//! | 11 | provenance        | `u8`  | any   | always (UTF-8 `GraphInfo::provenance`) |
//!
//! An undirected graph stores its adjacency once: its in-adjacency is its out-adjacency.
//! The arrays are exactly the CSR arrays of [`Graph`] and the id map of [`IdMap`].
//!
//! # Guarantees
//! - Writing is atomic (temporary file in the same directory, synced, then renamed) and
//!   deterministic: the same graph gives a byte-identical file.
//! - Opening checks, in order: length, magic, version, header checksum, every section's bounds,
//!   alignment and element count (checked arithmetic: a hostile header cannot cause a large
//!   allocation or a panic), all before anything but the header is read or mapped; then the
//!   data checksum, that padding is zero, the graph's CSR invariants ([`Graph::from_parts`]),
//!   that both adjacency directions hold the same arcs with the same weights and signs (the
//!   in-adjacency is the transpose of the out-adjacency; an undirected adjacency is symmetric;
//!   an order-independent keyed hash of the arc multiset, see `arcs.rs`), that the kept
//!   self-loop counter matches the self-loop arcs, and the id map's invariants
//!   ([`IdMap::validate`]).
//! - Hence a file that opens is exactly the file [`write_snapshot`] writes for the graph it
//!   opens as (the format is canonical), even if its checksums were forged after an edit.

use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytemuck::{Pod, Zeroable};
use clout_graph::{Adjacency, Backing, EdgeReading, Graph, GraphInfo, Slab, SlabError};
use memmap2::{Mmap, MmapOptions};
use xxhash_rust::xxh3::{Xxh3Default, xxh3_64};

use crate::input::read_up_to;
use crate::outfile::OutFile;

mod arcs;
mod rows;
use crate::{IdMap, LoadedGraph};
pub use rows::{SnapshotRows, open_snapshot_rows};

/// The first eight bytes of every snapshot.
pub const MAGIC: [u8; 8] = *b"CLOUTSNP";
/// The format version this code writes and reads.
pub const VERSION: u32 = 1;
/// Size of the header in bytes; the first array starts here.
pub const HEADER_SIZE: usize = 448;
/// Every array starts at a multiple of this many bytes.
pub const ALIGN: u64 = 64;

const DIRECTED: u32 = 1;
const WEIGHTED: u32 = 1 << 1;
const SIGNED: u32 = 1 << 2;
const STRING_IDS: u32 = 1 << 3;
const SYNTHETIC: u32 = 1 << 4;
const KNOWN_FLAGS: u32 = DIRECTED | WEIGHTED | SIGNED | STRING_IDS | SYNTHETIC;

const SECTIONS: usize = 12;
const NAMES: [&str; SECTIONS] = [
    "out-offsets",
    "out-targets",
    "in-offsets",
    "in-sources",
    "out-weights",
    "in-weights",
    "out-signs",
    "in-signs",
    "id-integers",
    "id-string-offsets",
    "id-string-bytes",
    "provenance",
];
const ELEMENT_SIZE: [u64; SECTIONS] = [8, 4, 8, 4, 8, 8, 1, 1, 8, 8, 1, 1];
/// Header bytes covered by the header checksum (everything before it).
const CHECKSUMMED: usize = HEADER_SIZE - 8;

/// One section-table entry.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Pod, Zeroable)]
struct Section {
    offset: u64,
    bytes: u64,
    count: u64,
}

/// The header, field for field as in the module documentation.
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct Header {
    magic: [u8; 8],
    version: u32,
    flags: u32,
    node_count: u64,
    arc_count: u64,
    reading: u32,
    reserved_a: u32,
    input_edges: u64,
    self_loops_dropped: u64,
    self_loops_kept: u64,
    duplicates_merged: u64,
    file_len: u64,
    data_checksum: u64,
    sections: [Section; SECTIONS],
    reserved_b: [u64; 8],
    header_checksum: u64,
}

const _: () = assert!(std::mem::size_of::<Header>() == HEADER_SIZE);

/// Why a snapshot could not be written or opened. Every message names the file.
#[derive(Debug)]
pub enum SnapshotError {
    /// Reading, writing, syncing or renaming failed.
    Io {
        /// The snapshot path.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The file is shorter than the header, or than the length its header records (truncated).
    TooShort {
        /// The snapshot path.
        path: PathBuf,
        /// Bytes needed.
        needed: u64,
        /// Bytes found.
        found: u64,
    },
    /// The file does not start with [`MAGIC`]: not a clout snapshot.
    BadMagic {
        /// The snapshot path.
        path: PathBuf,
        /// The first eight bytes.
        found: [u8; 8],
    },
    /// The format version is not one this build reads.
    UnsupportedVersion {
        /// The snapshot path.
        path: PathBuf,
        /// Version in the file.
        found: u32,
        /// Version this build reads ([`VERSION`]).
        supported: u32,
    },
    /// The header does not match its checksum.
    HeaderChecksum {
        /// The snapshot path.
        path: PathBuf,
    },
    /// The arrays do not match the data checksum.
    DataChecksum {
        /// The snapshot path.
        path: PathBuf,
        /// Checksum recorded in the header.
        expected: u64,
        /// Checksum of the bytes in the file.
        found: u64,
    },
    /// A section lies outside the file or overlaps the header or the previous section.
    SectionOutOfBounds {
        /// The snapshot path.
        path: PathBuf,
        /// Section name, as in the module documentation.
        name: &'static str,
        /// Recorded byte offset.
        offset: u64,
        /// Recorded byte length.
        bytes: u64,
        /// Length of the file.
        file_len: u64,
    },
    /// A section does not start at a multiple of [`ALIGN`].
    Misaligned {
        /// The snapshot path.
        path: PathBuf,
        /// Section name.
        name: &'static str,
        /// Recorded byte offset.
        offset: u64,
    },
    /// The contents are inconsistent (flags, counts, CSR or id-map invariants), or the graph to
    /// write is.
    Invalid {
        /// The snapshot path.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// This machine is big-endian; snapshots are little-endian arrays viewed in place.
    BigEndian {
        /// The snapshot path.
        path: PathBuf,
    },
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SnapshotError::*;
        match self {
            Io { path, source } => write!(f, "snapshot {}: {source}", path.display()),
            TooShort { path, needed, found } => write!(
                f,
                "snapshot {}: truncated: {found} bytes, expected at least {needed}",
                path.display()
            ),
            BadMagic { path, found } => write!(
                f,
                "{}: not a clout snapshot (starts with \"{}\", expected \"{}\")",
                path.display(),
                found.escape_ascii(),
                MAGIC.escape_ascii()
            ),
            UnsupportedVersion { path, found, supported } => write!(
                f,
                "snapshot {}: format version {found}, but this build reads version {supported}; \
                 rebuild the snapshot from the input files",
                path.display()
            ),
            HeaderChecksum { path } => {
                write!(f, "snapshot {}: header checksum mismatch (corrupt header)", path.display())
            }
            DataChecksum { path, expected, found } => write!(
                f,
                "snapshot {}: data checksum mismatch (corrupt data): recorded {expected:016x}, \
                 computed {found:016x}",
                path.display()
            ),
            SectionOutOfBounds { path, name, offset, bytes, file_len } => write!(
                f,
                "snapshot {}: section {name} ({bytes} bytes at offset {offset}) lies outside the \
                 file ({file_len} bytes) or overlaps the header or the previous section",
                path.display()
            ),
            Misaligned { path, name, offset } => write!(
                f,
                "snapshot {}: section {name} at offset {offset} is not aligned to {ALIGN} bytes",
                path.display()
            ),
            Invalid { path, reason } => write!(f, "snapshot {}: {reason}", path.display()),
            BigEndian { path } => write!(
                f,
                "snapshot {}: snapshots are little-endian and cannot be used on this \
                 big-endian machine",
                path.display()
            ),
        }
    }
}

impl std::error::Error for SnapshotError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SnapshotError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Whether `path` starts with the snapshot magic bytes (a file shorter than them is not one).
pub fn is_snapshot(path: &Path) -> io::Result<bool> {
    let mut magic = [0u8; 8];
    match File::open(path)?.read_exact(&mut magic) {
        Ok(()) => Ok(magic == MAGIC),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

/// Writes `g` to `path` as a snapshot and returns its size in bytes.
///
/// The file is written (buffered, checksummed while writing) to a temporary file in the same
/// directory, synced, and renamed over `path`, so an error or crash never leaves a partial
/// snapshot at `path`; a process that has the old file mapped keeps its view. A `path` that
/// exists and is not a regular file (`/dev/null`, say) is written in place, never replaced
/// ([`crate::outfile`]); it must be seekable. The output is
/// deterministic: the same graph and ids give byte-identical files.
///
/// Errors: [`SnapshotError::Invalid`] if the id map does not fit the graph or fails
/// [`IdMap::validate`] (nothing is written), [`SnapshotError::Io`] on I/O failure (for
/// example a missing directory), [`SnapshotError::BigEndian`] on big-endian machines.
pub fn write_snapshot(path: &Path, g: &LoadedGraph) -> Result<u64, SnapshotError> {
    let io_error = |source| SnapshotError::Io { path: path.to_path_buf(), source };
    refuse_big_endian(path)?;
    // An invalid graph is refused by `write_snapshot_into`; the temporary file then goes.
    let target = OutFile::create(path, ".clout-snapshot-").map_err(io_error)?;
    let len = write_snapshot_into(target.file(), path, g)?;
    target.commit(true).map_err(io_error)?;
    Ok(len)
}

/// Writes `g` as a snapshot into `file` from its start (an open, seekable file: the temporary
/// file of an [`crate::outfile::OutputSet`], say) and returns its size in bytes; `path` names
/// it in errors. The caller moves the file into place; this syncs nothing.
pub fn write_snapshot_into(
    file: &File,
    path: &Path,
    g: &LoadedGraph,
) -> Result<u64, SnapshotError> {
    let io_error = |source| SnapshotError::Io { path: path.to_path_buf(), source };
    refuse_big_endian(path)?;
    let (mut header, arrays) = plan(g).map_err(|reason| invalid(path, reason))?;
    let mut file = file;
    file.seek(SeekFrom::Start(0)).map_err(io_error)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    write_to(&mut out, &mut header, &arrays).map_err(io_error)?;
    out.flush().map_err(io_error)?;
    Ok(header.file_len)
}

/// The bytes [`write_snapshot`] would write for `g`, in memory (`name` is used in messages).
/// For sending a snapshot down a pipe, and for tests that check that a file which opens is
/// exactly the file its graph gives.
pub fn snapshot_to_bytes(g: &LoadedGraph, name: &Path) -> Result<Vec<u8>, SnapshotError> {
    refuse_big_endian(name)?;
    let (mut header, arrays) = plan(g).map_err(|reason| invalid(name, reason))?;
    let mut out = io::Cursor::new(Vec::with_capacity(header.file_len as usize));
    write_to(&mut out, &mut header, &arrays)
        .map_err(|source| SnapshotError::Io { path: name.to_path_buf(), source })?;
    Ok(out.into_inner())
}

/// Writes the header placeholder, the padded sections (hashing them), then the finished header.
fn write_to(
    out: &mut (impl Write + Seek),
    header: &mut Header,
    arrays: &SectionBytes<'_>,
) -> io::Result<()> {
    let mut hasher = Xxh3Default::new();
    let zeros = [0u8; ALIGN as usize];
    out.write_all(&[0u8; HEADER_SIZE])?;
    let mut at = HEADER_SIZE as u64;
    for (section, bytes) in header.sections.iter().zip(arrays) {
        let Some(bytes) = bytes else { continue };
        let pad = &zeros[..(section.offset - at) as usize];
        hasher.update(pad);
        out.write_all(pad)?;
        for chunk in bytes.chunks(1 << 20) {
            hasher.update(chunk);
            out.write_all(chunk)?;
        }
        at = section.offset + section.bytes;
    }
    debug_assert_eq!(at, header.file_len);
    header.data_checksum = hasher.digest();
    header.header_checksum = xxh3_64(&bytemuck::bytes_of(header)[..CHECKSUMMED]);
    out.seek(SeekFrom::Start(0))?;
    out.write_all(bytemuck::bytes_of(header))
}

/// The bytes of each section, in table order (`None`: absent).
type SectionBytes<'a> = [Option<&'a [u8]>; SECTIONS];

/// The header (without checksums) and the bytes of every present section.
fn plan(g: &LoadedGraph) -> Result<(Header, SectionBytes<'_>), String> {
    let graph = &g.graph;
    let (out, inn) = (graph.out_adjacency(), graph.in_adjacency());
    let directed = graph.is_directed();
    if g.ids.len() != graph.node_count() {
        return Err(format!(
            "id map has {} ids but the graph has {} nodes",
            g.ids.len(),
            graph.node_count()
        ));
    }
    g.ids.validate().map_err(|e| format!("id map: {e}"))?;
    if directed
        && (out.weights.is_some() != inn.weights.is_some()
            || out.signs.is_some() != inn.signs.is_some())
    {
        return Err("out- and in-adjacency disagree on weights or signs".into());
    }
    let info = graph.info();
    let flag = |on: bool, bit: u32| if on { bit } else { 0 };
    let mut header = Header::zeroed();
    header.magic = MAGIC;
    header.version = VERSION;
    header.flags = flag(directed, DIRECTED)
        | flag(graph.is_weighted(), WEIGHTED)
        | flag(graph.is_signed(), SIGNED)
        | flag(g.ids.is_string(), STRING_IDS)
        | flag(info.synthetic, SYNTHETIC);
    header.node_count = graph.node_count() as u64;
    header.arc_count = graph.arc_count() as u64;
    header.reading = info.reading.code();
    header.input_edges = info.input_edges;
    header.self_loops_dropped = info.self_loops_dropped;
    header.self_loops_kept = info.self_loops_kept;
    header.duplicates_merged = info.duplicates_merged;

    fn raw<T: Pod>(slab: &Slab<T>) -> &[u8] {
        bytemuck::cast_slice(slab.as_slice())
    }
    let mut arrays: SectionBytes<'_> = [None; SECTIONS];
    arrays[0] = Some(raw(&out.offsets));
    arrays[1] = Some(raw(&out.targets));
    if directed {
        arrays[2] = Some(raw(&inn.offsets));
        arrays[3] = Some(raw(&inn.targets));
        arrays[5] = inn.weights.as_ref().map(raw);
        arrays[7] = inn.signs.as_ref().map(raw);
    }
    arrays[4] = out.weights.as_ref().map(raw);
    arrays[6] = out.signs.as_ref().map(raw);
    match &g.ids {
        IdMap::Integer(ids) => arrays[8] = Some(raw(ids)),
        IdMap::String { offsets, bytes } => {
            arrays[9] = Some(raw(offsets));
            arrays[10] = Some(raw(bytes));
        }
    }
    arrays[11] = Some(info.provenance.as_bytes());

    let mut end = HEADER_SIZE as u64;
    for (i, bytes) in arrays.iter().enumerate() {
        if let Some(bytes) = bytes {
            let offset = end.next_multiple_of(ALIGN);
            let len = bytes.len() as u64;
            header.sections[i] = Section { offset, bytes: len, count: len / ELEMENT_SIZE[i] };
            end = offset + len;
        }
    }
    header.file_len = end;
    Ok((header, arrays))
}

/// Memory-maps the snapshot at `path`, validates it (see the module documentation) and returns
/// the graph and id map as views into the map; no array is copied.
///
/// Cost: O(file size) for the checksum and the invariant checks (the latter in parallel,
/// including one hash per arc and direction for the transpose check); memory is the page
/// cache, shared with every other process that maps the same file.
///
/// Errors: a typed [`SnapshotError`] for every kind of mismatch; never a panic, and never an
/// allocation sized by the header.
pub fn open_snapshot(path: &Path) -> Result<LoadedGraph, SnapshotError> {
    let file =
        File::open(path).map_err(|source| SnapshotError::Io { path: path.into(), source })?;
    open_snapshot_file(file, path)
}

/// Like [`open_snapshot`], for a regular file that is already open (`name` is used in
/// messages). The file is read from its start, whatever its current position.
///
/// The 448-byte header is read first with a plain read and checked against the file's length
/// (magic, version, header checksum, recorded length, section table); only then is the file
/// mapped, and only the length the header records. A file whose header does not match it
/// (a snapshot followed by gigabytes of other data, say) is refused after reading 448 bytes.
pub fn open_snapshot_file(file: File, name: &Path) -> Result<LoadedGraph, SnapshotError> {
    let path = name;
    let (header, present, map) = map_checked_header(&file, path, true)?;
    check_data(path, &header, &map)?;
    Sections { path, header: &header, present, backing: Arc::new(map) }.assemble()
}

/// Reads and checks the header of the snapshot `file` (from its start, with a plain read),
/// then maps the length it records and checks that the mapping starts with the same header.
/// `populate` pre-faults every page (for a caller that reads them all).
fn map_checked_header(
    mut file: &File,
    path: &Path,
    populate: bool,
) -> Result<(Header, [bool; SECTIONS], Mmap), SnapshotError> {
    let io_error = |source| SnapshotError::Io { path: path.to_path_buf(), source };
    refuse_big_endian(path)?;
    let len = file.metadata().map_err(io_error)?.len();
    let mut head = [0u8; HEADER_SIZE];
    file.seek(SeekFrom::Start(0)).map_err(io_error)?;
    let got = read_up_to(&mut file, &mut head).map_err(io_error)?;
    if got < HEADER_SIZE {
        // A short file that does not even start like a snapshot is not a truncated one.
        let mut found = [0u8; 8];
        found[..got.min(8)].copy_from_slice(&head[..got.min(8)]);
        return Err(short_file(path, found, got as u64));
    }
    let header: Header = bytemuck::pod_read_unaligned(&head);
    let present = check_header(path, &header, len)?;
    // `check_header` made the recorded length equal to the file's, which was mappable as a
    // whole file, so it fits in usize.
    let map = map_read_only(file, header.file_len as usize, populate).map_err(io_error)?;
    if map.len() as u64 != header.file_len || map[..HEADER_SIZE] != head {
        // The file was replaced or rewritten in place between the header read and the mapping.
        return Err(invalid(path, "the file changed while it was being opened".into()));
    }
    Ok((header, present, map))
}

/// Opens a snapshot held in memory (`name` is used in messages), validating it as
/// [`open_snapshot`] does.
///
/// The arrays are viewed in `bytes` in place when its buffer is 8-byte aligned (as heap
/// allocations are in practice); otherwise they are first copied into an aligned buffer. The
/// header is checked against `bytes.len()` before anything else is read or allocated.
pub fn open_snapshot_bytes(bytes: Vec<u8>, name: &Path) -> Result<LoadedGraph, SnapshotError> {
    let path = name;
    refuse_big_endian(path)?;
    if bytes.len() < HEADER_SIZE {
        let mut found = [0u8; 8];
        found[..bytes.len().min(8)].copy_from_slice(&bytes[..bytes.len().min(8)]);
        return Err(short_file(path, found, bytes.len() as u64));
    }
    let header: Header = bytemuck::pod_read_unaligned(&bytes[..HEADER_SIZE]);
    let present = check_header(path, &header, bytes.len() as u64)?;
    let backing: Arc<dyn Backing> = if bytes.as_ptr().align_offset(8) == 0 {
        Arc::new(bytes)
    } else {
        let mut buffer =
            AlignedBytes { words: vec![0u64; bytes.len().div_ceil(8)], len: bytes.len() };
        buffer.bytes_mut(bytes.len()).copy_from_slice(&bytes);
        Arc::new(buffer)
    };
    check_data(path, &header, (*backing).as_ref())?;
    Sections { path, header: &header, present, backing }.assemble()
}

/// Reads a snapshot from a stream that cannot be mapped (a pipe, a FIFO, stdin), validating it
/// as [`open_snapshot`] does. The arrays are read into one aligned buffer.
///
/// The header is read and checked first (magic, version, header checksum); a recorded length
/// above `max_bytes` is refused before anything more is read or allocated. Below it, memory
/// grows with the bytes that actually arrive (at most twice them), not with the recorded
/// length. Bytes after the recorded end are an error, as for a file.
pub fn read_snapshot(
    mut reader: impl Read,
    name: &Path,
    max_bytes: u64,
) -> Result<LoadedGraph, SnapshotError> {
    let path = name;
    let io_error = |source| SnapshotError::Io { path: path.to_path_buf(), source };
    refuse_big_endian(path)?;
    let mut head = [0u8; HEADER_SIZE];
    let got = read_up_to(&mut reader, &mut head).map_err(io_error)?;
    if got < HEADER_SIZE {
        let mut found = [0u8; 8];
        found[..got.min(8)].copy_from_slice(&head[..got.min(8)]);
        return Err(short_file(path, found, got as u64));
    }
    let header: Header = bytemuck::pod_read_unaligned(&head);
    check_identity(path, &header)?;
    if header.file_len > max_bytes {
        return Err(invalid(
            path,
            format!(
                "the header records {} bytes, more than the {max_bytes} bytes allowed for a \
                 snapshot read from a stream",
                header.file_len
            ),
        ));
    }
    // The section table must fit the recorded length before any of it is read.
    check_header(path, &header, header.file_len)?;
    // The buffer grows as bytes arrive (at most doubling), so a header that records more than
    // the stream holds costs only what the stream holds. Whole u64 words, so that every section
    // (64-byte offsets) is aligned for its element type.
    let want = usize::try_from(header.file_len).unwrap_or(usize::MAX);
    let mut buffer = AlignedBytes { words: vec![0u64; HEADER_SIZE / 8], len: HEADER_SIZE };
    buffer.bytes_mut(HEADER_SIZE).copy_from_slice(&head);
    while buffer.len < want {
        let next = want.min(buffer.len.saturating_mul(2).max(buffer.len + (1 << 20)));
        let words = next.div_ceil(8);
        buffer.words.try_reserve_exact(words.saturating_sub(buffer.words.len())).map_err(|e| {
            invalid(path, format!("cannot hold {next} bytes of a streamed snapshot in memory: {e}"))
        })?;
        buffer.words.resize(words, 0);
        let start = buffer.len;
        let got =
            read_up_to(&mut reader, &mut buffer.bytes_mut(next)[start..]).map_err(io_error)?;
        buffer.len += got;
        if buffer.len < next {
            break;
        }
    }
    let mut extra = [0u8; 1];
    let more = read_up_to(&mut reader, &mut extra).map_err(io_error)?;
    let seen = buffer.len as u64 + more as u64;
    let present = check_header(path, &header, seen)?;
    check_data(path, &header, buffer.as_ref())?;
    Sections { path, header: &header, present, backing: Arc::new(buffer) }.assemble()
}

/// Bytes in a `u64` buffer, so that arrays viewed in them are aligned.
struct AlignedBytes {
    words: Vec<u64>,
    len: usize,
}

impl AlignedBytes {
    fn bytes_mut(&mut self, len: usize) -> &mut [u8] {
        &mut bytemuck::cast_slice_mut(&mut self.words)[..len]
    }
}

impl AsRef<[u8]> for AlignedBytes {
    fn as_ref(&self) -> &[u8] {
        &bytemuck::cast_slice(&self.words)[..self.len]
    }
}

/// The error for a file shorter than the header: not a snapshot unless it starts like one.
fn short_file(path: &Path, found: [u8; 8], len: u64) -> SnapshotError {
    let start = &found[..len.min(8) as usize];
    if !MAGIC.starts_with(start) {
        return SnapshotError::BadMagic { path: path.into(), found };
    }
    SnapshotError::TooShort { path: path.into(), needed: HEADER_SIZE as u64, found: len }
}

/// Maps the first `len` bytes of `file` read-only, pre-faulting their pages when `populate`
/// (the checksum of a whole open reads all of them anyway).
#[allow(unsafe_code)]
fn map_read_only(file: &File, len: usize, populate: bool) -> io::Result<Mmap> {
    // SAFETY: memmap2 requires that the mapped file is not modified or truncated while the map
    // lives; otherwise the slices viewed through it could change under us (breaking the checks
    // made at open) or fault (SIGBUS). clout never modifies a snapshot in place: `write_snapshot`
    // writes a new file and renames it over the old path, which leaves existing maps on the old
    // inode untouched. Another program rewriting the file in place is outside what we can guard
    // against, as for every memory-mapped format; this is the workspace's documented exception
    // to `unsafe_code = "deny"`.
    let mut options = MmapOptions::new();
    options.len(len);
    if populate {
        options.populate();
    }
    unsafe { options.map(file) }
}

/// Checks that the header is a snapshot header this build reads: magic, version, checksum.
fn check_identity(path: &Path, h: &Header) -> Result<(), SnapshotError> {
    let path_buf = || path.to_path_buf();
    if h.magic != MAGIC {
        return Err(SnapshotError::BadMagic { path: path_buf(), found: h.magic });
    }
    if h.version != VERSION {
        return Err(SnapshotError::UnsupportedVersion {
            path: path_buf(),
            found: h.version,
            supported: VERSION,
        });
    }
    if xxh3_64(&bytemuck::bytes_of(h)[..CHECKSUMMED]) != h.header_checksum {
        return Err(SnapshotError::HeaderChecksum { path: path_buf() });
    }
    Ok(())
}

/// Checks everything the header says against itself and the file length. Returns which
/// sections are present.
fn check_header(path: &Path, h: &Header, file_len: u64) -> Result<[bool; SECTIONS], SnapshotError> {
    let path_buf = || path.to_path_buf();
    check_identity(path, h)?;
    // Everything the header says is checked against the length it records first, and the
    // actual length last, so a mapped file, bytes in memory and a stream (which knows its
    // length only at the end) report the same first problem.
    let recorded = h.file_len;
    if h.flags & !KNOWN_FLAGS != 0 {
        return Err(invalid(path, format!("unknown flags {:#x}", h.flags & !KNOWN_FLAGS)));
    }
    if EdgeReading::from_code(h.reading).is_none() {
        return Err(invalid(path, format!("unknown edge reading code {}", h.reading)));
    }
    if h.reserved_a != 0 || h.reserved_b != [0; 8] {
        return Err(invalid(path, "reserved header fields are not zero".into()));
    }
    let n = h.node_count;
    if n > u32::MAX as u64 {
        return Err(invalid(path, format!("node count {n} exceeds the u32 id space")));
    }
    let present = present_sections(h.flags);
    let m = h.arc_count;
    // Expected element counts (None: any); n + 1 cannot overflow since n <= u32::MAX.
    let expected = [Some(n + 1), Some(m), Some(n + 1), Some(m), Some(m), Some(m), Some(m), Some(m)];
    let expected_ids = [Some(n), Some(n + 1), None, None];
    let mut end = HEADER_SIZE as u64;
    for i in 0..SECTIONS {
        let (s, name) = (h.sections[i], NAMES[i]);
        if !present[i] {
            if s != Section::default() {
                return Err(invalid(
                    path,
                    format!("section {name} is recorded but the flags exclude it"),
                ));
            }
            continue;
        }
        if s.offset % ALIGN != 0 {
            return Err(SnapshotError::Misaligned { path: path_buf(), name, offset: s.offset });
        }
        let section_end =
            s.offset.checked_add(s.bytes).filter(|&e| s.offset >= end && e <= recorded);
        let Some(section_end) = section_end else {
            let (offset, bytes) = (s.offset, s.bytes);
            return Err(SnapshotError::SectionOutOfBounds {
                path: path_buf(),
                name,
                offset,
                bytes,
                file_len: recorded,
            });
        };
        if s.count.checked_mul(ELEMENT_SIZE[i]) != Some(s.bytes) {
            let reason = format!("section {name} has {} bytes for {} elements", s.bytes, s.count);
            return Err(invalid(path, reason));
        }
        // The writer starts each section at the first aligned offset after the previous one;
        // anything else would leave bytes that no check reads.
        if Some(s.offset) != end.checked_next_multiple_of(ALIGN) {
            return Err(invalid(
                path,
                format!(
                    "section {name} starts at offset {}, not at the first multiple of {ALIGN} \
                     after the previous section ({end})",
                    s.offset
                ),
            ));
        }
        let want = if i < 8 { expected[i] } else { expected_ids[i - 8] };
        if let Some(want) = want.filter(|&w| w != s.count) {
            return Err(invalid(
                path,
                format!("section {name} has {} elements, expected {want}", s.count),
            ));
        }
        end = section_end;
    }
    if end != recorded {
        return Err(invalid(
            path,
            format!("the last section ends at {end}, the recorded length is {recorded}"),
        ));
    }
    if file_len < recorded {
        return Err(SnapshotError::TooShort {
            path: path_buf(),
            needed: recorded,
            found: file_len,
        });
    }
    if file_len > recorded {
        return Err(invalid(
            path,
            format!("{} unexpected bytes after the recorded end", file_len - recorded),
        ));
    }
    Ok(present)
}

/// Checks the bytes after the header (all of `bytes`, whose length `check_header` accepted):
/// the data checksum, then that the padding before each section is zero, so that an accepted
/// file is the one byte sequence [`write_snapshot`] gives for its graph.
fn check_data(path: &Path, h: &Header, bytes: &[u8]) -> Result<(), SnapshotError> {
    let found = xxh3_64(&bytes[HEADER_SIZE..]);
    if found != h.data_checksum {
        let expected = h.data_checksum;
        return Err(SnapshotError::DataChecksum { path: path.into(), expected, found });
    }
    check_padding(path, h, bytes)
}

/// Checks that the padding before each section is zero (reads only the padding).
fn check_padding(path: &Path, h: &Header, bytes: &[u8]) -> Result<(), SnapshotError> {
    // Sections are in table order within the file (`check_header`), so the padding before
    // each present section starts where the previous one ended.
    let mut end = HEADER_SIZE;
    for (i, s) in h.sections.iter().enumerate() {
        if *s == Section::default() {
            continue;
        }
        let (start, section_end) = (s.offset as usize, (s.offset + s.bytes) as usize);
        if bytes[end..start].iter().any(|&b| b != 0) {
            return Err(invalid(
                path,
                format!("the padding before section {} is not zero", NAMES[i]),
            ));
        }
        end = section_end;
    }
    Ok(())
}

/// Which sections the flags call for, in table order.
fn present_sections(flags: u32) -> [bool; SECTIONS] {
    let on = |bit: u32| flags & bit != 0;
    let (directed, weighted, signed, strings) =
        (on(DIRECTED), on(WEIGHTED), on(SIGNED), on(STRING_IDS));
    [
        true,
        true,
        directed,
        directed,
        weighted,
        weighted && directed,
        signed,
        signed && directed,
        !strings,
        strings,
        strings,
        true,
    ]
}

/// The checked sections of a mapped snapshot.
struct Sections<'a> {
    path: &'a Path,
    header: &'a Header,
    present: [bool; SECTIONS],
    backing: Arc<dyn Backing>,
}

impl Sections<'_> {
    /// A slab over section `i`, or `None` if it is absent. Bounds were checked in
    /// `check_header`; a failure here is still reported, never a panic.
    fn get<T: Pod>(&self, i: usize) -> Result<Option<Slab<T>>, SnapshotError> {
        if !self.present[i] {
            return Ok(None);
        }
        let (s, name, path) = (self.header.sections[i], NAMES[i], self.path.to_path_buf());
        // Offsets and counts fit in usize: they lie within the mapped file.
        let slab = Slab::from_shared(self.backing.clone(), s.offset as usize, s.count as usize);
        slab.map(Some).map_err(|e| match e {
            SlabError::OutOfBounds { available, .. } => SnapshotError::SectionOutOfBounds {
                path,
                name,
                offset: s.offset,
                bytes: s.bytes,
                file_len: available as u64,
            },
            SlabError::Misaligned { .. } => {
                SnapshotError::Misaligned { path, name, offset: s.offset }
            }
        })
    }

    /// A section the flags always call for when `get` is asked for it.
    fn required<T: Pod>(&self, i: usize) -> Result<Slab<T>, SnapshotError> {
        Ok(self.get(i)?.unwrap_or_default())
    }

    fn adjacency(&self, first: usize) -> Result<Adjacency, SnapshotError> {
        // out: sections 0, 1, 4, 6; in: 2, 3, 5, 7.
        let attr = first / 2;
        Ok(Adjacency {
            offsets: self.required(first)?,
            targets: self.required(first + 1)?,
            weights: self.get(4 + attr)?,
            signs: self.get(6 + attr)?,
        })
    }

    /// The header's facts and the provenance section (checked to be UTF-8).
    fn info(&self) -> Result<GraphInfo, SnapshotError> {
        let h = self.header;
        let provenance: Slab<u8> = self.required(11)?;
        let provenance = std::str::from_utf8(&provenance)
            .map_err(|_| invalid(self.path, "provenance is not UTF-8".into()))?
            .to_owned();
        Ok(GraphInfo {
            // Checked in `check_header`.
            reading: EdgeReading::from_code(h.reading).unwrap_or_default(),
            synthetic: h.flags & SYNTHETIC != 0,
            provenance,
            input_edges: h.input_edges,
            self_loops_dropped: h.self_loops_dropped,
            self_loops_kept: h.self_loops_kept,
            duplicates_merged: h.duplicates_merged,
        })
    }

    /// The id map, validated.
    fn ids(&self) -> Result<IdMap, SnapshotError> {
        let ids = if self.header.flags & STRING_IDS != 0 {
            IdMap::String { offsets: self.required(9)?, bytes: self.required(10)? }
        } else {
            IdMap::Integer(self.required(8)?)
        };
        ids.validate().map_err(|e| invalid(self.path, format!("id map: {e}")))?;
        Ok(ids)
    }

    /// Assembles the graph and id map, checking their invariants.
    fn assemble(self) -> Result<LoadedGraph, SnapshotError> {
        let (h, path) = (self.header, self.path);
        let directed = h.flags & DIRECTED != 0;
        let out_adj = self.adjacency(0)?;
        let in_adj = if directed { self.adjacency(2)? } else { out_adj.clone() };
        let info = self.info()?;
        // node_count <= u32::MAX was checked in `check_header`.
        let graph = Graph::from_parts(h.node_count as u32, directed, out_adj, in_adj, info)
            .map_err(|e| invalid(path, e.to_string()))?;
        let loops = arcs::check_arcs(&graph).map_err(|reason| invalid(path, reason))?;
        check_counters(&graph, loops).map_err(|reason| invalid(path, reason))?;
        let ids = self.ids()?;
        Ok(LoadedGraph { graph, ids })
    }
}

/// Checks the kept-self-loop counter in the header against the self-loop arcs (`loops`): an
/// undirected graph's edge count is derived from it, so there it must be exact; a directed
/// graph's may be larger in files written before merged duplicate self-loops stopped counting
/// as kept, but never smaller.
fn check_counters(g: &Graph, loops: u64) -> Result<(), String> {
    let kept = g.info().self_loops_kept;
    if kept < loops || (!g.is_directed() && kept != loops) {
        return Err(format!(
            "the header records {kept} kept self-loops but the graph has {loops} self-loop arcs"
        ));
    }
    Ok(())
}

fn invalid(path: &Path, reason: String) -> SnapshotError {
    SnapshotError::Invalid { path: path.to_path_buf(), reason }
}

fn refuse_big_endian(path: &Path) -> Result<(), SnapshotError> {
    if cfg!(target_endian = "big") {
        Err(SnapshotError::BigEndian { path: path.into() })
    } else {
        Ok(())
    }
}
