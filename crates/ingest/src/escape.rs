//! Showing untrusted text in messages: control characters, invalid UTF-8 and other bytes that
//! a terminal would act on are escaped, so a crafted input line cannot retitle, clear or
//! otherwise drive the user's terminal when clout quotes it back.
//!
//! Escapes follow Rust's: `\t`, `\r`, `\n`, `\0`, `\\` is left as is, other C0 and C1 controls
//! and DEL as `\u{1b}`, bytes that are not UTF-8 as `\xff`. Printable text, including non-ASCII
//! letters, is kept.

use std::fmt::Write as _;

/// `bytes` for display: valid UTF-8 is kept except control characters, which are escaped;
/// invalid bytes are shown as `\xNN`.
///
/// ```
/// use clout_ingest::escape::escape_bytes;
/// assert_eq!(escape_bytes(b"a\x1b]0;pwned\x07b"), "a\\u{1b}]0;pwned\\u{7}b");
/// assert_eq!(escape_bytes(b"caf\xc3\xa9 \xff"), "café \\xff");
/// ```
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        push_escaped(&mut out, chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// `text` for display, with control characters escaped (see [`escape_bytes`]).
pub fn escape_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() || is_bidi_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// Unicode bidirectional overrides and isolates, which reorder what a terminal shows.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_invalid_bytes() {
        assert_eq!(escape_bytes(b"1 2"), "1 2");
        assert_eq!(escape_bytes(b"\x00\x07\x1b[2J\x7f"), "\\0\\u{7}\\u{1b}[2J\\u{7f}");
        assert_eq!(escape_bytes(b"\xc2\x9b"), "\\u{9b}");
        assert_eq!(escape_bytes(b"\xff\xfe"), "\\xff\\xfe");
        assert_eq!(escape_str("@alice\u{202e}"), "@alice\\u{202e}");
        assert_eq!(escape_str("élan"), "élan");
    }
}
