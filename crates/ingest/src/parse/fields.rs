//! Byte-level helpers of the line parser: newline search, field splitting, and hand-written
//! parsing of ids, weights and signs. Nothing here allocates.

use super::{Layout, Sep};

/// Blank bytes: separators in whitespace mode, trimmed around fields otherwise. `\r` is one so
/// that CRLF line endings need no special case.
#[inline(always)]
pub(crate) fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == b'\r'
}

/// The index of the first `\n` at or after `from`, or `bytes.len()` if there is none.
/// Looks at eight bytes at a time (the classic "has zero byte" trick on `word ^ 0x0a0a..`).
#[inline]
pub(crate) fn find_newline(bytes: &[u8], from: usize) -> usize {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const NEWLINES: u64 = LOW * b'\n' as u64;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..).and_then(|rest| rest.first_chunk::<8>()) {
        let x = u64::from_le_bytes(*chunk) ^ NEWLINES;
        // The lowest set bit marks the first zero byte of `x` exactly (borrows only run upward).
        let zero = x.wrapping_sub(LOW) & !x & HIGH;
        if zero != 0 {
            return i + (zero.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            return i;
        }
        i += 1;
    }
    bytes.len()
}

/// Number of `\n` bytes (used to size output buffers exactly). Counts in `u8` lanes over
/// runs of 255 bytes so the compiler vectorizes it without widening every byte.
pub(crate) fn count_newlines(bytes: &[u8]) -> usize {
    bytes.chunks(255).map(|c| c.iter().fold(0u8, |n, &b| n + (b == b'\n') as u8) as usize).sum()
}

/// What the first non-blank byte says about a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// Only blanks.
    Blank,
    /// Starts with `#` or `%`.
    Comment,
    /// Anything else.
    Data,
}

/// Classifies a line (without its `\n`).
#[inline]
pub(crate) fn classify(line: &[u8]) -> LineKind {
    match line.iter().find(|&&b| !is_blank(b)) {
        None => LineKind::Blank,
        Some(b'#' | b'%') => LineKind::Comment,
        Some(_) => LineKind::Data,
    }
}

/// Role bits of a column: which slots of [`split_fields`]'s output it fills.
pub(crate) const ROLE_SRC: u8 = 1;
/// See [`ROLE_SRC`].
pub(crate) const ROLE_DST: u8 = 2;
/// See [`ROLE_SRC`].
pub(crate) const ROLE_WEIGHT: u8 = 4;
/// See [`ROLE_SRC`].
pub(crate) const ROLE_SIGN: u8 = 8;

/// Slot indices in the output of [`split_fields`].
pub(crate) const SLOT_SRC: usize = 0;
/// See [`SLOT_SRC`].
pub(crate) const SLOT_DST: usize = 1;
/// See [`SLOT_SRC`].
pub(crate) const SLOT_WEIGHT: usize = 2;
/// See [`SLOT_SRC`].
pub(crate) const SLOT_SIGN: usize = 3;

#[inline(always)]
fn assign<'l>(slots: &mut [&'l [u8]; 4], roles: u8, field: &'l [u8]) {
    if roles & ROLE_SRC != 0 {
        slots[SLOT_SRC] = field;
    }
    if roles & ROLE_DST != 0 {
        slots[SLOT_DST] = field;
    }
    if roles & ROLE_WEIGHT != 0 {
        slots[SLOT_WEIGHT] = field;
    }
    if roles & ROLE_SIGN != 0 {
        slots[SLOT_SIGN] = field;
    }
}

/// Trims blanks at both ends.
#[inline]
pub(crate) fn trim(field: &[u8]) -> &[u8] {
    let start = field.iter().position(|&b| !is_blank(b)).unwrap_or(field.len());
    let end = field.iter().rposition(|&b| !is_blank(b)).map_or(start, |last| last + 1);
    &field[start..end]
}

/// Splits `line` into fields and puts the selected ones into `slots` (src, dst, weight, sign).
/// Stops after the last selected column; returns how many fields were seen (at most
/// `layout.roles.len()`), so a result below that means the line is too short.
#[inline]
pub(crate) fn split_fields<'l>(
    line: &'l [u8],
    layout: &Layout,
    slots: &mut [&'l [u8]; 4],
) -> usize {
    let roles = layout.roles.as_slice();
    let mut seen = 0;
    match layout.sep {
        Sep::Whitespace => {
            let mut p = 0;
            while seen < roles.len() {
                while p < line.len() && is_blank(line[p]) {
                    p += 1;
                }
                if p == line.len() {
                    break;
                }
                let start = p;
                while p < line.len() && !is_blank(line[p]) {
                    p += 1;
                }
                assign(slots, roles[seen], &line[start..p]);
                seen += 1;
            }
        }
        Sep::Byte(sep) => {
            for field in line.split(|&b| b == sep) {
                if seen == roles.len() {
                    break;
                }
                assign(slots, roles[seen], trim(field));
                seen += 1;
            }
        }
    }
    seen
}

/// Why a token is not a `u64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntError {
    /// Empty, or a byte other than an ASCII digit.
    NotInteger,
    /// All digits, but larger than `u64::MAX`.
    Overflow,
}

/// Parses a non-negative decimal integer written with ASCII digits only (no sign, no blanks).
#[inline]
pub(crate) fn parse_u64(token: &[u8]) -> Result<u64, IntError> {
    // Up to 19 digits cannot overflow (10^19 - 1 < 2^64).
    if !token.is_empty() && token.len() <= 19 {
        let mut value = 0u64;
        for &b in token {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                return Err(IntError::NotInteger);
            }
            value = value * 10 + digit as u64;
        }
        return Ok(value);
    }
    if token.is_empty() || !token.iter().all(u8::is_ascii_digit) {
        return Err(IntError::NotInteger);
    }
    let first = token.iter().position(|&b| b != b'0').unwrap_or(token.len() - 1);
    let digits = &token[first..];
    if digits.len() > 20 {
        return Err(IntError::Overflow);
    }
    digits.iter().try_fold(0u64, |value, &b| {
        value
            .checked_mul(10)
            .and_then(|v| v.checked_add((b - b'0') as u64))
            .ok_or(IntError::Overflow)
    })
}

/// Whether a token is a non-empty run of ASCII digits.
#[inline]
pub(crate) fn is_digits(token: &[u8]) -> bool {
    !token.is_empty() && token.iter().all(u8::is_ascii_digit)
}

/// Parses a finite `f64` (Rust's float syntax: `3`, `-2.5`, `1e-3`, `+7`; not `inf` or `NaN`).
#[inline]
pub(crate) fn parse_weight(token: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(token).ok()?;
    text.parse::<f64>().ok().filter(|w| w.is_finite())
}

/// Parses a sign: `1`, `+1`, `1.0`, `+1.0` are +1; `-1`, `-1.0` are -1; nothing else.
#[inline]
pub(crate) fn parse_sign(token: &[u8]) -> Option<i8> {
    match token {
        b"1" | b"+1" | b"1.0" | b"+1.0" => Some(1),
        b"-1" | b"-1.0" => Some(-1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newline_search_agrees_with_naive() {
        let text = b"ab\ncdefghijklmnop\n\nqrstuvwxyz0123456789\n012";
        for from in 0..text.len() {
            let naive =
                text[from..].iter().position(|&b| b == b'\n').map_or(text.len(), |p| p + from);
            assert_eq!(find_newline(text, from), naive, "from {from}");
        }
        assert_eq!(find_newline(b"", 0), 0);
        assert_eq!(find_newline(&[0x8a; 20], 0), 20);
        assert_eq!(count_newlines(text), 4);
    }

    #[test]
    fn integers() {
        assert_eq!(parse_u64(b"0"), Ok(0));
        assert_eq!(parse_u64(b"007"), Ok(7));
        assert_eq!(parse_u64(b"18446744073709551615"), Ok(u64::MAX));
        assert_eq!(parse_u64(b"0000000000000000000018446744073709551615"), Ok(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), Err(IntError::Overflow));
        assert_eq!(parse_u64(b"99999999999999999999999"), Err(IntError::Overflow));
        assert_eq!(parse_u64(b""), Err(IntError::NotInteger));
        assert_eq!(parse_u64(b"-1"), Err(IntError::NotInteger));
        assert_eq!(parse_u64(b"12a"), Err(IntError::NotInteger));
        assert_eq!(parse_u64(b"123456789012345678901x"), Err(IntError::NotInteger));
        assert_eq!(parse_u64(b"@alice"), Err(IntError::NotInteger));
    }

    #[test]
    fn weights_and_signs() {
        assert_eq!(parse_weight(b"2.5"), Some(2.5));
        assert_eq!(parse_weight(b"-10"), Some(-10.0));
        assert_eq!(parse_weight(b"1e3"), Some(1000.0));
        assert_eq!(parse_weight(b"inf"), None);
        assert_eq!(parse_weight(b"NaN"), None);
        assert_eq!(parse_weight(b"1e999"), None);
        assert_eq!(parse_weight(b"abc"), None);
        assert_eq!(parse_weight(b""), None);
        assert_eq!(parse_sign(b"+1"), Some(1));
        assert_eq!(parse_sign(b"-1.0"), Some(-1));
        assert_eq!(parse_sign(b"0"), None);
        assert_eq!(parse_sign(b"2"), None);
    }

    #[test]
    fn trims_and_classifies() {
        assert_eq!(trim(b" \t a b\r"), b"a b");
        assert_eq!(trim(b"  "), b"");
        assert_eq!(classify(b"  # x"), LineKind::Comment);
        assert_eq!(classify(b"% x"), LineKind::Comment);
        assert_eq!(classify(b" \t\r"), LineKind::Blank);
        assert_eq!(classify(b"1 2"), LineKind::Data);
    }
}
