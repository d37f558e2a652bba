//! Reach simulation: a reproducible, parallel Monte Carlo engine for IC, LT, IC-N (backfire)
//! and signed spread, with campaign metrics.
//!
//! # Direction
//! Every arc `u -> v` points the way influence flows: on a follower file read with
//! `--edges follows`, the line `A B` ("A follows B") is the arc `B -> A`, so a cascade started
//! at `B` reaches the accounts that follow `B`. `p(u, v)` comes from [`EdgeProbs`].
//!
//! # Models
//! All four run in rounds. Round 0 activates the seeds; round `t` activates nodes because of
//! nodes activated in round `t - 1`; the cascade stops when a round activates nobody (or after
//! round [`SimConfig::max_steps`]). A node activates at most once and never deactivates.
//!
//! - **IC**, Independent Cascade (Kempe, Kleinberg, Tardos, KDD 2003): a node activated in
//!   round `t - 1` gets one attempt on each inactive out-neighbour `v` in round `t`,
//!   succeeding with probability `p(u, v)` independently of everything else. Every active
//!   node is positive.
//! - **LT**, Linear Threshold (Kempe et al. 2003): in-weights `b(u, v) = p(u, v) / max(1, W_v)`
//!   where `W_v` is the sum of `p(x, v)` over `v`'s in-arcs. So in-weights are kept as they are
//!   when they sum to at most 1, and divided by their sum (which then becomes exactly 1) when
//!   they sum above 1. Each node draws a threshold `theta_v` uniform in `(0, 1]`, fresh in every
//!   trial; `v` activates in round `t` once the in-weight from nodes active by round `t - 1`
//!   reaches `theta_v`. Every active node is positive.
//! - **IC-N**, backfire (Chen et al., "Influence Maximization in Social Networks When Negative
//!   Opinions May Emerge and Propagate", SDM 2011), with quality `q`: (1) each seed turns
//!   positive with probability `q`, else negative; (2) a node activated in round `t - 1`, of
//!   either opinion, gets one attempt on each inactive out-neighbour in round `t`, succeeding
//!   with `p(u, v)`; (3) a node activated by a positive node turns positive with probability
//!   `q`, else negative; a node activated by a negative node turns negative; (4) attempts on
//!   one node in the same round are made in uniformly random order and the first success
//!   decides; (5) the cascade stops when a round activates nobody. With per-node quality
//!   ([`SimConfig::node_quality`]) the `q` of rules 1 and 3 is that of the node being
//!   activated. Total reach equals IC's, and `P(v positive) = E[q^(1 + d_v)]` with `d_v` the
//!   distance of `v` from the seeds in the random live-edge graph.
//! - **Signed spread**, polarity-related IC on trust/distrust graphs (the graph must carry
//!   signs): seeds are positive; activation is as in IC; the node takes the opinion of the
//!   attempter that activates it over a trust arc (sign +1) and the opposite opinion over a
//!   distrust arc (sign -1). Tie rule: as IC-N's rule 4, simultaneous attempts on one node are
//!   made in uniformly random order and the first success decides its opinion. This model is
//!   **not monotone**: adding a seed can lower positive reach, because the new seed can reach a
//!   node first over a distrust arc and turn it, and everything it reaches, negative. Quality
//!   does not apply (it must be 1).
//!
//! # Metrics (per quality value)
//! - `total`: active accounts, seeds included. `positive` + `negative` = `total` in every trial.
//! - `positive`, `negative`: accounts of each opinion, seeds included (IC and LT: all positive).
//! - `net`: `positive - negative` per trial. Its mean is the difference of the two means; its
//!   interval is the one to read for "does the campaign do more good than harm", because the
//!   two counts come from the same cascade and are correlated (adding their intervals would be
//!   too wide or too narrow).
//! - `awareness`: accounts that heard of the product: the active ones (seeds included) and
//!   every out-neighbour of an account that got to make its attempts, whether or not the
//!   attempt succeeded (arcs with `p = 0` count: the post was seen and ignored). LT: the same
//!   with "attempt" read as "added its weight". Counting it reads every out-arc of every
//!   active account, which the cascade itself does not need with a uniform probability
//!   (geometric jumps touch only live arcs): [`SimConfig::awareness`] `= false` skips it.
//! - `backfire_risk`: the probability that negative reach exceeds positive reach in a trial
//!   (a proportion; Wilson score interval).
//! - `conversions` (with [`SimConfig::conversion_rate`] `r`): each positive account, seeds
//!   included, converts independently with probability `r`; reported as `r x positive`, the
//!   expected conversions given the trial (its quantiles are `r` times positive's).
//! - `steps`: per round, the mean number of new positive and new negative activations with a
//!   95 % confidence band of that mean; step 0 is the seeds.
//!
//! With [`SimConfig::per_account`], [`Simulation::per_account`] also gives every account's
//! probability of being reached, of ending positive and negative (the same conditional
//! expectations, so they add up to the means above), and its mean activation round, counted
//! by the same kernel over the same trials.
//!
//! Each [`Estimate`] has the mean, its standard error, a 95 % confidence interval (normal
//! approximation) and the 5/50/95 % quantiles of the per-trial values.
//!
//! # Variance reduction and many qualities at once (IC-N)
//! Positive and negative means and the per-step curves use the conditional expectation given
//! each trial's live-edge graph (Rao-Blackwellization), which averages out the sign coins and
//! tie orders: with a global quality `q`, a node activated in round `d` contributes
//! `q^(1 + d)` to positive reach; with per-node quality (and in signed spread)
//! `P(v positive) = q_v * mean of P(u positive)` over `v`'s successful attempters `u` (each is
//! the first success with the same probability). So one set of trials answers every value of
//! [`SimConfig::qualities`]. Backfire risk and the quantiles need actual opinions: they are
//! drawn along the activation tree, with one uniform `U_v` per node shared by every quality
//! (so, trial by trial, positive reach is monotone in `q`).
//!
//! # Randomness and determinism
//! Trial `t` has a key derived from `(seed, t)`; every random number of the trial is a pure
//! function of the key and of the node or arc it belongs to (see [`random`]): node `u`'s
//! out-arc coins come from its own stream, so a trial's live-edge graph does not depend on the
//! seed set or the visit order. Two seed sets simulated with the same seed therefore see the
//! same live-edge graphs (a paired comparison: [`Simulation::trial_totals`]), IC reach is
//! monotone in the seed set trial by trial, and IC, IC-N and signed spread share live-edge
//! graphs. With a uniform probability, failed attempts are skipped by geometric jumps (an exact
//! method, see [`random`]). Trials run in parallel in blocks of consecutive trials (up to 128,
//! sized by the trial count alone) and are reduced in trial order, so a seed gives identical
//! results at any thread count.
//!
//! # Cost
//! Time O(trials x (activated nodes + their out-arcs)); memory O(n) scratch per worker thread
//! (reused by every trial) plus O(trials x qualities) for the quantiles, plus O(n x
//! qualities) per worker thread for per-account outcomes when asked for:
//! [`SimConfig::memory_estimate`] gives the bytes before a run, and a run whose per-trial
//! results cannot be allocated fails with [`SimError::OutOfMemory`] instead of aborting.

mod accumulate;
mod kernel;
mod memory;
mod partitioned;
mod per_account;
mod plan;
mod prefixes;
pub mod random;
mod stats;
mod worlds;

use std::fmt;
use std::sync::Mutex;

use clout_graph::{Graph, NodeId};
use rayon::prelude::*;
use serde::Serialize;

pub use partitioned::{TrialPart, merge_trial_parts, trial_part};
pub use per_account::AccountOutcomes;
pub use prefixes::{PrefixOutcome, PrefixRun, simulate_prefixes, simulate_prefixes_with_progress};
pub use stats::{Band, Estimate};
pub use worlds::IcWorlds;

use crate::model::{Model, Quality};
use crate::prob::EdgeProbs;
use accumulate::Block;
use kernel::{LiveCache, Scratch, run_trial_from};
use plan::Plan;

/// Most trials per parallel work unit (and the granularity of the reduction); a run of `T`
/// trials uses blocks of `clamp(T / 64, 1, 128)`, so short runs on large graphs still spread
/// over the threads. The block size depends on the trial count only, never on the threads.
const BLOCK: usize = 128;
/// First batch when running to a precision target.
const FIRST_BATCH: usize = 1024;

/// How to run a simulation. Every field has a default (see [`SimConfig::default`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// The diffusion model. Default [`Model::Ic`].
    pub model: Model,
    /// Product qualities; one [`QualityOutcome`] per value, in this order, all from the same
    /// trials. IC-N only; the other models need `[1.0]`. Default `[1.0]`.
    pub qualities: Vec<f64>,
    /// Per-node quality overrides for IC-N (then `qualities` must have one entry, the global
    /// quality it reports). Default `None`.
    pub node_quality: Option<Quality>,
    /// Number of trials, or the cap when `precision` is set. At least 2. Default 10,000.
    pub trials: usize,
    /// Run trials in batches until the 95 % confidence interval of the mean total reach has a
    /// half-width of at most this fraction of the mean (e.g. `0.01`), or `trials` is reached.
    /// Default `None`: exactly `trials` trials.
    pub precision: Option<f64>,
    /// Seed of every random stream. Default 1.
    pub seed: u64,
    /// Probability that a positive account converts (adds `conversions`). Default `None`.
    pub conversion_rate: Option<f64>,
    /// Last round that activates anybody (round 0 = the seeds). Default `None`: until a round
    /// activates nobody.
    pub max_steps: Option<u32>,
    /// Count awareness. Default `true`. `false` reports it as NaN (null in JSON) and, with a
    /// uniform probability, makes IC, IC-N and signed trials cost O(activations + live arcs)
    /// instead of O(out-arcs of the active accounts): several times faster on large graphs.
    pub awareness: bool,
    /// Also count each account's outcomes ([`Simulation::per_account`]): the probability that
    /// it is reached, ends positive, ends negative, and its mean activation round. Counted by
    /// the same kernel from the same trials, so it changes no other number of the run. Costs
    /// `8 x (2 + qualities)` bytes per node per worker thread (counted by
    /// [`SimConfig::memory_estimate`]) and O(1 + qualities) time per activation, and allows at
    /// most `u32::MAX` trials. Default `false`.
    pub per_account: bool,
    /// A target audience: each account's weight (dense ids, one per node, finite and `>= 0`;
    /// an account outside the audience weighs 0). Adds [`QualityOutcome::target`], every
    /// count of the run taken as the sum of the weights of the accounts counted, from the same
    /// trials; with [`SimConfig::precision`], the precision is judged on target reach.
    /// Default `None`.
    pub target: Option<Vec<f64>>,
    /// Per-account purchase probability and value: adds [`QualityOutcome::sales`] and
    /// [`QualityOutcome::revenue`]. Default `None`.
    pub conversion: Option<Conversion>,
}

/// Who buys and for how much: per-account purchase probabilities and sale values.
///
/// An account that ends positive buys with its probability, independently of everything else,
/// so expected sales given a trial are the sum of `probability` over its positive accounts
/// (under IC-N and signed spread, each account weighted by its probability of being positive
/// given the trial's live-edge graph), and expected revenue the sum of `probability x value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion {
    /// Probability that each account buys once positive (dense ids, one per node, in
    /// `[0, 1]`).
    pub probability: Vec<f64>,
    /// What a sale from each account is worth (one per node, finite and `>= 0`). `None`: no
    /// revenue is reported.
    pub value: Option<Vec<f64>>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            model: Model::Ic,
            qualities: vec![1.0],
            node_quality: None,
            trials: 10_000,
            precision: None,
            seed: 1,
            conversion_rate: None,
            max_steps: None,
            awareness: true,
            per_account: false,
            target: None,
            conversion: None,
        }
    }
}

/// Mean new activations of one opinion in one round, with a 95 % band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepStat {
    /// Round number; 0 is the seeds.
    pub step: u32,
    /// New positive activations in this round.
    pub new_positive: Band,
    /// New negative activations in this round.
    pub new_negative: Band,
}

/// The metrics for one product quality. See the module docs for definitions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityOutcome {
    /// The quality (the global one with per-node overrides; 1 for IC, LT and signed).
    pub quality: f64,
    /// Positive accounts, seeds included.
    pub positive: Estimate,
    /// Negative accounts, seeds included.
    pub negative: Estimate,
    /// Positive minus negative accounts, per trial: its mean is `positive.mean -
    /// negative.mean`, and its interval accounts for the two being correlated (in IC-N they
    /// share every trial's cascade), which intervals of the two separately cannot.
    pub net: Estimate,
    /// Active accounts (positive + negative), seeds included.
    pub total: Estimate,
    /// Accounts that heard of the product (active, or out-neighbour of one that attempted).
    /// NaN in every field when [`SimConfig::awareness`] is false.
    pub awareness: Estimate,
    /// P(negative > positive) in a trial, with its Wilson 95 % interval.
    pub backfire_risk: Estimate,
    /// Expected conversions, `conversion_rate x positive`, when a rate was given.
    pub conversions: Option<Estimate>,
    /// Per-round new positive and negative activations; index = round.
    pub steps: Vec<StepStat>,
    /// With [`SimConfig::target`]: the same metrics counted in target weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetOutcome>,
    /// With [`SimConfig::conversion`]: expected sales, the sum of the purchase probabilities
    /// of the positive accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sales: Option<Estimate>,
    /// With [`SimConfig::conversion`] values: expected revenue, the sum of `probability x
    /// value` over the positive accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revenue: Option<Estimate>,
}

/// A quality's metrics counted in target weight: each account counted contributes its weight
/// instead of 1 (so with every weight 1 these equal the unweighted metrics, trial for trial).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetOutcome {
    /// Target weight of the positive accounts, seeds included.
    pub positive: Estimate,
    /// Target weight of the negative accounts (a disappointed target customer).
    pub negative: Estimate,
    /// Positive minus negative target weight, per trial.
    pub net: Estimate,
    /// Target weight of the active accounts, seeds included: the target reach.
    pub total: Estimate,
    /// Target weight of the accounts that heard of the product (NaN when awareness is not
    /// counted).
    pub awareness: Estimate,
    /// P(negative target weight > positive target weight) in a trial, Wilson 95 % interval.
    pub backfire_risk: Estimate,
    /// Per-round new positive and negative target weight; index = round.
    pub steps: Vec<StepStat>,
    /// Per round, the target weight that newly heard of the product by that round's attempts
    /// (round 0: the seeds; the attempts of round `t` are made by the accounts activated in
    /// round `t - 1`), so the running sum is the weight aware by each round and the whole sum
    /// is `awareness`. It may have one round more than `steps` (attempts that activated
    /// nobody). Empty when awareness is not counted.
    pub awareness_steps: Vec<Band>,
}

/// How close a precision-targeted run got.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrecisionReport {
    /// The requested relative half-width.
    pub target: f64,
    /// Whether it was reached before the trial cap.
    pub reached: bool,
}

/// The result of [`simulate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simulation {
    /// Trials run.
    pub trials: usize,
    /// The model.
    #[serde(serialize_with = "model_name")]
    pub model: Model,
    /// The probability spec (`uniform:0.01`, `wc`, ...).
    pub probabilities: String,
    /// Distinct seeds.
    pub seed_count: usize,
    /// The random seed.
    pub seed: u64,
    /// The round cap, if any.
    pub max_steps: Option<u32>,
    /// Relative half-width of the 95 % confidence interval of the mean total reach.
    pub relative_ci95_half_width: f64,
    /// Present when [`SimConfig::precision`] was set.
    pub precision: Option<PrecisionReport>,
    /// With [`SimConfig::target`]: the audience's total weight, the most target reach can be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_weight: Option<f64>,
    /// One outcome per quality, in the order of [`SimConfig::qualities`].
    pub results: Vec<QualityOutcome>,
    /// Arc attempts over all trials: the out-degrees of every node that got to make its
    /// attempts (LT: to add its weight), counted whether the attempt was drawn by a coin or
    /// skipped by a geometric jump. The denominator of "edges examined per second".
    pub arcs_examined: u64,
    /// Total reach of every trial, in trial order (for paired comparisons of seed sets
    /// simulated with the same seed). Not serialized.
    #[serde(skip)]
    pub trial_totals: Vec<u32>,
    /// With [`SimConfig::target`]: target reach of every trial, in trial order. Not
    /// serialized.
    #[serde(skip)]
    pub trial_targets: Vec<f64>,
    /// With [`SimConfig::per_account`]: every account's outcomes, one entry per quality in the
    /// order of [`SimConfig::qualities`] (as [`Simulation::results`]); empty otherwise. Not
    /// serialized (it has one value per node). Never-reached accounts have a NaN
    /// `mean_round`, so a `Simulation` holding them is not `==` to itself.
    #[serde(skip)]
    pub per_account: Vec<AccountOutcomes>,
}

fn model_name<S: serde::Serializer>(model: &Model, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(model.name())
}

/// Why a simulation could not run.
#[derive(Debug, Clone, PartialEq)]
pub enum SimError {
    /// The seed list is empty.
    NoSeeds,
    /// A seed is not a node of the graph.
    SeedOutOfRange {
        /// The dense id.
        seed: NodeId,
        /// The graph's node count.
        node_count: usize,
    },
    /// The probabilities were derived from a graph with a different arc count.
    ProbsMismatch,
    /// The signed model on a graph without signs.
    UnsignedGraph,
    /// Fewer than 2 trials.
    TooFewTrials(usize),
    /// A quality setting that does not fit the model, or a value outside `[0, 1]`.
    Quality(String),
    /// `precision` not a positive finite number.
    Precision(f64),
    /// `conversion_rate` outside `[0, 1]`.
    ConversionRate(f64),
    /// Per-account outcomes asked for over more trials than their counters hold (`u32::MAX`).
    PerAccountTrials(usize),
    /// Per-account outcomes asked for several seed sets at once.
    PerAccountSets,
    /// A target weight, purchase probability or sale value is missing or out of range.
    Weights(String),
    /// A run split into parts ([`trial_part`]) asked for something only a whole run does
    /// (a precision target, per-account outcomes), or its parts do not add up to the run.
    Partitioned(String),
    /// The per-trial results could not be allocated (see [`SimConfig::memory_estimate`] to
    /// check a run before starting it).
    OutOfMemory {
        /// Trials whose results were to be held.
        trials: usize,
        /// The run's estimated bytes ([`SimConfig::memory_estimate`] at one thread).
        estimate: u64,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::NoSeeds => f.write_str("no seeds: a cascade needs at least one seed"),
            SimError::SeedOutOfRange { seed, node_count } => {
                write!(f, "seed {seed} is not a node (the graph has {node_count} nodes)")
            }
            SimError::ProbsMismatch => {
                f.write_str("the edge probabilities were computed for a different graph")
            }
            SimError::UnsignedGraph => f.write_str(
                "the signed model needs a graph with trust/distrust signs (read the input with \
                 a sign column)",
            ),
            SimError::TooFewTrials(t) => {
                write!(f, "{t} trials: at least 2 are needed for a standard error")
            }
            SimError::Quality(why) => f.write_str(why),
            SimError::Precision(p) => {
                write!(f, "precision {p} must be a positive fraction of the mean, e.g. 0.01")
            }
            SimError::ConversionRate(r) => write!(f, "conversion rate {r} is outside [0, 1]"),
            SimError::PerAccountTrials(t) => write!(
                f,
                "{t} trials: per-account outcomes are counted over at most {} trials",
                per_account::MAX_TRIALS
            ),
            SimError::PerAccountSets => {
                f.write_str("per-account outcomes are counted for one seed set at a time")
            }
            SimError::Weights(why) => f.write_str(why),
            SimError::Partitioned(why) => f.write_str(why),
            SimError::OutOfMemory { trials, estimate } => write!(
                f,
                "cannot allocate the results of {trials} trials (about {estimate} bytes in \
                 all); run fewer trials"
            ),
        }
    }
}

impl std::error::Error for SimError {}

/// Simulates the spread from `seeds` (dense ids; duplicates ignored) under `cfg`.
///
/// See the module docs for the models, metrics, randomness and cost. Errors: see [`SimError`].
///
/// ```
/// use clout_reach::{EdgeProbs, ProbSpec, Model, SimConfig, simulate};
/// // s -> v with p = 0.5 under IC-N with q = 0.7: E[positive] = 0.7 + 0.5 * 0.49 = 0.945.
/// let g = clout_graph::from_pairs(2, &[(0, 1)], true);
/// let probs = EdgeProbs::new(&g, ProbSpec::Uniform(0.5)).unwrap();
/// let cfg = SimConfig { model: Model::IcN, qualities: vec![0.7], ..SimConfig::default() };
/// let sim = simulate(&g, &probs, &[0], &cfg).unwrap();
/// let positive = &sim.results[0].positive;
/// assert!((positive.mean - 0.945).abs() < 4.0 * positive.std_error);
/// ```
pub fn simulate(
    graph: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    cfg: &SimConfig,
) -> Result<Simulation, SimError> {
    simulate_with_progress(graph, probs, seeds, cfg, &|_| {})
}

/// [`simulate`], calling `progress(k)` from worker threads each time `k` more trials finish.
pub fn simulate_with_progress(
    graph: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    cfg: &SimConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Simulation, SimError> {
    let seeds = validate(graph, probs, seeds, cfg)?;
    let mut runs = run_sets(graph, probs, &[seeds], cfg, progress)?;
    Ok(runs.pop().expect("one set"))
}

/// Simulates every seed set of `sets` under `cfg` on the same trials (the same seed), as
/// [`simulate`] would one by one, and draws each trial's live arcs once for all of them: a
/// node reached by several sets in a trial has its out-arcs drawn once (the draw is a pure
/// function of the trial and the node, so every number is the one [`simulate`] gives for
/// that set, bit for bit). Use it to compare seed sets. With [`SimConfig::precision`] the
/// trials stop once every set's total reach is that precise. Per-account outcomes are
/// refused for more than one set ([`SimError::PerAccountSets`]).
pub fn simulate_sets(
    graph: &Graph,
    probs: &EdgeProbs,
    sets: &[Vec<NodeId>],
    cfg: &SimConfig,
) -> Result<Vec<Simulation>, SimError> {
    if sets.len() > 1 && cfg.per_account {
        return Err(SimError::PerAccountSets);
    }
    let sets =
        sets.iter().map(|s| validate(graph, probs, s, cfg)).collect::<Result<Vec<_>, _>>()?;
    if sets.is_empty() {
        return Ok(Vec::new());
    }
    run_sets(graph, probs, &sets, cfg, &|_| {})
}

/// The trial loop of [`simulate_with_progress`] and [`simulate_sets`]: `sets` are validated
/// (distinct, ascending, at least one set).
fn run_sets(
    graph: &Graph,
    probs: &EdgeProbs,
    sets: &[Vec<NodeId>],
    cfg: &SimConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<Simulation>, SimError> {
    let plan = plan_of(graph, probs, cfg);
    let pool: Mutex<Vec<Scratch>> = Mutex::new(Vec::new());
    let mut all: Vec<Block> =
        sets.iter().map(|_| Block::new(cfg.qualities.len(), &plan.columns)).collect();
    let cap = cfg.trials;
    let block_size = block_size(cap);
    let mut batch = match cfg.precision {
        None => cap,
        Some(_) => cap.min(FIRST_BATCH),
    };
    let widest = |all: &[Block]| {
        all.iter().map(Block::total_relative_half_width).fold(f64::NEG_INFINITY, f64::max)
    };
    loop {
        let start = all[0].trials() as usize;
        // Fallible: an absurd trial count fails here with an error instead of aborting.
        for block in &mut all {
            block.try_reserve(batch).map_err(|_| SimError::OutOfMemory {
                trials: cap,
                estimate: cfg.memory_estimate(graph, 1),
            })?;
        }
        let trials = start..start + batch;
        let blocks = trial_blocks(&plan, sets, cfg, trials, block_size, &pool, progress);
        for task in blocks {
            for (whole, part) in all.iter_mut().zip(task) {
                whole.append(part);
            }
        }
        let done = all[0].trials() as usize;
        let Some(target) = cfg.precision else { break };
        let width = widest(&all);
        if done >= cap || width <= target {
            break;
        }
        batch = next_batch(done, width, target, cap, BLOCK);
    }
    // Every scratch is back in the pool once the trials are done; their integer counters add
    // up to the same sums in any order (one set only: see `simulate_sets`).
    let scratches = pool.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut counts = scratches.into_iter().filter_map(|s| s.accounts);
    let per_account = match counts.next() {
        Some(mut sum) => {
            counts.for_each(|c| sum.merge(&c));
            sum.outcomes(&cfg.qualities, all[0].trials())
        }
        None => Vec::new(),
    };
    Ok(finish(&plan, probs, sets, all, cfg, per_account))
}

/// The plan of a run of `cfg` (thresholds, node qualities, weight columns).
fn plan_of<'a>(graph: &'a Graph, probs: &'a EdgeProbs, cfg: &'a SimConfig) -> Plan<'a> {
    let thresholds = if cfg.node_quality.is_some() { vec![1.0] } else { cfg.qualities.clone() };
    Plan::new(
        graph,
        probs,
        cfg.model,
        thresholds,
        cfg.node_quality.as_ref(),
        cfg.max_steps,
        cfg.seed,
        cfg.awareness,
        cfg.per_account,
    )
    .with_columns(cfg)
}

/// The reductions of `trials` (consecutive trial indices) split into work units of
/// `block_size` trials from `trials.start`, run in parallel: one `Vec` (a [`Block`] per set)
/// per unit, in trial order. Scratch space comes from, and returns to, `pool`.
fn trial_blocks(
    plan: &Plan,
    sets: &[Vec<NodeId>],
    cfg: &SimConfig,
    trials: std::ops::Range<usize>,
    block_size: usize,
    pool: &Mutex<Vec<Scratch>>,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Vec<Block>> {
    let shared = sets.len() > 1;
    let new_scratch = || {
        let mut s = Scratch::new(plan);
        if shared {
            s.cache = Some(LiveCache::new(plan.node_count));
        }
        s
    };
    let end = trials.end;
    trials
        .step_by(block_size)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|first| {
            let last = (first + block_size).min(end);
            let taken = pool.lock().map(|mut p| p.pop()).unwrap_or(None);
            let mut scratch = taken.unwrap_or_else(new_scratch);
            let mut blocks: Vec<Block> =
                sets.iter().map(|_| Block::new(cfg.qualities.len(), &plan.columns)).collect();
            for trial in first..last {
                for (set, block) in sets.iter().zip(&mut blocks) {
                    run_trial_from(plan, &mut scratch, trial as u64, set);
                    block.push(&scratch.record);
                }
            }
            if let Ok(mut p) = pool.lock() {
                p.push(scratch);
            }
            progress((last - first) as u64);
            blocks
        })
        .collect()
}

/// The published simulations of `sets` from their reductions `all` (one per set, every trial
/// appended in trial order).
fn finish(
    plan: &Plan,
    probs: &EdgeProbs,
    sets: &[Vec<NodeId>],
    all: Vec<Block>,
    cfg: &SimConfig,
    per_account: Vec<AccountOutcomes>,
) -> Vec<Simulation> {
    let mut per_account = Some(per_account);
    sets.iter()
        .zip(all)
        .map(|(set, mut all)| {
            let width = all.total_relative_half_width();
            Simulation {
                trials: all.trials() as usize,
                model: cfg.model,
                probabilities: probs.spec().to_string(),
                seed_count: set.len(),
                seed: cfg.seed,
                max_steps: cfg.max_steps,
                relative_ci95_half_width: width,
                precision: cfg
                    .precision
                    .map(|target| PrecisionReport { target, reached: width <= target }),
                target_weight: cfg.target.as_ref().map(|w| w.iter().sum()),
                results: all.outcomes(
                    &cfg.qualities,
                    cfg.conversion_rate,
                    cfg.awareness,
                    &plan.columns,
                ),
                arcs_examined: all.arcs,
                trial_totals: std::mem::take(&mut all.totals),
                trial_targets: all.target_totals().map(<[f64]>::to_vec).unwrap_or_default(),
                per_account: per_account.take().unwrap_or_default(),
            }
        })
        .collect()
}

/// The next batch of a run to a precision `target` that has done `done` of at most `cap`
/// trials and reached relative half-width `width`: trials needed scale with
/// `(width / target)^2`; aim 10 % beyond, at least `min` trials, never past the cap.
fn next_batch(done: usize, width: f64, target: f64, cap: usize, min: usize) -> usize {
    let needed = (done as f64 * (width / target).powi(2) * 1.1).ceil();
    (needed.min(cap as f64) as usize).saturating_sub(done).max(min).min(cap - done)
}

/// Trials per parallel work unit of a run capped at `cap` trials: `clamp(cap / 64, 1, 128)`,
/// never dependent on the threads.
fn block_size(cap: usize) -> usize {
    (cap / 64).clamp(1, BLOCK)
}

/// Checks `cfg` against the graph and model; returns the distinct seeds in ascending order.
fn validate(
    graph: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    cfg: &SimConfig,
) -> Result<Vec<NodeId>, SimError> {
    if seeds.is_empty() {
        return Err(SimError::NoSeeds);
    }
    if let Some(&seed) = seeds.iter().find(|&&s| s as usize >= graph.node_count()) {
        return Err(SimError::SeedOutOfRange { seed, node_count: graph.node_count() });
    }
    if probs.out_probs().len() != graph.arc_count() {
        return Err(SimError::ProbsMismatch);
    }
    if cfg.model == Model::Signed && !graph.is_signed() {
        return Err(SimError::UnsignedGraph);
    }
    if cfg.trials < 2 {
        return Err(SimError::TooFewTrials(cfg.trials));
    }
    if let Some(p) = cfg.precision
        && !(p.is_finite() && p > 0.0)
    {
        return Err(SimError::Precision(p));
    }
    if let Some(r) = cfg.conversion_rate
        && !(0.0..=1.0).contains(&r)
    {
        return Err(SimError::ConversionRate(r));
    }
    if cfg.per_account && cfg.trials > per_account::MAX_TRIALS {
        return Err(SimError::PerAccountTrials(cfg.trials));
    }
    if cfg.qualities.is_empty() {
        return Err(SimError::Quality("no quality values given".into()));
    }
    if let Some(&q) = cfg.qualities.iter().find(|q| !(0.0..=1.0).contains(*q)) {
        return Err(SimError::Quality(format!("quality {q} is outside [0, 1]")));
    }
    if cfg.model != Model::IcN && (cfg.qualities != [1.0] || cfg.node_quality.is_some()) {
        return Err(SimError::Quality(format!(
            "product quality applies to the icn model only; {} needs quality 1",
            cfg.model
        )));
    }
    if let Some(q) = &cfg.node_quality {
        if cfg.qualities.len() != 1 {
            return Err(SimError::Quality(
                "per-node quality takes exactly one global quality value".into(),
            ));
        }
        if (0..graph.node_count() as NodeId).any(|v| !(0.0..=1.0).contains(&q.of(v))) {
            return Err(SimError::Quality("a per-node quality is outside [0, 1]".into()));
        }
    }
    validate_weights(graph.node_count(), cfg)?;
    let mut distinct = seeds.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    Ok(distinct)
}

/// Checks [`SimConfig::target`] and [`SimConfig::conversion`]: one value per node, each in
/// range.
fn validate_weights(n: usize, cfg: &SimConfig) -> Result<(), SimError> {
    let check = |what: &str, values: &[f64], ok: &dyn Fn(f64) -> bool, range: &str| {
        if values.len() != n {
            return Err(SimError::Weights(format!(
                "{} {what} values for a graph of {n} nodes: one per node is needed",
                values.len()
            )));
        }
        match values.iter().enumerate().find(|(_, x)| !ok(**x)) {
            Some((v, x)) => {
                Err(SimError::Weights(format!("{what} {x} of node {v} is not {range}")))
            }
            None => Ok(()),
        }
    };
    let weight = |x: f64| x.is_finite() && x >= 0.0;
    if let Some(w) = &cfg.target {
        check("target weight", w, &weight, "a finite number >= 0")?;
        let total: f64 = w.iter().sum();
        if !total.is_finite() {
            return Err(SimError::Weights(format!(
                "the target weights add up to {total}: too large to count"
            )));
        }
    }
    if let Some(c) = &cfg.conversion {
        check("purchase probability", &c.probability, &|x| (0.0..=1.0).contains(&x), "in [0, 1]")?;
        if let Some(v) = &c.value {
            check("sale value", v, &weight, "a finite number >= 0")?;
        }
    }
    Ok(())
}
