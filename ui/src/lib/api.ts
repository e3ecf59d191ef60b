// Typed calls to the Rust commands. The types come from core through ts-rs
// (src/lib/bindings), so both sides of the IPC line agree.

import { invoke } from "@tauri-apps/api/core";
import type { AppInfo } from "./bindings/AppInfo";
import type { ErrorReport } from "./bindings/ErrorReport";
import type { Holder } from "./bindings/Holder";
import type { HolderId } from "./bindings/HolderId";
import type { HolderOverview } from "./bindings/HolderOverview";
import type { NewHolder } from "./bindings/NewHolder";
import type { NewPlan } from "./bindings/NewPlan";
import type { NewSpending } from "./bindings/NewSpending";
import type { Plan } from "./bindings/Plan";
import type { PlanId } from "./bindings/PlanId";
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
  listHolders: () => call<Holder[]>("list_holders"),
  addHolder: (form: NewHolder) => call<Holder>("add_holder", { form }),
  holderOverview: (holderId: HolderId) => call<HolderOverview>("holder_overview", { holderId }),
  addPlan: (holderId: HolderId, form: NewPlan) => call<Plan>("add_plan", { holderId, form }),
  addSpending: (planId: PlanId, form: NewSpending) => call<SpendingEntry>("add_spending", { planId, form }),
};
