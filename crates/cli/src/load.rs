//! Opening the GRAPH argument of any command: a snapshot (detected by its magic bytes) or an
//! edge list read with the input flags.

use std::path::Path;

use anyhow::{Result, bail};
use clout_graph::{Duplicates, EdgeReading, SelfLoops};
use clout_ingest::read::{Column, Delimiter, Format, IdKind, ReadConfig, ReadReport, read_graph};
use clout_ingest::source::{self, SourceKind};
use clout_ingest::{LoadedGraph, input::Input};

use crate::args::{
    DelimiterArg, DuplicatesArg, EdgesArg, FormatArg, IdsArg, InputArgs, SelfLoopsArg,
};
use crate::progress::bytes_bar;

/// Where a graph came from.
pub enum GraphSource {
    /// A snapshot, memory-mapped.
    Snapshot,
    /// Text read now.
    EdgeList,
}

/// A graph opened for a command.
pub struct Opened {
    /// The graph and its ids.
    pub loaded: LoadedGraph,
    /// Snapshot or text.
    pub source: GraphSource,
    /// Seconds to open or read it.
    pub seconds: f64,
}

/// Opens `path` as a snapshot if it starts with the snapshot magic bytes, otherwise reads it
/// as an edge list with `input`'s flags. `-` is stdin. The input is opened once, so pipes,
/// FIFOs and process substitutions give the same graph as a file with the same bytes.
pub fn open_graph(path: &Path, input: &InputArgs) -> Result<Opened> {
    let cfg = read_config(input)?;
    let source = Input::from_arg(path);
    let total = std::fs::metadata(path).ok().filter(|m| m.is_file()).map_or(0, |m| m.len());
    let bar = bytes_bar(total, "reading");
    let progress = |bytes: u64| bar.set_position(bytes);
    // A snapshot arriving through a pipe is read into memory: its header may claim at most the
    // memory budget.
    let cap = crate::limits::library_limit().unwrap_or(u64::MAX);
    let result = source::open_graph_capped(&source, &cfg, Some(&progress), cap);
    bar.finish_and_clear();
    let opened = result?;
    if let Some(report) = &opened.report {
        warn_about(report);
    }
    let kind = match opened.kind {
        SourceKind::Snapshot => GraphSource::Snapshot,
        SourceKind::EdgeList => GraphSource::EdgeList,
    };
    Ok(Opened { loaded: opened.loaded, source: kind, seconds: opened.seconds })
}

/// Reads edge lists with the input flags, with a progress bar on a terminal and a warning on
/// stderr about skipped lines.
pub fn read_edge_lists(
    paths: &[std::path::PathBuf],
    input: &InputArgs,
) -> Result<(LoadedGraph, ReadReport)> {
    let cfg = read_config(input)?;
    let inputs: Vec<Input> = paths.iter().map(Input::from_arg).collect();
    let total: u64 = paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .filter_map(|p| std::fs::metadata(p).ok().filter(|m| m.is_file()))
        .map(|m| m.len())
        .sum();
    let bar = bytes_bar(total, "reading");
    let progress = |bytes: u64| bar.set_position(bytes);
    let result = read_graph(&inputs, &cfg, Some(&progress));
    bar.finish_and_clear();
    let (loaded, report) = result?;
    warn_about(&report);
    Ok((loaded, report))
}

/// Prints the reader's warnings (skipped lines, a re-read with string ids) on stderr.
fn warn_about(report: &ReadReport) {
    if report.bad_lines > 0 {
        eprintln!("warning: skipped {} bad lines; the first ones:", report.bad_lines);
        for bad in &report.bad_line_samples {
            eprintln!("  {}:{}: {}: `{}`", bad.file, bad.line, bad.problem, bad.text);
        }
    }
    if let Some(switch) = &report.string_ids_switch {
        eprintln!("note: {switch} (use --ids string or --ids integer to choose)");
    }
}

/// Turns the command-line input flags into a reader configuration.
pub fn read_config(a: &InputArgs) -> Result<ReadConfig> {
    let column = |text: &Option<String>, what: &str| -> Result<Option<Column>> {
        match text {
            None => Ok(None),
            Some(t) => match t.parse::<usize>() {
                Ok(0) => bail!("--{what} columns are numbered from 1"),
                Ok(p) => Ok(Some(Column::Position(p))),
                Err(_) if a.header => Ok(Some(Column::Name(t.clone()))),
                Err(_) => bail!("--{what} {t:?} is a column name, which needs --header"),
            },
        }
    };
    let mut cfg = ReadConfig {
        reading: if a.undirected {
            EdgeReading::Undirected
        } else {
            match a.edges {
                EdgesArg::Follows => EdgeReading::Follows,
                EdgesArg::Influence => EdgeReading::Influence,
            }
        },
        format: match a.format {
            FormatArg::Edges => Format::EdgeList,
            FormatArg::Signed => Format::SnapSigned,
            FormatArg::Bitcoin => Format::BitcoinCsv,
        },
        delimiter: match a.delimiter {
            DelimiterArg::Auto => Delimiter::Auto,
            DelimiterArg::Whitespace => Delimiter::Whitespace,
            DelimiterArg::Comma => Delimiter::Char(b','),
            DelimiterArg::Tab => Delimiter::Char(b'\t'),
        },
        header: a.header,
        weight: column(&a.weight, "weight")?,
        sign: column(&a.sign, "sign")?,
        ids: match a.ids {
            IdsArg::Auto => IdKind::Auto,
            IdsArg::Integer => IdKind::Integer,
            IdsArg::String => IdKind::String,
        },
        self_loops: match a.self_loops {
            SelfLoopsArg::Drop => SelfLoops::Drop,
            SelfLoopsArg::Keep => SelfLoops::Keep,
        },
        duplicates: match a.duplicates {
            DuplicatesArg::Sum => Duplicates::Sum,
            DuplicatesArg::First => Duplicates::First,
            DuplicatesArg::Keep => Duplicates::Keep,
        },
        skip_bad_lines: a.skip_bad_lines,
        ..ReadConfig::default()
    };
    if let Some(c) = column(&a.src, "src")? {
        cfg.src = c;
    }
    if let Some(c) = column(&a.dst, "dst")? {
        cfg.dst = c;
    }
    Ok(cfg)
}
