//! Bar charts: grouped bars with 95 % confidence whiskers (the seed-set comparison) and
//! histograms with a logarithmic count axis (score distributions).

use crate::axis::{Scale, tick_label};
use crate::frame::{Frame, Layout, LegendEntry, Swatch, legend, title};
use crate::svg::{Anchor, Chart, Style, Svg, escape, text_width};

/// One bar: a value with an optional interval drawn as a whisker.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Bar height in data units.
    pub value: f64,
    /// Optional `(low, high)` interval (a 95 % CI).
    pub interval: Option<(f64, f64)>,
}

/// A group of bars sharing an x label (one seed set), one bar per metric.
#[derive(Debug, Clone, PartialEq)]
pub struct BarGroup {
    /// Label under the group (wrapped at spaces onto two lines if long).
    pub label: String,
    /// Machine name written as `data-group`.
    pub key: String,
    /// One bar per metric, in the order of [`BarChart::metrics`].
    pub bars: Vec<Bar>,
    /// Draw this group's label in bold (the selected set).
    pub highlight: bool,
}

/// A grouped bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Chart id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Y-axis label.
    pub y_label: String,
    /// Metric names (legend) with their machine names and styles, one per bar in a group.
    pub metrics: Vec<(String, String, Style)>,
    /// The groups.
    pub groups: Vec<BarGroup>,
    /// Width in pixels.
    pub width: f64,
    /// Height in pixels.
    pub height: f64,
}

/// Draws a [`BarChart`]: bars from zero (negative values hang down), whiskers with caps,
/// a zero line, and the value above each bar.
pub fn bar_chart(c: &BarChart) -> Chart {
    let mut layout = Layout::standard(c.width, c.height);
    layout.bottom = 62.0;
    let mut lo: f64 = 0.0;
    let mut hi: f64 = 0.0;
    for b in c.groups.iter().flat_map(|g| &g.bars) {
        for v in
            [Some(b.value), b.interval.map(|i| i.0), b.interval.map(|i| i.1)].into_iter().flatten()
        {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v * 1.08);
            }
        }
    }
    let y = Scale::linear_nice(lo, hi, 5);
    let f = Frame::new(&layout, Scale::Linear { lo: 0.0, hi: 1.0 }, y);
    let mut s = Svg::new(&c.id, &c.title, c.width, c.height);
    title(&mut s, &layout, &c.title);
    let entries: Vec<LegendEntry> = c
        .metrics
        .iter()
        .map(|(label, _, style)| LegendEntry {
            label: label.clone(),
            style: *style,
            swatch: Swatch::Box,
        })
        .chain(std::iter::once(LegendEntry {
            label: "whiskers: 95% CI".into(),
            style: Style::Net,
            swatch: Swatch::Whisker,
        }))
        .collect();
    legend(&mut s, &layout, &entries);
    // Y axis only: the x axis carries group labels.
    s.raw("<g class=\"axes\">");
    for v in y.ticks(5) {
        let py = f.py(v);
        s.line(f.x0, py, f.x0 + f.w, py, "#e4e4e4", 1.0);
        s.line(f.x0 - 5.0, py, f.x0, py, "#444444", 1.0);
        s.text(f.x0 - 8.0, py + 4.0, 11.0, Anchor::End, &tick_label(v));
    }
    s.line(f.x0, f.y0, f.x0, f.y0 + f.h, "#444444", 1.0);
    s.line(f.x0, f.py(0.0), f.x0 + f.w, f.py(0.0), "#444444", 1.2);
    s.vertical_text(f.x0 - 50.0, f.y0 + f.h / 2.0, 12.0, &c.y_label);
    s.raw("</g>");
    let groups = c.groups.len().max(1) as f64;
    let slot = f.w / groups;
    let metrics = c.metrics.len().max(1) as f64;
    let bar_w = (slot * 0.8 / metrics).min(46.0);
    for (gi, g) in c.groups.iter().enumerate() {
        let centre = f.x0 + slot * (gi as f64 + 0.5);
        let start = centre - bar_w * metrics / 2.0;
        s.raw(&format!("<g class=\"bar-group\" data-group=\"{}\">", escape(&g.key)));
        for (mi, b) in g.bars.iter().enumerate() {
            let (_, key, style) = &c.metrics[mi.min(c.metrics.len() - 1)];
            let x = start + bar_w * mi as f64;
            let (top, bottom) = (f.py(b.value.max(0.0)), f.py(b.value.min(0.0)));
            let mut extra = format!(
                "class=\"bar\" data-metric=\"{}\" data-value=\"{}\" stroke=\"#333333\" stroke-width=\"0.6\"",
                escape(key),
                b.value
            );
            if let Some((l, h)) = b.interval {
                extra.push_str(&format!(" data-ci-low=\"{l}\" data-ci-high=\"{h}\""));
            }
            s.rect(x + 1.0, top, bar_w - 2.0, bottom - top, style.color(), &extra);
            let mut label_y = top - 4.0;
            if let Some((l, h)) = b.interval {
                let cx = x + bar_w / 2.0;
                let (yl, yh) = (f.py(l), f.py(h));
                s.line(cx, yl, cx, yh, "#111111", 1.3);
                s.line(cx - 5.0, yl, cx + 5.0, yl, "#111111", 1.3);
                s.line(cx - 5.0, yh, cx + 5.0, yh, "#111111", 1.3);
                label_y = label_y.min(yh - 4.0);
            }
            if b.value < 0.0 {
                label_y = bottom + 12.0;
            }
            let label = value_label(b.value);
            let size = if text_width(&label, 10.0) > bar_w + 8.0 { 8.0 } else { 10.0 };
            s.text(x + bar_w / 2.0, label_y, size, Anchor::Middle, &label);
        }
        let weight = if g.highlight { "font-weight=\"bold\"" } else { "" };
        for (li, line) in wrap(&g.label, slot - 6.0, 11.0).iter().enumerate() {
            s.text_styled(
                centre,
                f.y0 + f.h + 18.0 + 14.0 * li as f64,
                11.0,
                Anchor::Middle,
                weight,
                line,
            );
        }
        s.raw("</g>");
    }
    Chart {
        id: c.id.clone(),
        title: c.title.clone(),
        width: c.width,
        height: c.height,
        svg: s.finish(),
    }
}

/// A value label: three significant digits, at most one decimal above 100.
fn value_label(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 {
        crate::axis::trim(v, 0)
    } else if a >= 10.0 {
        crate::axis::trim(v, 1)
    } else {
        crate::axis::trim(v, 2)
    }
}

/// Splits `text` at spaces into at most three lines no wider than `width` at `size` px.
fn wrap(text: &str, width: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(last) if text_width(&format!("{last} {word}"), size) <= width => {
                last.push(' ');
                last.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.len() > 3 {
        let rest = lines.split_off(2).join(" ");
        lines.push(rest);
    }
    lines
}

/// A histogram: bins `(low, high, count)` over a linear x axis, counts on a log axis (so a
/// heavy tail of a few accounts stays visible next to thousands in the first bin).
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// Chart id.
    pub id: String,
    /// Title.
    pub title: String,
    /// X-axis label (the score).
    pub x_label: String,
    /// Bins: `(low, high, count)`, contiguous and increasing.
    pub bins: Vec<(f64, f64, u64)>,
    /// Colour.
    pub style: Style,
    /// Width in pixels.
    pub width: f64,
    /// Height in pixels.
    pub height: f64,
}

/// Draws a [`Histogram`] with a log10 count axis from 0.5 (so a bin of one account shows).
pub fn histogram(c: &Histogram) -> Chart {
    let mut layout = Layout::standard(c.width, c.height);
    layout.top = 36.0;
    layout.left = 56.0;
    let max = c.bins.iter().map(|b| b.2).max().unwrap_or(1).max(1) as f64;
    let lo = c.bins.first().map_or(0.0, |b| b.0);
    let hi = c.bins.last().map_or(1.0, |b| b.1);
    let x = if hi > lo {
        Scale::Linear { lo, hi }
    } else {
        Scale::Linear { lo: lo - 0.5, hi: lo + 0.5 }
    };
    let Scale::Log { hi: y_hi, .. } = Scale::log_decades(1.0, max * 1.5) else { unreachable!() };
    let y = Scale::Log { lo: 0.5, hi: y_hi };
    let f = Frame { y_integer: true, ..Frame::new(&layout, x, y) };
    let mut s = Svg::new(&c.id, &c.title, c.width, c.height);
    title(&mut s, &layout, &c.title);
    f.axes(&mut s, &c.x_label, "accounts (log)", 5, 4);
    s.raw("<g class=\"bins\">");
    for &(b_lo, b_hi, count) in &c.bins {
        if count == 0 {
            continue;
        }
        let (x0, x1) = (f.px(b_lo), f.px(b_hi));
        let top = f.py(count as f64);
        s.rect(
            x0 + 0.5,
            top,
            (x1 - x0 - 1.0).max(1.0),
            f.y0 + f.h - top,
            c.style.color(),
            &format!(
                "class=\"bin\" data-low=\"{b_lo}\" data-high=\"{b_hi}\" data-count=\"{count}\""
            ),
        );
    }
    s.raw("</g>");
    Chart {
        id: c.id.clone(),
        title: c.title.clone(),
        width: c.width,
        height: c.height,
        svg: s.finish(),
    }
}

/// Equal-width bins over `[min, max]` of `values` (non-finite values ignored); a constant
/// sample gets one bin around its value.
pub fn bin(values: &[f64], bins: usize) -> Vec<(f64, f64, u64)> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let (lo, hi) =
        finite.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    if finite.is_empty() {
        return vec![];
    }
    if hi <= lo {
        return vec![(lo - 0.5, lo + 0.5, finite.len() as u64)];
    }
    let bins = bins.max(1);
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0u64; bins];
    for v in finite {
        let k = (((v - lo) / width) as usize).min(bins - 1);
        counts[k] += 1;
    }
    counts
        .iter()
        .enumerate()
        .map(|(k, &c)| (lo + width * k as f64, lo + width * (k + 1) as f64, c))
        .collect()
}

/// Equal bins for integer-valued data (coreness): one bin per value when there are at most
/// `max_bins` distinct values in range, centred on the integers.
pub fn bin_integers(values: &[f64], max_bins: usize) -> Vec<(f64, f64, u64)> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let Some(lo) = finite.iter().copied().reduce(f64::min) else { return vec![] };
    let hi = finite.iter().copied().fold(lo, f64::max);
    let span = (hi - lo) as usize + 1;
    if span > max_bins {
        return bin(values, max_bins);
    }
    let mut counts = vec![0u64; span];
    for v in finite {
        counts[(v - lo) as usize] += 1;
    }
    counts.iter().enumerate().map(|(k, &c)| (lo + k as f64 - 0.5, lo + k as f64 + 0.5, c)).collect()
}
