//! The ranking table: one row per account with each score and its rank, as CSV, TSV or JSON.

use std::io::Write;

use anyhow::Result;
use clout_graph::NodeId;
use clout_ingest::IdMap;
use serde::Serialize;

use crate::args::{RankArgs, TableFormat};

/// One score over all nodes.
pub struct Column {
    /// Header name.
    pub name: &'static str,
    /// Value per dense node id.
    pub values: Vec<f64>,
}

/// How one kernel ran.
#[derive(Serialize)]
pub struct KernelSummary {
    /// Score name.
    pub score: &'static str,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Method and convergence details.
    pub detail: String,
}

/// Competition ranks ("1224"): 1 + the number of nodes with a strictly greater score.
/// NaN never occurs in kernel output; it would sort last.
pub fn ranks(values: &[f64]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..values.len() as u32).collect();
    order.sort_by(|&a, &b| values[b as usize].total_cmp(&values[a as usize]).then(a.cmp(&b)));
    let mut rank = vec![0u32; values.len()];
    for (pos, &node) in order.iter().enumerate() {
        let r = if pos > 0 && values[order[pos - 1] as usize] == values[node as usize] {
            rank[order[pos - 1] as usize]
        } else {
            pos as u32 + 1
        };
        rank[node as usize] = r;
    }
    rank
}

/// Writes the table for `rows` (dense ids), ordered by the first column's rank, cut to `--top`.
pub fn write_table(
    w: &mut dyn Write,
    args: &RankArgs,
    ids: &IdMap,
    rows: &[NodeId],
    columns: &[Column],
    kernels: &[KernelSummary],
) -> Result<()> {
    let format = args.output_format.unwrap_or_else(|| {
        match args.out.as_ref().and_then(|p| p.extension()).and_then(|e| e.to_str()) {
            Some("json") => TableFormat::Json,
            Some("tsv") | Some("tab") => TableFormat::Tsv,
            _ => TableFormat::Csv,
        }
    });
    let rank_columns: Vec<Vec<u32>> = columns.iter().map(|c| ranks(&c.values)).collect();
    let mut order: Vec<NodeId> = rows.to_vec();
    if let Some(first) = rank_columns.first() {
        order.sort_by_key(|&u| (first[u as usize], u));
    }
    order.dedup();
    if let Some(top) = args.top {
        order.truncate(top);
    }
    {
        match format {
            TableFormat::Csv | TableFormat::Tsv => {
                let sep = if format == TableFormat::Csv { "," } else { "\t" };
                let mut header = vec!["id".to_string()];
                for c in columns {
                    header.push(c.name.to_string());
                    header.push(format!("{}_rank", c.name));
                }
                writeln!(w, "{}", header.join(sep))?;
                for &u in &order {
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
                    for (c, r) in columns.iter().zip(&rank_columns) {
                        write!(w, "{sep}{}{sep}{}", c.values[u as usize], r[u as usize])?;
                    }
                    writeln!(w)?;
                }
            }
            TableFormat::Json => {
                #[derive(Serialize)]
                struct Doc<'a> {
                    graph: String,
                    kernels: &'a [KernelSummary],
                    rows: JsonRows<'a>,
                }
                let rank_names: Vec<String> =
                    columns.iter().map(|c| format!("{}_rank", c.name)).collect();
                let rows = JsonRows {
                    ids,
                    order: &order,
                    columns,
                    rank_columns: &rank_columns,
                    rank_names: &rank_names,
                };
                let doc = Doc { graph: args.graph.display().to_string(), kernels, rows };
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
    columns: &'a [Column],
    rank_columns: &'a [Vec<u32>],
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
        let JsonRows { ids, columns, rank_columns, rank_names, .. } = self.rows;
        let u = self.u as usize;
        let mut map = serializer.serialize_map(Some(1 + 2 * columns.len()))?;
        match ids.original(self.u) {
            clout_ingest::OriginalId::Integer(x) => map.serialize_entry("id", &x)?,
            clout_ingest::OriginalId::String(s) => map.serialize_entry("id", s)?,
        }
        for ((c, r), name) in columns.iter().zip(*rank_columns).zip(*rank_names) {
            map.serialize_entry(c.name, &c.values[u])?;
            map.serialize_entry(name, &r[u])?;
        }
        map.end()
    }
}

/// Quotes a CSV field when it holds a comma, quote or line break (RFC 4180).
fn csv_field(s: &str) -> String {
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
    fn competition_ranks() {
        assert_eq!(ranks(&[0.1, 0.5, 0.5, 0.2]), vec![4, 1, 1, 3]);
        assert_eq!(ranks(&[]), Vec::<u32>::new());
    }

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("@alice"), "@alice");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
