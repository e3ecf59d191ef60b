//! The tasks themselves.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::setup::{
    cargo, ensure_debian_packages, ensure_tauri_driver, ensure_ui_packages, npm, on_path, root,
    run, TaskResult, BUILD_PACKAGES, TEST_PACKAGES,
};

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_relative() {
                root().join(dir)
            } else {
                dir
            }
        })
        .unwrap_or_else(|| root().join("target"))
}

fn app_binary() -> PathBuf {
    let name = if cfg!(windows) {
        "careledger.exe"
    } else {
        "careledger"
    };
    target_dir().join("debug").join(name)
}

pub fn build_ui() -> TaskResult {
    run("build the UI", npm().args(["run", "build"]))
}

fn build_app() -> TaskResult {
    run(
        "build the app",
        cargo().args(["build", "--package", "careledger"]),
    )
}

/// `cargo xtask run [--demo] [--data-dir DIR]`.
pub fn run_app(demo: bool, data_dir: Option<PathBuf>) -> TaskResult {
    ensure_debian_packages(BUILD_PACKAGES)?;
    ensure_ui_packages()?;
    build_ui()?;
    build_app()?;
    let mut app = Command::new(app_binary());
    if demo {
        // The sample lives in its own folder, made afresh so its year ends
        // today, and never mixes with the person's own data.
        let demo_dir = target_dir().join("demo-data");
        if demo_dir.exists() {
            std::fs::remove_dir_all(&demo_dir)
                .map_err(|error| format!("could not clear {}: {error}", demo_dir.display()))?;
        }
        app.arg("--demo").arg("--data-dir").arg(&demo_dir);
    } else if let Some(dir) = data_dir {
        app.arg("--data-dir").arg(from_here(&dir)?);
    }
    run("open Careledger", &mut app)
}

/// `cargo xtask test`: every check, cheapest first.
pub fn test() -> TaskResult {
    let started = Instant::now();
    ensure_debian_packages(&[BUILD_PACKAGES, TEST_PACKAGES].concat())?;
    ensure_ui_packages()?;
    run(
        "check formatting",
        cargo().args(["fmt", "--all", "--", "--check"]),
    )?;
    run("check the UI (svelte-check)", npm().args(["run", "check"]))?;
    run("UI unit tests (Vitest)", npm().args(["run", "test"]))?;
    // The shell embeds ui/dist when it compiles, so the UI is built first.
    build_ui()?;
    run(
        "clippy, warnings denied",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run(
        "Rust tests",
        cargo().args(["test", "--workspace", "--exclude", "careledger-e2e"]),
    )?;
    build_app()?;
    end_to_end()?;
    println!("\nAll checks passed in {} s.", started.elapsed().as_secs());
    Ok(())
}

fn end_to_end() -> TaskResult {
    if !cfg!(target_os = "linux") {
        println!("\n==> end-to-end tests: skipped; they drive WebKitGTK and run on Linux only.");
        return Ok(());
    }
    let tauri_driver = ensure_tauri_driver()?;
    if !on_path("Xvfb") {
        return Err("Xvfb is missing: install Debian's xvfb package.".into());
    }
    let xdg = root().join("target").join("e2e").join("xdg");
    std::fs::create_dir_all(&xdg)
        .map_err(|error| format!("could not make {}: {error}", xdg.display()))?;
    let path = path_with_driver(&tauri_driver)?;
    // Figures from an earlier run are not this run's.
    let _ = std::fs::remove_file(root().join("target").join("e2e").join("scale-figures.txt"));
    run(
        "end-to-end tests in the real window",
        cargo()
            .args([
                "test",
                "--package",
                "careledger-e2e",
                "--",
                "--test-threads=1",
            ])
            .env("PATH", path)
            .env("CARELEDGER_APP", app_binary())
            .env("CARELEDGER_LARGE_DATA", large_data()?)
            .env("XDG_DATA_HOME", xdg.join("data"))
            .env("XDG_CACHE_HOME", xdg.join("cache"))
            .env("XDG_CONFIG_HOME", xdg.join("config")),
    )?;
    let artefacts = root().join("target").join("e2e");
    if let Ok(figures) = std::fs::read_to_string(artefacts.join("scale-figures.txt")) {
        println!("\nThe window with ten years of data (debug build):\n{figures}");
    }
    println!("Screenshots are in {}", artefacts.display());
    Ok(())
}

/// PATH with tauri-driver's folder first, for the end-to-end tests.
pub fn path_with_driver(tauri_driver: &Path) -> Result<std::ffi::OsString, String> {
    let driver_dir = tauri_driver
        .parent()
        .map(Path::to_owned)
        .unwrap_or_default();
    std::env::join_paths(std::iter::once(driver_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .map_err(|error| error.to_string())
}

/// The generator's large set, for the end-to-end test that prints the
/// window's figures with ten years of data. Made once (in release: it
/// takes minutes) and made again only when the generator changes: a
/// fingerprint of its source is kept beside it.
fn large_data() -> Result<PathBuf, String> {
    use std::hash::{Hash, Hasher};
    let source = std::fs::read(root().join("core").join("src").join("generate.rs"))
        .map_err(|error| format!("could not read the generator: {error}"))?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    source.hash(&mut hasher);
    // And when the data's layout changes: a set made before would be
    // updated by the app as it opens, and the figures would time that.
    let migrations = root().join("crates/store/src/migrations");
    let mut steps: Vec<PathBuf> = std::fs::read_dir(&migrations)
        .map_err(|error| format!("could not read {}: {error}", migrations.display()))?
        .flatten()
        .map(|entry| entry.path())
        .collect();
    steps.sort();
    for step in steps {
        std::fs::read(&step)
            .map_err(|error| format!("could not read {}: {error}", step.display()))?
            .hash(&mut hasher);
    }
    let made_by = format!("{:016x}\n", hasher.finish());
    let out = target_dir().join("generated").join("large-for-tests");
    let marker = out.join("made-by.txt");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(made_by.as_str()) {
        return Ok(out);
    }
    if out.exists() {
        std::fs::remove_dir_all(&out)
            .map_err(|error| format!("could not clear {}: {error}", out.display()))?;
    }
    generate(&[
        "large".to_owned(),
        "--out".to_owned(),
        out.display().to_string(),
    ])?;
    std::fs::write(&marker, made_by)
        .map_err(|error| format!("could not write {}: {error}", marker.display()))?;
    Ok(out)
}

/// `cargo xtask bench`: figures, not pass/fail.
pub fn bench() -> TaskResult {
    run(
        "benchmark core (release build)",
        cargo().args([
            "run",
            "--release",
            "--package",
            "careledger-core",
            "--example",
            "bench",
        ]),
    )
}

/// `cargo xtask generate <small|large|worst> [--out DIR] [--today DATE]
/// [--seed N] [--journal FILE]`: core's generator, built in release (a
/// large set saves 100,000 payments and checks 300 photos). Paths are
/// made whole here, as cargo runs the example from the workspace's root.
pub fn generate(args: &[String]) -> TaskResult {
    let size = args
        .first()
        .ok_or("generate takes a size: small, large or worst")?;
    let mut passed = vec![size.clone()];
    let mut out = None;
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--out" => out = Some(from_here(Path::new(value))?),
            "--journal" => passed.extend([
                flag.clone(),
                from_here(Path::new(value))?.display().to_string(),
            ]),
            _ => passed.extend([flag.clone(), value.clone()]),
        }
    }
    let out = out.unwrap_or_else(|| target_dir().join("generated").join(size));
    passed.extend(["--out".to_owned(), out.display().to_string()]);
    run(
        &format!("generate {size} data (release build)"),
        cargo()
            .args([
                "run",
                "--release",
                "--package",
                "careledger-core",
                "--example",
                "generate",
                "--",
            ])
            .args(&passed),
    )
}

/// `path` as typed, from the folder the task was started in.
fn from_here(path: &Path) -> Result<PathBuf, String> {
    if path.is_absolute() {
        return Ok(path.to_owned());
    }
    std::env::current_dir()
        .map(|here| here.join(path))
        .map_err(|error| format!("could not read the current folder: {error}"))
}

/// `cargo xtask bindings`: rewrite ui/src/lib/bindings from the Rust types.
pub fn bindings() -> TaskResult {
    run(
        "regenerate TypeScript bindings",
        cargo()
            .args(["test", "--package", "careledger-core", "--lib", "bindings"])
            .env("CARELEDGER_UPDATE_BINDINGS", "1"),
    )
}
