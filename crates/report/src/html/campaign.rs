//! The campaign half of the page: reach over time, the backfire curve, the seed-set
//! comparison and the neighbourhood drawing.

use std::fmt::Write as _;

use super::parts::{figure, find_chart, fmt_reach, fmt_score};
use crate::charts;
use crate::data::ReportData;
use crate::svg::{Chart, escape};

fn omitted(o: &mut String, d: &ReportData, section: &str) {
    let reason = d
        .omitted
        .iter()
        .find(|(s, _)| s == section)
        .map_or("not computed for this report", |(_, r)| r.as_str());
    let _ = write!(o, "<p class=\"omitted\">Not shown: {}</p>", escape(reason));
}

/// Appends the four campaign sections.
pub(super) fn campaign_sections(o: &mut String, d: &ReportData, charts: &[Chart]) {
    let c = &d.campaign;
    o.push_str("<section id=\"reach\"><h2>Reach over time</h2>");
    let _ = write!(
        o,
        "<p>Seeds ({}): <b class=\"seeds\">{}</b> — {}. Model <code>{}</code>, edge probabilities \
         <code>{}</code>{}, {} trials, seed {}.</p>",
        c.seeds.len(),
        escape(&c.seeds.join(", ")),
        escape(&c.chosen_by),
        escape(&c.model),
        escape(&c.prob),
        c.quality.map(|q| format!(", product quality q = {q}")).unwrap_or_default(),
        c.trials,
        c.seed
    );
    if let Some(b) = &c.budget {
        let _ = write!(
            o,
            "<p data-budget=\"{}\" data-spent=\"{}\">Budget {}: spent {} ({:.1}%); costs per seed: {}.</p>",
            b.budget,
            b.spent,
            fmt_score(b.budget),
            fmt_score(b.spent),
            if b.budget > 0.0 { 100.0 * b.spent / b.budget } else { 0.0 },
            escape(&b.costs.iter().map(|&x| fmt_score(x)).collect::<Vec<_>>().join(", "))
        );
    }
    match &d.reach {
        Some(r) => {
            o.push_str(
                "<table class=\"estimates\"><tr><th>metric</th><th>expected</th><th>95% CI</th>\
                 <th>5% / median / 95% of trials</th></tr>",
            );
            estimate_rows(o, r);
            o.push_str("</table>");
            let mut caption = "Mean number of accounts newly activated in each round, positive \
                               and negative, with shaded 95% confidence bands. Round 0 is the \
                               seeds."
                .to_string();
            let drawn = charts::drawn_rounds(r);
            if drawn < r.rounds.len() {
                caption.push_str(&format!(
                    " Rounds {} to {} are left out: fewer than {} accounts activate in each on \
                     average (the JSON data block at the end of the page keeps them).",
                    r.rounds[drawn].round,
                    r.rounds[r.rounds.len() - 1].round,
                    charts::QUIET_ROUND
                ));
            }
            figure(o, find_chart(charts, charts::REACH_OVER_TIME), &caption);
        }
        None => omitted(o, d, "reach"),
    }
    o.push_str("</section><section id=\"backfire\"><h2>Backfire curve</h2>");
    match &d.backfire {
        Some(b) => {
            let verdict = match b.threshold {
                Some(t) => format!(
                    "Below q = {t:.2} the campaign does more harm than good: expected negative \
                     reach exceeds positive reach."
                ),
                None => {
                    let net_positive = b.points.iter().all(|p| p.positive.mean >= p.negative.mean);
                    if net_positive {
                        "Net reach is positive at every quality tried.".into()
                    } else {
                        "Net reach is negative at every quality tried: the campaign does more harm than good.".into()
                    }
                }
            };
            let _ = write!(
                o,
                "<p class=\"verdict\" data-threshold=\"{}\">{}</p>",
                b.threshold.map(|t| t.to_string()).unwrap_or_default(),
                escape(&verdict)
            );
            let caption = format!(
                "Expected positive and negative reach (shaded: 95% CI) and net reach as product \
                 quality q goes from 0 to 1, model {}, the same trials for every q. The dashed red \
                 line marks where net reach crosses zero (linear interpolation between the \
                 simulated qualities).",
                b.model
            );
            figure(o, find_chart(charts, charts::BACKFIRE_CURVE), &caption);
        }
        None => omitted(o, d, "backfire"),
    }
    o.push_str("</section><section id=\"comparison\"><h2>Seed-set comparison</h2>");
    match &d.comparison {
        Some(cmp) => {
            let _ = write!(o, "<p>{}</p>", escape(&cmp.note));
            let costs = cmp.sets.iter().any(|s| s.cost.is_some());
            o.push_str(
                "<table class=\"sets\"><tr><th>seed set</th><th>seeds</th><th>positive (95% CI)</th>\
                 <th>negative (95% CI)</th><th>total (95% CI)</th>",
            );
            if costs {
                o.push_str("<th>cost</th>");
            }
            o.push_str("</tr>");
            for s in &cmp.sets {
                let cell = |e: &crate::data::Estimate, m: &str| {
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
                    "<tr data-set=\"{}\"><td>{}</td><td>{}</td>{}{}{}",
                    escape(&s.key),
                    escape(&s.label),
                    escape(&s.seeds.join(", ")),
                    cell(&s.positive, "positive"),
                    cell(&s.negative, "negative"),
                    cell(&s.total, "total")
                );
                if costs {
                    let _ = write!(
                        o,
                        "<td class=\"num\">{}</td>",
                        s.cost.map(fmt_score).unwrap_or_default()
                    );
                }
                o.push_str("</tr>");
            }
            o.push_str("</table>");
            figure(
                o,
                find_chart(charts, charts::SEED_COMPARISON),
                "Bars: expected reach of each seed set; whiskers: 95% confidence intervals. \
                 Every set is evaluated on the same random trials (common random numbers).",
            );
        }
        None => omitted(o, d, "comparison"),
    }
    o.push_str("</section><section id=\"neighbourhood\"><h2>Neighbourhood drawing</h2>");
    match &d.neighbourhood {
        Some(nb) => {
            let caption = format!(
                "{} Force-directed layout (Fruchterman-Reingold), deterministic from seed {}.",
                nb.note, nb.layout_seed
            );
            figure(o, find_chart(charts, charts::NEIGHBOURHOOD), &caption);
        }
        None => omitted(o, d, "neighbourhood"),
    }
    o.push_str("</section>");
}

fn estimate_rows(o: &mut String, r: &crate::data::ReachSection) {
    let mut row = |metric: &str, label: &str, e: &crate::data::Estimate| {
        super::parts::estimate_row(o, "reach", metric, label, e)
    };
    row("positive", "positive reach (accounts)", &r.positive);
    row("negative", "negative reach (accounts)", &r.negative);
    row("total", "total reach (accounts)", &r.total);
    row("awareness", "heard of it (accounts)", &r.awareness);
    row("backfire_risk", "backfire risk (P[negative > positive])", &r.backfire_risk);
    if let Some(conv) = &r.conversions {
        row("conversions", "expected conversions", conv);
    }
    if let Some(sales) = &r.sales {
        row("sales", "expected sales (sum of purchase probabilities)", sales);
    }
    if let Some(revenue) = &r.revenue {
        row("revenue", "expected revenue", revenue);
    }
}
