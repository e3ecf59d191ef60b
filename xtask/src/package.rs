//! `cargo xtask package`: the installers, from a release build; and
//! `cargo xtask install-test`: the .deb installed, used and removed as a
//! person's computer would have it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::setup::{
    ensure_debian_packages, ensure_tauri_driver, ensure_ui_packages, is_root, npm, on_path, root,
    run, TaskResult, BUILD_PACKAGES, TEST_PACKAGES,
};
use crate::tasks::{build_ui, path_with_driver, target_dir};

/// The installers made on this system, as the Tauri CLI's `--bundles`
/// names them. Windows gets an .msi and not Tauri's NSIS installer, whose
/// uninstaller offers to delete the app's data folder: the person's
/// records.
fn bundles() -> &'static str {
    if cfg!(windows) {
        "msi"
    } else if cfg!(target_os = "macos") {
        "app,dmg"
    } else {
        "deb,rpm"
    }
}

/// The package's name in dpkg and rpm (Tauri's: the product name in lower
/// case).
const PACKAGE_NAME: &str = "careledger";

/// The app's folder in the platform's data folder (its identifier).
const APP_FOLDER: &str = "org.careledger.desktop";

/// The sizes the package installs the icon at, in hicolor's folders.
const ICON_SIZES: &[u32] = &[16, 24, 32, 48, 64, 128, 256, 512];

fn bundle_dir() -> PathBuf {
    target_dir().join("release").join("bundle")
}

/// `cargo xtask package`.
pub fn package() -> TaskResult {
    let started = Instant::now();
    ensure_debian_packages(BUILD_PACKAGES)?;
    ensure_ui_packages()?;
    // Tauri's CLI embeds ui/dist as it is: nothing here builds it.
    build_ui()?;
    let bundle_dir = bundle_dir();
    // Installers from an earlier build are not this one's.
    if bundle_dir.exists() {
        std::fs::remove_dir_all(&bundle_dir)
            .map_err(|error| format!("could not clear {}: {error}", bundle_dir.display()))?;
    }
    run(
        &format!(
            "build the app in release and make its installers ({}), with Tauri's bundler",
            bundles()
        ),
        // The npm @tauri-apps/cli, installed with the UI's packages: no
        // binary is downloaded, and on Linux nothing else is needed.
        npm()
            .args([
                "run",
                "tauri",
                "--",
                "build",
                "--ci",
                "--bundles",
                bundles(),
            ])
            .env("TAURI_APP_PATH", root().join("src-tauri"))
            .env("TAURI_FRONTEND_PATH", root().join("ui")),
    )?;
    let installers = installers(&bundle_dir)?;
    println!(
        "\nThe installers, built in {}:",
        minutes_and_seconds(started.elapsed())
    );
    for installer in &installers {
        println!("  {}  {}", installer.display(), megabytes(installer));
    }
    Ok(())
}

/// The installer files the bundler made: each kind in a folder of its own.
fn installers(bundle_dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let kinds = std::fs::read_dir(bundle_dir)
        .map_err(|error| format!("could not read {}: {error}", bundle_dir.display()))?;
    for kind in kinds.flatten() {
        for file in std::fs::read_dir(kind.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = file.path();
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ["deb", "rpm", "msi", "dmg"].contains(&extension) && path.is_file() {
                found.push(path);
            }
        }
    }
    found.sort();
    if found.is_empty() {
        return Err(format!(
            "the bundler made no installer in {}",
            bundle_dir.display()
        ));
    }
    Ok(found)
}

fn megabytes(path: &Path) -> String {
    let bytes = std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(0);
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

fn minutes_and_seconds(elapsed: Duration) -> String {
    let seconds = elapsed.as_secs();
    format!("{} min {:02} s", seconds / 60, seconds % 60)
}

/// `cargo xtask install-test`: the .deb `package` made, installed with
/// apt-get as a person would: first numbered as an earlier version, whose
/// installed app is opened under Xvfb on data from the first release
/// (which it updates, keeping a copy first); then this version installed
/// over it, the data folder checked to be untouched, its command line and
/// menu entry checked; then the package removed, and the data checked to
/// be still there, unchanged.
pub fn install_test() -> TaskResult {
    if !cfg!(target_os = "linux") || !on_path("dpkg") {
        return Err("the install test installs the .deb: it runs on Debian or Ubuntu".into());
    }
    if !is_root() {
        return Err(
            "the install test installs and removes a package, so it runs as root: \
             sudo -E cargo xtask install-test"
                .into(),
        );
    }
    ensure_debian_packages(TEST_PACKAGES)?;
    ensure_ui_packages()?;
    let tauri_driver = ensure_tauri_driver()?;
    let deb = the_deb()?;
    if package_installed() {
        return Err(format!(
            "Careledger's package is installed on this machine already. The install test \
             installs and removes it, so remove it first: apt-get remove {PACKAGE_NAME}"
        ));
    }
    // Stands for the person's home: their data and settings folders.
    let home = target_dir().join("install-test");
    if home.exists() {
        std::fs::remove_dir_all(&home)
            .map_err(|error| format!("could not clear {}: {error}", home.display()))?;
    }
    std::fs::create_dir_all(&home)
        .map_err(|error| format!("could not make {}: {error}", home.display()))?;

    // An earlier version first (this package, numbered lower), so that the
    // data is made by it and this one is installed over it, as an update.
    let earlier = earlier_version_of(&deb, &home)?;
    let installed = Installed::install(&earlier)?;
    check_package_contents(&earlier)?;
    run(
        "the installed app in a real window, on data from the first release",
        crate::setup::cargo()
            .args([
                "test",
                "--package",
                "careledger-e2e",
                "--test",
                "installed",
                "--",
                "--nocapture",
            ])
            .env("PATH", path_with_driver(&tauri_driver)?)
            .env("CARELEDGER_APP", format!("/usr/bin/{PACKAGE_NAME}"))
            .env("CARELEDGER_INSTALL_TEST_HOME", &home),
    )?;
    let data_dir = home.join("data").join(APP_FOLDER);
    let before_update = folder_contents(&data_dir)?;
    run(
        &format!("install {} over the earlier version", deb.display()),
        Command::new("apt-get")
            .args(["install", "-y", "-q"])
            .arg(&deb)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    let version = output(Command::new("dpkg-query").args(["-W", "-f=${Version}", PACKAGE_NAME]))?;
    if version != env!("CARGO_PKG_VERSION") {
        return Err(format!(
            "after the update dpkg has version {version} installed"
        ));
    }
    if folder_contents(&data_dir)? != before_update {
        return Err(format!(
            "installing the newer package changed the data folder {}",
            data_dir.display()
        ));
    }
    println!("Updated to {version} over the earlier version; the data folder is as it was.");
    check_package_contents(&deb)?;
    check_command_line(&home)?;
    check_statement_from_the_command_line(&data_dir, &home)?;

    let kept = folder_contents(&data_dir)?;
    installed.remove()?;
    if Path::new("/usr/bin").join(PACKAGE_NAME).exists() {
        return Err(format!(
            "/usr/bin/{PACKAGE_NAME} is still there after removing the package"
        ));
    }
    if folder_contents(&data_dir)? != kept {
        return Err(format!(
            "removing the package changed the data folder {}",
            data_dir.display()
        ));
    }
    println!(
        "\nInstall test passed: {} installed, used and removed; the data folder {} is kept as it was ({} files).",
        deb.display(),
        data_dir.display(),
        kept.len()
    );
    Ok(())
}

/// The same package numbered as an earlier version (0.0.1), made in
/// `folder` with dpkg-deb: installing `deb` over it is an update.
fn earlier_version_of(deb: &Path, folder: &Path) -> Result<PathBuf, String> {
    let unpacked = folder.join("earlier-package");
    output(
        Command::new("dpkg-deb")
            .arg("--raw-extract")
            .arg(deb)
            .arg(&unpacked),
    )?;
    let control_path = unpacked.join("DEBIAN").join("control");
    let control = std::fs::read_to_string(&control_path)
        .map_err(|error| format!("could not read {}: {error}", control_path.display()))?;
    let earlier: String = control
        .lines()
        .map(|line| match line.strip_prefix("Version: ") {
            Some(_) => "Version: 0.0.1".to_owned(),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&control_path, earlier + "\n")
        .map_err(|error| format!("could not write {}: {error}", control_path.display()))?;
    let earlier_deb = folder.join("careledger_0.0.1_amd64.deb");
    output(
        Command::new("dpkg-deb")
            .args(["--root-owner-group", "--build"])
            .arg(&unpacked)
            .arg(&earlier_deb),
    )?;
    Ok(earlier_deb)
}

/// The one .deb that `cargo xtask package` made.
fn the_deb() -> Result<PathBuf, String> {
    let debs: Vec<PathBuf> = installers(&bundle_dir())
        .unwrap_or_default()
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "deb"))
        .collect();
    match debs.as_slice() {
        [deb] => Ok(deb.clone()),
        [] => Err("there is no .deb to install: run `cargo xtask package` first".into()),
        _ => Err(format!("more than one .deb to choose from: {debs:?}")),
    }
}

fn package_installed() -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", PACKAGE_NAME])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

/// The package while it is installed: removed when dropped, so a failed
/// check leaves the machine as it was.
struct Installed {
    removed: bool,
}

impl Installed {
    fn install(deb: &Path) -> Result<Installed, String> {
        // Made first, so that an install that fails half-way is undone too.
        let installed = Installed { removed: false };
        run(
            &format!("install {} with apt-get", deb.display()),
            Command::new("apt-get")
                .args(["install", "-y", "-q"])
                .arg(deb)
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )?;
        Ok(installed)
    }

    fn remove(mut self) -> TaskResult {
        self.removed = true;
        run(
            "remove the package with apt-get",
            Command::new("apt-get")
                .args(["remove", "-y", "-q", PACKAGE_NAME])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )
    }
}

impl Drop for Installed {
    fn drop(&mut self) {
        if !self.removed {
            let _ = run(
                "remove the package again, as the install test failed",
                Command::new("apt-get")
                    .args(["remove", "-y", "-q", PACKAGE_NAME])
                    .env("DEBIAN_FRONTEND", "noninteractive"),
            );
        }
    }
}

/// The program on PATH, the menu entry, the icons at every size; and no
/// script of the package's own runs when it is installed, upgraded or
/// removed, so nothing the package does can touch a person's data.
fn check_package_contents(deb: &Path) -> TaskResult {
    println!("\n==> check what the package installed");
    let program = Path::new("/usr/bin").join(PACKAGE_NAME);
    if !program.is_file() {
        return Err(format!("{} is not installed", program.display()));
    }
    let entry_path = Path::new("/usr/share/applications/Careledger.desktop");
    let entry = std::fs::read_to_string(entry_path).map_err(|error| {
        format!(
            "the menu entry {} is missing: {error}",
            entry_path.display()
        )
    })?;
    for line in [
        "Name=Careledger",
        "Exec=careledger",
        "Icon=careledger",
        "Type=Application",
    ] {
        if !entry.lines().any(|l| l == line) {
            return Err(format!("the menu entry has no {line:?} line:\n{entry}"));
        }
    }
    for size in ICON_SIZES {
        let icon = PathBuf::from(format!(
            "/usr/share/icons/hicolor/{size}x{size}/apps/{PACKAGE_NAME}.png"
        ));
        if !icon.is_file() {
            return Err(format!("no {size}×{size} icon at {}", icon.display()));
        }
    }
    let control = output(Command::new("dpkg-deb").arg("--info").arg(deb))?;
    for script in ["preinst", "postinst", "prerm", "postrm"] {
        if control.split_whitespace().any(|word| word == script) {
            return Err(format!("the package has a {script} script:\n{control}"));
        }
    }
    println!(
        "{} on PATH, the menu entry, icons at {} pixels, and no install or remove scripts.",
        program.display(),
        ICON_SIZES
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

/// `careledger --version` and `careledger statement --help`, from PATH,
/// as a person would type them.
fn check_command_line(home: &Path) -> TaskResult {
    println!("\n==> careledger --version and careledger statement --help, from PATH");
    let version = output(careledger(home).arg("--version"))?;
    print!("{version}");
    let expected = [
        format!("Careledger {}", env!("CARGO_PKG_VERSION")),
        format!(
            "Data folder: {}",
            home.join("data").join(APP_FOLDER).display()
        ),
    ];
    for line in &expected {
        if !version.lines().any(|l| l == line) {
            return Err(format!("`careledger --version` did not say {line:?}"));
        }
    }
    for words in ["Licence: GNU Affero", "Report a problem: https://"] {
        if !version.contains(words) {
            return Err(format!("`careledger --version` did not say {words:?}"));
        }
    }
    let help = output(careledger(home).args(["statement", "--help"]))?;
    if !help.starts_with("Usage: careledger statement") {
        return Err(format!("`careledger statement --help` said:\n{help}"));
    }
    println!("{}", help.lines().next().unwrap_or_default());
    Ok(())
}

/// A statement made by the installed command line from the data the app
/// updated.
fn check_statement_from_the_command_line(data_dir: &Path, home: &Path) -> TaskResult {
    println!("\n==> careledger statement, from PATH, on the updated data");
    let pdf = home.join("statement.pdf");
    let said = output(careledger(home).args([
        "statement",
        "--data-dir",
        &data_dir.display().to_string(),
        "--holder",
        "Arthur Ames",
        "--from",
        "1/4/2026",
        "--to",
        "30/6/2026",
        "--out",
        &pdf.display().to_string(),
    ]))?;
    print!("{said}");
    let bytes = std::fs::read(&pdf).map_err(|error| format!("no statement made: {error}"))?;
    if !bytes.starts_with(b"%PDF-") {
        return Err(format!("{} is not a PDF", pdf.display()));
    }
    Ok(())
}

/// The installed `careledger`, found on PATH, with the home folders
/// pointed into `home`.
fn careledger(home: &Path) -> Command {
    let mut command = Command::new(PACKAGE_NAME);
    command
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env_remove("CARELEDGER_DATA_DIR");
    command
}

/// Runs `command` and returns what it printed, or fails with it all.
fn output(command: &mut Command) -> Result<String, String> {
    let Output {
        status,
        stdout,
        stderr,
    } = command
        .output()
        .map_err(|error| format!("could not run {command:?}: {error}"))?;
    let stdout = String::from_utf8_lossy(&stdout).into_owned();
    if !status.success() {
        return Err(format!(
            "{command:?} failed ({status}):\n{stdout}{}",
            String::from_utf8_lossy(&stderr)
        ));
    }
    Ok(stdout)
}

/// Every file under `folder`, with its contents: to tell whether anything
/// in it changed.
fn folder_contents(folder: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let mut files = Vec::new();
    let mut folders = vec![folder.to_owned()];
    while let Some(next) = folders.pop() {
        let entries = std::fs::read_dir(&next)
            .map_err(|error| format!("could not read {}: {error}", next.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes = std::fs::read(&path)
                    .map_err(|error| format!("could not read {}: {error}", path.display()))?;
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(format!("the data folder {} is empty", folder.display()));
    }
    Ok(files)
}
