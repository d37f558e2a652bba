//! The Gauss–Seidel PageRank solver ([`PageRankMethod::GaussSeidel`](super::PageRankMethod)):
//! strongly connected components in topological order, each solved in place by Gauss–Seidel
//! (successive over-relaxation on large components), as in the `sccgs` method of PRPACK
//! (D. Kurokawa, C. Greif and D. F. Gleich; igraph's default PageRank). The caller finishes with power steps, so the result meets
//! NetworkX's stopping rule like the power iteration's does.
//!
//! # The linear system
//! When dangling rank goes where teleport rank goes (`w = p`), PageRank `x` satisfies
//! `x = α Pᵀ x + (α δ(x) + 1 - α) p` with `δ(x)` the dangling mass, a scalar, so `x` is a
//! multiple of the solution `y` of the linear system without the dangling term,
//!
//! ```text
//! y = α Pᵀ y + p,        x = y / Σ y
//! ```
//!
//! (Langville and Meyer, "Deeper inside PageRank", Internet Math. 2004, §5). The matrix
//! `I - α Pᵀ` is a nonsingular M-matrix, so Gauss–Seidel converges on it in any order; in the
//! topological order of the components it is block triangular, so one pass settles every node
//! outside a cycle exactly and each component is solved once, after everything upstream.
//!
//! Paper → code: `α` = `alpha`, `y` = `y`, `p` = `teleport`; `c[u] = y[u] · inv_share[u]` is what
//! `u` sends along each (unit-weight) arc; `base[i]` = `α` × the rank arriving from upstream
//! components + `p`, fixed while a component is solved; `ω` = `omega`. The start is the
//! caller's estimate of `x` times `1 / (α δ + 1 - α)` (uniform, or the power iterate that
//! `Auto` switched from).
//!
//! # Acceleration inside a component
//! - Rebalancing after every sweep: `y` on the component is scaled so that the rank it holds
//!   equals the rank it keeps plus the rank it receives (true of the solution). This is one
//!   aggregation step of iterative aggregation/disaggregation and removes the error in the
//!   component's total, which Gauss–Seidel alone shrinks only by about `α` per sweep: R-MAT
//!   scale 20, 37 → 10 sweeps; Slashdot's largest component (with over-relaxation), 36 → 30.
//! - Over-relaxation on components of at least [`SOR_MIN_NODES`] nodes: after four sweeps with
//!   `ω = 1` the observed contraction `q` (at most `α²`) gives
//!   `ω = 1 + 0.7 · (2 / (1 + √(1 - q)) - 1)`, the classical optimum for consistently ordered
//!   matrices (Young 1950) damped by 0.7, because these matrices are not consistently ordered (undamped, soc-sign-epinions diverged at
//!   `ω = 1.4`). Every three sweeps after that, the contraction observed under the current `ω`
//!   gives a new estimate of the Jacobi radius (Hageman and Young's adaptive SOR; see
//!   [`relaxation`]) and `ω` may grow: the first sweeps remove fast-decaying error, so the
//!   first estimate is low. If the sweep change grows, `ω` returns to 1 for good, where
//!   convergence is guaranteed. Sweeps of the largest component at L1 tolerances 1e-8 / 1e-10 /
//!   1e-12, with rebalancing (2026-11-24; before the re-estimation → after): Slashdot 16/24/31 →
//!   15/22/27, soc-sign-epinions 24/33/44 → 21/28/35, ego-Facebook 27/38/48 → 24/33/41. Undamped
//!   re-estimation (or damped by 0.9) was faster on Slashdot and ego-Facebook but slowed
//!   soc-sign-epinions at 1e-12 to 52 sweeps (an `ω` past the optimum contracts only by
//!   `ω - 1`); refusing to grow `ω` when the rate worsened stopped it too early everywhere.
//! - Self-loops are the diagonal of `I - α Pᵀ`: each node is solved for exactly, dividing by
//!   `1 - α w_ii / S_i`, instead of using its own old value (Slashdot, where most accounts
//!   follow themselves: 34 → 23 iterations end to end).
//! - Rejected, measured: the order inside a component (Tarjan's, depth-first discovery, id
//!   order: within 5% of one another) and renumbering by degree (no fewer sweeps).
//!
//! # Cost and determinism
//! Serial: O(n + m) for the components, O(m_C) per sweep of component `C`, plus a local copy
//! of each component's rows (memory O(n + m_C) for the largest). The inner loop is the same
//! masked four-way gather as the power iteration's; the local rows are padded to whole
//! quadruples (with a slot whose contribution is 0), which saves the remainder loop's
//! mispredicted branch at every row end (measured together with a change to the row copy that
//! was later reverted: 9-13% off the whole run on Slashdot and soc-sign-epinions, minimum of 40
//! runs, 2026-11-24).
//!
//! Bit-identical at any thread count: the components are ordered and solved serially; what
//! runs in parallel is per node (the start, the dangling nodes, the final scaling) or sums
//! chunk by chunk in chunk order ([`ordered_sum`]), and the start is prepared while the
//! components are ordered. (A parallel solve that stays deterministic must fix its blocks
//! independently of the thread count, which turns the arcs between blocks into Jacobi updates
//! and costs sweeps at every thread count: with blocks of 2,048 nodes in id order, 11% of
//! Slashdot's arcs and 19% of soc-sign-epinions' stay inside a block. Not done; nor is a
//! parallel ordering of the components, which on soc-sign-epinions, Tarjan's serial 5 ms, is
//! a quarter of the run.)

use clout_graph::NodeId;

use rayon::prelude::*;

use super::gather::{gather, gather_weighted, padded_len};
use super::scc_order::{SccOrder, scc_order};
use super::{CHUNK, Distribution};

/// Components with at least this many nodes get over-relaxation; smaller ones plain
/// Gauss–Seidel (their sweeps cost nothing, and four sweeps say little about their rate).
pub(super) const SOR_MIN_NODES: usize = 1024;

/// A component stops sweeping when its L1 change (in `y`'s scale) falls below
/// `SWEEP_SLACK · tolerance · |C|`. Calibrated so that the first power step afterwards almost
/// always meets the stopping rule; a miss costs one more power step, not a wrong answer.
/// Measured on soc-sign-epinions, Slashdot, ego-Facebook, wiki-Vote and R-MAT 20 at L1
/// tolerances 1e-6, 1e-8 and 1e-10 (2026-11-24): with 20, that first power step's change was at
/// most 0.77 of the threshold (10: at most 0.38, and one sweep more on most of them; 30: up to
/// 0.98).
const SWEEP_SLACK: f64 = 20.0;

/// The over-relaxation factor for a Gauss-Seidel iteration whose Jacobi spectral radius `μ` is
/// inferred from `rate`, the contraction per sweep observed under relaxation `omega`: for
/// consistently ordered matrices the SOR rate `λ` satisfies `(λ + ω - 1)² = λ ω² μ²` (Young
/// 1950; Hageman and Young, "Applied Iterative Methods", 1981, ch. 9), and the optimum is
/// `2 / (1 + √(1 - μ²))`, damped by [`OMEGA_DAMPING`]. `μ` is capped at `α`: the Jacobi
/// iteration of `I - α Pᵀ` (self-loops on the diagonal) contracts by at least `α`, so a larger
/// estimate is noise (as the change nears the stopping limit) and would overshoot.
fn relaxation(rate: f64, omega: f64, alpha: f64) -> f64 {
    if rate.is_nan() || rate <= 0.0 {
        return omega;
    }
    let mu2 = ((rate + omega - 1.0).powi(2) / (rate * omega * omega)).min(alpha * alpha);
    let optimal = 2.0 / (1.0 + (1.0 - mu2).sqrt());
    1.0 + OMEGA_DAMPING * (optimal - 1.0)
}

/// The damping applied to Young's optimal over-relaxation factor.
const OMEGA_DAMPING: f64 = 0.7;

/// The PageRank system in pull form (see the module docs).
pub(super) struct Problem<'a> {
    pub offsets: &'a [u64],
    pub sources: &'a [NodeId],
    pub weights: Option<&'a [f64]>,
    pub inv_share: &'a [f64],
    pub teleport: Distribution<'a>,
    pub alpha: f64,
    pub tolerance: f64,
    /// Sweeps allowed per component.
    pub max_sweeps: usize,
}

/// What [`solve`] found: normalized scores and the most sweeps any component took.
pub(super) struct Solved {
    pub scores: Vec<f64>,
    pub sweeps: usize,
}

/// Solves `y = α Pᵀ y + p` component by component, starting from `start` (a PageRank
/// estimate summing to 1, scaled to `y`'s scale), and returns `y / Σ y`. `c` is a buffer to
/// reuse (any length and content on entry).
pub(super) fn solve(problem: &Problem, start: Vec<f64>, c: &mut Vec<f64>) -> Solved {
    let n = problem.inv_share.len();
    let (offsets, inv_share) = (problem.offsets, problem.inv_share);
    let fed_by_nobody = |v: usize| offsets[v] == offsets[v + 1];
    // Dangling nodes send nothing (their contribution is y · 0), so they are never on a cycle
    // that matters and can be settled after everything else.
    let sends_nothing = |v: usize| inv_share[v] == 0.0;
    // The order of the components, and meanwhile (on another thread, if there is one) the
    // start in `y`'s scale and its contributions.
    let skip = |v: usize| fed_by_nobody(v) || sends_nothing(v);
    let (SccOrder { nodes, starts, scratch }, (mut y, contributions)) = rayon::join(
        || scc_order(offsets, problem.sources, skip),
        || {
            // PageRank x and y are proportional, x = (α δ(x) + 1 - α) y with δ the
            // dangling mass.
            let dangling = ordered_sum(n, |v| if sends_nothing(v) { start[v] } else { 0.0 });
            let scale = 1.0 / (problem.alpha * dangling + 1.0 - problem.alpha);
            let mut y = start;
            // The nodes nobody feeds are final at once: y = p exactly.
            y.par_chunks_mut(CHUNK).enumerate().for_each(|(chunk, values)| {
                for (i, value) in values.iter_mut().enumerate() {
                    let v = chunk * CHUNK + i;
                    *value = if fed_by_nobody(v) { problem.teleport.at(v) } else { *value * scale };
                }
            });
            let c: Vec<f64> =
                y.par_iter().zip(inv_share.par_iter()).map(|(yv, inv)| yv * inv).collect();
            (y, c)
        },
    );
    *c = contributions;
    let mut local = scratch;
    local.par_iter_mut().for_each(|slot| *slot = u32::MAX);
    let mut system = LocalSystem::default();
    let mut sweeps = usize::from(n > 0);
    let mut nodes = nodes;
    for bounds in starts.windows(2) {
        let component = &mut nodes[bounds[0] as usize..bounds[1] as usize];
        if component.len() >= SOR_MIN_NODES {
            in_id_order(component, &mut local);
        }
        let component = &*component;
        if let [v] = *component {
            let v = v as usize;
            y[v] = settle_single(problem, v, c);
            c[v] = y[v] * inv_share[v];
            continue;
        }
        system.build(problem, component, c, &y, &mut local);
        let limit = SWEEP_SLACK * problem.tolerance * component.len() as f64;
        let used = system.sweep_until(problem.alpha, limit, problem.max_sweeps);
        sweeps = sweeps.max(used);
        for (i, &v) in component.iter().enumerate() {
            y[v as usize] = system.y[i];
            c[v as usize] = system.c[i];
            local[v as usize] = u32::MAX;
        }
    }
    // Last the dangling nodes: everything they gather from is final, and nothing gathers from
    // them, so each is settled on its own, in parallel.
    let c = &c[..];
    y.par_chunks_mut(CHUNK).enumerate().for_each(|(chunk, values)| {
        for (i, value) in values.iter_mut().enumerate() {
            let v = chunk * CHUNK + i;
            if sends_nothing(v) && !fed_by_nobody(v) {
                *value = settle_single(problem, v, c);
            }
        }
    });
    let total = ordered_sum(n, |v| y[v]);
    y.par_iter_mut().for_each(|value| *value /= total);
    Solved { scores: y, sweeps }
}

/// `Σ f(v)` over `0..n`: each chunk of [`CHUNK`] nodes summed in order, then the chunk sums in
/// order, so the bits do not depend on the thread count.
fn ordered_sum(n: usize, f: impl Fn(usize) -> f64 + Sync) -> f64 {
    let chunks: Vec<f64> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|chunk| (chunk * CHUNK..n.min((chunk + 1) * CHUNK)).map(&f).sum::<f64>())
        .collect();
    chunks.iter().sum()
}

/// Puts a component's nodes in id order, so that copying its rows reads the CSR, the shares
/// and the iterate front to back instead of in Tarjan's order, which jumps about the graph.
/// The order inside a component hardly changes the sweeps (see the module docs). A large
/// component is ordered by a scan of `mark` (all `u32::MAX` on entry and exit), O(n); a
/// smaller one by sorting. Measured with the branch-free row copy ([`copy_row`]), Gauss–Seidel
/// on Slashdot at 1 thread (minimum of 15 runs, 3 rounds alternating, 2026-12-07): 27-29 →
/// 22-23 ms; soc-sign-epinions within the noise.
fn in_id_order(component: &mut [NodeId], mark: &mut [u32]) {
    if component.len() * 32 < mark.len() {
        component.sort_unstable();
        return;
    }
    for &v in component.iter() {
        mark[v as usize] = 0;
    }
    let mut next = 0;
    for (v, flag) in mark.iter_mut().enumerate() {
        if *flag == 0 {
            component[next] = v as NodeId;
            next += 1;
            *flag = u32::MAX;
        }
    }
    debug_assert_eq!(next, component.len());
}

/// A node in a component of its own: every source but itself is final, so solve
/// `y_v = α (Σ_u w_uv c_u + w_vv c_v) + p_v` for `y_v` directly.
fn settle_single(problem: &Problem, v: usize, c: &[f64]) -> f64 {
    let (lo, hi) = (problem.offsets[v] as usize, problem.offsets[v + 1] as usize);
    let (mut gathered, mut self_weight) = (0.0f64, 0.0f64);
    for (k, &u) in problem.sources[lo..hi].iter().enumerate() {
        let weight = problem.weights.map_or(1.0, |w| w[lo + k]);
        if u as usize == v {
            self_weight += weight;
        } else {
            gathered += weight * c[u as usize];
        }
    }
    let keep = problem.alpha * self_weight * problem.inv_share[v];
    (problem.alpha * gathered + problem.teleport.at(v)) / (1.0 - keep)
}

/// Copies one unweighted row of [`LocalSystem::build`] to `out` from `cursor` on: inside arcs
/// as local ids (self-loops dropped), upstream arcs summed. Returns `(upstream, self-loops, new
/// cursor)` and counts every inside arc (self-loops included) in `inside`, upstream arcs in its
/// last slot. A function of its own so that its few sums can stay in registers (inlined into
/// `solve`, the sum was kept on the stack), with no branch on where `u` lies (data, not a
/// pattern) but a select: an inside arc adds exactly 0 to `upstream`, so the sums are the
/// ones the branchy loop made.
#[inline(never)]
fn copy_row(
    row: &[NodeId],
    local: &[u32],
    c: &[f64],
    own: u32,
    inside: &mut [u32],
    out: &mut [u32],
    mut cursor: usize,
) -> (f64, f64, usize) {
    let pad = (inside.len() - 1) as u32;
    let (mut upstream, mut self_loops) = (0.0f64, 0u32);
    for &u in row {
        let i = local[u as usize];
        let outside = i == u32::MAX;
        let gathered = c[u as usize];
        upstream += if outside { gathered } else { 0.0 };
        self_loops += u32::from(i == own);
        inside[i.min(pad) as usize] += 1;
        out[cursor] = i;
        cursor += usize::from(!outside && i != own);
    }
    (upstream, f64::from(self_loops), cursor)
}

/// One component's rows in local ids, reused from component to component.
#[derive(Default)]
struct LocalSystem {
    offsets: Vec<usize>,
    sources: Vec<u32>,
    weights: Vec<f64>,
    /// The stored `y` and `c` are the true values divided by `scale` (rebalancing changes only
    /// this factor, not the arrays).
    scale: f64,
    /// `Σ base`: the rank the component receives.
    received: f64,
    y: Vec<f64>,
    c: Vec<f64>,
    /// Per node, what a sweep reads besides `y` and the row, side by side (one stream, built
    /// in place: each separate array is another set of fresh pages to fault in):
    /// `[base, inv_diagonal, inv_share, kept]` where
    /// - `base` = `α ×` the rank arriving from upstream components `+ p`;
    /// - `inv_diagonal` = `1 / (1 - α · w_ii / S_i)`: self-loops are the diagonal of
    ///   `I - α Pᵀ`, which Gauss–Seidel divides by rather than treating as an old value
    ///   (Slashdot: 78k self-loops);
    /// - `inv_share` = `1 / S_i`;
    /// - `kept` = `α ×` the share of the node's rank that stays inside the component.
    constants: Vec<[f64; 4]>,
    /// Unweighted: per node, the arcs of the component's rows that gather from it (see
    /// [`LocalSystem::build`]).
    inside: Vec<u32>,
}

impl LocalSystem {
    /// Copies the component's rows with sources renumbered `0..|C|`; rank from other (earlier,
    /// final) components is summed once into `base`.
    fn build(
        &mut self,
        problem: &Problem,
        component: &[NodeId],
        c: &[f64],
        y: &[f64],
        local: &mut [u32],
    ) {
        for (i, &v) in component.iter().enumerate() {
            local[v as usize] = i as u32;
        }
        self.offsets.clear();
        self.sources.clear();
        self.weights.clear();
        self.constants.clear();
        self.y.clear();
        self.c.clear();
        self.offsets.push(0);
        let arcs: usize = component
            .iter()
            .map(|&v| (problem.offsets[v as usize + 1] - problem.offsets[v as usize]) as usize)
            .sum();
        // Each row is padded to a multiple of four arcs with `pad`, a slot past the component
        // whose contribution stays 0, so that the sweep's four-way gather never runs a remainder
        // loop (a mispredicted branch per node at each row end).
        let pad = component.len() as u32;
        // Written through a cursor rather than pushed, so the loop keeps its sums in registers;
        // an arc inside the component is stored, and only one from another node advances the
        // cursor (no branch on self-loops).
        self.sources.resize(arcs + 3 * component.len() + 4, pad);
        if problem.weights.is_some() {
            self.weights.resize(self.sources.len(), 0.0);
        }
        // Unweighted: per node, the arcs inside the component that gather from it (self-loops
        // included), plus a last slot that absorbs upstream arcs.
        let inside = &mut self.inside;
        inside.clear();
        inside.resize(component.len() + 1, 0);
        let mut cursor = 0usize;
        for (own, &v) in component.iter().enumerate() {
            let (own, v) = (own as u32, v as usize);
            let (lo, hi) = (problem.offsets[v] as usize, problem.offsets[v + 1] as usize);
            let (mut upstream, mut self_weight) = (0.0f64, 0.0f64);
            match problem.weights {
                None => {
                    let row = &problem.sources[lo..hi];
                    let copied = copy_row(row, local, c, own, inside, &mut self.sources, cursor);
                    (upstream, self_weight, cursor) = copied;
                }
                Some(w) => {
                    for (&u, &weight) in problem.sources[lo..hi].iter().zip(&w[lo..hi]) {
                        let i = local[u as usize];
                        if i == u32::MAX {
                            upstream += weight * c[u as usize];
                            continue;
                        }
                        self_weight += if i == own { weight } else { 0.0 };
                        self.sources[cursor] = i;
                        self.weights[cursor] = weight;
                        cursor += usize::from(i != own);
                    }
                }
            }
            // Pad the row: the slots up to the next multiple of four point at `pad` (weight 0).
            self.sources[cursor..cursor + 4].fill(pad);
            if problem.weights.is_some() {
                self.weights[cursor..cursor + 4].fill(0.0);
            }
            cursor = cursor.next_multiple_of(4);
            self.offsets.push(cursor);
            let inv_share = problem.inv_share[v];
            self.constants.push([
                problem.alpha * upstream + problem.teleport.at(v),
                1.0 / (1.0 - problem.alpha * self_weight * inv_share),
                inv_share,
                self_weight,
            ]);
            self.y.push(y[v]);
            self.c.push(y[v] * problem.inv_share[v]);
        }
        self.sources.truncate(cursor);
        self.weights.truncate(cursor);
        // Padding: the gather's mask needs a power of two, and slot `pad` must exist and stay 0
        // (it is never written: the sweep writes slots below `pad` only).
        self.c.resize(padded_len(component.len() + 1), 0.0);
        self.scale = 1.0;
        self.received = self.constants.iter().map(|k| k[0]).sum();
        // `kept`: the share of each node's rank its arcs send inside the component, self-loops
        // included (`kept` holds the self-loop weight so far).
        if problem.weights.is_some() {
            // Padding goes to an extra entry, dropped after.
            self.constants.push([0.0; 4]);
            for (&i, &weight) in self.sources.iter().zip(&self.weights) {
                self.constants[i as usize][3] += weight;
            }
            self.constants.pop();
        } else {
            // The same sums: whole numbers, exact in either order.
            for (k, &count) in self.constants.iter_mut().zip(&self.inside) {
                k[3] = f64::from(count);
            }
        }
        for k in &mut self.constants {
            k[3] *= problem.alpha * k[2];
        }
    }

    /// Rescales `y` so that the component's rank balances: what it holds equals what it keeps
    /// plus what it receives, `Σ y = Σ kept · y + Σ base` (true of the solution). One
    /// aggregation step in the sense of iterative aggregation/disaggregation (Takahashi 1975;
    /// Stewart, "Introduction to the Numerical Solution of Markov Chains", 1994, ch. 6): it
    /// removes the slowly decaying error in the component's total, which Gauss–Seidel alone
    /// shrinks only by about `α` per sweep. `held` and `kept` are `Σ y` and `Σ kept · y`, summed
    /// by the sweep; only `scale` changes. Returns the L1 change it made.
    fn rebalance(&mut self, held: f64, kept: f64) -> f64 {
        if held - kept <= 0.0 || self.received <= 0.0 {
            return 0.0;
        }
        let factor = self.received / (held - kept);
        self.scale *= factor;
        (factor - 1.0).abs() * held
    }

    /// Sweeps until the L1 change of a sweep is at most `limit` or `max_sweeps` were done;
    /// returns the sweeps done.
    fn sweep_until(&mut self, alpha: f64, limit: f64, max_sweeps: usize) -> usize {
        let adaptive = self.y.len() >= SOR_MIN_NODES;
        let mut omega = 1.0f64;
        let mut changes: Vec<f64> = Vec::new();
        let (mut changed_at, mut given_up) = (0usize, false);
        while changes.len() < max_sweeps {
            let (swept, held, kept) = self.sweep(alpha, omega);
            let change = swept + self.rebalance(held, kept);
            changes.push(change);
            if change <= limit {
                break;
            }
            let k = changes.len();
            if adaptive && !given_up && k >= 4 {
                // Contraction per sweep over the last two sweeps.
                let rate = (changes[k - 1] / changes[k - 3].max(f64::MIN_POSITIVE)).sqrt();
                if changed_at == 0 && k == 4 {
                    omega = relaxation(rate, 1.0, alpha);
                    changed_at = k;
                } else if changed_at > 0 && k >= changed_at + 3 {
                    if changes[k - 1] > changes[k - 3] {
                        omega = 1.0;
                        given_up = true;
                    } else {
                        omega = omega.max(relaxation(rate, omega, alpha));
                        changed_at = k;
                    }
                }
            }
        }
        // Back to true values for the caller.
        let (len, scale) = (self.y.len(), self.scale);
        self.y.iter_mut().for_each(|y| *y *= scale);
        self.c[..len].iter_mut().for_each(|c| *c *= scale);
        self.scale = 1.0;
        changes.len()
    }

    /// One in-place sweep with relaxation `omega`; returns the L1 change and the sums `Σ y`,
    /// `Σ kept · y` of the new values (true values, not stored ones).
    fn sweep(&mut self, alpha: f64, omega: f64) -> (f64, f64, f64) {
        let (mut change, mut held, mut kept) = (0.0f64, 0.0f64, 0.0f64);
        let (scale, unscale) = (self.scale, 1.0 / self.scale);
        let weighted = !self.weights.is_empty();
        let rows = self.offsets.windows(2);
        let per_node = self.y.iter_mut().zip(&self.constants);
        for (i, (row, (y, &[base, inv_diagonal, inv_share, keeps]))) in
            rows.zip(per_node).enumerate()
        {
            let (lo, hi) = (row[0], row[1]);
            let gathered = if weighted {
                gather_weighted(&self.sources[lo..hi], &self.weights[lo..hi], &self.c)
            } else {
                gather(&self.sources[lo..hi], &self.c)
            };
            let target = (alpha * scale * gathered + base) * inv_diagonal;
            let old = *y * scale;
            // Over-relaxation may overshoot below zero; the solution is positive, so clamp.
            let new = (old + omega * (target - old)).max(0.0);
            change += (new - old).abs();
            held += new;
            kept += new * keeps;
            *y = new * unscale;
            self.c[i] = *y * inv_share;
        }
        (change, held, kept)
    }
}
