//! The parts every chart shares: the plotting frame (data-to-pixel mapping), axes with ticks,
//! grid lines and labels, the title, and the legend.

use crate::axis::{Scale, tick_label};
use crate::svg::{Anchor, Style, Svg, n, text_width};

/// Margins and sizes of a chart, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
    /// Space left of the plot (y tick labels and the y-axis label).
    pub left: f64,
    /// Space right of the plot.
    pub right: f64,
    /// Space above the plot (title, legend).
    pub top: f64,
    /// Space below the plot (x tick labels and the x-axis label).
    pub bottom: f64,
}

impl Layout {
    /// A chart of `width` x `height` with margins that fit tick labels and a one-line legend.
    pub fn standard(width: f64, height: f64) -> Layout {
        Layout { width, height, left: 68.0, right: 20.0, top: 58.0, bottom: 50.0 }
    }
}

/// The plotting area and its two scales.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    /// Left edge of the plot area.
    pub x0: f64,
    /// Top edge of the plot area.
    pub y0: f64,
    /// Plot area width.
    pub w: f64,
    /// Plot area height.
    pub h: f64,
    /// Horizontal scale.
    pub x: Scale,
    /// Vertical scale.
    pub y: Scale,
    /// Label only whole numbers on the x axis (rounds, counts).
    pub x_integer: bool,
    /// Label only whole numbers on the y axis (counts on a log axis that starts below 1).
    pub y_integer: bool,
}

impl Frame {
    /// The plot area of `layout` with the given scales.
    pub fn new(layout: &Layout, x: Scale, y: Scale) -> Frame {
        Frame {
            x0: layout.left,
            y0: layout.top,
            w: layout.width - layout.left - layout.right,
            h: layout.height - layout.top - layout.bottom,
            x,
            y,
            x_integer: false,
            y_integer: false,
        }
    }

    /// Pixel column of data value `v`, clamped to the plot area.
    pub fn px(&self, v: f64) -> f64 {
        self.x0 + self.x.fraction(v).clamp(0.0, 1.0) * self.w
    }

    /// Pixel row of data value `v` (upwards), clamped to the plot area.
    pub fn py(&self, v: f64) -> f64 {
        self.y0 + self.h - self.y.fraction(v).clamp(0.0, 1.0) * self.h
    }

    /// Grid lines, ticks and tick labels on both axes, the frame, and both axis labels.
    pub fn axes(&self, s: &mut Svg, x_label: &str, y_label: &str, x_ticks: usize, y_ticks: usize) {
        let bottom = self.y0 + self.h;
        s.raw("<g class=\"axes\">");
        for v in self.y.ticks(y_ticks) {
            if self.y_integer && v.fract() != 0.0 {
                continue;
            }
            let y = self.py(v);
            s.line(self.x0, y, self.x0 + self.w, y, "#e4e4e4", 1.0);
            s.line(self.x0 - 5.0, y, self.x0, y, "#444444", 1.0);
            s.text(self.x0 - 8.0, y + 4.0, 11.0, Anchor::End, &tick_label(v));
        }
        let mut xt = self.x.ticks(x_ticks);
        if self.x_integer {
            xt.retain(|v| v.fract() == 0.0);
        }
        // Thin out x labels that would overlap (every other one until they fit).
        let widest = xt.iter().map(|&v| text_width(&tick_label(v), 11.0)).fold(0.0, f64::max);
        let mut every = 1;
        while xt.len() > 1 && (self.w / (xt.len() as f64 / every as f64)) < widest + 6.0 {
            every += 1;
        }
        for (i, &v) in xt.iter().enumerate() {
            let x = self.px(v);
            s.line(x, self.y0, x, bottom, "#f0f0f0", 1.0);
            s.line(x, bottom, x, bottom + 5.0, "#444444", 1.0);
            if i % every == 0 {
                s.text(x, bottom + 18.0, 11.0, Anchor::Middle, &tick_label(v));
            }
        }
        s.raw(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#444444\" stroke-width=\"1\"/>",
            n(self.x0),
            n(self.y0),
            n(self.w),
            n(self.h)
        ));
        s.text(self.x0 + self.w / 2.0, bottom + 38.0, 12.0, Anchor::Middle, x_label);
        // At most 50 px left of the axis, never closer than 16 px to the chart's edge (the
        // rotated glyphs extend about 10 px beyond the baseline).
        s.vertical_text((self.x0 - 50.0).max(16.0), self.y0 + self.h / 2.0, 12.0, y_label);
        s.raw("</g>");
    }
}

/// Draws the title (bold, top left) and returns nothing; the legend goes under it.
pub fn title(s: &mut Svg, layout: &Layout, text: &str) {
    s.text_styled(
        layout.left,
        22.0,
        15.0,
        Anchor::Start,
        "font-weight=\"bold\" class=\"chart-title\"",
        text,
    );
}

/// The little picture in front of a legend label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swatch {
    /// A line segment with the style's dash and a marker (a series).
    Line,
    /// A marker alone (a point cloud).
    Marker,
    /// A filled box (bars, opinion colours).
    Box,
    /// A translucent box (a shaded confidence band).
    Band,
    /// An error bar with caps (confidence whiskers).
    Whisker,
    /// A circle with a thick black ring (a seed in the network drawing).
    Ring,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    /// The label.
    pub label: String,
    /// Colour (and dash and marker) of the swatch.
    pub style: Style,
    /// What the swatch looks like.
    pub swatch: Swatch,
}

/// Draws a one-row legend under the title, wrapping to a second row if it does not fit.
pub fn legend(s: &mut Svg, layout: &Layout, entries: &[LegendEntry]) {
    let mut x = layout.left;
    let mut y = 42.0;
    s.raw("<g class=\"legend\">");
    for e in entries {
        let w = 30.0 + text_width(&e.label, 11.0) + 18.0;
        if x + w > layout.width - layout.right && x > layout.left {
            x = layout.left;
            y += 15.0;
        }
        let color = e.style.color();
        let cy = y - 4.0;
        match e.swatch {
            Swatch::Line => {
                let dash = e.style.dash().map(|d| format!(" stroke-dasharray=\"{d}\"")).unwrap_or_default();
                s.raw(&format!(
                    "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{color}\" stroke-width=\"2.5\"{dash}/>",
                    n(x),
                    n(cy),
                    n(x + 24.0),
                    n(cy)
                ));
                e.style.marker(s, x + 12.0, cy, 3.5);
            }
            Swatch::Marker => e.style.marker(s, x + 12.0, cy, 3.5),
            Swatch::Box => {
                s.rect(x + 4.0, y - 11.0, 16.0, 12.0, color, "stroke=\"#333333\" stroke-width=\"0.6\"")
            }
            Swatch::Band => s.rect(x + 2.0, y - 11.0, 20.0, 12.0, "#555555", "fill-opacity=\"0.25\""),
            Swatch::Whisker => {
                s.line(x + 12.0, y - 12.0, x + 12.0, y + 2.0, "#111111", 1.3);
                s.line(x + 7.0, y - 12.0, x + 17.0, y - 12.0, "#111111", 1.3);
                s.line(x + 7.0, y + 2.0, x + 17.0, y + 2.0, "#111111", 1.3);
            }
            Swatch::Ring => s.raw(&format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"#ffffff\" stroke=\"#000000\" stroke-width=\"2.5\"/>",
                n(x + 12.0),
                n(cy)
            )),
        }
        s.text(x + 30.0, y, 11.0, Anchor::Start, &e.label);
        x += w;
    }
    s.raw("</g>");
}
