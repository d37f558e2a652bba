//! End-to-end tests of clout across processes (the `distributed` feature) on 127.0.0.1:
//! PageRank through `clout cluster` at 2 and 3 processes equals one machine's power method
//! byte for byte; simulate and select (OPIM-C, IMM) report one process's estimates and seeds at 2 and
//! 3 processes; processes that run different commands or inputs refuse to start; a
//! process that never connects, or that is killed mid-run, makes the others fail with a
//! clear message within a bounded time.
#![cfg(feature = "distributed")]

mod common;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use common::{clout, dataset_arg, ok, run, stderr, stdout, wait_at_most};

/// A host file of `n` free loopback ports in `dir`.
fn hostfile(dir: &Path, n: usize) -> String {
    let listeners: Vec<_> =
        (0..n).map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap()).collect();
    let lines: String =
        listeners.iter().map(|l| format!("{}\n", l.local_addr().unwrap())).collect();
    common::write(dir, "hosts.txt", lines)
}

/// Starts process `i` of `n` running `clout ARGS` with the cluster flags.
fn member(args: &[&str], n: usize, i: usize, hosts: &str) -> Child {
    clout()
        .args(args)
        .args(["--processes", &n.to_string(), "--process", &i.to_string(), "--hostfile", hosts])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for a member (bounded) and returns its exit status and stderr.
fn finish(mut child: Child, limit: Duration) -> (Option<std::process::ExitStatus>, String) {
    let status = wait_at_most(&mut child, limit);
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut err);
    }
    (status, err)
}

/// The single-machine table of `clout rank ARGS --pagerank-method power`, and the tables of
/// the same command through `clout cluster -n 2` and `-n 3`, must be the same bytes.
fn assert_pagerank_identical(args: &[&str]) {
    let mut single = vec!["rank"];
    single.extend_from_slice(args);
    single.extend(["--pagerank-method", "power"]);
    let expected = stdout(&ok(&single));
    assert!(expected.lines().count() > 30, "a real table: {expected}");
    for n in ["2", "3"] {
        let mut cluster = vec!["cluster", "-n", n, "--"];
        cluster.extend_from_slice(&single);
        let got = ok(&cluster);
        assert_eq!(stdout(&got), expected, "{n} processes, {args:?}");
        let log = stderr(&got);
        assert!(log.contains(&format!("power across {n} processes")), "{log}");
    }
}

#[test]
fn pagerank_on_wiki_vote_equals_one_machine() {
    let wiki = dataset_arg("wiki-vote/Wiki-Vote.txt");
    assert_pagerank_identical(&[&wiki]);
    assert_pagerank_identical(&[&wiki, "--tol", "1e-12", "--damping", "0.7"]);
}

#[test]
fn pagerank_on_facebook_and_karate_equals_one_machine() {
    let facebook = dataset_arg("ego-facebook/facebook_combined.txt");
    assert_pagerank_identical(&[&facebook, "--undirected", "--tol", "1e-10"]);
    // 34 nodes: every process but the first owns no rows, and still takes part.
    assert_pagerank_identical(&[&common::karate(), "--undirected", "--tol", "1e-12"]);
}

#[test]
fn pagerank_from_a_snapshot_equals_one_machine() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("wiki.clout");
    let snap = snap.to_str().unwrap();
    ok(&["ingest", &dataset_arg("wiki-vote/Wiki-Vote.txt"), "-o", snap]);
    assert_pagerank_identical(&[snap, "--tol", "1e-11"]);
    // Undirected (one adjacency serves both directions), through the row open too.
    let karate = dir.path().join("karate.clout");
    let karate = karate.to_str().unwrap();
    ok(&["ingest", &common::karate(), "--undirected", "-o", karate]);
    assert_pagerank_identical(&[karate, "--tol", "1e-12"]);
}

/// A pipe cannot be read by every process (nor twice by one): stdin and a FIFO are refused at
/// once, with the reason, instead of hanging on the FIFO's second open.
#[test]
fn stdin_and_fifo_inputs_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("edges.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo failed");
    for input in ["-", fifo.to_str().unwrap()] {
        for command in ["rank", "simulate"] {
            let child = clout()
                .args([command, input, "--processes", "1", "--process", "0"])
                .args(if command == "simulate" { &["--seeds", "1"][..] } else { &[][..] })
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let (status, err) = finish(child, Duration::from_secs(20));
            assert!(status.is_some(), "{command} {input}: still running after 20 s");
            assert_eq!(status.and_then(|s| s.code()), Some(1), "{command} {input}: {err}");
            assert!(err.contains("must be a regular file"), "{command} {input}: {err}");
        }
    }
}

/// Each process opens only its rows of a snapshot, but the whole file's checksum is still
/// verified: one flipped bit in the last section stops every process before any work.
#[test]
fn a_damaged_snapshot_is_refused_by_every_process() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("wiki.clout");
    ok(&["ingest", &dataset_arg("wiki-vote/Wiki-Vote.txt"), "-o", snap.to_str().unwrap()]);
    let mut bytes = std::fs::read(&snap).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x10;
    std::fs::write(&snap, &bytes).unwrap();
    let o = run(&["cluster", "-n", "2", "--", "rank", snap.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("process 0 failed") && err.contains("process 1 failed"), "{err}");
    assert!(err.contains("checksum"), "{err}");
}

/// The distributed run is the power method; the default `auto` method may differ in the last
/// bits (it switches to Gauss–Seidel on wiki-vote at this tolerance), which is why the
/// comparison above is with `--pagerank-method power`. A note says so.
#[test]
fn auto_method_runs_as_power_with_a_note() {
    let wiki = dataset_arg("wiki-vote/Wiki-Vote.txt");
    let power = stdout(&ok(&["rank", &wiki, "--tol", "1e-11", "--pagerank-method", "power"]));
    let got = ok(&["cluster", "-n", "2", "--", "rank", &wiki, "--tol", "1e-11"]);
    assert_eq!(stdout(&got), power);
    assert!(stderr(&got).contains("uses the power method"), "{}", stderr(&got));
}

#[test]
fn different_command_lines_refuse_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let hosts = hostfile(dir.path(), 2);
    let wiki = dataset_arg("wiki-vote/Wiki-Vote.txt");
    let a = member(&["rank", &wiki], 2, 0, &hosts);
    let b = member(&["rank", &wiki, "--tol", "1e-9"], 2, 1, &hosts);
    for child in [a, b] {
        let (status, err) = finish(child, Duration::from_secs(60));
        assert_eq!(status.and_then(|s| s.code()), Some(1), "{err}");
        assert!(err.contains("runs something else"), "{err}");
        assert!(err.contains("--tol 1e-9"), "the message shows the difference: {err}");
    }
}

/// Same command line, different file contents under the same name (two working directories):
/// the input fingerprint differs.
#[test]
fn different_inputs_refuse_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let hosts = hostfile(dir.path(), 2);
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    std::fs::create_dir_all(&one).unwrap();
    std::fs::create_dir_all(&two).unwrap();
    std::fs::write(one.join("g.txt"), "1 2\n2 3\n3 1\n").unwrap();
    std::fs::write(two.join("g.txt"), "1 2\n2 3\n3 2\n").unwrap();
    let spawn = |cwd: &Path, i: usize| {
        clout()
            .current_dir(cwd)
            .args(["rank", "g.txt", "--processes", "2", "--process", &i.to_string()])
            .args(["--hostfile", &hosts])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(&one, 0), spawn(&two, 1));
    for child in [a, b] {
        let (status, err) = finish(child, Duration::from_secs(60));
        assert_eq!(status.and_then(|s| s.code()), Some(1), "{err}");
        assert!(err.contains("runs something else") && err.contains("xxh3"), "{err}");
    }
}

#[test]
fn a_peer_that_never_connects_is_an_error_after_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let hosts = hostfile(dir.path(), 2);
    let wiki = dataset_arg("wiki-vote/Wiki-Vote.txt");
    let alone = member(&["rank", &wiki, "--connect-timeout", "1"], 2, 1, &hosts);
    let (status, err) = finish(alone, Duration::from_secs(30));
    assert_eq!(status.and_then(|s| s.code()), Some(1), "{err}");
    assert!(err.contains("processes [0] did not connect within 1 s"), "{err}");
}

/// Three processes on a run that would last for hours; process 1 is killed after they have
/// started iterating; the other two must exit with an error naming the lost connection,
/// well within the bound (they notice the closed connection at once).
#[test]
fn killing_one_process_stops_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let hosts = hostfile(dir.path(), 3);
    let wiki = dataset_arg("wiki-vote/Wiki-Vote.txt");
    let args = ["rank", wiki.as_str(), "--tol", "0", "--max-iter", "1000000000"];
    let mut members: Vec<Child> = (0..3).map(|i| member(&args, 3, i, &hosts)).collect();
    std::thread::sleep(Duration::from_secs(2));
    for (i, m) in members.iter_mut().enumerate() {
        assert!(m.try_wait().unwrap().is_none(), "process {i} is still running before the kill");
    }
    let mut victim = members.remove(1);
    victim.kill().unwrap();
    victim.wait().unwrap();
    for (i, m) in members.into_iter().enumerate() {
        let (status, err) = finish(m, Duration::from_secs(20));
        let status = status.unwrap_or_else(|| panic!("survivor {i} did not stop: {err}"));
        assert_eq!(status.code(), Some(1), "{err}");
        assert!(err.contains("lost the connection to a peer process"), "{err}");
    }
}

#[test]
fn the_launcher_fails_when_its_processes_fail() {
    let o = run(&["cluster", "-n", "2", "--", "rank", "/nonexistent/graph.txt"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("process 0 failed") && err.contains("process 1 failed"), "{err}");
    let karate = common::karate();
    let o = run(&["cluster", "-n", "2", "--", "stats", &karate, "--undirected"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("does not run across processes"), "{}", stderr(&o));
}

/// `clout simulate ARGS --json` with the timing fields removed (they differ between any two
/// runs), plus the `--curve` file.
fn simulation_outputs(prefix: &[&str], args: &[&str], dir: &Path, name: &str) -> (String, String) {
    let curve = dir.join(name);
    let curve = curve.to_str().unwrap();
    let mut all: Vec<&str> = prefix.to_vec();
    all.push("simulate");
    all.extend_from_slice(args);
    all.extend(["--json", "--curve", curve]);
    let o = ok(&all);
    let mut report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let fields = report.as_object_mut().unwrap();
    for timing in ["seconds", "load_seconds", "edges_examined_per_second"] {
        assert!(fields.remove(timing).is_some(), "the report has {timing}");
    }
    (report.to_string(), std::fs::read_to_string(curve).unwrap())
}

/// IC and IC-N on wiki-vote: every estimate (means, intervals, per-round curves, backfire
/// probabilities) at 2 and 3 processes equals one process's, with the same seed.
#[test]
fn simulate_equals_one_machine() {
    let dir = tempfile::tempdir().unwrap();
    let wiki = dataset_arg("wiki-vote/Wiki-Vote.txt");
    let ic = ["--seeds", "4037,15,2625", "--trials", "3001", "--seed", "7"];
    let icn = [
        "--seeds",
        "4037,15",
        "--model",
        "icn",
        "--quality",
        "0.6,0.9",
        "--trials",
        "2500",
        "--prob",
        "uniform:0.05",
    ];
    for args in [&ic[..], &icn[..]] {
        let mut with_graph = vec![wiki.as_str()];
        with_graph.extend_from_slice(args);
        let single = simulation_outputs(&[], &with_graph, dir.path(), "one.csv");
        assert!(single.0.contains("\"trials\":"), "{}", single.0);
        for n in ["2", "3"] {
            let cluster =
                simulation_outputs(&["cluster", "-n", n, "--"], &with_graph, dir.path(), "n.csv");
            assert_eq!(cluster.0, single.0, "{n} processes, {args:?}");
            assert_eq!(cluster.1, single.1, "curve, {n} processes, {args:?}");
        }
    }
    // A different seed gives other estimates: the comparison above can fail.
    let mut other = vec![wiki.as_str()];
    other.extend_from_slice(&ic[..4]);
    other.extend(["--seed", "8"]);
    let mut same = vec![wiki.as_str()];
    same.extend_from_slice(&ic);
    assert_ne!(
        simulation_outputs(&[], &other, dir.path(), "a.csv").0,
        simulation_outputs(&[], &same, dir.path(), "b.csv").0
    );
}

#[test]
fn simulate_across_processes_refuses_a_precision_target() {
    let karate = common::karate();
    let o = run(&[
        "cluster",
        "-n",
        "2",
        "--",
        "simulate",
        &karate,
        "--undirected",
        "--seeds",
        "1",
        "--precision",
        "0.05",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not --precision"), "{}", stderr(&o));
}

/// `clout [PREFIX] select ARGS --method imm --json`, parsed, with what differs between any two
/// runs (timings) or between one process and several by nature (the peak RR memory, a sum of
/// the processes' peaks across processes) removed and returned beside it.
fn selection_report(prefix: &[&str], args: &[&str]) -> (serde_json::Value, u64) {
    method_report("imm", prefix, args)
}

/// [`selection_report`] with `--method METHOD`.
fn method_report(method: &str, prefix: &[&str], args: &[&str]) -> (serde_json::Value, u64) {
    let mut all: Vec<&str> = prefix.to_vec();
    all.extend(["select", "--method", method, "--json"]);
    all.extend_from_slice(args);
    let o = ok(&all);
    let mut report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let fields = report.as_object_mut().unwrap();
    for timing in ["seconds", "evaluation_seconds"] {
        assert!(fields.remove(timing).is_some(), "the report has {timing}");
    }
    let sampling = report["selection"]["sampling"].as_object_mut().unwrap();
    let peak = sampling.remove("peak_bytes").and_then(|p| p.as_u64()).unwrap();
    (report, peak)
}

/// IMM under IC and LT on wiki-vote: the chosen seeds in order, their gains, the estimate,
/// the guarantee statement, the sampling statistics and the Monte Carlo re-estimates of every
/// prefix at 2 and 3 processes equal one process's, with the same seed.
#[test]
fn select_imm_equals_one_machine() {
    let wiki = dataset_arg("wiki-vote/Wiki-Vote.txt");
    let ic = [wiki.as_str(), "-k", "20", "--seed", "7", "--trials", "300", "--precision", "0"];
    let lt = [wiki.as_str(), "-k", "8", "--model", "lt", "--epsilon", "0.2", "--trials", "200"];
    for (args, counts) in [(&ic[..], &["2", "3"][..]), (&lt[..], &["2"][..])] {
        let (single, peak) = selection_report(&[], args);
        let seeds = single["seeds"].as_array().unwrap();
        assert_eq!(seeds.len(), if args.contains(&"lt") { 8 } else { 20 }, "{single}");
        assert!(single["rows"][0]["evaluated"].is_object(), "prefixes re-estimated: {single}");
        assert!(single["selection"]["sampling"]["selection_sets"].as_u64().unwrap() > 1000);
        for n in counts {
            let (cluster, cluster_peak) = selection_report(&["cluster", "-n", n, "--"], args);
            assert_eq!(cluster, single, "{n} processes, {args:?}");
            // Each process holds about 1/n of the sets; together about one machine's.
            assert!(cluster_peak > peak / 2 && cluster_peak < peak * 2, "{cluster_peak} {peak}");
        }
    }
    // Karate, 30 of 34 accounts: the late picks have equal gains, so the order is the
    // tie-break's (direct reach, then the smaller id), which the processes must apply alike.
    let karate = common::karate();
    let small = [karate.as_str(), "--undirected", "-k", "30", "--trials", "0"];
    let (single, _) = selection_report(&[], &small);
    let gains = single["selection"]["gains"].as_array().unwrap();
    assert!(gains.windows(2).any(|w| w[0] == w[1]), "equal gains occur: {single}");
    for n in ["2", "3"] {
        let (cluster, _) = selection_report(&["cluster", "-n", n, "--"], &small);
        assert_eq!(cluster, single, "{n} processes, karate");
    }
    // A different seed chooses differently (other gains at least): the comparison can fail.
    let mut other = ic.to_vec();
    other[4] = "8";
    let (a, _) = selection_report(&[], &other);
    let (b, _) = selection_report(&["cluster", "-n", "2", "--"], &ic);
    assert_ne!(a["selection"], b["selection"]);
}

/// OPIM-C (the default method) under IC and LT on wiki-vote: the seeds, gains, estimate, the
/// a-posteriori bounds and ratio, the stopping round, the sample sizes and the re-estimates
/// at 2 and 3 processes equal one process's, with the same seed.
#[test]
fn select_opim_equals_one_machine() {
    let wiki = dataset_arg("wiki-vote/Wiki-Vote.txt");
    let ic = [wiki.as_str(), "-k", "20", "--seed", "7", "--trials", "300", "--precision", "0"];
    let lt = [wiki.as_str(), "-k", "8", "--model", "lt", "--epsilon", "0.2", "--trials", "100"];
    for (args, counts) in [(&ic[..], &["2", "3"][..]), (&lt[..], &["2"][..])] {
        let (single, _) = method_report("opim", &[], args);
        let selection = &single["selection"];
        assert_eq!(selection["method"], "opim", "{single}");
        let posterior = &selection["guarantee"]["a_posteriori"];
        assert!(posterior["ratio"].as_f64().unwrap() > 0.0, "{single}");
        assert!(selection["sampling"]["validation_sets"].as_u64().unwrap() > 100, "{single}");
        for n in counts {
            let (cluster, _) = method_report("opim", &["cluster", "-n", n, "--"], args);
            assert_eq!(cluster, single, "{n} processes, {args:?}");
        }
    }
    // Karate, 30 of 34 accounts: ties in the greedy and in the bound's top gains.
    let karate = common::karate();
    let small = [karate.as_str(), "--undirected", "-k", "30", "--trials", "0"];
    let (single, _) = method_report("opim", &[], &small);
    for n in ["2", "3"] {
        let (cluster, _) = method_report("opim", &["cluster", "-n", n, "--"], &small);
        assert_eq!(cluster, single, "{n} processes, karate");
    }
    // Another seed gives other numbers: the comparison can fail.
    let mut other = ic.to_vec();
    other[4] = "8";
    let (a, _) = method_report("opim", &[], &other);
    let (b, _) = method_report("opim", &["cluster", "-n", "2", "--"], &ic);
    assert_ne!(a["selection"], b["selection"]);
}

/// From a snapshot, with a candidate list: still one machine's choice.
#[test]
fn select_imm_from_a_snapshot_with_candidates_equals_one_machine() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("wiki.clout");
    let snap = snap.to_str().unwrap();
    ok(&["ingest", &dataset_arg("wiki-vote/Wiki-Vote.txt"), "-o", snap]);
    // Every third account that votes (first column), in file order.
    let edges = std::fs::read_to_string(dataset_arg("wiki-vote/Wiki-Vote.txt")).unwrap();
    let mut voters: Vec<&str> = edges
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    voters.dedup();
    let ids: String = voters.iter().step_by(3).map(|v| format!("{v}\n")).collect();
    let candidates = common::write(dir.path(), "candidates.txt", ids);
    let args = [snap, "-k", "12", "--candidates", candidates.as_str(), "--trials", "100"];
    let (single, _) = selection_report(&[], &args);
    let (cluster, _) = selection_report(&["cluster", "-n", "3", "--"], &args);
    assert_eq!(cluster, single);
}

#[test]
fn select_across_processes_refuses_what_it_cannot_reproduce() {
    let wiki = dataset_arg("wiki-vote/Wiki-Vote.txt");
    let cluster = ["cluster", "-n", "2", "--", "select", wiki.as_str()];
    for (extra, says) in [
        (&["--method", "imm", "--model", "icn", "--quality", "0.5"][..], "IC and LT only"),
        (&["--method", "opim", "--model", "icn", "--quality", "0.5"][..], "IC and LT only"),
        (&["--method", "celf"][..], "--method opim (the default) and imm only"),
    ] {
        let mut all = cluster.to_vec();
        all.extend_from_slice(extra);
        let o = run(&all);
        assert_eq!(o.status.code(), Some(1), "{extra:?}");
        assert!(stderr(&o).contains(says), "{extra:?}: {}", stderr(&o));
    }
    let dir = tempfile::tempdir().unwrap();
    let costs = common::write(dir.path(), "costs.txt", "3 1\n4 2\n5 1\n");
    let mut all = cluster.to_vec();
    all.extend(["--method", "imm", "--budget", "2", "--costs", costs.as_str()]);
    let o = run(&all);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("by number, not by budget"), "{}", stderr(&o));
}
