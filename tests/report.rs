//! End-to-end tests of `clout report`: the page is generated on karate, opened in headless
//! Chromium (screenshot kept under target/test-artifacts/, console must stay silent, the DOM
//! must hold every chart, the section titles and the numbers), and its numbers are compared
//! with `clout simulate` and `clout select` for the same options.
//!
//! Chromium: `/usr/bin/chromium` (Debian package `chromium`), `chromium` on PATH, or the path
//! in `CLOUT_CHROMIUM`. Without it the browser tests print a SKIPPED line and pass, unless
//! `CLOUT_REQUIRE_BROWSER=1` (set by .ci/run), which makes a missing browser a failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use clout_report::png::tiny_skia::Pixmap;
use clout_report::xml::check_well_formed;
use serde_json::Value;

use common::{karate, ok, run, stderr, wait_at_most};

/// target/test-artifacts, where the screenshot and the page are kept after the test.
fn artifacts() -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target dir").join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The campaign every karate test reports on.
const CAMPAIGN: &[&str] = &[
    "--undirected",
    "--model",
    "icn",
    "--prob",
    "uniform:0.15",
    "--quality",
    "0.7",
    "--trials",
    "600",
    "--seed",
    "11",
];

/// The JSON block embedded in a page (or in Chromium's dump of its DOM).
fn data_block(html: &str) -> Value {
    let open = "id=\"clout-report-data\">";
    let start = html.find(open).expect("the page embeds its data") + open.len();
    let end = start + html[start..].find("</script>").expect("the data block is closed");
    serde_json::from_str(&html[start..end]).expect("the data block is JSON")
}

/// The first `data-*` attribute `name` on the element that carries `marker` (an attribute
/// string such as `data-section="reach" data-metric="positive"`), parsed exactly.
fn attribute(html: &str, marker: &str, name: &str) -> f64 {
    let at = html.find(marker).unwrap_or_else(|| panic!("no element with {marker}"));
    let tag_end = at + html[at..].find('>').unwrap();
    let tag = &html[at..tag_end];
    let key = format!("{name}=\"");
    let start = tag.find(&key).unwrap_or_else(|| panic!("{marker} has no {name}")) + key.len();
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}

/// Relative difference allowed between a number printed by Rust's `{}` (shortest round-trip
/// digits, read back exactly) and the same number read back by serde_json's fast float parser,
/// which may be off by one unit in the last place (2.2e-16 relative).
const PARSE_ULP: f64 = 1e-15;

fn same(a: f64, b: &Value, what: &str) {
    let b = b.as_f64().unwrap_or_else(|| panic!("{what}: {b} is not a number"));
    assert!((a - b).abs() <= PARSE_ULP * a.abs().max(b.abs()), "{what}: {a} vs {b}");
}

// ---------------------------------------------------------------------------------------------
// Headless Chromium.

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CLOUT_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
    if let Some(p) = candidates.iter().map(PathBuf::from).find(|p| p.exists()) {
        return Some(p);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).map(|d| d.join("chromium")).find(|p| p.exists())
    })
}

/// The browser, or `None` after printing why the test is skipped. Panics when
/// `CLOUT_REQUIRE_BROWSER=1` and there is none.
fn browser_or_skip(test: &str) -> Option<PathBuf> {
    match chromium() {
        Some(p) => Some(p),
        None if std::env::var("CLOUT_REQUIRE_BROWSER").as_deref() == Ok("1") => {
            panic!(
                "{test}: CLOUT_REQUIRE_BROWSER=1 but no Chromium found (apt-get install chromium)"
            )
        }
        None => {
            eprintln!(
                "SKIPPED {test}: no Chromium (install the Debian package `chromium`, or set CLOUT_CHROMIUM)"
            );
            None
        }
    }
}

/// Runs headless Chromium on `page` with `extra` flags; returns (stdout, stderr). A fresh
/// profile each time; killed after two minutes.
fn run_chromium(browser: &Path, page: &Path, extra: &[String]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(extra)
    .arg(format!("file://{}", page.canonicalize().unwrap().display()))
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("chromium starts");
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let err = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let status = wait_at_most(&mut child, Duration::from_secs(120))
        .expect("chromium did not finish within two minutes");
    let (o, e) = (out.join().unwrap(), err.join().unwrap());
    assert!(status.success(), "chromium failed ({status}): {e}");
    (o, e)
}

/// Messages the page wrote to the console (Chromium logs them as `CONSOLE` lines), plus
/// blocked loads and page errors. The report runs no script, so any message is a fault.
fn console_messages(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| {
            l.contains("CONSOLE")
                || l.contains("Refused to")
                || l.contains("Uncaught")
                || l.contains("net::ERR")
        })
        .map(str::to_string)
        .collect()
}

/// Pixels within `tolerance` (per channel) of `rgb`.
fn pixels_near(shot: &Pixmap, rgb: (u8, u8, u8), tolerance: i32) -> usize {
    shot.pixels()
        .iter()
        .filter(|p| {
            let c = p.demultiply();
            (c.red() as i32 - rgb.0 as i32).abs() <= tolerance
                && (c.green() as i32 - rgb.1 as i32).abs() <= tolerance
                && (c.blue() as i32 - rgb.2 as i32).abs() <= tolerance
        })
        .count()
}

// ---------------------------------------------------------------------------------------------

#[test]
fn help_says_what_is_in_the_report_and_the_conventions() {
    let o = ok(&["report", "--help"]);
    let text = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "The graph at a glance",
        "Influencer table",
        "Reach over time",
        "Backfire curve",
        "Seed-set comparison",
        "Neighbourhood drawing",
        "original ids",
        "--svg-dir",
        "clout simulate",
        "clout select",
        "influence flows",
    ] {
        assert!(text.contains(needle), "--help lacks {needle:?}");
    }
}

#[test]
fn karate_report_renders_in_chromium_with_the_numbers_of_clout_simulate() {
    let dir = artifacts();
    let page = dir.join("report-karate.html");
    let charts = dir.join("report-karate-charts");
    let _ = std::fs::remove_dir_all(&charts);
    let (k, page_arg, charts_arg) =
        (karate(), page.to_string_lossy().into_owned(), charts.to_string_lossy().into_owned());
    let mut args =
        vec!["report", &k, "--seeds", "1,34", "-o", &page_arg, "--svg-dir", &charts_arg, "--png"];
    args.extend_from_slice(CAMPAIGN);
    ok(&args);

    // The file: self-contained, every chart also as a well-formed SVG and a PNG.
    let html = std::fs::read_to_string(&page).unwrap();
    let outside: Vec<&str> = html
        .match_indices("://")
        .map(|(i, _)| {
            let stop = |c: char| c == '"' || c == '\'' || c == '(' || c == ')' || c.is_whitespace();
            let start = html[..i].rfind(stop).map_or(0, |p| p + 1);
            let end = i + html[i..].find(stop).unwrap_or(html.len() - i);
            &html[start..end]
        })
        .collect();
    assert!(
        outside.iter().all(|&url| url == "http://www.w3.org/2000/svg") && !html.contains(" src="),
        "the page must not refer to the network: {outside:?}"
    );
    let mut ids: Vec<String> = std::fs::read_dir(&charts)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .map(|p| {
            let svg = std::fs::read_to_string(&p).unwrap();
            check_well_formed(&svg).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let png = std::fs::read(p.with_extension("png")).expect("a PNG beside each SVG");
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
            p.file_stem().unwrap().to_string_lossy().into_owned()
        })
        .collect();
    ids.sort();
    let expected = [
        "backfire-curve",
        "degree-distribution",
        "neighbourhood-drawing",
        "rank-agreement",
        "reach-over-time",
        "score-betweenness",
        "score-coreness",
        "score-pagerank",
        "score-reach",
        "seed-comparison",
    ];
    assert_eq!(ids, expected);

    let Some(browser) = browser_or_skip("karate_report_renders_in_chromium") else { return };
    // Screenshot, with the console log.
    let shot_path = dir.join("report-karate.png");
    let _ = std::fs::remove_file(&shot_path);
    let (_, log) = run_chromium(
        &browser,
        &page,
        &[format!("--screenshot={}", shot_path.display()), "--window-size=1100,6400".into()],
    );
    let messages = console_messages(&log);
    assert!(messages.is_empty(), "the page logged to the console: {messages:#?}");
    let shot = Pixmap::decode_png(&std::fs::read(&shot_path).expect("a screenshot")).unwrap();
    assert_eq!((shot.width(), shot.height()), (1100, 6400));
    // The charts were painted: positive blue, negative orange and the threshold red are on screen.
    for (what, rgb) in [
        ("positive", (0x1f, 0x4e, 0x99)),
        ("negative", (0xf0, 0xa0, 0x30)),
        ("threshold", (0xb0, 0x00, 0x20)),
    ] {
        let count = pixels_near(&shot, rgb, 12);
        assert!(count > 200, "only {count} {what} pixels in the screenshot");
    }

    // The DOM after loading.
    let (dom, _) = run_chromium(&browser, &page, &["--dump-dom".into()]);
    for id in expected {
        let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\"");
        assert_eq!(dom.matches(&svg).count(), 1, "chart {id}: one inline <svg> in the DOM");
        assert_eq!(dom.matches(&format!("id=\"{id}\"")).count(), 1, "id {id} is unique");
    }
    for title in [
        "The graph at a glance",
        "Influencer table",
        "Reach over time",
        "Backfire curve",
        "Seed-set comparison",
        "Neighbourhood drawing",
        "Degree distribution (log-log)",
        "New activations per round",
        "Backfire curve: reach against product quality",
        "Seed sets compared on the same trials",
    ] {
        assert!(dom.contains(title), "{title:?} missing from the DOM");
    }
    assert!(dom.contains(">34<"), "karate has 34 accounts");
    assert!(dom.contains(">78<"), "and 78 friendships");
    let data = data_block(&dom);

    // The same campaign through `clout simulate`.
    let sim_json = dir.join("report-karate-simulate.json");
    let sim_arg = sim_json.to_string_lossy().into_owned();
    let mut sim_args = vec!["simulate", &k, "--seeds", "1,34", "--out", &sim_arg];
    sim_args.extend_from_slice(CAMPAIGN);
    ok(&sim_args);
    let sim: Value = serde_json::from_str(&std::fs::read_to_string(&sim_json).unwrap()).unwrap();
    let outcome = &sim["results"][0];
    for metric in ["positive", "negative", "total", "awareness", "backfire_risk"] {
        for field in ["mean", "std_error", "ci95_low", "ci95_high", "q05", "q50", "q95"] {
            // Both written by serde_json from the same f64: the same text, the same value.
            assert_eq!(data["reach"][metric][field], outcome[metric][field], "{metric}.{field}");
        }
        let mean = attribute(
            &dom,
            &format!("data-section=\"reach\" data-metric=\"{metric}\""),
            "data-mean",
        );
        same(mean, &outcome[metric]["mean"], &format!("{metric} in the table"));
    }
    let steps = outcome["steps"].as_array().unwrap();
    let rounds = data["reach"]["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), steps.len());
    for (r, s) in rounds.iter().zip(steps) {
        assert_eq!(r["positive"]["mean"], s["new_positive"]["mean"]);
        assert_eq!(r["negative"]["ci95_high"], s["new_negative"]["ci95_high"]);
    }
    // The backfire curve at the campaign's q is the same simulation.
    let at_q = data["backfire"]["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["quality"] == 0.7)
        .unwrap();
    assert_eq!(at_q["positive"]["mean"], outcome["positive"]["mean"]);
    let threshold = data["backfire"]["threshold"].as_f64().expect("a threshold on karate");
    assert!(
        dom.contains(&format!("Below q = {threshold:.2} the campaign does more harm than good"))
    );
    // Shown to the reader, rounded.
    let shown =
        format!("<td class=\"num\">{:.2}</td>", outcome["positive"]["mean"].as_f64().unwrap());
    assert!(dom.contains(&shown), "{shown} not shown");
}

#[test]
fn console_check_catches_a_page_that_logs_an_error() {
    // The harness's own control: a page that writes to the console must be caught, so a silent
    // report really means a silent console.
    let Some(browser) = browser_or_skip("console_check_catches_a_page_that_logs_an_error") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("noisy.html");
    std::fs::write(&page, "<!DOCTYPE html><p>x</p><script>console.error('report broke')</script>")
        .unwrap();
    let (_, log) = run_chromium(&browser, &page, &["--dump-dom".into()]);
    let messages = console_messages(&log);
    assert!(messages.iter().any(|m| m.contains("report broke")), "{messages:?}");
}

#[test]
fn select_report_has_the_numbers_of_clout_select() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("r.html");
    let json = dir.path().join("s.json");
    let k = karate();
    let common = [
        "--undirected",
        "--model",
        "icn",
        "--quality",
        "0.8",
        "--prob",
        "uniform:0.1",
        "--trials",
        "400",
        "--seed",
        "5",
    ];
    let mut report = vec![
        "report",
        k.as_str(),
        "--select",
        "3",
        "--method",
        "imm",
        "-o",
        page.to_str().unwrap(),
    ];
    report.extend_from_slice(&common);
    ok(&report);
    let mut select = vec![
        "select",
        k.as_str(),
        "-k",
        "3",
        "--method",
        "imm",
        "--compare",
        // Exactly --trials, as the report runs (select otherwise stops at its precision).
        "--precision",
        "0",
        "--out",
        json.to_str().unwrap(),
    ];
    select.extend_from_slice(&common);
    ok(&select);
    let html = std::fs::read_to_string(&page).unwrap();
    let data = data_block(&html);
    let sel: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let chosen: Vec<String> = sel["seeds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.to_string().trim_matches('"').to_string())
        .collect();
    let reported: Vec<String> = data["campaign"]["seeds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(reported, chosen, "the same accounts, in the order chosen");
    let last = &sel["rows"].as_array().unwrap().last().unwrap()["evaluated"];
    for metric in ["positive", "negative", "total"] {
        assert_eq!(data["reach"][metric], last[metric], "{metric} of the chosen set");
        let mean = attribute(
            &html,
            &format!("data-section=\"reach\" data-metric=\"{metric}\""),
            "data-mean",
        );
        same(mean, &last[metric]["mean"], &format!("{metric} in the table"));
    }
    let sets = data["comparison"]["sets"].as_array().unwrap();
    for c in sel["compare"].as_array().unwrap() {
        let method = c["method"].as_str().unwrap();
        let ours = sets
            .iter()
            .find(|s| s["key"] == method)
            .unwrap_or_else(|| panic!("{method} not compared"));
        for metric in ["positive", "negative", "total"] {
            assert_eq!(ours[metric], c[metric], "{method} {metric}");
        }
        let ids: Vec<String> = c["seeds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.to_string().trim_matches('"').to_string())
            .collect();
        let ours_ids: Vec<String> = ours["seeds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(ours_ids, ids, "{method} seeds");
    }
}

#[test]
fn same_seed_same_page_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.html"), dir.path().join("b.html"));
    let k = karate();
    for (threads, out) in [("1", &a), ("2", &b)] {
        let mut args = vec![
            "--threads",
            threads,
            "report",
            k.as_str(),
            "--seeds",
            "1,34",
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(CAMPAIGN);
        ok(&args);
    }
    let strip = |p: &Path| {
        // The page records its command line, which names the output file; all else must match.
        let mut data = data_block(&std::fs::read_to_string(p).unwrap());
        data["command"] = Value::Null;
        data
    };
    assert_eq!(strip(&a), strip(&b));
    let (ha, hb) = (std::fs::read_to_string(&a).unwrap(), std::fs::read_to_string(&b).unwrap());
    let body = |h: &str| h[h.find("<section").unwrap()..h.find("<footer").unwrap()].to_string();
    assert_eq!(body(&ha), body(&hb), "sections and charts are byte-identical");
}

#[test]
fn bad_seeds_and_options_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let k = karate();
    let o = run(&["report", &k, "--undirected", "--seeds", "1,999", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("`999` is not in the graph"));
    assert!(!out.exists(), "no partial report is left behind");
    let o = run(&["report", &k, "--seeds", "1", "--select", "2", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "--seeds and --select exclude each other");
    let o = run(&[
        "report",
        &k,
        "--undirected",
        "--seeds",
        "1",
        "--draw",
        "301",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&[
        "report",
        &k,
        "--undirected",
        "--seeds",
        "1",
        "--model",
        "ic",
        "--quality",
        "0.5",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(stderr(&o).contains("--quality applies to --model icn only"));
}

#[test]
fn excluded_accounts_are_chosen_by_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("r.html");
    let exclude = dir.path().join("exclude.txt");
    // Karate's two leaders, whom every method picks first.
    std::fs::write(&exclude, "# the two leaders\n1\n34\n").unwrap();
    let k = karate();
    ok(&[
        "report",
        k.as_str(),
        "--undirected",
        "--select",
        "3",
        "--prob",
        "uniform:0.1",
        "--trials",
        "200",
        "--exclude",
        exclude.to_str().unwrap(),
        "-o",
        page.to_str().unwrap(),
    ]);
    let data = data_block(&std::fs::read_to_string(&page).unwrap());
    let ids = |v: &Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
    };
    let chosen = ids(&data["campaign"]["seeds"]);
    assert_eq!(chosen.len(), 3);
    let sets = data["comparison"]["sets"].as_array().unwrap();
    assert!(sets.len() >= 3, "the baselines are compared too");
    for seeds in std::iter::once(chosen).chain(sets.iter().map(|s| ids(&s["seeds"]))) {
        assert!(!seeds.iter().any(|s| s == "1" || s == "34"), "excluded account chosen: {seeds:?}");
    }
}

#[test]
fn seeds_file_missing_inputs_and_unwritable_outputs_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (out, k) = (d("r.html"), karate());
    let fails = |args: &[&str], needle: &str| {
        let o = run(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "clout {args:?}: {err}");
        assert!(err.contains(needle), "clout {args:?}: {err:?} lacks {needle:?}");
    };
    let quick = ["--undirected", "--prob", "uniform:0.1", "--trials", "50"];
    let report = |extra: &[&str]| {
        let mut a = vec!["report", k.as_str(), "-o", out.as_str()];
        a.extend_from_slice(&quick);
        a.extend_from_slice(extra);
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let refused = |extra: &[&str], needle: &str| {
        let a = report(extra);
        fails(&a.iter().map(String::as_str).collect::<Vec<_>>(), needle);
        assert!(!Path::new(&out).exists(), "no report after a failure ({extra:?})");
    };

    // Seeds from a file: a bad id names the file and line; a missing file says so.
    let bad = d("bad-seeds.txt");
    std::fs::write(&bad, "# seeds\n1\n999\n").unwrap();
    refused(&["--seeds-file", &bad], "bad-seeds.txt:3: account `999` is not in the graph");
    refused(&["--seeds-file", &d("none.txt")], "cannot read");
    let empty = d("empty.txt");
    std::fs::write(&empty, "# nobody\n").unwrap();
    refused(&["--seeds-file", &empty], "lists no accounts");
    refused(&["--seeds", ","], "no seed accounts given");
    // Missing graph.
    let o = run(&["report", &d("no-graph.edges"), "--seeds", "1", "-o", &out]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no-graph.edges: cannot open"));
    assert!(!Path::new(&out).exists());
    // Unwritable outputs: a directory that does not exist, an --svg-dir that is a file.
    let nowhere = d("no-such-dir/r.html");
    let o = run(&["report", &k, "--undirected", "--seeds", "1", "-o", &nowhere]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no-such-dir does not exist"));
    assert!(!Path::new(&nowhere).exists());
    refused(&["--seeds", "1", "--svg-dir", &bad], "is not a directory");

    // A good seeds file gives the page of the same --seeds.
    let good = d("seeds.txt");
    std::fs::write(&good, "# the two leaders\n1\n34\n").unwrap();
    let a = report(&["--seeds-file", &good]);
    ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let from_file = data_block(&std::fs::read_to_string(&out).unwrap());
    let a = report(&["--seeds", "1,34"]);
    ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let from_list = data_block(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(from_file["campaign"]["seeds"], from_list["campaign"]["seeds"]);
    assert_eq!(from_file["reach"], from_list["reach"]);
    assert_eq!(from_file["comparison"]["sets"], from_list["comparison"]["sets"]);
}
