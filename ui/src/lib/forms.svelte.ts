// What every form does with a save: show it is saving, and on failure find
// the field at fault, show core's words beside it, and move the keyboard
// focus there. When core asks "Are you sure?" first, hold the question and
// the save until the person answers. And keep the app's status line true:
// a success message from before a new problem goes.

import { tick } from "svelte";
import { toReport } from "./api";
import type { FieldProblem } from "./bindings/FieldProblem";

export interface FormProblem {
  /** The field core named, if any (camelCase, as in the bindings); the
   * first, when there are several. */
  field: string | null;
  /** Core's message, in plain English. */
  message: string;
  /** Every field at fault with its own message, in the form's order. */
  problems: FieldProblem[];
}

/** Core's "Are you sure?" about a save, waiting for an answer. */
export interface FormQuestion {
  /** The field to change instead ("amount", "splits.1.amount"), if any. */
  field: string | null;
  /** Why it looks wrong, ending with the question, in core's words. */
  message: string;
}

/** The app's one status line: what the last thing done did ("Saved: …"). */
export class StatusLine {
  message = $state("");
  #changes = 0;

  /** Shows `message` in place of whatever was there. */
  show(message: string) {
    this.message = message;
    this.#changes += 1;
  }

  /** Takes the message away. */
  clear() {
    this.message = "";
    this.#changes += 1;
  }

  /** Goes up with every change, so a save can tell whether the message
   * on screen was there before it started. */
  get changes(): number {
    return this.#changes;
  }
}

/** The status line at the top of every screen. */
export const statusLine = new StatusLine();

type Save = (confirmed: boolean) => Promise<void>;

/** Scrolls a focused field so its label and error show with it, not just
 * the box itself at the window's edge. */
function showWhole(element: HTMLElement | null) {
  const field = (typeof element?.closest === "function" ? element.closest(".field") : null) ?? element;
  if (!field || typeof field.scrollIntoView !== "function") return;
  const tall = field.getBoundingClientRect().height > window.innerHeight * 0.8;
  field.scrollIntoView({ block: tall ? "start" : "center" });
}

/** The saving state, current problem and open question of one form. */
export class FormState {
  readonly formId: string;
  problem = $state<FormProblem | null>(null);
  question = $state<FormQuestion | null>(null);
  saving = $state(false);
  #status: StatusLine;
  /** The save the open question is about, to run again confirmed. */
  #pending: (() => Promise<boolean>) | null = null;

  constructor(formId: string, status: StatusLine = statusLine) {
    this.formId = formId;
    this.#status = status;
  }

  /** The element id of one of this form's fields: "spending-payee". */
  fieldId(field: string): string {
    return `${this.formId}-${field}`;
  }

  /** The message for one field, if the problem is about it. */
  errorFor(field: string): string | null {
    return this.problem?.problems.find((problem) => problem.field === field)?.message ?? null;
  }

  /** Runs `save` (told the person has not yet confirmed anything); on
   * failure shows core's problem and focuses the field it names (or the
   * form's message box when it names none), so keyboard and screen reader
   * users land on it. `beforeFocus` may first bring the field into view (a
   * multi-step form turns to its step). When core asks "Are you sure?"
   * instead, holds the question (see `confirm` and `reconsider`) and
   * focuses it. A problem or question takes away a status message shown
   * before the save began: it is no longer the latest news. Returns whether
   * the save succeeded. */
  submit(save: Save, beforeFocus?: (problem: FormProblem) => void): Promise<boolean> {
    return this.#attempt(save, false, beforeFocus);
  }

  /** As `submit`, for a person's press of a save button: a second press
   * while the first is saving does nothing. (Buttons are marked busy with
   * aria-disabled, not disabled, so that they keep the keyboard focus.) */
  submitOnce(save: Save, beforeFocus?: (problem: FormProblem) => void): Promise<boolean> {
    if (this.saving) return Promise.resolve(false);
    return this.#attempt(save, false, beforeFocus);
  }

  /** "Save it anyway": runs the save the question was about again,
   * confirmed. Returns whether it succeeded. */
  async confirm(): Promise<boolean> {
    const pending = this.#pending;
    if (!pending || this.saving) return false;
    return pending();
  }

  /** "Change the amount": puts the question away, saving nothing, and takes
   * the focus to the field it was about (or to `fallbackId`). */
  async reconsider(fallbackId?: string) {
    const field = this.question?.field ?? null;
    this.forgetQuestion();
    await tick();
    const target = field ? document.getElementById(this.fieldId(field)) : null;
    (target ?? (fallbackId ? document.getElementById(fallbackId) : null))?.focus();
  }

  /** Puts away an open question without saving: what it was about has
   * changed. */
  forgetQuestion() {
    this.question = null;
    this.#pending = null;
  }

  async #attempt(save: Save, confirmed: boolean, beforeFocus?: (problem: FormProblem) => void): Promise<boolean> {
    const statusBefore = this.#status.changes;
    this.saving = true;
    this.forgetQuestion();
    try {
      await save(confirmed);
      this.problem = null;
      return true;
    } catch (error) {
      const report = toReport(error);
      // A success message from before this save is not true any more next
      // to the problem; one shown while it ran (part of it worked) stays.
      if (this.#status.changes === statusBefore) this.#status.clear();
      // Stopped by the person: not a problem to fix, just news.
      if (report.code === "cancelled") {
        this.problem = null;
        this.#status.show(report.message);
        return false;
      }
      if (report.code === "needs_confirmation" && !confirmed) {
        this.problem = null;
        this.question = { field: report.field, message: report.message };
        this.#pending = () => this.#attempt(save, true, beforeFocus);
        await tick();
        document.getElementById(`${this.formId}-question`)?.focus();
        return false;
      }
      this.problem = { field: report.field, message: report.message, problems: report.problems ?? [] };
      beforeFocus?.(this.problem);
      await tick();
      const target = report.field ? document.getElementById(this.fieldId(report.field)) : null;
      const focused = target ?? document.getElementById(`${this.formId}-problem`);
      focused?.focus();
      showWhole(focused);
      return false;
    } finally {
      this.saving = false;
    }
  }
}
