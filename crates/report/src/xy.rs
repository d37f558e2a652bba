//! X-Y charts: lines with shaded 95 % bands (reach over time, the backfire curve), point clouds
//! on log-log axes (the degree distribution), and vertical markers with a label (the backfire
//! threshold).

use crate::axis::Scale;
use crate::frame::{Frame, Layout, LegendEntry, Swatch, legend, title};
use crate::svg::{Anchor, Chart, Style, Svg, escape, n};

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A line through the points, with a marker at each.
    LineAndMarkers,
    /// A line only.
    Line,
    /// Markers only.
    Markers,
}

/// One data series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend label.
    pub label: String,
    /// Short machine name written as `data-series` on its elements.
    pub key: String,
    /// Colour, dash and marker.
    pub style: Style,
    /// Drawing mode.
    pub mode: Mode,
    /// The points `(x, y)`.
    pub points: Vec<(f64, f64)>,
    /// Optional band `(x, low, high)` drawn shaded under the line (a 95 % confidence band).
    pub band: Option<Vec<(f64, f64, f64)>>,
}

/// A vertical marker line with a label (e.g. the quality where net reach crosses zero).
#[derive(Debug, Clone, PartialEq)]
pub struct VMarker {
    /// Where, in data units.
    pub x: f64,
    /// Label drawn next to the line.
    pub label: String,
}

/// An x-y chart.
#[derive(Debug, Clone, PartialEq)]
pub struct XyChart {
    /// Chart id (HTML id and file stem).
    pub id: String,
    /// Title.
    pub title: String,
    /// X-axis label.
    pub x_label: String,
    /// Y-axis label.
    pub y_label: String,
    /// Log-scaled x axis.
    pub log_x: bool,
    /// Log-scaled y axis.
    pub log_y: bool,
    /// Force the x range (else from the data).
    pub x_range: Option<(f64, f64)>,
    /// Values below this are drawn at it (counts: a 95% band of a mean near zero may dip
    /// below zero under the normal approximation, but no count is negative).
    pub y_floor: Option<f64>,
    /// Only whole-number ticks on the x axis.
    pub x_integer: bool,
    /// Draw a horizontal line at y = 0 (when 0 is in range).
    pub zero_line: bool,
    /// Series, drawn in order (bands first, then lines, then markers).
    pub series: Vec<Series>,
    /// Vertical markers.
    pub markers: Vec<VMarker>,
    /// Width in pixels.
    pub width: f64,
    /// Height in pixels.
    pub height: f64,
}

/// Draws an [`XyChart`]. Non-finite points, and non-positive ones on a log axis, are skipped.
pub fn xy_chart(c: &XyChart) -> Chart {
    let layout = Layout::standard(c.width, c.height);
    let usable = |x: f64, y: f64| {
        x.is_finite() && y.is_finite() && (!c.log_x || x > 0.0) && (!c.log_y || y > 0.0)
    };
    let mut xs: Vec<f64> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    for s in &c.series {
        for &(x, y) in s.points.iter().filter(|&&(x, y)| usable(x, y)) {
            xs.push(x);
            ys.push(y);
        }
        for &(x, lo, hi) in s.band.iter().flatten() {
            for y in [lo, hi] {
                if usable(x, y) {
                    ys.push(y);
                }
            }
        }
    }
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (x_lo, x_hi) = c.x_range.unwrap_or((min(&xs), max(&xs)));
    let x = if c.log_x {
        Scale::log_padded(x_lo, x_hi)
    } else if c.x_range.is_some() {
        Scale::Linear { lo: x_lo, hi: x_hi }
    } else {
        Scale::linear_nice(x_lo, x_hi, 8)
    };
    let y = if c.log_y {
        Scale::log_padded(min(&ys), max(&ys))
    } else {
        let lo = min(&ys).min(0.0).max(c.y_floor.unwrap_or(f64::NEG_INFINITY));
        Scale::linear_nice(lo, max(&ys).max(lo), 5)
    };
    let f = Frame { x_integer: c.x_integer, ..Frame::new(&layout, x, y) };
    let mut s = Svg::new(&c.id, &c.title, c.width, c.height);
    title(&mut s, &layout, &c.title);
    let mut entries: Vec<LegendEntry> = c
        .series
        .iter()
        .map(|se| LegendEntry {
            label: se.label.clone(),
            style: se.style,
            swatch: if se.mode == Mode::Markers { Swatch::Marker } else { Swatch::Line },
        })
        .collect();
    if c.series.iter().any(|se| se.band.is_some()) {
        entries.push(LegendEntry {
            label: "shaded: 95% CI".into(),
            style: Style::Net,
            swatch: Swatch::Band,
        });
    }
    legend(&mut s, &layout, &entries);
    f.axes(&mut s, &c.x_label, &c.y_label, 8, 5);
    if c.zero_line && !c.log_y {
        let (lo, hi) = f.y.range();
        if lo < 0.0 && hi > 0.0 {
            s.line(f.x0, f.py(0.0), f.x0 + f.w, f.py(0.0), "#888888", 1.2);
        }
    }
    for se in &c.series {
        if let Some(band) = &se.band {
            let floor = c.y_floor.unwrap_or(f64::NEG_INFINITY);
            let band: Vec<(f64, f64, f64)> = band
                .iter()
                .filter(|&&(x, lo, hi)| usable(x, lo) && usable(x, hi))
                .map(|&(x, lo, hi)| (x, lo.max(floor), hi.max(floor)))
                .collect();
            let mut poly: Vec<(f64, f64)> =
                band.iter().map(|&(x, _, hi)| (f.px(x), f.py(hi))).collect();
            poly.extend(band.iter().rev().map(|&(x, lo, _)| (f.px(x), f.py(lo))));
            s.polygon(&poly, se.style.color(), 0.2, &format!("band band-{}", se.key));
        }
    }
    for se in &c.series {
        let pts: Vec<(f64, f64)> = se
            .points
            .iter()
            .filter(|&&(x, y)| usable(x, y))
            .map(|&(x, y)| (f.px(x), f.py(y)))
            .collect();
        s.raw(&format!("<g class=\"series\" data-series=\"{}\">", escape(&se.key)));
        if se.mode != Mode::Markers {
            s.polyline(&pts, se.style.color(), 2.2, se.style.dash());
        }
        if se.mode != Mode::Line {
            let r = if se.mode == Mode::Markers { 3.2 } else { 3.0 };
            for &(px, py) in &pts {
                se.style.marker(&mut s, px, py, r);
            }
        }
        s.raw("</g>");
    }
    for m in &c.markers {
        let x = f.px(m.x);
        s.raw(&format!("<g class=\"marker\" data-x=\"{}\">", m.x));
        s.raw(&format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#b00020\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>",
            n(x),
            n(f.y0),
            n(x),
            n(f.y0 + f.h)
        ));
        // Label on whichever side of the line has room.
        let right_side = x < f.x0 + f.w * 0.6;
        let (lx, anchor) =
            if right_side { (x + 6.0, Anchor::Start) } else { (x - 6.0, Anchor::End) };
        s.text_styled(
            lx,
            f.y0 + 16.0,
            12.0,
            anchor,
            "font-weight=\"bold\" fill=\"#b00020\"",
            &m.label,
        );
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
