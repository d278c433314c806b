/**
 * Where the treasury's records live: one `Collection` in the cell's `treasury` scope (read by the roles
 * the rules name, by default treasurers and the secretary), named `treasury` in the governance log so
 * every device finds the same one. Each item is `{ id, at, record }`, the record signed by a treasurer;
 * items are never replaced: a correction is a new item. Writes go to the local documents and reach other
 * devices through the Kit whenever they are online.
 */

import {
  ForbiddenError,
  InvalidArgumentError,
  NotAMemberError,
  UnknownDocumentError,
} from "../base/errors.js";
import { type DocId, parseDocId, type ScopeId } from "../base/ids.js";
import type { Cell } from "../cell/cell.js";
import { namedCollection } from "../cell/named-document.js";
import type { SignedRecord } from "../governance/records.js";
import type { Collection, CollectionRecord } from "../kit/collection.js";
import type { Kit } from "../kit/kit.js";
import { entryIdOf } from "./ledger.js";

/** The treasury's name in the governance log. */
export const TREASURY_NAME = "treasury";
/** The cell scope the treasury lives in. */
export const TREASURY_SCOPE = "treasury";

/** One stored item. */
export type TreasuryItem = CollectionRecord & { record: SignedRecord };

/** What a bucket document of a collection holds, as far as reading goes. */
type BucketView = { items?: Record<string, unknown> };

/** What was read: the stored records, and how many buckets have not reached this device yet. */
export type StoredRecords = { records: unknown[]; missing: number };

/** See the module comment. */
export class TreasuryStore {
  private constructor(
    private readonly kit: Kit,
    private readonly items: Collection<TreasuryItem>,
  ) {}

  /**
   * Opens the cell's treasury; creates and names it the first time when this device's member may set
   * policies. `NotAMemberError` unless this device is an admitted member's; `ForbiddenError` when it holds
   * no key to the treasury scope (its member's roles do not read it); `UnknownDocumentError` when the
   * treasury does not exist yet and this device may not create it, or has not reached this device yet.
   */
  static async open(cell: Cell): Promise<TreasuryStore> {
    const { kit } = cell;
    if (cell.status !== "member") throw new NotAMemberError("only a member of the cell opens its treasury");
    if (!kit.epochOf(cell.scopeId(TREASURY_SCOPE))) {
      const readers = cell.state.rules.scopes[TREASURY_SCOPE]?.readers ?? [];
      throw new ForbiddenError(
        `this device holds no key to the treasury: only ${readers.join(", ") || "nobody"} read it`,
      );
    }
    return new TreasuryStore(kit, await namedCollection<TreasuryItem>(cell, TREASURY_NAME, TREASURY_SCOPE));
  }

  /** The index document's ID. */
  get id(): DocId {
    return this.items.id;
  }

  /** The Kit scope the treasury's documents are in. */
  get scope(): ScopeId {
    return this.items.index.scope;
  }

  /** Stores a signed record as a new item; returns its entry ID. */
  async add(record: SignedRecord): Promise<string> {
    const id = entryIdOf(record);
    await this.items.put({ id, at: record.at, record });
    return id;
  }

  /**
   * Every stored record, as stored (untrusted: the ledger checks them). Buckets named in the index whose
   * content has not arrived yet are counted in `missing` rather than failing the whole read.
   */
  async read(): Promise<StoredRecords> {
    const ids = Object.keys(this.items.index.value().buckets);
    const buckets = await Promise.all(ids.map((id) => this.bucket(id)));
    const records = buckets.flatMap((b) => Object.values(b?.items ?? {}).map(recordOf));
    return { records, missing: buckets.filter((b) => !b).length };
  }

  /** Calls `listener` after every change to the treasury's documents, made here or received. */
  subscribe(listener: () => void): () => void {
    return this.kit.on("written", (_doc, scope) => {
      if (scope === this.scope) listener();
    });
  }

  /** A bucket the index names; missing (undefined) if it has not arrived, or if its ID cannot be a document's. */
  private async bucket(id: string): Promise<BucketView | undefined> {
    try {
      return (await this.kit.open<BucketView>(parseDocId(id))).value();
    } catch (error) {
      if (error instanceof UnknownDocumentError || error instanceof InvalidArgumentError) return undefined;
      throw error;
    }
  }
}

/** The record of a stored item (anything else as it is, for the ledger to refuse). */
function recordOf(raw: unknown): unknown {
  try {
    const item = JSON.parse(String(raw)) as Partial<TreasuryItem> | null;
    return item && typeof item === "object" && "record" in item ? item.record : item;
  } catch {
    return raw;
  }
}
