//! Choosing whom to pay: influence maximization under IC, LT and IC-N backfire, with budgets,
//! candidate lists and honest guarantees.
//!
//! Every method returns a [`Selection`]: the chosen accounts in the order they were picked,
//! each one's marginal gain as the method estimated it, and the [`Guarantee`] the method can
//! actually claim. Re-estimating the chosen set's reach by an independent Monte Carlo run is
//! [`evaluate_prefixes`] (used by `clout select`).
//!
//! | method | function | models | guarantee |
//! |---|---|---|---|
//! | IMM (Tang, Shi, Xiao, SIGMOD 2015, with the correction of Chen 2018, arXiv:1808.09363) | [`imm()`] | IC, LT | `1 - 1/e - ε` of optimal with probability `1 - δ` (budgets: `(1 - 1/e)/2 - ε`) |
//! | IMM's sample size on IC-N's positive reach (weighted RR sets) | [`imm()`] | IC-N | a posteriori ratio from OPIM-C style bounds |
//! | OPIM-C style (Tang, Tang, Xiao, Yuan, SIGMOD 2018) | [`opim()`] | IC, LT, IC-N | a posteriori ratio; `1 - 1/e - ε` if it runs to its largest sample |
//! | CELF lazy greedy with Monte Carlo (Leskovec et al., KDD 2007) | [`celf()`] | all four | none under signed spread (not monotone, not submodular); otherwise `1 - 1/e` only for exact spreads |
//! | top-k by a score (degree, PageRank, coreness) | [`top_by_score`] | any | none (heuristic) |
//! | degree discount (Chen, Wang, Yang, KDD 2009) | [`degree_discount`] | any | none (heuristic) |
//!
//! # Direction
//! Every arc `u -> v` points the way influence flows (a follower-file line `A B`, "A follows
//! B", is the arc `B -> A`): choosing `B` reaches `B`'s followers. "Degree" below is the
//! influence out-degree, i.e. the number of followers.
//!
//! # IC-N (backfire)
//! Positive reach under IC-N is monotone and submodular (Chen et al., SDM 2011), and a node at
//! distance `d` from the seeds in the random live-edge graph ends up positive with probability
//! `q^(1 + d)`. So an RR set carries each member's reverse distance, a seed set is worth
//! `q^(1 + d)` on it for its closest member, and the greedy maximizes that weighted coverage.
//! Every RR set's value lies in `[0, 1]` with mean `P(root positive)`, which is all the
//! concentration bounds need, so the sample size follows IMM's rule; the guarantee reported is
//! the instance-specific one: a lower bound on the chosen set's positive reach from an
//! independent RR sample over an upper bound on the optimum from the greedy on the first
//! sample (their ratio). With `q = 1` the method is IMM on IC, RR set for RR set.
//!
//! # Budgets
//! With a [`Budget`], every method picks accounts whose costs sum to at most the budget. The
//! RR methods and CELF run two lazy greedy passes, one by marginal gain and one by gain per
//! cost, and return the better (Leskovec et al. 2007, who prove `(1 - 1/e)/2` for that pair on
//! a monotone submodular function). Accounts without a cost cannot be chosen.
//!
//! # Modules
//! [`rr`] draws and stores RR sets, [`index`] inverts them, [`coverage`] holds the objectives,
//! [`greedy`] the lazy greedy with budgets and upper bounds, [`bounds`] the sampling formulas;
//! [`imm`](mod@imm), [`opim`](mod@opim), [`celf`](mod@celf) and [`baseline`] are the methods,
//! [`evaluate`] the independent Monte Carlo re-estimation.
//!
//! # Determinism
//! RR set `i` of each phase comes from `Rng::stream(phase seed, i)`; Monte Carlo trials are
//! seeded per trial; greedy ties go to the smaller node id. One seed gives one answer at any
//! thread count.

pub mod baseline;
pub mod bounds;
pub mod celf;
pub mod coverage;
pub mod evaluate;
pub mod greedy;
pub mod imm;
pub mod index;
mod memory;
pub mod opim;
mod plan;
pub mod rr;

use std::fmt;

use clout_graph::NodeId;
use serde::Serialize;

use crate::model::Model;
use crate::simulate::SimError;

pub use baseline::{degree_discount, top_by_score};
pub use celf::{celf, celf_with};
pub use evaluate::{
    PrefixPrecision, PrefixReach, TargetReach, evaluate_prefixes, evaluate_prefixes_with_progress,
    evaluation_seed,
};
pub use imm::imm;
pub use memory::MAX_SETS;
pub use opim::opim;
pub use rr::{RrModel, RrSampler, RrSets};

pub(crate) use memory::{Indexed, RrMemory};
pub use plan::{Plan, direct_reach, phase_seed};
pub(crate) use plan::{at_least, greedy_on_sample, require_rr_model};

/// A method of choosing seeds (for reports; each has its own function).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// IMM with RR sets ([`imm()`]).
    Imm,
    /// OPIM-C style sampling with a posteriori bounds ([`opim()`]).
    Opim,
    /// CELF lazy greedy with Monte Carlo ([`celf()`]).
    Celf,
    /// Top-k by influence out-degree (followers).
    Degree,
    /// Top-k by PageRank.
    Pagerank,
    /// Top-k by coreness.
    Coreness,
    /// Degree discount ([`degree_discount`]).
    DegreeDiscount,
}

impl Method {
    /// The name used on the command line and in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Method::Imm => "imm",
            Method::Opim => "opim",
            Method::Celf => "celf",
            Method::Degree => "degree",
            Method::Pagerank => "pagerank",
            Method::Coreness => "coreness",
            Method::DegreeDiscount => "degree-discount",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Costs per account and the total that may be spent.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// Cost of each account (dense id). Must be positive; `f64::INFINITY` marks an account
    /// without a price, which cannot be chosen.
    pub costs: Vec<f64>,
    /// The most the chosen accounts may cost together (positive, finite).
    pub budget: f64,
}

/// What to choose and how sure to be. Every field documents its default.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectConfig {
    /// Number of accounts to choose (ignored with a budget). Default 10.
    pub k: usize,
    /// Diffusion model. Default IC.
    pub model: Model,
    /// Product quality `q` for IC-N (the chance an account reached positively turns
    /// positive). Must lie in `(0, 1]`. Default 1 (no backfire).
    pub quality: f64,
    /// Approximation slack `ε` of IMM / OPIM, in `(0, 1)`. Default 0.1.
    pub epsilon: f64,
    /// Failure probability `δ`, in `(0, 1)`. Default `None`: `1 / n`, IMM's `ℓ = 1`.
    pub delta: Option<f64>,
    /// Seed of every random choice. Default 1.
    pub seed: u64,
    /// Accounts that may be chosen (dense ids). Default `None`: everybody.
    pub candidates: Option<Vec<NodeId>>,
    /// Costs and budget. Default `None`: choose `k` accounts.
    pub budget: Option<Budget>,
    /// Most bytes the method's samples may hold at once: IMM's and OPIM's RR sets with their
    /// inverted index, checked as they grow; CELF's Monte Carlo runs, checked before they
    /// start ([`SimConfig::memory_estimate`](crate::SimConfig::memory_estimate)). Going
    /// beyond fails with [`SelectError::MemoryLimit`]. Default `None`: no limit (memory that
    /// cannot be allocated for RR sets is still that error, not an abort).
    pub memory_limit: Option<u64>,
    /// Monte Carlo trials behind each spread estimate of [`celf()`] (at least 2). Default
    /// 1,000. The other methods ignore it.
    pub celf_trials: usize,
    /// What reaching each account is worth (dense ids, one finite weight `>= 0` per node, not
    /// all 0): a target audience's weights, or purchase probability times sale value. The
    /// methods then maximize the expected weight reached (IC-N: the positive weight), RR sets
    /// drawing their roots in proportion to the weights; every guarantee holds for that
    /// objective. Default `None`: every account is worth 1 (reach).
    pub weights: Option<Vec<f64>>,
}

impl Default for SelectConfig {
    fn default() -> Self {
        SelectConfig {
            k: 10,
            model: Model::Ic,
            quality: 1.0,
            epsilon: 0.1,
            delta: None,
            seed: 1,
            candidates: None,
            budget: None,
            memory_limit: None,
            celf_trials: 1000,
            weights: None,
        }
    }
}

/// What a method can promise about its choice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Guarantee {
    /// A ratio promised in advance: the chosen set's expected positive reach is at least this
    /// fraction of the best feasible set's, with probability at least `1 - delta`.
    pub a_priori: Option<f64>,
    /// Bounds measured on this instance (each holds with probability at least `1 - delta`).
    pub a_posteriori: Option<Posterior>,
    /// The failure probability of the claims above.
    pub delta: f64,
    /// The claim in plain words.
    pub statement: String,
}

/// Instance-specific bounds in the style of OPIM-C.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Posterior {
    /// Lower bound on the chosen set's expected positive reach, from an independent RR sample.
    pub lower: f64,
    /// Upper bound on the best feasible set's expected positive reach.
    pub upper: f64,
    /// `lower / upper`: the chosen set reaches at least this fraction of the optimum.
    pub ratio: f64,
}

/// How many RR sets a sampling method drew, and what they cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Sampling {
    /// RR sets drawn to estimate a lower bound on the optimum (IMM's first phase).
    pub estimation_sets: usize,
    /// RR sets the final greedy ran on.
    pub selection_sets: usize,
    /// RR sets of the independent sample behind the lower bound (0 if none).
    pub validation_sets: usize,
    /// Estimation rounds (IMM) or sample doublings plus one (OPIM).
    pub rounds: usize,
    /// IMM's lower bound `LB` on the optimum that fixed the sample size.
    pub lower_bound_opt: Option<f64>,
    /// Members over every RR set drawn.
    pub members: usize,
    /// In-arcs examined while drawing them.
    pub arcs_examined: u64,
    /// Largest number of bytes held at once by RR sets and their inverted index.
    pub peak_bytes: usize,
}

/// A choice of seeds and what the method knows about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Selection {
    /// How the seeds were chosen.
    pub method: Method,
    /// The model they were chosen for.
    #[serde(serialize_with = "model_name")]
    pub model: Model,
    /// The chosen accounts (dense ids) in the order they were picked.
    pub seeds: Vec<NodeId>,
    /// Each seed's marginal gain in expected positive reach (accounts) as the method estimated
    /// it when picking; for heuristics, the score it was picked by.
    pub gains: Vec<f64>,
    /// The method's own estimate of the chosen set's expected positive reach (an independent
    /// sample where the method has one), if it makes one.
    pub estimate: Option<f64>,
    /// Total cost of the chosen accounts, with a budget.
    pub cost: Option<f64>,
    /// What the method can promise.
    pub guarantee: Guarantee,
    /// RR-set statistics of the sampling methods.
    pub sampling: Option<Sampling>,
}

fn model_name<S: serde::Serializer>(model: &Model, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(model.name())
}

/// Why seeds could not be chosen.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SelectError {
    /// A configuration value is out of its documented range.
    InvalidConfig {
        /// The config field.
        parameter: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The method does not apply to the model.
    Unsupported {
        /// The method.
        method: Method,
        /// The model.
        model: Model,
        /// Why, and what to use instead.
        reason: &'static str,
    },
    /// Fewer choosable accounts than seeds asked for, or none at all.
    TooFewCandidates {
        /// Seeds asked for.
        wanted: usize,
        /// Accounts that may be chosen (after candidates, exclusions and costs).
        available: usize,
    },
    /// A per-node vector has the wrong length.
    WrongLength {
        /// What the vector is.
        what: &'static str,
        /// The graph's node count.
        expected: usize,
        /// The vector's length.
        found: usize,
    },
    /// The Monte Carlo engine refused the run (the engine's error is the source).
    Simulation(SimError),
    /// The samples would exceed [`SelectConfig::memory_limit`] (`limit` is `Some`), or memory
    /// for them could not be allocated (`None`).
    MemoryLimit {
        /// Estimated bytes the method would hold.
        needed: u64,
        /// The limit, if one was set.
        limit: Option<u64>,
        /// RR sets (or Monte Carlo trials, for CELF) behind the estimate.
        sets: usize,
    },
    /// More RR sets than one sample can hold ([`MAX_SETS`]).
    TooManySets {
        /// The sets the sample size calls for.
        sets: usize,
    },
}

impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectError::InvalidConfig { parameter, reason } => {
                write!(f, "invalid {parameter}: {reason}")
            }
            SelectError::Unsupported { method, model, reason } => {
                write!(f, "method {method} does not apply to model {model}: {reason}")
            }
            SelectError::TooFewCandidates { wanted, available } => write!(
                f,
                "{wanted} accounts asked for but only {available} can be chosen (after \
                 candidates, exclusions and costs)"
            ),
            SelectError::WrongLength { what, expected, found } => {
                write!(f, "{what} has {found} entries but the graph has {expected} nodes")
            }
            SelectError::Simulation(why) => write!(f, "Monte Carlo simulation failed: {why}"),
            SelectError::MemoryLimit { needed, limit: Some(limit), sets } => write!(
                f,
                "the samples would need about {needed} bytes ({sets} RR sets or trials), more \
                 than the limit of {limit} bytes"
            ),
            SelectError::MemoryLimit { needed, limit: None, sets } => write!(
                f,
                "the samples would need about {needed} bytes ({sets} RR sets or trials), which \
                 could not be allocated"
            ),
            SelectError::TooManySets { sets } => write!(
                f,
                "the sample size calls for {sets} RR sets, more than the {MAX_SETS} one sample \
                 can hold"
            ),
        }
    }
}

impl std::error::Error for SelectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SelectError::Simulation(e) => Some(e),
            _ => None,
        }
    }
}
