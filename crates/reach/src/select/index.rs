//! The node -> RR-set inverted index the greedy needs, built by counting sort (count, prefix
//! sum, scatter; no hashing) and grown incrementally as the RR collection grows.

use clout_graph::NodeId;
use rayon::prelude::*;

use super::rr::RrSets;

/// For each node, the RR sets that contain it (and its distance to their roots, for IC-N).
pub struct Index {
    offsets: Vec<u64>,
    sets: Vec<u32>,
    distances: Option<Vec<u16>>,
    /// Sets `0 .. indexed` of the collection are indexed.
    indexed: usize,
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

impl Index {
    /// Builds the index of `rr` over `n` nodes. See [`Index::extend`].
    pub fn build(rr: &RrSets, n: usize) -> Index {
        let mut index = Index {
            offsets: vec![0; n + 1],
            sets: Vec::new(),
            distances: rr.all_distances().map(|_| Vec::new()),
            indexed: 0,
        };
        index.extend(rr);
        index
    }

    /// Indexes the sets appended to `rr` since the last call (`rr` must have only grown).
    /// The new sets are indexed by counting sort (count, prefix sum, scatter) and merged into
    /// the old index by a streaming copy, so every set pays for the random writes once however
    /// often the collection grows. Nodes are split into one range per worker thread; each
    /// part scans the new sets and keeps the members in its range (the random writes, the
    /// costly part, are divided between threads). Every node's list holds its sets in
    /// ascending order, so the index is the same at any thread count.
    /// Time O(n + new members) per part plus O(n + total) for the merge.
    pub fn extend(&mut self, rr: &RrSets) {
        assert!(rr.len() <= u32::MAX as usize, "more than 2^32 RR sets");
        assert!(self.indexed <= rr.len(), "the collection shrank since it was indexed");
        let (from, to) = (self.indexed, rr.len());
        if from == to {
            return;
        }
        let n = self.offsets.len() - 1;
        let parts = rayon::current_num_threads().clamp(1, n.max(1));
        let bounds: Vec<usize> = (0..=parts).map(|i| i * n / parts).collect();
        let first = rr.set_offset(from);
        let new_members = &rr.members()[first..];
        // Counts of the new sets per node, each part filling its own node range.
        let mut counts = vec![0u64; n + 1];
        let mut count_parts: Vec<(usize, &mut [u64])> = Vec::with_capacity(parts);
        let mut rest = &mut counts[1..];
        for w in bounds.windows(2) {
            let (head, tail) = rest.split_at_mut(w[1] - w[0]);
            count_parts.push((w[0], head));
            rest = tail;
        }
        count_parts.into_par_iter().for_each(|(lo, part)| {
            let hi = lo + part.len();
            for &v in new_members {
                let v = v as usize;
                if v >= lo && v < hi {
                    part[v - lo] += 1;
                }
            }
        });
        for v in 0..n {
            counts[v + 1] += counts[v];
        }
        let fresh_offsets = counts;
        // Scatter the new sets: each part owns the rows of its node range.
        let total = new_members.len();
        let mut sets = vec![0u32; total];
        let mut distances = self.distances.as_ref().map(|_| vec![0u16; total]);
        let set_parts = split_rows(&mut sets, &fresh_offsets, &bounds);
        let dist_parts: Vec<Option<&mut [u16]>> = match distances.as_deref_mut() {
            Some(d) => split_rows(d, &fresh_offsets, &bounds).into_iter().map(Some).collect(),
            None => (0..parts).map(|_| None).collect(),
        };
        let offsets_ref = &fresh_offsets;
        set_parts.into_par_iter().zip(dist_parts).enumerate().for_each(|(p, (out, mut dist))| {
            let (lo, hi) = (bounds[p], bounds[p + 1]);
            let base = offsets_ref[lo];
            let mut cursor: Vec<usize> =
                (lo..hi).map(|v| (offsets_ref[v] - base) as usize).collect();
            for i in from..to {
                let d = rr.distances(i);
                for (j, &v) in rr.set(i).iter().enumerate() {
                    let v = v as usize;
                    if v >= lo && v < hi {
                        let at = cursor[v - lo];
                        cursor[v - lo] += 1;
                        out[at] = i as u32;
                        if let (Some(d_out), Some(d)) = (dist.as_deref_mut(), d) {
                            d_out[at] = d[j];
                        }
                    }
                }
            }
        });
        if from == 0 {
            self.offsets = fresh_offsets;
            self.sets = sets;
            self.distances = distances;
        } else {
            self.merge(&bounds, &fresh_offsets, &sets, distances.as_deref());
        }
        self.indexed = to;
    }

    /// Appends each node's new sets (`new_offsets` / `new_sets`) after its old ones.
    fn merge(
        &mut self,
        bounds: &[usize],
        new_offsets: &[u64],
        new_sets: &[u32],
        new_distances: Option<&[u16]>,
    ) {
        let n = self.offsets.len() - 1;
        let offsets: Vec<u64> = (0..=n).map(|v| self.offsets[v] + new_offsets[v]).collect();
        let total = offsets[n] as usize;
        let mut sets = vec![0u32; total];
        let mut distances = self.distances.as_ref().map(|_| vec![0u16; total]);
        let set_parts = split_rows(&mut sets, &offsets, bounds);
        let dist_parts: Vec<Option<&mut [u16]>> = match distances.as_deref_mut() {
            Some(d) => split_rows(d, &offsets, bounds).into_iter().map(Some).collect(),
            None => (0..bounds.len() - 1).map(|_| None).collect(),
        };
        let (old_offsets, old_sets, old_distances) =
            (&self.offsets, &self.sets, self.distances.as_deref());
        set_parts.into_par_iter().zip(dist_parts).enumerate().for_each(|(p, (out, dist))| {
            let mut at = 0;
            let mut dist = dist;
            for v in bounds[p]..bounds[p + 1] {
                let old = old_offsets[v] as usize..old_offsets[v + 1] as usize;
                let new = new_offsets[v] as usize..new_offsets[v + 1] as usize;
                let (a, b) = (old.len(), new.len());
                out[at..at + a].copy_from_slice(&old_sets[old.clone()]);
                out[at + a..at + a + b].copy_from_slice(&new_sets[new.clone()]);
                if let (Some(d_out), Some(od), Some(nd)) =
                    (dist.as_deref_mut(), old_distances, new_distances)
                {
                    d_out[at..at + a].copy_from_slice(&od[old]);
                    d_out[at + a..at + a + b].copy_from_slice(&nd[new]);
                }
                at += a + b;
            }
        });
        self.offsets = offsets;
        self.sets = sets;
        self.distances = distances;
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

    /// Bytes held by the index.
    pub fn memory_bytes(&self) -> usize {
        self.offsets.len() * 8
            + self.sets.len() * 4
            + self.distances.as_ref().map_or(0, |d| d.len() * 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prob::{EdgeProbs, ProbSpec};
    use crate::select::rr::{RrModel, RrSampler};

    #[test]
    fn select_index_grown_in_steps_equals_one_build_at_any_thread_count() {
        let edges = clout_graph::generate::gnm(500, 5000, 2).unwrap();
        let cfg = clout_graph::BuildConfig::default();
        let g = clout_graph::build(edges, &cfg, clout_graph::GraphInfo::default()).unwrap();
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
