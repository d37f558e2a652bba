//! A small SVG writer (elements appended to a string, text and attributes escaped, numbers
//! written with two decimals), the shared palette and the [`Chart`] every chart function returns.

use std::fmt::Write as _;

/// One finished chart: a stable id (also the file name under `--svg-dir`), its title and the
/// SVG markup (an `<svg>` element with its `xmlns`, without an XML declaration).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Stable id, e.g. `degree-distribution`: the HTML `id` of the `<svg>` and the file stem.
    pub id: String,
    /// The title drawn at the top of the chart.
    pub title: String,
    /// Width in CSS pixels.
    pub width: f64,
    /// Height in CSS pixels.
    pub height: f64,
    /// The `<svg>` element.
    pub svg: String,
}

impl Chart {
    /// The chart as a standalone `.svg` file: an XML declaration followed by the element.
    pub fn standalone(&self) -> String {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n", self.svg)
    }
}

/// The fonts charts ask for: common sans-serif faces first (DejaVu and Liberation are what a
/// Debian machine with Chromium has), then the generic family.
pub const FONT_FAMILY: &str = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";

/// How a series or bar is drawn. Positive, negative and net differ in hue, in lightness (so
/// they stay apart in greyscale: dark blue, light orange, black) and in dash and marker shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Positive opinion / positive reach: dark blue, solid, circles.
    Positive,
    /// Negative opinion / negative reach: orange, dashed, squares.
    Negative,
    /// Net reach (positive - negative), totals: near-black, dotted, triangles.
    Net,
    /// Neutral categorical colour number `i` (a colour-blind-safe cycle of 6).
    Neutral(usize),
    /// Light grey: what did not happen (accounts not reached).
    Muted,
}

/// Okabe-Ito-derived colours that stay distinguishable for colour-blind readers.
const NEUTRAL: [&str; 6] = ["#0072b2", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#e69f00"];

impl Style {
    /// Stroke / fill colour.
    pub fn color(self) -> &'static str {
        match self {
            Style::Positive => "#1f4e99",
            Style::Negative => "#f0a030",
            Style::Net => "#222222",
            Style::Neutral(i) => NEUTRAL[i % NEUTRAL.len()],
            Style::Muted => "#c8c8c8",
        }
    }

    /// SVG `stroke-dasharray` value, if dashed.
    pub fn dash(self) -> Option<&'static str> {
        match self {
            Style::Positive | Style::Neutral(_) | Style::Muted => None,
            Style::Negative => Some("7 4"),
            Style::Net => Some("2 3"),
        }
    }

    /// Writes a marker of this style centred at `(x, y)` with radius `r`.
    pub fn marker(self, s: &mut Svg, x: f64, y: f64, r: f64) {
        let color = self.color();
        match self {
            Style::Negative => {
                s.raw(&format!(
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{color}\" \
                     stroke=\"#7a4a00\" stroke-width=\"0.8\"/>",
                    n(x - r),
                    n(y - r),
                    n(2.0 * r),
                    n(2.0 * r)
                ));
            }
            Style::Net => {
                let h = r * 1.2;
                s.raw(&format!(
                    "<path d=\"M{} {}L{} {}L{} {}Z\" fill=\"{color}\"/>",
                    n(x),
                    n(y - h),
                    n(x + h),
                    n(y + h * 0.8),
                    n(x - h),
                    n(y + h * 0.8)
                ));
            }
            _ => {
                s.raw(&format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{color}\"/>",
                    n(x),
                    n(y),
                    n(r)
                ));
            }
        }
    }
}

/// Formats a coordinate with at most two decimals and no trailing zeros (`12.5`, `3`, `-0.25`).
pub fn n(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    let mut s = format!("{:.2}", x);
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

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text anchor of a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Left-aligned.
    Start,
    /// Centred.
    Middle,
    /// Right-aligned.
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// An SVG document under construction.
#[derive(Debug)]
pub struct Svg {
    out: String,
}

impl Svg {
    /// Opens an `<svg>` of the given size with an id, a `role="img"` and an accessible title.
    pub fn new(id: &str, title: &str, width: f64, height: f64) -> Svg {
        let mut out = String::with_capacity(16 * 1024);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{}\" class=\"chart\" role=\"img\" \
             width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" font-family=\"{FONT_FAMILY}\" \
             font-size=\"12\"><title>{}</title>\
             <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
            escape(id),
            n(width),
            n(height),
            n(width),
            n(height),
            escape(title)
        );
        Svg { out }
    }

    /// Appends markup as is (callers escape any text they put in it).
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// A straight line.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64) {
        let _ = write!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\"/>",
            n(x1),
            n(y1),
            n(x2),
            n(y2),
            n(width)
        );
    }

    /// A rectangle; `extra` is further attributes (already escaped), e.g. `data-value="3"`.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, extra: &str) {
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"{}{extra}/>",
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0)),
            if extra.is_empty() { "" } else { " " }
        );
    }

    /// Text at `(x, y)` (baseline), escaped.
    pub fn text(&mut self, x: f64, y: f64, size: f64, anchor: Anchor, text: &str) {
        self.text_styled(x, y, size, anchor, "", text);
    }

    /// Text with extra attributes (already escaped), e.g. `font-weight="bold"`; a `fill`
    /// among them replaces the default colour.
    pub fn text_styled(
        &mut self,
        x: f64,
        y: f64,
        size: f64,
        anchor: Anchor,
        extra: &str,
        text: &str,
    ) {
        // A caller's own `fill="..."` replaces the default text colour.
        let fill = if extra.contains("fill=\"") { "" } else { " fill=\"#222222\"" };
        let _ = write!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\"{fill}{}{extra}>{}</text>",
            n(x),
            n(y),
            n(size),
            anchor.as_str(),
            if extra.is_empty() { "" } else { " " },
            escape(text)
        );
    }

    /// Text rotated by -90 degrees around `(x, y)` (a y-axis label).
    pub fn vertical_text(&mut self, x: f64, y: f64, size: f64, text: &str) {
        let _ = write!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\" fill=\"#222222\" \
             transform=\"rotate(-90 {} {})\">{}</text>",
            n(x),
            n(y),
            n(size),
            n(x),
            n(y),
            escape(text)
        );
    }

    /// A polyline through `points`; `dash` as for `stroke-dasharray`.
    pub fn polyline(
        &mut self,
        points: &[(f64, f64)],
        stroke: &str,
        width: f64,
        dash: Option<&str>,
    ) {
        if points.is_empty() {
            return;
        }
        let mut d = String::new();
        for (i, (x, y)) in points.iter().enumerate() {
            let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { "L" }, n(*x), n(*y));
        }
        let dash = dash.map(|d| format!(" stroke-dasharray=\"{d}\"")).unwrap_or_default();
        let _ = write!(
            self.out,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{}\" \
             stroke-linejoin=\"round\"{dash}/>",
            n(width)
        );
    }

    /// A closed, filled polygon (used for shaded confidence bands).
    pub fn polygon(&mut self, points: &[(f64, f64)], fill: &str, opacity: f64, class: &str) {
        if points.len() < 3 {
            return;
        }
        let mut d = String::new();
        for (i, (x, y)) in points.iter().enumerate() {
            let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { "L" }, n(*x), n(*y));
        }
        let _ = write!(
            self.out,
            "<path class=\"{}\" d=\"{d}Z\" fill=\"{fill}\" fill-opacity=\"{}\" stroke=\"none\"/>",
            escape(class),
            n(opacity)
        );
    }

    /// Closes the document and returns the markup.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// A rough width of `text` at `size` px in a sans-serif face (0.58 em per character), used to
/// place legends and keep labels from overlapping without font metrics.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.58
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact() {
        assert_eq!(n(12.5), "12.5");
        assert_eq!(n(3.0), "3");
        assert_eq!(n(-0.001), "0");
        assert_eq!(n(0.126), "0.13");
        assert_eq!(n(f64::NAN), "0");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        let mut s = Svg::new("x", "T <1>", 10.0, 10.0);
        s.text(1.0, 2.0, 10.0, Anchor::Start, "@al&ice");
        let svg = s.finish();
        assert!(svg.contains("@al&amp;ice") && svg.contains("T &lt;1&gt;"));
        crate::xml::check_well_formed(&svg).unwrap();
    }
}
