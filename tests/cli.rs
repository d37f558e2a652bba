//! End-to-end tests of the `clout` binary: real datasets from `datasets/`, deliberately broken
//! input, exit codes, atomic outputs and thread-count independence.

mod common;

use std::process::Stdio;

use common::{clout, dataset, json, ok, run, stderr, stdout};

fn stats_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["stats", "--json"];
    all.extend_from_slice(args);
    json(&run(&all))
}

#[test]
fn stats_reads_wiki_vote_directly_with_follower_reading() {
    let path = dataset("wiki-vote/Wiki-Vote.txt");
    let s = stats_json(&[path.to_str().unwrap()]);
    assert_eq!(s["nodes"], 7115);
    assert_eq!(s["edges"], 103689);
    assert_eq!(s["directed"], true);
    assert_eq!(s["reading"], "follows");
}

#[test]
fn stats_human_output_names_the_reading() {
    let path = dataset("wiki-vote/Wiki-Vote.txt");
    let o = run(&["stats", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("A follows B"), "{text}");
    assert!(text.contains("7115") || text.contains("7,115"), "{text}");
}

#[test]
fn ingest_then_stats_on_ego_facebook_undirected() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("fb.clout");
    let input = dataset("ego-facebook/facebook_combined.txt");
    let o = run(&["ingest", input.to_str().unwrap(), "--undirected", "-o", snap.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The summary is on stderr, as every command's; stdout carries only requested output.
    assert!(stderr(&o).contains("4039 nodes"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    let s = stats_json(&[snap.to_str().unwrap()]);
    assert_eq!(s["nodes"], 4039);
    assert_eq!(s["edges"], 88234);
    assert_eq!(s["directed"], false);
    assert_eq!(s["reading"], "undirected");
    assert_eq!(s["weak_components"]["count"], 1);
}

#[test]
fn snapshots_are_identical_at_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dataset("wiki-vote/Wiki-Vote.txt");
    let mut files = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("wv-{threads}.clout"));
        let o = run(&[
            "--threads",
            threads,
            "ingest",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        files.push(std::fs::read(out).unwrap());
    }
    assert!(files[0] == files[1], "snapshots differ between 1 and 2 threads");
}

#[test]
fn bad_line_fails_with_file_and_line_and_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("broken.txt");
    std::fs::write(&input, "# header\n1 2\n2 3\n3 x4 extra\n4 5\n").unwrap();
    let out = dir.path().join("broken.clout");
    // Integer ids are forced, so `x4` is an error rather than a switch to string ids.
    let o =
        run(&["ingest", input.to_str().unwrap(), "--ids", "integer", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("broken.txt:4"), "{err}");
    assert!(err.contains("x4"), "{err}");
    assert!(!out.exists(), "a failed ingest must not leave an output file");
    let leftovers: Vec<_> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "temporary files left behind: {leftovers:?}");
}

#[test]
fn bad_weight_is_an_error_and_skip_bad_lines_counts_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("weights.txt");
    std::fs::write(&input, "1 2 0.5\n2 3 heavy\n3 1 2\n").unwrap();
    let p = input.to_str().unwrap();
    let o = run(&["stats", p, "--weight", "3"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("weights.txt:2"), "{}", stderr(&o));
    let s = stats_json(&[p, "--weight", "3", "--skip-bad-lines"]);
    assert_eq!(s["edges"], 2);
}

#[test]
fn missing_file_and_bad_flags_have_distinct_exit_codes() {
    let o = run(&["stats", "/no/such/file.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/no/such/file.txt"), "{}", stderr(&o));
    let o = run(&["stats", "--no-such-flag", "x"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn corrupt_snapshot_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("k.clout");
    let input = dataset("karate/karate.edges");
    let o = run(&["ingest", input.to_str().unwrap(), "--undirected", "-o", snap.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut bytes = std::fs::read(&snap).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xFF;
    std::fs::write(&snap, &bytes).unwrap();
    let o = run(&["stats", snap.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("k.clout"), "{}", stderr(&o));
    bytes.truncate(100);
    std::fs::write(&snap, &bytes).unwrap();
    let o = run(&["stats", snap.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn stdin_is_read_with_a_dash() {
    let mut child = clout()
        .args(["stats", "--json", "-", "--undirected"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"@alice @bob\n@bob @carol\n@carol @alice\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["nodes"], 3);
    assert_eq!(s["edges"], 3);
}

#[test]
fn generated_graphs_are_labelled_synthetic_and_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.clout");
    let b = dir.path().join("b.clout");
    let txt = dir.path().join("a.txt");
    let generate = ["generate", "rmat", "--scale", "10", "--edge-factor", "8", "--seed", "7"];
    for (threads, out) in [("1", &a), ("2", &b)] {
        ok(&[&["--threads", threads], &generate[..], &["-o", out.to_str().unwrap()]].concat());
    }
    assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap());
    let s = stats_json(&[a.to_str().unwrap()]);
    assert_eq!(s["synthetic"], true);
    assert_eq!(s["nodes"], 1024);
    // The text form, read back as influence arcs, gives the same graph.
    ok(&[&generate[..], &["-o", txt.to_str().unwrap()]].concat());
    let t = stats_json(&[txt.to_str().unwrap(), "--edges", "influence"]);
    assert_eq!(t["synthetic"], true);
    assert_eq!(t["edges"], s["edges"]);
    assert_eq!(t["self_loops_dropped"], s["self_loops_dropped"]);
}

/// `-o /dev/null` (timing a run without keeping its output) writes through the device; renaming a
/// temporary file over it would turn `/dev/null` into a plain file for the whole machine.
#[cfg(unix)]
#[test]
fn output_to_dev_null_keeps_the_device() {
    use std::os::unix::fs::FileTypeExt;
    let karate = dataset("karate/karate.edges");
    let karate = karate.to_str().unwrap();
    for args in [
        &["ingest", karate, "--undirected", "-o", "/dev/null"][..],
        &["rank", karate, "--undirected", "--by", "pagerank", "-o", "/dev/null"][..],
    ] {
        let o = run(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let meta = std::fs::symlink_metadata("/dev/null").unwrap();
        assert!(meta.file_type().is_char_device(), "{args:?} replaced /dev/null");
    }
}
