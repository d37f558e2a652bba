//! The rank-agreement matrix: Spearman's rho above the diagonal, Kendall's tau-b below, each
//! cell coloured on a diverging scale from -1 (orange) through 0 (white) to +1 (blue), with
//! the value written in it.

use crate::svg::{Anchor, Chart, Svg, escape, n, text_width};

/// A square matrix of correlations between named rankings.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    /// Chart id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Names of the rankings (rows and columns).
    pub labels: Vec<String>,
    /// `upper[i][j]` for `i < j` (Spearman); `None` when undefined (a constant score).
    pub upper: Vec<Vec<Option<f64>>>,
    /// `lower[i][j]` for `i > j` (Kendall tau-b).
    pub lower: Vec<Vec<Option<f64>>>,
    /// Caption under the matrix.
    pub caption: String,
}

/// Linear blend from white to `to` by `t` in `[0, 1]`.
fn blend(to: (u8, u8, u8), t: f64) -> String {
    let t = t.clamp(0.0, 1.0);
    let mix = |c: u8| (255.0 + (c as f64 - 255.0) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(to.0), mix(to.1), mix(to.2))
}

/// Cell colour for a correlation `r`: blue for agreement, orange for disagreement.
pub fn cell_color(r: Option<f64>) -> String {
    match r {
        None => "#eeeeee".into(),
        Some(r) if r >= 0.0 => blend((0x1f, 0x4e, 0x99), r * 0.85),
        Some(r) => blend((0xe0, 0x7b, 0x00), -r * 0.85),
    }
}

/// Draws a [`Heatmap`].
pub fn heatmap(c: &Heatmap) -> Chart {
    let k = c.labels.len();
    let label_w = c.labels.iter().map(|l| text_width(l, 12.0)).fold(60.0, f64::max) + 14.0;
    let cell = 74.0;
    let (x0, y0) = (label_w, 64.0);
    let width = (x0 + cell * k as f64 + 20.0).max(text_width(&c.caption, 11.0) + 24.0);
    let height = y0 + cell * k as f64 + 48.0;
    let mut s = Svg::new(&c.id, &c.title, width, height);
    s.text_styled(
        12.0,
        22.0,
        15.0,
        Anchor::Start,
        "font-weight=\"bold\" class=\"chart-title\"",
        &c.title,
    );
    for (j, l) in c.labels.iter().enumerate() {
        s.text(x0 + cell * (j as f64 + 0.5), y0 - 10.0, 12.0, Anchor::Middle, l);
    }
    for i in 0..k {
        let y = y0 + cell * i as f64;
        s.text(x0 - 8.0, y + cell / 2.0 + 4.0, 12.0, Anchor::End, &c.labels[i]);
        for j in 0..k {
            let x = x0 + cell * j as f64;
            let (value, kind) = match i.cmp(&j) {
                std::cmp::Ordering::Less => (c.upper[i][j], "spearman"),
                std::cmp::Ordering::Greater => (c.lower[i][j], "kendall"),
                std::cmp::Ordering::Equal => (Some(1.0), "self"),
            };
            let fill = if i == j { "#f7f7f7".to_string() } else { cell_color(value) };
            let data = match value {
                Some(v) if i != j => format!(
                    " data-kind=\"{kind}\" data-row=\"{}\" data-col=\"{}\" data-value=\"{v}\"",
                    escape(&c.labels[i]),
                    escape(&c.labels[j])
                ),
                _ => String::new(),
            };
            s.raw(&format!(
                "<rect class=\"cell\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"2\"{data}/>",
                n(x),
                n(y),
                n(cell),
                n(cell)
            ));
            let text = match (i == j, value) {
                (true, _) => "—".to_string(),
                (false, Some(v)) => format!("{v:.2}"),
                (false, None) => "n/a".to_string(),
            };
            let dark = value.is_some_and(|v| v.abs() > 0.6) && i != j;
            let color = if dark { "fill=\"#ffffff\"" } else { "fill=\"#222222\"" };
            s.text_styled(x + cell / 2.0, y + cell / 2.0 + 5.0, 14.0, Anchor::Middle, color, &text);
        }
    }
    s.text(12.0, height - 16.0, 11.0, Anchor::Start, &c.caption);
    Chart { id: c.id.clone(), title: c.title.clone(), width, height, svg: s.finish() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_run_from_orange_through_white_to_blue() {
        assert_eq!(cell_color(Some(0.0)), "#ffffff");
        assert_eq!(cell_color(None), "#eeeeee");
        let strong = cell_color(Some(1.0));
        let weak = cell_color(Some(0.2));
        // Blue channel stays high, red falls with agreement.
        let red = |c: &str| u8::from_str_radix(&c[1..3], 16).unwrap();
        assert!(red(&strong) < red(&weak) && red(&weak) < 255);
        assert!(cell_color(Some(-0.9)).starts_with("#e"));
    }
}
