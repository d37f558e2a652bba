//! The objectives the greedy maximizes on RR sets.
//!
//! - [`Coverage`]: the number of RR sets a seed set meets (IC, LT). Marginal gains are kept
//!   exact by counting: when a set becomes covered, every member's gain drops by one, so the
//!   whole greedy costs O(total members) plus the heap.
//! - [`WeightedCoverage`]: IC-N's positive-reach objective. An RR set whose closest chosen
//!   member sits at reverse distance `d` is worth `q^(1 + d)` (the chance its root ends up
//!   positive); gains are kept exact the same way, by the change in each set's value.
//! - [`coverage_of`]: a fixed set's (weighted) coverage of a validation sample.

use clout_graph::NodeId;

use super::index::Index;
use super::rr::RrSets;

/// A set function the greedy maximizes: the current marginal gain of each node, and adding one.
pub trait Objective {
    /// The marginal gain of adding `v` to the chosen set, in the objective's units.
    fn gain(&mut self, v: NodeId) -> f64;
    /// Adds `v` to the chosen set.
    fn add(&mut self, v: NodeId);
    /// The value of the chosen set.
    fn value(&self) -> f64;
    /// Among nodes of equal gain the greedy picks the one with the larger tie-break (then the
    /// smaller id). Default: 0 for all, so ties go to the smaller id.
    fn tie_break(&self, _v: NodeId) -> f64 {
        0.0
    }
}

/// Number of RR sets met by the chosen set (IC, LT).
pub struct Coverage<'a> {
    rr: &'a RrSets,
    index: &'a Index,
    tie_break: Option<&'a [f64]>,
    gains: Vec<u32>,
    covered: Vec<bool>,
    value: u64,
}

impl<'a> Coverage<'a> {
    /// The empty set's coverage state.
    pub fn new(rr: &'a RrSets, index: &'a Index, n: usize) -> Coverage<'a> {
        let gains = (0..n as NodeId).map(|v| index.count(v) as u32).collect();
        Coverage { rr, index, tie_break: None, gains, covered: vec![false; rr.len()], value: 0 }
    }

    /// Breaks ties between equal gains by the larger `tie_break[v]` (one value per node).
    pub fn with_tie_break(mut self, tie_break: &'a [f64]) -> Coverage<'a> {
        self.tie_break = Some(tie_break);
        self
    }
}

impl Objective for Coverage<'_> {
    #[inline]
    fn gain(&mut self, v: NodeId) -> f64 {
        self.gains[v as usize] as f64
    }

    fn add(&mut self, v: NodeId) {
        for &r in self.index.sets_of(v) {
            if !self.covered[r as usize] {
                self.covered[r as usize] = true;
                self.value += 1;
                for &w in self.rr.set(r as usize) {
                    self.gains[w as usize] -= 1;
                }
            }
        }
    }

    fn value(&self) -> f64 {
        self.value as f64
    }

    fn tie_break(&self, v: NodeId) -> f64 {
        self.tie_break.map_or(0.0, |t| t[v as usize])
    }
}

/// `q^(1 + d)` for every distance up to the largest in `rr` (saturated distances included).
fn weight_table(rr: &RrSets, q: f64) -> Vec<f64> {
    let max = rr.all_distances().and_then(|d| d.iter().copied().max()).unwrap_or(0);
    (0..=max as i32).map(|d| q.powi(1 + d)).collect()
}

/// IC-N positive reach in RR sets: each set is worth `q^(1 + d)` for the smallest reverse
/// distance `d` of a chosen member, 0 if none is chosen.
pub struct WeightedCoverage<'a> {
    rr: &'a RrSets,
    index: &'a Index,
    tie_break: Option<&'a [f64]>,
    weight: Vec<f64>,
    current: Vec<f64>,
    gains: Vec<f64>,
    value: f64,
}

impl<'a> WeightedCoverage<'a> {
    /// The empty set's state for quality `q`. `rr` and `index` must carry distances.
    pub fn new(rr: &'a RrSets, index: &'a Index, n: usize, q: f64) -> WeightedCoverage<'a> {
        let weight = weight_table(rr, q);
        let gains = (0..n as NodeId)
            .map(|v| index.distances_of(v).iter().map(|&d| weight[d as usize]).sum())
            .collect();
        WeightedCoverage {
            rr,
            index,
            tie_break: None,
            weight,
            current: vec![0.0; rr.len()],
            gains,
            value: 0.0,
        }
    }

    /// Breaks ties between equal gains by the larger `tie_break[v]` (one value per node).
    pub fn with_tie_break(mut self, tie_break: &'a [f64]) -> WeightedCoverage<'a> {
        self.tie_break = Some(tie_break);
        self
    }
}

impl Objective for WeightedCoverage<'_> {
    #[inline]
    fn gain(&mut self, v: NodeId) -> f64 {
        self.gains[v as usize]
    }

    fn add(&mut self, v: NodeId) {
        let (sets, dists) = (self.index.sets_of(v), self.index.distances_of(v));
        for (&r, &dv) in sets.iter().zip(dists) {
            let new = self.weight[dv as usize];
            let old = self.current[r as usize];
            if new <= old {
                continue;
            }
            let members = self.rr.set(r as usize);
            let distances = self.rr.distances(r as usize).expect("distances");
            for (&w, &dw) in members.iter().zip(distances) {
                let x = self.weight[dw as usize];
                let drop = (x - old).max(0.0) - (x - new).max(0.0);
                self.gains[w as usize] -= drop;
            }
            self.current[r as usize] = new;
            self.value += new - old;
        }
    }

    fn value(&self) -> f64 {
        self.value
    }

    fn tie_break(&self, v: NodeId) -> f64 {
        self.tie_break.map_or(0.0, |t| t[v as usize])
    }
}

/// Coverage of a fixed seed set in `rr` (validation samples): plain, or weighted by
/// `q^(1 + d)` when `q` is given (needs distances). O(total members).
pub fn coverage_of(rr: &RrSets, n: usize, seeds: &[NodeId], q: Option<f64>) -> f64 {
    let mut chosen = vec![false; n];
    for &s in seeds {
        chosen[s as usize] = true;
    }
    match q {
        None => {
            (0..rr.len()).filter(|&i| rr.set(i).iter().any(|&v| chosen[v as usize])).count() as f64
        }
        Some(q) => {
            let weight = weight_table(rr, q);
            (0..rr.len())
                .map(|i| {
                    let d = rr.distances(i).expect("distances");
                    rr.set(i)
                        .iter()
                        .zip(d)
                        .filter(|(v, _)| chosen[**v as usize])
                        .map(|(_, &dv)| weight[dv as usize])
                        .fold(0.0, f64::max)
                })
                .sum()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prob::{EdgeProbs, ProbSpec};
    use crate::select::greedy::{GreedyOptions, Limit, Rule, lazy_greedy};
    use crate::select::rr::{RrModel, RrSampler};
    use clout_graph::from_pairs;

    #[test]
    fn select_counting_coverage_matches_recount_and_weighted_reduces_to_it_at_q1() {
        let g = crate::testing::gnm_graph(200, 1500, 9);
        let p = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
        let s = RrSampler::new(&g, &p, RrModel::Ic, true);
        let mut rr = RrSets::new(true);
        s.extend(&mut rr, 4000, 5);
        let index = Index::build(&rr, 200);
        let all: Vec<NodeId> = (0..200).collect();
        let opts = GreedyOptions::default();
        let plain = lazy_greedy(
            &mut Coverage::new(&rr, &index, 200),
            &all,
            Limit::Count(8),
            Rule::Gain,
            opts,
        );
        let weighted = lazy_greedy(
            &mut WeightedCoverage::new(&rr, &index, 200, 1.0),
            &all,
            Limit::Count(8),
            Rule::Gain,
            opts,
        );
        assert_eq!(plain.seeds, weighted.seeds);
        assert_eq!(plain.value, weighted.value);
        assert_eq!(plain.value, coverage_of(&rr, 200, &plain.seeds, None));
        // Gains sum to the value, and greedy gains never increase (submodularity).
        assert_eq!(plain.gains.iter().sum::<f64>(), plain.value);
        assert!(plain.gains.windows(2).all(|w| w[0] >= w[1]));
        // q < 1: incremental weighted value equals a direct recount of the chosen set.
        let w = lazy_greedy(
            &mut WeightedCoverage::new(&rr, &index, 200, 0.6),
            &all,
            Limit::Count(8),
            Rule::Gain,
            opts,
        );
        let direct = coverage_of(&rr, 200, &w.seeds, Some(0.6));
        assert!((w.value - direct).abs() < 1e-9 * direct.max(1.0), "{} vs {direct}", w.value);
        assert!((w.gains.iter().sum::<f64>() - direct).abs() < 1e-9 * direct.max(1.0));
    }

    #[test]
    fn select_weighted_value_prefers_the_closer_seed() {
        // Chain 0 -> 1 -> 2 at p = 1: the RR set of root 2 is {2 (d 0), 1 (d 1), 0 (d 2)}.
        let g = from_pairs(3, &[(0, 1), (1, 2)], true);
        let p = EdgeProbs::new(&g, ProbSpec::Uniform(1.0)).unwrap();
        let s = RrSampler::new(&g, &p, RrModel::Ic, true);
        let mut rr = RrSets::new(true);
        s.extend(&mut rr, 600, 1);
        let q: f64 = 0.5;
        let roots = [0, 1, 2].map(|r| (0..rr.len()).filter(|&i| rr.set(i)[0] == r).count() as f64);
        // Seed 0 alone: root r is worth q^(1 + r) (node r sits at distance r from seed 0).
        let alone = coverage_of(&rr, 3, &[0], Some(q));
        let want = roots[0] * q + roots[1] * q * q + roots[2] * q * q * q;
        assert!((alone - want).abs() < 1e-9, "{alone} vs {want}");
        // Seeds {0, 1}: node 1 is a seed, node 2 sits at distance 1 from seed 1.
        let both = coverage_of(&rr, 3, &[0, 1], Some(q));
        let want = roots[0] * q + roots[1] * q + roots[2] * q * q;
        assert!((both - want).abs() < 1e-9, "{both} vs {want}");
    }
}
