//! The target-audience section: the campaign counted in the audience's weight, its share of
//! the audience over the rounds, its backfire curve and the seed sets compared on target reach.

use std::fmt::Write as _;

use super::parts::{figure, find_chart, fmt_reach};
use crate::charts;
use crate::data::{Estimate, ReportData, SeedSetResult};
use crate::svg::{Chart, escape};

/// Appends the target section, when the report has an audience.
pub(super) fn target_section(o: &mut String, d: &ReportData, charts: &[Chart]) {
    let Some(t) = &d.target else {
        return;
    };
    let share = |x: f64| if t.weight > 0.0 { 100.0 * x / t.weight } else { 0.0 };
    let _ = write!(
        o,
        "<section id=\"target\"><h2>Target audience</h2><p data-target-weight=\"{}\" \
         data-target-accounts=\"{}\">The audience: {} accounts, total weight {}. Each account \
         reached counts its weight (accounts outside the audience count 0); the same trials as \
         above. The campaign reaches {:.1}% of the audience's weight ({:.1}% positively, {:.1}% \
         negatively) and {:.1}% hears of it.</p>",
        t.weight,
        t.accounts,
        t.accounts,
        fmt_reach(t.weight),
        share(t.total.mean),
        share(t.positive.mean),
        share(t.negative.mean),
        share(t.awareness.mean),
    );
    o.push_str(
        "<table class=\"estimates\"><tr><th>metric</th><th>expected</th><th>95% CI</th>\
         <th>5% / median / 95% of trials</th></tr>",
    );
    let mut row = |metric: &str, label: &str, e: &Estimate| {
        super::parts::estimate_row(o, "target", metric, label, e)
    };
    row("positive", "positive target reach (weight)", &t.positive);
    row("negative", "negative target reach: disappointed targets (weight)", &t.negative);
    row("total", "target reach (weight)", &t.total);
    row("awareness", "target weight that heard of it", &t.awareness);
    row("backfire_risk", "target backfire risk (P[negative > positive])", &t.backfire_risk);
    o.push_str("</table>");
    figure(
        o,
        find_chart(charts, charts::TARGET_SHARE),
        "Share of the audience's weight reached by the end of each round (cumulative means), \
         positive and negative, and the share that heard of the product by the end of the \
         campaign.",
    );
    if t.backfire.is_some() {
        figure(
            o,
            find_chart(charts, charts::TARGET_BACKFIRE),
            "Expected positive and negative target weight (shaded: 95% CI) and their difference \
             as product quality q goes from 0 to 1, on the same trials as the backfire curve \
             above: a disappointed target customer is the costliest kind of backfire.",
        );
    }
    if !t.sets.is_empty() {
        o.push_str(
            "<table class=\"sets\"><tr><th>seed set</th><th>positive (95% CI)</th>\
             <th>negative (95% CI)</th><th>target reach (95% CI)</th></tr>",
        );
        for s in &t.sets {
            set_row(o, s);
        }
        o.push_str("</table>");
        figure(
            o,
            find_chart(charts, charts::TARGET_COMPARISON),
            "The seed sets of the comparison above, counted in target weight, on the same \
             trials. A set chosen for the audience can reach fewer accounts in all and more of \
             the audience.",
        );
    }
    o.push_str("</section>");
}

fn set_row(o: &mut String, s: &SeedSetResult) {
    let cell = |e: &Estimate, m: &str| {
        format!(
            "<td class=\"num\" data-metric=\"{m}\" data-mean=\"{}\" data-ci95-low=\"{}\" data-ci95-high=\"{}\">{} ({} – {})</td>",
            e.mean,
            e.ci95_low,
            e.ci95_high,
            fmt_reach(e.mean),
            fmt_reach(e.ci95_low),
            fmt_reach(e.ci95_high)
        )
    };
    let _ = write!(
        o,
        "<tr data-target-set=\"{}\"><td>{}</td>{}{}{}</tr>",
        escape(&s.key),
        escape(&s.label),
        cell(&s.positive, "positive"),
        cell(&s.negative, "negative"),
        cell(&s.total, "total")
    );
}
