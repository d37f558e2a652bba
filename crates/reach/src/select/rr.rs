//! Reverse-reachable (RR) sets: generation under IC and LT, in parallel and reproducibly, and
//! their compact storage.
//!
//! An RR set (Borgs, Brautbar, Chayes and Lucier, SODA 2014) is drawn by picking a root `r`
//! uniformly at random and collecting every node that reaches `r` in one random live-edge graph.
//! A seed set `S` meets the RR set exactly when `S` would activate `r` in that world, so
//! `n * Pr[S meets a random RR set]` is `S`'s expected spread.
//!
//! - **IC**: reverse breadth-first search from the root over in-arcs, each in-arc `u -> v` live
//!   with probability `p(u, v)`, examined once (when `v` is dequeued). When every in-arc of `v`
//!   has the same probability (always for `uniform:P`, and for weighted cascade, where
//!   `p = 1 / in-degree(v)`), live arcs are found by geometric jumps over the failed ones (one
//!   random number per live arc instead of one per arc), which is exact.
//! - **LT**: reverse random walk: each node picks at most one in-neighbour `u`, with
//!   probability `b(u, v) = p(u, v) / max(1, sum of p over v's in-arcs)` (the live-edge form of
//!   LT, Kempe et al. 2003), until nobody is picked or the walk meets a node already in the set.
//! - With distances (IC-N): each member carries its breadth-first distance `d` to the root in
//!   the live-edge graph (a `u16`, saturating at 65,535), so `q^(1 + d)` is the probability that
//!   the root ends up positive when that member is the closest seed.
//!
//! # Storage
//! One flat `Vec<u32>` of members, a `Vec<u64>` of offsets (set `i` is
//! `members[offsets[i] .. offsets[i + 1]]`, root first, then breadth-first order) and, for IC-N,
//! a parallel `Vec<u16>` of distances: 4 bytes per member plus 8 per set (plus 2 per member).
//!
//! # Determinism
//! RR set `i` is drawn only from `Rng::stream(seed, i)`; sets are generated in parallel over
//! fixed blocks of indices and appended in index order, so the collection is the same at any
//! thread count. Scratch (visited stamps) is reused across sets through a small pool, so no
//! allocation proportional to `n` happens per set.

use std::collections::TryReserveError;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use clout_graph::rng::Rng;
use clout_graph::{Graph, NodeId};
use rayon::prelude::*;

use crate::prob::{EdgeProbs, ProbSpec};

/// Entries of the per-task cache of row logarithms in [`RrSampler::new`].
const JUMP_CACHE: usize = 1024;

/// `[ln(1 - p), (1 - p)^len]` for a row of `len` in-arcs that all have probability `p`: the
/// geometric jump's scale and the chance that no arc of the row is live.
fn row_jumps(p: f64, len: usize) -> [f64; 2] {
    let log_fail = if p >= 1.0 {
        f64::NEG_INFINITY
    } else if p <= 0.0 {
        0.0
    } else {
        (1.0 - p).ln()
    };
    [log_fail, (log_fail * len as f64).exp()]
}

/// RR sets generated per parallel task (a fixed partition of the indices, so it never changes
/// a result). Small enough that the few thousand sets an OPIM round adds (706-5,648 on
/// Slashdot under weighted cascade) split into enough tasks to balance two threads, one of
/// which may join late (see `opim`); at 1,024 a round was one to six tasks.
const BLOCK: usize = 256;

/// Which live-edge process the RR sets follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RrModel {
    /// Independent Cascade: reverse breadth-first search over live in-arcs.
    Ic,
    /// Linear Threshold: reverse random walk picking at most one in-neighbour per node.
    Lt,
}

/// A collection of RR sets in flat form. See the module docs for the layout.
#[derive(Debug, Clone)]
pub struct RrSets {
    members: Vec<NodeId>,
    offsets: Vec<u64>,
    distances: Option<Vec<u16>>,
    arcs_examined: u64,
}

impl RrSets {
    /// An empty collection; `with_distances` keeps each member's distance to its root.
    pub fn new(with_distances: bool) -> RrSets {
        RrSets {
            members: Vec::new(),
            offsets: vec![0],
            distances: with_distances.then(Vec::new),
            arcs_examined: 0,
        }
    }

    /// Number of RR sets.
    #[inline]
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// True when there is no RR set.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Members of set `i`: its root first, then the others in breadth-first order.
    #[inline]
    pub fn set(&self, i: usize) -> &[NodeId] {
        &self.members[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// Position of set `i`'s first member in [`RrSets::members`] (`i` may be `len()`).
    #[inline]
    pub fn set_offset(&self, i: usize) -> usize {
        self.offsets[i] as usize
    }

    /// Distances to the root of set `i`'s members (aligned with [`RrSets::set`]), if kept.
    #[inline]
    pub fn distances(&self, i: usize) -> Option<&[u16]> {
        let range = self.offsets[i] as usize..self.offsets[i + 1] as usize;
        self.distances.as_ref().map(|d| &d[range])
    }

    /// Whether distances are kept.
    pub fn has_distances(&self) -> bool {
        self.distances.is_some()
    }

    /// All members of all sets, set after set.
    pub fn members(&self) -> &[NodeId] {
        &self.members
    }

    /// All distances, aligned with [`RrSets::members`], if kept.
    pub fn all_distances(&self) -> Option<&[u16]> {
        self.distances.as_deref()
    }

    /// Total number of members over all sets.
    pub fn total_members(&self) -> usize {
        self.members.len()
    }

    /// In-arcs examined while drawing these sets (the cost measure of RR sampling).
    pub fn arcs_examined(&self) -> u64 {
        self.arcs_examined
    }

    /// Keeps only the first `len` sets (a prefix of the sequence stays a valid i.i.d. sample of
    /// fixed size). The arcs-examined count keeps every set drawn.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len() {
            return;
        }
        self.offsets.truncate(len + 1);
        let end = self.offsets[len] as usize;
        self.members.truncate(end);
        if let Some(d) = self.distances.as_mut() {
            d.truncate(end);
        }
    }

    /// Appends `more`, the sets that follow these in the same sequence (see
    /// [`RrSampler::draw_ahead`]): the result is the collection one longer draw would have made.
    /// On error `self` is unchanged.
    pub fn append(&mut self, more: RrSets) -> Result<(), TryReserveError> {
        assert_eq!(self.has_distances(), more.has_distances(), "distance mode mismatch");
        self.members.try_reserve(more.members.len())?;
        self.offsets.try_reserve(more.len())?;
        if let Some(d) = self.distances.as_mut() {
            d.try_reserve(more.members.len())?;
        }
        let base = *self.offsets.last().expect("offsets start with 0");
        self.offsets.extend(more.offsets[1..].iter().map(|&end| base + end));
        self.members.extend_from_slice(&more.members);
        if let (Some(d), Some(extra)) = (self.distances.as_mut(), more.distances.as_ref()) {
            d.extend_from_slice(extra);
        }
        self.arcs_examined += more.arcs_examined;
        Ok(())
    }

    /// Bytes held by the arrays (members, offsets, distances).
    pub fn memory_bytes(&self) -> usize {
        self.members.len() * 4
            + self.offsets.len() * 8
            + self.distances.as_ref().map_or(0, |d| d.len() * 2)
    }
}

/// Reusable per-worker scratch: visited stamps with an epoch counter.
struct Scratch {
    stamp: Vec<u32>,
    epoch: u32,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch { stamp: vec![0; n], epoch: 0 }
    }

    /// Starts a new set: every node counts as unvisited again.
    #[inline]
    fn next_epoch(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.stamp.fill(0);
            self.epoch = 1;
        }
    }

    /// Marks `v`; false if it was already marked in this epoch.
    #[inline]
    fn visit(&mut self, v: NodeId) -> bool {
        let slot = &mut self.stamp[v as usize];
        if *slot == self.epoch {
            false
        } else {
            *slot = self.epoch;
            true
        }
    }
}

/// The output of one block of RR sets, appended in index order.
struct Block {
    members: Vec<NodeId>,
    lengths: Vec<u32>,
    distances: Vec<u16>,
    arcs: u64,
}

/// Draws RR sets on one graph. Holds per-row data derived once from the probabilities.
pub struct RrSampler<'g> {
    n: u32,
    in_offsets: &'g [u64],
    in_sources: &'g [NodeId],
    in_probs: &'g [f64],
    /// IC: `[ln(1 - p), (1 - p)^degree]` when every in-arc of the row has the same `p`
    /// (`ln(1 - p)` is `-inf` for `p = 1` and `0` for `p = 0`), `[NaN, _]` when the row's
    /// probabilities differ. LT: `[1 / max(1, sum of p), _]`, the row's scale.
    row: Vec<[f64; 2]>,
    model: RrModel,
    with_distances: bool,
    /// Roots drawn in proportion to a weight; `None`: uniform roots.
    roots: Option<Alias>,
    pool: Mutex<Vec<Scratch>>,
}

/// Draws node `v` with probability `weight[v] / sum of weights` in O(1): Walker's alias
/// method with Vose's construction (each of `n` columns holds its own node with probability
/// `keep[i]` and `alias[i]` otherwise). Built in a fixed order, so the draws depend only on
/// the random numbers.
struct Alias {
    keep: Vec<f64>,
    alias: Vec<NodeId>,
}

impl Alias {
    /// The table of `weights` (finite, `>= 0`, positive sum).
    fn new(weights: &[f64]) -> Alias {
        let n = weights.len();
        let total: f64 = weights.iter().sum();
        let mut keep: Vec<f64> = weights.iter().map(|w| w * n as f64 / total).collect();
        let mut alias: Vec<NodeId> = (0..n as NodeId).collect();
        let (mut small, mut large): (Vec<NodeId>, Vec<NodeId>) =
            (0..n as NodeId).partition(|&v| keep[v as usize] < 1.0);
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            alias[s as usize] = l;
            keep[l as usize] -= 1.0 - keep[s as usize];
            if keep[l as usize] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // What is left is 1 up to rounding: those columns keep their own node.
        for v in small.into_iter().chain(large) {
            keep[v as usize] = 1.0;
        }
        Alias { keep, alias }
    }

    #[inline]
    fn draw(&self, rng: &mut Rng) -> NodeId {
        let i = rng.below(self.keep.len() as u64) as usize;
        if rng.next_f64() < self.keep[i] { i as NodeId } else { self.alias[i] }
    }
}

impl<'g> RrSampler<'g> {
    /// A sampler for `model` on `graph` with `probs`; `with_distances` records each member's
    /// distance to its root (IC only). Time O(n + m) for the per-row data.
    pub fn new(
        graph: &'g Graph,
        probs: &'g EdgeProbs,
        model: RrModel,
        with_distances: bool,
    ) -> RrSampler<'g> {
        let adjacency = graph.in_adjacency();
        let in_offsets = adjacency.offsets.as_slice();
        let in_probs = probs.in_probs();
        let row_of = |v: usize| &in_probs[in_offsets[v] as usize..in_offsets[v + 1] as usize];
        let wc = probs.spec() == ProbSpec::WeightedCascade;
        let row: Vec<[f64; 2]> = match model {
            RrModel::Ic => (0..graph.node_count())
                .into_par_iter()
                // Rows of one length and probability share their logarithm and power (every
                // row of a degree under weighted cascade, of a length under `uniform:P`): a
                // small cache per task, keyed by the length, skips most `ln` and `exp` calls
                // (building the sampler for Slashdot under weighted cascade: 4.6 -> 3.4 ms at one thread). The values are the same.
                // Under weighted cascade a row's probability is 1 / its length, the value
                // `EdgeProbs` stores, so the row is neither read nor checked (soc-sign-epinions:
                // 3.5 ms at one thread when every row was scanned).
                .map_init(
                    || vec![(u64::MAX, usize::MAX, [0.0; 2]); JUMP_CACHE],
                    |cache, v| {
                        let len = (in_offsets[v + 1] - in_offsets[v]) as usize;
                        let p = match (probs.uniform(), wc) {
                            (Some(p), _) => p,
                            (None, true) if len == 0 => 0.0,
                            (None, true) => 1.0 / len as f64,
                            (None, false) => {
                                let ps = row_of(v);
                                let p = ps.first().copied().unwrap_or(0.0);
                                if ps.iter().any(|&x| x != p) {
                                    return [f64::NAN, f64::NAN];
                                }
                                p
                            }
                        };
                        let slot = &mut cache[len % JUMP_CACHE];
                        if slot.0 != p.to_bits() || slot.1 != len {
                            *slot = (p.to_bits(), len, row_jumps(p, len));
                        }
                        slot.2
                    },
                )
                .collect(),
            RrModel::Lt => (0..graph.node_count())
                .into_par_iter()
                .map(|v| [1.0 / row_of(v).iter().sum::<f64>().max(1.0), 0.0])
                .collect(),
        };
        RrSampler {
            n: graph.node_count() as u32,
            in_offsets,
            in_sources: adjacency.targets.as_slice(),
            in_probs,
            row,
            model,
            with_distances: with_distances && model == RrModel::Ic,
            roots: None,
            pool: Mutex::new(Vec::new()),
        }
    }

    /// This sampler, drawing each RR set's root with probability `weights[v] / W` (`W` the
    /// sum; one finite weight `>= 0` per node, `W > 0`) instead of uniformly. A set `S` then
    /// meets an RR set with probability `sum of w_v P(S activates v) / W`, so `W` times the
    /// fraction met estimates `S`'s weighted reach without bias. Equal weights keep uniform
    /// roots (the same RR sets as without weights).
    pub fn with_root_weights(mut self, weights: &[f64]) -> RrSampler<'g> {
        assert_eq!(weights.len(), self.n as usize, "one root weight per node");
        let first = weights.first().copied().unwrap_or(0.0);
        self.roots = weights.iter().any(|&w| w != first).then(|| Alias::new(weights));
        self
    }

    /// A root: uniform, or by weight ([`RrSampler::with_root_weights`]).
    #[inline]
    fn root(&self, rng: &mut Rng) -> NodeId {
        match &self.roots {
            None => rng.below(self.n as u64) as NodeId,
            Some(alias) => alias.draw(rng),
        }
    }

    /// Whether sets drawn by this sampler carry distances.
    pub fn with_distances(&self) -> bool {
        self.with_distances
    }

    /// Appends RR sets to `sets` until it holds `target` sets; set `i` is drawn from
    /// `Rng::stream(seed, i)`. Does nothing if `sets` already holds `target` or more.
    ///
    /// Panics when the memory for the new sets cannot be allocated; [`RrSampler::try_extend`]
    /// returns an error instead.
    pub fn extend(&self, sets: &mut RrSets, target: usize, seed: u64) {
        if let Err(e) = self.try_extend(sets, target, seed) {
            panic!("cannot hold {target} RR sets: {e}");
        }
    }

    /// [`RrSampler::extend`], failing instead of aborting when the index list of the new sets
    /// or the collection's growth cannot be allocated. On error `sets` is unchanged.
    pub fn try_extend(
        &self,
        sets: &mut RrSets,
        target: usize,
        seed: u64,
    ) -> Result<(), TryReserveError> {
        let start = sets.len();
        self.try_extend_range(sets, start, target.max(start), seed)
    }

    /// Appends sets `lo .. hi` of the sequence drawn from `seed` (set `i` from
    /// `Rng::stream(seed, i)`) to `sets`, whatever it holds: the part of a sample that one
    /// process of a distributed run owns. Sets `lo .. hi` are the same whichever collection
    /// they land in and at any thread count. On error `sets` is unchanged.
    pub fn try_extend_range(
        &self,
        sets: &mut RrSets,
        lo: usize,
        hi: usize,
        seed: u64,
    ) -> Result<(), TryReserveError> {
        self.extend_range_unless(sets, lo, hi, seed, &AtomicBool::new(false)).map(|_| ())
    }

    /// Sets `lo .. hi` of the sequence drawn from `seed` as a collection of their own, for
    /// [`RrSets::append`] to a collection of `lo` sets later; `None` once `stop` is set (checked
    /// between sets, so an abandoned draw ends within one set per thread) or when memory for
    /// the sets cannot be allocated. A draw ahead of need that the need may overtake.
    pub fn draw_ahead(&self, lo: usize, hi: usize, seed: u64, stop: &AtomicBool) -> Option<RrSets> {
        let mut sets = RrSets::new(self.with_distances);
        match self.extend_range_unless(&mut sets, lo, hi, seed, stop) {
            Ok(true) => Some(sets),
            _ => None,
        }
    }

    /// [`RrSampler::try_extend_range`], abandoned (`Ok(false)`, `sets` unchanged) once `stop`
    /// is set.
    fn extend_range_unless(
        &self,
        sets: &mut RrSets,
        lo: usize,
        hi: usize,
        seed: u64,
        stop: &AtomicBool,
    ) -> Result<bool, TryReserveError> {
        assert_eq!(sets.has_distances(), self.with_distances, "distance mode mismatch");
        assert!(lo <= hi, "an RR set range runs forwards");
        let (start, target) = (lo, hi);
        if target <= start || self.n == 0 {
            return Ok(true);
        }
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        ranges.try_reserve_exact((target - start).div_ceil(BLOCK))?;
        ranges.extend((start..target).step_by(BLOCK).map(|lo| (lo, (lo + BLOCK).min(target))));
        let blocks: Option<Vec<Block>> =
            ranges.into_par_iter().map(|(lo, hi)| self.block(lo, hi, seed, stop)).collect();
        let Some(blocks) = blocks else { return Ok(false) };
        let added: usize = blocks.iter().map(|b| b.members.len()).sum();
        sets.members.try_reserve(added)?;
        sets.offsets.try_reserve(target - start)?;
        if let Some(d) = sets.distances.as_mut() {
            d.try_reserve(added)?;
        }
        for block in blocks {
            let mut end = *sets.offsets.last().expect("offsets start with 0");
            for len in block.lengths {
                end += len as u64;
                sets.offsets.push(end);
            }
            sets.members.extend_from_slice(&block.members);
            if let Some(d) = sets.distances.as_mut() {
                d.extend_from_slice(&block.distances);
            }
            sets.arcs_examined += block.arcs;
        }
        Ok(true)
    }

    /// Draws sets `lo .. hi` into one block; `None` once `stop` is set.
    fn block(&self, lo: usize, hi: usize, seed: u64, stop: &AtomicBool) -> Option<Block> {
        let mut scratch = self.pool.lock().map(|mut p| p.pop()).unwrap_or(None);
        let scratch_ref = scratch.get_or_insert_with(|| Scratch::new(self.n as usize));
        let mut block = Block {
            members: Vec::with_capacity((hi - lo) * 2),
            lengths: Vec::with_capacity(hi - lo),
            distances: Vec::new(),
            arcs: 0,
        };
        for i in lo..hi {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let mut rng = Rng::stream(seed, i as u64);
            let before = block.members.len();
            match (self.model, self.with_distances) {
                (RrModel::Ic, false) => self.draw_ic::<false>(&mut rng, scratch_ref, &mut block),
                (RrModel::Ic, true) => self.draw_ic::<true>(&mut rng, scratch_ref, &mut block),
                (RrModel::Lt, _) => self.draw_lt(&mut rng, scratch_ref, &mut block),
            }
            block.lengths.push((block.members.len() - before) as u32);
        }
        if let (Some(s), Ok(mut pool)) = (scratch, self.pool.lock()) {
            pool.push(s);
        }
        (block.lengths.len() == hi - lo).then_some(block)
    }

    /// One IC RR set: reverse breadth-first search over live in-arcs. The block's member list
    /// doubles as the queue.
    #[inline]
    fn draw_ic<const DIST: bool>(&self, rng: &mut Rng, scratch: &mut Scratch, out: &mut Block) {
        scratch.next_epoch();
        let root = self.root(rng);
        let mut head = out.members.len();
        scratch.visit(root);
        out.members.push(root);
        if DIST {
            out.distances.push(0);
        }
        while head < out.members.len() {
            let v = out.members[head];
            let d = if DIST { out.distances[head].saturating_add(1) } else { 0 };
            head += 1;
            let lo = self.in_offsets[v as usize] as usize;
            let hi = self.in_offsets[v as usize + 1] as usize;
            out.arcs += (hi - lo) as u64;
            let [log_fail, none_live] = self.row[v as usize];
            if log_fail.is_nan() {
                for i in lo..hi {
                    if rng.next_f64() < self.in_probs[i] {
                        let u = self.in_sources[i];
                        if scratch.visit(u) {
                            out.members.push(u);
                            if DIST {
                                out.distances.push(d);
                            }
                        }
                    }
                }
            } else if log_fail < 0.0 {
                // Geometric jumps: the number of failed arcs before the next live one is
                // floor(ln U / ln(1 - p)), U uniform in (0, 1]. For p = 1, ln(1 - p) = -inf and
                // every jump is 0. The first jump passes the whole row exactly when
                // U <= (1 - p)^degree, which is tested without a logarithm.
                let mut i = lo;
                let mut u01 = 1.0 - rng.next_f64();
                if u01 <= none_live {
                    continue;
                }
                loop {
                    let skip = u01.ln() / log_fail;
                    if skip >= (hi - i) as f64 {
                        break;
                    }
                    i += skip as usize;
                    let u = self.in_sources[i];
                    if scratch.visit(u) {
                        out.members.push(u);
                        if DIST {
                            out.distances.push(d);
                        }
                    }
                    i += 1;
                    if i >= hi {
                        break;
                    }
                    u01 = 1.0 - rng.next_f64();
                }
            }
            // log_fail == 0: every in-arc has p = 0, nothing is live.
        }
    }

    /// One LT RR set: reverse random walk picking at most one in-neighbour per step.
    #[inline]
    fn draw_lt(&self, rng: &mut Rng, scratch: &mut Scratch, out: &mut Block) {
        scratch.next_epoch();
        let mut v = self.root(rng);
        scratch.visit(v);
        out.members.push(v);
        loop {
            let lo = self.in_offsets[v as usize] as usize;
            let hi = self.in_offsets[v as usize + 1] as usize;
            if lo == hi {
                break;
            }
            let scale = self.row[v as usize][0];
            let draw = rng.next_f64();
            let mut cumulative = 0.0;
            let mut picked = None;
            for i in lo..hi {
                out.arcs += 1;
                cumulative += self.in_probs[i] * scale;
                if draw < cumulative {
                    picked = Some(self.in_sources[i]);
                    break;
                }
            }
            match picked {
                Some(u) if scratch.visit(u) => {
                    out.members.push(u);
                    v = u;
                }
                _ => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clout_graph::from_pairs;

    fn draw(g: &Graph, spec: ProbSpec, model: RrModel, dist: bool, count: usize) -> RrSets {
        let p = EdgeProbs::new(g, spec).unwrap();
        let s = RrSampler::new(g, &p, model, dist);
        let mut sets = RrSets::new(s.with_distances());
        s.extend(&mut sets, count, 7);
        sets
    }

    #[test]
    fn select_rr_sets_follow_in_arcs_and_record_distances() {
        // Chain 0 -> 1 -> 2 with p = 1: the RR set of root 2 is [2, 1, 0] at distances 0, 1, 2.
        let g = from_pairs(3, &[(0, 1), (1, 2)], true);
        let sets = draw(&g, ProbSpec::Uniform(1.0), RrModel::Ic, true, 300);
        let mut seen = [false; 3];
        for i in 0..sets.len() {
            let set = sets.set(i);
            let want: Vec<NodeId> = (0..=set[0]).rev().collect();
            assert_eq!(set, want.as_slice());
            let d: Vec<u16> = (0..set.len() as u16).collect();
            assert_eq!(sets.distances(i).unwrap(), d.as_slice());
            seen[set[0] as usize] = true;
        }
        assert_eq!(seen, [true; 3]);
        assert_eq!(sets.memory_bytes(), sets.total_members() * 6 + 301 * 8);
    }

    #[test]
    fn select_rr_set_ranges_drawn_apart_are_the_whole_sample_set_for_set() {
        // Sets 0..5000 as three ranges in two collections (one process drew 0..1700 and
        // 3300..5000, another 1700..3300): each set equals the one drawn in one piece.
        let g = crate::testing::gnm_graph(300, 3000, 3);
        let p = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
        let s = RrSampler::new(&g, &p, RrModel::Ic, false);
        let mut whole = RrSets::new(false);
        s.extend(&mut whole, 5000, 11);
        let (mut a, mut b) = (RrSets::new(false), RrSets::new(false));
        s.try_extend_range(&mut a, 0, 1700, 11).unwrap();
        s.try_extend_range(&mut b, 1700, 3300, 11).unwrap();
        s.try_extend_range(&mut a, 3300, 5000, 11).unwrap();
        let global = (0..1700).chain(3300..5000).zip(0..a.len());
        for (i, local) in global {
            assert_eq!(a.set(local), whole.set(i), "set {i}");
        }
        for i in 1700..3300 {
            assert_eq!(b.set(i - 1700), whole.set(i), "set {i}");
        }
        assert_eq!(a.arcs_examined() + b.arcs_examined(), whole.arcs_examined());
        // Another seed draws other sets: the comparison above can fail.
        let mut other = RrSets::new(false);
        s.try_extend_range(&mut other, 1700, 3300, 12).unwrap();
        assert_ne!(other.members(), b.members());
    }

    /// The cached row logarithms equal a fresh computation per row, also when rows of
    /// lengths that share a cache slot (1, 1025, 2049) alternate.
    #[test]
    fn select_row_jumps_cached_equal_computed() {
        let mut pairs = Vec::new();
        let mut next = 3u32;
        for len in [1u32, 1025, 1, 2049, 1025, 3, 0, 1] {
            let target = next;
            next += 1;
            for _ in 0..len {
                pairs.push((next, target));
                next += 1;
            }
        }
        let g = clout_graph::from_pairs(next, &pairs, true);
        for spec in [ProbSpec::WeightedCascade, ProbSpec::Uniform(0.2), ProbSpec::Uniform(1.0)] {
            let p = EdgeProbs::new(&g, spec).unwrap();
            let s = RrSampler::new(&g, &p, RrModel::Ic, false);
            for v in 0..g.node_count() {
                let row = p.in_row(&g, v as NodeId);
                let prob = p.uniform().unwrap_or_else(|| row.first().copied().unwrap_or(0.0));
                let want = row_jumps(prob, row.len());
                let got = s.row[v];
                assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "row {v} ({spec:?})");
            }
        }
    }

    #[test]
    fn select_sets_drawn_ahead_and_appended_equal_one_draw() {
        let g = crate::testing::gnm_graph(300, 3000, 4);
        let p = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
        for distances in [false, true] {
            let s = RrSampler::new(&g, &p, RrModel::Ic, distances);
            let mut whole = RrSets::new(distances);
            s.extend(&mut whole, 4000, 9);
            let mut joined = RrSets::new(distances);
            s.extend(&mut joined, 1500, 9);
            let go = AtomicBool::new(false);
            joined.append(s.draw_ahead(1500, 4000, 9, &go).unwrap()).unwrap();
            assert_eq!(joined.members(), whole.members());
            assert_eq!(joined.offsets, whole.offsets);
            assert_eq!(joined.all_distances(), whole.all_distances());
            assert_eq!(joined.arcs_examined(), whole.arcs_examined());
            // A draw told to stop gives nothing.
            assert!(s.draw_ahead(1500, 4000, 9, &AtomicBool::new(true)).is_none());
        }
    }

    #[test]
    fn select_rr_sets_same_at_any_thread_count_and_extend_is_a_prefix() {
        let g = crate::testing::gnm_graph(300, 3000, 3);
        for model in [RrModel::Ic, RrModel::Lt] {
            let p = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
            let s = RrSampler::new(&g, &p, model, false);
            let run = |threads: usize, steps: &[usize]| {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                pool.install(|| {
                    let mut sets = RrSets::new(false);
                    for &t in steps {
                        s.extend(&mut sets, t, 11);
                    }
                    sets
                })
            };
            let one = run(1, &[5000]);
            let two = run(2, &[1234, 3000, 5000]);
            assert_eq!(one.members(), two.members());
            assert_eq!(one.offsets, two.offsets);
            assert_eq!(one.arcs_examined(), two.arcs_examined());
        }
    }

    #[test]
    fn select_geometric_jumps_and_per_arc_coins_agree_with_the_closed_form() {
        // A star of 40 in-arcs into node 0. Uniform p = 0.1 takes the geometric-jump path;
        // weights alternating 0.05 / 0.15 (`weight` spec) take the per-arc path. Both give a
        // centre-rooted RR set of mean size 1 + 40 * 0.1 = 5 (variance 40 * 0.09 = 3.6 resp.
        // 20 * (0.0475 + 0.1275) = 3.5). With 40,000 sets about 976 are centre-rooted, so the
        // mean has sd ~ 0.06; the tolerance 0.35 is ~6 sd.
        let pairs: Vec<(NodeId, NodeId)> = (1..=40).map(|u| (u, 0)).collect();
        let mut edges = clout_graph::EdgeList::from_pairs(41, &pairs);
        edges.weights = Some((0..40).map(|i| if i % 2 == 0 { 0.05 } else { 0.15 }).collect());
        let cfg = clout_graph::BuildConfig::default();
        let weighted = clout_graph::build(edges, &cfg, clout_graph::GraphInfo::default()).unwrap();
        let plain = from_pairs(41, &pairs, true);
        for (g, spec) in [(&plain, ProbSpec::Uniform(0.1)), (&weighted, ProbSpec::Weight)] {
            let sets = draw(g, spec, RrModel::Ic, false, 40_000);
            let centre: Vec<usize> = (0..sets.len())
                .filter(|&i| sets.set(i)[0] == 0)
                .map(|i| sets.set(i).len())
                .collect();
            let m = centre.iter().sum::<usize>() as f64 / centre.len() as f64;
            assert!((m - 5.0).abs() < 0.35, "{spec}: centre mean {m}");
            // Leaves have no in-arcs: their sets are just the root.
            assert!((0..sets.len()).all(|i| sets.set(i)[0] == 0 || sets.set(i).len() == 1));
        }
    }

    #[test]
    fn select_lt_walk_picks_one_in_neighbour() {
        // Weighted cascade on 1 -> 0, 2 -> 0: node 0 always picks exactly one of 1, 2.
        let g = from_pairs(3, &[(1, 0), (2, 0)], true);
        let sets = draw(&g, ProbSpec::WeightedCascade, RrModel::Lt, false, 3000);
        let mut picks = [0usize; 3];
        for i in 0..sets.len() {
            let set = sets.set(i);
            if set[0] == 0 {
                assert_eq!(set.len(), 2);
                picks[set[1] as usize] += 1;
            } else {
                assert_eq!(set.len(), 1);
            }
        }
        // ~1000 centre roots split evenly: each count has sd ~ 16.
        assert!(picks[1].abs_diff(picks[2]) < 150, "{picks:?}");
    }
}
