//! The chunked, parallel line parser.
//!
//! The reader hands over blocks of decompressed text that end at a line boundary. A block is
//! cut at line boundaries into about four pieces per thread; rayon parses the pieces and the
//! results are kept in input order, so the output does not depend on the thread count. Each
//! piece counts its own lines, so an error found in a piece is turned into an absolute line
//! number by adding the lines of the pieces before it, and the first bad line in file order is
//! the one reported.
//!
//! The hot loop (`parse_piece`) does no per-edge allocation and no hashing: ids are parsed
//! from ASCII digits by hand (with overflow detection) into one flat vector per piece, as `u32`
//! while every id fits and `u64` otherwise; string ids are copied into one byte buffer per piece,
//! referenced by `(start, end)` offsets, and sorted into the piece's dictionary of distinct
//! tokens when the piece ends. Dense ids are assigned later, in `remap`.

pub(crate) mod compact;
mod dictionary;
mod fields;
mod lines;
pub(crate) mod remap;

use rayon::prelude::*;

pub(crate) use fields::{
    LineKind, SLOT_DST, SLOT_SRC, SLOT_WEIGHT, all_fields, classify, find_newline, has_lone_cr,
    parse_u64, parse_weight, split_fields, unescape,
};
use fields::{
    ROLE_DST, ROLE_SIGN, ROLE_SRC, ROLE_WEIGHT, has_leading_zero, is_digits, is_number_like,
};
pub(crate) use lines::parse_piece;

use crate::error::LineProblem;
use dictionary::Dictionary;

/// How fields are separated in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sep {
    /// Runs of spaces and tabs; leading blanks are ignored.
    Whitespace,
    /// Exactly this byte; blanks around each field are trimmed.
    Byte(u8),
}

/// Where an edge's sign comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignSource {
    /// A column holding `1`, `+1` or `-1`.
    Column(usize),
    /// The sign of a number in this column (a Bitcoin rating); 0 is an error.
    SignOf(usize),
}

/// The resolved columns of one file (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    pub sep: Sep,
    pub src: usize,
    pub dst: usize,
    pub weight: Option<usize>,
    pub sign: Option<SignSource>,
    /// Role bits per column, up to the last selected column.
    pub roles: Vec<u8>,
}

impl Layout {
    /// A layout from 0-based columns.
    pub(crate) fn new(
        sep: Sep,
        src: usize,
        dst: usize,
        weight: Option<usize>,
        sign: Option<SignSource>,
    ) -> Layout {
        let sign_column = sign.map(|s| match s {
            SignSource::Column(c) | SignSource::SignOf(c) => c,
        });
        let last =
            [Some(src), Some(dst), weight, sign_column].into_iter().flatten().max().unwrap_or(0);
        let mut roles = vec![0u8; last + 1];
        roles[src] |= ROLE_SRC;
        roles[dst] |= ROLE_DST;
        if let Some(w) = weight {
            roles[w] |= ROLE_WEIGHT;
        }
        if let Some(s) = sign_column {
            roles[s] |= ROLE_SIGN;
        }
        Layout { sep, src, dst, weight, sign, roles }
    }
}

/// How ids are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdMode {
    /// Decimal integers. `auto`: chosen by sampling, so a non-integer id means "re-read as
    /// strings" rather than a bad line.
    Integer { auto: bool },
    /// Arbitrary UTF-8 strings.
    String,
}

/// Parsed endpoints of a piece, two per edge (`a` then `b`, in column order).
#[derive(Debug)]
pub(crate) enum Endpoints {
    /// Integer ids that all fit in `u32`.
    Narrow(Vec<u32>),
    /// Integer ids, some above `u32::MAX`.
    Wide(Vec<u64>),
    /// String ids: the piece's distinct tokens and each endpoint's index among them.
    Text(Dictionary),
}

impl Endpoints {
    /// Number of endpoints (twice the edges).
    pub(crate) fn len(&self) -> usize {
        match self {
            Endpoints::Narrow(v) => v.len(),
            Endpoints::Wide(v) => v.len(),
            Endpoints::Text(dict) => dict.rank.len(),
        }
    }
}

/// A problem found on a line of a piece.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    /// 1-based line number within the piece.
    pub line: u64,
    pub problem: LineProblem,
    pub text: String,
}

/// How many skipped lines each piece (and the report) keeps as examples.
pub(crate) const BAD_LINE_SAMPLES: usize = 5;

/// What a piece produced.
#[derive(Debug)]
pub(crate) struct Piece {
    pub lines: u64,
    pub comments: u64,
    pub blanks: u64,
    /// Bad lines skipped.
    pub bad: u64,
    /// The first few skipped lines.
    pub samples: Vec<Problem>,
    /// The problem that stopped the piece (bad lines are not skipped, or ids are not integers
    /// in auto mode); counts are then incomplete.
    pub stop: Option<Problem>,
    pub ids: Endpoints,
    pub weights: Vec<f64>,
    pub signs: Vec<i8>,
    /// Smallest and largest integer id (`u64::MAX, 0` when there are none or ids are strings).
    pub min: u64,
    pub max: u64,
}

impl Piece {
    /// A piece holding edges that did not come from parsing lines (merged edges, test data):
    /// every line counter zero, no problem.
    pub(crate) fn of_edges(
        ids: Endpoints,
        weights: Vec<f64>,
        signs: Vec<i8>,
        min: u64,
        max: u64,
    ) -> Piece {
        Piece {
            lines: 0,
            comments: 0,
            blanks: 0,
            bad: 0,
            samples: Vec::new(),
            stop: None,
            ids,
            weights,
            signs,
            min,
            max,
        }
    }

    /// Number of edges.
    pub(crate) fn edges(&self) -> usize {
        self.ids.len() / 2
    }
}

/// Options shared by all pieces.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PieceOptions {
    pub mode: IdMode,
    pub skip_bad_lines: bool,
}

/// Cuts `block` into about `count` pieces of at least `min_len` bytes, each ending after a
/// `\n` (except possibly the last).
pub(crate) fn split_pieces(block: &[u8], count: usize, min_len: usize) -> Vec<&[u8]> {
    let target = (block.len() / count.max(1)).max(min_len).max(1);
    let mut pieces = Vec::with_capacity(count + 1);
    let mut start = 0;
    while start < block.len() {
        let want = start + target;
        let end = if want >= block.len() {
            block.len()
        } else {
            (find_newline(block, want - 1) + 1).min(block.len())
        };
        pieces.push(&block[start..end]);
        start = end;
    }
    pieces
}

/// Parses the pieces of one block in parallel; results are in input order.
pub(crate) fn parse_block(
    block: &[u8],
    layout: &Layout,
    opts: PieceOptions,
    min_piece: usize,
) -> Vec<Piece> {
    let pieces = split_pieces(block, 4 * rayon::current_num_threads(), min_piece);
    pieces.into_par_iter().map(|piece| parse_piece(piece, layout, opts)).collect()
}

/// What the ids of a block say about how to read them (the auto-detection of integer ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum IdSample {
    /// No well-formed data line.
    NoData,
    /// Every id is a plain integer (ASCII digits, no leading zero).
    Integer,
    /// Every id is an integer or reads as a number (`-1`, `1.0`): read as integers, so the
    /// parser reports the number-like ones instead of turning every id into a string.
    NumberLike,
    /// Some id is a name, or an integer with a leading zero: read as strings.
    Strings,
}

/// How one id token counts for [`IdSample`].
#[inline]
fn sample_token(token: &[u8]) -> IdSample {
    if is_digits(token) {
        if has_leading_zero(token) { IdSample::Strings } else { IdSample::Integer }
    } else if is_number_like(token) {
        IdSample::NumberLike
    } else {
        IdSample::Strings
    }
}

/// The ids of a data line that splits into enough fields, or `None` (a line the parser will
/// report, or a comment or blank line).
fn line_ids<'l>(line: &'l [u8], layout: &Layout) -> Option<(&'l [u8], &'l [u8])> {
    if classify(line) != LineKind::Data {
        return None;
    }
    let mut slots: [&[u8]; 4] = [&[]; 4];
    let split = split_fields(line, layout, &mut slots).ok()?;
    (split.seen >= layout.roles.len()).then_some((slots[SLOT_SRC], slots[SLOT_DST]))
}

/// The auto-detection of integer ids over every well-formed data line of `block` (the
/// strongest [`IdSample`] of any id). Lines too short to hold both ids, and empty ids, are
/// ignored here.
pub(crate) fn sample_ids(block: &[u8], layout: &Layout, min_piece: usize) -> IdSample {
    let pieces = split_pieces(block, 4 * rayon::current_num_threads(), min_piece);
    let sample = |piece: &[u8]| {
        let mut seen = IdSample::NoData;
        let mut pos = 0;
        while pos < piece.len() {
            let end = find_newline(piece, pos);
            let line = &piece[pos..end];
            pos = end + 1;
            let Some((a, b)) = line_ids(line, layout) else { continue };
            for token in [a, b].into_iter().filter(|t| !t.is_empty()) {
                seen = seen.max(sample_token(token));
            }
            if seen == IdSample::Strings {
                break;
            }
        }
        seen
    };
    pieces.into_par_iter().map(sample).reduce(|| IdSample::NoData, IdSample::max)
}

/// How many data lines after a suspected header row [`header_token`] looks at.
const HEADER_LOOKAHEAD: usize = 100;

/// If `line` (the first data line of a file read without a header row) looks like a header
/// row, its first id that is not a number. It does when one of its ids is a name (not a
/// number) while the ids of the data lines that follow in `rest` (up to
/// [`HEADER_LOOKAHEAD`], at least one) are all integers.
pub(crate) fn header_token<'l>(line: &'l [u8], rest: &[u8], layout: &Layout) -> Option<&'l [u8]> {
    let (a, b) = line_ids(line, layout)?;
    let token =
        [a, b].into_iter().find(|t| !t.is_empty() && !is_digits(t) && !is_number_like(t))?;
    let mut numeric = 0;
    let mut pos = 0;
    while pos < rest.len() && numeric < HEADER_LOOKAHEAD {
        let end = find_newline(rest, pos);
        let next = &rest[pos..end];
        pos = end + 1;
        if classify(next) != LineKind::Data {
            continue;
        }
        match line_ids(next, layout) {
            Some((a, b)) if is_digits(a) && is_digits(b) => numeric += 1,
            _ => return None,
        }
    }
    (numeric > 0).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout::new(Sep::Whitespace, 0, 1, None, None)
    }

    const INT: PieceOptions =
        PieceOptions { mode: IdMode::Integer { auto: false }, skip_bad_lines: false };

    #[test]
    fn pieces_cover_the_block_at_line_boundaries() {
        let block = b"1 2\n3 4\n5 6\n7 8\n9 10";
        for count in 1..8 {
            for min in [1, 3, 100] {
                let pieces = split_pieces(block, count, min);
                assert_eq!(pieces.concat(), block);
                for p in &pieces[..pieces.len() - 1] {
                    assert_eq!(p.last(), Some(&b'\n'));
                }
            }
        }
        assert!(split_pieces(b"", 4, 1).is_empty());
    }

    #[test]
    fn parses_ids_comments_and_counts() {
        let piece = parse_piece(b"# c\n% c\n\n1\t2\r\n  3 4 extra\n5 6", &layout(), INT);
        assert_eq!((piece.lines, piece.comments, piece.blanks), (6, 2, 1));
        assert!(matches!(&piece.ids, Endpoints::Narrow(v) if v == &[1, 2, 3, 4, 5, 6]));
        assert_eq!((piece.min, piece.max), (1, 6));
    }

    #[test]
    fn widens_when_an_id_needs_64_bits() {
        let piece = parse_piece(b"1 2\n4294967296 3\n", &layout(), INT);
        assert!(matches!(&piece.ids, Endpoints::Wide(v) if v == &[1, 2, 4294967296, 3]));
    }

    #[test]
    fn stops_at_the_first_bad_line_or_skips() {
        let text = b"1 2\n3\n4 x\n5 6\n";
        let piece = parse_piece(text, &layout(), INT);
        let stop = piece.stop.unwrap();
        assert_eq!(stop.line, 2);
        assert_eq!(stop.problem, LineProblem::TooFewColumns { found: 1, needed: 2 });
        let opts = PieceOptions { skip_bad_lines: true, ..INT };
        let piece = parse_piece(text, &layout(), opts);
        assert!(piece.stop.is_none());
        assert_eq!((piece.bad, piece.edges()), (2, 2));
        assert_eq!(piece.samples[1].line, 3);
        // In auto mode a non-integer id stops the piece even when skipping bad lines.
        let opts = PieceOptions { mode: IdMode::Integer { auto: true }, skip_bad_lines: true };
        assert_eq!(parse_piece(text, &layout(), opts).stop.unwrap().line, 3);
    }

    #[test]
    fn sampling_detects_string_ids() {
        let sample = |text: &[u8]| sample_ids(text, &layout(), 1);
        assert_eq!(sample(b"1 2\n# x y\nshort\n3 4\n"), IdSample::Integer);
        assert_eq!(sample(b"1 2\n@a 4\n"), IdSample::Strings);
        assert_eq!(sample(b"# only\n\n"), IdSample::NoData);
        assert_eq!(sample(b"1 2\n-1 4\n5 1.5\n"), IdSample::NumberLike);
        assert_eq!(sample(b"1 2\n-1 4\n@a 1\n"), IdSample::Strings);
        assert_eq!(sample(b"1 2\n01 4\n"), IdSample::Strings);
        assert_eq!(sample(b"0 2\n10 0\n"), IdSample::Integer);
    }

    #[test]
    fn a_header_row_is_a_name_line_before_integer_lines() {
        fn header<'l>(line: &'l [u8], rest: &[u8]) -> Option<&'l [u8]> {
            header_token(line, rest, &layout())
        }
        assert_eq!(header(b"src dst", b"1 2\n# c\n3 4\n"), Some(&b"src"[..]));
        assert_eq!(header(b"1 dst", b"1 2\n"), Some(&b"dst"[..]));
        assert_eq!(header(b"src dst", b""), None);
        assert_eq!(header(b"src dst", b"1 2\n@a 3\n"), None);
        assert_eq!(header(b"1 2", b"1 2\n"), None);
        assert_eq!(header(b"-1 2", b"1 2\n"), None);
    }

    #[test]
    fn bitcoin_rating_gives_weight_and_sign() {
        let layout = Layout::new(Sep::Byte(b','), 0, 1, Some(2), Some(SignSource::SignOf(2)));
        let piece = parse_piece(b"6,2,4,1289241911.72\n1,15,-3,1\n", &layout, INT);
        assert_eq!(piece.weights, vec![4.0, -3.0]);
        assert_eq!(piece.signs, vec![1, -1]);
        let piece = parse_piece(b"6,2,0,1\n", &layout, INT);
        assert!(matches!(piece.stop.unwrap().problem, LineProblem::BadRating { column: 3, .. }));
    }
}
