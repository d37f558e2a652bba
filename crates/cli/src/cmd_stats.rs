//! `clout stats`: the size and shape of a graph, as a table or JSON.

use std::fmt::Write as _;

use anyhow::Result;
use clout::SourceKind;
use clout::graph::stats::{GraphStats, graph_stats};
use serde::Serialize;

use crate::args::StatsArgs;
use crate::load::open_graph;
use crate::output::to_stdout;
use crate::progress::spinner;

/// What `clout stats --json` prints.
#[derive(Serialize)]
struct StatsReport<'a> {
    file: String,
    source: &'static str,
    ids: &'static str,
    load_seconds: f64,
    #[serde(flatten)]
    stats: &'a GraphStats,
}

/// Runs `clout stats`.
pub fn run(args: StatsArgs) -> Result<()> {
    let opened = open_graph(&args.graph, &args.input)?;
    let bar = spinner("computing statistics");
    let stats = graph_stats(&opened.network.graph);
    bar.finish_and_clear();
    let report = StatsReport {
        file: args.graph.display().to_string(),
        source: match opened.kind {
            SourceKind::Snapshot => "snapshot",
            SourceKind::EdgeList => "edge list",
        },
        ids: if opened.network.ids.is_string() { "string" } else { "integer" },
        load_seconds: opened.seconds,
        stats: &stats,
    };
    to_stdout(|w| {
        if args.json {
            serde_json::to_writer_pretty(&mut *w, &report)?;
            writeln!(w)?;
        } else {
            w.write_all(render(&report).as_bytes())?;
        }
        Ok(())
    })
}

fn render(r: &StatsReport<'_>) -> String {
    let s = r.stats;
    let mut out = String::new();
    let mut row = |k: &str, v: String| {
        let _ = writeln!(out, "{k:<26} {v}");
    };
    row("file", format!("{} ({}, loaded in {:.3} s)", r.file, r.source, r.load_seconds));
    row("reading", format!("{} — {}", s.reading.name(), s.reading.describe()));
    if s.synthetic {
        row("synthetic", format!("yes — {}", s.provenance));
    } else {
        row("provenance", s.provenance.clone());
    }
    row("nodes", s.nodes.to_string());
    row(
        "edges",
        if s.directed {
            format!("{} (directed arcs)", s.edges)
        } else {
            format!("{} (undirected; {} stored arcs)", s.edges, s.arcs)
        },
    );
    row("node ids", r.ids.to_string());
    row("input edges", s.input_edges.to_string());
    row("self-loops", format!("{} dropped, {} kept", s.self_loops_dropped, s.self_loops_kept));
    row("duplicates merged", s.duplicates_merged.to_string());
    let deg = |d: &Option<clout::graph::stats::DegreeStats>| {
        d.as_ref().map_or("-".to_string(), |d| {
            format!("min {} / mean {:.3} / max {}", d.min, d.mean, d.max)
        })
    };
    if s.directed {
        row("out-degree (influences)", deg(&s.out_degree));
        row("in-degree (influenced by)", deg(&s.in_degree));
        row("without out-arcs", format!("{} (influence nobody)", s.without_out_arcs));
        row("without in-arcs", format!("{} (influenced by nobody)", s.without_in_arcs));
    } else {
        row("degree", deg(&s.out_degree));
    }
    row("isolated nodes", s.isolated.to_string());
    if let Some(w) = &s.weights {
        row(
            "weights",
            format!(
                "total {} / min {} / max {}",
                w.total,
                w.min.map_or("-".into(), |x| x.to_string()),
                w.max.map_or("-".into(), |x| x.to_string())
            ),
        );
    }
    if let Some(sg) = &s.signs {
        row("signs", format!("{} positive, {} negative", sg.positive, sg.negative));
    }
    if let Some(rec) = s.reciprocity {
        row("reciprocity", format!("{rec:.6}"));
    }
    row(
        "weak components",
        format!("{} (largest {} nodes)", s.weak_components.count, s.weak_components.largest),
    );
    if let Some(sc) = &s.strong_components {
        row("strong components", format!("{} (largest {} nodes)", sc.count, sc.largest));
    }
    row("memory", format!("{:.1} MiB in graph arrays", s.memory_bytes as f64 / (1 << 20) as f64));
    out
}
