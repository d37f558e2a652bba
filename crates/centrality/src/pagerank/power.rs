//! The power iteration (pull form, parallel over fixed chunks) and the rule by which `Auto`
//! leaves it for Gauss–Seidel.
//!
//! One iteration is two passes over each chunk of [`CHUNK`] nodes: the row sums, then the
//! per-node update. Both are written for the memory traffic and the branches they cost:
//! - **One state vector.** A node's state is its contribution `x / S` (what rows gather), or
//!   `x` itself for a dangling node, which no row gathers from. The L1 change and the dangling
//!   mass are computed from the states, so an iteration reads one state vector and writes one,
//!   instead of reading and writing a score vector and a contribution vector.
//! - **Exact, branch-free row sums** (unweighted, uniform teleport): states are fixed point and
//!   the arcs of a whole chunk are summed into one running integer prefix, block by block; a
//!   row's sum is the difference of the prefix at its two ends ([`fixed_row_sums`]). Rows of a
//!   few arcs, most rows of a social graph, cost no mispredicted loop exit. When the states
//!   outgrow the cache the rows are summed one by one instead ([`PREFIX_MAX_STATE_BYTES`]);
//!   the sums are exact either way, so the choice never changes a bit of the result.
//! - **Uniform teleport and dangling rank hoisted** out of the node loop.
//!
//! Measured on the shared 2-core VM, 1 / 2 threads: the previous version (separate score and
//! contribution vectors, one loop per row) took 1.57 / 0.77 ms per iteration on Slashdot,
//! 2.47 / 1.07 on soc-sign-epinions and 2.45 / 1.02 on Higgs retweet (criterion's twenty
//! iterations with setup, over 20); this one takes 1.10 / 0.59, 1.86 / 0.81 and 1.90–2.29 /
//! 0.81 ms (criterion `power-iteration`, setup excluded). R-MAT scale 22 (`tests/timing.rs`,
//! both versions in one session, setup excluded): 463 / 233 → 395 / 214 ms.
//! Per iteration that is still 3.6–4.2x the streaming floor `(4m + 24n) / bandwidth` at the
//! 33 GB/s two threads stream here: even a cache-resident random gather costs 0.7–1 ns per
//! arc per core on this machine, against 0.12 ns per arc of streaming. On R-MAT scale 22 the
//! gathers also miss cache (contributions of 4M nodes: 32 MiB). Tried and not kept: `f32`
//! contributions, in two forms. Summed in `f64` against the `f64` state of the time, 1.4x
//! faster per iteration, but the NetworkX answer needs more than `f32` in the last iterations
//! at tight tolerances. Then gated on the stopping threshold (`N · tol >= 128 · 2⁻²⁴`: rounding
//! a contribution by a relative `2⁻²⁴` moves the gathered vector by at most `2⁻²⁴ · Σ x` in
//! L1, whatever `N`, so the answer stays NetworkX's) with the `f64` scores kept beside the
//! states for the result: slower than the fixed-point states on every graph measured at
//! `N · tol = 1e-4`, 1 and 2 threads, because these states already sit in a 1 MiB L2 and the
//! per-arc work, not the bytes, sets the pace: widening each `f32` to fixed point for the
//! exact prefix sums (0.61x on Slashdot), or summing rows one by one in `f64` (0.65x), or
//! personalized with `f64` row sums either way (0.93x); soc-sign-epinions and Higgs retweet
//! (mostly Gauss–Seidel) within noise (0.96–1.10x). Renumbering nodes by degree per call (1.4–2x faster per
//! iteration, but the renumbering itself cost 1.3–2.8 s, more than the 11 iterations R-MAT
//! needs at an L1 tolerance of 1e-8) and, in a C prototype on R-MAT 22, CSR segmenting (rows
//! split by source range so each pass gathers from a cache-sized slice: 80 → 58 ms per
//! iteration at 2 threads, still about 6x the floor, for a second copy of the arcs).

use rayon::prelude::*;

use clout_graph::{Graph, NodeId};

use super::gather::{
    fixed_row_sums, fixed_row_sums_by_row, from_fixed, gather, gather_weighted, padded_len,
    to_fixed,
};
use super::{CHUNK, Distribution, PageRank, PageRankConfig, PageRankMethod};

/// `Auto` leaves the power iteration for Gauss–Seidel when the last two L1 changes `c₋₁, c`
/// predict more than this many further iterations, `ln(N · tol / c) / ln(c / c₋₁)`. Ordering
/// the components and copying their rows costs about ten iterations on the graphs measured
/// (more on large graphs, where it is latency-bound), and Gauss–Seidel then needs about half
/// as many sweeps as power needs iterations; fast-mixing graphs (R-MAT: 11 iterations at an
/// L1 tolerance of 1e-8) and loose tolerances stay with power.
const SWITCH_REMAINING: f64 = 15.0;

/// The pull form of the graph: row `v` lists the nodes `v` gathers from.
pub(super) struct PullRows<'a> {
    pub(super) offsets: &'a [u64],
    pub(super) sources: &'a [NodeId],
    pub(super) weights: Option<&'a [f64]>,
    pub(super) inv_share: &'a [f64],
    /// Offsets of the influence in-adjacency: node `u` splits its rank over
    /// `share_offsets[u + 1] - share_offsets[u]` arcs (its NetworkX out-degree).
    pub(super) share_offsets: &'a [u64],
}

impl<'a> PullRows<'a> {
    /// The pull rows of `g`: its influence out-adjacency lists each node's NetworkX
    /// in-neighbours; `weights` are those rows' arc weights when weighted.
    pub(super) fn of(g: &'a Graph, weights: Option<&'a [f64]>, inv_share: &'a [f64]) -> Self {
        let pull = g.out_adjacency();
        PullRows {
            offsets: pull.offsets.as_slice(),
            sources: pull.targets.as_slice(),
            weights,
            inv_share,
            share_offsets: g.in_adjacency().offsets.as_slice(),
        }
    }
}

/// What [`power_steps`] ended with.
pub(super) struct Stepped {
    pub(super) result: PageRank,
    /// Stopped early because the convergence rate favours Gauss–Seidel (see [`Plan`]).
    pub(super) wants_gauss_seidel: bool,
}

/// What a power step needs besides the iterate.
pub(super) struct Iteration<'a> {
    pub(super) rows: &'a PullRows<'a>,
    pub(super) cfg: &'a PageRankConfig,
    pub(super) teleport: Distribution<'a>,
    pub(super) dangling_to: Distribution<'a>,
}

/// When [`power_steps`] stops (besides `max_iterations`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Exit {
    /// When NetworkX's stopping rule holds.
    Converged,
    /// Also when the rate of convergence says Gauss–Seidel will be faster (see [`Plan`]).
    ConvergedOrSlow,
}

/// What differs between the unweighted and the weighted power step: how a node's state
/// encodes its score, and how a chunk's rows are summed.
///
/// The state of a node that sends rank is its contribution `x · inv_share`, the value rows
/// gather; the state of a dangling node (which no row gathers from: a source in a row sends
/// rank along that arc) is its score `x` itself. One vector therefore serves the gathers, the
/// L1 change and the dangling mass, and an iteration moves one state vector per node instead of
/// a score vector and a contribution vector.
trait Kernel: Sync {
    /// A node's state.
    type S: Copy + Default + Send + Sync;
    /// The state of node `v` whose score is `x`.
    fn encode(&self, v: usize, x: f64) -> Self::S;
    /// The score of node `v` whose state is `s`.
    fn decode(&self, v: usize, s: Self::S) -> f64;
    /// Whether node `v` is dangling (sends no rank).
    fn dangles(&self, v: usize) -> bool;
    /// The sums of the rows `first .. first + out.len()` over `state` into `out`.
    fn row_sums(&self, first: usize, state: &[Self::S], out: &mut [f64]);
    /// The per-node half of a power step over the chunk of nodes `first .. first + next.len()`,
    /// after its rows are summed into `gathered`: writes the chunk's next states, `x = α ·
    /// gathered + base(v)`, and returns its L1 change and its dangling mass.
    #[inline]
    fn update(
        &self,
        (first, alpha): (usize, f64),
        (gathered, old): (&[f64], &[Self::S]),
        next: &mut [Self::S],
        base: impl Fn(usize) -> f64,
    ) -> (f64, f64) {
        let (mut change, mut dangling_part) = (0.0f64, 0.0f64);
        for (i, (slot, (&sum, &before))) in
            next.iter_mut().zip(gathered.iter().zip(old)).enumerate()
        {
            let v = first + i;
            let value = alpha * sum + base(v);
            change += (value - self.decode(v, before)).abs();
            *slot = self.encode(v, value);
            // Without a branch: which nodes dangle is data, not a pattern.
            dangling_part += if self.dangles(v) { value } else { 0.0 };
        }
        (change, dangling_part)
    }
}

/// Unweighted: states in fixed point, rows summed exactly ([`fixed_row_sums`]). A node's
/// share is `1 / d` for its NetworkX out-degree `d`, so its state is `x · (1 / d)` (or `x` when
/// `d = 0`) and decoding multiplies by `d`.
struct Exact<'a> {
    offsets: &'a [u64],
    sources: &'a [NodeId],
    /// `1 / d` per node, 0 when dangling (a multiply where `x / d` would divide).
    inv_share: &'a [f64],
    /// NetworkX out-degree `d` per node (0: dangling).
    degrees: Vec<u32>,
    /// Sum row by row ([`fixed_row_sums_by_row`]) instead of by running prefix
    /// ([`fixed_row_sums`]): when the states exceed [`PREFIX_MAX_STATE_BYTES`]. Both are exact,
    /// so the choice changes the time, never the result.
    by_row: bool,
}

/// The largest state vector (bytes) summed by running prefix. The prefix stores one word per
/// arc; while the gathered states are cache-resident that costs nothing and saves the
/// mispredicted exit of every short row (Slashdot 1.45 → 1.10 ms per iteration at 1 thread,
/// soc-sign-epinions 2.28 → 1.86 ms). Once gathers miss cache, those stores hold back the
/// misses that could be in flight and row-by-row sums win (R-MAT scale 18, 2 MiB of states:
/// 8.5 against 10.0 ms; scale 22: 395 against 550 ms).
const PREFIX_MAX_STATE_BYTES: usize = 2 << 20;

impl Kernel for Exact<'_> {
    type S = u64;
    #[inline]
    fn encode(&self, v: usize, x: f64) -> u64 {
        let inv = self.inv_share[v];
        to_fixed(x * if inv == 0.0 { 1.0 } else { inv })
    }
    #[inline]
    fn decode(&self, v: usize, s: u64) -> f64 {
        from_fixed(s) * f64::from(self.degrees[v].max(1))
    }
    #[inline]
    fn dangles(&self, v: usize) -> bool {
        self.degrees[v] == 0
    }
    fn row_sums(&self, first: usize, state: &[u64], out: &mut [f64]) {
        let mut sums = [0u64; CHUNK];
        let sums = &mut sums[..out.len()];
        if self.by_row {
            fixed_row_sums_by_row(self.offsets, self.sources, state, first, sums);
        } else {
            fixed_row_sums(self.offsets, self.sources, state, first, sums);
        }
        out.iter_mut().zip(sums.iter()).for_each(|(o, &s)| *o = from_fixed(s));
    }
    /// [`Kernel::update`] with the degrees and shares cut to the chunk and zipped, which drops
    /// three bounds checks per node and keeps the slices in registers: the same arithmetic as
    /// `decode` and `encode`, so the same bits.
    #[inline]
    fn update(
        &self,
        (first, alpha): (usize, f64),
        (gathered, old): (&[f64], &[u64]),
        next: &mut [u64],
        base: impl Fn(usize) -> f64,
    ) -> (f64, f64) {
        let chunk = first..first + next.len();
        let per_node = self.degrees[chunk.clone()].iter().zip(&self.inv_share[chunk]);
        let (mut change, mut dangling_part) = (0.0f64, 0.0f64);
        for (i, ((slot, (&sum, &before)), (&degree, &inv))) in
            next.iter_mut().zip(gathered.iter().zip(old)).zip(per_node).enumerate()
        {
            let value = alpha * sum + base(first + i);
            change += (value - from_fixed(before) * f64::from(degree.max(1))).abs();
            *slot = to_fixed(value * if inv == 0.0 { 1.0 } else { inv });
            dangling_part += if degree == 0 { value } else { 0.0 };
        }
        (change, dangling_part)
    }
}

/// States and sums in `f64`: weighted rows (`Σ w · state[u]`, [`gather_weighted`]) and
/// unweighted rows under a personalization vector or damping 1, where scores can be far below
/// the resolution of [`Exact`]'s fixed point (`Σ state[u]`, [`gather`]).
struct Float<'a> {
    offsets: &'a [u64],
    sources: &'a [NodeId],
    weights: Option<&'a [f64]>,
    inv_share: &'a [f64],
}

impl Kernel for Float<'_> {
    type S = f64;
    #[inline]
    fn encode(&self, v: usize, x: f64) -> f64 {
        let inv = self.inv_share[v];
        if inv == 0.0 { x } else { x * inv }
    }
    #[inline]
    fn decode(&self, v: usize, s: f64) -> f64 {
        let inv = self.inv_share[v];
        if inv == 0.0 { s } else { s / inv }
    }
    #[inline]
    fn dangles(&self, v: usize) -> bool {
        self.inv_share[v] == 0.0
    }
    fn row_sums(&self, first: usize, state: &[f64], out: &mut [f64]) {
        for (i, slot) in out.iter_mut().enumerate() {
            let (lo, hi) = (self.offsets[first + i] as usize, self.offsets[first + i + 1] as usize);
            *slot = match self.weights {
                None => gather(&self.sources[lo..hi], state),
                Some(w) => gather_weighted(&self.sources[lo..hi], &w[lo..hi], state),
            };
        }
    }
}

/// Power iteration from `start` (non-negative, summing to 1), `done` iterations already spent,
/// until `exit` or `max_iterations`.
pub(super) fn power_steps(
    iteration: &Iteration,
    start: Vec<f64>,
    done: usize,
    exit: Exit,
    work: &mut Workspace,
) -> Stepped {
    let rows = iteration.rows;
    let whole = 0..start.len();
    // Fixed point needs every score well above its resolution: uniform teleport (each score
    // at least (1 - α) / N) and α < 1.
    let exact = rows.weights.is_none()
        && iteration.cfg.personalization.is_none()
        && iteration.cfg.damping < 1.0;
    if exact {
        let kernel = exact_kernel(rows, start.len());
        let buffers = (std::mem::take(&mut work.fixed), std::mem::take(&mut work.next_fixed));
        let (stepped, buffers) = local(run(
            &kernel,
            iteration,
            start,
            done,
            exit,
            buffers,
            Part { rows: whole, exchange: &mut no_exchange },
        ));
        (work.fixed, work.next_fixed) = buffers;
        stepped
    } else {
        let kernel = Float {
            offsets: rows.offsets,
            sources: rows.sources,
            weights: rows.weights,
            inv_share: rows.inv_share,
        };
        let buffers = (std::mem::take(&mut work.contrib), std::mem::take(&mut work.next_contrib));
        let (stepped, buffers) = local(run(
            &kernel,
            iteration,
            start,
            done,
            exit,
            buffers,
            Part { rows: whole, exchange: &mut no_exchange },
        ));
        (work.contrib, work.next_contrib) = buffers;
        stepped
    }
}

/// The fixed-point kernel over `rows` of a graph of `n` nodes (unweighted rows only).
fn exact_kernel<'a>(rows: &PullRows<'a>, n: usize) -> Exact<'a> {
    // Unweighted, `inv_share` is `1 / d` for these degrees (see `inverse_shares`).
    let degrees = rows.share_offsets.par_windows(2).map(|w| (w[1] - w[0]) as u32).collect();
    Exact {
        offsets: rows.offsets,
        sources: rows.sources,
        inv_share: rows.inv_share,
        degrees,
        by_row: std::mem::size_of::<u64>() * n >= PREFIX_MAX_STATE_BYTES,
    }
}

/// Unweighted power iteration (fixed-point states, uniform teleport, `α < 1`: the caller checks)
/// from `start` computing only the rows of `part` and learning the others through its
/// exchange; stops on NetworkX's rule or `max_iterations`, never for Gauss–Seidel.
pub(super) fn exact_power_part<E>(
    iteration: &Iteration,
    start: Vec<f64>,
    part: Part<'_, u64, E>,
) -> Result<PageRank, E> {
    let kernel = exact_kernel(iteration.rows, start.len());
    let (stepped, _) =
        run(&kernel, iteration, start, 0, Exit::Converged, (Vec::new(), Vec::new()), part)?;
    Ok(stepped.result)
}

/// The two state vectors of [`run`] (current and next), handed back for reuse.
type Buffers<S> = (Vec<S>, Vec<S>);

/// Per-chunk partial sums of one power step: (L1 change, dangling mass), in chunk order.
pub(super) type Partials = Vec<(f64, f64)>;

/// The rows one call of [`run`] computes, and how it learns the rest of each step: after each
/// step, `exchange(rows, next, own)` gets the next states (rows outside `rows` not yet
/// computed here) and this part's chunk partials; it must fill in the other rows' next states
/// and return the partials of every chunk of the graph, in chunk order. On one machine `rows`
/// is every row and the exchange hands the partials back ([`no_exchange`]).
pub(super) struct Part<'a, S, E> {
    pub(super) rows: std::ops::Range<usize>,
    pub(super) exchange: &'a mut ExchangeFn<'a, S, E>,
}

/// The exchange of a [`Part`]: `(own rows, next states, own partials) -> every partial`.
pub(super) type ExchangeFn<'a, S, E> =
    dyn FnMut(std::ops::Range<usize>, &mut [S], Partials) -> Result<Partials, E> + 'a;

/// The exchange of a single part holding every row: nothing to learn.
fn no_exchange<S>(
    _: std::ops::Range<usize>,
    _: &mut [S],
    own: Partials,
) -> Result<Partials, std::convert::Infallible> {
    Ok(own)
}

/// The value of a run that cannot fail.
fn local<T>(result: Result<T, std::convert::Infallible>) -> T {
    match result {
        Ok(value) => value,
        Err(never) => match never {},
    }
}

/// [`power_steps`] for one [`Kernel`] over the rows of `part`; hands back the state buffers
/// for reuse. The chunk partials are folded in chunk order whatever the part, so a run split
/// into parts on chunk boundaries gives the same bits as one run over every row.
fn run<K: Kernel, E>(
    kernel: &K,
    iteration: &Iteration,
    start: Vec<f64>,
    done: usize,
    exit: Exit,
    (mut state, mut next): Buffers<K::S>,
    part: Part<'_, K::S, E>,
) -> Result<(Stepped, Buffers<K::S>), E> {
    let Part { rows: own, exchange } = part;
    let Iteration { cfg, teleport, dangling_to, .. } = *iteration;
    let n = start.len();
    let alpha = cfg.damping;
    // Padded for the masked gathers. Only the first n entries are ever written or read, so a
    // fresh buffer comes zeroed from the allocator and its padding pages are never touched (a
    // first touch costs about 2 µs per 4 KiB page on the measured VM: 0.5 ms per MiB).
    state = ready(state, padded_len(n));
    let mut dangling_mass: f64 = state[..n]
        .par_chunks_mut(CHUNK)
        .zip(start.par_chunks(CHUNK))
        .enumerate()
        .map(|(chunk, (out, xs))| {
            let mut mass = 0.0;
            for (i, (s, &x)) in out.iter_mut().zip(xs).enumerate() {
                let v = chunk * CHUNK + i;
                *s = kernel.encode(v, x);
                mass += if kernel.dangles(v) { x } else { 0.0 };
            }
            mass
        })
        .collect::<Vec<f64>>()
        .iter()
        .sum();
    next = ready(next, padded_len(n));
    // `start` becomes the result (no fresh pages for it).
    let mut scores = start;
    let mut result = PageRank {
        scores: Vec::new(),
        iterations: done,
        residual: f64::INFINITY,
        converged: false,
        method: PageRankMethod::Power,
    };
    let mut wants_gauss_seidel = false;

    while result.iterations < cfg.max_iterations {
        // `x_v = α · gathered_v + base_v`, with `base_v` the dangling and teleport rank; a
        // constant (hoisted out of the node loop) when both are uniform.
        let uniform_base = match (teleport, dangling_to) {
            (Distribution::Uniform(t), Distribution::Uniform(d)) => {
                Some(alpha * dangling_mass * d + (1.0 - alpha) * t)
            }
            _ => None,
        };
        let partials: Partials = next[own.clone()]
            .par_chunks_mut(CHUNK)
            .enumerate()
            // One chunk per task, so idle threads can take any chunk: arcs are far from evenly
            // spread over chunks (the first 2,048 nodes of Slashdot hold 23% of its arcs, of
            // soc-sign-epinions 31%, of Higgs retweet 47%), and rayon's default split handed
            // one thread the first ten chunks, 72% of Slashdot's arcs. Per iteration at 2
            // threads on Slashdot: 0.83 -> 0.54 ms (1 thread: 1.05 ms).
            .with_max_len(1)
            .map(|(chunk, next_part)| {
                let first = own.start + chunk * CHUNK;
                let mut gathered = [0.0f64; CHUNK];
                let gathered = &mut gathered[..next_part.len()];
                kernel.row_sums(first, &state, gathered);
                let old = &state[first..first + next_part.len()];
                let (at, sums) = ((first, alpha), (&gathered[..], old));
                match uniform_base {
                    Some(base) => kernel.update(at, sums, next_part, |_| base),
                    None => kernel.update(at, sums, next_part, |v| {
                        alpha * dangling_mass * dangling_to.at(v) + (1.0 - alpha) * teleport.at(v)
                    }),
                }
            })
            .collect();
        let partials = exchange(own.clone(), &mut next[..n], partials)?;
        let (change, mass) = partials.iter().fold((0.0, 0.0), |acc, p| (acc.0 + p.0, acc.1 + p.1));
        std::mem::swap(&mut state, &mut next);
        dangling_mass = mass;
        result.iterations += 1;
        let previous = std::mem::replace(&mut result.residual, change);
        let target = n as f64 * cfg.tolerance;
        if change < target {
            result.converged = true;
            break;
        }
        // Room for one sweep and the final power step.
        if exit == Exit::ConvergedOrSlow
            && result.iterations >= 2
            && result.iterations + 2 <= cfg.max_iterations
        {
            let rate = change / previous;
            let remaining =
                if rate < 1.0 { (target / change).ln() / rate.ln() } else { f64::INFINITY };
            if remaining > SWITCH_REMAINING {
                wants_gauss_seidel = true;
                break;
            }
        }
    }
    scores.par_chunks_mut(CHUNK).zip(state[..n].par_chunks(CHUNK)).enumerate().for_each(
        |(chunk, (out, states))| {
            for (i, (x, &s)) in out.iter_mut().zip(states).enumerate() {
                *x = kernel.decode(chunk * CHUNK + i, s);
            }
        },
    );
    result.scores = scores;
    Ok((Stepped { result, wants_gauss_seidel }, (state, next)))
}

/// One power step `x = F(y)` from `y` (non-negative, summing to 1), written over `y`: the step
/// that ends a Gauss–Seidel solve, `done` iterations already spent. `c` is a buffer to reuse
/// (any length and content on entry; it holds the contributions `y · inv_share` after).
///
/// The general [`power_steps`] would allocate (and fault in) a state vector, a next vector and
/// the degrees for the one step it takes here; this step needs only `c`, which the solve has
/// already touched, and `y` itself: row `v` gathers from `c` alone, so `x_v` can replace `y_v`
/// as soon as `|x_v - y_v|` is added to the change. Rows are summed in `f64` with
/// [`gather`]'s fixed order and partial sums are folded in chunk order, so the result is the
/// same at any thread count.
pub(super) fn one_step(
    iteration: &Iteration,
    mut y: Vec<f64>,
    done: usize,
    c: &mut Vec<f64>,
) -> PageRank {
    let Iteration { rows, cfg, teleport, dangling_to } = *iteration;
    let (n, alpha) = (y.len(), cfg.damping);
    c.clear();
    c.resize(padded_len(n), 0.0);
    let dangling_mass: f64 = c[..n]
        .par_chunks_mut(CHUNK)
        .zip(y.par_chunks(CHUNK))
        .enumerate()
        .map(|(chunk, (out, ys))| {
            let shares = &rows.inv_share[chunk * CHUNK..chunk * CHUNK + out.len()];
            let mut mass = 0.0;
            for ((slot, &value), &inv) in out.iter_mut().zip(ys).zip(shares) {
                *slot = value * inv;
                mass += if inv == 0.0 { value } else { 0.0 };
            }
            mass
        })
        .collect::<Vec<f64>>()
        .iter()
        .sum();
    let c = &c[..];
    let change: f64 = y
        .par_chunks_mut(CHUNK)
        .enumerate()
        .with_max_len(1)
        .map(|(chunk, ys)| {
            let mut change = 0.0;
            for (i, slot) in ys.iter_mut().enumerate() {
                let v = chunk * CHUNK + i;
                let (lo, hi) = (rows.offsets[v] as usize, rows.offsets[v + 1] as usize);
                let gathered = match rows.weights {
                    None => gather(&rows.sources[lo..hi], c),
                    Some(w) => gather_weighted(&rows.sources[lo..hi], &w[lo..hi], c),
                };
                let x = alpha * gathered
                    + alpha * dangling_mass * dangling_to.at(v)
                    + (1.0 - alpha) * teleport.at(v);
                change += (x - *slot).abs();
                *slot = x;
            }
            change
        })
        .collect::<Vec<f64>>()
        .iter()
        .sum();
    PageRank {
        scores: y,
        iterations: done + 1,
        residual: change,
        converged: change < n as f64 * cfg.tolerance,
        method: PageRankMethod::GaussSeidel,
    }
}

/// `buffer` with `len` entries whose contents do not matter: itself when it has that length,
/// else a fresh zeroed one (pages the caller never writes stay untouched).
fn ready<S: Copy + Default>(buffer: Vec<S>, len: usize) -> Vec<S> {
    if buffer.len() == len { buffer } else { vec![S::default(); len] }
}

/// Buffers handed from phase to phase of one [`pagerank`] call, so that each is allocated (and
/// its pages faulted in: a measurable part of a single run on a graph of a million arcs) once.
#[derive(Default)]
pub(super) struct Workspace {
    /// Contributions `x · inv_share`, padded for the masked gather.
    pub(super) contrib: Vec<f64>,
    /// The next contributions, padded.
    pub(super) next_contrib: Vec<f64>,
    /// States in fixed point (unweighted power steps), padded.
    pub(super) fixed: Vec<u64>,
    /// The next fixed-point states, padded.
    pub(super) next_fixed: Vec<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pagerank::inputs::inverse_shares_of;

    /// The step that ends Gauss–Seidel ([`one_step`]) is one step of the general loop from the
    /// same iterate: the same iteration count and stopping decision, scores and change equal up
    /// to rounding (the general loop sums rows in fixed point, `one_step` in `f64`), uniform and
    /// personalized, on a graph of several chunks with dangling nodes and nodes fed by nobody.
    #[test]
    fn one_step_is_a_power_step() {
        let n = 5000u32;
        let pairs: Vec<(NodeId, NodeId)> = (0..n)
            .flat_map(|u| [(u, (u * 7 + 1) % n), (u, (u * 13 + 5) % n), (u, (u + 1) % n)])
            .filter(|&(u, v)| u % 10 != 3 && v % 17 != 0 && u != v)
            .collect();
        let g = clout_graph::from_pairs(n, &pairs, true);
        let inv_share = inverse_shares_of(g.in_adjacency().offsets.as_slice());
        assert!(inv_share.contains(&0.0), "the test graph needs dangling nodes");
        let rows = PullRows::of(&g, None, &inv_share);
        let p: Vec<f64> = (0..n).map(|v| f64::from(1 + v % 3) / f64::from(2 * n)).collect();
        let total_y: f64 = (0..n).map(|v| f64::from(1 + v % 5)).sum();
        let y: Vec<f64> = (0..n).map(|v| f64::from(1 + v % 5) / total_y).collect();
        for (personalized, tolerance) in [(false, 0.0), (true, 0.0), (false, 1.0), (true, 1.0)] {
            let teleport = if personalized {
                Distribution::Given(&p)
            } else {
                Distribution::Uniform(1.0 / f64::from(n))
            };
            let cfg = PageRankConfig {
                tolerance,
                max_iterations: 4,
                personalization: personalized.then(|| p.clone()),
                ..Default::default()
            };
            let iteration = Iteration { rows: &rows, cfg: &cfg, teleport, dangling_to: teleport };
            let ours = one_step(&iteration, y.clone(), 3, &mut Vec::new());
            let general =
                power_steps(&iteration, y.clone(), 3, Exit::Converged, &mut Workspace::default())
                    .result;
            assert_eq!((ours.iterations, ours.converged), (4, tolerance > 0.0));
            assert_eq!((general.iterations, general.converged), (4, tolerance > 0.0));
            assert!((ours.residual - general.residual).abs() < 1e-13, "{personalized}");
            assert!(ours.residual > 1e-3, "the start is far from the answer");
            for (a, b) in ours.scores.iter().zip(&general.scores) {
                assert!((a - b).abs() < 1e-16, "{a} against {b}");
            }
        }
    }
}
