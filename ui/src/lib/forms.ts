// What every form does with a failed save: find the field at fault, show
// core's words beside it, and move the keyboard focus there.

import { tick } from "svelte";
import { toReport } from "./api";

export interface FormProblem {
  /** The field core named, if any (camelCase, as in the bindings). */
  field: string | null;
  /** Core's message, in plain English. */
  message: string;
}

/** Reads a thrown error into the problem to show. */
export function problemFrom(error: unknown): FormProblem {
  const report = toReport(error);
  return { field: report.field, message: report.message };
}

/** The element id of a form's field: "spending-payee". */
export function fieldId(formId: string, field: string): string {
  return `${formId}-${field}`;
}

/** After the screen shows the problem, focus the field it names (or the
 * form's message, when it names none), so keyboard and screen reader users
 * land on it. */
export async function focusProblem(formId: string, problem: FormProblem): Promise<void> {
  await tick();
  const target = problem.field ? document.getElementById(fieldId(formId, problem.field)) : null;
  (target ?? document.getElementById(`${formId}-problem`))?.focus();
}

/** The message for one field, if the problem is about it. */
export function errorFor(problem: FormProblem | null, field: string): string | null {
  return problem && problem.field === field ? problem.message : null;
}
