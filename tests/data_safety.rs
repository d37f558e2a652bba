//! End-to-end data safety of the `clout` binary in batch jobs: inputs that cannot seek (pipes,
//! FIFOs, process substitutions, stdin), outputs that are inputs, outputs checked before any
//! work, multi-file outputs that appear together or not at all, interrupted runs, standard
//! output that closes or fills up, and one spelling of the output flag.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

mod common;
use common::{bash, clout, dataset, run, stderr, stdout, wait_at_most};
use std::time::{Duration, Instant};

/// Waits for `child` at most `limit`, killing it after (a hang guard, not a timing test).
fn output_within(mut child: Child, limit: Duration) -> Output {
    let finished = wait_at_most(&mut child, limit).is_some();
    let out = child.wait_with_output().expect("output");
    assert!(finished, "clout hung for {limit:?}; stderr: {}", stderr(&out));
    out
}

/// `(nodes, edges)` from `stats --json` output.
fn counts(o: &Output) -> (u64, u64) {
    assert!(o.status.success(), "stats failed: {}", stderr(o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    (v["nodes"].as_u64().unwrap(), v["edges"].as_u64().unwrap())
}

fn wiki_vote() -> PathBuf {
    dataset("wiki-vote/Wiki-Vote.txt")
}

fn snapshot_of(path: &Path, dir: &Path) -> PathBuf {
    let snap = dir.join("g.clout");
    let o = run(&["ingest", path.to_str().unwrap(), "-o", snap.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    snap
}

#[test]
fn pipes_process_substitution_and_stdin_give_the_files_graph() {
    let w = wiki_vote();
    let wp = w.to_str().unwrap();
    let expected = counts(&run(&["stats", "--json", wp]));
    assert_eq!(expected, (7115, 103689));
    // Process substitution: a pipe behind /dev/fd/N (the first bytes were lost before).
    assert_eq!(counts(&bash(&format!("$CLOUT stats --json <(cat '{wp}')"))), expected);
    assert_eq!(counts(&bash(&format!("$CLOUT stats --json <(gzip -c '{wp}')"))), expected);
    // A pipe on stdin, named `-` and /dev/stdin.
    for name in ["-", "/dev/stdin"] {
        let o = bash(&format!("cat '{wp}' | $CLOUT stats --json {name}"));
        assert_eq!(counts(&o), expected, "{name}");
    }
    // A regular file redirected to stdin.
    let o = clout()
        .args(["stats", "--json", "-"])
        .stdin(std::fs::File::open(&w).unwrap())
        .output()
        .unwrap();
    assert_eq!(counts(&o), expected);

    // A snapshot through the same routes is recognised and read, not parsed as text.
    let dir = tempfile::tempdir().unwrap();
    let snap = snapshot_of(&w, dir.path());
    let sp = snap.to_str().unwrap();
    for script in [
        format!("$CLOUT stats --json <(cat '{sp}')"),
        format!("cat '{sp}' | $CLOUT stats --json -"),
        format!("$CLOUT stats --json - < '{sp}'"),
    ] {
        let o = bash(&script);
        assert_eq!(counts(&o), expected, "{script}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["source"], "snapshot", "{script}");
    }
    // ingest refuses a snapshot, from a file or a pipe, instead of reading its bytes as text.
    let out = dir.path().join("again.clout");
    let op = out.to_str().unwrap();
    for script in [
        format!("$CLOUT ingest '{sp}' -o '{op}'"),
        format!("cat '{sp}' | $CLOUT ingest - -o '{op}'"),
    ] {
        let o = bash(&script);
        assert_eq!(o.status.code(), Some(1), "{script}");
        assert!(stderr(&o).contains("is a clout snapshot, not an edge list"), "{}", stderr(&o));
        assert!(!out.exists());
    }
}

#[test]
fn a_named_fifo_is_read_once_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("edges.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let bytes = std::fs::read(wiki_vote()).unwrap();
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        // Opening blocks until clout opens the FIFO for reading.
        let mut f = std::fs::OpenOptions::new().write(true).open(writer_path).unwrap();
        let _ = f.write_all(&bytes);
    });
    let child = clout()
        .args(["stats", "--json", fifo.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let o = output_within(child, Duration::from_secs(60));
    writer.join().unwrap();
    assert_eq!(counts(&o), (7115, 103689));
}

/// Runs `args` (where `{}` stands for the temp dir), expects exit 1 with `needle`, and checks
/// that `guarded` is byte for byte what it was.
fn refused(dir: &Path, args: &[&str], needle: &str, guarded: &Path) {
    let before = std::fs::read(guarded).unwrap();
    let d = dir.to_str().unwrap();
    let args: Vec<String> = args.iter().map(|a| a.replace("{}", d)).collect();
    let o = clout().args(&args).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
    assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    assert_eq!(std::fs::read(guarded).unwrap(), before, "{args:?} changed {}", guarded.display());
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".clout-"))
        .collect();
    assert!(leftovers.is_empty(), "{args:?} left {leftovers:?}");
}

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let edges = d.join("e.txt");
    std::fs::copy(dataset("karate/karate.edges"), &edges).unwrap();
    std::os::unix::fs::symlink(&edges, d.join("link.txt")).unwrap();
    std::fs::hard_link(&edges, d.join("hard.txt")).unwrap();
    let snap = d.join("g.clout");
    let o = run(&["ingest", edges.to_str().unwrap(), "--undirected", "-o", snap.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(d.join("seeds.txt"), "1\n34\n").unwrap();
    let input = "refusing to replace an input";

    refused(d, &["ingest", "{}/e.txt", "-o", "{}/e.txt"], input, &edges);
    refused(d, &["ingest", "{}/e.txt", "-o", "{}/link.txt"], input, &edges);
    refused(d, &["ingest", "{}/e.txt", "-o", "{}/hard.txt"], input, &edges);
    refused(d, &["ingest", "{}/g.clout", "{}/e.txt", "-o", "{}/./e.txt"], input, &edges);
    refused(d, &["rank", "{}/g.clout", "--output", "{}/g.clout"], input, &snap);
    refused(d, &["rank", "{}/g.clout", "--out", "{}/g.clout"], input, &snap);
    let sim = ["simulate", "{}/g.clout", "--seeds", "1", "--trials", "10"];
    refused(d, &[&sim[..], &["--output", "{}/g.clout"]].concat(), input, &snap);
    refused(d, &[&sim[..], &["--curve", "{}/g.clout"]].concat(), input, &snap);
    let by_file = ["simulate", "{}/g.clout", "--seeds-file", "{}/seeds.txt", "--trials", "10"];
    refused(d, &[&by_file[..], &["--curve", "{}/seeds.txt"]].concat(), input, &d.join("seeds.txt"));
    refused(
        d,
        &[&sim[..], &["--output", "{}/x.json", "--curve", "{}/x.json"]].concat(),
        "two outputs name the same file",
        &snap,
    );
    refused(d, &["select", "{}/g.clout", "--k", "2", "--output", "{}/g.clout"], input, &snap);
    refused(d, &["report", "{}/g.clout", "--seeds", "1", "-o", "{}/g.clout"], input, &snap);
}

#[test]
fn outputs_are_checked_before_the_graph_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let missing_graph = format!("{d}/no-graph.txt");
    let nowhere = format!("{d}/no-such-dir/out.csv");
    for args in [
        vec!["rank", &missing_graph, "--output", &nowhere],
        vec!["simulate", &missing_graph, "--seeds", "1", "--output", &nowhere],
        vec!["simulate", &missing_graph, "--seeds", "1", "--curve", &nowhere],
        vec!["select", &missing_graph, "--k", "1", "--output", &nowhere],
        vec!["report", &missing_graph, "--seeds", "1", "-o", &nowhere],
        vec!["ingest", &missing_graph, "-o", &nowhere],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        // The output is named, not the graph: it was checked first.
        assert!(stderr(&o).contains("no-such-dir does not exist"), "{args:?}: {}", stderr(&o));
    }
    let o = run(&["generate", "rmat", "--scale", "4", "-o", &nowhere]);
    assert!(stderr(&o).contains("no-such-dir does not exist"), "{}", stderr(&o));
}

#[test]
fn several_outputs_appear_together_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let karate = dataset("karate/karate.edges");
    let k = karate.to_str().unwrap();
    let json = d.join("sim.json");
    // The curve fails on write (a full device), after the JSON was written: no JSON appears.
    let o = run(&[
        "simulate",
        k,
        "--undirected",
        "--seeds",
        "1",
        "--trials",
        "10",
        "--output",
        json.to_str().unwrap(),
        "--curve",
        "/dev/full",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!json.exists(), "sim.json appeared although the curve failed");

    // A report whose second chart cannot be written leaves neither charts nor the page.
    let report = |html: &Path, svg: &Path| {
        let (html, svg) = (html.to_str().unwrap(), svg.to_str().unwrap());
        let quick = ["--undirected", "--seeds", "1", "--trials", "100"];
        run(&[&["report", k][..], &quick, &["-o", html, "--svg-dir", svg]].concat())
    };
    let svg = d.join("charts");
    std::fs::create_dir_all(svg.join("score-pagerank.svg")).unwrap();
    let html = d.join("r.html");
    let o = report(&html, &svg);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!html.exists());
    let left: Vec<_> = std::fs::read_dir(&svg).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, vec![std::ffi::OsString::from("score-pagerank.svg")], "{left:?}");
    // A missing --svg-dir that was created for the run is removed again.
    let fresh = d.join("fresh-charts");
    let full = d.join("full-html");
    std::os::unix::fs::symlink("/dev/full", &full).unwrap();
    let o = report(&full, &fresh);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!fresh.exists(), "the charts directory was left behind");
}

#[test]
fn an_interrupted_run_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big.clout");
    let mut child = clout()
        .args(["--threads", "1", "generate", "rmat", "--scale", "22", "-o", out.to_str().unwrap()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The temporary file is created before the work starts; wait for it.
    let start = Instant::now();
    let temp = loop {
        let found = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .find(|e| e.file_name().to_string_lossy().starts_with(".clout-"));
        if let Some(found) = found {
            break found.path();
        }
        assert!(child.try_wait().unwrap().is_none(), "generate finished before it was stopped");
        assert!(start.elapsed() < Duration::from_secs(60), "no temporary file appeared");
        std::thread::sleep(Duration::from_millis(5));
    };
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_eq!(status.code(), Some(128 + 15), "{err}");
    assert!(!temp.exists(), "{} survived SIGTERM", temp.display());
    assert!(!out.exists());
}

#[test]
fn a_closed_pipe_ends_quietly_and_a_full_disk_is_an_error() {
    let wp = wiki_vote();
    let w = wp.to_str().unwrap();
    // 7115 rows are more than a pipe holds, so the writes after `head` exits fail.
    let o = bash(&format!("set -o pipefail; $CLOUT rank '{w}' --by followers | head -1"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "id,followers,followers_rank\n");
    assert!(!stderr(&o).contains("Broken pipe"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("error"), "{}", stderr(&o));
    for cmd in [
        format!("stats '{w}'"),
        format!("rank '{w}' --by followers"),
        format!("stats --json '{w}'"),
    ] {
        let o = bash(&format!("$CLOUT {cmd} > /dev/full"));
        assert_eq!(o.status.code(), Some(1), "{cmd}: {}", stderr(&o));
        assert!(stderr(&o).contains("No space left on device"), "{cmd}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{cmd}: {}", stderr(&o));
    }
}

#[test]
fn every_command_takes_output_and_its_alias_and_reports_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let karate = dataset("karate/karate.edges");
    let k = karate.to_str().unwrap();
    for flag in ["--output", "--out", "-o"] {
        let p = |name: &str| {
            d.join(format!("{}{name}", flag.trim_start_matches('-'))).display().to_string()
        };
        let cases: Vec<Vec<String>> = vec![
            vec!["ingest".into(), k.into(), "--undirected".into(), flag.into(), p(".clout")],
            vec!["rank".into(), k.into(), "--undirected".into(), flag.into(), p(".csv")],
            vec![
                "simulate".into(),
                k.into(),
                "--undirected".into(),
                "--seeds".into(),
                "1".into(),
                "--trials".into(),
                "10".into(),
                flag.into(),
                p(".json"),
            ],
            vec![
                "select".into(),
                k.into(),
                "--undirected".into(),
                "--k".into(),
                "2".into(),
                "--trials".into(),
                "10".into(),
                flag.into(),
                p("-sel.json"),
            ],
            vec![
                "report".into(),
                k.into(),
                "--undirected".into(),
                "--seeds".into(),
                "1".into(),
                "--trials".into(),
                "100".into(),
                flag.into(),
                p(".html"),
            ],
            vec![
                "generate".into(),
                "rmat".into(),
                "--scale".into(),
                "4".into(),
                flag.into(),
                p("-rmat.clout"),
            ],
        ];
        for args in cases {
            let o = clout().args(&args).output().unwrap();
            assert!(o.status.success(), "{args:?}: {}", stderr(&o));
            let written = args.last().unwrap();
            assert!(Path::new(written).exists(), "{args:?} wrote nothing");
            if ["ingest", "generate"].contains(&args[0].as_str()) {
                // The human summary is on stderr, as every command's.
                assert!(stdout(&o).is_empty(), "{args:?}: {}", stdout(&o));
                assert!(!stderr(&o).is_empty(), "{args:?}");
            }
        }
    }
}

#[test]
fn messages_say_each_thing_once_and_count_correctly() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing.txt");
    let o = run(&["stats", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    // The cause used to be printed twice ("...: No such file ... : No such file ...").
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    assert!(err.contains("nothing.txt: cannot open"), "{err}");
    let o = run(&["rank", dataset("karate/karate.edges").to_str().unwrap(), "-o", "/"]);
    assert_eq!(stderr(&o).matches("directory").count(), 1, "{}", stderr(&o));
    // One seed account, not "1 seed accounts".
    let k = dataset("karate/karate.edges");
    let o =
        run(&["simulate", k.to_str().unwrap(), "--undirected", "--seeds", "1", "--trials", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 seed account, 2 trials "), "{}", stdout(&o));
}

/// `-o -` is refused by every command that writes a file, naming stdout's spelling, and no file
/// called `-` appears (for an input `-` is stdin, so writing a file named `-` would reinterpret
/// what the user meant); `./-` still names such a file on purpose.
#[test]
fn a_dash_output_is_refused_rather_than_written_as_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let karate = dataset("karate/karate.edges");
    let karate = karate.to_str().unwrap();
    let cascades = dataset("synthetic-cascades");
    let cascades = cascades.to_str().unwrap();
    let commands: [&[&str]; 5] = [
        &["rank", karate, "--top", "2", "-o", "-"],
        &["simulate", karate, "--seeds", "1", "--trials", "10", "-o", "-"],
        &["ingest", karate, "-o", "-"],
        &["learn", cascades, "-o", "-"],
        &["validate", cascades, "--trials", "10", "-o", "-"],
    ];
    for args in commands {
        let o = clout().args(args).current_dir(dir.path()).output().expect("run clout");
        assert!(!o.status.success(), "{args:?} succeeded");
        assert!(stderr(&o).contains("`-` as an output file"), "{args:?}: {}", stderr(&o));
        assert!(!dir.path().join("-").exists(), "{args:?} wrote a file named -");
    }
    let o = clout()
        .args(["rank", karate, "--top", "2", "-o", "./-"])
        .current_dir(dir.path())
        .output()
        .expect("run clout");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(dir.path().join("-")).unwrap().starts_with("id,pagerank"));
}
