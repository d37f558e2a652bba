//! Memory-bandwidth probe (being written).
fn main() {}
