//! The system's file dialogs, shown from Rust (the UI is granted none of
//! the dialog plugin's own commands), with a way past them for the
//! end-to-end tests: WebDriver cannot reach a native dialog.

use std::path::PathBuf;

use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

/// When set, save dialogs are not shown: files are saved in this folder
/// under the name the dialog would have offered.
pub const TEST_SAVE_DIR_ENV: &str = "CARELEDGER_TEST_SAVE_DIR";

/// When set, open dialogs are not shown: this file is chosen.
pub const TEST_OPEN_FILE_ENV: &str = "CARELEDGER_TEST_OPEN_FILE";

/// When set, folder dialogs are not shown: this folder is chosen.
pub const TEST_OPEN_FOLDER_ENV: &str = "CARELEDGER_TEST_OPEN_FOLDER";

/// What kind of file a dialog is for: its name in the dialog, and the
/// endings it shows.
pub struct FileKind {
    pub name: &'static str,
    pub extensions: &'static [&'static str],
}

/// Asks where to save `file_name`, starting in the Documents folder.
/// `None` if the person cancelled.
pub fn choose_save_path(
    app: &AppHandle,
    title: &str,
    file_name: &str,
    kind: &FileKind,
) -> Option<PathBuf> {
    if let Some(folder) = std::env::var_os(TEST_SAVE_DIR_ENV) {
        return Some(PathBuf::from(folder).join(file_name));
    }
    dialog(app, title, kind)
        .set_file_name(file_name)
        .blocking_save_file()
        .and_then(|chosen| chosen.into_path().ok())
}

/// Asks which file to open. `None` if the person cancelled.
pub fn choose_file_to_open(app: &AppHandle, title: &str, kind: &FileKind) -> Option<PathBuf> {
    if let Some(file) = std::env::var_os(TEST_OPEN_FILE_ENV) {
        return Some(PathBuf::from(file));
    }
    dialog(app, title, kind)
        .blocking_pick_file()
        .and_then(|chosen| chosen.into_path().ok())
}

/// Asks which folder to use. `None` if the person cancelled.
pub fn choose_folder(app: &AppHandle, title: &str) -> Option<PathBuf> {
    if let Some(folder) = std::env::var_os(TEST_OPEN_FOLDER_ENV) {
        return Some(PathBuf::from(folder));
    }
    app.dialog()
        .file()
        .set_title(title)
        .blocking_pick_folder()
        .and_then(|chosen| chosen.into_path().ok())
}

/// A file dialog titled `title`, showing files of `kind`, starting in the
/// Documents folder.
fn dialog(app: &AppHandle, title: &str, kind: &FileKind) -> FileDialogBuilder<tauri::Wry> {
    let dialog = app
        .dialog()
        .file()
        .set_title(title)
        .add_filter(kind.name, kind.extensions);
    match app.path().document_dir() {
        Ok(documents) => dialog.set_directory(documents),
        Err(_) => dialog,
    }
}
