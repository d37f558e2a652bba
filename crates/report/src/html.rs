//! The HTML page: one self-contained file with inline CSS and inline SVG charts, no scripts
//! and no network (a Content-Security-Policy forbids every fetch), and the report's data as a
//! JSON block (`<script type="application/json" id="clout-report-data">`, never executed).

use std::fmt::Write as _;

mod campaign;
pub(crate) mod parts;
mod target;

use parts::{figure, find_chart, fmt_score};

use crate::charts;
use crate::data::ReportData;
use crate::svg::{Chart, escape};

pub(crate) const CSS: &str = "\
body{font-family:'DejaVu Sans','Liberation Sans',Arial,Helvetica,sans-serif;color:#222;\
background:#fafafa;margin:0;line-height:1.45}\
main{max-width:1000px;margin:0 auto;padding:16px 28px 40px;background:#fff}\
h1{font-size:26px;margin:8px 0 4px}h2{font-size:20px;margin:34px 0 8px;\
border-bottom:2px solid #1f4e99;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}\
p.meta{color:#555;font-size:13px;margin:0}code{font-size:12px;background:#f2f2f2;padding:1px 3px}\
nav{font-size:13px;margin:10px 0}nav a{margin-right:14px;color:#1f4e99}\
table{border-collapse:collapse;font-size:13px;margin:8px 0}\
th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}\
th{background:#f0f3f8}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
.grid{display:flex;flex-wrap:wrap;gap:12px}.chart{max-width:100%;height:auto;display:block}\
figure{margin:10px 0}figcaption{font-size:12px;color:#555;max-width:900px}\
p.verdict{font-size:16px;font-weight:bold;padding:8px 12px;border-left:5px solid #b00020;\
background:#fff4f4}p.omitted{color:#8a4b00;background:#fff8ec;padding:6px 10px}\
footer{font-size:12px;color:#555;margin-top:30px;border-top:1px solid #ddd;padding-top:8px}";

/// The full page for `d` with its `charts` (from [`charts::all_charts`]).
pub fn page(d: &ReportData, charts: &[Chart]) -> String {
    let mut o = String::with_capacity(256 * 1024);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{CSS}</style></head><body><main>",
        escape(&d.title)
    );
    let _ = write!(
        o,
        "<h1>{}</h1><p class=\"meta\">{} · <code>{}</code></p>",
        escape(&d.title),
        escape(&d.generator),
        escape(&d.command)
    );
    o.push_str(
        "<nav><a href=\"#graph\">Graph</a><a href=\"#influencers\">Influencers</a>\
         <a href=\"#reach\">Reach over time</a><a href=\"#backfire\">Backfire</a>\
         <a href=\"#comparison\">Seed sets</a><a href=\"#neighbourhood\">Neighbourhood</a>",
    );
    if d.target.is_some() {
        o.push_str("<a href=\"#target\">Target audience</a>");
    }
    o.push_str("</nav>");
    graph_section(&mut o, d, charts);
    influencer_section(&mut o, d, charts);
    campaign::campaign_sections(&mut o, d, charts);
    target::target_section(&mut o, d, charts);
    let _ = write!(
        o,
        "<footer><p><b>Conventions.</b> Arcs point the way influence flows: on a follower file \
         (`A B` = A follows B) the arc is B → A, so followers are the influence out-degree and a \
         campaign seeded at B reaches the accounts that follow B. Ids are the accounts' original \
         ids. Reach counts accounts and includes the seeds; every ± range is a 95% confidence \
         interval of the Monte Carlo mean; quantiles are over trials. The data behind every chart \
         is embedded in this file as JSON (<code>#clout-report-data</code>).</p></footer>"
    );
    let json = serde_json::to_string(d).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    // `<` only occurs inside JSON strings, where `\u003c` is the same character: the block can
    // then never end early (`</script>`) or open a comment (`<!--`).
    let _ = writeln!(
        o,
        "</main><script type=\"application/json\" id=\"clout-report-data\">{}</script></body></html>",
        json.replace('<', "\\u003c")
    );
    o
}

fn graph_section(o: &mut String, d: &ReportData, charts: &[Chart]) {
    let g = &d.graph;
    o.push_str("<section id=\"graph\"><h2>The graph at a glance</h2><table class=\"facts\">");
    let mut row = |k: &str, key: &str, v: String| {
        let _ =
            write!(o, "<tr data-fact=\"{key}\"><th>{}</th><td>{}</td></tr>", escape(k), escape(&v));
    };
    row("source", "source", g.source.clone());
    row("accounts", "nodes", g.nodes.to_string());
    row(
        if g.directed { "edges (directed arcs)" } else { "edges (undirected)" },
        "edges",
        g.edges.to_string(),
    );
    row("edge direction", "reading", format!("{} — {}", g.reading, g.reading_sentence));
    if let Some(r) = g.reciprocity {
        row("reciprocity", "reciprocity", format!("{r:.4} of arcs are returned"));
    }
    let largest = g.largest_weak.first().copied().unwrap_or(0);
    let share = if g.nodes > 0 { 100.0 * largest as f64 / g.nodes as f64 } else { 0.0 };
    let others =
        g.largest_weak.iter().skip(1).map(|s| s.to_string()).collect::<Vec<_>>().join(", ");
    row(
        if g.directed { "weak components" } else { "components" },
        "weak-components",
        format!(
            "{} (largest {largest} accounts, {share:.1}%{})",
            g.weak_components,
            if others.is_empty() { String::new() } else { format!("; next: {others}") }
        ),
    );
    if let (Some(c), Some(l)) = (g.strong_components, g.largest_strong) {
        row("strong components", "strong-components", format!("{c} (largest {l} accounts)"));
    }
    row("isolated accounts", "isolated", g.isolated.to_string());
    row("accounts no one hears", "without-followers", g.without_followers.to_string());
    for dd in &g.degree_distributions {
        row(
            &dd.label,
            &format!("degree-{}", dd.key),
            format!("mean {:.2}, max {}", dd.mean, dd.max),
        );
    }
    o.push_str("</table>");
    let zero: Vec<String> = g
        .degree_distributions
        .iter()
        .filter_map(|dd| {
            dd.counts.first().filter(|c| c.0 == 0).map(|c| format!("{} with {} 0", c.1, dd.key))
        })
        .collect();
    let caption = format!(
        "Each point is the number of accounts with a given degree, both axes logarithmic{}.",
        if zero.is_empty() { String::new() } else { format!(" (not shown: {})", zero.join(", ")) }
    );
    figure(o, find_chart(charts, charts::DEGREE_DISTRIBUTION), &caption);
    o.push_str("</section>");
}

fn influencer_section(o: &mut String, d: &ReportData, charts: &[Chart]) {
    let inf = &d.influencers;
    let _ = write!(
        o,
        "<section id=\"influencers\"><h2>Influencer table</h2><p>The top {} accounts by each score \
         (rank 1 = highest; ties share the best rank).</p><table class=\"top\"><tr><th>#</th>",
        inf.top
    );
    for s in &inf.scores {
        let _ = write!(o, "<th colspan=\"2\">{}</th>", escape(&s.name));
    }
    o.push_str("</tr>");
    let rows = inf.scores.iter().map(|s| s.top.len()).max().unwrap_or(0);
    for i in 0..rows {
        let _ = write!(o, "<tr><td class=\"num\">{}</td>", i + 1);
        for s in &inf.scores {
            match s.top.get(i) {
                Some(a) => {
                    let _ = write!(
                        o,
                        "<td data-score=\"{}\" data-rank=\"{}\" data-value=\"{}\">{}</td><td class=\"num\">{}</td>",
                        escape(&s.key),
                        a.rank,
                        a.value,
                        escape(&a.id),
                        fmt_score(a.value)
                    );
                }
                None => o.push_str("<td></td><td></td>"),
            }
        }
        o.push_str("</tr>");
    }
    o.push_str("</table><h3>How each score is computed</h3><ul>");
    for s in &inf.scores {
        let _ = write!(o, "<li><b>{}</b>: {}</li>", escape(&s.name), escape(&s.method));
    }
    o.push_str("</ul><h3>Score distributions</h3><div class=\"grid\">");
    for s in &inf.scores {
        figure(o, find_chart(charts, &format!("score-{}", s.key)), "");
    }
    o.push_str("</div><h3>Rank agreement</h3>");
    let caption = "Spearman's rho is the correlation of the accounts' average ranks; Kendall's \
                   tau-b compares every pair of accounts, counting ties as SciPy does. 1 means the \
                   two scores order accounts identically, 0 unrelated, -1 reversed.";
    figure(o, find_chart(charts, charts::RANK_AGREEMENT), caption);
    o.push_str("</section>");
}
