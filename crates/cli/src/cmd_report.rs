//! `clout report`: one self-contained HTML page (and optionally every chart as SVG and PNG)
//! about a graph and a campaign. This module parses the arguments and writes the files; the
//! data is gathered by [`graph_part`] (graph and influencers), [`campaign`] (seeds,
//! simulations, comparison) and [`neighbourhood`] (the drawing), and drawn by clout-report.

mod campaign;
mod graph_part;
mod neighbourhood;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use clout_report::{ReportData, render};

use crate::args::InputArgs;
use crate::cmd_select::MethodArg;
use crate::cmd_simulate::ModelArg;
use crate::load::open_graph;
use crate::output::Outputs;

/// Long help of `clout report`.
pub const ABOUT: &str = "\
Write a campaign report: one self-contained HTML file (inline SVG charts and CSS, no scripts,
nothing fetched from the network, so it opens anywhere offline) and, with --svg-dir, every chart
as its own .svg file (and .png with --png) for slides.

The report, section by section:
  The graph at a glance   size, how edge direction was read, components, the degree
                          distribution on log-log axes.
  Influencer table        the top N accounts (--top) by PageRank, betweenness, coreness and
                          reach (harmonic closeness along influence arcs), each score's
                          distribution, and how the rankings agree (Spearman's rho and
                          Kendall's tau-b over all accounts, SciPy's conventions).
  Reach over time         the seeds' positive and negative activations per round, with 95%
                          confidence bands, and the campaign metrics (positive, negative, total
                          reach, awareness, backfire risk) with intervals and quantiles.
  Backfire curve          expected positive, negative and net reach as product quality q goes
                          from 0 to 1 (IC-N, the same trials for every q), and the quality below
                          which the campaign does more harm than good.
  Seed-set comparison     the seeds against top-degree, top-PageRank, top-coreness and
                          degree-discount sets of the same size (or budget), on the same trials,
                          with 95% intervals; the budget spent when --budget is given.
  Neighbourhood drawing   a force layout of the seeds and the accounts they most likely reach
                          (at most --draw), coloured by the opinion each most likely ends with.

Seeds: --seeds ID,ID,... or --seeds-file FILE (original ids; one per line, `#` comments), or
--select K to choose them with --method (as `clout select`). The numbers are those of the other
commands for the same options:
  --seeds: reach and backfire runs use --seed itself, so they equal
           `clout simulate GRAPH --seeds ... --model M --prob P --quality Q --trials N --seed S`.
  --select: every Monte Carlo run uses clout select's independent evaluation stream, so the
           chosen set and the baselines equal `clout select GRAPH -k K ... --compare`.
The page embeds every number as JSON (<script type=\"application/json\" id=\"clout-report-data\">)
and tags table cells with data-* attributes, for scripts and tests.

Conventions: arcs point the way influence flows (`A B` in a follower file means A follows B: B
reaches A); ids are the accounts' original ids; reach counts accounts, seeds included; every
interval is a 95% confidence interval of a Monte Carlo mean. Output files are written
atomically, the HTML last: it exists only when every file was written. Progress goes to stderr,
and only on a terminal.

Examples:
  clout report datasets/karate/karate.edges --undirected --seeds 1,34 -o karate.html
  clout report Wiki-Vote.txt --select 10 --quality 0.8 -o report.html --svg-dir charts --png";

/// `clout report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A snapshot or an edge list.
    #[arg(value_name = "GRAPH")]
    pub graph: PathBuf,

    /// The campaign's seeds: original ids, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "ID,...",
        required_unless_present_any = ["select", "seeds_file"],
        conflicts_with = "select"
    )]
    pub seeds: Vec<String>,

    /// The campaign's seeds from a file: one original id per line (`#` comments).
    #[arg(long, value_name = "FILE", conflicts_with = "select")]
    pub seeds_file: Option<PathBuf>,

    /// Choose K seeds with --method instead of giving them (as `clout select -k K`).
    #[arg(long, value_name = "K")]
    pub select: Option<usize>,

    /// How --select chooses (see `clout select --help`).
    #[arg(long, value_enum, default_value_t = MethodArg::Imm, requires = "select")]
    pub method: MethodArg,

    /// Diffusion model: ic, lt, icn (backfire) or signed (trust/distrust graphs).
    #[arg(long, value_enum, default_value_t = ModelArg::Icn)]
    pub model: ModelArg,

    /// Edge probabilities: wc (1/in-degree), uniform:P, trivalency[:SEED], weight,
    /// weight-normalized.
    #[arg(long, value_name = "SPEC", default_value = "wc")]
    pub prob: String,

    /// Product quality q for --model icn (default 0.8); the other models have none.
    #[arg(long, value_name = "Q")]
    pub quality: Option<f64>,

    /// Monte Carlo trials of every simulation.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub trials: usize,

    /// Seed of every random choice; the same seed gives the same report at any thread count.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Approximation slack of imm / opim (--select).
    #[arg(long, value_name = "E", default_value_t = 0.1)]
    pub epsilon: f64,

    /// Failure probability of the selection guarantee (default 1/n).
    #[arg(long, value_name = "D")]
    pub delta: Option<f64>,

    /// Spend at most B on seeds (needs --costs): --select and the baselines stay within it.
    #[arg(long, value_name = "B", requires = "costs")]
    pub budget: Option<f64>,

    /// `account cost` lines; accounts not listed cannot be chosen (needs --budget).
    #[arg(long, value_name = "FILE", requires = "budget")]
    pub costs: Option<PathBuf>,

    /// Only these accounts may be chosen, by --select and by the baselines.
    #[arg(long, value_name = "FILE")]
    pub candidates: Option<PathBuf>,

    /// These accounts may not be chosen, by --select or by the baselines (one id per line).
    #[arg(long, value_name = "FILE")]
    pub exclude: Option<PathBuf>,

    /// Monte Carlo trials behind each estimate of --method celf.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub celf_trials: usize,

    /// Accounts listed per score in the influencer table.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,

    /// Most accounts in the neighbourhood drawing (seeds included; at most 300).
    #[arg(long, value_name = "N", default_value_t = 150)]
    pub draw: usize,

    /// The HTML file to write.
    #[arg(short = 'o', long = "output", alias = "out", value_name = "FILE")]
    pub output: PathBuf,

    /// Also write every chart as DIR/<chart>.svg (created if missing).
    #[arg(long, value_name = "DIR")]
    pub svg_dir: Option<PathBuf>,

    /// With --svg-dir, also write each chart as a PNG at twice its size (needs system fonts).
    #[arg(long, requires = "svg_dir")]
    pub png: bool,

    #[command(flatten)]
    pub input: InputArgs,
}

/// Runs `clout report`.
pub fn run(args: ReportArgs) -> Result<()> {
    if args.draw > 300 {
        bail!("--draw {} is above the cap of 300 accounts (the drawing stays readable)", args.draw);
    }
    // Fail before the long computation when the files cannot be written.
    let inputs = [
        Some(args.graph.as_path()),
        args.seeds_file.as_deref(),
        args.costs.as_deref(),
        args.candidates.as_deref(),
        args.exclude.as_deref(),
    ];
    let (mut outputs, html) = Outputs::single(&inputs, &args.output)?;
    if let Some(dir) = &args.svg_dir {
        check_svg_dir(dir)?;
    }
    let raster = match (&args.svg_dir, args.png) {
        (Some(_), true) => Some(clout_report::png::Rasterizer::new()?),
        _ => None,
    };
    let opened = open_graph(&args.graph, &args.input)?;
    let g = &opened.loaded.graph;
    let ids = &opened.loaded.ids;
    let graph = graph_part::graph_section(&args, g);
    let (influencers, pagerank) = graph_part::influencer_section(&args, g, ids)?;
    let camp = campaign::gather(&args, g, ids, &pagerank)?;
    let neighbourhood = neighbourhood::section(&args, g, ids, &camp)?;
    let mut omitted = camp.omitted.clone();
    if neighbourhood.is_none() {
        omitted.push(("neighbourhood".into(), "the seeds reach nobody else in any trial".into()));
    }
    let data = ReportData {
        title: format!("clout report: {}", file_name(&args.graph)),
        generator: format!("clout {}", env!("CARGO_PKG_VERSION")),
        command: command_line(),
        graph,
        influencers,
        campaign: camp.campaign,
        reach: camp.reach,
        backfire: camp.backfire,
        comparison: camp.comparison,
        neighbourhood,
        omitted,
    };
    let rendered = render(&data);
    // Every file is written to a temporary name first; all are moved into place together, the
    // page last, so a report.html exists only when the run succeeded.
    let mut created = None;
    if let Some(dir) = &args.svg_dir
        && !dir.exists()
    {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        created = Some(dir);
    }
    let written = (|| -> Result<()> {
        if let Some(dir) = &args.svg_dir {
            for chart in &rendered.charts {
                let svg = chart.standalone();
                let id = outputs.add(&dir.join(format!("{}.svg", chart.id)))?;
                outputs.write(id, |w| Ok(w.write_all(svg.as_bytes())?))?;
                if let Some(r) = &raster {
                    let png = r.png(&svg, 2.0).with_context(|| format!("chart {}", chart.id))?;
                    let id = outputs.add(&dir.join(format!("{}.png", chart.id)))?;
                    outputs.write(id, |w| Ok(w.write_all(&png)?))?;
                }
            }
        }
        outputs.write(html, |w| Ok(w.write_all(rendered.html.as_bytes())?))
    })();
    match written {
        Ok(()) => outputs.commit()?,
        Err(e) => {
            drop(outputs);
            if let Some(dir) = created {
                let _ = std::fs::remove_dir(dir);
            }
            return Err(e);
        }
    }
    eprintln!(
        "wrote {} ({} charts{}); {} nodes, {} edges; {} seed{}",
        args.output.display(),
        rendered.charts.len(),
        match &args.svg_dir {
            Some(d) => format!(
                ", also in {}{}",
                d.display(),
                if args.png { " as SVG and PNG" } else { "" }
            ),
            None => String::new(),
        },
        g.node_count(),
        g.edge_count(),
        data.campaign.seeds.len(),
        if data.campaign.seeds.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

/// Errors when `--svg-dir` names something that is not a directory, or a directory that
/// cannot be created because its parent does not exist. (It is created, if missing, only when
/// the charts are written.)
fn check_svg_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("--svg-dir {} exists and is not a directory", dir.display());
        }
        return Ok(());
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        bail!("--svg-dir {}: {} is not a directory", dir.display(), parent.display());
    }
    Ok(())
}

/// The last path component, for the title.
fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// The command line as typed, each argument quoted for a POSIX shell when it needs it.
fn command_line() -> String {
    let quote = |a: String| {
        if !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:,=@+%".contains(c))
        {
            a
        } else {
            format!("'{}'", a.replace('\'', "'\\''"))
        }
    };
    let mut args = std::env::args();
    let program =
        args.next().map(|p| file_name(std::path::Path::new(&p))).unwrap_or_else(|| "clout".into());
    std::iter::once(program).chain(args.map(quote)).collect::<Vec<_>>().join(" ")
}
