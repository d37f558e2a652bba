//! `clout simulate`: Monte Carlo reach of a seed set under IC, LT, IC-N (backfire) or signed
//! spread: a summary table on stdout, JSON (`--output`, `--json`) and a per-round curve
//! (`--curve`).

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use clout::ids::json_id;
use clout::{Estimate, IdMap, Model, SimConfig, Simulation, SimulationReport};

use crate::flags::{AudienceArgs, InputArgs};
use crate::load::open_graph;
use crate::output::{Outputs, to_stdout};
use crate::progress::trials_bar;

/// The long help of `clout simulate`.
pub const ABOUT: &str = include_str!("../help/simulate.txt").trim_ascii_end();

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
    #[arg(long, value_enum, default_value_t = Model::Ic)]
    pub model: Model,

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

    #[command(flatten)]
    pub audience: AudienceArgs,

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

    /// Write every account's outcome here (written atomically): the chance it is reached,
    /// ends positive, ends negative, and its mean activation round when reached, from the
    /// same trials as the totals. CSV, or JSON for a .json name.
    #[arg(long, value_name = "FILE")]
    pub per_account: Option<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,
}

/// Runs `clout simulate`.
pub fn run(args: SimulateArgs) -> Result<()> {
    let Prepared { outputs, opened, seeds, probs, cfg } = prepare(&args)?;
    let bar = trials_bar(cfg.trials as u64);
    let start = Instant::now();
    let g = &opened.network.graph;
    let result = clout::simulate(g, &probs, &seeds, &cfg, Some(&|k| bar.inc(k)));
    let seconds = start.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let sim = result?;
    write(&args, outputs, (&opened, &seeds, &cfg), &sim, seconds)
}

/// What `clout simulate` settles before its trials: the outputs (checked), the graph, the
/// seeds, the edge probabilities and the simulation settings.
pub(crate) struct Prepared {
    /// The output files (checked, not yet written) and their ids.
    pub outputs: (Outputs, Vec<Option<clout::ingest::outfile::OutputId>>),
    /// The opened graph.
    pub opened: clout::Opened,
    /// Seed accounts (dense ids).
    pub seeds: Vec<clout::NodeId>,
    /// Edge probabilities.
    pub probs: clout::reach::EdgeProbs,
    /// Simulation settings.
    pub cfg: SimConfig,
}

/// Checks the outputs and reads everything `clout simulate` needs before its trials.
pub(crate) fn prepare(args: &SimulateArgs) -> Result<Prepared> {
    let inputs = [
        Some(args.graph.as_path()),
        args.seeds_file.as_deref(),
        args.quality_file.as_deref(),
        args.audience.target.as_deref(),
        args.audience.conversion.as_deref(),
    ];
    let (outputs, out) = Outputs::prepare(
        &inputs,
        &[args.out.as_deref(), args.curve.as_deref(), args.per_account.as_deref()],
    )?;
    let opened = open_graph(&args.graph, &args.input)?;
    let net = &opened.network;
    let ids = &net.ids;
    let mut seeds = clout::ids::resolve(ids, &args.seeds, "seed account")?;
    if let Some(path) = &args.seeds_file {
        let listed = clout::ids::read_id_list(path, ids).context("--seeds-file")?;
        seeds.extend(listed.into_iter().map(|s| s.0));
    }
    if seeds.is_empty() {
        bail!("no seed accounts given");
    }
    let probs = clout::edge_probs(net, &args.prob, args.seed).context("--prob")?;
    let node_quality = match &args.quality_file {
        None => None,
        Some(path) => {
            if args.quality.len() != 1 {
                bail!("--quality-file needs exactly one --quality value (the default quality)");
            }
            Some(clout::ids::read_quality_file(path, args.quality[0], ids)?)
        }
    };
    let audience = args.audience.read(ids, args.conversion_rate)?;
    let cfg = SimConfig {
        target: audience.target,
        conversion: audience.conversion,
        model: args.model,
        qualities: args.quality.clone(),
        node_quality,
        trials: args.trials.unwrap_or(clout::default_trials(args.precision)),
        precision: args.precision,
        seed: args.seed,
        conversion_rate: args.conversion_rate,
        max_steps: args.max_steps,
        awareness: !args.no_awareness,
        per_account: args.per_account.is_some(),
    };
    Ok(Prepared { outputs: (outputs, out), opened, seeds, probs, cfg })
}

/// Reports the run on stderr and writes its outputs (files, then stdout).
pub(crate) fn write(
    args: &SimulateArgs,
    (mut outputs, out): (Outputs, Vec<Option<clout::ingest::outfile::OutputId>>),
    (opened, seeds, cfg): (&clout::Opened, &[clout::NodeId], &SimConfig),
    sim: &Simulation,
    seconds: f64,
) -> Result<()> {
    let net = &opened.network;
    let (g, ids) = (&net.graph, &net.ids);
    let graph = args.graph.display().to_string();
    let report = SimulationReport::new(net, &graph, seeds, sim, seconds, opened.seconds);
    eprintln!(
        "{} nodes, {} edges; {} trials in {seconds:.3} s ({:.0} trials/s, {:.1} M edges examined/s)",
        g.node_count(),
        g.edge_count(),
        sim.trials,
        sim.trials as f64 / seconds.max(1e-9),
        report.edges_examined_per_second / 1e6
    );
    if let Some(id) = out[0] {
        outputs.write(id, |w| {
            serde_json::to_writer_pretty(&mut *w, &report)?;
            writeln!(w)?;
            Ok(())
        })?;
    }
    if let Some(id) = out[1] {
        outputs.write(id, |w| write_curve(w, sim))?;
    }
    if let (Some(id), Some(path)) = (out[2], &args.per_account) {
        let json = path.extension().is_some_and(|e| e == "json");
        outputs.write(id, |w| write_per_account(w, sim, cfg, ids, json))?;
    }
    // Every file is written before any is moved into place: all of them appear, or none.
    outputs.commit()?;
    to_stdout(|w| {
        if args.json {
            serde_json::to_writer_pretty(&mut *w, &report)?;
            writeln!(w)?;
        } else {
            w.write_all(render(sim, &report).as_bytes())?;
        }
        Ok(())
    })
}

/// `quality,step,new_positive,...` rows: one per quality and round.
fn write_curve(w: &mut dyn Write, sim: &Simulation) -> Result<()> {
    let targeted = sim.results.first().is_some_and(|r| r.target.is_some());
    write!(
        w,
        "quality,step,new_positive,new_positive_ci95_low,new_positive_ci95_high,\
         new_negative,new_negative_ci95_low,new_negative_ci95_high"
    )?;
    if targeted {
        // The same in target weight, and the target weight newly aware in the round.
        write!(
            w,
            ",target_new_positive,target_new_positive_ci95_low,target_new_positive_ci95_high,\
             target_new_negative,target_new_negative_ci95_low,target_new_negative_ci95_high,\
             target_new_heard"
        )?;
    }
    writeln!(w)?;
    let band = |b: &clout::reach::Band| format!("{},{},{}", b.mean, b.ci95_low, b.ci95_high);
    for r in &sim.results {
        // Awareness may have one round more than activations (attempts that activated nobody).
        let rounds = r.target.as_ref().map_or(0, |t| t.awareness_steps.len()).max(r.steps.len());
        for step in 0..rounds {
            match r.steps.get(step) {
                Some(s) => write!(
                    w,
                    "{},{step},{},{}",
                    r.quality,
                    band(&s.new_positive),
                    band(&s.new_negative)
                )?,
                None => write!(w, "{},{step},0,0,0,0,0,0", r.quality)?,
            }
            if let Some(t) = &r.target {
                match t.steps.get(step) {
                    Some(s) => write!(w, ",{},{}", band(&s.new_positive), band(&s.new_negative))?,
                    None => write!(w, ",0,0,0,0,0,0")?,
                }
                let heard = t.awareness_steps.get(step).map_or(0.0, |b| b.mean);
                write!(w, ",{heard}")?;
            }
            writeln!(w)?;
        }
    }
    Ok(())
}

/// One row per account and quality: `quality,id,reached,positive,negative,mean_round` (an
/// empty mean round for accounts never reached), then the account's `target_weight`,
/// `purchase_probability` and `sale_value` when the run has them; or the same as a JSON array
/// of objects.
fn write_per_account(
    w: &mut dyn Write,
    sim: &Simulation,
    cfg: &SimConfig,
    ids: &IdMap,
    json: bool,
) -> Result<()> {
    let conversion = cfg.conversion.as_ref();
    let columns: Vec<(&str, &[f64])> = [
        ("target_weight", cfg.target.as_deref()),
        ("purchase_probability", conversion.map(|c| c.probability.as_slice())),
        ("sale_value", conversion.and_then(|c| c.value.as_deref())),
    ]
    .into_iter()
    .filter_map(|(name, values)| Some((name, values?)))
    .collect();
    if json {
        w.write_all(b"[")?;
    } else {
        write!(w, "quality,id,reached,positive,negative,mean_round")?;
        columns.iter().try_for_each(|(name, _)| write!(w, ",{name}"))?;
        writeln!(w)?;
    }
    let mut first = true;
    for o in &sim.per_account {
        for v in 0..o.reached.len() {
            let id = json_id(ids, v as u32);
            let round = o.mean_round[v];
            if json {
                let mut row = serde_json::json!({
                    "quality": o.quality, "id": id, "reached": o.reached[v],
                    "positive": o.positive[v], "negative": o.negative[v],
                    "mean_round": if round.is_nan() { None } else { Some(round) },
                });
                for (name, values) in &columns {
                    row[*name] = values[v].into();
                }
                write!(w, "{}\n{row}", if first { "" } else { "," })?;
                first = false;
            } else {
                let id = match id {
                    serde_json::Value::String(s) => crate::table::csv_field(&s),
                    other => other.to_string(),
                };
                let round = if round.is_nan() { String::new() } else { round.to_string() };
                write!(
                    w,
                    "{},{id},{},{},{},{round}",
                    o.quality, o.reached[v], o.positive[v], o.negative[v]
                )?;
                columns.iter().try_for_each(|(_, values)| write!(w, ",{}", values[v]))?;
                writeln!(w)?;
            }
        }
    }
    if json {
        w.write_all(b"\n]\n")?;
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
fn render(sim: &Simulation, report: &SimulationReport<'_>) -> String {
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
        o += &money_rows(first);
        o += &target_rows(sim, first);
    } else {
        o += &header;
        o += &estimate_row("total", &first.total);
        o += &estimate_row("awareness", &first.awareness);
        o += &format!(
            "\n{:<8}{:>12} {:>22}{:>12} {:>22}{:>14}{}{}{}\n",
            "quality",
            "positive",
            "95% CI",
            "negative",
            "95% CI",
            "backfire risk",
            if first.conversions.is_some() { "   conversions" } else { "" },
            if first.target.is_some() { "   target +   target -" } else { "" },
            if first.revenue.is_some() { "       revenue" } else { "" },
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
                r.conversions.as_ref().map_or(String::new(), |c| format!("{:>14}", num(c.mean))),
            );
            o.pop();
            if let Some(t) = &r.target {
                o += &format!("{:>11}{:>11}", num(t.positive.mean), num(t.negative.mean));
            }
            if let Some(x) = &r.revenue {
                o += &format!("{:>14}", num(x.mean));
            }
            o.push('\n');
        }
        o += &target_header(sim, first);
    }
    o
}

/// Sales and revenue rows, when the run has per-account conversion.
fn money_rows(r: &clout::QualityOutcome) -> String {
    let mut o = String::new();
    if let Some(s) = &r.sales {
        o += &estimate_row("sales", s);
    }
    if let Some(x) = &r.revenue {
        o += &estimate_row("revenue", x);
    }
    o
}

/// The target audience's size and the share of it reached and aware, when the run has one.
fn target_header(sim: &Simulation, r: &clout::QualityOutcome) -> String {
    let (Some(t), Some(weight)) = (&r.target, sim.target_weight) else {
        return String::new();
    };
    let share =
        |x: f64| if weight > 0.0 { format!("{:.2}%", 100.0 * x / weight) } else { "n/a".into() };
    format!(
        "\ntarget audience: weight {} in all; {} of it reached, {} heard\n",
        num(weight),
        share(t.total.mean),
        share(t.awareness.mean),
    )
}

/// [`target_header`], then the audience's rows in target weight.
fn target_rows(sim: &Simulation, r: &clout::QualityOutcome) -> String {
    let Some(t) = &r.target else {
        return String::new();
    };
    let mut o = target_header(sim, r);
    o += &estimate_row("target +", &t.positive);
    o += &estimate_row("target -", &t.negative);
    o += &estimate_row("target reach", &t.total);
    o += &estimate_row("target heard", &t.awareness);
    o += &estimate_row("backfire (tgt)", &t.backfire_risk);
    o
}
