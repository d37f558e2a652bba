//! clout-learn: learn influence probabilities from what people actually did, and check the
//! cascade simulator against real cascades it has not seen.
//!
//! - [`read`]: action-log readers (propagation trees, the Higgs activity log, a generic CSV),
//!   every error naming the file and line.
//! - [`estimate`]: per-arc probabilities (Goyal et al.'s Bernoulli and Jaccard estimates,
//!   Saito et al.'s EM) smoothed by a Beta prior chosen on held-out cascades.
//! - [`metrics`]: ROC AUC, Brier score and skill, calibration error and reliability, size
//!   errors and rank correlation.
//! - [`validate`](mod@validate): the held-out protocol: split, learn, simulate Independent Cascade from each
//!   held-out cascade's seeds, score against what happened, next to the untrained defaults.
//!
//! # Direction
//! A learned arc `u -> v` points the way influence flows (`v` reacted to `u`), as every clout
//! graph does, so its probability is read by the simulator with `--prob weight`.

mod error;
pub mod estimate;
mod log;
pub mod metrics;
pub mod novelty;
pub mod read;
mod tar;
pub mod validate;

pub use estimate::{Component, Estimator, LearnConfig, Learned, Prior, StrengthScore, learn};
pub use log::{Action, ActionLog, Cascade};
pub use novelty::{Novelty, NoveltySummary};
pub use read::{HiggsKinds, LogError, credit_from_graph, read_csv, read_higgs, read_trees};
pub use validate::{
    Coverage, Difference, FoldInfo, Interval, MODELS, ModelResult, Seeds, SizeScores, Split,
    ValidateConfig, ValidateError, Validation, validate, validate_with_progress,
};
#[cfg(test)]
mod tests;
