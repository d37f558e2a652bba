//! The parallel sweep of a large strongly connected component in the Gauss–Seidel solver
//! (`pagerank/gauss_seidel.rs`): block Gauss–Seidel, deterministic at any thread count.
//!
//! The component's local nodes `0..|C|` are cut into fixed blocks of [`BLOCK_NODES`]
//! consecutive nodes. Inside a block, nodes are updated in order and read the contributions
//! already updated in this sweep (Gauss–Seidel); across blocks they read the previous sweep's
//! (Jacobi). Blocks therefore run in parallel, and the result depends on the partition alone,
//! which depends on `|C|` and not on the thread count: every bit is the same at 1 thread or 64.
//! This is the block Gauss–Seidel / block Jacobi splitting (Varga, "Matrix Iterative
//! Analysis", 1962, ch. 3) with point Gauss–Seidel as the inner solver. Local ids follow the
//! depth-first order of the component search, so neighbours tend to share a block and most
//! arcs keep their Gauss–Seidel update.
//!
//! Memory traffic per sweep is the serial sweep's plus one copy of each block's contributions
//! (8 bytes per node) into the buffer the block writes; the contributions the other blocks
//! read stay untouched until every block is done, and then the two buffers swap.

use rayon::prelude::*;

/// Components of at least this many nodes are swept in parallel blocks; smaller ones serially
/// (their sweeps cost less than the parallel dispatch).
pub(super) const PARALLEL_MIN_NODES: usize = 16384;

/// The smallest block, in nodes.
const MIN_BLOCK_NODES: usize = 4096;

/// Blocks run only when the requested L1 change (`N · tolerance`) is at least this. Jacobi
/// between blocks slows the asymptotic rate: at an L1 tolerance of 1e-4 (a dozen sweeps)
/// the largest component of soc-sign-epinions takes 13 sweeps in blocks as serially and that
/// of Slashdot 13–15 instead of 10, but at 1e-8 they take 32–49 sweeps instead of 22–26,
/// which costs more than two threads save. Between the two the threshold is a guess.
pub(super) const BLOCKS_MIN_L1: f64 = 1e-5;

/// The block length for a component of `len` nodes swept at a tolerance that is `loose`
/// ([`BLOCKS_MIN_L1`]), or `None` to sweep it serially: the power of two at or above
/// `len / 8` (about eight blocks, so two threads stay balanced), at least
/// [`MIN_BLOCK_NODES`]. A function of `len` alone, never of the thread count.
pub(super) fn block_len(len: usize, loose: bool) -> Option<usize> {
    (loose && len >= PARALLEL_MIN_NODES)
        .then(|| len.div_ceil(8).next_power_of_two().max(MIN_BLOCK_NODES))
}

/// The per-node arrays of a component's local system that a sweep reads and writes.
pub(super) struct Local<'a> {
    pub offsets: &'a [usize],
    pub sources: &'a [u32],
    pub weights: &'a [f64],
    /// `[base, inv_diagonal, inv_share, kept]` per node (see `LocalSystem`).
    pub constants: &'a [[f64; 4]],
}

/// One parallel sweep in blocks of `block` nodes (a power of two, at most `c.len()`) with
/// relaxation `omega`: `y` in place, contributions from
/// `c` (the previous sweep's, left unchanged) into `next`, which holds the new ones after.
/// `c` and `next` have the same power-of-two length, at least `y.len() + 1`; entries past
/// `y.len()` are 0 in both and stay so. Stored values are the true ones divided by `scale`.
/// Returns the L1 change and the sums `Σ y`, `Σ kept · y` of the new values (true values),
/// block partial sums added in block order.
pub(super) fn sweep(
    local: &Local,
    block: usize,
    y: &mut [f64],
    c: &[f64],
    next: &mut [f64],
    (alpha, omega, scale): (f64, f64, f64),
) -> (f64, f64, f64) {
    debug_assert!(block.is_power_of_two() && block <= c.len());
    let partials: Vec<[f64; 3]> = y
        .par_chunks_mut(block)
        .zip(next.par_chunks_mut(block))
        .enumerate()
        .map(|(b, (ys, own))| {
            let first = b * block;
            own.copy_from_slice(&c[first..first + block]);
            sweep_block(local, first, ys, c, own, (alpha, omega, scale))
        })
        .collect();
    partials.iter().fold((0.0, 0.0, 0.0), |sum, p| (sum.0 + p[0], sum.1 + p[1], sum.2 + p[2]))
}

/// [`sweep`] over the block of nodes `first .. first + ys.len()`: Gauss–Seidel in place in
/// `own` (its contributions, entering as the previous sweep's), every other contribution read
/// from `c`. The same update as the serial sweep in `pagerank/gauss_seidel.rs`.
fn sweep_block(
    local: &Local,
    first: usize,
    ys: &mut [f64],
    c: &[f64],
    own: &mut [f64],
    (alpha, omega, scale): (f64, f64, f64),
) -> [f64; 3] {
    let (mut change, mut held, mut kept) = (0.0f64, 0.0f64, 0.0f64);
    let unscale = 1.0 / scale;
    let weighted = !local.weights.is_empty();
    let rows = local.offsets[first..].windows(2);
    let per_node = ys.iter_mut().zip(&local.constants[first..]);
    for (i, (row, (y, &[base, inv_diagonal, inv_share, keeps]))) in rows.zip(per_node).enumerate() {
        let (lo, hi) = (row[0], row[1]);
        let gathered = if weighted {
            gather_split_weighted(&local.sources[lo..hi], &local.weights[lo..hi], c, own, first)
        } else {
            gather_split(&local.sources[lo..hi], c, own, first as u32)
        };
        let target = (alpha * scale * gathered + base) * inv_diagonal;
        let old = *y * scale;
        // Over-relaxation may overshoot below zero; the solution is positive, so clamp.
        let new = (old + omega * (target - old)).max(0.0);
        change += (new - old).abs();
        held += new;
        kept += new * keeps;
        *y = new * unscale;
        own[i] = *y * inv_share;
    }
    [change, held, kept]
}

/// `Σ c[u]` over `row`, each `c[u]` read from `own` when `u` is in the block starting at
/// `first` and from `c` otherwise, in four interleaved partial sums (a fixed order; rows are
/// padded to whole quadruples). Both lengths are powers of two, so the masked indices need no
/// bounds checks, and the choice of array is a select, not a branch (where `u` lies is data,
/// not a pattern).
#[inline]
fn gather_split(row: &[u32], c: &[f64], own: &[f64], first: u32) -> f64 {
    debug_assert!(c.len().is_power_of_two() && own.len().is_power_of_two());
    let (mask, own_mask, own_len) = (c.len() - 1, own.len() - 1, own.len());
    let value = |u: u32| {
        let local = u.wrapping_sub(first) as usize;
        let inside = own[local & own_mask];
        let outside = c[u as usize & mask];
        if local < own_len { inside } else { outside }
    };
    let mut partial = [0.0f64; 4];
    let mut quads = row.chunks_exact(4);
    for quad in &mut quads {
        partial[0] += value(quad[0]);
        partial[1] += value(quad[1]);
        partial[2] += value(quad[2]);
        partial[3] += value(quad[3]);
    }
    let mut sum = (partial[0] + partial[1]) + (partial[2] + partial[3]);
    for &u in quads.remainder() {
        sum += value(u);
    }
    sum
}

/// `Σ w · c[u]`, as [`gather_split`] (weighted rows are rarer: a plain loop, the same order).
#[inline]
fn gather_split_weighted(
    row: &[u32],
    weights: &[f64],
    c: &[f64],
    own: &[f64],
    first: usize,
) -> f64 {
    let (mask, own_mask, own_len) = (c.len() - 1, own.len() - 1, own.len());
    let mut partial = [0.0f64; 4];
    for (k, (&u, &w)) in row.iter().zip(weights).enumerate() {
        let local = (u as usize).wrapping_sub(first);
        let value = if local < own_len { own[local & own_mask] } else { c[u as usize & mask] };
        partial[k % 4] += w * value;
    }
    (partial[0] + partial[1]) + (partial[2] + partial[3])
}

#[cfg(test)]
mod tests {
    use clout_graph::{Graph, NodeId, from_pairs, rng::Rng};

    use super::super::{PageRank, PageRankConfig, PageRankMethod, pagerank, verify_pagerank};
    use super::*;

    /// A strongly connected graph of 40,000 nodes (a ring plus three random arcs per node,
    /// some of them self-loops or repeats), large enough to be swept in blocks, with dangling
    /// and unfed nodes hanging off it.
    fn large_component() -> Graph {
        let n: NodeId = 40_000;
        let mut rng = Rng::new(7);
        let mut pairs: Vec<(NodeId, NodeId)> = (0..n).map(|u| (u, (u + 1) % n)).collect();
        for u in 0..n {
            for _ in 0..3 {
                pairs.push((u, rng.below(u64::from(n)) as NodeId));
            }
        }
        // Nodes off the cycle: 100 that only send and 100 that only receive.
        pairs.extend((0..100).map(|k| (n + k, k * 7)));
        pairs.extend((0..100).map(|k| (k * 11, n + 100 + k)));
        from_pairs(n + 200, &pairs, true)
    }

    fn run_in(threads: usize, g: &Graph, cfg: &PageRankConfig) -> PageRank {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| pagerank(g, cfg).unwrap())
    }

    /// The loose tolerance that selects the block sweep for the 40,000-node component.
    fn loose(g: &Graph) -> PageRankConfig {
        let n = g.node_count() as f64;
        let cfg = PageRankConfig {
            tolerance: 1e-4 / n,
            method: PageRankMethod::GaussSeidel,
            ..PageRankConfig::default()
        };
        assert!(cfg.tolerance * n >= BLOCKS_MIN_L1);
        assert_eq!(block_len(40_000, true), Some(8192), "the component is swept in 5 blocks");
        cfg
    }

    #[test]
    fn block_sweeps_are_bit_identical_at_one_and_two_threads() {
        let g = large_component();
        let cfg = loose(&g);
        let one = run_in(1, &g, &cfg);
        let two = run_in(2, &g, &cfg);
        assert_eq!(one.method, PageRankMethod::GaussSeidel);
        assert_eq!((one.iterations, one.converged), (two.iterations, two.converged));
        assert_eq!(one.residual.to_bits(), two.residual.to_bits());
        for (v, (a, b)) in one.scores.iter().zip(&two.scores).enumerate() {
            assert_eq!(a.to_bits(), b.to_bits(), "node {v}: {a} at 1 thread, {b} at 2");
        }
    }

    /// The verifier's bound holds for the requested tolerance, and the scores agree with a
    /// tightly converged power iteration within what the stopping rule promises:
    /// `‖x - x*‖₁ ≤ α / (1 - α) · residual` (plus the reference's own error, 1e-10).
    #[test]
    fn block_sweeps_meet_the_verifier_bound() {
        let g = large_component();
        let cfg = loose(&g);
        let result = run_in(2, &g, &cfg);
        assert!(result.converged);
        assert!(result.residual < 1e-4);
        verify_pagerank(&g, &cfg, &result).unwrap();
        let exact = PageRankConfig {
            tolerance: 1e-10 / g.node_count() as f64,
            method: PageRankMethod::Power,
            max_iterations: 1000,
            ..PageRankConfig::default()
        };
        let reference = pagerank(&g, &exact).unwrap();
        let distance: f64 =
            result.scores.iter().zip(&reference.scores).map(|(a, b)| (a - b).abs()).sum();
        let alpha = cfg.damping;
        assert!(distance <= alpha / (1.0 - alpha) * result.residual + 1e-10, "{distance:e}");
    }

    #[test]
    fn block_length_depends_on_the_component_alone() {
        assert_eq!(block_len(PARALLEL_MIN_NODES - 1, true), None);
        assert_eq!(block_len(1 << 20, false), None);
        assert_eq!(block_len(PARALLEL_MIN_NODES, true), Some(MIN_BLOCK_NODES));
        assert_eq!(block_len(71_307, true), Some(16384));
    }
}
