//! End-to-end tests of the `clout` binary on hostile text input: CR line endings, quoted CSV,
//! header rows and number-like ids that would silently change how ids are read, control
//! characters echoed in messages, and weights that overflow or that later kernels refuse,
//! which must be reported with the accounts' original ids.

mod common;

use std::path::Path;
use std::process::Output;

use common::{clout, stderr, stdout};

/// Runs `clout ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Output {
    clout().current_dir(dir).args(args).output().expect("the clout binary runs")
}

/// Runs `clout` on a file holding `text` (named `name`) and returns the output.
fn run_on(name: &str, text: &[u8], args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let mut all: Vec<&str> = args.to_vec();
    all.push(name);
    run(dir.path(), &all)
}

/// Asserts exit code 1 (a clean error) and that stderr holds every fragment.
fn assert_fails(o: &Output, fragments: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "exit code; stderr: {err}");
    assert!(o.stdout.is_empty(), "nothing on stdout: {}", stdout(o));
    for f in fragments {
        assert!(err.contains(f), "missing {f:?} in: {err}");
    }
}

fn stats_nodes(o: &Output) -> u64 {
    assert!(o.status.success(), "{}", stderr(o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    json["nodes"].as_u64().unwrap()
}

#[test]
fn cr_only_line_endings_fail_naming_the_file_and_line() {
    let o = run_on("in.txt", b"1 2\r2 3\r3 4\r", &["stats"]);
    assert_fails(&o, &["in.txt:1: ", "CR line endings"]);
    let o = run_on("in.txt", b"1 2\n2 3\r3 4\n", &["stats", "--skip-bad-lines"]);
    assert_fails(&o, &["in.txt:2: ", "CR line endings"]);
}

#[test]
fn quoted_csv_with_a_quoted_header_reads_every_edge() {
    let text = b"\"src\",\"dst\"\n\"Doe, Jane\",\"@bob\"\n\"@bob\",\"say \"\"hi\"\"\"\n";
    let o = run_on("in.csv", text, &["stats", "--json", "--header", "--src", "src"]);
    assert_eq!(stats_nodes(&o), 3);
}

#[test]
fn a_header_row_without_header_fails_with_a_hint() {
    let o = run_on("in.txt", b"source target\n1 2\n2 3\n", &["stats"]);
    assert_fails(&o, &["in.txt:1: ", "header row", "--header", "--ids string"]);
    // With the flag, it is read.
    let o = run_on("in.txt", b"source target\n1 2\n2 3\n", &["stats", "--json", "--header"]);
    assert_eq!(stats_nodes(&o), 3);
}

#[test]
fn a_stray_negative_or_decimal_id_fails_instead_of_making_every_id_a_string() {
    let o = run_on("in.txt", b"1 2\n2 3\n-1 3\n", &["stats"]);
    assert_fails(&o, &["in.txt:3: ", "`-1`", "--ids string"]);
    let o = run_on("in.txt", b"1 2\n2 3.0\n", &["stats"]);
    assert_fails(&o, &["in.txt:2: ", "`3.0`"]);
}

#[test]
fn a_late_switch_to_string_ids_is_reported_with_its_line_and_count() {
    // Past the first 16 MiB block, so the integer ids were already detected.
    let mut text = Vec::with_capacity(18 << 20);
    let mut i = 0u64;
    while text.len() < (17 << 20) {
        text.extend_from_slice(format!("{} {}\n", i % 1000, (i + 1) % 1000).as_bytes());
        i += 1;
    }
    text.extend_from_slice(b"@late 3\n");
    let o = run_on("big.txt", &text, &["stats", "--json"]);
    assert_eq!(stats_nodes(&o), 1001);
    let err = stderr(&o);
    let line = format!("big.txt:{}: id `@late` in column 1 is not an integer", i + 1);
    assert!(err.contains(&line), "{err}");
    assert!(err.contains("1000 of the 1001 ids"), "{err}");
}

#[test]
fn control_characters_in_input_are_escaped_on_stderr() {
    let o = run_on("in.txt", b"1 2\n3 \x1b]0;owned\x07\n", &["stats", "--ids", "integer"]);
    assert_fails(&o, &["in.txt:2: ", "\\u{1b}]0;owned\\u{7}"]);
    assert!(!o.stderr.contains(&0x1b) && !o.stderr.contains(&0x07), "{}", stderr(&o));
    let o = run_on("in.csv", b"a\x1b[2J,b\n1,2\n", &["stats", "--header", "--src", "x"]);
    assert_fails(&o, &["a\\u{1b}[2J"]);
    assert!(!o.stderr.contains(&0x1b), "{}", stderr(&o));
}

#[test]
fn a_duplicate_weight_sum_that_overflows_fails_with_the_ids() {
    let o = run_on("w.txt", b"1 2 1e308\n5 6 1\n1 2 1e308\n", &["stats", "--weight", "3"]);
    assert_fails(&o, &["w.txt:3: ", "first at w.txt:1", "`1 2`", "infinite"]);
}

#[test]
fn kernels_refusing_a_weight_name_the_original_ids() {
    let text = b"@alice @bob 2\n@bob @carol -1\n@carol @alice 1\n";
    // `A B` means A follows B: the influence arc of line 2 is @carol -> @bob.
    let o = run_on("w.txt", text, &["rank", "--by", "pagerank", "--weighted", "--weight", "3"]);
    assert_fails(&o, &["`@carol` -> `@bob`", "weight -1"]);
    let o = run_on(
        "w.txt",
        text,
        &["rank", "--by", "betweenness", "--bc-weights", "distance", "--weight", "3"],
    );
    assert_fails(&o, &["`@carol` -> `@bob`"]);
    let o = run_on(
        "w.txt",
        text,
        &["simulate", "--seeds", "@alice", "--prob", "weight", "--weight", "3"],
    );
    assert_fails(&o, &["`@bob` -> `@alice`", "not a probability"]);
}
