import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AppInfo } from "./bindings/AppInfo";
import type { Holder } from "./bindings/Holder";
import type { HolderOverview } from "./bindings/HolderOverview";
import type { Person } from "./bindings/Person";
import type { PlanChoices } from "./bindings/PlanChoices";
import type { PlanDetails } from "./bindings/PlanDetails";
import { Current, LAST_PERSON_KEY, Session, type SessionApi } from "./session.svelte";

// The session remembers who used the app last in localStorage; these tests
// run without a browser, so a map stands in.
let stored: Map<string, string>;

beforeEach(() => {
  stored = new Map();
  vi.stubGlobal("localStorage", {
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => stored.set(key, value),
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const INFO: AppInfo = {
  version: "0.1.0",
  dataDir: "/data",
  licence: "GNU Affero General Public License, version 3 or later",
  reportAProblem: "https://example.org/issues",
  today: "2026-11-25",
  startupProblem: null,
};
const CHOICES = { funders: [] } as unknown as PlanChoices;
const ANN: Person = { id: 1, name: "Ann" } as Person;
const BOB: Person = { id: 2, name: "Bob" } as Person;
const holder = (id: number, name: string) => ({ id, name }) as Holder;
const overviewOf = (who: Holder, planId: number | null = null) =>
  ({
    holder: who,
    plan: planId === null ? null : { id: planId },
    summary: planId === null ? null : { asOf: "2026-11-24" },
    dashboard: null,
  }) as unknown as HolderOverview;

/** Core's answers, each replaceable by a test. */
function fakeApi(overrides: Partial<SessionApi> = {}): SessionApi {
  return {
    appInfo: async () => INFO,
    planOptions: async () => CHOICES,
    listPeople: async () => [ANN, BOB],
    listHolders: async () => [holder(10, "Margaret"), holder(11, "Joe")],
    holderOverview: async (id) => overviewOf(holder(id, `Holder ${id}`), id + 100),
    planDetails: async (planId) => ({ currentIndex: 0, planId }) as unknown as PlanDetails,
    backupHealth: async () => ({ problem: null }) as never,
    ...overrides,
  };
}

describe("Session", () => {
  it("loads everything at start and opens the first holder's budget", async () => {
    const session = new Session(fakeApi());
    await session.start();
    expect(session.loaded).toBe(true);
    expect(session.info).toEqual(INFO);
    expect(session.choices).toBe(CHOICES);
    expect(session.people).toEqual([ANN, BOB]);
    expect(session.selected?.name).toBe("Margaret");
    expect(session.overview?.holder.id).toBe(10);
    expect(session.details).toEqual({ currentIndex: 0, planId: 110 });
    expect(session.backupHealth).toEqual({ problem: null });
  });

  it("stops when the data could not be opened, loading nothing more", async () => {
    const planOptions = vi.fn(async () => CHOICES);
    const problem: AppInfo["startupProblem"] = { code: "corrupt", message: "Your data file is damaged.", field: null, problems: [] };
    const session = new Session(fakeApi({ appInfo: async () => ({ ...INFO, startupProblem: problem }), planOptions }));
    await session.start();
    expect(session.loaded).toBe(false);
    expect(session.info?.startupProblem).toEqual(problem);
    expect(planOptions).not.toHaveBeenCalled();
  });

  it("has no plan details for a holder without a plan", async () => {
    const planDetails = vi.fn(async () => ({}) as PlanDetails);
    const session = new Session(fakeApi({ holderOverview: async (id) => overviewOf(holder(id, "New")), planDetails }));
    await session.start();
    expect(session.overview?.plan).toBeNull();
    expect(session.details).toBeNull();
    expect(planDetails).not.toHaveBeenCalled();
  });

  it("never shows a slow reply for a holder no longer selected", async () => {
    let answerFirst: (overview: HolderOverview) => void = () => {};
    const holderOverview = vi.fn(async (id: number) =>
      id === 10 ? new Promise<HolderOverview>((resolve) => (answerFirst = resolve)) : overviewOf(holder(id, "Joe"), 111),
    );
    const session = new Session(fakeApi({ holderOverview }));
    await session.refreshHolders();
    const slow = session.selectHolder(10);
    await session.selectHolder(11);
    answerFirst(overviewOf(holder(10, "Margaret"), 110));
    await slow;
    expect(session.selected?.id).toBe(11);
    expect(session.overview?.holder.id).toBe(11);
  });

  it("counts each change to the ledger, after loading the figures again", async () => {
    const session = new Session(fakeApi());
    await session.start();
    const before = session.ledgerVersion;
    await session.ledgerChanged();
    expect(session.ledgerVersion).toBe(before + 1);
  });

  it("forgets the person using the app when restored data does not know them", async () => {
    let people = [ANN, BOB];
    const session = new Session(fakeApi({ listPeople: async () => people }));
    await session.start();
    session.choosePerson(BOB);
    people = [ANN, { ...BOB, name: "Robert" }];
    await session.reloadAfterRestore();
    expect(session.me).toBeNull();

    session.choosePerson(ANN);
    await session.reloadAfterRestore();
    expect(session.me).toEqual(ANN);
  });

  it("remembers who used the app last", () => {
    const session = new Session(fakeApi());
    expect(session.lastPersonId()).toBeNull();
    session.choosePerson(BOB);
    expect(stored.get(LAST_PERSON_KEY)).toBe("2");
    expect(session.lastPersonId()).toBe(2);
    for (const junk of ["", "0", "-3", "1.5", "Bob"]) {
      stored.set(LAST_PERSON_KEY, junk);
      expect(session.lastPersonId()).toBeNull();
    }
  });

  it("keeps the backups' last news when asking fails", async () => {
    let fail = false;
    const session = new Session(
      fakeApi({
        backupHealth: async () => {
          if (fail) throw new Error("no data");
          return { problem: "The last backup failed." } as never;
        },
      }),
    );
    await session.checkBackups();
    fail = true;
    await session.checkBackups();
    expect(session.backupHealth).toEqual({ problem: "The last backup failed." });
  });
});

describe("Current", () => {
  it("says plainly when a screen reads what has not loaded", () => {
    const current = new Current(new Session(fakeApi()));
    expect(() => current.choices).toThrow("A screen was shown before the choices had loaded.");
    expect(() => current.me).toThrow("the person using the app");
    expect(() => current.plan).toThrow("the budget");
  });

  it("reads the session as it is now", async () => {
    const session = new Session(fakeApi());
    const current = new Current(session);
    await session.start();
    session.choosePerson(ANN);
    expect(current.choices).toBe(CHOICES);
    expect(current.me).toEqual(ANN);
    expect(current.holder.name).toBe("Margaret");
    expect(current.plan.id).toBe(110);
    await session.selectHolder(11);
    expect(current.plan.id).toBe(111);
  });

  it("takes today's date from core: the app's, else the figures'", async () => {
    const session = new Session(fakeApi());
    const current = new Current(session);
    await session.start();
    expect(current.today).toBe("2026-11-25");
    session.info = null;
    expect(current.today).toBe("2026-11-24");
  });
});
