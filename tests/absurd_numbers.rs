//! Every numeric flag of every command, given absurd values (0, -1, NaN, infinities, 1e308,
//! 2^32 - 1, 2^64 - 1 and beyond), must either work or fail cleanly: exit 0, 1 or 2, never a
//! panic (101), an allocation abort (134) or a run of minutes.
//!
//! Each case runs the binary on `datasets/karate/karate.edges` with `--max-memory 256M`, so
//! the memory checks refuse the same cases on any machine. A child still running after
//! [`HANG_GUARD`] is killed and counted as a failure: this is a guard against hangs, not a
//! timing test. Every failing case is collected and reported together.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::{clout, dataset, wait_at_most};

/// How long one case may run before it counts as a hang.
const HANG_GUARD: Duration = Duration::from_secs(20);

/// The memory budget every case runs under (so refusals do not depend on the machine).
const MAX_MEMORY: &str = "256M";

/// Values tried for every numeric flag.
const ABSURD: &[&str] = &[
    "0",
    "-1",
    "-0",
    "NaN",
    "inf",
    "-inf",
    "1e308",
    "1e-300",
    "31",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999999",
];

/// A command, the arguments it always needs, and the flags to sweep. Each swept flag comes
/// with extra arguments that make it take effect (e.g. `--model icn` for `--quality`).
struct Sweep {
    base: Vec<String>,
    flags: Vec<(&'static str, Vec<String>)>,
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn sweeps(karate: &str, dir: &Path) -> Vec<Sweep> {
    let costs = dir.join("costs.txt");
    std::fs::write(&costs, "1 1\n34 2\n33 1.5\n").unwrap();
    let costs = costs.to_str().unwrap().to_string();
    let out = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let mut rank = strings(&["rank", karate]);
    rank.extend(["--out".into(), out("rank.csv")]);
    let mut report = strings(&["report", karate, "--trials", "50", "--draw", "20"]);
    report.extend(["-o".into(), out("report.html")]);
    let mut generate = strings(&["generate", "rmat"]);
    generate.extend(["-o".into(), out("g.clout")]);
    vec![
        Sweep {
            base: rank,
            flags: vec![
                ("--top", Vec::new()),
                ("--damping", Vec::new()),
                ("--tol", Vec::new()),
                ("--max-iter", Vec::new()),
                ("--max-iter", strings(&["--tol", "0"])),
                ("--epsilon", strings(&["--by", "betweenness,harmonic"])),
                ("--delta", strings(&["--by", "betweenness,harmonic", "--epsilon", "0.2"])),
                ("--samples", strings(&["--by", "betweenness"])),
                ("--ci-radius", strings(&["--by", "ci"])),
                ("--seed", strings(&["--by", "betweenness", "--samples", "5"])),
            ],
        },
        Sweep {
            base: strings(&["simulate", karate, "--seeds", "1,34"]),
            flags: vec![
                ("--trials", Vec::new()),
                ("--trials", strings(&["--precision", "0.01"])),
                ("--precision", Vec::new()),
                ("--precision", strings(&["--trials", "100000"])),
                ("--quality", strings(&["--model", "icn"])),
                ("--conversion-rate", Vec::new()),
                ("--max-steps", Vec::new()),
                ("--seed", strings(&["--trials", "100"])),
                ("--prob", Vec::new()),
            ],
        },
        Sweep {
            base: strings(&["select", karate, "--trials", "50"]),
            flags: vec![
                ("-k", Vec::new()),
                ("-k", strings(&["--method", "celf", "--celf-trials", "20"])),
                ("--quality", strings(&["--model", "icn"])),
                ("--epsilon", Vec::new()),
                ("--epsilon", strings(&["--method", "opim"])),
                ("--epsilon", strings(&["--model", "lt"])),
                ("--delta", Vec::new()),
                ("--budget", strings(&["--costs", &costs])),
                ("--trials", strings(&["-k", "2", "--method", "degree"])),
                ("--celf-trials", strings(&["-k", "2", "--method", "celf"])),
                ("--seed", strings(&["-k", "2"])),
                ("--prob", Vec::new()),
            ],
        },
        Sweep {
            base: report,
            flags: vec![
                ("--select", Vec::new()),
                ("--quality", strings(&["--seeds", "1"])),
                ("--trials", strings(&["--seeds", "1"])),
                ("--seed", strings(&["--seeds", "1"])),
                ("--epsilon", strings(&["--select", "2"])),
                ("--delta", strings(&["--select", "2"])),
                ("--budget", strings(&["--select", "2", "--costs", &costs])),
                ("--celf-trials", strings(&["--select", "2", "--method", "celf"])),
                ("--top", strings(&["--seeds", "1"])),
                ("--draw", strings(&["--seeds", "1"])),
            ],
        },
        Sweep {
            base: generate,
            flags: vec![
                ("--scale", strings(&["--edge-factor", "1"])),
                ("--edge-factor", strings(&["--scale", "4"])),
                ("--edge-factor", strings(&["--scale", "31"])),
                ("--seed", strings(&["--scale", "4"])),
                ("--a", strings(&["--scale", "4"])),
                ("--b", strings(&["--scale", "4"])),
                ("--c", strings(&["--scale", "4"])),
            ],
        },
        Sweep {
            base: strings(&["stats", karate]),
            flags: vec![("--threads", Vec::new()), ("--src", Vec::new()), ("--dst", Vec::new())],
        },
    ]
}

/// The value given to a flag. `--prob` takes a spec: the number goes into `uniform:P`.
fn flag_value(flag: &str, value: &str) -> String {
    match flag {
        "--prob" => format!("uniform:{value}"),
        _ => value.to_string(),
    }
}

/// One command line of the sweep, and what happened.
struct Outcome {
    args: Vec<String>,
    problem: Option<String>,
}

fn run_case(args: Vec<String>, stderr_path: &Path) -> Outcome {
    let stderr_file = std::fs::File::create(stderr_path).unwrap();
    let mut child = clout()
        .args(&args)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr_file)
        .spawn()
        .expect("the clout binary runs");
    let status = wait_at_most(&mut child, HANG_GUARD);
    let stderr = std::fs::read_to_string(stderr_path).unwrap_or_default();
    let problem = match status {
        None => Some(format!("still running after {HANG_GUARD:?}")),
        Some(s) if !matches!(s.code(), Some(0..=2)) => Some(format!("exit {s}: {stderr}")),
        Some(_) if stderr.contains("panicked") || stderr.contains("memory allocation") => {
            Some(format!("stderr: {stderr}"))
        }
        // The sweep is only worth something if every flag it names exists.
        Some(_) if stderr.contains("unexpected argument") => {
            Some(format!("a flag of the case does not exist: {stderr}"))
        }
        Some(s) if s.code() != Some(0) && !stderr.contains("error") => {
            Some(format!("exit {s} without an error message: {stderr}"))
        }
        Some(_) => None,
    };
    Outcome { args, problem }
}

/// Every case of every sweep, plus absurd `--max-memory` values themselves.
fn all_cases(dir: &Path) -> Vec<Vec<String>> {
    let karate = dataset("karate/karate.edges");
    let karate = karate.to_str().unwrap();
    let mut cases = Vec::new();
    for sweep in sweeps(karate, dir) {
        for (flag, extra) in &sweep.flags {
            for value in ABSURD {
                let mut args = sweep.base.clone();
                args.extend(extra.iter().cloned());
                args.push(format!("{flag}={}", flag_value(flag, value)));
                args.extend(["--max-memory".to_string(), MAX_MEMORY.to_string()]);
                cases.push(args);
            }
        }
    }
    for value in ABSURD.iter().chain(&["0B", "1K", "12XB", "1.5G", "-5M", "16E", "17E", "1e30T"]) {
        cases.push(vec![
            "simulate".into(),
            karate.into(),
            "--seeds".into(),
            "1".into(),
            "--trials".into(),
            "100".into(),
            format!("--max-memory={value}"),
        ]);
    }
    cases
}

#[test]
fn absurd_numbers_never_abort_panic_or_hang() {
    let dir = tempfile::tempdir().unwrap();
    let cases = all_cases(dir.path());
    // Two workers: the machine is shared and most cases take milliseconds.
    let workers = 2;
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let mine: Vec<Vec<String>> =
                    cases.iter().skip(w).step_by(workers).cloned().collect();
                let stderr_path = dir.path().join(format!("stderr-{w}.txt"));
                scope.spawn(move || {
                    mine.into_iter().map(|args| run_case(args, &stderr_path)).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let failures: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.problem.as_ref().map(|p| format!("clout {}\n    {p}", o.args.join(" "))))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        outcomes.len(),
        failures.join("\n")
    );
}
