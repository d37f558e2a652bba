//! The independent PageRank verifier: a serial, push-direction recomputation of the PageRank
//! equation's right-hand side from the config alone (the kernel pulls in parallel).

use clout_graph::{Graph, NodeId};

use super::{DanglingPolicy, PageRank, PageRankConfig};

/// Checks a [`PageRank`] result independently of the kernel and returns the L1 residual of the
/// PageRank equation, `‖x - (α·(Pᵀx + (Σ_dangling x)·w) + (1-α)·p)‖₁`.
///
/// The right-hand side is recomputed in the *push* direction (each node scatters its share along
/// its influence in-adjacency, the opposite access pattern to the kernel's pull), serially, from
/// the config alone. It fails if the scores have the wrong length, are negative or not finite,
/// do not sum to 1, if the residual exceeds `α · result.residual` (one step of a contraction
/// with factor `α` in L1) plus a rounding allowance, or if a result claiming convergence has a
/// `residual` that does not meet the stopping rule.
///
/// Rounding allowance, from three sources:
/// - each recomputed entry carries a relative error of at most about `(deg + 3) · ε`, so the
///   L1 error is at most `(max_deg + 3) · ε` per computation; the check allows four times that;
/// - a kernel may hold scores in fixed point: clout's unweighted power iteration stores
///   `x_v / d_v` in units of `2⁻⁶²`, so each stored score is off by up to `d_v · 2⁻⁶³`, an
///   absolute error that adds up over the nodes to `(n + m) · 2⁻⁶³` and sits both in the scores
///   and in the last change; the check allows `(n + m) · 2⁻⁶¹` (twice both). Without it a
///   correct PageRank of a 2-million-node path, whose residual is `α ·` its last change almost
///   exactly, was rejected in the 9th digit;
/// - the last change is a sum of `n` terms, so it is itself off by a relative `n · ε` at most.
///
/// The sum may drift by the first allowance per iteration, damped by `α`, plus the fixed-point
/// error, so the sum check allows `1e-9 + 8 · (max_deg + 2) · ε / (1 - α) + (n + m) · 2⁻⁶¹`.
///
/// Cost O(n + m), serial.
pub fn verify_pagerank(g: &Graph, cfg: &PageRankConfig, result: &PageRank) -> Result<f64, String> {
    let n = g.node_count();
    let x = &result.scores;
    if x.len() != n {
        return Err(format!("{} scores for {} nodes", x.len(), n));
    }
    if n == 0 {
        return Ok(0.0);
    }
    if let Some(v) = x.iter().position(|s| !(*s >= 0.0 && s.is_finite())) {
        return Err(format!("score of node {v} is {}", x[v]));
    }
    let alpha = cfg.damping;
    let max_deg = (0..n as NodeId).map(|v| g.in_degree(v).max(g.out_degree(v))).max().unwrap_or(0);
    let eps = f64::EPSILON;
    let fixed_point = (n + g.arc_count()) as f64 * FIXED_POINT_UNIT;
    let sum = compensated_sum(x.iter().copied());
    let sum_slack =
        1e-9 + 8.0 * (max_deg as f64 + 2.0) * eps / (1.0 - alpha).max(1e-3) + fixed_point;
    if (sum - 1.0).abs() > sum_slack {
        return Err(format!("scores sum to {sum}, not 1 (allowed error {sum_slack:e})"));
    }

    let uniform = vec![1.0 / n as f64; n];
    let teleport: Vec<f64> = match &cfg.personalization {
        None => uniform.clone(),
        Some(p) => {
            let total = compensated_sum(p.iter().copied());
            p.iter().map(|v| v / total).collect()
        }
    };
    let dangling_to = match cfg.dangling {
        DanglingPolicy::Personalization => &teleport,
        DanglingPolicy::Uniform => &uniform,
    };

    // Push: node u (NetworkX source) sends α·x[u]·w/S_u to every node it follows, i.e. to every
    // influence in-neighbour b (arc b -> u in clout's storage).
    let mut y = vec![0.0f64; n];
    let mut dangling_mass = 0.0f64;
    for u in 0..n as NodeId {
        let followed = g.in_neighbors(u);
        let weights: Vec<f64> = match (cfg.weighted, g.in_weights(u)) {
            (true, Some(w)) => w.to_vec(),
            (true, None) => return Err("weighted config on an unweighted graph".into()),
            (false, _) => vec![1.0; followed.len()],
        };
        let total: f64 = weights.iter().sum();
        if total == 0.0 {
            dangling_mass += x[u as usize];
            continue;
        }
        for (&b, &wt) in followed.iter().zip(&weights) {
            y[b as usize] += alpha * x[u as usize] * (wt / total);
        }
    }
    let residual = compensated_sum((0..n).map(|v| {
        let rhs = y[v] + alpha * dangling_mass * dangling_to[v] + (1.0 - alpha) * teleport[v];
        (x[v] - rhs).abs()
    }));

    let bound = alpha * result.residual * (1.0 + n as f64 * eps)
        + 4.0 * (max_deg as f64 + 3.0) * eps
        + fixed_point;
    if residual > bound {
        return Err(format!(
            "PageRank equation residual {residual:e} exceeds α · last change + rounding = {bound:e}"
        ));
    }
    let meets_stopping_rule = result.residual < n as f64 * cfg.tolerance;
    if result.converged && !meets_stopping_rule {
        return Err(format!(
            "claims convergence but the last change {:e} is not below N · tolerance = {:e}",
            result.residual,
            n as f64 * cfg.tolerance
        ));
    }
    Ok(residual)
}

/// Twice the largest rounding error of one fixed-point score per unit of degree (`2⁻⁶¹`: the
/// kernel rounds `x_v / d_v` to a multiple of `2⁻⁶²`), for both the scores and the last change.
const FIXED_POINT_UNIT: f64 = 1.0 / (1u64 << 61) as f64;

/// Kahan–Babuška (Neumaier) summation, so the verifier's own rounding stays negligible.
fn compensated_sum(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut compensation) = (0.0f64, 0.0f64);
    for v in values {
        let t = sum + v;
        compensation += if sum.abs() >= v.abs() { (sum - t) + v } else { (v - t) + sum };
        sum = t;
    }
    sum + compensation
}
