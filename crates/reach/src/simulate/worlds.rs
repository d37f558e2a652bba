//! A fixed set of IC trials and a growing seed set: the marginal reach of a node over all the
//! trials, without re-simulating the seeds already chosen.
//!
//! A trial's live-edge graph does not depend on the seeds (see [`random`](super::random)), so
//! the accounts the chosen seeds reach in trial `t` can be kept (one bit per node and trial),
//! and the marginal reach of `v` in trial `t` is what a search from `v` over the trial's live
//! arcs finds outside that set. Summed over trials it is exactly `sum_t |R_t(S + v)| - |R_t(S)|`,
//! the difference of the per-trial totals [`simulate`](super::simulate) would give for the two
//! sets with the same seed. A search from `v` costs what `v` adds, not what `S + v` reaches,
//! which is what makes a greedy over Monte Carlo estimates (CELF) affordable past its first
//! round.
//!
//! Memory: `trials x ceil(n / 64) x 8` bytes of reached bits, plus O(n) scratch per worker.
//! Work is split over fixed blocks of trials and the counts are integers, so results are the
//! same at any thread count.

use std::sync::Mutex;

use clout_graph::{Graph, NodeId};
use rayon::prelude::*;

use super::plan::Plan;
use super::random::{node_stream, trial_key};
use super::{SimConfig, SimError, validate};
use crate::model::Model;
use crate::prob::EdgeProbs;

/// Trials per parallel work unit.
const BLOCK: usize = 32;

/// IC trials with the reach of a growing seed set kept per trial.
pub struct IcWorlds<'a> {
    plan: Plan<'a>,
    trials: usize,
    /// Words of reached bits per trial.
    words: usize,
    /// `reached[t * words ..][v / 64]` bit `v % 64`: the chosen seeds reach `v` in trial `t`.
    reached: Vec<u64>,
    pool: Mutex<Vec<Search>>,
}

/// One trial's reached bits, read-only or marked as a search finds accounts.
trait Bits {
    fn get(&self, v: NodeId) -> bool;
    fn set(&mut self, v: NodeId);
}

struct Reading<'b>(&'b [u64]);
struct Marking<'b>(&'b mut [u64]);

impl Bits for Reading<'_> {
    #[inline]
    fn get(&self, v: NodeId) -> bool {
        self.0[v as usize / 64] >> (v % 64) & 1 == 1
    }
    #[inline]
    fn set(&mut self, _: NodeId) {}
}

impl Bits for Marking<'_> {
    #[inline]
    fn get(&self, v: NodeId) -> bool {
        self.0[v as usize / 64] >> (v % 64) & 1 == 1
    }
    #[inline]
    fn set(&mut self, v: NodeId) {
        self.0[v as usize / 64] |= 1 << (v % 64);
    }
}

/// Per-worker search scratch.
#[derive(Default)]
struct Search {
    epoch: u32,
    visit: Vec<u32>,
    stack: Vec<NodeId>,
}

impl Search {
    fn next_epoch(&mut self, n: usize) {
        if self.visit.len() != n {
            self.visit = vec![0; n];
            self.epoch = 0;
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.visit.fill(0);
            self.epoch = 1;
        }
    }
}

impl<'a> IcWorlds<'a> {
    /// Bytes [`IcWorlds::new`] allocates for `trials` trials on `graph` with `threads` workers.
    pub fn memory_estimate(graph: &Graph, trials: usize, threads: usize) -> u64 {
        let n = graph.node_count() as u64;
        let words = n.div_ceil(64);
        let bits = words.saturating_mul(8).saturating_mul(trials as u64);
        let scratch = n.saturating_mul(8).saturating_mul(threads.max(1) as u64);
        bits.saturating_add(scratch).saturating_add(n.saturating_mul(16))
    }

    /// `trials` IC trials of `graph` under `probs` with random seed `seed` (the trials
    /// [`simulate`](super::simulate) runs with that seed), with no seed chosen yet. Errors:
    /// fewer than 2 trials, probabilities of another graph, or reached bits that cannot be
    /// allocated.
    pub fn new(
        graph: &'a Graph,
        probs: &'a EdgeProbs,
        trials: usize,
        seed: u64,
    ) -> Result<IcWorlds<'a>, SimError> {
        let cfg = SimConfig { trials, seed, ..SimConfig::default() };
        if graph.node_count() > 0 {
            validate(graph, probs, &[0], &cfg)?;
        }
        let n = graph.node_count();
        let plan = Plan::new(graph, probs, Model::Ic, vec![1.0], None, None, seed, false, false);
        let words = n.div_ceil(64);
        let len = words.checked_mul(trials);
        let mut reached = Vec::new();
        let out_of_memory =
            || SimError::OutOfMemory { trials, estimate: Self::memory_estimate(graph, trials, 1) };
        reached.try_reserve_exact(len.ok_or_else(out_of_memory)?).map_err(|_| out_of_memory())?;
        reached.resize(words * trials, 0);
        Ok(IcWorlds { plan, trials, words, reached, pool: Mutex::new(Vec::new()) })
    }

    /// Number of trials.
    pub fn trials(&self) -> usize {
        self.trials
    }

    /// Accounts `v` would add to the chosen seeds' reach, summed over the trials.
    pub fn gain(&self, v: NodeId) -> u64 {
        self.reached
            .par_chunks(self.words * BLOCK)
            .enumerate()
            .map(|(block, bits)| {
                let mut s = self.take();
                let mut sum = 0;
                for (i, trial_bits) in bits.chunks(self.words).enumerate() {
                    let trial = (block * BLOCK + i) as u64;
                    sum += self.search(&mut s, trial, v, &mut Reading(trial_bits));
                }
                self.give(s);
                sum
            })
            .sum()
    }

    /// Adds `v` to the chosen seeds; returns what it added, summed over the trials.
    pub fn add(&mut self, v: NodeId) -> u64 {
        let words = self.words;
        let mut reached = std::mem::take(&mut self.reached);
        let added = reached
            .par_chunks_mut(words * BLOCK)
            .enumerate()
            .map(|(block, bits)| {
                let mut s = self.take();
                let mut sum = 0;
                for (i, trial_bits) in bits.chunks_mut(words).enumerate() {
                    let trial = (block * BLOCK + i) as u64;
                    sum += self.search(&mut s, trial, v, &mut Marking(trial_bits));
                }
                self.give(s);
                sum
            })
            .sum();
        self.reached = reached;
        added
    }

    /// Searches trial `trial`'s live arcs from `v`, skipping accounts the chosen seeds reach;
    /// counts what it finds (and marks it, when `bits` marks).
    fn search(&self, s: &mut Search, trial: u64, v: NodeId, bits: &mut impl Bits) -> u64 {
        if bits.get(v) {
            return 0;
        }
        let key = trial_key(self.plan.seed, trial);
        s.next_epoch(self.plan.node_count);
        let epoch = s.epoch;
        let Search { visit, stack, .. } = s;
        visit[v as usize] = epoch;
        stack.push(v);
        let mut found = 0;
        while let Some(u) = stack.pop() {
            found += 1;
            bits.set(u);
            let mut rng = node_stream(key, u);
            self.plan.for_each_live(self.plan.row(u), &mut rng, |i| {
                let w = self.plan.targets[i];
                if visit[w as usize] != epoch && !bits.get(w) {
                    visit[w as usize] = epoch;
                    stack.push(w);
                }
            });
        }
        found
    }

    fn take(&self) -> Search {
        self.pool.lock().ok().and_then(|mut p| p.pop()).unwrap_or_default()
    }

    fn give(&self, s: Search) {
        if let Ok(mut p) = self.pool.lock() {
            p.push(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prob::ProbSpec;
    use crate::simulate::simulate;

    #[test]
    fn ic_worlds_gains_are_the_differences_of_simulated_totals() {
        let n = 200u32;
        let g = crate::testing::random_graph(n, 1500, 4);
        for spec in [ProbSpec::WeightedCascade, ProbSpec::Uniform(0.1)] {
            let probs = EdgeProbs::new(&g, spec).unwrap();
            let trials = 70; // not a multiple of the block
            let mut worlds = IcWorlds::new(&g, &probs, trials, 9).unwrap();
            let cfg = SimConfig { trials, seed: 9, ..SimConfig::default() };
            let total = |seeds: &[NodeId]| -> u64 {
                simulate(&g, &probs, seeds, &cfg)
                    .unwrap()
                    .trial_totals
                    .iter()
                    .map(|&t| t as u64)
                    .sum()
            };
            let mut chosen: Vec<NodeId> = Vec::new();
            let mut value = 0;
            for v in [5, 17, 5, 120, 3] {
                for w in [0, 5, 60, 199] {
                    let mut with = chosen.clone();
                    with.push(w);
                    assert_eq!(
                        value + worlds.gain(w),
                        total(&with),
                        "{spec} adding {w} to {chosen:?}"
                    );
                }
                value += worlds.add(v);
                chosen.push(v);
                assert_eq!(value, total(&chosen), "{spec} {chosen:?}");
            }
        }
    }
}
