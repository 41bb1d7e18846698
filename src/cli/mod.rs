//! Command-line front ends over the same `ide` functions the server uses.

pub mod check;
pub mod outline;
