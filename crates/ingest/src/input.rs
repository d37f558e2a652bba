//! Opening inputs: a file path, or `-` for stdin. Compression is detected from the first bytes
//! (gzip `1f 8b`, zstd `28 b5 2f fd` or a zstd skippable frame `5? 2a 4d 18`), never from the
//! file name, and decompressed as a stream: gzip with flate2's multi-member decoder, zstd with
//! ruzstd, frame after frame (skippable frames skipped, content checksums verified, declared
//! content sizes enforced, windows above [`ZSTD_MAX_WINDOW`] refused). A stream that ends early
//! or does not decode is an error naming the file ("truncated or corrupt gzip stream"), never
//! silently short data.
//!
//! [`Opened`] is the decompressed byte stream (it implements [`Read`]) and counts the bytes it
//! has consumed from the underlying file, for progress reporting.

use std::ffi::OsStr;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};

use crate::error::ReadError;

/// Where edges come from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Input {
    /// A file (plain, gzip or zstd).
    Path(PathBuf),
    /// Standard input (`-` on the command line). It can be read only once.
    Stdin,
}

impl Input {
    /// `-` means stdin; anything else is a path.
    pub fn from_arg(arg: impl AsRef<OsStr>) -> Input {
        let arg = arg.as_ref();
        if arg == "-" { Input::Stdin } else { Input::Path(PathBuf::from(arg)) }
    }

    /// The name used in messages and provenance: the path as given, or `<stdin>`.
    pub fn name(&self) -> String {
        match self {
            Input::Path(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }
}

impl From<PathBuf> for Input {
    fn from(path: PathBuf) -> Self {
        Input::Path(path)
    }
}

impl From<&std::path::Path> for Input {
    fn from(path: &std::path::Path) -> Self {
        Input::Path(path.to_path_buf())
    }
}

/// How an input is compressed, as told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain text.
    None,
    /// gzip (`1f 8b`), possibly several members.
    Gzip,
    /// Zstandard (`28 b5 2f fd`, or a skippable frame `5? 2a 4d 18` as pzstd writes first),
    /// possibly several frames.
    Zstd,
}

impl Compression {
    /// Detects compression from the first (up to) four bytes of a stream.
    pub fn detect(prefix: &[u8]) -> Compression {
        if prefix.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if let Some(magic) = prefix.first_chunk::<4>().map(|m| u32::from_le_bytes(*m))
            && (magic == ZSTD_MAGIC || is_skippable(magic))
        {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// `plain`, `gzip` or `zstd`.
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "plain",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// Counters shared between the raw source and the [`Opened`] handle.
#[derive(Debug, Default)]
struct SourceStats {
    /// Bytes read from the underlying file or reader (compressed bytes for compressed input).
    consumed: AtomicU64,
    /// Set when the underlying reader itself failed (as opposed to the decoder).
    source_failed: AtomicBool,
}

/// Counts what passes through and records whether the underlying reader failed.
struct Counting<R> {
    inner: R,
    stats: Arc<SourceStats>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.stats.consumed.fetch_add(n as u64, Ordering::Relaxed);
                Ok(n)
            }
            Err(e) => {
                if e.kind() != io::ErrorKind::Interrupted {
                    self.stats.source_failed.store(true, Ordering::Relaxed);
                }
                Err(e)
            }
        }
    }
}

/// A decoder failure, carried inside an `io::Error` so [`Opened`] can implement [`Read`].
#[derive(Debug)]
struct CorruptStream(String);

impl fmt::Display for CorruptStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CorruptStream {}

/// An open input: the decompressed bytes, readable with [`Read`] or [`Opened::fill`].
pub struct Opened<'a> {
    name: String,
    compression: Compression,
    stats: Arc<SourceStats>,
    reader: Box<dyn Read + Send + 'a>,
    decompressed: u64,
}

impl fmt::Debug for Opened<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Opened")
            .field("name", &self.name)
            .field("compression", &self.compression)
            .field("decompressed", &self.decompressed)
            .finish_non_exhaustive()
    }
}

/// Reads until `buf` is full or the reader ends (retrying interrupted reads); returns the
/// number of bytes read.
pub(crate) fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match reader.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Buffer between a compressed file and its decoder.
const COMPRESSED_BUFFER: usize = 256 * 1024;

/// Opens a file, or stdin for [`Input::Stdin`], detecting compression from its magic bytes.
pub fn open(input: &Input) -> Result<Opened<'static>, ReadError> {
    match input {
        Input::Path(path) => {
            let name = input.name();
            let file = File::open(path).map_err(|source| ReadError::Io {
                file: name.clone(),
                action: "cannot open",
                source,
            })?;
            open_reader(name, file)
        }
        Input::Stdin => open_reader(input.name(), io::stdin()),
    }
}

/// Wraps any reader (stdin, a socket, a byte slice in a test) as an input named `name`,
/// detecting compression from its first bytes.
pub fn open_reader<'a>(
    name: impl Into<String>,
    reader: impl Read + Send + 'a,
) -> Result<Opened<'a>, ReadError> {
    let name = name.into();
    let stats = Arc::new(SourceStats::default());
    let mut raw = Counting { inner: reader, stats: Arc::clone(&stats) };
    // Peek the magic bytes: a pipe may deliver them one read at a time.
    let mut magic = [0u8; 4];
    let got = match read_up_to(&mut raw, &mut magic) {
        Ok(got) => got,
        Err(source) => return Err(ReadError::Io { file: name, action: "cannot read", source }),
    };
    let compression = Compression::detect(&magic[..got]);
    let source = io::Cursor::new(magic[..got].to_vec()).chain(raw);
    let reader: Box<dyn Read + Send + 'a> = match compression {
        Compression::None => Box::new(source),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(
            BufReader::with_capacity(COMPRESSED_BUFFER, source),
        )),
        Compression::Zstd => {
            Box::new(ZstdFrames::new(BufReader::with_capacity(COMPRESSED_BUFFER, source)))
        }
    };
    Ok(Opened { name, compression, stats, reader, decompressed: 0 })
}

impl Opened<'_> {
    /// The input's name, as used in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The compression detected from the magic bytes.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// Bytes consumed from the underlying file so far (compressed bytes for compressed input).
    pub fn consumed_bytes(&self) -> u64 {
        self.stats.consumed.load(Ordering::Relaxed)
    }

    /// Decompressed bytes delivered so far.
    pub fn decompressed_bytes(&self) -> u64 {
        self.decompressed
    }

    /// Reads until `buf` is full or the input ends; returns the number of bytes written.
    /// Errors name the file and say whether the file or its compressed stream is at fault.
    pub fn fill(&mut self, buf: &mut [u8]) -> Result<usize, ReadError> {
        read_up_to(self, buf).map_err(|e| self.describe(e))
    }

    /// Turns an error from [`Read::read`] into a [`ReadError`] naming the file.
    pub fn describe(&self, error: io::Error) -> ReadError {
        if self.compression != Compression::None
            && !self.stats.source_failed.load(Ordering::Relaxed)
        {
            let detail = match error.get_ref().and_then(|e| e.downcast_ref::<CorruptStream>()) {
                Some(corrupt) => corrupt.0.clone(),
                None => error.to_string(),
            };
            ReadError::Corrupt {
                file: self.name.clone(),
                format: self.compression.name(),
                detail,
                decompressed: self.decompressed,
            }
        } else {
            ReadError::Io { file: self.name.clone(), action: "read error", source: error }
        }
    }
}

impl Read for Opened<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.reader.read(buf)?;
        self.decompressed += n as u64;
        Ok(n)
    }
}

/// The magic number that starts every Zstandard data frame (RFC 8878, section 3.1.1).
const ZSTD_MAGIC: u32 = 0xFD2F_B528;

/// Whether `magic` starts a skippable frame (`0x184D2A50 ..= 0x184D2A5F`, RFC 8878 3.1.2).
fn is_skippable(magic: u32) -> bool {
    magic & 0xFFFF_FFF0 == 0x184D_2A50
}

/// The largest zstd window (history the decoder keeps in memory) a frame may ask for: 128 MiB,
/// the limit the reference decoder applies unless told otherwise (`--memory`, `--long`).
/// Without it a small file could make the decoder hold gigabytes.
pub const ZSTD_MAX_WINDOW: u64 = 1 << 27;

/// A multi-frame Zstandard decoder: ruzstd's [`FrameDecoder`] driven frame after frame, with
/// skippable frames skipped, content checksums verified, and each frame's declared content
/// size (when it declares one) enforced. Frame headers are parsed here first, so that a
/// window above [`ZSTD_MAX_WINDOW`] is refused before the decoder allocates for it.
struct ZstdFrames<R: BufRead> {
    source: R,
    decoder: FrameDecoder,
    in_frame: bool,
    /// The current frame's declared content size, if it declares one.
    declared: Option<u64>,
    /// Bytes the current frame has produced so far.
    produced: u64,
}

fn corrupt(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, CorruptStream(message))
}

/// What a frame header says, as far as the checks here need it.
#[derive(Debug, PartialEq, Eq)]
struct FrameHeader {
    /// Bytes of the header (magic included).
    len: usize,
    /// `Frame_Content_Size`, if present.
    content_size: Option<u64>,
    /// The window size the decoder must keep.
    window: u64,
}

/// Parses a data frame's header from its descriptor byte and the bytes after it (RFC 8878,
/// section 3.1.1.1). `rest` must hold at least `header_rest_len(descriptor)` bytes.
fn parse_frame_header(descriptor: u8, rest: &[u8]) -> FrameHeader {
    let single_segment = descriptor & 0x20 != 0;
    let window_bytes = usize::from(!single_segment);
    let dict_bytes = [0, 1, 2, 4][usize::from(descriptor & 3)];
    let fcs_bytes = header_rest_len(descriptor) - window_bytes - dict_bytes;
    let fcs_field = &rest[window_bytes + dict_bytes..][..fcs_bytes];
    let mut content_size = None;
    if fcs_bytes > 0 {
        let mut le = [0u8; 8];
        le[..fcs_bytes].copy_from_slice(fcs_field);
        let raw = u64::from_le_bytes(le);
        content_size = Some(if fcs_bytes == 2 { raw + 256 } else { raw });
    }
    let window = if single_segment {
        content_size.unwrap_or(0)
    } else {
        let exponent = u64::from(rest[0] >> 3);
        let mantissa = u64::from(rest[0] & 7);
        let base = 1u64 << (10 + exponent);
        base + base / 8 * mantissa
    };
    FrameHeader { len: 5 + header_rest_len(descriptor), content_size, window }
}

/// Header bytes after the descriptor byte: window descriptor, dictionary id, content size.
fn header_rest_len(descriptor: u8) -> usize {
    let single_segment = descriptor & 0x20 != 0;
    let fcs = match descriptor >> 6 {
        0 => usize::from(single_segment),
        1 => 2,
        2 => 4,
        _ => 8,
    };
    usize::from(!single_segment) + [0, 1, 2, 4][usize::from(descriptor & 3)] + fcs
}

/// Reads exactly `buf.len()` bytes, or fails with `what` named as truncated.
fn read_field(source: &mut impl Read, buf: &mut [u8], what: &str) -> io::Result<()> {
    source.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => corrupt(format!("the stream ends inside {what}")),
        _ => e,
    })
}

impl<R: BufRead> ZstdFrames<R> {
    fn new(source: R) -> Self {
        ZstdFrames {
            source,
            decoder: FrameDecoder::new(),
            in_frame: false,
            declared: None,
            produced: 0,
        }
    }

    /// Starts the next data frame; returns false at a clean end of the stream.
    fn next_frame(&mut self) -> io::Result<bool> {
        loop {
            if self.source.fill_buf()?.is_empty() {
                return Ok(false);
            }
            let mut head = [0u8; 18];
            read_field(&mut self.source, &mut head[..4], "a frame's magic number")?;
            let magic = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
            if is_skippable(magic) {
                let mut len = [0u8; 4];
                read_field(&mut self.source, &mut len, "a skippable frame's header")?;
                let length = u64::from(u32::from_le_bytes(len));
                let skipped = io::copy(&mut (&mut self.source).take(length), &mut io::sink())?;
                if skipped != length {
                    return Err(corrupt("the stream ends inside a skippable frame".into()));
                }
                continue;
            }
            if magic != ZSTD_MAGIC {
                return Err(corrupt(format!(
                    "expected a zstd frame, found bytes {:02x} {:02x} {:02x} {:02x}",
                    head[0], head[1], head[2], head[3]
                )));
            }
            read_field(&mut self.source, &mut head[4..5], "a frame header")?;
            if head[4] & 0x08 != 0 {
                return Err(corrupt("a frame header has its reserved bit set".into()));
            }
            let rest_len = header_rest_len(head[4]);
            read_field(&mut self.source, &mut head[5..5 + rest_len], "a frame header")?;
            let header = parse_frame_header(head[4], &head[5..5 + rest_len]);
            if header.window > ZSTD_MAX_WINDOW {
                return Err(corrupt(format!(
                    "a frame needs a {} MiB window, more than the {} MiB allowed",
                    header.window.div_ceil(1 << 20),
                    ZSTD_MAX_WINDOW >> 20
                )));
            }
            self.decoder.reset(&head[..header.len]).map_err(|e| corrupt(e.to_string()))?;
            self.declared = header.content_size;
            self.produced = 0;
            return Ok(true);
        }
    }

    /// Checks the finished frame: content size as declared, checksum as stored.
    fn finish_frame(&self) -> io::Result<()> {
        if let Some(declared) = self.declared
            && declared != self.produced
        {
            let holds = if self.produced > declared { "more" } else { "only" };
            return Err(corrupt(format!(
                "a frame declares {declared} bytes of content but holds {holds} ({})",
                self.produced
            )));
        }
        let decoder = &self.decoder;
        if let (Some(stored), Some(computed)) =
            (decoder.get_checksum_from_data(), decoder.get_calculated_checksum())
            && stored != computed
        {
            return Err(corrupt(format!(
                "content checksum mismatch (stored {stored:08x}, computed {computed:08x})"
            )));
        }
        Ok(())
    }
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.in_frame {
                if !self.next_frame()? {
                    return Ok(0);
                }
                self.in_frame = true;
            }
            let decoder = &mut self.decoder;
            while decoder.can_collect() < buf.len() && !decoder.is_finished() {
                let wanted = buf.len() - decoder.can_collect();
                decoder
                    .decode_blocks(&mut self.source, BlockDecodingStrategy::UptoBytes(wanted))
                    .map_err(|e| corrupt(e.to_string()))?;
            }
            let n = decoder.read(buf)?;
            self.produced += n as u64;
            if self.declared.is_some_and(|declared| self.produced > declared) {
                // Stop as soon as the frame holds more than it declared.
                self.finish_frame()?;
            }
            if n > 0 {
                return Ok(n);
            }
            // The frame is finished and drained: check it, then go to the next one.
            self.finish_frame()?;
            self.in_frame = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
        let mut opened = open_reader("t", bytes)?;
        let mut out = vec![0u8; 1 << 16];
        let n = opened.fill(&mut out)?;
        out.truncate(n);
        Ok(out)
    }

    #[test]
    fn detects_by_magic() {
        assert_eq!(Compression::detect(&[0x1f, 0x8b, 8, 0]), Compression::Gzip);
        assert_eq!(Compression::detect(&[0x28, 0xb5, 0x2f, 0xfd]), Compression::Zstd);
        assert_eq!(Compression::detect(b"1 2\n"), Compression::None);
        assert_eq!(Compression::detect(&[0x28, 0xb5]), Compression::None);
        assert_eq!(Compression::detect(b""), Compression::None);
    }

    #[test]
    fn short_plain_inputs_pass_through() {
        assert_eq!(read_all(b"").unwrap(), b"");
        assert_eq!(read_all(b"1").unwrap(), b"1");
        assert_eq!(read_all(b"1 2\n3 4\n").unwrap(), b"1 2\n3 4\n");
    }

    /// A zstd frame holding `content` in one raw block, declaring `declared` as its content
    /// size (single-segment, 4-byte content-size field) or no size at all (`None`, window 1 KiB).
    fn raw_frame(content: &[u8], declared: Option<u32>) -> Vec<u8> {
        let mut frame = ZSTD_MAGIC.to_le_bytes().to_vec();
        match declared {
            Some(size) => {
                frame.push(0b1010_0000); // 4-byte content size, single segment
                frame.extend_from_slice(&size.to_le_bytes());
            }
            None => frame.extend_from_slice(&[0, 0]), // no content size; window 2^10
        }
        let block_header = (content.len() as u32) << 3 | 1; // raw block, last
        frame.extend_from_slice(&block_header.to_le_bytes()[..3]);
        frame.extend_from_slice(content);
        frame
    }

    #[test]
    fn zstd_streams_may_start_with_a_skippable_frame() {
        // pzstd writes a skippable frame (magic 0x184D2A50) with the frame sizes first.
        let mut data = vec![0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 1, 2, 3, 4];
        data.extend(raw_frame(b"1 2\n", None));
        assert_eq!(Compression::detect(&data), Compression::Zstd);
        assert_eq!(read_all(&data).unwrap(), b"1 2\n");
        // Any of the sixteen skippable magics, and a stream of nothing but a skippable frame.
        let only_skippable = [0x5f, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 7, 7];
        assert_eq!(Compression::detect(&only_skippable), Compression::Zstd);
        assert_eq!(read_all(&only_skippable).unwrap(), b"");
        let err = read_all(&only_skippable[..9]).unwrap_err().to_string();
        assert!(err.contains("ends inside a skippable frame"), "{err}");
        assert_eq!(Compression::detect(&[0x60, 0x2a, 0x4d, 0x18]), Compression::None);
    }

    #[test]
    fn zstd_frames_must_hold_their_declared_content_size() {
        assert_eq!(read_all(&raw_frame(b"1 2\n", Some(4))).unwrap(), b"1 2\n");
        assert_eq!(read_all(&raw_frame(b"", Some(0))).unwrap(), b"");
        for declared in [0, 3, 5, 1 << 20] {
            let err = read_all(&raw_frame(b"1 2\n", Some(declared))).unwrap_err().to_string();
            assert!(err.contains(&format!("declares {declared} bytes")), "{err}");
            assert!(err.contains("corrupt zstd stream"), "{err}");
        }
        // The second of two frames lies.
        let mut two = raw_frame(b"1 2\n", Some(4));
        two.extend(raw_frame(b"3 4\n", Some(9)));
        let err = read_all(&two).unwrap_err().to_string();
        assert!(err.contains("declares 9 bytes of content but holds only (4)"), "{err}");
    }

    #[test]
    fn zstd_windows_above_the_limit_are_refused() {
        // Window descriptor exponent 17: 2^27 bytes, the limit; 18: 2^28.
        let mut at_limit = raw_frame(b"5 6\n", None);
        at_limit[5] = 17 << 3;
        assert_eq!(read_all(&at_limit).unwrap(), b"5 6\n");
        let mut above = at_limit.clone();
        above[5] = 18 << 3;
        let err = read_all(&above).unwrap_err().to_string();
        assert!(err.contains("a frame needs a 256 MiB window, more than the 128 MiB"), "{err}");
        // A single-segment frame's window is its content size.
        let big = raw_frame(b"", Some((ZSTD_MAX_WINDOW + 1) as u32));
        let err = read_all(&big).unwrap_err().to_string();
        assert!(err.contains("MiB window"), "{err}");
        let mut reserved = raw_frame(b"", Some(0));
        reserved[4] |= 0x08;
        let err = read_all(&reserved).unwrap_err().to_string();
        assert!(err.contains("reserved bit"), "{err}");
    }

    #[test]
    fn zstd_frames_concatenate_and_truncation_fails() {
        use ruzstd::encoding::{CompressionLevel, compress_to_vec};
        let mut data = compress_to_vec(&b"1 2\n"[..], CompressionLevel::Fastest);
        // A skippable frame between two data frames.
        data.extend_from_slice(&[0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9]);
        data.extend(compress_to_vec(&b"3 4\n"[..], CompressionLevel::Fastest));
        assert_eq!(read_all(&data).unwrap(), b"1 2\n3 4\n");
        let cut = &data[..data.len() - 3];
        let err = read_all(cut).unwrap_err().to_string();
        assert!(err.contains("truncated or corrupt zstd stream"), "{err}");
    }
}
