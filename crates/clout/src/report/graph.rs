//! The graph half of the report: size, direction, components and degree distributions; the
//! influencer table with its four scores, their distributions and rank correlations.

use std::collections::BTreeMap;

use clout_centrality as cc;
use clout_graph::Graph;
use clout_graph::components::{strongly_connected_components, weakly_connected_components};
use clout_graph::stats::graph_stats;
use clout_ingest::LoadedGraph;
use clout_report::bars::{bin, bin_integers};
use clout_report::data::{
    DegreeDistribution, GraphSection, InfluencerSection, RankedAccount, ScoreSummary,
};
use clout_report::rank::{kendall_tau_b, spearman};

use crate::error::Result;
use crate::score::{centrality_error, ranks};

/// Above this many `nodes x arcs`, betweenness and harmonic closeness are sampled with a
/// guarantee instead of computed exactly (ego-Facebook and wiki-Vote, about 7e8, stay exact).
const EXACT_WORK: f64 = 5e9;
/// Additive error of sampled scores on the normalized scale ...
const SAMPLED_EPSILON: f64 = 0.01;
/// ... with probability at least 1 - this.
const SAMPLED_DELTA: f64 = 0.1;

/// Size, direction, components and degree distributions.
pub fn graph_section(source: &str, g: &Graph, progress: &dyn Fn(&str)) -> GraphSection {
    progress("computing graph statistics");
    let s = graph_stats(g);
    let weak = weakly_connected_components(g);
    let mut sizes: Vec<usize> = weak.sizes.iter().map(|&x| x as usize).collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.truncate(5);
    let strong = g.is_directed().then(|| strongly_connected_components(g));
    let distribution = |key: &str, label: &str, degree: &dyn Fn(u32) -> usize| {
        let mut counts: BTreeMap<u64, u64> = BTreeMap::new();
        for v in g.nodes() {
            *counts.entry(degree(v) as u64).or_default() += 1;
        }
        let total: u64 = counts.iter().map(|(k, c)| k * c).sum();
        DegreeDistribution {
            key: key.into(),
            label: label.into(),
            mean: if g.node_count() > 0 { total as f64 / g.node_count() as f64 } else { 0.0 },
            max: counts.keys().next_back().copied().unwrap_or(0),
            counts: counts.into_iter().collect(),
        }
    };
    let degree_distributions = if g.is_directed() {
        vec![
            distribution("followers", "followers (influence out-degree)", &|v| g.out_degree(v)),
            distribution("following", "following (influence in-degree)", &|v| g.in_degree(v)),
        ]
    } else {
        vec![distribution("degree", "friends (degree)", &|v| g.out_degree(v))]
    };
    GraphSection {
        source: source.to_string(),
        nodes: s.nodes,
        edges: s.edges,
        directed: s.directed,
        reading: s.reading.name().into(),
        reading_sentence: format!(
            "{}; arcs point the way influence flows, so an account's followers are the accounts its \
             posts reach",
            s.reading.describe()
        ),
        reciprocity: s.reciprocity,
        isolated: s.isolated,
        without_followers: s.without_out_arcs,
        weak_components: s.weak_components.count,
        largest_weak: sizes,
        strong_components: strong.as_ref().map(|c| c.count),
        largest_strong: strong.as_ref().map(|c| c.largest_size()),
        degree_distributions,
    }
}

/// One score over all accounts, with how it was computed.
struct Score {
    key: &'static str,
    name: &'static str,
    method: String,
    values: Vec<f64>,
    integer: bool,
}

/// The influencer table (the `top` accounts by each score; sampled scores drawn with `seed`);
/// also returns the PageRank scores (the baselines reuse them).
pub fn influencer_section(
    network: &LoadedGraph,
    seed: u64,
    top: usize,
    progress: &dyn Fn(&str),
) -> Result<(InfluencerSection, Vec<f64>)> {
    let (g, ids) = (&network.graph, &network.ids);
    let wrap = |e| centrality_error(e, network);
    let work = g.node_count() as f64 * g.arc_count() as f64;
    let sampled = work > EXACT_WORK;
    progress("computing PageRank");
    let pr = cc::pagerank(g, &cc::PageRankConfig::default()).map_err(wrap)?;
    progress("computing betweenness");
    let bc_mode = if sampled {
        cc::BetweennessMode::Approximate { epsilon: SAMPLED_EPSILON, delta: SAMPLED_DELTA, seed }
    } else {
        cc::BetweennessMode::Exact
    };
    let bc = cc::betweenness(g, &cc::BetweennessConfig { mode: bc_mode, ..Default::default() })
        .map_err(wrap)?;
    progress("computing coreness");
    let core = cc::coreness(g, &cc::CorenessConfig::default()).map_err(wrap)?;
    progress("computing reach (harmonic closeness)");
    let h_method = if sampled {
        cc::HarmonicMethod::Sampled { epsilon: SAMPLED_EPSILON, delta: SAMPLED_DELTA, seed }
    } else {
        cc::HarmonicMethod::Exact
    };
    let h =
        cc::harmonic_closeness(g, &cc::HarmonicConfig { method: h_method, ..Default::default() })
            .map_err(wrap)?;
    let bc_method = match &bc.method {
        cc::BetweennessMethod::Approximate { samples, epsilon, delta, .. } => format!(
            "shortest-path betweenness, normalized as NetworkX; estimated from {samples} sampled \
             paths (Riondato-Kornaropoulos): every score within {epsilon} of exact with \
             probability {:.2}",
            1.0 - delta
        ),
        _ => "shortest-path betweenness, exact (Brandes), normalized as NetworkX's \
              betweenness_centrality"
            .into(),
    };
    let h_method = match &h.sampling {
        Some(s) => format!(
            "harmonic closeness along influence arcs (sum of 1/distance to the accounts this one \
             reaches), estimated from {} pivots: every normalized score within {:.3} of exact \
             with probability {:.2}",
            s.pivots.len(),
            s.epsilon,
            1.0 - s.delta
        ),
        None => "harmonic closeness along influence arcs: sum of 1/distance to every account \
                 this one's posts reach, exact"
            .into(),
    };
    let scores = [
        Score {
            key: "pagerank",
            name: "PageRank",
            method: format!(
                "PageRank as networkx.pagerank (damping 0.85; much-followed accounts rank high); \
                 {} iterations, {}",
                pr.iterations,
                if pr.converged { "converged" } else { "NOT converged" }
            ),
            values: pr.scores.clone(),
            integer: false,
        },
        Score {
            key: "betweenness",
            name: "betweenness",
            method: bc_method,
            values: bc.scores,
            integer: false,
        },
        Score {
            key: "coreness",
            name: "coreness",
            method: format!(
                "k-core number as networkx.core_number (directed graphs: in + out degree); max \
                 core {}",
                core.max_core
            ),
            values: core.core.iter().map(|&c| c as f64).collect(),
            integer: true,
        },
        Score { key: "reach", name: "reach", method: h_method, values: h.scores, integer: false },
    ];
    progress("comparing rankings");
    let k = scores.len();
    let mut rho = vec![vec![None; k]; k];
    let mut tau = vec![vec![None; k]; k];
    for i in 0..k {
        rho[i][i] = Some(1.0);
        tau[i][i] = Some(1.0);
        for j in (i + 1)..k {
            let (a, b) = (&scores[i].values, &scores[j].values);
            rho[i][j] = spearman(a, b);
            rho[j][i] = rho[i][j];
            tau[i][j] = kendall_tau_b(a, b);
            tau[j][i] = tau[i][j];
        }
    }
    let summaries = scores
        .iter()
        .map(|s| {
            let rank = ranks(&s.values);
            let mut order: Vec<u32> = g.nodes().collect();
            order.sort_by_key(|&v| (rank[v as usize], v));
            order.truncate(top);
            ScoreSummary {
                key: s.key.into(),
                name: s.name.into(),
                method: s.method.clone(),
                top: order
                    .iter()
                    .map(|&v| RankedAccount {
                        id: ids.original(v).to_string(),
                        value: s.values[v as usize],
                        rank: rank[v as usize] as u64,
                    })
                    .collect(),
                histogram: if s.integer { bin_integers(&s.values, 60) } else { bin(&s.values, 30) },
            }
        })
        .collect();
    Ok((InfluencerSection { top, scores: summaries, spearman: rho, kendall: tau }, pr.scores))
}
