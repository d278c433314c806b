/**
 * The cell's treasury (the seed's "carnet de timbres"): dues rules as data, stamps recorded per person
 * and period, journal subscriptions, each a record signed by a treasurer, working offline. Nothing is
 * rewritten: a correction is a new signed record superseding the old one, and every read rebuilds the
 * ledger from the records, re-validated against the governance log (see ledger.ts). Views over the
 * ledger are pure functions (views.ts).
 *
 * @example
 * const treasury = await Treasury.open(cell);
 * await treasury.setRules({ period: "month", currency: "EUR", remittedShare: 0.3,
 *   brackets: [{ id: "b1", label: "moins de 1 200 €", maxMonthlyIncome: 120_000, amount: 500 }] });
 * const stamp = await treasury.recordStamp({ person, period: "2026-11", amount: 500, method: "cash" });
 * const { stamps } = await treasury.entries();
 * duesStatus((await treasury.rules()), stamps, people, "2026-11");
 */

import type { Canonical } from "../base/canonical-json.js";
import { ForbiddenError, InvalidArgumentError, NotAMemberError } from "../base/errors.js";
import type { DocId, MemberId } from "../base/ids.js";
import type { Cell } from "../cell/cell.js";
import { hasAnyRole } from "../governance/rules.js";
import { defined, NOTE_TEXT, requiredText } from "./check.js";
import {
  checkStamp,
  checkSubscription,
  type StampData,
  type StampInput,
  type SubscriptionInput,
  TREASURY_KINDS,
  TREASURY_ROLES,
} from "./entries.js";
import {
  buildLedger,
  type Ledger,
  type RulesEntry,
  type Stamp,
  type Subscription,
  type TreasuryEntry,
} from "./ledger.js";
import { periodKindOf } from "./periods.js";
import { checkRules, type DuesRules } from "./rules.js";
import { TreasuryStore } from "./store.js";

/** The ledger as read on this device, with how many of the treasury's buckets have not arrived yet. */
export type TreasuryLedger = Ledger & { missing: number };

/** See the module comment. */
export class Treasury {
  private constructor(
    private readonly cell: Cell,
    private readonly store: TreasuryStore,
  ) {}

  /**
   * Opens the cell's treasury, creating and naming it the first time on a device whose member may set
   * policies (the secretary). `NotAMemberError` unless this device is an admitted member's,
   * `ForbiddenError` when it holds no treasury key (a plain member), `UnknownDocumentError` when the
   * treasury does not exist yet and this device may not create it, or has not reached it yet.
   */
  static async open(cell: Cell): Promise<Treasury> {
    return new Treasury(cell, await TreasuryStore.open(cell));
  }

  /** The ID of the treasury's index document. */
  get id(): DocId {
    return this.store.id;
  }

  /** Everything the records say, re-validated against the governance log now. */
  async ledger(): Promise<TreasuryLedger> {
    const { records, missing } = await this.store.read();
    return { ...(await this.build(records)), missing };
  }

  /** The dues rules in force, if a treasurer has set some (only the rules records are checked). */
  async rules(): Promise<RulesEntry | undefined> {
    const { records } = await this.store.read();
    const kind = (r: unknown) => (r as { kind?: unknown } | null)?.kind;
    return (await this.build(records.filter((r) => kind(r) === TREASURY_KINDS.rules))).rules;
  }

  /** Signs and stores new dues rules (in force from now); `InvalidArgumentError` naming a bad field. */
  async setRules(rules: DuesRules): Promise<RulesEntry> {
    const clean = checkRules(rules);
    return this.add(TREASURY_KINDS.rules, clean, {});
  }

  /**
   * Records a stamp: a payment by a person for a period of the rules' kind. `InvalidArgumentError` (nothing
   * signed or written) for bad input or when no rules are set yet; `ForbiddenError` unless a treasurer.
   */
  async recordStamp(input: StampInput): Promise<Stamp> {
    const clean = checkStamp(input, requireRules(await this.rules()));
    return this.add(TREASURY_KINDS.stamp, clean, { kind: "stamp" });
  }

  /** Records a journal subscription; `InvalidArgumentError` (nothing written) for bad input. */
  async recordSubscription(input: SubscriptionInput): Promise<Subscription> {
    const clean = checkSubscription(input);
    return this.add(TREASURY_KINDS.subscription, clean, { kind: "subscription" });
  }

  /**
   * Corrects an entry: a new signed entry of the same kind, with the corrected values, superseding it.
   * The entry must be the current one of its chain (`InvalidArgumentError` otherwise, or for bad input); a
   * correction to amount 0 needs a note saying why.
   */
  async correct(id: string, input: StampInput | SubscriptionInput): Promise<TreasuryEntry> {
    const ledger = await this.ledger();
    const target = currentEntry(ledger, id);
    if (target.kind === "stamp") {
      const clean = checkStamp(input, rulesFor(requireRules(ledger.rules), target, input));
      needsNote(clean.amount, clean.note, "stamp");
      return this.add(TREASURY_KINDS.stamp, { ...clean, supersedes: id }, { kind: "stamp" });
    }
    const clean = checkSubscription(input);
    needsNote(clean.paid, clean.note, "subscription");
    return this.add(TREASURY_KINDS.subscription, { ...clean, supersedes: id }, { kind: "subscription" });
  }

  /** Voids an entry: a correction of amount 0 marked `void`, with a note saying why. */
  async voidEntry(id: string, note: string): Promise<TreasuryEntry> {
    const why = requiredText(note, "note", NOTE_TEXT);
    const target = currentEntry(await this.ledger(), id);
    const voids = { note: why, supersedes: id, void: true };
    if (target.kind === "stamp") {
      const data = { ...stampInputOf(target), amount: 0, ...voids };
      return this.add(TREASURY_KINDS.stamp, data, { kind: "stamp" });
    }
    const data = { ...subscriptionInputOf(target), paid: 0, ...voids };
    return this.add(TREASURY_KINDS.subscription, data, { kind: "subscription" });
  }

  /** The current entries (corrections applied): stamps and subscriptions, by time. */
  async entries(): Promise<{ stamps: Stamp[]; subscriptions: Subscription[] }> {
    const { stamps, subscriptions } = await this.ledger();
    return { stamps, subscriptions };
  }

  /** The chain of an entry (the original and its corrections), oldest first; empty if it does not count. */
  async history(id: string): Promise<TreasuryEntry[]> {
    return (await this.ledger()).history(id);
  }

  /** Calls `listener` after every change to the treasury, made on this device or received. */
  subscribe(listener: () => void): () => void {
    return this.store.subscribe(listener);
  }

  private build(records: unknown[]): Promise<Ledger> {
    return buildLedger(records, (r, options) => this.cell.checkRecords<Canonical>(r, options));
  }

  /** Signs `data` as a record of `kind` (after checking this device may), stores it, returns the entry. */
  private async add<E>(kind: string, data: object, extra: object): Promise<E> {
    const by = this.treasurer();
    const record = await this.cell.signRecord(kind, defined(data) as Record<string, Canonical>);
    const id = await this.store.add(record);
    return { ...(record.data as object), ...extra, id, at: record.at, by } as E;
  }

  /** This device's member, if a treasurer; `NotAMemberError` or `ForbiddenError` otherwise. */
  private treasurer(): MemberId {
    const me = this.cell.me();
    if (me?.status !== "member")
      throw new NotAMemberError("only a member of the cell records in the treasury");
    if (!hasAnyRole(me.roles, TREASURY_ROLES))
      throw new ForbiddenError(`recording in the treasury needs the role ${TREASURY_ROLES.join(" or ")}`);
    return me.id;
  }
}

function requireRules(rules: DuesRules | undefined): DuesRules {
  if (!rules)
    throw new InvalidArgumentError(
      "the treasury has no dues rules yet: a treasurer sets them before any stamp",
    );
  return rules;
}

/** The current entry of the chain `id` ends; `InvalidArgumentError` naming `supersedes` otherwise. */
function currentEntry(ledger: Ledger, id: string): TreasuryEntry {
  const chain = ledger.history(id);
  if (chain.length === 0)
    throw new InvalidArgumentError(`supersedes: no entry ${id} counts in the treasury on this device`);
  const current = [...ledger.stamps, ...ledger.subscriptions].find((e) => chain.includes(e));
  if (current?.id !== id)
    throw new InvalidArgumentError(
      `supersedes: entry ${id} is already corrected by ${current?.id}: correct that one`,
    );
  return current;
}

/** The rules a correction is checked with: its period may keep the kind of the entry it corrects. */
function rulesFor(rules: DuesRules, target: StampData, input: StampInput | SubscriptionInput): DuesRules {
  const kind = periodKindOf(target.period);
  const keeps = kind && periodKindOf((input as Partial<StampInput>).period) === kind;
  return keeps ? { ...rules, period: kind } : rules;
}

function needsNote(amount: number, note: string | undefined, field: string): void {
  if (amount === 0 && note === undefined)
    throw new InvalidArgumentError(`${field}.note must say why a correction brings the amount to 0`);
}

/** The values of a stamp, without what its record adds. */
function stampInputOf(s: Stamp): StampInput {
  const { person, period, amount, method, bracket, note } = s;
  return defined({ person, period, amount, method, bracket, note });
}

/** The values of a subscription, without what its record adds. */
function subscriptionInputOf(s: Subscription): SubscriptionInput {
  const { person, publication, from, to, paid, method, note } = s;
  return defined({ person, publication, from, to, paid, method, note });
}
