//! Shared invariants for the fuzz targets (also included by `tests/fuzz_regressions.rs`).

#[path = "invariants.rs"]
pub mod invariants;
