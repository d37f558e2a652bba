//! The `clout` command line.
fn main() {}
