//! The statement screen's commands: preview, save and open to print. Core
//! makes the statement; these only carry its bytes to the screen, to a file
//! the person chooses, or to the system's PDF viewer.

use std::path::PathBuf;

use careledger_core::statement::{to_csv, PeriodChoice, StatementFormat};
use careledger_core::statement_pdf::PrintOptions;
use careledger_core::{ErrorCode, ErrorReport, HolderId};
use tauri::ipc::Response;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;

use crate::files::write_whole_file;
use crate::state::{today, AppState};

/// When set, the save dialog is not shown and files are saved in this
/// folder under the name the dialog would offer: the end-to-end tests' way
/// past the system's file dialog, which WebDriver cannot reach.
pub const TEST_SAVE_DIR_ENV: &str = "CARELEDGER_TEST_SAVE_DIR";

type CommandResult<T> = Result<T, ErrorReport>;

fn app_error(message: String) -> ErrorReport {
    ErrorReport {
        code: ErrorCode::App,
        message,
        field: None,
    }
}

#[tauri::command]
pub fn statement_periods(
    state: State<'_, AppState>,
    holder_id: HolderId,
) -> CommandResult<Vec<PeriodChoice>> {
    state.with_store(|store| store.statement_periods(holder_id, today()))
}

/// The statement as a PDF, for the preview. Async, so a long statement
/// with many receipts does not hold up the window while it is made.
#[tauri::command]
pub async fn statement_preview(
    state: State<'_, AppState>,
    holder_id: HolderId,
    from: String,
    to: String,
    options: PrintOptions,
) -> CommandResult<Response> {
    let (_, pdf) =
        state.with_store(|store| store.statement_pdf(holder_id, &from, &to, &options))?;
    Ok(Response::new(pdf))
}

/// Saves the statement (PDF) or its entries (CSV) where the person chooses.
/// Returns where it was saved, or `None` if they cancelled.
#[tauri::command]
pub async fn save_statement(
    app: AppHandle,
    state: State<'_, AppState>,
    holder_id: HolderId,
    from: String,
    to: String,
    options: PrintOptions,
    format: StatementFormat,
) -> CommandResult<Option<String>> {
    let (statement, bytes) = state.with_store(|store| {
        let (statement, pdf) = store.statement_pdf(holder_id, &from, &to, &options)?;
        let bytes = match format {
            StatementFormat::Pdf => pdf,
            StatementFormat::Csv => to_csv(&statement)?,
        };
        Ok((statement, bytes))
    })?;
    let file_name = statement.file_name(format);
    let path = match std::env::var_os(TEST_SAVE_DIR_ENV) {
        Some(folder) => Some(PathBuf::from(folder).join(&file_name)),
        None => {
            let (filter, extensions): (&str, &[&str]) = match format {
                StatementFormat::Pdf => ("PDF document", &["pdf"]),
                StatementFormat::Csv => ("Spreadsheet (CSV)", &["csv"]),
            };
            let mut dialog = app
                .dialog()
                .file()
                .set_title("Save the statement")
                .set_file_name(&file_name)
                .add_filter(filter, extensions);
            if let Ok(documents) = app.path().document_dir() {
                dialog = dialog.set_directory(documents);
            }
            dialog
                .blocking_save_file()
                .and_then(|chosen| chosen.into_path().ok())
        }
    };
    let Some(path) = path else {
        return Ok(None);
    };
    write_whole_file(&path, &bytes).map_err(app_error)?;
    Ok(Some(path.display().to_string()))
}

/// Writes the statement to Careledger's own folder of statements and opens
/// it in the system's PDF viewer, to print. Returns where it was written.
#[tauri::command]
pub async fn open_statement(
    app: AppHandle,
    state: State<'_, AppState>,
    holder_id: HolderId,
    from: String,
    to: String,
    options: PrintOptions,
) -> CommandResult<String> {
    let (statement, pdf) =
        state.with_store(|store| store.statement_pdf(holder_id, &from, &to, &options))?;
    let folder = app
        .path()
        .app_cache_dir()
        .map_err(|error| {
            app_error(format!(
                "Careledger could not find a folder to put the statement in: {error}."
            ))
        })?
        .join("statements");
    std::fs::create_dir_all(&folder).map_err(|error| {
        app_error(format!(
            "Careledger could not make the folder {}: {error}.",
            folder.display()
        ))
    })?;
    let path = folder.join(statement.file_name(StatementFormat::Pdf));
    write_whole_file(&path, &pdf).map_err(app_error)?;
    open::that_detached(&path).map_err(|error| {
        app_error(format!(
            "The statement is saved as {}, but Careledger could not open a PDF viewer ({error}). Open that file to print it.",
            path.display()
        ))
    })?;
    Ok(path.display().to_string())
}
