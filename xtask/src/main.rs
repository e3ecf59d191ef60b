//! Developer tasks, one cross-platform entry point (the rust-analyzer
//! convention):
//!
//! - `cargo xtask run [--demo]`: install what is missing, build the UI and
//!   the app, and open the window.
//! - `cargo xtask test`: every check, including the end-to-end tests in the
//!   real window under Xvfb.
//! - `cargo xtask bench`: print how long core's work takes.
//! - `cargo xtask bindings`: rewrite the TypeScript types from the Rust ones.

mod setup;
mod tasks;

use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo xtask <task>

Tasks:
  run [--demo]   Build and open Careledger. --demo opens a sample holder with a
                 year of spending, kept apart from your own data.
  test           Run every check: formatting, clippy, Rust tests, UI checks and
                 tests, and the end-to-end tests in the real window.
  bench          Print how long core takes over a large ledger.
  bindings       Regenerate the UI's TypeScript types from the Rust types.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => tasks::run_app(args[1..].iter().any(|arg| arg == "--demo")),
        Some("test") => tasks::test(),
        Some("bench") => tasks::bench(),
        Some("bindings") => tasks::bindings(),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown task {other:?}\n\n{USAGE}")),
        None => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}
