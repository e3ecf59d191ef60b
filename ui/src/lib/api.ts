// Typed calls to the Rust commands. The types come from core through ts-rs
// (src/lib/bindings), so both sides of the IPC line agree.

import { invoke } from "@tauri-apps/api/core";
import type { AppInfo } from "./bindings/AppInfo";
import type { ErrorReport } from "./bindings/ErrorReport";
import type { Holder } from "./bindings/Holder";
import type { HolderId } from "./bindings/HolderId";
import type { HolderOverview } from "./bindings/HolderOverview";
import type { NewHolder } from "./bindings/NewHolder";
import type { NewPerson } from "./bindings/NewPerson";
import type { NewPlanDraft } from "./bindings/NewPlanDraft";
import type { NewSpending } from "./bindings/NewSpending";
import type { Person } from "./bindings/Person";
import type { PersonId } from "./bindings/PersonId";
import type { PlanChoices } from "./bindings/PlanChoices";
import type { PlanDetails } from "./bindings/PlanDetails";
import type { PlanHistory } from "./bindings/PlanHistory";
import type { PlanId } from "./bindings/PlanId";
import type { PlanPreview } from "./bindings/PlanPreview";
import type { PlanStep } from "./bindings/PlanStep";
import type { RevisionDraft } from "./bindings/RevisionDraft";
import type { SpendingEntry } from "./bindings/SpendingEntry";

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
  if (isErrorReport(error)) return { code: error.code, message: error.message, field: error.field ?? null };
  const detail = error instanceof Error ? error.message : String(error);
  return { code: "app", message: `Something went wrong inside Careledger: ${detail}`, field: null };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
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
  addSpending: (planId: PlanId, form: NewSpending) => call<SpendingEntry>("add_spending", { planId, form }),
};
