//! The neighbourhood drawing's data: each account's chance of ending positive or negative,
//! and the sample of accounts drawn.
//!
//! The Monte Carlo engine reports totals per trial, not which accounts ended how, so this
//! module estimates per-account probabilities itself by sampling live-edge graphs of the same
//! model, edge probabilities and quality (the live-edge forms the engine documents):
//!
//! - IC, IC-N, signed: every arc `u -> v` is live with `p(u, v)`, independently. A breadth-
//!   first search from the seeds over live arcs gives each reached account its round `d`; its
//!   activators are the live in-arcs from round `d - 1` (each is the first success with the
//!   same probability). `P(v positive | live graph)` is 1 under IC; under IC-N, `q` times the
//!   mean of the activators' chances (so `q^(1 + d)`, as in the engine); under signed spread,
//!   the mean of the activators' chances, flipped over distrust arcs. Seeds are positive with
//!   probability `q` (IC-N) or 1.
//! - LT: each account picks at most one in-neighbour `u` with probability
//!   `p(u, v) / max(1, sum of p over its in-arcs)`; it is reached when a chain of picks leads
//!   back to a seed. Everyone reached is positive.
//!
//! Every random number of trial `t` comes from a stream keyed by `(seed, t)` and the node it
//! belongs to, so the estimate is reproducible; trials run in order on one thread (a drawing
//! needs few). Time O(trials x (reached accounts + their arcs)), memory O(n).

use anyhow::Result;
use clout_graph::rng::Rng;
use clout_graph::{Graph, NodeId};
use clout_ingest::IdMap;
use clout_reach::{EdgeProbs, Model};
use clout_report::data::{NeighbourNode, NeighbourhoodSection};

use super::ReportArgs;
use super::campaign::Gathered;
use crate::progress::spinner;

/// Salt of this estimator's streams (distinct from every stream the engine uses).
const SALT: u64 = 0x4E45_4947_4842_4F52;
/// Trials of the per-account estimate, at most.
const MAX_TRIALS: usize = 2000;

/// Per-account probabilities of ending positive and negative.
#[derive(Debug, PartialEq)]
pub struct Opinions {
    /// `P(v positive)` per dense id.
    pub positive: Vec<f64>,
    /// `P(v negative)` per dense id.
    pub negative: Vec<f64>,
    /// Trials run.
    pub trials: usize,
}

/// Per-trial scratch, reused: visit stamps, rounds, chances, activator sums.
struct Scratch {
    stamp: Vec<u32>,
    round: Vec<u32>,
    chance: Vec<f64>,
    sum: Vec<f64>,
    count: Vec<u32>,
    pick_stamp: Vec<u32>,
    pick: Vec<u32>,
    queue: Vec<NodeId>,
}

/// Estimates every account's chance of ending positive / negative from `trials` live-edge
/// samples (see the module docs).
pub fn opinions(
    g: &Graph,
    probs: &EdgeProbs,
    seeds: &[NodeId],
    model: Model,
    quality: f64,
    trials: usize,
    seed: u64,
) -> Opinions {
    let n = g.node_count();
    let lt = model == Model::Lt;
    let mut s = Scratch {
        stamp: vec![0; n],
        round: vec![0; n],
        chance: vec![0.0; n],
        sum: vec![0.0; n],
        count: vec![0; n],
        pick_stamp: if lt { vec![0; n] } else { Vec::new() },
        pick: if lt { vec![0; n] } else { Vec::new() },
        queue: Vec::new(),
    };
    let (mut positive, mut negative) = (vec![0.0; n], vec![0.0; n]);
    let seed_chance = if model == Model::IcN { quality } else { 1.0 };
    for t in 0..trials {
        let epoch = t as u32 + 1;
        let key = Rng::stream(seed ^ SALT, t as u64).next_u64();
        s.queue.clear();
        for &v in seeds {
            if s.stamp[v as usize] != epoch {
                s.stamp[v as usize] = epoch;
                s.round[v as usize] = 0;
                s.chance[v as usize] = seed_chance;
                s.queue.push(v);
            }
        }
        let mut head = 0;
        while head < s.queue.len() {
            let u = s.queue[head];
            head += 1;
            let ui = u as usize;
            if s.round[ui] > 0 && !lt {
                let mean = s.sum[ui] / s.count[ui] as f64;
                s.chance[ui] = if model == Model::IcN { quality * mean } else { mean };
            }
            if lt {
                for &v in g.out_neighbors(u) {
                    if s.stamp[v as usize] != epoch
                        && lt_pick(g, probs, v, key, epoch, &mut s) == Some(u)
                    {
                        s.stamp[v as usize] = epoch;
                        s.round[v as usize] = s.round[ui] + 1;
                        s.chance[v as usize] = 1.0;
                        s.queue.push(v);
                    }
                }
                continue;
            }
            let mut rng = Rng::stream(key, u as u64);
            let row_probs = probs.out_row(g, u);
            let signs = g.out_signs(u);
            for (i, &v) in g.out_neighbors(u).iter().enumerate() {
                // One coin per arc, drawn whatever the target's state: the live graph does not
                // depend on the visiting order.
                if rng.next_f64() >= row_probs[i] {
                    continue;
                }
                let vi = v as usize;
                let given = match (model, signs) {
                    (Model::Signed, Some(signs)) if signs[i] < 0 => 1.0 - s.chance[ui],
                    (Model::Ic, _) => 1.0,
                    _ => s.chance[ui],
                };
                if s.stamp[vi] != epoch {
                    s.stamp[vi] = epoch;
                    s.round[vi] = s.round[ui] + 1;
                    s.sum[vi] = given;
                    s.count[vi] = 1;
                    s.queue.push(v);
                } else if s.round[vi] == s.round[ui] + 1 {
                    s.sum[vi] += given;
                    s.count[vi] += 1;
                }
            }
        }
        for &v in &s.queue {
            let c = s.chance[v as usize];
            positive[v as usize] += c;
            negative[v as usize] += 1.0 - c;
        }
    }
    let scale = 1.0 / trials.max(1) as f64;
    positive.iter_mut().chain(negative.iter_mut()).for_each(|x| *x *= scale);
    Opinions { positive, negative, trials }
}

/// LT: the in-neighbour `v` picks in this trial (drawn once per trial, on demand), or `None`.
fn lt_pick(
    g: &Graph,
    probs: &EdgeProbs,
    v: NodeId,
    key: u64,
    epoch: u32,
    s: &mut Scratch,
) -> Option<NodeId> {
    let vi = v as usize;
    if s.pick_stamp[vi] != epoch {
        s.pick_stamp[vi] = epoch;
        let row = probs.in_row(g, v);
        let scale = 1.0 / row.iter().sum::<f64>().max(1.0);
        let draw = Rng::stream(key ^ SALT, v as u64).next_f64();
        let mut acc = 0.0;
        s.pick[vi] = u32::MAX;
        for (i, &p) in row.iter().enumerate() {
            acc += p * scale;
            if draw < acc {
                s.pick[vi] = g.in_neighbors(v)[i];
                break;
            }
        }
    }
    (s.pick[vi] != u32::MAX).then_some(s.pick[vi])
}

/// The drawing: the seeds and the accounts they most likely reach, at most `--draw` in all.
pub fn section(
    args: &ReportArgs,
    g: &Graph,
    ids: &IdMap,
    camp: &Gathered,
) -> Result<Option<NeighbourhoodSection>> {
    let bar = spinner("estimating who ends up positive or negative");
    let trials = args.trials.clamp(2, MAX_TRIALS);
    let op = opinions(g, &camp.probs, &camp.seeds, camp.model, camp.quality, trials, camp.sim_seed);
    bar.finish_and_clear();
    let cap = args.draw.max(camp.seeds.len());
    let is_seed = |v: NodeId| camp.seeds.contains(&v);
    let mut reached: Vec<NodeId> = g
        .nodes()
        .filter(|&v| !is_seed(v) && op.positive[v as usize] + op.negative[v as usize] > 0.0)
        .collect();
    if reached.is_empty() {
        return Ok(None);
    }
    let total_reached = reached.len();
    let p = |v: NodeId| op.positive[v as usize] + op.negative[v as usize];
    reached.sort_by(|&a, &b| p(b).total_cmp(&p(a)).then(a.cmp(&b)));
    reached.truncate(cap - camp.seeds.len());
    let drawn: Vec<NodeId> = camp.seeds.iter().copied().chain(reached.iter().copied()).collect();
    let mut index = std::collections::HashMap::with_capacity(drawn.len());
    for (i, &v) in drawn.iter().enumerate() {
        index.insert(v, i);
    }
    let mut arcs = Vec::new();
    for (i, &u) in drawn.iter().enumerate() {
        for &v in g.out_neighbors(u) {
            if let Some(&j) = index.get(&v)
                && i != j
                && (g.is_directed() || i < j)
            {
                arcs.push((i, j));
            }
        }
    }
    let nodes = drawn
        .iter()
        .map(|&v| NeighbourNode {
            id: ids.original(v).to_string(),
            seed: is_seed(v),
            positive: op.positive[v as usize],
            negative: op.negative[v as usize],
        })
        .collect();
    let note = format!(
        "The {} seeds and the {} accounts they most likely reach{}. Colour: the opinion an account \
         more likely ends with; size: its chance of being reached. Chances estimated from {} \
         live-edge samples of model {} (per-account outcomes; the reach figures above come from \
         the Monte Carlo engine).",
        camp.seeds.len(),
        reached.len(),
        if total_reached > reached.len() {
            format!(" (of {total_reached} reached in at least one sample)")
        } else {
            String::new()
        },
        op.trials,
        camp.model
    );
    Ok(Some(NeighbourhoodSection { nodes, arcs, note, layout_seed: args.seed }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clout_graph::{BuildConfig, EdgeList, GraphInfo, build};

    /// A graph from `(u, v, probability, sign)` arcs; the probability is the weight.
    fn graph(n: u32, arcs: &[(NodeId, NodeId, f64, i8)]) -> (Graph, EdgeProbs) {
        let edges = EdgeList {
            node_count: n,
            src: arcs.iter().map(|a| a.0).collect(),
            dst: arcs.iter().map(|a| a.1).collect(),
            weights: Some(arcs.iter().map(|a| a.2).collect()),
            signs: Some(arcs.iter().map(|a| a.3).collect()),
        };
        let g = build(edges, &BuildConfig::default(), GraphInfo::default()).unwrap();
        let probs = EdgeProbs::new(&g, clout_reach::ProbSpec::Weight).unwrap();
        (g, probs)
    }

    /// 20,000 samples: a probability's standard error is at most 0.0036, so 0.015 is more than
    /// four standard errors, while a wrong rule moves these answers by 0.1 or more.
    const TRIALS: usize = 20_000;
    const TOL: f64 = 0.015;

    fn close(got: f64, want: f64, what: &str) {
        assert!((got - want).abs() < TOL, "{what}: {got} vs {want}");
    }

    #[test]
    fn icn_closed_form_for_one_arc() {
        // s -> v, p = 0.5, q = 0.7: P(s +) = 0.7, P(v +) = 0.5 * 0.7^2, P(v -) = 0.5 * (1 - 0.49).
        let (g, p) = graph(2, &[(0, 1, 0.5, 1)]);
        let o = opinions(&g, &p, &[0], Model::IcN, 0.7, TRIALS, 3);
        close(o.positive[0], 0.7, "seed positive");
        close(o.negative[0], 0.3, "seed negative");
        close(o.positive[1], 0.245, "v positive");
        close(o.negative[1], 0.255, "v negative");
        assert_eq!(o, opinions(&g, &p, &[0], Model::IcN, 0.7, TRIALS, 3), "reproducible");
    }

    #[test]
    fn signed_ties_split_evenly_and_distrust_flips() {
        // Seeds 0 and 1 both reach 2 in round 1, over trust and distrust arcs: each is first
        // with probability 1/2. 2 -> 3 is a distrust arc: 3 takes the opposite opinion.
        let (g, p) = graph(4, &[(0, 2, 1.0, 1), (1, 2, 1.0, -1), (2, 3, 1.0, -1)]);
        let o = opinions(&g, &p, &[0, 1], Model::Signed, 1.0, TRIALS, 5);
        close(o.positive[2], 0.5, "tie");
        close(o.negative[3], 0.5, "flipped");
        let (g, p) = graph(2, &[(0, 1, 1.0, -1)]);
        let o = opinions(&g, &p, &[0], Model::Signed, 1.0, 100, 5);
        assert_eq!((o.positive[1], o.negative[1]), (0.0, 1.0));
    }

    #[test]
    fn ic_and_lt_reach() {
        // IC chain with p = 0.6: P(reach 2) = 0.36, everybody positive.
        let (g, p) = graph(3, &[(0, 1, 0.6, 1), (1, 2, 0.6, 1)]);
        let o = opinions(&g, &p, &[0], Model::Ic, 1.0, TRIALS, 7);
        close(o.positive[2], 0.36, "IC two hops");
        assert_eq!(o.negative.iter().sum::<f64>(), 0.0);
        // LT: 2 has in-weights 0.7 + 0.7 (scaled to 0.5 each); only 0 is a seed, so P = 0.5.
        let (g, p) = graph(3, &[(0, 2, 0.7, 1), (1, 2, 0.7, 1)]);
        let o = opinions(&g, &p, &[0], Model::Lt, 1.0, TRIALS, 7);
        close(o.positive[2], 0.5, "LT scaled weights");
        assert_eq!(o.positive[1], 0.0, "1 has no in-arcs and is no seed");
    }
}
