//! Axis scales and tick choice: "nice" linear ticks (steps of 1, 2 or 5 times a power of ten,
//! Heckbert's rule) and decade ticks for logarithmic axes, with compact labels.

/// How data values map to an axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// Linear between `lo` and `hi`.
    Linear {
        /// Value at the axis start.
        lo: f64,
        /// Value at the axis end.
        hi: f64,
    },
    /// Base-10 logarithmic between `lo` and `hi` (both positive).
    Log {
        /// Value at the axis start (> 0).
        lo: f64,
        /// Value at the axis end (> lo).
        hi: f64,
    },
}

impl Scale {
    /// A linear scale over the data range `[lo, hi]` widened to the nice tick steps that
    /// enclose it. A degenerate range is widened to something drawable.
    pub fn linear_nice(lo: f64, hi: f64, target_ticks: usize) -> Scale {
        let (lo, hi) = widen(lo, hi);
        let step = nice_step(lo, hi, target_ticks);
        let lo = (lo / step).floor() * step;
        let hi = (hi / step).ceil() * step;
        Scale::Linear { lo, hi }
    }

    /// A log scale over `[lo, hi]` (positive values), widened to whole decades.
    pub fn log_decades(lo: f64, hi: f64) -> Scale {
        let lo = if lo > 0.0 && lo.is_finite() { lo } else { 1.0 };
        let hi = if hi > lo && hi.is_finite() { hi } else { lo * 10.0 };
        let lo = 10f64.powf(lo.log10().floor());
        let mut hi_d = 10f64.powf(hi.log10().ceil());
        if hi_d <= lo {
            hi_d = lo * 10.0;
        }
        Scale::Log { lo, hi: hi_d }
    }

    /// A log scale tightly around `[lo, hi]` (positive values) with a quarter of a decade of
    /// padding on each side, so points at the extremes stay off the frame.
    pub fn log_padded(lo: f64, hi: f64) -> Scale {
        let lo = if lo > 0.0 && lo.is_finite() { lo } else { 1.0 };
        let hi = if hi >= lo && hi.is_finite() { hi } else { lo };
        let pad = 10f64.powf(0.25);
        Scale::Log { lo: lo / pad, hi: (hi * pad).max(lo * 10.0 / pad) }
    }

    /// The position of `v` along the axis, as a fraction in `[0, 1]` of its length (values
    /// outside the range give fractions outside `[0, 1]`; non-positive values on a log scale
    /// map to the axis start).
    pub fn fraction(&self, v: f64) -> f64 {
        match *self {
            Scale::Linear { lo, hi } => (v - lo) / (hi - lo),
            Scale::Log { lo, hi } => {
                if v <= 0.0 {
                    0.0
                } else {
                    (v.log10() - lo.log10()) / (hi.log10() - lo.log10())
                }
            }
        }
    }

    /// Tick values (about `target` of them on a linear axis; decades, or 1-2-5 steps when the
    /// axis spans fewer than three decades, on a log axis).
    pub fn ticks(&self, target: usize) -> Vec<f64> {
        match *self {
            Scale::Linear { lo, hi } => linear_ticks(lo, hi, target),
            Scale::Log { lo, hi } => log_ticks(lo, hi),
        }
    }

    /// The range `(lo, hi)`.
    pub fn range(&self) -> (f64, f64) {
        match *self {
            Scale::Linear { lo, hi } | Scale::Log { lo, hi } => (lo, hi),
        }
    }
}

fn widen(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    if hi > lo {
        (lo, hi)
    } else if lo == 0.0 {
        (0.0, 1.0)
    } else {
        let pad = lo.abs() * 0.1;
        (lo - pad, hi + pad)
    }
}

/// The nice step (1, 2 or 5 times a power of ten) that splits `[lo, hi]` into about
/// `target` intervals.
pub fn nice_step(lo: f64, hi: f64, target: usize) -> f64 {
    let (lo, hi) = widen(lo, hi);
    let raw = (hi - lo) / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let residual = raw / magnitude;
    // Heckbert's rounding ("Nice numbers for graph labels", Graphics Gems, 1990).
    let nice = if residual < 1.5 {
        1.0
    } else if residual < 3.0 {
        2.0
    } else if residual < 7.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// Multiples of [`nice_step`] inside `[lo, hi]` (with a tolerance of a millionth of a step at
/// the ends, so `0.30000000000000004` still counts as `0.3`).
pub fn linear_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let (lo, hi) = widen(lo, hi);
    let step = nice_step(lo, hi, target);
    let first = (lo / step - 1e-6).ceil() as i64;
    let last = (hi / step + 1e-6).floor() as i64;
    (first..=last).map(|k| clean(k as f64 * step, step)).collect()
}

/// Rounds away binary noise: `k * step` to the decimals the step needs.
fn clean(v: f64, step: f64) -> f64 {
    let decimals = (-step.log10().floor()).max(0.0) as i32 + 1;
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

/// Log-axis ticks in `[lo, hi]`: every power of ten; with fewer than three decades, also 2x
/// and 5x each power.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo) {
        return vec![];
    }
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    let dense = (hi / lo).log10() < 3.0;
    let mut out = Vec::new();
    for e in first..=last {
        let p = 10f64.powi(e);
        let multiples: &[f64] = if dense { &[1.0, 2.0, 5.0] } else { &[1.0] };
        for m in multiples {
            let v = m * p;
            if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                out.push(v);
            }
        }
    }
    out
}

/// A compact tick label: integers without decimals, thousands as `1k`/`2.5M` when large,
/// small values with the decimals they need, very small or very large ones as `1e-5`.
pub fn tick_label(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if a >= 1e4 {
        let (div, suffix) = if a >= 1e9 {
            (1e9, "G")
        } else if a >= 1e6 {
            (1e6, "M")
        } else {
            (1e3, "k")
        };
        return format!("{}{suffix}", trim(v / div, 2));
    }
    if a < 1e-3 {
        let e = a.log10().floor() as i32;
        let m = v / 10f64.powi(e);
        return if (m.round() - m).abs() < 1e-9 {
            format!("{}e{e}", m.round())
        } else {
            format!("{}e{e}", trim(m, 1))
        };
    }
    trim(v, 4)
}

/// `v` with at most `decimals` decimals, trailing zeros removed.
pub fn trim(v: f64, decimals: usize) -> String {
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" { "0".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_linear_ticks() {
        assert_eq!(linear_ticks(0.0, 1.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(linear_ticks(0.0, 34.0, 5), vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0]);
        assert_eq!(linear_ticks(0.0, 40.0, 5), vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!(linear_ticks(-3.0, 7.0, 5), vec![-2.0, 0.0, 2.0, 4.0, 6.0]);
        assert_eq!(linear_ticks(0.0, 0.3, 3), vec![0.0, 0.1, 0.2, 0.3]);
        assert_eq!(nice_step(0.0, 1234.0, 5), 200.0);
        assert_eq!(nice_step(0.0, 0.0, 5), 0.2, "a degenerate range becomes [0, 1]");
    }

    #[test]
    fn nice_scale_encloses_the_data() {
        let Scale::Linear { lo, hi } = Scale::linear_nice(0.3, 17.2, 5) else { panic!() };
        assert_eq!((lo, hi), (0.0, 20.0));
        let s = Scale::linear_nice(5.0, 5.0, 4);
        let (lo, hi) = s.range();
        assert!(lo < 5.0 && hi > 5.0);
    }

    #[test]
    fn log_ticks_by_decade_or_1_2_5() {
        assert_eq!(log_ticks(1.0, 1e4), vec![1.0, 10.0, 100.0, 1000.0, 10000.0]);
        assert_eq!(log_ticks(1.0, 100.0), vec![1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]);
        assert!(log_ticks(0.0, 10.0).is_empty());
        let s = Scale::log_decades(3.0, 470.0);
        assert_eq!(s.range(), (1.0, 1000.0));
        assert!((s.fraction(10.0) - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.fraction(0.0), 0.0);
        let p = Scale::log_padded(1.0, 17.0);
        let (lo, hi) = p.range();
        assert!(lo < 1.0 && lo > 0.5 && hi > 17.0 && hi < 34.0, "{lo} {hi}");
        assert_eq!(log_ticks(lo, hi), vec![1.0, 2.0, 5.0, 10.0, 20.0]);
    }

    #[test]
    fn labels_are_compact() {
        assert_eq!(tick_label(0.0), "0");
        assert_eq!(tick_label(20.0), "20");
        assert_eq!(tick_label(0.25), "0.25");
        assert_eq!(tick_label(15000.0), "15k");
        assert_eq!(tick_label(2_500_000.0), "2.5M");
        assert_eq!(tick_label(0.0001), "1e-4");
        assert_eq!(tick_label(0.00025), "2.5e-4");
        assert_eq!(tick_label(-0.5), "-0.5");
    }
}
