//! The statement screen's commands: preview, save and open to print. Core
//! makes the statement; these only carry its bytes to the screen, to a file
//! the person chooses, or to the system's PDF viewer.

use careledger_core::print_cache::PrintCache;
use careledger_core::statement::{PeriodChoice, Statement, StatementFormat};
use careledger_core::statement_csv::to_csv;
use careledger_core::statement_pdf::{PrintOptions, ReceiptFile};
use careledger_core::views::Views;
use careledger_core::{ErrorReport, HolderId};
use tauri::ipc::Response;
use tauri::{AppHandle, Manager, State};

use crate::dialogs::{choose_save_path, FileKind};
use crate::long_work::LongWork;
use crate::state::{app_error, off_the_lock, today, AppState};

type CommandResult<T> = Result<T, ErrorReport>;

#[tauri::command]
pub fn statement_periods(
    state: State<'_, AppState>,
    holder_id: HolderId,
) -> CommandResult<Vec<PeriodChoice>> {
    state.with_store(|store| store.statement_periods(holder_id, today()))
}

/// The statement as a PDF, for the preview. Async, and drawn after the
/// store is let go, so a long statement with many receipts holds up
/// neither the window nor the other screens while it is made.
#[tauri::command]
pub async fn statement_preview(
    app: AppHandle,
    holder_id: HolderId,
    from: String,
    to: String,
    options: PrintOptions,
) -> CommandResult<Response> {
    let (_, pdf) = statement_pdf(&app, holder_id, &from, &to, &options).await?;
    Ok(Response::new(pdf))
}

/// The statement itself, for the preview's text view: the same content the
/// PDF draws, as core works it out, for the screen to lay out as headings
/// and tables. Async, so the window never waits on it; the store is held
/// only while the statement is read, as for the PDF.
#[tauri::command]
pub async fn statement_text(
    state: State<'_, AppState>,
    holder_id: HolderId,
    from: String,
    to: String,
) -> CommandResult<Statement> {
    state.with_store(|store| store.statement(holder_id, &from, &to))
}

/// The statement and its PDF. The store is held to read the statement,
/// then let go; the drawing happens on a thread for blocking work, taking
/// the store again only for a moment to read each receipt's file.
async fn statement_pdf(
    app: &AppHandle,
    holder_id: HolderId,
    from: &str,
    to: &str,
    options: &PrintOptions,
) -> CommandResult<(Statement, Vec<u8>)> {
    let to_print = app
        .state::<AppState>()
        .with_store(|store| store.statement_to_print(holder_id, from, to, options))?;
    let work = app.state::<LongWork>();
    let watched = work.start("Making the statement");
    let progress = watched.progress();
    progress.stage(
        "Making the statement: drawing the receipts",
        to_print.receipts().len() as u64,
    );
    let cache = print_cache(app);
    let app = app.clone();
    off_the_lock(move || {
        let state = app.state::<AppState>();
        let stored = |receipt: &ReceiptFile| {
            state.with_store(|store| store.evidence_content_to_print(&receipt.sha256))
        };
        to_print.render(|receipt| {
            // Stopped here, the PDF is dropped unwritten.
            progress.step()?;
            match &cache {
                Some(cache) => cache.file_to_print(receipt, || stored(receipt)),
                None => stored(receipt),
            }
        })
    })
    .await
}

/// Where receipts made ready to print are kept: in the app's cache folder,
/// as they can always be made again. `None` when there is no such folder;
/// statements are then slower, not wrong.
pub fn print_cache(app: &AppHandle) -> Option<PrintCache> {
    let dir = app.path().app_cache_dir().ok()?;
    Some(PrintCache::new(&dir.join("receipts-to-print")))
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
    let (statement, bytes) = match format {
        StatementFormat::Pdf => statement_pdf(&app, holder_id, &from, &to, &options).await?,
        // The CSV needs the figures only, not the printed pages.
        StatementFormat::Csv => {
            let statement = state.with_store(|store| store.statement(holder_id, &from, &to))?;
            let csv = to_csv(&statement)?;
            (statement, csv)
        }
    };
    let file_name = statement.file_name(format);
    let kind = match format {
        StatementFormat::Pdf => FileKind {
            name: "PDF document",
            extensions: &["pdf"],
        },
        StatementFormat::Csv => FileKind {
            name: "Spreadsheet (CSV)",
            extensions: &["csv"],
        },
    };
    let path = choose_save_path(&app, "Save the statement", &file_name, &kind);
    let Some(path) = path else {
        return Ok(None);
    };
    state.protected().write(&path, &bytes)?;
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
    let (statement, pdf) = statement_pdf(&app, holder_id, &from, &to, &options).await?;
    let folder = app
        .path()
        .app_cache_dir()
        .map_err(|_| {
            app_error(
                "Careledger could not find a folder to put the statement in. Save it as a PDF instead, then print it from there."
                    .into(),
            )
        })?
        .join("statements");
    std::fs::create_dir_all(&folder).map_err(|error| {
        app_error(format!(
            "Careledger could not make the folder {}: {}. Save it as a PDF instead, then print it from there.",
            folder.display(),
            careledger_core::error::plain_io_problem(&error)
        ))
    })?;
    careledger_core::private::make_folder_private(&folder);
    let path = folder.join(statement.file_name(StatementFormat::Pdf));
    state.protected().write(&path, &pdf)?;
    open::that_detached(&path).map_err(|_| {
        app_error(format!(
            "The statement is saved as {}, but Careledger could not open a PDF viewer. Open that file to print it.",
            path.display()
        ))
    })?;
    Ok(path.display().to_string())
}
