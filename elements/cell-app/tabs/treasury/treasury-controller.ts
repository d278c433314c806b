/**
 * The treasury tab's state, for the officers who read it: the treasury, opened on first view (with the
 * booklet, whose held members pay dues too), and the ledger as the view shows it (dues of this period and
 * the last ones, the latest stamps, totals, subscriptions); read again after writes while the element is
 * in the page.
 */
import { html } from "lit";
import {
  type Cell,
  duesStatus,
  periodOf,
  periodsUpTo,
  periodTotals,
  subscriptionsActive,
  Treasury,
} from "../../../../core/index.js";
import type { OpenCell } from "../../session.js";
import { TabWithBooklet } from "../booklet/tab-with-booklet.js";
import { afterWrites, openPatiently, type TabContext } from "../tab.js";
import { type TreasuryData, treasuryView } from "./treasury-view.js";

/** How many periods the dues table shows: half a year of months, a year of quarters, three years. */
const HISTORY = { month: 6, quarter: 4, year: 3 } as const;
/** How many of the latest stamps are listed (to correct or void them). */
const LATEST_STAMPS = 20;

const EMPTY: TreasuryData = {
  period: "",
  dues: [],
  history: { periods: [], dues: [] },
  stamps: [],
  payers: [],
  totals: [],
  subscriptions: [],
};

/** See the module comment. */
export class TreasuryController extends TabWithBooklet {
  private treasury: Treasury | undefined;
  private cell: Cell | undefined;
  private opening: Promise<void> | undefined;
  private ledger = EMPTY;

  protected follow(open: OpenCell): () => void {
    return afterWrites(open.kit, () => void this.reload());
  }

  protected forget(): void {
    // A cell opened again (the element back in the page) has its own treasury.
    this.treasury = undefined;
    this.cell = undefined;
    this.opening = undefined;
    this.ledger = EMPTY;
  }

  view({ t, cell }: TabContext) {
    const treasury = this.treasury;
    if (!treasury) {
      void this.open(cell);
      return html`<p role="status">${t.starting}</p>`;
    }
    const then = (change: () => Promise<unknown>) => this.run(() => change().then(() => this.reload()));
    return treasuryView(t, this.ledger, {
      setRules: (rules) => then(() => treasury.setRules(rules)),
      record: (stamp) => then(() => treasury.recordStamp(stamp)),
      subscribe: (subscription) => then(() => treasury.recordSubscription(subscription)),
      correct: (id, entry) => then(() => treasury.correct(id, entry)),
      cancel: (id, note) => then(() => treasury.voidEntry(id, note)),
    });
  }

  /** Opens the treasury and the booklet (once), then reads them. */
  private open(cell: Cell): Promise<void> {
    if (this.opening) return this.opening;
    const opening = Promise.all([openPatiently(() => Treasury.open(cell)), this.booklet.open(cell)]).then(
      async ([treasury]) => {
        if (this.opening !== opening) return;
        this.treasury = treasury;
        this.cell = cell;
        await this.reload();
      },
    );
    this.opening = opening;
    return opening;
  }

  /** Reads the ledger again, with the payers: the cell's members and the booklet's held members. */
  private async reload(): Promise<void> {
    const { treasury, cell } = this;
    if (!treasury || !cell) return;
    const everyone = await this.booklet.index();
    // One read of the ledger: the rules, the stamps and the subscriptions, re-validated together.
    const { rules, stamps, subscriptions } = await treasury.ledger();
    if (this.treasury !== treasury) return;
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
    this.host.requestUpdate();
  }
}
