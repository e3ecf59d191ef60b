//! Core's layers, checked: which module may use which. Until the layers
//! are crates of their own (when a wrong arrow becomes a compile error),
//! this test reads every module's source and fails on an arrow the layers
//! forbid, naming it.
//!
//! - **domain**: money, plans, the ledger's rules, every figure, the
//!   statement's content. Uses only the domain: no SQL, no files, no PDF.
//! - **files**: writing Careledger's own files safely, privately, locked.
//! - **store**: SQL only; uses the domain's types and the files layer.
//! - **print**: lays a statement out as a PDF; uses the domain.
//! - **ops**: loads, checks, writes and composes; may use every layer.

use std::collections::BTreeMap;
use std::path::Path;

const DOMAIN: &[&str] = &[
    "money",
    "ids",
    "error",
    "input",
    "model",
    "plan",
    "plan_forms",
    "forms",
    "ledger",
    "recurring",
    "dashboard",
    "figures",
    "summary",
    "statement",
    "labels",
    "exclusions",
    "evidence",
    "overview",
];
const FILES: &[&str] = &["disk", "private", "lock"];
const STORE: &[&str] = &["store"];
const PRINT: &[&str] = &["statement_pdf"];
const OPS: &[&str] = &[
    "views",
    "backup",
    "export",
    "output",
    "second_place",
    "demo",
];
/// Only compiled for tests: it renders every exported type.
const TEST_ONLY: &[&str] = &["bindings"];

/// Crates the domain must not use: they are how SQL, files and PDFs get in.
/// (`error.rs` names rusqlite's error types, for its messages about them;
/// that is the one exception, and it runs no SQL.)
const NOT_IN_THE_DOMAIN: &[&str] = &["rusqlite", "std::fs", "printpdf", "tempfile", "zip"];

fn layer_of(module: &str) -> &'static str {
    let top = module.split("::").next().unwrap_or(module);
    for (layer, modules) in [
        ("domain", DOMAIN),
        ("files", FILES),
        ("store", STORE),
        ("print", PRINT),
        ("ops", OPS),
        ("test-only", TEST_ONLY),
    ] {
        if modules.contains(&top) {
            return layer;
        }
    }
    panic!("core/src/{top}.rs is in no layer: add it to one in tests/layers.rs");
}

fn may_use(from: &str, to: &str) -> bool {
    match from {
        "domain" => to == "domain",
        "files" => matches!(to, "domain" | "files"),
        "store" => matches!(to, "domain" | "files" | "store"),
        "print" => matches!(to, "domain" | "print"),
        "ops" | "test-only" => true,
        _ => false,
    }
}

/// Every module of core (`store::ledger` for store/ledger.rs), with its
/// source, leaving out unit tests (which may use anything) and comments.
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeMap::new();
    let mut folders = vec![src.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|ext| ext != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap().with_extension("");
            let mut name = relative.to_string_lossy().replace('/', "::");
            if let Some(parent) = name.strip_suffix("::mod") {
                name = parent.to_owned();
            }
            if name == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code: String = text
                .lines()
                .map(|line| line.split("//").next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n");
            found.insert(name, without_test_modules(&code));
        }
    }
    found
}

/// `code` without its `#[cfg(test)]` items (a `mod tests { … }` block or
/// a single item), found by matching braces.
fn without_test_modules(code: &str) -> String {
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

/// The modules of core that `code` uses, by `crate::name` (and, inside
/// the store, `super::`).
fn uses(module: &str, code: &str, modules: &BTreeMap<String, String>) -> Vec<String> {
    let mut used = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        if modules.contains_key(&name) && name != module {
            used.push(name);
        }
    }
    used.sort();
    used.dedup();
    used
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let modules = modules();
    assert!(
        modules.len() >= 30,
        "found only {} modules: is the source where this test looks?",
        modules.len()
    );
    let mut wrong = Vec::new();
    let mut arrows = 0;
    for (module, code) in &modules {
        let from = layer_of(module);
        for used in uses(module, code, &modules) {
            arrows += 1;
            let to = layer_of(&used);
            if !may_use(from, to) {
                wrong.push(format!("{module} ({from}) uses {used} ({to})"));
            }
        }
        if from == "domain" && module != "error" {
            for forbidden in NOT_IN_THE_DOMAIN {
                if code.contains(&format!("{forbidden}::"))
                    || code.contains(&format!("use {forbidden}"))
                {
                    wrong.push(format!("{module} (domain) uses {forbidden}"));
                }
            }
        }
    }
    assert!(arrows >= 60, "found only {arrows} uses between modules");
    assert!(
        wrong.is_empty(),
        "arrows the layers forbid:\n  {}",
        wrong.join("\n  ")
    );
    println!(
        "layers: {} modules, {arrows} uses between them, all allowed",
        modules.len()
    );
}
