//! The whole seed-choice workflow: choose with a method, re-estimate the choice by an
//! independent Monte Carlo run (the reach of every prefix, paired over the same trials), and
//! compare it with the baselines on those same trials. [`ChoiceReport`] serializes to the JSON
//! `clout select --json` prints, accounts named by their original ids.

use std::time::Instant;

use clout_ingest::LoadedGraph;
use clout_reach::select::{
    Method, PrefixPrecision, PrefixReach, SelectConfig, Selection, TargetReach,
};
use clout_reach::{EdgeProbs, Estimate, SimConfig};
use serde::Serialize;

use crate::audience::Objective;
use crate::campaign::{BaselineOutcome, choose, compare_baselines, evaluate, evaluation_config};
use crate::error::{Result, describe};
use crate::ids::json_id;

/// What to run. `select` holds k (or the budget), the model and quality, candidates and the
/// seed; Monte Carlo trials re-estimate the choice until the chosen set's expected reach is
/// known to `precision` (a relative 95 % half-width), at most `trials` of them (0 skips the
/// re-estimation, and the comparison).
#[derive(Debug, Clone)]
pub struct ChoiceOptions {
    /// How to choose.
    pub method: Method,
    /// The selection settings.
    pub select: SelectConfig,
    /// Trials of the re-estimation: the cap with `precision`, else exactly this many.
    /// Default [`DEFAULT_TRIALS`].
    pub trials: usize,
    /// Stop the re-estimation once the 95 % confidence interval of the chosen set's mean total
    /// reach is within this fraction of the mean. `None`: run exactly `trials` trials.
    /// Default [`DEFAULT_PRECISION`].
    pub precision: Option<f64>,
    /// Also choose with every baseline and simulate each on the same trials. Default false.
    pub compare: bool,
    /// What `select.weights` stand for (reported; the weights decide). Default reach.
    pub objective: Objective,
}

/// Default cap on the re-estimation's trials.
pub const DEFAULT_TRIALS: usize = 10_000;
/// Default precision of the re-estimation: the 95 % interval of the chosen set's reach within
/// 1 % of its mean.
pub const DEFAULT_PRECISION: f64 = 0.01;

impl ChoiceOptions {
    /// OPIM with `select`, re-estimated to [`DEFAULT_PRECISION`] within [`DEFAULT_TRIALS`]
    /// trials, no comparison.
    pub fn new(select: SelectConfig) -> ChoiceOptions {
        ChoiceOptions {
            method: Method::Opim,
            select,
            trials: DEFAULT_TRIALS,
            precision: Some(DEFAULT_PRECISION),
            compare: false,
            objective: Objective::Reach,
        }
    }
}

/// One chosen account and the reach of the prefix it completes.
#[derive(Debug, Clone, Serialize)]
pub struct ChosenAccount {
    /// 1-based position in the choice.
    pub rank: usize,
    /// Original id.
    pub id: serde_json::Value,
    /// Marginal gain as the method estimated it.
    pub gain_method: f64,
    /// The prefix's reach as re-estimated (absent without re-estimation).
    pub evaluated: Option<PrefixReach>,
}

/// A baseline evaluated on the same trials.
#[derive(Debug, Clone, Serialize)]
pub struct ComparedSet {
    /// The baseline.
    pub method: Method,
    /// Its accounts (original ids).
    pub seeds: Vec<serde_json::Value>,
    /// Expected positive reach.
    pub positive: Option<Estimate>,
    /// Expected negative reach.
    pub negative: Option<Estimate>,
    /// Expected total reach.
    pub total: Option<Estimate>,
    /// With an objective other than reach: the same in the objective's weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetReach>,
    /// Why it was not evaluated.
    pub note: Option<String>,
}

/// Everything the workflow found.
#[derive(Debug, Clone, Serialize)]
pub struct ChoiceReport {
    /// The graph's name as the caller gave it.
    pub graph: String,
    /// Accounts.
    pub nodes: usize,
    /// Edges.
    pub edges: usize,
    /// Model name.
    pub model: &'static str,
    /// Product quality of the selection settings.
    pub quality: f64,
    /// Edge probabilities.
    pub prob: String,
    /// The method that chose.
    pub method: Method,
    /// Accounts asked for (ignored with a budget).
    pub k: usize,
    /// The budget, if any.
    pub budget: Option<f64>,
    /// Approximation slack of IMM / OPIM.
    pub epsilon: f64,
    /// What the choice maximizes (`reach`, `target`, `sales`, `revenue`); with anything but
    /// reach, every `target` field below is in its weight.
    pub objective: Objective,
    /// The objective's total weight over every account (absent for reach).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objective_weight: Option<f64>,
    /// The run's seed.
    pub seed: u64,
    /// Chosen accounts (original ids) in order.
    pub seeds: Vec<serde_json::Value>,
    /// Seconds spent choosing (not loading, not re-estimating).
    pub seconds: f64,
    /// Trials of the re-estimation (0 when skipped).
    pub evaluation_trials: usize,
    /// How precise the re-estimation is (absent when skipped).
    pub evaluation_precision: Option<PrefixPrecision>,
    /// Seconds of the re-estimation and comparison.
    pub evaluation_seconds: f64,
    /// The method's own result: seeds, gains, guarantee, sampling.
    pub selection: Selection,
    /// One row per chosen account.
    pub rows: Vec<ChosenAccount>,
    /// The baselines, when compared.
    pub compare: Vec<ComparedSet>,
}

/// Runs the workflow on `network` (named `graph` in the report). `progress` is told what is
/// being computed.
pub fn choose_and_evaluate(
    network: &LoadedGraph,
    graph: &str,
    probs: &EdgeProbs,
    opts: &ChoiceOptions,
    progress: &dyn Fn(&str),
) -> Result<ChoiceReport> {
    let cfg = &opts.select;
    progress(&format!("choosing {} accounts by {}", cfg.k, opts.method));
    let start = Instant::now();
    let chosen = choose(&network.graph, probs, opts.method, cfg, None)?;
    let seconds = start.elapsed().as_secs_f64();
    evaluate_choice(network, graph, probs, opts, chosen, seconds, progress)
}

/// The second half of [`choose_and_evaluate`] for a choice made elsewhere (for example across
/// processes): re-estimates `chosen` by Monte Carlo as `opts` says, compares the baselines if
/// asked, and assembles the report; `seconds` is the time the choice took.
///
/// # Errors
/// Those of the re-estimation and the baselines.
pub fn evaluate_choice(
    network: &LoadedGraph,
    graph: &str,
    probs: &EdgeProbs,
    opts: &ChoiceOptions,
    chosen: Selection,
    seconds: f64,
    progress: &dyn Fn(&str),
) -> Result<ChoiceReport> {
    let (g, ids) = (&network.graph, &network.ids);
    let cfg = &opts.select;
    progress("re-estimating by Monte Carlo");
    let mut sim = evaluation_config(cfg, opts.trials);
    sim.precision = opts.precision;
    let evaluating = opts.trials > 0 && !chosen.seeds.is_empty();
    let start = Instant::now();
    let (reach, precision) = if evaluating {
        let (reach, precision) = evaluate(g, probs, &chosen.seeds, &sim)?;
        (Some(reach), Some(precision))
    } else {
        (None, None)
    };
    // The baselines run on exactly the trials the choice was re-estimated on.
    let trials = reach.as_ref().and_then(|r| r.first()).map_or(0, |r| r.trials);
    let sim = SimConfig { trials, precision: None, ..sim };
    let mut compare = Vec::new();
    if opts.compare && evaluating {
        for b in compare_baselines(g, probs, cfg, Some(chosen.method), &sim, None)? {
            let (seeds, reach, note) = match b.outcome {
                BaselineOutcome::Reach(reach) => {
                    let (picked, o) = *reach;
                    (picked.seeds, Some(o), None)
                }
                BaselineOutcome::ChoseNobody => (Vec::new(), None, Some("chose nobody".into())),
                BaselineOutcome::Failed(why) => (Vec::new(), None, Some(describe(&*why))),
            };
            compare.push(ComparedSet {
                method: b.method,
                seeds: seeds.iter().map(|&v| json_id(ids, v)).collect(),
                positive: reach.as_ref().map(|o| o.positive.clone()),
                negative: reach.as_ref().map(|o| o.negative.clone()),
                target: reach.as_ref().and_then(|o| o.target.as_ref()).map(|t| TargetReach {
                    positive: t.positive.clone(),
                    negative: t.negative.clone(),
                    total: t.total.clone(),
                }),
                total: reach.map(|o| o.total),
                note,
            });
        }
    }
    let evaluation_seconds = start.elapsed().as_secs_f64();

    let rows = chosen
        .seeds
        .iter()
        .enumerate()
        .map(|(i, &v)| ChosenAccount {
            rank: i + 1,
            id: json_id(ids, v),
            gain_method: chosen.gains[i],
            evaluated: reach.as_ref().map(|r| r[i].clone()),
        })
        .collect();
    Ok(ChoiceReport {
        graph: graph.to_string(),
        nodes: g.node_count(),
        edges: g.edge_count(),
        model: cfg.model.name(),
        quality: cfg.quality,
        prob: probs.spec().to_string(),
        method: chosen.method,
        k: cfg.k,
        budget: cfg.budget.as_ref().map(|b| b.budget),
        epsilon: cfg.epsilon,
        objective: opts.objective,
        objective_weight: cfg.weights.as_ref().map(|w| w.iter().sum()),
        seed: cfg.seed,
        seeds: chosen.seeds.iter().map(|&v| json_id(ids, v)).collect(),
        seconds,
        evaluation_trials: trials,
        evaluation_precision: precision,
        evaluation_seconds,
        selection: chosen,
        rows,
        compare,
    })
}
