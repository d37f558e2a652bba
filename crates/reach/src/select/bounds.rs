//! The sampling bounds: how many RR sets IMM needs (Tang, Shi and Xiao, SIGMOD 2015, with
//! W. Chen's 2018 correction), OPIM-C's a posteriori bounds (Tang, Tang, Xiao and Yuan,
//! SIGMOD 2018), and the log-binomials both use.
//!
//! Notation (the papers' symbols -> names here): `n` -> `scale`, the total root weight (the
//! number of nodes with uniform roots; with roots drawn by weight, the sum of the weights, so
//! that every spread below is in weight), `k` = seeds, `ℓ` is
//! replaced by an explicit failure probability (`n^-ℓ` -> `failure`), `C(n, k)` -> the number
//! of feasible seed sets `sets` (passed as its logarithm `ln_sets`), `ε` -> `epsilon`,
//! `ε' = √2·ε` -> `epsilon_prime`, `λ'` -> [`imm_lambda_prime`], `λ*` -> [`imm_lambda_star`],
//! `Λ` (coverage in RR sets) -> `coverage`, `θ` -> `sets_drawn`.

/// `1 - 1/e`, the greedy's approximation ratio for monotone submodular maximization.
pub const GREEDY_RATIO: f64 = 1.0 - 1.0 / std::f64::consts::E;

/// `ln C(n, k)` (0 when `k = 0` or `k >= n`), summed term by term: exact to rounding, O(k).
pub fn ln_binomial(n: usize, k: usize) -> f64 {
    if k == 0 || k >= n {
        return 0.0;
    }
    let k = k.min(n - k);
    (0..k).map(|i| ((n - i) as f64 / (i + 1) as f64).ln()).sum()
}

/// `ln (C(n, 1) + C(n, 2) + ... + C(n, k))`: the number of non-empty seed sets of at most `k`
/// accounts among `n`, for budgets (where the number of seeds is not fixed). O(k).
pub fn ln_binomial_sum(n: usize, k: usize) -> f64 {
    let k = k.min(n);
    if k == 0 {
        return 0.0;
    }
    // Log-sum-exp over ln C(n, j), j = 1..=k, built incrementally.
    let mut terms = Vec::with_capacity(k);
    let mut ln_c = 0.0;
    for j in 1..=k {
        ln_c += ((n - j + 1) as f64 / j as f64).ln();
        terms.push(ln_c);
    }
    let max = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    max + terms.iter().map(|t| (t - max).exp()).sum::<f64>().ln()
}

/// IMM's `λ'` (Tang et al. 2015, Algorithm 2 / Theorem 2): with `θ_i = λ' / x` RR sets in
/// round `i` (`x = n / 2^i`), the estimation phase's lower bound `LB <= OPT` fails with
/// probability at most `failure`. `(2 + 2ε'/3) (ln C + ln(log2 n / failure)) n / ε'^2`; the
/// paper's `ℓ ln n + ln log2 n` is `ln(log2 n / failure)` with `failure = n^-ℓ`.
pub fn imm_lambda_prime(scale: f64, ln_sets: f64, epsilon_prime: f64, failure: f64) -> f64 {
    let log2n = scale.log2().max(1.0);
    (2.0 + 2.0 * epsilon_prime / 3.0) * (ln_sets + (log2n / failure).ln()) * scale
        / (epsilon_prime * epsilon_prime)
}

/// IMM's `λ*` (Theorem 1): with at least `λ* / OPT` RR sets drawn independently of the
/// selection, the greedy's set is a `(1 - 1/e - ε)`-approximation except with probability
/// `failure`. `2n ((1 - 1/e) α + β)^2 / ε^2`, `α = sqrt(ln(2 / failure))`,
/// `β = sqrt((1 - 1/e) (ln C + ln(2 / failure)))`.
pub fn imm_lambda_star(scale: f64, ln_sets: f64, epsilon: f64, failure: f64) -> f64 {
    let log_term = (2.0 / failure).ln();
    let alpha = log_term.sqrt();
    let beta = (GREEDY_RATIO * (ln_sets + log_term)).sqrt();
    let s = GREEDY_RATIO * alpha + beta;
    2.0 * scale * s * s / (epsilon * epsilon)
}

/// OPIM-C's largest sample (Tang et al. 2018, Algorithm 2, line 1), per collection:
/// `2n ((1-1/e) sqrt(ln(6/δ)) + sqrt((1-1/e)(ln C + ln(6/δ))))^2 / (ε^2 · opt_floor)`, where
/// `opt_floor` is a lower bound on the optimum known in advance (`k` for IC and LT: each seed
/// reaches itself).
pub fn opim_theta_max(scale: f64, ln_sets: f64, epsilon: f64, delta: f64, opt_floor: f64) -> f64 {
    let log_term = (6.0 / delta).ln();
    let s = GREEDY_RATIO * log_term.sqrt() + (GREEDY_RATIO * (ln_sets + log_term)).sqrt();
    2.0 * scale * s * s / (epsilon * epsilon * opt_floor)
}

/// OPIM-C's lower confidence bound on a fixed set's expected reach from its coverage in an
/// independent sample (Tang et al. 2018, eq. for `σ^l`): holds except with probability
/// `e^-a`. `((sqrt(Λ + 2a/9) - sqrt(a/2))^2 - a/18) · n / θ`, clamped at 0.
pub fn lower_bound(coverage: f64, sets_drawn: usize, scale: f64, a: f64) -> f64 {
    let root = (coverage + 2.0 * a / 9.0).sqrt() - (a / 2.0).sqrt();
    ((root * root - a / 18.0) * scale / sets_drawn as f64).max(0.0)
}

/// OPIM-C's upper confidence bound on the optimum from an upper bound `coverage_upper` on the
/// best coverage in the selection sample (eq. for `σ^u`): holds except with probability
/// `e^-a`. `(sqrt(Λ^u + a/2) + sqrt(a/2))^2 · n / θ`.
pub fn upper_bound(coverage_upper: f64, sets_drawn: usize, scale: f64, a: f64) -> f64 {
    let root = (coverage_upper + a / 2.0).sqrt() + (a / 2.0).sqrt();
    root * root * scale / sets_drawn as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_log_binomials_match_direct_products() {
        // C(10, 3) = 120, C(52, 5) = 2,598,960; C(5,1..=3) = 5 + 10 + 10 = 25.
        assert!((ln_binomial(10, 3) - 120f64.ln()).abs() < 1e-12);
        assert!((ln_binomial(52, 5) - 2_598_960f64.ln()).abs() < 1e-10);
        assert_eq!(ln_binomial(7, 0), 0.0);
        assert_eq!(ln_binomial(7, 7), 0.0);
        assert!((ln_binomial_sum(5, 3) - 25f64.ln()).abs() < 1e-12);
        assert!((ln_binomial_sum(4, 9) - 15f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn select_imm_lambdas_match_the_paper_with_l_equal_1() {
        // With failure = n^-ℓ, ℓ = 1: λ* uses α = sqrt(ln n + ln 2), β = sqrt((1-1/e)(ln C +
        // ln n + ln 2)) exactly as printed in Tang et al. 2015, Eq. (6).
        let (n, k, eps) = (1000usize, 5usize, 0.1);
        let ln_c = ln_binomial(n, k);
        let nf = n as f64;
        let alpha = (nf.ln() + 2f64.ln()).sqrt();
        let beta = (GREEDY_RATIO * (ln_c + nf.ln() + 2f64.ln())).sqrt();
        let want = 2.0 * nf * (GREEDY_RATIO * alpha + beta).powi(2) / (eps * eps);
        assert!((imm_lambda_star(nf, ln_c, eps, 1.0 / nf) / want - 1.0).abs() < 1e-12);
        let ep = 2f64.sqrt() * eps;
        let want = (2.0 + 2.0 * ep / 3.0) * (ln_c + nf.ln() + nf.log2().ln()) * nf / (ep * ep);
        assert!((imm_lambda_prime(nf, ln_c, ep, 1.0 / nf) / want - 1.0).abs() < 1e-12);
    }

    #[test]
    fn select_confidence_bounds_bracket_the_sample_mean_and_tighten_with_samples() {
        // Coverage 30% of θ: the lower bound sits below and the upper above 0.3 n, and both
        // approach it as θ grows (their gap shrinks like 1/sqrt(θ)).
        let (n, a) = (1000.0, 5f64);
        let mut last_gap = f64::INFINITY;
        for theta in [1_000usize, 10_000, 100_000] {
            let cov = 0.3 * theta as f64;
            let lo = lower_bound(cov, theta, n, a);
            let hi = upper_bound(cov, theta, n, a);
            assert!(lo < 300.0 && hi > 300.0, "{lo} {hi}");
            assert!(hi - lo < last_gap);
            last_gap = hi - lo;
        }
        assert!(last_gap < 15.0, "{last_gap}");
        assert_eq!(lower_bound(0.0, 100, n, a), 0.0);
    }
}
