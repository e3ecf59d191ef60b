//! The "Your data" screen's commands: back up, restore, export everything
//! and bring an export back. Core does the work; these choose the files
//! (through the system's dialogs) and swap the open store on a restore.

use careledger_core::export::Exports;
use std::path::PathBuf;
use std::sync::Mutex;

use careledger_core::backup::{
    diagnose_data_file, inspect, list_backups, listed_backup, restore_with, BackupPreview,
    BackupSummary, DataFolders, RecoveryInfo, RestoreOutcome,
};
use careledger_core::export::ExportSummary;
use careledger_core::second_place::{
    check_second_place, copy_to_second_place_with, second_place_status, BackupHealth, DataSettings,
};
use careledger_core::store::{BackupFiles, DATABASE_FILE_NAME};
use careledger_core::{ErrorReport, Store};
use chrono::Utc;
use tauri::{AppHandle, State};

use crate::dialogs::{choose_file_to_open, choose_folder, choose_save_path, FileKind};
use crate::launch::remember_data_dir;
use crate::long_work::LongWork;
use crate::state::{app_error, today, AppState, BackupMoment};

type CommandResult<T> = Result<T, ErrorReport>;

const BACKUP_FILES: FileKind = FileKind {
    name: "Careledger backup",
    extensions: &["sqlite3"],
};
const EXPORT_FILES: FileKind = FileKind {
    name: "Careledger export (zip)",
    extensions: &["zip"],
};

/// The file chosen to restore from, kept here between the preview and
/// the "Restore" button, so the UI never hands the app a path of its own.
#[derive(Default)]
pub struct ChosenRestore(Mutex<Option<Chosen>>);

enum Chosen {
    /// A backup file, restored as it is.
    Backup(PathBuf),
    /// An export, already rebuilt as a database in this temporary file.
    Export(PathBuf),
}

impl ChosenRestore {
    /// Keeps `next` as the file to restore, discarding any chosen before.
    fn replace(&self, next: Chosen) {
        if let Some(earlier) = self.slot().replace(next) {
            earlier.discard();
        }
    }

    /// Forgets the chosen file, if any.
    fn forget(&self) {
        if let Some(earlier) = self.take() {
            earlier.discard();
        }
    }

    /// Takes the chosen file, leaving none.
    fn take(&self) -> Option<Chosen> {
        self.slot().take()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Chosen>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Chosen {
    fn database(&self) -> &PathBuf {
        match self {
            Chosen::Backup(path) | Chosen::Export(path) => path,
        }
    }

    /// Deletes the database rebuilt from an export; a backup file is the
    /// person's own and is left alone.
    fn discard(self) {
        if let Chosen::Export(path) = self {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[tauri::command]
pub fn data_folders(state: State<'_, AppState>) -> DataFolders {
    careledger_core::backup::data_folders(&state.data_dir())
}

/// Saves a checked backup where the person chooses (a USB stick, say).
/// `None` if they cancelled.
#[tauri::command]
pub async fn back_up_now(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CommandResult<Option<BackupSummary>> {
    let name = format!("Careledger backup {}.backup.sqlite3", today());
    let Some(path) = choose_save_path(&app, "Save a backup", &name, &BACKUP_FILES) else {
        return Ok(None);
    };
    state.protected().check(&path)?;
    state
        .with_store(|store| store.backup_to(&path, BackupFiles::Carried))
        .map(Some)
}

/// Saves everything as one zip of open formats. `None` if cancelled.
#[tauri::command]
pub async fn export_everything(
    app: AppHandle,
    state: State<'_, AppState>,
    work: State<'_, LongWork>,
) -> CommandResult<Option<ExportSummary>> {
    let name = format!("Careledger export {}.zip", today());
    let Some(path) = choose_save_path(&app, "Export everything", &name, &EXPORT_FILES) else {
        return Ok(None);
    };
    state.protected().check(&path)?;
    let watched = work.start("Exporting everything");
    let progress = watched.progress();
    state
        .with_store(|store| store.export_all_with(&path, &progress))
        .map(Some)
}

/// Asks for a backup file and says what it holds, changing nothing.
/// `None` if cancelled.
#[tauri::command]
pub async fn choose_backup(
    app: AppHandle,
    chosen: State<'_, ChosenRestore>,
) -> CommandResult<Option<BackupPreview>> {
    // Whatever happens next, the file chosen before is no longer the one
    // the screen offers to restore.
    chosen.forget();
    let Some(path) = choose_file_to_open(&app, "Choose a backup to restore", &BACKUP_FILES) else {
        return Ok(None);
    };
    let preview = inspect(&path)?;
    chosen.replace(Chosen::Backup(path));
    Ok(Some(preview))
}

/// Asks for an export, checks it whole, rebuilds its data beside the data
/// folder's, and says what it holds. The current data is not touched.
#[tauri::command]
pub async fn choose_export(
    app: AppHandle,
    state: State<'_, AppState>,
    chosen: State<'_, ChosenRestore>,
    work: State<'_, LongWork>,
) -> CommandResult<Option<BackupPreview>> {
    chosen.forget();
    let Some(path) = choose_file_to_open(&app, "Choose an export to bring back", &EXPORT_FILES)
    else {
        return Ok(None);
    };
    let rebuilt = state
        .data_dir()
        .join(format!(".import-{}.sqlite3", Utc::now().timestamp_millis()));
    let watched = work.start("Checking the export");
    drop(Store::import_all_with(
        &path,
        &rebuilt,
        &watched.progress(),
    )?);
    drop(watched);
    match inspect(&rebuilt) {
        Ok(mut preview) => {
            preview.path = path.display().to_string();
            preview.file_name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            chosen.replace(Chosen::Export(rebuilt));
            Ok(Some(preview))
        }
        Err(error) => {
            let _ = std::fs::remove_file(&rebuilt);
            Err(error.into())
        }
    }
}

/// Puts the chosen backup or export in place of the current data, after a
/// safety backup of it.
#[tauri::command]
pub async fn restore_chosen(
    state: State<'_, AppState>,
    chosen: State<'_, ChosenRestore>,
    work: State<'_, LongWork>,
) -> CommandResult<RestoreOutcome> {
    let taken = chosen
        .take()
        .ok_or_else(|| app_error("Choose the backup to restore first.".into()))?;
    let backups = state.backups_dir();
    let watched = work.start("Restoring");
    let result = state.replace_store(|database| {
        restore_with(
            database,
            taken.database(),
            &backups,
            Utc::now(),
            &watched.progress(),
        )
    });
    taken.discard();
    result
}

/// Forgets the chosen file without restoring it.
#[tauri::command]
pub fn cancel_restore(chosen: State<'_, ChosenRestore>) {
    chosen.forget();
}

/// How the automatic backups are doing: the last one's problem, if any,
/// and where the second copies stand.
#[tauri::command]
pub fn backup_health(state: State<'_, AppState>) -> BackupHealth {
    BackupHealth {
        problem: state.backup_problem(),
        second_place: second_place_status(&state.data_dir(), Utc::now()),
    }
}

/// Asks for a folder on another drive to receive a copy of every automatic
/// backup, and copies the newest there at once. `None` if cancelled.
#[tauri::command]
pub async fn choose_second_place(
    app: AppHandle,
    state: State<'_, AppState>,
    work: State<'_, LongWork>,
) -> CommandResult<Option<BackupHealth>> {
    let Some(folder) = choose_folder(&app, "Choose a second place for your backups") else {
        return Ok(None);
    };
    let data_dir = state.data_dir();
    check_second_place(&data_dir, &folder)?;
    let settings = DataSettings {
        second_place: Some(folder),
    };
    let copies = settings
        .second_place_folder()
        .ok_or_else(|| app_error("Choose a folder for the second copies.".into()))?;
    // A fresh backup, so the first copy there holds everything up to now.
    let backup = state.with_store(|store| {
        careledger_core::backup::refresh_todays_backup(
            store,
            &data_dir.join(careledger_core::backup::BACKUPS_FOLDER),
            today(),
        )
    })?;
    // The first copy takes every receipt: watched, and can be stopped.
    let watched = work.start("Copying to the second place");
    copy_to_second_place_with(&backup, &copies, today(), &watched.progress())?;
    drop(watched);
    settings.write(&data_dir)?;
    Ok(Some(backup_health(state)))
}

/// What the recovery screen needs when the data would not open: what is
/// wrong with the file, and every backup that could take its place.
#[tauri::command]
pub async fn recovery_info(state: State<'_, AppState>) -> CommandResult<RecoveryInfo> {
    let data_dir = state.data_dir();
    let database = data_dir.join(DATABASE_FILE_NAME);
    let mut backups = list_backups(&state.backups_dir(), false);
    if let Some(folder) = DataSettings::read(&data_dir).second_place_folder() {
        backups.extend(list_backups(&folder, true));
    }
    Ok(RecoveryInfo {
        problem: diagnose_data_file(&database),
        data_file: database.display().to_string(),
        backups,
    })
}

/// Restores one of the backups the recovery screen listed, named by its
/// file name (and whether it is in the second place): nothing else can be
/// reached this way.
#[tauri::command]
pub async fn restore_listed(
    state: State<'_, AppState>,
    work: State<'_, LongWork>,
    file_name: String,
    in_second_place: bool,
) -> CommandResult<RestoreOutcome> {
    let folder = if in_second_place {
        DataSettings::read(&state.data_dir())
            .second_place_folder()
            .ok_or(careledger_core::Error::NotFound { what: "backup" })?
    } else {
        state.backups_dir()
    };
    let backup = listed_backup(&folder, &file_name)?;
    let backups = state.backups_dir();
    let watched = work.start("Restoring");
    state.replace_store(|database| {
        restore_with(database, &backup, &backups, Utc::now(), &watched.progress())
    })
}

/// Asks for another data folder and opens the data there (a new, empty one
/// if it holds none), remembering it for next time. The data open now stays
/// open if the chosen folder's cannot be. `None` if cancelled.
#[tauri::command]
pub async fn choose_data_folder(
    app: AppHandle,
    state: State<'_, AppState>,
) -> CommandResult<Option<careledger_core::AppInfo>> {
    let Some(folder) = choose_folder(&app, "Choose a folder for your Careledger data") else {
        return Ok(None);
    };
    let info = state.switch_data_folder(folder.clone())?;
    remember_data_dir(&folder);
    Ok(Some(info))
}

/// Makes an automatic backup if there are changes not yet in one: called
/// as the app closes.
pub fn back_up_on_close(state: &AppState) {
    state.back_up_if_changed(BackupMoment::Closing);
}
