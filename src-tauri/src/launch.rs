//! Command-line options and where the data lives.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Points the app at another data folder: for tests, and for people who keep
/// their data on a USB stick.
pub const DATA_DIR_ENV: &str = "CARELEDGER_DATA_DIR";

/// The app's identifier, as `tauri.conf.json` has it (a test checks): the
/// name of its folders in the platform's data and settings folders.
pub const IDENTIFIER: &str = "org.careledger.desktop";

/// What the app was started with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaunchOptions {
    /// `--data-dir DIR`: use this folder for the data.
    pub data_dir: Option<PathBuf>,
    /// `--demo`: fill an empty data folder with a sample holder.
    pub demo: bool,
}

impl LaunchOptions {
    /// Reads `--data-dir DIR` (or `--data-dir=DIR`) and `--demo`. Anything
    /// else is ignored, so that launchers which add their own arguments do
    /// not stop the app from starting.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> LaunchOptions {
        let mut options = LaunchOptions::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--demo" {
                options.demo = true;
            } else if arg == "--data-dir" {
                options.data_dir = args.next().map(PathBuf::from);
            } else if let Some(dir) = arg.strip_prefix("--data-dir=") {
                options.data_dir = Some(PathBuf::from(dir));
            }
        }
        options
    }

    /// The data folder: `--data-dir`, else `CARELEDGER_DATA_DIR`, else the
    /// platform's app data folder (which `platform_default` supplies), else
    /// the current folder as a last resort.
    pub fn data_dir(&self, platform_default: impl FnOnce() -> Option<PathBuf>) -> PathBuf {
        self.data_dir
            .clone()
            .or_else(|| {
                std::env::var_os(DATA_DIR_ENV)
                    .filter(|dir| !dir.is_empty())
                    .map(PathBuf::from)
            })
            .or_else(platform_default)
            .unwrap_or_else(|| PathBuf::from(OsString::from(".")))
    }
}

/// The file, in the app's settings folder, that remembers a data folder
/// the person chose in the app.
const CHOSEN_DATA_DIR_FILE: &str = "data-folder.txt";

/// The app's settings folder: the platform's settings folder and the
/// identifier, as Tauri's `app_config_dir` makes it (on Linux
/// `~/.config/org.careledger.desktop`). Worked out here, without a running
/// app, so that `careledger --version` finds what the window finds.
fn config_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join(IDENTIFIER))
}

/// Where the data is when neither `--data-dir` nor `CARELEDGER_DATA_DIR`
/// says: the folder the person chose in the app last time, else the
/// platform's app data folder, as Tauri's `app_data_dir` makes it (on Linux
/// `~/.local/share/org.careledger.desktop`).
pub fn platform_data_dir() -> Option<PathBuf> {
    config_dir()
        .and_then(|dir| remembered_data_dir(&dir))
        .or_else(app_data_dir)
}

/// The platform's app data folder, as Tauri's `app_data_dir` makes it.
fn app_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join(IDENTIFIER))
}

/// The data folder the person chose in the app last time, if any.
fn remembered_data_dir(config_dir: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(config_dir.join(CHOSEN_DATA_DIR_FILE)).ok()?;
    let folder = text.trim_end_matches(['\n', '\r']);
    (!folder.is_empty()).then(|| PathBuf::from(folder))
}

/// Remembers `data_dir` as the data folder for the next start. Failing to
/// remember it only means the next start opens the usual folder, which the
/// person can change again, so it is reported on the terminal only.
pub fn remember_data_dir(data_dir: &Path) {
    let Some(config_dir) = config_dir() else {
        return;
    };
    if let Err(error) = write_remembered(&config_dir, data_dir) {
        eprintln!(
            "Careledger could not remember the data folder {}: {error}",
            data_dir.display()
        );
    }
}

fn write_remembered(config_dir: &Path, data_dir: &Path) -> careledger_core::Result<()> {
    let action = "remember the data folder";
    std::fs::create_dir_all(config_dir)
        .map_err(|error| careledger_core::disk::file_error(action.into(), error))?;
    careledger_core::disk::write_file_safely(
        &config_dir.join(CHOSEN_DATA_DIR_FILE),
        data_dir.to_string_lossy().as_bytes(),
        action,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> LaunchOptions {
        LaunchOptions::from_args(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn reads_data_dir_and_demo() {
        assert_eq!(args(&[]), LaunchOptions::default());
        assert_eq!(
            args(&["--demo", "--data-dir", "/tmp/x"]),
            LaunchOptions {
                data_dir: Some("/tmp/x".into()),
                demo: true
            }
        );
        assert_eq!(
            args(&["--data-dir=/tmp/y"]).data_dir,
            Some(PathBuf::from("/tmp/y"))
        );
        assert_eq!(args(&["--unknown", "value"]), LaunchOptions::default());
    }

    #[test]
    fn a_chosen_folder_is_remembered() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(remembered_data_dir(dir.path()), None);
        write_remembered(dir.path(), Path::new("/media/usb/my data")).unwrap();
        assert_eq!(
            remembered_data_dir(dir.path()),
            Some(PathBuf::from("/media/usb/my data"))
        );
    }

    #[test]
    fn the_identifier_is_the_one_tauri_conf_json_gives_the_app() {
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        assert_eq!(config["identifier"], IDENTIFIER);
        for folder in [config_dir(), app_data_dir()] {
            let folder = folder.expect("the platform has the folder");
            assert!(folder.ends_with(IDENTIFIER), "{}", folder.display());
        }
    }

    #[test]
    fn the_command_line_wins_over_the_platform_folder() {
        let options = args(&["--data-dir", "/media/usb/careledger"]);
        assert_eq!(
            options.data_dir(|| Some("/home/a/.local/share/x".into())),
            PathBuf::from("/media/usb/careledger")
        );
    }
}
