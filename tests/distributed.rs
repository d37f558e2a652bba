#![cfg(feature = "distributed")]
