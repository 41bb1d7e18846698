//! capture-lsp: a language server and checker for capture files (archived web articles).
//!
//! Layers, from the bottom: [`text`] (ranges, line index), [`syntax`] (pure parsing),
//! [`ide`] (pure features), [`lsp`] (the protocol), [`cli`] (command-line front ends).

pub mod cli;
pub mod ide;
pub mod lsp;
pub mod syntax;
pub mod text;
