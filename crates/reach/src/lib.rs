//! clout-reach: word-of-mouth reach simulation with backfire, and choosing whom to pay.
//!
//! - [`prob`]: edge activation probabilities (`uniform:P`, `wc`, `trivalency`, `weight`,
//!   `weight-normalized`), aligned with both adjacencies.
//! - [`model`]: the diffusion models (IC, LT, IC-N backfire, signed spread) and product quality.
//!
//! # Direction
//! Every arc `u -> v` of a clout graph points the way influence flows: on a follower graph read
//! with `--edges follows`, the line `A B` ("A follows B") is the arc `B -> A`, so a cascade
//! started at `B` reaches `A`.
//!
//! # Determinism
//! Every random stream is derived only from `(user seed, trial index)` with
//! [`clout_graph::rng::Rng::stream`], and results are reduced in trial order, so one seed gives
//! the same answer at any thread count.

pub mod exact;
pub mod model;
pub mod prob;
pub mod select;
pub mod simulate;
#[cfg(test)]
mod testing;

pub use model::{Model, Quality, QualityError, UnknownModel};
pub use prob::{EdgeProbs, ProbError, ProbSpec, ProbSpecError};
pub use select::{Budget, Guarantee, Method, SelectConfig, SelectError, Selection};
pub use simulate::{
    AccountOutcomes, Band, Conversion, Estimate, PrecisionReport, PrefixOutcome, PrefixRun,
    QualityOutcome, SimConfig, SimError, Simulation, StepStat, TargetOutcome, TrialPart,
    merge_trial_parts, simulate, simulate_prefixes, simulate_prefixes_with_progress, simulate_sets,
    simulate_with_progress, trial_part,
};
