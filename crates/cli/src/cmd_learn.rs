//! `clout learn`: learn per-arc influence probabilities from an action log and write them as a
//! snapshot (arc weight = probability, for `--prob weight`) or a CSV `source,target,probability`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use clout::learn::{Estimator, LearnConfig, LogFormat};

use crate::flags::InputArgs;
use crate::output::{Outputs, to_stdout};

pub const ABOUT: &str = include_str!("../help/learn.txt");

/// Action-log formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogKind {
    /// Propagation trees (Twitter15/16): a directory or a .tar/.tar.gz.
    Trees,
    /// The Higgs activity log `A B unix_ts RT|MT|RE`.
    Higgs,
    /// `user,cascade,time[,parent]`.
    Csv,
}

/// The action log and how to read it (shared by `learn` and `validate`).
#[derive(Debug, Args)]
pub struct LogArgs {
    /// The action log: a propagation-tree directory or archive, a Higgs activity file, or a CSV.
    #[arg(value_name = "LOG")]
    pub log: PathBuf,

    /// The log's format.
    #[arg(long = "log-format", value_enum, default_value_t = LogKind::Trees, help_heading = "Log")]
    pub log_format: LogKind,

    /// Trees: keep only files whose path contains this (e.g. twitter15).
    #[arg(long, value_name = "NAME", help_heading = "Log")]
    pub part: Option<String>,

    /// Higgs: cascade window; CSV: credit window (earlier in-neighbours within it), minutes.
    #[arg(long, value_name = "MINUTES", default_value_t = 1440.0, help_heading = "Log")]
    pub window: f64,

    /// Higgs: interactions that count, comma-separated from RT, MT, RE.
    #[arg(long, value_delimiter = ',', default_value = "RT,MT,RE", help_heading = "Log")]
    pub kinds: Vec<String>,

    /// CSV without parents: the social graph whose in-neighbours are credited (read with the
    /// Input flags; `--edges follows` by default, so `A B` = A follows B = B influences A).
    #[arg(long, value_name = "GRAPH", help_heading = "Log")]
    pub social: Option<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,
}

impl LogArgs {
    /// Reads the log.
    pub fn read(&self) -> Result<clout::learn::ActionLog> {
        let format = match self.log_format {
            LogKind::Trees => LogFormat::Trees { part: self.part.clone() },
            LogKind::Higgs => LogFormat::Higgs {
                window_minutes: self.window,
                kinds: clout::learn::parse_kinds(&self.kinds)?,
            },
            LogKind::Csv => LogFormat::Csv {
                social: match &self.social {
                    Some(p) => Some((p.clone(), self.input.read_config()?)),
                    None => None,
                },
                window_minutes: self.window,
            },
        };
        clout::learn::read_log(&self.log, &format)
            .with_context(|| format!("cannot read the action log {}", self.log.display()))
    }
}

/// How probabilities are estimated (shared by `learn` and `validate`).
#[derive(Debug, Args)]
pub struct EstimatorArgs {
    /// The estimator.
    #[arg(long, value_enum, default_value_t = Estimator::Bernoulli, help_heading = "Learning")]
    pub estimator: Estimator,

    /// Beta prior: `auto` (one Beta, or a mixture of two, chosen on held-out training
    /// cascades) or a strength >= 0 (0 = raw estimates; the prior mean is then the pooled rate)
    #[arg(long, default_value = "auto", help_heading = "Learning")]
    pub prior: String,

    /// Recalibrate probabilities by isotonic regression fitted on held-out training cascades.
    #[arg(long, help_heading = "Learning")]
    pub isotonic: bool,
}

impl EstimatorArgs {
    pub fn config(&self) -> Result<LearnConfig> {
        let prior = clout::learn::parse_prior(&self.prior)?;
        Ok(clout::learn::learn_config(self.estimator, prior, self.isotonic)?)
    }
}

/// `clout learn`.
#[derive(Debug, Args)]
pub struct LearnArgs {
    #[command(flatten)]
    pub log: LogArgs,

    #[command(flatten)]
    pub estimator: EstimatorArgs,

    /// Where to write: a snapshot (any name, e.g. learned.clout) or, when the name ends in
    /// .csv, a CSV `source,target,probability` with original ids.
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub output: PathBuf,

    /// Print the summary as JSON on stdout instead of text on stderr.
    #[arg(long)]
    pub json: bool,
}

fn is_csv(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Runs `clout learn`.
pub fn run(args: LearnArgs) -> Result<()> {
    let cfg = args.estimator.config()?;
    let inputs = [Some(args.log.log.as_path()), args.log.social.as_deref()];
    let (mut outputs, out) = Outputs::single(&inputs, &args.output)?;
    let log = args.log.read()?;
    let learned = clout::learn::learn(&log, &cfg);
    if learned.is_empty() {
        bail!(
            "{}: no action credits another account, so no arc was learned",
            args.log.log.display()
        );
    }
    if is_csv(&args.output) {
        outputs.write(out, |w| Ok(clout::learn::write_learned_csv(w, &log, &learned)?))?;
    } else {
        let graph = clout::learn::learned_graph(&log, &learned)?;
        clout::write_snapshot(outputs.file(out)?, &args.output, &graph)
            .with_context(|| format!("cannot write snapshot {}", args.output.display()))?;
    }
    outputs.commit()?;
    let s = clout::learn::summarize(&log, &learned);
    if args.json {
        return to_stdout(|w| {
            serde_json::to_writer_pretty(&mut *w, &s)?;
            writeln!(w)?;
            Ok(())
        });
    }
    eprintln!(
        "learned {} arcs ({}) from {} cascades, {} actions by {} accounts -> {}",
        s.arcs,
        s.estimator,
        s.cascades,
        s.actions,
        s.accounts,
        args.output.display()
    );
    eprintln!(
        "evidence: {} arcs credited once, {} twice, {} 3-9 times, {} 10+ times",
        s.evidence[0], s.evidence[1], s.evidence[2], s.evidence[3]
    );
    eprintln!(
        "prior: mean {:.4} (pooled rate {:.4}), strength {}{}",
        s.prior_mean,
        s.pooled_rate,
        s.prior_strength,
        if s.prior_chosen { " (chosen on held-out training cascades)" } else { " (given)" }
    );
    if let Some(c) = s.prior_component {
        eprintln!(
            "prior, second component: weight {}, mean {}, strength {} (a Beta mixture: held-out \
             log-loss {:.5})",
            c.weight, c.mean, c.strength, c.log_loss
        );
    }
    eprintln!(
        "p: mean {:.4}; min {:.4}, 10% {:.4}, median {:.4}, 90% {:.4}, 99% {:.4}, max {:.4}",
        s.mean,
        s.quantiles[0],
        s.quantiles[1],
        s.quantiles[2],
        s.quantiles[3],
        s.quantiles[4],
        s.quantiles[5]
    );
    if !is_csv(&args.output) {
        eprintln!("use it with: clout simulate {} --prob weight ...", args.output.display());
    }
    Ok(())
}
