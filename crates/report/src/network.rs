//! The neighbourhood drawing: seeds and a sample of the accounts they reach, placed by
//! [`crate::layout::fruchterman_reingold`], coloured by the opinion they most likely end with.

use crate::frame::{Layout, LegendEntry, Swatch, legend};
use crate::layout::{LayoutConfig, fruchterman_reingold};
use crate::svg::{Anchor, Chart, Style, Svg, escape, n};

/// One account in the drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct NetNode {
    /// Original id, drawn next to seeds (and next to every node in small drawings).
    pub label: String,
    /// True for a seed.
    pub seed: bool,
    /// Probability that the account ends positive.
    pub positive: f64,
    /// Probability that the account ends negative.
    pub negative: f64,
}

impl NetNode {
    /// The opinion class: `positive` or `negative` (whichever is likelier, ties positive),
    /// `unreached` when neither ever happened.
    pub fn opinion(&self) -> &'static str {
        if self.positive <= 0.0 && self.negative <= 0.0 {
            "unreached"
        } else if self.positive >= self.negative {
            "positive"
        } else {
            "negative"
        }
    }
}

/// A drawing of a small subgraph.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkDrawing {
    /// Chart id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Nodes.
    pub nodes: Vec<NetNode>,
    /// Influence arcs between them, as `(from, to)` indices into `nodes`.
    pub edges: Vec<(usize, usize)>,
    /// Seed of the layout.
    pub seed: u64,
    /// Caption under the drawing.
    pub caption: String,
    /// Width in pixels.
    pub width: f64,
    /// Height in pixels.
    pub height: f64,
}

/// Lays out and draws a [`NetworkDrawing`]. Node radius grows with the chance of being
/// reached; seeds get a black ring and a bold label. Arcs are drawn undirected (thin grey).
pub fn network(c: &NetworkDrawing) -> Chart {
    let layout = Layout {
        width: c.width,
        height: c.height,
        left: 20.0,
        right: 20.0,
        top: 62.0,
        bottom: 40.0,
    };
    let cfg = LayoutConfig { seed: c.seed, ..LayoutConfig::default() };
    let pos = fruchterman_reingold(c.nodes.len(), &c.edges, &cfg);
    let (w, h) =
        (c.width - layout.left - layout.right - 40.0, c.height - layout.top - layout.bottom - 20.0);
    let side = w.min(h);
    let (ox, oy) = (layout.left + 20.0 + (w - side) / 2.0, layout.top + 10.0 + (h - side) / 2.0);
    let at = |i: usize| (ox + pos[i].0 * side, oy + pos[i].1 * side);
    let mut s = Svg::new(&c.id, &c.title, c.width, c.height);
    s.text_styled(
        layout.left,
        22.0,
        15.0,
        Anchor::Start,
        "font-weight=\"bold\" class=\"chart-title\"",
        &c.title,
    );
    let entry = |label: &str, style: Style, swatch: Swatch| LegendEntry {
        label: label.into(),
        style,
        swatch,
    };
    let mut entries = vec![
        entry("likely positive", Style::Positive, Swatch::Box),
        entry("likely negative", Style::Negative, Swatch::Box),
    ];
    // Only when such a node is drawn (the CLI draws reached accounts only).
    if c.nodes.iter().any(|v| v.opinion() == "unreached") {
        entries.push(entry("not reached", Style::Muted, Swatch::Box));
    }
    entries.push(entry("seed", Style::Net, Swatch::Ring));
    entries.push(entry("size: chance of being reached", Style::Muted, Swatch::Marker));
    legend(&mut s, &layout, &entries);
    s.raw("<g class=\"edges\" stroke=\"#b8b8b8\" stroke-width=\"0.8\">");
    for &(a, b) in &c.edges {
        if a < c.nodes.len() && b < c.nodes.len() && a != b {
            let ((x1, y1), (x2, y2)) = (at(a), at(b));
            s.raw(&format!(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                n(x1),
                n(y1),
                n(x2),
                n(y2)
            ));
        }
    }
    s.raw("</g><g class=\"nodes\">");
    let label_all = c.nodes.len() <= 60;
    // Nodes shrink as the drawing fills up, so a few hundred still do not pile up.
    let room = (side / ((c.nodes.len().max(1) as f64).sqrt() * 7.0)).clamp(3.0, 8.0);
    for (i, node) in c.nodes.iter().enumerate() {
        let (x, y) = at(i);
        let reached = (node.positive + node.negative).clamp(0.0, 1.0);
        let r = if node.seed { room + 2.0 } else { room * (0.4 + 0.6 * reached) };
        let fill = match node.opinion() {
            "positive" => Style::Positive.color(),
            "negative" => Style::Negative.color(),
            _ => Style::Muted.color(),
        };
        let ring = if node.seed {
            "stroke=\"#000000\" stroke-width=\"2.5\""
        } else {
            "stroke=\"#ffffff\" stroke-width=\"0.8\""
        };
        s.raw(&format!(
            "<circle class=\"node\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" {ring} data-id=\"{}\" data-seed=\"{}\" data-opinion=\"{}\" data-positive=\"{}\" data-negative=\"{}\"/>",
            n(x),
            n(y),
            n(r),
            escape(&node.label),
            node.seed,
            node.opinion(),
            node.positive,
            node.negative
        ));
    }
    for (i, node) in c.nodes.iter().enumerate() {
        if node.seed || label_all {
            let (x, y) = at(i);
            // A white halo keeps labels readable over nodes and arcs.
            let extra = if node.seed {
                "font-weight=\"bold\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\""
            } else {
                "fill=\"#555555\" stroke=\"#ffffff\" stroke-width=\"2\" paint-order=\"stroke\""
            };
            let size = if node.seed { 12.0 } else { 9.0 };
            let offset = if node.seed { 12.0 } else { 7.0 };
            s.text_styled(x + offset, y - offset * 0.4, size, Anchor::Start, extra, &node.label);
        }
    }
    s.raw("</g>");
    s.text(layout.left, c.height - 14.0, 11.0, Anchor::Start, &c.caption);
    Chart {
        id: c.id.clone(),
        title: c.title.clone(),
        width: c.width,
        height: c.height,
        svg: s.finish(),
    }
}
