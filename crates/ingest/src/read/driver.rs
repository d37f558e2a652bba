//! One pass over the inputs: blocks are read (and decompressed) while the previous block is
//! parsed (`rayon::join`), each input's header and separator are settled at its first data
//! line, and the pieces' results are collected in input order with absolute line numbers.

use super::plan::{MAX_LINE, Plan};
use super::{BadLine, IdKind, ReadReport};
use crate::error::{LineProblem, ReadError, quote_line, quote_token};
use crate::escape::escape_str;
use crate::input::Opened;
use crate::parse::compact::{Collected, Collector};
use crate::parse::{
    BAD_LINE_SAMPLES, IdMode, IdSample, LineKind, PieceOptions, classify, find_newline,
    has_lone_cr, header_token, parse_block, sample_ids,
};

/// What one pass produced.
pub(crate) struct Pass {
    pub pieces: Collected,
    pub report: ReadReport,
    pub synthetic: bool,
}

/// Why a pass stopped.
pub(crate) enum PassError {
    /// A real error.
    Fatal(ReadError),
    /// Auto-detected integer ids met a non-integer one (or one with a leading zero); the error
    /// to give if the inputs cannot be read again as strings, a [`ReadError::Line`] with
    /// [`LineProblem::MixedIds`] or [`LineProblem::LeadingZero`].
    NeedStringIds(ReadError),
}

impl PassError {
    pub(crate) fn into_error(self) -> ReadError {
        match self {
            PassError::Fatal(e) | PassError::NeedStringIds(e) => e,
        }
    }
}

impl From<ReadError> for PassError {
    fn from(e: ReadError) -> Self {
        PassError::Fatal(e)
    }
}

/// A block of text that ends at a line boundary (or at the end of the input).
struct Block {
    buffer: Vec<u8>,
    len: usize,
    last: bool,
}

/// Why the block reader stopped.
enum ReadFailure {
    Error(ReadError),
    /// A line longer than [`MAX_LINE`] (its first bytes); the line number is known only to
    /// the caller.
    LineTooLong(Vec<u8>),
}

/// Cuts an input into blocks that end after a `\n`, carrying the partial last line over.
struct BlockReader<'a> {
    source: Opened<'a>,
    carry: Vec<u8>,
    block_bytes: usize,
    done: bool,
}

impl BlockReader<'_> {
    fn next(&mut self, mut buffer: Vec<u8>) -> Result<Option<Block>, ReadFailure> {
        if self.done {
            return Ok(None);
        }
        let wanted = self.block_bytes.max(2 * self.carry.len());
        if buffer.is_empty() {
            // Zeroed by the allocator (fresh pages), so a small input touches little of it.
            buffer = vec![0; wanted];
        } else if buffer.len() < wanted {
            buffer.resize(wanted, 0);
        }
        let mut filled = self.carry.len();
        buffer[..filled].copy_from_slice(&self.carry);
        self.carry.clear();
        loop {
            filled += self.source.fill(&mut buffer[filled..]).map_err(ReadFailure::Error)?;
            if filled < buffer.len() {
                self.done = true;
                return Ok((filled > 0).then_some(Block { buffer, len: filled, last: true }));
            }
            if let Some(newline) = buffer.iter().rposition(|&b| b == b'\n') {
                self.carry.extend_from_slice(&buffer[newline + 1..]);
                return Ok(Some(Block { buffer, len: newline + 1, last: false }));
            }
            // The buffer holds one unfinished line.
            if buffer.len() > MAX_LINE {
                buffer.truncate(200);
                return Err(ReadFailure::LineTooLong(buffer));
            }
            buffer.resize((2 * buffer.len()).min(MAX_LINE + 1), 0);
        }
    }
}

/// Counts of one input.
#[derive(Default)]
struct FileState {
    name: String,
    /// `name` escaped for display (skipped-line samples carry it).
    shown_name: String,
    lines: u64,
    data: u64,
    bad: u64,
    layout: Option<crate::parse::Layout>,
    started: bool,
}

/// State across the inputs of a pass.
struct PassState<'p> {
    plan: &'p Plan,
    /// `None` until ids are detected (auto mode).
    mode: Option<IdMode>,
    pieces: Collector,
    report: ReadReport,
    synthetic: bool,
    /// Whether a first data line that looks like a header row is an error (ids are not read
    /// as strings).
    detect_header: bool,
}

/// Reads every input once. `ids`: the configured id kind, or `String` for a re-read.
pub(crate) fn run<'a>(
    count: usize,
    open: &mut dyn FnMut(usize) -> Result<Opened<'a>, ReadError>,
    plan: &Plan,
    ids: IdKind,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<Pass, PassError> {
    let mode = match ids {
        IdKind::Auto => None,
        IdKind::Integer => Some(IdMode::Integer { auto: false }),
        IdKind::String => Some(IdMode::String),
    };
    let mut state = PassState {
        plan,
        mode,
        pieces: Collector::new(plan.dedup),
        report: ReadReport::default(),
        synthetic: false,
        // Forced integer ids with skipped bad lines skip a header row as a bad line (counted
        // and sampled), which is not silent.
        detect_header: !plan.header
            && match ids {
                IdKind::Auto => true,
                IdKind::Integer => !plan.skip_bad_lines,
                IdKind::String => false,
            },
    };
    let mut consumed_before = 0u64;
    let mut spare: Vec<u8> = Vec::new();
    for index in 0..count {
        let source = open(index)?;
        let name = source.name().to_string();
        let mut file = FileState { shown_name: escape_str(&name), name, ..FileState::default() };
        let mut reader =
            BlockReader { source, carry: Vec::new(), block_bytes: plan.block_bytes, done: false };
        let mut current = reader.next(std::mem::take(&mut spare));
        loop {
            let block = match current {
                Ok(Some(block)) => block,
                Ok(None) => break,
                Err(ReadFailure::Error(e)) => return Err(e.into()),
                Err(ReadFailure::LineTooLong(start)) => {
                    // A file with CR-only line endings is one long line: say so.
                    let problem = if has_lone_cr(&start[..start.len() - 1]) {
                        LineProblem::LoneCarriageReturn
                    } else {
                        LineProblem::LineTooLong { limit: MAX_LINE }
                    };
                    return Err(PassError::Fatal(ReadError::Line {
                        file: file.name.clone(),
                        line: file.lines + 1,
                        problem,
                        text: quote_line(&start),
                    }));
                }
            };
            let buffer = std::mem::take(&mut spare);
            let (next, parsed) = rayon::join(
                || if block.last { Ok(None) } else { reader.next(buffer) },
                || state.block(&mut file, &block.buffer[..block.len]),
            );
            parsed?;
            state.report.bytes += block.len as u64;
            spare = block.buffer;
            current = next;
            if let Some(report) = progress {
                report(consumed_before + reader.source.consumed_bytes());
            }
        }
        consumed_before += reader.source.consumed_bytes();
        if file.data == 0 {
            let header = plan.header && file.layout.is_some();
            let (lines, skipped) = (file.lines, file.bad);
            return Err(ReadError::Empty { file: file.name, lines, skipped, header }.into());
        }
        state.report.lines += file.lines;
    }
    let mut report = state.report;
    report.compressed_bytes = consumed_before;
    report.ids = match state.mode {
        Some(IdMode::String) => IdKind::String,
        _ => IdKind::Integer,
    };
    Ok(Pass { pieces: state.pieces.finish(), report, synthetic: state.synthetic })
}

impl PassState<'_> {
    /// Parses one block of an input.
    fn block(&mut self, file: &mut FileState, mut text: &[u8]) -> Result<(), PassError> {
        if !file.started {
            file.started = true;
            text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
            if text.starts_with(b"# synthetic:") {
                self.synthetic = true;
            }
        }
        if file.layout.is_none() {
            text = self.settle_layout(file, text)?;
        }
        let Some(layout) = &file.layout else { return Ok(()) };
        let mode = match self.mode {
            Some(mode) => mode,
            None => match sample_ids(text, layout, self.plan.min_piece) {
                IdSample::NoData => IdMode::Integer { auto: true },
                // Number-like ids are read as integers so that the parser reports them.
                IdSample::Integer | IdSample::NumberLike => {
                    *self.mode.insert(IdMode::Integer { auto: true })
                }
                IdSample::Strings => *self.mode.insert(IdMode::String),
            },
        };
        let opts = PieceOptions { mode, skip_bad_lines: self.plan.skip_bad_lines };
        for mut piece in parse_block(text, layout, opts, self.plan.min_piece) {
            let base = file.lines;
            if let Some(stop) = piece.stop.take() {
                let line = base + stop.line;
                let error = |problem| ReadError::Line {
                    file: file.name.clone(),
                    line,
                    problem,
                    text: stop.text.clone(),
                };
                let auto = mode == IdMode::Integer { auto: true };
                return Err(match stop.problem {
                    LineProblem::NotInteger { column, token } if auto => {
                        PassError::NeedStringIds(error(LineProblem::MixedIds { column, token }))
                    }
                    problem @ LineProblem::LeadingZero { .. } if auto => {
                        PassError::NeedStringIds(error(problem))
                    }
                    problem => PassError::Fatal(error(problem)),
                });
            }
            file.lines += piece.lines;
            file.data += piece.edges() as u64;
            file.bad += piece.bad;
            let report = &mut self.report;
            report.comment_lines += piece.comments;
            report.blank_lines += piece.blanks;
            report.data_lines += piece.edges() as u64;
            report.bad_lines += piece.bad;
            for sample in piece.samples.drain(..) {
                if report.bad_line_samples.len() < BAD_LINE_SAMPLES {
                    report.bad_line_samples.push(BadLine {
                        file: file.shown_name.clone(),
                        line: base + sample.line,
                        text: sample.text,
                        problem: sample.problem,
                    });
                }
            }
            if piece.edges() > 0 {
                self.pieces.push(piece);
            }
        }
        Ok(())
    }

    /// Skips comments and blanks up to the first data line, which settles the separator and
    /// (with a header) the columns; returns the rest of the block, or nothing if the block
    /// holds no data line. Without a header row, a first data line that looks like one is an
    /// error (unless ids are read as strings).
    fn settle_layout<'t>(
        &mut self,
        file: &mut FileState,
        text: &'t [u8],
    ) -> Result<&'t [u8], PassError> {
        let mut pos = 0;
        while pos < text.len() {
            let end = find_newline(text, pos);
            let line = &text[pos..end];
            let line_error = |problem| ReadError::Line {
                file: file.name.clone(),
                line: file.lines + 1,
                problem,
                text: quote_line(line),
            };
            if has_lone_cr(line) {
                return Err(line_error(LineProblem::LoneCarriageReturn).into());
            }
            match classify(line) {
                LineKind::Blank => self.report.blank_lines += 1,
                LineKind::Comment => self.report.comment_lines += 1,
                LineKind::Data => {
                    let header = self.plan.header.then_some(line);
                    let sep = self.plan.separator(line);
                    let layout = self.plan.layout(sep, header).map_err(line_error)?;
                    if layout.src == layout.dst {
                        return Err(ReadError::Config(
                            "the two ids must come from different columns".into(),
                        )
                        .into());
                    }
                    if self.detect_header {
                        let rest = text.get(end + 1..).unwrap_or_default();
                        if let Some(token) = header_token(line, rest, &layout) {
                            let token = quote_token(token);
                            return Err(line_error(LineProblem::LikelyHeader { token }).into());
                        }
                    }
                    file.layout = Some(layout);
                    if header.is_none() {
                        return Ok(&text[pos..]);
                    }
                    file.lines += 1;
                    self.report.header_lines += 1;
                    return Ok(text.get(end + 1..).unwrap_or_default());
                }
            }
            file.lines += 1;
            pos = end + 1;
        }
        Ok(&[])
    }
}
