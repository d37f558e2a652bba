//! Scoring every account: any set of centralities as one table keyed by node, with ranks.
//!
//! Conventions (arcs point the way influence flows; on a follower file `A B` = A follows B):
//! - `pagerank` equals `networkx.pagerank` on the file read as `DiGraph(A -> B)`; damping,
//!   tolerance (NetworkX's rule: L1 change below `n * tol`), dangling policy and
//!   personalization are in [`ScoreConfig::pagerank`].
//! - `betweenness` follows `networkx.betweenness_centrality` (normalized, endpoints excluded by
//!   default); exact, `(ε, δ)`-approximate or from sampled sources.
//! - `coreness` is `networkx.core_number` (directed graphs: in + out degree by default).
//! - `harmonic` is harmonic closeness along influence arcs *from* the account (its reach).
//! - `ci` is collective influence (Morone & Makse 2015) at the configured radius.
//! - `followers` / `following` / `degree` are influence out- / in- / total degree;
//!   `weighted-followers` sums out-arc weights.
//!
//! Ranks are competition ranks ("1224"): 1 + the number of accounts with a strictly greater
//! score.

use std::time::Instant;

use clout_centrality as cc;
use clout_graph::{Graph, NodeId};
use clout_ingest::LoadedGraph;
use serde::Serialize;

use crate::error::{Error, Result, Setting};
use crate::memory;

/// A score [`score`] can compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum Score {
    /// PageRank.
    Pagerank,
    /// Betweenness centrality.
    Betweenness,
    /// k-core number.
    Coreness,
    /// Harmonic closeness (reach).
    Harmonic,
    /// Collective influence.
    Ci,
    /// Influence out-degree.
    Followers,
    /// Influence in-degree.
    Following,
    /// Total degree.
    Degree,
    /// Weighted influence out-degree.
    WeightedFollowers,
}

impl Score {
    /// The column name: `pagerank`, ..., `weighted_followers`.
    pub fn name(self) -> &'static str {
        match self {
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
}

/// How to compute the scores. Every field defaults to its kernel's default (NetworkX's
/// conventions); `verify` is off.
#[derive(Debug, Clone, Default)]
pub struct ScoreConfig {
    /// PageRank settings.
    pub pagerank: cc::PageRankConfig,
    /// Betweenness settings.
    pub betweenness: cc::BetweennessConfig,
    /// Coreness settings.
    pub coreness: cc::CorenessConfig,
    /// Harmonic closeness settings.
    pub harmonic: cc::HarmonicConfig,
    /// Collective influence settings.
    pub collective: cc::CollectiveInfluenceConfig,
    /// Rerun each kernel's independent verifier and fail with [`Error::Verification`] when
    /// one disagrees.
    pub verify: bool,
}

/// One computed score.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreColumn {
    /// Which score.
    pub score: Score,
    /// Value per dense node id.
    #[serde(skip)]
    pub values: Vec<f64>,
    /// Competition rank per dense node id (1 = highest).
    #[serde(skip)]
    pub ranks: Vec<u32>,
    /// Wall-clock seconds of the kernel (and its verifier).
    pub seconds: f64,
    /// How it was computed: method, iterations, convergence, verification.
    pub detail: String,
    /// Something the caller should tell the user (PageRank did not converge).
    #[serde(skip)]
    pub warning: Option<String>,
}

/// The scores of every account.
#[derive(Debug, Clone, Default)]
pub struct ScoreTable {
    /// One column per score, in the order asked (duplicates dropped).
    pub columns: Vec<ScoreColumn>,
}

impl ScoreTable {
    /// The rows to show: `rows` (every node when `None`) ordered by the first score's rank
    /// (ties by node id), duplicates removed, cut to `top`.
    pub fn order(&self, rows: Option<&[NodeId]>, n: usize, top: Option<usize>) -> Vec<NodeId> {
        let mut order: Vec<NodeId> = match rows {
            Some(r) => r.to_vec(),
            None => (0..n as NodeId).collect(),
        };
        if let Some(first) = self.columns.first() {
            order.sort_by_key(|&u| (first.ranks[u as usize], u));
        }
        order.dedup();
        if let Some(top) = top {
            order.truncate(top);
        }
        order
    }
}

/// The most PageRank iterations allowed: PageRank converges in tens to hundreds of iterations,
/// and one that has not converged after a million never will.
pub const MAX_ITERATIONS: usize = 1_000_000;

/// Scratch bytes per node and worker thread of the search-based scores (betweenness, harmonic
/// closeness, collective influence): distances, path counts, dependencies, the visit order.
const SEARCH_BYTES_PER_NODE: u64 = 48;

/// Refuses settings that would run for hours or need more memory than the budget, before any
/// score is computed.
pub fn check(g: &Graph, scores: &[Score], cfg: &ScoreConfig) -> Result<()> {
    let max_iter = cfg.pagerank.max_iterations;
    if max_iter > MAX_ITERATIONS {
        return Err(Error::invalid(
            Setting::MaxIterations,
            format!(
                "{max_iter} PageRank iterations is above the cap of {MAX_ITERATIONS}: PageRank \
                 converges in tens to hundreds of iterations, and one that has not after a \
                 million will not (raise the tolerance instead)"
            ),
        ));
    }
    let n = g.node_count();
    if let cc::BetweennessMode::Approximate { epsilon, delta, .. } = cfg.betweenness.mode
        && scores.contains(&Score::Betweenness)
        && epsilon > 0.0
        && epsilon < 1.0
        && delta > 0.0
        && delta < 1.0
    {
        // Riondato-Kornaropoulos draw at least 0.5 / epsilon^2 * (1 + ln(1 / delta)) paths
        // (the vertex-diameter term is at least 1); past 64 per account (and 2^24) exact
        // Brandes, one search per account, costs less.
        let at_least = 0.5 / (epsilon * epsilon) * (1.0 + (1.0 / delta).ln());
        let exact_cost = (64.0 * n as f64).max((1u64 << 24) as f64);
        if at_least > exact_cost {
            let paths = if at_least.is_finite() {
                format!("at least {at_least:.3e}")
            } else {
                "unboundedly many".to_string()
            };
            return Err(Error::invalid(
                Setting::Epsilon,
                format!(
                    "epsilon {epsilon:e} asks betweenness for {paths} sampled paths, more than \
                     exact scores cost on {n} accounts; raise epsilon, or leave it out for \
                     exact betweenness"
                ),
            ));
        }
    }
    let threads = rayon::current_num_threads() as u64;
    let per_node =
        SEARCH_BYTES_PER_NODE.saturating_mul(threads).saturating_add(8 * (scores.len() as u64 + 4));
    memory::check(
        (n as u64).saturating_mul(per_node),
        format!("scoring {n} accounts with {threads} threads"),
        Setting::Threads,
    )?;
    Ok(())
}

/// Computes `scores` (duplicates dropped) for every account of `network`, after [`check`].
/// `started` is called with each score as its kernel starts (for progress).
///
/// ```
/// use clout::{Score, ScoreConfig};
/// let net = clout::open("../../datasets/karate/karate.edges", &clout::ReadConfig {
///     reading: clout::EdgeReading::Undirected,
///     ..Default::default()
/// })?.network;
/// let table = clout::score(&net, &[Score::Pagerank, Score::Coreness], &ScoreConfig::default(),
///     &mut |_| {})?;
/// let best = table.order(None, net.graph.node_count(), Some(1))[0];
/// assert_eq!(net.ids.original(best).to_string(), "34");
/// # Ok::<(), clout::Error>(())
/// ```
pub fn score(
    network: &LoadedGraph,
    scores: &[Score],
    cfg: &ScoreConfig,
    started: &mut dyn FnMut(Score),
) -> Result<ScoreTable> {
    let g = &network.graph;
    let mut wanted: Vec<Score> = Vec::new();
    for s in scores {
        if !wanted.contains(s) {
            wanted.push(*s);
        }
    }
    check(g, &wanted, cfg)?;
    let mut columns = Vec::with_capacity(wanted.len());
    for score in wanted {
        started(score);
        let start = Instant::now();
        let (values, detail, warning) = compute(score, g, cfg).map_err(|e| match e {
            Error::Centrality { source, .. } => centrality_error(source, network),
            other => other,
        })?;
        // The kernel's time: ranking the scores (a sort) is not part of computing them.
        let seconds = start.elapsed().as_secs_f64();
        let ranks = ranks(&values);
        columns.push(ScoreColumn { score, values, ranks, seconds, detail, warning });
    }
    Ok(ScoreTable { columns })
}

/// A centrality error, its nodes named by their original ids.
pub(crate) fn centrality_error(e: cc::CentralityError, network: &LoadedGraph) -> Error {
    let name =
        |u| format!("`{}`", clout_ingest::escape::escape_str(&network.ids.original(u).to_string()));
    Error::Centrality { message: e.describe(&name), source: e }
}

type Computed = (Vec<f64>, String, Option<String>);

/// One score for every node, with how it was computed and an optional warning.
fn compute(score: Score, g: &Graph, cfg: &ScoreConfig) -> Result<Computed> {
    let verified = |outcome: Result<String, String>, detail: String| -> Result<String> {
        match outcome {
            Ok(s) => Ok(format!("{detail}; {s}")),
            Err(finding) => Err(Error::Verification { score: score.name(), finding }),
        }
    };
    let wrap = |e: cc::CentralityError| Error::Centrality { message: e.to_string(), source: e };
    let verify = cfg.verify;
    Ok(match score {
        Score::Pagerank => {
            let pr = cc::pagerank(g, &cfg.pagerank).map_err(wrap)?;
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
            let warning = (!pr.converged).then(|| {
                format!(
                    "PageRank did not converge in {} iterations (L1 change {:.2e})",
                    pr.iterations, pr.residual
                )
            });
            if verify {
                let outcome = cc::verify_pagerank(g, &cfg.pagerank, &pr)
                    .map(|res| format!("verified, residual {res:.2e}"));
                detail = verified(outcome, detail)?;
            }
            (pr.scores, detail, warning)
        }
        Score::Betweenness => {
            let bc = cc::betweenness(g, &cfg.betweenness).map_err(wrap)?;
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
            if verify {
                let outcome = cc::verify_betweenness(g, &cfg.betweenness, &bc, 1e-9)
                    .map(|_| "verified".to_string());
                detail = verified(outcome, detail)?;
            }
            (bc.scores, detail, None)
        }
        Score::Coreness => {
            let core = cc::coreness(g, &cfg.coreness).map_err(wrap)?;
            let mut detail = format!("max core {}", core.max_core);
            if verify {
                let outcome =
                    cc::verify_coreness(g, &cfg.coreness, &core).map(|_| "verified".to_string());
                detail = verified(outcome, detail)?;
            }
            (core.core.iter().map(|&c| c as f64).collect(), detail, None)
        }
        Score::Harmonic => {
            let h = cc::harmonic_closeness(g, &cfg.harmonic).map_err(wrap)?;
            let mut detail = match &h.sampling {
                Some(s) => format!(
                    "{} pivots: normalized scores within {} with probability {:.3}",
                    s.pivots.len(),
                    s.epsilon,
                    1.0 - s.delta
                ),
                None => "exact".to_string(),
            };
            if verify {
                let outcome =
                    cc::verify_harmonic(g, &cfg.harmonic, &h).map(|_| "verified".to_string());
                detail = verified(outcome, detail)?;
            }
            (h.scores, detail, None)
        }
        Score::Ci => {
            let ci = cc::collective_influence(g, &cfg.collective).map_err(wrap)?;
            let mut detail = format!("radius {}", ci.radius);
            if verify {
                let outcome = cc::verify_collective_influence(g, &cfg.collective, &ci)
                    .map(|_| "verified".to_string());
                detail = verified(outcome, detail)?;
            }
            (ci.scores.iter().map(|&c| c as f64).collect(), detail, None)
        }
        Score::Followers | Score::Following | Score::Degree => {
            let d = cc::degrees(g);
            let v = match score {
                Score::Followers => &d.out_degree,
                Score::Following => &d.in_degree,
                _ => &d.total,
            };
            (v.iter().map(|&x| x as f64).collect(), "counted".to_string(), None)
        }
        Score::WeightedFollowers => {
            let w = cc::weighted_degrees(g).map_err(wrap)?;
            (w.out_weight, "summed".to_string(), None)
        }
    })
}

/// Competition ranks ("1224"): 1 + the number of nodes with a strictly greater score. NaN
/// never occurs in kernel output; it would sort last.
pub fn ranks(values: &[f64]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..values.len() as u32).collect();
    order.sort_by(|&a, &b| values[b as usize].total_cmp(&values[a as usize]).then(a.cmp(&b)));
    let mut rank = vec![0u32; values.len()];
    for (pos, &node) in order.iter().enumerate() {
        let r = if pos > 0 && values[order[pos - 1] as usize] == values[node as usize] {
            rank[order[pos - 1] as usize]
        } else {
            pos as u32 + 1
        };
        rank[node as usize] = r;
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competition_ranks() {
        assert_eq!(ranks(&[0.1, 0.5, 0.5, 0.2]), vec![4, 1, 1, 3]);
        assert_eq!(ranks(&[]), Vec::<u32>::new());
    }
}
