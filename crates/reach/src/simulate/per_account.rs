//! Per-account outcomes: how often each account is reached, how likely it ends positive or
//! negative, and in which round it activates, counted by the kernel from the same trials as
//! every other metric (see [`SimConfig::per_account`](super::SimConfig::per_account)).
//!
//! # Counting
//! Each worker thread holds one row of counters per node, reused by every trial it runs: the
//! trials in which the node was reached, the sum of its activation rounds, and per quality the
//! sum of its probability of ending positive given the trial's live-edge graph (the same
//! Rao-Blackwellized value the positive reach adds up, see the module docs of
//! [`simulate`](super::simulate)), in fixed point with [`SCALE`] units per 1. Every counter
//! is an integer, so adding the workers' counters gives the same sums whatever trials each
//! worker ran: the outcomes are identical at any thread count. A probability rounded to
//! `1 / 2^32` moves a per-account probability by at most `2^-33`, far below the sampling
//! error of any feasible number of trials.
//!
//! The negative count is the reached count minus the positive one (every active account has
//! one of the two opinions), so it needs no counter of its own.
//!
//! # Cost
//! Time O(1 + qualities) per activation. Memory `8 x (2 + qualities)` bytes per node per
//! worker thread, plus the published outcomes, `32 x qualities` bytes per node (see
//! [`SimConfig::memory_estimate`](super::SimConfig::memory_estimate)).

use clout_graph::NodeId;
use serde::Serialize;

/// Fixed-point units of a probability of 1 in the positive counters.
pub(crate) const SCALE: u64 = 1 << 32;

/// Most trials whose counters cannot overflow: each adds at most [`SCALE`] to a `u64`.
pub(crate) const MAX_TRIALS: usize = u32::MAX as usize;

/// The outcomes of every account under one product quality, indexed by dense node id.
///
/// Probabilities are fractions of the trials run (with
/// [`SimConfig::precision`](super::SimConfig::precision), of those actually run before the
/// target or the cap was reached).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountOutcomes {
    /// The quality these outcomes are for (as in [`QualityOutcome::quality`](super::QualityOutcome::quality)).
    pub quality: f64,
    /// `P(v reached)`: the fraction of trials in which `v` was active (seeds: 1).
    /// `reached.iter().sum()` is the mean total reach.
    pub reached: Vec<f64>,
    /// `P(v ends positive)`, averaged over the trials of the conditional probability given
    /// each trial's live-edge graph (as the positive reach is). Sums to the mean positive reach.
    pub positive: Vec<f64>,
    /// `P(v ends negative)` = `reached - positive`. Sums to the mean negative reach.
    pub negative: Vec<f64>,
    /// The mean round in which `v` activated, over the trials in which it was reached (seeds:
    /// 0); NaN when it was never reached.
    pub mean_round: Vec<f64>,
}

/// One worker's counters: `stride = 2 + qualities` per node, laid out node by node so that an
/// activation touches one cache line: reached count, sum of rounds, then per quality the
/// positive probability in units of [`SCALE`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Counts {
    stride: usize,
    counts: Vec<u64>,
    /// Per quality: this round's positive probability in fixed point (global-quality IC-N).
    round_positive: Vec<u64>,
}

/// `p` in fixed point (`p` in `[0, 1]`).
#[inline]
pub(crate) fn fixed(p: f64) -> u64 {
    (p * SCALE as f64).round() as u64
}

impl Counts {
    /// Zeroed counters for `nodes` nodes and `qualities` qualities.
    pub(crate) fn new(nodes: usize, qualities: usize) -> Counts {
        let stride = 2 + qualities;
        Counts { stride, counts: vec![0; nodes * stride], round_positive: vec![0; qualities] }
    }

    /// Scratch for one round's per-quality positive probabilities.
    pub(crate) fn round_positive(&mut self) -> &mut [u64] {
        &mut self.round_positive
    }

    /// Counts `v` as activated in `round` with positive probabilities (per quality, fixed
    /// point) from `positive(j)`.
    #[inline]
    pub(crate) fn add(&mut self, v: NodeId, round: u32, positive: impl Fn(usize) -> u64) {
        let start = v as usize * self.stride;
        let row = &mut self.counts[start..start + self.stride];
        row[0] += 1;
        row[1] += round as u64;
        for (j, sum) in row[2..].iter_mut().enumerate() {
            *sum += positive(j);
        }
    }

    /// Counts `v` as activated in `round` with this round's positive probabilities
    /// ([`Counts::round_positive`]).
    #[inline]
    pub(crate) fn add_round(&mut self, v: NodeId, round: u32) {
        let start = v as usize * self.stride;
        let row = &mut self.counts[start..start + self.stride];
        row[0] += 1;
        row[1] += round as u64;
        for (sum, &p) in row[2..].iter_mut().zip(&self.round_positive) {
            *sum += p;
        }
    }

    /// Adds `other`'s counters (integer sums: the order of merging does not matter).
    pub(crate) fn merge(&mut self, other: &Counts) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    /// The published outcomes over `trials` trials, one per quality.
    pub(crate) fn outcomes(&self, qualities: &[f64], trials: u64) -> Vec<AccountOutcomes> {
        let trials = trials as f64;
        // Dividing by a power of two is exact, so each value is rounded once, by `/ trials`.
        let probability = |units: u64| units as f64 / SCALE as f64 / trials;
        let rows = || self.counts.chunks_exact(self.stride);
        let reached: Vec<f64> = rows().map(|r| r[0] as f64 / trials).collect();
        let mean_round: Vec<f64> =
            rows().map(|r| if r[0] == 0 { f64::NAN } else { r[1] as f64 / r[0] as f64 }).collect();
        qualities
            .iter()
            .enumerate()
            .map(|(j, &quality)| AccountOutcomes {
                quality,
                reached: reached.clone(),
                positive: rows().map(|r| probability(r[2 + j])).collect(),
                // Every reached account is positive or negative: the rest of its units.
                negative: rows().map(|r| probability(r[0] * SCALE - r[2 + j])).collect(),
                mean_round: mean_round.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_merge_and_publish() {
        let mut a = Counts::new(3, 2);
        let mut b = Counts::new(3, 2);
        a.add(0, 0, |j| fixed([1.0, 0.5][j]));
        b.add(0, 0, |j| fixed([1.0, 0.25][j]));
        a.round_positive().copy_from_slice(&[fixed(0.5), fixed(0.0)]);
        a.add_round(1, 3);
        b.add(1, 1, |_| 0);
        a.merge(&b);
        let out = a.outcomes(&[0.9, 0.4], 4);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].reached, [0.5, 0.5, 0.0]);
        assert_eq!(out[1].positive, [0.1875, 0.0, 0.0]);
        assert_eq!(out[0].positive, [0.5, 0.125, 0.0]);
        assert_eq!(out[0].negative, [0.0, 0.375, 0.0]);
        assert_eq!(out[1].negative, [0.3125, 0.5, 0.0]);
        assert_eq!(out[0].mean_round[..2], [0.0, 2.0]);
        assert!(out[1].mean_round[2].is_nan());
        assert_eq!(out[1].quality, 0.4);
    }
}
