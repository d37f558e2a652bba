//! Scores of probabilistic predictions against what happened.
//!
//! - **ROC AUC** (Mann-Whitney): the probability that a random positive scores above a random
//!   negative, ties counting one half. NaN when a class is missing.
//! - **Brier score**: mean `(p - y)^2`. **Brier skill score**: `1 - Brier / Brier_ref`, with the
//!   reference forecast the base rate `r` (every account gets `r`), whose Brier score is
//!   `r (1 - r)`: positive means better than knowing only the base rate.
//! - **Expected calibration error** over 10 equal-width bins of `p`:
//!   `sum_b (n_b / n) |mean p_b - observed rate_b|`, and the 10-bin reliability table behind it.
//! - **Size**: log-RMSE of `log(1 + size)`, bias = mean of `log(1 + predicted) - log(1 + real)`
//!   (positive: over-prediction), and Spearman's rank correlation (average ranks for ties).
//!
//! Predictions from `T` Monte Carlo trials are multiples of `1 / T`, so pooled scores are
//! computed exactly from per-bin counts ([`Histogram`]), which makes bootstrap resampling
//! cheap; the slice functions are the textbook definitions the histogram versions are tested
//! against.

use serde::Serialize;

/// ROC AUC with ties counted one half. `O(n log n)`.
pub fn auc(scores: &[f64], labels: &[bool]) -> f64 {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let ranks = average_ranks_sorted(scores, &order);
    let positives = labels.iter().filter(|&&y| y).count() as f64;
    let negatives = labels.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return f64::NAN;
    }
    let rank_sum: f64 = (0..scores.len()).filter(|&i| labels[i]).map(|i| ranks[i]).sum();
    (rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives)
}

/// 1-based average ranks of `values`, given the order that sorts them.
fn average_ranks_sorted(values: &[f64], order: &[usize]) -> Vec<f64> {
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = rank;
        }
        i = j + 1;
    }
    ranks
}

/// Mean `(p - y)^2`.
pub fn brier(p: &[f64], y: &[bool]) -> f64 {
    let sum: f64 = p.iter().zip(y).map(|(&p, &y)| (p - y as u8 as f64).powi(2)).sum();
    sum / p.len() as f64
}

/// `1 - brier / (r (1 - r))`; NaN when the base rate `r` is 0 or 1.
pub fn brier_skill(brier: f64, base_rate: f64) -> f64 {
    let reference = base_rate * (1.0 - base_rate);
    if reference > 0.0 { 1.0 - brier / reference } else { f64::NAN }
}

/// One bin of a reliability table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReliabilityBin {
    /// Lower edge of the bin (bins are `[lo, lo + 0.1)`, the last includes 1).
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Predictions in the bin.
    pub count: u64,
    /// Their mean predicted probability (NaN when empty).
    pub mean_predicted: f64,
    /// The fraction that happened (NaN when empty).
    pub observed: f64,
}

/// Number of reliability bins.
pub const BINS: usize = 10;

fn bin_of(p: f64) -> usize {
    ((p * BINS as f64) as usize).min(BINS - 1)
}

/// The 10-bin reliability table.
pub fn reliability(p: &[f64], y: &[bool]) -> Vec<ReliabilityBin> {
    let mut sums = [(0u64, 0.0f64, 0u64); BINS];
    for (&p, &y) in p.iter().zip(y) {
        let b = &mut sums[bin_of(p)];
        b.0 += 1;
        b.1 += p;
        b.2 += y as u64;
    }
    table(&sums)
}

fn table(sums: &[(u64, f64, u64); BINS]) -> Vec<ReliabilityBin> {
    sums.iter()
        .enumerate()
        .map(|(i, &(n, sp, sy))| ReliabilityBin {
            lo: i as f64 / BINS as f64,
            hi: (i + 1) as f64 / BINS as f64,
            count: n,
            mean_predicted: if n > 0 { sp / n as f64 } else { f64::NAN },
            observed: if n > 0 { sy as f64 / n as f64 } else { f64::NAN },
        })
        .collect()
}

/// Expected calibration error of a reliability table.
pub fn ece_of(table: &[ReliabilityBin]) -> f64 {
    let n: u64 = table.iter().map(|b| b.count).sum();
    if n == 0 {
        return f64::NAN;
    }
    table
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| b.count as f64 / n as f64 * (b.mean_predicted - b.observed).abs())
        .sum()
}

/// Expected calibration error over 10 equal-width bins.
pub fn ece(p: &[f64], y: &[bool]) -> f64 {
    ece_of(&reliability(p, y))
}

/// Root mean square error of `log(1 + predicted)` against `log(1 + real)`.
pub fn log_rmse(predicted: &[f64], real: &[f64]) -> f64 {
    let n = predicted.len() as f64;
    let sum: f64 = predicted.iter().zip(real).map(|(p, r)| (p.ln_1p() - r.ln_1p()).powi(2)).sum();
    (sum / n).sqrt()
}

/// Mean of `log(1 + predicted) - log(1 + real)`.
pub fn log_bias(predicted: &[f64], real: &[f64]) -> f64 {
    let n = predicted.len() as f64;
    predicted.iter().zip(real).map(|(p, r)| p.ln_1p() - r.ln_1p()).sum::<f64>() / n
}

/// Spearman's rank correlation (Pearson correlation of average ranks). NaN when either side
/// is constant.
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let rank = |v: &[f64]| {
        let mut order: Vec<usize> = (0..v.len()).collect();
        order.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
        average_ranks_sorted(v, &order)
    };
    let (ra, rb) = (rank(a), rank(b));
    let n = ra.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in ra.iter().zip(&rb) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    if saa == 0.0 || sbb == 0.0 { f64::NAN } else { sab / (saa * sbb).sqrt() }
}

/// Outcome counts per prediction value `i / trials`, `i = 0..=trials`: `(joined, not joined)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// `T`, the number of trials (predictions are `i / T`).
    pub trials: u32,
    /// Sparse `(i, joined, not joined)` entries, ascending `i`.
    pub bins: Vec<(u32, u32, u32)>,
}

/// Scores of pooled predictions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// Predictions scored.
    pub count: u64,
    /// Fraction that happened.
    pub base_rate: f64,
    /// ROC AUC.
    pub auc: f64,
    /// Brier score.
    pub brier: f64,
    /// Brier skill score against the base rate.
    pub brier_skill: f64,
    /// Expected calibration error (10 bins).
    pub ece: f64,
    /// The reliability table.
    pub reliability: Vec<ReliabilityBin>,
}

/// Dense per-value counts `(joined, not joined)` for `i / trials`, summed from histograms.
pub(crate) fn dense(trials: u32, hists: &mut dyn Iterator<Item = &Histogram>) -> Vec<(u64, u64)> {
    let mut d = vec![(0u64, 0u64); trials as usize + 1];
    for h in hists {
        for &(i, pos, neg) in &h.bins {
            let slot = &mut d[i as usize];
            slot.0 += pos as u64;
            slot.1 += neg as u64;
        }
    }
    d
}

/// AUC and Brier only (for bootstrap replicates): `(auc, brier)`.
pub(crate) fn auc_brier(d: &[(u64, u64)]) -> (f64, f64) {
    let t = (d.len() - 1).max(1) as f64;
    let (positives, negatives) =
        d.iter().fold((0.0, 0.0), |(p, n), &(a, b)| (p + a as f64, n + b as f64));
    let mut below = 0.0; // negatives with a lower prediction
    let mut wins = 0.0;
    let mut sq = 0.0;
    for (i, &(pos, neg)) in d.iter().enumerate() {
        let (pos, neg) = (pos as f64, neg as f64);
        wins += pos * (below + 0.5 * neg);
        below += neg;
        let p = i as f64 / t;
        sq += pos * (1.0 - p).powi(2) + neg * p * p;
    }
    let auc =
        if positives > 0.0 && negatives > 0.0 { wins / (positives * negatives) } else { f64::NAN };
    let total = positives + negatives;
    (auc, if total > 0.0 { sq / total } else { f64::NAN })
}

/// Every pooled score from dense counts.
pub(crate) fn scores(d: &[(u64, u64)]) -> Scores {
    let t = (d.len() - 1).max(1) as f64;
    let (auc, brier) = auc_brier(d);
    let mut sums = [(0u64, 0.0f64, 0u64); BINS];
    let (mut positives, mut total) = (0u64, 0u64);
    for (i, &(pos, neg)) in d.iter().enumerate() {
        let p = i as f64 / t;
        let b = &mut sums[bin_of(p)];
        b.0 += pos + neg;
        b.1 += p * (pos + neg) as f64;
        b.2 += pos;
        positives += pos;
        total += pos + neg;
    }
    let reliability = table(&sums);
    let base_rate = if total > 0 { positives as f64 / total as f64 } else { f64::NAN };
    Scores {
        count: total,
        base_rate,
        auc,
        brier,
        brier_skill: brier_skill(brier, base_rate),
        ece: ece_of(&reliability),
        reliability,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values worked by hand (see each comment).

    #[test]
    fn auc_counts_pairs_and_half_ties() {
        // Positives 0.8, 0.4; negatives 0.4, 0.1: pairs (0.8>0.4) (0.8>0.1) (0.4=0.4) (0.4>0.1)
        // = 3.5 of 4.
        let p = [0.8, 0.4, 0.4, 0.1];
        let y = [true, true, false, false];
        assert!((auc(&p, &y) - 0.875).abs() < 1e-12);
        assert!(auc(&[0.1, 0.9], &[true, false]).abs() < 1e-12);
        assert!(auc(&[0.5, 0.5], &[true, true]).is_nan());
        // All tied: one half.
        assert!((auc(&[0.3; 4], &[true, false, true, false]) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn brier_skill_and_ece_by_hand() {
        let p = [0.9, 0.2, 0.2, 0.6];
        let y = [true, false, true, false];
        // (0.01 + 0.04 + 0.64 + 0.36) / 4 = 0.2625
        let b = brier(&p, &y);
        assert!((b - 0.2625).abs() < 1e-12);
        // base rate 0.5 -> reference 0.25 -> skill 1 - 1.05 = -0.05
        assert!((brier_skill(b, 0.5) + 0.05).abs() < 1e-12);
        // Bins: [0.2,0.3): two, mean 0.2, observed 0.5 -> 0.3 x 2/4; [0.6,0.7): 0.6 vs 0 -> 0.6 x 1/4;
        // [0.9,1]: 0.9 vs 1 -> 0.1 x 1/4. ECE = 0.15 + 0.15 + 0.025 = 0.325.
        assert!((ece(&p, &y) - 0.325).abs() < 1e-12);
        let t = reliability(&p, &y);
        assert_eq!(t.len(), 10);
        assert_eq!(t[2].count, 2);
        assert!((t[2].observed - 0.5).abs() < 1e-12);
        assert!(t[0].mean_predicted.is_nan());
        // p = 1 falls in the last bin.
        assert_eq!(reliability(&[1.0], &[true])[9].count, 1);
    }

    #[test]
    fn size_metrics_by_hand() {
        // log(1+e-1) = 1, log(1+0) = 0: errors 1 and -1 -> RMSE 1, bias 0.
        let e1 = std::f64::consts::E - 1.0;
        assert!((log_rmse(&[e1, 0.0], &[0.0, e1]) - 1.0).abs() < 1e-12);
        assert!(log_bias(&[e1, 0.0], &[0.0, e1]).abs() < 1e-12);
        assert!((log_bias(&[e1, e1], &[0.0, 0.0]) - 1.0).abs() < 1e-12);
        // Monotone: 1; reversed: -1; ties use average ranks.
        assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 40.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        // Ranks a = (1, 2.5, 2.5, 4), b = (1, 2, 3, 4): r = 4.5 / sqrt(4.5 x 5) = 0.9487.
        let r = spearman(&[1.0, 2.0, 2.0, 3.0], &[1.0, 2.0, 3.0, 4.0]);
        assert!((r - 4.5 / (4.5f64 * 5.0).sqrt()).abs() < 1e-12);
        assert!(spearman(&[1.0, 1.0], &[1.0, 2.0]).is_nan());
    }

    #[test]
    fn histogram_scores_equal_the_slice_definitions() {
        // Predictions i / 4 from 4 trials.
        let preds = [0, 1, 1, 2, 3, 4, 0, 2, 2, 4];
        let joined = [false, true, false, false, true, true, false, true, false, false];
        let p: Vec<f64> = preds.iter().map(|&i| i as f64 / 4.0).collect();
        let mut bins = std::collections::BTreeMap::<u32, (u32, u32)>::new();
        for (&i, &y) in preds.iter().zip(&joined) {
            let e = bins.entry(i).or_default();
            if y { e.0 += 1 } else { e.1 += 1 }
        }
        let h =
            Histogram { trials: 4, bins: bins.into_iter().map(|(i, (a, b))| (i, a, b)).collect() };
        let s = scores(&dense(4, &mut std::iter::once(&h)));
        assert!((s.auc - auc(&p, &joined)).abs() < 1e-12);
        assert!((s.brier - brier(&p, &joined)).abs() < 1e-12);
        assert!((s.ece - ece(&p, &joined)).abs() < 1e-12);
        assert_eq!(s.count, 10);
        assert!((s.base_rate - 0.4).abs() < 1e-12);
    }
}
