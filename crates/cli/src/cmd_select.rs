//! `clout select`: choose whom to pay (influence maximization), re-estimate the choice by an
//! independent Monte Carlo run, and compare it with the baselines on the same trials.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use clout::{ChoiceOptions, ChoiceReport, Estimate, Method, Model};

use crate::flags::{ChoiceArgs, InputArgs};
use crate::load::open_graph;
use crate::output::{Outputs, to_stdout};
use crate::progress::spinner;

/// Long help of `clout select`.
pub const ABOUT: &str = include_str!("../help/select.txt").trim_ascii_end();

/// `clout select`.
#[derive(Debug, Args)]
pub struct SelectArgs {
    /// A snapshot or an edge list.
    #[arg(value_name = "GRAPH")]
    pub graph: PathBuf,

    /// Number of accounts to choose (ignored with --budget).
    #[arg(short = 'k', long = "k", value_name = "K", default_value_t = 10)]
    pub k: usize,

    /// Diffusion model: ic, lt, icn (backfire, with --quality) or signed (celf only).
    #[arg(long, value_enum, default_value_t = Model::Ic)]
    pub model: Model,

    /// Product quality q for icn: the chance an account reached positively turns positive.
    #[arg(long, value_name = "Q", default_value_t = 1.0)]
    pub quality: f64,

    /// Edge probabilities: wc (1/in-degree), uniform:P, trivalency[:SEED], weight,
    /// weight-normalized.
    #[arg(long, value_name = "SPEC", default_value = "wc")]
    pub prob: String,

    /// How to choose (see the list above).
    #[arg(long, value_enum, default_value_t = Method::Opim)]
    pub method: Method,

    /// Most Monte Carlo trials of the independent re-estimation (0 skips it); with
    /// --precision 0, exactly this many.
    #[arg(long, value_name = "N", default_value_t = clout::DEFAULT_TRIALS)]
    pub trials: usize,

    /// Re-estimate until the 95% confidence interval of the chosen set's reach is within this
    /// fraction of its mean (0.01 = 1%), or --trials is reached; 0 runs exactly --trials.
    #[arg(long, value_name = "F", default_value_t = clout::DEFAULT_PRECISION)]
    pub precision: f64,

    /// Seed of every random choice; the same seed gives the same answer at any thread count.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Also evaluate degree, PageRank, coreness and degree discount on the same trials.
    #[arg(long)]
    pub compare: bool,

    /// Write JSON (.json) or CSV (any other name) here, atomically.
    #[arg(long = "output", short = 'o', alias = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Print JSON on stdout instead of the table.
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub choice: ChoiceArgs,

    #[command(flatten)]
    pub input: InputArgs,
}

/// What `clout select` works on, read and checked: the outputs (prepared so that a bad path
/// fails before any work), the graph, the edge probabilities and the choice's settings.
pub(crate) struct Prepared {
    /// The output files and the id of `--output`'s.
    pub outputs: (Outputs, Option<clout::ingest::outfile::OutputId>),
    /// The graph.
    pub opened: clout::Opened,
    /// Edge probabilities.
    pub probs: clout::reach::EdgeProbs,
    /// The method, its configuration and the re-estimation's settings.
    pub opts: ChoiceOptions,
}

/// Checks `args`, prepares the outputs, opens the graph and builds the choice's settings.
pub(crate) fn prepare(args: &SelectArgs) -> Result<Prepared> {
    if !(0.0..=1.0).contains(&args.precision) {
        bail!(
            "--precision {} is not a fraction of the mean between 0 and 1 (0.01 = 1%; 0 runs \
             exactly --trials)",
            args.precision
        );
    }
    let [costs, candidates, exclude, target, conversion] = args.choice.files();
    let inputs = [Some(args.graph.as_path()), costs, candidates, exclude, target, conversion];
    let (outputs, out) = Outputs::prepare(&inputs, &[args.out.as_deref()])?;
    let opened = open_graph(&args.graph, &args.input)?;
    let net = &opened.network;
    let model = args.model;
    if model != Model::IcN && args.quality != 1.0 {
        bail!("--quality applies to --model icn only");
    }
    let probs = clout::edge_probs(net, &args.prob, args.seed).context("--prob")?;
    let audience = args.choice.audience.read(&net.ids, None)?;
    let cfg = args.choice.select_config(net, args.k, model, args.quality, args.seed, &audience)?;
    let opts = ChoiceOptions {
        method: args.method,
        select: cfg,
        trials: args.trials,
        precision: (args.precision != 0.0).then_some(args.precision),
        compare: args.compare,
        objective: args.choice.objective(),
    };
    Ok(Prepared { outputs: (outputs, out[0]), opened, probs, opts })
}

/// Runs `clout select`.
pub fn run(args: SelectArgs) -> Result<()> {
    let job = prepare(&args)?;
    let bar = spinner("choosing");
    let graph = args.graph.display().to_string();
    let doc = clout::choose_and_evaluate(
        &job.opened.network,
        &graph,
        &job.probs,
        &job.opts,
        &|what: &str| bar.set_message(what.to_string()),
    );
    bar.finish_and_clear();
    write(&args, job.outputs, &doc?)
}

/// Writes the report: `--output`, then the table or JSON on stdout, then the timings.
pub(crate) fn write(
    args: &SelectArgs,
    (mut outputs, out): (Outputs, Option<clout::ingest::outfile::OutputId>),
    doc: &ChoiceReport,
) -> Result<()> {
    if let (Some(id), Some(path)) = (out, &args.out) {
        outputs.write(id, |w| write_file(path, doc, w))?;
    }
    outputs.commit()?;
    to_stdout(|w| {
        if args.json {
            serde_json::to_writer_pretty(&mut *w, doc)?;
            writeln!(w)?;
        } else {
            write_human(w, doc)?;
        }
        Ok(())
    })?;
    eprintln!(
        "{} nodes, {} edges; select {:.3} s; Monte Carlo re-estimation {:.3} s ({} trials)",
        doc.nodes, doc.edges, doc.seconds, doc.evaluation_seconds, doc.evaluation_trials
    );
    Ok(())
}

/// JSON for `.json` names, CSV rows otherwise.
fn write_file(path: &Path, doc: &ChoiceReport, w: &mut dyn Write) -> Result<()> {
    if path.extension().and_then(|e| e.to_str()) == Some("json") {
        serde_json::to_writer_pretty(&mut *w, doc)?;
        writeln!(w)?;
        return Ok(());
    }
    let weighted = doc.objective_weight.is_some();
    write!(
        w,
        "rank,id,gain_method,gain_mc,gain_mc_se,positive,positive_lo,positive_hi,negative,\
         negative_lo,negative_hi,total,total_lo,total_hi"
    )?;
    if weighted {
        // The objective's weight reached (target, sales or revenue): `doc.objective` says which.
        write!(
            w,
            ",weighted_positive,weighted_positive_lo,weighted_positive_hi,weighted_total,weighted_total_lo,weighted_total_hi"
        )?;
    }
    writeln!(w)?;
    for r in &doc.rows {
        let id = match &r.id {
            serde_json::Value::String(s) if s.contains([',', '"', '\n', '\r']) => {
                format!("\"{}\"", s.replace('"', "\"\""))
            }
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        write!(w, "{},{id},{}", r.rank, r.gain_method)?;
        match &r.evaluated {
            Some(e) => {
                write!(w, ",{},{}", e.gain, e.gain_std_error)?;
                for x in [&e.positive, &e.negative, &e.total] {
                    write!(w, ",{},{},{}", x.mean, x.ci95_low, x.ci95_high)?;
                }
                if let Some(t) = &e.target {
                    for x in [&t.positive, &t.total] {
                        write!(w, ",{},{},{}", x.mean, x.ci95_low, x.ci95_high)?;
                    }
                }
                writeln!(w)?;
            }
            None => writeln!(w, ",,,,,,,,,,,{}", if weighted { ",,,,,," } else { "" })?,
        }
    }
    Ok(())
}

/// The objective in words, for a weighted choice.
fn objective_words(doc: &ChoiceReport) -> &'static str {
    match doc.objective {
        clout::Objective::Reach => "reach",
        clout::Objective::Target => "target reach",
        clout::Objective::Sales => "expected sales",
        clout::Objective::Revenue => "expected revenue",
    }
}

fn interval(e: &Estimate) -> String {
    format!("{:.2} [{:.2}, {:.2}]", e.mean, e.ci95_low, e.ci95_high)
}

/// The human-readable report.
fn write_human(w: &mut dyn Write, doc: &ChoiceReport) -> Result<()> {
    let chosen = &doc.selection;
    let what = match doc.budget {
        Some(b) => format!("accounts within budget {b}"),
        None => format!("{} accounts", doc.k),
    };
    writeln!(
        w,
        "{what} chosen by {} for {} (prob {}{}) on {} ({} nodes, {} edges)",
        doc.method,
        doc.model,
        doc.prob,
        if doc.model == "icn" { format!(", q {}", doc.quality) } else { String::new() },
        doc.graph,
        doc.nodes,
        doc.edges
    )?;
    if let Some(weight) = doc.objective_weight {
        writeln!(
            w,
            "maximizing {} (the weight of the accounts reached; {} in all), not plain reach",
            objective_words(doc),
            if weight.fract() == 0.0 { format!("{weight}") } else { format!("{weight:.2}") }
        )?;
    }
    writeln!(w, "guarantee: {}", chosen.guarantee.statement)?;
    if let Some(c) = chosen.cost {
        writeln!(w, "cost: {c}")?;
    }
    writeln!(w)?;
    let weighted = doc.objective_weight.is_some();
    write!(
        w,
        "{:>4}  {:<14} {:>12} {:>18}  {:<26} {:<26} {:<26}",
        "#",
        "account",
        "gain(method)",
        "gain(MC) ± se",
        "positive [95% CI]",
        "negative [95% CI]",
        "total [95% CI]"
    )?;
    if weighted {
        write!(w, " {:<26}", format!("{} + [95% CI]", doc.objective.name()))?;
    }
    writeln!(w)?;
    for r in &doc.rows {
        let id = match &r.id {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        write!(w, "{:>4}  {:<14} {:>12.3}", r.rank, id, r.gain_method)?;
        match &r.evaluated {
            Some(e) => {
                write!(
                    w,
                    " {:>18}  {:<26} {:<26} {:<26}",
                    format!("{:.3} ± {:.3}", e.gain, e.gain_std_error),
                    interval(&e.positive),
                    interval(&e.negative),
                    interval(&e.total)
                )?;
                if let Some(t) = &e.target {
                    write!(w, " {:<26}", interval(&t.positive))?;
                }
                writeln!(w)?;
            }
            None => writeln!(w)?,
        }
    }
    writeln!(w)?;
    if let Some(s) = &chosen.sampling {
        writeln!(
            w,
            "RR sets: {} estimation + {} selection + {} validation ({} members, {} arcs \
             examined); peak RR memory {:.1} MiB",
            s.estimation_sets,
            s.selection_sets,
            s.validation_sets,
            s.members,
            s.arcs_examined,
            s.peak_bytes as f64 / (1 << 20) as f64
        )?;
    }
    writeln!(w, "selection time: {:.3} s", doc.seconds)?;
    if doc.evaluation_trials > 0 {
        writeln!(
            w,
            "re-estimated by {} Monte Carlo trials on an independent random stream ({:.3} s)",
            doc.evaluation_trials, doc.evaluation_seconds
        )?;
        if let Some(p) = &doc.evaluation_precision {
            let target = match (p.target, p.reached) {
                (Some(t), Some(true)) => format!(" (target {}%, reached)", 100.0 * t),
                (Some(t), _) => format!(" (target {}%, NOT reached: raise --trials)", 100.0 * t),
                _ => String::new(),
            };
            writeln!(
                w,
                "precision: 95% CI of the chosen set's {} within {:.2}% of its mean{target}",
                if weighted { objective_words(doc) } else { "reach" },
                100.0 * p.relative_ci95_half_width
            )?;
        }
    } else {
        writeln!(w, "not re-estimated (--trials 0)")?;
    }
    if !doc.compare.is_empty() {
        let ours = doc.rows.last().and_then(|r| r.evaluated.as_ref());
        // The objective: positive reach, or the positive weight reached.
        let ours = ours.map(|o| o.target.as_ref().map_or(&o.positive, |t| &t.positive));
        writeln!(w)?;
        writeln!(
            w,
            "compared on the same trials (positive {}):",
            if weighted { objective_words(doc) } else { "reach" }
        )?;
        if let Some(o) = ours {
            writeln!(w, "  {:<16} {:<26} (chosen)", doc.method.name(), interval(o))?;
        }
        for c in &doc.compare {
            let theirs = match &c.target {
                Some(t) => Some(&t.positive),
                None => c.positive.as_ref(),
            };
            match (theirs, ours) {
                (Some(p), Some(o)) => writeln!(
                    w,
                    "  {:<16} {:<26} chosen set reaches {:.3}x",
                    c.method.name(),
                    interval(p),
                    o.mean / p.mean
                )?,
                _ => writeln!(
                    w,
                    "  {:<16} not evaluated: {}",
                    c.method.name(),
                    c.note.as_deref().unwrap_or("")
                )?,
            }
        }
    }
    Ok(())
}
