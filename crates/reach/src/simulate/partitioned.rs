//! A simulation split into parts by trials, for running it across processes: each part runs
//! a contiguous range of the work units [`simulate`](super::simulate) would run, and the
//! parts' reductions are appended in trial order into exactly the reduction one run builds.
//!
//! Why the bits agree: every random number is a function of (seed, trial, node or arc)
//! ([`super::random`]), so a trial's record does not depend on where it runs; the work units
//! (`block_size(trials)` trials each) are the same; and the units' reductions (which hold
//! floating-point running moments, so their merge order matters) are appended one by one in
//! unit order, as one run appends them. Parts therefore carry their units' reductions
//! unmerged.

use std::sync::Mutex;

use clout_graph::{Graph, NodeId};
use serde::{Deserialize, Serialize};

use super::accumulate::Block;
use super::{SimConfig, SimError, Simulation, block_size, finish, plan_of, trial_blocks, validate};
use crate::prob::EdgeProbs;

/// The reductions of one part's work units, in trial order (see [`trial_part`]). Serializable,
/// so that parts can travel between processes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrialPart {
    /// Index of the part's first work unit.
    first_unit: usize,
    /// One reduction per work unit.
    units: Vec<Block>,
}

impl TrialPart {
    /// Trials this part ran.
    pub fn trials(&self) -> u64 {
        self.units.iter().map(Block::trials).sum()
    }
}

/// Runs part `part` of `parts` of the simulation [`simulate`](super::simulate) runs for these
/// arguments: a contiguous share of its work units (about `cfg.trials / parts` trials).
/// [`merge_trial_parts`] of every part, in part order, gives `simulate`'s result bit for bit.
///
/// # Errors
/// Those of [`simulate`](super::simulate); [`SimError::Partitioned`] for a precision target
/// (its batches depend on the merged estimate) or per-account outcomes, or when `part` is not
/// below `parts`.
///
/// Cost: the part's share of the trials' time; memory as `simulate` for that many trials.
pub fn trial_part(
    graph: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    cfg: &SimConfig,
    part: usize,
    parts: usize,
) -> Result<TrialPart, SimError> {
    let seeds = checked(graph, probs, seeds, cfg)?;
    if part >= parts {
        return Err(SimError::Partitioned(format!("part {part} of {parts}")));
    }
    let size = block_size(cfg.trials);
    let units = cfg.trials.div_ceil(size);
    let (first_unit, end_unit) = (units * part / parts, units * (part + 1) / parts);
    let trials = first_unit * size..(end_unit * size).min(cfg.trials);
    let plan = plan_of(graph, probs, cfg);
    let pool = Mutex::new(Vec::new());
    let sets = [seeds];
    let units = trial_blocks(&plan, &sets, cfg, trials, size, &pool, &|_| {})
        .into_iter()
        .flatten()
        .collect();
    Ok(TrialPart { first_unit, units })
}

/// The simulation whose trials `parts` ran (every part of one split, in part order, each from
/// [`trial_part`] with these arguments).
///
/// # Errors
/// Those of [`trial_part`]; [`SimError::Partitioned`] when the parts are not one split's, in
/// order, covering every trial.
pub fn merge_trial_parts(
    graph: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    cfg: &SimConfig,
    parts: Vec<TrialPart>,
) -> Result<Simulation, SimError> {
    let seeds = checked(graph, probs, seeds, cfg)?;
    let plan = plan_of(graph, probs, cfg);
    let mut all = Block::new(cfg.qualities.len(), &plan.columns);
    let mut next_unit = 0;
    for part in parts {
        if part.first_unit != next_unit {
            return Err(SimError::Partitioned(format!(
                "a part starts at work unit {}, expected {next_unit}",
                part.first_unit
            )));
        }
        next_unit += part.units.len();
        for unit in part.units {
            all.append(unit);
        }
    }
    if all.trials() != cfg.trials as u64 {
        return Err(SimError::Partitioned(format!(
            "the parts ran {} trials of {}",
            all.trials(),
            cfg.trials
        )));
    }
    let mut runs = finish(&plan, probs, std::slice::from_ref(&seeds), vec![all], cfg, Vec::new());
    Ok(runs.pop().expect("one set"))
}

/// The seeds as [`simulate`](super::simulate) validates them, after refusing what a split run
/// cannot do.
fn checked(
    graph: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    cfg: &SimConfig,
) -> Result<Vec<NodeId>, SimError> {
    let seeds = validate(graph, probs, seeds, cfg)?;
    if cfg.precision.is_some() {
        return Err(SimError::Partitioned(
            "a run split by trials needs a fixed trial count, not a precision target".into(),
        ));
    }
    if cfg.per_account {
        return Err(SimError::Partitioned(
            "per-account outcomes are not available for a run split by trials".into(),
        ));
    }
    Ok(seeds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::prob::ProbSpec;
    use crate::simulate::simulate;

    fn graph() -> Graph {
        let e = clout_graph::generate::gnm(400, 2400, 3).unwrap();
        let pairs: Vec<(u32, u32)> = e.src.iter().copied().zip(e.dst.iter().copied()).collect();
        clout_graph::from_pairs(e.node_count, &pairs, true)
    }

    #[test]
    fn parts_merge_to_the_whole_run_bit_for_bit() {
        let g = graph();
        let probs = EdgeProbs::new(&g, ProbSpec::Uniform(0.15)).unwrap();
        for (model, qualities) in [(Model::Ic, vec![1.0]), (Model::IcN, vec![0.6, 0.9])] {
            for trials in [2usize, 97, 1000, 20_000] {
                let cfg = SimConfig {
                    model,
                    qualities: qualities.clone(),
                    trials,
                    ..SimConfig::default()
                };
                let whole = simulate(&g, &probs, &[1, 5, 9], &cfg).unwrap();
                for parts in [1usize, 2, 3, 7] {
                    let split: Vec<TrialPart> = (0..parts)
                        .map(|p| trial_part(&g, &probs, &[1, 5, 9], &cfg, p, parts).unwrap())
                        .collect();
                    assert_eq!(split.iter().map(TrialPart::trials).sum::<u64>(), trials as u64);
                    let merged = merge_trial_parts(&g, &probs, &[1, 5, 9], &cfg, split).unwrap();
                    assert_eq!(merged, whole, "{model:?}, {trials} trials, {parts} parts");
                }
            }
        }
    }

    #[test]
    fn parts_out_of_order_or_missing_are_refused() {
        let g = graph();
        let probs = EdgeProbs::new(&g, ProbSpec::Uniform(0.15)).unwrap();
        let cfg = SimConfig { trials: 1000, ..SimConfig::default() };
        let part = |p| trial_part(&g, &probs, &[1], &cfg, p, 3).unwrap();
        let swapped = vec![part(1), part(0), part(2)];
        assert!(matches!(
            merge_trial_parts(&g, &probs, &[1], &cfg, swapped),
            Err(SimError::Partitioned(_))
        ));
        let missing = vec![part(0), part(1)];
        assert!(matches!(
            merge_trial_parts(&g, &probs, &[1], &cfg, missing),
            Err(SimError::Partitioned(_))
        ));
        let precise = SimConfig { precision: Some(0.01), ..cfg };
        assert!(matches!(
            trial_part(&g, &probs, &[1], &precise, 0, 2),
            Err(SimError::Partitioned(_))
        ));
    }
}
