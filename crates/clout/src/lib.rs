//! clout as a library: every workflow of the `clout` command line, callable from Rust.
//!
//! ```
//! use clout::prelude::*;
//!
//! // Open a graph: a snapshot or an edge list (here Zachary's karate club, friendships).
//! let read = ReadConfig { reading: EdgeReading::Undirected, ..ReadConfig::default() };
//! let net = clout::open("../../datasets/karate/karate.edges", &read)?.network;
//!
//! // Score every account and take the best by PageRank.
//! let table = clout::score(&net, &[Score::Pagerank, Score::Betweenness], &ScoreConfig::default(),
//!     &mut |_| {})?;
//! let top = table.order(None, net.graph.node_count(), Some(2));
//!
//! // Simulate word-of-mouth from them under IC-N: a disappointing product (quality 0.6)
//! // turns part of the reach negative.
//! let probs = clout::edge_probs(&net, "uniform:0.1", 1)?;
//! let cfg = SimConfig { model: Model::IcN, qualities: vec![0.6], trials: 2000,
//!     per_account: true, ..SimConfig::default() };
//! let sim = clout::simulate(&net.graph, &probs, &top, &cfg, None)?;
//! let outcome = &sim.results[0];
//! assert!(outcome.negative.mean > 0.0);
//!
//! // Per-account chances come from the same trials and add up to the expected reach.
//! let reached: f64 = sim.per_account[0].reached.iter().sum();
//! assert!((reached - outcome.total.mean).abs() < 1e-9 * outcome.total.mean.max(1.0));
//!
//! // Choose 2 seeds with IMM and compare them with the baselines on common trials.
//! let select = SelectConfig { k: 2, ..SelectConfig::default() };
//! let chosen = clout::choose(&net.graph, &probs, Method::Imm, &select, None)?;
//! let eval = SimConfig { trials: 1000, seed: clout::evaluation_seed(1), ..SimConfig::default() };
//! let baselines = clout::compare_baselines(&net.graph, &probs, &select, Some(Method::Imm),
//!     &eval, None)?;
//! assert_eq!(chosen.seeds.len(), 2);
//! assert_eq!(baselines.len(), 4); // degree, PageRank, coreness, degree discount
//! # Ok::<(), clout::Error>(())
//! ```
//!
//! # What is where
//! | step | function | engine crate |
//! |---|---|---|
//! | open a snapshot or edge list (file, pipe, stdin) | [`open`], [`read_edge_lists`], [`write_snapshot`] | [`clout_ingest`] |
//! | name accounts by original id; id, cost, quality files | [`ids`] | [`clout_ingest`] |
//! | target audiences and per-account conversion files | [`audience`] | [`clout_reach`] |
//! | score every account (PageRank, betweenness, ...) | [`score()`] | [`clout_centrality`] |
//! | edge probabilities, simulate IC / LT / IC-N / signed | [`edge_probs`], [`simulate()`] | [`clout_reach`] |
//! | choose seeds (IMM, OPIM, CELF, baselines) | [`choose`], [`evaluate`], [`compare_baselines`] | [`clout_reach::select`] |
//! | compare seed sets on common trials | [`compare_sets`] | [`clout_reach`] |
//! | the whole choice: choose, re-estimate, compare | [`choose_and_evaluate`] → [`ChoiceReport`] | |
//! | backfire curve over product quality | [`backfire_curve`] | [`clout_reach`] |
//! | per-account outcomes | [`SimConfig::per_account`] | [`clout_reach`] |
//! | the campaign report | [`report::build`], [`report::render`] | [`clout_report`] |
//! | synthetic graphs | [`generate`] | [`clout_graph::generate`] |
//! | memory budget | [`memory`] | |
//!
//! # Conventions
//! Every arc points the way influence flows: a follower-file line `A B` ("A follows B") is read
//! by default ([`EdgeReading::Follows`]) as the arc `B -> A`, so a cascade started at `B` reaches
//! `A`. Accounts are dense `u32` ids inside; [`clout_ingest::IdMap`] maps them to the original
//! ids of the input. Every random stream derives from a caller's seed, and results do not
//! depend on the thread count.
//!
//! # Errors
//! Every call returns [`Error`], which keeps the engine's error as its
//! [`source`](std::error::Error::source) and never names a command-line flag;
//! [`Error::setting`] says which setting to change, for a command line to name its flag.
//!
//! # Features
//! `clap`: `clap::ValueEnum` on every setting enum here and in the engine crates, so a
//! command line uses them directly.

pub mod audience;
mod campaign;
mod choice;
mod edges;
mod error;
pub mod generate;
pub mod ids;
pub mod learn;
pub mod memory;
mod open;
pub mod report;
mod score;
mod setting;

pub use campaign::{
    BASELINES, BackfireCurve, Baseline, BaselineOutcome, CURVE_STEPS, SimulationReport,
    backfire_curve, choose, compare_baselines, compare_sets, default_trials, edge_probs, evaluate,
    evaluation_config, simulate,
};
pub use choice::{
    ChoiceOptions, ChoiceReport, ChosenAccount, ComparedSet, DEFAULT_PRECISION, DEFAULT_TRIALS,
    choose_and_evaluate, evaluate_choice,
};
pub use edges::{EdgeIds, EdgesConfig, from_edges};
pub use error::{Error, MemoryLimit, Result, Setting, describe, describe_with};
pub use open::{
    Opened, Progress, open, open_with_progress, read_edge_lists, total_bytes, write_snapshot,
};
pub use score::{
    MAX_ITERATIONS, Score, ScoreColumn, ScoreConfig, ScoreTable, check as check_scores, ranks,
    score,
};

pub use clout_centrality as centrality;
pub use clout_graph as graph;
pub use clout_ingest as ingest;
pub use clout_reach as reach;

pub use audience::Objective;
pub use clout_graph::{Duplicates, EdgeReading, Graph, NodeId, SelfLoops};
pub use clout_ingest::read::{Column, Delimiter, Format, IdKind, ReadConfig, ReadReport};
pub use clout_ingest::source::SourceKind;
pub use clout_ingest::{IdMap, LoadedGraph, OriginalId};
pub use clout_reach::select::{
    Method, PrefixReach, SelectConfig, Selection, TargetReach, evaluation_seed,
};
pub use clout_reach::{
    AccountOutcomes, Budget, Conversion, EdgeProbs, Estimate, Model, ProbSpec, Quality,
    QualityOutcome, SimConfig, Simulation, TargetOutcome,
};

/// The types most programs use, for `use clout::prelude::*`.
pub mod prelude {
    pub use crate::{
        EdgeReading, Error, LoadedGraph, Method, Model, NodeId, ReadConfig, Score, ScoreConfig,
        SelectConfig, SimConfig,
    };
}
