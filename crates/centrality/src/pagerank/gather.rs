//! The inner loop of every PageRank iteration: summing a row's contributions.

/// `Σ c[u]` over `row`, in four interleaved partial sums (a fixed order, so deterministic) to
/// hide the latency of floating-point addition.
///
/// `c.len()` must be a power of two (pad with zeros; see [`padded_len`]): indices are masked with
/// `c.len() - 1`, which lets the compiler drop the bounds checks, and ids below the unpadded
/// length are unaffected by the mask.
#[inline]
pub(super) fn gather(row: &[u32], c: &[f64]) -> f64 {
    debug_assert!(c.len().is_power_of_two());
    let mask = c.len() - 1;
    let c = |u: u32| c[u as usize & mask];
    let mut partial = [0.0f64; 4];
    let mut quads = row.chunks_exact(4);
    for quad in &mut quads {
        partial[0] += c(quad[0]);
        partial[1] += c(quad[1]);
        partial[2] += c(quad[2]);
        partial[3] += c(quad[3]);
    }
    let mut sum = (partial[0] + partial[1]) + (partial[2] + partial[3]);
    for &u in quads.remainder() {
        sum += c(u);
    }
    sum
}

/// The length to pad a contribution vector of `n` entries to for [`gather`].
pub(super) fn padded_len(n: usize) -> usize {
    n.next_power_of_two()
}

/// `Σ w · c[u]` over `row` and its weights, like [`gather`] (same padding rule).
#[inline]
pub(super) fn gather_weighted(row: &[u32], weights: &[f64], c: &[f64]) -> f64 {
    debug_assert!(c.len().is_power_of_two());
    let mask = c.len() - 1;
    let c = |u: u32| c[u as usize & mask];
    let mut partial = [0.0f64; 4];
    let mut quads = row.chunks_exact(4);
    let mut quad_weights = weights.chunks_exact(4);
    for (quad, w) in (&mut quads).zip(&mut quad_weights) {
        partial[0] += w[0] * c(quad[0]);
        partial[1] += w[1] * c(quad[1]);
        partial[2] += w[2] * c(quad[2]);
        partial[3] += w[3] * c(quad[3]);
    }
    let mut sum = (partial[0] + partial[1]) + (partial[2] + partial[3]);
    for (&u, &w) in quads.remainder().iter().zip(quad_weights.remainder()) {
        sum += w * c(u);
    }
    sum
}

/// Contributions in 64-bit fixed point: `c` is stored as `round(c · 2^62)`. The unweighted power
/// iteration sums rows of these exactly, as integers, so a row's sum does not depend on the order
/// of its terms and costs one integer add per arc. Every contribution of a PageRank vector is at
/// most 1 (plus rounding), and so is every row sum, so sums stay below `2^63` and convert as
/// signed integers (one instruction each way; the wrapping differences in [`fixed_row_sums`]
/// are exact). Each stored value is within `2^-63 ≈ 1.1e-19` of the `f64` it encodes, so the
/// L1 error this adds to an iterate is below `m · 1.1e-19` (1.1e-11 on 100 million arcs), far
/// under any tolerance the stopping rule can ask for.
pub(super) const FIXED_ONE: f64 = 4_611_686_018_427_387_904.0; // 2^62

/// `c` (in `[0, 2)`) in fixed point, rounded to nearest.
#[inline]
pub(super) fn to_fixed(c: f64) -> u64 {
    (c * FIXED_ONE + 0.5) as i64 as u64
}

/// A fixed-point sum (below `2^63`) back as `f64`.
#[inline]
pub(super) fn from_fixed(sum: u64) -> f64 {
    sum as i64 as f64 * (1.0 / FIXED_ONE)
}

/// Arcs summed per block of [`fixed_row_sums`]: the running prefix of a block stays in L1.
const BLOCK: usize = 256;

/// The row sums `Σ c[u]` of the consecutive rows `first .. first + out.len()` of the CSR
/// (`offsets`, `sources`) into `out`, exactly (wrapping `u64` adds of fixed-point values).
///
/// Rows are not looped over one by one: the arcs of all the rows are summed in one running
/// prefix, block by block, and a row's sum is the difference of the prefix at its two ends.
/// The only branches are per block, so rows of a few arcs (most rows of a social graph) cost
/// no mispredicted loop exits. `c.len()` must be a power of two, as for [`gather`].
pub(super) fn fixed_row_sums(
    offsets: &[u64],
    sources: &[u32],
    c: &[u64],
    first: usize,
    out: &mut [u64],
) {
    debug_assert!(c.len().is_power_of_two());
    let mask = c.len() - 1;
    let ends = &offsets[first + 1..first + 1 + out.len()];
    let (start, end) = (offsets[first] as usize, offsets[first + out.len()] as usize);
    let mut prefix = [0u64; BLOCK + 1];
    let (mut run, mut previous, mut done) = (0u64, 0u64, 0usize);
    let mut block = start;
    loop {
        let block_end = end.min(block + BLOCK);
        prefix[0] = run;
        for (slot, &u) in prefix[1..].iter_mut().zip(&sources[block..block_end]) {
            run = run.wrapping_add(c[u as usize & mask]);
            *slot = run;
        }
        // Every row ending in this block (rows ending at its start included).
        while done < out.len() && ends[done] as usize <= block_end {
            let at = prefix[ends[done] as usize - block];
            out[done] = at.wrapping_sub(previous);
            previous = at;
            done += 1;
        }
        if block_end == end {
            break;
        }
        block = block_end;
    }
}

/// [`fixed_row_sums`] row by row: four interleaved partial sums per row and no store per arc,
/// the better order once the gathered states miss cache. The same sums, exactly.
pub(super) fn fixed_row_sums_by_row(
    offsets: &[u64],
    sources: &[u32],
    c: &[u64],
    first: usize,
    out: &mut [u64],
) {
    debug_assert!(c.len().is_power_of_two());
    let mask = c.len() - 1;
    let c = |u: u32| c[u as usize & mask];
    for (i, slot) in out.iter_mut().enumerate() {
        let (lo, hi) = (offsets[first + i] as usize, offsets[first + i + 1] as usize);
        let row = &sources[lo..hi];
        let mut partial = [0u64; 4];
        let mut quads = row.chunks_exact(4);
        for quad in &mut quads {
            partial[0] = partial[0].wrapping_add(c(quad[0]));
            partial[1] = partial[1].wrapping_add(c(quad[1]));
            partial[2] = partial[2].wrapping_add(c(quad[2]));
            partial[3] = partial[3].wrapping_add(c(quad[3]));
        }
        let mut sum =
            partial[0].wrapping_add(partial[1]).wrapping_add(partial[2]).wrapping_add(partial[3]);
        for &u in quads.remainder() {
            sum = sum.wrapping_add(c(u));
        }
        *slot = sum;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Row sums against a direct sum per row, on rows of every length from 0 to past two
    /// blocks, with empty rows at the start, the end and between blocks.
    #[test]
    fn fixed_row_sums_equal_direct_sums() {
        let lengths: Vec<usize> = [0, 0, 1, 3, 0, 4, 5, 255, 256, 257, 0, 600, 2, 0, 0]
            .into_iter()
            .chain((0..300).map(|i| (i * 7) % 11))
            .chain([0, 0])
            .collect();
        let mut offsets = vec![0u64];
        let mut sources = Vec::new();
        let c: Vec<u64> = (0..64u64).map(|i| to_fixed(1.0 / (i + 3) as f64)).collect();
        for (r, &len) in lengths.iter().enumerate() {
            sources.extend((0..len).map(|k| ((r * 31 + k * 17) % 50) as u32));
            offsets.push(sources.len() as u64);
        }
        let direct = |row: usize| -> u64 {
            let (lo, hi) = (offsets[row] as usize, offsets[row + 1] as usize);
            // Wrapping, as the sums under test: these test values overflow u64 on long rows.
            sources[lo..hi].iter().fold(0u64, |sum, &u| sum.wrapping_add(c[u as usize]))
        };
        for first in [0, 1, 5, 9, 100] {
            for count in [0, 1, 7, lengths.len() - first] {
                let (mut prefix, mut by_row) = (vec![u64::MAX; count], vec![u64::MAX; count]);
                fixed_row_sums(&offsets, &sources, &c, first, &mut prefix);
                fixed_row_sums_by_row(&offsets, &sources, &c, first, &mut by_row);
                for (i, (&got, &again)) in prefix.iter().zip(&by_row).enumerate() {
                    assert_eq!(got, direct(first + i), "row {} (first {first})", first + i);
                    assert_eq!(again, direct(first + i), "row {} by row", first + i);
                }
            }
        }
    }

    #[test]
    fn fixed_point_round_trips_within_its_resolution() {
        for x in [0.0, 1e-19, 1e-9, 0.25, 1.0 / 3.0, 1.0, 1.5] {
            assert!((from_fixed(to_fixed(x)) - x).abs() <= 1.0 / FIXED_ONE, "{x}");
        }
    }
}
