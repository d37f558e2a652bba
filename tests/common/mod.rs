//! Helpers shared by the end-to-end tests: running the `clout` binary (directly or under bash),
//! reading what it printed, finding files in the repository and the datasets shipped in
//! `datasets/`, and writing small inputs.
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output};
use std::time::{Duration, Instant};

/// The `clout` binary built for this test run.
pub fn clout() -> Command {
    Command::new(env!("CARGO_BIN_EXE_clout"))
}

/// A path relative to the repository root.
pub fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A file shipped in `datasets/` (they are part of the repository: a missing one is a failure).
pub fn dataset(rel: &str) -> PathBuf {
    let path = root("datasets").join(rel);
    assert!(path.exists(), "{} is shipped in datasets/ and must exist", path.display());
    path
}

/// [`dataset`] as a command-line argument.
pub fn dataset_arg(rel: &str) -> String {
    dataset(rel).to_str().expect("the repository path is UTF-8").to_string()
}

/// The shipped karate club edge list, as a command-line argument.
pub fn karate() -> String {
    dataset_arg("karate/karate.edges")
}

/// Writes `content` to `dir/name` and returns the path as a command-line argument.
pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_str().expect("temporary paths are UTF-8").to_string()
}

/// Runs `clout ARGS` to completion.
pub fn run(args: &[&str]) -> Output {
    clout().args(args).output().expect("the clout binary runs")
}

/// Runs `clout ARGS` and asserts that it succeeded.
pub fn ok(args: &[&str]) -> Output {
    let o = run(args);
    assert!(o.status.success(), "clout {args:?} failed: {}", stderr(&o));
    o
}

/// Asserts that a run succeeded and parses its standard output as JSON.
pub fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "clout failed: {}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

/// Runs a bash script with `$CLOUT` set to the binary.
pub fn bash(script: &str) -> Output {
    Command::new("bash")
        .arg("-c")
        .arg(script)
        .env("CLOUT", env!("CARGO_BIN_EXE_clout"))
        .output()
        .expect("bash runs")
}

/// Standard output, lossily decoded.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error, lossily decoded.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Waits for `child` at most `limit`; after that kills it and returns `None`. A guard against
/// hangs, not a timing test.
pub fn wait_at_most(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for the child process") {
            return Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
