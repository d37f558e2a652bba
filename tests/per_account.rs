//! `clout simulate --per-account FILE`: every account's chance of being reached and of ending
//! positive or negative, from the same trials as the totals.

mod common;

use common::{clout, dataset};

/// The per-account CSV sums to the totals of the same run, and turning it on changes no
/// other number: the JSON result equals that of a run without it.
#[test]
fn per_account_rows_add_up_to_the_totals() {
    let dir = tempfile::tempdir().unwrap();
    let karate = dataset("karate/karate.edges");
    let run = |extra: &[&str], json: &str| {
        let out = dir.path().join(json);
        let status = clout()
            .args(["simulate", karate.to_str().unwrap(), "--undirected", "--seeds", "1,34"])
            .args(["--model", "icn", "--quality", "0.6,0.9", "--trials", "400", "--seed", "5"])
            .arg("-o")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        let text = std::fs::read_to_string(&out).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    };
    let csv = dir.path().join("accounts.csv");
    let with = run(&["--per-account", csv.to_str().unwrap()], "with.json");
    let without = run(&[], "without.json");
    let strip = |mut v: serde_json::Value| {
        for key in ["seconds", "load_seconds", "edges_examined_per_second"] {
            v.as_object_mut().unwrap().remove(key);
        }
        v
    };
    assert_eq!(strip(with.clone()), strip(without), "per-account counting changed the totals");

    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("quality,id,reached,positive,negative,mean_round"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2 * 34, "one row per account and quality");
    for (i, quality) in [0.6, 0.9].iter().enumerate() {
        let of = |col: usize| -> f64 {
            rows.iter()
                .filter(|r| r[0].parse::<f64>().unwrap() == *quality)
                .map(|r| r[col].parse::<f64>().unwrap())
                .sum()
        };
        let result = &with["results"][i];
        for (col, metric) in [(2, "total"), (3, "positive"), (4, "negative")] {
            let mean = result[metric]["mean"].as_f64().unwrap();
            assert!((of(col) - mean).abs() < 1e-9 * mean.max(1.0), "{metric} at q {quality}");
        }
    }
    // The seeds are reached in every trial, in round 0.
    let seed_row = rows.iter().find(|r| r[0] == "0.6" && r[1] == "34").unwrap();
    assert_eq!((seed_row[2], seed_row[5]), ("1", "0"));
}

/// `.json` names give a JSON array with original ids; accounts never reached have a null
/// mean round.
#[test]
fn per_account_json_names_accounts_by_original_id() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("accounts.json");
    let status = clout()
        .args(["simulate", dataset("wiki-vote/Wiki-Vote.txt").to_str().unwrap()])
        .args(["--seeds", "4037", "--trials", "50", "--per-account", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(rows.len(), 7115);
    let seed = rows.iter().find(|r| r["id"] == 4037).unwrap();
    assert_eq!(seed["reached"], 1.0);
    assert!(rows.iter().any(|r| r["reached"] == 0.0 && r["mean_round"].is_null()));
}
