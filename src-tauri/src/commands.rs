//! The commands the UI calls. Each one is thin: take the typed arguments,
//! call core, and return core's answer or its error report.

use careledger_core::evidence::check_evidence;
use careledger_core::labels::{plan_choices, PlanChoices};
use careledger_core::ledger::{
    AttachmentId, EntryKey, EvidenceRef, MoneyIn, MoneyInDraft, Payment, PaymentDraft,
    PaymentFilter, PaymentPage, PaymentRevision,
};
use careledger_core::plan::PlanHistory;
use careledger_core::plan_forms::{
    NewPlanDraft, PlanDetails, PlanPreview, PlanStep, RevisionDraft,
};
use careledger_core::records::Records;
use careledger_core::recurring::{Recurring, RecurringDraft, RecurringId};
use careledger_core::views::Views;
use careledger_core::{
    AppInfo, ErrorReport, Holder, HolderId, HolderOverview, NewHolder, NewPerson, Person, PersonId,
    PlanId, Store,
};
use chrono::NaiveDate;
use tauri::ipc::{Request, Response};
use tauri::{AppHandle, State};

use crate::statements::print_cache;
use crate::upload::EvidenceUpload;

use crate::state::{off_the_lock, today, AppState};

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

/// The outcomes the statement ending on `to` (as typed) asks about: those
/// of the plan version in force on its last day.
#[tauri::command]
pub fn statement_outcomes(
    state: State<'_, AppState>,
    holder_id: HolderId,
    to: String,
) -> CommandResult<Vec<String>> {
    state.with_store(|store| store.statement_outcomes(holder_id, &to))
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

/// `confirmed` is the person's "Save it anyway" to the question core asks
/// about a payment bigger than seems likely; left out, it is not given.
#[tauri::command]
pub fn record_payment(
    state: State<'_, AppState>,
    plan_id: PlanId,
    draft: PaymentDraft,
    confirmed: Option<bool>,
) -> CommandResult<Payment> {
    let confirmed = confirmed.unwrap_or(false);
    state.with_store(|store| store.record_payment_asking(plan_id, &draft, confirmed, today()))
}

#[tauri::command]
pub fn edit_payment(
    state: State<'_, AppState>,
    plan_id: PlanId,
    key: EntryKey,
    draft: PaymentDraft,
    reason: String,
    confirmed: Option<bool>,
) -> CommandResult<Payment> {
    let confirmed = confirmed.unwrap_or(false);
    state.with_store(|store| {
        store.edit_payment_asking(plan_id, key, &draft, &reason, confirmed, today())
    })
}

#[tauri::command]
pub fn void_payment(
    state: State<'_, AppState>,
    plan_id: PlanId,
    key: EntryKey,
    reason: String,
    person_id: PersonId,
) -> CommandResult<Payment> {
    state.with_store(|store| store.void_payment(plan_id, key, &reason, person_id))
}

#[tauri::command]
pub fn find_payments(
    state: State<'_, AppState>,
    plan_id: PlanId,
    filter: PaymentFilter,
) -> CommandResult<PaymentPage> {
    state.with_store(|store| store.find_payments(plan_id, &filter))
}

#[tauri::command]
pub fn payment_detail(
    state: State<'_, AppState>,
    plan_id: PlanId,
    key: EntryKey,
) -> CommandResult<Payment> {
    state.with_store(|store| store.payment(plan_id, key))
}

#[tauri::command]
pub fn payment_history(
    state: State<'_, AppState>,
    plan_id: PlanId,
    key: EntryKey,
) -> CommandResult<Vec<PaymentRevision>> {
    state.with_store(|store| store.payment_history(plan_id, key))
}

/// Takes the file's bytes as the raw request body (no JSON, so a 20 MB
/// photo is not turned into 80 MB of numbers) and what it is for in headers.
/// The file is checked (a photo decoded, which takes seconds) on a thread
/// for blocking work, before the store is touched; the store is held only
/// to write it.
#[tauri::command]
pub async fn attach_evidence(
    app: AppHandle,
    state: State<'_, AppState>,
    request: Request<'_>,
) -> CommandResult<EvidenceRef> {
    let upload = EvidenceUpload::from_request(&request)?;
    let (file_name, bytes) = (upload.file_name, upload.bytes.to_vec());
    let file = off_the_lock(move || check_evidence(&file_name, bytes)).await?;
    let attached = state.with_store(|store| {
        store.attach_evidence(upload.plan, upload.key, upload.kind, &file, upload.person)
    })?;
    // A photo is scaled for print once, as it is added.
    if let (Some(cache), Some(ready)) = (print_cache(&app), file.printable()) {
        cache.keep(file.sha256(), ready);
    }
    Ok(attached)
}

#[tauri::command]
pub fn remove_evidence(
    state: State<'_, AppState>,
    plan_id: PlanId,
    key: EntryKey,
    attachment_id: AttachmentId,
    person_id: PersonId,
) -> CommandResult<()> {
    state.with_store(|store| store.remove_evidence(plan_id, key, attachment_id, person_id))
}

/// A photo's thumbnail as raw PNG bytes (empty when there is none), for
/// evidence on entry `key` of `plan` only.
#[tauri::command]
pub fn evidence_thumbnail(
    state: State<'_, AppState>,
    plan_id: PlanId,
    key: EntryKey,
    attachment_id: AttachmentId,
) -> CommandResult<Response> {
    state
        .with_store(|store| store.evidence_thumbnail(plan_id, key, attachment_id))
        .map(|png| Response::new(png.unwrap_or_default()))
}

#[tauri::command]
pub fn record_money_in(
    state: State<'_, AppState>,
    plan_id: PlanId,
    draft: MoneyInDraft,
) -> CommandResult<MoneyIn> {
    state.with_store(|store| store.record_money_in(plan_id, &draft, today()))
}

#[tauri::command]
pub fn void_money_in(
    state: State<'_, AppState>,
    plan_id: PlanId,
    key: EntryKey,
    reason: String,
    person_id: PersonId,
) -> CommandResult<MoneyIn> {
    state.with_store(|store| store.void_money_in(plan_id, key, &reason, person_id))
}

#[tauri::command]
pub fn set_surplus_limit(
    state: State<'_, AppState>,
    holder_id: HolderId,
    weeks: String,
) -> CommandResult<u32> {
    state.with_store(|store| store.set_surplus_limit_weeks(holder_id, &weeks))
}

#[tauri::command]
pub fn add_recurring(
    state: State<'_, AppState>,
    plan_id: PlanId,
    draft: RecurringDraft,
) -> CommandResult<Recurring> {
    state.with_store(|store| store.add_recurring(plan_id, &draft))
}

#[tauri::command]
pub fn stop_recurring(
    state: State<'_, AppState>,
    plan_id: PlanId,
    id: RecurringId,
    person_id: PersonId,
) -> CommandResult<()> {
    state.with_store(|store| store.stop_recurring(plan_id, id, person_id))
}

#[tauri::command]
pub fn confirm_due(
    state: State<'_, AppState>,
    plan_id: PlanId,
    id: RecurringId,
    due_on: NaiveDate,
    person_id: PersonId,
    confirmed: Option<bool>,
) -> CommandResult<Payment> {
    let confirmed = confirmed.unwrap_or(false);
    state.with_store(|store| {
        store.confirm_due_asking(plan_id, id, due_on, person_id, confirmed, today())
    })
}

#[tauri::command]
pub fn skip_due(
    state: State<'_, AppState>,
    plan_id: PlanId,
    id: RecurringId,
    due_on: NaiveDate,
    person_id: PersonId,
) -> CommandResult<()> {
    state.with_store(|store| store.skip_due(plan_id, id, due_on, person_id, today()))
}
