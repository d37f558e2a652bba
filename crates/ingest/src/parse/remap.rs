//! Dense ids: every distinct original id gets `0 .. n` in ascending order (numeric order for
//! integers, byte order for strings), which is the order [`IdMap`] stores them in.
//!
//! - Integer ids spanning a small range (`max - min < 32 × endpoints + 2^24`): a presence
//!   bitmap with a rank per 64-bit word; the dense id of `x` is `rank[w] + popcount(bits[w] &
//!   below(x))`. It costs 0.25 bytes per value of the range, a sixteenth of a direct
//!   `Vec<u32>` table, so it stays small and cache-friendly even for sparse-ish ranges.
//! - Other integer ids (for example 64-bit Twitter ids): each piece sorts and dedups its ids,
//!   the pieces' lists are merged with a parallel sort, and each id is found by binary search
//!   inside a bucket picked by its high bits (a bucket table of `n / 2 .. n` entries).
//! - String ids: each piece ends its parse with a sorted dictionary of its distinct tokens and
//!   a rank per endpoint (see `dictionary`); the dictionaries are merged by a parallel merge
//!   tree into the global sorted list, and each piece finds its tokens in it with galloping
//!   searches (its tokens are sorted too), so no per-edge search is needed.
//!
//! Pieces are consumed one by one while the final arrays are written, so the parsed ids and
//! the dense ids are not both held in full.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use clout_graph::{NodeId, Slab};

use super::dictionary::{Sorted, merge_all, positions, text_dictionaries};
use super::{Endpoints, Piece};
use crate::error::ReadError;
use crate::idmap::IdMap;

/// Dense arcs and attributes, in input order.
pub(crate) struct Remapped {
    pub node_count: u32,
    pub src: Vec<NodeId>,
    pub dst: Vec<NodeId>,
    pub weights: Option<Vec<f64>>,
    pub signs: Option<Vec<i8>>,
    pub ids: IdMap,
}

/// Assigns dense ids. `swap`: the arc is `b -> a` (a line `A B` read as "A follows B").
pub(crate) fn remap(
    mut pieces: Vec<Piece>,
    swap: bool,
    weighted: bool,
    signed: bool,
) -> Result<Remapped, ReadError> {
    pieces.retain(|p| p.edges() > 0);
    let m: usize = pieces.iter().map(Piece::edges).sum();
    let weights = weighted.then(|| concat(&mut pieces, |p| &mut p.weights, m));
    let signs = signed.then(|| concat(&mut pieces, |p| &mut p.signs, m));
    let lens: Vec<usize> = pieces.iter().map(Piece::edges).collect();
    let endpoints: Vec<Endpoints> = pieces
        .iter_mut()
        .map(|p| std::mem::replace(&mut p.ids, Endpoints::Narrow(Vec::new())))
        .collect();
    let is_text = endpoints.iter().any(|e| matches!(e, Endpoints::Text { .. }));
    let (min, max) =
        pieces.iter().fold((u64::MAX, 0), |(lo, hi), p| (lo.min(p.min), hi.max(p.max)));
    drop(pieces);
    let mut src = vec![0 as NodeId; m];
    let mut dst = vec![0 as NodeId; m];
    let outputs: Vec<(&mut [NodeId], &mut [NodeId])> =
        split_lengths(&mut src, &lens).into_iter().zip(split_lengths(&mut dst, &lens)).collect();
    let (node_count, ids) = if is_text {
        remap_text(endpoints, outputs, swap)?
    } else if m == 0 {
        (0, IdMap::Integer(Slab::from_vec(Vec::new())))
    } else if (max - min) < 32 * 2 * m as u64 + (1 << 24) {
        let index = RankBitmap::new(&endpoints, min, max)?;
        write_dense(endpoints, outputs, swap, |x| index.dense(x));
        (index.count, IdMap::Integer(Slab::from_vec(index.originals())))
    } else {
        let index = SortedIds::new(&endpoints)?;
        write_dense(endpoints, outputs, swap, |x| index.dense(x));
        (index.ids.len() as u32, IdMap::Integer(Slab::from_vec(index.ids)))
    };
    Ok(Remapped { node_count, src, dst, weights, signs, ids })
}

/// Concatenates one attribute array of every piece, freeing each as it goes.
fn concat<T: Copy>(
    pieces: &mut [Piece],
    field: impl Fn(&mut Piece) -> &mut Vec<T>,
    m: usize,
) -> Vec<T> {
    let mut out = Vec::with_capacity(m);
    for piece in pieces {
        out.extend_from_slice(&std::mem::take(field(piece)));
    }
    out
}

/// Splits `data` into consecutive slices of the given lengths.
fn split_lengths<'a, T>(mut data: &'a mut [T], lens: &[usize]) -> Vec<&'a mut [T]> {
    let mut parts = Vec::with_capacity(lens.len());
    for &len in lens {
        let (head, tail) = data.split_at_mut(len);
        parts.push(head);
        data = tail;
    }
    parts
}

fn too_many(count: u64) -> Result<u32, ReadError> {
    u32::try_from(count).map_err(|_| ReadError::TooManyNodes { count })
}

/// Calls `f` on every integer id of a piece.
#[inline]
fn for_each_int(endpoints: &Endpoints, mut f: impl FnMut(u64)) {
    match endpoints {
        Endpoints::Narrow(v) => v.iter().for_each(|&x| f(x as u64)),
        Endpoints::Wide(v) => v.iter().for_each(|&x| f(x)),
        Endpoints::Text { .. } => {}
    }
}

/// Writes dense ids for integer endpoints, piece by piece in parallel, freeing each piece.
fn write_dense(
    endpoints: Vec<Endpoints>,
    outputs: Vec<(&mut [NodeId], &mut [NodeId])>,
    swap: bool,
    dense: impl Fn(u64) -> NodeId + Sync,
) {
    endpoints.into_par_iter().zip(outputs).for_each(|(ids, (src, dst))| {
        let (from, to) = if swap { (dst, src) } else { (src, dst) };
        match &ids {
            Endpoints::Narrow(v) => {
                for (i, pair) in v.chunks_exact(2).enumerate() {
                    from[i] = dense(pair[0] as u64);
                    to[i] = dense(pair[1] as u64);
                }
            }
            Endpoints::Wide(v) => {
                for (i, pair) in v.chunks_exact(2).enumerate() {
                    from[i] = dense(pair[0]);
                    to[i] = dense(pair[1]);
                }
            }
            Endpoints::Text { .. } => {}
        }
    });
}

/// Presence bitmap over `min ..= max` with a running rank per word, stored side by side so a
/// lookup touches one cache line.
struct RankBitmap {
    min: u64,
    /// Per 64 ids: (presence bits, number of ids present before this word).
    words: Vec<(u64, u64)>,
    count: u32,
}

impl RankBitmap {
    fn new(endpoints: &[Endpoints], min: u64, max: u64) -> Result<Self, ReadError> {
        let words = ((max - min) / 64 + 1) as usize;
        let marks: Vec<AtomicU64> = (0..words).map(|_| AtomicU64::new(0)).collect();
        endpoints.par_iter().for_each(|ids| {
            for_each_int(ids, |x| {
                let offset = x - min;
                let word = &marks[(offset / 64) as usize];
                let bit = 1u64 << (offset % 64);
                // Most ids repeat: a plain load first keeps atomic writes to one per node.
                if word.load(Ordering::Relaxed) & bit == 0 {
                    word.fetch_or(bit, Ordering::Relaxed);
                }
            })
        });
        let mut total = 0u64;
        let words: Vec<(u64, u64)> = marks
            .into_iter()
            .map(|mark| {
                let bits = mark.into_inner();
                let word = (bits, total);
                total += bits.count_ones() as u64;
                word
            })
            .collect();
        let count = too_many(total)?;
        Ok(RankBitmap { min, words, count })
    }

    #[inline]
    fn dense(&self, x: u64) -> NodeId {
        let offset = x - self.min;
        let (bits, rank) = self.words[(offset / 64) as usize];
        let below = (1u64 << (offset % 64)) - 1;
        (rank + (bits & below).count_ones() as u64) as NodeId
    }

    /// The original ids in ascending order.
    fn originals(&self) -> Vec<u64> {
        let mut out = Vec::with_capacity(self.count as usize);
        for (w, &(bits, _)) in self.words.iter().enumerate() {
            let mut rest = bits;
            while rest != 0 {
                out.push(self.min + w as u64 * 64 + rest.trailing_zeros() as u64);
                rest &= rest - 1;
            }
        }
        out
    }
}

/// Sorted distinct ids with a bucket table on their high bits.
struct SortedIds {
    ids: Vec<u64>,
    min: u64,
    shift: u32,
    /// `starts[b]` is the first index whose bucket is `>= b`; one extra entry at the end.
    starts: Vec<u32>,
}

impl SortedIds {
    fn new(endpoints: &[Endpoints]) -> Result<Self, ReadError> {
        let locals: Vec<Vec<u64>> = endpoints
            .par_iter()
            .map(|ids| {
                let mut local = Vec::with_capacity(ids.len());
                for_each_int(ids, |x| local.push(x));
                local.sort_unstable();
                local.dedup();
                local
            })
            .collect();
        // Gather the pieces' lists, freeing each as it is copied.
        let mut ids = Vec::with_capacity(locals.iter().map(Vec::len).sum());
        for local in locals {
            ids.extend_from_slice(&local);
        }
        ids.par_sort_unstable();
        ids.dedup();
        ids.shrink_to_fit();
        too_many(ids.len() as u64)?;
        let min = ids.first().copied().unwrap_or(0);
        let span_bits = 64 - (ids.last().copied().unwrap_or(0) - min).leading_zeros();
        let bucket_bits = (usize::BITS - ids.len().leading_zeros())
            .saturating_sub(1)
            .clamp(1, 26)
            .min(span_bits.max(1));
        let shift = span_bits.saturating_sub(bucket_bits);
        let buckets = 1usize << bucket_bits;
        let mut starts = Vec::with_capacity(buckets + 1);
        let mut i = 0usize;
        for b in 0..=buckets {
            while i < ids.len() && (((ids[i] - min) >> shift) as usize) < b {
                i += 1;
            }
            starts.push(i as u32);
        }
        Ok(SortedIds { ids, min, shift, starts })
    }

    #[inline]
    fn dense(&self, x: u64) -> NodeId {
        let b = ((x - self.min) >> self.shift) as usize;
        let (lo, hi) = (self.starts[b] as usize, self.starts[b + 1] as usize);
        (lo + self.ids[lo..hi].partition_point(|&y| y < x)) as NodeId
    }
}

fn remap_text(
    endpoints: Vec<Endpoints>,
    outputs: Vec<(&mut [NodeId], &mut [NodeId])>,
    swap: bool,
) -> Result<(u32, IdMap), ReadError> {
    // One pass reads every id one way, so integer pieces never meet text pieces.
    let dicts = text_dictionaries(endpoints);
    let global = merge_all(&dicts);
    let count = too_many(global.count() as u64)?;
    dicts.into_par_iter().zip(outputs).for_each(|(dict, (src, dst))| {
        let map = positions(&dict, &global);
        let (from, to) = if swap { (dst, src) } else { (src, dst) };
        for (i, pair) in dict.rank.chunks_exact(2).enumerate() {
            from[i] = map[pair[0] as usize];
            to[i] = map[pair[1] as usize];
        }
    });
    let ids = IdMap::String {
        offsets: Slab::from_vec(global.offsets),
        bytes: Slab::from_vec(global.bytes),
    };
    Ok((count, ids))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(ids: Endpoints, min: u64, max: u64) -> Piece {
        Piece::of_edges(ids, Vec::new(), Vec::new(), min, max)
    }

    fn originals(map: &IdMap) -> Vec<String> {
        (0..map.len() as u32).map(|i| map.original(i).to_string()).collect()
    }

    #[test]
    fn dense_integer_ranges_use_the_bitmap() {
        let pieces = vec![
            piece(Endpoints::Narrow(vec![70, 3, 3, 200]), 3, 200),
            piece(Endpoints::Narrow(vec![5, 70]), 5, 70),
        ];
        let r = remap(pieces, false, false, false).unwrap();
        assert_eq!(originals(&r.ids), ["3", "5", "70", "200"]);
        assert_eq!((r.src, r.dst), (vec![2, 0, 1], vec![0, 3, 2]));
    }

    #[test]
    fn sparse_integer_ids_use_sorted_buckets() {
        let big = [u64::MAX, 1 << 40, 7, (1 << 40) + 1, 1 << 63];
        let a = Endpoints::Wide(vec![big[0], big[1], big[2], big[3]]);
        let b = Endpoints::Wide(vec![big[4], big[2], big[1], big[0]]);
        let r =
            remap(vec![piece(a, 7, u64::MAX), piece(b, 7, u64::MAX)], true, false, false).unwrap();
        let mut sorted = big.to_vec();
        sorted.sort();
        assert_eq!(originals(&r.ids), sorted.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        let dense = |x: u64| sorted.binary_search(&x).unwrap() as u32;
        // swap: arcs are b -> a.
        assert_eq!(r.src, vec![dense(big[1]), dense(big[3]), dense(big[2]), dense(big[0])]);
        assert_eq!(r.dst, vec![dense(big[0]), dense(big[2]), dense(big[4]), dense(big[1])]);
    }

    #[test]
    fn string_ids_sort_by_bytes() {
        let text = |tokens: &[&str]| {
            let mut bytes = Vec::new();
            let mut spans = Vec::new();
            for t in tokens {
                let start = bytes.len() as u32;
                bytes.extend_from_slice(t.as_bytes());
                spans.push((start, bytes.len() as u32));
            }
            Endpoints::Text(super::super::dictionary::dictionary(&bytes, &spans))
        };
        let pieces = vec![
            piece(text(&["@bob", "@alice", "Zoë", "@bob"]), u64::MAX, 0),
            piece(text(&["carol", "@alice"]), u64::MAX, 0),
        ];
        let r = remap(pieces, false, false, false).unwrap();
        assert_eq!(originals(&r.ids), ["@alice", "@bob", "Zoë", "carol"]);
        assert_eq!((r.src, r.dst), (vec![1, 2, 3], vec![0, 1, 0]));
        assert!(r.ids.validate().is_ok());
    }
}
