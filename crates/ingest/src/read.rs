//! Reading edge lists, CSV and SNAP files (plain, gzip or zstd) into a clout graph.
//!
//! [`read_graph`] reads one or more inputs into one graph with one id space. Each line `A B`
//! becomes an influence arc according to [`ReadConfig::reading`]; original ids are kept in an
//! [`IdMap`](crate::IdMap). Lines are parsed in parallel, in pieces of blocks; the result is
//! identical at any thread count. Problems are reported as `FILE:LINE: problem: \`text\``, or
//! skipped and counted with [`ReadConfig::skip_bad_lines`]. Input echoed in a message (lines,
//! tokens, header names, file names) has control characters and invalid UTF-8 escaped
//! ([`crate::escape`]).
//!
//! Lines end with LF or CRLF. A CR anywhere else (CR-only line endings, or a stray CR that
//! would hide the rest of a line) is an error naming the line, never skipped: lines are not
//! merged or cut silently.
//!
//! ```no_run
//! use clout_ingest::input::Input;
//! use clout_ingest::read::{ReadConfig, read_graph};
//!
//! let inputs = [Input::from_arg("soc-Slashdot0902.txt.gz")];
//! let (loaded, report) = read_graph(&inputs, &ReadConfig::default(), None)?;
//! println!("{} nodes, {} arcs, {} lines", loaded.graph.node_count(), loaded.graph.arc_count(), report.lines);
//! # Ok::<(), clout_ingest::read::ReadError>(())
//! ```

mod driver;
mod locate;
mod plan;

use std::io::Read;
use std::time::Instant;

use clout_graph::{
    BuildConfig, BuildError, Duplicates, EdgeList, EdgeReading, GraphInfo, Premerged, SelfLoops,
};

pub use crate::error::{LineProblem, ReadError, WeightOverflow};

use crate::LoadedGraph;
use crate::handle::Handle;
use crate::input::{self, Input};
use crate::parse::remap::remap;

/// A column of the input: by 1-based position, or by name from the header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// 1-based position.
    Position(usize),
    /// A name in the header row (compared ignoring ASCII case; needs [`ReadConfig::header`]).
    Name(String),
}

impl From<usize> for Column {
    fn from(position: usize) -> Self {
        Column::Position(position)
    }
}

impl From<&str> for Column {
    fn from(name: &str) -> Self {
        Column::Name(name.to_string())
    }
}

impl Column {
    /// A column as a user writes it: a 1-based position (`3`), or a header name (`weight`),
    /// which needs a header row. An error with the reason when it is neither.
    pub fn parse(text: &str, header: bool) -> Result<Column, String> {
        match text.parse::<usize>() {
            Ok(0) => Err("columns are numbered from 1".to_string()),
            Ok(p) => Ok(Column::Position(p)),
            Err(_) if header => Ok(Column::Name(text.to_string())),
            Err(_) => Err(format!("{text:?} is a column name, which needs a header row")),
        }
    }
}

/// How fields are separated.
///
/// With a one-byte delimiter (a comma, whether given or detected, or any [`Delimiter::Char`]),
/// fields may be quoted as in RFC 4180: `"a,b"` is one field `a,b`, `""` inside quotes is
/// one `"`, and blanks around the quotes are trimmed. A quote inside an unquoted field is an
/// ordinary byte. Quoted fields cannot span lines: a missing closing quote, or text after
/// one, is an error naming the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delimiter {
    /// Decided per file from its first data line (or header): a comma if it has one, otherwise
    /// whitespace (default).
    #[default]
    Auto,
    /// Runs of spaces and tabs; leading blanks are ignored.
    Whitespace,
    /// Exactly this byte (`,`, `;`, `\t`, ...); spaces and tabs around each field are trimmed.
    Char(u8),
}

/// The command-line values of [`Delimiter`]: `auto`, `whitespace`, `comma` and `tab` (any other
/// byte is a [`Delimiter::Char`] a program builds itself).
#[cfg(feature = "clap")]
impl clap::ValueEnum for Delimiter {
    fn value_variants<'a>() -> &'a [Self] {
        &[Delimiter::Auto, Delimiter::Whitespace, Delimiter::Char(b','), Delimiter::Char(b'\t')]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        use clap::builder::PossibleValue;
        Some(match self {
            Delimiter::Auto => PossibleValue::new("auto").help("Detect per file"),
            Delimiter::Whitespace => PossibleValue::new("whitespace").help("Spaces and tabs"),
            Delimiter::Char(b',') => PossibleValue::new("comma").help("Commas"),
            Delimiter::Char(b'\t') => PossibleValue::new("tab").help("Tabs only"),
            Delimiter::Char(_) => return None,
        })
    }
}

/// Known file layouts. Each fills in defaults for the columns left unset in [`ReadConfig`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Format {
    /// `A B [more columns]`: ids in columns 1 and 2 (default).
    #[default]
    #[cfg_attr(feature = "clap", value(name = "edges"))]
    EdgeList,
    /// SNAP signed networks (`soc-sign-epinions`, `soc-sign-Slashdot`): the sign (+1 / -1) is
    /// column 3 unless [`ReadConfig::sign`] says otherwise.
    #[cfg_attr(feature = "clap", value(name = "signed"))]
    SnapSigned,
    /// SNAP Bitcoin ratings `SOURCE,TARGET,RATING,TIME` (no header): comma-separated unless a
    /// delimiter is given; the weight is the rating (column 3) unless [`ReadConfig::weight`] is
    /// set; the sign is the rating's sign (a rating of 0 is an error) unless
    /// [`ReadConfig::sign`] is set.
    #[cfg_attr(feature = "clap", value(name = "bitcoin"))]
    BitcoinCsv,
}

/// How node ids are read.
///
/// Leading zeros: with [`IdKind::Integer`], `007` and `7` are the same id 7; with
/// [`IdKind::String`] they are two ids; [`IdKind::Auto`] never merges them (an id with a
/// leading zero makes it read strings), so it never joins two accounts that the text keeps
/// apart. `0` alone is an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum IdKind {
    /// Integers if every id in the first block of data is all ASCII digits without a leading
    /// zero, strings otherwise (default). A few readings are refused rather than guessed:
    /// - a first data line whose ids are names followed by lines of integer ids is taken for
    ///   a header row given without [`ReadConfig::header`] ([`LineProblem::LikelyHeader`]);
    /// - among integer ids, an id that is a number but not a plain non-negative integer
    ///   (`-1`, `+1`, `1.0`, `1e3`) is a bad line ([`LineProblem::NumberLikeId`]) instead of
    ///   turning every id into a string.
    ///
    /// If a later id is a name or has a leading zero, regular files are read again with
    /// string ids ([`ReadReport::string_ids_switch`] says where, and how many ids it
    /// affected); other inputs (stdin) fail with a message that suggests [`IdKind::String`].
    #[default]
    Auto,
    /// Decimal integers up to `u64::MAX` (leading zeros ignored: `007` is 7). Anything else is
    /// a bad line; a first line that looks like a header row is reported as one.
    Integer,
    /// Any UTF-8 text without separators (handles such as `@alice`; `007` and `7` differ).
    String,
}

/// How to read inputs. Every field's default is stated on it; [`ReadConfig::default`] gives
/// them all.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadConfig {
    /// What a line `A B` means. Default: [`EdgeReading::Follows`] (A follows B, so the stored
    /// influence arc is `B -> A`).
    pub reading: EdgeReading,
    /// The file layout. Default: [`Format::EdgeList`].
    pub format: Format,
    /// The field separator. Default: [`Delimiter::Auto`].
    pub delimiter: Delimiter,
    /// Whether the first non-comment line of each input is a header row naming the columns.
    /// Default: `false`.
    pub header: bool,
    /// The column of `A`. Default: position 1.
    pub src: Column,
    /// The column of `B`. Default: position 2.
    pub dst: Column,
    /// The column of a weight (a finite number; duplicates sum it under
    /// [`Duplicates::Sum`], and a sum that overflows to infinity is an error naming the edge).
    /// Any sign is read, since some formats give weights a meaning below zero (the Bitcoin
    /// rating is -10 ..= 10); kernels that need non-negative or positive weights check them
    /// and name the arc. Default: none (unweighted), except [`Format::BitcoinCsv`].
    pub weight: Option<Column>,
    /// The column of a sign (`1`, `+1`, `-1`; also `1.0`, `+1.0`, `-1.0`). Default: none
    /// (unsigned), except for [`Format::SnapSigned`] and [`Format::BitcoinCsv`].
    pub sign: Option<Column>,
    /// How ids are read. Default: [`IdKind::Auto`].
    pub ids: IdKind,
    /// What to do with self-loops. Default: [`SelfLoops::Drop`].
    pub self_loops: SelfLoops,
    /// What to do with repeated arcs. Default: [`Duplicates::Sum`].
    pub duplicates: Duplicates,
    /// Skip and count bad lines instead of failing on the first one. Default: `false`.
    pub skip_bad_lines: bool,
    /// Bytes of decompressed text parsed per block (a tuning knob: memory use is about three
    /// blocks; smaller blocks are only useful in tests). Clamped to `1 ..= 1 GiB`.
    /// Default: 16 MiB.
    pub block_bytes: usize,
}

/// Default [`ReadConfig::block_bytes`].
pub const DEFAULT_BLOCK_BYTES: usize = 16 << 20;

impl Default for ReadConfig {
    fn default() -> Self {
        ReadConfig {
            reading: EdgeReading::Follows,
            format: Format::EdgeList,
            delimiter: Delimiter::Auto,
            header: false,
            src: Column::Position(1),
            dst: Column::Position(2),
            weight: None,
            sign: None,
            ids: IdKind::Auto,
            self_loops: SelfLoops::Drop,
            duplicates: Duplicates::Sum,
            skip_bad_lines: false,
            block_bytes: DEFAULT_BLOCK_BYTES,
        }
    }
}

/// One skipped line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// The input's name (control characters escaped for display).
    pub file: String,
    /// 1-based line number in that input.
    pub line: u64,
    /// The line (lossily decoded and shortened).
    pub text: String,
    /// What is wrong with it.
    pub problem: LineProblem,
}

/// Why auto-detected integer ids became strings (see [`IdKind::Auto`]), and what it changed.
///
/// Its display reads `FILE:LINE: id \`TOKEN\` in column C is not an integer, so ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdSwitch {
    /// The input's name (escaped for display).
    pub file: String,
    /// 1-based line of the first id that was not read as an integer.
    pub line: u64,
    /// Its column (1-based).
    pub column: usize,
    /// The id as written (escaped and shortened for display).
    pub token: String,
    /// Whether it is all digits but has a leading zero (otherwise it is not an integer).
    pub leading_zero: bool,
    /// Distinct ids in the graph.
    pub ids: u64,
    /// How many of them are written as integers: ids that would have been integers, now text
    /// (sorted as text, and `07` and `7` are two ids).
    pub integer_ids: u64,
}

impl std::fmt::Display for IdSwitch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let IdSwitch { file, line, column, token, leading_zero, ids, integer_ids } = self;
        let why = if *leading_zero { "has a leading zero" } else { "is not an integer" };
        write!(
            f,
            "{file}:{line}: id `{token}` in column {column} {why}, so the integer ids detected \
             before it were read again as strings: {integer_ids} of the {ids} ids are integers \
             kept as text (sorted as text; `07` and `7` are different ids)"
        )
    }
}

/// What a read did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadReport {
    /// Input names, in order.
    pub inputs: Vec<String>,
    /// Decompressed bytes read.
    pub bytes: u64,
    /// Bytes read from the inputs as stored (the compressed size for gzip / zstd input).
    pub compressed_bytes: u64,
    /// Lines read (a last line without a newline counts).
    pub lines: u64,
    /// Lines starting with `#` or `%`.
    pub comment_lines: u64,
    /// Empty or all-blank lines.
    pub blank_lines: u64,
    /// Header rows (one per input when [`ReadConfig::header`] is set).
    pub header_lines: u64,
    /// Lines that gave an edge.
    pub data_lines: u64,
    /// Bad lines skipped ([`ReadConfig::skip_bad_lines`]).
    pub bad_lines: u64,
    /// The first five skipped lines, in input order.
    pub bad_line_samples: Vec<BadLine>,
    /// How ids were read in the end: [`IdKind::Integer`] or [`IdKind::String`].
    pub ids: IdKind,
    /// Whether the inputs were read a second time because a non-integer id turned up after
    /// integer ids were detected.
    pub reread_as_strings: bool,
    /// When the inputs were read again with string ids: the id that caused it and how many
    /// ids it affected.
    pub string_ids_switch: Option<IdSwitch>,
    /// Seconds spent reading and parsing (including a re-read).
    pub parse_seconds: f64,
    /// Seconds spent assigning dense ids (and gathering the parsed arrays).
    pub ids_seconds: f64,
    /// Seconds spent building the CSR graph.
    pub build_seconds: f64,
    /// Total seconds.
    pub seconds: f64,
    /// The most parsed edges held at once before ids were assigned. Under a duplicate policy
    /// that merges, repeated edges are merged while reading, so this stays within about twice
    /// the distinct edges plus `block_bytes / 16` plus the edges of one piece of a block
    /// (at most `block_bytes / 4`), however often edges repeat; with [`Duplicates::Keep`] it
    /// is every input edge.
    pub peak_parsed_arcs: u64,
}

/// Reads `inputs` (files, pipes, FIFOs, or [`Input::Stdin`]) into one graph, opening each
/// input once (see [`crate::source`]); an input that is a snapshot is an error
/// ([`ReadError::Snapshot`]), not text to parse. Several inputs are concatenated
/// and share one id space. `progress` is called after each block with the number of bytes read
/// from the inputs so far, as stored (compressed bytes for compressed input), summed over
/// inputs; compare it with the files' sizes. (After a re-read with string ids, see
/// [`IdKind::Auto`], the count starts again from 0.)
///
/// Dense ids follow ascending original ids (numeric or byte order). The graph's
/// [`GraphInfo`] records the reading, the input names and whether the first line of an input
/// was clout's `# synthetic:` marker; the builder fills in the policy counters.
///
/// Errors: I/O and decompression errors name the file; bad lines (unless skipped) give
/// `FILE:LINE: problem: \`text\`` for the first bad line in input order; an input without any
/// edge is an error; see [`ReadError`].
///
/// Cost: one pass over the text, parallel over blocks' pieces, plus O(m log m) to merge
/// repeated edges as they accumulate; memory about the parsed ids (4 or 8 bytes per endpoint)
/// of at most twice the distinct edges plus a fraction of a block's edges (every edge with
/// [`Duplicates::Keep`]), plus three blocks, then the builder's.
/// See [`ReadReport::peak_parsed_arcs`].
pub fn read_graph(
    inputs: &[Input],
    cfg: &ReadConfig,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<(LoadedGraph, ReadReport), ReadError> {
    let mut handles = Vec::with_capacity(inputs.len());
    for input in inputs {
        let mut handle = Handle::open(input)?;
        if handle.is_snapshot()? {
            return Err(ReadError::Snapshot { file: handle.name });
        }
        handles.push(handle);
    }
    read_handles(handles, cfg, progress)
}

/// Reads inputs that are already open (and known not to be snapshots) into one graph.
pub(crate) fn read_handles(
    mut handles: Vec<Handle>,
    cfg: &ReadConfig,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<(LoadedGraph, ReadReport), ReadError> {
    let names: Vec<String> = handles.iter().map(|h| h.name.clone()).collect();
    let rereadable = handles.iter().all(|h| h.regular);
    read_with(&names, cfg, progress, rereadable, &mut |i| handles[i].text())
}

/// Reads one input from any reader (stdin, a socket, bytes in memory), named `name` in
/// messages. Like [`read_graph`], except that the input cannot be read twice: with
/// [`IdKind::Auto`], a non-integer id after integer ids were detected is an error.
pub fn read_graph_from_reader<'a>(
    name: &str,
    reader: impl Read + Send + 'a,
    cfg: &ReadConfig,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<(LoadedGraph, ReadReport), ReadError> {
    let mut reader = Some(reader);
    let names = [name.to_string()];
    read_with(&names, cfg, progress, false, &mut |_| match reader.take() {
        Some(r) => input::open_reader(name, r),
        None => Err(ReadError::Config(format!("{name} cannot be read twice"))),
    })
}

fn read_with<'a>(
    names: &[String],
    cfg: &ReadConfig,
    progress: Option<&(dyn Fn(u64) + Sync)>,
    rereadable: bool,
    open: &mut dyn FnMut(usize) -> Result<input::Opened<'a>, ReadError>,
) -> Result<(LoadedGraph, ReadReport), ReadError> {
    let started = Instant::now();
    if names.is_empty() {
        return Err(ReadError::Config("no inputs to read".into()));
    }
    let plan = plan::Plan::new(cfg)?;
    let mut switch = None;
    let pass = match driver::run(names.len(), open, &plan, cfg.ids, progress) {
        Ok(pass) => pass,
        Err(driver::PassError::Fatal(e)) => return Err(e),
        Err(driver::PassError::NeedStringIds(e)) => {
            if !rereadable {
                return Err(e);
            }
            switch = Some(id_switch(&e).ok_or(e)?);
            driver::run(names.len(), open, &plan, IdKind::String, progress)
                .map_err(driver::PassError::into_error)?
        }
    };
    let parsed = Instant::now();
    let mut report = pass.report;
    report.inputs = names.to_vec();
    report.reread_as_strings = switch.is_some();
    let follows = cfg.reading == EdgeReading::Follows;
    let collected = pass.pieces;
    report.peak_parsed_arcs = collected.peak_edges;
    let premerged = Premerged { copies: collected.merged, self_loops: collected.merged_loops };
    let remapped = remap(collected.pieces, follows, plan.weighted(), plan.signed())?;
    report.string_ids_switch = switch.map(|switch| IdSwitch {
        ids: remapped.ids.len() as u64,
        integer_ids: integer_like_ids(&remapped.ids),
        ..switch
    });
    let remapped_at = Instant::now();
    let edges = EdgeList {
        node_count: remapped.node_count,
        src: remapped.src,
        dst: remapped.dst,
        weights: remapped.weights,
        signs: remapped.signs,
    };
    let build = BuildConfig {
        directed: cfg.reading != EdgeReading::Undirected,
        self_loops: cfg.self_loops,
        duplicates: cfg.duplicates,
    };
    let info = GraphInfo {
        reading: cfg.reading,
        synthetic: pass.synthetic,
        provenance: names.join(", "),
        ..GraphInfo::default()
    };
    let graph = match clout_graph::build_premerged(edges, &build, info, premerged) {
        Ok(graph) => graph,
        Err(BuildError::WeightOverflow { source, target }) => {
            let ids = &remapped.ids;
            let (source, target) =
                (ids.original(source).to_string(), ids.original(target).to_string());
            // The arc runs against the line's order under the follows reading.
            let (a, b) = if follows { (&target, &source) } else { (&source, &target) };
            let edge = locate::EdgeIds {
                a,
                b,
                either_order: cfg.reading == EdgeReading::Undirected,
                integer: !ids.is_string(),
            };
            let at = if rereadable {
                locate::locate_overflow(names.len(), open, &plan, &edge)
            } else {
                None
            };
            let escape = |text: &str| crate::escape::escape_str(text);
            return Err(ReadError::WeightOverflow(Box::new(WeightOverflow {
                line_order: (escape(a), escape(b)),
                source: escape(&source),
                target: escape(&target),
                files: names.iter().map(|n| escape(n)).collect::<Vec<_>>().join(", "),
                at: at.map(|at| (at.at, at.first)),
            })));
        }
        Err(e) => return Err(ReadError::Build(e)),
    };
    let done = Instant::now();
    report.parse_seconds = (parsed - started).as_secs_f64();
    report.ids_seconds = (remapped_at - parsed).as_secs_f64();
    report.build_seconds = (done - remapped_at).as_secs_f64();
    report.seconds = (done - started).as_secs_f64();
    Ok((LoadedGraph { graph, ids: remapped.ids }, report))
}

/// The switch to string ids that `e` (a [`driver::PassError::NeedStringIds`] error) asks for
/// (`None` if `e` is another error); the id counts are filled in once the ids are known.
fn id_switch(e: &ReadError) -> Option<IdSwitch> {
    let ReadError::Line { file, line, problem, .. } = e else { return None };
    let (column, token, leading_zero) = match problem {
        LineProblem::MixedIds { column, token } => (*column, token, false),
        LineProblem::LeadingZero { column, token } => (*column, token, true),
        _ => return None,
    };
    let file = crate::escape::escape_str(file);
    Some(IdSwitch {
        file,
        line: *line,
        column,
        token: token.clone(),
        leading_zero,
        ids: 0,
        integer_ids: 0,
    })
}

/// How many ids are written as integers (ASCII digits only).
fn integer_like_ids(ids: &crate::IdMap) -> u64 {
    (0..ids.len() as u32)
        .filter(|&u| match ids.original(u) {
            crate::OriginalId::Integer(_) => true,
            crate::OriginalId::String(s) => !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()),
        })
        .count() as u64
}
