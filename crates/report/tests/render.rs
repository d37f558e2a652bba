//! API tests: a complete report rendered from hand-made data — every chart well-formed and
//! embedded, the numbers in the page equal to the data, the JSON block intact.

use clout_report::data::*;
use clout_report::{render, xml::check_well_formed};

fn est(mean: f64, half: f64) -> Estimate {
    Estimate {
        mean,
        std_error: half / 1.96,
        ci95_low: mean - half,
        ci95_high: mean + half,
        q05: mean - 2.0 * half,
        q50: mean,
        q95: mean + 2.0 * half,
    }
}

fn band(mean: f64, half: f64) -> Band {
    Band { mean, ci95_low: mean - half, ci95_high: mean + half }
}

/// A report of a made-up 34-account graph with every section present.
pub fn sample() -> ReportData {
    let score = |key: &str, name: &str, values: &[f64]| ScoreSummary {
        key: key.into(),
        name: name.into(),
        method: format!("{name} as computed by the test"),
        top: values
            .iter()
            .enumerate()
            .map(|(i, &v)| RankedAccount { id: format!("@acct{i}"), value: v, rank: i as u64 + 1 })
            .collect(),
        histogram: clout_report::bars::bin(values, 10),
    };
    let q: Vec<f64> = (0..=20).map(|i| i as f64 / 20.0).collect();
    let total = 20.0;
    let points: Vec<BackfirePoint> = q
        .iter()
        .map(|&q| BackfirePoint {
            quality: q,
            positive: band(total * q * q, 1.0),
            negative: band(total * (1.0 - q * q), 1.0),
            net: band(total * (2.0 * q * q - 1.0), 1.5),
        })
        .collect();
    let threshold = clout_report::threshold_quality(
        &points.iter().map(|p| (p.quality, p.positive.mean, p.negative.mean)).collect::<Vec<_>>(),
    );
    ReportData {
        title: "clout report: <test> & co".into(),
        generator: "clout-report tests".into(),
        command: "clout report x --seeds 1,2".into(),
        graph: GraphSection {
            source: "made-up.edges".into(),
            nodes: 34,
            edges: 78,
            directed: false,
            reading: "undirected".into(),
            reading_sentence: "a line `A B` is a friendship".into(),
            reciprocity: None,
            isolated: 0,
            without_followers: 0,
            weak_components: 1,
            largest_weak: vec![34],
            strong_components: None,
            largest_strong: None,
            degree_distributions: vec![DegreeDistribution {
                key: "degree".into(),
                label: "friends".into(),
                counts: vec![
                    (1, 1),
                    (2, 11),
                    (3, 6),
                    (4, 6),
                    (5, 3),
                    (6, 2),
                    (12, 1),
                    (16, 1),
                    (17, 1),
                ],
                mean: 4.59,
                max: 17,
            }],
        },
        influencers: InfluencerSection {
            top: 3,
            scores: vec![
                score("pagerank", "PageRank", &[0.1, 0.07, 0.06]),
                score("coreness", "coreness", &[4.0, 4.0, 3.0]),
            ],
            spearman: vec![vec![Some(1.0), Some(0.8)], vec![Some(0.8), Some(1.0)]],
            kendall: vec![vec![Some(1.0), Some(-0.6)], vec![Some(-0.6), Some(1.0)]],
        },
        campaign: Campaign {
            seeds: vec!["@acct0".into(), "@acct1".into()],
            chosen_by: "given".into(),
            model: "icn".into(),
            prob: "uniform:0.1".into(),
            quality: Some(0.8),
            trials: 1000,
            seed: 7,
            budget: Some(Budget { budget: 10.0, spent: 7.5, costs: vec![5.0, 2.5] }),
        },
        reach: Some(ReachSection {
            positive: est(9.25, 0.5),
            negative: est(3.5, 0.25),
            total: est(12.75, 0.6),
            awareness: est(20.0, 0.7),
            backfire_risk: est(0.08, 0.01),
            conversions: None,
            sales: None,
            revenue: None,
            rounds: (0..6)
                .map(|r| Round {
                    round: r,
                    positive: band(8.0 / (r as f64 + 1.0), 0.5),
                    negative: band(2.0 / (r as f64 + 1.0), 0.3),
                })
                .collect(),
        }),
        backfire: Some(BackfireSection { model: "icn".into(), points, threshold }),
        comparison: Some(ComparisonSection {
            sets: ["selected", "degree", "pagerank", "degree-discount"]
                .iter()
                .enumerate()
                .map(|(i, k)| SeedSetResult {
                    key: (*k).into(),
                    label: format!("{k} seeds"),
                    seeds: vec!["@acct0".into()],
                    positive: est(9.0 - i as f64, 0.4),
                    negative: est(3.0, 0.2),
                    total: est(12.0 - i as f64, 0.5),
                    cost: Some(7.5),
                })
                .collect(),
            note: "same trials".into(),
        }),
        target: None,
        neighbourhood: Some(NeighbourhoodSection {
            nodes: (0..12)
                .map(|i| NeighbourNode {
                    id: format!("@acct{i}"),
                    seed: i < 2,
                    positive: if i % 3 == 0 { 0.7 } else { 0.2 },
                    negative: if i % 3 == 1 { 0.6 } else { 0.1 },
                })
                .collect(),
            arcs: (1..12).map(|i| (i / 3, i)).collect(),
            note: "sample".into(),
            layout_seed: 7,
        }),
        omitted: vec![],
    }
}

#[test]
fn every_chart_is_well_formed_and_embedded() {
    let d = sample();
    let r = render(&d);
    let ids: Vec<&str> = r.charts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "degree-distribution",
            "score-pagerank",
            "score-coreness",
            "rank-agreement",
            "reach-over-time",
            "backfire-curve",
            "seed-comparison",
            "neighbourhood-drawing"
        ]
    );
    for c in &r.charts {
        check_well_formed(&c.svg).unwrap_or_else(|e| panic!("{}: {e}", c.id));
        check_well_formed(&c.standalone()).unwrap();
        assert!(r.html.contains(&c.svg), "{} is inline in the page", c.id);
        assert!(c.svg.contains(&format!("id=\"{}\"", c.id)));
        assert!(c.svg.contains(&c.title.replace('&', "&amp;")), "{} has its title", c.id);
    }
    // Escaping: the title's markup characters never reach the page raw.
    assert!(r.html.contains("clout report: &lt;test&gt; &amp; co"));
    assert!(!r.html.contains("<test>"));
}

#[test]
fn page_holds_the_exact_numbers_and_the_data_block() {
    let d = sample();
    let html = render(&d).html;
    for section in [
        "The graph at a glance",
        "Influencer table",
        "Reach over time",
        "Backfire curve",
        "Seed-set comparison",
        "Neighbourhood drawing",
    ] {
        assert!(html.contains(&format!(">{section}</h2>")), "section {section}");
    }
    assert!(html.contains("data-metric=\"positive\" data-mean=\"9.25\""));
    assert!(html.contains("<td class=\"num\">9.25</td>"));
    // The threshold of q^2 * 20 vs (1 - q^2) * 20 is 1/sqrt(2) ~ 0.707; the grid interpolation
    // gives a value within a grid step, stated in words and drawn as a marker.
    let t = d.backfire.as_ref().unwrap().threshold.unwrap();
    assert!((t - 0.5f64.sqrt()).abs() < 0.01, "{t}");
    assert!(html.contains(&format!("Below q = {t:.2} the campaign does more harm than good")));
    assert!(html.contains(&format!("net = 0 at q = {t:.2}")));
    assert!(html.contains("Budget 10: spent 7.5 (75.0%)"));
    // The JSON block parses back to the data.
    let start = html.find("id=\"clout-report-data\">").unwrap() + "id=\"clout-report-data\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    assert!(parsed == serde_json::to_value(&d).unwrap(), "the JSON block differs from the data");
    assert_eq!(parsed["reach"]["positive"]["mean"], 9.25);
    // No scripts to run, nothing to fetch.
    assert!(html.contains("default-src 'none'"));
    assert_eq!(html.matches("<script").count(), 1);
    assert!(
        !html.contains("http://")
            || html.matches("http://").count()
                == html.matches("http://www.w3.org/2000/svg").count()
    );
}

#[test]
fn charts_carry_bands_whiskers_markers_and_log_ticks() {
    let r = render(&sample());
    let chart = |id: &str| r.charts.iter().find(|c| c.id == id).unwrap().svg.clone();
    let reach = chart("reach-over-time");
    assert!(
        reach.contains("class=\"band band-positive\"")
            && reach.contains("class=\"band band-negative\"")
    );
    let backfire = chart("backfire-curve");
    assert!(backfire.contains("data-series=\"net\"") && backfire.contains("class=\"marker\""));
    assert!(backfire.contains("class=\"band band-net\""), "net reach has its band");
    let bars = chart("seed-comparison");
    assert_eq!(bars.matches("class=\"bar\"").count(), 12, "4 sets x 3 metrics");
    assert!(bars.contains("data-ci-low=\"8.6\" data-ci-high=\"9.4\""));
    let degree = chart("degree-distribution");
    for tick in [">1</text>", ">2</text>", ">5</text>", ">10</text>", ">20</text>"] {
        assert!(degree.contains(tick), "log tick {tick}");
    }
    let net = chart("neighbourhood-drawing");
    assert_eq!(net.matches("class=\"node\"").count(), 12);
    assert_eq!(net.matches("data-seed=\"true\"").count(), 2);
}

#[test]
fn rendering_is_deterministic() {
    let html = render(&sample()).html;
    assert_eq!(html, render(&sample()).html);
    // Kept under target/ for a person to look at.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(dir.join("report-sample.html"), html).unwrap();
}

#[test]
fn absent_sections_say_why() {
    let mut d = sample();
    d.backfire = None;
    d.omitted.push(("backfire".into(), "the signed model has no quality".into()));
    let r = render(&d);
    assert!(r.html.contains("Not shown: the signed model has no quality"));
    assert!(r.charts.iter().all(|c| c.id != "backfire-curve"));
}

#[cfg(feature = "png")]
#[test]
fn charts_rasterize_to_png_when_fonts_exist() {
    use clout_report::png::{PngError, Rasterizer};
    match Rasterizer::new() {
        Ok(raster) => {
            for c in render(&sample()).charts {
                let png = raster.png(&c.standalone(), 1.0).unwrap();
                assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{}", c.id);
            }
        }
        Err(PngError::NoFonts) => eprintln!("SKIPPED: no system fonts, PNG output not tested"),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn reach_over_time_stops_after_the_cascade_dies_out() {
    let mut d = sample();
    let reach = d.reach.as_mut().unwrap();
    // Activity through round 4, then twelve quiet rounds (below 0.01 new accounts on average).
    reach.rounds = (0..16)
        .map(|r| Round {
            round: r,
            positive: band(if r <= 4 { 5.0 } else { 0.004 }, 0.1),
            negative: band(if r <= 3 { 1.0 } else { 0.0 }, 0.1),
        })
        .collect();
    assert_eq!(clout_report::charts::drawn_rounds(reach), 6);
    let html = render(&d).html;
    assert!(html.contains("Rounds 6 to 15 are left out"), "caption");
    // The chart ends at round 5 (its last tick), the data block keeps all sixteen rounds.
    let chart_start = html.find("data-chart=\"reach-over-time\"").unwrap();
    let chart = &html[chart_start..chart_start + html[chart_start..].find("</figure>").unwrap()];
    let labels: Vec<&str> = chart
        .split("<text")
        .skip(1)
        .filter_map(|t| t.split('>').nth(1)?.split('<').next())
        .collect();
    let x_label = labels.iter().position(|&l| l == "round (0 = the seeds)").unwrap();
    assert_eq!(labels[x_label - 2..x_label], ["4", "5"], "x axis ends at round 5: {labels:?}");
    assert!(html.contains("\"round\":15"));
    // A cascade busy to the end is drawn whole, without the note.
    let mut busy = sample();
    let n = busy.reach.as_ref().unwrap().rounds.len();
    assert_eq!(clout_report::charts::drawn_rounds(busy.reach.as_mut().unwrap()), n);
    assert!(!render(&busy).html.contains("are left out"));
}

/// The sample with a target audience of weight 40: the target section, its three charts (after
/// the page's others) and its numbers.
#[test]
fn a_target_audience_adds_its_section_and_charts() {
    let mut d = sample();
    let reach = d.reach.clone().unwrap();
    let sets = d.comparison.clone().unwrap().sets;
    d.target = Some(clout_report::data::TargetSection {
        weight: 40.0,
        accounts: 25,
        positive: est(4.0, 0.2),
        negative: est(1.0, 0.1),
        total: est(5.0, 0.2),
        awareness: est(10.0, 0.3),
        backfire_risk: est(0.05, 0.01),
        rounds: reach.rounds.clone(),
        heard_rounds: vec![2.0, 5.0, 2.0, 1.0],
        backfire: d.backfire.clone(),
        sets,
    });
    let r = render(&d);
    let ids: Vec<&str> = r.charts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        &ids[ids.len() - 3..],
        ["target-share-over-time", "target-backfire-curve", "target-seed-comparison"]
    );
    for c in &r.charts {
        check_well_formed(&c.svg).unwrap_or_else(|e| panic!("{}: {e}", c.id));
    }
    assert!(r.html.contains(">Target audience</h2>"));
    assert!(r.html.contains("href=\"#target\""));
    assert!(r.html.contains("data-target-weight=\"40\""));
    // 5 of 40 reached: 12.5 %; 10 of 40 heard: 25 %.
    assert!(r.html.contains("reaches 12.5% of the audience"), "share");
    assert!(r.html.contains("25.0% hears of it"));
    assert!(r.html.contains("data-section=\"target\" data-metric=\"negative\" data-mean=\"1\""));
    assert!(r.html.contains("data-target-set=\"degree\""));
    // Without a target nothing of it appears.
    let plain = render(&sample());
    assert!(!plain.html.contains("id=\"target\"") && !plain.html.contains("\"target\":"));
}
