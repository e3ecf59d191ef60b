//! The commands the UI calls. Each one is thin: take the typed arguments,
//! call core, and return core's answer or its error report.

use careledger_core::{
    AppInfo, ErrorReport, Holder, HolderId, HolderOverview, NewHolder, NewPlan, NewSpending, Plan,
    PlanId, SpendingEntry,
};
use tauri::State;

use crate::state::{today, AppState};

type CommandResult<T> = Result<T, ErrorReport>;

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info()
}

#[tauri::command]
pub fn list_holders(state: State<'_, AppState>) -> CommandResult<Vec<Holder>> {
    state.with_store(|store| store.holders())
}

#[tauri::command]
pub fn add_holder(state: State<'_, AppState>, form: NewHolder) -> CommandResult<Holder> {
    state.with_store(|store| store.add_holder(&form))
}

#[tauri::command]
pub fn holder_overview(
    state: State<'_, AppState>,
    holder_id: HolderId,
) -> CommandResult<HolderOverview> {
    state.with_store(|store| store.overview(holder_id, today()))
}

#[tauri::command]
pub fn add_plan(
    state: State<'_, AppState>,
    holder_id: HolderId,
    form: NewPlan,
) -> CommandResult<Plan> {
    state.with_store(|store| store.add_plan(holder_id, &form))
}

#[tauri::command]
pub fn add_spending(
    state: State<'_, AppState>,
    plan_id: PlanId,
    form: NewSpending,
) -> CommandResult<SpendingEntry> {
    state.with_store(|store| store.add_spending(plan_id, &form, today()))
}
