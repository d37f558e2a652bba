//! One trial of a cascade: per-worker scratch reused across trials (visited stamps with an
//! epoch counter, frontier queues), the breadth-first round structure shared by every model,
//! and the opinion bookkeeping of IC-N and signed spread.
//!
//! Round `t` expands the nodes activated in round `t - 1` (the frontier). For the cascade models
//! (IC, IC-N, signed) a frontier node `u` draws its live out-arcs from its own stream; a live
//! arc reaching an unvisited node activates it in round `t`. For IC-N and signed spread the
//! live arcs from round `t - 1` into a node activated in round `t` are exactly its successful
//! attempters; the one with the smallest tie priority (a hash of the trial key and the arc)
//! wins, which is the first success in a uniformly random order of the attempts.

use clout_graph::NodeId;

use super::accumulate::TrialRecord;
use super::per_account::{Counts, fixed};
use super::plan::{Plan, Row};
use super::random::{SIGN, THRESHOLD, TIE, hash, node_stream, trial_key, unit};
use crate::model::Model;

/// LT's per-trial state: each node's threshold, drawn when an active in-neighbour first adds
/// its weight, and the in-weight accumulated from active in-neighbours.
#[derive(Default)]
pub(crate) struct LtState {
    /// `touched[v] == epoch`: `theta[v]` and `weight[v]` are this trial's.
    touched: Vec<u32>,
    theta: Vec<f64>,
    weight: Vec<f64>,
}

impl LtState {
    pub(crate) fn new(n: usize) -> LtState {
        LtState { touched: vec![0; n], theta: vec![0.0; n], weight: vec![0.0; n] }
    }

    /// Forgets every trial (when the epoch counter wraps).
    pub(crate) fn clear(&mut self) {
        self.touched.fill(0);
    }

    /// Adds the in-weight of arc `i` (whose target `v` is inactive) in the trial with key `key`
    /// and stamp `epoch`; true when `v`'s accumulated weight reaches its threshold.
    #[inline]
    pub(crate) fn offer(
        &mut self,
        plan: &Plan<'_>,
        key: u64,
        epoch: u32,
        i: usize,
        v: usize,
    ) -> bool {
        if self.touched[v] != epoch {
            self.touched[v] = epoch;
            // Uniform in (0, 1]: a node with no active weight never activates.
            self.theta[v] = 1.0 - unit(key, THRESHOLD, v as u64);
            self.weight[v] = 0.0;
        }
        self.weight[v] += plan.lt_weights[i];
        self.weight[v] >= self.theta[v]
    }
}

/// Per-worker scratch: O(n) arrays allocated once and reused by every trial the worker runs.
#[derive(Default)]
pub(crate) struct Scratch {
    epoch: u32,
    /// `visit[v] == epoch`: `v` is active in this trial.
    visit: Vec<u32>,
    /// `aware[v] == epoch`: `v` heard of the product in this trial.
    aware: Vec<u32>,
    /// LT thresholds and accumulated in-weights.
    lt: LtState,
    /// Round in which `v` activated (opinion models).
    round: Vec<u32>,
    /// Tie priority of `v`'s current winning attempt (opinion models).
    best_tie: Vec<u64>,
    /// What the winning attempt passes on: the attempter's sign variable (IC-N) or its opinion
    /// times the arc sign (signed).
    inherited: Vec<f64>,
    /// IC-N: `max` of `U_x / q_x` along `v`'s activation path (`v` is positive at quality `q`
    /// iff it is below `q`, or below 1 with per-node quality). Signed: `v`'s opinion, +1 or -1.
    value: Vec<f64>,
    /// Sum and number of successful attempters' contributions, and `P(v positive | live-edge
    /// graph)` (per-node quality and signed spread: averaged over tie orders).
    contribution: Vec<f64>,
    attempts: Vec<u32>,
    positive_probability: Vec<f64>,
    frontier: Vec<NodeId>,
    next: Vec<NodeId>,
    /// This round's live arcs (cascade models).
    live: Round,
    pub(crate) record: TrialRecord,
    /// Per-account counters, summed over every trial this scratch ran (when asked for).
    pub(crate) accounts: Option<Counts>,
    /// Live arcs already drawn in the current trial, kept when several seed sets run on it.
    pub(crate) cache: Option<LiveCache>,
}

/// The live out-arcs of every node drawn so far in one trial, so that other seed sets run on
/// the same trial read them instead of drawing them again (the draw is a pure function of
/// the trial and the node, so the arcs are the same either way).
#[derive(Default)]
pub(crate) struct LiveCache {
    trial: Option<u64>,
    stamp: u32,
    /// `drawn[u] == stamp`: `u`'s live arcs are `arcs[span[u].0 .. span[u].1]`.
    drawn: Vec<u32>,
    span: Vec<(usize, usize)>,
    arcs: Vec<usize>,
}

impl LiveCache {
    pub(crate) fn new(n: usize) -> LiveCache {
        LiveCache { drawn: vec![0; n], span: vec![(0, 0); n], ..LiveCache::default() }
    }

    /// Starts trial `trial` (a no-op if it is the current one).
    fn begin(&mut self, trial: u64) {
        if self.trial == Some(trial) {
            return;
        }
        self.trial = Some(trial);
        self.arcs.clear();
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.drawn.fill(0);
            self.stamp = 1;
        }
    }
}

impl Scratch {
    /// Scratch for `plan`'s graph and model.
    pub(crate) fn new(plan: &Plan<'_>) -> Scratch {
        let n = plan.node_count;
        // Padded to a power of two so the hot awareness loop can index with `v & mask`, which
        // the compiler knows is in bounds (no check per arc).
        let aware = vec![0; if plan.awareness { n.next_power_of_two() } else { 1 }];
        let mut s = Scratch { visit: vec![0; n], aware, ..Scratch::default() };
        match plan.model {
            Model::Lt => {
                s.lt = LtState::new(n);
            }
            Model::IcN | Model::Signed => {
                s.round = vec![0; n];
                s.best_tie = vec![0; n];
                s.inherited = vec![0.0; n];
                s.value = vec![0.0; n];
                if tracks_probability(plan) {
                    s.contribution = vec![0.0; n];
                    s.attempts = vec![0; n];
                    s.positive_probability = vec![0.0; n];
                }
            }
            Model::Ic => {}
        }
        if plan.per_account {
            s.accounts = Some(Counts::new(n, plan.thresholds.len()));
        }
        s
    }

    fn next_epoch(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.visit.fill(0);
            self.aware.fill(0);
            self.lt.clear();
            self.epoch = 1;
        }
    }
}

/// True when `P(v positive)` is propagated node by node (signed spread, per-node quality);
/// with one global quality per value it is the closed form `q^(1 + round)`.
fn tracks_probability(plan: &Plan<'_>) -> bool {
    plan.model == Model::Signed || (plan.model == Model::IcN && plan.node_quality.is_some())
}

/// Runs trial `trial` from `seeds` (distinct, ascending) into `s.record`. Any seed set run on
/// the same trial sees the same live-edge graph.
pub(crate) fn run_trial_from(plan: &Plan<'_>, s: &mut Scratch, trial: u64, seeds: &[NodeId]) {
    if let Some(cache) = &mut s.cache {
        cache.begin(trial);
    }
    let key = trial_key(plan.seed, trial);
    s.next_epoch();
    s.record.reset(plan.thresholds.len(), plan.columns.len());
    let epoch = s.epoch;
    s.frontier.clear();
    for &v in seeds {
        s.visit[v as usize] = epoch;
        if plan.awareness {
            s.aware[v as usize] = epoch;
        }
        s.frontier.push(v);
        match plan.model {
            Model::IcN => {
                s.round[v as usize] = 0;
                s.value[v as usize] = own_sign_variable(plan, key, v);
                if tracks_probability(plan) {
                    s.positive_probability[v as usize] = plan.quality_of(v);
                }
            }
            Model::Signed => {
                s.round[v as usize] = 0;
                s.value[v as usize] = 1.0;
                s.positive_probability[v as usize] = 1.0;
            }
            Model::Ic | Model::Lt => {}
        }
    }
    s.record.awareness = seeds.len() as u32;
    if let (Some(w), true) = (plan.columns.target(), plan.awareness) {
        s.record.weighted[0].awareness = seeds.iter().map(|&v| w[v as usize]).sum();
    }
    let mut round = 0u32;
    loop {
        record_round(plan, s, round);
        if plan.columns.len() > 0 {
            record_weighted(plan, s, round);
        }
        if s.accounts.is_some() {
            record_accounts(plan, s, round);
        }
        if round == plan.max_steps {
            break;
        }
        s.next.clear();
        match plan.model {
            Model::Ic => expand_ic(plan, s, key),
            Model::IcN | Model::Signed => expand_opinions(plan, s, key, round + 1),
            Model::Lt => expand_lt(plan, s, key),
        }
        if s.next.is_empty() {
            break;
        }
        std::mem::swap(&mut s.frontier, &mut s.next);
        round += 1;
    }
    // The last attempts made accounts aware without activating anybody: their round's
    // awareness has no activations beside it.
    if plan.awareness && plan.columns.target {
        let r = &mut s.record.weighted[0];
        if r.awareness > r.aware_recorded {
            r.step_aware.push(r.awareness - r.aware_recorded);
        }
    }
}

/// `U_v / q_v` (IC-N): `v` stays positive, given a positive attempter, iff this is below 1
/// (per-node quality) or `U_v` is below `q` (one global quality per value).
#[inline]
fn own_sign_variable(plan: &Plan<'_>, key: u64, v: NodeId) -> f64 {
    let u = unit(key, SIGN, v as u64);
    match plan.node_quality {
        None => u,
        Some(q) => {
            let q = q.of(v);
            if q > 0.0 { u / q } else { f64::INFINITY }
        }
    }
}

/// Adds the frontier (the nodes activated in `round`) to the record.
fn record_round(plan: &Plan<'_>, s: &mut Scratch, round: u32) {
    let r = &mut s.record;
    let count = s.frontier.len() as u32;
    r.total += count;
    r.step_total.push(count);
    for (j, &q) in plan.thresholds.iter().enumerate() {
        let (expected, drawn) = match plan.model {
            Model::Ic | Model::Lt => (count as f64, count),
            Model::IcN if plan.node_quality.is_none() => (
                count as f64 * global_positive(q, round),
                s.frontier.iter().filter(|&&v| s.value[v as usize] < q).count() as u32,
            ),
            Model::IcN => (
                s.frontier.iter().map(|&v| s.positive_probability[v as usize]).sum(),
                s.frontier.iter().filter(|&&v| s.value[v as usize] < 1.0).count() as u32,
            ),
            Model::Signed => (
                s.frontier.iter().map(|&v| s.positive_probability[v as usize]).sum(),
                s.frontier.iter().filter(|&&v| s.value[v as usize] > 0.0).count() as u32,
            ),
        };
        r.positive_expected[j] += expected;
        r.positive_drawn[j] += drawn;
        r.step_positive.push(expected);
    }
}

/// Adds the frontier (the nodes activated in `round`) to the record's weight columns: as
/// [`record_round`], each node counting its weight instead of 1.
fn record_weighted(plan: &Plan<'_>, s: &mut Scratch, round: u32) {
    let Scratch { record, frontier, value, positive_probability, .. } = s;
    if plan.awareness && plan.columns.target {
        // The target weight that heard of the product by this round's attempts.
        let r = &mut record.weighted[0];
        r.step_aware.push(r.awareness - r.aware_recorded);
        r.aware_recorded = r.awareness;
    }
    let opinions = plan.model.has_opinions();
    let tracked = tracks_probability(plan);
    for (weights, r) in plan.columns.weights.iter().zip(&mut record.weighted) {
        // One pass over the frontier: the weight activated and, with opinions, the weight
        // drawn positive and (per-node probabilities) expected positive, per quality; the
        // round's expected sums go to this round's curve slots first, as `record_round` adds
        // a round's sum to the trial's.
        let base = r.step_positive.len();
        r.step_positive.resize(base + plan.thresholds.len(), 0.0);
        let mut count = 0.0;
        for &v in frontier.iter() {
            if !plan.columns.weighs(v) {
                continue;
            }
            let w = weights[v as usize];
            count += w;
            if !opinions {
                continue;
            }
            let x = value[v as usize];
            for (j, &q) in plan.thresholds.iter().enumerate() {
                let positive = match plan.model {
                    Model::Signed => x > 0.0,
                    _ => x < q,
                };
                if positive {
                    r.positive_drawn[j] += w;
                }
                if tracked {
                    r.step_positive[base + j] += w * positive_probability[v as usize];
                }
            }
        }
        r.total += count;
        r.step_total.push(count);
        for (j, &q) in plan.thresholds.iter().enumerate() {
            let expected = match plan.model {
                Model::Ic | Model::Lt => count,
                Model::IcN if !tracked => count * global_positive(q, round),
                _ => r.step_positive[base + j],
            };
            if !opinions {
                r.positive_drawn[j] += count;
            }
            r.positive_expected[j] += expected;
            r.step_positive[base + j] = expected;
        }
    }
}

/// `P(positive)` of a node activated in `round` under one global quality `q` (IC-N):
/// `q^(1 + round)`.
#[inline]
fn global_positive(q: f64, round: u32) -> f64 {
    q.powi(round.saturating_add(1).min(i32::MAX as u32) as i32)
}

/// Adds the frontier (the nodes activated in `round`) to the per-account counters, with the
/// same positive probabilities [`record_round`] adds up.
fn record_accounts(plan: &Plan<'_>, s: &mut Scratch, round: u32) {
    let Scratch { accounts: Some(accounts), frontier, positive_probability, .. } = s else {
        return;
    };
    if tracks_probability(plan) {
        for &v in frontier.iter() {
            accounts.add(v, round, |_| fixed(positive_probability[v as usize]));
        }
        return;
    }
    for (slot, &q) in accounts.round_positive().iter_mut().zip(&plan.thresholds) {
        *slot = fixed(if plan.model == Model::IcN { global_positive(q, round) } else { 1.0 });
    }
    for &v in frontier.iter() {
        accounts.add_round(v, round);
    }
}

/// Counts `u`'s arc attempts and marks its out-neighbours aware (if awareness is counted),
/// adding the target weight of those newly aware when the plan has a target audience.
#[inline(always)]
fn hear(
    plan: &Plan<'_>,
    aware: &mut [u32],
    record: &mut TrialRecord,
    epoch: u32,
    lo: usize,
    hi: usize,
) {
    record.arcs += (hi - lo) as u64;
    if !plan.awareness {
        return;
    }
    match plan.columns.target() {
        None => mark_aware::<false>(plan, aware, record, epoch, lo, hi, &[]),
        Some(weights) => mark_aware::<true>(plan, aware, record, epoch, lo, hi, weights),
    }
}

/// [`hear`]'s awareness count; `WEIGHTED` also sums `weights` over the accounts newly aware.
#[inline(always)]
fn mark_aware<const WEIGHTED: bool>(
    plan: &Plan<'_>,
    aware: &mut [u32],
    record: &mut TrialRecord,
    epoch: u32,
    lo: usize,
    hi: usize,
    weights: &[f64],
) {
    let mask = aware.len() - 1;
    let aware = &mut aware[..=mask];
    let (mut newly, mut weight) = (0, 0.0);
    let mut mark = |v: NodeId| {
        // A branch, not a branch-free count: most arcs reach accounts already aware, so it is
        // well predicted and skips the store.
        let slot = &mut aware[v as usize & mask];
        if *slot != epoch {
            *slot = epoch;
            newly += 1;
            if WEIGHTED && plan.columns.weighs(v) {
                weight += weights[v as usize];
            }
        }
    };
    // Four at a time: the loop is a few instructions per arc, so its overhead matters.
    let row = &plan.targets[lo..hi];
    let mut quads = row.chunks_exact(4);
    for q in &mut quads {
        mark(q[0]);
        mark(q[1]);
        mark(q[2]);
        mark(q[3]);
    }
    quads.remainder().iter().for_each(|&v| mark(v));
    record.awareness += newly;
    if WEIGHTED {
        record.weighted[0].awareness += weight;
    }
}

/// This round's live arcs, drawn from the frontier: `arcs[k]` (arc index), `sources[k]` (the
/// position of its source in the frontier), `targets[k]`; and the frontier's rows.
///
/// Built in passes that give the same result as one loop: read the rows (bounds and sampling
/// parameters) of the whole frontier, draw every node's live arcs, then read their targets. Each pass issues
/// independent memory reads (row offsets and targets are random accesses on a large graph),
/// so the processor overlaps their cache misses instead of waiting for each in turn.
#[derive(Default)]
pub(crate) struct Round {
    rows: Vec<Row>,
    arcs: Vec<usize>,
    sources: Vec<u32>,
    pub(crate) targets: Vec<NodeId>,
}

/// Fills `live` for `frontier`, counting attempts and awareness into `record`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn draw_round(
    plan: &Plan<'_>,
    key: u64,
    epoch: u32,
    frontier: &[NodeId],
    aware: &mut [u32],
    record: &mut TrialRecord,
    live: &mut Round,
    with_sources: bool,
    cache: Option<&mut LiveCache>,
) {
    live.rows.clear();
    live.rows.extend(frontier.iter().map(|&u| plan.row(u)));
    live.arcs.clear();
    live.sources.clear();
    let (arcs, sources) = (&mut live.arcs, &mut live.sources);
    // Two loops rather than a test per node: the single-set run (no cache) is the hot path.
    match cache {
        None => {
            for (position, (&u, &row)) in frontier.iter().zip(&live.rows).enumerate() {
                hear(plan, aware, record, epoch, row.lo, row.hi);
                let mut rng = node_stream(key, u);
                plan.for_each_live(row, &mut rng, |i| {
                    arcs.push(i);
                    if with_sources {
                        sources.push(position as u32);
                    }
                });
            }
        }
        Some(c) => {
            for (position, (&u, &row)) in frontier.iter().zip(&live.rows).enumerate() {
                hear(plan, aware, record, epoch, row.lo, row.hi);
                if c.drawn[u as usize] == c.stamp {
                    let (lo, hi) = c.span[u as usize];
                    arcs.extend_from_slice(&c.arcs[lo..hi]);
                } else {
                    let start = c.arcs.len();
                    let mut rng = node_stream(key, u);
                    plan.for_each_live(row, &mut rng, |i| c.arcs.push(i));
                    c.span[u as usize] = (start, c.arcs.len());
                    c.drawn[u as usize] = c.stamp;
                    arcs.extend_from_slice(&c.arcs[start..]);
                }
                if with_sources {
                    sources.resize(arcs.len(), position as u32);
                }
            }
        }
    }
    live.targets.clear();
    live.targets.extend(live.arcs.iter().map(|&i| plan.targets[i]));
}

/// IC: every live arc into an unvisited node activates it.
fn expand_ic(plan: &Plan<'_>, s: &mut Scratch, key: u64) {
    let epoch = s.epoch;
    let Scratch { visit, aware, frontier, next, record, live, cache, .. } = s;
    draw_round(plan, key, epoch, frontier, aware, record, live, false, cache.as_mut());
    for &v in &live.targets {
        if visit[v as usize] != epoch {
            visit[v as usize] = epoch;
            next.push(v);
        }
    }
}

/// IC-N and signed spread: as IC, and each node activated in `new_round` keeps the attempt
/// with the smallest tie priority among its successful attempters.
fn expand_opinions(plan: &Plan<'_>, s: &mut Scratch, key: u64, new_round: u32) {
    let epoch = s.epoch;
    let track = tracks_probability(plan);
    let signed = plan.model == Model::Signed;
    let Scratch {
        visit,
        aware,
        round,
        best_tie,
        inherited,
        value,
        contribution,
        attempts,
        positive_probability,
        frontier,
        next,
        record,
        live,
        cache,
        ..
    } = s;
    draw_round(plan, key, epoch, frontier, aware, record, live, true, cache.as_mut());
    for ((&i, &source), &v) in live.arcs.iter().zip(&live.sources).zip(&live.targets) {
        let u = frontier[source as usize] as usize;
        let v = v as usize;
        let u_positive = if track { positive_probability[u] } else { 0.0 };
        let (passed, p_positive) = match plan.signs {
            Some(signs) if signed && signs[i] < 0 => (-value[u], 1.0 - u_positive),
            _ => (value[u], u_positive),
        };
        if visit[v] != epoch {
            visit[v] = epoch;
            round[v] = new_round;
            best_tie[v] = hash(key, TIE, i as u64);
            inherited[v] = passed;
            if track {
                contribution[v] = p_positive;
                attempts[v] = 1;
            }
            next.push(v as NodeId);
        } else if round[v] == new_round {
            let tie = hash(key, TIE, i as u64);
            if tie < best_tie[v] {
                best_tie[v] = tie;
                inherited[v] = passed;
            }
            if track {
                contribution[v] += p_positive;
                attempts[v] += 1;
            }
        }
    }
    for &v in next.iter() {
        let i = v as usize;
        if signed {
            value[i] = inherited[i];
        } else {
            value[i] = inherited[i].max(own_sign_variable(plan, key, v));
        }
        if track {
            let mean = contribution[i] / attempts[i] as f64;
            positive_probability[i] = if signed { mean } else { plan.quality_of(v) * mean };
        }
    }
}

/// LT: each frontier node adds its weight to every inactive out-neighbour; a neighbour whose
/// accumulated weight reaches its threshold activates in the next round.
fn expand_lt(plan: &Plan<'_>, s: &mut Scratch, key: u64) {
    let epoch = s.epoch;
    let Scratch { visit, aware, lt, frontier, next, record, .. } = s;
    for &u in frontier.iter() {
        let (lo, hi) = plan.bounds(u);
        hear(plan, aware, record, epoch, lo, hi);
        for i in lo..hi {
            let v = plan.targets[i] as usize;
            if visit[v] != epoch && lt.offer(plan, key, epoch, i, v) {
                visit[v] = epoch;
                next.push(v as NodeId);
            }
        }
    }
}
