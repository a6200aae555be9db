//! The integration tests, one crate: each module runs the real binary (or the library) on the
//! bundled example or on a scratch site, and reads back what a user would read.

mod support;

mod architecture;
mod browser;
mod build;
mod cli;
mod cot;
mod departements;
mod diagnostics;
mod hostile;
mod import;
mod ingenierie;
mod navigation;
mod neutre;
mod themes;
