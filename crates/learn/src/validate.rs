//! Held-out validation: does the cascade simulator, with learned probabilities, predict real
//! cascades it has not seen?
//!
//! # Protocol
//! 1. **Split** the cascades: grouped k-fold by cascade (a cascade's actions are all in one
//!    fold), or a time cut (the earliest fraction trains, the rest is held out).
//! 2. **Learn** on the training cascades only ([`learn`]): the training graph holds exactly
//!    the arcs credited in training cascades, so no held-out arc can leak into it.
//! 3. For each held-out cascade take its **seeds** (the root account, or every account active
//!    within the first `T` minutes) and its **candidates**: the accounts within
//!    [`ValidateConfig::hops`] arcs of the seeds in the training graph, seeds excluded.
//! 4. **Simulate** Independent Cascade from the seeds for `hops` rounds (so exactly the
//!    candidates can be reached, and the simulation runs on the sub-graph they span, which
//!    gives the same result as on the whole training graph) with per-account outcomes, and
//!    score each candidate's activation probability against whether it joined ([`metrics`]),
//!    and the expected size (seeds included) against the real size. The predicted size adds
//!    the accounts expected through links never seen in training ([`Novelty`], Good–Turing
//!    from the training cascades), the same rule for every model; the IC part alone is kept
//!    as [`CascadeResult::predicted_in_graph`].
//! 5. **Baselines** on the same training graph, seeds, candidates and trials (same random
//!    seed): weighted cascade (`1 / in-degree`), a uniform `p` fitted so that the mean
//!    `log(1 + expected size)` of the training cascades equals their real mean (bisection on
//!    `log p`), and trivalency ({0.1, 0.01, 0.001}).
//! 6. **Intervals**: bootstrap by cascade (resampling held-out cascades with replacement) of
//!    the differences learned minus baseline in pooled AUC, Brier score, size log-RMSE and size
//!    Spearman correlation;
//!    95 % percentile intervals.
//!
//! Accounts that never appear in the training graph cannot be predicted by any IC model on
//! it: [`Coverage`] says what share of the real cascades they are.
//!
//! # Cost
//! Per fold: learning (linear in the log), then per held-out cascade and model one simulation
//! of `trials` trials on the sub-graph of its candidates. Deterministic for a given seed at any
//! thread count (cascades are processed in parallel, results gathered in cascade order).

use std::collections::{HashMap, HashSet};

use clout_graph::rng::Rng;
use clout_graph::{BuildConfig, EdgeList, Graph, GraphInfo, NodeId};
use clout_reach::{EdgeProbs, ProbSpec, SimConfig, SimError, simulate};
use rayon::prelude::*;
use serde::Serialize;

use crate::estimate::{LearnConfig, Learned, learn};
use crate::log::{ActionLog, Cascade};
use crate::metrics::{self, Histogram, Scores};
use crate::novelty::{Novelty, NoveltySummary};

/// How to split cascades into training and held-out parts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// Grouped k-fold by cascade (k >= 2), cascades assigned to folds by a seeded shuffle.
    Folds(usize),
    /// The earliest fraction of cascades (by start time) trains, the rest is held out.
    TimeCut(f64),
}

/// Which accounts start each held-out cascade.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Seeds {
    /// The first account (a propagation tree's source).
    Root,
    /// Every account that acted within this many minutes of the start.
    Early(f64),
}

/// Validation settings. Every field has a default.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidateConfig {
    /// The split. Default 5 folds.
    pub split: Split,
    /// The seeds. Default [`Seeds::Root`].
    pub seeds: Seeds,
    /// Candidates lie within this many arcs of the seeds; also the simulated rounds. Default 3.
    pub hops: u32,
    /// Monte Carlo trials per held-out cascade and model. Default 1,000.
    pub trials: usize,
    /// Random seed (fold assignment, simulation, trivalency draw, bootstrap). Default 1.
    pub seed: u64,
    /// How probabilities are learned. Default [`LearnConfig::default`].
    pub learn: LearnConfig,
    /// Bootstrap replicates. Default 1,000.
    pub bootstrap: usize,
    /// Training cascades used to fit the uniform baseline's `p` (evenly spaced). Default 100.
    pub fit_cascades: usize,
    /// Trials per cascade while fitting the uniform `p`. Default 50.
    pub fit_trials: usize,
}

impl Default for ValidateConfig {
    fn default() -> Self {
        ValidateConfig {
            split: Split::Folds(5),
            seeds: Seeds::Root,
            hops: 3,
            trials: 1000,
            seed: 1,
            learn: LearnConfig::default(),
            bootstrap: 1000,
            fit_cascades: 100,
            fit_trials: 50,
        }
    }
}

/// Why validation could not run.
#[derive(Debug, Clone, PartialEq)]
pub enum ValidateError {
    /// A setting out of range (the message says which and why).
    Setting(String),
    /// Too few cascades for the split.
    TooFewCascades {
        /// Cascades in the log.
        cascades: usize,
        /// Needed.
        needed: usize,
    },
    /// The simulation refused a run.
    Simulation(SimError),
}

impl std::fmt::Display for ValidateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValidateError::Setting(why) => f.write_str(why),
            ValidateError::TooFewCascades { cascades, needed } => {
                write!(f, "{cascades} cascades: the split needs at least {needed}")
            }
            ValidateError::Simulation(e) => write!(f, "simulation: {e}"),
        }
    }
}

impl std::error::Error for ValidateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ValidateError::Simulation(e) => Some(e),
            _ => None,
        }
    }
}

impl From<SimError> for ValidateError {
    fn from(e: SimError) -> Self {
        ValidateError::Simulation(e)
    }
}

/// The compared probability models, in report order (the learned one first).
pub const MODELS: [&str; 4] = ["learned", "uniform", "wc", "trivalency"];

/// Size predictions scored over held-out cascades.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SizeScores {
    /// RMSE of `log(1 + size)`.
    pub log_rmse: f64,
    /// Mean `log(1 + predicted) - log(1 + real)`.
    pub bias: f64,
    /// Spearman correlation of predicted and real sizes.
    pub spearman: f64,
}

/// One model's scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelResult {
    /// `learned`, `uniform`, `wc` or `trivalency`.
    pub name: String,
    /// Pooled "who joins" scores over every candidate of every held-out cascade.
    pub pooled: Scores,
    /// Mean per-cascade AUC over cascades with both joiners and non-joiners among candidates.
    pub mean_cascade_auc: f64,
    /// How many cascades that mean is over.
    pub cascades_with_auc: usize,
    /// "How big" scores against the real size.
    pub size: SizeScores,
    /// "How big" scores against the part of the real cascade inside the training graph (the
    /// part an IC model on it can reach at all).
    pub size_in_graph: SizeScores,
    /// "How big" scores over the held-out cascades with a seed in the training graph: the
    /// others get the same size from every model, so models differ only here.
    pub size_seen: SizeScores,
}

/// A difference learned minus baseline with its bootstrap 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// The difference on the actual held-out cascades.
    pub estimate: f64,
    /// 2.5 % bootstrap percentile.
    pub lo: f64,
    /// 97.5 % bootstrap percentile.
    pub hi: f64,
}

/// Learned against one baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// The baseline's name.
    pub baseline: String,
    /// Pooled AUC, learned minus baseline (positive: learned ranks better).
    pub auc: Interval,
    /// Brier score, learned minus baseline (negative: learned is better).
    pub brier: Interval,
    /// Size log-RMSE, learned minus baseline (negative: learned is better).
    pub log_rmse: Interval,
    /// Size Spearman correlation, learned minus baseline (positive: learned ranks sizes
    /// better).
    pub spearman: Interval,
    /// The same over the cascades with a seed in the training graph
    /// ([`ModelResult::size_seen`]).
    pub spearman_seen: Interval,
}

/// What share of the real cascades any model on the training graph could predict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// Non-seed accounts of the held-out cascades.
    pub accounts: u64,
    /// Share of them absent from the training graph (no IC model on it can reach them).
    pub outside_graph: f64,
    /// Share of them outside the candidates (absent, or more than `hops` arcs from the seeds).
    pub outside_candidates: f64,
    /// Held-out cascades none of whose seeds is in the training graph.
    pub cascades_without_seed: usize,
}

/// One fold's learning summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoldInfo {
    /// Training cascades.
    pub train: usize,
    /// Held-out cascades.
    pub test: usize,
    /// Nodes of the training graph.
    pub nodes: usize,
    /// Arcs learned (all with evidence).
    pub arcs: usize,
    /// Prior mean.
    pub prior_mean: f64,
    /// Prior strength chosen.
    pub prior_strength: f64,
    /// The prior's second Beta component, if one was kept.
    pub prior_component: Option<crate::Component>,
    /// The fitted uniform `p`.
    pub uniform_p: f64,
    /// The first-seen-link rates added to every model's size prediction.
    pub novelty: NoveltySummary,
}

/// One held-out cascade's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CascadeResult {
    /// Cascade id.
    pub id: String,
    /// Its label, if any.
    pub label: Option<String>,
    /// Its fold.
    pub fold: usize,
    /// Accounts that acted, seeds included.
    pub real_size: usize,
    /// Of them, seeds and accounts present in the training graph.
    pub real_in_graph: usize,
    /// Seeds.
    pub seeds: usize,
    /// Seeds present in the training graph.
    pub seeds_in_graph: usize,
    /// Candidates scored.
    pub candidates: usize,
    /// Candidates that joined.
    pub joined: usize,
    /// Non-seed accounts absent from the training graph.
    pub outside_graph: usize,
    /// Predicted expected size per model (order of [`MODELS`]): the IC expectation on the
    /// training graph plus the accounts expected through first-seen links ([`Novelty`]).
    pub predicted_size: Vec<f64>,
    /// The IC part alone: expected seeds and accounts of the training graph.
    pub predicted_in_graph: Vec<f64>,
    /// Per-model AUC over this cascade's candidates (NaN without both classes).
    pub auc: Vec<f64>,
}

/// The whole validation result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validation {
    /// Where the log came from.
    pub provenance: String,
    /// Cascades in the log.
    pub cascades: usize,
    /// The split.
    pub split: Split,
    /// The seeds.
    pub seeds: Seeds,
    /// Candidate radius and simulated rounds.
    pub hops: u32,
    /// Trials per cascade and model.
    pub trials: usize,
    /// Random seed.
    pub seed: u64,
    /// The estimator.
    pub estimator: String,
    /// Bootstrap replicates.
    pub bootstrap: usize,
    /// Per fold.
    pub folds: Vec<FoldInfo>,
    /// Per model, in the order of [`MODELS`].
    pub models: Vec<ModelResult>,
    /// Learned against each baseline.
    pub differences: Vec<Difference>,
    /// What part of reality is out of reach.
    pub coverage: Coverage,
    /// Per held-out cascade, in log order.
    pub per_cascade: Vec<CascadeResult>,
}

/// One fold: training and held-out cascade indices.
pub type Fold = (Vec<usize>, Vec<usize>);

/// The training and held-out cascade indices of every fold.
pub fn plan(log: &ActionLog, cfg: &ValidateConfig) -> Result<Vec<Fold>, ValidateError> {
    let n = log.cascades.len();
    match cfg.split {
        Split::Folds(k) => {
            if k < 2 {
                return Err(ValidateError::Setting(format!("{k} folds: at least 2 are needed")));
            }
            if n < k {
                return Err(ValidateError::TooFewCascades { cascades: n, needed: k });
            }
            let mut order: Vec<usize> = (0..n).collect();
            Rng::stream(cfg.seed, 0x5eed_f01d).shuffle(&mut order);
            let mut fold_of = vec![0usize; n];
            for (i, &c) in order.iter().enumerate() {
                fold_of[c] = i % k;
            }
            Ok((0..k)
                .map(|f| {
                    let (test, train): (Vec<usize>, Vec<usize>) =
                        (0..n).partition(|&c| fold_of[c] == f);
                    (train, test)
                })
                .collect())
        }
        Split::TimeCut(fraction) => {
            if !(fraction > 0.0 && fraction < 1.0) {
                return Err(ValidateError::Setting(format!(
                    "time cut {fraction}: the training fraction must lie strictly between 0 and 1"
                )));
            }
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| log.cascades[a].start.total_cmp(&log.cascades[b].start));
            let cut = (n as f64 * fraction).round() as usize;
            if cut == 0 || cut == n {
                return Err(ValidateError::TooFewCascades { cascades: n, needed: 2 });
            }
            let mut train = order[..cut].to_vec();
            let mut test = order[cut..].to_vec();
            train.sort_unstable();
            test.sort_unstable();
            Ok(vec![(train, test)])
        }
    }
}

/// The training graph of a fold: the learned arcs over the accounts they touch.
pub struct TrainingGraph {
    /// The graph, arc weights = learned probabilities.
    pub graph: Graph,
    /// Dense id per account of the log (`u32::MAX`: absent).
    pub local: Vec<u32>,
    /// Account of the log per dense id.
    pub global: Vec<u32>,
    /// What was learned.
    pub learned: Learned,
}

/// Learns on `train` and builds the training graph.
pub fn training_graph(log: &ActionLog, train: &[usize], cfg: &LearnConfig) -> TrainingGraph {
    let learned = learn(log, Some(train), cfg);
    let mut local = vec![u32::MAX; log.users.len()];
    let mut members: Vec<u32> = learned.sources.iter().chain(&learned.targets).copied().collect();
    members.sort_unstable();
    members.dedup();
    for (i, &u) in members.iter().enumerate() {
        local[u as usize] = i as u32;
    }
    let edges = EdgeList {
        node_count: members.len() as u32,
        src: learned.sources.iter().map(|&u| local[u as usize]).collect(),
        dst: learned.targets.iter().map(|&v| local[v as usize]).collect(),
        weights: Some(learned.probability.clone()),
        signs: None,
    };
    let info =
        GraphInfo { provenance: "learned from training cascades".into(), ..Default::default() };
    let graph = clout_graph::build(edges, &BuildConfig::default(), info)
        .expect("learned arcs are in range with finite weights");
    TrainingGraph { graph, local, global: members, learned }
}

/// Accounts within `hops` arcs of `seeds` (dense ids), seeds first, in BFS order.
fn ball(g: &Graph, seeds: &[NodeId], hops: u32) -> Vec<NodeId> {
    let mut seen: HashSet<NodeId> = seeds.iter().copied().collect();
    let mut order: Vec<NodeId> = seeds.to_vec();
    let mut frontier = seeds.to_vec();
    for _ in 0..hops {
        let mut next = Vec::new();
        for &u in &frontier {
            for &v in g.out_neighbors(u) {
                if seen.insert(v) {
                    next.push(v);
                    order.push(v);
                }
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    order
}

/// The sub-graph spanned by `nodes` with one probability per arc taken from `probs` (aligned
/// with `g`'s out-adjacency), as arc weights.
fn subgraph(g: &Graph, nodes: &[NodeId], probs: &[f64]) -> Graph {
    let index: HashMap<NodeId, u32> =
        nodes.iter().enumerate().map(|(i, &u)| (u, i as u32)).collect();
    let (mut src, mut dst, mut w) = (Vec::new(), Vec::new(), Vec::new());
    for (i, &u) in nodes.iter().enumerate() {
        let (start, _) = g.out_adjacency().bounds(u);
        for (j, &v) in g.out_neighbors(u).iter().enumerate() {
            if let Some(&k) = index.get(&v) {
                src.push(i as u32);
                dst.push(k);
                w.push(probs[start + j]);
            }
        }
    }
    let edges =
        EdgeList { node_count: nodes.len() as u32, src, dst, weights: Some(w), signs: None };
    clout_graph::build(edges, &BuildConfig::default(), GraphInfo::default())
        .expect("sub-graph arcs are in range")
}

fn seeds_of(c: &Cascade, seeds: Seeds) -> Vec<u32> {
    match seeds {
        Seeds::Root => c.root().into_iter().collect(),
        Seeds::Early(t) => {
            let mut s = c.early(t);
            if s.is_empty() {
                s.extend(c.root());
            }
            s
        }
    }
}

fn sim_config(cfg: &ValidateConfig, trials: usize, per_account: bool) -> SimConfig {
    SimConfig {
        trials,
        seed: cfg.seed,
        max_steps: Some(cfg.hops),
        awareness: false,
        per_account,
        ..SimConfig::default()
    }
}

/// One training cascade the uniform `p` is fitted on.
struct FitCase {
    /// The training graph within `hops` arcs of its seeds.
    sub: Graph,
    /// The training graph's ids of `sub`'s nodes, seeds first.
    nodes: Vec<NodeId>,
    /// Its seeds in `sub` (the first nodes).
    seeds: Vec<NodeId>,
    /// Seeds outside the training graph.
    outside: usize,
    /// All its seeds (accounts of the log), sorted.
    seed_ids: Vec<u32>,
    /// `log(1 + real size)`.
    log_size: f64,
}

/// Fits the uniform baseline: `p` whose mean `log(1 + expected size)` over (a sample of) the
/// training cascades equals theirs (the size predicted as for every model: IC on the
/// training graph plus first-seen links).
fn fit_uniform(
    log: &ActionLog,
    train: &[usize],
    tg: &TrainingGraph,
    novelty: &Novelty,
    cfg: &ValidateConfig,
) -> Result<f64, ValidateError> {
    let step = (train.len() as f64 / cfg.fit_cascades.max(1) as f64).max(1.0);
    let sample: Vec<usize> =
        (0..train.len().min(cfg.fit_cascades)).map(|i| train[(i as f64 * step) as usize]).collect();
    let zeros = vec![0.0; tg.graph.arc_count()];
    let cases: Vec<FitCase> = sample
        .par_iter()
        .map(|&ci| {
            let c = &log.cascades[ci];
            let seeds = seeds_of(c, cfg.seeds);
            let inside: Vec<NodeId> =
                seeds.iter().map(|&u| tg.local[u as usize]).filter(|&l| l != u32::MAX).collect();
            let nodes = ball(&tg.graph, &inside, cfg.hops);
            let sub = subgraph(&tg.graph, &nodes, &zeros);
            FitCase {
                sub,
                nodes,
                seeds: (0..inside.len() as u32).collect(),
                outside: seeds.len() - inside.len(),
                seed_ids: {
                    let mut s = seeds.clone();
                    s.sort_unstable();
                    s
                },
                log_size: (c.actions.len() as f64).ln_1p(),
            }
        })
        .collect();
    let target = cases.iter().map(|c| c.log_size).sum::<f64>() / cases.len().max(1) as f64;
    let sim_cfg = sim_config(cfg, cfg.fit_trials.max(2), true);
    let mean_log_size = |p: f64| -> Result<f64, ValidateError> {
        let sizes: Vec<f64> = cases
            .par_iter()
            .map(|FitCase { sub, nodes, seeds, outside, seed_ids, .. }| {
                let novel = |active: &[f64]| {
                    let active =
                        nodes.iter().zip(active).map(|(&l, &p)| (tg.global[l as usize], p));
                    novelty.expected(active, seed_ids)
                };
                if seeds.is_empty() {
                    return Ok((*outside as f64 + novel(&[])).ln_1p());
                }
                let probs = EdgeProbs::new(sub, ProbSpec::Uniform(p)).expect("uniform");
                let sim = simulate(sub, &probs, seeds, &sim_cfg)?;
                let size = sim.results[0].total.mean + *outside as f64;
                Ok((size + novel(&sim.per_account[0].reached)).ln_1p())
            })
            .collect::<Result<_, SimError>>()?;
        Ok(sizes.iter().sum::<f64>() / sizes.len().max(1) as f64)
    };
    // Bisection on log10 p in [-4, 0] (to a factor of 1.06).
    let (mut lo, mut hi) = (-4.0f64, 0.0f64);
    for _ in 0..12 {
        let mid = 0.5 * (lo + hi);
        if mean_log_size(10f64.powf(mid))? < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(10f64.powf(0.5 * (lo + hi)))
}

/// A held-out cascade's evaluation: its result and one histogram per model.
struct Evaluated {
    result: CascadeResult,
    hists: Vec<Histogram>,
}

/// The simulation of one seed set (shared by every held-out cascade of a fold with the same
/// seeds in the training graph: a root that posted several cascades is simulated once).
struct Simulated {
    /// The ball around the seeds, seeds first (in key order).
    nodes: Vec<NodeId>,
    /// Per model, each ball node's activation probability.
    reached: Vec<Vec<f64>>,
}

fn simulate_seeds(
    seeds: &[NodeId],
    tg: &TrainingGraph,
    model_probs: &[Vec<f64>],
    uniform_p: f64,
    cfg: &ValidateConfig,
) -> Result<Simulated, ValidateError> {
    let nodes = ball(&tg.graph, seeds, cfg.hops);
    let mut reached = Vec::with_capacity(model_probs.len());
    for (m, probs) in model_probs.iter().enumerate() {
        if seeds.is_empty() {
            reached.push(Vec::new());
            continue;
        }
        let sub = subgraph(&tg.graph, &nodes, probs);
        let spec =
            if MODELS[m] == "uniform" { ProbSpec::Uniform(uniform_p) } else { ProbSpec::Weight };
        let ep = EdgeProbs::new(&sub, spec).expect("probabilities in [0, 1]");
        let local_seeds: Vec<NodeId> = (0..seeds.len() as u32).collect();
        let mut sim = simulate(&sub, &ep, &local_seeds, &sim_config(cfg, cfg.trials, true))?;
        reached.push(std::mem::take(&mut sim.per_account[0].reached));
    }
    Ok(Simulated { nodes, reached })
}

/// The seeds of `c` present in the training graph (sorted dense ids) and the seed count.
fn seeds_inside(c: &Cascade, tg: &TrainingGraph, seeds: Seeds) -> (Vec<NodeId>, usize) {
    let seeds = seeds_of(c, seeds);
    let mut inside: Vec<NodeId> =
        seeds.iter().map(|&u| tg.local[u as usize]).filter(|&l| l != u32::MAX).collect();
    inside.sort_unstable();
    inside.dedup();
    (inside, seeds.len())
}

fn evaluate_cascade(
    c: &Cascade,
    fold: usize,
    tg: &TrainingGraph,
    sim: &Simulated,
    novelty: &Novelty,
    cfg: &ValidateConfig,
) -> Evaluated {
    let seeds = seeds_of(c, cfg.seeds);
    let seed_set: HashSet<u32> = seeds.iter().copied().collect();
    let mut sorted_seeds: Vec<u32> = seed_set.iter().copied().collect();
    sorted_seeds.sort_unstable();
    let (inside, _) = seeds_inside(c, tg, cfg.seeds);
    let actors: HashSet<u32> = c.actions.iter().map(|a| a.user).collect();
    let outside_graph = c
        .actions
        .iter()
        .filter(|a| !seed_set.contains(&a.user) && tg.local[a.user as usize] == u32::MAX)
        .count();
    let joined_flags: Vec<bool> = sim.nodes[inside.len()..]
        .iter()
        .map(|&l| actors.contains(&tg.global[l as usize]))
        .collect();
    let trials = cfg.trials as u32;
    let outside_seeds = (seed_set.len() - inside.len()) as f64;
    let mut hists = Vec::with_capacity(MODELS.len());
    let mut predicted_size = Vec::with_capacity(MODELS.len());
    let mut predicted_in_graph = Vec::with_capacity(MODELS.len());
    let mut aucs = Vec::with_capacity(MODELS.len());
    for reached in &sim.reached {
        let mut counts: std::collections::BTreeMap<u32, (u32, u32)> = Default::default();
        let mut size = outside_seeds;
        if !inside.is_empty() {
            size += reached.iter().sum::<f64>();
            for (k, &y) in joined_flags.iter().enumerate() {
                let bin = (reached[inside.len() + k] * trials as f64).round() as u32;
                let e = counts.entry(bin.min(trials)).or_default();
                if y { e.0 += 1 } else { e.1 += 1 }
            }
        }
        let hist =
            Histogram { trials, bins: counts.into_iter().map(|(i, (a, b))| (i, a, b)).collect() };
        aucs.push(metrics::auc_brier(&metrics::dense(trials, &mut std::iter::once(&hist))).0);
        hists.push(hist);
        let active = sim.nodes.iter().zip(reached).map(|(&l, &p)| (tg.global[l as usize], p));
        predicted_size.push(size + novelty.expected(active, &sorted_seeds));
        predicted_in_graph.push(size);
    }
    let joined = joined_flags.iter().filter(|&&y| y).count();
    Evaluated {
        result: CascadeResult {
            id: c.id.clone(),
            label: c.label.clone(),
            fold,
            real_size: c.actions.len(),
            real_in_graph: c.actions.len() - outside_graph,
            seeds: seed_set.len(),
            seeds_in_graph: inside.len(),
            candidates: joined_flags.len(),
            joined,
            outside_graph,
            predicted_size,
            predicted_in_graph,
            auc: aucs,
        },
        hists,
    }
}

/// Runs the whole protocol (see the module docs).
pub fn validate(log: &ActionLog, cfg: &ValidateConfig) -> Result<Validation, ValidateError> {
    validate_with_progress(log, cfg, &|_, _| {})
}

/// [`validate`], calling `progress(done, total)` after each simulated seed set (from worker
/// threads; `total` counts held-out cascades, an upper bound, since cascades of one fold with
/// the same seeds share a simulation).
pub fn validate_with_progress(
    log: &ActionLog,
    cfg: &ValidateConfig,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Validation, ValidateError> {
    if cfg.trials < 2 || cfg.trials > u32::MAX as usize {
        return Err(ValidateError::Setting(format!(
            "{} trials: between 2 and {} are allowed",
            cfg.trials,
            u32::MAX
        )));
    }
    if cfg.hops == 0 {
        return Err(ValidateError::Setting("0 hops: candidates need at least 1".into()));
    }
    if let Seeds::Early(t) = cfg.seeds
        && !(t >= 0.0 && t.is_finite())
    {
        return Err(ValidateError::Setting(format!("{t} minutes is not a seed window")));
    }
    let folds = plan(log, cfg)?;
    // Progress counts simulations (distinct seed sets per fold), at most the held-out cascades.
    let total: usize = folds.iter().map(|f| f.1.len()).sum();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let mut evaluated: Vec<(usize, Evaluated)> = Vec::with_capacity(total);
    let mut infos = Vec::with_capacity(folds.len());
    for (f, (train, test)) in folds.iter().enumerate() {
        let tg = training_graph(log, train, &cfg.learn);
        let g = &tg.graph;
        let learned: Vec<f64> =
            g.out_adjacency().weights.as_ref().map(|w| w.to_vec()).unwrap_or_default();
        let wc = EdgeProbs::new(g, ProbSpec::WeightedCascade).expect("wc").out_probs().to_vec();
        let tri = EdgeProbs::new(g, ProbSpec::Trivalency { seed: cfg.seed })
            .expect("trivalency")
            .out_probs()
            .to_vec();
        let novelty =
            Novelty::learn(log, train, |c| seeds_of(c, cfg.seeds), cfg.seeds == Seeds::Root);
        let uniform_p = fit_uniform(log, train, &tg, &novelty, cfg)?;
        let uniform = vec![uniform_p; g.arc_count()];
        let model_probs = [learned, uniform, wc, tri];
        infos.push(FoldInfo {
            train: train.len(),
            test: test.len(),
            nodes: g.node_count(),
            arcs: g.arc_count(),
            prior_mean: tg.learned.prior_mean,
            prior_strength: tg.learned.prior_strength,
            prior_component: tg.learned.component,
            uniform_p,
            novelty: novelty.summary(),
        });
        // One simulation per distinct seed set, in first-seen order.
        let mut group_of: HashMap<Vec<NodeId>, usize> = HashMap::new();
        let mut keys: Vec<Vec<NodeId>> = Vec::new();
        let groups: Vec<usize> = test
            .iter()
            .map(|&ci| {
                let (inside, _) = seeds_inside(&log.cascades[ci], &tg, cfg.seeds);
                *group_of.entry(inside.clone()).or_insert_with(|| {
                    keys.push(inside);
                    keys.len() - 1
                })
            })
            .collect();
        let sims: Vec<Simulated> = keys
            .par_iter()
            .map(|k| {
                let s = simulate_seeds(k, &tg, &model_probs, uniform_p, cfg)?;
                let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress(d, total);
                Ok(s)
            })
            .collect::<Result<_, ValidateError>>()?;
        let results: Vec<(usize, Evaluated)> = test
            .par_iter()
            .zip(&groups)
            .map(|(&ci, &g)| {
                (ci, evaluate_cascade(&log.cascades[ci], f, &tg, &sims[g], &novelty, cfg))
            })
            .collect();
        evaluated.extend(results);
    }
    evaluated.sort_by_key(|e| e.0);
    let evaluated: Vec<Evaluated> = evaluated.into_iter().map(|e| e.1).collect();
    Ok(summarize(log, cfg, infos, evaluated))
}

fn size_scores(evaluated: &[&Evaluated], m: usize, in_graph: bool) -> SizeScores {
    let pred: Vec<f64> = evaluated
        .iter()
        .map(|e| if in_graph { &e.result.predicted_in_graph } else { &e.result.predicted_size }[m])
        .collect();
    let real: Vec<f64> = evaluated
        .iter()
        .map(|e| if in_graph { e.result.real_in_graph } else { e.result.real_size } as f64)
        .collect();
    SizeScores {
        log_rmse: metrics::log_rmse(&pred, &real),
        bias: metrics::log_bias(&pred, &real),
        spearman: metrics::spearman(&pred, &real),
    }
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i]
}

fn summarize(
    log: &ActionLog,
    cfg: &ValidateConfig,
    folds: Vec<FoldInfo>,
    evaluated: Vec<Evaluated>,
) -> Validation {
    let trials = cfg.trials as u32;
    let all: Vec<&Evaluated> = evaluated.iter().collect();
    let seen: Vec<&Evaluated> = evaluated.iter().filter(|e| e.result.seeds_in_graph > 0).collect();
    let pooled =
        |m: usize, set: &[&Evaluated]| metrics::dense(trials, &mut set.iter().map(|e| &e.hists[m]));
    let models: Vec<ModelResult> = (0..MODELS.len())
        .map(|m| {
            let per: Vec<f64> =
                evaluated.iter().map(|e| e.result.auc[m]).filter(|a| !a.is_nan()).collect();
            ModelResult {
                name: MODELS[m].to_string(),
                pooled: metrics::scores(&pooled(m, &all)),
                mean_cascade_auc: per.iter().sum::<f64>() / per.len().max(1) as f64,
                cascades_with_auc: per.len(),
                size: size_scores(&all, m, false),
                size_in_graph: size_scores(&all, m, true),
                size_seen: size_scores(&seen, m, false),
            }
        })
        .collect();
    // Bootstrap by cascade: replicate b draws cascades with Rng::stream(seed, b).
    let n = evaluated.len();
    let replicates: Vec<Vec<[f64; 5]>> = (0..cfg.bootstrap)
        .into_par_iter()
        .map(|b| {
            let mut rng = Rng::stream(cfg.seed ^ 0xb007_57a9, b as u64);
            let draw: Vec<&Evaluated> =
                (0..n).map(|_| &evaluated[rng.below(n as u64) as usize]).collect();
            (0..MODELS.len())
                .map(|m| {
                    let (auc, brier) = metrics::auc_brier(&pooled(m, &draw));
                    let pred: Vec<f64> = draw.iter().map(|e| e.result.predicted_size[m]).collect();
                    let real: Vec<f64> = draw.iter().map(|e| e.result.real_size as f64).collect();
                    let (pred_seen, real_seen): (Vec<f64>, Vec<f64>) = draw
                        .iter()
                        .filter(|e| e.result.seeds_in_graph > 0)
                        .map(|e| (e.result.predicted_size[m], e.result.real_size as f64))
                        .unzip();
                    [
                        auc,
                        brier,
                        metrics::log_rmse(&pred, &real),
                        metrics::spearman(&pred, &real),
                        metrics::spearman(&pred_seen, &real_seen),
                    ]
                })
                .collect()
        })
        .collect();
    let differences = (1..MODELS.len())
        .map(|m| {
            let interval = |k: usize, estimate: f64| {
                let mut d: Vec<f64> =
                    replicates.iter().map(|r| r[0][k] - r[m][k]).filter(|x| !x.is_nan()).collect();
                d.sort_by(f64::total_cmp);
                Interval { estimate, lo: percentile(&d, 0.025), hi: percentile(&d, 0.975) }
            };
            Difference {
                baseline: MODELS[m].to_string(),
                auc: interval(0, models[0].pooled.auc - models[m].pooled.auc),
                brier: interval(1, models[0].pooled.brier - models[m].pooled.brier),
                log_rmse: interval(2, models[0].size.log_rmse - models[m].size.log_rmse),
                spearman: interval(3, models[0].size.spearman - models[m].size.spearman),
                spearman_seen: interval(
                    4,
                    models[0].size_seen.spearman - models[m].size_seen.spearman,
                ),
            }
        })
        .collect();
    let accounts: u64 = evaluated
        .iter()
        .map(|e| (e.result.real_size - e.result.seeds.min(e.result.real_size)) as u64)
        .sum();
    let outside: u64 = evaluated.iter().map(|e| e.result.outside_graph as u64).sum();
    let joined: u64 = evaluated.iter().map(|e| e.result.joined as u64).sum();
    let share = |x: u64| if accounts > 0 { x as f64 / accounts as f64 } else { f64::NAN };
    let coverage = Coverage {
        accounts,
        outside_graph: share(outside),
        outside_candidates: share(accounts.saturating_sub(joined)),
        cascades_without_seed: evaluated.iter().filter(|e| e.result.seeds_in_graph == 0).count(),
    };
    Validation {
        provenance: log.provenance.clone(),
        cascades: log.cascades.len(),
        split: cfg.split,
        seeds: cfg.seeds,
        hops: cfg.hops,
        trials: cfg.trials,
        seed: cfg.seed,
        estimator: cfg.learn.estimator.name().to_string(),
        bootstrap: cfg.bootstrap,
        folds,
        models,
        differences,
        coverage,
        per_cascade: evaluated.into_iter().map(|e| e.result).collect(),
    }
}
