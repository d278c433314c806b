/**
 * The receive pipeline: open → verify → check the actor binding → check the author may write → apply to
 * the document (its open handle, or storage until it is opened: see unopened.ts) → store. Every envelope either passes all checks or changes nothing; each refusal is a
 * typed error. Envelopes are opened in parallel batches (WebCrypto is asynchronous) and applied in
 * arrival order.
 */

import {
  ActorMismatchError,
  CelluleError,
  ForbiddenError,
  IntegrityError,
  PendingOpsError,
} from "../base/errors.js";
import type { ActorId, DeviceId, DocId, EnvelopeHash, ScopeId, Topic } from "../base/ids.js";
import type { Authority } from "../ports/authority.js";
import {
  EnvelopeKind,
  envelopeHash,
  type OpenedEnvelope,
  openEnvelope,
  readHeader,
} from "../protocol/envelope.js";
import type { ScopeEpoch } from "../protocol/scope-keys.js";
import { actorsOf, deriveActor } from "./automerge.js";

/**
 * What happened to one received envelope (of a watched topic: `docId` is `topic:<topic>`). `held`: it
 * cites governance ops this device has not received yet; it is judged again when the log grows.
 */
export type IngestOutcome =
  | { status: "accepted"; docId: DocId; hash: EnvelopeHash }
  | { status: "duplicate"; hash: EnvelopeHash }
  | { status: "held"; hash: EnvelopeHash }
  | { status: "rejected"; error: CelluleError; hash?: EnvelopeHash };

/**
 * Takes a verified governance envelope (kind 3) of one cell, sealed under `scope`; throws a `CelluleError`
 * to refuse it (a `PendingOpsError` holds it: it cites ops this device has not received yet).
 */
export type GovernanceHandler = (opened: OpenedEnvelope, source: string, scope: ScopeId) => Promise<void>;

/** What the pipeline needs from the Kit. */
export interface IngestContext {
  scopeFor(topic: Topic, epoch: number): ScopeEpoch | undefined;
  authorityFor(scope: ScopeId): Authority;
  governance: GovernanceHandler;
  docScope(docId: DocId): ScopeId | undefined;
  /**
   * Applies verified, authorised content to a document (its handle, or storage until it is opened).
   * `actor` is the author's own actor for this document and session: a snapshot may bring no change by
   * another actor the document does not hold yet (`ActorMismatchError`).
   */
  deliver(
    docId: DocId,
    scope: ScopeId,
    kind: EnvelopeKind,
    items: Uint8Array[],
    actor: ActorId,
  ): Promise<void>;
  isKnown(topic: Topic, hash: EnvelopeHash): Promise<boolean>;
  store(topic: Topic, hash: EnvelopeHash, bytes: Uint8Array): Promise<void>;
  onOutcome(outcome: IngestOutcome, source: string): void;
  /**
   * The handler of a watched topic (see `Kit.watchTopic`): its envelopes are not opened here but handed
   * over as they came, then stored.
   */
  watcher(topic: Topic): ((bytes: Uint8Array) => Promise<void>) | undefined;
  /** Keeps a held envelope across restarts (`undefined`: forget it, it was judged). */
  keepHeld(hash: EnvelopeHash, bytes: Uint8Array | undefined): Promise<void>;
  /**
   * Whether the device that signed an envelope of `scope` is one its cell's log knows (at some state):
   * only such envelopes are held across restarts; a stranger's are held in memory, within a small bound.
   */
  knownAuthor(scope: ScopeId, device: DeviceId): boolean;
}

/** A received envelope of a watched topic, waiting for its turn. */
interface Watched {
  watched: (bytes: Uint8Array) => Promise<void>;
  topic: Topic;
  hash: EnvelopeHash;
}

interface Job {
  bytes: Uint8Array;
  source: string;
  /** Judged again although it was seen (see `push`). */
  again: Again;
  resolve: (outcome: IngestOutcome) => void;
}

const BATCH = 256;
/**
 * Bounds on the envelopes held while waiting for governance ops; beyond, the oldest are refused. Those of
 * authors the log knows are kept across restarts (and loaded whole at start: hence a bound in bytes);
 * strangers' (a device introduced by an op not received yet, or anyone posting on a public topic) only in
 * memory, within a much smaller bound, so a flood of them costs nothing that lasts.
 */
export const HELD_LIMITS = {
  known: { count: 2_000, bytes: 16 * 1024 * 1024 },
  stranger: { count: 64, bytes: 512 * 1024 },
} as const;

/** Envelopes held under one bound, oldest first. */
class HeldSet {
  readonly entries = new Map<EnvelopeHash, { bytes: Uint8Array; source: string }>();
  size = 0;
  constructor(readonly limit: { count: number; bytes: number }) {}
  add(hash: EnvelopeHash, bytes: Uint8Array, source: string): void {
    this.delete(hash);
    this.entries.set(hash, { bytes, source });
    this.size += bytes.length;
  }
  delete(hash: EnvelopeHash): boolean {
    const e = this.entries.get(hash);
    if (!e) return false;
    this.entries.delete(hash);
    this.size -= e.bytes.length;
    return true;
  }
  /** The oldest entries beyond the bound, removed. */
  overflow(): EnvelopeHash[] {
    const out: EnvelopeHash[] = [];
    for (const [hash] of this.entries) {
      if (this.entries.size <= this.limit.count && this.size <= this.limit.bytes) break;
      this.delete(hash);
      out.push(hash);
    }
    return out;
  }
  clear(): void {
    this.entries.clear();
    this.size = 0;
  }
}

/**
 * A replay of kept envelopes (see `Ingest.push`): `false` for a new envelope, `"governance"` to take the
 * governance ops again (documents keep what they have), `"all"` for documents' changes too.
 */
export type Again = false | "governance" | "all";

/** The Kit's receive queue. */
export class Ingest {
  private readonly queue: Job[] = [];
  private readonly seen = new Set<EnvelopeHash>();
  private draining: Promise<void> = Promise.resolve();
  private running = false;
  /** Envelopes waiting for governance ops, by hash (insertion order: oldest first): kept across restarts. */
  private readonly held = new HeldSet(HELD_LIMITS.known);
  /** The same, of authors no log knows: in memory only. */
  private readonly strangers = new HeldSet(HELD_LIMITS.stranger);

  constructor(private readonly ctx: IngestContext) {}

  /** True while envelopes are queued or being processed. */
  get busy(): boolean {
    return this.running;
  }

  /** Resolves when the queue is empty. */
  idle(): Promise<void> {
    return this.draining;
  }

  /** Marks an envelope this device wrote as seen, so its echo from a relay is a duplicate. */
  async remember(bytes: Uint8Array): Promise<EnvelopeHash> {
    const hash = await envelopeHash(bytes);
    this.seen.add(hash);
    return hash;
  }

  /** How many envelopes wait for governance ops. */
  get holding(): number {
    return this.held.entries.size + this.strangers.entries.size;
  }

  /** Bytes of the envelopes waiting for governance ops (known authors' and strangers'). */
  get holdingBytes(): number {
    return this.held.size + this.strangers.size;
  }

  /**
   * Puts back an envelope held before a restart; false when the bound is reached (the caller forgets it:
   * a store written by an earlier version may hold more).
   */
  restoreHeld(hash: EnvelopeHash, bytes: Uint8Array): boolean {
    if (
      this.held.entries.size >= this.held.limit.count ||
      this.held.size + bytes.length > this.held.limit.bytes
    )
      return false;
    this.held.add(hash, bytes, "held");
    return true;
  }

  /** Judges the held envelopes again (the governance log grew); resolves when they have been. */
  retryHeld(): Promise<IngestOutcome[]> {
    const waiting = [...this.held.entries].map(([hash, h]) => ({ hash, ...h, kept: true }));
    for (const [hash, h] of this.strangers.entries) waiting.push({ hash, ...h, kept: false });
    this.held.clear();
    this.strangers.clear();
    return Promise.all(
      waiting.map(async ({ hash, bytes, source, kept }) => {
        const outcome = await this.push(bytes, source);
        if (kept && (outcome.status !== "held" || !this.held.entries.has(hash)))
          await this.ctx.keepHeld(hash, undefined);
        return outcome;
      }),
    );
  }

  /**
   * Queues an envelope; resolves with its outcome (never rejects). `again`: judge it even if it was seen
   * or stored already (what a replay of kept envelopes needs, see `Again`).
   */
  push(bytes: Uint8Array, source: string, again: Again = false): Promise<IngestOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ bytes, source, again, resolve });
      if (!this.running) {
        this.running = true;
        this.draining = this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    // `running` is cleared in the same task as the final emptiness check (not in a later `.finally`), so a
    // push that follows an awaited outcome never finds a finished drain still marked as running.
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, BATCH);
        const opened = await Promise.all(batch.map((job) => this.open(job.bytes, job.again)));
        for (let i = 0; i < batch.length; i++) {
          const job = batch[i]!;
          const outcome = await this.apply(opened[i]!, job.bytes, job.source, job.again);
          this.ctx.onOutcome(outcome, job.source);
          job.resolve(outcome);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async open(bytes: Uint8Array, again: Again): Promise<OpenedEnvelope | IngestOutcome | Watched> {
    let hash: EnvelopeHash | undefined;
    try {
      hash = await envelopeHash(bytes);
      if (!again && this.seen.has(hash)) return { status: "duplicate", hash };
      const topic = readHeader(bytes).topic;
      const watched = this.ctx.watcher(topic);
      if (watched) return { watched, topic, hash };
      return await openEnvelope(bytes, this.ctx.scopeFor, hash);
    } catch (error) {
      return { status: "rejected", error: asCelluleError(error), ...(hash ? { hash } : {}) };
    }
  }

  private async apply(
    opened: OpenedEnvelope | IngestOutcome | Watched,
    bytes: Uint8Array,
    source: string,
    again: Again = false,
  ): Promise<IngestOutcome> {
    if ("status" in opened)
      return opened.status === "duplicate" || (!again && this.seen.has(opened.hash!)) ? dup(opened) : opened;
    if ("watched" in opened) return this.hand(opened, bytes);
    const { hash, header, body } = opened;
    let scope: ScopeId | undefined;
    try {
      if (!again && (this.seen.has(hash) || (await this.ctx.isKnown(header.topic, hash)))) {
        this.seen.add(hash);
        return { status: "duplicate", hash };
      }
      scope = this.ctx.scopeFor(header.topic, header.epoch)!.scope;
      // A replay restores governance ops; documents keep what they have.
      if (again === "governance" && body.kind !== EnvelopeKind.governance)
        return { status: "duplicate", hash };
      if (body.kind === EnvelopeKind.governance) {
        // Governance ops carry their own signatures and are judged by the cell's log, not by write roles.
        await this.ctx.governance(opened, source, scope);
        this.seen.add(hash);
        await this.ctx.store(header.topic, hash, bytes);
        return { status: "accepted", docId: body.docId, hash };
      }
      const known = this.ctx.docScope(body.docId);
      if (known && known !== scope) {
        throw new ForbiddenError(`document ${body.docId} belongs to scope ${known}, not ${scope}`);
      }
      this.ctx.authorityFor(scope).checkWrite({
        docId: body.docId,
        scope,
        device: body.authorId,
        heads: body.heads,
        epoch: header.epoch,
      });
      const expected = await deriveActor(body.author, body.docId, body.session);
      if (body.kind === EnvelopeKind.changes) {
        for (const actor of actorsOf(body.items)) {
          if (actor !== expected) {
            throw new ActorMismatchError(
              `a change uses actor ${actor.slice(0, 8)}…, not the author's own actor`,
            );
          }
        }
      } else if (body.kind === EnvelopeKind.snapshot && body.items.length !== 1) {
        throw new IntegrityError("a snapshot envelope carries exactly one document");
      }
      await this.ctx.deliver(body.docId, scope, body.kind, body.items, expected);
      this.seen.add(hash);
      await this.ctx.store(header.topic, hash, bytes);
      return { status: "accepted", docId: body.docId, hash };
    } catch (error) {
      if (error instanceof PendingOpsError && scope) {
        const known = this.ctx.knownAuthor(scope, body.authorId);
        return await this.hold(known ? this.held : this.strangers, hash, bytes, source, known);
      }
      return { status: "rejected", error: asCelluleError(error), hash };
    }
  }

  private async hold(
    set: HeldSet,
    hash: EnvelopeHash,
    bytes: Uint8Array,
    source: string,
    keep: boolean,
  ): Promise<IngestOutcome> {
    if (bytes.length > set.limit.bytes) {
      return {
        status: "rejected",
        error: new PendingOpsError(
          "cites governance ops this device does not have, and is too large to wait",
        ),
        hash,
      };
    }
    set.add(hash, bytes, source);
    if (keep) await this.ctx.keepHeld(hash, bytes);
    for (const oldest of set.overflow()) {
      if (keep) await this.ctx.keepHeld(oldest, undefined);
      this.ctx.onOutcome(
        {
          status: "rejected",
          error: new PendingOpsError("waited too long for governance ops"),
          hash: oldest,
        },
        "held",
      );
    }
    return { status: "held", hash };
  }

  private async hand({ watched, topic, hash }: Watched, bytes: Uint8Array): Promise<IngestOutcome> {
    try {
      if (this.seen.has(hash) || (await this.ctx.isKnown(topic, hash))) {
        this.seen.add(hash);
        return { status: "duplicate", hash };
      }
      await watched(bytes);
      this.seen.add(hash);
      await this.ctx.store(topic, hash, bytes);
      return { status: "accepted", docId: `topic:${topic}` as DocId, hash };
    } catch (error) {
      return { status: "rejected", error: asCelluleError(error), hash };
    }
  }
}

function dup(outcome: IngestOutcome): IngestOutcome {
  return { status: "duplicate", hash: outcome.hash! };
}

function asCelluleError(error: unknown): CelluleError {
  if (error instanceof CelluleError) return error;
  return new IntegrityError(error instanceof Error ? error.message : String(error), { cause: error });
}
