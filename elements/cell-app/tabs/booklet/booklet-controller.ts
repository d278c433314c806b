/**
 * The booklet and the treasury in the member space, for the officers who read them: opened on first
 * view (their documents may take a moment to reach a new officer's device), read again after changes.
 */
import { html, type ReactiveControllerHost } from "lit";
import {
  Booklet,
  type Cell,
  duesStatus,
  type ImportPreview,
  type PeopleFilter,
  type Person,
  periodOf,
  periodsUpTo,
  periodTotals,
  type ReceivedContact,
  subscriptionsActive,
  Treasury,
} from "../../core/index.js";
import type { AppStrings } from "./strings.js";
import { bookletView } from "./views-booklet.js";
import { type TreasuryData, treasuryView } from "./views-treasury.js";

/** How many periods the dues table shows: half a year of months, a year of quarters, three years. */
const HISTORY = { month: 6, quarter: 4, year: 3 } as const;
/** How many of the latest stamps are listed (to correct or void them). */
const LATEST_STAMPS = 20;

/** See the module comment. */
export class OfficerBooks {
  private booklet: Booklet | undefined;
  private treasury: Treasury | undefined;
  private opening: Promise<void> | undefined;
  private filter: PeopleFilter = {};
  private people: Person[] = [];
  private everyone: Person[] = [];
  private importing: ImportPreview | undefined;
  private ledger: TreasuryData = {
    period: "",
    dues: [],
    history: { periods: [], dues: [] },
    stamps: [],
    payers: [],
    totals: [],
    subscriptions: [],
  };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly fail: (error: unknown) => void,
  ) {}

  bookletTab(t: AppStrings, cell: Cell) {
    const booklet = this.booklet;
    if (!booklet) return this.open(cell, t);
    const then = (p: Promise<unknown>) => void p.then(() => this.reload(cell), this.fail);
    // Members who joined with a device and whose record is not in the booklet yet: who may claim one.
    const recorded = new Set(this.everyone.map((p) => p.member).filter(Boolean));
    const claimants = cell.members().filter((m) => m.status === "member" && !recorded.has(m.id));
    return bookletView(t, this.people, this.importing, cell.me()?.id ?? "", claimants, {
      search: (filter) => {
        this.filter = { ...this.filter, ...filter };
        void this.reload(cell);
      },
      add: (person) => then(booklet.add(person)),
      update: (id, changes) => then(booklet.update(id, changes)),
      remove: (id) => then(booklet.remove(id)),
      claim: (id, member) => then(booklet.confirmClaim(id, member)),
      exportCsv: () =>
        void booklet.exportCsv().then((csv) => {
          const a = document.createElement("a");
          a.href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
          a.download = "carnet.csv";
          a.click();
          setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
        }),
      preview: (file) =>
        void file
          .text()
          .then((text) => booklet.preview(text))
          .then(
            (p) => {
              this.importing = p;
              this.host.requestUpdate();
            },
            (e) => this.fail(e),
          ),
      applyImport: () =>
        void booklet.import(this.importing!).then(
          () => {
            this.importing = undefined;
            return this.reload(cell);
          },
          (e) => this.fail(e),
        ),
    });
  }

  treasuryTab(t: AppStrings, cell: Cell) {
    const treasury = this.treasury;
    if (!treasury) return this.open(cell, t);
    const then = (p: Promise<unknown>) => void p.then(() => this.reload(cell), this.fail);
    return treasuryView(t, this.ledger, {
      setRules: (rules) => then(treasury.setRules(rules)),
      record: (stamp) => then(treasury.recordStamp(stamp)),
      subscribe: (subscription) => then(treasury.recordSubscription(subscription)),
      correct: (id, entry) => then(treasury.correct(id, entry)),
      cancel: (id, note) => then(treasury.voidEntry(id, note)),
    });
  }

  /** Opens the booklet and the treasury this device's member reads (once), then shows them. */
  private open(cell: Cell, t: AppStrings) {
    if (!this.opening) {
      const open = async <T>(make: () => Promise<T>): Promise<T | undefined> => {
        for (let delay = 200; delay < 20_000; delay *= 2) {
          try {
            return await make();
          } catch {
            await new Promise((r) => setTimeout(r, delay));
          }
        }
        return undefined;
      };
      this.opening = Promise.all([open(() => Booklet.open(cell)), open(() => Treasury.open(cell))]).then(
        async ([booklet, treasury]) => {
          this.booklet = booklet;
          this.treasury = treasury;
          await this.reload(cell);
        },
      );
    }
    return html`<p role="status">${t.starting}</p>`;
  }

  /** Records the sender of a contact message in the booklet, as a contact with the consent of the form. */
  async addContact(cell: Cell, contact: ReceivedContact): Promise<void> {
    const booklet = this.booklet ?? (await Booklet.open(cell));
    await booklet.addFromContact(contact);
    await this.reload(cell);
  }

  /** Reads the booklet and the treasury again (after a change, a search, an import). */
  async reload(cell: Cell): Promise<void> {
    if (!this.booklet && !this.treasury) return;
    const everyone = this.booklet ? await this.booklet.index() : undefined;
    this.everyone = everyone?.filter({}) ?? [];
    this.people = everyone?.filter(this.filter) ?? [];
    if (this.treasury) {
      // One read of the ledger: the rules, the stamps and the subscriptions, re-validated together.
      const { rules, stamps, subscriptions } = await this.treasury.ledger();
      const members = cell.members().filter((m) => m.status === "member");
      const held = (everyone?.filter({ kind: "held" }) ?? []).map((p) => ({ id: p.id, name: p.name }));
      const payers = [...members.map((m) => ({ id: m.id as string, name: m.name })), ...held];
      const period = rules ? periodOf(Date.now(), rules.period) : "";
      const ids = payers.map((p) => p.id);
      const last = rules ? periodsUpTo(period, HISTORY[rules.period]) : [];
      this.ledger = {
        ...(rules ? { rules } : {}),
        period,
        dues: rules ? duesStatus(rules, stamps, ids, period) : [],
        history: {
          periods: last,
          dues: rules ? duesStatus(rules, stamps, ids, { from: last[0]!, to: period }) : [],
        },
        stamps: [...stamps].sort((a, b) => b.at - a.at).slice(0, LATEST_STAMPS),
        payers,
        totals: periodTotals(stamps, rules).slice(-6).reverse(),
        subscriptions: subscriptionsActive(subscriptions, Date.now()),
      };
    }
    this.host.requestUpdate();
  }
}
