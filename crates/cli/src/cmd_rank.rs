//! `clout rank`: compute the requested scores, verify them if asked, and write the table.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clout_centrality as cc;
use clout_graph::Graph;
use clout_ingest::IdMap;

use crate::args::{CoreDegreeArg, DanglingArg, PageRankMethodArg, RankArgs, Score, WeightModeArg};
use crate::load::open_graph;
use crate::output::{Outputs, to_stdout};
use crate::progress::spinner;
use crate::table::{Column, KernelSummary, write_table};

/// Runs `clout rank`.
pub fn run(args: RankArgs) -> Result<()> {
    let inputs =
        [Some(args.graph.as_path()), args.candidates.as_deref(), args.personalize.as_deref()];
    let (mut outputs, out) = Outputs::prepare(&inputs, &[args.out.as_deref()])?;
    let opened = open_graph(&args.graph, &args.input)?;
    let g = &opened.loaded.graph;
    let ids = &opened.loaded.ids;
    let mut scores: Vec<Score> = Vec::new();
    for s in &args.by {
        if !scores.contains(s) {
            scores.push(*s);
        }
    }
    check_limits(&args, g, &scores)?;
    let rows = match &args.candidates {
        Some(path) => read_id_list(path, ids)?.into_iter().map(|(id, _)| id).collect(),
        None => (0..g.node_count() as u32).collect::<Vec<_>>(),
    };
    let mut columns = Vec::new();
    let mut summaries = Vec::new();
    for score in scores {
        let bar = spinner(&format!("computing {}", score_name(score)));
        let start = Instant::now();
        let (values, detail) =
            compute(score, g, ids, &args).map_err(|e| crate::names::with_original_ids(e, ids))?;
        let seconds = start.elapsed().as_secs_f64();
        bar.finish_and_clear();
        summaries.push(KernelSummary { score: score_name(score), seconds, detail });
        columns.push(Column { name: score_name(score), values });
    }
    let line: Vec<String> = summaries
        .iter()
        .map(|k| format!("{} {:.3} s ({})", k.score, k.seconds, k.detail))
        .collect();
    eprintln!("{} nodes, {} edges; {}", g.node_count(), g.edge_count(), line.join("; "));
    match out[0] {
        Some(id) => {
            outputs.write(id, |w| write_table(w, &args, ids, &rows, &columns, &summaries))?;
            outputs.commit()
        }
        None => to_stdout(|w| write_table(w, &args, ids, &rows, &columns, &summaries)),
    }
}

/// The most PageRank iterations `--max-iter` allows: PageRank converges in tens to hundreds of
/// iterations, and one that has not converged after a million never will (a million sweeps of
/// a 34-node graph already take seconds).
const MAX_ITERATIONS: usize = 1_000_000;

/// Scratch bytes per node and worker thread of the search-based scores (betweenness, harmonic
/// closeness, collective influence): distances, path counts, dependencies, the visit order.
const SEARCH_BYTES_PER_NODE: u64 = 48;

/// Refuses numbers that would run for hours or need more memory than allowed, before any
/// score is computed.
fn check_limits(a: &RankArgs, g: &Graph, scores: &[Score]) -> Result<()> {
    if a.max_iter > MAX_ITERATIONS {
        bail!(
            "--max-iter {} is above the cap of {MAX_ITERATIONS}: PageRank converges in tens to \
             hundreds of iterations, and one that has not after a million will not (raise --tol \
             instead)",
            a.max_iter
        );
    }
    let n = g.node_count();
    if let Some(epsilon) = a.epsilon
        && scores.contains(&Score::Betweenness)
        && epsilon > 0.0
        && epsilon < 1.0
        && a.delta > 0.0
        && a.delta < 1.0
    {
        // Riondato-Kornaropoulos draw at least 0.5 / epsilon^2 * (1 + ln(1 / delta)) paths
        // (the vertex-diameter term is at least 1); past 64 per account (and 2^24) exact
        // Brandes, one search per account, costs less.
        let at_least = 0.5 / (epsilon * epsilon) * (1.0 + (1.0 / a.delta).ln());
        let exact_cost = (64.0 * n as f64).max((1u64 << 24) as f64);
        if at_least > exact_cost {
            let paths = if at_least.is_finite() {
                format!("at least {at_least:.3e}")
            } else {
                "unboundedly many".to_string()
            };
            bail!(
                "--epsilon {epsilon:e} asks betweenness for {paths} sampled paths, more than \
                 exact scores cost on {n} accounts; raise --epsilon, or leave it out for exact \
                 betweenness"
            );
        }
    }
    let threads = rayon::current_num_threads() as u64;
    let per_node =
        SEARCH_BYTES_PER_NODE.saturating_mul(threads).saturating_add(8 * (scores.len() as u64 + 4));
    crate::limits::check(
        (n as u64).saturating_mul(per_node),
        &format!("scoring {n} accounts with {threads} threads"),
        "--threads",
    )
}

/// The name of a score as it appears in `--by` and in the table header.
pub fn score_name(s: Score) -> &'static str {
    match s {
        Score::Pagerank => "pagerank",
        Score::Betweenness => "betweenness",
        Score::Coreness => "coreness",
        Score::Harmonic => "harmonic",
        Score::Ci => "ci",
        Score::Followers => "followers",
        Score::Following => "following",
        Score::Degree => "degree",
        Score::WeightedFollowers => "weighted_followers",
    }
}

/// Computes one score for every node, with a one-line description of how it was computed.
fn compute(score: Score, g: &Graph, ids: &IdMap, a: &RankArgs) -> Result<(Vec<f64>, String)> {
    let verified = |ok: Result<String, String>| -> Result<String> {
        match ok {
            Ok(s) => Ok(s),
            Err(why) => bail!("--verify: {} disagrees with its verifier: {why}", score_name(score)),
        }
    };
    Ok(match score {
        Score::Pagerank => {
            let personalization = match &a.personalize {
                Some(path) => {
                    let mut p = vec![0.0; g.node_count()];
                    for (id, w) in read_id_list(path, ids)? {
                        p[id as usize] += w;
                    }
                    Some(p)
                }
                None => None,
            };
            let cfg = cc::PageRankConfig {
                damping: a.damping,
                tolerance: a.tol,
                max_iterations: a.max_iter,
                personalization,
                dangling: match a.dangling {
                    DanglingArg::Personalization => cc::DanglingPolicy::Personalization,
                    DanglingArg::Uniform => cc::DanglingPolicy::Uniform,
                },
                weighted: a.weighted,
                method: match a.pagerank_method {
                    PageRankMethodArg::Auto => cc::pagerank::PageRankMethod::Auto,
                    PageRankMethodArg::GaussSeidel => cc::pagerank::PageRankMethod::GaussSeidel,
                    PageRankMethodArg::Power => cc::pagerank::PageRankMethod::Power,
                },
            };
            let pr = cc::pagerank(g, &cfg)?;
            let method = match pr.method {
                cc::pagerank::PageRankMethod::Power => "power",
                _ => "gauss-seidel",
            };
            let mut detail = format!(
                "{method}, {} iterations, L1 change {:.2e}, {}",
                pr.iterations,
                pr.residual,
                if pr.converged { "converged" } else { "NOT converged" }
            );
            if !pr.converged {
                eprintln!(
                    "warning: PageRank did not converge in {} iterations (L1 change {:.2e}); raise --max-iter",
                    pr.iterations, pr.residual
                );
            }
            if a.verify {
                let r = verified(
                    cc::verify_pagerank(g, &cfg, &pr)
                        .map(|res| format!("verified, residual {res:.2e}")),
                )?;
                detail = format!("{detail}; {r}");
            }
            (pr.scores, detail)
        }
        Score::Betweenness => {
            let mode = match (a.epsilon, a.samples) {
                (Some(_), Some(_)) => bail!("--epsilon and --samples are alternatives; give one"),
                (Some(epsilon), None) => {
                    cc::BetweennessMode::Approximate { epsilon, delta: a.delta, seed: a.seed }
                }
                (None, Some(k)) => cc::BetweennessMode::SampledSources { k, seed: a.seed },
                (None, None) => cc::BetweennessMode::Exact,
            };
            let cfg = cc::BetweennessConfig {
                normalized: !a.raw,
                endpoints: a.endpoints,
                weights: a.bc_weights.map(|w| match w {
                    WeightModeArg::Distance => cc::WeightMode::Distance,
                    WeightModeArg::Strength => cc::WeightMode::Strength,
                }),
                mode,
                ..cc::BetweennessConfig::default()
            };
            let bc = cc::betweenness(g, &cfg)?;
            let mut detail = match &bc.method {
                cc::BetweennessMethod::Exact { folded, .. } => {
                    format!("exact Brandes, {folded} leaves folded")
                }
                cc::BetweennessMethod::Approximate { samples, epsilon, delta, .. } => format!(
                    "{samples} sampled paths: within {epsilon} of exact with probability {:.3}",
                    1.0 - delta
                ),
                cc::BetweennessMethod::Sources { sources } => {
                    format!("{} sampled sources", sources.len())
                }
            };
            if a.verify {
                let r = verified(
                    cc::verify_betweenness(g, &cfg, &bc, 1e-9).map(|_| "verified".to_string()),
                )?;
                detail = format!("{detail}; {r}");
            }
            (bc.scores, detail)
        }
        Score::Coreness => {
            let cfg = cc::CorenessConfig {
                degree: match a.core_degree {
                    CoreDegreeArg::Total => cc::CoreDegree::Total,
                    CoreDegreeArg::In => cc::CoreDegree::In,
                    CoreDegreeArg::Out => cc::CoreDegree::Out,
                },
            };
            let core = cc::coreness(g, &cfg)?;
            let mut detail = format!("max core {}", core.max_core);
            if a.verify {
                let r =
                    verified(cc::verify_coreness(g, &cfg, &core).map(|_| "verified".to_string()))?;
                detail = format!("{detail}; {r}");
            }
            (core.core.iter().map(|&c| c as f64).collect(), detail)
        }
        Score::Harmonic => {
            let method = match a.epsilon {
                Some(epsilon) => {
                    cc::HarmonicMethod::Sampled { epsilon, delta: a.delta, seed: a.seed }
                }
                None => cc::HarmonicMethod::Exact,
            };
            let cfg = cc::HarmonicConfig { method, ..cc::HarmonicConfig::default() };
            let h = cc::harmonic_closeness(g, &cfg)?;
            let mut detail = match &h.sampling {
                Some(s) => format!(
                    "{} pivots: normalized scores within {} with probability {:.3}",
                    s.pivots.len(),
                    s.epsilon,
                    1.0 - s.delta
                ),
                None => "exact".to_string(),
            };
            if a.verify {
                let r = verified(cc::verify_harmonic(g, &cfg, &h).map(|_| "verified".to_string()))?;
                detail = format!("{detail}; {r}");
            }
            (h.scores, detail)
        }
        Score::Ci => {
            let cfg = cc::CollectiveInfluenceConfig {
                radius: a.ci_radius,
                ..cc::CollectiveInfluenceConfig::default()
            };
            let ci = cc::collective_influence(g, &cfg)?;
            let mut detail = format!("radius {}", ci.radius);
            if a.verify {
                let r = verified(
                    cc::verify_collective_influence(g, &cfg, &ci).map(|_| "verified".to_string()),
                )?;
                detail = format!("{detail}; {r}");
            }
            (ci.scores.iter().map(|&c| c as f64).collect(), detail)
        }
        Score::Followers | Score::Following | Score::Degree => {
            let d = cc::degrees(g);
            let v = match score {
                Score::Followers => &d.out_degree,
                Score::Following => &d.in_degree,
                _ => &d.total,
            };
            (v.iter().map(|&x| x as f64).collect(), "counted".to_string())
        }
        Score::WeightedFollowers => {
            let w = cc::weighted_degrees(g)?;
            (w.out_weight, "summed".to_string())
        }
    })
}

/// Reads `id [weight]` lines (`#` comments, blank lines skipped; weight 1 when absent). Every
/// id must be in the graph; an unknown id is an error naming the file and line.
pub fn read_id_list(path: &Path, ids: &IdMap) -> Result<Vec<(u32, f64)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields =
            line.split(|c: char| c == ',' || c.is_whitespace()).filter(|f| !f.is_empty());
        let Some(id) = fields.next() else { continue };
        let Some(node) = ids.lookup(id) else {
            bail!("{}:{}: account `{id}` is not in the graph", path.display(), i + 1);
        };
        let weight = match fields.next() {
            None => 1.0,
            Some(w) => match w.parse::<f64>() {
                Ok(w) if w.is_finite() && w >= 0.0 => w,
                _ => {
                    bail!("{}:{}: weight `{w}` is not a non-negative number", path.display(), i + 1)
                }
            },
        };
        out.push((node, weight));
    }
    if out.is_empty() {
        bail!("{} lists no accounts", path.display());
    }
    Ok(out)
}
