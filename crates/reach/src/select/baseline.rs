//! Baselines a user would try first: the top accounts by a score (followers, PageRank,
//! coreness: the caller computes the score, so clout-reach does not depend on
//! clout-centrality), and degree discount (Chen, Wang and Yang, "Efficient Influence
//! Maximization in Social Networks", KDD 2009). None has an approximation guarantee.
//!
//! # Degree discount, directed
//! The paper's IC heuristic on undirected graphs scores a node `v` with `d_v` neighbours, `t_v`
//! of them already seeds, as `dd_v = d_v - 2 t_v - (d_v - t_v) t_v p`: to first order in `p`,
//! `(1 - t_v p)` (the chance `v` is not already reached) times `1 + (d_v - t_v) p` (its own
//! expected reach among non-seeds). On a directed graph the two `t_v` are different counts:
//! `t_v` = seeds among the accounts that influence `v` (in-neighbours: they may reach `v`) and
//! `s_v` = seeds among the accounts `v` influences (out-neighbours: `v` adds nothing there),
//! giving `dd_v = (d_v - s_v) - t_v - (d_v - s_v) t_v p` with `d_v` the influence out-degree
//! (followers). On an undirected graph `s_v = t_v` and this is the paper's formula. `p` is the
//! uniform probability, or the mean arc probability when probabilities differ (a heuristic).

use std::collections::BinaryHeap;

use clout_graph::{Graph, NodeId};

use super::{Guarantee, Method, Plan, SelectConfig, SelectError, Selection};
use crate::prob::EdgeProbs;

/// A heap entry: a score, a node, and the node's version when scored.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scored {
    score: f64,
    node: NodeId,
    version: u32,
}

impl Eq for Scored {}
impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scored {
    /// Higher score first; ties to the smaller id.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.score.total_cmp(&other.score).then_with(|| other.node.cmp(&self.node))
    }
}

fn no_guarantee(plan: &Plan, what: &str) -> Guarantee {
    Guarantee {
        a_priori: None,
        a_posteriori: None,
        delta: plan.delta,
        statement: format!("{what}: a heuristic, with no approximation guarantee"),
    }
}

/// Picks, among the candidates, the highest-scoring accounts: the first `k`, or with a budget
/// each in turn that still fits. Ties go to the account with more influence out-arcs (followers),
/// then to the smaller id; this matters for coreness, where a whole shell shares one value
/// (wiki-Vote: the 56-core), and would otherwise fill the set with the shell's smallest ids. `scores` holds one value per node
/// (for example followers, PageRank or coreness, computed by the caller); `method` names it in
/// the result. O(n log n).
pub fn top_by_score(
    graph: &Graph,
    scores: &[f64],
    method: Method,
    cfg: &SelectConfig,
) -> Result<Selection, SelectError> {
    let plan = Plan::new(graph, cfg)?;
    if scores.len() != plan.n {
        return Err(SelectError::WrongLength {
            what: "scores",
            expected: plan.n,
            found: scores.len(),
        });
    }
    let mut order = plan.candidates.clone();
    order.sort_by(|&a, &b| {
        scores[b as usize]
            .total_cmp(&scores[a as usize])
            .then(graph.out_degree(b).cmp(&graph.out_degree(a)))
            .then(a.cmp(&b))
    });
    let mut seeds = Vec::new();
    let mut spent = 0.0;
    for v in order {
        match &cfg.budget {
            None if seeds.len() == plan.k => break,
            None => seeds.push(v),
            Some(b) => {
                if spent + b.costs[v as usize] <= b.budget {
                    spent += b.costs[v as usize];
                    seeds.push(v);
                }
            }
        }
    }
    Ok(Selection {
        method,
        model: cfg.model,
        gains: seeds.iter().map(|&v| scores[v as usize]).collect(),
        cost: cfg.budget.as_ref().map(|_| spent),
        seeds,
        estimate: None,
        guarantee: no_guarantee(&plan, &format!("top accounts by {method}")),
        sampling: None,
    })
}

/// Degree discount (directed form, see the module docs): repeatedly picks the candidate with the
/// highest discounted degree and discounts its neighbours. With a budget, candidates that no
/// longer fit are skipped. O((n + m) log n).
pub fn degree_discount(
    graph: &Graph,
    probs: &EdgeProbs,
    cfg: &SelectConfig,
) -> Result<Selection, SelectError> {
    let plan = Plan::new(graph, cfg)?;
    let p = probs.uniform().unwrap_or_else(|| {
        let all = probs.out_probs();
        if all.is_empty() { 0.0 } else { all.iter().sum::<f64>() / all.len() as f64 }
    });
    let n = plan.n;
    let mut choosable = vec![false; n];
    for &v in &plan.candidates {
        choosable[v as usize] = true;
    }
    let degree: Vec<f64> = (0..n as NodeId).map(|v| graph.out_degree(v) as f64).collect();
    let mut seeds_in = vec![0u32; n]; // t_v
    let mut seeds_out = vec![0u32; n]; // s_v
    let mut version = vec![0u32; n];
    let score = |v: usize, t: &[u32], s: &[u32]| {
        let reach = degree[v] - s[v] as f64;
        let t = t[v] as f64;
        reach - t - reach * t * p
    };
    let mut heap: BinaryHeap<Scored> = plan
        .candidates
        .iter()
        .map(|&v| Scored { score: degree[v as usize], node: v, version: 0 })
        .collect();
    let mut seeds = Vec::new();
    let mut gains = Vec::new();
    let mut spent = 0.0;
    while let Some(top) = heap.pop() {
        let v = top.node as usize;
        if !choosable[v] || top.version != version[v] {
            continue;
        }
        if let Some(b) = &cfg.budget {
            if spent + b.costs[v] > b.budget {
                choosable[v] = false;
                continue;
            }
            spent += b.costs[v];
        }
        choosable[v] = false;
        seeds.push(top.node);
        gains.push(top.score);
        if cfg.budget.is_none() && seeds.len() == plan.k {
            break;
        }
        for &w in graph.out_neighbors(top.node) {
            seeds_in[w as usize] += 1;
        }
        for &w in graph.in_neighbors(top.node) {
            seeds_out[w as usize] += 1;
        }
        let touched = graph.out_neighbors(top.node).iter().chain(graph.in_neighbors(top.node));
        for &w in touched {
            let w = w as usize;
            if choosable[w] {
                version[w] += 1;
                let node = w as NodeId;
                heap.push(Scored {
                    score: score(w, &seeds_in, &seeds_out),
                    node,
                    version: version[w],
                });
            }
        }
    }
    Ok(Selection {
        method: Method::DegreeDiscount,
        model: cfg.model,
        seeds,
        gains,
        estimate: None,
        cost: cfg.budget.as_ref().map(|_| spent),
        guarantee: no_guarantee(&plan, &format!("degree discount (p = {p})")),
        sampling: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prob::ProbSpec;
    use crate::select::Budget;
    use clout_graph::from_pairs;

    #[test]
    fn select_top_by_score_respects_candidates_ties_and_budget() {
        let g = from_pairs(5, &[(0, 1)], true);
        let scores = [3.0, 5.0, 5.0, 1.0, 4.0];
        let cfg = SelectConfig { k: 3, ..SelectConfig::default() };
        assert_eq!(top_by_score(&g, &scores, Method::Pagerank, &cfg).unwrap().seeds, vec![1, 2, 4]);
        let cfg = SelectConfig { k: 2, candidates: Some(vec![0, 3, 4]), ..SelectConfig::default() };
        assert_eq!(top_by_score(&g, &scores, Method::Coreness, &cfg).unwrap().seeds, vec![4, 0]);
        let budget = Budget { costs: vec![1.0, 3.0, 1.0, 1.0, 1.0], budget: 2.5 };
        let cfg = SelectConfig { budget: Some(budget), ..SelectConfig::default() };
        let s = top_by_score(&g, &scores, Method::Degree, &cfg).unwrap();
        assert_eq!(s.seeds, vec![2, 4]);
        assert_eq!(s.cost, Some(2.0));
    }

    #[test]
    fn select_top_by_score_breaks_ties_by_followers_then_id() {
        // One shell of equal scores: 3 influences three accounts, 4 two, the rest none.
        let g = from_pairs(6, &[(3, 0), (3, 1), (3, 2), (4, 0), (4, 1)], true);
        let scores = [2.0; 6];
        let cfg = SelectConfig { k: 4, ..SelectConfig::default() };
        let s = top_by_score(&g, &scores, Method::Coreness, &cfg).unwrap();
        assert_eq!(s.seeds, vec![3, 4, 0, 1]);
    }

    #[test]
    fn select_degree_discount_matches_the_paper_on_undirected_graphs() {
        // Undirected: hub 0 with leaves 1..=4, and 1 - 5, 1 - 6. Degrees 4, 3, 1, ...
        // After picking 0, node 1 has t = 1: dd = 3 - 2 - (3 - 1) * 1 * 0.1 = 0.8, below the
        // untouched leaves 5 and 6 (degree 1)? They are 1's neighbours only: dd = 1. So the
        // second pick is 5 (smaller id of the tie 5, 6), not 1 as plain degree would choose.
        let g = from_pairs(7, &[(0, 1), (0, 2), (0, 3), (0, 4), (1, 5), (1, 6)], false);
        let p = EdgeProbs::new(&g, ProbSpec::Uniform(0.1)).unwrap();
        let cfg = SelectConfig { k: 2, ..SelectConfig::default() };
        let s = degree_discount(&g, &p, &cfg).unwrap();
        assert_eq!(s.seeds, vec![0, 5]);
        assert!((s.gains[1] - 1.0).abs() < 1e-12);
    }
}
