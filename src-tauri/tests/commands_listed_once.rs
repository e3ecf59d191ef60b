//! Every command is named alike in each place that names it.
//!
//! build.rs's `COMMANDS` is the one list: the build makes the handler that
//! `src/lib.rs` registers and the permission set the capability grants from
//! it. What the build cannot make, this test checks, and it checks what the
//! build made too. It reads the files as they are now, by plain text
//! scanning:
//! - every `#[tauri::command]` function in `src/`;
//! - build.rs's `COMMANDS`;
//! - the commands `src/lib.rs` hands to `invoke_handler` (the generated
//!   `generate_handler!` call it includes, or a list of its own);
//! - the commands the files in `capabilities/` allow, through the app's
//!   permissions and permission sets in `permissions/`;
//! - the commands `ui/src/lib/api.ts` calls (and no other UI file calls
//!   `invoke`).

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

/// Careledger has about 45 commands. Fewer than this found in any one place
/// means that the reading here is broken, not that the lists agree.
const MIN_COMMANDS: usize = 40;

#[test]
fn every_command_is_named_alike_everywhere() {
    let places = [
        Place::new(
            "the #[tauri::command] fns in src-tauri/src/",
            tauri_commands(),
        ),
        Place::new("build.rs COMMANDS", build_rs_commands()),
        Place::new("lib.rs's invoke_handler", lib_rs_handler()),
        Place::new("the capability (capabilities/*.json)", capability_grants()),
        Place::new("ui/src/lib/api.ts", api_ts_calls()),
    ];

    let mut problems = Vec::new();
    for place in &places {
        if place.names.len() < MIN_COMMANDS {
            problems.push(format!(
                "only {} commands found in {} (at least {MIN_COMMANDS} expected): the reading in \
                 this test no longer fits that file; if Careledger really has fewer commands now, \
                 lower MIN_COMMANDS",
                place.names.len(),
                place.name,
            ));
        }
        for duplicate in &place.duplicates {
            problems.push(format!("`{duplicate}` is named twice in {}", place.name));
        }
    }

    let every_name: BTreeSet<&String> = places.iter().flat_map(|place| &place.names).collect();
    for name in every_name {
        let missing_from: Vec<&str> = places
            .iter()
            .filter(|place| !place.names.contains(name))
            .map(|place| place.name)
            .collect();
        if !missing_from.is_empty() {
            let found_in: Vec<&str> = places
                .iter()
                .filter(|place| place.names.contains(name))
                .map(|place| place.name)
                .collect();
            problems.push(format!(
                "`{name}` is in {}\n      but missing from {}",
                found_in.join("; "),
                missing_from.join("; ")
            ));
        }
    }

    assert!(
        problems.is_empty(),
        "The commands are not named alike everywhere:\n  - {}\n\nA command is a #[tauri::command] \
         function, its `module::function` in build.rs COMMANDS (which makes lib.rs's handler and \
         the capability's permission set), and a call<…>(\"name\") in ui/src/lib/api.ts.\n",
        problems.join("\n  - ")
    );
}

/// One place that names commands, with the names it lists more than once.
struct Place {
    name: &'static str,
    names: BTreeSet<String>,
    duplicates: BTreeSet<String>,
}

impl Place {
    fn new(name: &'static str, listed: Vec<String>) -> Self {
        let mut names = BTreeSet::new();
        let mut duplicates = BTreeSet::new();
        for command in listed {
            if !names.insert(command.clone()) {
                duplicates.insert(command);
            }
        }
        Place {
            name,
            names,
            duplicates,
        }
    }
}

// ---- Rust ----

fn tauri_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("could not read {}: {error}", path.display()))
}

/// Every file under `folder` (and its folders) whose name ends with one of
/// `extensions`.
fn files_under(folder: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let entries = fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("could not list {}: {error}", folder.display()));
    for entry in entries {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            found.extend(files_under(&path, extensions));
        } else if path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| extensions.contains(&extension))
        {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// The name of each function marked `#[tauri::command]` (or `#[command]`).
fn tauri_commands() -> Vec<String> {
    let mut names = Vec::new();
    for path in files_under(&tauri_dir().join("src"), &["rs"]) {
        let text = read(&path);
        let mut marked = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[tauri::command") || line.starts_with("#[command") {
                marked = true;
            } else if marked {
                if let Some(name) = fn_name(line) {
                    names.push(name.to_owned());
                    marked = false;
                }
            }
        }
        assert!(
            !marked,
            "{}: a #[tauri::command] with no `fn` after it",
            path.display()
        );
    }
    names
}

/// The function a line declares: `pub async fn name(` gives `name`.
fn fn_name(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    words.find(|word| *word == "fn")?;
    let rest = words.next()?;
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    Some(&rest[..end]).filter(|name| !name.is_empty())
}

/// Text with `//` comments taken out (none of the lists read here puts `//`
/// inside a string).
fn without_line_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.split_once("//").map_or(line, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The string literals in the list given to `start`: between the first `[`
/// after its `=` and the `]` that closes it.
fn quoted_strings_in_list(text: &str, start: &str, file: &str) -> Vec<String> {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{file}: no `{start}` found"));
    let list = &text[from..];
    let list = &list[list.find('=').unwrap_or(0)..];
    let open = list
        .find('[')
        .unwrap_or_else(|| panic!("{file}: no `= [` after `{start}`"));
    let close = list[open..]
        .find(']')
        .unwrap_or_else(|| panic!("{file}: the list after `{start}` is not closed"));
    list[open + 1..open + close]
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The function names in build.rs's `COMMANDS`, each listed as `module::function`.
fn build_rs_commands() -> Vec<String> {
    let text = without_line_comments(&read(&tauri_dir().join("build.rs")));
    quoted_strings_in_list(&text, "const COMMANDS", "build.rs")
        .into_iter()
        .map(|entry| last_path_segment(&entry).to_owned())
        .collect()
}

fn last_path_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path).trim()
}

/// The commands `src/lib.rs` registers: the paths in the `generate_handler!`
/// of its `invoke_handler`, written there or in the file it includes.
fn lib_rs_handler() -> Vec<String> {
    let lib_rs = without_line_comments(&read(&tauri_dir().join("src/lib.rs")));
    let calls: Vec<_> = lib_rs.match_indices(".invoke_handler(").collect();
    assert_eq!(
        calls.len(),
        1,
        "src/lib.rs should call .invoke_handler( once, with every command"
    );
    let argument = &lib_rs[calls[0].0..];
    let argument = &argument[..argument.find(".build(").unwrap_or(argument.len())];
    let handler = if argument.contains("generate_handler!") {
        argument.to_owned()
    } else if argument.contains("invoke_handler.rs") {
        // Written by build.rs into OUT_DIR, which Cargo also gives this test.
        read(&Path::new(env!("OUT_DIR")).join("invoke_handler.rs"))
    } else {
        panic!(
            "src/lib.rs's invoke_handler neither lists commands in generate_handler! nor \
             includes invoke_handler.rs: teach this test how it names them now"
        );
    };
    let handler = without_line_comments(&handler);
    let from = handler
        .find("generate_handler!")
        .expect("a generate_handler! call");
    let list = &handler[from..];
    let open = list.find('[').expect("generate_handler![");
    let close = list.find(']').expect("generate_handler![ … ]");
    list[open + 1..close]
        .split(',')
        .map(last_path_segment)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

// ---- The capability ----

/// One `[[permission]]`, `[[set]]` or `[default]` of the app's permission files.
#[derive(Default)]
struct Permission {
    allow: Vec<String>,
    deny: Vec<String>,
    /// For a set: the permissions it is made of.
    permissions: Vec<String>,
}

/// Every permission the app defines (its own, not a plugin's), by identifier.
fn app_permissions() -> BTreeMap<String, Permission> {
    let mut defined = BTreeMap::new();
    for path in files_under(&tauri_dir().join("permissions"), &["toml"]) {
        let text = read(&path);
        // Each table starts at a `[` at the start of a line.
        let mut tables = Vec::new();
        for line in text.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with('[') && !trimmed.starts_with("[[scope") {
                tables.push((trimmed.to_owned(), String::new()));
            } else if let Some((_, body)) = tables.last_mut() {
                body.push_str(line);
                body.push('\n');
            }
        }
        for (header, body) in tables {
            let identifier = match header.as_str() {
                "[default]" => Some("default".to_owned()),
                "[[permission]]" | "[[set]]" => toml_string(&body, "identifier"),
                _ => continue,
            };
            let identifier = identifier
                .unwrap_or_else(|| panic!("{}: a {header} with no identifier", path.display()));
            defined.insert(
                identifier,
                Permission {
                    allow: toml_strings(&body, "commands.allow"),
                    deny: toml_strings(&body, "commands.deny"),
                    permissions: toml_strings(&body, "permissions"),
                },
            );
        }
    }
    defined
}

/// The value of `key = "value"` in a TOML table's body.
fn toml_string(body: &str, key: &str) -> Option<String> {
    body.lines().find_map(|line| {
        let value = toml_value(line, key)?;
        Some(value.trim().trim_matches('"').to_owned())
    })
}

/// The strings of `key = ["a", "b"]`, over one line or several.
fn toml_strings(body: &str, key: &str) -> Vec<String> {
    let Some(start) = body
        .lines()
        .position(|line| toml_value(line, key).is_some())
    else {
        return Vec::new();
    };
    let mut list = String::new();
    for line in body.lines().skip(start) {
        let line = line.split_once('#').map_or(line, |(code, _)| code);
        list.push_str(line);
        if line.contains(']') {
            break;
        }
    }
    let list = &list[list.find('[').unwrap_or(0)..];
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn toml_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let (name, value) = line.split_once('=')?;
    (name.trim() == key).then_some(value)
}

/// The commands the capabilities allow the UI, after any they deny. Each
/// capability may grant only the app's own permissions: a plugin's or
/// Tauri's (`core:…`) is reported as a problem.
fn capability_grants() -> Vec<String> {
    let defined = app_permissions();
    let mut allowed = Vec::new();
    let mut denied = BTreeSet::new();
    let folder = tauri_dir().join("capabilities");
    let files = files_under(&folder, &["json", "json5", "toml"]);
    assert!(!files.is_empty(), "no capability in {}", folder.display());
    for path in files {
        assert!(
            path.extension()
                .is_some_and(|extension| extension == "json"),
            "{}: this test reads JSON capabilities only; teach it this one",
            path.display()
        );
        let capability: serde_json::Value = serde_json::from_str(&read(&path))
            .unwrap_or_else(|error| panic!("{}: not JSON: {error}", path.display()));
        let granted = capability["permissions"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no \"permissions\" list", path.display()));
        for entry in granted {
            let identifier = entry
                .as_str()
                .or_else(|| entry["identifier"].as_str())
                .unwrap_or_else(|| panic!("{}: a permission with no identifier", path.display()));
            assert!(
                !identifier.contains(':'),
                "{} grants {identifier}, which is not one of Careledger's own commands: the UI \
                 may call Careledger's commands and nothing else",
                path.display()
            );
            expand(identifier, &defined, &mut allowed, &mut denied, &path, 0);
        }
    }
    allowed.retain(|command| !denied.contains(command));
    allowed
}

/// Adds the commands a permission (or set, however deep) allows and denies.
fn expand(
    identifier: &str,
    defined: &BTreeMap<String, Permission>,
    allowed: &mut Vec<String>,
    denied: &mut BTreeSet<String>,
    capability: &Path,
    depth: usize,
) {
    assert!(
        depth < 10,
        "permission sets include each other in a loop at {identifier}"
    );
    let permission = defined.get(identifier).unwrap_or_else(|| {
        panic!(
            "{} grants {identifier}, which no file in src-tauri/permissions/ defines",
            capability.display()
        )
    });
    allowed.extend(permission.allow.iter().cloned());
    denied.extend(permission.deny.iter().cloned());
    for inner in &permission.permissions {
        expand(inner, defined, allowed, denied, capability, depth + 1);
    }
}

// ---- The UI ----

fn ui_src() -> PathBuf {
    tauri_dir().join("../ui/src")
}

/// The command each `call<…>("name", …)` in api.ts names. A call whose name
/// this test cannot read is reported, rather than passed over.
fn api_ts_calls() -> Vec<String> {
    let api_ts = ui_src().join("lib/api.ts");
    let text = read(&api_ts);
    let mut names = Vec::new();
    for (function, after) in calls_of(&text, &["call", "invoke"]) {
        if text[..after]
            .trim_end()
            .ends_with(&format!("function {function}"))
            || after_generics(&text[after..]).is_none()
        {
            continue; // the definition of `call`, or the word in prose
        }
        match first_argument(&text[after..]) {
            Argument::Literal(name) => names.push(name),
            // `call` hands its own argument on to `invoke`.
            Argument::Other(argument) if function == "invoke" && argument == "command" => {}
            Argument::Other(argument) => panic!(
                "ui/src/lib/api.ts: {function}(…) with `{argument}` as the command's name: name \
                 each command in a string so that this test can check it"
            ),
        }
    }
    // The UI calls commands through api.ts only.
    for path in files_under(&ui_src(), &["ts", "js", "svelte"]) {
        if path.ends_with("lib/api.ts")
            || path.components().any(|part| part.as_os_str() == "bindings")
        {
            continue;
        }
        assert!(
            calls_of(&read(&path), &["invoke"]).is_empty(),
            "{} calls invoke itself: call commands through ui/src/lib/api.ts, where this test \
             checks them",
            path.display()
        );
    }
    names
}

/// Where each of `functions` is used as a whole word followed by `(` or `<`:
/// the function and the offset just after its name.
fn calls_of(text: &str, functions: &[&'static str]) -> Vec<(&'static str, usize)> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$' || c == '.';
    let mut found = Vec::new();
    for function in functions {
        for (at, _) in text.match_indices(function) {
            let after = at + function.len();
            let whole_word = !text[..at].ends_with(is_ident)
                && !text[after..].starts_with(|c: char| c.is_alphanumeric() || c == '_');
            let called = text[after..].trim_start().starts_with(['(', '<']);
            if whole_word && called {
                found.push((*function, after));
            }
        }
    }
    found.sort_by_key(|(_, after)| *after);
    found
}

/// The text after `<…>` (if any), starting at the `(`; `None` when there is no `(`.
fn after_generics(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let text = if text.starts_with('<') {
        let mut depth = 0;
        let mut end = None;
        for (at, c) in text.char_indices() {
            match c {
                '<' => depth += 1,
                '>' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(at + 1);
                        break;
                    }
                }
                _ => {}
            }
        }
        &text[end?..]
    } else {
        text
    };
    let text = text.trim_start();
    text.starts_with('(').then_some(text)
}

enum Argument {
    Literal(String),
    Other(String),
}

/// The first argument of the call that starts at `text`: a plain string
/// literal, or the start of whatever else is there.
fn first_argument(text: &str) -> Argument {
    let inside = after_generics(text).expect("a call")[1..].trim_start();
    if let Some(quote) = inside
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))
    {
        let rest = &inside[1..];
        if let Some(end) = rest.find(quote) {
            let name = &rest[..end];
            if !name.contains("${") && !name.contains('\\') {
                return Argument::Literal(name.to_owned());
            }
        }
    }
    let end = inside.find([',', ')']).unwrap_or(inside.len());
    Argument::Other(inside[..end].trim().to_owned())
}
