/**
 * The ledger: what the treasury's stored records say, rebuilt from scratch each time it is read. Every
 * record is re-validated against the governance log (signed by a treasurer at the heads it cites, not
 * concurrently with their removal), its data checked again, and corrections resolved into chains. The
 * result depends only on the set of records and the log, never on the order records arrived in.
 */
import { toBase64Url, utf8 } from "../base/bytes.js";
import type { Canonical } from "../base/canonical-json.js";
import { type ForbiddenError, IntegrityError, InvalidArgumentError } from "../base/errors.js";
import type { MemberId } from "../base/ids.js";
import { sha256Sync } from "../crypto/hash.js";
import type { RecordCheck, SignedRecord } from "../governance/records.js";
import type { Role } from "../governance/rules.js";
import { byTime, resolveChains } from "./chains.js";
import {
  checkStampData,
  checkSubscriptionData,
  type StampData,
  type SubscriptionData,
  TREASURY_KINDS,
  TREASURY_ROLES,
} from "./entries.js";
import { checkRules, type DuesRules } from "./rules.js";

/** Checks signed records against the governance log (`Cell.checkRecords`, or `checkRecords` on a log). */
export type RecordChecker = (
  records: readonly unknown[],
  options: { kind: string; roles: Role[] },
) => Promise<RecordCheck<Canonical>>;

/** What every ledger entry carries besides its data. */
export type EntryMeta = {
  /** Derived from the record's signature: the ID corrections name. */
  id: string;
  /** The author's clock when signing (ms): orders entries, decides nothing else. */
  at: number;
  /** The member who signed it. */
  by: MemberId;
};

/** A set of dues rules, as signed. */
export type RulesEntry = DuesRules & EntryMeta;
/** A stamp, as signed. */
export type Stamp = StampData & EntryMeta & { kind: "stamp" };
/** A subscription, as signed. */
export type Subscription = SubscriptionData & EntryMeta & { kind: "subscription" };
/** A stamp or a subscription. */
export type TreasuryEntry = Stamp | Subscription;

/** A stored record that does not count, and why. */
export type Refusal = {
  /** The entry's ID, when the record is well-formed enough to have one. */
  id?: string;
  kind?: string;
  error: IntegrityError | ForbiddenError;
  record: unknown;
};

/** What the treasury's records say. */
export type Ledger = {
  /** The rules in force: the valid ones with the latest time (then ID). */
  rules: RulesEntry | undefined;
  /** Every valid set of rules, oldest first. */
  rulesHistory: RulesEntry[];
  /** The current stamp of each chain (corrections applied), by time. */
  stamps: Stamp[];
  /** The current subscription of each chain, by time. */
  subscriptions: Subscription[];
  /** The chain an entry belongs to, oldest first; empty for an unknown or refused ID. */
  history(id: string): TreasuryEntry[];
  /** Records that do not count, with a typed error saying why. */
  refused: Refusal[];
  /** Records citing governance ops this device has not received yet: they may count later. */
  waiting: number;
};

/** The ID of a signed record's entry: base64url of SHA-256 of its author and signature (22 characters). */
export function entryIdOf(record: Pick<SignedRecord, "author" | "sig">): string {
  return toBase64Url(sha256Sync(utf8(`${record.author}.${record.sig}`))).slice(0, 22);
}

const KINDS: string[] = Object.values(TREASURY_KINDS);

function kindOf(record: unknown): string | undefined {
  const kind = (record as { kind?: unknown } | null)?.kind;
  return typeof kind === "string" && KINDS.includes(kind) ? kind : undefined;
}

function idOf(record: unknown): string | undefined {
  const r = record as { author?: unknown; sig?: unknown } | null;
  return typeof r?.author === "string" && typeof r.sig === "string"
    ? entryIdOf({ author: r.author, sig: r.sig })
    : undefined;
}

/** Valid entries of each kind. */
type Sorted = { rules: RulesEntry[]; stamps: Stamp[]; subscriptions: Subscription[] };

/** Adds a valid record's entry to `out` once its data is checked; `InvalidArgumentError` for bad data. */
function sortInto(out: Sorted, kind: string, meta: EntryMeta, data: unknown): void {
  if (kind === TREASURY_KINDS.rules) out.rules.push({ ...checkRules(data), ...meta });
  else if (kind === TREASURY_KINDS.stamp)
    out.stamps.push({ ...checkStampData(data), ...meta, kind: "stamp" });
  else out.subscriptions.push({ ...checkSubscriptionData(data), ...meta, kind: "subscription" });
}

/** Checks records of each treasury kind against the log, then their data; the rest are refused. */
async function checkAll(records: readonly unknown[], check: RecordChecker) {
  const groups = new Map<string, unknown[]>(KINDS.map((k) => [k, []]));
  const refused: Refusal[] = [];
  for (const record of records) {
    const kind = kindOf(record);
    if (kind) groups.get(kind)!.push(record);
    else
      refused.push({
        record,
        error: new IntegrityError("not a treasury record (rules, stamp or subscription)"),
      });
  }
  const valid: Sorted = { rules: [], stamps: [], subscriptions: [] };
  let waiting = 0;
  for (const [kind, group] of groups) {
    const checked = await check(group, { kind, roles: [...TREASURY_ROLES] });
    waiting += checked.waiting.length;
    for (const r of checked.refused)
      refused.push({ id: idOf(r.record), kind, error: r.error, record: r.record });
    for (const { record, member } of checked.valid) {
      const id = entryIdOf(record);
      try {
        sortInto(valid, kind, { id, at: record.at, by: member }, record.data);
      } catch (error) {
        if (!(error instanceof InvalidArgumentError)) throw error;
        const bad = new IntegrityError(`a signed ${kind} record with bad data: ${error.message}`);
        refused.push({ id, kind, record, error: bad });
      }
    }
  }
  return { valid, refused, waiting };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function unique<E extends { id: string }>(entries: E[]): E[] {
  return [...new Map(entries.map((e) => [e.id, e])).values()];
}

/** Builds the ledger from the records a treasury holds (see the module comment). */
export async function buildLedger(records: readonly unknown[], check: RecordChecker): Promise<Ledger> {
  const { valid, refused, waiting } = await checkAll(records, check);
  const rulesHistory = unique(valid.rules).sort(byTime);
  const stamps = resolveChains(unique(valid.stamps));
  const subscriptions = resolveChains(unique(valid.subscriptions));
  const corrections: { entry: TreasuryEntry; reason: string }[] = [
    ...stamps.refused,
    ...subscriptions.refused,
  ];
  if (corrections.length > 0) {
    const recordOf = new Map(records.map((r) => [idOf(r), r]));
    for (const { entry, reason } of corrections) {
      const error = new IntegrityError(`entry ${entry.id} ${reason}`);
      refused.push({ id: entry.id, kind: entry.kind, record: recordOf.get(entry.id), error });
    }
  }
  const order = (a: Refusal, b: Refusal) =>
    compare(a.id ?? "", b.id ?? "") || compare(a.error.message, b.error.message);
  // A record stored twice is refused once (records without an ID are each their own).
  const distinct = refused
    .sort(order)
    .filter((r, i, all) => r.id === undefined || i === 0 || order(r, all[i - 1]!) !== 0);
  return {
    rules: rulesHistory.at(-1),
    rulesHistory,
    stamps: stamps.current,
    subscriptions: subscriptions.current,
    history: (id) => [...(stamps.chainOf.get(id) ?? subscriptions.chainOf.get(id) ?? [])],
    refused: distinct,
    waiting,
  };
}
