//! The commands the UI calls. Each one is thin: take the typed arguments,
//! call core, and return core's answer or its error report.

use careledger_core::labels::{plan_choices, PlanChoices};
use careledger_core::plan::PlanHistory;
use careledger_core::plan_forms::{
    NewPlanDraft, PlanDetails, PlanPreview, PlanStep, RevisionDraft,
};
use careledger_core::{
    AppInfo, ErrorReport, Holder, HolderId, HolderOverview, NewHolder, NewPerson, NewSpending,
    Person, PersonId, PlanId, SpendingEntry, Store,
};
use tauri::State;

use crate::state::{today, AppState};

type CommandResult<T> = Result<T, ErrorReport>;

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info()
}

#[tauri::command]
pub fn plan_options() -> PlanChoices {
    plan_choices()
}

#[tauri::command]
pub fn list_people(state: State<'_, AppState>) -> CommandResult<Vec<Person>> {
    state.with_store(|store| store.people())
}

#[tauri::command]
pub fn add_person(state: State<'_, AppState>, form: NewPerson) -> CommandResult<Person> {
    state.with_store(|store| store.add_person(&form))
}

#[tauri::command]
pub fn list_holders(state: State<'_, AppState>) -> CommandResult<Vec<Holder>> {
    state.with_store(|store| store.holders())
}

#[tauri::command]
pub fn add_holder(state: State<'_, AppState>, form: NewHolder) -> CommandResult<Holder> {
    state.with_store(|store| store.add_holder(&form, today()))
}

#[tauri::command]
pub fn holder_overview(
    state: State<'_, AppState>,
    holder_id: HolderId,
) -> CommandResult<HolderOverview> {
    state.with_store(|store| store.overview(holder_id, today()))
}

#[tauri::command]
pub fn preview_new_plan(draft: NewPlanDraft, step: PlanStep) -> CommandResult<PlanPreview> {
    Store::preview_new_plan(&draft, step).map_err(ErrorReport::from)
}

#[tauri::command]
pub fn create_plan(
    state: State<'_, AppState>,
    holder_id: HolderId,
    draft: NewPlanDraft,
    person_id: PersonId,
) -> CommandResult<PlanHistory> {
    state.with_store(|store| store.create_plan(holder_id, &draft, person_id))
}

#[tauri::command]
pub fn plan_details(state: State<'_, AppState>, plan_id: PlanId) -> CommandResult<PlanDetails> {
    state.with_store(|store| store.plan_details(plan_id, today()))
}

#[tauri::command]
pub fn preview_revision(
    state: State<'_, AppState>,
    plan_id: PlanId,
    draft: RevisionDraft,
    step: PlanStep,
) -> CommandResult<PlanPreview> {
    state.with_store(|store| store.preview_revision(plan_id, &draft, step))
}

#[tauri::command]
pub fn revise_plan(
    state: State<'_, AppState>,
    plan_id: PlanId,
    draft: RevisionDraft,
    person_id: PersonId,
) -> CommandResult<PlanHistory> {
    state.with_store(|store| store.revise_plan(plan_id, &draft, person_id))
}

#[tauri::command]
pub fn add_spending(
    state: State<'_, AppState>,
    plan_id: PlanId,
    form: NewSpending,
) -> CommandResult<SpendingEntry> {
    state.with_store(|store| store.add_spending(plan_id, &form, today()))
}
