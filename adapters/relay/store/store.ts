/**
 * The relay's durable store: opaque envelopes filed under the topic of their header, numbered per topic
 * (1, 2, …) and globally (for SUB_ALL), idempotent by SHA-256 of their bytes.
 *
 * Everything lives in one append-only file (`envelopes.log`, framing in `log-file.ts`) plus `store-id`.
 * A put is acknowledged only once its record is on disk (fdatasync); puts that arrive while a sync runs
 * wait for the next one and share it (group commit), so one slow fsync serves thousands of puts. The
 * index (topic → global seqs, hash → global seq) lives in memory and is rebuilt by scanning at start;
 * envelopes are read back from the file, recent ones from a small cache.
 */
import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { ClosedError, IntegrityError, QuotaError, StorageError } from "../../../core/base/errors.js";
import { readHeader } from "../../../core/protocol/envelope.js";
import { RELAY_DEFAULTS } from "../../../core/protocol/relay.js";
import { describeError, type RelayLogger, silentLogger } from "../log.js";
import { openDataDir, type RepairStep, releaseLock } from "./data-dir.js";
import { MAX_RECORD_BYTES, RECORD_HEADER_BYTES, writeRecord } from "./log-file.js";

const LOG_FILE = "envelopes.log";
/** Records further apart than this are read separately rather than in one read. */
const READ_GAP = 64 * 1024;
const READ_SPAN = 4 * 1024 * 1024;

/** Options of `RelayStore.open`. */
export interface RelayStoreOptions {
  /** Bytes of recently stored envelopes kept in memory to serve subscribers. @default 64 MiB */
  cacheBytes?: number;
  /** Most bytes written under one fsync; more waits for the next one. @default 8 MiB */
  maxBatchBytes?: number;
  /** Largest envelope stored, from any source (clients, peers). @default RELAY_DEFAULTS.maxFrameBytes */
  maxEnvelopeBytes?: number;
  /** Smallest envelope stored. @default RELAY_DEFAULTS.minEnvelopeBytes */
  minEnvelopeBytes?: number;
  /** Quotas: the whole log, and each topic (bytes and envelopes). @default RELAY_DEFAULTS */
  maxStoreBytes?: number;
  maxStoreEnvelopes?: number;
  maxTopicBytes?: number;
  maxTopicEnvelopes?: number;
  log?: RelayLogger;
  /** Called before each step of a log repair; a test throws there to stand for a crash. @internal */
  repairStep?: (step: RepairStep) => void;
}

/**
 * The store or one topic is at its quota: nothing more is taken there (HTTP 507, an ERROR frame with
 * code `quota`), what is stored stays readable.
 */
export class StoreFullError extends QuotaError {
  constructor(
    /** What is full. */
    readonly scope: "store" | "topic",
    message: string,
  ) {
    super(message);
  }
}

/** The answer to a put. */
export interface PutResult {
  /** False when the envelope was already stored (then `seq` is the one it got then). */
  stored: boolean;
  /** Per-topic seq. */
  seq: number;
  globalSeq: number;
  /** SHA-256 of the envelope. */
  hash: Buffer;
  /** Topic, lowercase hex. */
  topic: string;
}

/** An envelope as stored, with its numbers. */
export interface StoredEnvelope {
  globalSeq: number;
  seq: number;
  topic: string;
  envelope: Buffer;
}

/** Counters for `/health` and tests. */
export interface StoreStats {
  envelopes: number;
  topics: number;
  bytes: number;
  /** fdatasync calls so far: far fewer than puts when group commit works. */
  syncs: number;
}

interface TopicState {
  /** Global seq of each stored envelope of the topic; index i holds topic seq i + 1. */
  gseqs: number[];
  /** Next topic seq to hand out, counting puts not yet durable. */
  next: number;
  /** Bytes of the topic's envelopes, counting puts not yet durable. */
  bytes: number;
}

interface PendingPut {
  record: Buffer;
  globalSeq: number;
  seq: number;
  topic: TopicState;
  topicHex: string;
  hashKey: string;
  hash: Buffer;
  promise: Promise<PutResult>;
  resolve(result: PutResult): void;
  reject(error: unknown): void;
}

/** A relay's envelope store in one data directory. Open it with `RelayStore.open`. */
export class RelayStore {
  private readonly gOffset: number[] = [];
  private readonly gLength: number[] = [];
  private readonly gSeq: number[] = [];
  private readonly topics = new Map<string, TopicState>();
  private readonly byHash = new Map<string, number>();
  private readonly pending = new Map<string, PendingPut>();
  private readonly cache = new Map<number, Buffer>();
  private readonly listeners = new Set<(records: StoredEnvelope[]) => void>();
  private queue: PendingPut[] = [];
  private cacheUsed = 0;
  private topicsWithData = 0;
  private nextGlobal = 1;
  /** Bytes of records queued or being written, not yet in `end`. */
  private pendingBytes = 0;
  private syncs = 0;
  private flushing = false;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private broken: StorageError | undefined;

  private constructor(
    /** The data directory. */
    readonly dir: string,
    /** 16 random bytes naming this store's data; new data, new ID. */
    readonly storeId: Buffer,
    private readonly fh: FileHandle,
    private end: number,
    private readonly lockPath: string,
    private readonly options: Required<RelayStoreOptions>,
  ) {}

  /**
   * Opens (or creates) the store in `dir`: takes the directory's lock, scans and repairs the log (see
   * `openDataDir`), and rebuilds the index. `StorageError` if the directory is in use by a live process
   * or unreadable.
   */
  static async open(dir: string, options: RelayStoreOptions = {}): Promise<RelayStore> {
    const opts: Required<RelayStoreOptions> = {
      cacheBytes: options.cacheBytes ?? 64 * 1024 * 1024,
      maxBatchBytes: options.maxBatchBytes ?? 8 * 1024 * 1024,
      maxEnvelopeBytes: options.maxEnvelopeBytes ?? RELAY_DEFAULTS.maxFrameBytes,
      minEnvelopeBytes: options.minEnvelopeBytes ?? RELAY_DEFAULTS.minEnvelopeBytes,
      maxStoreBytes: options.maxStoreBytes ?? RELAY_DEFAULTS.maxStoreBytes,
      maxStoreEnvelopes: options.maxStoreEnvelopes ?? RELAY_DEFAULTS.maxStoreEnvelopes,
      maxTopicBytes: options.maxTopicBytes ?? RELAY_DEFAULTS.maxTopicBytes,
      maxTopicEnvelopes: options.maxTopicEnvelopes ?? RELAY_DEFAULTS.maxTopicEnvelopes,
      log: options.log ?? silentLogger,
      repairStep: options.repairStep ?? (() => {}),
    };
    const { root, storeId, fh, scan, lockPath } = await openDataDir(dir, LOG_FILE, opts.log, opts.repairStep);
    try {
      const store = new RelayStore(root, storeId, fh, scan.end, lockPath, opts);
      for (const r of scan.records) {
        store.gOffset.push(r.offset);
        store.gLength.push(r.length);
        store.gSeq.push(r.seq);
        const t = store.topicState(r.topic);
        t.gseqs.push(r.globalSeq);
        t.bytes += r.length;
        if (!store.byHash.has(r.hashKey)) store.byHash.set(r.hashKey, r.globalSeq);
      }
      for (const t of store.topics.values()) t.next = t.gseqs.length + 1;
      store.topicsWithData = store.topics.size;
      store.nextGlobal = scan.records.length + 1;
      return store;
    } catch (e) {
      await fh.close().catch(() => {});
      await releaseLock(root, lockPath);
      throw new StorageError(`cannot open the store in ${root}`, { cause: e });
    }
  }

  /** The store ID as lowercase hex. */
  get storeIdHex(): string {
    return this.storeId.toString("hex");
  }

  /** Highest global seq stored (durably). */
  get globalHead(): number {
    return this.gOffset.length;
  }

  /** Highest seq stored under a topic (hex), 0 when none. */
  head(topic: string): number {
    return this.topics.get(topic)?.gseqs.length ?? 0;
  }

  /** Counters. */
  stats(): StoreStats {
    return {
      envelopes: this.gOffset.length,
      topics: this.topicsWithData,
      bytes: this.end,
      syncs: this.syncs,
    };
  }

  /**
   * Calls `listener` with each batch of envelopes as soon as it is durable, in global seq order, before
   * the puts' promises resolve and in the same tick as the index update (so a reader that checks
   * `head()` and then listens misses nothing). Returns a function that removes the listener.
   */
  onCommit(listener: (records: StoredEnvelope[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stores an envelope. Resolves once it is durable, or at once for a duplicate. `IntegrityError` for bytes
   * that are not a v1 envelope, `QuotaError` for an absurd size, `StorageError` when the disk fails.
   */
  async put(envelope: Uint8Array): Promise<PutResult> {
    if (this.closed) throw new ClosedError("relay store");
    if (this.broken) throw this.broken;
    const topicHex = readHeader(envelope).topic;
    const o = this.options;
    if (envelope.length + 16 > MAX_RECORD_BYTES || envelope.length > o.maxEnvelopeBytes)
      throw new QuotaError(`envelope over ${o.maxEnvelopeBytes} bytes, this relay's limit`);
    if (envelope.length < o.minEnvelopeBytes)
      throw new IntegrityError(
        `envelope of ${envelope.length} bytes, under the ${o.minEnvelopeBytes} of a real one`,
      );
    const hash = createHash("sha256").update(envelope).digest();
    const hashKey = hash.toString("latin1");
    const existing = this.byHash.get(hashKey);
    if (existing !== undefined) {
      return { stored: false, seq: this.gSeq[existing - 1]!, globalSeq: existing, hash, topic: topicHex };
    }
    const inFlight = this.pending.get(hashKey);
    if (inFlight) return { ...(await inFlight.promise), stored: false };
    const recordBytes = RECORD_HEADER_BYTES + envelope.length;
    if (this.nextGlobal > o.maxStoreEnvelopes || this.end + this.pendingBytes + recordBytes > o.maxStoreBytes)
      throw new StoreFullError("store", "this relay's store is full");
    const known = this.topics.get(topicHex);
    if (known && (known.next > o.maxTopicEnvelopes || known.bytes + envelope.length > o.maxTopicBytes))
      throw new StoreFullError("topic", "this topic is at its quota on this relay");
    const topic = known ?? this.topicState(topicHex);
    const globalSeq = this.nextGlobal++;
    const seq = topic.next++;
    topic.bytes += envelope.length;
    this.pendingBytes += recordBytes;
    const record = Buffer.allocUnsafe(recordBytes);
    writeRecord(record, 0, globalSeq, seq, envelope);
    let resolveFn!: (r: PutResult) => void;
    let rejectFn!: (e: unknown) => void;
    const promise = new Promise<PutResult>((res, rej) => {
      resolveFn = res;
      rejectFn = rej;
    });
    const p: PendingPut = {
      record,
      globalSeq,
      seq,
      topic,
      topicHex,
      hashKey,
      hash,
      promise,
      resolve: resolveFn,
      reject: rejectFn,
    };
    this.pending.set(hashKey, p);
    this.queue.push(p);
    this.scheduleFlush();
    return promise;
  }

  /** Envelopes of a topic with seqs in [from, to] (clamped to what is stored), in order. */
  async readTopic(topic: string, from: number, to: number): Promise<StoredEnvelope[]> {
    const t = this.topics.get(topic);
    if (!t) return [];
    const gseqs = t.gseqs.slice(Math.max(0, from - 1), Math.min(to, t.gseqs.length));
    const envelopes = await this.readMany(gseqs);
    const first = Math.max(1, from);
    return envelopes.map((envelope, i) => ({ globalSeq: gseqs[i]!, seq: first + i, topic, envelope }));
  }

  /** Envelopes with global seqs in [from, to] (clamped to what is stored), in order. */
  async readGlobal(from: number, to: number): Promise<StoredEnvelope[]> {
    const gseqs: number[] = [];
    for (let g = Math.max(1, from); g <= Math.min(to, this.gOffset.length); g++) gseqs.push(g);
    const envelopes = await this.readMany(gseqs);
    return envelopes.map((envelope, i) => ({
      globalSeq: gseqs[i]!,
      seq: this.gSeq[gseqs[i]! - 1]!,
      topic: envelope.toString("hex", 2, 34),
      envelope,
    }));
  }

  /** Waits for pending puts, then closes the file and releases the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.flushing) await new Promise<void>((r) => this.idleWaiters.push(r));
    await this.fh.close();
    await releaseLock(this.dir, this.lockPath);
  }

  private topicState(hex: string): TopicState {
    let t = this.topics.get(hex);
    if (!t) {
      t = { gseqs: [], next: 1, bytes: 0 };
      this.topics.set(hex, t);
    }
    return t;
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = true;
    // setImmediate lets every put already queued in this turn of the event loop join the first batch.
    setImmediate(() =>
      this.flushLoop().catch((e) => this.options.log.error("the envelope log's flush failed", e)),
    );
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        if (this.broken) {
          const failed = this.queue;
          this.queue = [];
          for (const p of failed) {
            this.pending.delete(p.hashKey);
            p.topic.bytes -= p.record.length - RECORD_HEADER_BYTES;
            this.pendingBytes -= p.record.length;
          }
          for (const p of failed) p.reject(this.broken);
          break;
        }
        let bytes = 0;
        let n = 0;
        while (
          n < this.queue.length &&
          (n === 0 || bytes + this.queue[n]!.record.length <= this.options.maxBatchBytes)
        ) {
          bytes += this.queue[n]!.record.length;
          n++;
        }
        const batch = this.queue.splice(0, n);
        await this.commit(batch, bytes);
      }
    } finally {
      this.flushing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async commit(batch: PendingPut[], bytes: number): Promise<void> {
    try {
      await writeFully(
        this.fh,
        batch.map((p) => p.record),
        bytes,
        this.end,
      );
      await this.fh.datasync();
      this.syncs++;
    } catch (e) {
      await this.rollback(batch, e);
      return;
    }
    const records: StoredEnvelope[] = [];
    let offset = this.end;
    for (const p of batch) {
      const envelope = p.record.subarray(RECORD_HEADER_BYTES);
      this.gOffset.push(offset + RECORD_HEADER_BYTES);
      this.gLength.push(envelope.length);
      this.gSeq.push(p.seq);
      if (p.topic.gseqs.push(p.globalSeq) === 1) this.topicsWithData++;
      this.byHash.set(p.hashKey, p.globalSeq);
      this.pending.delete(p.hashKey);
      this.remember(p.globalSeq, envelope);
      records.push({ globalSeq: p.globalSeq, seq: p.seq, topic: p.topicHex, envelope });
      offset += p.record.length;
    }
    this.pendingBytes -= offset - this.end;
    this.end = offset;
    for (const listener of this.listeners) {
      try {
        listener(records);
      } catch (e) {
        this.options.log.error("a commit listener failed", e);
      }
    }
    for (const p of batch) {
      p.resolve({ stored: true, seq: p.seq, globalSeq: p.globalSeq, hash: p.hash, topic: p.topicHex });
    }
  }

  /** A failed write or sync: nothing of this batch or the queue is acknowledged; seqs go back to the durable state. */
  private async rollback(batch: PendingPut[], cause: unknown): Promise<void> {
    const error = new StorageError(`could not write the envelope log: ${describeError(cause)}`, { cause });
    this.options.log.error("write to the envelope log failed", cause);
    const failed = [...batch, ...this.queue];
    this.queue = [];
    this.nextGlobal = this.gOffset.length + 1;
    for (const p of failed) {
      this.pending.delete(p.hashKey);
      p.topic.next = p.topic.gseqs.length + 1;
      p.topic.bytes -= p.record.length - RECORD_HEADER_BYTES;
      this.pendingBytes -= p.record.length;
    }
    try {
      await this.fh.truncate(this.end);
      await this.fh.datasync();
    } catch (e) {
      // The file may now end with a partial record we cannot remove: stop taking puts until a restart
      // (whose scan cuts that tail) rather than write after it.
      this.broken = new StorageError("the envelope log is in an unknown state; restart the relay", {
        cause: e,
      });
      this.options.log.error("could not cut the failed write", e);
    }
    for (const p of failed) p.reject(error);
  }

  private remember(globalSeq: number, envelope: Buffer): void {
    this.cache.set(globalSeq, envelope);
    this.cacheUsed += envelope.length;
    for (const [g, e] of this.cache) {
      if (this.cacheUsed <= this.options.cacheBytes) break;
      this.cache.delete(g);
      this.cacheUsed -= e.length;
    }
  }

  /** Reads envelopes by global seq, from the cache or in as few file reads as their positions allow. */
  private async readMany(gseqs: number[]): Promise<Buffer[]> {
    if (this.closed) throw new ClosedError("relay store");
    const out: Buffer[] = new Array(gseqs.length);
    const groups: { start: number; end: number; items: number[] }[] = [];
    gseqs.forEach((g, i) => {
      const cached = this.cache.get(g);
      if (cached) {
        out[i] = cached;
        return;
      }
      const off = this.gOffset[g - 1]!;
      const end = off + this.gLength[g - 1]!;
      const last = groups[groups.length - 1];
      if (last && off >= last.end && off - last.end <= READ_GAP && end - last.start <= READ_SPAN) {
        last.end = end;
        last.items.push(i);
      } else {
        groups.push({ start: off, end, items: [i] });
      }
    });
    await Promise.all(
      groups.map(async (group) => {
        const buf = Buffer.allocUnsafe(group.end - group.start);
        let done = 0;
        while (done < buf.length) {
          const { bytesRead } = await this.fh.read(buf, done, buf.length - done, group.start + done);
          if (bytesRead === 0) throw new StorageError("envelope log shorter than its index");
          done += bytesRead;
        }
        for (const i of group.items) {
          const off = this.gOffset[gseqs[i]! - 1]! - group.start;
          out[i] = buf.subarray(off, off + this.gLength[gseqs[i]! - 1]!);
        }
      }),
    );
    return out;
  }
}

async function writeFully(fh: FileHandle, buffers: Buffer[], bytes: number, position: number): Promise<void> {
  const { bytesWritten } = await fh.writev(buffers, position);
  if (bytesWritten === bytes) return;
  // A short write (rare on regular files): finish it from where it stopped.
  const rest = Buffer.concat(buffers).subarray(bytesWritten);
  let done = 0;
  while (done < rest.length) {
    const w = await fh.write(rest, done, rest.length - done, position + bytesWritten + done);
    if (w.bytesWritten === 0) throw new StorageError("the disk accepted no more bytes");
    done += w.bytesWritten;
  }
}
