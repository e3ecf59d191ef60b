//! Core's layers, checked. Each layer is a crate, so Cargo refuses an
//! arrow to a crate that is not a dependency; this test checks that the
//! dependencies themselves stay in order, and the rules a crate boundary
//! cannot express:
//!
//! - **careledger-domain** (`crates/domain`): money, plans, the ledger's
//!   rules, every figure, the statement's content. Depends on no other
//!   layer, and runs no SQL, touches no files and draws no PDF.
//! - **careledger-store** (`crates/store`): SQL only, over the domain's
//!   types, taking checked values (it reads nothing as typed); with the
//!   lowest layer for files (`disk`, `private`, `lock`), which does not use
//!   the store.
//! - **careledger-print** (`crates/print`): lays a statement out as a PDF;
//!   uses the domain only.
//! - **careledger-import** (`crates/import`): reads a bank's or card's
//!   statement file into account lines; uses the domain only, and neither
//!   stores nor matches them.
//! - **careledger-core** (`core`): the operations layer, over all four.

use std::path::{Path, PathBuf};

/// Each layer's crate, its folder, and the layers it may depend on.
const LAYERS: &[(&str, &str, &[&str])] = &[
    ("careledger-domain", "crates/domain", &[]),
    ("careledger-store", "crates/store", &["careledger-domain"]),
    ("careledger-print", "crates/print", &["careledger-domain"]),
    ("careledger-import", "crates/import", &["careledger-domain"]),
    (
        "careledger-core",
        "core",
        &[
            "careledger-domain",
            "careledger-store",
            "careledger-print",
            "careledger-import",
        ],
    ),
];

/// What no domain module may use: how SQL, files and PDFs would get in.
/// (The domain depends on rusqlite only for its error type's storage
/// variants and for how each choice is written in the file.)
const NOT_IN_THE_DOMAIN: &[&str] = &[
    "rusqlite::Connection",
    "Connection::",
    "&Connection",
    "execute(",
    "query_row(",
    "prepare(",
    "std::fs",
    "File::",
    "printpdf",
    "tempfile",
    "zip::",
];

/// What the store must not do: read what a person typed. Drafts are
/// checked in the operations layer, and the store takes checked values.
const NOT_IN_THE_STORE: &[&str] = &[
    ".check(",
    "check_reason(",
    "check_basics(",
    "parse_date(",
    "positive_money(",
    "required_text(",
    "optional_text(",
];

/// The store crate's file layer, below the store itself.
const FILE_MODULES: &[&str] = &["disk.rs", "private.rs", "lock.rs"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The names of the workspace's own crates a Cargo.toml depends on.
fn own_dependencies(manifest: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_dependencies = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
            continue;
        }
        if in_dependencies && line.starts_with("careledger-") {
            let name: String = line
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            found.push(name);
        }
    }
    found
}

/// Every source file below `folder`, with its text less comments and
/// `#[cfg(test)]` items (tests may use anything).
fn sources(folder: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut folders = vec![folder.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let code: String = text
                    .lines()
                    .map(|line| line.split("//").next().unwrap_or(""))
                    .collect::<Vec<_>>()
                    .join("\n");
                found.push((path, without_test_items(&code)));
            }
        }
    }
    found
}

/// `code` without its `#[cfg(test)]` items (a `mod tests { … }` block or a
/// single item), found by matching braces.
fn without_test_items(code: &str) -> String {
    let mut kept = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        kept.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(open) = after.find(['{', ';']) else {
            return kept;
        };
        if after.as_bytes()[open] == b';' {
            rest = &after[open + 1..];
            continue;
        }
        let mut depth = 0;
        let mut end = after.len();
        for (index, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + index + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    kept.push_str(rest);
    kept
}

#[test]
fn each_layer_depends_only_on_the_layers_below_it() {
    let mut wrong = Vec::new();
    for (name, folder, allowed) in LAYERS {
        let manifest = std::fs::read_to_string(workspace().join(folder).join("Cargo.toml"))
            .unwrap_or_else(|error| panic!("{folder}/Cargo.toml: {error}"));
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{folder} is {name}"
        );
        for dependency in own_dependencies(&manifest) {
            if !allowed.contains(&dependency.as_str()) {
                wrong.push(format!("{name} depends on {dependency}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "layers out of order:\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn the_domain_runs_no_sql_touches_no_files_and_draws_no_pdf() {
    let sources = sources(&workspace().join("crates/domain/src"));
    assert!(
        sources.len() >= 15,
        "found only {} domain files",
        sources.len()
    );
    let mut wrong = Vec::new();
    for (path, code) in &sources {
        for forbidden in NOT_IN_THE_DOMAIN {
            if code.contains(forbidden) {
                wrong.push(format!("{} uses {forbidden}", path.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the domain reaches out:\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn the_file_layer_does_not_use_the_store() {
    let folder = workspace().join("crates/store/src");
    let mut checked = 0;
    for (path, code) in sources(&folder) {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if FILE_MODULES.contains(&file.as_str()) {
            checked += 1;
            assert!(
                !code.contains("crate::store"),
                "{} uses the store, which is above it",
                path.display()
            );
        }
    }
    assert_eq!(
        checked,
        FILE_MODULES.len(),
        "the file layer's modules are where expected"
    );
}

#[test]
fn the_store_takes_checked_values() {
    let sources = sources(&workspace().join("crates/store/src/store"));
    assert!(
        sources.len() >= 5,
        "found only {} store files",
        sources.len()
    );
    let mut wrong = Vec::new();
    for (path, code) in &sources {
        for forbidden in NOT_IN_THE_STORE {
            if code.contains(forbidden) {
                wrong.push(format!("{} uses {forbidden}", path.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the store reads what was typed:\n  {}",
        wrong.join("\n  ")
    );
}
