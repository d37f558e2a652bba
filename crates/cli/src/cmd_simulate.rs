//! `clout simulate`: Monte Carlo reach of a seed set under IC, LT, IC-N (backfire) or signed
//! spread: a summary table on stdout, JSON (`--output`, `--json`) and a per-round curve
//! (`--curve`).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use clout_graph::Graph;
use clout_ingest::{IdMap, OriginalId};
use clout_reach::{
    EdgeProbs, Estimate, Model, ProbSpec, Quality, SimConfig, Simulation, simulate_with_progress,
};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::args::InputArgs;
use crate::cmd_rank::read_id_list;
use crate::load::open_graph;
use crate::output::{Outputs, to_stdout};

/// The long help of `clout simulate`.
pub const ABOUT: &str = "\
Simulate word-of-mouth reach from the accounts a campaign pays (the seeds): how far it carries,
how much turns negative when the product disappoints, and how sure we are. Monte Carlo: each
trial runs one random cascade; results are means over trials with 95% confidence intervals.

Direction: clout stores arcs the way influence flows. Read with `--edges follows` (the default),
a line `A B` means A follows B, so a cascade started at B reaches A: the accounts that follow B.
With `--edges influence` a line `A B` means A influences B; `--undirected` goes both ways.

Seeds are original account ids (as in the input file): --seeds 12,57 or --seeds-file FILE (one
id per line, `#` comments). An id that is not in the graph is an error.

Edge probabilities p(u, v), the chance that u, once active, convinces v (--prob):
  wc                 weighted cascade: 1 / (number of accounts v hears); the default
  uniform:P          P on every arc
  trivalency[:SEED]  each arc drawn once from {0.1, 0.01, 0.001} (seed: --seed unless given)
  weight             the edge weight (needs --weight COL), which must lie in [0, 1]
  weight-normalized  the weight divided by the total weight of v's incoming arcs

Models (--model), in rounds: round 0 activates the seeds, round t activates accounts because
of accounts activated in round t-1; a cascade stops when a round activates nobody.
  ic      Independent Cascade: each newly active account gets one attempt on each inactive
          follower, succeeding with p(u, v). Everybody reached is positive.
  lt      Linear Threshold: follower v activates once the weight of its active sources reaches
          a threshold drawn uniformly in (0, 1] per trial; weights are p(u, v), divided by
          their sum when the sum over v's sources exceeds 1.
  icn     IC-N, backfire (Chen et al., SDM 2011), quality q (--quality): each seed is positive
          with probability q, else negative; any newly active account attempts as in ic; an
          account activated by a positive one is positive with probability q, else negative;
          one activated by a negative one is negative; attempts on one account in the same
          round go in uniformly random order and the first success decides.
          --quality 0.5,0.7,0.9 answers several qualities from the same trials;
          --quality-file FILE gives `id q` lines overriding q for some accounts.
  signed  signed spread on trust/distrust graphs (--format signed): seeds are positive; an
          opinion passed over a distrust arc flips; ties as in icn. Not monotone: adding a
          seed can lower positive reach.

Metrics (each with mean, 95% confidence interval, and 5% / median / 95% over trials):
  positive, negative  accounts ending positive / negative, seeds included
  total               accounts reached (positive + negative)
  awareness           accounts that heard of the product: those reached, plus every
                      follower of an account that made its attempts, successful or not
  backfire risk       probability that negative reach exceeds positive reach
  conversions         with --conversion-rate R: R x positive reach (expected buyers)
Counting awareness reads every arc of every account reached; --no-awareness skips it, and with
uniform:P a trial then touches only the arcs that fire (geometric jumps over the others).
--curve FILE.csv writes mean new positive / negative activations per round with 95% bands.

Trials: --trials N (default 10000), or --precision R to run until the 95% confidence interval
of total reach is within R of the mean (e.g. 0.01 for 1%), with --trials as the cap (default
1000000). The same --seed gives the same numbers at any --threads.";

/// `clout simulate`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("seed_accounts").required(true).multiple(true)))]
pub struct SimulateArgs {
    /// A snapshot or an edge list.
    #[arg(value_name = "GRAPH")]
    pub graph: PathBuf,

    /// Seed accounts: original ids, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "ID,ID,...", group = "seed_accounts")]
    pub seeds: Vec<String>,

    /// Seed accounts from a file: one original id per line (`#` comments).
    #[arg(long, value_name = "FILE", group = "seed_accounts")]
    pub seeds_file: Option<PathBuf>,

    /// Diffusion model (see above).
    #[arg(long, value_enum, default_value_t = ModelArg::Ic)]
    pub model: ModelArg,

    /// Edge probabilities: wc, uniform:P, trivalency[:SEED], weight, weight-normalized.
    #[arg(long, default_value = "wc", value_name = "SPEC")]
    pub prob: String,

    /// Product quality for icn; several values (comma-separated) share one set of trials.
    #[arg(long, value_delimiter = ',', default_value = "1", value_name = "Q[,Q...]")]
    pub quality: Vec<f64>,

    /// Per-account quality overrides for icn: `id q` lines (needs a single --quality).
    #[arg(long, value_name = "FILE")]
    pub quality_file: Option<PathBuf>,

    /// Trials (the cap with --precision; default 10000, or 1000000 with --precision).
    #[arg(long, value_name = "N")]
    pub trials: Option<usize>,

    /// Run until the 95% CI half-width of total reach is at most this fraction of the mean.
    #[arg(long, value_name = "R")]
    pub precision: Option<f64>,

    /// Probability that a positive account converts; adds expected conversions.
    #[arg(long, value_name = "R")]
    pub conversion_rate: Option<f64>,

    /// Stop every cascade after this many rounds (round 0 = the seeds).
    #[arg(long, value_name = "N")]
    pub max_steps: Option<u32>,

    /// Skip the awareness metric (reported as null / n/a). With uniform:P, IC, icn and signed
    /// trials then touch only the arcs that fire: several times faster on large graphs.
    #[arg(long)]
    pub no_awareness: bool,

    /// Random seed; the same seed gives the same result at any thread count.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Write the full result as JSON here (written atomically).
    #[arg(long = "output", short = 'o', alias = "out", value_name = "FILE.json")]
    pub out: Option<PathBuf>,

    /// Print the JSON result on stdout instead of the table.
    #[arg(long)]
    pub json: bool,

    /// Write the per-round curve as CSV here (written atomically).
    #[arg(long, value_name = "FILE.csv")]
    pub curve: Option<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,
}

/// `--model` (shared by `simulate`, `select` and `report`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelArg {
    /// Independent Cascade.
    Ic,
    /// Linear Threshold.
    Lt,
    /// IC-N with backfire.
    Icn,
    /// Signed spread (trust/distrust).
    Signed,
}

impl From<ModelArg> for Model {
    fn from(m: ModelArg) -> Model {
        match m {
            ModelArg::Ic => Model::Ic,
            ModelArg::Lt => Model::Lt,
            ModelArg::Icn => Model::IcN,
            ModelArg::Signed => Model::Signed,
        }
    }
}

/// Edge probabilities from `--prob` (shared by `simulate`, `select` and `report`): a bare
/// `trivalency` draws with `seed` (`--seed`); `trivalency:S` keeps its own seed. A bad weight
/// is reported with the arc's original ids.
pub(crate) fn edge_probs(g: &Graph, ids: &IdMap, prob: &str, seed: u64) -> Result<EdgeProbs> {
    let spec = if prob == "trivalency" {
        ProbSpec::Trivalency { seed }
    } else {
        prob.parse::<ProbSpec>().map_err(|e| anyhow::anyhow!("--prob: {e}"))?
    };
    EdgeProbs::new(g, spec).map_err(|e| crate::names::with_original_ids(e.into(), ids))
}

/// What `--output` and `--json` write.
#[derive(Serialize)]
struct Report<'a> {
    graph: String,
    nodes: usize,
    edges: usize,
    reading: &'static str,
    seeds: Vec<serde_json::Value>,
    /// Seconds of the simulation alone (not loading the graph).
    seconds: f64,
    load_seconds: f64,
    /// Mean total reach and the standard deviation of per-trial total reach.
    spread_mean: f64,
    spread_std: f64,
    edges_examined_per_second: f64,
    #[serde(flatten)]
    simulation: &'a Simulation,
}

/// Runs `clout simulate`.
pub fn run(args: SimulateArgs) -> Result<()> {
    let inputs =
        [Some(args.graph.as_path()), args.seeds_file.as_deref(), args.quality_file.as_deref()];
    let (mut outputs, out) =
        Outputs::prepare(&inputs, &[args.out.as_deref(), args.curve.as_deref()])?;
    let opened = open_graph(&args.graph, &args.input)?;
    let g = &opened.loaded.graph;
    let ids = &opened.loaded.ids;
    let seeds = seed_accounts(&args, ids)?;
    let probs = edge_probs(g, ids, &args.prob, args.seed)?;
    let model = Model::from(args.model);
    let node_quality = match &args.quality_file {
        None => None,
        Some(path) => {
            if args.quality.len() != 1 {
                bail!("--quality-file needs exactly one --quality value (the default quality)");
            }
            let overrides = read_id_list(path, ids)?;
            if let Some((v, q)) = overrides.iter().find(|(_, q)| *q > 1.0) {
                bail!(
                    "{}: quality {q} for account {} is above 1",
                    path.display(),
                    ids.original(*v)
                );
            }
            Some(
                Quality::with_overrides(args.quality[0], g.node_count(), &overrides)
                    .map_err(|e| anyhow::anyhow!("--quality: {e}"))?,
            )
        }
    };
    let cfg = SimConfig {
        model,
        qualities: args.quality.clone(),
        node_quality,
        trials: args.trials.unwrap_or(if args.precision.is_some() { 1_000_000 } else { 10_000 }),
        precision: args.precision,
        seed: args.seed,
        conversion_rate: args.conversion_rate,
        max_steps: args.max_steps,
        awareness: !args.no_awareness,
        per_account: false,
    };
    crate::limits::check(
        cfg.memory_estimate(g, rayon::current_num_threads()),
        &format!("simulating {} trials", cfg.trials),
        "--trials",
    )?;
    let bar = trials_bar(cfg.trials as u64);
    let start = Instant::now();
    let result = simulate_with_progress(g, &probs, &seeds, &cfg, &|k| bar.inc(k));
    let seconds = start.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let sim = result?;
    let rate = sim.arcs_examined as f64 / seconds.max(1e-9);
    eprintln!(
        "{} nodes, {} edges; {} trials in {seconds:.3} s ({:.0} trials/s, {:.1} M edges examined/s)",
        g.node_count(),
        g.edge_count(),
        sim.trials,
        sim.trials as f64 / seconds.max(1e-9),
        rate / 1e6
    );
    let total = &sim.results[0].total;
    let report = Report {
        graph: args.graph.display().to_string(),
        nodes: g.node_count(),
        edges: g.edge_count(),
        reading: g.info().reading.name(),
        seeds: seeds.iter().map(|&s| json_id(ids.original(s))).collect(),
        seconds,
        load_seconds: opened.seconds,
        spread_mean: total.mean,
        spread_std: total.std_error * (sim.trials as f64).sqrt(),
        edges_examined_per_second: rate,
        simulation: &sim,
    };
    if let Some(id) = out[0] {
        outputs.write(id, |w| {
            serde_json::to_writer_pretty(&mut *w, &report)?;
            writeln!(w)?;
            Ok(())
        })?;
    }
    if let Some(id) = out[1] {
        outputs.write(id, |w| write_curve(w, &sim))?;
    }
    // Every file is written before any is moved into place: all of them appear, or none.
    outputs.commit()?;
    to_stdout(|w| {
        if args.json {
            serde_json::to_writer_pretty(&mut *w, &report)?;
            writeln!(w)?;
        } else {
            w.write_all(render(&sim, &report).as_bytes())?;
        }
        Ok(())
    })
}

/// The seed accounts of `--seeds` and `--seeds-file`, as dense ids (unknown ids are errors).
fn seed_accounts(args: &SimulateArgs, ids: &IdMap) -> Result<Vec<u32>> {
    let mut seeds = Vec::new();
    for text in &args.seeds {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        match ids.lookup(text) {
            Some(v) => seeds.push(v),
            None => bail!("seed account `{text}` is not in the graph {}", args.graph.display()),
        }
    }
    if let Some(path) = &args.seeds_file {
        seeds.extend(read_id_list(path, ids).context("--seeds-file")?.into_iter().map(|s| s.0));
    }
    if seeds.is_empty() {
        bail!("no seed accounts given");
    }
    Ok(seeds)
}

fn json_id(id: OriginalId<'_>) -> serde_json::Value {
    match id {
        OriginalId::Integer(x) => x.into(),
        OriginalId::String(s) => s.into(),
    }
}

/// A trial-counting progress bar on stderr, hidden when stderr is not a terminal.
fn trials_bar(total: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "simulating [{bar:30}] {pos}/{len} trials {per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

/// `quality,step,new_positive,...` rows: one per quality and round.
fn write_curve(w: &mut dyn Write, sim: &Simulation) -> Result<()> {
    writeln!(
        w,
        "quality,step,new_positive,new_positive_ci95_low,new_positive_ci95_high,\
         new_negative,new_negative_ci95_low,new_negative_ci95_high"
    )?;
    for r in &sim.results {
        for s in &r.steps {
            let (p, n) = (&s.new_positive, &s.new_negative);
            writeln!(
                w,
                "{},{},{},{},{},{},{},{}",
                r.quality, s.step, p.mean, p.ci95_low, p.ci95_high, n.mean, n.ci95_low, n.ci95_high
            )?;
        }
    }
    Ok(())
}

/// A number with a precision that suits its size.
fn num(x: f64) -> String {
    if x.is_nan() {
        "n/a".to_string()
    } else if x.abs() >= 1000.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.4}")
    }
}

fn estimate_row(name: &str, e: &Estimate) -> String {
    let ci = format!("[{}, {}]", num(e.ci95_low), num(e.ci95_high));
    format!(
        "{name:<14}{:>10} {ci:>22} {:>9} {:>9} {:>9}\n",
        num(e.mean),
        num(e.q05),
        num(e.q50),
        num(e.q95)
    )
}

/// The human-readable summary.
fn render(sim: &Simulation, report: &Report<'_>) -> String {
    let mut o = format!(
        "model {}, probabilities {}, {} seed account{}, {} trial{} (seed {}){}\n",
        sim.model,
        sim.probabilities,
        sim.seed_count,
        if sim.seed_count == 1 { "" } else { "s" },
        sim.trials,
        if sim.trials == 1 { "" } else { "s" },
        sim.seed,
        sim.max_steps.map_or(String::new(), |m| format!(", at most {m} rounds"))
    );
    if let Some(p) = &sim.precision {
        o += &format!(
            "precision: 95% CI of total reach within {:.3}% of the mean (target {}%{})\n",
            100.0 * sim.relative_ci95_half_width,
            100.0 * p.target,
            if p.reached { ", reached" } else { ", NOT reached: raise --trials" }
        );
    }
    o +=
        &format!("graph {} ({} nodes, read as {})\n\n", report.graph, report.nodes, report.reading);
    let header = format!(
        "{:<14}{:>10} {:>22} {:>9} {:>9} {:>9}\n",
        "metric", "mean", "95% CI of mean", "5%", "median", "95%"
    );
    let first = &sim.results[0];
    if sim.results.len() == 1 {
        if sim.model == Model::IcN {
            o += &format!("quality {}\n", first.quality);
        }
        o += &header;
        o += &estimate_row("positive", &first.positive);
        o += &estimate_row("negative", &first.negative);
        o += &estimate_row("total", &first.total);
        o += &estimate_row("awareness", &first.awareness);
        o += &estimate_row("backfire risk", &first.backfire_risk);
        if let Some(c) = &first.conversions {
            o += &estimate_row("conversions", c);
        }
    } else {
        o += &header;
        o += &estimate_row("total", &first.total);
        o += &estimate_row("awareness", &first.awareness);
        o += &format!(
            "\n{:<8}{:>12} {:>22}{:>12} {:>22}{:>14}{}\n",
            "quality",
            "positive",
            "95% CI",
            "negative",
            "95% CI",
            "backfire risk",
            if first.conversions.is_some() { "   conversions" } else { "" }
        );
        for r in &sim.results {
            let ci = |e: &Estimate| format!("[{}, {}]", num(e.ci95_low), num(e.ci95_high));
            o += &format!(
                "{:<8}{:>12} {:>22}{:>12} {:>22}{:>14}{}\n",
                r.quality,
                num(r.positive.mean),
                ci(&r.positive),
                num(r.negative.mean),
                ci(&r.negative),
                num(r.backfire_risk.mean),
                r.conversions.as_ref().map_or(String::new(), |c| format!("{:>14}", num(c.mean)))
            );
        }
    }
    o
}
