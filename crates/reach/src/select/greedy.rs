//! Lazy greedy (Minoux 1978; CELF, Leskovec et al. 2007) over any [`Objective`], for a number
//! of seeds or a budget with per-node costs, picking by gain or by gain per cost, ties to the
//! larger [`Objective::tie_break`] and then to the smaller node id; optionally tracking an upper bound on the best feasible value (OPIM-C's
//! for a number of seeds, a fractional knapsack of the gains for a budget).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use clout_graph::NodeId;

pub use super::coverage::Objective;

/// How many seeds the greedy may pick.
#[derive(Debug, Clone, Copy)]
pub enum Limit<'c> {
    /// Exactly this many (fewer only if candidates run out, or gains run out when asked).
    Count(usize),
    /// Any number whose costs sum to at most `budget`.
    Budget {
        /// Cost of every node (dense id).
        costs: &'c [f64],
        /// The budget.
        budget: f64,
    },
}

/// Which candidate the greedy picks each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The largest marginal gain ("unit cost" greedy).
    Gain,
    /// The largest marginal gain per unit of cost ("benefit/cost" greedy).
    GainPerCost,
}

/// Options of [`lazy_greedy`].
#[derive(Debug, Clone, Copy, Default)]
pub struct GreedyOptions {
    /// Track an upper bound on the best feasible value (needs cheap exact gains: RR
    /// objectives only). Count: `min_i f(S_i) + sum of the k largest gains at S_i` (OPIM-C);
    /// budget: `min_i f(S_i) +` the fractional knapsack of gains at `S_i` (valid by
    /// submodularity: `f(OPT) <= f(S_i) + sum over OPT of gains at S_i`).
    pub upper_bound: bool,
    /// Stop as soon as the best marginal gain is not positive (non-monotone objectives).
    pub stop_without_gain: bool,
}

/// What [`lazy_greedy`] chose.
#[derive(Debug, Clone)]
pub struct Greedy {
    /// Chosen nodes in the order they were picked.
    pub seeds: Vec<NodeId>,
    /// Each one's marginal gain when it was picked.
    pub gains: Vec<f64>,
    /// Objective value of the chosen set.
    pub value: f64,
    /// Sum of the chosen nodes' costs (budgets), else the number of seeds.
    pub cost: f64,
    /// Upper bound on the best feasible value, if tracked.
    pub upper: Option<f64>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: f64,
    tie: f64,
    node: NodeId,
    round: u32,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Larger key first; on ties the larger tie-break, then the smaller node id.
    fn cmp(&self, other: &Self) -> Ordering {
        self.key
            .total_cmp(&other.key)
            .then_with(|| self.tie.total_cmp(&other.tie))
            .then_with(|| other.node.cmp(&self.node))
    }
}

/// How many candidates the greedy's heap starts with when the objective can say which gains
/// are that high ([`Objective::gain_threshold`]); the others wait outside it (see
/// [`lazy_greedy`]).
const HEAP_START: usize = 4096;

/// Lazy greedy: every candidate starts with its gain as key; the top entry is recomputed if it
/// was computed before the last pick, else it is the true best (keys of stale entries are upper
/// bounds by submodularity) and is picked if affordable. Deterministic: ties go to the larger
/// [`Objective::tie_break`], then to the smaller id (any tie rule keeps the greedy's ratio; since
/// stale keys are upper bounds, the pick is the lexicographic maximum of (gain, tie-break, -id)). Candidates that do not fit the remaining budget are dropped (the CELF rule).
pub fn lazy_greedy<O: Objective>(
    objective: &mut O,
    candidates: &[NodeId],
    limit: Limit<'_>,
    rule: Rule,
    options: GreedyOptions,
) -> Greedy {
    lazy_greedy_from(objective, candidates, limit, rule, options, HEAP_START)
}

/// [`lazy_greedy`] whose heap starts with about `keep` candidates (when the objective can
/// tell which).
pub(super) fn lazy_greedy_from<O: Objective>(
    objective: &mut O,
    candidates: &[NodeId],
    limit: Limit<'_>,
    rule: Rule,
    options: GreedyOptions,
    keep: usize,
) -> Greedy {
    let cost_of = |v: NodeId| match limit {
        Limit::Count(_) => 1.0,
        Limit::Budget { costs, .. } => costs[v as usize],
    };
    let capacity = match limit {
        Limit::Count(k) => k as f64,
        Limit::Budget { budget, .. } => budget,
    };
    let key_of = |gain: f64, v: NodeId| match rule {
        Rule::Gain => gain,
        Rule::GainPerCost => gain / cost_of(v),
    };
    // Under a count every candidate fits (each costs 1, and k >= 1): no copy of the list.
    let pool: std::borrow::Cow<[NodeId]> = match limit {
        Limit::Count(k) if k >= 1 => std::borrow::Cow::Borrowed(candidates),
        _ => candidates.iter().copied().filter(|&v| cost_of(v) <= capacity).collect(),
    };
    // The sum of the k largest gains, from the objective when it keeps them (no heap work).
    let count_by_gain = matches!((limit, rule), (Limit::Count(_), Rule::Gain));
    let tracked = options.upper_bound && count_by_gain && objective.track_top_gains(&pool);
    // Candidates whose key is at most `threshold` wait outside the heap until every key left
    // in it is at most that; keys are upper bounds, so the picks are the same as with one
    // heap, which costs O(n log n) per greedy run instead. They wait as one bit per candidate
    // and get their entry (key and tie-break, as of then) only if they are needed.
    // - `threshold` is 0 at first (on an RR sample most nodes are in no set), or, when keys
    //   are gains and the objective counts them ([`Objective::gain_threshold`]), the gain
    //   that about `keep` candidates exceed: a heap of every positive gain cost as much as
    //   the rest of an OPIM round's greedy on soc-sign-epinions (0.9 ms to build for the
    //   44,600 entries of the last round, 0.6 ms to gather them), and the picks come from
    //   the top few thousand. `cargo bench --bench select -- greedy/` (2026-12-07, with the
    //   word-at-a-time bits below): epinions 2.56 -> 0.98 ms, Slashdot 2.68 -> 1.29 ms.
    // - When the heap's top falls to `threshold`, the waiting candidates above a new, lower
    //   threshold join it (the last time, all of them). Not with the heap's own upper bound
    //   (`top_gains`), which reads the largest gains from the heap.
    let counted = count_by_gain && (tracked || !options.upper_bound);
    let mut threshold = if counted { objective.gain_threshold(&pool, keep) } else { 0.0 };
    let mut entries = Vec::new();
    let mut waiting = vec![0u64; pool.len().div_ceil(64)];
    let mut any_waiting = false;
    // A word of bits at a time, kept in a register (setting each bit in memory made one long
    // chain of loads and stores).
    for (bits, nodes) in waiting.iter_mut().zip(pool.chunks(64)) {
        let mut word = 0u64;
        for (j, &v) in nodes.iter().enumerate() {
            let key = key_of(objective.gain(v), v);
            if key > threshold {
                entries.push(Entry { key, tie: objective.tie_break(v), node: v, round: 0 });
            } else {
                word |= 1 << j;
            }
        }
        *bits = word;
        any_waiting |= word != 0;
    }
    let mut heap = BinaryHeap::from(entries);
    let mut out =
        Greedy { seeds: Vec::new(), gains: Vec::new(), value: 0.0, cost: 0.0, upper: None };
    let mut round = 0u32;
    let mut next_bound_at = 0usize;
    let mut last_bound_at = None;
    loop {
        if options.upper_bound && out.seeds.len() >= next_bound_at {
            last_bound_at = Some(out.seeds.len());
            let bound = match limit {
                Limit::Count(k) if tracked => objective.top_gains(k),
                Limit::Count(k) => top_gains(&mut heap, objective, k, round, &key_of),
                Limit::Budget { costs, budget } => knapsack_gains(objective, &pool, costs, budget),
            };
            let u = objective.value() + bound;
            out.upper = Some(out.upper.map_or(u, |x: f64| x.min(u)));
            // Every prefix gives a valid bound; with budgets (an O(n) scan each) take prefixes
            // 0, 1, 2, 4, 8, ... and the final one.
            next_bound_at = match limit {
                Limit::Count(_) => out.seeds.len() + 1,
                Limit::Budget { .. } => (out.seeds.len() * 2).max(1),
            };
        }
        if let Limit::Count(k) = limit
            && out.seeds.len() >= k
        {
            break;
        }
        while any_waiting && heap.peek().is_none_or(|top| top.key <= threshold) {
            // No key in the heap or waiting is above `threshold` now, so a new count gives a
            // lower one (else: 0, then every waiting candidate).
            let lower = match threshold {
                t if t > 0.0 && counted => objective.gain_threshold(&pool, keep).min(t),
                _ => 0.0,
            };
            let lower = if lower < threshold { lower } else { f64::NEG_INFINITY };
            // The last time every waiting candidate joins, whatever its key (NaN included).
            let all = lower == f64::NEG_INFINITY;
            any_waiting = false;
            for (word, bits) in waiting.iter_mut().enumerate() {
                let mut left = *bits;
                while left != 0 {
                    let bit = left & left.wrapping_neg();
                    left &= left - 1;
                    let node = pool[word * 64 + bit.trailing_zeros() as usize];
                    let key = key_of(objective.gain(node), node);
                    if all || key > lower {
                        heap.push(Entry { key, tie: objective.tie_break(node), node, round });
                        *bits &= !bit;
                    }
                }
                any_waiting |= *bits != 0;
            }
            threshold = lower;
        }
        let Some(top) = heap.pop() else { break };
        if top.round != round {
            let key = key_of(objective.gain(top.node), top.node);
            heap.push(Entry { key, round, ..top });
            continue;
        }
        let cost = cost_of(top.node);
        if out.cost + cost > capacity {
            continue; // never affordable again: the remaining budget only shrinks
        }
        let gain = objective.gain(top.node);
        if options.stop_without_gain && gain <= 0.0 {
            break;
        }
        objective.add(top.node);
        out.seeds.push(top.node);
        out.gains.push(gain);
        out.cost += cost;
        round += 1;
    }
    if options.upper_bound && last_bound_at != Some(out.seeds.len()) {
        let bound = match limit {
            Limit::Count(k) if tracked => objective.top_gains(k),
            Limit::Count(k) => top_gains(&mut heap, objective, k, round, &key_of),
            Limit::Budget { costs, budget } => knapsack_gains(objective, &pool, costs, budget),
        };
        let u = objective.value() + bound;
        out.upper = Some(out.upper.map_or(u, |x: f64| x.min(u)));
    }
    out.value = objective.value();
    out
}

/// Sum of the `k` largest current gains, refreshing stale heap entries on the way (rule
/// [`Rule::Gain`]: keys are gains). The heap is left valid.
fn top_gains<O: Objective>(
    heap: &mut BinaryHeap<Entry>,
    objective: &mut O,
    k: usize,
    round: u32,
    key_of: &impl Fn(f64, NodeId) -> f64,
) -> f64 {
    let mut taken = Vec::with_capacity(k);
    let mut sum = 0.0;
    while taken.len() < k {
        let Some(top) = heap.pop() else { break };
        if top.round != round {
            let key = key_of(objective.gain(top.node), top.node);
            heap.push(Entry { key, round, ..top });
            continue;
        }
        sum += objective.gain(top.node);
        taken.push(top);
    }
    heap.extend(taken);
    sum
}

/// The fractional knapsack of current gains under `budget`: gains taken by decreasing gain per
/// cost, the last one fractionally. O(n log n).
fn knapsack_gains<O: Objective>(
    objective: &mut O,
    pool: &[NodeId],
    costs: &[f64],
    budget: f64,
) -> f64 {
    let mut items: Vec<(f64, f64)> = pool
        .iter()
        .map(|&v| (objective.gain(v), costs[v as usize]))
        .filter(|&(g, _)| g > 0.0)
        .collect();
    items.sort_by(|a, b| (b.0 / b.1).total_cmp(&(a.0 / a.1)));
    let (mut room, mut sum) = (budget, 0.0);
    for (gain, cost) in items {
        if cost <= room {
            sum += gain;
            room -= cost;
        } else {
            sum += gain * room / cost;
            break;
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plain set function for testing the greedy: weighted coverage of fixed item sets.
    struct Sets {
        items: Vec<Vec<usize>>,
        weight: Vec<f64>,
        covered: Vec<bool>,
    }

    impl Objective for Sets {
        fn gain(&mut self, v: NodeId) -> f64 {
            self.items[v as usize]
                .iter()
                .filter(|&&i| !self.covered[i])
                .map(|&i| self.weight[i])
                .sum()
        }
        fn add(&mut self, v: NodeId) {
            for &i in &self.items[v as usize] {
                self.covered[i] = true;
            }
        }
        fn value(&self) -> f64 {
            self.covered.iter().zip(&self.weight).filter(|(c, _)| **c).map(|(_, w)| w).sum()
        }
    }

    fn sets(items: Vec<Vec<usize>>, m: usize) -> Sets {
        Sets { items, weight: vec![1.0; m], covered: vec![false; m] }
    }

    #[test]
    fn select_lazy_greedy_equals_plain_greedy_and_breaks_ties_by_id() {
        // Node 0 covers {0,1,2}, 1 covers {2,3}, 2 covers {3,4}, 3 covers {0,1}: greedy picks 0
        // (3), then 1 and 2 tie at 1 more... 1 gains {3}, 2 gains {3,4}: picks 2, then 1 or 3
        // gain 0/0: k=3 picks node 1 (smaller id among zero gains).
        let mut s = sets(vec![vec![0, 1, 2], vec![2, 3], vec![3, 4], vec![0, 1]], 5);
        let g = lazy_greedy(
            &mut s,
            &[0, 1, 2, 3],
            Limit::Count(3),
            Rule::Gain,
            GreedyOptions { upper_bound: true, ..GreedyOptions::default() },
        );
        assert_eq!(g.seeds, vec![0, 2, 1]);
        assert_eq!(g.gains, vec![3.0, 2.0, 0.0]);
        assert_eq!(g.value, 5.0);
        // Bound: prefix 0 gives 0 + (3 + 2 + 2) = 7; prefix 1 gives 3 + (2 + 1 + 0) = 6;
        // prefix 2 gives 5 + 0 = 5.
        assert_eq!(g.upper, Some(5.0));
    }

    /// [`Sets`] with a tie-break per node.
    struct Preferring(Sets, Vec<f64>);

    impl Objective for Preferring {
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
            self.1[v as usize]
        }
    }

    #[test]
    fn select_lazy_greedy_breaks_equal_gains_by_the_tie_break_then_id() {
        // Nodes 0..4 each cover one item of their own, node 4 covers two: 4 first, then the
        // equal gains of 0..3 go by tie-break 0.1, 0.5, 0.5, 0.3: node 1 (ties with 2, smaller
        // id), then 2, then 3. The stale keys of the lazy heap must not change that order.
        let items = vec![vec![0], vec![1], vec![2], vec![3], vec![4, 5]];
        let mut s = Preferring(sets(items, 6), vec![0.1, 0.5, 0.5, 0.3, 0.0]);
        let opts = GreedyOptions::default();
        let g = lazy_greedy(&mut s, &[0, 1, 2, 3, 4], Limit::Count(4), Rule::Gain, opts);
        assert_eq!(g.seeds, vec![4, 1, 2, 3]);
        assert_eq!(g.value, 5.0);
    }

    /// An objective without usable gains (every gain NaN, as a Monte Carlo oracle of no trials
    /// gives): the greedy still ends, picking by id. (The waiting candidates once stayed out of
    /// the heap for good, since no key is above a threshold when it is NaN, and it spun.)
    struct Unknown;

    impl Objective for Unknown {
        fn gain(&mut self, _v: NodeId) -> f64 {
            f64::NAN
        }
        fn add(&mut self, _v: NodeId) {}
        fn value(&self) -> f64 {
            f64::NAN
        }
    }

    #[test]
    fn select_lazy_greedy_ends_when_every_gain_is_nan() {
        // On a thread of its own, so that a regression fails here instead of hanging the suite.
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let opts = GreedyOptions::default();
            let a = lazy_greedy(&mut Unknown, &[0, 1, 2, 3], Limit::Count(2), Rule::Gain, opts);
            let opts = GreedyOptions { upper_bound: true, ..GreedyOptions::default() };
            let b = lazy_greedy(&mut Unknown, &[0, 1, 2, 3], Limit::Count(3), Rule::Gain, opts);
            let _ = send.send((a.seeds, b.seeds.len()));
        });
        let (a, b) = receive
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("the greedy did not end within 20 s");
        assert_eq!(a, vec![0, 1]);
        assert_eq!(b, 3);
    }

    #[test]
    fn select_budget_greedy_skips_what_does_not_fit() {
        // Costs 3, 1, 1, 1 with budget 3: benefit/cost picks the cheap ones, unit-cost picks 0.
        let costs = [3.0, 1.0, 1.0, 1.0];
        let items = vec![vec![0, 1, 2, 3, 4], vec![0], vec![1], vec![2, 3]];
        let limit = Limit::Budget { costs: &costs, budget: 3.0 };
        let opts = GreedyOptions { upper_bound: true, ..GreedyOptions::default() };
        let cb =
            lazy_greedy(&mut sets(items.clone(), 5), &[0, 1, 2, 3], limit, Rule::GainPerCost, opts);
        assert_eq!(cb.seeds, vec![3, 1, 2]);
        assert_eq!((cb.value, cb.cost), (4.0, 3.0));
        let uc = lazy_greedy(&mut sets(items, 5), &[0, 1, 2, 3], limit, Rule::Gain, opts);
        assert_eq!(uc.seeds, vec![0]);
        assert_eq!(uc.value, 5.0);
        // Fractional knapsack at the empty set: ratios 5/3, 1, 1, 2 -> node 3 (2, cost 1) then
        // node 0 for the remaining 2 of its 3 cost: 2 + 5 * 2/3 = 5.33 >= OPT = 5.
        let u = cb.upper.unwrap();
        assert!((5.0..=2.0 + 10.0 / 3.0 + 1e-12).contains(&u), "{u}");
    }
}
