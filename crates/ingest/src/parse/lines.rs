//! The hot loop: one piece of text (whole lines) into flat id vectors plus attributes.
//!
//! Generic over an [`IdSink`] (integer or string ids), so each id kind gets its own compiled
//! loop. The most common layout (whitespace-separated integer ids in columns 1 and 2, nothing
//! else selected) takes a fused path that parses digits while scanning; anything unusual on a
//! line (a comment, a sign, a long id, a stray byte) sends that line to the general routine,
//! which is the one place where every rule and error is decided.

use super::dictionary::dictionary;
use super::fields::{
    IntError, LineKind, SLOT_DST, SLOT_SIGN, SLOT_SRC, SLOT_WEIGHT, all_fields, classify,
    count_newlines, find_newline, has_leading_zero, has_lone_cr, is_number_like, parse_sign,
    parse_u64, parse_weight, split_fields, unescape,
};
use super::{
    BAD_LINE_SAMPLES, Endpoints, IdMode, Layout, Piece, PieceOptions, Problem, Sep, SignSource,
};
use crate::error::{LineProblem, quote_line, quote_token};

/// Receives the two ids of each good line.
trait IdSink {
    /// Parses both ids and stores them, or stores nothing and says what is wrong.
    fn push(&mut self, a: &[u8], b: &[u8], layout: &Layout) -> Result<(), LineProblem>;
    /// The parsed endpoints and the integer id range.
    fn finish(self) -> (Endpoints, u64, u64);
    /// Tries the fused path on the line starting at `pos`: the position after its `\n` if
    /// the line was a plain `id id` edge and is stored, `None` to use the general routine.
    /// `has_cr`: whether the piece holds any `\r` (then a skipped tail is checked for one).
    #[inline(always)]
    fn fast_line(
        &mut self,
        _bytes: &[u8],
        _pos: usize,
        _swap: bool,
        _has_cr: bool,
    ) -> Option<usize> {
        None
    }
}

struct IntSink {
    ids: Endpoints,
    min: u64,
    max: u64,
    /// Ids were auto-detected as integers: a leading zero or a non-integer id is a
    /// [`LineProblem::LeadingZero`] or [`LineProblem::NotInteger`] that asks for string ids.
    auto: bool,
}

impl IntSink {
    /// Stores one edge's ids, as `u32` while every id so far fits.
    #[inline(always)]
    fn store(&mut self, x: u64, y: u64) {
        self.min = self.min.min(x.min(y));
        self.max = self.max.max(x.max(y));
        if let Endpoints::Narrow(v) = &mut self.ids {
            if self.max <= u32::MAX as u64 {
                v.push(x as u32);
                v.push(y as u32);
                return;
            }
            let mut wide = Vec::with_capacity(v.capacity());
            wide.extend(v.iter().map(|&id| id as u64));
            self.ids = Endpoints::Wide(wide);
        }
        if let Endpoints::Wide(v) = &mut self.ids {
            v.push(x);
            v.push(y);
        }
    }
}

/// Up to 19 ASCII digits starting at `start` (which cannot overflow): the value and the
/// position after them. `None` if there is no digit or a 20th follows.
#[inline(always)]
fn digits(bytes: &[u8], start: usize) -> Option<(u64, usize)> {
    let limit = (start + 19).min(bytes.len());
    let mut p = start;
    let mut value = 0u64;
    while p < limit {
        let digit = bytes[p].wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        value = value * 10 + digit as u64;
        p += 1;
    }
    if p == start || bytes.get(p).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some((value, p))
}

/// The fused path for a line `[blanks] digits blanks digits [\r | blank ...]\n`: both ids
/// and the position after the line. Anything else is left to the general routine (`None`):
/// with `auto`, an id with a leading zero; with `has_cr`, a tail holding a `\r` that does not
/// end the line.
#[inline(always)]
fn fast_pair(bytes: &[u8], pos: usize, auto: bool, has_cr: bool) -> Option<(u64, u64, usize)> {
    let space = |b: u8| b == b' ' || b == b'\t';
    let mut p = pos;
    while p < bytes.len() && space(bytes[p]) {
        p += 1;
    }
    let start = p;
    let (x, mut p) = digits(bytes, p)?;
    if auto && bytes[start] == b'0' && p - start > 1 {
        return None;
    }
    if !bytes.get(p).is_some_and(|&b| space(b)) {
        return None;
    }
    while p < bytes.len() && space(bytes[p]) {
        p += 1;
    }
    let start = p;
    let (y, p) = digits(bytes, p)?;
    if auto && bytes[start] == b'0' && p - start > 1 {
        return None;
    }
    match bytes.get(p) {
        None => Some((x, y, p)),
        Some(b'\n') => Some((x, y, p + 1)),
        Some(b'\r') if p + 1 == bytes.len() => Some((x, y, p + 1)),
        Some(b'\r') if bytes[p + 1] == b'\n' => Some((x, y, p + 2)),
        Some(b' ' | b'\t') => {
            let end = find_newline(bytes, p);
            if has_cr && has_lone_cr(&bytes[p..end]) {
                return None;
            }
            Some((x, y, end + 1))
        }
        Some(_) => None,
    }
}

fn int_problem(error: IntError, column: usize, token: &[u8], auto: bool) -> LineProblem {
    match error {
        IntError::NotInteger if auto && is_number_like(token) => {
            LineProblem::NumberLikeId { column: column + 1, token: quote_token(token) }
        }
        IntError::NotInteger => {
            LineProblem::NotInteger { column: column + 1, token: quote_token(token) }
        }
        IntError::Overflow => {
            LineProblem::IdOverflow { column: column + 1, token: quote_token(token) }
        }
    }
}

impl IntSink {
    /// What is wrong with ids `a` and `b`, one of which did not parse (or, with `auto`, has a
    /// leading zero); the first id's problem first. Out of line: only bad lines get here.
    #[cold]
    #[inline(never)]
    fn problem(&self, a: &[u8], b: &[u8], layout: &Layout) -> LineProblem {
        let check = |token: &[u8], column: usize| match parse_u64(token) {
            Err(e) => Some(int_problem(e, column, token, self.auto)),
            Ok(_) if self.auto && has_leading_zero(token) => {
                let token = quote_token(token);
                Some(LineProblem::LeadingZero { column: column + 1, token })
            }
            Ok(_) => None,
        };
        // The caller found a problem with one of them, so the last check is the one left.
        check(a, layout.src).unwrap_or_else(|| {
            let token = quote_token(b);
            check(b, layout.dst)
                .unwrap_or(LineProblem::NotInteger { column: layout.dst + 1, token })
        })
    }
}

impl IdSink for IntSink {
    #[inline(always)]
    fn push(&mut self, a: &[u8], b: &[u8], layout: &Layout) -> Result<(), LineProblem> {
        let Ok(x) = parse_u64(a) else { return Err(self.problem(a, b, layout)) };
        let Ok(y) = parse_u64(b) else { return Err(self.problem(a, b, layout)) };
        if self.auto && (has_leading_zero(a) || has_leading_zero(b)) {
            return Err(self.problem(a, b, layout));
        }
        self.store(x, y);
        Ok(())
    }

    #[inline(always)]
    fn fast_line(&mut self, bytes: &[u8], pos: usize, swap: bool, has_cr: bool) -> Option<usize> {
        let (x, y, next) = fast_pair(bytes, pos, self.auto, has_cr)?;
        if swap {
            self.store(y, x)
        } else {
            self.store(x, y)
        }
        Some(next)
    }

    fn finish(self) -> (Endpoints, u64, u64) {
        (self.ids, self.min, self.max)
    }
}

struct TextSink {
    bytes: Vec<u8>,
    spans: Vec<(u32, u32)>,
}

impl TextSink {
    #[inline]
    fn check(token: &[u8], column: usize) -> Result<(), LineProblem> {
        if !token.is_ascii() && std::str::from_utf8(token).is_err() {
            return Err(LineProblem::NotUtf8 { column: column + 1 });
        }
        Ok(())
    }

    #[inline]
    fn store(&mut self, token: &[u8]) {
        // A piece is at most one block (< 4 GiB), so its offsets fit in u32.
        let start = self.bytes.len() as u32;
        self.bytes.extend_from_slice(token);
        self.spans.push((start, self.bytes.len() as u32));
    }
}

impl IdSink for TextSink {
    #[inline]
    fn push(&mut self, a: &[u8], b: &[u8], layout: &Layout) -> Result<(), LineProblem> {
        Self::check(a, layout.src)?;
        Self::check(b, layout.dst)?;
        self.store(a);
        self.store(b);
        Ok(())
    }

    fn finish(self) -> (Endpoints, u64, u64) {
        (Endpoints::Text(dictionary(&self.bytes, &self.spans)), u64::MAX, 0)
    }
}

/// Parses one piece (a run of whole lines).
pub(crate) fn parse_piece(bytes: &[u8], layout: &Layout, opts: PieceOptions) -> Piece {
    let fast = layout.sep == Sep::Whitespace
        && layout.roles.len() == 2
        && layout.weight.is_none()
        && layout.sign.is_none();
    parse_piece_with(bytes, layout, opts, fast)
}

/// [`parse_piece`], with the fused integer path allowed or not.
fn parse_piece_with(bytes: &[u8], layout: &Layout, opts: PieceOptions, fast: bool) -> Piece {
    let (newlines, has_cr) = count_newlines(bytes);
    let lines = newlines + 1;
    let shape = Shape { lines, fast, has_cr };
    match opts.mode {
        IdMode::Integer { auto } => {
            let sink = IntSink {
                ids: Endpoints::Narrow(Vec::with_capacity(2 * lines)),
                min: u64::MAX,
                max: 0,
                auto,
            };
            parse_lines(bytes, layout, opts, shape, sink)
        }
        IdMode::String => {
            let sink = TextSink {
                bytes: Vec::with_capacity(bytes.len() / 2),
                spans: Vec::with_capacity(2 * lines),
            };
            parse_lines(bytes, layout, opts, shape, sink)
        }
    }
}

/// Parses the weight and sign fields of a line.
#[inline]
fn attributes(slots: &[&[u8]; 4], layout: &Layout) -> Result<(f64, i8), LineProblem> {
    let mut weight = 0.0;
    if let Some(column) = layout.weight {
        let token = slots[SLOT_WEIGHT];
        weight = parse_weight(token).ok_or_else(|| LineProblem::BadWeight {
            column: column + 1,
            token: quote_token(token),
        })?;
    }
    let sign = match layout.sign {
        None => 1,
        Some(SignSource::Column(column)) => {
            let token = slots[SLOT_SIGN];
            parse_sign(token).ok_or_else(|| LineProblem::BadSign {
                column: column + 1,
                token: quote_token(token),
            })?
        }
        Some(SignSource::SignOf(column)) => {
            let token = slots[SLOT_SIGN];
            match parse_weight(token) {
                Some(r) if r > 0.0 => 1,
                Some(r) if r < 0.0 => -1,
                _ => {
                    return Err(LineProblem::BadRating {
                        column: column + 1,
                        token: quote_token(token),
                    });
                }
            }
        }
    };
    Ok((weight, sign))
}

/// What a piece's newline count found out, for [`parse_lines`].
#[derive(Clone, Copy)]
struct Shape {
    /// Lines (an upper bound: newlines plus one).
    lines: usize,
    /// Whether the fused integer path may be tried.
    fast: bool,
    /// Whether the piece holds any `\r`.
    has_cr: bool,
}

fn parse_lines<S: IdSink>(
    bytes: &[u8],
    layout: &Layout,
    opts: PieceOptions,
    shape: Shape,
    mut sink: S,
) -> Piece {
    let Shape { lines, fast, has_cr } = shape;
    let mut weights = Vec::with_capacity(if layout.weight.is_some() { lines } else { 0 });
    let mut signs = Vec::with_capacity(if layout.sign.is_some() { lines } else { 0 });
    let (mut line_no, mut comments, mut blanks, mut bad) = (0u64, 0u64, 0u64, 0u64);
    let mut samples = Vec::new();
    let mut stop = None;
    let swap = layout.src == 1;
    let mut pos = 0;
    while pos < bytes.len() {
        line_no += 1;
        if fast && let Some(next) = sink.fast_line(bytes, pos, swap, has_cr) {
            pos = next;
            continue;
        }
        let end = find_newline(bytes, pos);
        let line = &bytes[pos..end];
        pos = end + 1;
        let result = match classify(line) {
            _ if has_cr && has_lone_cr(line) => Err(LineProblem::LoneCarriageReturn),
            LineKind::Blank => {
                blanks += 1;
                continue;
            }
            LineKind::Comment => {
                comments += 1;
                continue;
            }
            LineKind::Data => parse_data_line(line, layout, &mut sink),
        };
        match result {
            Ok((weight, sign)) => {
                if layout.weight.is_some() {
                    weights.push(weight);
                }
                if layout.sign.is_some() {
                    signs.push(sign);
                }
            }
            Err(problem) => {
                // A non-integer id under auto-detected integer ids asks for string ids, and a
                // CR inside a line means lines are joined: both stop the piece even when bad
                // lines are skipped.
                let must_stop = matches!(
                    (opts.mode, &problem),
                    (
                        IdMode::Integer { auto: true },
                        LineProblem::NotInteger { .. } | LineProblem::LeadingZero { .. }
                    ) | (_, LineProblem::LoneCarriageReturn)
                );
                let record = Problem { line: line_no, problem, text: quote_line(line) };
                if must_stop || !opts.skip_bad_lines {
                    stop = Some(record);
                    break;
                }
                bad += 1;
                if samples.len() < BAD_LINE_SAMPLES {
                    samples.push(record);
                }
            }
        }
    }
    let (ids, min, max) = sink.finish();
    Piece { lines: line_no, comments, blanks, bad, samples, stop, ids, weights, signs, min, max }
}

#[inline]
fn parse_data_line<S: IdSink>(
    line: &[u8],
    layout: &Layout,
    sink: &mut S,
) -> Result<(f64, i8), LineProblem> {
    let mut slots: [&[u8]; 4] = [&[]; 4];
    let split = split_fields(line, layout, &mut slots).map_err(LineProblem::from)?;
    if split.seen < layout.roles.len() {
        return Err(LineProblem::TooFewColumns {
            found: count_all_fields(line, layout.sep),
            needed: layout.roles.len(),
        });
    }
    if split.escaped != 0 {
        return escaped_data_line(slots, split.escaped, layout, sink);
    }
    data_fields(&slots, layout, sink)
}

/// [`parse_data_line`] for a line with quoted fields holding `""`: those fields are
/// unescaped into owned copies first (rare, so kept out of the common path).
#[cold]
#[inline(never)]
fn escaped_data_line<S: IdSink>(
    raw: [&[u8]; 4],
    escaped: u8,
    layout: &Layout,
    sink: &mut S,
) -> Result<(f64, i8), LineProblem> {
    let owned: [Option<Vec<u8>>; 4] =
        std::array::from_fn(|slot| (escaped & (1 << slot) != 0).then(|| unescape(raw[slot])));
    let slots: [&[u8]; 4] = std::array::from_fn(|slot| owned[slot].as_deref().unwrap_or(raw[slot]));
    data_fields(&slots, layout, sink)
}

/// Checks a split line's ids and attributes and stores them.
#[inline(always)]
fn data_fields<S: IdSink>(
    slots: &[&[u8]; 4],
    layout: &Layout,
    sink: &mut S,
) -> Result<(f64, i8), LineProblem> {
    for (slot, column) in [(SLOT_SRC, layout.src), (SLOT_DST, layout.dst)] {
        if slots[slot].is_empty() {
            return Err(LineProblem::EmptyField { column: column + 1 });
        }
    }
    let attributes = attributes(slots, layout)?;
    sink.push(slots[SLOT_SRC], slots[SLOT_DST], layout)?;
    Ok(attributes)
}

/// Number of fields on a line (for messages only).
fn count_all_fields(line: &[u8], sep: Sep) -> usize {
    all_fields(line, sep).map_or(0, |fields| fields.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything a piece produced, for comparisons.
    fn summary(p: &Piece) -> String {
        format!(
            "{:?} {} {} {} {} {:?} {:?} {} {}",
            p.ids,
            p.lines,
            p.comments,
            p.blanks,
            p.bad,
            p.samples.iter().map(|s| (s.line, &s.problem)).collect::<Vec<_>>(),
            p.stop.as_ref().map(|s| (s.line, &s.problem)),
            p.min,
            p.max
        )
    }

    #[test]
    fn the_fused_path_agrees_with_the_general_routine() {
        let text: &[u8] = b"1 2\n 3\t4\n5  6 extra cols\n7 8 \r\n9 10\r\n# c\n\n11\r12\n13,14\n\
            15 x\n16\n1234567890123456789 1\n12345678901234567890 2\n123456789012345678901 3\n\
            007 0\n4294967296 1\n-1 2\n+1 2\n1 2x\n1x 2\n \t \n18446744073709551615 0\n21 22";
        for skip_bad_lines in [false, true] {
            let opts = PieceOptions { mode: IdMode::Integer { auto: false }, skip_bad_lines };
            for (src, dst) in [(0, 1), (1, 0)] {
                let layout = Layout::new(Sep::Whitespace, src, dst, None, None);
                // Every suffix of every line start, so each line is tried first in a piece.
                let starts = std::iter::once(0).chain(
                    text.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1),
                );
                for start in starts {
                    let fast = parse_piece_with(&text[start..], &layout, opts, true);
                    let slow = parse_piece_with(&text[start..], &layout, opts, false);
                    assert_eq!(
                        summary(&fast),
                        summary(&slow),
                        "from byte {start}, skip {skip_bad_lines}"
                    );
                }
            }
        }
    }
}
