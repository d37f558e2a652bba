//! End-to-end tests of `clout simulate`: the shipped karate graph, a signed input, the edge
//! direction convention, JSON and curve outputs, thread-count independence and errors.

mod common;

use serde_json::Value;

use common::{json, karate, run, stderr, stdout, write};

/// Runs `clout simulate ARGS --json` and parses stdout.
fn simulate_json(args: &[&str]) -> Value {
    let mut all = vec!["simulate"];
    all.extend_from_slice(args);
    all.push("--json");
    json(&run(&all))
}

#[test]
fn karate_json_curve_and_table_have_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sim.json");
    let curve = dir.path().join("curve.csv");
    let k = karate();
    let o = run(&[
        "simulate",
        &k,
        "--undirected",
        "--seeds",
        "1,34",
        "--model",
        "icn",
        "--prob",
        "uniform:0.1",
        "--quality",
        "0.6,0.9",
        "--trials",
        "2000",
        "--conversion-rate",
        "0.05",
        "--out",
        out.to_str().unwrap(),
        "--curve",
        curve.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = stdout(&o);
    for word in ["positive", "negative", "total", "awareness", "backfire risk", "conversions"] {
        assert!(table.contains(word), "table lacks {word}:\n{table}");
    }
    let j: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(j["model"], "icn");
    assert_eq!(j["probabilities"], "uniform:0.1");
    assert_eq!(j["seeds"], serde_json::json!([1, 34]));
    assert_eq!((j["trials"].as_u64(), j["nodes"].as_u64()), (Some(2000), Some(34)));
    let results = j["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for (r, q) in results.iter().zip([0.6, 0.9]) {
        assert_eq!(r["quality"].as_f64(), Some(q));
        let (pos, neg, total) = (
            r["positive"]["mean"].as_f64().unwrap(),
            r["negative"]["mean"].as_f64().unwrap(),
            r["total"]["mean"].as_f64().unwrap(),
        );
        assert!((pos + neg - total).abs() < 1e-9 * total && total >= 2.0);
        for metric in ["positive", "negative", "total", "awareness", "backfire_risk", "conversions"]
        {
            for field in ["mean", "std_error", "ci95_low", "ci95_high", "q05", "q50", "q95"] {
                assert!(r[metric][field].is_number(), "{metric}.{field} in {r}");
            }
        }
        let steps = r["steps"].as_array().unwrap();
        assert_eq!(steps[0]["step"], 0);
        assert!((steps[0]["new_positive"]["mean"].as_f64().unwrap() - 2.0 * q).abs() < 1e-9);
    }
    assert_eq!(j["spread_mean"], results[0]["total"]["mean"]);
    assert!(j["spread_std"].as_f64().unwrap() > 0.0 && j["seconds"].is_number());
    let csv = std::fs::read_to_string(&curve).unwrap();
    let steps: usize = results.iter().map(|r| r["steps"].as_array().unwrap().len()).sum();
    assert!(csv.starts_with("quality,step,new_positive,"));
    assert_eq!(csv.lines().count(), 1 + steps);
}

#[test]
fn same_output_at_one_and_two_threads() {
    let k = karate();
    // `--threads` is a global flag, given before the subcommand.
    let run = |threads: &str, model: &str, seed: &str| {
        let o = run(&[
            "--threads",
            threads,
            "simulate",
            &k,
            "--undirected",
            "--seeds",
            "1,5",
            "--model",
            model,
            "--prob",
            "trivalency",
            "--trials",
            "3000",
            "--seed",
            seed,
            "--json",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let mut j: Value = serde_json::from_slice(&o.stdout).unwrap();
        for timing in ["seconds", "load_seconds", "edges_examined_per_second"] {
            j.as_object_mut().unwrap().remove(timing);
        }
        j
    };
    for model in ["icn", "lt"] {
        assert_eq!(run("1", model, "42"), run("2", model, "42"), "{model}");
    }
    assert_ne!(run("2", "lt", "42")["results"], run("2", "lt", "43")["results"]);
}

#[test]
fn a_cascade_from_b_reaches_the_accounts_that_follow_b() {
    // `alice bob`: alice follows bob. Under the default `--edges follows` reading bob's posts
    // reach alice; a cascade from alice reaches nobody.
    let dir = tempfile::tempdir().unwrap();
    let g = write(dir.path(), "follows.txt", "alice bob\n");
    let from_bob = simulate_json(&[&g, "--seeds", "bob", "--prob", "uniform:1", "--trials", "10"]);
    assert_eq!(from_bob["results"][0]["total"]["mean"], 2.0);
    let from_alice =
        simulate_json(&[&g, "--seeds", "alice", "--prob", "uniform:1", "--trials", "10"]);
    assert_eq!(from_alice["results"][0]["total"]["mean"], 1.0);
    // Read as `--edges influence`, the line means alice influences bob.
    let influence = simulate_json(&[
        &g,
        "--edges",
        "influence",
        "--seeds",
        "alice",
        "--prob",
        "uniform:1",
        "--trials",
        "10",
    ]);
    assert_eq!(influence["results"][0]["total"]["mean"], 2.0);
    // IC-N's known answer end to end: p = 0.5, q = 0.7 gives positive 0.945, negative 0.555.
    let icn = simulate_json(&[
        &g,
        "--seeds",
        "bob",
        "--model",
        "icn",
        "--prob",
        "uniform:0.5",
        "--quality",
        "0.7",
    ]);
    let r = &icn["results"][0];
    for (metric, exact) in [("positive", 0.945), ("negative", 0.555)] {
        let (mean, se) =
            (r[metric]["mean"].as_f64().unwrap(), r[metric]["std_error"].as_f64().unwrap());
        assert!((mean - exact).abs() < 4.0 * se, "{metric} {mean} vs {exact}");
    }
}

#[test]
fn signed_input_spreads_distrust_as_negative_opinion() {
    // SNAP signed layout `FROM TO SIGN`, read as influence: 1 trusts-influences 2 and 3; 3
    // passes a distrust arc to 4, which trusts-influences 5.
    let dir = tempfile::tempdir().unwrap();
    let g = write(
        dir.path(),
        "signed.txt",
        "# FromNodeId\tToNodeId\tSign\n1\t2\t1\n1\t3\t1\n3\t4\t-1\n4\t5\t1\n",
    );
    let j = simulate_json(&[
        &g,
        "--format",
        "signed",
        "--edges",
        "influence",
        "--model",
        "signed",
        "--seeds",
        "1",
        "--prob",
        "uniform:1",
        "--trials",
        "20",
    ]);
    let r = &j["results"][0];
    assert_eq!(
        (r["positive"]["mean"].as_f64(), r["negative"]["mean"].as_f64()),
        (Some(3.0), Some(2.0))
    );
    // The signed model on an unsigned graph is a clear error.
    let o = run(&["simulate", &karate(), "--undirected", "--seeds", "1", "--model", "signed"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("signed"), "{}", stderr(&o));
}

#[test]
fn unknown_seed_ids_and_bad_flags_are_clear_errors() {
    let k = karate();
    let o = run(&["simulate", &k, "--undirected", "--seeds", "1,99"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("`99`"), "{}", stderr(&o));
    let dir = tempfile::tempdir().unwrap();
    let seeds = write(dir.path(), "seeds.txt", "# campaign\n1\nnobody\n");
    let o = run(&["simulate", &k, "--undirected", "--seeds-file", &seeds]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("seeds.txt:3") && stderr(&o).contains("nobody"), "{}", stderr(&o));
    let o = run(&["simulate", &k, "--undirected", "--seeds", "1", "--quality", "0.5"]);
    assert_eq!(o.status.code(), Some(1), "quality needs icn: {}", stderr(&o));
    let o = run(&["simulate", &k, "--undirected", "--seeds", "1", "--prob", "uniform:2"]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&["simulate", &k, "--undirected"]);
    assert_eq!(o.status.code(), Some(2), "seeds are required: {}", stderr(&o));
}

#[test]
fn precision_quality_file_and_help() {
    let k = karate();
    let j = simulate_json(&[
        &k,
        "--undirected",
        "--seeds",
        "1",
        "--prob",
        "uniform:0.2",
        "--precision",
        "0.02",
        "--trials",
        "200000",
    ]);
    assert_eq!(j["precision"]["reached"], true);
    assert!(j["relative_ci95_half_width"].as_f64().unwrap() <= 0.02);
    assert!(j["trials"].as_u64().unwrap() < 200_000);
    // Per-account quality: account 1 (the seed) always disappoints, so everything is negative.
    let dir = tempfile::tempdir().unwrap();
    let qf = write(dir.path(), "q.txt", "1 0\n");
    let j = simulate_json(&[
        &k,
        "--undirected",
        "--seeds",
        "1",
        "--model",
        "icn",
        "--quality",
        "0.9",
        "--quality-file",
        &qf,
        "--trials",
        "500",
    ]);
    assert_eq!(j["results"][0]["positive"]["mean"], 0.0);
    assert_eq!(j["results"][0]["backfire_risk"]["mean"], 1.0);
    let help = stdout(&run(&["help", "simulate"]));
    for needle in [
        "accounts that follow B",
        "uniform:P",
        "trivalency",
        "backfire",
        "awareness",
        "first success decides",
        "Not monotone",
    ] {
        assert!(help.contains(needle), "help lacks {needle:?}");
    }
}
