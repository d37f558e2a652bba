//! Helpers shared by the end-to-end tests: running the `clout` binary (directly or under bash)
//! and finding the datasets shipped in `datasets/`.
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `clout` binary built for this test run.
pub fn clout() -> Command {
    Command::new(env!("CARGO_BIN_EXE_clout"))
}

/// A file shipped in `datasets/` (they are part of the repository: a missing one is a failure).
pub fn dataset(rel: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets").join(rel);
    assert!(path.exists(), "{} is shipped in datasets/ and must exist", path.display());
    path
}

/// Runs `clout ARGS` to completion.
pub fn run(args: &[&str]) -> Output {
    clout().args(args).output().expect("the clout binary runs")
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
