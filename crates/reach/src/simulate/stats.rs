//! Moments, confidence intervals and quantiles of per-trial values.
//!
//! Everything here is deterministic for a fixed order of `push` and `merge` calls; the engine
//! pushes trials in trial order inside a block and merges blocks in block order, so results do
//! not depend on the thread count. Integer metrics keep exact sums (`u64`, `u128`), so their
//! means are exact quotients and their order of accumulation does not matter at all.

use serde::Serialize;

/// The 97.5 % quantile of the standard normal distribution.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A Monte Carlo estimate of a per-trial metric: its mean with a 95 % confidence interval, and
/// quantiles of the metric's distribution over trials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// The estimated expectation.
    pub mean: f64,
    /// Standard error of `mean`: sample standard deviation / sqrt(trials).
    pub std_error: f64,
    /// `mean - 1.96 * std_error` (normal approximation; Wilson score for proportions).
    pub ci95_low: f64,
    /// `mean + 1.96 * std_error` (normal approximation; Wilson score for proportions).
    pub ci95_high: f64,
    /// 5 % quantile of the per-trial values (linear interpolation between order statistics,
    /// NumPy's default).
    pub q05: f64,
    /// Median of the per-trial values.
    pub q50: f64,
    /// 95 % quantile of the per-trial values.
    pub q95: f64,
}

/// A mean with its standard error and 95 % confidence interval (no quantiles): one point of a
/// per-step curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    /// The estimated expectation.
    pub mean: f64,
    /// Standard error of `mean`.
    pub std_error: f64,
    /// `mean - 1.96 * std_error`.
    pub ci95_low: f64,
    /// `mean + 1.96 * std_error`.
    pub ci95_high: f64,
}

impl Band {
    pub(crate) fn new(mean: f64, std_error: f64) -> Band {
        Band {
            mean,
            std_error,
            ci95_low: mean - Z95 * std_error,
            ci95_high: mean + Z95 * std_error,
        }
    }
}

impl Estimate {
    /// An estimate with a normal-approximation interval and quantiles of `sorted`.
    pub(crate) fn new<T: Copy + Into<f64>>(mean: f64, std_error: f64, sorted: &[T]) -> Estimate {
        Estimate {
            mean,
            std_error,
            ci95_low: mean - Z95 * std_error,
            ci95_high: mean + Z95 * std_error,
            q05: quantile(sorted, 0.05),
            q50: quantile(sorted, 0.50),
            q95: quantile(sorted, 0.95),
        }
    }

    /// A proportion `hits / trials`: standard error `sqrt(p (1 - p) / trials)`, Wilson score
    /// interval (which stays inside `[0, 1]` and is sensible at `p = 0` or `1`), quantiles of
    /// the 0/1 indicator.
    pub(crate) fn proportion(hits: u64, trials: u64) -> Estimate {
        let n = trials as f64;
        let p = hits as f64 / n;
        let z2 = Z95 * Z95;
        let denominator = 1.0 + z2 / n;
        let center = (p + z2 / (2.0 * n)) / denominator;
        let half = Z95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        let indicator_quantile = |q: f64| {
            // The q-quantile of `trials - hits` zeros followed by `hits` ones.
            let h = (n - 1.0) * q;
            let zeros = (trials - hits) as f64;
            if h + 1.0 <= zeros {
                0.0
            } else if h >= zeros {
                1.0
            } else {
                h + 1.0 - zeros
            }
        };
        Estimate {
            mean: p,
            std_error: (p * (1.0 - p) / n).sqrt(),
            // At p = 0 (or 1) the bound is exactly 0 (or 1); rounding would leave a residue.
            ci95_low: if hits == 0 { 0.0 } else { (center - half).max(0.0) },
            ci95_high: if hits == trials { 1.0 } else { (center + half).min(1.0) },
            q05: indicator_quantile(0.05),
            q50: indicator_quantile(0.50),
            q95: indicator_quantile(0.95),
        }
    }

    /// NaN in every field: a metric that was not computed.
    pub(crate) fn not_computed() -> Estimate {
        Estimate::new::<u32>(f64::NAN, f64::NAN, &[])
    }

    /// Every field multiplied by `factor >= 0` (conversions = rate x positive reach).
    pub(crate) fn scaled(&self, factor: f64) -> Estimate {
        Estimate {
            mean: self.mean * factor,
            std_error: self.std_error * factor,
            ci95_low: self.ci95_low * factor,
            ci95_high: self.ci95_high * factor,
            q05: self.q05 * factor,
            q50: self.q50 * factor,
            q95: self.q95 * factor,
        }
    }
}

/// The `q`-quantile of sorted values with linear interpolation (NumPy's default, "type 7").
pub(crate) fn quantile<T: Copy + Into<f64>>(sorted: &[T], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n => {
            let h = (n - 1) as f64 * q;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            let (a, b): (f64, f64) = (sorted[lo].into(), sorted[hi].into());
            a + (h - lo as f64) * (b - a)
        }
    }
}

/// Exact moments of integer values.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct IntMoments {
    n: u64,
    sum: u64,
    sum_sq: u128,
}

impl IntMoments {
    #[inline]
    pub(crate) fn push(&mut self, x: u32) {
        self.n += 1;
        self.sum += x as u64;
        self.sum_sq += (x as u128) * (x as u128);
    }

    pub(crate) fn merge(&mut self, other: &IntMoments) {
        self.n += other.n;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
    }

    pub(crate) fn mean(&self) -> f64 {
        self.sum as f64 / self.n as f64
    }

    /// Sample variance `(n sum_sq - sum^2) / (n (n - 1))`, its numerator computed exactly.
    pub(crate) fn variance(&self) -> f64 {
        if self.n < 2 {
            return 0.0;
        }
        let n = self.n as u128;
        let numerator = n * self.sum_sq - (self.sum as u128) * (self.sum as u128);
        numerator as f64 / (self.n as f64 * (self.n - 1) as f64)
    }

    pub(crate) fn std_error(&self) -> f64 {
        (self.variance() / self.n as f64).sqrt()
    }
}

/// Sum and running sum of squared deviations of `f64` values (Welford), mergeable (Chan,
/// Golub and LeVeque's pairwise update).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Moments {
    n: u64,
    /// Plain sum, for the reported mean (exact for integer values below 2^53).
    sum: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    #[inline]
    pub(crate) fn push(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    pub(crate) fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = other.clone();
            return;
        }
        let n = self.n + other.n;
        let delta = other.mean - self.mean;
        let (a, b) = (self.n as f64, other.n as f64);
        self.mean += delta * b / n as f64;
        self.m2 += other.m2 + delta * delta * a * b / n as f64;
        self.sum += other.sum;
        self.n = n;
    }

    pub(crate) fn mean(&self) -> f64 {
        self.sum / self.n as f64
    }

    pub(crate) fn std_error(&self) -> f64 {
        if self.n < 2 {
            return 0.0;
        }
        (self.m2.max(0.0) / (self.n - 1) as f64 / self.n as f64).sqrt()
    }
}

/// Sums of values and of their squares, for quantities where most trials contribute zero (the
/// per-step curves: a trial that ended early adds nothing to later steps).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Sums {
    pub(crate) sum: f64,
    pub(crate) sum_sq: f64,
}

impl Sums {
    #[inline]
    pub(crate) fn push(&mut self, x: f64) {
        self.sum += x;
        self.sum_sq += x * x;
    }

    pub(crate) fn merge(&mut self, other: &Sums) {
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
    }

    /// Mean and standard error over `n` trials (trials that did not push count as zeros).
    pub(crate) fn band(&self, n: u64) -> Band {
        let nf = n as f64;
        let mean = self.sum / nf;
        let variance =
            if n < 2 { 0.0 } else { ((self.sum_sq - self.sum * mean) / (nf - 1.0)).max(0.0) };
        Band::new(mean, (variance / nf).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        // numpy.quantile([1, 2, 3, 4, 10], [0.05, 0.5, 0.95]) = [1.2, 3.0, 8.8]
        let v = [1, 2, 3, 4, 10];
        assert!((quantile(&v, 0.05) - 1.2).abs() < 1e-12);
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert!((quantile(&v, 0.95) - 8.8).abs() < 1e-12);
        assert_eq!(quantile(&[7], 0.95), 7.0);
    }

    #[test]
    fn moments_agree_with_the_textbook_formulas() {
        let xs = [3u32, 5, 5, 9, 0, 1];
        let (mut a, mut b, mut left, mut right) =
            (IntMoments::default(), Moments::default(), Moments::default(), Moments::default());
        for (i, &x) in xs.iter().enumerate() {
            a.push(x);
            b.push(x as f64);
            if i < 2 { &mut left } else { &mut right }.push(x as f64);
        }
        left.merge(&right);
        let mean = 23.0 / 6.0;
        let var = xs.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / 5.0;
        for m in [a.mean(), b.mean(), left.mean()] {
            assert!((m - mean).abs() < 1e-12);
        }
        for se in [a.std_error(), b.std_error(), left.std_error()] {
            assert!((se - (var / 6.0).sqrt()).abs() < 1e-12);
        }
        let mut s = Sums::default();
        xs.iter().for_each(|&x| s.push(x as f64));
        let band = s.band(6);
        assert!((band.std_error - (var / 6.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn wilson_interval_of_a_proportion() {
        // 5 of 50: Wilson 95 % interval (0.0435, 0.2136) (standard tables).
        let e = Estimate::proportion(5, 50);
        assert!((e.mean - 0.1).abs() < 1e-15);
        assert!((e.ci95_low - 0.0435).abs() < 5e-4, "{e:?}");
        assert!((e.ci95_high - 0.2136).abs() < 5e-4, "{e:?}");
        let none = Estimate::proportion(0, 100);
        assert_eq!((none.ci95_low, none.q95), (0.0, 0.0));
        assert!(none.ci95_high > 0.03 && none.ci95_high < 0.04);
        // 10 ones among 100: the 95 % quantile interpolates between order statistics 94 and 95.
        let v: Vec<u32> = (0..100).map(|i| (i >= 90) as u32).collect();
        let e = Estimate::proportion(10, 100);
        assert_eq!(
            (e.q05, e.q50, e.q95),
            (quantile(&v, 0.05), quantile(&v, 0.5), quantile(&v, 0.95))
        );
    }
}
