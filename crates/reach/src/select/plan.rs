//! A validated selection request (choosable accounts, size of the search space, failure
//! probability) and the pieces the RR methods share: phase seeds and the greedy on one sample.

use clout_graph::Graph;
use clout_graph::NodeId;
use clout_graph::rng::splitmix64;
use rayon::prelude::*;

use super::coverage::{Coverage, WeightedCoverage};
use super::greedy::{Greedy, GreedyOptions, Limit, Rule, lazy_greedy};
use super::index::Index;
use super::rr::{RrModel, RrSampler, RrSets};
use super::{Method, SelectConfig, SelectError, bounds};
use crate::model::Model;
use crate::prob::EdgeProbs;

/// A validated configuration: the choosable accounts and the size of the search space. Public
/// so that a runner that splits a method's RR sets across processes derives the same numbers
/// (sample sizes, floors, failure probability) as the method itself.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Nodes of the graph (RR roots).
    pub n: usize,
    /// Choosable accounts, ascending.
    pub candidates: Vec<NodeId>,
    /// Seeds to choose, or the most that fit in the budget.
    pub k: usize,
    /// `ln` of the number of feasible seed sets.
    pub ln_sets: f64,
    /// Failure probability.
    pub delta: f64,
    /// IC-N quality when the objective is weighted, else `None`.
    pub quality: Option<f64>,
    /// Live-edge process of the RR sets (RR methods).
    pub rr_model: RrModel,
    /// A lower bound on the optimum known in advance (each seed reaches itself; under IC-N,
    /// positively with probability q; with weights, also what the best single candidate
    /// reaches in one step).
    pub opt_floor: f64,
    /// The total root weight: `n`, or the sum of [`SelectConfig::weights`]. Spreads in RR-set
    /// units are multiplied by `scale / sets`.
    pub scale: f64,
    /// The validated weights, when they are not all equal to 1.
    pub weights: Option<Vec<f64>>,
}

impl Plan {
    /// Validates `cfg` on `graph`.
    pub fn new(graph: &Graph, cfg: &SelectConfig) -> Result<Plan, SelectError> {
        let n = graph.node_count();
        let invalid = |parameter, reason: String| SelectError::InvalidConfig { parameter, reason };
        if !(cfg.epsilon > 0.0 && cfg.epsilon < 1.0) {
            return Err(invalid("epsilon", format!("{} is not in (0, 1)", cfg.epsilon)));
        }
        let delta = cfg.delta.unwrap_or(1.0 / n.max(2) as f64);
        if !(delta > 0.0 && delta < 1.0) {
            return Err(invalid("delta", format!("{delta} is not in (0, 1)")));
        }
        let weighted = cfg.model == Model::IcN;
        if weighted && !(cfg.quality > 0.0 && cfg.quality <= 1.0) {
            return Err(invalid(
                "quality",
                format!("{} is not in (0, 1] (at q = 0 nobody ends up positive)", cfg.quality),
            ));
        }
        let rr_model = match cfg.model {
            Model::Ic | Model::IcN => RrModel::Ic,
            Model::Lt => RrModel::Lt,
            Model::Signed => RrModel::Ic,
        };
        let mut candidates: Vec<NodeId> = match &cfg.candidates {
            Some(list) => {
                if let Some(&bad) = list.iter().find(|&&v| v as usize >= n) {
                    return Err(invalid("candidates", format!("node {bad} is not in the graph")));
                }
                let mut c = list.clone();
                c.sort_unstable();
                c.dedup();
                c
            }
            None => (0..n as NodeId).collect(),
        };
        let (k, ln_sets) = match &cfg.budget {
            Some(b) => {
                if b.costs.len() != n {
                    return Err(SelectError::WrongLength {
                        what: "costs",
                        expected: n,
                        found: b.costs.len(),
                    });
                }
                if !(b.budget > 0.0 && b.budget.is_finite()) {
                    return Err(invalid("budget", format!("{} is not positive", b.budget)));
                }
                if let Some((v, c)) =
                    b.costs.iter().enumerate().find(|(_, c)| c.is_nan() || **c <= 0.0)
                {
                    return Err(invalid("costs", format!("node {v} costs {c}; costs must be > 0")));
                }
                candidates.retain(|&v| b.costs[v as usize] <= b.budget);
                let mut sorted: Vec<f64> =
                    candidates.iter().map(|&v| b.costs[v as usize]).collect();
                sorted.sort_by(f64::total_cmp);
                let mut spent = 0.0;
                let most = sorted
                    .iter()
                    .take_while(|&&c| {
                        spent += c;
                        spent <= b.budget
                    })
                    .count();
                if most == 0 {
                    return Err(SelectError::TooFewCandidates { wanted: 1, available: 0 });
                }
                (most, bounds::ln_binomial_sum(candidates.len(), most))
            }
            None => {
                if cfg.k == 0 {
                    return Err(invalid("k", "choose at least one account".into()));
                }
                if cfg.k > candidates.len() {
                    return Err(SelectError::TooFewCandidates {
                        wanted: cfg.k,
                        available: candidates.len(),
                    });
                }
                (cfg.k, bounds::ln_binomial(candidates.len(), cfg.k))
            }
        };
        let quality = weighted.then_some(cfg.quality);
        let per_seed = quality.unwrap_or(1.0);
        let (opt_floor, scale, weights) = match &cfg.weights {
            None => {
                let floor = if cfg.budget.is_some() { per_seed } else { k as f64 * per_seed };
                (floor, n as f64, None)
            }
            Some(w) => {
                check_weights(w, n)?;
                // The k heaviest candidates (one under a budget) reach at least themselves.
                let mut own: Vec<f64> = candidates.iter().map(|&v| w[v as usize]).collect();
                own.sort_unstable_by(|a, b| b.total_cmp(a));
                let count = if cfg.budget.is_some() { 1 } else { k };
                let floor = own.iter().take(count).sum::<f64>() * per_seed;
                (floor, w.iter().sum(), Some(w.clone()))
            }
        };
        Ok(Plan { n, candidates, k, ln_sets, delta, quality, rr_model, opt_floor, scale, weights })
    }

    /// For the RR methods, which need a positive lower bound on the optimum in advance: with
    /// weights, raises it to what the best single candidate `u` is expected to reach in one
    /// step, `w_u q + sum over arcs u -> v of P(u activates v) w_v q^2` (`P` = `p(u, v)`, LT:
    /// the normalized in-weight), and fails if it is still 0.
    pub fn with_direct_floor(
        mut self,
        graph: &Graph,
        probs: &EdgeProbs,
    ) -> Result<Plan, SelectError> {
        let Some(w) = &self.weights else {
            return Ok(self);
        };
        let q = self.quality.unwrap_or(1.0);
        let in_scale: Vec<f64> = match self.rr_model {
            RrModel::Lt => {
                let inward = graph.in_adjacency();
                let in_probs = probs.in_probs();
                graph
                    .nodes()
                    .into_par_iter()
                    .map(|v| {
                        let (lo, hi) = inward.bounds(v);
                        1.0 / in_probs[lo..hi].iter().sum::<f64>().max(1.0)
                    })
                    .collect()
            }
            RrModel::Ic => Vec::new(),
        };
        let out = graph.out_adjacency();
        let best = self
            .candidates
            .par_iter()
            .map(|&u| {
                let (lo, hi) = out.bounds(u);
                let direct: f64 = (lo..hi)
                    .map(|i| {
                        let v = out.targets[i] as usize;
                        let p = probs.out_probs()[i] * in_scale.get(v).copied().unwrap_or(1.0);
                        p * w[v]
                    })
                    .sum();
                w[u as usize] * q + direct * q * q
            })
            .reduce(|| 0.0, f64::max);
        self.opt_floor = self.opt_floor.max(best);
        if self.opt_floor > 0.0 {
            Ok(self)
        } else {
            Err(SelectError::InvalidConfig {
                parameter: "weights",
                reason: "no choosable account carries weight or reaches an account that does in \
                         one step, so no lower bound on the optimum is known in advance"
                    .into(),
            })
        }
    }

    /// What the methods maximize, for statements: "reach", or "weight reached" (the sum of
    /// the weights of the accounts reached).
    pub fn objective_name(&self) -> &'static str {
        if self.weights.is_some() { "weight reached" } else { "reach" }
    }

    /// What `seeds` are sure to reach: one each (IC-N: `q` each), or their own weights.
    pub fn seed_floor(&self, seeds: &[NodeId]) -> f64 {
        let q = self.quality.unwrap_or(1.0);
        match &self.weights {
            None => seeds.len() as f64 * q,
            Some(w) => seeds.iter().map(|&v| w[v as usize]).sum::<f64>() * q,
        }
    }

    /// The RR sampler for this plan: roots drawn by weight when there are weights.
    pub fn sampler<'g>(
        &self,
        graph: &'g Graph,
        probs: &'g EdgeProbs,
        distances: bool,
    ) -> RrSampler<'g> {
        let sampler = RrSampler::new(graph, probs, self.rr_model, distances);
        match &self.weights {
            Some(w) => sampler.with_root_weights(w),
            None => sampler,
        }
    }

    /// The greedy limit for this plan.
    pub fn limit<'c>(&self, cfg: &'c SelectConfig) -> Limit<'c> {
        match &cfg.budget {
            Some(b) => Limit::Budget { costs: &b.costs, budget: b.budget },
            None => Limit::Count(self.k),
        }
    }

    /// The ratio the greedy achieves on the sampled objective: `1 - 1/e`, or `(1 - 1/e)/2`
    /// for the better of the two budgeted greedy passes.
    pub fn greedy_ratio(&self, cfg: &SelectConfig) -> f64 {
        if cfg.budget.is_some() { bounds::GREEDY_RATIO / 2.0 } else { bounds::GREEDY_RATIO }
    }
}

/// `1 - δ` written so that small failure probabilities stay visible (`1 - 2.5e-7`).
pub(crate) fn at_least(delta: f64) -> String {
    if delta < 1e-3 { format!("1 - {delta:.2e}") } else { format!("{:.4}", 1.0 - delta) }
}

/// Rejects models the RR methods cannot handle.
pub(crate) fn require_rr_model(method: Method, model: Model) -> Result<(), SelectError> {
    if model == Model::Signed {
        return Err(SelectError::Unsupported {
            method,
            model,
            reason: "RR sets do not apply to signed spread (an opinion's sign depends on the \
                     whole path, and reach is not monotone); use celf",
        });
    }
    Ok(())
}

/// The seed of one phase of a method (estimation, selection, validation), so that the phases'
/// RR sets are independent of each other and of the Monte Carlo evaluation.
pub fn phase_seed(seed: u64, phase: u64) -> u64 {
    let mut state = seed ^ phase.wrapping_mul(0xA076_1D64_78BD_642F);
    splitmix64(&mut state)
}

/// Each node's expected number of direct activations, `sum of p(v, w)` over its out-arcs: the
/// greedy's tie-break on RR samples. On a small sample many nodes share a coverage count (most
/// late gains are a handful of sets), and the id order carries no information; among equal
/// counts, the node with more direct reach has the larger expected spread more often. The
/// greedy's ratio holds for any tie rule. O(m), parallel over nodes, deterministic.
pub fn direct_reach(graph: &Graph, probs: &EdgeProbs, weights: Option<&[f64]>) -> Vec<f64> {
    // Plain slices, taken once: a snapshot's arrays are checked views of a mapping, and a row
    // lookup per node through them took 3.2 ms on soc-sign-epinions at one thread.
    let out = graph.out_adjacency();
    let (offsets, targets) = (out.offsets.as_slice(), out.targets.as_slice());
    let p = probs.out_probs();
    let n = offsets.len() - 1;
    // Rows in chunks of nodes, each a plain loop: as one parallel item per row, the per-item
    // overhead cost more than the sums (soc-sign-epinions at one thread, 2026-12-07: 1.7-2.3
    // ms for a pass that streams its 6.7 MB of probabilities in 0.6-1.0 ms). Each row is
    // summed in order as before, so the values are the same bits.
    let mut reach = vec![0.0f64; n];
    reach.par_chunks_mut(DIRECT_REACH_CHUNK).enumerate().for_each(|(chunk, out)| {
        let first = chunk * DIRECT_REACH_CHUNK;
        for (i, slot) in out.iter_mut().enumerate() {
            let (lo, hi) = (offsets[first + i] as usize, offsets[first + i + 1] as usize);
            *slot = match weights {
                None => p[lo..hi].iter().sum(),
                Some(weight) => (lo..hi).map(|a| p[a] * weight[targets[a] as usize]).sum(),
            };
        }
    });
    reach
}

/// Nodes per parallel task of [`direct_reach`].
const DIRECT_REACH_CHUNK: usize = 4096;

/// Runs the greedy on one RR sample for the plan: weighted coverage for IC-N, plain coverage
/// otherwise; with a budget, the better of the gain and gain-per-cost passes; equal gains go
/// to the larger `tie_break` (one value per node, see [`direct_reach`]). Returns the greedy
/// (value in RR-set units) and its upper bound if asked.
pub(crate) fn greedy_on_sample(
    rr: &RrSets,
    index: &Index,
    plan: &Plan,
    cfg: &SelectConfig,
    upper_bound: bool,
    tie_break: &[f64],
) -> Greedy {
    let options = GreedyOptions { upper_bound, stop_without_gain: false };
    let limit = plan.limit(cfg);
    let run = |rule: Rule| match plan.quality {
        Some(q) => lazy_greedy(
            &mut WeightedCoverage::new(rr, index, plan.n, q).with_tie_break(tie_break),
            &plan.candidates,
            limit,
            rule,
            options,
        ),
        None => lazy_greedy(
            &mut Coverage::new(rr, index, plan.n).with_tie_break(tie_break),
            &plan.candidates,
            limit,
            rule,
            options,
        ),
    };
    if cfg.budget.is_none() {
        return run(Rule::Gain);
    }
    let by_gain = run(Rule::Gain);
    let by_ratio = run(Rule::GainPerCost);
    let upper = match (by_gain.upper, by_ratio.upper) {
        (Some(a), Some(b)) => Some(a.min(b)),
        _ => None,
    };
    let mut best = if by_ratio.value > by_gain.value { by_ratio } else { by_gain };
    best.upper = upper;
    best
}

/// Checks per-account weights: one per node, finite, `>= 0`, not all 0.
fn check_weights(w: &[f64], n: usize) -> Result<(), SelectError> {
    if w.len() != n {
        return Err(SelectError::WrongLength { what: "weights", expected: n, found: w.len() });
    }
    let invalid = |reason: String| SelectError::InvalidConfig { parameter: "weights", reason };
    if let Some((v, x)) = w.iter().enumerate().find(|(_, x)| !(x.is_finite() && **x >= 0.0)) {
        return Err(invalid(format!("node {v} weighs {x}; weights must be finite and >= 0")));
    }
    if !w.iter().sum::<f64>().is_finite() {
        return Err(invalid("the weights add up to more than a finite number".into()));
    }
    if w.iter().all(|&x| x == 0.0) {
        return Err(invalid("every weight is 0: nothing is worth reaching".into()));
    }
    Ok(())
}
