// Typed calls to the Rust commands. The types come from core through ts-rs
// (src/lib/bindings), so both sides of the IPC line agree.

import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { AppInfo } from "./bindings/AppInfo";
import type { ErrorReport } from "./bindings/ErrorReport";
import type { Holder } from "./bindings/Holder";
import type { HolderId } from "./bindings/HolderId";
import type { HolderOverview } from "./bindings/HolderOverview";
import type { NewHolder } from "./bindings/NewHolder";
import type { NewPerson } from "./bindings/NewPerson";
import type { NewPlanDraft } from "./bindings/NewPlanDraft";
import type { Person } from "./bindings/Person";
import type { PersonId } from "./bindings/PersonId";
import type { PlanChoices } from "./bindings/PlanChoices";
import type { PlanDetails } from "./bindings/PlanDetails";
import type { PlanHistory } from "./bindings/PlanHistory";
import type { PlanId } from "./bindings/PlanId";
import type { PlanPreview } from "./bindings/PlanPreview";
import type { PlanStep } from "./bindings/PlanStep";
import type { Recurring } from "./bindings/Recurring";
import type { RecurringDraft } from "./bindings/RecurringDraft";
import type { RecurringId } from "./bindings/RecurringId";
import type { RevisionDraft } from "./bindings/RevisionDraft";
import type { AttachmentId } from "./bindings/AttachmentId";
import type { EntryKey } from "./bindings/EntryKey";
import type { EvidenceKind } from "./bindings/EvidenceKind";
import type { EvidenceRef } from "./bindings/EvidenceRef";
import type { MoneyIn } from "./bindings/MoneyIn";
import type { MoneyInDraft } from "./bindings/MoneyInDraft";
import type { Payment } from "./bindings/Payment";
import type { PaymentDraft } from "./bindings/PaymentDraft";
import type { PaymentFilter } from "./bindings/PaymentFilter";
import type { PaymentPage } from "./bindings/PaymentPage";
import type { PaymentRevision } from "./bindings/PaymentRevision";
import type { PeriodChoice } from "./bindings/PeriodChoice";
import type { BackupPreview } from "./bindings/BackupPreview";
import type { BackupSummary } from "./bindings/BackupSummary";
import type { DataFolders } from "./bindings/DataFolders";
import type { ExportSummary } from "./bindings/ExportSummary";
import type { BackupHealth } from "./bindings/BackupHealth";
import type { RecoveryInfo } from "./bindings/RecoveryInfo";
import type { RestoreOutcome } from "./bindings/RestoreOutcome";
import type { PrintOptions } from "./bindings/PrintOptions";
import type { Statement } from "./bindings/Statement";
import type { StatementFormat } from "./bindings/StatementFormat";
import type { ChosenLine } from "./bindings/ChosenLine";
import type { CsvLayout } from "./bindings/CsvLayout";
import type { ImportSummary } from "./bindings/ImportSummary";
import type { AccountCheckView } from "./bindings/AccountCheckView";
import type { LineChoice } from "./bindings/LineChoice";
import type { StatementFilePreview } from "./bindings/StatementFilePreview";
import type { WorkProgress } from "./bindings/WorkProgress";

/** A failed command, carrying core's report for the screen to show. */
export class CommandError extends Error {
  readonly report: ErrorReport;

  constructor(report: ErrorReport) {
    super(report.message);
    this.report = report;
  }
}

function isErrorReport(value: unknown): value is ErrorReport {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ErrorReport).code === "string" &&
    typeof (value as ErrorReport).message === "string"
  );
}

/** Turns whatever a failed call threw into a report with words to show. */
export function toReport(error: unknown): ErrorReport {
  if (error instanceof CommandError) return error.report;
  if (isErrorReport(error))
    return { code: error.code, message: error.message, field: error.field ?? null, problems: error.problems ?? [] };
  const detail = error instanceof Error ? error.message : String(error);
  // The machinery's own words are for whoever looks into it, not for the
  // person using the app, who is told what it means for them.
  console.error("Careledger:", detail);
  // Tauri refuses arguments it cannot read before core sees them.
  if (detail.startsWith("invalid args")) {
    return {
      code: "app",
      message: "Careledger could not read that request, so nothing was changed. Reload and try again.",
      field: null,
      problems: [],
    };
  }
  return {
    code: "app",
    message: "Something went wrong inside Careledger, so nothing was changed. Close Careledger and open it again.",
    field: null,
    problems: [],
  };
}

async function call<T>(command: string, args?: InvokeArgs, headers?: Record<string, string>): Promise<T> {
  try {
    return await invoke<T>(command, args, headers ? { headers } : undefined);
  } catch (error) {
    throw new CommandError(toReport(error));
  }
}

export const api = {
  appInfo: () => call<AppInfo>("app_info"),
  planOptions: () => call<PlanChoices>("plan_options"),
  listPeople: () => call<Person[]>("list_people"),
  addPerson: (form: NewPerson) => call<Person>("add_person", { form }),
  listHolders: () => call<Holder[]>("list_holders"),
  addHolder: (form: NewHolder) => call<Holder>("add_holder", { form }),
  holderOverview: (holderId: HolderId) => call<HolderOverview>("holder_overview", { holderId }),
  previewNewPlan: (draft: NewPlanDraft, step: PlanStep) => call<PlanPreview>("preview_new_plan", { draft, step }),
  createPlan: (holderId: HolderId, draft: NewPlanDraft, personId: PersonId) =>
    call<PlanHistory>("create_plan", { holderId, draft, personId }),
  planDetails: (planId: PlanId) => call<PlanDetails>("plan_details", { planId }),
  previewRevision: (planId: PlanId, draft: RevisionDraft, step: PlanStep) =>
    call<PlanPreview>("preview_revision", { planId, draft, step }),
  revisePlan: (planId: PlanId, draft: RevisionDraft, personId: PersonId) =>
    call<PlanHistory>("revise_plan", { planId, draft, personId }),
  /** `confirmed`: the person said "Save it anyway" to core's question about
   * the amount; without it, core may refuse with code "needs_confirmation". */
  recordPayment: (planId: PlanId, draft: PaymentDraft, confirmed = false) =>
    call<Payment>("record_payment", { planId, draft, confirmed }),
  editPayment: (planId: PlanId, key: EntryKey, draft: PaymentDraft, reason: string, confirmed = false) =>
    call<Payment>("edit_payment", { planId, key, draft, reason, confirmed }),
  voidPayment: (planId: PlanId, key: EntryKey, reason: string, personId: PersonId) =>
    call<Payment>("void_payment", { planId, key, reason, personId }),
  findPayments: (planId: PlanId, filter: PaymentFilter) => call<PaymentPage>("find_payments", { planId, filter }),
  paymentDetail: (planId: PlanId, key: EntryKey) => call<Payment>("payment_detail", { planId, key }),
  paymentHistory: (planId: PlanId, key: EntryKey) => call<PaymentRevision[]>("payment_history", { planId, key }),
  /** Sends the file itself as the request body, with what it is for in headers. */
  attachEvidence: async (planId: PlanId, key: EntryKey, personId: PersonId, kind: EvidenceKind, file: File) => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return call<EvidenceRef>("attach_evidence", bytes, {
      "plan-id": String(planId),
      "entry-key": String(key),
      "person-id": String(personId),
      kind,
      "file-name": encodeURIComponent(file.name),
    });
  },
  removeEvidence: (planId: PlanId, key: EntryKey, attachmentId: AttachmentId, personId: PersonId) =>
    call<null>("remove_evidence", { planId, key, attachmentId, personId }),
  /** A photo's thumbnail as a URL the page can show, or null. */
  evidenceThumbnail: async (planId: PlanId, key: EntryKey, attachmentId: AttachmentId): Promise<string | null> => {
    const bytes = await call<ArrayBuffer>("evidence_thumbnail", { planId, key, attachmentId });
    return bytes.byteLength > 0 ? URL.createObjectURL(new Blob([bytes], { type: "image/png" })) : null;
  },
  recordMoneyIn: (planId: PlanId, draft: MoneyInDraft) => call<MoneyIn>("record_money_in", { planId, draft }),
  voidMoneyIn: (planId: PlanId, key: EntryKey, reason: string, personId: PersonId) =>
    call<MoneyIn>("void_money_in", { planId, key, reason, personId }),
  addRecurring: (planId: PlanId, draft: RecurringDraft) => call<Recurring>("add_recurring", { planId, draft }),
  stopRecurring: (planId: PlanId, id: RecurringId, personId: PersonId) =>
    call<null>("stop_recurring", { planId, id, personId }),
  confirmDue: (planId: PlanId, id: RecurringId, dueOn: string, personId: PersonId, confirmed = false) =>
    call<Payment>("confirm_due", { planId, id, dueOn, personId, confirmed }),
  skipDue: (planId: PlanId, id: RecurringId, dueOn: string, personId: PersonId) =>
    call<null>("skip_due", { planId, id, dueOn, personId }),
  statementPeriods: (holderId: HolderId) => call<PeriodChoice[]>("statement_periods", { holderId }),
  /** The outcomes a statement ending on `to` (as typed) asks about: those of
   * the plan version in force on its last day. */
  statementOutcomes: (holderId: HolderId, to: string) => call<string[]>("statement_outcomes", { holderId, to }),
  /** The statement as PDF bytes, for the preview. */
  statementPreview: (holderId: HolderId, from: string, to: string, options: PrintOptions) =>
    call<ArrayBuffer>("statement_preview", { holderId, from, to, options }),
  /** The statement's content as core works it out, for the text view of the
   * preview: the same as the PDF says. */
  statementText: (holderId: HolderId, from: string, to: string) =>
    call<Statement>("statement_text", { holderId, from, to }),
  /** Asks where to save, then saves; the path, or null if the person cancelled. */
  saveStatement: (holderId: HolderId, from: string, to: string, options: PrintOptions, format: StatementFormat) =>
    call<string | null>("save_statement", { holderId, from, to, options, format }),
  /** Opens the statement in the system's PDF viewer; the file it opened. */
  openStatement: (holderId: HolderId, from: string, to: string, options: PrintOptions) =>
    call<string>("open_statement", { holderId, from, to, options }),
  dataFolders: () => call<DataFolders>("data_folders"),
  /** Asks where, then saves a checked backup; null if the person cancelled. */
  backUpNow: () => call<BackupSummary | null>("back_up_now"),
  exportEverything: () => call<ExportSummary | null>("export_everything"),
  /** Asks for a backup and says what it holds; null if cancelled. */
  chooseBackup: () => call<BackupPreview | null>("choose_backup"),
  /** Asks for an export, checks it, and says what it holds; null if cancelled. */
  chooseExport: () => call<BackupPreview | null>("choose_export"),
  restoreChosen: () => call<RestoreOutcome>("restore_chosen"),
  cancelRestore: () => call<null>("cancel_restore"),
  /** How the automatic backups are doing, and the second place's copies. */
  backupHealth: () => call<BackupHealth>("backup_health"),
  /** Asks for a folder on another drive for copies of the backups; null if cancelled. */
  chooseSecondPlace: () => call<BackupHealth | null>("choose_second_place"),
  /** Why the data would not open, and the backups that could take its place. */
  recoveryInfo: () => call<RecoveryInfo>("recovery_info"),
  /** Restores a backup the recovery screen listed, by its file name. */
  restoreListed: (fileName: string, inSecondPlace: boolean) =>
    call<RestoreOutcome>("restore_listed", { fileName, inSecondPlace }),
  /** Asks for another data folder and opens it; null if cancelled. */
  chooseDataFolder: () => call<AppInfo | null>("choose_data_folder"),
  setSurplusLimit: (holderId: HolderId, weeks: string) => call<number>("set_surplus_limit", { holderId, weeks }),
  /** Asks for the account's statement file and says what importing it would
   * do, changing nothing; null if cancelled. The file stays open in the app. */
  chooseStatementFile: (planId: PlanId) => call<StatementFilePreview | null>("choose_statement_file", { planId }),
  /** What the open statement file would do, read with `layout`. */
  previewStatementFile: (planId: PlanId, layout: CsvLayout | null) =>
    call<StatementFilePreview>("preview_statement_file", { planId, layout }),
  /** Imports the open statement file, with the person's choices line by line. */
  importStatementFile: (planId: PlanId, layout: CsvLayout | null, choices: ChosenLine[], personId: PersonId) =>
    call<ImportSummary>("import_statement_file", { planId, layout, choices, personId }),
  /** The records against the account's balance on a day (as typed), kept for the statement. */
  checkAgainstAccount: (planId: PlanId, on: string, balance: string, personId: PersonId) =>
    call<AccountCheckView>("check_against_account", { planId, on, balance, personId }),
  /** The latest check against the account, with the records as they are now. */
  latestAccountCheck: (planId: PlanId) => call<AccountCheckView | null>("latest_account_check", { planId }),
  /** Records a line the check lists as in the account but not recorded. */
  recordAccountLine: (planId: PlanId, fingerprint: string, decision: LineChoice, personId: PersonId) =>
    call<null>("record_account_line", { planId, fingerprint, decision, personId }),
  /** How far the long work under way has gone (a statement with receipts,
   * an export, checking an export); null when there is none. */
  workProgress: () => call<WorkProgress | null>("work_progress"),
  /** Asks the long work under way to stop, with nothing written. */
  stopWork: () => call<null>("stop_work"),
};
