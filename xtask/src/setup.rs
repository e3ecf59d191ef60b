//! Finding and installing what the build and the tests need.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What a task failed with, in words for the person at the terminal.
pub type TaskResult = Result<(), String>;

/// Debian packages the app needs to build (Tauri's WebKitGTK stack).
pub const BUILD_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "build-essential",
    "curl",
    "wget",
    "file",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
];

/// Debian packages the end-to-end tests need on top: a virtual X server
/// (xauth is needed by xvfb-run), the WebKit WebDriver, and poppler for
/// reading statements.
pub const TEST_PACKAGES: &[&str] = &["xvfb", "xauth", "webkit2gtk-driver", "poppler-utils"];

/// The tauri-driver release the tests are written against.
pub const TAURI_DRIVER_VERSION: &str = "2.1.0";

/// The workspace root.
pub fn root() -> PathBuf {
    // `cargo run` sets CARGO_MANIFEST_DIR for the process it starts. That
    // is preferred to the folder compiled in: with a build folder shared
    // between clones (as CI has), a binary built in another clone would
    // otherwise check that clone's files.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    Path::new(&manifest_dir)
        .parent()
        .expect("xtask/ has a parent")
        .to_owned()
}

/// Cargo, as the one running this task.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

/// npm, run in `ui/`.
pub fn npm() -> Command {
    let mut command = Command::new(if cfg!(windows) { "npm.cmd" } else { "npm" });
    command.current_dir(root().join("ui"));
    command
}

/// Runs `command`, echoing it first, and fails with `what` if it fails.
pub fn run(what: &str, command: &mut Command) -> TaskResult {
    println!("\n==> {what}");
    let status = command
        .status()
        .map_err(|error| format!("{what}: could not start it ({error})"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// Whether `program` can be found on PATH.
pub fn on_path(program: &str) -> bool {
    find_on_path(program).is_some()
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    // On Windows a program is found by its name with .exe or .cmd (npm.cmd).
    let names: Vec<String> = if cfg!(windows) {
        vec![format!("{program}.exe"), format!("{program}.cmd")]
    } else {
        vec![program.to_owned()]
    };
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

fn cargo_bin_dir() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin"))
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn missing_debian_packages(packages: &[&str]) -> Vec<String> {
    packages
        .iter()
        .filter(|package| {
            let installed = Command::new("dpkg-query")
                .args(["-W", "-f=${Status}", package])
                .stderr(Stdio::null())
                .output()
                .map(|out| String::from_utf8_lossy(&out.stdout).contains("install ok installed"))
                .unwrap_or(false);
            !installed
        })
        .map(|package| (*package).to_owned())
        .collect()
}

/// Makes sure the Debian packages are installed: installs them when running
/// as root, and otherwise prints the exact command to run. On systems
/// without dpkg this checks nothing (see the README for macOS and Windows).
pub fn ensure_debian_packages(packages: &[&str]) -> TaskResult {
    if !cfg!(target_os = "linux") || !on_path("dpkg-query") {
        return Ok(());
    }
    let missing = missing_debian_packages(packages);
    if missing.is_empty() {
        return Ok(());
    }
    let list = missing.join(" ");
    if !is_root() {
        return Err(format!(
            "these system packages are missing: {list}\nInstall them with:\n\n    sudo apt-get update && sudo apt-get install -y {list}\n\nthen run this command again."
        ));
    }
    run(
        "apt-get update",
        Command::new("apt-get").args(["update", "-q"]),
    )?;
    run(
        &format!("install system packages: {list}"),
        Command::new("apt-get")
            .args(["install", "-y", "-q"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// Installs the UI's npm packages when they are missing or older than the
/// lock file.
pub fn ensure_ui_packages() -> TaskResult {
    if !on_path("npm") {
        return Err("Node.js 20 or newer (with npm) is needed to build the UI. On Debian: `sudo apt-get install -y nodejs npm`, or see https://nodejs.org.".into());
    }
    let ui = root().join("ui");
    let installed = ui.join("node_modules/.package-lock.json");
    let fresh = match (
        modified(&installed),
        modified(&ui.join("package-lock.json")),
    ) {
        (Some(installed), Some(lock)) => installed >= lock,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    run(
        "install UI packages (npm ci)",
        npm().args(["ci", "--no-audit", "--no-fund"]),
    )
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path)
        .and_then(|meta| meta.modified())
        .ok()
}

/// Installs tauri-driver (the WebDriver front for Tauri apps) if missing,
/// and returns its path.
pub fn ensure_tauri_driver() -> Result<PathBuf, String> {
    let in_cargo_bin = cargo_bin_dir()
        .map(|dir| dir.join("tauri-driver"))
        .filter(|path| path.is_file());
    if let Some(path) = find_on_path("tauri-driver").or(in_cargo_bin.clone()) {
        return Ok(path);
    }
    run(
        "install tauri-driver",
        cargo().args([
            "install",
            "tauri-driver",
            "--version",
            TAURI_DRIVER_VERSION,
            "--locked",
        ]),
    )?;
    cargo_bin_dir()
        .map(|dir| dir.join("tauri-driver"))
        .filter(|path| path.is_file())
        .ok_or_else(|| {
            "tauri-driver was installed but cannot be found in Cargo's bin folder".into()
        })
}
