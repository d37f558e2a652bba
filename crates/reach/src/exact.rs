//! Exact expected spread on tiny graphs: the independent verifier of the Monte Carlo engine
//! (as `verify_*` is for the centrality kernels), and the ground truth for exhaustive
//! influence-maximization searches on tiny graphs.
//!
//! [`exact_spread`] enumerates every outcome of the process *as the model's rules state it*,
//! round by round, and sums the metrics weighted by their probabilities (the totals, and
//! per node the probabilities of being active, positive or negative, and the expected
//! activation round given active):
//!
//! - **IC, IC-N, signed**: in each round, every inactive node attempted by the nodes activated
//!   in the previous round either stays inactive (probability `prod (1 - p_i)` over its
//!   attempts) or is activated by attempt `i`. The attempts are made in uniformly random order
//!   and the first success decides, so attempt `i` wins when it succeeds and every attempt
//!   ordered before it fails: summing over every order, grouped by the set of attempts placed
//!   before `i` (each set of size `r` equally likely, `i` at position `r + 1` with probability
//!   `1 / k`), `P(i wins) = p_i / k * sum_r e_r / C(k - 1, r)` with `e_r` the elementary
//!   symmetric polynomial of degree `r` in `(1 - p_j)` over the other attempts. IC-N then
//!   branches on every sign coin (the node turns positive with probability `q_v` when the
//!   winner is positive, negative otherwise; each seed positive with probability `q_s`);
//!   signed spread takes the winner's opinion times the arc's sign. This follows the literal
//!   process (attempts only on inactive nodes, one round at a time), not the live-edge
//!   shortcut the engine uses, so agreement checks that shortcut as well.
//! - **LT**: every threshold order. A node's threshold matters only through which of the
//!   subset sums of its in-weights it exceeds, so `theta_v` is enumerated by the interval
//!   `(s_(i-1), s_i]` between consecutive distinct subset sums it falls in (probability
//!   `s_i - s_(i-1)`, and `1 - s_max` for "never activates"); each combination is then run
//!   deterministically, round by round.
//!
//! Refused when more than [`MAX_UNCERTAIN_ARCS`] arcs have a probability (LT: normalized
//! in-weight) strictly between 0 and 1, or when the enumeration would exceed
//! [`MAX_OUTCOMES`] outcomes (IC-N branches on sign coins even along certain arcs). Cost:
//! O(outcomes x (n + m)).

use std::collections::BTreeMap;
use std::fmt;

use clout_graph::{Graph, NodeId};
use serde::Serialize;

use crate::model::{Model, Quality};
use crate::prob::EdgeProbs;

/// The most arcs with `0 < p < 1` an exact computation accepts.
pub const MAX_UNCERTAIN_ARCS: usize = 20;
/// The most outcomes (leaves of the enumeration) an exact computation visits.
pub const MAX_OUTCOMES: u64 = 1 << 24;

/// Exact expectations, with the same definitions as [`mod@crate::simulate`]'s metrics, and
/// every node's outcome probabilities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExactSpread {
    /// Expected positive reach, seeds included.
    pub positive: f64,
    /// Expected negative reach, seeds included.
    pub negative: f64,
    /// Expected total reach (`positive + negative`).
    pub total: f64,
    /// Expected number of accounts that heard of the product (active or out-neighbour of an
    /// active account).
    pub awareness: f64,
    /// `P(negative > positive)`.
    pub backfire_risk: f64,
    /// Expected new positive activations per round (index 0: the seeds).
    pub new_positive: Vec<f64>,
    /// Expected new negative activations per round.
    pub new_negative: Vec<f64>,
    /// Per-node probabilities, the exact counterpart of
    /// [`AccountOutcomes`](crate::simulate::AccountOutcomes).
    pub per_node: ExactPerNode,
    /// Outcomes enumerated.
    pub outcomes: u64,
}

/// Exact per-node outcome probabilities, indexed by dense node id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExactPerNode {
    /// `P(v active)`.
    pub reached: Vec<f64>,
    /// `P(v ends positive)`.
    pub positive: Vec<f64>,
    /// `P(v ends negative)`.
    pub negative: Vec<f64>,
    /// `E[round in which v activates | v active]` (seeds: 0); NaN when `v` is never active.
    pub mean_round: Vec<f64>,
}

/// Why an exact computation was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum ExactError {
    /// The seed list is empty.
    NoSeeds,
    /// A seed is not a node.
    SeedOutOfRange(NodeId),
    /// The probabilities belong to another graph.
    ProbsMismatch,
    /// The signed model on an unsigned graph.
    UnsignedGraph,
    /// A quality outside `[0, 1]`.
    Quality(f64),
    /// Too many random arcs.
    TooManyUncertainArcs {
        /// Arcs with a probability strictly between 0 and 1.
        count: usize,
        /// [`MAX_UNCERTAIN_ARCS`].
        limit: usize,
    },
    /// The enumeration would visit more than [`MAX_OUTCOMES`] outcomes.
    TooManyOutcomes,
}

impl fmt::Display for ExactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExactError::NoSeeds => f.write_str("no seeds"),
            ExactError::SeedOutOfRange(s) => write!(f, "seed {s} is not a node"),
            ExactError::ProbsMismatch => f.write_str("probabilities belong to another graph"),
            ExactError::UnsignedGraph => f.write_str("the signed model needs a signed graph"),
            ExactError::Quality(q) => write!(f, "quality {q} is outside [0, 1]"),
            ExactError::TooManyUncertainArcs { count, limit } => write!(
                f,
                "{count} arcs have a probability strictly between 0 and 1; exact enumeration \
                 takes at most {limit}"
            ),
            ExactError::TooManyOutcomes => {
                write!(f, "exact enumeration would visit more than {MAX_OUTCOMES} outcomes")
            }
        }
    }
}

impl std::error::Error for ExactError {}

/// The exact expected spread of `seeds` (dense ids, duplicates ignored) under `model`, with
/// one global `quality` (used by IC-N only). See the module docs for the method and limits.
///
/// ```
/// use clout_reach::{EdgeProbs, ProbSpec, Model, exact::exact_spread};
/// let g = clout_graph::from_pairs(2, &[(0, 1)], true);
/// let probs = EdgeProbs::new(&g, ProbSpec::Uniform(0.5)).unwrap();
/// let e = exact_spread(&g, &probs, &[0], Model::IcN, 0.7).unwrap();
/// assert!((e.positive - 0.945).abs() < 1e-12 && (e.negative - 0.555).abs() < 1e-12);
/// // v: reached with 0.5, positive with 0.5 x 0.7^2, in round 1.
/// assert!((e.per_node.positive[1] - 0.245).abs() < 1e-12 && e.per_node.mean_round[1] == 1.0);
/// ```
pub fn exact_spread(
    graph: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    model: Model,
    quality: f64,
) -> Result<ExactSpread, ExactError> {
    let quality = Quality::uniform(quality).map_err(|_| ExactError::Quality(quality))?;
    exact_spread_with_quality(graph, probs, seeds, model, &quality)
}

/// [`exact_spread`] with per-node quality (IC-N).
pub fn exact_spread_with_quality(
    graph: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    model: Model,
    quality: &Quality,
) -> Result<ExactSpread, ExactError> {
    if seeds.is_empty() {
        return Err(ExactError::NoSeeds);
    }
    if let Some(&s) = seeds.iter().find(|&&s| s as usize >= graph.node_count()) {
        return Err(ExactError::SeedOutOfRange(s));
    }
    if probs.out_probs().len() != graph.arc_count() {
        return Err(ExactError::ProbsMismatch);
    }
    if model == Model::Signed && !graph.is_signed() {
        return Err(ExactError::UnsignedGraph);
    }
    let mut seeds = seeds.to_vec();
    seeds.sort_unstable();
    seeds.dedup();
    let n = graph.node_count();
    let mut e = Enumeration {
        graph,
        model,
        quality,
        out_probs: probs.out_probs(),
        opinion: vec![0; n],
        round_of: vec![0; n],
        rounds: Vec::new(),
        sums: ExactSpread {
            positive: 0.0,
            negative: 0.0,
            total: 0.0,
            awareness: 0.0,
            backfire_risk: 0.0,
            new_positive: Vec::new(),
            new_negative: Vec::new(),
            per_node: ExactPerNode {
                reached: vec![0.0; n],
                positive: vec![0.0; n],
                negative: vec![0.0; n],
                // The probability-weighted sum of rounds until the enumeration ends.
                mean_round: vec![0.0; n],
            },
            outcomes: 0,
        },
        overflow: false,
    };
    if model == Model::Lt {
        lt::enumerate(&mut e, probs, &seeds)?;
    } else {
        let uncertain = e.out_probs.iter().filter(|&&p| p > 0.0 && p < 1.0).count();
        if uncertain > MAX_UNCERTAIN_ARCS {
            return Err(ExactError::TooManyUncertainArcs {
                count: uncertain,
                limit: MAX_UNCERTAIN_ARCS,
            });
        }
        e.seed_opinions(&seeds, 0, 1.0);
    }
    if e.overflow {
        return Err(ExactError::TooManyOutcomes);
    }
    let per_node = &mut e.sums.per_node;
    for (round, &reached) in per_node.mean_round.iter_mut().zip(&per_node.reached) {
        *round = if reached > 0.0 { *round / reached } else { f64::NAN };
    }
    Ok(e.sums)
}

/// The state of an enumeration: the current outcome's opinions (0 inactive, +1, -1) and
/// activation rounds, the per-round (positive, negative) activations so far, and the
/// probability-weighted sums.
struct Enumeration<'a> {
    graph: &'a Graph,
    model: Model,
    quality: &'a Quality,
    out_probs: &'a [f64],
    opinion: Vec<i8>,
    /// The round in which each active node activated (meaningless for inactive nodes).
    round_of: Vec<u32>,
    rounds: Vec<(u32, u32)>,
    sums: ExactSpread,
    overflow: bool,
}

impl Enumeration<'_> {
    /// Branches on the seeds' opinions (IC-N: positive with probability `q_s`), then runs.
    fn seed_opinions(&mut self, seeds: &[NodeId], i: usize, prob: f64) {
        if i == seeds.len() {
            self.round(seeds.to_vec(), prob);
            return;
        }
        let s = seeds[i] as usize;
        let q = if self.model == Model::IcN { self.quality.of(seeds[i]) } else { 1.0 };
        for (opinion, p) in [(1i8, q), (-1, 1.0 - q)] {
            if p > 0.0 {
                self.opinion[s] = opinion;
                self.round_of[s] = 0;
                self.seed_opinions(seeds, i + 1, prob * p);
            }
        }
        self.opinion[s] = 0;
    }

    /// Nodes in `frontier` were activated in the latest round; enumerate the next round.
    fn round(&mut self, frontier: Vec<NodeId>, prob: f64) {
        let count = |o: i8| frontier.iter().filter(|&&v| self.opinion[v as usize] == o).count();
        self.rounds.push((count(1) as u32, count(-1) as u32));
        // Attempts on each inactive node: (probability, opinion the attempt would pass on).
        let mut attempts: BTreeMap<NodeId, Vec<(f64, i8)>> = BTreeMap::new();
        let out = self.graph.out_adjacency();
        for &u in &frontier {
            let (lo, hi) = out.bounds(u);
            for i in lo..hi {
                let v = out.targets[i];
                if self.opinion[v as usize] == 0 {
                    let sign = match (self.model, &out.signs) {
                        (Model::Signed, Some(signs)) => signs[i],
                        _ => 1,
                    };
                    let passed = self.opinion[u as usize] * sign;
                    attempts.entry(v).or_default().push((self.out_probs[i], passed));
                }
            }
        }
        let candidates: Vec<(NodeId, [(i8, f64); 3])> =
            attempts.into_iter().map(|(v, a)| (v, self.outcomes(v, &a))).collect();
        self.choose(&candidates, 0, Vec::new(), prob);
        self.rounds.pop();
    }

    /// The distribution of what happens to node `v` under `attempts` this round.
    fn outcomes(&self, v: NodeId, attempts: &[(f64, i8)]) -> [(i8, f64); 3] {
        let none: f64 = attempts.iter().map(|a| 1.0 - a.0).product();
        let (mut positive, mut negative) = (0.0, 0.0);
        for (i, &(_, passed)) in attempts.iter().enumerate() {
            let wins = win_probability(attempts, i);
            match (self.model, passed) {
                (Model::IcN, 1) => {
                    let q = self.quality.of(v);
                    positive += wins * q;
                    negative += wins * (1.0 - q);
                }
                (_, 1) => positive += wins,
                _ => negative += wins,
            }
        }
        [(0, none), (1, positive), (-1, negative)]
    }

    /// Enumerates the joint outcome of `candidates[k..]`, then the next round.
    fn choose(
        &mut self,
        candidates: &[(NodeId, [(i8, f64); 3])],
        k: usize,
        mut activated: Vec<NodeId>,
        prob: f64,
    ) {
        if self.overflow {
            return;
        }
        if k == candidates.len() {
            if activated.is_empty() {
                self.leaf(prob);
            } else {
                self.round(activated, prob);
            }
            return;
        }
        let (v, outcomes) = candidates[k];
        for (opinion, p) in outcomes {
            if p <= 0.0 {
                continue;
            }
            self.opinion[v as usize] = opinion;
            if opinion != 0 {
                // `rounds` holds rounds 0 to the latest one: this activation is the next.
                self.round_of[v as usize] = self.rounds.len() as u32;
                activated.push(v);
            }
            self.choose(candidates, k + 1, activated.clone(), prob * p);
            if opinion != 0 {
                activated.pop();
            }
        }
        self.opinion[v as usize] = 0;
    }

    /// Adds one complete outcome, of probability `prob`, to the sums.
    fn leaf(&mut self, prob: f64) {
        let s = &mut self.sums;
        s.outcomes += 1;
        if s.outcomes > MAX_OUTCOMES {
            self.overflow = true;
            return;
        }
        let (positive, negative) =
            self.rounds.iter().fold((0, 0), |(p, n), &(rp, rn)| (p + rp, n + rn));
        let mut aware = vec![false; self.graph.node_count()];
        for u in self.graph.nodes().filter(|&u| self.opinion[u as usize] != 0) {
            aware[u as usize] = true;
            for &v in self.graph.out_neighbors(u) {
                aware[v as usize] = true;
            }
        }
        s.positive += prob * positive as f64;
        s.negative += prob * negative as f64;
        s.total += prob * (positive + negative) as f64;
        s.awareness += prob * aware.iter().filter(|&&a| a).count() as f64;
        if negative > positive {
            s.backfire_risk += prob;
        }
        if s.new_positive.len() < self.rounds.len() {
            s.new_positive.resize(self.rounds.len(), 0.0);
            s.new_negative.resize(self.rounds.len(), 0.0);
        }
        for (r, &(rp, rn)) in self.rounds.iter().enumerate() {
            s.new_positive[r] += prob * rp as f64;
            s.new_negative[r] += prob * rn as f64;
        }
        let nodes = &mut s.per_node;
        for (v, &opinion) in self.opinion.iter().enumerate().filter(|(_, o)| **o != 0) {
            nodes.reached[v] += prob;
            if opinion > 0 {
                nodes.positive[v] += prob;
            } else {
                nodes.negative[v] += prob;
            }
            nodes.mean_round[v] += prob * self.round_of[v] as f64;
        }
    }
}

/// `P(attempt i is the first success)` in a uniformly random order of `attempts`: the sum
/// over every set `S` of other attempts ordered before `i` (each of size `r` has probability
/// `1 / (k C(k - 1, r))`) of `p_i prod_(j in S) (1 - p_j)`, grouped by size through the
/// elementary symmetric polynomials `e_r` of the `(1 - p_j)`.
fn win_probability(attempts: &[(f64, i8)], i: usize) -> f64 {
    let k = attempts.len();
    let mut e = vec![0.0; k];
    e[0] = 1.0;
    for (j, &(p, _)) in attempts.iter().enumerate() {
        if j != i {
            for r in (1..k).rev() {
                e[r] += e[r - 1] * (1.0 - p);
            }
        }
    }
    let mut binomial = 1.0; // C(k - 1, r)
    let mut sum = 0.0;
    for (r, e_r) in e.iter().enumerate() {
        sum += e_r / binomial;
        binomial = binomial * (k - 1 - r) as f64 / (r + 1) as f64;
    }
    attempts[i].0 * sum / k as f64
}

/// LT: enumeration over threshold intervals.
mod lt {
    use super::{Enumeration, ExactError, MAX_OUTCOMES, MAX_UNCERTAIN_ARCS};
    use crate::prob::EdgeProbs;
    use clout_graph::NodeId;

    /// A node whose threshold matters: its weighted in-arcs from nodes that can become active,
    /// in in-row order, and its threshold classes (effective threshold, probability).
    struct Relevant {
        node: NodeId,
        arcs: Vec<(NodeId, f64)>,
        classes: Vec<(f64, f64)>,
    }

    pub(super) fn enumerate(
        e: &mut Enumeration<'_>,
        probs: &EdgeProbs,
        seeds: &[NodeId],
    ) -> Result<(), ExactError> {
        let g = e.graph;
        let n = g.node_count();
        let inward = g.in_adjacency();
        let in_probs = probs.in_probs();
        // In-weights b(u, v) = p(u, v) / max(1, sum of v's in-probabilities), in-row aligned.
        let mut b = vec![0.0; in_probs.len()];
        for v in g.nodes() {
            let (lo, hi) = inward.bounds(v);
            let scale = in_probs[lo..hi].iter().sum::<f64>().max(1.0);
            for i in lo..hi {
                b[i] = in_probs[i] / scale;
            }
        }
        let uncertain = b.iter().filter(|&&w| w > 0.0 && w < 1.0).count();
        if uncertain > MAX_UNCERTAIN_ARCS {
            return Err(ExactError::TooManyUncertainArcs {
                count: uncertain,
                limit: MAX_UNCERTAIN_ARCS,
            });
        }
        // Nodes reachable from the seeds (a superset of those that can become active).
        let mut reachable = vec![false; n];
        let mut stack: Vec<NodeId> = seeds.to_vec();
        seeds.iter().for_each(|&s| reachable[s as usize] = true);
        while let Some(u) = stack.pop() {
            for &v in g.out_neighbors(u) {
                if !reachable[v as usize] {
                    reachable[v as usize] = true;
                    stack.push(v);
                }
            }
        }
        let mut relevant = Vec::new();
        let mut combinations = 1u64;
        for v in g.nodes().filter(|&v| reachable[v as usize] && seeds.binary_search(&v).is_err()) {
            let (lo, hi) = inward.bounds(v);
            let arcs: Vec<(NodeId, f64)> = (lo..hi)
                .filter(|&i| b[i] > 0.0 && reachable[inward.targets[i] as usize])
                .map(|i| (inward.targets[i], b[i]))
                .collect();
            if arcs.is_empty() {
                continue;
            }
            // Subset sums, each added in in-row order exactly as a round adds active weight.
            let mut sums: Vec<f64> = (0u32..1 << arcs.len())
                .map(|mask| {
                    let mut s = 0.0;
                    for (j, a) in arcs.iter().enumerate() {
                        if mask >> j & 1 == 1 {
                            s += a.1;
                        }
                    }
                    s
                })
                .collect();
            sums.sort_by(f64::total_cmp);
            sums.dedup();
            // theta in (s_(i-1), s_i]: active once the weight reaches s_i; above s_max: never.
            let mut classes: Vec<(f64, f64)> =
                sums.windows(2).map(|w| (w[1], w[1] - w[0])).collect();
            classes.push((f64::INFINITY, (1.0 - sums[sums.len() - 1]).max(0.0)));
            classes.retain(|c| c.1 > 0.0);
            combinations = combinations.saturating_mul(classes.len() as u64);
            relevant.push(Relevant { node: v, arcs, classes });
        }
        if combinations > MAX_OUTCOMES {
            return Err(ExactError::TooManyOutcomes);
        }
        let mut thresholds = vec![0.0; relevant.len()];
        assign(e, &relevant, seeds, &mut thresholds, 0, 1.0);
        Ok(())
    }

    /// Enumerates the threshold classes of `relevant[k..]`, then runs the process.
    fn assign(
        e: &mut Enumeration<'_>,
        relevant: &[Relevant],
        seeds: &[NodeId],
        thresholds: &mut [f64],
        k: usize,
        prob: f64,
    ) {
        if k < relevant.len() {
            for &(threshold, p) in &relevant[k].classes {
                thresholds[k] = threshold;
                assign(e, relevant, seeds, thresholds, k + 1, prob * p);
            }
            return;
        }
        // Deterministic rounds: v activates in round r once the weight of its in-neighbours
        // active by round r - 1 reaches its effective threshold.
        let mut round_of = vec![u32::MAX; e.graph.node_count()];
        for &s in seeds {
            round_of[s as usize] = 0;
        }
        e.rounds.clear();
        e.rounds.push((seeds.len() as u32, 0));
        for round in 1u32.. {
            let newly: Vec<NodeId> = relevant
                .iter()
                .zip(thresholds.iter())
                .filter(|(r, _)| round_of[r.node as usize] == u32::MAX)
                .filter(|&(r, &threshold)| {
                    let mut weight = 0.0;
                    for &(source, w) in &r.arcs {
                        if round_of[source as usize] < round {
                            weight += w;
                        }
                    }
                    weight >= threshold
                })
                .map(|(r, _)| r.node)
                .collect();
            if newly.is_empty() {
                break;
            }
            for &v in &newly {
                round_of[v as usize] = round;
            }
            e.rounds.push((newly.len() as u32, 0));
        }
        for (v, &r) in round_of.iter().enumerate() {
            e.opinion[v] = (r != u32::MAX) as i8;
            e.round_of[v] = r;
        }
        e.leaf(prob);
        e.opinion.fill(0);
        e.rounds.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn win_probabilities_match_a_brute_force_over_orders() {
        let attempts = [(0.3, 1i8), (0.6, 1), (0.9, -1)];
        // Brute force over the 6 orders.
        let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        for i in 0..3 {
            let brute: f64 = orders
                .iter()
                .map(|o| {
                    let at = o.iter().position(|&x| x == i).unwrap();
                    let before: f64 = o[..at].iter().map(|&j| 1.0 - attempts[j].0).product();
                    before * attempts[i].0 / 6.0
                })
                .sum();
            assert!((win_probability(&attempts, i) - brute).abs() < 1e-15, "{i}");
        }
    }
}
