//! Developer tasks, one cross-platform entry point (the rust-analyzer
//! convention):
//!
//! - `cargo xtask run [--demo]`: install what is missing, build the UI and
//!   the app, and open the window.
//! - `cargo xtask test`: every check, including the end-to-end tests in the
//!   real window under Xvfb.
//! - `cargo xtask bench`: print how long core's work takes.
//! - `cargo xtask fuzz [--cases N]`: the property tests with many more cases.
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
  fuzz [--cases N]
                 Run core's property tests (parsers, the statement CSV, opening
                 damaged files) with N cases each instead of 256 (default
                 20000), and print how many inputs each tried.
  bindings       Regenerate the UI's TypeScript types from the Rust types.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => tasks::run_app(args[1..].iter().any(|arg| arg == "--demo")),
        Some("test") => tasks::test(),
        Some("bench") => tasks::bench(),
        Some("fuzz") => fuzz_cases(&args[1..]).and_then(fuzz),
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

/// How many cases `cargo xtask fuzz` runs per property when not told.
const DEFAULT_FUZZ_CASES: u32 = 20_000;

/// Reads `[--cases N]`.
fn fuzz_cases(args: &[String]) -> Result<u32, String> {
    match args {
        [] => Ok(DEFAULT_FUZZ_CASES),
        [flag, count] if flag == "--cases" => count
            .parse()
            .ok()
            .filter(|&cases| cases > 0)
            .ok_or_else(|| format!("--cases takes a whole number above 0, not {count:?}")),
        _ => Err(format!("fuzz takes only [--cases N]\n\n{USAGE}")),
    }
}

/// `cargo xtask fuzz`: core's property tests, `cases` inputs per property
/// (proptest reads `PROPTEST_CASES`; the slowest properties run a share of
/// it). Each test prints how many inputs it tried.
fn fuzz(cases: u32) -> setup::TaskResult {
    setup::run(
        &format!("property tests, {cases} cases each"),
        setup::cargo()
            .args([
                "test",
                "--package",
                "careledger-core",
                "--test",
                "properties",
                "--",
                "--nocapture",
            ])
            .env("PROPTEST_CASES", cases.to_string()),
    )
}
