//! What a simulation prepares once before its trials: the live-arc sampler, LT in-weights and
//! the validated configuration, shared read-only by every worker.

use clout_graph::{Graph, NodeId};
use rayon::prelude::*;

use super::SimConfig;
use super::random::{geometric, geometric_within, jump_scale};
use crate::model::{Model, Quality};
use crate::prob::EdgeProbs;
use clout_graph::rng::Rng;

/// Rows whose largest probability is at most this use geometric jumps with thinning; denser
/// rows flip one coin per arc (a jump costs a logarithm, about three coins).
const THINNING_MAX: f64 = 0.25;

/// How the live out-arcs of a row are drawn.
pub(crate) enum Sampler {
    /// Every arc has probability `p`; `scale = 1 / ln(1 - p)` when `0 < p < 1`;
    /// `none_left[r] = (1 - p)^r` up to the largest out-degree.
    Uniform { p: f64, scale: f64, none_left: Vec<f64> },
    /// Per row: the largest probability and the jump scale (NaN: one coin per arc), side by
    /// side so that one cache line holds both.
    Rows { params: Vec<(f64, f64)> },
}

/// An out-row: arcs `lo..hi` and, for per-arc probabilities, the row's largest probability
/// and jump scale.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    pub(crate) lo: usize,
    pub(crate) hi: usize,
    p_max: f64,
    scale: f64,
    /// `p` of the row's first arc (read early; see [`Plan::row`]).
    first: f64,
}

/// Everything a trial needs, prepared once.
pub(crate) struct Plan<'a> {
    pub(crate) offsets: &'a [u64],
    pub(crate) targets: &'a [NodeId],
    pub(crate) probs: &'a [f64],
    pub(crate) sampler: Sampler,
    /// Arc signs, aligned with `targets` (signed model).
    pub(crate) signs: Option<&'a [i8]>,
    /// LT in-weights `b(u, v)` aligned with `targets` (empty for other models).
    pub(crate) lt_weights: Vec<f64>,
    pub(crate) model: Model,
    /// The qualities compared with a node's sign variable (`[1.0]` with per-node quality).
    pub(crate) thresholds: Vec<f64>,
    /// Per-node quality overrides (IC-N).
    pub(crate) node_quality: Option<&'a Quality>,
    /// Last step that activates anybody (`u32::MAX`: until the cascade dies out).
    pub(crate) max_steps: u32,
    pub(crate) seed: u64,
    pub(crate) node_count: usize,
    /// Count awareness (scan every out-arc of every node that attempts).
    pub(crate) awareness: bool,
    /// Count per-account outcomes.
    pub(crate) per_account: bool,
    /// Per-node weights whose sums over the counted accounts each trial also records.
    pub(crate) columns: Columns,
}

/// The weight columns of a run: the target audience (first, when given: its awareness is
/// counted too), purchase probabilities (sales) and `probability x value` (revenue).
#[derive(Debug, Clone, Default)]
pub(crate) struct Columns {
    pub(crate) weights: Vec<Vec<f64>>,
    /// Column 0 is the target audience.
    pub(crate) target: bool,
    pub(crate) sales: Option<usize>,
    pub(crate) revenue: Option<usize>,
    /// One bit per node: set when the node weighs something in some column. A few kilobytes
    /// that stay in cache, so the loops read a node's weights (a random access into `8n`
    /// bytes per column) only for the nodes that have any; audiences are usually a small part
    /// of the graph.
    weighted_nodes: Vec<u64>,
}

impl Columns {
    /// The columns [`SimConfig::target`] and [`SimConfig::conversion`] ask for.
    pub(crate) fn of(cfg: &SimConfig) -> Columns {
        let mut c = Columns::default();
        if let Some(w) = &cfg.target {
            c.weights.push(w.clone());
            c.target = true;
        }
        if let Some(conversion) = &cfg.conversion {
            c.sales = Some(c.weights.len());
            c.weights.push(conversion.probability.clone());
            if let Some(value) = &conversion.value {
                c.revenue = Some(c.weights.len());
                c.weights
                    .push(conversion.probability.iter().zip(value).map(|(p, v)| p * v).collect());
            }
        }
        if let Some(first) = c.weights.first() {
            c.weighted_nodes = vec![0; first.len().div_ceil(64)];
            for w in &c.weights {
                for (v, _) in w.iter().enumerate().filter(|(_, x)| **x != 0.0) {
                    c.weighted_nodes[v / 64] |= 1 << (v % 64);
                }
            }
        }
        c
    }

    /// True when `v` weighs something in some column (else every weight of `v` is 0).
    #[inline(always)]
    pub(crate) fn weighs(&self, v: NodeId) -> bool {
        let v = v as usize;
        self.weighted_nodes[v / 64] >> (v % 64) & 1 != 0
    }

    pub(crate) fn len(&self) -> usize {
        self.weights.len()
    }

    /// The target weights, when column 0 is the audience.
    pub(crate) fn target(&self) -> Option<&[f64]> {
        if self.target { Some(&self.weights[0]) } else { None }
    }
}

impl<'a> Plan<'a> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        graph: &'a Graph,
        probs: &'a EdgeProbs,
        model: Model,
        thresholds: Vec<f64>,
        node_quality: Option<&'a Quality>,
        max_steps: Option<u32>,
        seed: u64,
        awareness: bool,
        per_account: bool,
    ) -> Plan<'a> {
        let out = graph.out_adjacency();
        let offsets = out.offsets.as_slice();
        let targets = out.targets.as_slice();
        let arc_probs = probs.out_probs();
        let sampler = match (model, probs.uniform()) {
            (Model::Lt, _) => Sampler::Uniform { p: 0.0, scale: f64::NAN, none_left: Vec::new() },
            (_, Some(p)) => {
                let max_degree = graph.nodes().map(|u| graph.out_degree(u)).max().unwrap_or(0);
                let none_left = std::iter::successors(Some(1.0), |t| Some(t * (1.0 - p)))
                    .take(max_degree + 1)
                    .collect();
                Sampler::Uniform { p, scale: jump_scale(p), none_left }
            }
            (_, None) => {
                let params = graph
                    .nodes()
                    .into_par_iter()
                    .map(|u| {
                        let (lo, hi) = out.bounds(u);
                        let p = arc_probs[lo..hi].iter().fold(0.0, |m: f64, &p| m.max(p));
                        (p, if p > 0.0 && p <= THINNING_MAX { jump_scale(p) } else { f64::NAN })
                    })
                    .collect();
                Sampler::Rows { params }
            }
        };
        let lt_weights = if model == Model::Lt { lt_weights(graph, probs) } else { Vec::new() };
        Plan {
            offsets,
            targets,
            probs: arc_probs,
            sampler,
            signs: out.signs.as_ref().map(|s| s.as_slice()),
            lt_weights,
            model,
            thresholds,
            node_quality,
            max_steps: max_steps.unwrap_or(u32::MAX),
            seed,
            node_count: graph.node_count(),
            awareness,
            per_account,
            columns: Columns::default(),
        }
    }

    /// This plan, also recording the weight columns `cfg` asks for.
    pub(crate) fn with_columns(mut self, cfg: &SimConfig) -> Plan<'a> {
        self.columns = Columns::of(cfg);
        self
    }

    /// The arc index range of `u`'s out-row.
    #[inline]
    pub(crate) fn bounds(&self, u: NodeId) -> (usize, usize) {
        (self.offsets[u as usize] as usize, self.offsets[u as usize + 1] as usize)
    }

    /// `u`'s out-row and its sampling parameters.
    #[inline]
    pub(crate) fn row(&self, u: NodeId) -> Row {
        let (lo, hi) = self.bounds(u);
        let (p_max, scale, first) = match &self.sampler {
            Sampler::Uniform { .. } => (0.0, 0.0, 0.0),
            Sampler::Rows { params } => {
                let (p_max, scale) = params[u as usize];
                // Reading the row's first probability here, in a pass over the whole frontier,
                // lets its cache miss overlap with the other rows' (see `Round`).
                (p_max, scale, self.probs.get(lo).copied().unwrap_or(0.0))
            }
        };
        Row { lo, hi, p_max, scale, first }
    }

    /// Calls `live(i)` for every live arc `i` of `row`, drawing from `rng` (the row's node's
    /// own stream). Each arc is live with probability `p(u, v)`, independently.
    #[inline(always)]
    pub(crate) fn for_each_live(&self, row: Row, rng: &mut Rng, mut live: impl FnMut(usize)) {
        let Row { lo, hi, p_max, scale, first } = row;
        match &self.sampler {
            Sampler::Uniform { p, scale, none_left } => {
                if *p >= 1.0 {
                    (lo..hi).for_each(live);
                } else if *p > 0.0 {
                    let mut i = lo;
                    while let Some(k) = geometric_within(rng, *scale, none_left, hi - i) {
                        live(i + k);
                        i += k + 1;
                    }
                }
            }
            Sampler::Rows { .. } => {
                if p_max <= 0.0 {
                } else if scale.is_nan() {
                    if rng.next_f64() < first {
                        live(lo);
                    }
                    for i in lo + 1..hi {
                        if rng.next_f64() < self.probs[i] {
                            live(i);
                        }
                    }
                } else {
                    // Thinning: propose with p_max, keep with p_i / p_max.
                    let mut i = lo.saturating_add(geometric(rng, scale));
                    while i < hi {
                        let p = self.probs[i];
                        if p >= p_max || rng.next_f64() * p_max < p {
                            live(i);
                        }
                        i = i.saturating_add(1 + geometric(rng, scale));
                    }
                }
            }
        }
    }

    /// The quality of node `v` (IC-N).
    #[inline]
    pub(crate) fn quality_of(&self, v: NodeId) -> f64 {
        self.node_quality.map_or(1.0, |q| q.of(v))
    }
}

/// LT in-weights aligned with the out-adjacency: `b(u, v) = p(u, v) / max(1, sum of p(x, v)
/// over v's in-arcs)`, so each node's in-weights sum to at most 1 (exactly 1 when they summed
/// above 1).
fn lt_weights(graph: &Graph, probs: &EdgeProbs) -> Vec<f64> {
    let inward = graph.in_adjacency();
    let in_probs = probs.in_probs();
    let scale: Vec<f64> = graph
        .nodes()
        .into_par_iter()
        .map(|v| {
            let (lo, hi) = inward.bounds(v);
            1.0 / in_probs[lo..hi].iter().sum::<f64>().max(1.0)
        })
        .collect();
    let targets = graph.out_adjacency().targets.as_slice();
    targets.par_iter().zip(probs.out_probs()).map(|(&v, &p)| p * scale[v as usize]).collect()
}
