//! The built `careledger` binary on the command line, as a script or a
//! person at a terminal runs it: what it prints, where, and its exit code.
//! None of these opens a window.

use std::process::{Command, Output};

fn careledger(args: &[&str], data_dir_env: Option<&std::path::Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_careledger"));
    command.args(args).env_remove("CARELEDGER_DATA_DIR");
    if let Some(dir) = data_dir_env {
        command.env("CARELEDGER_DATA_DIR", dir);
    }
    command.output().expect("run careledger")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn version_prints_the_version_the_data_folder_the_licence_and_where_to_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = careledger(&["--version"], Some(dir.path()));
    assert!(out.status.success(), "{out:?}");
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout.lines().next(),
        Some(format!("Careledger {}", env!("CARGO_PKG_VERSION")).as_str())
    );
    assert!(
        stdout.contains(&format!("Data folder: {}\n", dir.path().display())),
        "{stdout}"
    );
    assert!(stdout.contains("Licence: GNU Affero General Public License, version 3 or later"));
    assert!(stdout.contains("Report a problem: https://"), "{stdout}");
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    // Nothing was made in the data folder: --version only says where it is.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn statement_help_succeeds_on_standard_output() {
    let out = careledger(&["statement", "--help"], None);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(text(&out.stdout).starts_with("Usage: careledger statement --data-dir DIR"));
}

#[test]
fn a_statement_that_cannot_be_made_fails_with_words_on_standard_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no data here");
    let out = careledger(
        &[
            "statement",
            "--data-dir",
            missing.to_str().unwrap(),
            "--holder",
            "Margaret Ellis",
            "--from",
            "1/4/2026",
            "--to",
            "30/6/2026",
            "--out",
            dir.path().join("s.pdf").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).starts_with("There is no Careledger data in"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("s.pdf").exists());
}
