//! The input layer: compression detected from the magic bytes, gzip and zstd decoded as a
//! stream. Any input must give its decompressed bytes or a typed error (whose message renders),
//! never a panic or unbounded memory; output is read up to a cap. Plain input passes through
//! unchanged.

#![no_main]

use clout_ingest::input::{Compression, open_reader};
use libfuzzer_sys::fuzz_target;

/// Decompressed bytes read at most per input (a small compressed input may expand a lot).
const CAP: usize = 64 << 20;

fuzz_target!(|data: &[u8]| {
    let mut opened = match open_reader("fuzz.in", data) {
        Ok(opened) => opened,
        Err(e) => panic!("reading from memory cannot fail to open: {e}"),
    };
    let compression = opened.compression();
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut buf = vec![0u8; 1 << 16];
    let mut failed = false;
    while total < CAP {
        match opened.fill(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                total += n;
                if compression == Compression::None {
                    out.extend_from_slice(&buf[..n]);
                }
            }
            Err(e) => {
                assert!(e.to_string().contains("fuzz.in"), "{e}");
                failed = true;
                break;
            }
        }
    }
    // (A failed fill may have delivered bytes before its error; they are not in `total`.)
    if !failed {
        assert_eq!(opened.decompressed_bytes(), total as u64);
    }
    if compression == Compression::None {
        assert!(!failed);
        assert_eq!(out, data, "plain input passes through");
    }
});
