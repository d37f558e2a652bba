//! Rank correlation between two scorings of the same accounts, with SciPy's conventions:
//!
//! - [`spearman`] equals `scipy.stats.spearmanr(x, y).statistic`: Pearson's correlation of the
//!   average ranks (tied values share the mean of the ranks they span).
//! - [`kendall_tau_b`] equals `scipy.stats.kendalltau(x, y).statistic` (variant `'b'`, SciPy's
//!   default): `(P - Q) / sqrt((P + Q + T_x) * (P + Q + T_y))`, where `P` and `Q` count
//!   concordant and discordant pairs and `T_x` (`T_y`) pairs tied only in `x` (only in `y`).
//!   Computed in `O(n log n)` with Knight's algorithm (JASA 61, 1966): sort by `(x, y)`, count
//!   ties, then count discordant pairs as the swaps of a merge sort on `y`.
//!
//! Both return `None` where SciPy returns NaN: fewer than two values, or a constant input.

/// Average ranks (1-based; ties get the mean of the ranks they span), as
/// `scipy.stats.rankdata(method="average")`.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        // Positions i..=j hold ranks i+1 ..= j+1; their mean is (i + j) / 2 + 1.
        let r = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = r;
        }
        i = j + 1;
    }
    ranks
}

/// Pearson's correlation coefficient; `None` for fewer than two values or zero variance.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    assert_eq!(x.len(), y.len(), "pearson: inputs differ in length");
    let len = x.len();
    if len < 2 {
        return None;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / len as f64;
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's rank correlation (see the module docs). Panics if the lengths differ.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    assert_eq!(x.len(), y.len(), "spearman: inputs differ in length");
    pearson(&average_ranks(x), &average_ranks(y))
}

/// Kendall's tau-b (see the module docs). `O(n log n)` time, `O(n)` space. Panics if the
/// lengths differ.
pub fn kendall_tau_b(x: &[f64], y: &[f64]) -> Option<f64> {
    assert_eq!(x.len(), y.len(), "kendall_tau_b: inputs differ in length");
    let len = x.len();
    if len < 2 {
        return None;
    }
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(y[a].total_cmp(&y[b])));
    let pairs = |run: u64| run * run.saturating_sub(1) / 2;
    // n1: pairs tied in x; n3: pairs tied in both (runs of equal (x, y) in this order).
    let (mut tied_x, mut tied_xy) = (0u64, 0u64);
    let (mut run_x, mut run_xy) = (1u64, 1u64);
    for w in order.windows(2) {
        let (a, b) = (w[0], w[1]);
        if x[a] == x[b] {
            run_x += 1;
            if y[a] == y[b] {
                run_xy += 1;
            } else {
                tied_xy += pairs(run_xy);
                run_xy = 1;
            }
        } else {
            tied_x += pairs(run_x);
            tied_xy += pairs(run_xy);
            run_x = 1;
            run_xy = 1;
        }
    }
    tied_x += pairs(run_x);
    tied_xy += pairs(run_xy);
    // Discordant pairs: swaps needed to sort the y sequence (ties in y never count as swaps).
    let mut ys: Vec<f64> = order.iter().map(|&i| y[i]).collect();
    let mut buffer = vec![0.0; len];
    let swaps = merge_count(&mut ys, &mut buffer);
    // n2: pairs tied in y (ys is now sorted).
    let mut tied_y = 0u64;
    let mut run = 1u64;
    for w in ys.windows(2) {
        if w[0] == w[1] {
            run += 1;
        } else {
            tied_y += pairs(run);
            run = 1;
        }
    }
    tied_y += pairs(run);
    let total = pairs(len as u64);
    // Concordant minus discordant: n0 - n1 - n2 + n3 - 2 * swaps.
    let numerator =
        total as f64 - tied_x as f64 - tied_y as f64 + tied_xy as f64 - 2.0 * swaps as f64;
    let denominator = ((total - tied_x) as f64 * (total - tied_y) as f64).sqrt();
    if denominator <= 0.0 {
        return None;
    }
    Some((numerator / denominator).clamp(-1.0, 1.0))
}

/// Sorts `v` ascending (bottom-up merge sort) and returns the number of inversions: pairs
/// `i < j` with `v[i] > v[j]` (equal values are not inversions).
fn merge_count(v: &mut [f64], buffer: &mut [f64]) -> u64 {
    let len = v.len();
    let mut swaps = 0u64;
    let mut width = 1;
    while width < len {
        let mut start = 0;
        while start < len {
            let mid = (start + width).min(len);
            let end = (start + 2 * width).min(len);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                if v[j] < v[i] {
                    buffer[k] = v[j];
                    swaps += (mid - i) as u64;
                    j += 1;
                } else {
                    buffer[k] = v[i];
                    i += 1;
                }
                k += 1;
            }
            buffer[k..k + (mid - i)].copy_from_slice(&v[i..mid]);
            k += mid - i;
            buffer[k..k + (end - j)].copy_from_slice(&v[j..end]);
            start = end;
        }
        v.copy_from_slice(buffer);
        width *= 2;
    }
    swaps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    /// Kendall's tau-b by definition over all pairs: the O(n^2) reference.
    fn tau_b_pairs(x: &[f64], y: &[f64]) -> Option<f64> {
        let (mut p, mut q, mut tx, mut ty) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        for i in 0..x.len() {
            for j in (i + 1)..x.len() {
                let (dx, dy) = (x[i] - x[j], y[i] - y[j]);
                if dx == 0.0 && dy == 0.0 {
                } else if dx == 0.0 {
                    tx += 1.0;
                } else if dy == 0.0 {
                    ty += 1.0;
                } else if (dx > 0.0) == (dy > 0.0) {
                    p += 1.0;
                } else {
                    q += 1.0;
                }
            }
        }
        let d = ((p + q + tx) * (p + q + ty)).sqrt();
        (d > 0.0).then(|| (p - q) / d)
    }

    #[test]
    fn average_ranks_share_ties() {
        assert_eq!(average_ranks(&[10.0, 20.0, 20.0, 5.0]), vec![2.0, 3.5, 3.5, 1.0]);
        assert_eq!(average_ranks(&[1.0, 1.0, 1.0]), vec![2.0, 2.0, 2.0]);
    }

    #[test]
    fn hand_computed_values() {
        // No ties: x = 1..5, y = (2, 1, 4, 3, 5). d = (1,1,1,1,0): rho = 1 - 6*4/(5*24) = 0.8.
        // Pairs: 10; discordant (1,2), (3,4): tau = (8 - 2) / 10 = 0.6.
        let (x, y) = ([1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 1.0, 4.0, 3.0, 5.0]);
        assert!(close(spearman(&x, &y), 0.8));
        assert!(close(kendall_tau_b(&x, &y), 0.6));
        // With ties: x = (1, 2, 2, 3), y = (1, 2, 3, 3).
        // Pairs: (0,1) C, (0,2) C, (0,3) C, (1,2) tied in x only, (1,3) C, (2,3) tied in y only.
        // P = 4, Q = 0, Tx = 1, Ty = 1: tau-b = 4 / sqrt(5 * 5) = 0.8 (scipy.stats.kendalltau).
        // Ranks x = (1, 2.5, 2.5, 4), y = (1, 2, 3.5, 3.5), both with mean 2.5:
        // Sxy = sum (rx-2.5)(ry-2.5) = (-1.5)(-1.5) + 0*(-0.5) + 0*1 + 1.5*1 = 3.75;
        // Sxx = 2.25 + 0 + 0 + 2.25 = 4.5; Syy = 2.25 + 0.25 + 1 + 1 = 4.5: rho = 3.75/4.5 = 0.8333...
        let (x, y) = ([1.0, 2.0, 2.0, 3.0], [1.0, 2.0, 3.0, 3.0]);
        assert!(close(kendall_tau_b(&x, &y), 0.8));
        assert!(close(spearman(&x, &y), 3.75 / 4.5));
        // Perfect disagreement.
        assert!(close(kendall_tau_b(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), -1.0));
        assert!(close(spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), -1.0));
    }

    #[test]
    fn scipy_reference_values_with_many_ties() {
        // Reference values from SciPy 1.16 (`kendalltau(x, y).statistic`,
        // `spearmanr(x, y).statistic`), printed with repr().
        let cases: [(&[f64], &[f64], f64, f64); 2] = [
            (
                &[0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 3.0, 3.0, 3.0, 3.0],
                &[5.0, 4.0, 4.0, 4.0, 3.0, 3.0, 2.0, 2.0, 1.0, 0.0],
                -0.8552359741197579,
                -0.9291968083217828,
            ),
            (
                &[3.5, 1.0, 1.0, 7.0, 2.0, 2.0, 2.0, 9.0],
                &[1.0, 0.0, 0.0, 5.0, 5.0, 2.0, 8.0, 8.0],
                0.5715476066494083,
                0.6750527405556144,
            ),
        ];
        for (x, y, tau, rho) in cases {
            assert!((kendall_tau_b(x, y).unwrap() - tau).abs() < 1e-12);
            assert!((tau_b_pairs(x, y).unwrap() - tau).abs() < 1e-12);
            assert!((spearman(x, y).unwrap() - rho).abs() < 1e-12);
        }
    }

    #[test]
    fn knight_matches_the_pairwise_definition_on_random_tied_data() {
        let mut state = 42u64;
        let mut draw = |k: u64| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 33) % k) as f64
        };
        for len in [2usize, 3, 7, 50, 200] {
            for levels in [2u64, 5, 1000] {
                let x: Vec<f64> = (0..len).map(|_| draw(levels)).collect();
                let y: Vec<f64> = (0..len).map(|_| draw(levels)).collect();
                let (fast, slow) = (kendall_tau_b(&x, &y), tau_b_pairs(&x, &y));
                match (fast, slow) {
                    (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{a} vs {b}"),
                    (a, b) => assert_eq!(a, b),
                }
            }
        }
    }

    #[test]
    fn undefined_cases_are_none() {
        assert_eq!(spearman(&[1.0], &[2.0]), None);
        assert_eq!(kendall_tau_b(&[], &[]), None);
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(kendall_tau_b(&[1.0, 2.0, 3.0], &[4.0, 4.0, 4.0]), None);
    }
}
