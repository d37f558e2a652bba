//! Campaigns: edge probabilities, simulating a seed set, choosing seeds with any method,
//! re-estimating a choice, comparing seed sets on common trials, and the backfire curve.
//!
//! Every Monte Carlo run goes through the engine ([`clout_reach::simulate`]) after a memory
//! check against [`memory::budget`]; every random stream comes from the caller's seed, so a
//! seed gives the same numbers at any thread count.

use clout_centrality as cc;
use clout_graph::{Graph, NodeId};
use clout_ingest::LoadedGraph;
use clout_reach::select::{
    self, Method, PrefixPrecision, PrefixReach, SelectConfig, SelectError, Selection,
};
use clout_reach::{EdgeProbs, Model, ProbSpec, QualityOutcome, SimConfig, Simulation};

use serde::Serialize;

use crate::error::{Error, Result, Setting};
use crate::ids::json_id;
use crate::memory;

/// Default trials of a simulation: 10,000, or a cap of 1,000,000 when running to a precision
/// target.
pub fn default_trials(precision: Option<f64>) -> usize {
    if precision.is_some() { 1_000_000 } else { 10_000 }
}

/// A simulation with its context, as `clout simulate --json` prints it: the graph, the seeds
/// by original id, timings, and the engine's [`Simulation`] flattened in.
#[derive(Debug, Serialize)]
pub struct SimulationReport<'a> {
    /// The graph's name as the caller gave it.
    pub graph: String,
    /// Accounts.
    pub nodes: usize,
    /// Edges.
    pub edges: usize,
    /// How the edge list was read (`follows`, `influence`, `undirected`).
    pub reading: &'static str,
    /// The seeds (original ids).
    pub seeds: Vec<serde_json::Value>,
    /// Seconds of the simulation alone (not loading the graph).
    pub seconds: f64,
    /// Seconds to load the graph.
    pub load_seconds: f64,
    /// Mean total reach (first quality).
    pub spread_mean: f64,
    /// Standard deviation of per-trial total reach (`std_error * sqrt(trials)`).
    pub spread_std: f64,
    /// Arc attempts per second of simulation.
    pub edges_examined_per_second: f64,
    /// The engine's result.
    #[serde(flatten)]
    pub simulation: &'a Simulation,
}

impl<'a> SimulationReport<'a> {
    /// The report of `sim`, run on `network` (named `graph`) from `seeds` in `seconds`.
    pub fn new(
        network: &LoadedGraph,
        graph: &str,
        seeds: &[NodeId],
        sim: &'a Simulation,
        seconds: f64,
        load_seconds: f64,
    ) -> SimulationReport<'a> {
        let g = &network.graph;
        let total = &sim.results[0].total;
        SimulationReport {
            graph: graph.to_string(),
            nodes: g.node_count(),
            edges: g.edge_count(),
            reading: g.info().reading.name(),
            seeds: seeds.iter().map(|&s| json_id(&network.ids, s)).collect(),
            seconds,
            load_seconds,
            spread_mean: total.mean,
            spread_std: total.std_error * (sim.trials as f64).sqrt(),
            edges_examined_per_second: sim.arcs_examined as f64 / seconds.max(1e-9),
            simulation: sim,
        }
    }
}

/// Edge probabilities from a specification (`wc`, `uniform:P`, `trivalency[:SEED]`, `weight`,
/// `weight-normalized`). A bare `trivalency` draws with `seed`; `trivalency:S` keeps its own.
/// A bad weight is reported with the arc's original ids.
pub fn edge_probs(network: &LoadedGraph, spec: &str, seed: u64) -> Result<EdgeProbs> {
    let spec = if spec == "trivalency" {
        ProbSpec::Trivalency { seed }
    } else {
        spec.parse::<ProbSpec>().map_err(Error::ProbabilitySpec)?
    };
    EdgeProbs::new(&network.graph, spec).map_err(|e| {
        let ids = &network.ids;
        let name =
            |u| format!("`{}`", clout_ingest::escape::escape_str(&ids.original(u).to_string()));
        Error::Probabilities { message: e.describe(&name), source: e }
    })
}

/// Simulates the spread from `seeds` under `cfg` after checking its memory estimate against
/// the budget; `progress` is called with the number of trials just finished.
pub fn simulate(
    g: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    cfg: &SimConfig,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<Simulation> {
    memory::check(
        cfg.memory_estimate(g, rayon::current_num_threads()),
        format!("simulating {} trials", cfg.trials),
        Setting::Trials,
    )?;
    Ok(match progress {
        Some(p) => clout_reach::simulate_with_progress(g, probs, seeds, cfg, p)?,
        None => clout_reach::simulate(g, probs, seeds, cfg)?,
    })
}

/// Chooses seeds with `method` under `cfg` (k or budget, candidates, model and quality, CELF's
/// trials, the memory limit). `degree`, `pagerank` and `coreness` rank by their score
/// (PageRank and coreness with NetworkX's defaults); `pagerank` may pass scores already
/// computed. Sample sizes that outgrow the memory limit fail with [`Error::MemoryLimit`].
pub fn choose(
    g: &Graph,
    probs: &EdgeProbs,
    method: Method,
    cfg: &SelectConfig,
    pagerank: Option<&[f64]>,
) -> Result<Selection> {
    let rr = |e| selection_error(e, "RR sets", Setting::RrSets);
    Ok(match method {
        Method::Imm => select::imm(g, probs, cfg).map_err(rr)?,
        Method::Opim => select::opim(g, probs, cfg).map_err(rr)?,
        Method::Celf => select::celf(g, probs, cfg)
            .map_err(|e| selection_error(e, "trials per estimate", Setting::CelfTrials))?,
        Method::DegreeDiscount => select::degree_discount(g, probs, cfg)?,
        Method::Degree | Method::Pagerank | Method::Coreness => {
            let computed;
            let scores = match (method, pagerank) {
                (Method::Pagerank, Some(given)) => given,
                _ => {
                    computed = baseline_scores(method, g)?;
                    &computed
                }
            };
            select::top_by_score(g, scores, method, cfg)?
        }
    })
}

/// A selection error, restated as [`Error::MemoryLimit`] when the samples outgrew the limit.
fn selection_error(err: SelectError, unit: &str, lower: Setting) -> Error {
    match err {
        SelectError::MemoryLimit { needed, limit: Some(limit), sets } => {
            let budget = memory::Budget { bytes: limit, ..memory::budget() };
            match memory::check_against(
                budget,
                needed,
                format!("choosing seeds with {sets} {unit}"),
                lower,
            ) {
                Err(e) => e.into(),
                Ok(()) => err.into(),
            }
        }
        other => other.into(),
    }
}

/// Followers, PageRank (NetworkX's defaults) or coreness of every account.
fn baseline_scores(method: Method, g: &Graph) -> Result<Vec<f64>> {
    let wrap = |e: cc::CentralityError| Error::Centrality { message: e.to_string(), source: e };
    Ok(match method {
        Method::Pagerank => cc::pagerank(g, &cc::PageRankConfig::default()).map_err(wrap)?.scores,
        Method::Coreness => cc::coreness(g, &cc::CorenessConfig::default())
            .map_err(wrap)?
            .core
            .iter()
            .map(|&c| c as f64)
            .collect(),
        _ => g.nodes().map(|v| g.out_degree(v) as f64).collect(),
    })
}

/// The Monte Carlo run that re-estimates choices made under `select`: its model, its quality
/// (IC-N only; 1 otherwise), `trials` trials, on [`select::evaluation_seed`] of its seed, a
/// stream no selection method draws from. Awareness is not counted (it reads every out-arc
/// of every active account, and a choice is judged on reach): set `awareness` to have it.
pub fn evaluation_config(select: &SelectConfig, trials: usize) -> SimConfig {
    SimConfig {
        model: select.model,
        qualities: vec![if select.model == Model::IcN { select.quality } else { 1.0 }],
        trials,
        seed: select::evaluation_seed(select.seed),
        awareness: false,
        // The objective's weights: a choice is judged on what it was chosen for.
        target: select.weights.clone(),
        ..SimConfig::default()
    }
}

/// Re-estimates a chosen sequence on `sim` (whose seed should be
/// [`select::evaluation_seed`]): the reach of every prefix, paired over the same trials, and
/// how precise the whole set's estimate is. With `sim.precision` the trials stop once the
/// whole set's reach is that precise (`sim.trials` is then the cap). Under IC and LT one
/// cascade per trial serves every prefix.
pub fn evaluate(
    g: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    sim: &SimConfig,
) -> Result<(Vec<PrefixReach>, PrefixPrecision)> {
    let needed = sim.prefix_memory_estimate(g, rayon::current_num_threads(), seeds.len());
    memory::check(
        needed,
        format!("re-estimating the choice by up to {} trials", sim.trials),
        Setting::Trials,
    )?;
    Ok(select::evaluate_prefixes_with_progress(g, probs, seeds, sim, &|_| {})?)
}

/// Simulates every seed set in `sets` with the same `sim` — the same seed, so the same random
/// cascades for every set — and returns each set's outcome at each quality, in order. The
/// differences between sets are then differences of the sets, not of the random draws.
pub fn compare_sets(
    g: &Graph,
    probs: &EdgeProbs,
    sets: &[Vec<NodeId>],
    sim: &SimConfig,
) -> Result<Vec<Vec<QualityOutcome>>> {
    check_sets(g, sim, sets.len())?;
    let runs = clout_reach::simulate_sets(g, probs, sets, sim)?;
    Ok(runs.into_iter().map(|run| run.results).collect())
}

/// The memory check of simulating `sets` seed sets together.
fn check_sets(g: &Graph, sim: &SimConfig, sets: usize) -> Result<()> {
    let threads = rayon::current_num_threads();
    let one = sim.memory_estimate(g, threads);
    // Each set keeps its own per-trial values; the scratch also holds each trial's live arcs
    // (at most one entry per arc, and two words per node).
    let more = sim.prefix_memory_estimate(g, threads, sets.max(1)).saturating_sub(one);
    let cache = (g.arc_count() as u64 * 8 + g.node_count() as u64 * 20) * threads as u64;
    memory::check(
        one.saturating_add(more).saturating_add(cache),
        format!("simulating {sets} seed sets on {} trials", sim.trials),
        Setting::Trials,
    )?;
    Ok(())
}

/// The baselines every choice is compared with.
pub const BASELINES: [Method; 4] =
    [Method::Degree, Method::Pagerank, Method::Coreness, Method::DegreeDiscount];

/// A baseline seed set and its reach on the common trials.
#[derive(Debug)]
pub struct Baseline {
    /// The method that chose it.
    pub method: Method,
    /// Its choice and outcome.
    pub outcome: BaselineOutcome,
}

/// What a baseline gave.
#[derive(Debug)]
pub enum BaselineOutcome {
    /// Its choice and that choice's reach (the first quality of the common run).
    Reach(Box<(Selection, QualityOutcome)>),
    /// No account could be chosen (candidates, budget).
    ChoseNobody,
    /// The method could not run here, and why.
    Failed(Box<Error>),
}

/// Chooses with every baseline of [`BASELINES`] except `skip` (the method being compared),
/// under the same `cfg` (k, budget, candidates), and simulates each choice with `sim` — the
/// same trials for every set, so the differences are not noise from different draws.
pub fn compare_baselines(
    g: &Graph,
    probs: &EdgeProbs,
    cfg: &SelectConfig,
    skip: Option<Method>,
    sim: &SimConfig,
    pagerank: Option<&[f64]>,
) -> Result<Vec<Baseline>> {
    let mut out = Vec::new();
    let mut picks = Vec::new();
    for method in BASELINES {
        if Some(method) == skip {
            continue;
        }
        match choose(g, probs, method, cfg, pagerank) {
            Ok(s) if !s.seeds.is_empty() => picks.push((method, s)),
            Ok(_) => out.push(Baseline { method, outcome: BaselineOutcome::ChoseNobody }),
            Err(e) => out.push(Baseline { method, outcome: BaselineOutcome::Failed(Box::new(e)) }),
        }
    }
    // One run for all the sets: each trial's live arcs are drawn once for every set.
    let sets: Vec<Vec<NodeId>> = picks.iter().map(|(_, s)| s.seeds.clone()).collect();
    let outcomes = compare_sets(g, probs, &sets, sim)?;
    for ((method, picked), results) in picks.into_iter().zip(outcomes) {
        let outcome = results.into_iter().next().expect("one quality");
        out.push(Baseline { method, outcome: BaselineOutcome::Reach(Box::new((picked, outcome))) });
    }
    // In the order of BASELINES.
    out.sort_by_key(|b| BASELINES.iter().position(|&m| m == b.method));
    Ok(out)
}

/// Steps of the backfire curve: qualities 0, 1/steps, ..., 1.
pub const CURVE_STEPS: u32 = 20;

/// The backfire curve: IC-N reach of `seeds` at qualities 0, 0.05, ..., 1 (plus `quality`
/// when the campaign is IC-N and it is not on the grid), all from the same trials of `sim`,
/// and the quality below which expected negative reach exceeds positive reach.
#[derive(Debug, Clone)]
pub struct BackfireCurve {
    /// One outcome per quality, in increasing quality.
    pub points: Vec<QualityOutcome>,
    /// The lowest quality at which positive reach reaches negative reach (interpolated), if
    /// the curves cross.
    pub threshold: Option<f64>,
}

/// Computes the [`BackfireCurve`] of `seeds` with `sim`'s trials and seed (its model and
/// qualities are replaced). `campaign_quality` is added to the grid when `campaign_model`
/// is IC-N.
pub fn backfire_curve(
    g: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    campaign_model: Model,
    campaign_quality: f64,
    sim: &SimConfig,
) -> Result<BackfireCurve> {
    let mut qualities: Vec<f64> =
        (0..=CURVE_STEPS).map(|i| i as f64 / CURVE_STEPS as f64).collect();
    if campaign_model == Model::IcN && !qualities.contains(&campaign_quality) {
        qualities.push(campaign_quality);
        qualities.sort_by(f64::total_cmp);
    }
    let sweep = SimConfig {
        model: Model::IcN,
        qualities,
        node_quality: None,
        per_account: false,
        ..sim.clone()
    };
    let curve = simulate(g, probs, seeds, &sweep, None)?;
    let threshold = clout_report::threshold_quality(
        &curve
            .results
            .iter()
            .map(|r| (r.quality, r.positive.mean, r.negative.mean))
            .collect::<Vec<_>>(),
    );
    Ok(BackfireCurve { points: curve.results, threshold })
}
