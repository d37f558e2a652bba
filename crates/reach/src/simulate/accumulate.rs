//! Per-trial records and their reduction, in trial order, into the published estimates.

use std::collections::TryReserveError;

use super::plan::Columns;
use super::stats::{Estimate, IntMoments, Moments, Sums};
use super::{QualityOutcome, StepStat, TargetOutcome};

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
    /// The same sums in the weight of each column of the plan.
    pub(crate) weighted: Vec<WeightedRecord>,
}

/// What one trial produced in one weight column: each account counted adds its weight.
#[derive(Debug, Clone, Default)]
pub(crate) struct WeightedRecord {
    pub(crate) total: f64,
    /// Counted for the target column only.
    pub(crate) awareness: f64,
    pub(crate) positive_expected: Vec<f64>,
    pub(crate) positive_drawn: Vec<f64>,
    pub(crate) step_total: Vec<f64>,
    pub(crate) step_positive: Vec<f64>,
    /// Per round (target column, awareness counted): the weight that newly heard of the
    /// product by the round's attempts (round 0: the seeds). May be one round longer than the
    /// activations, for the last attempts that activated nobody.
    pub(crate) step_aware: Vec<f64>,
    /// `awareness` when `step_aware` last grew.
    pub(crate) aware_recorded: f64,
}

impl WeightedRecord {
    fn reset(&mut self, qualities: usize) {
        self.total = 0.0;
        self.awareness = 0.0;
        self.aware_recorded = 0.0;
        self.step_aware.clear();
        self.positive_expected.clear();
        self.positive_expected.resize(qualities, 0.0);
        self.positive_drawn.clear();
        self.positive_drawn.resize(qualities, 0.0);
        self.step_total.clear();
        self.step_positive.clear();
    }
}

impl TrialRecord {
    /// Clears the record for a trial with `qualities` qualities and `columns` weight columns.
    pub(crate) fn reset(&mut self, qualities: usize, columns: usize) {
        self.weighted.resize_with(columns, WeightedRecord::default);
        self.weighted.iter_mut().for_each(|w| w.reset(qualities));
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
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
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
    /// One per weight column of the plan.
    weighted: Vec<WeightedBlock>,
    /// Column 0 is the target audience: precision is judged on its total.
    target: bool,
}

/// The reduction of one weight column over consecutive trials (as [`Block`], in `f64`).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct WeightedBlock {
    total: Moments,
    awareness: Moments,
    positive: Vec<Moments>,
    negative: Vec<Moments>,
    net: Vec<Moments>,
    backfires: Vec<u64>,
    step_positive: Vec<Sums>,
    step_negative: Vec<Sums>,
    step_aware: Vec<Sums>,
    totals: Vec<f64>,
    awarenesses: Vec<f64>,
    positives_drawn: Vec<f64>,
}

impl Block {
    /// An empty reduction of `qualities` qualities and the weight `columns` of a plan.
    pub(crate) fn new(qualities: usize, columns: &Columns) -> Block {
        let column = WeightedBlock {
            positive: vec![Moments::default(); qualities],
            negative: vec![Moments::default(); qualities],
            net: vec![Moments::default(); qualities],
            backfires: vec![0; qualities],
            ..WeightedBlock::default()
        };
        Block {
            weighted: vec![column; columns.len()],
            target: columns.target,
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
        self.positives_drawn.try_reserve(more.saturating_mul(self.qualities))?;
        for w in &mut self.weighted {
            w.totals.try_reserve(more)?;
            w.awarenesses.try_reserve(more)?;
            w.positives_drawn.try_reserve(more.saturating_mul(self.qualities))?;
        }
        Ok(())
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
        push_steps(
            &mut self.step_positive,
            &mut self.step_negative,
            q,
            &r.step_total,
            &r.step_positive,
        );
        for (w, r) in self.weighted.iter_mut().zip(&r.weighted) {
            w.push(r, q);
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
        merge_steps(&mut self.step_positive, &later.step_positive);
        merge_steps(&mut self.step_negative, &later.step_negative);
        self.totals.extend_from_slice(&later.totals);
        self.awarenesses.extend_from_slice(&later.awarenesses);
        self.positives_drawn.extend_from_slice(&later.positives_drawn);
        for (w, later) in self.weighted.iter_mut().zip(later.weighted) {
            w.append(later, self.qualities);
        }
    }

    /// Relative half-width of the 95 % confidence interval of the mean total reach, or of the
    /// mean target reach when the plan has a target audience.
    pub(crate) fn total_relative_half_width(&self) -> f64 {
        match (self.target, self.weighted.first()) {
            (true, Some(w)) => super::stats::Z95 * w.total.std_error() / w.total.mean(),
            _ => super::stats::Z95 * self.total.std_error() / self.total.mean(),
        }
    }

    /// Per-trial target reach (the target column's totals), if the plan has a target.
    pub(crate) fn target_totals(&self) -> Option<&[f64]> {
        match (self.target, self.weighted.first()) {
            (true, Some(w)) => Some(&w.totals),
            _ => None,
        }
    }

    /// The published outcome for each quality.
    pub(crate) fn outcomes(
        &self,
        qualities: &[f64],
        conversion_rate: Option<f64>,
        awareness_counted: bool,
        columns: &Columns,
    ) -> Vec<QualityOutcome> {
        let weighted: Vec<Vec<TargetOutcome>> = self
            .weighted
            .iter()
            .map(|w| w.outcomes(self.qualities, self.trials, awareness_counted))
            .collect();
        let column = |c: Option<usize>, j: usize| c.map(|c| weighted[c][j].clone());
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
                    target: column(columns.target.then_some(0), j),
                    sales: column(columns.sales, j).map(|o| o.positive),
                    revenue: column(columns.revenue, j).map(|o| o.positive),
                }
            })
            .collect()
    }
}

impl WeightedBlock {
    fn push(&mut self, r: &WeightedRecord, q: usize) {
        self.total.push(r.total);
        self.awareness.push(r.awareness);
        self.totals.push(r.total);
        self.awarenesses.push(r.awareness);
        for j in 0..q {
            let expected = r.positive_expected[j];
            self.positive[j].push(expected);
            self.negative[j].push(r.total - expected);
            self.net[j].push(2.0 * expected - r.total);
            let drawn = r.positive_drawn[j];
            self.backfires[j] += (r.total - drawn > drawn) as u64;
            self.positives_drawn.push(drawn);
        }
        push_steps(
            &mut self.step_positive,
            &mut self.step_negative,
            q,
            &r.step_total,
            &r.step_positive,
        );
        if self.step_aware.len() < r.step_aware.len() {
            self.step_aware.resize(r.step_aware.len(), Sums::default());
        }
        for (sum, &x) in self.step_aware.iter_mut().zip(&r.step_aware) {
            sum.push(x);
        }
    }

    fn append(&mut self, later: WeightedBlock, q: usize) {
        self.total.merge(&later.total);
        self.awareness.merge(&later.awareness);
        for j in 0..q {
            self.positive[j].merge(&later.positive[j]);
            self.negative[j].merge(&later.negative[j]);
            self.net[j].merge(&later.net[j]);
            self.backfires[j] += later.backfires[j];
        }
        merge_steps(&mut self.step_positive, &later.step_positive);
        merge_steps(&mut self.step_negative, &later.step_negative);
        merge_steps(&mut self.step_aware, &later.step_aware);
        self.totals.extend_from_slice(&later.totals);
        self.awarenesses.extend_from_slice(&later.awarenesses);
        self.positives_drawn.extend_from_slice(&later.positives_drawn);
    }

    fn outcomes(&self, q: usize, trials: u64, awareness_counted: bool) -> Vec<TargetOutcome> {
        let sorted = |mut v: Vec<f64>| {
            v.sort_unstable_by(f64::total_cmp);
            v
        };
        let total =
            Estimate::new(self.total.mean(), self.total.std_error(), &sorted(self.totals.clone()));
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
                let drawn: Vec<f64> =
                    self.positives_drawn.iter().skip(j).step_by(q).copied().collect();
                let negatives: Vec<f64> =
                    drawn.iter().zip(&self.totals).map(|(&p, &t)| t - p).collect();
                let nets: Vec<f64> =
                    drawn.iter().zip(&self.totals).map(|(&p, &t)| 2.0 * p - t).collect();
                let estimate = |m: &Moments, values: Vec<f64>| {
                    Estimate::new(m.mean(), m.std_error(), &sorted(values))
                };
                TargetOutcome {
                    awareness_steps: self.step_aware.iter().map(|s| s.band(trials)).collect(),
                    net: estimate(&self.net[j], nets),
                    positive: estimate(&self.positive[j], drawn),
                    negative: estimate(&self.negative[j], negatives),
                    total: total.clone(),
                    awareness: awareness.clone(),
                    backfire_risk: Estimate::proportion(self.backfires[j], trials),
                    steps: (0..steps)
                        .map(|s| StepStat {
                            step: s as u32,
                            new_positive: self.step_positive[s * q + j].band(trials),
                            new_negative: self.step_negative[s * q + j].band(trials),
                        })
                        .collect(),
                }
            })
            .collect()
    }
}

/// Adds one trial's per-step counts and expected positives (`step * q + j`) to the sums.
fn push_steps<T: Copy + Into<f64>>(
    positive: &mut Vec<Sums>,
    negative: &mut Vec<Sums>,
    q: usize,
    step_total: &[T],
    step_positive: &[f64],
) {
    let steps = step_total.len();
    if positive.len() < steps * q {
        positive.resize(steps * q, Sums::default());
        negative.resize(steps * q, Sums::default());
    }
    for step in 0..steps {
        let count: f64 = step_total[step].into();
        for j in 0..q {
            let p = step_positive[step * q + j];
            positive[step * q + j].push(p);
            negative[step * q + j].push(count - p);
        }
    }
}

/// Adds a later block's per-step sums.
fn merge_steps(sums: &mut Vec<Sums>, later: &[Sums]) {
    if sums.len() < later.len() {
        sums.resize(later.len(), Sums::default());
    }
    for (s, l) in sums.iter_mut().zip(later) {
        s.merge(l);
    }
}
