//! Seed selection by IMM ([`clout::reach::select::imm()`]) with the RR sets partitioned across
//! processes (the scheme of Ripples: Minutillo, Kalyanaraman et al., "Ripples: A Scalable
//! Parallel Influence Maximization Framework", SC 2019), giving one machine's answer exactly.
//!
//! # Why the answer is the same
//! RR set `i` of a phase is drawn only from `Rng::stream(phase seed, i)`. Each time a sample
//! grows from `a` to `b` sets, process `p` of `N` draws the contiguous share
//! `a + (b - a)·p/N .. a + (b - a)·(p + 1)/N` of the new indices
//! ([`RrSampler::try_extend_range`]); the union over processes is the sample one machine
//! draws, set for set. A truncation to the first `θ` sets keeps, on each process, its sets
//! below `θ` (a prefix of its own, as its shares ascend).
//!
//! The greedy picks, at every step, the lexicographic maximum of (coverage gain, tie-break,
//! smaller id) over the candidates not chosen yet, which is what the single machine's lazy
//! greedy picks ([`clout::reach::select::greedy::lazy_greedy`]). Gains are integer coverage
//! counts, and a count over the whole sample is the sum of the processes' counts, exactly;
//! so every process holds the same global counts, picks the same node, and every number
//! derived from the counts (the estimation phase's stopping test, the gains, the estimate)
//! equals one machine's bit for bit.
//!
//! # What each greedy run sends
//! - Step 0: every process's nonzero coverage counts, `(node, count)` as two little-endian
//!   `u32` (8 bytes per node that one of its sets contains), to every other process.
//! - After each pick but the last: the counts that the pick lowered on this process,
//!   `(node, decrease)`, 8 bytes each: one entry per distinct member of the sets the pick
//!   newly covers here. Each process sends about `1/N` of what one machine's update touches.
//! - Once at the end: 24 bytes per process (members, arcs examined and peak bytes, for the
//!   statistics).
//!
//! # Limits
//! IC and LT, `k` seeds, unit weights: the objective is an integer count. IC-N's weighted
//! coverage is a sum of floats in set order, and budgets and per-account weights feed floats
//! into the greedy and the bounds, so they are refused ([`SelectError::InvalidConfig`]).
//! [`SelectConfig::memory_limit`] is not projected across processes; memory that cannot be
//! allocated is still [`SelectError::MemoryLimit`]. The sampling statistics' `peak_bytes` is
//! the sum of the processes' peaks (each process's RR sets and index); the other statistics
//! equal one machine's.

use std::ops::Range;

use clout::graph::{Graph, NodeId};
use clout::reach::select::coverage::coverage_of;
use clout::reach::select::greedy::Greedy;
use clout::reach::select::imm::{Estimation, selection_size};
use clout::reach::select::index::Index;
use clout::reach::select::opim::Schedule;
use clout::reach::select::{
    Guarantee, Method, Plan, RrSampler, RrSets, Sampling, SelectConfig, SelectError, Selection,
    direct_reach, phase_seed,
};
use clout::reach::{EdgeProbs, Model};

use crate::collective::{Collective, Traffic};
use crate::error::ClusterError;

/// A distributed selection's result on one process.
#[derive(Debug, Clone)]
pub struct SelectionRun {
    /// The selection (the same on every process).
    pub selection: Selection,
    /// RR sets of the final sample held by this process.
    pub own_sets: usize,
    /// Greedy steps that exchanged coverage counts (all greedy runs).
    pub greedy_rounds: u64,
    /// Payload bytes this process sent in those steps.
    pub greedy_bytes: u64,
    /// The bytes this process sent and received, including the start-up check.
    pub traffic: Traffic,
}

/// Refuses what cannot give one machine's answer exactly across processes.
fn check_supported(cfg: &SelectConfig) -> Result<(), ClusterError> {
    let refuse = |parameter, reason: &str| {
        Err(ClusterError::Selection(SelectError::InvalidConfig {
            parameter,
            reason: reason.to_string(),
        }))
    };
    if !matches!(cfg.model, Model::Ic | Model::Lt) {
        return refuse(
            "model",
            "across processes, seeds are selected under IC and LT only (IC-N's weighted \
             coverage is a float sum whose order a split changes; signed spread has no RR sets)",
        );
    }
    if cfg.budget.is_some() {
        return refuse("budget", "across processes, seeds are selected by number, not by budget");
    }
    if cfg.weights.is_some() {
        return refuse(
            "weights",
            "across processes, every account is worth 1 (no target audience or conversion \
             weights)",
        );
    }
    Ok(())
}

/// This process's share of one RR sample.
struct Part<'g> {
    sampler: RrSampler<'g>,
    sets: RrSets,
    /// Global indices of `sets`, ascending.
    ranges: Vec<Range<usize>>,
    /// Sets in the whole sample (over all processes).
    total: usize,
    /// Node -> sets index, kept up to date only for a sample the greedy runs on.
    index: Index,
    indexed: bool,
    n: usize,
    process: usize,
    processes: usize,
}

impl<'g> Part<'g> {
    /// An empty share of a sample drawn by `sampler` for `collective`'s process.
    fn new(sampler: RrSampler<'g>, n: usize, indexed: bool, collective: &Collective) -> Self {
        let sets = RrSets::new(false);
        let index = Index::build(&sets, n);
        Part {
            sampler,
            sets,
            ranges: Vec::new(),
            total: 0,
            index,
            indexed,
            n,
            process: collective.index(),
            processes: collective.peers(),
        }
    }

    /// Grows the whole sample to `total` sets: this process draws its share of the new ones.
    fn grow(&mut self, total: usize, seed: u64) -> Result<(), ClusterError> {
        if total <= self.total {
            return Ok(());
        }
        let (a, new) = (self.total, total - self.total);
        let lo = a + new * self.process / self.processes;
        let hi = a + new * (self.process + 1) / self.processes;
        self.sampler.try_extend_range(&mut self.sets, lo, hi, seed).map_err(|_| {
            ClusterError::Selection(SelectError::MemoryLimit {
                needed: (hi - lo) as u64 * 12,
                limit: None,
                sets: hi - lo,
            })
        })?;
        self.ranges.push(lo..hi);
        self.total = total;
        if self.indexed {
            self.index.extend(&self.sets);
        }
        Ok(())
    }

    /// Keeps the first `total` sets of the whole sample.
    fn truncate(&mut self, total: usize) {
        if total >= self.total {
            return;
        }
        let keep = self.ranges.iter().map(|r| r.end.min(total).saturating_sub(r.start)).sum();
        self.sets.truncate(keep);
        for r in &mut self.ranges {
            r.end = r.end.min(total).max(r.start);
        }
        self.total = total;
        self.index = Index::build(&self.sets, self.n);
    }

    fn memory_bytes(&self) -> usize {
        self.sets.memory_bytes() + self.index.memory_bytes()
    }
}

/// `(node, value)` pairs as little-endian `u32`s.
fn encode(pairs: impl Iterator<Item = (NodeId, u32)>) -> Vec<u8> {
    let mut out = Vec::new();
    for (v, x) in pairs {
        out.extend_from_slice(&v.to_le_bytes());
        out.extend_from_slice(&x.to_le_bytes());
    }
    out
}

/// Decodes [`encode`]'s pairs, checking node ids against `n`.
fn decode(bytes: &[u8], n: usize) -> Result<Vec<(usize, u64)>, ClusterError> {
    if bytes.len() % 8 != 0 {
        return Err(ClusterError::Protocol(format!("{} bytes of coverage counts", bytes.len())));
    }
    bytes
        .chunks_exact(8)
        .map(|c| {
            let v = u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize;
            let x = u32::from_le_bytes([c[4], c[5], c[6], c[7]]) as u64;
            if v < n {
                Ok((v, x))
            } else {
                Err(ClusterError::Protocol(format!("coverage count of node {v} of {n}")))
            }
        })
        .collect()
}

/// What the distributed greedy chose: seeds, their gains in sets, the covered sets, and (when
/// asked for) OPIM-C's upper bound on the best coverage of `k` seeds.
struct Picked {
    seeds: Vec<NodeId>,
    gains: Vec<f64>,
    value: f64,
    upper: Option<f64>,
}

/// OPIM-C's bound at one greedy prefix: the coverage so far plus the `k` largest current
/// gains among the candidates not chosen, exactly as the single machine's lazy greedy sums
/// them ([`clout::reach::select::greedy::lazy_greedy`] with `upper_bound`). Counts are
/// integers, so the sum is exact in any order.
fn prefix_bound(
    counts: &[u64],
    candidates: &[NodeId],
    chosen: &[bool],
    k: usize,
    value: u64,
) -> u64 {
    let mut open: Vec<u64> =
        candidates.iter().filter(|&&v| !chosen[v as usize]).map(|&v| counts[v as usize]).collect();
    let top = k.min(open.len());
    if top > 0 && top < open.len() {
        open.select_nth_unstable_by(top - 1, |a, b| b.cmp(a));
    }
    value + open[..top].iter().sum::<u64>()
}

/// Greedy max coverage for `k` seeds over the whole sample, each step's counts summed across
/// processes. See the module docs for why this is one machine's pick.
/// With `upper`, also OPIM-C's bound: the minimum over every prefix `0..=k` of
/// [`prefix_bound`], which needs the counts after the last pick too (one more exchange).
fn greedy(
    collective: &mut Collective,
    part: &Part,
    candidates: &[NodeId],
    (k, upper): (usize, bool),
    tie_break: &[f64],
    steps: &mut (u64, u64),
) -> Result<Picked, ClusterError> {
    let n = part.n;
    let mut gather = |collective: &mut Collective, payload: Vec<u8>| {
        let before = collective.traffic().sent;
        let all = collective.all_gather(payload)?;
        steps.0 += 1;
        steps.1 += collective.traffic().sent - before;
        all.iter().map(|bytes| decode(bytes, n)).collect::<Result<Vec<_>, _>>()
    };
    let own = encode(
        (0..n as NodeId).map(|v| (v, part.index.count(v) as u32)).filter(|&(_, count)| count > 0),
    );
    let mut counts = vec![0u64; n];
    for (v, x) in gather(collective, own)?.into_iter().flatten() {
        counts[v] += x;
    }
    let mut chosen = vec![false; n];
    let mut covered = vec![false; part.sets.len()];
    let mut drop = vec![0u32; n];
    let mut touched: Vec<NodeId> = Vec::new();
    let mut out = Picked {
        seeds: Vec::with_capacity(k),
        gains: Vec::with_capacity(k),
        value: 0.0,
        upper: None,
    };
    let mut covered_sets = 0u64;
    loop {
        if upper {
            let u = prefix_bound(&counts, candidates, &chosen, k, covered_sets) as f64;
            out.upper = Some(out.upper.map_or(u, |x: f64| x.min(u)));
        }
        if out.seeds.len() >= k {
            break;
        }
        let best = candidates.iter().copied().filter(|&v| !chosen[v as usize]).max_by(|&a, &b| {
            counts[a as usize]
                .cmp(&counts[b as usize])
                .then_with(|| tie_break[a as usize].total_cmp(&tie_break[b as usize]))
                .then_with(|| b.cmp(&a))
        });
        let Some(pick) = best else { break };
        chosen[pick as usize] = true;
        out.seeds.push(pick);
        out.gains.push(counts[pick as usize] as f64);
        out.value += counts[pick as usize] as f64;
        covered_sets += counts[pick as usize];
        if out.seeds.len() == k && !upper {
            break;
        }
        for &r in part.index.sets_of(pick) {
            if !std::mem::replace(&mut covered[r as usize], true) {
                for &w in part.sets.set(r as usize) {
                    if drop[w as usize] == 0 {
                        touched.push(w);
                    }
                    drop[w as usize] += 1;
                }
            }
        }
        let own = encode(touched.drain(..).map(|w| (w, std::mem::take(&mut drop[w as usize]))));
        for (v, x) in gather(collective, own)?.into_iter().flatten() {
            counts[v] -= x;
        }
    }
    Ok(out)
}

/// What IMM and OPIM-C need before sampling, as one machine computes it: the refusals, the
/// plan and the greedy's tie-break (direct reach).
fn prepare(
    graph: &Graph,
    probs: &EdgeProbs,
    cfg: &SelectConfig,
) -> Result<(Plan, Vec<f64>), ClusterError> {
    check_supported(cfg)?;
    let plan = Plan::new(graph, cfg)
        .and_then(|p| p.with_direct_floor(graph, probs))
        .map_err(ClusterError::Selection)?;
    Ok((plan, direct_reach(graph, probs, None)))
}

/// IMM ([`clout::reach::select::imm()`]) with the RR sets split across the processes; the
/// selection equals one machine's for the same configuration (see the module docs).
///
/// # Errors
/// [`ClusterError::Selection`] for what `imm` refuses and for IC-N, budgets and weights; the
/// all-gather's errors; [`ClusterError::Protocol`] for counts that do not decode.
pub fn imm(
    collective: &mut Collective,
    graph: &Graph,
    probs: &EdgeProbs,
    cfg: &SelectConfig,
) -> Result<SelectionRun, ClusterError> {
    let (plan, tie_break) = prepare(graph, probs, cfg)?;
    let (n, scale) = (plan.n, plan.scale);
    let mut part = Part::new(plan.sampler(graph, probs, false), n, true, collective);
    let seed = phase_seed(cfg.seed, 1);
    let mut stats = Sampling::default();
    let mut peak = 0usize;
    let mut steps = (0u64, 0u64);

    // Phase 1 (estimation), as one machine runs it.
    let estimation = Estimation::new(&plan, cfg);
    let mut lb = plan.opt_floor;
    for i in estimation.rounds() {
        part.grow(estimation.sets(i), seed)?;
        peak = peak.max(part.memory_bytes());
        let picked =
            greedy(collective, &part, &plan.candidates, (plan.k, false), &tie_break, &mut steps)?;
        stats.rounds = i;
        if let Some(bound) = estimation.lower_bound(i, picked.value, part.total) {
            lb = lb.max(bound);
            break;
        }
    }
    stats.estimation_sets = part.total;
    stats.lower_bound_opt = Some(lb);

    // Phase 2 (selection) on the first θ sets of the same sequence.
    let theta = selection_size(&plan, cfg, lb);
    part.grow(theta, seed)?;
    let (members, arcs) = (part.sets.total_members() as u64, part.sets.arcs_examined());
    part.truncate(theta);
    peak = peak.max(part.memory_bytes());
    let picked =
        greedy(collective, &part, &plan.candidates, (plan.k, false), &tie_break, &mut steps)?;
    stats.selection_sets = part.total;

    // The statistics: sums over the processes.
    let sums = sum_over_processes(collective, [members, arcs, peak as u64])?;
    stats.members = sums[0] as usize;
    stats.arcs_examined = sums[1];
    stats.peak_bytes = sums[2] as usize;

    let per_set = scale / theta as f64;
    let ratio = plan.greedy_ratio(cfg);
    let a_priori = Some(ratio - cfg.epsilon);
    let statement = clout::reach::select::imm::statement(cfg, &plan, a_priori, None, ratio);
    let selection = Selection {
        method: Method::Imm,
        model: cfg.model,
        cost: None,
        gains: picked.gains.iter().map(|g| g * per_set).collect(),
        seeds: picked.seeds,
        estimate: Some(picked.value * per_set),
        guarantee: Guarantee { a_priori, a_posteriori: None, delta: plan.delta, statement },
        sampling: Some(stats),
    };
    Ok(SelectionRun {
        selection,
        own_sets: part.sets.len(),
        greedy_rounds: steps.0,
        greedy_bytes: steps.1,
        traffic: collective.traffic(),
    })
}

/// Every process's `values`, summed element by element (exact: integers).
fn sum_over_processes<const K: usize>(
    collective: &mut Collective,
    values: [u64; K],
) -> Result<[u64; K], ClusterError> {
    let own: Vec<u8> = values.iter().flat_map(|x| x.to_le_bytes()).collect();
    let mut sums = [0u64; K];
    for bytes in collective.all_gather(own)? {
        if bytes.len() != 8 * K {
            return Err(ClusterError::Protocol(format!(
                "{} bytes of sums, expected {}",
                bytes.len(),
                8 * K
            )));
        }
        for (sum, c) in sums.iter_mut().zip(bytes.chunks_exact(8)) {
            *sum += u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        }
    }
    Ok(sums)
}

/// OPIM-C ([`clout::reach::select::opim()`]) with both RR samples split across the
/// processes; the selection equals one machine's for the same configuration: the same seeds,
/// gains, estimate, bounds and stopping round.
///
/// Why: the selection sample `R1` and the validation sample `R2` are drawn from their own
/// phase seeds, split by index like IMM's sample (see the module docs), so their unions are one
/// machine's samples. The greedy on `R1` picks from the summed coverage counts as IMM's does;
/// OPIM-C's upper bound at each prefix (coverage plus the `k` largest gains of the candidates
/// not chosen) is computed from those same global counts, and the chosen set's coverage of
/// `R2` is the sum of the processes' integer counts. Both bounds, the ratio and the stopping
/// test then come from [`Schedule`], the single machine's own code, with the same inputs.
///
/// What it sends, per round: the greedy's messages as for IMM (with one more step after the
/// last pick, for the bound at the full prefix: `k + 1` steps), then 8 bytes (the `R2`
/// coverage); once at the end 24 bytes of statistics.
///
/// # Errors
/// As [`imm`].
pub fn opim(
    collective: &mut Collective,
    graph: &Graph,
    probs: &EdgeProbs,
    cfg: &SelectConfig,
) -> Result<SelectionRun, ClusterError> {
    let (plan, tie_break) = prepare(graph, probs, cfg)?;
    let n = plan.n;
    let schedule = Schedule::new(&plan, cfg);
    let mut first = Part::new(plan.sampler(graph, probs, false), n, true, collective);
    let mut second = Part::new(plan.sampler(graph, probs, false), n, false, collective);
    let (seed_1, seed_2) = (phase_seed(cfg.seed, 4), phase_seed(cfg.seed, 5));
    let mut peak = 0usize;
    let mut steps = (0u64, 0u64);
    let mut round = 1usize;
    loop {
        let (theta, theta_1) = (schedule.validation_sets(round), schedule.selection_sets(round));
        first.grow(theta_1, seed_1)?;
        second.grow(theta, seed_2)?;
        peak = peak.max(first.memory_bytes() + second.sets.memory_bytes());
        let picked =
            greedy(collective, &first, &plan.candidates, (plan.k, true), &tie_break, &mut steps)?;
        let own = coverage_of(&second.sets, n, &picked.seeds, None) as u64;
        let [covered] = sum_over_processes(collective, [own])?;
        let covered = covered as f64;
        let sizes = (theta, theta_1);
        let posterior = schedule.posterior(&plan, &picked.seeds, covered, picked.upper, sizes);
        if !schedule.stops(round, &posterior) {
            round += 1;
            continue;
        }
        let members = (first.sets.total_members() + second.sets.total_members()) as u64;
        let arcs = first.sets.arcs_examined() + second.sets.arcs_examined();
        let sums = sum_over_processes(collective, [members, arcs, peak as u64])?;
        let stats = Sampling {
            members: sums[0] as usize,
            arcs_examined: sums[1],
            peak_bytes: sums[2] as usize,
            ..Sampling::default()
        };
        let choice = Greedy {
            cost: picked.seeds.len() as f64,
            seeds: picked.seeds,
            gains: picked.gains,
            value: picked.value,
            upper: picked.upper,
        };
        let selection =
            schedule.selection(&plan, cfg, round, choice, covered, posterior, sizes, stats);
        return Ok(SelectionRun {
            selection,
            own_sets: first.sets.len() + second.sets.len(),
            greedy_rounds: steps.0,
            greedy_bytes: steps.1,
            traffic: collective.traffic(),
        });
    }
}
