//! Byte-level helpers of the line parser: newline search, field splitting (with RFC 4180
//! quotes when fields are separated by one byte), and hand-written parsing of ids, weights and
//! signs. Nothing here allocates except unescaping a quoted field that holds `""`.

use std::borrow::Cow;

use super::{Layout, Sep};
use crate::error::LineProblem;

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

/// Number of `\n` bytes (used to size output buffers exactly), and whether there is any `\r`
/// (so pieces without one skip the per-line check for a CR that does not end its line). Counts
/// in `u8` lanes over runs of 255 bytes so the compiler vectorizes it without widening every
/// byte.
pub(crate) fn count_newlines(bytes: &[u8]) -> (usize, bool) {
    let mut newlines = 0;
    let mut carriage_returns = 0u8;
    for chunk in bytes.chunks(255) {
        let (n, r) = chunk
            .iter()
            .fold((0u8, 0u8), |(n, r), &b| (n + (b == b'\n') as u8, r | (b == b'\r') as u8));
        newlines += n as usize;
        carriage_returns |= r;
    }
    (newlines, carriage_returns != 0)
}

/// Whether `line` (without its `\n`) holds a `\r` other than one just before the `\n`: a file
/// with CR-only line endings (classic Mac OS), or a stray CR that would hide the rest of the
/// line. Such a line is never split or trimmed silently; the reader refuses it.
#[inline]
pub(crate) fn has_lone_cr(line: &[u8]) -> bool {
    line.strip_suffix(b"\r").unwrap_or(line).contains(&b'\r')
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

/// A quoting problem in a field (small, so that splitting returns it cheaply); it becomes a
/// [`LineProblem`] in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QuoteError {
    /// No closing quote (1-based column).
    Unclosed(usize),
    /// Text after the closing quote (1-based column).
    TextAfter(usize),
}

impl From<QuoteError> for LineProblem {
    fn from(e: QuoteError) -> LineProblem {
        match e {
            QuoteError::Unclosed(column) => LineProblem::UnclosedQuote { column },
            QuoteError::TextAfter(column) => LineProblem::TextAfterQuote { column },
        }
    }
}

/// What [`split_fields`] found on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split {
    /// Fields seen (at most `layout.roles.len()`; fewer means the line is too short).
    pub seen: usize,
    /// Slot bits (`1 << SLOT_*`) of quoted fields that hold `""` escapes, whose slot text
    /// must go through [`unescape`] before use.
    pub escaped: u8,
}

/// Splits `line` into fields and puts the selected ones into `slots` (src, dst, weight, sign).
/// Stops after the last selected column. A quoted field's slot is the text between its quotes
/// (see [`next_field`]); a quote problem in a field up to the last selected one is an error.
#[inline(always)]
pub(crate) fn split_fields<'l>(
    line: &'l [u8],
    layout: &Layout,
    slots: &mut [&'l [u8]; 4],
) -> Result<Split, QuoteError> {
    match layout.sep {
        Sep::Whitespace => Ok(Split { seen: split_blanks(line, &layout.roles, slots), escaped: 0 }),
        Sep::Byte(sep) => split_delimited(line, sep, &layout.roles, slots),
    }
}

/// [`split_fields`] for fields separated by runs of blanks (no quoting). Kept apart from the
/// delimited splitter so that each compiles to a tight loop.
#[inline(never)]
fn split_blanks<'l>(line: &'l [u8], roles: &[u8], slots: &mut [&'l [u8]; 4]) -> usize {
    let mut seen = 0;
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
    seen
}

/// [`split_fields`] for fields separated by the byte `sep`, with RFC 4180 quotes.
#[inline]
fn split_delimited<'l>(
    line: &'l [u8],
    sep: u8,
    roles: &[u8],
    slots: &mut [&'l [u8]; 4],
) -> Result<Split, QuoteError> {
    let mut seen = 0;
    let mut escaped = 0u8;
    let mut p = 0;
    while seen < roles.len() {
        let field = next_field(line, p, sep, seen)?;
        assign(slots, roles[seen], field.text);
        if field.escaped {
            // Role bits are the slot bits (`ROLE_X == 1 << SLOT_X`).
            escaped |= roles[seen];
        }
        seen += 1;
        match field.next {
            Some(next) => p = next,
            None => break,
        }
    }
    Ok(Split { seen, escaped })
}

/// One field of a line whose fields are separated by one byte.
pub(crate) struct Field<'l> {
    /// The text: trimmed of blanks, and without its quotes if it was quoted.
    pub text: &'l [u8],
    /// Whether `text` holds `""` escapes (quoted fields only).
    pub escaped: bool,
    /// Where the next field starts, or `None` after the last one.
    pub next: Option<usize>,
}

/// The field of `line` starting at `start`, fields separated by `sep` (`index`: its 0-based
/// column, for messages). RFC 4180 quoting: a field whose first non-blank byte is `"` runs to
/// the matching `"` (a doubled `""` inside stands for one `"` and may hide separators); only
/// blanks may follow the closing quote before the separator. A quote elsewhere in a field is
/// an ordinary byte. Quoted fields cannot span lines: a missing closing quote is an error.
#[inline(always)]
pub(crate) fn next_field(
    line: &[u8],
    start: usize,
    sep: u8,
    index: usize,
) -> Result<Field<'_>, QuoteError> {
    let end = line[start..].iter().position(|&b| b == sep).map_or(line.len(), |i| start + i);
    let raw = &line[start..end];
    let lead = raw.iter().position(|&b| !is_blank(b)).unwrap_or(raw.len());
    if raw.get(lead) == Some(&b'"') {
        return quoted_field(line, start + lead + 1, sep, index);
    }
    let next = (end < line.len()).then_some(end + 1);
    Ok(Field { text: trim(&raw[lead..]), escaped: false, next })
}

/// The quoted field whose text starts at `open` (just after its opening quote); see
/// [`next_field`].
fn quoted_field(line: &[u8], open: usize, sep: u8, index: usize) -> Result<Field<'_>, QuoteError> {
    let mut q = open;
    let mut escaped = false;
    let close = loop {
        match line[q..].iter().position(|&b| b == b'"') {
            None => return Err(QuoteError::Unclosed(index + 1)),
            Some(i) if line.get(q + i + 1) == Some(&b'"') => {
                escaped = true;
                q += i + 2;
            }
            Some(i) => break q + i,
        }
    };
    let mut after = close + 1;
    while after < line.len() && is_blank(line[after]) && line[after] != sep {
        after += 1;
    }
    let next = match line.get(after) {
        None => None,
        Some(&b) if b == sep => Some(after + 1),
        Some(_) => return Err(QuoteError::TextAfter(index + 1)),
    };
    Ok(Field { text: &line[open..close], escaped, next })
}

/// The text of a quoted field with each `""` turned into `"`.
pub(crate) fn unescape(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        out.push(text[i]);
        i += if text[i] == b'"' { 2 } else { 1 };
    }
    out
}

/// Every field of `line` (a header row, or a line counted for a message), unquoted.
pub(crate) fn all_fields(line: &[u8], sep: Sep) -> Result<Vec<Cow<'_, [u8]>>, LineProblem> {
    let mut fields = Vec::new();
    match sep {
        Sep::Whitespace => {
            fields.extend(line.split(|&b| is_blank(b)).filter(|f| !f.is_empty()).map(Cow::from));
        }
        Sep::Byte(sep) => {
            let mut p = Some(0);
            while let Some(start) = p {
                let field = next_field(line, start, sep, fields.len())?;
                fields.push(if field.escaped {
                    Cow::Owned(unescape(field.text))
                } else {
                    Cow::Borrowed(field.text)
                });
                p = field.next;
            }
        }
    }
    Ok(fields)
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

/// Whether an all-digit token has a leading zero (`007`, but not `0`): auto-detected ids then
/// stay strings, so `007` and `7` remain two accounts as written.
#[inline]
pub(crate) fn has_leading_zero(token: &[u8]) -> bool {
    token.len() > 1 && token[0] == b'0'
}

/// Whether a token that is not a plain integer still reads as a number (`-1`, `+1`, `1.0`,
/// `1e3`, `.5`): among integer ids it is more likely a mistake than a name.
#[inline]
pub(crate) fn is_number_like(token: &[u8]) -> bool {
    token.first().is_some_and(|&b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.'))
        && parse_weight(token).is_some()
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
        assert_eq!(count_newlines(text), (4, false));
        assert_eq!(count_newlines(b"1\r\n2\r"), (1, true));
        assert_eq!(count_newlines(&[b'\n'; 600]), (600, false));
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
    fn lone_carriage_returns() {
        assert!(!has_lone_cr(b"1 2"));
        assert!(!has_lone_cr(b"1 2\r"));
        assert!(has_lone_cr(b"1 2\r3 4"));
        assert!(has_lone_cr(b"1 2\r\r"));
    }

    fn fields(line: &[u8]) -> Result<Vec<String>, LineProblem> {
        Ok(all_fields(line, Sep::Byte(b','))?
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect())
    }

    #[test]
    fn quoted_fields() {
        assert_eq!(fields(b"a, b ,c").unwrap(), ["a", "b", "c"]);
        assert_eq!(fields(b"1,2,").unwrap(), ["1", "2", ""]);
        assert_eq!(fields(b"").unwrap(), [""]);
        assert_eq!(fields(b"\"a,b\",c").unwrap(), ["a,b", "c"]);
        assert_eq!(fields(b" \"x\" , \"\"").unwrap(), ["x", ""]);
        assert_eq!(fields(b"\"say \"\"hi\"\"\",\"\"\"\"").unwrap(), ["say \"hi\"", "\""]);
        assert_eq!(fields(b"a\"b,c").unwrap(), ["a\"b", "c"]);
        assert_eq!(fields(b"\"\r").unwrap_err(), LineProblem::UnclosedQuote { column: 1 });
        assert_eq!(fields(b"1,\"a\"\"").unwrap_err(), LineProblem::UnclosedQuote { column: 2 });
        assert_eq!(fields(b"\"a\"b,c").unwrap_err(), LineProblem::TextAfterQuote { column: 1 });
        // Blanks around a quoted field are trimmed, but a tab separator is not a blank.
        let tabs: Vec<_> = all_fields(b"\"a\"\t \t\"b\"", Sep::Byte(b'\t')).unwrap();
        assert_eq!(tabs, [&b"a"[..], b"", b"b"]);
    }

    #[test]
    fn ids_that_look_like_numbers() {
        for token in [&b"-1"[..], b"+1", b"1.0", b"1e3", b".5", b"-0"] {
            assert!(is_number_like(token), "{token:?}");
        }
        for token in [&b"@a"[..], b"nan", b"inf", b"-", b"1-2", b"0x10", b""] {
            assert!(!is_number_like(token), "{token:?}");
        }
        assert!(has_leading_zero(b"007") && has_leading_zero(b"00"));
        assert!(!has_leading_zero(b"0") && !has_leading_zero(b"70"));
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
