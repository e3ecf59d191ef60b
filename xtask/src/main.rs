//! Developer tasks, one cross-platform entry point (the rust-analyzer
//! convention):
//!
//! - `cargo xtask run [--demo] [--data-dir DIR]`: install what is missing,
//!   build the UI and the app, and open the window.
//! - `cargo xtask test`: every check, including the end-to-end tests in the
//!   real window under Xvfb.
//! - `cargo xtask bench`: print how long core's work takes, as one table.
//! - `cargo xtask generate <small|large|worst>`: make a data folder of
//!   realistic made-up data.
//! - `cargo xtask fuzz [--cases N]`: the property tests with many more cases.
//! - `cargo xtask bindings`: rewrite the TypeScript types from the Rust ones.
//! - `cargo xtask package`: the installers for this system, from a release
//!   build (on Linux a .deb and an .rpm).
//! - `cargo xtask install-test`: install the .deb as a person would, open
//!   the installed app, remove it, and check the data is kept (Linux, root).

mod package;
mod setup;
mod tasks;

use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo xtask <task>

Tasks:
  run [--demo] [--data-dir DIR]
                 Build and open Careledger. --demo opens a sample holder with a
                 year of spending, kept apart from your own data; --data-dir
                 opens the data in DIR (a folder made by generate, say).
  test           Run every check: formatting, clippy, Rust tests, UI checks and
                 tests, and the end-to-end tests in the real window.
  bench          Print how long core takes on the generated data, as one
                 table, beside hledger on the same payments.
  generate <small|large|worst> [--out DIR] [--today YYYY-MM-DD] [--seed N]
           [--journal FILE]
                 Make a data folder the app opens with --data-dir: small is
                 one holder for a year; large 10 holders over 10 years
                 (100,000 payments, 3,000 receipts); worst one plan year with
                 100,000 payments. DIR defaults to target/generated/<size>;
                 --journal also writes the ledger for hledger.
  fuzz [--cases N]
                 Run core's property tests (parsers, the statement CSV, opening
                 damaged files) with N cases each instead of 256 (default
                 20000), and print how many inputs each tried.
  bindings       Regenerate the UI's TypeScript types from the Rust types.
  package        Build the installers for this system from a release build:
                 a .deb and an .rpm on Linux, an .msi on Windows, a .dmg on
                 macOS (in target/release/bundle/), and print their sizes.
  install-test   Linux, as root: install the .deb that package built, check
                 the command line and the menu entry, open the installed app
                 on data from Careledger's first release, then remove the
                 package and check the data is still there.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run_options(&args[1..]).and_then(|(demo, dir)| tasks::run_app(demo, dir)),
        Some("generate") => tasks::generate(&args[1..]),
        Some("test") => tasks::test(),
        Some("bench") => tasks::bench(),
        Some("fuzz") => fuzz_cases(&args[1..]).and_then(fuzz),
        Some("bindings") => tasks::bindings(),
        Some("package") => package::package(),
        Some("install-test") => package::install_test(),
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

/// Reads `[--demo] [--data-dir DIR]`.
fn run_options(args: &[String]) -> Result<(bool, Option<std::path::PathBuf>), String> {
    let mut demo = false;
    let mut data_dir = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--demo" => demo = true,
            "--data-dir" => data_dir = Some(args.next().ok_or("--data-dir needs a folder")?.into()),
            _ => {
                return Err(format!(
                    "run takes only [--demo] [--data-dir DIR]\n\n{USAGE}"
                ))
            }
        }
    }
    if demo && data_dir.is_some() {
        return Err("--demo keeps its own folder, so it takes no --data-dir".into());
    }
    Ok((demo, data_dir))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| (*arg).to_owned()).collect()
    }

    #[test]
    fn run_takes_the_demo_or_a_data_folder_but_not_both() {
        assert_eq!(run_options(&[]), Ok((false, None)));
        assert_eq!(run_options(&strings(&["--demo"])), Ok((true, None)));
        assert_eq!(
            run_options(&strings(&["--data-dir", "target/generated/large"])),
            Ok((false, Some("target/generated/large".into())))
        );
        assert!(run_options(&strings(&["--data-dir"])).is_err());
        assert!(run_options(&strings(&["--demo", "--data-dir", "x"])).is_err());
        assert!(run_options(&strings(&["--dmeo"])).is_err());
    }
}
