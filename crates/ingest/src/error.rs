//! Errors of the text reader, shared by [`crate::input`], [`crate::parse`] and [`crate::read`]
//! (which re-exports them): [`ReadError`] for a failed read and [`LineProblem`] for what is wrong
//! with one input line (used both in errors and in the report's skipped-line samples).

use std::fmt;
use std::io;

use crate::escape::escape_str;

/// The longest line text quoted in a message, in characters.
const MAX_QUOTED_LINE: usize = 120;
/// The longest single token quoted in a message, in characters.
const MAX_QUOTED_TOKEN: usize = 60;

/// What is wrong with one input line. Column numbers are 1-based, as in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    /// The line has fewer fields than the highest selected column.
    TooFewColumns {
        /// Fields found.
        found: usize,
        /// Fields needed.
        needed: usize,
    },
    /// A selected field is empty (for example `1,,2`).
    EmptyField {
        /// The column.
        column: usize,
    },
    /// An id is not a decimal integer although ids are read as integers.
    NotInteger {
        /// The column.
        column: usize,
        /// The id as written.
        token: String,
    },
    /// An id is not a decimal integer, but integer ids were detected from the first block and
    /// the input cannot be read again (it is not a regular file).
    MixedIds {
        /// The column.
        column: usize,
        /// The id as written.
        token: String,
    },
    /// An all-digit id is larger than `u64::MAX`.
    IdOverflow {
        /// The column.
        column: usize,
        /// The id as written.
        token: String,
    },
    /// A string id is not valid UTF-8.
    NotUtf8 {
        /// The column.
        column: usize,
    },
    /// A weight is not a finite number.
    BadWeight {
        /// The column.
        column: usize,
        /// The weight as written.
        token: String,
    },
    /// A sign is not `1`, `+1`, `-1`, `1.0`, `+1.0` or `-1.0`.
    BadSign {
        /// The column.
        column: usize,
        /// The sign as written.
        token: String,
    },
    /// A rating whose sign is the edge's sign (Bitcoin CSV) is 0 or not a finite number.
    BadRating {
        /// The column.
        column: usize,
        /// The rating as written.
        token: String,
    },
    /// A line longer than the reader accepts.
    LineTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// The header row has no column with a requested name.
    NoSuchColumn {
        /// The requested name (escaped for display).
        name: String,
        /// The header's column names (escaped for display).
        found: Vec<String>,
    },
    /// A `\r` that does not end the line: the file has CR-only line endings (classic Mac OS),
    /// or a stray CR would hide the rest of the line. Never skipped, since lines joined by CRs
    /// would be dropped as one.
    LoneCarriageReturn,
    /// A quoted field has no closing quote on its line (quoted fields cannot span lines).
    UnclosedQuote {
        /// The column.
        column: usize,
    },
    /// Text follows the closing quote of a quoted field (`"a"b`).
    TextAfterQuote {
        /// The column.
        column: usize,
    },
    /// The first data line has non-integer ids, the lines after it integer ids: a header row
    /// read without [`ReadConfig::header`](crate::read::ReadConfig::header).
    LikelyHeader {
        /// The first non-integer id as written.
        token: String,
    },
    /// With auto-detected ids, an id that reads as a number but is not a plain non-negative
    /// integer (`-1`, `+1`, `1.0`, `1e3`) among integer ids.
    NumberLikeId {
        /// The column.
        column: usize,
        /// The id as written.
        token: String,
    },
    /// With auto-detected integer ids, an all-digit id with a leading zero (`007`): the ids
    /// are read again as strings so that `007` and `7` stay apart (see
    /// [`IdKind::Auto`](crate::read::IdKind::Auto)). Appears in [`IdSwitch`](crate::read::IdSwitch) only.
    LeadingZero {
        /// The column.
        column: usize,
        /// The id as written.
        token: String,
    },
}

const STRING_IDS_HINT: &str = "use string ids";
const HEADER_HINT: &str = "read the first line as a header row";

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineProblem::TooFewColumns { found, needed } => {
                let s = if *found == 1 { "" } else { "s" };
                write!(f, "expected at least {needed} columns, found {found} column{s}")
            }
            LineProblem::EmptyField { column } => write!(f, "column {column} is empty"),
            LineProblem::NotInteger { column, token } => write!(
                f,
                "id `{token}` in column {column} is not an integer; {STRING_IDS_HINT} to use it as a name"
            ),
            LineProblem::MixedIds { column, token } => write!(
                f,
                "id `{token}` in column {column} is not an integer, but the ids in the first block \
                 were, and this input cannot be read again (it is not a regular file); {STRING_IDS_HINT}"
            ),
            LineProblem::IdOverflow { column, token } => write!(
                f,
                "id `{token}` in column {column} does not fit in 64 bits; {STRING_IDS_HINT} to keep it as text"
            ),
            LineProblem::NotUtf8 { column } => {
                write!(f, "id in column {column} is not valid UTF-8")
            }
            LineProblem::BadWeight { column, token } => {
                write!(f, "weight `{token}` in column {column} is not a finite number")
            }
            LineProblem::BadSign { column, token } => {
                write!(f, "sign `{token}` in column {column} is not 1, +1 or -1")
            }
            LineProblem::BadRating { column, token } => write!(
                f,
                "rating `{token}` in column {column} has no sign (it must be a non-zero finite number)"
            ),
            LineProblem::LineTooLong { limit } => write!(f, "line is longer than {limit} bytes"),
            LineProblem::NoSuchColumn { name, found } => {
                write!(f, "the header has no column named `{name}` (columns: {})", found.join(", "))
            }
            LineProblem::LoneCarriageReturn => f.write_str(
                "carriage return (CR) inside the line: CR line endings (classic Mac OS) are not \
                 supported, and a CR may only come just before the LF that ends a line; convert \
                 the file to LF or CRLF line endings",
            ),
            LineProblem::UnclosedQuote { column } => write!(
                f,
                "quoted field in column {column} has no closing quote (quoted fields cannot span lines)"
            ),
            LineProblem::TextAfterQuote { column } => write!(
                f,
                "column {column} has text after its closing quote (write a quote inside a quoted field as \"\")"
            ),
            LineProblem::LikelyHeader { token } => write!(
                f,
                "this looks like a header row (`{token}` is not an integer, the ids on the next lines \
                 are); {HEADER_HINT}, or if the ids really are names, {STRING_IDS_HINT}"
            ),
            LineProblem::NumberLikeId { column, token } => write!(
                f,
                "id `{token}` in column {column} is a number but not a non-negative integer, while \
                 the other ids are integers; fix the line, or if ids are names, {STRING_IDS_HINT}"
            ),
            LineProblem::LeadingZero { column, token } => write!(
                f,
                "id `{token}` in column {column} has a leading zero, so ids are kept as written \
                 (strings) rather than read as integers"
            ),
        }
    }
}

/// A repeated arc whose summed weights overflow (see [`ReadError::WeightOverflow`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightOverflow {
    /// The arc's source in the influence direction (original id, escaped for display).
    pub source: String,
    /// The arc's target (original id, escaped for display).
    pub target: String,
    /// The two ids in the order they are written on the input lines (`A B`).
    pub line_order: (String, String),
    /// The input names, escaped and joined.
    pub files: String,
    /// Where the sum became infinite and where the edge first appears, as (input, line),
    /// when the inputs could be read again to find them (regular files).
    pub at: Option<((String, u64), (String, u64))>,
}

/// Why a graph could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io {
        /// The input's name.
        file: String,
        /// What was being done (`cannot open`, `read error`).
        action: &'static str,
        /// The underlying error.
        source: io::Error,
    },
    /// A gzip or zstd stream ended early or does not decode.
    Corrupt {
        /// The input's name.
        file: String,
        /// `gzip` or `zstd`.
        format: &'static str,
        /// What the decoder said.
        detail: String,
        /// Decompressed bytes delivered before the failure.
        decompressed: u64,
    },
    /// A line could not be read (and bad lines are not skipped).
    Line {
        /// The input's name.
        file: String,
        /// 1-based line number in that input.
        line: u64,
        /// What is wrong.
        problem: LineProblem,
        /// The line (lossily decoded and shortened for display).
        text: String,
    },
    /// An input has no data lines.
    Empty {
        /// The input's name.
        file: String,
        /// Lines in the input.
        lines: u64,
        /// Bad lines skipped in it.
        skipped: u64,
        /// Whether one of the lines was a header row.
        header: bool,
    },
    /// An input is a clout snapshot, not text.
    Snapshot {
        /// The input's name.
        file: String,
    },
    /// More distinct node ids than dense `u32` ids can number.
    TooManyNodes {
        /// Distinct ids found.
        count: u64,
    },
    /// The configuration cannot work (for example a column selected by name without a header).
    Config(String),
    /// The weights of a repeated arc sum to infinity (under [`Duplicates::Sum`]).
    ///
    /// [`Duplicates::Sum`]: clout_graph::Duplicates::Sum
    WeightOverflow(Box<WeightOverflow>),
    /// The graph builder rejected the edges (an internal error: the reader's output is valid).
    Build(clout_graph::BuildError),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io { file, action, source } => {
                write!(f, "{}: {action}: {source}", escape_str(file))
            }
            ReadError::Corrupt { file, format, detail, decompressed } => write!(
                f,
                "{}: truncated or corrupt {format} stream ({}) after {decompressed} decompressed bytes",
                escape_str(file),
                escape_str(detail),
            ),
            ReadError::Line { file, line, problem, text } => {
                write!(f, "{}:{line}: {problem}: `{text}`", escape_str(file))
            }
            ReadError::Empty { file, lines, skipped, header } => {
                let file = escape_str(file);
                let s = if *lines == 1 { "" } else { "s" };
                let rest =
                    if *header { "a header row, comments or blank" } else { "comments or blank" };
                match skipped {
                    0 if *lines == 0 => write!(f, "no edges found in {file} (it is empty)"),
                    0 => write!(f, "no edges found in {file} ({lines} line{s}, all {rest})"),
                    _ => write!(
                        f,
                        "no edges found in {file} ({lines} line{s}: {skipped} bad lines skipped, the rest {rest})"
                    ),
                }
            }
            ReadError::Snapshot { file } => write!(
                f,
                "{file} is a clout snapshot, not an edge list; open it as a snapshot instead of \
                 reading it as text"
            ),
            ReadError::TooManyNodes { count } => {
                write!(f, "{count} distinct node ids, more than the {} a graph can hold", u32::MAX)
            }
            ReadError::Config(message) => {
                write!(f, "invalid read configuration: {}", escape_str(message))
            }
            ReadError::WeightOverflow(overflow) => {
                let WeightOverflow { source, target, line_order, files, at } = &**overflow;
                let (a, b) = line_order;
                match at {
                    Some(((file, line), (first_file, first_line))) => write!(
                        f,
                        "{}:{line}: with this line, the weights of the repeated edge `{a} {b}` \
                         (arc `{source}` -> `{target}`, first at {}:{first_line})",
                        escape_str(file),
                        escape_str(first_file)
                    )?,
                    None => write!(
                        f,
                        "{files}: the weights of the repeated edge `{a} {b}` (arc `{source}` -> \
                         `{target}`)"
                    )?,
                }
                f.write_str(
                    " sum to more than the largest number (infinite); scale the weights down, or \
                     keep the first copy of a repeated edge instead of summing",
                )
            }
            ReadError::Build(e) => write!(f, "building the graph failed: {e}"),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io { source, .. } => Some(source),
            ReadError::Build(e) => Some(e),
            _ => None,
        }
    }
}

/// Shortens `text` to at most `max` characters, marking the cut with `…`.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// A line for display: without its line ending, shortened, control characters and invalid
/// UTF-8 escaped ([`crate::escape`]).
pub(crate) fn quote_line(line: &[u8]) -> String {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    quote(line, MAX_QUOTED_LINE)
}

/// A token for display: shortened, control characters and invalid UTF-8 escaped.
pub(crate) fn quote_token(token: &[u8]) -> String {
    quote(token, MAX_QUOTED_TOKEN)
}

/// Shortens before escaping (so a long line costs little) and after (escapes lengthen it).
fn quote(bytes: &[u8], max: usize) -> String {
    let head = &bytes[..bytes.len().min(4 * max)];
    shorten(&crate::escape::escape_bytes(head), max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_on_char_boundaries() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "abc…");
        assert_eq!(shorten("ééé", 2), "éé…");
        assert_eq!(quote_line(b"1 2\r"), "1 2");
        assert_eq!(quote_token(b"\xff1"), "\\xff1");
        assert_eq!(quote_line(b"1\x1b]0;x\x07 2\r"), "1\\u{1b}]0;x\\u{7} 2");
    }

    #[test]
    fn line_errors_name_file_and_line() {
        let e = ReadError::Line {
            file: "x.txt".into(),
            line: 7,
            problem: LineProblem::TooFewColumns { found: 1, needed: 2 },
            text: "42".into(),
        };
        assert_eq!(e.to_string(), "x.txt:7: expected at least 2 columns, found 1 column: `42`");
    }

    #[test]
    fn messages_describe_settings_without_naming_command_line_flags() {
        let token = || "x".to_string();
        let hinted = [
            LineProblem::NotInteger { column: 1, token: token() },
            LineProblem::MixedIds { column: 1, token: token() },
            LineProblem::IdOverflow { column: 1, token: token() },
            LineProblem::LikelyHeader { token: token() },
            LineProblem::NumberLikeId { column: 1, token: token() },
        ];
        for problem in hinted {
            let text = problem.to_string();
            assert!(text.contains("use string ids"), "{text}");
            assert!(!text.contains("--"), "{text}");
        }
        let overflow = ReadError::WeightOverflow(Box::new(WeightOverflow {
            source: "a".into(),
            target: "b".into(),
            line_order: ("b".into(), "a".into()),
            files: "w.txt".into(),
            at: None,
        }));
        let text = overflow.to_string();
        assert!(text.contains("keep the first copy of a repeated edge"), "{text}");
        assert!(!text.contains("--"), "{text}");
    }
}
