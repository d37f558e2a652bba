//! The node -> RR-set inverted index the greedy needs, built by counting sort (count, prefix
//! sum, scatter; no hashing) and grown incrementally as the RR collection grows.

use clout_graph::NodeId;
use rayon::prelude::*;

use super::rr::RrSets;

/// [`Index::extend`] indexes the whole collection again, instead of merging the new sets in,
/// while it holds at most this many members per node.
const REBUILD_MEMBERS_PER_NODE: usize = 2;

/// For each node, the RR sets that contain it (and its distance to their roots, for IC-N).
pub struct Index {
    offsets: Vec<u64>,
    sets: Vec<u32>,
    distances: Option<Vec<u16>>,
    /// Sets `0 .. indexed` of the collection are indexed.
    indexed: usize,
    /// The offsets array the last merge replaced, kept to receive the next merge's offsets:
    /// a fresh array of `n + 1` words is faulted in page by page (on soc-sign-epinions a
    /// quarter of a merge's time, 2026-12-07).
    spare: Vec<u64>,
}

/// Splits `data` into one slice per node range `bounds[i] .. bounds[i + 1]` of a CSR array
/// with `offsets`.
fn split_rows<'a, T>(mut data: &'a mut [T], offsets: &[u64], bounds: &[usize]) -> Vec<&'a mut [T]> {
    let mut out = Vec::with_capacity(bounds.len());
    for w in bounds.windows(2) {
        let (head, tail) = data.split_at_mut((offsets[w[1]] - offsets[w[0]]) as usize);
        out.push(head);
        data = tail;
    }
    out
}

/// The index of one contiguous run of sets, built sequentially by counting sort.
struct Run {
    offsets: Vec<u64>,
    sets: Vec<u32>,
    distances: Option<Vec<u16>>,
}

/// A borrowed index (a [`Run`] or a whole [`Index`]), as [`merged`] reads it.
struct Lists<'a> {
    offsets: &'a [u64],
    sets: &'a [u32],
    distances: Option<&'a [u16]>,
}

impl Run {
    fn lists(&self) -> Lists<'_> {
        Lists { offsets: &self.offsets, sets: &self.sets, distances: self.distances.as_deref() }
    }

    /// Indexes sets `a .. b` of `rr` over `n` nodes, numbering set `i` as `base + i`.
    fn build(rr: &RrSets, n: usize, a: usize, b: usize, base: usize) -> Run {
        Run::build_parts(&[(rr, a, b, base)], n)
    }

    /// Indexes several stretches of sets `(rr, a, b, base)` as one run, in the order given.
    fn build_parts(parts: &[(&RrSets, usize, usize, usize)], n: usize) -> Run {
        fn members_of<'r>(&(rr, a, b, _): &(&'r RrSets, usize, usize, usize)) -> &'r [NodeId] {
            &rr.members()[rr.set_offset(a)..rr.set_offset(b)]
        }
        let total: usize = parts.iter().map(|p| members_of(p).len()).sum();
        // Counts two places ahead, so that after the prefix sum `offsets[v + 1]` is where
        // `v`'s list starts and serves as its write cursor; once every member is written it is
        // where the list ends, which makes `offsets[..=n]` the index's offsets (no cursor
        // array: one pass and one allocation of n words fewer per run).
        let mut offsets = vec![0u64; n + 2];
        for part in parts {
            for &v in members_of(part) {
                offsets[v as usize + 2] += 1;
            }
        }
        for v in 2..=n + 1 {
            offsets[v] += offsets[v - 1];
        }
        let mut sets = vec![0u32; total];
        let with_distances = parts.first().is_some_and(|(rr, ..)| rr.has_distances());
        let mut distances = with_distances.then(|| vec![0u16; total]);
        for &(rr, a, b, base) in parts {
            for i in a..b {
                let d = rr.distances(i);
                for (j, &v) in rr.set(i).iter().enumerate() {
                    let at = offsets[v as usize + 1] as usize;
                    offsets[v as usize + 1] += 1;
                    sets[at] = (base + i) as u32;
                    if let (Some(out), Some(d)) = (distances.as_mut(), d) {
                        out[at] = d[j];
                    }
                }
            }
        }
        offsets.truncate(n + 1);
        Run { offsets, sets, distances }
    }
}

impl Index {
    /// Builds the index of `rr` over `n` nodes. See [`Index::extend`].
    pub fn build(rr: &RrSets, n: usize) -> Index {
        let mut index = Index {
            offsets: vec![0; n + 1],
            sets: Vec::new(),
            distances: rr.all_distances().map(|_| Vec::new()),
            indexed: 0,
            spare: Vec::new(),
        };
        index.extend(rr);
        index
    }

    /// Indexes the sets appended to `rr` since the last call (`rr` must have only grown).
    ///
    /// The new sets are cut into one contiguous run per worker thread; each run is indexed on
    /// its own by counting sort (count, prefix sum, scatter: every member is written once, at
    /// a random place), then the old index and the runs are merged node by node with streaming
    /// copies, in parallel over node ranges. So every set pays for the random writes once,
    /// however often the collection grows. Every node's list holds its sets in ascending
    /// order, so the index is the same at any thread count.
    /// Time O(n + new members) per run plus O(n + total members) for the merge. While the
    /// collection holds at most [`REBUILD_MEMBERS_PER_NODE`] members per node it is instead
    /// indexed again whole, O(n + total members) with no merge: on a large graph both pay the
    /// O(n) pass anyway, and the merge's per-node copies are saved.
    pub fn extend(&mut self, rr: &RrSets) {
        assert!(rr.len() <= u32::MAX as usize, "more than 2^32 RR sets");
        assert!(self.indexed <= rr.len(), "the collection shrank since it was indexed");
        let (mut from, to) = (self.indexed, rr.len());
        if from == to {
            return;
        }
        // A small collection is indexed again from scratch: its O(n) counting sort costs what
        // indexing only the new sets does, and no merge follows (soc-sign-epinions, OPIM's
        // rounds: 71,000 members at most against 131,828 nodes; a merge took 1.2-1.5 ms).
        let n = self.offsets.len() - 1;
        if rr.set_offset(to) <= REBUILD_MEMBERS_PER_NODE * n {
            from = 0;
        }
        let fresh = self.runs(rr, from, to, 0);
        if from == 0 && fresh.len() == 1 {
            let run = fresh.into_iter().next().expect("one run");
            self.offsets = run.offsets;
            self.sets = run.sets;
            self.distances = run.distances;
        } else if from == 0 {
            let lists: Vec<Lists> = fresh.iter().map(Run::lists).collect();
            let replaced = std::mem::take(&mut self.offsets);
            (self.offsets, self.sets, self.distances) =
                merged(&lists, std::mem::take(&mut self.spare));
            self.spare = replaced;
        } else {
            let old = Run {
                offsets: std::mem::take(&mut self.offsets),
                sets: std::mem::take(&mut self.sets),
                distances: self.distances.take(),
            };
            let lists: Vec<Lists> =
                std::iter::once(old.lists()).chain(fresh.iter().map(Run::lists)).collect();
            (self.offsets, self.sets, self.distances) =
                merged(&lists, std::mem::take(&mut self.spare));
            drop(lists);
            self.spare = old.offsets;
        }
        self.indexed = to;
    }

    /// A new index of the sets indexed here, `rr`, followed by `more`, the sets that come next
    /// in the same sequence (as [`RrSets::append`] joins them), leaving this one as it is: what
    /// [`Index::extend`] gives once `more` is appended, built while this index is still in use.
    pub(crate) fn extended(&self, rr: &RrSets, more: &RrSets) -> Index {
        assert!(self.indexed + more.len() <= u32::MAX as usize, "more than 2^32 RR sets");
        assert_eq!(rr.len(), self.indexed, "extended from the collection indexed");
        let n = self.offsets.len() - 1;
        // Small, as in `extend`: indexed again from scratch, in one sequential run.
        if rr.total_members() + more.total_members() <= REBUILD_MEMBERS_PER_NODE * n {
            let parts = [(rr, 0, rr.len(), 0), (more, 0, more.len(), rr.len())];
            let Run { offsets, sets, distances } = Run::build_parts(&parts, n);
            let indexed = self.indexed + more.len();
            return Index { offsets, sets, distances, indexed, spare: Vec::new() };
        }
        let fresh = self.runs(more, 0, more.len(), self.indexed);
        let own = Lists {
            offsets: &self.offsets,
            sets: &self.sets,
            distances: self.distances.as_deref(),
        };
        let lists: Vec<Lists> = std::iter::once(own).chain(fresh.iter().map(Run::lists)).collect();
        let (offsets, sets, distances) = merged(&lists, Vec::new());
        Index { offsets, sets, distances, indexed: self.indexed + more.len(), spare: Vec::new() }
    }

    /// Sets `from .. to` of `rr` (set `i` numbered `base + i`) cut into runs, each indexed by
    /// counting sort: one per worker thread, but no more than one per `n` members, since a run
    /// costs O(n) besides its members (Slashdot, OPIM's first round of 2,000 sets: one run and
    /// no merge, 1.0 ms, against 2.3 ms for two runs and their merge at two threads).
    fn runs(&self, rr: &RrSets, from: usize, to: usize, base: usize) -> Vec<Run> {
        let n = self.offsets.len() - 1;
        let members = rr.set_offset(to) - rr.set_offset(from);
        let threads = rayon::current_num_threads().min(members / n.max(1)).max(1);
        let runs: Vec<(usize, usize)> = (0..threads)
            .map(|t| (from + (to - from) * t / threads, from + (to - from) * (t + 1) / threads))
            .filter(|(a, b)| a < b)
            .collect();
        runs.into_par_iter().map(|(a, b)| Run::build(rr, n, a, b, base)).collect()
    }

    /// The RR sets containing `v`.
    #[inline]
    pub fn sets_of(&self, v: NodeId) -> &[u32] {
        &self.sets[self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize]
    }

    /// `v`'s distances to the roots of [`Index::sets_of`] (IC-N only).
    #[inline]
    pub(crate) fn distances_of(&self, v: NodeId) -> &[u16] {
        let d = self.distances.as_ref().expect("index built with distances");
        &d[self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize]
    }

    /// Number of RR sets containing `v`.
    #[inline]
    pub fn count(&self, v: NodeId) -> usize {
        (self.offsets[v as usize + 1] - self.offsets[v as usize]) as usize
    }

    /// Bytes held by the index, counting the spare offsets array as held whether or not this
    /// index has one yet (an index grown once keeps one; one built ahead does not until it is
    /// grown), so that the figure does not depend on the thread count.
    pub fn memory_bytes(&self) -> usize {
        self.offsets.len() * 2 * 8
            + self.sets.len() * 4
            + self.distances.as_ref().map_or(0, |d| d.len() * 2)
    }
}

/// The arrays of an index: offsets, sets, distances.
type Merged = (Vec<u64>, Vec<u32>, Option<Vec<u16>>);

/// The index holding, for every node, the sets of `lists[0]`, then of `lists[1]`, and so on:
/// streaming copies, in parallel over node ranges. The offsets are written into `buffer`.
fn merged(lists: &[Lists], buffer: Vec<u64>) -> Merged {
    let n = lists[0].offsets.len() - 1;
    let mut offsets = buffer;
    offsets.clear();
    offsets.resize(n + 1, 0);
    offsets
        .par_iter_mut()
        .enumerate()
        .for_each(|(v, o)| *o = lists.iter().map(|r| r.offsets[v]).sum::<u64>());
    let total = offsets[n] as usize;
    let parts = rayon::current_num_threads().clamp(1, n.max(1));
    let bounds: Vec<usize> = (0..=parts).map(|i| i * n / parts).collect();
    let mut sets = vec![0u32; total];
    let mut distances = lists[0].distances.map(|_| vec![0u16; total]);
    let set_parts = split_rows(&mut sets, &offsets, &bounds);
    let dist_parts: Vec<Option<&mut [u16]>> = match distances.as_deref_mut() {
        Some(d) => split_rows(d, &offsets, &bounds).into_iter().map(Some).collect(),
        None => (0..parts).map(|_| None).collect(),
    };
    set_parts.into_par_iter().zip(dist_parts).enumerate().for_each(|(p, (out, mut dist))| {
        let mut at = 0;
        for v in bounds[p]..bounds[p + 1] {
            for run in lists {
                let range = run.offsets[v] as usize..run.offsets[v + 1] as usize;
                let len = range.len();
                if len == 0 {
                    continue; // most nodes of a large graph are in no RR set
                }
                out[at..at + len].copy_from_slice(&run.sets[range.clone()]);
                if let (Some(d_out), Some(d)) = (dist.as_deref_mut(), run.distances) {
                    d_out[at..at + len].copy_from_slice(&d[range]);
                }
                at += len;
            }
        }
    });
    (offsets, sets, distances)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prob::{EdgeProbs, ProbSpec};
    use crate::select::rr::{RrModel, RrSampler};

    #[test]
    fn select_index_extended_by_sets_drawn_ahead_equals_extend() {
        // Merged (many members per node), then indexed again from scratch (few).
        for (n, before, after, small) in [(400, 900, 2500, false), (4000, 60, 200, true)] {
            let g = crate::testing::gnm_graph(n, 10 * n as usize, 5);
            let p = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
            let s = RrSampler::new(&g, &p, RrModel::Ic, true);
            let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
            pool.install(|| {
                let mut rr = RrSets::new(true);
                s.extend(&mut rr, before, 7);
                let index = Index::build(&rr, n as usize);
                let stop = std::sync::atomic::AtomicBool::new(false);
                let more = s.draw_ahead(before, after, 7, &stop).unwrap();
                let members = rr.total_members() + more.total_members();
                assert_eq!(members <= REBUILD_MEMBERS_PER_NODE * n as usize, small);
                let ahead = index.extended(&rr, &more);
                rr.append(more).unwrap();
                let mut grown = index;
                grown.extend(&rr);
                assert_eq!(ahead.indexed, after);
                assert_eq!(ahead.offsets, grown.offsets);
                assert_eq!(ahead.sets, grown.sets);
                assert_eq!(ahead.distances, grown.distances);
                assert_eq!(ahead.memory_bytes(), grown.memory_bytes());
            });
        }
    }

    #[test]
    fn select_index_rebuilt_while_small_then_merged_equals_one_build() {
        // 3,000 nodes: the first steps stay under two members per node (indexed again from
        // scratch), the last ones go past it (merged); at 1 and 3 threads.
        let g = crate::testing::gnm_graph(3000, 12000, 6);
        let p = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
        let s = RrSampler::new(&g, &p, RrModel::Ic, false);
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let mut rr = RrSets::new(false);
                let mut index = Index::build(&rr, 3000);
                let mut paths = (0, 0);
                for t in [20, 60, 150, 3000, 6000, 9000] {
                    s.extend(&mut rr, t, 11);
                    let small = rr.total_members() <= REBUILD_MEMBERS_PER_NODE * 3000;
                    if small {
                        paths.0 += 1
                    } else {
                        paths.1 += 1
                    }
                    index.extend(&rr);
                    let whole = Index::build(&rr, 3000);
                    assert_eq!(index.offsets, whole.offsets, "{t} sets, {threads} threads");
                    assert_eq!(index.sets, whole.sets, "{t} sets, {threads} threads");
                    assert_eq!(index.memory_bytes(), whole.memory_bytes());
                }
                assert!(paths.0 >= 2 && paths.1 >= 2, "both paths taken: {paths:?}");
            });
        }
    }

    #[test]
    fn select_index_grown_in_steps_equals_one_build_at_any_thread_count() {
        let g = crate::testing::gnm_graph(500, 5000, 2);
        let p = EdgeProbs::new(&g, ProbSpec::WeightedCascade).unwrap();
        let s = RrSampler::new(&g, &p, RrModel::Ic, true);
        let mut rr = RrSets::new(true);
        let run = |threads: usize, rr: &mut RrSets, steps: &[usize]| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let mut index = Index::build(rr, 500);
                for &t in steps {
                    s.extend(rr, t, 3);
                    index.extend(rr);
                }
                index
            })
        };
        let grown = run(3, &mut rr, &[700, 2000, 2001, 6000]);
        let whole = run(1, &mut RrSets::new(true), &[6000]);
        assert_eq!(grown.offsets, whole.offsets);
        assert_eq!(grown.sets, whole.sets);
        assert_eq!(grown.distances, whole.distances);
        // Every node's list is ascending and points at sets that contain it.
        for v in 0..500 {
            let sets = grown.sets_of(v);
            assert!(sets.windows(2).all(|w| w[0] < w[1]));
            for (&r, &d) in sets.iter().zip(grown.distances_of(v)) {
                let at = rr.set(r as usize).iter().position(|&w| w == v).unwrap();
                assert_eq!(rr.distances(r as usize).unwrap()[at], d);
            }
        }
    }
}
