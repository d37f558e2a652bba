//! `clout validate`: learn on training cascades, predict held-out ones with the simulator, and
//! score the predictions next to the untrained defaults (JSON, and an HTML page).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, bail};
use clap::Args;
use clout::learn::{Seeds, Split, ValidateConfig};

use crate::cmd_learn::{EstimatorArgs, LogArgs};
use crate::output::Outputs;

pub const ABOUT: &str = include_str!("../help/validate.txt");

/// `clout validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub log: LogArgs,

    #[command(flatten)]
    pub estimator: EstimatorArgs,

    /// Grouped k-fold cross-validation by cascade with this many folds.
    #[arg(long, default_value_t = 5, value_name = "K", help_heading = "Protocol")]
    pub folds: usize,

    /// Instead of folds: train on the earliest FRACTION of cascades (by start time), predict
    /// the rest.
    #[arg(long, value_name = "FRACTION", help_heading = "Protocol")]
    pub time_cut: Option<f64>,

    /// Seeds: every account active within the first MINUTES of a cascade (default: its root).
    #[arg(long, value_name = "MINUTES", help_heading = "Protocol")]
    pub early: Option<f64>,

    /// Candidates lie within this many arcs of the seeds; also the simulated rounds.
    #[arg(long, default_value_t = 3, help_heading = "Protocol")]
    pub hops: u32,

    /// Monte Carlo trials per held-out cascade and model.
    #[arg(long, default_value_t = 1000, help_heading = "Protocol")]
    pub trials: usize,

    /// Random seed (folds, simulation, trivalency, bootstrap).
    #[arg(long, default_value_t = 1, help_heading = "Protocol")]
    pub seed: u64,

    /// Bootstrap replicates for the intervals.
    #[arg(long, default_value_t = 1000, help_heading = "Protocol")]
    pub bootstrap: usize,

    /// Write the result as JSON here.
    #[arg(long = "output", short = 'o', value_name = "FILE.json")]
    pub output: PathBuf,

    /// Also write the HTML page here.
    #[arg(long, value_name = "FILE.html")]
    pub html: Option<PathBuf>,
}

/// Runs `clout validate`.
pub fn run(args: ValidateArgs) -> Result<()> {
    let start = Instant::now();
    let split = match args.time_cut {
        Some(f) => Split::TimeCut(f),
        None => Split::Folds(args.folds),
    };
    if args.bootstrap == 0 {
        bail!("--bootstrap must be at least 1");
    }
    let cfg = ValidateConfig {
        split,
        seeds: args.early.map_or(Seeds::Root, Seeds::Early),
        hops: args.hops,
        trials: args.trials,
        seed: args.seed,
        learn: args.estimator.config()?,
        bootstrap: args.bootstrap,
        ..ValidateConfig::default()
    };
    let inputs = [Some(args.log.log.as_path()), args.log.social.as_deref()];
    let (mut outputs, ids) =
        Outputs::prepare(&inputs, &[Some(args.output.as_path()), args.html.as_deref()])?;
    let log = args.log.read()?;
    let bar = crate::progress::spinner("validating");
    let validation = clout::learn::validate(&log, &cfg, &|done, total| {
        bar.set_message(format!("validating: {done}/{total} held-out seed sets simulated"));
    })?;
    bar.finish_and_clear();
    let value = serde_json::to_value(&validation)?;
    if let Some(id) = ids[0] {
        outputs.write(id, |w| {
            serde_json::to_writer_pretty(&mut *w, &value)?;
            writeln!(w)?;
            Ok(())
        })?;
    }
    if let Some(id) = ids[1] {
        let command: Vec<String> = std::env::args().collect();
        let generator = format!("clout {}", env!("CARGO_PKG_VERSION"));
        let html = clout::learn::calibration_page(&value, &generator, &command.join(" "))?;
        outputs.write(id, |w| Ok(w.write_all(html.as_bytes())?))?;
    }
    outputs.commit()?;
    print_summary(&validation, start.elapsed().as_secs_f64());
    Ok(())
}

fn print_summary(v: &clout::learn::Validation, seconds: f64) {
    eprintln!(
        "{} held-out cascades of {}, {} candidates ({:.3}% joined), {} trials, {:.1} s",
        v.per_cascade.len(),
        v.cascades,
        v.models[0].pooled.count,
        100.0 * v.models[0].pooled.base_rate,
        v.trials,
        seconds
    );
    eprintln!(
        "{:<11} {:>8} {:>10} {:>9} {:>9} {:>8} {:>9} {:>7} {:>9}",
        "model", "AUC", "cascadeAUC", "Brier", "BSS", "ECE", "logRMSE", "bias", "Spearman"
    );
    for m in &v.models {
        eprintln!(
            "{:<11} {:>8.4} {:>10.4} {:>9.5} {:>9.3} {:>8.4} {:>9.3} {:>7.2} {:>9.3}",
            m.name,
            m.pooled.auc,
            m.mean_cascade_auc,
            m.pooled.brier,
            m.pooled.brier_skill,
            m.pooled.ece,
            m.size.log_rmse,
            m.size.bias,
            m.size.spearman
        );
    }
    for d in &v.differences {
        eprintln!(
            "learned - {:<10} AUC {:+.4} [{:+.4}, {:+.4}]  Brier {:+.5} [{:+.5}, {:+.5}]  \
             logRMSE {:+.3} [{:+.3}, {:+.3}]  Spearman {:+.3} [{:+.3}, {:+.3}]",
            d.baseline,
            d.auc.estimate,
            d.auc.lo,
            d.auc.hi,
            d.brier.estimate,
            d.brier.lo,
            d.brier.hi,
            d.log_rmse.estimate,
            d.log_rmse.lo,
            d.log_rmse.hi,
            d.spearman.estimate,
            d.spearman.lo,
            d.spearman.hi
        );
    }
    let seen = v.per_cascade.iter().filter(|c| c.seeds_in_graph > 0).count();
    eprintln!(
        "size Spearman over the {seen} cascades with a seed in the training graph (every model \
         predicts the same size for the others): {}",
        v.models
            .iter()
            .map(|m| format!("{} {:.3}", m.name, m.size_seen.spearman))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for d in &v.differences {
        eprintln!(
            "  learned - {:<10} {:+.3} [{:+.3}, {:+.3}]",
            d.baseline, d.spearman_seen.estimate, d.spearman_seen.lo, d.spearman_seen.hi
        );
    }
    let c = &v.coverage;
    eprintln!(
        "out of reach: {:.1}% of the {} joining accounts are not in the training graph, {:.1}% \
         are not candidates; {} cascades have no seed in it",
        100.0 * c.outside_graph,
        c.accounts,
        100.0 * c.outside_candidates,
        c.cascades_without_seed
    );
}
