//! Reach simulation with the trials partitioned across processes: each process runs a
//! contiguous share of the work units one machine would run
//! ([`clout::reach::trial_part`]); the parts are all-gathered and appended in trial order
//! ([`clout::reach::merge_trial_parts`]), so every estimate equals one machine's bit for bit.
//!
//! What is sent: one message per process, once: its work units' reductions (running moments
//! per metric and quality, per-round sums, and the per-trial totals one machine also keeps:
//! about `8 + 4 (2 + q)` bytes per trial for `q` qualities, plus a few hundred bytes per work
//! unit), to every other process.

use clout::graph::{Graph, NodeId};
use clout::reach::{EdgeProbs, SimConfig, Simulation, TrialPart, merge_trial_parts, trial_part};

use crate::collective::{Collective, Traffic};
use crate::error::ClusterError;

/// A distributed simulation's result on one process.
#[derive(Debug, Clone)]
pub struct SimulationRun {
    /// The merged simulation (the same on every process).
    pub simulation: Simulation,
    /// Trials this process ran.
    pub own_trials: u64,
    /// The bytes this process sent and received, including the start-up check.
    pub traffic: Traffic,
}

/// Runs this process's share of the trials of [`clout::reach::simulate()`] for these arguments
/// and merges every process's share.
///
/// # Errors
/// [`ClusterError::Simulation`] for what `simulate` refuses, a precision target or
/// per-account outcomes; the all-gather's errors; [`ClusterError::Protocol`] for a part that
/// does not decode.
pub fn simulate(
    collective: &mut Collective,
    g: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    cfg: &SimConfig,
) -> Result<SimulationRun, ClusterError> {
    let part = trial_part(g, probs, seeds, cfg, collective.index(), collective.peers())
        .map_err(ClusterError::Simulation)?;
    let own_trials = part.trials();
    let bytes = postcard::to_allocvec(&part)
        .map_err(|e| ClusterError::Protocol(format!("encoding a trial part: {e}")))?;
    let all = collective.all_gather(bytes)?;
    let parts = all
        .iter()
        .enumerate()
        .map(|(process, bytes)| {
            postcard::from_bytes::<TrialPart>(bytes)
                .map_err(|e| ClusterError::Protocol(format!("process {process}'s trial part: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let simulation =
        merge_trial_parts(g, probs, seeds, cfg, parts).map_err(ClusterError::Simulation)?;
    Ok(SimulationRun { simulation, own_trials, traffic: collective.traffic() })
}
