//! `clout learn` and `clout validate` end to end: learned probabilities as a snapshot usable by
//! simulate and as a CSV, errors naming file and line, and the held-out validation on the
//! shipped synthetic log and on Twitter15.

mod common;

use common::{dataset, dataset_arg, json, ok, run, stderr, write};

fn synthetic() -> String {
    dataset_arg("synthetic-cascades")
}

/// The truth of the synthetic log: `(source, target) -> p`.
fn truth() -> std::collections::HashMap<(String, String), f64> {
    let text = std::fs::read_to_string(dataset("synthetic-cascades/truth.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            ((f[0].to_string(), f[1].to_string()), f[2].parse().unwrap())
        })
        .collect()
}

#[test]
fn learn_writes_a_csv_with_original_ids_and_only_true_arcs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.csv");
    ok(&["learn", &synthetic(), "--prior", "0", "-o", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("source,target,probability"));
    let truth = truth();
    let mut rows = 0;
    let mut strong = Vec::new();
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        let key = (f[0].to_string(), f[1].to_string());
        let p: f64 = f[2].parse().unwrap();
        // Every learned arc is a true arc of the generator, in its direction.
        let t = *truth.get(&key).unwrap_or_else(|| panic!("arc {key:?} is not in the truth"));
        assert!((0.0..=1.0).contains(&p));
        if t == 0.5 {
            strong.push(p);
        }
        rows += 1;
    }
    assert!(rows > 20, "{rows} arcs");
    // Raw estimates of the p = 0.5 arcs average near 0.5 (a sum over many small samples).
    let mean = strong.iter().sum::<f64>() / strong.len() as f64;
    assert!((mean - 0.5).abs() < 0.2, "mean of the 0.5 arcs: {mean}");
}

#[test]
fn learned_snapshot_runs_with_prob_weight_and_summary_reports_the_prior() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("p.clout");
    let o = ok(&["learn", &synthetic(), "-o", snap.to_str().unwrap(), "--json"]);
    let s = json(&o);
    assert_eq!(s["cascades"], 120);
    assert_eq!(s["prior_chosen"], true);
    assert!(s["prior_strength"].as_f64().unwrap() > 0.0);
    assert!(s["arcs"].as_u64().unwrap() > 20);
    let o = ok(&[
        "simulate",
        snap.to_str().unwrap(),
        "--prob",
        "weight",
        "--seeds",
        "1001",
        "--trials",
        "200",
        "--json",
    ]);
    let sim = json(&o);
    assert!(sim["results"][0]["total"]["mean"].as_f64().unwrap() >= 1.0);
}

#[test]
fn bad_log_lines_are_named_by_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("tree")).unwrap();
    write(
        &dir.path().join("tree"),
        "5.txt",
        "['ROOT', 'ROOT', '0.0']->['1', '5', '0.0']\n['1', '5', '0.0']->['2', '6']\n",
    );
    let out = dir.path().join("p.csv");
    let o = run(&["learn", dir.path().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("tree/5.txt:2:"), "{}", stderr(&o));
    assert!(!out.exists(), "no output after an error");
    let higgs = write(dir.path(), "h.txt", "1 2 100 RT\n1 2 x RT\n");
    let o = run(&["learn", &higgs, "--log-format", "higgs", "-o", out.to_str().unwrap()]);
    assert!(stderr(&o).contains("h.txt:2:"), "{}", stderr(&o));
}

#[test]
fn trial_counts_out_of_range_name_the_allowed_range() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v.json");
    for trials in ["1", "5000000000"] {
        let o = run(&[
            "validate",
            &dataset_arg("synthetic-cascades"),
            "--trials",
            trials,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(!o.status.success());
        let want = format!("{trials} trials: between 2 and 4294967295 are allowed");
        assert!(stderr(&o).contains(&want), "{}", stderr(&o));
        assert!(!out.exists(), "no output after an error");
    }
}

#[test]
fn csv_log_without_parents_is_credited_through_the_social_graph() {
    let dir = tempfile::tempdir().unwrap();
    // b and c follow a; c also follows b.
    let social = write(dir.path(), "follows.txt", "b a\nc a\nc b\n");
    let log =
        write(dir.path(), "log.csv", "user,cascade,time\na,1,0\nb,1,60\nc,1,120\na,2,0\nb,2,30\n");
    let out = dir.path().join("p.csv");
    let o = run(&["learn", &log, "--log-format", "csv", "-o", out.to_str().unwrap()]);
    assert!(!o.status.success(), "parents missing and no social graph");
    ok(&[
        "learn",
        &log,
        "--log-format",
        "csv",
        "--social",
        &social,
        "--prior",
        "0",
        "-o",
        out.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    // a -> b: credited in both cascades (2/2); a -> c and b -> c share cascade 1 (1/2 each,
    // over A_a = 2 and A_b = 2 cascades).
    assert!(text.contains("a,b,1\n"), "{text}");
    assert!(text.contains("a,c,0.25\n"), "{text}");
    assert!(text.contains("b,c,0.25\n"), "{text}");
}

#[test]
fn validate_writes_json_and_the_calibration_page() {
    let dir = tempfile::tempdir().unwrap();
    let (j, h) = (dir.path().join("v.json"), dir.path().join("v.html"));
    ok(&[
        "validate",
        &synthetic(),
        "--trials",
        "300",
        "--bootstrap",
        "100",
        "-o",
        j.to_str().unwrap(),
        "--html",
        h.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&j).unwrap()).unwrap();
    let names: Vec<&str> =
        v["models"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["learned", "uniform", "wc", "trivalency"]);
    assert_eq!(v["per_cascade"].as_array().unwrap().len(), 120);
    let learned = &v["models"][0]["pooled"];
    assert!(learned["auc"].as_f64().unwrap() > v["models"][2]["pooled"]["auc"].as_f64().unwrap());
    let html = std::fs::read_to_string(&h).unwrap();
    assert!(html.contains("id=\"reliability\""));
    assert!(html.contains("id=\"cascade-size\""));
    assert!(html.contains("never appear in the training graph"));
    // The same run gives the same JSON.
    let j2 = dir.path().join("v2.json");
    ok(&[
        "validate",
        &synthetic(),
        "--trials",
        "300",
        "--bootstrap",
        "100",
        "-o",
        j2.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&j).unwrap(), std::fs::read(&j2).unwrap());
}

/// The acceptance criteria on real data, with fewer trials than the default to keep the suite
/// quick: learned probabilities beat a fitted uniform p by >= 0.05 pooled AUC with a bootstrap
/// interval above zero, have a positive Brier skill score, and rank and score better than
/// weighted cascade and trivalency.
#[test]
fn twitter15_learned_beats_the_defaults_on_held_out_cascades() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("t15.json");
    ok(&[
        "validate",
        &dataset_arg("rumdetect2017/rumdetect2017_twitter15_16.tar.gz"),
        "--part",
        "twitter15",
        "--trials",
        "300",
        "--bootstrap",
        "200",
        "-o",
        j.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&j).unwrap()).unwrap();
    let m = |i: usize, k: &str| v["models"][i]["pooled"][k].as_f64().unwrap();
    assert!(
        m(0, "auc") - m(1, "auc") >= 0.05,
        "learned {} vs uniform {}",
        m(0, "auc"),
        m(1, "auc")
    );
    assert!(v["differences"][0]["auc"]["lo"].as_f64().unwrap() > 0.0);
    assert!(m(0, "brier_skill") > 0.0);
    for b in [2, 3] {
        assert!(m(0, "auc") > m(b, "auc"));
        assert!(m(0, "brier") < m(b, "brier"));
        assert!(m(0, "ece") < m(b, "ece"));
        assert!(v["differences"][b - 1]["auc"]["lo"].as_f64().unwrap() > 0.0);
        assert!(v["differences"][b - 1]["log_rmse"]["hi"].as_f64().unwrap() < 0.0);
    }
    // The prior is a two-Beta mixture in every fold: one Beta under-predicts the arcs of
    // accounts that react to nearly every post.
    for f in v["folds"].as_array().unwrap() {
        assert!(f["prior_component"]["weight"].as_f64().unwrap() > 0.0, "{f}");
    }
    assert_eq!(v["cascades"], 1490);
}

#[test]
fn help_teaches_formats_direction_estimators_protocol_and_metrics() {
    let o = ok(&["learn", "--help"]);
    let text = String::from_utf8_lossy(&o.stdout);
    for needle in ["DIRECTION", "trees", "higgs", "csv", "bernoulli", "jaccard", "em", "prior"] {
        assert!(text.contains(needle), "learn --help lacks {needle}");
    }
    let o = ok(&["validate", "--help"]);
    let text = String::from_utf8_lossy(&o.stdout);
    for needle in ["PROTOCOL", "METRICS", "AUC", "Brier", "ECE", "logRMSE", "bootstrap"] {
        assert!(text.contains(needle), "validate --help lacks {needle}");
    }
}

#[test]
fn report_gains_a_calibration_section_from_a_validation_result() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("v.json");
    ok(&[
        "validate",
        &synthetic(),
        "--trials",
        "100",
        "--bootstrap",
        "50",
        "-o",
        j.to_str().unwrap(),
    ]);
    let page = dir.path().join("r.html");
    let svg = dir.path().join("charts");
    let karate = dataset_arg("karate/karate.edges");
    let base = ["report", &karate, "--undirected", "--seeds", "1,34", "--trials", "200"];
    let mut args = base.to_vec();
    args.extend(["--validation", j.to_str().unwrap(), "-o", page.to_str().unwrap()]);
    args.extend(["--svg-dir", svg.to_str().unwrap()]);
    ok(&args);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("id=\"calibration\""));
    assert!(html.contains("id=\"reliability\""));
    assert!(html.find("id=\"calibration\"").unwrap() < html.find("<footer>").unwrap());
    // The calibration charts are written as files with the report's own.
    for chart in ["reliability", "cascade-size", "degree-distribution"] {
        let file = svg.join(format!("{chart}.svg"));
        assert!(std::fs::read_to_string(&file).unwrap().contains("<svg"), "{}", file.display());
    }
    // Not a validation result: refused before any work, naming the file.
    let bogus = write(dir.path(), "bogus.json", "{\"x\": 1}");
    let mut args = base.to_vec();
    args.extend(["--validation", &bogus, "-o", page.to_str().unwrap()]);
    let o = run(&args);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("bogus.json"), "{}", stderr(&o));
}
