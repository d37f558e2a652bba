//! The calibration page: does the simulator, with learned probabilities, predict held-out real
//! cascades? Built from plain data ([`CalibrationData`]) with the campaign report's building
//! blocks (x-y charts, figures, number formats, page style), as a standalone page or as a
//! section of the campaign report.
//!
//! Charts: the reliability diagram (mean predicted activation probability against the
//! observed joining rate, per 10 equal-width bins, with the diagonal of perfect calibration)
//! and predicted against real cascade size on log-log axes.

use std::fmt::Write as _;

use serde::Serialize;

use crate::Rendered;
use crate::html::CSS;
use crate::html::parts::{figure, find_chart, fmt_score};
use crate::svg::{Chart, Style, escape};
use crate::xy::{Mode, Series, XyChart, xy_chart};

/// One reliability bin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReliabilityPoint {
    /// Lower edge of the bin.
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Predictions in the bin.
    pub count: u64,
    /// Their mean predicted probability.
    pub mean_predicted: f64,
    /// The fraction that joined.
    pub observed: f64,
}

/// One probability model's scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationModel {
    /// `learned`, `uniform`, `wc`, `trivalency`.
    pub name: String,
    /// What it is, for the legend (e.g. `uniform p = 0.25 (fitted)`).
    pub description: String,
    /// Pooled ROC AUC.
    pub auc: f64,
    /// Mean per-cascade AUC.
    pub mean_cascade_auc: f64,
    /// Brier score.
    pub brier: f64,
    /// Brier skill score against the base rate.
    pub brier_skill: f64,
    /// Expected calibration error.
    pub ece: f64,
    /// Size log-RMSE.
    pub log_rmse: f64,
    /// Size bias (mean log ratio).
    pub bias: f64,
    /// Size Spearman correlation.
    pub spearman: f64,
    /// Size Spearman correlation over the cascades with a seed in the training graph.
    pub spearman_seen: f64,
    /// Size log-RMSE against the part of each cascade inside the training graph.
    pub log_rmse_in_graph: f64,
    /// The reliability table.
    pub reliability: Vec<ReliabilityPoint>,
}

/// Learned minus one baseline, each as `[estimate, 2.5 %, 97.5 %]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationDifference {
    /// The baseline.
    pub baseline: String,
    /// Pooled AUC difference.
    pub auc: [f64; 3],
    /// Brier difference.
    pub brier: [f64; 3],
    /// Size log-RMSE difference.
    pub log_rmse: [f64; 3],
    /// Size Spearman correlation difference.
    pub spearman: [f64; 3],
    /// The same over the cascades with a seed in the training graph.
    pub spearman_seen: [f64; 3],
}

/// Everything the calibration page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationData {
    /// Page title.
    pub title: String,
    /// Program and version.
    pub generator: String,
    /// The command that produced the numbers.
    pub command: String,
    /// Protocol settings as (name, value) rows.
    pub setup: Vec<(String, String)>,
    /// Candidates scored, their base rate, held-out cascades.
    pub candidates: u64,
    /// Fraction of candidates that joined.
    pub base_rate: f64,
    /// Held-out cascades.
    pub cascades: usize,
    /// Non-seed accounts of the held-out cascades.
    pub accounts: u64,
    /// Share of them absent from the training graph.
    pub outside_graph: f64,
    /// Share of them outside the candidates.
    pub outside_candidates: f64,
    /// Held-out cascades without any seed in the training graph.
    pub cascades_without_seed: usize,
    /// Per model (the learned one first).
    pub models: Vec<CalibrationModel>,
    /// Learned against each baseline.
    pub differences: Vec<CalibrationDifference>,
    /// Per held-out cascade: (real size, predicted size per model).
    pub sizes: Vec<(f64, Vec<f64>)>,
}

fn style(i: usize) -> Style {
    if i == 0 { Style::Positive } else { Style::Neutral(i) }
}

/// The reliability diagram and the size chart.
pub fn calibration_charts(d: &CalibrationData) -> Vec<Chart> {
    let mut series = vec![Series {
        label: "perfect calibration".into(),
        key: "diagonal".into(),
        style: Style::Muted,
        mode: Mode::Line,
        points: vec![(0.0, 0.0), (1.0, 1.0)],
        band: None,
    }];
    for (i, m) in d.models.iter().enumerate() {
        series.push(Series {
            label: m.name.clone(),
            key: m.name.clone(),
            style: style(i),
            mode: Mode::LineAndMarkers,
            points: m
                .reliability
                .iter()
                .filter(|b| b.count > 0)
                .map(|b| (b.mean_predicted, b.observed))
                .collect(),
            band: None,
        });
    }
    let reliability = xy_chart(&XyChart {
        id: "reliability".into(),
        title: "Reliability: predicted activation probability vs observed joining rate".into(),
        x_label: "mean predicted probability (10 bins)".into(),
        y_label: "fraction that joined".into(),
        log_x: false,
        log_y: false,
        x_range: Some((0.0, 1.0)),
        y_floor: Some(0.0),
        x_integer: false,
        zero_line: false,
        series,
        markers: Vec::new(),
        width: 760.0,
        height: 460.0,
    });
    let top = d.sizes.iter().flat_map(|(r, p)| std::iter::once(*r).chain(p.iter().copied()));
    let top = top.fold(1.0f64, f64::max);
    let mut series = vec![Series {
        label: "predicted = real".into(),
        key: "diagonal".into(),
        style: Style::Muted,
        mode: Mode::Line,
        points: vec![(1.0, 1.0), (top, top)],
        band: None,
    }];
    for (i, m) in d.models.iter().enumerate() {
        series.push(Series {
            label: m.name.clone(),
            key: m.name.clone(),
            style: style(i),
            mode: Mode::Markers,
            points: d.sizes.iter().map(|(r, p)| (*r, p[i])).collect(),
            band: None,
        });
    }
    let sizes = xy_chart(&XyChart {
        id: "cascade-size".into(),
        title: "Cascade size: predicted (expected) vs real".into(),
        x_label: "real size (accounts)".into(),
        y_label: "predicted expected size".into(),
        log_x: true,
        log_y: true,
        x_range: None,
        y_floor: None,
        x_integer: false,
        zero_line: false,
        series,
        markers: Vec::new(),
        width: 760.0,
        height: 460.0,
    });
    vec![reliability, sizes]
}

fn interval(x: [f64; 3]) -> String {
    // Absent from a result written before the metric existed.
    if !x[0].is_finite() {
        return "–".into();
    }
    // The interval on its own line, so that the table fits the page.
    format!("{}<br>[{}, {}]", fmt_score(x[0]), fmt_score(x[1]), fmt_score(x[2]))
}

/// The calibration section (an `<h2 id="calibration">` and what follows) for `d`, holding
/// `charts` from [`calibration_charts`].
pub fn calibration_section(d: &CalibrationData, charts: &[Chart]) -> String {
    let mut o = String::new();
    o.push_str("<h2 id=\"calibration\">Is the simulation right?</h2>");
    let _ = write!(
        o,
        "<p>Probabilities were learned from training cascades only, then Independent Cascade was \
         simulated from the seeds of {} held-out cascades and each candidate account's \
         activation probability compared with whether it joined ({} candidates, {:.3}% joined). \
         The untrained defaults run on the same training graph, seeds and trials.</p>",
        d.cascades,
        d.candidates,
        100.0 * d.base_rate
    );
    o.push_str("<table><tr><th>setting</th><th>value</th></tr>");
    for (k, v) in &d.setup {
        let _ = write!(o, "<tr><td>{}</td><td>{}</td></tr>", escape(k), escape(v));
    }
    o.push_str("</table><h3>Who joins</h3>");
    o.push_str(
        "<table><tr><th>model</th><th>pooled AUC</th><th>mean per-cascade AUC</th>\
         <th>Brier</th><th>Brier skill</th><th>ECE</th></tr>",
    );
    for m in &d.models {
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"num\">{:.4}</td><td class=\"num\">{:.4}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&m.description),
            m.auc,
            m.mean_cascade_auc,
            fmt_score(m.brier),
            fmt_score(m.brier_skill),
            fmt_score(m.ece)
        );
    }
    o.push_str("</table>");
    figure(
        &mut o,
        find_chart(charts, "reliability"),
        "Each point is one of 10 equal-width bins of predicted probability: its mean prediction \
         against the fraction of its candidates that joined. Points on the grey diagonal are \
         perfectly calibrated; above it the model under-predicts. AUC says whether joiners are \
         ranked above non-joiners; the Brier skill score compares the squared error with \
         predicting the base rate for everyone (positive: better).",
    );
    o.push_str("<h3>How big</h3>");
    o.push_str(
        "<table><tr><th>model</th><th>log-RMSE of log(1+size)</th><th>bias (mean log ratio)</th>\
         <th>Spearman</th><th>Spearman, cascades with a seed in the training graph</th>\
         <th>log-RMSE of the IC part vs the in-graph part</th></tr>",
    );
    for m in &d.models {
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"num\">{:.3}</td><td class=\"num\">{:+.3}</td>\
             <td class=\"num\">{:.3}</td><td class=\"num\">{}</td><td class=\"num\">{:.3}</td></tr>",
            escape(&m.description),
            m.log_rmse,
            m.bias,
            m.spearman,
            if m.spearman_seen.is_finite() {
                format!("{:.3}", m.spearman_seen)
            } else {
                "–".into()
            },
            m.log_rmse_in_graph
        );
    }
    o.push_str("</table>");
    figure(
        &mut o,
        find_chart(charts, "cascade-size"),
        "One point per held-out cascade and model. Sizes count accounts, seeds included. A \
         predicted size is the Independent Cascade expectation on the training graph plus the \
         accounts expected through links never seen in training (Good–Turing: per account, its \
         out-links seen in exactly one training cascade per cascade it acted in, times the mean \
         sub-tree below such a link; with root seeds, a root's links counted over the cascades \
         it started, and a root that started none counted like the roots that started one), the \
         same rule for every model.",
    );
    let _ = write!(
        o,
        "<p class=\"omitted\">What no model here can predict: {:.1}% of the {} accounts that \
         joined held-out cascades (seeds aside) never appear in the training graph, and {:.1}% \
         lie outside the candidates (absent, or too far from the seeds); {} held-out cascades \
         start from seeds the training graph has never seen, so every model predicts the same \
         size for them (the first-seen-link term alone). An Independent Cascade model on the \
         training graph cannot reach accounts it has never seen; who they are is unpredictable \
         here, only how many.</p>",
        100.0 * d.outside_graph,
        d.accounts,
        100.0 * d.outside_candidates,
        d.cascades_without_seed
    );
    o.push_str(
        "<h3>Learned against each baseline</h3><p>Differences learned minus baseline with \
         bootstrap 95% intervals (held-out cascades resampled with replacement). AUC: above zero \
         favours learned; Brier and log-RMSE: below zero favours learned; size Spearman: above zero \
         favours learned.</p><table><tr><th>baseline</th><th>Δ pooled AUC</th><th>Δ Brier</th>\
         <th>Δ size log-RMSE</th><th>Δ size Spearman</th><th>Δ size Spearman, seed in the \
         training graph</th></tr>",
    );
    for x in &d.differences {
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&x.baseline),
            interval(x.auc),
            interval(x.brier),
            interval(x.log_rmse),
            interval(x.spearman),
            interval(x.spearman_seen)
        );
    }
    o.push_str("</table>");
    o
}

/// The standalone calibration page and its charts.
pub fn calibration_page(d: &CalibrationData) -> Rendered {
    let charts = calibration_charts(d);
    let mut o = String::with_capacity(128 * 1024);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{CSS}</style></head><body><main>\
         <h1>{}</h1><p class=\"meta\">{} · <code>{}</code></p>",
        escape(&d.title),
        escape(&d.title),
        escape(&d.generator),
        escape(&d.command)
    );
    o.push_str(&calibration_section(d, &charts));
    o.push_str(
        "<footer><p><b>Conventions.</b> Arcs point the way influence flows (an account that \
         retweeted or replied to another is influenced by it). Candidates are the accounts within \
         the given number of arcs of the seeds in the training graph, seeds excluded; the \
         simulation runs that many rounds. Probabilities from T trials are multiples of 1/T. \
         The numbers behind the page are embedded as JSON (<code>#clout-calibration-data</code>).\
         </p></footer>",
    );
    let json = serde_json::to_string(d).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    let _ = writeln!(
        o,
        "</main><script type=\"application/json\" id=\"clout-calibration-data\">{}</script></body></html>",
        json.replace('<', "\\u003c")
    );
    Rendered { html: o, charts }
}
