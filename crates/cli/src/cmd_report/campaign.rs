//! The campaign half of the report: the seeds (given or chosen), their reach over time, the
//! backfire curve and the comparison with baseline seed sets on the same trials.

use anyhow::{Context, Result, bail};
use clout_graph::{Graph, NodeId};
use clout_ingest::IdMap;
use clout_reach::select::{self, Budget, Method, SelectConfig};
use clout_reach::{EdgeProbs, Model, SimConfig, simulate};
use clout_report::data::{
    BackfirePoint, BackfireSection, Band, Budget as BudgetData, Campaign, ComparisonSection,
    Estimate, ReachSection, Round, SeedSetResult,
};

use super::ReportArgs;
use crate::cmd_rank::read_id_list;
use crate::cmd_select::{MethodArg, candidate_list, choose, read_costs};
use crate::cmd_simulate::edge_probs;
use crate::progress::spinner;

/// Default product quality of `--model icn` when `--quality` is not given.
const DEFAULT_QUALITY: f64 = 0.8;
/// The qualities of the backfire curve: 0, 0.05, ..., 1 (the campaign's own q is added).
const CURVE_STEPS: u32 = 20;

/// Everything the campaign sections need, plus what the neighbourhood drawing reuses.
pub struct Gathered {
    /// The campaign description.
    pub campaign: Campaign,
    /// Reach of the seeds.
    pub reach: Option<ReachSection>,
    /// The backfire curve.
    pub backfire: Option<BackfireSection>,
    /// Seed sets compared.
    pub comparison: Option<ComparisonSection>,
    /// Sections left out, with the reason.
    pub omitted: Vec<(String, String)>,
    /// The seeds (dense ids).
    pub seeds: Vec<NodeId>,
    /// The model and quality simulated.
    pub model: Model,
    /// Product quality (1 for models without one).
    pub quality: f64,
    /// Edge probabilities.
    pub probs: EdgeProbs,
    /// Seed of the Monte Carlo runs.
    pub sim_seed: u64,
}

/// Converts the engine's estimate into the report's plain copy (same fields, same values).
pub fn estimate(e: &clout_reach::Estimate) -> Estimate {
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

fn band(b: &clout_reach::Band) -> Band {
    Band { mean: b.mean, ci95_low: b.ci95_low, ci95_high: b.ci95_high }
}

/// Gathers seeds, reach, backfire curve and comparison.
pub fn gather(args: &ReportArgs, g: &Graph, ids: &IdMap, pagerank: &[f64]) -> Result<Gathered> {
    let model = Model::from(args.model);
    let quality = match (model, args.quality) {
        (Model::IcN, q) => q.unwrap_or(DEFAULT_QUALITY),
        (_, None) => 1.0,
        (_, Some(_)) => bail!("--quality applies to --model icn only"),
    };
    if !(0.0..=1.0).contains(&quality) {
        bail!("--quality {quality} is outside [0, 1]");
    }
    let probs = edge_probs(g, ids, &args.prob, args.seed)?;
    let cfg = select_config(args, g, ids, model, quality)?;

    let (seeds, chosen_by, selection) = match args.select {
        Some(k) => {
            let bar = spinner(&format!("choosing {k} seeds by {}", Method::from(args.method)));
            let chosen = choose(
                args.method,
                g,
                &probs,
                &SelectConfig { k, ..cfg.clone() },
                args.celf_trials,
                Some(pagerank),
            )?;
            bar.finish_and_clear();
            if chosen.seeds.is_empty() {
                bail!("--method {} chose nobody (check --candidates and --budget)", chosen.method);
            }
            let by = format!(
                "chosen by {} (clout select); guarantee: {}",
                chosen.method, chosen.guarantee.statement
            );
            (chosen.seeds.clone(), by, Some(chosen))
        }
        None => {
            let mut given = Vec::with_capacity(args.seeds.len());
            for text in args.seeds.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
                let Some(v) = ids.lookup(text) else {
                    bail!("--seeds: account `{text}` is not in the graph");
                };
                given.push(v);
            }
            if let Some(path) = &args.seeds_file {
                given.extend(read_id_list(path, ids).context("--seeds-file")?.iter().map(|s| s.0));
            }
            let mut seeds = Vec::with_capacity(given.len());
            for v in given {
                if !seeds.contains(&v) {
                    seeds.push(v);
                }
            }
            if seeds.is_empty() {
                bail!("no seed accounts given (--seeds ID,... or --seeds-file FILE)");
            }
            let by = match (&args.seeds_file, args.seeds.is_empty()) {
                (Some(_), true) => "given with --seeds-file",
                (Some(_), false) => "given with --seeds and --seeds-file",
                (None, _) => "given with --seeds",
            };
            (seeds, by.to_string(), None)
        }
    };
    // `clout select` evaluates on a stream no selection method used; `clout simulate` on --seed.
    let sim_seed = if selection.is_some() { select::evaluation_seed(args.seed) } else { args.seed };
    let chosen_by = if selection.is_some() {
        format!(
            "{chosen_by}; every simulation below uses clout select's evaluation stream for \
             --seed {} (seed {sim_seed}), which no selection method draws from",
            args.seed
        )
    } else {
        chosen_by
    };
    let sim = SimConfig {
        model,
        qualities: vec![quality],
        trials: args.trials,
        seed: sim_seed,
        ..SimConfig::default()
    };
    // The backfire curve is the largest run: every curve quality on the same trials.
    let curve = SimConfig { qualities: vec![0.0; CURVE_STEPS as usize + 2], ..sim.clone() };
    crate::limits::check(
        curve.memory_estimate(g, rayon::current_num_threads()),
        &format!("simulating {} trials", args.trials),
        "--trials",
    )?;
    let names =
        |set: &[NodeId]| set.iter().map(|&v| ids.original(v).to_string()).collect::<Vec<_>>();
    let cost_of = |set: &[NodeId]| {
        cfg.budget.as_ref().map(|b| set.iter().map(|&v| b.costs[v as usize]).sum::<f64>())
    };
    let budget = cfg.budget.as_ref().map(|b| BudgetData {
        budget: b.budget,
        spent: seeds.iter().map(|&v| b.costs[v as usize]).sum(),
        costs: seeds.iter().map(|&v| b.costs[v as usize]).collect(),
    });
    if let Some(b) = &budget
        && b.spent > b.budget
    {
        eprintln!("warning: the seeds cost {} , more than the budget {}", b.spent, b.budget);
    }

    let bar = spinner("simulating the campaign");
    let run = simulate(g, &probs, &seeds, &sim).context("simulating the campaign")?;
    let o = &run.results[0];
    let reach = ReachSection {
        positive: estimate(&o.positive),
        negative: estimate(&o.negative),
        total: estimate(&o.total),
        awareness: estimate(&o.awareness),
        backfire_risk: estimate(&o.backfire_risk),
        conversions: o.conversions.as_ref().map(estimate),
        rounds: o
            .steps
            .iter()
            .map(|s| Round {
                round: s.step,
                positive: band(&s.new_positive),
                negative: band(&s.new_negative),
            })
            .collect(),
    };

    let mut omitted = Vec::new();
    bar.set_message("simulating the backfire curve");
    let backfire = if model == Model::Signed {
        omitted.push((
            "backfire".to_string(),
            "signed spread has no product quality: opinions come from trust and distrust arcs"
                .to_string(),
        ));
        None
    } else {
        let mut qualities: Vec<f64> =
            (0..=CURVE_STEPS).map(|i| i as f64 / CURVE_STEPS as f64).collect();
        if model == Model::IcN && !qualities.contains(&quality) {
            qualities.push(quality);
            qualities.sort_by(f64::total_cmp);
        }
        let sweep = SimConfig { model: Model::IcN, qualities, ..sim.clone() };
        let curve = simulate(g, &probs, &seeds, &sweep).context("simulating the backfire curve")?;
        let points: Vec<BackfirePoint> = curve
            .results
            .iter()
            .map(|r| BackfirePoint {
                quality: r.quality,
                positive: band_of(&r.positive),
                negative: band_of(&r.negative),
                net: band_of(&r.net),
            })
            .collect();
        let threshold = clout_report::threshold_quality(
            &points
                .iter()
                .map(|p| (p.quality, p.positive.mean, p.negative.mean))
                .collect::<Vec<_>>(),
        );
        let model_note = match model {
            Model::IcN => "icn".to_string(),
            other => format!(
                "icn (the {other} campaign has no opinions; the curve uses IC-N on the same edge probabilities)"
            ),
        };
        Some(BackfireSection { model: model_note, points, threshold })
    };

    bar.set_message("simulating the baseline seed sets");
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
    let mut skipped = Vec::new();
    let k = seeds.len();
    for method in
        [MethodArg::Degree, MethodArg::Pagerank, MethodArg::Coreness, MethodArg::DegreeDiscount]
    {
        if selection.as_ref().is_some_and(|s| s.method == Method::from(method)) {
            continue;
        }
        let picked = match choose(
            method,
            g,
            &probs,
            &SelectConfig { k, ..cfg.clone() },
            0,
            Some(pagerank),
        ) {
            Ok(s) if !s.seeds.is_empty() => s,
            Ok(_) => {
                skipped.push(format!("{} chose nobody", Method::from(method)));
                continue;
            }
            Err(e) => {
                skipped.push(format!("{}: {e:#}", Method::from(method)));
                continue;
            }
        };
        let run = simulate(g, &probs, &picked.seeds, &sim)?;
        let o = &run.results[0];
        sets.push(SeedSetResult {
            key: Method::from(method).name().into(),
            label: match method {
                MethodArg::Degree => "top followers".into(),
                MethodArg::Pagerank => "top PageRank".into(),
                MethodArg::Coreness => "top coreness".into(),
                _ => "degree discount".into(),
            },
            seeds: names(&picked.seeds),
            positive: estimate(&o.positive),
            negative: estimate(&o.negative),
            total: estimate(&o.total),
            cost: cost_of(&picked.seeds),
        });
    }
    bar.finish_and_clear();
    let mut note = format!(
        "Each set has {} accounts{} and is simulated with the same {} trials (seed {}), so the \
         differences are not noise from different random draws.",
        k,
        if cfg.budget.is_some() { " at most, within the budget," } else { "" },
        args.trials,
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
        budget,
    };
    Ok(Gathered {
        campaign,
        reach: Some(reach),
        backfire,
        comparison: Some(ComparisonSection { sets, note }),
        omitted,
        seeds,
        model,
        quality,
        probs,
        sim_seed,
    })
}

fn band_of(e: &clout_reach::Estimate) -> Band {
    Band { mean: e.mean, ci95_low: e.ci95_low, ci95_high: e.ci95_high }
}

/// The selection configuration shared by `--select` and the baselines.
fn select_config(
    args: &ReportArgs,
    g: &Graph,
    ids: &IdMap,
    model: Model,
    quality: f64,
) -> Result<SelectConfig> {
    let n = g.node_count();
    let candidates = candidate_list(args.candidates.as_deref(), args.exclude.as_deref(), ids, n)?;
    let budget = match (&args.costs, args.budget) {
        (Some(path), Some(budget)) => Some(Budget { costs: read_costs(path, ids, n)?, budget }),
        _ => None,
    };
    Ok(SelectConfig {
        k: args.select.unwrap_or(args.seeds.len()),
        model,
        quality: if model == Model::IcN { quality } else { 1.0 },
        epsilon: args.epsilon,
        delta: args.delta,
        seed: args.seed,
        candidates,
        budget,
        memory_limit: crate::limits::library_limit(),
    })
}
