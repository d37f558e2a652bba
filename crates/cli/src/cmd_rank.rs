//! `clout rank`: compute the requested scores and write the table.

use anyhow::Result;
use clout::centrality::{BetweennessConfig, BetweennessMode, CollectiveInfluenceConfig};
use clout::centrality::{CorenessConfig, HarmonicConfig, HarmonicMethod, PageRankConfig};
use clout::{Score, ScoreConfig};

use crate::args::RankArgs;
use crate::load::open_graph;
use crate::output::{Outputs, to_stdout};
use crate::progress::spinner;
use crate::table::{TableFormat, write_table};

/// Runs `clout rank`.
pub fn run(args: RankArgs) -> Result<()> {
    let inputs =
        [Some(args.graph.as_path()), args.candidates.as_deref(), args.personalize.as_deref()];
    let (outputs, out) = Outputs::prepare(&inputs, &[args.out.as_deref()])?;
    let opened = open_graph(&args.graph, &args.input)?;
    let net = &opened.network;
    let cfg = config(&args, net)?;
    clout::check_scores(&net.graph, &args.by, &cfg)?;
    let rows = match &args.candidates {
        Some(path) => Some(
            clout::ids::read_id_list(path, &net.ids)?.into_iter().map(|r| r.0).collect::<Vec<_>>(),
        ),
        None => None,
    };
    let mut bar: Option<indicatif::ProgressBar> = None;
    let table = clout::score(net, &args.by, &cfg, &mut |s: Score| {
        if let Some(done) = bar.replace(spinner(&format!("computing {}", s.name()))) {
            done.finish_and_clear();
        }
    });
    if let Some(done) = bar {
        done.finish_and_clear();
    }
    let table = table.map_err(|e| match e {
        e @ clout::Error::Verification { .. } => anyhow::Error::new(e).context("--verify"),
        e => e.into(),
    })?;
    for c in &table.columns {
        if let Some(w) = &c.warning {
            eprintln!("warning: {w}; raise --max-iter");
        }
    }
    let counts = (net.graph.node_count(), net.graph.edge_count());
    write(&args, (&net.ids, counts), &table, rows.as_deref(), (outputs, out[0]))
}

/// Reports the columns' timings on stderr and writes the table (to `--output` or stdout).
///
/// `graph` is the id map and the graph's node and edge counts.
pub(crate) fn write(
    args: &RankArgs,
    (ids, (nodes, edges)): (&clout::IdMap, (usize, usize)),
    table: &clout::ScoreTable,
    rows: Option<&[clout::NodeId]>,
    (mut outputs, out): (Outputs, Option<clout::ingest::outfile::OutputId>),
) -> Result<()> {
    let line: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("{} {:.3} s ({})", c.score.name(), c.seconds, c.detail))
        .collect();
    eprintln!("{nodes} nodes, {edges} edges; {}", line.join("; "));
    let order = table.order(rows, nodes, args.top);
    let format = args.output_format.unwrap_or_else(|| {
        match args.out.as_ref().and_then(|p| p.extension()).and_then(|e| e.to_str()) {
            Some("json") => TableFormat::Json,
            Some("tsv") | Some("tab") => TableFormat::Tsv,
            _ => TableFormat::Csv,
        }
    });
    let graph = args.graph.display().to_string();
    match out {
        Some(id) => {
            outputs.write(id, |w| write_table(w, format, &graph, ids, &order, table))?;
            outputs.commit()
        }
        None => to_stdout(|w| write_table(w, format, &graph, ids, &order, table)),
    }
}

/// The kernels' settings from the flags.
pub(crate) fn config(a: &RankArgs, net: &clout::LoadedGraph) -> Result<ScoreConfig> {
    let personalization = match &a.personalize {
        Some(path) => Some(clout::ids::read_personalization(path, &net.ids)?),
        None => None,
    };
    config_with(a, personalization)
}

/// [`config`] with the personalization vector already read.
pub(crate) fn config_with(a: &RankArgs, personalization: Option<Vec<f64>>) -> Result<ScoreConfig> {
    let mode = match (a.epsilon, a.samples) {
        (Some(_), Some(_)) => anyhow::bail!("--epsilon and --samples are alternatives; give one"),
        (Some(epsilon), None) => {
            BetweennessMode::Approximate { epsilon, delta: a.delta, seed: a.seed }
        }
        (None, Some(k)) => BetweennessMode::SampledSources { k, seed: a.seed },
        (None, None) => BetweennessMode::Exact,
    };
    let harmonic = match a.epsilon {
        Some(epsilon) => HarmonicMethod::Sampled { epsilon, delta: a.delta, seed: a.seed },
        None => HarmonicMethod::Exact,
    };
    Ok(ScoreConfig {
        pagerank: PageRankConfig {
            damping: a.damping,
            tolerance: a.tol,
            max_iterations: a.max_iter,
            personalization,
            dangling: a.dangling,
            weighted: a.weighted,
            method: a.pagerank_method,
        },
        betweenness: BetweennessConfig {
            normalized: !a.raw,
            endpoints: a.endpoints,
            weights: a.bc_weights,
            mode,
            ..BetweennessConfig::default()
        },
        coreness: CorenessConfig { degree: a.core_degree },
        harmonic: HarmonicConfig { method: harmonic, ..HarmonicConfig::default() },
        collective: CollectiveInfluenceConfig { radius: a.ci_radius, ..Default::default() },
        verify: a.verify,
    })
}
