//! A minimal reader of tar archives (POSIX ustar and GNU long names), enough to stream the
//! regular files of a propagation-tree archive without unpacking it.
//!
//! A tar file is a sequence of 512-byte blocks: each member has a header block (name at bytes
//! 0..100, size in octal at 124..136, type at 156, ustar prefix at 345..500), then its data
//! padded to a whole block; two zero blocks end the archive. Written here rather than taken
//! from a crate because reading is 60 lines and only regular files are needed.

use std::io::Read;

use crate::error::LogError;

const BLOCK: usize = 512;
/// Largest member read into memory (a tree file is at most a few MB).
const MAX_MEMBER: u64 = 1 << 30;

fn field(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    &bytes[..end]
}

fn octal(bytes: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(field(bytes)).ok()?.trim();
    if text.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(text, 8).ok()
}

/// What to do with one member: its name and contents.
pub(crate) type Visit<'a> = dyn FnMut(&str, Vec<u8>) -> Result<(), LogError> + 'a;

/// Calls `visit(name, bytes)` for every regular file of the archive, in archive order.
pub(crate) fn for_each_file(
    mut reader: impl Read,
    archive: &str,
    visit: &mut Visit<'_>,
) -> Result<(), LogError> {
    let bad = |message: String| LogError::Archive { file: archive.to_string(), message };
    let read_err = |e: std::io::Error| bad(format!("not a readable tar archive: {e}"));
    let mut header = [0u8; BLOCK];
    let mut long_name: Option<String> = None;
    loop {
        match reader.read_exact(&mut header) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(read_err(e)),
        }
        if header.iter().all(|&b| b == 0) {
            return Ok(());
        }
        let computed: u64 = header
            .iter()
            .enumerate()
            .map(|(i, &b)| if (148..156).contains(&i) { b' ' as u64 } else { b as u64 })
            .sum();
        if octal(&header[148..156]) != Some(computed) {
            return Err(bad("not a tar archive (header checksum mismatch)".into()));
        }
        let size = octal(&header[124..136]).ok_or_else(|| bad("bad member size".into()))?;
        if size > MAX_MEMBER {
            return Err(bad(format!("member of {size} bytes is too large for a log file")));
        }
        let mut data = vec![0u8; size as usize];
        reader.read_exact(&mut data).map_err(read_err)?;
        let pad = (BLOCK - (size as usize % BLOCK)) % BLOCK;
        let mut skip = [0u8; BLOCK];
        reader.read_exact(&mut skip[..pad]).map_err(read_err)?;
        let kind = header[156];
        match kind {
            b'L' => {
                long_name = Some(String::from_utf8_lossy(field(&data)).into_owned());
            }
            b'0' | 0 => {
                let name = match long_name.take() {
                    Some(n) => n,
                    None => {
                        let name = String::from_utf8_lossy(field(&header[..100])).into_owned();
                        let prefix = String::from_utf8_lossy(field(&header[345..500]));
                        if &header[257..262] == b"ustar" && !prefix.is_empty() {
                            format!("{prefix}/{name}")
                        } else {
                            name
                        }
                    }
                };
                visit(&name, data)?;
            }
            _ => long_name = None,
        }
    }
}
