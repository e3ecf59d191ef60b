// What every form does with a save: show it is saving, and on failure find
// the field at fault, show core's words beside it, and move the keyboard
// focus there.

import { tick } from "svelte";
import { toReport } from "./api";

export interface FormProblem {
  /** The field core named, if any (camelCase, as in the bindings). */
  field: string | null;
  /** Core's message, in plain English. */
  message: string;
}

/** The saving state and current problem of one form. */
export class FormState {
  readonly formId: string;
  problem = $state<FormProblem | null>(null);
  saving = $state(false);

  constructor(formId: string) {
    this.formId = formId;
  }

  /** The element id of one of this form's fields: "spending-payee". */
  fieldId(field: string): string {
    return `${this.formId}-${field}`;
  }

  /** The message for one field, if the problem is about it. */
  errorFor(field: string): string | null {
    return this.problem && this.problem.field === field ? this.problem.message : null;
  }

  /** Runs `save`; on failure shows core's problem and focuses the field it
   * names (or the form's message box when it names none), so keyboard and
   * screen reader users land on it. `beforeFocus` may first bring the field
   * into view (a multi-step form turns to its step). Returns whether the
   * save succeeded. */
  async submit(save: () => Promise<void>, beforeFocus?: (problem: FormProblem) => void): Promise<boolean> {
    this.saving = true;
    try {
      await save();
      this.problem = null;
      return true;
    } catch (error) {
      const report = toReport(error);
      this.problem = { field: report.field, message: report.message };
      beforeFocus?.(this.problem);
      await tick();
      const target = report.field ? document.getElementById(this.fieldId(report.field)) : null;
      (target ?? document.getElementById(`${this.formId}-problem`))?.focus();
      return false;
    } finally {
      this.saving = false;
    }
  }
}
