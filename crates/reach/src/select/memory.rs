//! Keeping the RR sets of IMM and OPIM within a memory limit ([`SelectConfig::memory_limit`]).
//!
//! The number of RR sets a method needs is only known as it runs (IMM's sample size depends
//! on its estimate of the optimum) and their size is random, so the limit is enforced as the
//! sample grows: before growing a sample to `target` sets, the bytes it will hold are
//! projected from the mean size of the sets drawn so far (a root and an offset, 12 bytes,
//! before any is drawn), together with its inverted index when it will have one (counted twice:
//! growing the index copies it) and with what the method already holds; a projection above the limit fails at once with
//! [`SelectError::MemoryLimit`]. The sets are then drawn in chunks, the actual bytes checked
//! after each, so an underestimated mean cannot run far past the limit either. Appending is
//! fallible: memory that cannot be had is the same error, never an abort.
//!
//! [`SelectConfig::memory_limit`]: super::SelectConfig::memory_limit

use super::SelectError;
use super::rr::{RrSampler, RrSets};

/// Bytes of one set before any is drawn: its offset (8) and its root (4).
const MIN_SET_BYTES: u64 = 12;
/// Sets drawn per chunk at least (the sampler's parallel block), and at most.
const MIN_CHUNK: usize = 1024;
const MAX_CHUNK: usize = 1 << 18;
/// The most RR sets one sample may hold: the inverted index numbers sets with `u32`.
pub const MAX_SETS: usize = u32::MAX as usize;

/// The memory limit of one method run on a graph of `n` nodes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RrMemory {
    /// Bytes the method's RR sets and indexes may hold at once; `None`: no limit.
    pub limit: Option<u64>,
    /// Nodes of the graph (the inverted index has `n + 1` offsets).
    pub n: usize,
}

/// Whether a sample will be inverted into an index (which repeats each member).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Indexed {
    /// The greedy runs on it: an inverted index mirrors every member.
    Yes,
    /// Only its coverage is counted.
    No,
}

impl RrMemory {
    /// Bytes `sets` will hold once grown to `target` sets, from its mean set size so far, plus
    /// its inverted index when `indexed` (saturating).
    pub fn projected(&self, sets: &RrSets, target: usize, indexed: Indexed) -> u64 {
        let len = sets.len() as u64;
        let held = sets.memory_bytes() as u64;
        let per_set = if len == 0 {
            MIN_SET_BYTES + if sets.has_distances() { 2 } else { 0 }
        } else {
            held.div_ceil(len).max(MIN_SET_BYTES)
        };
        let more = (target as u64).saturating_sub(len);
        let bytes = held.saturating_add(more.saturating_mul(per_set));
        match indexed {
            Indexed::No => bytes,
            // The index repeats every member (and distance) and adds an offset per node;
            // growing it merges the old index and the new runs into a fresh copy (twice its
            // size at the peak), and the greedy then keeps up to 8 bytes per set.
            Indexed::Yes => {
                let members = bytes.saturating_sub((target as u64).saturating_mul(8));
                let index = members.saturating_add((self.n as u64 + 1) * 8);
                let greedy = (target as u64).saturating_mul(8);
                bytes.saturating_add(index).saturating_add(index.max(greedy))
            }
        }
    }

    /// Fails when `other` bytes plus `sets` grown to `target` exceed the limit, or `target`
    /// exceeds [`MAX_SETS`].
    pub fn check(
        &self,
        other: u64,
        sets: &RrSets,
        target: usize,
        indexed: Indexed,
    ) -> Result<(), SelectError> {
        let needed = other.saturating_add(self.projected(sets, target, indexed));
        match self.limit {
            Some(limit) if needed > limit => {
                Err(SelectError::MemoryLimit { needed, limit: Some(limit), sets: target })
            }
            _ if target > MAX_SETS => Err(SelectError::TooManySets { sets: target }),
            _ => Ok(()),
        }
    }

    /// Whether `sets` may be grown to `target` before it is needed ([`RrSampler::draw_ahead`]):
    /// no limit, or `other` plus the projection within a quarter of it, so that the checks
    /// [`RrMemory::grow`] would make when the sets are needed pass as well.
    pub fn roomy(&self, other: u64, sets: &RrSets, target: usize, indexed: Indexed) -> bool {
        let needed = other.saturating_add(self.projected(sets, target, indexed));
        target <= MAX_SETS && self.limit.is_none_or(|limit| needed <= limit / 4)
    }

    /// Appends `more` (drawn ahead, [`RrSampler::draw_ahead`]) to `sets` to make `target`
    /// sets: the check [`RrMemory::grow`] makes before drawing them, and its error when the
    /// memory cannot be allocated.
    pub fn append(
        &self,
        sets: &mut RrSets,
        more: RrSets,
        target: usize,
        other: u64,
        indexed: Indexed,
    ) -> Result<(), SelectError> {
        self.check(other, sets, target, indexed)?;
        let needed = other.saturating_add(self.projected(sets, target, indexed));
        sets.append(more).map_err(|_| SelectError::MemoryLimit {
            needed,
            limit: None,
            sets: target,
        })
    }

    /// Grows `sets` to `target` sets drawn from `seed` (as [`RrSampler::extend`] does), checking
    /// the limit before and while it grows; `other` is what the method holds besides.
    pub fn grow(
        &self,
        sampler: &RrSampler<'_>,
        sets: &mut RrSets,
        target: usize,
        seed: u64,
        other: u64,
        indexed: Indexed,
    ) -> Result<(), SelectError> {
        while sets.len() < target {
            self.check(other, sets, target, indexed)?;
            let end = sets.len().saturating_add(self.chunk(sets, other, indexed)).min(target);
            let before = self.projected(sets, end, indexed);
            sampler.try_extend(sets, end, seed).map_err(|_| SelectError::MemoryLimit {
                needed: other.saturating_add(before),
                limit: None,
                sets: end,
            })?;
        }
        Ok(())
    }

    /// Sets to draw in the next chunk: about a quarter of what the limit leaves (so a chunk
    /// of unusually large sets overshoots little), within `MIN_CHUNK ..= MAX_CHUNK`, and at
    /// least one sampler block per worker thread.
    fn chunk(&self, sets: &RrSets, other: u64, indexed: Indexed) -> usize {
        let Some(limit) = self.limit else { return usize::MAX };
        let held = other.saturating_add(self.projected(sets, sets.len(), indexed));
        let per_set = self.projected(sets, sets.len() + 1, indexed).saturating_sub(self.projected(
            sets,
            sets.len(),
            indexed,
        ));
        let fits = (limit.saturating_sub(held) / 4 / per_set.max(1)).min(MAX_CHUNK as u64);
        let floor = MIN_CHUNK.saturating_mul(rayon::current_num_threads()).min(MAX_CHUNK);
        (fits as usize).max(floor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prob::{EdgeProbs, ProbSpec};
    use crate::select::rr::RrModel;

    #[test]
    fn select_rr_growth_stops_at_the_limit_with_an_error() {
        // A path 0 -> 1 -> ... -> 99 with p = 1: the RR set of root r is {0, ..., r}, about
        // 50 members (200 bytes) on average.
        let pairs: Vec<(u32, u32)> = (0..99).map(|v| (v, v + 1)).collect();
        let g = clout_graph::from_pairs(100, &pairs, true);
        let probs = EdgeProbs::new(&g, ProbSpec::Uniform(1.0)).unwrap();
        let sampler = RrSampler::new(&g, &probs, RrModel::Ic, false);
        let memory = RrMemory { limit: Some(1 << 20), n: 100 };
        let mut sets = RrSets::new(false);
        // 1,000 sets (about 200 KB with the index) fit in 1 MiB.
        memory.grow(&sampler, &mut sets, 1000, 7, 0, Indexed::Yes).unwrap();
        assert_eq!(sets.len(), 1000);
        // A million would need about 400 MB: refused from the projection, nothing drawn.
        let err = memory.grow(&sampler, &mut sets, 1_000_000, 7, 0, Indexed::Yes).unwrap_err();
        assert!(matches!(err, SelectError::MemoryLimit { limit: Some(_), .. }), "{err}");
        assert_eq!(sets.len(), 1000);
        // More sets than the index can number is refused whatever the limit.
        let unlimited = RrMemory { limit: None, n: 100 };
        let err = unlimited.check(0, &sets, usize::MAX, Indexed::No).unwrap_err();
        assert_eq!(err, SelectError::TooManySets { sets: usize::MAX });
    }

    #[test]
    fn select_absurd_sample_sizes_fail_with_a_typed_error_not_an_abort() {
        use crate::model::Model;
        use crate::select::{SelectConfig, celf, imm, opim};
        let pairs: Vec<(u32, u32)> = (1..10).map(|v| (0, v)).collect();
        let g = clout_graph::from_pairs(10, &pairs, true);
        let p = EdgeProbs::new(&g, ProbSpec::Uniform(0.5)).unwrap();
        let limited = SelectConfig { k: 2, memory_limit: Some(1 << 26), ..Default::default() };
        let tiny_epsilon = SelectConfig { epsilon: 1e-300, ..limited.clone() };
        let refused = |r: Result<_, SelectError>| match r {
            Err(SelectError::MemoryLimit { limit: Some(_), .. }) => {}
            other => panic!("expected a memory-limit error, got {other:?}"),
        };
        refused(imm(&g, &p, &tiny_epsilon));
        refused(opim(&g, &p, &tiny_epsilon));
        let tiny_quality = SelectConfig { model: Model::IcN, quality: 1e-300, ..limited.clone() };
        refused(imm(&g, &p, &tiny_quality));
        refused(celf(&g, &p, &SelectConfig { celf_trials: usize::MAX, ..limited.clone() }));
        // Without a limit the sample size itself is refused, before any allocation.
        let unlimited = SelectConfig { memory_limit: None, ..tiny_epsilon };
        assert!(matches!(imm(&g, &p, &unlimited), Err(SelectError::TooManySets { .. })));
        // And CELF's simulations fail to reserve their per-trial results.
        let celf_unlimited =
            SelectConfig { memory_limit: None, celf_trials: usize::MAX, ..limited.clone() };
        let err = celf(&g, &p, &celf_unlimited).unwrap_err();
        assert!(matches!(err, SelectError::Simulation(_)), "{err}");
        let source = std::error::Error::source(&err).expect("the engine error is the source");
        assert!(source.downcast_ref::<crate::simulate::SimError>().is_some(), "{source}");
        // The same configurations with sane values still work under the limit.
        assert_eq!(imm(&g, &p, &limited).unwrap().seeds.len(), 2);
    }

    #[test]
    fn select_rr_projection_counts_the_index_and_saturates() {
        let memory = RrMemory { limit: None, n: 9 };
        let sets = RrSets::new(false);
        assert_eq!(memory.projected(&sets, 10, Indexed::No), 8 + 10 * 12);
        // The index repeats the 10 roots (4 bytes each) and has 10 offsets, twice while it
        // grows.
        assert_eq!(memory.projected(&sets, 10, Indexed::Yes), 8 + 120 + 2 * (48 + 80));
        assert_eq!(memory.projected(&sets, usize::MAX, Indexed::Yes), u64::MAX);
    }
}
