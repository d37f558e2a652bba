//! Every chart of the report, built from [`ReportData`]: ids, titles, axes and series.

use crate::bars::{Bar, BarChart, BarGroup, Histogram, bar_chart, histogram};
use crate::data::{BackfireSection, ReachSection, ReportData, SeedSetResult, TargetSection};
use crate::heatmap::{Heatmap, heatmap};
use crate::network::{NetNode, NetworkDrawing, network};
use crate::svg::{Chart, Style};
use crate::xy::{Mode, Series, VMarker, XyChart, xy_chart};

/// Chart ids in page order (each also names its file under `--svg-dir`). Score histograms are
/// `score-<key>` for each score key.
pub const DEGREE_DISTRIBUTION: &str = "degree-distribution";
/// Id of the rank-agreement matrix.
pub const RANK_AGREEMENT: &str = "rank-agreement";
/// Id of the reach-over-time chart.
pub const REACH_OVER_TIME: &str = "reach-over-time";
/// Id of the backfire curve.
pub const BACKFIRE_CURVE: &str = "backfire-curve";
/// Id of the seed-set comparison.
pub const SEED_COMPARISON: &str = "seed-comparison";
/// Id of the target audience's share over time.
pub const TARGET_SHARE: &str = "target-share-over-time";
/// Id of the backfire curve in target weight.
pub const TARGET_BACKFIRE: &str = "target-backfire-curve";
/// Id of the seed-set comparison in target weight.
pub const TARGET_COMPARISON: &str = "target-seed-comparison";
/// Id of the neighbourhood drawing.
pub const NEIGHBOURHOOD: &str = "neighbourhood-drawing";

/// All charts for `d`, in page order.
pub fn all_charts(d: &ReportData) -> Vec<Chart> {
    let mut out = vec![degree_distribution(d)];
    out.extend(score_histograms(d));
    out.push(rank_agreement(d));
    if let Some(r) = &d.reach {
        out.push(reach_over_time(r));
    }
    if let Some(b) = &d.backfire {
        out.push(backfire_curve(
            b,
            BACKFIRE_CURVE,
            "Backfire curve: reach against product quality",
            "expected accounts",
        ));
    }
    if let Some(c) = &d.comparison {
        out.push(seed_comparison(
            &c.sets,
            SEED_COMPARISON,
            "Seed sets compared on the same trials",
            "expected accounts",
        ));
    }
    if let Some(nb) = &d.neighbourhood {
        out.push(network(&NetworkDrawing {
            id: NEIGHBOURHOOD.into(),
            title: "Neighbourhood of the seeds".into(),
            nodes: nb
                .nodes
                .iter()
                .map(|v| NetNode {
                    label: v.id.clone(),
                    seed: v.seed,
                    positive: v.positive,
                    negative: v.negative,
                })
                .collect(),
            edges: nb.arcs.clone(),
            seed: nb.layout_seed,
            caption: format!(
                "{} and {} of the accounts they reach; layout seed {}.",
                match nb.nodes.iter().filter(|v| v.seed).count() {
                    1 => "1 seed".to_string(),
                    n => format!("{n} seeds"),
                },
                nb.nodes.iter().filter(|v| !v.seed).count(),
                nb.layout_seed
            ),
            width: 900.0,
            height: 640.0,
        }));
    }
    if let Some(t) = &d.target {
        out.push(target_share(t));
        if let Some(b) = &t.backfire {
            out.push(backfire_curve(
                b,
                TARGET_BACKFIRE,
                "Backfire among the target audience",
                "expected target weight",
            ));
        }
        if !t.sets.is_empty() {
            out.push(seed_comparison(
                &t.sets,
                TARGET_COMPARISON,
                "Seed sets compared on target reach",
                "expected target weight",
            ));
        }
    }
    out
}

fn degree_distribution(d: &ReportData) -> Chart {
    let series = d
        .graph
        .degree_distributions
        .iter()
        .enumerate()
        .map(|(i, dd)| Series {
            label: dd.label.clone(),
            key: dd.key.clone(),
            style: if i == 0 { Style::Positive } else { Style::Negative },
            mode: Mode::Markers,
            points: dd
                .counts
                .iter()
                .filter(|c| c.0 > 0)
                .map(|&(k, c)| (k as f64, c as f64))
                .collect(),
            band: None,
        })
        .collect();
    xy_chart(&XyChart {
        id: DEGREE_DISTRIBUTION.into(),
        title: "Degree distribution (log-log)".into(),
        x_label: "degree k (log)".into(),
        y_label: "accounts with degree k (log)".into(),
        log_x: true,
        log_y: true,
        x_range: None,
        y_floor: None,
        x_integer: false,
        zero_line: false,
        series,
        markers: vec![],
        width: 640.0,
        height: 400.0,
    })
}

fn score_histograms(d: &ReportData) -> Vec<Chart> {
    d.influencers
        .scores
        .iter()
        .enumerate()
        .map(|(i, s)| {
            histogram(&Histogram {
                id: format!("score-{}", s.key),
                title: format!("{} distribution", s.name),
                x_label: s.name.clone(),
                bins: s.histogram.clone(),
                style: Style::Neutral(i),
                width: 440.0,
                height: 260.0,
            })
        })
        .collect()
}

fn rank_agreement(d: &ReportData) -> Chart {
    let inf = &d.influencers;
    heatmap(&Heatmap {
        id: RANK_AGREEMENT.into(),
        title: "How the rankings agree".into(),
        labels: inf.scores.iter().map(|s| s.name.clone()).collect(),
        upper: inf.spearman.clone(),
        lower: inf.kendall.clone(),
        caption:
            "Above the diagonal: Spearman's rho; below: Kendall's tau-b (both over all accounts)."
                .into(),
    })
}

/// A round is quiet when its mean new activations, positive and negative, are both below this.
pub const QUIET_ROUND: f64 = 0.01;

/// How many rounds the reach-over-time chart draws: through one round past the last round that
/// is not quiet (at least round 1), so a cascade that died out by round 12 of 30 is not drawn
/// as a long flat line. The data block keeps every round.
pub fn drawn_rounds(r: &ReachSection) -> usize {
    let busy =
        |s: &crate::data::Round| s.positive.mean >= QUIET_ROUND || s.negative.mean >= QUIET_ROUND;
    let last_busy = r.rounds.iter().rposition(busy).unwrap_or(0);
    (last_busy + 2).max(2).min(r.rounds.len())
}

fn reach_over_time(r: &ReachSection) -> Chart {
    let rounds = &r.rounds[..drawn_rounds(r)];
    let series = |key: &str,
                  label: &str,
                  style: Style,
                  pick: fn(&crate::data::Round) -> &crate::data::Band| Series {
        label: label.into(),
        key: key.into(),
        style,
        mode: Mode::LineAndMarkers,
        points: rounds.iter().map(|s| (s.round as f64, pick(s).mean)).collect(),
        band: Some(
            rounds.iter().map(|s| (s.round as f64, pick(s).ci95_low, pick(s).ci95_high)).collect(),
        ),
    };
    let last = rounds.last().map_or(1.0, |s| s.round as f64).max(1.0);
    xy_chart(&XyChart {
        id: REACH_OVER_TIME.into(),
        title: "New activations per round".into(),
        x_label: "round (0 = the seeds)".into(),
        y_label: "accounts activated in the round".into(),
        log_x: false,
        log_y: false,
        x_range: Some((0.0, last)),
        y_floor: Some(0.0),
        x_integer: true,
        zero_line: false,
        series: vec![
            series("positive", "positive", Style::Positive, |s| &s.positive),
            series("negative", "negative", Style::Negative, |s| &s.negative),
        ],
        markers: vec![],
        width: 900.0,
        height: 420.0,
    })
}

/// The share of the audience reached by the end of each round, positive and negative, and the
/// share that heard of the product by then.
fn target_share(t: &TargetSection) -> Chart {
    let share = |x: f64| if t.weight > 0.0 { 100.0 * x / t.weight } else { 0.0 };
    let drawn = drawn_rounds(&ReachSection {
        positive: t.positive.clone(),
        negative: t.negative.clone(),
        total: t.total.clone(),
        awareness: t.awareness.clone(),
        backfire_risk: t.backfire_risk.clone(),
        conversions: None,
        sales: None,
        revenue: None,
        rounds: t.rounds.clone(),
    });
    let rounds = &t.rounds[..drawn];
    let cumulative = |pick: fn(&crate::data::Round) -> f64| -> Vec<(f64, f64)> {
        let mut sum = 0.0;
        rounds
            .iter()
            .map(|r| {
                sum += pick(r);
                (r.round as f64, share(sum))
            })
            .collect()
    };
    let last = rounds.last().map_or(1.0, |s| s.round as f64).max(1.0);
    let line = |key: &str, label: &str, style: Style, points: Vec<(f64, f64)>| Series {
        label: label.into(),
        key: key.into(),
        style,
        mode: Mode::LineAndMarkers,
        points,
        band: None,
    };
    let mut series = vec![
        line("positive", "reached, positive", Style::Positive, cumulative(|r| r.positive.mean)),
        line("negative", "reached, negative", Style::Negative, cumulative(|r| r.negative.mean)),
    ];
    if t.awareness.mean.is_finite() {
        let heard = share(t.awareness.mean);
        series.push(line(
            "awareness",
            "heard of it by the end",
            Style::Neutral(4),
            vec![(0.0, heard), (last, heard)],
        ));
    }
    xy_chart(&XyChart {
        id: TARGET_SHARE.into(),
        title: "Share of the target audience reached, by round".into(),
        x_label: "round (0 = the seeds)".into(),
        y_label: "% of the audience's weight (cumulative)".into(),
        log_x: false,
        log_y: false,
        x_range: Some((0.0, last)),
        y_floor: Some(0.0),
        x_integer: true,
        zero_line: false,
        series,
        markers: vec![],
        width: 900.0,
        height: 420.0,
    })
}

fn backfire_curve(b: &BackfireSection, id: &str, title: &str, y_label: &str) -> Chart {
    let q: Vec<f64> = b.points.iter().map(|p| p.quality).collect();
    let band = |pick: fn(&crate::data::BackfirePoint) -> &crate::data::Band| {
        Some(b.points.iter().map(|p| (p.quality, pick(p).ci95_low, pick(p).ci95_high)).collect())
    };
    let positive = Series {
        label: "positive reach".into(),
        key: "positive".into(),
        style: Style::Positive,
        mode: Mode::LineAndMarkers,
        points: b.points.iter().map(|p| (p.quality, p.positive.mean)).collect(),
        band: band(|p| &p.positive),
    };
    let negative = Series {
        label: "negative reach".into(),
        key: "negative".into(),
        style: Style::Negative,
        mode: Mode::LineAndMarkers,
        points: b.points.iter().map(|p| (p.quality, p.negative.mean)).collect(),
        band: band(|p| &p.negative),
    };
    let net = Series {
        label: "net (positive - negative)".into(),
        key: "net".into(),
        style: Style::Net,
        mode: Mode::LineAndMarkers,
        points: b.points.iter().map(|p| (p.quality, p.net.mean)).collect(),
        band: band(|p| &p.net),
    };
    let (lo, hi) = (q.first().copied().unwrap_or(0.0), q.last().copied().unwrap_or(1.0));
    xy_chart(&XyChart {
        id: id.into(),
        title: title.into(),
        x_label: "product quality q".into(),
        y_label: y_label.into(),
        log_x: false,
        log_y: false,
        x_range: Some((lo.min(0.0), hi.max(1.0))),
        y_floor: None,
        x_integer: false,
        zero_line: true,
        series: vec![positive, negative, net],
        markers: b
            .threshold
            .map(|t| VMarker { x: t, label: format!("net = 0 at q = {t:.2}") })
            .into_iter()
            .collect(),
        width: 900.0,
        height: 440.0,
    })
}

fn seed_comparison(sets: &[SeedSetResult], id: &str, title: &str, y_label: &str) -> Chart {
    let bar = |e: &crate::data::Estimate| Bar {
        value: e.mean,
        interval: Some((e.ci95_low, e.ci95_high)),
    };
    bar_chart(&BarChart {
        id: id.into(),
        title: title.into(),
        y_label: y_label.into(),
        metrics: vec![
            ("positive".into(), "positive".into(), Style::Positive),
            ("negative".into(), "negative".into(), Style::Negative),
            ("total reached".into(), "total".into(), Style::Neutral(4)),
        ],
        groups: sets
            .iter()
            .enumerate()
            .map(|(i, s)| BarGroup {
                label: s.label.clone(),
                key: s.key.clone(),
                bars: vec![bar(&s.positive), bar(&s.negative), bar(&s.total)],
                highlight: i == 0,
            })
            .collect(),
        width: 900.0,
        height: 440.0,
    })
}
