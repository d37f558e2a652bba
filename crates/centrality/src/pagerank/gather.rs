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
