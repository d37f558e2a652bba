//! The reach of every prefix of a seed sequence (the first seed, the first two, ...) from one
//! cascade per trial instead of one per prefix.
//!
//! Every coin of a trial belongs to the trial and to the node or arc it decides (see
//! [`random`](super::random)), so all prefixes see one live-edge graph per trial. Under IC the
//! accounts a seed set reaches are those reachable from it in that graph; the reach of the
//! first `i` seeds is therefore the reach of the first `i - 1` plus what a search from seed
//! `i` adds among the accounts not yet reached. One search per trial, continued seed by seed,
//! gives every prefix: O(activations + their out-arcs) per trial rather than `k` times that.
//! Under LT with the trial's thresholds fixed the active set is the least set closed under
//! "active in-weight reaches the threshold", so continuing the propagation from a new seed,
//! with the in-weights accumulated so far, gives the next prefix's set.
//!
//! The counts are the ones [`simulate`](super::simulate) gives for each prefix on the same
//! seed, trial for trial (a test checks it). LT adds a node's in-weights in a different order
//! than a round-by-round run, so a threshold that equals the accumulated weight to the last
//! bit could in principle be decided differently; that has probability about 1e-16 per
//! comparison.
//!
//! IC-N, signed spread and runs with a round cap depend on when (in which round) a node is
//! reached, which a new seed can change for nodes already reached, so there each prefix is
//! simulated in turn on the same trial (what [`simulate`](super::simulate) per prefix costs).
//!
//! Awareness, per-round curves and per-account outcomes are not computed (awareness reads
//! every out-arc of every active node, which the search does not need): the outcomes' steps
//! are empty and their awareness is NaN.

use std::sync::Mutex;

use clout_graph::{Graph, NodeId};
use rayon::prelude::*;

use super::accumulate::{Block, TrialRecord};
use super::kernel::{LtState, Round, Scratch, draw_round, run_trial_from};
use super::plan::Plan;
use super::random::trial_key;
use super::{PrecisionReport, QualityOutcome, SimConfig, SimError, validate};
use crate::model::Model;
use crate::prob::EdgeProbs;

/// Trials per parallel work unit when running to a precision: fixed, so the reduction (and
/// every estimate) is the same at any thread count; small, so that a first batch keeps every
/// thread busy. A fixed number of trials uses [`simulate`](super::simulate)'s blocks, so that
/// its estimates are those of one simulation per prefix to the last bit.
const BLOCK: usize = 16;
/// First batch when running to a precision target; later batches aim at the target from the
/// observed spread.
const FIRST_BATCH: usize = 128;
/// Smallest later batch.
const MIN_BATCH: usize = 64;

/// One prefix's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct PrefixOutcome {
    /// Seeds in the prefix (counting repeats).
    pub size: usize,
    /// The outcome at the run's first quality (awareness NaN, no per-round curves).
    pub outcome: QualityOutcome,
    /// Total reach in every trial, in trial order (for paired differences between prefixes).
    pub trial_totals: Vec<u32>,
    /// With [`SimConfig::target`]: target reach in every trial, in trial order.
    pub trial_targets: Vec<f64>,
}

/// The result of [`simulate_prefixes`].
#[derive(Debug, Clone, PartialEq)]
pub struct PrefixRun {
    /// Trials run.
    pub trials: usize,
    /// Relative half-width of the 95 % confidence interval of the whole sequence's mean total
    /// reach.
    pub relative_ci95_half_width: f64,
    /// Present when [`SimConfig::precision`] was set (judged on the whole sequence).
    pub precision: Option<PrecisionReport>,
    /// True when one search per trial served every prefix (IC and LT without a round cap);
    /// false when each prefix was simulated in turn.
    pub shared: bool,
    /// One entry per prefix, shortest first.
    pub prefixes: Vec<PrefixOutcome>,
}

/// Simulates every prefix of `seeds` (in the given order; dense ids, repeats allowed) under
/// `cfg`, all on the same trials, and reports each prefix's outcome at `cfg`'s first quality.
/// With [`SimConfig::precision`] the trials run in batches until the whole sequence's total
/// reach has the requested relative 95 % half-width, or [`SimConfig::trials`] is reached.
/// [`SimConfig::awareness`] and [`SimConfig::per_account`] are ignored. See the module docs
/// for the cost and how the numbers relate to [`simulate`](super::simulate). Errors: as
/// [`simulate`](super::simulate).
pub fn simulate_prefixes(
    graph: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    cfg: &SimConfig,
) -> Result<PrefixRun, SimError> {
    simulate_prefixes_with_progress(graph, probs, seeds, cfg, &|_| {})
}

/// [`simulate_prefixes`], calling `progress(k)` from worker threads each time `k` more trials
/// finish.
pub fn simulate_prefixes_with_progress(
    graph: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    cfg: &SimConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<PrefixRun, SimError> {
    validate(graph, probs, seeds, cfg)?;
    let quality = cfg.qualities[0];
    let thresholds = if cfg.node_quality.is_some() { vec![1.0] } else { vec![quality] };
    let plan = Plan::new(
        graph,
        probs,
        cfg.model,
        thresholds,
        cfg.node_quality.as_ref(),
        cfg.max_steps,
        cfg.seed,
        false,
        false,
    )
    .with_columns(cfg);
    let shared = matches!(cfg.model, Model::Ic | Model::Lt) && cfg.max_steps.is_none();
    let k = seeds.len();
    let pool: Mutex<Vec<PrefixScratch>> = Mutex::new(Vec::new());
    let mut all: Vec<Block> = (0..k).map(|_| Block::new(1, &plan.columns)).collect();
    let cap = cfg.trials;
    let (mut batch, block_size) = match cfg.precision {
        None => (cap, super::block_size(cap)),
        Some(_) => (cap.min(FIRST_BATCH), BLOCK),
    };
    let out_of_memory =
        || SimError::OutOfMemory { trials: cap, estimate: cfg.prefix_memory_estimate(graph, 1, k) };
    loop {
        let start = all[0].trials() as usize;
        for block in &mut all {
            block.try_reserve(batch).map_err(|_| out_of_memory())?;
        }
        let blocks: Vec<Vec<Block>> = (start..start + batch)
            .step_by(block_size)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|first| {
                let last = (first + block_size).min(start + batch);
                let taken = pool.lock().map(|mut p| p.pop()).unwrap_or(None);
                let mut s = taken.unwrap_or_else(|| PrefixScratch::new(&plan, shared));
                let mut blocks: Vec<Block> = (0..k).map(|_| Block::new(1, &plan.columns)).collect();
                for trial in first..last {
                    if shared {
                        cumulative(&plan, &mut s, trial as u64, seeds);
                        let columns = plan.columns.len();
                        for (i, (block, &count)) in blocks.iter_mut().zip(&s.counts).enumerate() {
                            s.record.reset(1, columns);
                            s.record.total = count;
                            s.record.positive_expected[0] = count as f64;
                            s.record.positive_drawn[0] = count;
                            let sums = &s.weighted_counts[i * columns..(i + 1) * columns];
                            for (r, &sum) in s.record.weighted.iter_mut().zip(sums) {
                                r.total = sum;
                                r.positive_expected[0] = sum;
                                r.positive_drawn[0] = sum;
                            }
                            block.push(&s.record);
                        }
                    } else {
                        s.prefix.clear();
                        for (block, &seed) in blocks.iter_mut().zip(seeds) {
                            if let Err(at) = s.prefix.binary_search(&seed) {
                                s.prefix.insert(at, seed);
                            }
                            run_trial_from(&plan, &mut s.kernel, trial as u64, &s.prefix);
                            block.push(&s.kernel.record);
                        }
                    }
                }
                if let Ok(mut p) = pool.lock() {
                    p.push(s);
                }
                progress((last - first) as u64);
                blocks
            })
            .collect();
        for task in blocks {
            for (whole, part) in all.iter_mut().zip(task) {
                whole.append(part);
            }
        }
        let whole = &all[k - 1];
        let done = whole.trials() as usize;
        let Some(target) = cfg.precision else { break };
        let width = whole.total_relative_half_width();
        if done >= cap || width <= target {
            break;
        }
        batch = super::next_batch(done, width, target, cap, MIN_BATCH);
    }
    let width = all[k - 1].total_relative_half_width();
    let trials = all[k - 1].trials() as usize;
    let prefixes = all
        .into_iter()
        .enumerate()
        .map(|(i, mut block)| PrefixOutcome {
            size: i + 1,
            outcome: block
                .outcomes(&[quality], None, false, &plan.columns)
                .into_iter()
                .next()
                .expect("one quality"),
            trial_targets: block.target_totals().map(<[f64]>::to_vec).unwrap_or_default(),
            trial_totals: std::mem::take(&mut block.totals),
        })
        .collect();
    Ok(PrefixRun {
        trials,
        relative_ci95_half_width: width,
        precision: cfg.precision.map(|target| PrecisionReport { target, reached: width <= target }),
        shared,
        prefixes,
    })
}

/// Per-worker scratch: the search's stamps and stack (IC, LT), LT's thresholds and in-weights,
/// or the kernel's scratch and the current prefix (every other case).
struct PrefixScratch {
    epoch: u32,
    visit: Vec<u32>,
    lt: LtState,
    stack: Vec<NodeId>,
    frontier: Vec<NodeId>,
    next: Vec<NodeId>,
    live: Round,
    /// Reach of each prefix in the current trial.
    counts: Vec<u32>,
    /// Per prefix and weight column (`prefix * columns + c`): the weight reached.
    weighted_counts: Vec<f64>,
    /// Weight reached so far in the current trial, per column.
    reached_weight: Vec<f64>,
    record: TrialRecord,
    kernel: Scratch,
    prefix: Vec<NodeId>,
}

impl PrefixScratch {
    fn new(plan: &Plan<'_>, shared: bool) -> PrefixScratch {
        let n = plan.node_count;
        let sized = |on: bool| if on { n } else { 0 };
        PrefixScratch {
            epoch: 0,
            visit: vec![0; sized(shared)],
            lt: LtState::new(sized(shared && plan.model == Model::Lt)),
            stack: Vec::new(),
            frontier: Vec::new(),
            next: Vec::new(),
            live: Round::default(),
            counts: Vec::new(),
            weighted_counts: Vec::new(),
            reached_weight: Vec::new(),
            record: TrialRecord::default(),
            kernel: if shared { Scratch::default() } else { Scratch::new(plan) },
            prefix: Vec::new(),
        }
    }

    fn next_epoch(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.visit.fill(0);
            self.lt.clear();
            self.epoch = 1;
        }
    }
}

/// Fills `s.counts[i]` with the reach of `seeds[..=i]` in trial `trial` (IC or LT): one search
/// continued seed by seed over the trial's live-edge graph (IC) or thresholds (LT).
fn cumulative(plan: &Plan<'_>, s: &mut PrefixScratch, trial: u64, seeds: &[NodeId]) {
    let key = trial_key(plan.seed, trial);
    s.next_epoch();
    s.counts.clear();
    s.weighted_counts.clear();
    s.reached_weight.clear();
    s.reached_weight.resize(plan.columns.len(), 0.0);
    let mut reached = 0u32;
    for &seed in seeds {
        if s.visit[seed as usize] != s.epoch {
            s.visit[seed as usize] = s.epoch;
            reached += 1;
            add_weight(plan, &mut s.reached_weight, seed);
            reached += match plan.model {
                Model::Lt => spread_lt(plan, s, key, seed),
                _ => spread_ic(plan, s, key, seed),
            };
        }
        s.counts.push(reached);
        s.weighted_counts.extend_from_slice(&s.reached_weight);
    }
}

/// Adds `v`'s weight in every column to `sums`.
#[inline]
fn add_weight(plan: &Plan<'_>, sums: &mut [f64], v: NodeId) {
    if sums.is_empty() || !plan.columns.weighs(v) {
        return;
    }
    for (sum, w) in sums.iter_mut().zip(&plan.columns.weights) {
        *sum += w[v as usize];
    }
}

/// IC: activates, round by round with the kernel's batched draw (so the memory reads of a
/// round overlap), what `seed` (just activated) reaches beyond the active accounts; returns
/// how many.
fn spread_ic(plan: &Plan<'_>, s: &mut PrefixScratch, key: u64, seed: NodeId) -> u32 {
    let PrefixScratch { epoch, visit, frontier, next, live, record, reached_weight, .. } = s;
    let epoch = *epoch;
    let mut added = 0;
    frontier.clear();
    frontier.push(seed);
    loop {
        draw_round(plan, key, epoch, frontier, &mut [0], record, live, false, None);
        next.clear();
        for &v in &live.targets {
            if visit[v as usize] != epoch {
                visit[v as usize] = epoch;
                added += 1;
                add_weight(plan, reached_weight, v);
                next.push(v);
            }
        }
        if next.is_empty() {
            return added;
        }
        std::mem::swap(frontier, next);
    }
}

/// LT: continues the propagation from `seed` (just activated) with the in-weights accumulated
/// so far; returns how many accounts it activates.
fn spread_lt(plan: &Plan<'_>, s: &mut PrefixScratch, key: u64, seed: NodeId) -> u32 {
    let PrefixScratch { epoch, visit, lt, stack, reached_weight, .. } = s;
    let epoch = *epoch;
    let mut added = 0;
    stack.push(seed);
    while let Some(u) = stack.pop() {
        let (lo, hi) = plan.bounds(u);
        for i in lo..hi {
            let v = plan.targets[i] as usize;
            if visit[v] != epoch && lt.offer(plan, key, epoch, i, v) {
                visit[v] = epoch;
                added += 1;
                add_weight(plan, reached_weight, v as NodeId);
                stack.push(v as NodeId);
            }
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prob::ProbSpec;
    use crate::simulate::simulate;

    /// A small random graph with a mix of probabilities.
    fn graph() -> Graph {
        let n = 300u32;
        crate::testing::random_graph(n, 2400, 11)
    }

    /// Every prefix's per-trial totals and estimates equal a separate simulation of that prefix
    /// on the same seed.
    fn check(model: Model, spec: ProbSpec, quality: f64) {
        let g = graph();
        let probs = EdgeProbs::new(&g, spec).unwrap();
        let cfg = SimConfig {
            model,
            qualities: vec![quality],
            trials: 200,
            seed: 5,
            ..SimConfig::default()
        };
        let seeds = [7, 3, 7, 150, 42, 299, 0];
        let run = simulate_prefixes(&g, &probs, &seeds, &cfg).unwrap();
        assert_eq!(run.shared, matches!(model, Model::Ic | Model::Lt));
        assert_eq!(run.trials, 200);
        assert_eq!(run.prefixes.len(), seeds.len());
        for (i, prefix) in run.prefixes.iter().enumerate() {
            let alone = simulate(&g, &probs, &seeds[..=i], &cfg).unwrap();
            assert_eq!(prefix.trial_totals, alone.trial_totals, "{model} prefix {}", i + 1);
            let (a, b) = (&prefix.outcome, &alone.results[0]);
            for (x, y) in
                [(&a.total, &b.total), (&a.positive, &b.positive), (&a.negative, &b.negative)]
            {
                assert_eq!(x.mean, y.mean, "{model} prefix {}", i + 1);
                assert_eq!(x.std_error, y.std_error, "{model} prefix {}", i + 1);
                assert_eq!((x.q05, x.q50, x.q95), (y.q05, y.q50, y.q95));
            }
        }
    }

    #[test]
    fn simulate_prefixes_match_one_simulation_per_prefix_under_ic() {
        check(Model::Ic, ProbSpec::WeightedCascade, 1.0);
        check(Model::Ic, ProbSpec::Uniform(0.2), 1.0);
    }

    #[test]
    fn simulate_prefixes_match_one_simulation_per_prefix_under_lt() {
        check(Model::Lt, ProbSpec::WeightedCascade, 1.0);
    }

    #[test]
    fn simulate_prefixes_match_one_simulation_per_prefix_under_icn() {
        check(Model::IcN, ProbSpec::Uniform(0.15), 0.7);
    }

    #[test]
    fn simulate_prefixes_stop_at_the_requested_precision() {
        let g = graph();
        let probs = EdgeProbs::new(&g, ProbSpec::Uniform(0.1)).unwrap();
        let cfg =
            SimConfig { trials: 100_000, precision: Some(0.02), seed: 3, ..SimConfig::default() };
        let run = simulate_prefixes(&g, &probs, &[1, 2, 3], &cfg).unwrap();
        let report = run.precision.as_ref().unwrap();
        assert!(report.reached && run.relative_ci95_half_width <= 0.02);
        assert!(run.trials < 100_000 && run.trials >= FIRST_BATCH);
        // The same trials as a fixed run of that length.
        let fixed = SimConfig { trials: run.trials, precision: None, ..cfg };
        let again = simulate_prefixes(&g, &probs, &[1, 2, 3], &fixed).unwrap();
        assert_eq!(again.prefixes[2].trial_totals, run.prefixes[2].trial_totals);
    }
}
