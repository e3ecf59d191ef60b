import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ErrorReport } from "./bindings/ErrorReport";
import { FormState, StatusLine } from "./forms.svelte";

// FormState moves the keyboard focus with document.getElementById; these
// tests run without a browser, so a page of named elements stands in.
let focused: string[] = [];
let onPage: Set<string>;

beforeEach(() => {
  focused = [];
  onPage = new Set();
  vi.stubGlobal("document", {
    getElementById: (id: string) => (onPage.has(id) ? { focus: () => focused.push(id) } : null),
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const problem = (field: string | null, message = "Enter who was paid."): ErrorReport => ({
  code: "invalid_input",
  message,
  field,
  problems: field ? [{ field, message }] : [],
});

const QUESTION: ErrorReport = {
  code: "needs_confirmation",
  message:
    "£116,000.00 is more than the £34,238.83 left in the whole plan. Check the amount. Save it anyway?",
  field: "amount",
  problems: [],
};

/** A save that fails with `first` until it is told the person confirmed. */
function saveAsking(first: ErrorReport) {
  const calls: boolean[] = [];
  const save = async (confirmed: boolean) => {
    calls.push(confirmed);
    if (!confirmed) throw first;
  };
  return { save, calls };
}

describe("FormState", () => {
  it("says long work stopped by the person as news, not as a problem", async () => {
    const status = new StatusLine();
    const form = new FormState("statement", status);
    const stopped: ErrorReport = {
      code: "cancelled",
      message: "Stopped, as you asked. Nothing was saved or changed.",
      field: null,
      problems: [],
    };
    expect(await form.submit(async () => Promise.reject(stopped))).toBe(false);
    expect(form.problem).toBeNull();
    expect(status.message).toBe("Stopped, as you asked. Nothing was saved or changed.");
    expect(form.saving).toBe(false);
  });

  it("clears the problem when a save succeeds", async () => {
    const status = new StatusLine();
    const form = new FormState("spending", status);
    expect(await form.submit(async () => Promise.reject(problem("payee")))).toBe(false);
    expect(form.errorFor("payee")).toBe("Enter who was paid.");
    expect(await form.submit(async () => {})).toBe(true);
    expect(form.problem).toBeNull();
    expect(form.saving).toBe(false);
  });

  it("does nothing on a second press while the first save runs", async () => {
    const form = new FormState("spending", new StatusLine());
    let release: () => void = () => {};
    let saves = 0;
    const first = form.submitOnce(() => {
      saves += 1;
      return new Promise<void>((resolve) => (release = resolve));
    });
    expect(await form.submitOnce(async () => void (saves += 1))).toBe(false);
    release();
    expect(await first).toBe(true);
    expect(saves).toBe(1);
  });

  it("focuses the field core names, or the form's message box when there is none", async () => {
    const form = new FormState("spending", new StatusLine());
    onPage.add("spending-payee").add("spending-problem");
    await form.submit(async () => Promise.reject(problem("payee")));
    await form.submit(async () => Promise.reject(problem(null, "Your data is busy.")));
    expect(focused).toEqual(["spending-payee", "spending-problem"]);
  });

  it("takes away a success message from before a new problem", async () => {
    const status = new StatusLine();
    const form = new FormState("spending", status);
    status.show("Saved: £116.00 paid to Joanne Pike on 20 Nov 2026.");
    await form.submit(async () => Promise.reject(problem("payee")));
    expect(status.message).toBe("");
    expect(form.problem?.message).toBe("Enter who was paid.");
  });

  it("keeps a success message that is not from before the problem", async () => {
    const status = new StatusLine();
    const form = new FormState("add-evidence", status);
    status.show("Saved: £116.00 paid to Joanne Pike on 20 Nov 2026.");
    // One file added, another refused: both are true.
    await form.submit(async () => {
      status.show("The evidence has been added.");
      throw problem("evidence", "That file is not a photo or a PDF.");
    });
    expect(status.message).toBe("The evidence has been added.");
  });

  it("leaves the success message alone when the save succeeds", async () => {
    const status = new StatusLine();
    status.show("Welcome, David Ellis.");
    await new FormState("spending", status).submit(async () => {});
    expect(status.message).toBe("Welcome, David Ellis.");
  });

  it("holds core's question, with nothing saved, and focuses it", async () => {
    const status = new StatusLine();
    status.show("Saved: £12.34 paid to Tesco on 20 Nov 2026.");
    const form = new FormState("spending", status);
    onPage.add("spending-question");
    const { save, calls } = saveAsking(QUESTION);
    expect(await form.submit(save)).toBe(false);
    expect(calls).toEqual([false]);
    expect(form.question).toEqual({ field: "amount", message: QUESTION.message });
    expect(form.problem).toBeNull();
    expect(form.errorFor("amount")).toBeNull();
    expect(focused).toEqual(["spending-question"]);
    expect(status.message, "the earlier success is no longer the news").toBe("");
  });

  it("saves again, confirmed, on \"Save it anyway\"", async () => {
    const form = new FormState("spending", new StatusLine());
    const { save, calls } = saveAsking(QUESTION);
    await form.submit(save);
    expect(await form.confirm()).toBe(true);
    expect(calls).toEqual([false, true]);
    expect(form.question).toBeNull();
    expect(form.problem).toBeNull();
    // Answered once: there is nothing left to confirm.
    expect(await form.confirm()).toBe(false);
    expect(calls).toEqual([false, true]);
  });

  it("shows a problem from the confirmed save as any other", async () => {
    const form = new FormState("spending", new StatusLine());
    const calls: boolean[] = [];
    await form.submit(async (confirmed) => {
      calls.push(confirmed);
      throw confirmed ? problem(null, "Your data is busy in another copy of Careledger.") : QUESTION;
    });
    expect(await form.confirm()).toBe(false);
    expect(calls).toEqual([false, true]);
    expect(form.question).toBeNull();
    expect(form.problem?.message).toBe("Your data is busy in another copy of Careledger.");
  });

  it("saves nothing on \"Change the amount\" and takes the focus to the field", async () => {
    const form = new FormState("spending", new StatusLine());
    onPage.add("spending-amount");
    const { save, calls } = saveAsking({ ...QUESTION, field: "amount" });
    await form.submit(save);
    await form.reconsider();
    expect(form.question).toBeNull();
    expect(calls).toEqual([false]);
    expect(focused).toEqual(["spending-amount"]);
    expect(await form.confirm()).toBe(false);
  });

  it("goes back to the fallback when the question names no field on screen", async () => {
    const form = new FormState("due", new StatusLine());
    onPage.add("due-confirm-1-2026-11-01");
    await form.submit(saveAsking(QUESTION).save);
    await form.reconsider("due-confirm-1-2026-11-01");
    expect(focused).toEqual(["due-confirm-1-2026-11-01"]);
  });

  it("puts an open question away when the form is saved again or changed", async () => {
    const form = new FormState("spending", new StatusLine());
    await form.submit(saveAsking(QUESTION).save);
    expect(await form.submit(async () => {})).toBe(true);
    expect(form.question).toBeNull();

    const { save, calls } = saveAsking(QUESTION);
    await form.submit(save);
    form.forgetQuestion();
    expect(form.question).toBeNull();
    expect(await form.confirm()).toBe(false);
    expect(calls).toEqual([false]);
  });

  it("never asks twice: a question after confirming is shown as a problem", async () => {
    const form = new FormState("spending", new StatusLine());
    await form.submit(async () => Promise.reject(QUESTION));
    await form.confirm();
    expect(form.question).toBeNull();
    expect(form.problem?.message).toBe(QUESTION.message);
  });
});

describe("StatusLine", () => {
  it("counts every change, so a save can tell an old message from a new one", () => {
    const status = new StatusLine();
    const before = status.changes;
    status.show("Saved.");
    status.clear();
    expect(status.changes).toBe(before + 2);
    expect(status.message).toBe("");
  });
});

describe("a form with several fields at fault", () => {
  it("shows each field its own message and focuses the first", async () => {
    onPage = new Set(["spending-payee", "spending-amount"]);
    const form = new FormState("spending", new StatusLine());
    const report: ErrorReport = {
      code: "invalid_input",
      message: "2 things need changing. The first: Enter who was paid.",
      field: "payee",
      problems: [
        { field: "payee", message: "Enter who was paid." },
        { field: "amount", message: "Enter an amount, for example £45.00." },
      ],
    };
    const saved = await form.submit(async () => {
      throw report;
    });
    expect(saved).toBe(false);
    expect(form.errorFor("payee")).toBe("Enter who was paid.");
    expect(form.errorFor("amount")).toBe("Enter an amount, for example £45.00.");
    expect(form.errorFor("note")).toBeNull();
    expect(focused).toEqual(["spending-payee"]);
  });
});
