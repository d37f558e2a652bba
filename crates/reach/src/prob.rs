//! Edge activation probabilities for the cascade models, chosen at simulation time (`--prob`).
//!
//! Every arc `u -> v` of a clout graph points the way influence flows (a follower-file line
//! `A B`, "A follows B", is the arc `B -> A`), so `p(u, v)` is the chance that `u`, once
//! active, convinces `v`. [`EdgeProbs`] holds one `f64` per arc twice: aligned with the
//! out-adjacency (forward cascades) and with the in-adjacency (reverse-reachable sets), both
//! computed without any arc-to-arc mapping, so the two views always agree.
//!
//! | spec | `p(u, v)` |
//! |---|---|
//! | `uniform:P` | `P` for every arc |
//! | `wc` | `1 / in-degree(v)` (weighted cascade, Kempe et al. 2003) |
//! | `trivalency[:SEED]` | drawn once per arc from {0.1, 0.01, 0.001}, a pure function of `(SEED, u, v)` |
//! | `weight` | the arc weight, which must lie in `[0, 1]` |
//! | `weight-normalized` | `w(u, v) / sum of w(x, v) over in-arcs of v` |
//!
//! On an undirected graph each edge is two arcs, and `trivalency` draws the two directions
//! independently (as in the influence-maximization literature's directed treatment).

use clout_graph::{Graph, NodeId, rng::splitmix64};
use rayon::prelude::*;
use std::fmt;
use std::str::FromStr;

/// How edge probabilities are derived from the graph. See the module docs for the table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ProbSpec {
    /// The same probability on every arc.
    Uniform(f64),
    /// Weighted cascade: `p(u, v) = 1 / in-degree(v)`.
    WeightedCascade,
    /// Each arc drawn once from {0.1, 0.01, 0.001}, a pure function of `(seed, u, v)`.
    Trivalency {
        /// Seed of the draw (the CLI passes `--seed` unless `trivalency:SEED` is given).
        seed: u64,
    },
    /// The arc weight is the probability (validated to lie in `[0, 1]`).
    Weight,
    /// The arc weight divided by the target's total in-weight.
    WeightNormalized,
}

impl Default for ProbSpec {
    /// Weighted cascade, the literature's standard.
    fn default() -> Self {
        ProbSpec::WeightedCascade
    }
}

impl fmt::Display for ProbSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProbSpec::Uniform(p) => write!(f, "uniform:{p}"),
            ProbSpec::WeightedCascade => f.write_str("wc"),
            ProbSpec::Trivalency { seed } => write!(f, "trivalency:{seed}"),
            ProbSpec::Weight => f.write_str("weight"),
            ProbSpec::WeightNormalized => f.write_str("weight-normalized"),
        }
    }
}

/// A probability specification that could not be parsed; the message says what is wrong and
/// what is expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbSpecError(String);

impl fmt::Display for ProbSpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProbSpecError {}

impl FromStr for ProbSpec {
    type Err = ProbSpecError;

    /// Parses `uniform:P`, `wc`, `trivalency`, `trivalency:SEED`, `weight`,
    /// `weight-normalized`. A bare `trivalency` uses seed 0 (callers that have a run seed
    /// substitute it).
    fn from_str(text: &str) -> Result<Self, ProbSpecError> {
        parse_spec(text).map_err(ProbSpecError)
    }
}

fn parse_spec(text: &str) -> Result<ProbSpec, String> {
    let (name, arg) = match text.split_once(':') {
        Some((name, arg)) => (name, Some(arg)),
        None => (text, None),
    };
    match (name, arg) {
        ("uniform", Some(p)) => {
            let p: f64 = p.parse().map_err(|_| format!("`{p}` is not a probability"))?;
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("uniform probability {p} is outside [0, 1]"));
            }
            Ok(ProbSpec::Uniform(p))
        }
        ("uniform", None) => Err("`uniform` needs a probability, e.g. uniform:0.01".into()),
        ("wc", None) => Ok(ProbSpec::WeightedCascade),
        ("trivalency", None) => Ok(ProbSpec::Trivalency { seed: 0 }),
        ("trivalency", Some(s)) => s
            .parse()
            .map(|seed| ProbSpec::Trivalency { seed })
            .map_err(|_| format!("`{s}` is not a seed (an unsigned integer)")),
        ("weight", None) => Ok(ProbSpec::Weight),
        ("weight-normalized", None) => Ok(ProbSpec::WeightNormalized),
        _ => Err(format!(
            "unknown probability `{text}`: expected uniform:P, wc, trivalency[:SEED], weight \
                 or weight-normalized"
        )),
    }
}

/// Why probabilities could not be derived.
#[derive(Debug, Clone, PartialEq)]
pub enum ProbError {
    /// `weight` or `weight-normalized` on a graph without weights.
    Unweighted,
    /// `weight`: an arc weight outside `[0, 1]` (or not a number).
    WeightOutOfRange {
        /// Source of the arc (dense id).
        source: NodeId,
        /// Target of the arc (dense id).
        target: NodeId,
        /// The offending weight.
        weight: f64,
    },
    /// `weight-normalized`: a negative or non-finite weight.
    NegativeWeight {
        /// Source of the arc (dense id).
        source: NodeId,
        /// Target of the arc (dense id).
        target: NodeId,
        /// The offending weight.
        weight: f64,
    },
}

impl ProbError {
    /// The message, with nodes named by `name` (for example their original ids) instead of
    /// dense ids. [`Display`](fmt::Display) names them `node 3`.
    pub fn describe(&self, name: &dyn Fn(NodeId) -> String) -> String {
        match self {
            ProbError::Unweighted => {
                "the graph has no edge weights (read the input with a weight column)".into()
            }
            ProbError::WeightOutOfRange { source, target, weight } => format!(
                "edge weight {weight} on the arc {} -> {} is not a probability in [0, 1]; use \
                 weight-normalized probabilities to scale weights",
                name(*source),
                name(*target)
            ),
            ProbError::NegativeWeight { source, target, weight } => format!(
                "edge weight {weight} on the arc {} -> {} is negative or not finite",
                name(*source),
                name(*target)
            ),
        }
    }
}

impl fmt::Display for ProbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(&|node| format!("node {node}")))
    }
}

impl std::error::Error for ProbError {}

/// Per-arc activation probabilities, aligned with both adjacencies of one graph.
#[derive(Debug, Clone)]
pub struct EdgeProbs {
    spec: ProbSpec,
    uniform: Option<f64>,
    out: Vec<f64>,
    inward: Vec<f64>,
}

const TRIVALENCY: [f64; 3] = [0.1, 0.01, 0.001];

/// The trivalency draw for arc `u -> v`: a pure function of `(seed, u, v)`.
#[inline]
fn trivalency(seed: u64, u: NodeId, v: NodeId) -> f64 {
    let mut state = seed ^ ((u as u64) << 32 | v as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let x = splitmix64(&mut state);
    TRIVALENCY[((x as u128 * 3) >> 64) as usize]
}

impl EdgeProbs {
    /// Derives `p(u, v)` for every arc of `graph`. Time O(n + m), space 16 bytes per arc.
    pub fn new(graph: &Graph, spec: ProbSpec) -> Result<EdgeProbs, ProbError> {
        let weighted = graph.is_weighted();
        if matches!(spec, ProbSpec::Weight | ProbSpec::WeightNormalized) && !weighted {
            return Err(ProbError::Unweighted);
        }
        // Per-target totals for the in-normalized specs.
        let in_total: Vec<f64> = match spec {
            ProbSpec::WeightNormalized => graph
                .nodes()
                .into_par_iter()
                .map(|v| graph.in_weights(v).map_or(0.0, |w| w.iter().sum()))
                .collect(),
            _ => Vec::new(),
        };
        if let ProbSpec::Weight | ProbSpec::WeightNormalized = spec {
            let bad = graph.nodes().into_par_iter().find_map_first(|u| {
                let w = graph.out_weights(u).expect("weighted");
                graph.out_neighbors(u).iter().zip(w).find_map(|(&v, &weight)| {
                    let ok = match spec {
                        ProbSpec::Weight => (0.0..=1.0).contains(&weight),
                        _ => weight.is_finite() && weight >= 0.0,
                    };
                    (!ok).then_some((u, v, weight))
                })
            });
            if let Some((source, target, weight)) = bad {
                return Err(match spec {
                    ProbSpec::Weight => ProbError::WeightOutOfRange { source, target, weight },
                    _ => ProbError::NegativeWeight { source, target, weight },
                });
            }
        }
        // Weighted cascade: one division per node, not per arc.
        let inverse_in_degree: Vec<f64> = match spec {
            ProbSpec::WeightedCascade => {
                let offsets = graph.in_adjacency().offsets.as_slice();
                offsets.par_windows(2).map(|w| 1.0 / (w[1] - w[0]).max(1) as f64).collect()
            }
            _ => Vec::new(),
        };
        let arc_prob = |u: NodeId, v: NodeId, weight: f64| -> f64 {
            match spec {
                ProbSpec::Uniform(p) => p,
                ProbSpec::WeightedCascade => inverse_in_degree[v as usize],
                ProbSpec::Trivalency { seed } => trivalency(seed, u, v),
                ProbSpec::Weight => weight,
                ProbSpec::WeightNormalized => {
                    let total = in_total[v as usize];
                    if total > 0.0 { weight / total } else { 0.0 }
                }
            }
        };
        let fill = |forward: bool| -> Vec<f64> {
            let adjacency = if forward { graph.out_adjacency() } else { graph.in_adjacency() };
            // Plain slices, taken once: a snapshot's arrays are checked views of a mapping.
            let offsets = adjacency.offsets.as_slice();
            let targets = adjacency.targets.as_slice();
            let weights = adjacency.weights.as_ref().map(|w| w.as_slice());
            let mut probs = vec![0.0; targets.len()];
            // Blocks of rows are disjoint slices of `probs`: split at the offsets, fill in
            // parallel.
            const ROWS: usize = 1024;
            let n = graph.node_count();
            let mut blocks: Vec<(usize, &mut [f64])> = Vec::with_capacity(n.div_ceil(ROWS));
            let mut rest = probs.as_mut_slice();
            for lo in (0..n).step_by(ROWS) {
                let hi = (lo + ROWS).min(n);
                let (block, tail) = rest.split_at_mut((offsets[hi] - offsets[lo]) as usize);
                blocks.push((lo, block));
                rest = tail;
            }
            blocks.into_par_iter().for_each(|(lo, block)| {
                let base = offsets[lo] as usize;
                let hi = (lo + ROWS).min(n);
                for x in lo..hi {
                    let (start, end) = (offsets[x] as usize, offsets[x + 1] as usize);
                    for i in start..end {
                        let y = targets[i];
                        let (u, v) = if forward { (x as NodeId, y) } else { (y, x as NodeId) };
                        block[i - base] = arc_prob(u, v, weights.map_or(1.0, |w| w[i]));
                    }
                }
            });
            probs
        };
        let uniform = match spec {
            ProbSpec::Uniform(p) => Some(p),
            _ => None,
        };
        Ok(EdgeProbs { spec, uniform, out: fill(true), inward: fill(false) })
    }

    /// The spec these probabilities came from.
    pub fn spec(&self) -> ProbSpec {
        self.spec
    }

    /// `Some(p)` when every arc has the same probability (enables geometric skipping).
    pub fn uniform(&self) -> Option<f64> {
        self.uniform
    }

    /// Probabilities aligned with `graph.out_adjacency().targets`.
    pub fn out_probs(&self) -> &[f64] {
        &self.out
    }

    /// Probabilities aligned with `graph.in_adjacency().targets`.
    pub fn in_probs(&self) -> &[f64] {
        &self.inward
    }

    /// Probabilities of the out-arcs of `u`, aligned with `graph.out_neighbors(u)`.
    pub fn out_row(&self, graph: &Graph, u: NodeId) -> &[f64] {
        let (start, end) = graph.out_adjacency().bounds(u);
        &self.out[start..end]
    }

    /// Probabilities of the in-arcs of `v`, aligned with `graph.in_neighbors(v)`.
    pub fn in_row(&self, graph: &Graph, v: NodeId) -> &[f64] {
        let (start, end) = graph.in_adjacency().bounds(v);
        &self.inward[start..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clout_graph::from_pairs;

    #[test]
    fn parses_every_spec_and_rejects_nonsense() {
        assert_eq!("uniform:0.1".parse(), Ok(ProbSpec::Uniform(0.1)));
        assert_eq!("wc".parse(), Ok(ProbSpec::WeightedCascade));
        assert_eq!("trivalency".parse(), Ok(ProbSpec::Trivalency { seed: 0 }));
        assert_eq!("trivalency:7".parse(), Ok(ProbSpec::Trivalency { seed: 7 }));
        assert_eq!("weight".parse(), Ok(ProbSpec::Weight));
        assert_eq!("weight-normalized".parse(), Ok(ProbSpec::WeightNormalized));
        for bad in ["uniform", "uniform:1.5", "uniform:x", "wc:3", "tri", "trivalency:-1"] {
            assert!(bad.parse::<ProbSpec>().is_err(), "{bad} should not parse");
        }
        for spec in [ProbSpec::Uniform(0.25), ProbSpec::Trivalency { seed: 3 }] {
            assert_eq!(spec.to_string().parse(), Ok(spec));
        }
    }

    #[test]
    fn weighted_cascade_is_one_over_in_degree_in_both_views() {
        // 0 -> 2, 1 -> 2, 3 -> 2, 2 -> 0
        let g = from_pairs(4, &[(0, 2), (1, 2), (3, 2), (2, 0)], true);
        let p = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
        assert_eq!(p.out_row(&g, 0), &[1.0 / 3.0]);
        assert_eq!(p.out_row(&g, 2), &[1.0]);
        assert_eq!(p.in_row(&g, 2), &[1.0 / 3.0; 3]);
        let total: f64 = p.in_row(&g, 2).iter().sum();
        assert!((total - 1.0).abs() < 1e-15);
    }

    #[test]
    fn trivalency_views_agree_arc_by_arc() {
        let edges = clout_graph::generate::gnm(200, 2000, 5).unwrap();
        let cfg = clout_graph::BuildConfig::default();
        let g = clout_graph::build(edges, &cfg, clout_graph::GraphInfo::default()).unwrap();
        let p = EdgeProbs::new(&g, ProbSpec::Trivalency { seed: 9 }).unwrap();
        for u in g.nodes() {
            for (&v, &puv) in g.out_neighbors(u).iter().zip(p.out_row(&g, u)) {
                let i = g.in_neighbors(v).binary_search(&u).unwrap();
                assert_eq!(p.in_row(&g, v)[i], puv);
                assert!(TRIVALENCY.contains(&puv));
            }
        }
        let counts = TRIVALENCY.map(|t| p.out_probs().iter().filter(|&&x| x == t).count());
        assert!(counts.iter().all(|&c| c > 550 && c < 780), "{counts:?}");
    }

    #[test]
    fn unweighted_graph_refuses_weight_specs() {
        let g = from_pairs(2, &[(0, 1)], true);
        assert_eq!(EdgeProbs::new(&g, ProbSpec::Weight).unwrap_err(), ProbError::Unweighted);
    }

    #[test]
    fn weight_errors_name_the_arc_by_the_callers_names() {
        let edges = clout_graph::EdgeList {
            weights: Some(vec![0.5, -3.0]),
            ..clout_graph::EdgeList::from_pairs(3, &[(0, 1), (2, 1)])
        };
        let g = clout_graph::build(edges, &Default::default(), Default::default()).unwrap();
        let err = EdgeProbs::new(&g, ProbSpec::WeightNormalized).unwrap_err();
        assert_eq!(err, ProbError::NegativeWeight { source: 2, target: 1, weight: -3.0 });
        assert!(err.to_string().contains("arc node 2 -> node 1"), "{err}");
        let named = err.describe(&|u| format!("`@{u}`"));
        assert!(named.contains("arc `@2` -> `@1` is negative"), "{named}");
    }
}
