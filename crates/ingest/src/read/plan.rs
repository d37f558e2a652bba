//! The read configuration checked and completed: the format's defaults filled in, columns
//! validated, and per file, the separator chosen and header names resolved to positions.

use super::{Column, Delimiter, Format, ReadConfig};
use crate::error::{LineProblem, ReadError, quote_token};
use clout_graph::EdgeReading;

use crate::escape::escape_str;
use crate::parse::compact::Dedup;
use crate::parse::{Layout, Sep, SignSource, all_fields};

/// The longest line accepted: the block buffer grows (doubling) to hold a longer line, up to
/// this size, so a file without newlines fails early instead of filling memory.
pub(crate) const MAX_LINE: usize = 64 << 20;

/// The largest block.
const MAX_BLOCK: usize = 1 << 30;

/// The configuration, checked and with the format's defaults filled in.
#[derive(Debug)]
pub(crate) struct Plan {
    delimiter: Delimiter,
    pub header: bool,
    src: Column,
    dst: Column,
    weight: Option<Column>,
    /// The sign's column, and whether it holds the sign of a rating rather than +1 / -1.
    sign: Option<(Column, bool)>,
    pub skip_bad_lines: bool,
    pub block_bytes: usize,
    pub min_piece: usize,
    /// Repeated edges merged while reading (`None` keeps every edge).
    pub dedup: Option<Dedup>,
}

impl Plan {
    pub(crate) fn new(cfg: &ReadConfig) -> Result<Plan, ReadError> {
        let mut delimiter = cfg.delimiter;
        let mut weight = cfg.weight.clone();
        let mut sign = cfg.sign.clone().map(|c| (c, false));
        match cfg.format {
            Format::EdgeList => {}
            Format::SnapSigned => sign = sign.or(Some((Column::Position(3), false))),
            Format::BitcoinCsv => {
                if delimiter == Delimiter::Auto {
                    delimiter = Delimiter::Char(b',');
                }
                weight = weight.or(Some(Column::Position(3)));
                sign = sign.or(Some((Column::Position(3), true)));
            }
        }
        let columns =
            [Some(&cfg.src), Some(&cfg.dst), weight.as_ref(), sign.as_ref().map(|s| &s.0)];
        for column in columns.into_iter().flatten() {
            match column {
                Column::Position(0) => {
                    return Err(ReadError::Config("columns are numbered from 1".into()));
                }
                Column::Position(p) if *p > 1024 => {
                    return Err(ReadError::Config(format!(
                        "column {p} is beyond the 1024 columns supported"
                    )));
                }
                Column::Name(name) if !cfg.header => {
                    return Err(ReadError::Config(format!(
                        "column `{name}` is selected by name, but the inputs are not read with a header row"
                    )));
                }
                _ => {}
            }
        }
        if let Delimiter::Char(b'\n' | b'#' | b'%') = delimiter {
            return Err(ReadError::Config("the delimiter cannot be a newline, `#` or `%`".into()));
        }
        let block_bytes = cfg.block_bytes.clamp(1, MAX_BLOCK);
        Ok(Plan {
            delimiter,
            header: cfg.header,
            src: cfg.src.clone(),
            dst: cfg.dst.clone(),
            weight,
            sign,
            skip_bad_lines: cfg.skip_bad_lines,
            block_bytes,
            min_piece: (block_bytes / 64).clamp(1, 64 << 10),
            dedup: Dedup::new(cfg.duplicates, cfg.reading == EdgeReading::Undirected, block_bytes),
        })
    }

    pub(crate) fn weighted(&self) -> bool {
        self.weight.is_some()
    }

    pub(crate) fn signed(&self) -> bool {
        self.sign.is_some()
    }

    /// The separator of a file whose first data line (or header) is `line`.
    pub(crate) fn separator(&self, line: &[u8]) -> Sep {
        match self.delimiter {
            Delimiter::Auto if line.contains(&b',') => Sep::Byte(b','),
            Delimiter::Auto | Delimiter::Whitespace => Sep::Whitespace,
            Delimiter::Char(c) => Sep::Byte(c),
        }
    }

    /// Resolves the columns of one file, by name from `header` where asked (quoted names are
    /// unquoted, as any field).
    pub(crate) fn layout(&self, sep: Sep, header: Option<&[u8]>) -> Result<Layout, LineProblem> {
        let names = match header {
            None => Vec::new(),
            Some(h) => all_fields(h, sep)?,
        };
        let resolve = |column: &Column| match column {
            Column::Position(p) => Ok(p - 1),
            Column::Name(name) => names
                .iter()
                .position(|f| f.eq_ignore_ascii_case(name.as_bytes()))
                .ok_or_else(|| LineProblem::NoSuchColumn {
                    name: escape_str(name),
                    found: names.iter().map(|f| quote_token(f)).collect(),
                }),
        };
        let src = resolve(&self.src)?;
        let dst = resolve(&self.dst)?;
        let weight = self.weight.as_ref().map(resolve).transpose()?;
        let sign = match &self.sign {
            None => None,
            Some((column, true)) => Some(SignSource::SignOf(resolve(column)?)),
            Some((column, false)) => Some(SignSource::Column(resolve(column)?)),
        };
        Ok(Layout::new(sep, src, dst, weight, sign))
    }
}
