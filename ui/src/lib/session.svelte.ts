// What every screen shares: core's facts about the app (today's date among
// them) and its choices, who is using the app, whose budget is open and
// where it stands. `session` holds it and loads it from core; `App.svelte`
// routes between the screens, and the screens read what they need from
// `current` rather than being handed it.

import { api } from "./api";
import type { AppInfo } from "./bindings/AppInfo";
import type { BackupHealth } from "./bindings/BackupHealth";
import type { Dashboard } from "./bindings/Dashboard";
import type { Holder } from "./bindings/Holder";
import type { HolderOverview } from "./bindings/HolderOverview";
import type { LineStanding } from "./bindings/LineStanding";
import type { Person } from "./bindings/Person";
import type { Plan } from "./bindings/Plan";
import type { PlanChoices } from "./bindings/PlanChoices";
import type { PlanDetails } from "./bindings/PlanDetails";
import type { PlanSummary } from "./bindings/PlanSummary";

/** The calls the session makes: core's, or a test's stand-ins. */
export type SessionApi = Pick<
  typeof api,
  "appInfo" | "planOptions" | "listPeople" | "listHolders" | "holderOverview" | "planDetails" | "backupHealth"
>;

/** Where the person who used the app last is remembered, between runs. */
export const LAST_PERSON_KEY = "careledger.lastPerson";

/** The shared state, and the loading that keeps it true. */
export class Session {
  /** Facts about the running app: its version, data folder and today's date. */
  info = $state<AppInfo | null>(null);
  /** Every choice the forms offer, with core's words and limits. */
  choices = $state<PlanChoices | null>(null);
  /** Everyone who has used the app. */
  people = $state<Person[]>([]);
  /** Who is using the app; null until they have said. */
  me = $state<Person | null>(null);
  /** Everyone whose budget the app keeps. */
  holders = $state<Holder[]>([]);
  /** Whose budget is open. */
  selectedId = $state<number | null>(null);
  /** Where the open budget stands, as core worked it out. */
  overview = $state<HolderOverview | null>(null);
  /** The open budget's plan, every version, once there is one. */
  details = $state<PlanDetails | null>(null);
  /** Goes up whenever the ledger changes, so the list of payments reloads. */
  ledgerVersion = $state(0);
  /** Everything above has been loaded from the data. */
  loaded = $state(false);
  /** How the automatic backups are doing. */
  backupHealth = $state<BackupHealth | null>(null);

  /** The holder whose budget is open. */
  selected = $derived(this.holders.find((holder) => holder.id === this.selectedId) ?? null);

  readonly #api: SessionApi;
  // Counts requests, so that a slow reply for a holder no longer selected
  // never replaces what is on screen for the one that is.
  #loadTicket = 0;

  constructor(calls: SessionApi = api) {
    this.#api = calls;
  }

  /** Loads everything from the data: at start, and again when the recovery
   * screen has brought the data back or opened another folder. Stops after
   * `info` when the data could not be opened: `info.startupProblem` says why. */
  async start() {
    this.loaded = false;
    this.info = await this.#api.appInfo();
    if (this.info.startupProblem) return;
    this.choices = await this.#api.planOptions();
    this.people = await this.#api.listPeople();
    this.holders = await this.#api.listHolders();
    await this.selectHolder(this.holders[0]?.id ?? null);
    this.loaded = true;
    await this.checkBackups();
  }

  /** Opens `id`'s budget (or none). */
  async selectHolder(id: number | null) {
    this.selectedId = id;
    this.overview = null;
    this.details = null;
    await this.loadHolder();
  }

  /** Asks core again where the open budget stands: after anything changed it. */
  async loadHolder() {
    const ticket = ++this.#loadTicket;
    const holderId = this.selectedId;
    const overview = holderId === null ? null : await this.#api.holderOverview(holderId);
    const details = overview?.plan ? await this.#api.planDetails(overview.plan.id) : null;
    if (ticket !== this.#loadTicket) return;
    this.overview = overview;
    this.details = details;
  }

  /** After a payment or money in was saved, changed or removed: the figures
   * and the list of payments load again. */
  async ledgerChanged() {
    await this.loadHolder();
    this.ledgerVersion += 1;
  }

  async refreshPeople() {
    this.people = await this.#api.listPeople();
  }

  async refreshHolders() {
    this.holders = await this.#api.listHolders();
  }

  /** After a restore the people and holders are stale: loads them again, and
   * forgets the person using the app if the restored data does not know
   * them. Then open a holder's budget (`selectHolder`). */
  async reloadAfterRestore() {
    await this.refreshPeople();
    await this.refreshHolders();
    const me = this.me;
    if (me && !this.people.some((person) => person.id === me.id && person.name === me.name)) this.me = null;
  }

  /** `person` is using the app, and is offered first next time. */
  choosePerson(person: Person) {
    this.me = person;
    localStorage.setItem(LAST_PERSON_KEY, String(person.id));
  }

  /** The person who used the app last, if remembered. */
  lastPersonId(): number | null {
    const stored = Number(localStorage.getItem(LAST_PERSON_KEY));
    return Number.isInteger(stored) && stored > 0 ? stored : null;
  }

  /** Asks how the automatic backups are doing: at each screen, so a failed
   * backup or a USB stick taken away shows without a restart. */
  async checkBackups() {
    try {
      this.backupHealth = await this.#api.backupHealth();
    } catch {
      // Nothing to add: the screen already shows the data's own problem.
    }
  }
}

/** A screen asked for something App shows it only once it is there. */
function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) {
    throw new Error(`A screen was shown before ${what} had loaded.`);
  }
  return value;
}

/** The shared state as the screens read it. App shows each screen only once
 * what it reads is there (the data loaded, someone using the app, a budget
 * open, its plan set up), so each of these is always there for the screen
 * that reads it. */
export class Current {
  readonly #session: Session;

  constructor(of: Session) {
    this.#session = of;
  }

  get info(): AppInfo {
    return present(this.#session.info, "the app's details");
  }

  get choices(): PlanChoices {
    return present(this.#session.choices, "the choices");
  }

  /** Who is using the app. */
  get me(): Person {
    return present(this.#session.me, "the person using the app");
  }

  /** Today's date, as core counts it. */
  get today(): string {
    return present(this.#session.info?.today ?? this.#session.overview?.summary?.asOf, "today's date");
  }

  /** The holder whose budget is open. */
  get holder(): Holder {
    return present(this.#session.selected, "the holder");
  }

  /** Where the open budget stands. */
  get overview(): HolderOverview {
    return present(this.#session.overview, "the budget");
  }

  get plan(): Plan {
    return present(this.overview.plan, "the plan");
  }

  get summary(): PlanSummary {
    return present(this.overview.summary, "the plan's figures");
  }

  get dashboard(): Dashboard {
    return present(this.overview.dashboard, "the plan's figures");
  }

  /** The plan's budget lines, as they stand. */
  get lines(): LineStanding[] {
    return this.dashboard.lines;
  }

  /** The plan, every version. */
  get details(): PlanDetails {
    return present(this.#session.details, "the plan");
  }
}

/** The app's one session. */
export const session = new Session();

/** The session as the screens read it. */
export const current = new Current(session);
