//! Cache-friendly, parallel, stable scatter of arcs into CSR rows.
//!
//! A plain counting-sort scatter writes each arc to a random place in an array of hundreds of
//! megabytes, one cache and TLB miss per arc. Here the arcs are first partitioned by row range
//! into buckets of a few thousand rows (a sequential write stream per bucket), then each bucket
//! is scattered into its own small, contiguous part of the CSR, which stays in cache. Buckets
//! are independent, so the second pass runs in parallel.
//!
//! Stability: arcs are partitioned chunk by chunk in input order and each chunk writes its arcs
//! in order, so inside a bucket — and then inside a row — arcs keep their input order whatever
//! the number of chunks or threads. The output is therefore identical at any thread count.

use rayon::prelude::*;

use super::rows::{RowMut, sort_rows};
use crate::Duplicates;
use crate::graph::NodeId;

/// A source of arcs, split into chunks that can be walked independently and in order.
pub(crate) trait ArcSource: Sync {
    /// Number of chunks.
    fn chunks(&self) -> usize;
    /// Calls `emit(row, column, attribute index)` for every arc of chunk `c`, in input order.
    fn for_each(&self, c: usize, emit: &mut dyn FnMut(NodeId, NodeId, usize));
}

/// Per-arc attributes to carry along, indexed by the attribute index an [`ArcSource`] emits.
pub(crate) struct Attributes<'a> {
    pub weights: Option<&'a [f64]>,
    pub signs: Option<&'a [i8]>,
}

/// CSR rows: in input order within each row, or sorted and merged when a [`RowFinish`] was
/// given.
pub(crate) struct Scattered {
    pub offsets: Vec<u64>,
    pub targets: Vec<NodeId>,
    pub weights: Option<Vec<f64>>,
    pub signs: Option<Vec<i8>>,
    /// Input arcs merged into an earlier one (0 without a [`RowFinish`]).
    pub merged: u64,
}

/// Sort every row and merge duplicates while its bucket is still in cache.
#[derive(Clone, Copy)]
pub(crate) struct RowFinish {
    pub policy: Duplicates,
    pub directed: bool,
}

/// Rows per bucket: about 1,024 buckets whatever the node count, at least 1,024 rows each.
fn bucket_shift(n: usize) -> u32 {
    let bits = usize::BITS - n.max(1).leading_zeros();
    bits.saturating_sub(10).max(10)
}

/// Scatters every arc of `source` into CSR rows over `n` nodes; with `finish`, each bucket's
/// rows are then sorted and merged in place (in cache) and the buckets packed together.
pub(crate) fn scatter(
    n: usize,
    source: &dyn ArcSource,
    attrs: &Attributes<'_>,
    finish: Option<RowFinish>,
) -> Scattered {
    let shift = bucket_shift(n);
    let buckets = (n >> shift) + 1;
    let chunks = source.chunks();

    // Pass 1a: arcs per (chunk, bucket).
    let counts: Vec<Vec<u64>> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut count = vec![0u64; buckets];
            source.for_each(c, &mut |row, _, _| count[(row as usize) >> shift] += 1);
            count
        })
        .collect();
    // Run lengths in memory order: bucket-major, chunk order inside a bucket.
    let mut bucket_start = vec![0u64; buckets + 1];
    let mut run_lengths = Vec::with_capacity(buckets * chunks);
    let mut at = 0u64;
    for b in 0..buckets {
        bucket_start[b] = at;
        for count in &counts {
            run_lengths.push(count[b] as usize);
            at += count[b];
        }
    }
    bucket_start[buckets] = at;
    let arcs = at as usize;
    drop(counts);

    // Pass 1b: partition (row, column) pairs and attributes into bucket order. Every chunk
    // owns one disjoint run per bucket, so the writes need no synchronisation.
    let mut pairs = vec![0u64; arcs];
    let mut part_w = attrs.weights.map(|_| vec![0f64; arcs]);
    let mut part_s = attrs.signs.map(|_| vec![0i8; arcs]);
    {
        let pair_runs = runs_by_chunk(&mut pairs, &run_lengths, chunks);
        let mut weight_runs =
            part_w.as_mut().map(|w| runs_by_chunk(w, &run_lengths, chunks).into_iter());
        let mut sign_runs =
            part_s.as_mut().map(|s| runs_by_chunk(s, &run_lengths, chunks).into_iter());
        let jobs: Vec<_> = pair_runs
            .into_iter()
            .map(|p| {
                let w = weight_runs.as_mut().and_then(|it| it.next());
                let s = sign_runs.as_mut().and_then(|it| it.next());
                (p, w, s)
            })
            .collect();
        jobs.into_par_iter().enumerate().for_each(|(c, (mut p, mut w, mut s))| {
            let mut fill = vec![0usize; buckets];
            source.for_each(c, &mut |row, col, e| {
                let b = (row as usize) >> shift;
                let i = fill[b];
                fill[b] += 1;
                p[b][i] = ((row as u64) << 32) | col as u64;
                if let (Some(w), Some(src)) = (w.as_mut(), attrs.weights) {
                    w[b][i] = src[e];
                }
                if let (Some(s), Some(src)) = (s.as_mut(), attrs.signs) {
                    s[b][i] = src[e];
                }
            });
        });
    }

    // Pass 2: each bucket counts its rows and scatters into its own part of the CSR.
    let kept: Vec<(usize, u64)>;
    let mut offsets = vec![0u64; n + 1];
    let mut targets = vec![0 as NodeId; arcs];
    let mut weights = part_w.as_ref().map(|_| vec![0f64; arcs]);
    let mut signs = part_s.as_ref().map(|_| vec![0i8; arcs]);
    {
        let row_parts = split_rows(&mut offsets[1..], shift, buckets);
        let target_parts = split_at_bounds(&mut targets, &bucket_start);
        let weight_parts = weights.as_mut().map(|w| split_at_bounds(w, &bucket_start));
        let sign_parts = signs.as_mut().map(|s| split_at_bounds(s, &bucket_start));
        let mut jobs = Vec::with_capacity(buckets);
        let mut weight_parts = weight_parts.map(|v| v.into_iter());
        let mut sign_parts = sign_parts.map(|v| v.into_iter());
        for (b, (rows, t)) in row_parts.into_iter().zip(target_parts).enumerate() {
            let w = weight_parts.as_mut().and_then(|it| it.next());
            let s = sign_parts.as_mut().and_then(|it| it.next());
            jobs.push((b, rows, t, w, s));
        }
        let pairs = &pairs;
        let part_w = part_w.as_deref();
        let part_s = part_s.as_deref();
        let bucket_start = &bucket_start;
        kept = jobs
            .into_par_iter()
            .map(|(b, rows, t, w, s)| {
                let lo = bucket_start[b] as usize;
                let hi = bucket_start[b + 1] as usize;
                let first_row = b << shift;
                // Local degree counts, then local exclusive prefix sums as cursors.
                let mut cursor = vec![0u64; rows.len()];
                for &pair in &pairs[lo..hi] {
                    cursor[(pair >> 32) as usize - first_row] += 1;
                }
                let mut run = 0u64;
                for (slot, end) in cursor.iter_mut().zip(rows.iter_mut()) {
                    let degree = *slot;
                    *slot = run;
                    run += degree;
                    *end = lo as u64 + run;
                }
                let (mut w, mut s) = (w, s);
                for (i, &pair) in pairs[lo..hi].iter().enumerate() {
                    let slot = &mut cursor[(pair >> 32) as usize - first_row];
                    let p = *slot as usize;
                    *slot += 1;
                    t[p] = pair as u32;
                    if let (Some(w), Some(src)) = (w.as_deref_mut(), part_w) {
                        w[p] = src[lo + i];
                    }
                    if let (Some(s), Some(src)) = (s.as_deref_mut(), part_s) {
                        s[p] = src[lo + i];
                    }
                }
                match finish {
                    None => (hi - lo, 0),
                    Some(f) => finish_bucket(
                        first_row,
                        lo,
                        rows,
                        RowMut { targets: t, weights: w, signs: s },
                        f,
                    ),
                }
            })
            .collect();
    }
    let merged = kept.iter().map(|k| k.1).sum();
    if finish.is_some() {
        // `offsets[1..]` holds row lengths: prefix-sum them, then pack the buckets' kept
        // prefixes to the front, in order (a destination never passes its source).
        for row in 0..n {
            offsets[row + 1] += offsets[row];
        }
        let mut at = 0usize;
        for (b, &(len, _)) in kept.iter().enumerate() {
            let from = bucket_start[b] as usize;
            if from == at {
                at += len;
                continue;
            }
            targets.copy_within(from..from + len, at);
            if let Some(w) = weights.as_mut() {
                w.copy_within(from..from + len, at);
            }
            if let Some(s) = signs.as_mut() {
                s.copy_within(from..from + len, at);
            }
            at += len;
        }
        targets.truncate(at);
        targets.shrink_to_fit();
        if let Some(w) = weights.as_mut() {
            w.truncate(at);
            w.shrink_to_fit();
        }
        if let Some(s) = signs.as_mut() {
            s.truncate(at);
            s.shrink_to_fit();
        }
    }
    Scattered { offsets, targets, weights, signs, merged }
}

/// Sorts and merges the rows of one bucket (ends `rows`, absolute, starting at arc `lo`),
/// packs the kept arcs to the front of the bucket, and leaves each row's kept length in
/// `rows`. Returns the bucket's kept arcs and merged count.
fn finish_bucket(
    first_row: usize,
    lo: usize,
    rows: &mut [u64],
    mut block: RowMut<'_>,
    f: RowFinish,
) -> (usize, u64) {
    let mut local = Vec::with_capacity(rows.len() + 1);
    local.push(0u64);
    local.extend(rows.iter().map(|&end| end - lo as u64));
    let (lens, merged) = sort_rows(first_row, &local, &mut block, f.policy, f.directed);
    let mut at = 0usize;
    for (r, &len) in lens.iter().enumerate() {
        let (start, len) = (local[r] as usize, len as usize);
        if merged > 0 {
            block.targets.copy_within(start..start + len, at);
            if let Some(w) = block.weights.as_deref_mut() {
                w.copy_within(start..start + len, at);
            }
            if let Some(s) = block.signs.as_deref_mut() {
                s.copy_within(start..start + len, at);
            }
        }
        rows[r] = len as u64;
        at += len;
    }
    (at, merged)
}

/// Splits the row-end slice (`offsets[1..]`) into the buckets' row ranges.
fn split_rows(mut ends: &mut [u64], shift: u32, buckets: usize) -> Vec<&mut [u64]> {
    let mut parts = Vec::with_capacity(buckets);
    for _ in 0..buckets {
        let take = ends.len().min(1usize << shift);
        let (head, tail) = ends.split_at_mut(take);
        parts.push(head);
        ends = tail;
    }
    parts
}

/// Splits `data` at the given bounds (`bounds[b] .. bounds[b + 1]` is part `b`).
fn split_at_bounds<'a, T>(mut data: &'a mut [T], bounds: &[u64]) -> Vec<&'a mut [T]> {
    let mut parts = Vec::with_capacity(bounds.len() - 1);
    for b in 0..bounds.len() - 1 {
        let (head, tail) = data.split_at_mut((bounds[b + 1] - bounds[b]) as usize);
        parts.push(head);
        data = tail;
    }
    parts
}

/// Splits `data` into runs of the given lengths (bucket-major, chunk order inside a bucket)
/// and regroups them by chunk: result `[c][b]` is chunk `c`'s run in bucket `b`.
fn runs_by_chunk<'a, T>(
    mut data: &'a mut [T],
    lengths: &[usize],
    chunks: usize,
) -> Vec<Vec<&'a mut [T]>> {
    let buckets = lengths.len() / chunks.max(1);
    let mut by_chunk: Vec<Vec<&'a mut [T]>> =
        (0..chunks).map(|_| Vec::with_capacity(buckets)).collect();
    for (i, &len) in lengths.iter().enumerate() {
        let (head, tail) = data.split_at_mut(len);
        by_chunk[i % chunks].push(head);
        data = tail;
    }
    by_chunk
}
