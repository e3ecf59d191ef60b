//! The account's own statements: choosing a file, seeing what it would
//! add, importing it, and checking the records against the account. The
//! chosen file's bytes are kept here between the steps, so the screen sends
//! only what the person decided.

use std::sync::Mutex;

use careledger_core::account_import::{
    read_statement_file, AccountCheckView, AccountImport, ChosenLine, CsvLayout, ImportSummary,
    LineChoice, StatementFile, StatementFilePreview,
};
use careledger_core::{ErrorReport, PersonId, PlanId};
use tauri::{AppHandle, State};

use crate::dialogs::{choose_file_to_open, FileKind};
use crate::state::{off_the_lock, today, AppState};

type CommandResult<T> = Result<T, ErrorReport>;

const STATEMENT_FILES: FileKind = FileKind {
    name: "Bank or card statement (CSV, OFX)",
    extensions: &["csv", "CSV", "ofx", "OFX", "qfx", "QFX", "txt", "TXT"],
};

/// The statement file being imported, for one plan.
#[derive(Default)]
pub struct ChosenStatement(Mutex<Option<Chosen>>);

struct Chosen {
    plan: PlanId,
    file_name: String,
    bytes: Vec<u8>,
}

impl ChosenStatement {
    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Chosen>> {
        // A panic elsewhere cannot leave the bytes half-changed.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `action` on the file chosen for `plan`.
    fn with<T>(
        &self,
        plan: PlanId,
        action: impl FnOnce(&Chosen) -> Result<T, ErrorReport>,
    ) -> Result<T, ErrorReport> {
        let slot = self.slot();
        match slot.as_ref() {
            Some(chosen) if chosen.plan == plan => action(chosen),
            _ => Err(careledger_core::Error::invalid(
                "file",
                "Choose the statement file again: Careledger no longer has it open.",
            )
            .into()),
        }
    }
}

/// Asks for a statement file and says what importing it would do, changing
/// nothing. `None` if cancelled.
#[tauri::command]
pub async fn choose_statement_file(
    app: AppHandle,
    state: State<'_, AppState>,
    chosen: State<'_, ChosenStatement>,
    plan_id: PlanId,
) -> CommandResult<Option<StatementFilePreview>> {
    *chosen.slot() = None;
    let Some(path) = choose_file_to_open(
        &app,
        "Choose the account's statement file",
        &STATEMENT_FILES,
    ) else {
        return Ok(None);
    };
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = off_the_lock(move || read_statement_file(&path)).await?;
    let preview =
        state.with_store(|store| store.preview_statement_file(plan_id, &bytes, None, today()))?;
    *chosen.slot() = Some(Chosen {
        plan: plan_id,
        file_name,
        bytes,
    });
    Ok(Some(preview))
}

/// What the chosen file would add when read with `layout`.
#[tauri::command]
pub fn preview_statement_file(
    state: State<'_, AppState>,
    chosen: State<'_, ChosenStatement>,
    plan_id: PlanId,
    layout: Option<CsvLayout>,
) -> CommandResult<StatementFilePreview> {
    chosen.with(plan_id, |file| {
        state.with_store(|store| {
            store.preview_statement_file(plan_id, &file.bytes, layout.as_ref(), today())
        })
    })
}

/// Imports the chosen file, with what the person decided line by line.
#[tauri::command]
pub fn import_statement_file(
    state: State<'_, AppState>,
    chosen: State<'_, ChosenStatement>,
    plan_id: PlanId,
    layout: Option<CsvLayout>,
    choices: Vec<ChosenLine>,
    person_id: PersonId,
) -> CommandResult<ImportSummary> {
    let summary = chosen.with(plan_id, |file| {
        let statement = StatementFile {
            bytes: &file.bytes,
            layout: layout.as_ref(),
            file_name: &file.file_name,
        };
        state.with_store(|store| {
            store.import_statement_choosing(plan_id, &statement, &choices, person_id, today())
        })
    })?;
    *chosen.slot() = None;
    Ok(summary)
}

/// The records against the account's balance on a day, kept for the review
/// statement.
#[tauri::command]
pub fn check_against_account(
    state: State<'_, AppState>,
    plan_id: PlanId,
    on: String,
    balance: String,
    person_id: PersonId,
) -> CommandResult<AccountCheckView> {
    state.with_store(|store| {
        let reconciliation =
            store.check_against_account(plan_id, &on, &balance, person_id, today())?;
        store.account_check_view(plan_id, reconciliation)
    })
}

/// The latest check against the account, with the records as they are now.
#[tauri::command]
pub fn latest_account_check(
    state: State<'_, AppState>,
    plan_id: PlanId,
) -> CommandResult<Option<AccountCheckView>> {
    state.with_store(|store| {
        store
            .latest_reconciliation(plan_id, today())?
            .map(|reconciliation| store.account_check_view(plan_id, reconciliation))
            .transpose()
    })
}

/// Records a line the check lists as in the account but not recorded.
#[tauri::command]
pub fn record_account_line(
    state: State<'_, AppState>,
    plan_id: PlanId,
    fingerprint: String,
    decision: LineChoice,
    person_id: PersonId,
) -> CommandResult<()> {
    state.with_store(|store| {
        store.record_account_line(plan_id, &fingerprint, &decision, person_id, today())
    })
}
