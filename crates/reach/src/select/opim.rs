//! OPIM-C style selection (Tang, Tang, Xiao and Yuan, "Online Processing Algorithms for
//! Influence Maximization", SIGMOD 2018): two independent RR samples, doubled until the
//! measured approximation ratio reaches the target.
//!
//! # Algorithm (paper notation -> names)
//! - `θ_max` ([`opim_theta_max`]) with `ln C(n, k)` the log of the number of feasible sets and
//!   `k` replaced by `opt_floor` (a bound on the optimum known in advance: `k` under IC/LT,
//!   `k·q` under IC-N, one seed's worth under a budget); `θ_0 = θ_max·ε²·opt_floor/n`.
//! - `i_max = ceil(log2(θ_max/θ_0)) + 1`, one more round than the paper so that the last
//!   round's samples hold at least `θ_max` sets; `a = ln(3·i_max/δ)`.
//! - Round `i`: `R2` holds `θ_0·2^(i-1)` sets and `R1` [`SELECTION_OVERSAMPLING`] times as many
//!   (the paper draws both the same size; see the constant for why). The greedy runs on `R1` and records
//!   an upper bound `Λ1^u` on the best feasible coverage of `R1` (the minimum over the greedy's
//!   prefixes of `coverage + the k best marginal gains`; budgets: the fractional knapsack of the
//!   gains). `σ^l` = [`lower_bound`] of the chosen set's coverage in `R2`, `σ^u` =
//!   [`upper_bound`] of `Λ1^u` (each bound uses its own sample's size); stop when
//!   `σ^l/σ^u >= target` or at round `i_max`.
//!   `target` is `1 - 1/e - ε`, or `(1 - 1/e)/2 - ε` with a budget.
//!
//! # Threads
//! Sampling, indexing and coverage run in parallel; the greedy is sequential. With more than
//! one thread, the other threads draw the next round's sets (both samples) and build its
//! index while the greedy of this round runs, and abandon them if this round stops. Set `i` of
//! a sample comes from its own random stream whoever draws it, so the choice, bounds and
//! sample sizes are the same at any thread count. Slashdot, wc, k = 50, ε = 0.1 (4 rounds):
//! the greedy of rounds 1-3 overlaps the next rounds' draws, and two threads took about 0.6 of
//! one thread's time (0.8-1.0 before; BENCHMARKS.md, 2026-12-07); since one thread's greedy,
//! index and sampler set-up lost their O(n) work per round, 0.65-0.75 (the draws and the
//! first round, bound by memory, gain least from a second thread); with a cheaper greedy,
//! 1.5-1.56x faster at the median on Slashdot and soc-sign-epinions (BENCHMARKS.md, sixth
//! session). Drawn ahead only while the next round's projected memory is within a quarter of
//! [`SelectConfig::memory_limit`] (the reported peak is the samples and index of the round
//! itself).
//!
//! # Guarantee
//! With probability at least `1 - δ`: the returned set's expected positive reach is at least
//! `σ^l/σ^u` of the optimum (the reported ratio); if the last round was reached, also at least
//! the target ratio (IMM-style, since `R1` then holds `θ_max` sets). IC-N's weighted coverage
//! lies in `[0, 1]` per RR set, which is all the concentration bounds need.

use std::sync::atomic::{AtomicBool, Ordering};

use clout_graph::{Graph, NodeId};

use super::bounds::{lower_bound, opim_theta_max, upper_bound};
use super::coverage::coverage_of;
use super::greedy::Greedy;
use super::index::Index;
use super::plan::direct_reach;
use super::rr::{RrSampler, RrSets};
use super::{
    Guarantee, Indexed, Method, Plan, Posterior, RrMemory, Sampling, SelectConfig, SelectError,
    Selection, greedy_on_sample, phase_seed, require_rr_model,
};
use crate::prob::EdgeProbs;

/// How many times more RR sets the selection sample `R1` holds than the validation sample `R2`.
///
/// The chosen set's quality depends on `R1` alone (the greedy sees nothing else); `R2` only
/// certifies it. The two concentration bounds are separate events, each failing with
/// probability `e^-a` whatever the samples' sizes, so the guarantee and `a` are unchanged.
/// Which bound holds the run back decides the better split: under weighted cascade with
/// k = 50 and ε = 0.1 on Slashdot and soc-sign-epinions it is `σ^u`, whose slack shrinks with
/// `R1`, so with a doubled `R1` the run stops a round earlier in most runs, with as many
/// selection sets as equal samples reach and half the validation sets (10 seeds each: the
/// same `R1` at the stop in 8 to 9 of 10 runs, a larger one in the others).
pub const SELECTION_OVERSAMPLING: usize = 2;

/// OPIM-C's sample schedule for one plan (see the module docs): the sample sizes of every
/// round, the last round, the failure exponent `a` and the target ratio. Shared by [`opim`] and
/// the distributed selection (`clout-distributed`), which must stop where one machine stops.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    /// `θ_0`, the validation sample of round 1.
    pub theta_0: usize,
    /// `i_max`: the round whose samples hold at least `θ_max` sets.
    pub rounds_max: usize,
    /// `a = ln(3·i_max/δ)`: each bound fails with probability `e^-a`.
    pub a: f64,
    /// The ratio that stops the doubling: `1 - 1/e - ε` (`(1 - 1/e)/2 - ε` with a budget).
    pub target: f64,
}

impl Schedule {
    /// The schedule of `plan` under `cfg`.
    pub fn new(plan: &Plan, cfg: &SelectConfig) -> Schedule {
        let scale = plan.scale;
        let target = plan.greedy_ratio(cfg) - cfg.epsilon;
        let theta_max =
            opim_theta_max(scale, plan.ln_sets, cfg.epsilon, plan.delta, plan.opt_floor);
        let theta_0 =
            (theta_max * cfg.epsilon * cfg.epsilon * plan.opt_floor / scale).ceil().max(1.0);
        let rounds_max = (theta_max / theta_0).log2().ceil().max(0.0) as usize + 1;
        let a = (3.0 * rounds_max as f64 / plan.delta).ln();
        Schedule { theta_0: theta_0 as usize, rounds_max, a, target }
    }

    /// The validation sample `R2` of round `round` (from 1): `θ_0 · 2^(round - 1)`, saturating
    /// (an absurd epsilon makes it huge; the memory check then refuses it).
    pub fn validation_sets(&self, round: usize) -> usize {
        u32::try_from(round.saturating_sub(1))
            .ok()
            .and_then(|shift| self.theta_0.checked_mul(1usize.checked_shl(shift)?))
            .unwrap_or(usize::MAX)
    }

    /// The selection sample `R1` of round `round`: [`SELECTION_OVERSAMPLING`] times `R2`.
    pub fn selection_sets(&self, round: usize) -> usize {
        self.validation_sets(round).saturating_mul(SELECTION_OVERSAMPLING)
    }

    /// The a-posteriori bounds of a round: `covered` is the chosen set's coverage of the
    /// `theta` validation sets, `greedy_upper` the greedy's bound on the best coverage of the
    /// `theta_1` selection sets.
    pub fn posterior(
        &self,
        plan: &Plan,
        seeds: &[NodeId],
        covered: f64,
        greedy_upper: Option<f64>,
        (theta, theta_1): (usize, usize),
    ) -> Posterior {
        let floor = plan.seed_floor(seeds);
        let lower = lower_bound(covered, theta, plan.scale, self.a).max(floor);
        let upper = upper_bound(greedy_upper.unwrap_or(f64::INFINITY), theta_1, plan.scale, self.a);
        Posterior { lower, upper, ratio: lower / upper }
    }

    /// Whether round `round` ends the run.
    pub fn stops(&self, round: usize, posterior: &Posterior) -> bool {
        posterior.ratio >= self.target || round >= self.rounds_max
    }

    /// The selection of a run that stopped at `round` with `greedy`'s choice on the `theta_1`
    /// selection sets, which covers `covered` of the `theta` validation sets. `stats` is
    /// completed with the round and the sample sizes.
    #[allow(clippy::too_many_arguments)]
    pub fn selection(
        &self,
        plan: &Plan,
        cfg: &SelectConfig,
        round: usize,
        greedy: Greedy,
        covered: f64,
        posterior: Posterior,
        (theta, theta_1): (usize, usize),
        mut stats: Sampling,
    ) -> Selection {
        let last = round >= self.rounds_max;
        let target = self.target;
        stats.rounds = round;
        stats.selection_sets = theta_1;
        stats.validation_sets = theta;
        // Gains are counted in R1, the estimate in R2.
        let per_set_1 = plan.scale / theta_1 as f64;
        let per_set = plan.scale / theta as f64;
        let a_priori = last.then_some(target);
        let Posterior { lower, upper, ratio } = posterior;
        let of = if cfg.budget.is_some() { "within the budget" } else { "of the same size" };
        let mut statement = format!(
            "OPIM-C style (Tang et al. 2018): expected positive {what} at least {ratio:.4} of \
             the best set {of} (lower bound {lower:.2} from an independent sample / upper \
             bound {upper:.2} on the optimum), with probability at least {}",
            super::at_least(plan.delta),
            what = plan.objective_name(),
        );
        let greedy_ratio = if cfg.budget.is_some() { "(1-1/e)/2" } else { "1-1/e" };
        match a_priori {
            Some(t) => statement.push_str(&format!(
                "; the largest sample was reached, so also at least the target {t:.4} \
                 (= {greedy_ratio} - epsilon {})",
                cfg.epsilon
            )),
            None => statement.push_str(&format!(
                ", which reaches the target {target:.4} (= {greedy_ratio} - epsilon {})",
                cfg.epsilon
            )),
        }
        Selection {
            method: Method::Opim,
            model: cfg.model,
            cost: cfg
                .budget
                .as_ref()
                .map(|b| greedy.seeds.iter().map(|&v| b.costs[v as usize]).sum()),
            gains: greedy.gains.iter().map(|g| g * per_set_1).collect(),
            seeds: greedy.seeds,
            estimate: Some(covered * per_set),
            guarantee: Guarantee {
                a_priori,
                a_posteriori: Some(posterior),
                delta: plan.delta,
                statement,
            },
            sampling: Some(stats),
        }
    }
}

/// Chooses seeds OPIM-C style. See the module docs.
///
/// Errors: signed spread ([`SelectError::Unsupported`]), every invalid configuration, and RR
/// sets beyond [`SelectConfig::memory_limit`] ([`SelectError::MemoryLimit`]).
pub fn opim(
    graph: &Graph,
    probs: &EdgeProbs,
    cfg: &SelectConfig,
) -> Result<Selection, SelectError> {
    require_rr_model(Method::Opim, cfg.model)?;
    let plan = Plan::new(graph, cfg)?.with_direct_floor(graph, probs)?;
    let n = plan.n;
    let weighted = plan.quality.is_some();
    let sampler = plan.sampler(graph, probs, weighted);
    let memory = RrMemory { limit: cfg.memory_limit, n };
    let schedule = Schedule::new(&plan, cfg);
    let mut first = RrSets::new(weighted);
    let mut second = RrSets::new(weighted);
    let mut peak = 0usize;
    let mut round = 1usize;
    // The first round's sets are drawn and indexed while the greedy's tie-break is computed.
    let (tie_break, drawn_first) = rayon::join(
        || direct_reach(graph, probs, cfg.weights.as_deref()),
        || {
            let samples = (&mut first, &mut second);
            grow_samples(&sampler, &memory, samples, None, &schedule, 1, cfg.seed)?;
            Ok::<_, SelectError>(Index::build(&first, n))
        },
    );
    let mut index = drawn_first?;
    // The next round's samples and index, drawn while this round's greedy runs (see below).
    let mut drawn: Option<(RrSets, RrSets, Index)> = None;
    loop {
        let theta = schedule.validation_sets(round);
        let theta_1 = schedule.selection_sets(round);
        let mut ahead_sets = None;
        if let Some((more_first, more_second, next_index)) = drawn.take() {
            ahead_sets = Some((more_first, more_second));
            index = next_index;
        }
        let samples = (&mut first, &mut second);
        grow_samples(&sampler, &memory, samples, ahead_sets, &schedule, round, cfg.seed)?;
        index.extend(&first);
        peak = peak.max(first.memory_bytes() + second.memory_bytes() + index.memory_bytes());
        // The greedy is sequential: with more than one thread, the others draw the next
        // round's sets and index them meanwhile, abandoned if this round stops. They are the
        // sets and index the next round would draw, so the result does not depend on it.
        // Drawn only when memory is plentiful (`RrMemory::roomy`).
        let next = (schedule.validation_sets(round + 1), schedule.selection_sets(round + 1));
        let ahead = round < schedule.rounds_max
            && rayon::current_num_threads() > 1
            && memory.roomy(
                memory.projected(&second, next.0, Indexed::No),
                &first,
                next.1,
                Indexed::Yes,
            )
            && memory.roomy(
                memory.projected(&first, next.1, Indexed::Yes),
                &second,
                next.0,
                Indexed::No,
            );
        let stop = AtomicBool::new(false);
        let ((greedy, covered, posterior, stops), ahead) = rayon::join(
            || {
                let greedy = greedy_on_sample(&first, &index, &plan, cfg, true, &tie_break);
                let covered = coverage_of(&second, n, &greedy.seeds, plan.quality);
                let sizes = (theta, theta_1);
                let posterior =
                    schedule.posterior(&plan, &greedy.seeds, covered, greedy.upper, sizes);
                let stops = schedule.stops(round, &posterior);
                stop.store(stops, Ordering::Relaxed);
                (greedy, covered, posterior, stops)
            },
            || {
                if !ahead {
                    return None;
                }
                let draw = |sets: &RrSets, target: usize, phase: u64| {
                    sampler.draw_ahead(sets.len(), target, phase_seed(cfg.seed, phase), &stop)
                };
                let (first_and_index, more_second) = rayon::join(
                    || {
                        let more = draw(&first, next.1, 4)?;
                        let wanted = !stop.load(Ordering::Relaxed);
                        wanted.then(|| (index.extended(&first, &more), more))
                    },
                    || draw(&second, next.0, 5),
                );
                let ((next_index, more_first), more_second) = (first_and_index?, more_second?);
                Some((more_first, more_second, next_index))
            },
        );
        if stops {
            let stats = Sampling {
                members: first.total_members() + second.total_members(),
                arcs_examined: first.arcs_examined() + second.arcs_examined(),
                peak_bytes: peak,
                ..Sampling::default()
            };
            let sizes = (theta, theta_1);
            return Ok(
                schedule.selection(&plan, cfg, round, greedy, covered, posterior, sizes, stats)
            );
        }
        drawn = ahead;
        round += 1;
    }
}

/// Grows the selection sample `first` and the validation sample `second` to their sizes in
/// `round`, each within the memory left by the other (see [`RrMemory::grow`]): by appending
/// the sets drawn ahead for that round if given ([`RrMemory::append`]), else by drawing them.
fn grow_samples(
    sampler: &RrSampler<'_>,
    memory: &RrMemory,
    (first, second): (&mut RrSets, &mut RrSets),
    ahead: Option<(RrSets, RrSets)>,
    schedule: &Schedule,
    round: usize,
    seed: u64,
) -> Result<(), SelectError> {
    let (theta, theta_1) = (schedule.validation_sets(round), schedule.selection_sets(round));
    let (more_first, more_second) = ahead.unzip();
    let grow = |sets: &mut RrSets, more: Option<RrSets>, target, phase, other, indexed| match more {
        Some(more) => memory.append(sets, more, target, other, indexed),
        None => memory.grow(sampler, sets, target, phase_seed(seed, phase), other, indexed),
    };
    let second_bytes = memory.projected(second, theta, Indexed::No);
    grow(first, more_first, theta_1, 4, second_bytes, Indexed::Yes)?;
    let first_bytes = memory.projected(first, theta_1, Indexed::Yes);
    grow(second, more_second, theta, 5, first_bytes, Indexed::No)
}
