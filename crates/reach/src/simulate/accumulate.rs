//! Per-trial records and their reduction, in trial order, into the published estimates.

use std::collections::TryReserveError;

use super::stats::{Estimate, IntMoments, Moments, Sums};
use super::{QualityOutcome, StepStat};

/// What one trial produced. Reused across trials (no allocation once warmed up).
#[derive(Debug, Clone, Default)]
pub(crate) struct TrialRecord {
    /// Accounts activated, seeds included.
    pub(crate) total: u32,
    /// Accounts that heard of the product.
    pub(crate) awareness: u32,
    /// Arc attempts (out-degrees of the nodes that got to attempt).
    pub(crate) arcs: u64,
    /// Per quality: expected positive reach given this trial's live-edge graph.
    pub(crate) positive_expected: Vec<f64>,
    /// Per quality: positive reach with this trial's sign coins.
    pub(crate) positive_drawn: Vec<u32>,
    /// Per step: activations.
    pub(crate) step_total: Vec<u32>,
    /// Per step and quality (`step * qualities + j`): expected new positive activations.
    pub(crate) step_positive: Vec<f64>,
}

impl TrialRecord {
    pub(crate) fn reset(&mut self, qualities: usize) {
        self.total = 0;
        self.awareness = 0;
        self.arcs = 0;
        self.positive_expected.clear();
        self.positive_expected.resize(qualities, 0.0);
        self.positive_drawn.clear();
        self.positive_drawn.resize(qualities, 0);
        self.step_total.clear();
        self.step_positive.clear();
    }
}

/// The reduction of a run of consecutive trials.
#[derive(Debug, Clone, Default)]
pub(crate) struct Block {
    qualities: usize,
    trials: u64,
    pub(crate) arcs: u64,
    pub(crate) total: IntMoments,
    awareness: IntMoments,
    positive: Vec<Moments>,
    negative: Vec<Moments>,
    /// Per quality: positive minus negative, per trial (so its spread counts their correlation).
    net: Vec<Moments>,
    backfires: Vec<u64>,
    step_positive: Vec<Sums>,
    step_negative: Vec<Sums>,
    /// Per trial, in trial order.
    pub(crate) totals: Vec<u32>,
    awarenesses: Vec<u32>,
    /// Per trial and quality (`trial * qualities + j`).
    positives_drawn: Vec<u32>,
}

impl Block {
    pub(crate) fn new(qualities: usize) -> Block {
        Block {
            qualities,
            positive: vec![Moments::default(); qualities],
            negative: vec![Moments::default(); qualities],
            net: vec![Moments::default(); qualities],
            backfires: vec![0; qualities],
            ..Block::default()
        }
    }

    /// Reserves room for the per-trial values of `more` trials, failing instead of aborting
    /// when that much memory cannot be had.
    pub(crate) fn try_reserve(&mut self, more: usize) -> Result<(), TryReserveError> {
        self.totals.try_reserve(more)?;
        self.awarenesses.try_reserve(more)?;
        self.positives_drawn.try_reserve(more.saturating_mul(self.qualities))
    }

    pub(crate) fn trials(&self) -> u64 {
        self.trials
    }

    pub(crate) fn push(&mut self, r: &TrialRecord) {
        let q = self.qualities;
        self.trials += 1;
        self.arcs += r.arcs;
        self.total.push(r.total);
        self.awareness.push(r.awareness);
        self.totals.push(r.total);
        self.awarenesses.push(r.awareness);
        for j in 0..q {
            let expected = r.positive_expected[j];
            self.positive[j].push(expected);
            self.negative[j].push(r.total as f64 - expected);
            self.net[j].push(2.0 * expected - r.total as f64);
            let drawn = r.positive_drawn[j];
            self.backfires[j] += (r.total - drawn > drawn) as u64;
            self.positives_drawn.push(drawn);
        }
        let steps = r.step_total.len();
        if self.step_positive.len() < steps * q {
            self.step_positive.resize(steps * q, Sums::default());
            self.step_negative.resize(steps * q, Sums::default());
        }
        for step in 0..steps {
            let count = r.step_total[step] as f64;
            for j in 0..q {
                let positive = r.step_positive[step * q + j];
                self.step_positive[step * q + j].push(positive);
                self.step_negative[step * q + j].push(count - positive);
            }
        }
    }

    /// Appends `later`, whose trials come after this block's.
    pub(crate) fn append(&mut self, later: Block) {
        self.trials += later.trials;
        self.arcs += later.arcs;
        self.total.merge(&later.total);
        self.awareness.merge(&later.awareness);
        for j in 0..self.qualities {
            self.positive[j].merge(&later.positive[j]);
            self.negative[j].merge(&later.negative[j]);
            self.net[j].merge(&later.net[j]);
            self.backfires[j] += later.backfires[j];
        }
        if self.step_positive.len() < later.step_positive.len() {
            self.step_positive.resize(later.step_positive.len(), Sums::default());
            self.step_negative.resize(later.step_negative.len(), Sums::default());
        }
        for (i, s) in later.step_positive.iter().enumerate() {
            self.step_positive[i].merge(s);
        }
        for (i, s) in later.step_negative.iter().enumerate() {
            self.step_negative[i].merge(s);
        }
        self.totals.extend_from_slice(&later.totals);
        self.awarenesses.extend_from_slice(&later.awarenesses);
        self.positives_drawn.extend_from_slice(&later.positives_drawn);
    }

    /// Relative half-width of the 95 % confidence interval of the mean total reach.
    pub(crate) fn total_relative_half_width(&self) -> f64 {
        super::stats::Z95 * self.total.std_error() / self.total.mean()
    }

    /// The published outcome for each quality.
    pub(crate) fn outcomes(
        &self,
        qualities: &[f64],
        conversion_rate: Option<f64>,
        awareness_counted: bool,
    ) -> Vec<QualityOutcome> {
        let q = self.qualities;
        let sorted = |mut v: Vec<u32>| {
            v.sort_unstable();
            v
        };
        let totals = sorted(self.totals.clone());
        let total = Estimate::new(self.total.mean(), self.total.std_error(), &totals);
        let awareness = if awareness_counted {
            Estimate::new(
                self.awareness.mean(),
                self.awareness.std_error(),
                &sorted(self.awarenesses.clone()),
            )
        } else {
            Estimate::not_computed()
        };
        let steps = self.step_positive.len() / q.max(1);
        (0..q)
            .map(|j| {
                let drawn: Vec<u32> =
                    self.positives_drawn.iter().skip(j).step_by(q).copied().collect();
                let negatives: Vec<u32> =
                    drawn.iter().zip(&self.totals).map(|(&p, &t)| t - p).collect();
                let mut nets: Vec<f64> = drawn
                    .iter()
                    .zip(&self.totals)
                    .map(|(&p, &t)| 2.0 * p as f64 - t as f64)
                    .collect();
                nets.sort_unstable_by(f64::total_cmp);
                let net = Estimate::new(self.net[j].mean(), self.net[j].std_error(), &nets);
                let positive = Estimate::new(
                    self.positive[j].mean(),
                    self.positive[j].std_error(),
                    &sorted(drawn),
                );
                let negative = Estimate::new(
                    self.negative[j].mean(),
                    self.negative[j].std_error(),
                    &sorted(negatives),
                );
                QualityOutcome {
                    quality: qualities[j],
                    conversions: conversion_rate.map(|r| positive.scaled(r)),
                    positive,
                    negative,
                    net,
                    total: total.clone(),
                    awareness: awareness.clone(),
                    backfire_risk: Estimate::proportion(self.backfires[j], self.trials),
                    steps: (0..steps)
                        .map(|s| StepStat {
                            step: s as u32,
                            new_positive: self.step_positive[s * q + j].band(self.trials),
                            new_negative: self.step_negative[s * q + j].band(self.trials),
                        })
                        .collect(),
                }
            })
            .collect()
    }
}
