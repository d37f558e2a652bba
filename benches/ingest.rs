//! Ingest benchmarks.
fn main() {}
