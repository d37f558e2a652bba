//! End-to-end tests of `clout select`: the binary on shipped datasets, ids in and out by
//! original id, the follower direction, JSON / CSV output, budgets, candidates, exclusions,
//! thread-count independence and clear errors.

mod common;

use common::{dataset_arg, json, run, stderr, stdout, write};

fn seeds(doc: &serde_json::Value) -> Vec<String> {
    doc["seeds"].as_array().unwrap().iter().map(|s| s.to_string()).collect()
}

#[test]
fn select_on_karate_reports_seeds_by_original_id_with_evaluated_reach() {
    let karate = dataset_arg("karate/karate.edges");
    let args =
        ["select", &karate, "--undirected", "-k", "3", "--prob", "uniform:0.1", "--trials", "500"];
    let args = [&args[..], &["--method", "imm"]].concat();
    let doc = json(&run(&[&args[..], &["--json"]].concat()));
    assert_eq!(doc["method"], "imm");
    assert_eq!(doc["model"], "ic");
    let chosen = seeds(&doc);
    assert_eq!(chosen.len(), 3);
    // Karate's ids are 1..=34 in the file: every seed is one of them.
    assert!(chosen.iter().all(|s| (1..=34).contains(&s.parse::<u32>().unwrap())), "{chosen:?}");
    // Cumulative positive reach grows with every seed; each row has a 95% interval around it.
    let rows = doc["rows"].as_array().unwrap();
    let mut last = 0.0;
    for row in rows {
        let positive = &row["evaluated"]["positive"];
        let mean = positive["mean"].as_f64().unwrap();
        assert!(mean > last, "{row}");
        assert!(positive["ci95_low"].as_f64().unwrap() <= mean);
        assert!(positive["ci95_high"].as_f64().unwrap() >= mean);
        last = mean;
    }
    let guarantee = &doc["selection"]["guarantee"];
    assert!(
        (guarantee["a_priori"].as_f64().unwrap() - (1.0 - 1.0 / std::f64::consts::E - 0.1)).abs()
            < 1e-12
    );
    assert!(doc["selection"]["sampling"]["selection_sets"].as_u64().unwrap() > 1000);
    // The human table says the same things.
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = stdout(&o);
    assert!(table.contains("guarantee: IMM") && table.contains("RR sets:"), "{table}");
    assert!(table.contains(&format!("  {}  ", chosen[0])), "{table}");
}

#[test]
fn select_follows_the_influence_direction_of_a_follower_file() {
    // wiki-Vote read as "A voted for B": influence flows B -> A, so the account with the most
    // votes (4037, 457 followers) is the top by degree, and IMM's first pick under weighted
    // cascade is an account many others follow, not one that voted a lot.
    let wiki = dataset_arg("wiki-vote/Wiki-Vote.txt");
    let base = ["select", &wiki, "-k", "1", "--trials", "0", "--json"];
    let by_degree = json(&run(&[&base[..], &["--method", "degree"]].concat()));
    assert_eq!(seeds(&by_degree), vec!["4037"]);
    let by_imm = json(&run(&[&base[..], &["--epsilon", "0.3"]].concat()));
    let first = &seeds(&by_imm)[0];
    // The same file read the other way round ranks voters, whose choice differs.
    let reversed = json(&run(&[&base[..], &["--epsilon", "0.3", "--edges", "influence"]].concat()));
    assert_ne!(&seeds(&reversed)[0], first);
    let gain = by_imm["selection"]["gains"][0].as_f64().unwrap();
    assert!(gain > 20.0, "a much-followed account reaches many: {gain}");
}

#[test]
fn select_writes_json_and_csv_and_compares_with_baselines() {
    let dir = tempfile::tempdir().unwrap();
    let karate = dataset_arg("karate/karate.edges");
    let out_json = dir.path().join("choice.json").display().to_string();
    let out_csv = dir.path().join("choice.csv").display().to_string();
    let base =
        ["select", &karate, "--undirected", "-k", "2", "--trials", "300", "--prob", "uniform:0.2"];
    let o = run(&[&base[..], &["--compare", "--out", &out_json]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let table = stdout(&o);
    for baseline in ["degree", "pagerank", "coreness", "degree-discount"] {
        assert!(table.contains(baseline), "{baseline} missing from {table}");
    }
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_json).unwrap()).unwrap();
    assert_eq!(doc["compare"].as_array().unwrap().len(), 4);
    assert!(doc["compare"][0]["positive"]["mean"].as_f64().unwrap() > 2.0);
    let o = run(&[&base[..], &["--out", &out_csv]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(&out_csv).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("rank,id,gain_method,gain_mc"));
    assert_eq!(lines[1].split(',').count(), 14);
}

#[test]
fn select_budget_candidates_and_exclusions_by_original_id() {
    let dir = tempfile::tempdir().unwrap();
    let karate = dataset_arg("karate/karate.edges");
    let costs = write(dir.path(), "costs.txt", "# account cost\n34 3\n1 2\n3 1\n2 1\n32 1\n");
    let exclude = write(dir.path(), "exclude.txt", "3\n");
    let candidates = write(dir.path(), "candidates.txt", "34\n1\n2\n3\n32\n33\n");
    let o = run(&[
        "select",
        &karate,
        "--undirected",
        "--budget",
        "4",
        "--costs",
        &costs,
        "--exclude",
        &exclude,
        "--candidates",
        &candidates,
        "--trials",
        "200",
        "--json",
    ]);
    let doc = json(&o);
    let chosen = seeds(&doc);
    assert!(!chosen.is_empty());
    let cost_of = |s: &str| match s {
        "34" => 3.0,
        "1" => 2.0,
        "2" | "32" => 1.0,
        other => panic!("{other} is excluded, not a candidate or has no price"),
    };
    let spent: f64 = chosen.iter().map(|s| cost_of(s)).sum();
    assert!(spent <= 4.0, "{chosen:?}");
    assert_eq!(doc["selection"]["cost"].as_f64().unwrap(), spent);
    let statement = doc["selection"]["guarantee"]["statement"].as_str().unwrap();
    assert!(statement.contains("(1-1/e)/2"), "{statement}");
}

#[test]
fn select_gives_the_same_answer_at_one_and_two_threads() {
    let wiki = dataset_arg("wiki-vote/Wiki-Vote.txt");
    let run = |threads: &str| {
        let args = ["select", &wiki, "-k", "5", "--epsilon", "0.3", "--trials", "200", "--json"];
        json(&run(&[&args[..], &["--threads", threads]].concat()))
    };
    let (one, two) = (run("1"), run("2"));
    assert_eq!(one["seeds"], two["seeds"]);
    assert_eq!(one["rows"], two["rows"]);
    assert_eq!(one["selection"]["sampling"], two["selection"]["sampling"]);
}

#[test]
fn select_refuses_what_it_cannot_do_with_clear_errors() {
    let karate = dataset_arg("karate/karate.edges");
    let dir = tempfile::tempdir().unwrap();
    let unknown = write(dir.path(), "c.txt", "1\nnobody\n");
    let o = run(&["select", &karate, "--undirected", "--candidates", &unknown]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("`nobody` is not in the graph"), "{}", stderr(&o));
    let o = run(&["select", &karate, "--undirected", "--model", "signed"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("use celf"), "{}", stderr(&o));
    let o = run(&["select", &karate, "--undirected", "-k", "40", "--trials", "0"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("40 accounts asked for"), "{}", stderr(&o));
    let o = run(&["select", &karate, "--budget", "3"]);
    assert_eq!(o.status.code(), Some(2), "--budget without --costs is a usage error");
    let help = run(&["select", "--help"]);
    let help = stdout(&help);
    for needle in
        ["influence flows", "NO approximation guarantee", "1 - 1/e - epsilon", "[default: opim]"]
    {
        assert!(help.contains(needle), "`{needle}` missing from --help");
    }
}

#[test]
fn select_re_estimates_to_the_requested_precision_and_says_so() {
    let wiki = dataset_arg("wiki-vote/Wiki-Vote.txt");
    let base = ["select", &wiki, "-k", "10", "--epsilon", "0.3"];
    // Default: trials until the chosen set's reach is known within 1 %, the same at any thread
    // count (batches depend on the results only).
    let adaptive =
        |threads: &str| json(&run(&[&base[..], &["--json", "--threads", threads]].concat()));
    let (one, two) = (adaptive("1"), adaptive("2"));
    assert_eq!(one["rows"], two["rows"]);
    let precision = &one["evaluation_precision"];
    assert_eq!(precision["target"], 0.01);
    assert_eq!(precision["reached"], true);
    assert_eq!(precision["shared"], true);
    assert!(precision["relative_ci95_half_width"].as_f64().unwrap() <= 0.01, "{precision}");
    let trials = one["evaluation_trials"].as_u64().unwrap();
    assert!((100..10_000).contains(&trials), "{trials}");
    assert_eq!(one["rows"][9]["evaluated"]["trials"], trials);
    // The table prints it.
    let o = run(&base);
    assert!(
        stdout(&o).contains("precision: 95% CI of the chosen set's reach within"),
        "{}",
        stdout(&o)
    );
    // --precision 0 runs exactly --trials; a cap below what the target needs says so.
    let fixed =
        json(&run(&[&base[..], &["--precision", "0", "--trials", "300", "--json"]].concat()));
    assert_eq!(fixed["evaluation_trials"], 300);
    assert_eq!(fixed["evaluation_precision"]["target"], serde_json::Value::Null);
    let capped =
        json(&run(&[&base[..], &["--precision", "0.0001", "--trials", "150", "--json"]].concat()));
    assert_eq!(capped["evaluation_trials"], 150);
    assert_eq!(capped["evaluation_precision"]["reached"], false);
    // A precision that is not a fraction of the mean is refused before any work.
    for bad in ["--precision=-0.5", "--precision=1.5", "--precision=NaN", "--precision=inf"] {
        let o = run(&[&base[..], &[bad]].concat());
        assert_eq!(o.status.code(), Some(1), "{bad}");
        assert!(stderr(&o).contains("is not a fraction of the mean"), "{bad}: {}", stderr(&o));
    }
}
