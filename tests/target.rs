//! End-to-end tests of target audiences and per-account conversion: `clout simulate`, `select`
//! and `report` with `--target`, `--target-default`, `--conversion` and `--maximize` on the
//! shipped wiki-Vote audience, errors naming file and line, and weights of one against the
//! untargeted run.

mod common;

use common::{dataset_arg, json, ok, run, stderr, stdout, write};

fn wiki() -> String {
    dataset_arg("wiki-vote/Wiki-Vote.txt")
}

fn audience() -> String {
    dataset_arg("wiki-vote/audience.txt")
}

fn purchases() -> String {
    dataset_arg("wiki-vote/purchases.txt")
}

fn mean(v: &serde_json::Value) -> f64 {
    v["mean"].as_f64().unwrap()
}

#[test]
fn simulate_reports_target_reach_sales_and_revenue() {
    let (wiki, audience, purchases) = (wiki(), audience(), purchases());
    let base = ["simulate", &wiki, "--seeds", "2470,2625", "--trials", "2000"];
    let args = [&base[..], &["--target", &audience, "--conversion", &purchases, "--json"]].concat();
    let doc = json(&ok(&args));
    assert_eq!(doc["target_weight"].as_f64(), Some(1561.0));
    let r = &doc["results"][0];
    let t = &r["target"];
    // The audience is part of the graph: its reach is below the total and above zero.
    assert!(mean(&t["total"]) > 0.0 && mean(&t["total"]) < mean(&r["total"]), "{t}");
    assert!(mean(&t["awareness"]) >= mean(&t["total"]));
    assert!(mean(&r["sales"]) > 0.0 && mean(&r["revenue"]) > mean(&r["sales"]) * 20.0 - 1e-9);
    // The untargeted numbers are the same as without the files, trial for trial.
    let plain = json(&ok(&[&base[..], &["--json"]].concat()));
    assert_eq!(plain["results"][0]["total"], r["total"]);
    assert!(plain["results"][0].get("target").is_none());
    // The per-round curve carries the audience's columns, which add up to its totals.
    let dir = tempfile::tempdir().unwrap();
    let curve = dir.path().join("curve.csv");
    let curve_arg = curve.display().to_string();
    ok(&[&base[..], &["--target", &audience, "--curve", &curve_arg]].concat());
    let text = std::fs::read_to_string(&curve).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let sum = |name: &str| -> f64 {
        text.lines()
            .skip(1)
            .map(|l| l.split(',').nth(column(name)).unwrap().parse::<f64>().unwrap())
            .sum()
    };
    let reached = sum("target_new_positive") + sum("target_new_negative");
    assert!((reached - mean(&t["total"])).abs() < 1e-6, "{reached}");
    assert!((sum("target_new_heard") - mean(&t["awareness"])).abs() < 1e-6);
    // The table shows the audience.
    let table = stdout(&ok(&args[..args.len() - 1]));
    assert!(table.contains("target audience: weight 1561"), "{table}");
    assert!(table.contains("target reach") && table.contains("revenue"), "{table}");
}

#[test]
fn an_audience_of_everyone_at_weight_one_is_plain_reach() {
    let dir = tempfile::tempdir().unwrap();
    let everyone = write(dir.path(), "all.txt", "3 1\n");
    let wiki = wiki();
    let base = ["simulate", &wiki, "--seeds", "4037", "--trials", "300", "--json"];
    let doc = json(&ok(&[&base[..], &["--target", &everyone, "--target-default", "1"]].concat()));
    let r = &doc["results"][0];
    for m in ["total", "positive", "awareness"] {
        assert_eq!(r["target"][m]["mean"], r[m]["mean"], "{m}");
        assert_eq!(r["target"][m]["q50"], r[m]["q50"], "{m}");
    }
}

#[test]
fn per_account_rows_carry_the_weights() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("acc.csv");
    let (wiki, audience, purchases) = (wiki(), audience(), purchases());
    let out_arg = out.display().to_string();
    let args = [
        "simulate",
        &wiki,
        "--seeds",
        "2470",
        "--trials",
        "200",
        "--target",
        &audience,
        "--conversion",
        &purchases,
        "--per-account",
        &out_arg,
    ];
    ok(&args);
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "quality,id,reached,positive,negative,mean_round,target_weight,purchase_probability,sale_value"
    );
    // Account 4 buys with 0.159 for 120 (purchases.txt line 2); 11 is in the audience.
    let row =
        |id: &str| text.lines().find(|l| l.split(',').nth(1) == Some(id)).unwrap().to_string();
    assert!(row("4").ends_with(",0.159,120"), "{}", row("4"));
    assert_eq!(row("11").split(',').nth(6), Some("1"));
}

#[test]
fn select_for_an_audience_chooses_differently_and_reaches_more_of_it() {
    let (wiki, audience) = (wiki(), audience());
    let base = ["select", &wiki, "-k", "5", "--trials", "3000", "--precision", "0", "--json"];
    let plain = json(&ok(&base));
    let aimed = json(&ok(&[&base[..], &["--target", &audience, "--compare"]].concat()));
    assert_eq!(plain["objective"], "reach");
    assert_eq!(aimed["objective"], "target");
    assert_eq!(aimed["objective_weight"].as_f64(), Some(1561.0));
    assert_ne!(plain["seeds"], aimed["seeds"]);
    let statement = aimed["selection"]["guarantee"]["statement"].as_str().unwrap();
    assert!(statement.contains("weight reached"), "{statement}");
    // The untargeted choice judged on the audience, with the same evaluation trials.
    let plain_seeds: Vec<String> =
        plain["seeds"].as_array().unwrap().iter().map(|s| s.to_string()).collect();
    let judged = json(&ok(&[
        "simulate",
        &wiki,
        "--seeds",
        &plain_seeds.join(","),
        "--trials",
        "3000",
        "--target",
        &audience,
        "--json",
    ]));
    let untargeted = mean(&judged["results"][0]["target"]["total"]);
    let last = &aimed["rows"][4]["evaluated"]["target"]["total"];
    assert!(mean(last) > 1.3 * untargeted, "{} vs {untargeted}", mean(last));
    // Every baseline is compared on target reach too.
    for c in aimed["compare"].as_array().unwrap() {
        assert!(mean(&c["target"]["positive"]) < mean(last), "{c}");
    }
}

#[test]
fn select_maximizes_revenue_from_the_purchase_file() {
    let (wiki, purchases) = (wiki(), purchases());
    let base = ["select", &wiki, "-k", "3", "--trials", "500", "--conversion", &purchases];
    let doc = json(&ok(&[&base[..], &["--maximize", "revenue", "--json"]].concat()));
    assert_eq!(doc["objective"], "revenue");
    let table = stdout(&ok(&[&base[..], &["--maximize", "revenue"]].concat()));
    assert!(table.contains("maximizing expected revenue"), "{table}");
    // Revenue needs values; target needs an audience.
    let o = run(&["select", &wiki, "-k", "3", "--maximize", "target"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("needs a target audience"), "{}", stderr(&o));
}

#[test]
fn bad_audience_files_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let wiki = wiki();
    for (content, needle) in [
        ("4037 1\n15 -2\n", ":2: weight `-2`"),
        ("4037\n999999\n", ":2: account `999999` is not in the graph"),
        ("4037\n15\n4037 3\n", ":3: account `4037` is listed again"),
    ] {
        let file = write(dir.path(), "t.txt", content);
        let o = run(&["simulate", &wiki, "--seeds", "15", "--target", &file]);
        assert!(!o.status.success(), "{content:?}");
        assert!(stderr(&o).contains(needle), "{content:?}: {}", stderr(&o));
    }
    let conversion = write(dir.path(), "c.txt", "4037 0.5 10\n15 0.2\n");
    let o = run(&["simulate", &wiki, "--seeds", "15", "--conversion", &conversion]);
    assert!(stderr(&o).contains(":2: line 1 has a sale value"), "{}", stderr(&o));
    let o = run(&["simulate", &wiki, "--seeds", "15", "--target-default", "1"]);
    assert!(!o.status.success(), "--target-default needs --target");
}

#[test]
fn report_gains_the_target_section() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("r.html");
    let page_arg = page.display().to_string();
    let (wiki, audience) = (wiki(), audience());
    let args = [
        "report", &wiki, "--select", "3", "--trials", "300", "--target", &audience, "--output",
        &page_arg,
    ];
    ok(&args);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains(">Target audience</h2>"));
    assert!(html.contains("data-target-weight=\"1561\""));
    for id in ["target-share-over-time", "target-backfire-curve", "target-seed-comparison"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(html.contains("data-target-set=\"degree\""));
}
