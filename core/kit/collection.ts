/**
 * A collection of records partitioned across documents, so that no Automerge container grows without
 * bound: records go into bucket documents by period (a month by default), at most `BUCKET_LIMIT` per
 * bucket, and an index document lists the buckets. Each record is stored as one immutable JSON string
 * (one Automerge operation), so loading a bucket never replays per-character history; a record is
 * replaced whole (the last writer wins for concurrent edits of the same record).
 *
 * Reading the newest records loads only the newest buckets.
 */
import * as A from "@automerge/automerge/slim";
import { InvalidArgumentError, UnknownDocumentError } from "../base/errors.js";
import type { DocId, ScopeId } from "../base/ids.js";
import type { CelluleDocument } from "./document.js";
import type { Kit } from "./kit.js";

/** Most records in one bucket document. */
export const BUCKET_LIMIT = 1000;

/** A record of a collection: an ID and a time (ms since the epoch) that decides its bucket and order. */
export interface CollectionRecord {
  id: string;
  at: number;
}

interface IndexDoc {
  kind: "collection";
  name: string;
  /** Bucket document → its period key (e.g. "2026-11"). A map keyed by document, so concurrent bucket creations never conflict. */
  buckets: Record<string, string>;
}

interface BucketDoc {
  kind: "bucket";
  period: string;
  items: Record<string, A.ImmutableString>;
}

/** The period key of a time: its UTC month, `YYYY-MM`. */
export function monthOf(at: number): string {
  const d = new Date(at);
  return `${d.getUTCFullYear().toString().padStart(4, "0")}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** See the module comment. */
export class Collection<T extends CollectionRecord> {
  private readonly buckets = new Map<DocId, Promise<CelluleDocument<BucketDoc>>>();

  private constructor(
    private readonly kit: Kit,
    /** The index document. */
    readonly index: CelluleDocument<IndexDoc>,
  ) {}

  /** Creates an empty collection in a scope. */
  static async create<T extends CollectionRecord>(
    kit: Kit,
    scope: ScopeId,
    name: string,
  ): Promise<Collection<T>> {
    const index = await kit.create<IndexDoc>(scope, { kind: "collection", name, buckets: {} });
    return new Collection<T>(kit, index);
  }

  /** Opens a collection by its index document. */
  static async open<T extends CollectionRecord>(kit: Kit, indexId: DocId): Promise<Collection<T>> {
    const index = await kit.open<IndexDoc>(indexId);
    if (index.value().kind !== "collection") throw new UnknownDocumentError(`${indexId} is not a collection`);
    return new Collection<T>(kit, index);
  }

  /** The ID of the index document (what other devices open). */
  get id(): DocId {
    return this.index.id;
  }

  /** Adds or replaces records. Records of one period go to a bucket of that period with room left. */
  async put(...records: T[]): Promise<void> {
    const byPeriod = new Map<string, T[]>();
    for (const r of records) {
      if (typeof r.id !== "string" || r.id === "" || !Number.isFinite(r.at)) {
        throw new InvalidArgumentError("a record needs a non-empty string `id` and a numeric `at`");
      }
      const period = monthOf(r.at);
      byPeriod.set(period, [...(byPeriod.get(period) ?? []), r]);
    }
    for (const [period, items] of byPeriod) await this.putInPeriod(period, items);
  }

  /** The `count` newest records, newest first; loads only the buckets it needs. */
  async newest(count: number): Promise<T[]> {
    const found: T[] = [];
    for (const [, ids] of this.periodsNewestFirst()) {
      for (const bucket of await Promise.all(ids.map((id) => this.bucket(id))))
        found.push(...readItems<T>(bucket));
      if (found.length >= count) break;
    }
    return found.sort(newestFirst).slice(0, count);
  }

  /** Every record, newest first. */
  async all(): Promise<T[]> {
    const ids = Object.keys(this.index.value().buckets) as DocId[];
    const buckets = await Promise.all(ids.map((id) => this.bucket(id)));
    return buckets.flatMap((b) => readItems<T>(b)).sort(newestFirst);
  }

  /** One record by ID, or undefined. */
  async get(id: string, at: number): Promise<T | undefined> {
    for (const bucketId of this.bucketsOf(monthOf(at))) {
      const raw = (await this.bucket(bucketId)).value().items[id];
      if (raw) return JSON.parse(raw.toString()) as T;
    }
    return undefined;
  }

  /** Removes a record (`at` is the one it was stored with); false when there was none. */
  async remove(id: string, at: number): Promise<boolean> {
    for (const bucketId of this.bucketsOf(monthOf(at))) {
      const bucket = await this.bucket(bucketId);
      if (!(id in bucket.value().items)) continue;
      bucket.change((d) => {
        delete d.items[id];
      });
      return true;
    }
    return false;
  }

  private periodsNewestFirst(): [string, DocId[]][] {
    const periods = new Map<string, DocId[]>();
    for (const [id, period] of Object.entries(this.index.value().buckets)) {
      periods.set(period, [...(periods.get(period) ?? []), id as DocId]);
    }
    return [...periods].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0));
  }

  private bucketsOf(period: string): DocId[] {
    return Object.entries(this.index.value().buckets)
      .filter(([, p]) => p === period)
      .map(([id]) => id as DocId);
  }

  private bucket(id: DocId): Promise<CelluleDocument<BucketDoc>> {
    let b = this.buckets.get(id);
    if (!b) {
      b = this.kit.open<BucketDoc>(id);
      this.buckets.set(id, b);
      b.catch(() => this.buckets.delete(id));
    }
    return b;
  }

  private async putInPeriod(period: string, records: T[]): Promise<void> {
    let rest = records;
    for (const id of this.bucketsOf(period)) {
      const bucket = await this.bucket(id);
      rest = this.fill(bucket, rest);
      if (rest.length === 0) return;
    }
    while (rest.length > 0) {
      const bucket = await this.kit.create<BucketDoc>(this.index.scope, {
        kind: "bucket",
        period,
        items: {},
      });
      this.buckets.set(bucket.id, Promise.resolve(bucket));
      this.index.change((d) => {
        d.buckets[bucket.id] = period;
      });
      rest = this.fill(bucket, rest);
    }
  }

  /** Puts what fits into a bucket (replacements always fit); returns the rest. */
  private fill(bucket: CelluleDocument<BucketDoc>, records: T[]): T[] {
    const items = bucket.value().items;
    let size = Object.keys(items).length;
    const fits: T[] = [];
    const rest: T[] = [];
    for (const r of records) {
      if (r.id in items) fits.push(r);
      else if (size < BUCKET_LIMIT) {
        fits.push(r);
        size++;
      } else rest.push(r);
    }
    if (fits.length > 0) {
      bucket.change((d) => {
        for (const r of fits) d.items[r.id] = new A.ImmutableString(JSON.stringify(r));
      });
    }
    return rest;
  }
}

function readItems<T>(bucket: CelluleDocument<BucketDoc>): T[] {
  return Object.values(bucket.value().items).map((raw) => JSON.parse(raw.toString()) as T);
}

function newestFirst(a: CollectionRecord, b: CollectionRecord): number {
  return b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
