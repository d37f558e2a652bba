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
    /// Starts keeping what [`Objective::top_gains`] needs over the candidates `pool` (sorted,
    /// distinct), if this objective can; false (the default) leaves the greedy to take the
    /// largest gains from its heap.
    fn track_top_gains(&mut self, _pool: &[NodeId]) -> bool {
        false
    }
    /// The sum of the `k` largest current gains over the pool given to
    /// [`Objective::track_top_gains`] (which returned true).
    fn top_gains(&self, _k: usize) -> f64 {
        unreachable!("top_gains without track_top_gains")
    }
    /// A gain `t >= 0` with at least `keep` candidates of `pool` (sorted, distinct) gaining
    /// more than `t` at present, as large as the objective can cheaply tell; 0 (the default)
    /// when it cannot or when fewer candidates gain anything. The greedy keeps the candidates
    /// gaining at most `t` out of its heap until they might matter.
    fn gain_threshold(&mut self, _pool: &[NodeId], _keep: usize) -> f64 {
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
    top: Option<GainCounts>,
}

/// How many candidates have each gain, kept as gains drop, so that the sum of the `k` largest
/// gains (OPIM-C's upper bound, asked for after every pick) is a walk down from the largest
/// gain instead of `k` pops and pushes on the greedy's heap (epinions, wc, k = 50: 1.1-1.3 ms
/// of a 2.3-3.2 ms greedy run, 2026-12-07).
struct GainCounts {
    /// `count[g]`: candidates whose gain is `g`.
    count: Vec<u32>,
    /// No candidate's gain is above this.
    high: usize,
    /// Which nodes are candidates; `None`: all of them.
    member: Option<Vec<bool>>,
}

impl<'a> Coverage<'a> {
    /// The empty set's coverage state.
    pub fn new(rr: &'a RrSets, index: &'a Index, n: usize) -> Coverage<'a> {
        let gains = (0..n as NodeId).map(|v| index.count(v) as u32).collect();
        let covered = vec![false; rr.len()];
        Coverage { rr, index, tie_break: None, gains, covered, value: 0, top: None }
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
                let members = self.rr.set(r as usize);
                match self.top.as_mut() {
                    None => {
                        for &w in members {
                            self.gains[w as usize] -= 1;
                        }
                    }
                    Some(top) => {
                        for &w in members {
                            let g = self.gains[w as usize] as usize;
                            self.gains[w as usize] -= 1;
                            if top.member.as_ref().is_none_or(|m| m[w as usize]) {
                                top.count[g] -= 1;
                                top.count[g - 1] += 1;
                            }
                        }
                    }
                }
            }
        }
        if let Some(top) = self.top.as_mut() {
            while top.high > 0 && top.count[top.high] == 0 {
                top.high -= 1;
            }
        }
    }

    fn value(&self) -> f64 {
        self.value as f64
    }

    fn tie_break(&self, v: NodeId) -> f64 {
        self.tie_break.map_or(0.0, |t| t[v as usize])
    }

    fn track_top_gains(&mut self, pool: &[NodeId]) -> bool {
        let member = (pool.len() != self.gains.len()).then(|| {
            let mut m = vec![false; self.gains.len()];
            for &v in pool {
                m[v as usize] = true;
            }
            m
        });
        let count = count_per_gain(&self.gains, pool);
        let high = count.len() - 1;
        self.top = Some(GainCounts { count, high, member });
        true
    }

    /// The largest `t` with at least `keep` candidates gaining more than `t`, read off the
    /// count of candidates per gain (the one [`Objective::track_top_gains`] keeps, else
    /// counted now, O(|pool|)).
    fn gain_threshold(&mut self, pool: &[NodeId], keep: usize) -> f64 {
        let counted;
        let count: &[u32] = match &self.top {
            Some(top) => &top.count[..=top.high],
            None => {
                counted = count_per_gain(&self.gains, pool);
                &counted
            }
        };
        let mut above = 0usize;
        for g in (1..count.len()).rev() {
            above += count[g] as usize;
            if above >= keep {
                return (g - 1) as f64;
            }
        }
        0.0
    }

    fn top_gains(&self, k: usize) -> f64 {
        let top = self.top.as_ref().expect("track_top_gains first");
        let (mut left, mut sum) = (k as u64, 0u64);
        for g in (1..=top.high).rev() {
            if left == 0 {
                break;
            }
            let take = u64::from(top.count[g]).min(left);
            sum += take * g as u64;
            left -= take;
        }
        sum as f64
    }
}

/// How many candidates of `pool` (sorted, distinct) have each gain: `count[g]`, up to the
/// largest gain. One pass, in node order when every node is a candidate.
fn count_per_gain(gains: &[u32], pool: &[NodeId]) -> Vec<u32> {
    let mut count = vec![0u32; 1];
    let mut tally = |g: u32| {
        let g = g as usize;
        if g >= count.len() {
            count.resize(g + 1, 0);
        }
        count[g] += 1;
    };
    if pool.len() == gains.len() {
        gains.iter().for_each(|&g| tally(g));
    } else {
        pool.iter().for_each(|&v| tally(gains[v as usize]));
    }
    count
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

    /// [`Coverage`] without its own count of gains: the greedy takes the largest gains from
    /// its heap.
    struct Untracked<'a>(Coverage<'a>);

    impl Objective for Untracked<'_> {
        fn gain(&mut self, v: NodeId) -> f64 {
            self.0.gain(v)
        }
        fn add(&mut self, v: NodeId) {
            self.0.add(v)
        }
        fn value(&self) -> f64 {
            self.0.value()
        }
        fn tie_break(&self, v: NodeId) -> f64 {
            self.0.tie_break(v)
        }
    }

    /// `sets` IC RR sets (no distances, drawn with `seed`) under weighted cascade on the random
    /// graph `(nodes, arcs, graph seed)`, and their index.
    fn wc_sample(
        (nodes, arcs, graph_seed): (u32, usize, u64),
        sets: usize,
        seed: u64,
    ) -> (RrSets, Index) {
        let g = crate::testing::gnm_graph(nodes, arcs, graph_seed);
        let p = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
        let mut rr = RrSets::new(false);
        RrSampler::new(&g, &p, RrModel::Ic, false).extend(&mut rr, sets, seed);
        let index = Index::build(&rr, nodes as usize);
        (rr, index)
    }

    #[test]
    fn select_counted_top_gains_give_the_heaps_upper_bound_and_picks() {
        let (rr, index) = wc_sample((300, 2400, 4), 3000, 8);
        let tie: Vec<f64> = (0..300).map(|v| f64::from(v % 7)).collect();
        let opts = GreedyOptions { upper_bound: true, ..GreedyOptions::default() };
        let all: Vec<NodeId> = (0..300).collect();
        // Every third node a candidate: the counts must skip the others.
        let some: Vec<NodeId> = (0..300).step_by(3).collect();
        for (pool, k) in [(&all, 10), (&all, 40), (&some, 10), (&some, 99), (&some, 100)] {
            let mut counted = Coverage::new(&rr, &index, 300).with_tie_break(&tie);
            let a = lazy_greedy(&mut counted, pool, Limit::Count(k), Rule::Gain, opts);
            assert!(counted.top.is_some(), "the count was not used");
            let b = lazy_greedy(
                &mut Untracked(Coverage::new(&rr, &index, 300).with_tie_break(&tie)),
                pool,
                Limit::Count(k),
                Rule::Gain,
                opts,
            );
            assert_eq!(a.seeds, b.seeds);
            assert_eq!(a.gains, b.gains);
            assert_eq!(a.upper, b.upper);
            assert!(a.upper.unwrap() >= a.value);
        }
    }

    /// Starting the heap with only the largest gains (and topping it up from the waiting
    /// candidates as gains fall) picks what one heap of every candidate picks, with the same
    /// gains and upper bound, however few it starts with.
    #[test]
    fn select_greedy_from_a_partial_heap_picks_as_from_a_full_one() {
        use crate::select::greedy::lazy_greedy_from;
        let (rr, index) = wc_sample((400, 3000, 11), 2500, 3);
        // Few distinct tie-breaks, so that equal gains are decided by them and by the id.
        let tie: Vec<f64> = (0..400).map(|v| f64::from(v % 3)).collect();
        let all: Vec<NodeId> = (0..400).collect();
        let some: Vec<NodeId> = (0..400).filter(|v| v % 5 != 2).collect();
        for upper_bound in [true, false] {
            let opts = GreedyOptions { upper_bound, ..GreedyOptions::default() };
            for (pool, k) in [(&all, 30), (&all, 400), (&some, 25), (&some, 320)] {
                let full = lazy_greedy(
                    &mut Untracked(Coverage::new(&rr, &index, 400).with_tie_break(&tie)),
                    pool,
                    Limit::Count(k),
                    Rule::Gain,
                    opts,
                );
                for keep in [1, 2, 3, 17, 64, 4096] {
                    let mut counted = Coverage::new(&rr, &index, 400).with_tie_break(&tie);
                    let start = counted.gain_threshold(pool, keep);
                    if keep <= 17 {
                        assert!(start > 0.0, "keep {keep}: no threshold to test");
                    }
                    let limit = Limit::Count(k);
                    let part = lazy_greedy_from(&mut counted, pool, limit, Rule::Gain, opts, keep);
                    let case = format!("upper {upper_bound} k {k} keep {keep}");
                    assert_eq!(part.seeds, full.seeds, "{case}");
                    assert_eq!(part.gains, full.gains, "{case}");
                    assert_eq!(part.upper, full.upper, "{case}");
                }
            }
        }
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
