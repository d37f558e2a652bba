//! The ranking table: one row per account with each score and its rank, as CSV, TSV or JSON.

use std::io::Write;

use anyhow::Result;
use clout::{IdMap, NodeId, ScoreColumn, ScoreTable};
use serde::Serialize;

/// `--output-format` of `clout rank`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// Comma-separated, header row.
    Csv,
    /// Tab-separated, header row.
    Tsv,
    /// JSON: kernel summaries and rows.
    Json,
}

/// Writes the table's rows `order` (dense ids, already ordered and cut).
pub fn write_table(
    w: &mut dyn Write,
    format: TableFormat,
    graph: &str,
    ids: &IdMap,
    order: &[NodeId],
    table: &ScoreTable,
) -> Result<()> {
    let columns = &table.columns;
    {
        match format {
            TableFormat::Csv | TableFormat::Tsv => {
                let sep = if format == TableFormat::Csv { "," } else { "\t" };
                let mut header = vec!["id".to_string()];
                for c in columns {
                    header.push(c.score.name().to_string());
                    header.push(format!("{}_rank", c.score.name()));
                }
                writeln!(w, "{}", header.join(sep))?;
                for &u in order {
                    let id = ids.original(u).to_string();
                    write!(
                        w,
                        "{}",
                        if format == TableFormat::Csv {
                            csv_field(&id)
                        } else {
                            id.replace('\t', " ")
                        }
                    )?;
                    for c in columns {
                        write!(w, "{sep}{}{sep}{}", c.values[u as usize], c.ranks[u as usize])?;
                    }
                    writeln!(w)?;
                }
            }
            TableFormat::Json => {
                #[derive(Serialize)]
                struct Doc<'a> {
                    graph: String,
                    kernels: Vec<Kernel<'a>>,
                    rows: JsonRows<'a>,
                }
                /// How one kernel ran.
                #[derive(Serialize)]
                struct Kernel<'a> {
                    score: &'static str,
                    seconds: f64,
                    detail: &'a str,
                }
                let kernels = columns
                    .iter()
                    .map(|c| Kernel {
                        score: c.score.name(),
                        seconds: c.seconds,
                        detail: &c.detail,
                    })
                    .collect();
                let rank_names: Vec<String> =
                    columns.iter().map(|c| format!("{}_rank", c.score.name())).collect();
                let rows = JsonRows { ids, order, columns, rank_names: &rank_names };
                let doc = Doc { graph: graph.to_string(), kernels, rows };
                serde_json::to_writer_pretty(&mut *w, &doc)?;
                writeln!(w)?;
            }
        }
        Ok(())
    }
}

/// The JSON rows, serialized one at a time as they are written (a table of ten million rows
/// would otherwise be built in memory as a tree of maps first).
struct JsonRows<'a> {
    ids: &'a IdMap,
    order: &'a [NodeId],
    columns: &'a [ScoreColumn],
    rank_names: &'a [String],
}

impl Serialize for JsonRows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.order.len()))?;
        for &u in self.order {
            seq.serialize_element(&JsonRow { rows: self, u })?;
        }
        seq.end()
    }
}

/// One row: `id`, then each score and its rank, in column order.
struct JsonRow<'a> {
    rows: &'a JsonRows<'a>,
    u: NodeId,
}

impl Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let JsonRows { ids, columns, rank_names, .. } = self.rows;
        let u = self.u as usize;
        let mut map = serializer.serialize_map(Some(1 + 2 * columns.len()))?;
        match ids.original(self.u) {
            clout::OriginalId::Integer(x) => map.serialize_entry("id", &x)?,
            clout::OriginalId::String(s) => map.serialize_entry("id", s)?,
        }
        for (c, name) in columns.iter().zip(*rank_names) {
            map.serialize_entry(c.score.name(), &c.values[u])?;
            map.serialize_entry(name, &c.ranks[u])?;
        }
        map.end()
    }
}

/// Quotes a CSV field when it holds a comma, quote or line break (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("@alice"), "@alice");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
