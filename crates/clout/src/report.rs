//! The campaign report's data: the graph at a glance, the influencer table, the campaign's
//! reach over time, the backfire curve, the seed-set comparison and the neighbourhood drawing,
//! gathered into a [`ReportData`] that [`render`] turns into one HTML page and its charts.
//!
//! The numbers equal those of the other workflows for the same settings: with given seeds the
//! reach and backfire runs use [`ReportConfig::seed`] itself (as [`simulate`](crate::simulate));
//! with chosen seeds every Monte Carlo run uses the selection's evaluation stream
//! ([`select::evaluation_seed`]), so the choice and the baselines equal those of
//! [`choose`](crate::choose) followed by [`compare_baselines`](crate::compare_baselines).

mod graph;
mod neighbourhood;

use clout_graph::NodeId;
use clout_ingest::LoadedGraph;
use clout_reach::select::{self, Budget, Method, SelectConfig};
use clout_reach::{Model, SimConfig};
use clout_report::data::{
    BackfirePoint, BackfireSection, Band, Budget as BudgetData, Campaign, ComparisonSection,
    Estimate, ReachSection, Round, SeedSetResult, TargetSection,
};
pub use clout_report::png;
pub use clout_report::{Rendered, ReportData, render};

use crate::campaign::{
    BaselineOutcome, backfire_curve, choose, compare_baselines, edge_probs, simulate,
};
use crate::error::{Error, Result, Setting};

/// Default product quality of an IC-N report when none is given.
pub const DEFAULT_QUALITY: f64 = 0.8;
/// The most accounts the neighbourhood drawing shows (it stays readable).
pub const MAX_DRAWN: usize = 300;

/// The campaign's seeds.
#[derive(Debug, Clone)]
pub enum Seeds {
    /// Given accounts (dense ids; duplicates dropped), and how they were given, for the page.
    Given {
        /// The accounts.
        seeds: Vec<NodeId>,
        /// A phrase for the page ("given with --seeds").
        how: String,
    },
    /// Choose `k` with a method (its settings in [`ReportConfig::select`]).
    Choose {
        /// How many.
        k: usize,
        /// How.
        method: Method,
    },
}

/// What to report on. [`ReportConfig::new`] fills the documented defaults.
#[derive(Debug, Clone)]
pub struct ReportConfig {
    /// The campaign's seeds.
    pub seeds: Seeds,
    /// Diffusion model. Default IC-N.
    pub model: Model,
    /// Edge probability specification (see [`edge_probs`]). Default `wc`.
    pub prob: String,
    /// Product quality for IC-N (default [`DEFAULT_QUALITY`]); must be `None` for the other
    /// models, which have none.
    pub quality: Option<f64>,
    /// Monte Carlo trials of every simulation. Default 2,000.
    pub trials: usize,
    /// Seed of every random choice. Default 1.
    pub seed: u64,
    /// Selection settings for chosen seeds and the baselines (epsilon, delta, budget,
    /// candidates, CELF's trials); `k`, `model`, `quality` and `seed` are set from the fields
    /// above.
    pub select: SelectConfig,
    /// Accounts listed per score in the influencer table. Default 10.
    pub top: usize,
    /// Most accounts in the neighbourhood drawing, seeds included (at most [`MAX_DRAWN`]).
    /// Default 150.
    pub draw: usize,
    /// The graph's name on the page (its file name).
    pub source: String,
    /// The page title.
    pub title: String,
    /// The generator line ("clout 0.1.0").
    pub generator: String,
    /// The command line that made the report, shown on the page.
    pub command: String,
    /// A target audience: each account's weight (dense ids, one per node). Adds the target
    /// section: the campaign, its backfire curve and the seed-set comparison in target
    /// weight, from the same trials. Default `None`.
    pub target: Option<Vec<f64>>,
    /// Per-account purchase probabilities and values: adds expected sales and revenue to the
    /// reach table. Default `None`.
    pub conversion: Option<clout_reach::Conversion>,
}

impl ReportConfig {
    /// The defaults, for `seeds` and a graph named `source`.
    pub fn new(seeds: Seeds, source: impl Into<String>) -> ReportConfig {
        let source = source.into();
        ReportConfig {
            seeds,
            model: Model::IcN,
            prob: "wc".into(),
            quality: None,
            trials: 2000,
            seed: 1,
            select: SelectConfig::default(),
            top: 10,
            draw: 150,
            title: format!("clout report: {source}"),
            source,
            generator: format!("clout {}", env!("CARGO_PKG_VERSION")),
            command: String::new(),
            target: None,
            conversion: None,
        }
    }
}

/// Gathers every section of the report. `progress` is told what is being computed.
pub fn build(
    network: &LoadedGraph,
    cfg: &ReportConfig,
    progress: &dyn Fn(&str),
) -> Result<ReportData> {
    if cfg.draw > MAX_DRAWN {
        return Err(Error::invalid(
            Setting::Draw,
            format!(
                "{} drawn accounts is above the cap of {MAX_DRAWN} (the drawing stays readable)",
                cfg.draw
            ),
        ));
    }
    let g = &network.graph;
    let graph = graph::graph_section(&cfg.source, g, progress);
    let (influencers, pagerank) = graph::influencer_section(network, cfg.seed, cfg.top, progress)?;
    let camp = campaign(network, cfg, &pagerank, progress)?;
    let mut omitted = camp.omitted;
    let neighbourhood = neighbourhood::section(
        network,
        &camp.seeds,
        &camp.per_account,
        camp.trials,
        cfg.model,
        cfg.draw,
        cfg.seed,
    );
    if neighbourhood.is_none() {
        omitted.push(("neighbourhood".into(), "the seeds reach nobody else in any trial".into()));
    }
    Ok(ReportData {
        title: cfg.title.clone(),
        generator: cfg.generator.clone(),
        command: cfg.command.clone(),
        graph,
        influencers,
        campaign: camp.campaign,
        reach: Some(camp.reach),
        backfire: camp.backfire,
        comparison: Some(camp.comparison),
        target: camp.target,
        neighbourhood,
        omitted,
    })
}

/// The campaign sections, and what the drawing reuses.
struct Gathered {
    campaign: Campaign,
    reach: ReachSection,
    backfire: Option<BackfireSection>,
    comparison: ComparisonSection,
    target: Option<TargetSection>,
    omitted: Vec<(String, String)>,
    seeds: Vec<NodeId>,
    per_account: clout_reach::AccountOutcomes,
    trials: usize,
}

/// The engine's estimate as the report's plain copy (same fields, same values).
fn estimate(e: &clout_reach::Estimate) -> Estimate {
    Estimate {
        mean: e.mean,
        std_error: e.std_error,
        ci95_low: e.ci95_low,
        ci95_high: e.ci95_high,
        q05: e.q05,
        q50: e.q50,
        q95: e.q95,
    }
}

fn band(mean: f64, ci95_low: f64, ci95_high: f64) -> Band {
    Band { mean, ci95_low, ci95_high }
}

/// One round of a per-round curve as the report's copy.
fn round(s: &clout_reach::StepStat) -> Round {
    let b = |x: &clout_reach::Band| band(x.mean, x.ci95_low, x.ci95_high);
    Round { round: s.step, positive: b(&s.new_positive), negative: b(&s.new_negative) }
}

/// The label of a baseline on the page.
fn baseline_label(method: Method) -> &'static str {
    match method {
        Method::Degree => "top followers",
        Method::Pagerank => "top PageRank",
        Method::Coreness => "top coreness",
        _ => "degree discount",
    }
}

/// Seeds, reach, backfire curve and comparison.
fn campaign(
    network: &LoadedGraph,
    cfg: &ReportConfig,
    pagerank: &[f64],
    progress: &dyn Fn(&str),
) -> Result<Gathered> {
    let (g, ids) = (&network.graph, &network.ids);
    let model = cfg.model;
    let quality = match (model, cfg.quality) {
        (Model::IcN, q) => q.unwrap_or(DEFAULT_QUALITY),
        (_, None) => 1.0,
        (_, Some(_)) => {
            return Err(Error::invalid(Setting::Quality, "product quality applies to IC-N only"));
        }
    };
    if !(0.0..=1.0).contains(&quality) {
        return Err(Error::invalid(
            Setting::Quality,
            format!("quality {quality} is outside [0, 1]"),
        ));
    }
    let probs = edge_probs(network, &cfg.prob, cfg.seed)?;
    let select_cfg = SelectConfig {
        model,
        quality: if model == Model::IcN { quality } else { 1.0 },
        seed: cfg.seed,
        ..cfg.select.clone()
    };
    let (seeds, chosen_by, selection) = match &cfg.seeds {
        Seeds::Choose { k, method } => {
            progress(&format!("choosing {k} seeds by {method}"));
            let chosen = choose(
                g,
                &probs,
                *method,
                &SelectConfig { k: *k, ..select_cfg.clone() },
                Some(pagerank),
            )?;
            if chosen.seeds.is_empty() {
                return Err(Error::invalid(
                    Setting::Seeds,
                    format!("{} chose nobody (check the candidates and the budget)", chosen.method),
                ));
            }
            let by = format!(
                "chosen by {} (clout select); guarantee: {}",
                chosen.method, chosen.guarantee.statement
            );
            (chosen.seeds.clone(), by, Some(chosen))
        }
        Seeds::Given { seeds: given, how } => {
            let mut seeds = Vec::with_capacity(given.len());
            for &v in given {
                if !seeds.contains(&v) {
                    seeds.push(v);
                }
            }
            if seeds.is_empty() {
                return Err(Error::invalid(Setting::Seeds, "no seed accounts given"));
            }
            (seeds, how.clone(), None)
        }
    };
    // Chosen seeds are evaluated on a stream no selection method used; given ones on the seed.
    let sim_seed = if selection.is_some() { select::evaluation_seed(cfg.seed) } else { cfg.seed };
    let chosen_by = if selection.is_some() {
        format!(
            "{chosen_by}; every simulation below uses clout select's evaluation stream for \
             --seed {} (seed {sim_seed}), which no selection method draws from",
            cfg.seed
        )
    } else {
        chosen_by
    };
    let sim = SimConfig {
        model,
        qualities: vec![quality],
        trials: cfg.trials,
        seed: sim_seed,
        target: cfg.target.clone(),
        conversion: cfg.conversion.clone(),
        ..SimConfig::default()
    };
    let names =
        |set: &[NodeId]| set.iter().map(|&v| ids.original(v).to_string()).collect::<Vec<_>>();
    let budget = select_cfg.budget.as_ref();
    let cost_of =
        |set: &[NodeId]| budget.map(|b| set.iter().map(|&v| b.costs[v as usize]).sum::<f64>());
    let budget_data = budget.map(|b: &Budget| BudgetData {
        budget: b.budget,
        spent: seeds.iter().map(|&v| b.costs[v as usize]).sum(),
        costs: seeds.iter().map(|&v| b.costs[v as usize]).collect(),
    });

    progress("simulating the campaign");
    // The same run gives the drawing its per-account outcomes: same kernel, same trials.
    let run = simulate(g, &probs, &seeds, &SimConfig { per_account: true, ..sim.clone() }, None)?;
    let o = &run.results[0];
    let reach = ReachSection {
        positive: estimate(&o.positive),
        negative: estimate(&o.negative),
        total: estimate(&o.total),
        awareness: estimate(&o.awareness),
        backfire_risk: estimate(&o.backfire_risk),
        conversions: o.conversions.as_ref().map(estimate),
        sales: o.sales.as_ref().map(estimate),
        revenue: o.revenue.as_ref().map(estimate),
        rounds: o.steps.iter().map(round).collect(),
    };

    let mut omitted = Vec::new();
    let mut target_points: Vec<BackfirePoint> = Vec::new();
    progress("simulating the backfire curve");
    let backfire = if model == Model::Signed {
        omitted.push((
            "backfire".to_string(),
            "signed spread has no product quality: opinions come from trust and distrust arcs"
                .to_string(),
        ));
        None
    } else {
        let curve = backfire_curve(g, &probs, &seeds, model, quality, &sim)?;
        let b = |e: &clout_reach::Estimate| band(e.mean, e.ci95_low, e.ci95_high);
        let points = curve
            .points
            .iter()
            .map(|r| BackfirePoint {
                quality: r.quality,
                positive: b(&r.positive),
                negative: b(&r.negative),
                net: b(&r.net),
            })
            .collect();
        target_points = curve
            .points
            .iter()
            .filter_map(|r| {
                let t = r.target.as_ref()?;
                Some(BackfirePoint {
                    quality: r.quality,
                    positive: b(&t.positive),
                    negative: b(&t.negative),
                    net: b(&t.net),
                })
            })
            .collect();
        let model_note = match model {
            Model::IcN => "icn".to_string(),
            other => format!(
                "icn (the {other} campaign has no opinions; the curve uses IC-N on the same edge probabilities)"
            ),
        };
        Some(BackfireSection { model: model_note, points, threshold: curve.threshold })
    };
    let mut target_sets = Vec::new();
    let target_set = |key: &str, label: &str, o: &clout_reach::QualityOutcome| {
        o.target.as_ref().map(|t| SeedSetResult {
            key: key.into(),
            label: label.into(),
            seeds: Vec::new(),
            positive: estimate(&t.positive),
            negative: estimate(&t.negative),
            total: estimate(&t.total),
            cost: None,
        })
    };

    progress("simulating the baseline seed sets");
    let mut sets = vec![SeedSetResult {
        key: "selected".into(),
        label: match &selection {
            Some(s) => format!("chosen by {}", s.method),
            None => "your seeds".into(),
        },
        seeds: names(&seeds),
        positive: reach.positive.clone(),
        negative: reach.negative.clone(),
        total: reach.total.clone(),
        cost: cost_of(&seeds),
    }];
    target_sets.extend(target_set("selected", &sets[0].label, o));
    let k = seeds.len();
    let baseline_cfg = SelectConfig { k, ..select_cfg.clone() };
    let skip = selection.as_ref().map(|s| s.method);
    let mut skipped = Vec::new();
    for b in compare_baselines(g, &probs, &baseline_cfg, skip, &sim, Some(pagerank))? {
        match b.outcome {
            BaselineOutcome::Reach(reach) => {
                let (picked, o) = *reach;
                target_sets.extend(target_set(b.method.name(), baseline_label(b.method), &o));
                sets.push(SeedSetResult {
                    key: b.method.name().into(),
                    label: baseline_label(b.method).into(),
                    seeds: names(&picked.seeds),
                    positive: estimate(&o.positive),
                    negative: estimate(&o.negative),
                    total: estimate(&o.total),
                    cost: cost_of(&picked.seeds),
                })
            }
            BaselineOutcome::ChoseNobody => skipped.push(format!("{} chose nobody", b.method)),
            BaselineOutcome::Failed(why) => {
                skipped.push(format!("{}: {}", b.method, crate::describe(&*why)))
            }
        }
    }
    let mut note = format!(
        "Each set has {} accounts{} and is simulated with the same {} trials (seed {}), so the \
         differences are not noise from different random draws.",
        k,
        if budget.is_some() { " at most, within the budget," } else { "" },
        cfg.trials,
        sim_seed
    );
    if !skipped.is_empty() {
        note.push_str(&format!(" Not compared: {}.", skipped.join("; ")));
    }
    let campaign = Campaign {
        seeds: names(&seeds),
        chosen_by,
        model: model.name().into(),
        prob: probs.spec().to_string(),
        quality: (model == Model::IcN).then_some(quality),
        trials: run.trials,
        seed: sim_seed,
        budget: budget_data,
    };
    let target = match (&cfg.target, &o.target, run.target_weight) {
        (Some(w), Some(t), Some(weight)) => Some(TargetSection {
            weight,
            accounts: w.iter().filter(|&&x| x > 0.0).count(),
            positive: estimate(&t.positive),
            negative: estimate(&t.negative),
            total: estimate(&t.total),
            awareness: estimate(&t.awareness),
            backfire_risk: estimate(&t.backfire_risk),
            rounds: t.steps.iter().map(round).collect(),
            heard_rounds: t.awareness_steps.iter().map(|b| b.mean).collect(),
            backfire: backfire.as_ref().map(|b| BackfireSection {
                model: b.model.clone(),
                threshold: clout_report::threshold_quality(
                    &target_points
                        .iter()
                        .map(|p| (p.quality, p.positive.mean, p.negative.mean))
                        .collect::<Vec<_>>(),
                ),
                points: target_points,
            }),
            sets: target_sets,
        }),
        _ => None,
    };
    let trials = run.trials;
    let per_account = run.per_account.into_iter().next().expect("per-account outcomes were asked");
    Ok(Gathered {
        campaign,
        reach,
        backfire,
        comparison: ComparisonSection { sets, note },
        target,
        omitted,
        seeds,
        per_account,
        trials,
    })
}
