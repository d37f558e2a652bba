//! End-to-end tests of the clout binary.
