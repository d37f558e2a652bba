//! Pieces both halves of the page use: number formats, figures and chart lookup.

use std::fmt::Write as _;

use crate::svg::{Chart, escape};

/// Formats a count-like expectation: no decimals from 1000, one from 10, else two.
pub(crate) fn fmt_reach(x: f64) -> String {
    let a = x.abs();
    if a >= 1000.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// Four significant digits without trailing zeros (scores such as PageRank, costs), in
/// scientific notation below 0.001.
pub(crate) fn fmt_score(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return if x == 0.0 { "0".into() } else { x.to_string() };
    }
    if x.abs() < 1e-3 {
        return format!("{x:.3e}");
    }
    let digits = (3 - x.abs().log10().floor() as i32).max(0) as usize;
    crate::axis::trim(x, digits)
}

/// Appends a `<figure>` holding `chart` (nothing when the chart is absent) and a caption.
pub(crate) fn figure(out: &mut String, chart: Option<&Chart>, caption: &str) {
    if let Some(c) = chart {
        let _ = write!(out, "<figure data-chart=\"{}\">{}", escape(&c.id), c.svg);
        if !caption.is_empty() {
            let _ = write!(out, "<figcaption>{}</figcaption>", escape(caption));
        }
        out.push_str("</figure>");
    }
}

/// The chart with id `id`, if it was drawn.
pub(crate) fn find_chart<'a>(charts: &'a [Chart], id: &str) -> Option<&'a Chart> {
    charts.iter().find(|c| c.id == id)
}

/// Appends one row of an estimates table (metric, expected, 95% CI, 5% / median / 95% of
/// trials), tagged with `data-section`, `data-metric` and the exact mean and interval.
pub(crate) fn estimate_row(
    o: &mut String,
    section: &str,
    metric: &str,
    label: &str,
    e: &crate::data::Estimate,
) {
    let _ = write!(
        o,
        "<tr data-section=\"{section}\" data-metric=\"{metric}\" data-mean=\"{}\" data-ci95-low=\"{}\" data-ci95-high=\"{}\">\
         <td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} – {}</td><td class=\"num\">{} / {} / {}</td></tr>",
        e.mean,
        e.ci95_low,
        e.ci95_high,
        escape(label),
        fmt_reach(e.mean),
        fmt_reach(e.ci95_low),
        fmt_reach(e.ci95_high),
        fmt_reach(e.q05),
        fmt_reach(e.q50),
        fmt_reach(e.q95),
    );
}
