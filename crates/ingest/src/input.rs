//! Opening inputs: a file path, or `-` for stdin. Compression is detected from the first bytes
//! (gzip `1f 8b`, zstd `28 b5 2f fd`), never from the file name, and decompressed as a stream:
//! gzip with flate2's multi-member decoder, zstd with ruzstd, frame after frame (skippable
//! frames skipped, content checksums verified). A stream that ends early or does not decode is
//! an error naming the file ("truncated or corrupt gzip stream"), never silently short data.
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

use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};

use crate::read::ReadError;

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

    /// Whether the input is a regular file, which can be read a second time (for example to
    /// re-read it with string ids).
    pub fn is_regular_file(&self) -> bool {
        match self {
            Input::Path(p) => std::fs::metadata(p).is_ok_and(|m| m.is_file()),
            Input::Stdin => false,
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
    /// Zstandard (`28 b5 2f fd`), possibly several frames.
    Zstd,
}

impl Compression {
    /// Detects compression from the first (up to) four bytes of a stream.
    pub fn detect(prefix: &[u8]) -> Compression {
        if prefix.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if prefix.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
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
    let mut got = 0;
    while got < magic.len() {
        match raw.read(&mut magic[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(source) => return Err(ReadError::Io { file: name, action: "cannot read", source }),
        }
    }
    let compression = Compression::detect(&magic[..got]);
    let source = io::Cursor::new(magic[..got].to_vec()).chain(raw);
    let reader: Box<dyn Read + Send + 'a> = match compression {
        Compression::None => Box::new(source),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(
            BufReader::with_capacity(COMPRESSED_BUFFER, source),
        )),
        Compression::Zstd => Box::new(ZstdFrames {
            source: BufReader::with_capacity(COMPRESSED_BUFFER, source),
            decoder: FrameDecoder::new(),
            in_frame: false,
        }),
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
        let mut filled = 0;
        while filled < buf.len() {
            match self.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.describe(e)),
            }
        }
        Ok(filled)
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

/// A multi-frame Zstandard decoder: ruzstd's [`FrameDecoder`] driven frame after frame, with
/// skippable frames skipped and content checksums verified.
struct ZstdFrames<R: BufRead> {
    source: R,
    decoder: FrameDecoder,
    in_frame: bool,
}

fn corrupt(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, CorruptStream(message))
}

impl<R: BufRead> ZstdFrames<R> {
    /// Starts the next frame; returns false at a clean end of the stream.
    fn next_frame(&mut self) -> io::Result<bool> {
        loop {
            if self.source.fill_buf()?.is_empty() {
                return Ok(false);
            }
            match self.decoder.reset(&mut self.source) {
                Ok(()) => return Ok(true),
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                    length,
                    ..
                })) => {
                    let skipped =
                        io::copy(&mut (&mut self.source).take(length as u64), &mut io::sink())?;
                    if skipped != length as u64 {
                        return Err(corrupt("skippable frame ends early".into()));
                    }
                }
                Err(e) => return Err(corrupt(e.to_string())),
            }
        }
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
            if n > 0 {
                return Ok(n);
            }
            // The frame is finished and drained: check its checksum, then go to the next one.
            if let (Some(stored), Some(computed)) =
                (decoder.get_checksum_from_data(), decoder.get_calculated_checksum())
                && stored != computed
            {
                return Err(corrupt(format!(
                    "content checksum mismatch (stored {stored:08x}, computed {computed:08x})"
                )));
            }
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
