//! Re-estimating a chosen seed sequence by an independent Monte Carlo run: the reach of every
//! prefix (the first seed, the first two, ...), so a report can show what each seed adds.
//!
//! The selection methods optimize their own estimates (RR coverage, Monte Carlo on their own
//! trials), which are biased upward for the set they chose. These numbers come from
//! [`simulate`] with [`evaluation_seed`], a stream no selection method uses, and every prefix
//! is simulated with that same seed, so consecutive prefixes are compared on the same trials
//! (paired: the standard error of a marginal gain is that of the per-trial difference).

use clout_graph::{Graph, NodeId};
use serde::Serialize;

use super::{SelectError, phase_seed};
use crate::model::Model;
use crate::prob::EdgeProbs;
use crate::simulate::{Estimate, SimConfig, simulate_prefixes_with_progress};

/// The seed of the evaluation run for a user seed: a stream no selection method draws from.
pub fn evaluation_seed(seed: u64) -> u64 {
    phase_seed(seed, 7)
}

/// Monte Carlo reach of the first `size` chosen seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrefixReach {
    /// Number of seeds in the prefix.
    pub size: usize,
    /// Expected positive reach (seeds included).
    pub positive: Estimate,
    /// Expected negative reach.
    pub negative: Estimate,
    /// Expected total reach.
    pub total: Estimate,
    /// With a target audience (the evaluation's [`SimConfig::target`]): the same in target
    /// weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetReach>,
    /// Positive reach (with a target audience: positive target weight) added by the prefix's
    /// last seed (difference of means).
    pub gain: f64,
    /// Standard error of `gain`: paired over trials under IC and LT (where positive = total),
    /// else the unpaired `sqrt(se1^2 + se2^2)`, an upper bound for positively correlated runs.
    pub gain_std_error: f64,
    /// Trials run.
    pub trials: usize,
}

/// A prefix's reach in target weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetReach {
    /// Expected positive target weight (seeds included).
    pub positive: Estimate,
    /// Expected negative target weight.
    pub negative: Estimate,
    /// Expected target weight reached.
    pub total: Estimate,
}

/// Simulates every prefix of `seeds` with `sim` (its `seed` should be [`evaluation_seed`];
/// its first quality is the one reported), on the same trials. Under IC and LT one search per
/// trial serves every prefix ([`simulate_prefixes`]); the numbers are those of one simulation
/// per prefix. With `sim.precision` the trials stop once the whole set's reach is that precise.
pub fn evaluate_prefixes(
    graph: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    sim: &SimConfig,
) -> Result<Vec<PrefixReach>, SelectError> {
    evaluate_prefixes_with_progress(graph, probs, seeds, sim, &|_| {}).map(|(reach, _)| reach)
}

/// [`evaluate_prefixes`], calling `progress(k)` as `k` more trials finish, and also returning
/// the run's precision: the relative 95 % half-width of the whole set's mean total reach, and
/// whether the requested precision (if any) was reached.
pub fn evaluate_prefixes_with_progress(
    graph: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    sim: &SimConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(Vec<PrefixReach>, PrefixPrecision), SelectError> {
    let run = simulate_prefixes_with_progress(graph, probs, seeds, sim, progress)
        .map_err(SelectError::Simulation)?;
    let paired = matches!(sim.model, Model::Ic | Model::Lt);
    let mut out: Vec<PrefixReach> = Vec::with_capacity(seeds.len());
    let mut previous: Option<(&Estimate, Vec<f64>)> = None;
    for prefix in &run.prefixes {
        let outcome = &prefix.outcome;
        // The objective: positive reach, or positive target weight.
        let (objective, per_trial) = match &outcome.target {
            Some(t) => (&t.positive, prefix.trial_targets.clone()),
            None => (&outcome.positive, prefix.trial_totals.iter().map(|&t| t as f64).collect()),
        };
        let (gain, gain_std_error) = match &previous {
            None => (objective.mean, objective.std_error),
            Some((before, before_trials)) => {
                let gain = objective.mean - before.mean;
                let se = if paired {
                    paired_std_error(before_trials, &per_trial)
                } else {
                    objective.std_error.hypot(before.std_error)
                };
                (gain, se)
            }
        };
        out.push(PrefixReach {
            size: prefix.size,
            positive: outcome.positive.clone(),
            negative: outcome.negative.clone(),
            total: outcome.total.clone(),
            target: outcome.target.as_ref().map(|t| TargetReach {
                positive: t.positive.clone(),
                negative: t.negative.clone(),
                total: t.total.clone(),
            }),
            gain,
            gain_std_error,
            trials: run.trials,
        });
        previous = Some((objective, per_trial));
    }
    let precision = PrefixPrecision {
        relative_ci95_half_width: run.relative_ci95_half_width,
        target: run.precision.as_ref().map(|p| p.target),
        reached: run.precision.as_ref().map(|p| p.reached),
        shared: run.shared,
    };
    Ok((out, precision))
}

/// How precise a re-estimation is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrefixPrecision {
    /// Relative half-width of the 95 % confidence interval of the whole set's mean total reach.
    pub relative_ci95_half_width: f64,
    /// The requested relative half-width, if the trials ran to a precision.
    pub target: Option<f64>,
    /// Whether the requested precision was reached before the trial cap.
    pub reached: Option<bool>,
    /// True when one cascade per trial served every prefix (IC, LT); false when each prefix
    /// was simulated in turn on the same trials (IC-N, signed, a round cap).
    pub shared: bool,
}

/// Standard error of the mean of `after[t] - before[t]`.
fn paired_std_error(before: &[f64], after: &[f64]) -> f64 {
    let n = before.len() as f64;
    if n < 2.0 {
        return f64::NAN;
    }
    let diffs = before.iter().zip(after).map(|(&b, &a)| a - b);
    let mean = diffs.clone().sum::<f64>() / n;
    let var = diffs.map(|d| (d - mean) * (d - mean)).sum::<f64>() / (n - 1.0);
    (var / n).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prob::ProbSpec;
    use clout_graph::from_pairs;

    #[test]
    fn select_prefix_reach_adds_up_on_a_certain_graph() {
        // Two disjoint stars with certain arcs: 0 -> 1, 2 and 3 -> 4. Seeds [0, 3, 1]: the
        // prefixes reach 3, 5 and 5 accounts exactly, so gains are 3, 2, 0 with no error.
        let g = from_pairs(5, &[(0, 1), (0, 2), (3, 4)], true);
        let p = EdgeProbs::new(&g, ProbSpec::Uniform(1.0)).unwrap();
        let sim = SimConfig { trials: 50, seed: evaluation_seed(1), ..SimConfig::default() };
        let reach = evaluate_prefixes(&g, &p, &[0, 3, 1], &sim).unwrap();
        let totals: Vec<f64> = reach.iter().map(|r| r.total.mean).collect();
        assert_eq!(totals, vec![3.0, 5.0, 5.0]);
        let gains: Vec<f64> = reach.iter().map(|r| r.gain).collect();
        assert_eq!(gains, vec![3.0, 2.0, 0.0]);
        assert!(reach[1..].iter().all(|r| r.gain_std_error == 0.0 && r.trials == 50));
        assert!(reach.iter().all(|r| r.negative.mean == 0.0));
    }
}
