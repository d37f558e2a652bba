//! What identifies a run's input across machines: its size and a checksum, cheap to compute.
//!
//! A snapshot's 448-byte header already holds the xxh3 checksum of all its data (verified
//! when the snapshot is opened) and the file length, so hashing the header identifies the
//! whole file in O(1). Any other input (a text edge list) is hashed whole.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use xxhash_rust::xxh3::Xxh3Default;

/// Bytes of a snapshot header (which ends with its own checksum).
const SNAPSHOT_HEADER: usize = clout::ingest::snapshot::HEADER_SIZE;

/// A one-line description of the input at `path`: its size in bytes and an xxh3 fingerprint
/// (of the snapshot header for a snapshot, of every byte otherwise). Two machines with
/// copies of the same file get the same line; a different or edited file gets another.
///
/// # Errors
/// When the file cannot be read.
pub fn describe_input(path: &Path) -> std::io::Result<String> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut hasher = Xxh3Default::new();
    let mut head = vec![0u8; SNAPSHOT_HEADER.min(size as usize)];
    reader.read_exact(&mut head)?;
    let snapshot =
        head.starts_with(&clout::ingest::snapshot::MAGIC) && head.len() == SNAPSHOT_HEADER;
    hasher.update(&head);
    if !snapshot {
        let mut buffer = vec![0u8; 1 << 20];
        loop {
            let read = reader.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
        }
    }
    let kind = if snapshot { "snapshot header" } else { "file" };
    Ok(format!("{size} bytes, {kind} xxh3 {:016x}", hasher.digest()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_changed_byte_changes_the_description() {
        let dir = std::env::temp_dir().join(format!("clout-fp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (a, b) = (dir.join("a.txt"), dir.join("b.txt"));
        std::fs::write(&a, b"1 2\n2 3\n").unwrap();
        std::fs::write(&b, b"1 2\n2 4\n").unwrap();
        let (da, db) = (describe_input(&a).unwrap(), describe_input(&b).unwrap());
        assert_ne!(da, db);
        assert_eq!(da, describe_input(&a).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
