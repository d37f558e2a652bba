//! How much memory a simulation allocates, estimated before it starts, so that a caller can
//! refuse a run that cannot fit instead of letting it grow into swap or abort.
//!
//! Three parts, each linear in one size (saturating arithmetic, so absurd sizes give
//! `u64::MAX` rather than overflow):
//! - **per trial** (kept to the end for the quantiles and paired comparisons): total reach,
//!   awareness and one drawn positive count per quality, 4 bytes each, held by the trial blocks
//!   of a batch and by the growing whole-run vectors at once (which may reserve up to twice
//!   their length), plus the sorted copies made when the estimates are published;
//! - **per worker thread**: the O(n) scratch of [`Scratch`](super::kernel::Scratch): stamps,
//!   frontiers, a round's live arcs, and the model's per-node arrays;
//! - **shared**: the per-row sampler data and, for LT, one in-weight per arc;
//! - **per-account outcomes** (with [`SimConfig::per_account`]): `8 x (2 + qualities)` bytes
//!   of counters per node and worker thread, and the published outcomes, four `f64` per node
//!   and quality plus two shared while they are built.
//!
//! The per-round curves (a few sums per round and quality) are not counted: they grow with
//! the longest cascade, which is unknown in advance, and are small next to the rest.

use clout_graph::Graph;

use super::SimConfig;
use crate::model::Model;

/// Bytes kept per trial and per quality (a drawn positive count).
const PER_TRIAL_QUALITY: u64 = 4;
/// Bytes kept per trial whatever the qualities (total reach and awareness).
const PER_TRIAL: u64 = 8;
/// The stored per-trial arrays exist up to three times at once: the batch's blocks, the
/// whole-run vectors and their spare capacity.
const STORED_COPIES: u64 = 3;
/// Publishing the estimates sorts copies: totals and awareness (8 bytes per trial), then one
/// quality at a time its drawn, negative and net values (16 bytes per trial).
const PUBLISH_PER_TRIAL: u64 = 24;

impl SimConfig {
    /// An estimate of the bytes [`simulate`](super::simulate) allocates for this configuration
    /// on `graph` with `threads` worker threads (the graph itself and the probabilities not
    /// counted). See the module docs for what is counted; saturates at `u64::MAX`.
    ///
    /// ```
    /// use clout_reach::SimConfig;
    /// let g = clout_graph::from_pairs(3, &[(0, 1), (1, 2)], true);
    /// let small = SimConfig { trials: 1_000, ..SimConfig::default() };
    /// let huge = SimConfig { trials: usize::MAX, ..SimConfig::default() };
    /// assert!(small.memory_estimate(&g, 2) < 1 << 20);
    /// assert_eq!(huge.memory_estimate(&g, 2), u64::MAX);
    /// ```
    pub fn memory_estimate(&self, graph: &Graph, threads: usize) -> u64 {
        let qualities = self.qualities.len().max(1) as u64;
        let columns = self.weight_columns();
        // Each weight column keeps its total, awareness and drawn positives in `f64`.
        let weighted = columns.saturating_mul(16u64.saturating_add(8u64.saturating_mul(qualities)));
        let stored = PER_TRIAL
            .saturating_add(PER_TRIAL_QUALITY.saturating_mul(qualities))
            .saturating_add(weighted);
        let per_trial = stored.saturating_mul(STORED_COPIES).saturating_add(PUBLISH_PER_TRIAL);
        let trials = per_trial.saturating_mul(self.trials as u64);
        let n = graph.node_count() as u64;
        let per_thread = n.saturating_mul(self.scratch_bytes_per_node());
        let workers = threads.max(1) as u64;
        let scratch = per_thread.saturating_mul(workers);
        let shared = n.saturating_mul(16).saturating_add(if self.model == Model::Lt {
            (graph.arc_count() as u64).saturating_mul(8)
        } else {
            0
        });
        let per_account = if self.per_account {
            let counters = 8u64.saturating_mul(2u64.saturating_add(qualities));
            let published = 16u64.saturating_add(32u64.saturating_mul(qualities));
            n.saturating_mul(counters.saturating_mul(workers).saturating_add(published))
        } else {
            0
        };
        trials.saturating_add(scratch).saturating_add(shared).saturating_add(per_account)
    }

    /// Weight columns the run records (target, sales, revenue).
    fn weight_columns(&self) -> u64 {
        let conversion = self.conversion.as_ref();
        self.target.is_some() as u64
            + conversion.is_some() as u64
            + conversion.is_some_and(|c| c.value.is_some()) as u64
    }

    /// An estimate of the bytes [`simulate_prefixes`](super::simulate_prefixes) allocates for
    /// `prefixes` prefixes: the per-trial values of every prefix, plus one simulation's
    /// scratch and shared data.
    pub fn prefix_memory_estimate(&self, graph: &Graph, threads: usize, prefixes: usize) -> u64 {
        let one = SimConfig { qualities: vec![1.0], ..self.clone() };
        let base = one.memory_estimate(graph, threads);
        let per_trial =
            (PER_TRIAL + PER_TRIAL_QUALITY + 24 * self.weight_columns()) * STORED_COPIES;
        let stored = per_trial.saturating_mul(self.trials as u64);
        base.saturating_add(stored.saturating_mul(prefixes.saturating_sub(1) as u64))
    }

    /// Scratch bytes per node of one worker thread.
    fn scratch_bytes_per_node(&self) -> u64 {
        // Visit stamps (4), the awareness stamps padded to a power of two (up to 8), the two
        // frontiers (8) and a round's live arcs (16 per live arc, counted as one per node).
        let base = 4 + if self.awareness { 8 } else { 0 } + 8 + 16;
        let model = match self.model {
            Model::Ic => 0,
            // Touched stamps, thresholds and in-weights.
            Model::Lt => 4 + 8 + 8,
            // Rounds, tie priorities, inherited and sign values; with per-node probabilities
            // (signed spread, per-node quality) their sums, counts and results too.
            Model::IcN | Model::Signed => {
                let tracked = self.model == Model::Signed || self.node_quality.is_some();
                4 + 8 + 8 + 8 + if tracked { 8 + 4 + 8 } else { 0 }
            }
        };
        base + model
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_estimate_grows_with_trials_qualities_threads_and_saturates() {
        let g = clout_graph::from_pairs(1000, &[(0, 1)], true);
        let base = SimConfig { trials: 10_000, ..SimConfig::default() };
        let one = base.memory_estimate(&g, 1);
        // 10,000 trials x (3 x 12 + 24) bytes plus 1,000 nodes x (36 + 16) bytes.
        assert_eq!(one, 10_000 * 60 + 1000 * 36 + 1000 * 16);
        assert!(base.memory_estimate(&g, 8) > one);
        let icn = SimConfig { model: Model::IcN, qualities: vec![0.5, 0.9], ..base.clone() };
        assert!(icn.memory_estimate(&g, 1) > one);
        let many = SimConfig { trials: 1 << 40, ..base.clone() };
        assert!(many.memory_estimate(&g, 1) > 1 << 45);
        let absurd = SimConfig { trials: usize::MAX, ..base.clone() };
        assert_eq!(absurd.memory_estimate(&g, usize::MAX), u64::MAX);
        // Per-account outcomes with 2 qualities at 4 threads: 1,000 nodes x (4 x 8 x 4
        // counters + 16 + 2 x 32 published) bytes more.
        let icn = SimConfig { model: Model::IcN, qualities: vec![0.5, 0.9], ..base };
        let per_account = SimConfig { per_account: true, ..icn.clone() };
        let extra = per_account.memory_estimate(&g, 4) - icn.memory_estimate(&g, 4);
        assert_eq!(extra, 1000 * (4 * 8 * 4 + 16 + 2 * 32));
    }

    #[test]
    fn absurd_trial_counts_fail_with_an_error_not_an_abort() {
        use crate::prob::{EdgeProbs, ProbSpec};
        use crate::simulate::{SimError, simulate};
        let g = clout_graph::from_pairs(3, &[(0, 1), (1, 2)], true);
        let p = EdgeProbs::new(&g, ProbSpec::Uniform(0.5)).unwrap();
        for cfg in [
            SimConfig { trials: usize::MAX, ..SimConfig::default() },
            SimConfig { trials: usize::MAX, precision: Some(1e-300), ..SimConfig::default() },
        ] {
            let err = simulate(&g, &p, &[0], &cfg).unwrap_err();
            assert!(matches!(err, SimError::OutOfMemory { .. }), "{err}");
        }
    }
}
