//! clout-report: the campaign report's charts, force layout and HTML page, as pure functions
//! of plain data ([`data::ReportData`]). It depends on no other clout crate: the CLI gathers
//! the numbers (graph statistics, centrality scores, simulations) and hands them over.
//!
//! - [`render`] builds every chart and the page: one self-contained HTML file with inline SVG
//!   and inline CSS, no scripts, no network (a Content-Security-Policy forbids fetches), and
//!   the data embedded as a JSON block so tests and scripts read the exact numbers drawn.
//! - [`charts`] draws every chart of the page from the data, with the private chart modules
//!   `xy` (lines with shaded 95 % bands, log-log point clouds, a marked threshold), [`bars`]
//!   (grouped bars with confidence whiskers, histograms with a log count axis; its binning is
//!   public), `heatmap` (rank agreement) and `network` (the neighbourhood drawing, placed by
//!   `layout`: Fruchterman-Reingold, deterministic from a seed), on the shared `svg`, `axis`
//!   (tick choice) and `frame` (axes, title, legend) helpers; `html` writes the page.
//! - [`rank`]: Spearman's rho and Kendall's tau-b with SciPy's conventions.
//! - [`png`] (feature `png`, on by default): charts rasterized with resvg.
//!
//! # Why hand-written SVG and not plotters
//! plotters' SVG backend lays text out with a font backend: its default `ttf` feature pulls in
//! font-kit, which links the system's fontconfig and FreeType, and the pure-Rust `ab_glyph`
//! alternative needs a font file registered at run time. Our charts need only lines, paths,
//! rectangles and `<text>` elements that the browser (or resvg) shapes itself, plus things
//! plotters does not give directly: `data-*` attributes that tie each bar and series to its
//! number, shaded bands, whiskers and a labelled threshold. About a thousand lines of plain
//! Rust do that with no dependency, build in seconds, and produce deterministic output
//! (coordinates are written with two decimals).
//!
//! # Why resvg for PNG
//! resvg is the maintained pure-Rust SVG renderer (linebender); with default features off and
//! only `text` enabled it needs no system library. Text needs a font: [`png`] loads the
//! system's font files (pure-Rust scan of the usual directories, no fontconfig library) and
//! fails with a clear error when there are none, instead of writing charts without labels.
//! It costs about 55 small crates (roughly three CPU-minutes on a clean optimized build, once);
//! builds that do not want it turn the `png` feature off.
//!
//! # Colours
//! Positive, negative and net differ in hue (blue, orange, black), in lightness (so they stay
//! apart in greyscale print), in dash pattern (solid, dashed, dotted) and in marker shape
//! (circle, square, triangle); see `Style` in `svg.rs`.

mod axis;
pub mod bars;
pub mod calibration;
pub mod charts;
pub mod data;
mod frame;
mod heatmap;
mod html;
mod layout;
mod network;
#[cfg(feature = "png")]
pub mod png;
pub mod rank;
mod svg;
pub mod xml;
mod xy;

pub use data::ReportData;
pub use svg::Chart;

/// A rendered report: the page and every chart (also embedded in the page).
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The HTML document.
    pub html: String,
    /// The charts, in page order; [`Chart::standalone`] gives each as an `.svg` file.
    pub charts: Vec<Chart>,
}

/// Builds every chart of `data` and the HTML page that holds them.
pub fn render(data: &ReportData) -> Rendered {
    let charts = charts::all_charts(data);
    let html = html::page(data, &charts);
    Rendered { html, charts }
}

/// The quality where net reach, `positive - negative`, crosses zero going up, by linear
/// interpolation between consecutive points `(q, positive, negative)` sorted by `q`: the
/// highest crossing from negative (or zero) to positive net reach, so that every quality above
/// it does more good than harm among the points given. `None` when net reach never changes
/// sign (always positive, always negative) or there are fewer than two points.
///
/// ```
/// // Net reach -3 at q = 0.5 and +1 at q = 0.7: crossing three quarters of the way.
/// let t = clout_report::threshold_quality(&[(0.5, 1.0, 4.0), (0.7, 3.0, 2.0)]).unwrap();
/// assert!((t - 0.65).abs() < 1e-12);
/// ```
pub fn threshold_quality(points: &[(f64, f64, f64)]) -> Option<f64> {
    let net: Vec<(f64, f64)> = points.iter().map(|&(q, p, n)| (q, p - n)).collect();
    let mut found = None;
    for w in net.windows(2) {
        let ((q0, a), (q1, b)) = (w[0], w[1]);
        if a <= 0.0 && b > 0.0 {
            found = Some(if a == 0.0 { q0 } else { q0 + (q1 - q0) * (-a) / (b - a) });
        } else if a > 0.0 && b <= 0.0 {
            found = None;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::threshold_quality;

    #[test]
    fn threshold_interpolates_the_last_upward_crossing() {
        let pts = [(0.0, 0.0, 10.0), (0.5, 4.0, 6.0), (1.0, 10.0, 0.0)];
        // Net -10, -2, +10: crossing at 0.5 + 0.5 * 2/12.
        assert!((threshold_quality(&pts).unwrap() - (0.5 + 0.5 * 2.0 / 12.0)).abs() < 1e-12);
        assert_eq!(threshold_quality(&[(0.0, 5.0, 1.0), (1.0, 9.0, 0.0)]), None, "always positive");
        assert_eq!(threshold_quality(&[(0.0, 1.0, 5.0), (1.0, 2.0, 3.0)]), None, "always negative");
        assert_eq!(threshold_quality(&[(0.3, 0.0, 1.0)]), None);
        // Exactly zero at a simulated point: the threshold is that point.
        assert_eq!(threshold_quality(&[(0.2, 1.0, 1.0), (0.4, 3.0, 1.0)]), Some(0.2));
        // Net -1, +1, -1, +2: up, down, up again; the last upward crossing counts.
        let wobble = [(0.0, 0.0, 1.0), (0.2, 2.0, 1.0), (0.4, 1.0, 2.0), (0.6, 3.0, 1.0)];
        assert!((threshold_quality(&wobble).unwrap() - (0.4 + 0.2 / 3.0)).abs() < 1e-12);
    }
}
