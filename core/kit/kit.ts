/**
 * The Kit: one device's view of the cells it belongs to. It owns the local automerge-repo `Repo` (storage,
 * and at most a channel between the device's own tabs; never a network adapter reaching another device),
 * turns local changes into signed envelopes, and checks every envelope it receives before applying it.
 *
 * Over 400 lines, on purpose: the handles, the outboxes, the scope registry and the send order share one
 * state whose invariants (a document opened in the window of its delivery, envelopes leaving in the order
 * they were made) are easiest to keep in one place. What stands apart is apart: the checks of received
 * envelopes (ingest.ts), content not opened yet (unopened.ts), the storage key layout
 * (envelope-store.ts), Automerge's internals (automerge.ts), the options and the factory (kit-types.ts,
 * create-kit.ts).
 */
import type * as A from "@automerge/automerge/slim";
import {
  type DocHandle,
  generateAutomergeUrl,
  parseAutomergeUrl,
  Repo,
  type StorageAdapterInterface,
  type StorageKey,
} from "@automerge/automerge-repo/slim";
import { randomBytes } from "../base/bytes.js";
import { Emitter } from "../base/emitter.js";
import {
  ActorMismatchError,
  type CelluleError,
  ClosedError,
  ForbiddenError,
  IntegrityError,
  InvalidArgumentError,
  NotAMemberError,
  UnknownDocumentError,
  UnknownScopeError,
} from "../base/errors.js";
import type { ActorId, DeviceId, DocId, ScopeId, Topic } from "../base/ids.js";
import type { Logger } from "../base/logger.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import type { Authority } from "../ports/authority.js";
import type { Clock } from "../ports/clock.js";
import type { Transport, TransportStatus } from "../ports/transport.js";
import { EnvelopeKind, MAX_ENVELOPE_BYTES, readHeader, sealEnvelope } from "../protocol/envelope.js";
import { publicEpoch, type ScopeEpoch, sealedEpoch } from "../protocol/scope-keys.js";
import {
  applyChanges,
  applySnapshot,
  changeAndCapture,
  checkChanges,
  deriveActor,
  emptyDocBytes,
  foreignChange,
  saveDoc,
  useActor,
} from "./automerge.js";
import { CelluleDocument, type DocumentHost } from "./document.js";
import { EnvelopeStore } from "./envelope-store.js";
import { type GovernanceHandler, Ingest, type IngestOutcome } from "./ingest.js";
import type { KitEvents, KitOptions, KitStats } from "./kit-types.js";
import { Arrivals, mergePending, storePending } from "./unopened.js";

interface Outbox {
  items: Uint8Array[];
  bytes: number;
}

/** See {@link createKit}. */
export class Kit extends Emitter<KitEvents> implements DocumentHost {
  /** The automerge-repo Repo holding this device's documents. */
  readonly repo: Repo;
  readonly stats: KitStats = { accepted: 0, duplicates: 0, published: 0, held: 0, rejected: {} };
  private readonly scopesByTopic = new Map<Topic, ScopeEpoch>();
  private readonly currentEpoch = new Map<ScopeId, ScopeEpoch>();
  private readonly docScopes = new Map<DocId, ScopeId>();
  private readonly handles = new Map<DocId, Promise<DocHandle<unknown>>>();
  /** Received content of documents that are not open, while it is being saved (see unopened.ts). */
  private readonly arrivals = new Arrivals();
  private readonly actors = new Map<DocId, ActorId>();
  private readonly outboxes = new Map<DocId, Outbox>();
  private readonly localChanges = new Map<DocId, number>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly scopeAuthorities = new Map<ScopeId, Authority>();
  private readonly governanceHandlers = new Map<
    string,
    { handler: GovernanceHandler; accepts: (scope: ScopeId) => boolean }
  >();
  /** Who may have envelopes held across restarts, by the scope prefix of a cell (see `knownAuthors`). */
  private readonly authorSets = new Map<string, (device: DeviceId) => boolean>();
  private readonly watchers = new Map<Topic, (envelope: Uint8Array) => Promise<void>>();
  /** The latest envelope handed to the transports, or being: the next one waits for it (see `handOff`). */
  private handOffs: Promise<void> = Promise.resolve();
  /** Random per Kit session: part of every actor ID, so a device that lost its documents never reuses one. */
  private readonly session = randomBytes(16);
  private readonly ingestion: Ingest;
  /** The scopes of held documents, kept envelopes, held envelopes (see envelope-store.ts). */
  private readonly kept: EnvelopeStore;
  private closed = false;

  /** @internal use {@link createKit} */
  constructor(
    /** This device. */
    readonly device: DeviceIdentity,
    private readonly options: KitOptions & {
      authority: Authority;
      transports: Transport[];
      logger: Logger;
      clock: Clock;
    },
  ) {
    super();
    this.kept = new EnvelopeStore(options.storage);
    this.repo = new Repo({
      storage: options.storage,
      network: options.localNetwork ?? [],
      // Tabs of one device share everything; nothing else is reachable through the Repo.
      sharePolicy: async () => true,
    });
    this.ingestion = new Ingest({
      scopeFor: (topic, epoch) => {
        const scope = this.scopesByTopic.get(topic);
        return scope?.epoch === epoch ? scope : undefined;
      },
      authorityFor: (scope) => this.authorityFor(scope),
      governance: (opened, source, scope) => {
        const entry = this.governanceHandlers.get(opened.body.docId);
        if (!entry) throw new UnknownScopeError(`no cell ${opened.body.docId.slice(0, 12)}… on this device`);
        // Governance ops travel only on the channels meant for them: anyone can sign an envelope of a
        // public scope, and a cell that took ops from there would take them from anyone.
        if (!entry.accepts(scope))
          throw new ForbiddenError(`governance ops are not taken from scope ${scope}`);
        return entry.handler(opened, source, scope);
      },
      docScope: (docId) => this.docScopes.get(docId),
      deliver: (docId, scope, kind, items, actor) => this.deliver(docId, scope, kind, items, actor),
      isKnown: (topic, hash) => this.kept.has(topic, hash),
      store: (topic, hash, bytes) => this.kept.save(topic, hash, bytes),
      onOutcome: (outcome, source) => this.record(outcome, source),
      watcher: (topic) => this.watchers.get(topic),
      keepHeld: (hash, bytes) => this.kept.keepHeld(hash, bytes),
      knownAuthor: (scope, device) => {
        for (const [prefix, knows] of this.authorSets)
          if (scope.startsWith(prefix) && knows(device)) return true;
        return false;
      },
    });
  }

  /** @internal */
  async start(): Promise<void> {
    for (const [docId, scope] of await this.kept.documents()) this.docScopes.set(docId, scope);
    // Envelopes held before a restart wait again for their governance ops (judged at `retryHeld`).
    for (const [hash, bytes] of await this.kept.held())
      if (!this.ingestion.restoreHeld(hash, bytes)) await this.kept.keepHeld(hash, undefined);
    for (const transport of this.options.transports) {
      await transport.start({
        deliver: (envelope, source) => this.ingestion.push(envelope, source),
        backlog: (topics) => this.kept.backlog(topics),
      });
    }
  }

  /** The authority deciding who may write documents of scopes that have no authority of their own. */
  get authority(): Authority {
    return this.options.authority;
  }

  /** The device's local storage (also holds what a cell keeps of its governance log). */
  get storage(): StorageAdapterInterface {
    return this.options.storage;
  }

  /** What time it is on this device (the `clock` option). */
  get clock(): Clock {
    return this.options.clock;
  }

  /** The authority for a scope: the one set for it (a cell's governance), else the Kit's default. */
  authorityFor(scope: ScopeId): Authority {
    return this.scopeAuthorities.get(scope) ?? this.options.authority;
  }

  /** Decides writes to one scope with its own authority (a cell's governance log does this for its scopes). */
  setAuthority(scope: ScopeId, authority: Authority): void {
    this.scopeAuthorities.set(scope as ScopeId, authority);
  }

  /**
   * Receives the governance envelopes (kind 3) of a cell, identified by the envelope's document ID. The
   * handler decides their validity; the Kit only checks that they are authentic, that they came on a scope
   * `accepts` (by default only the scope named like the document ID: a link channel, a mailbox), and
   * stores them. Governance envelopes of any other scope are refused (`ForbiddenError`).
   */
  onGovernance(
    cellId: string,
    handler: GovernanceHandler,
    accepts: (scope: ScopeId) => boolean = (scope) => scope === cellId,
  ): () => void {
    this.governanceHandlers.set(cellId, { handler, accepts });
    return () => this.governanceHandlers.delete(cellId);
  }

  /**
   * Says which devices a cell's log knows, for the scopes whose IDs start with `scopePrefix`: envelopes
   * that cite governance ops this device lacks are held across restarts only when their author is one of
   * them (a stranger's are held briefly in memory, within a small bound; see ingest.ts).
   */
  knownAuthors(scopePrefix: string, knows: (device: DeviceId) => boolean): () => void {
    this.authorSets.set(scopePrefix, knows);
    return () => this.authorSets.delete(scopePrefix);
  }

  /** Seals and sends a governance envelope (kind 3) for a cell under a scope's current epoch. */
  async publishGovernance(cellId: string, scope: ScopeId, items: Uint8Array[]): Promise<void> {
    const epoch = this.currentEpoch.get(scope as ScopeId);
    if (!epoch) throw new NotAMemberError(`scope ${scope} is not open on this device`);
    await this.send(epoch, cellId as DocId, EnvelopeKind.governance, items);
  }

  /** The current epoch of a scope on this device, if it is open. */
  epochOf(scope: ScopeId): ScopeEpoch | undefined {
    return this.currentEpoch.get(scope as ScopeId);
  }

  /**
   * Makes a scope readable and writable on this device: a sealed scope with its epoch secret, or the
   * public scope without one. Subscribes to its topic on every transport. The newest epoch added is the
   * one this device writes under, unless `send: false` (a key kept only to read, e.g. a concurrent
   * rotation's alternate).
   */
  async addScope(
    scope: ScopeId,
    secret?: Uint8Array,
    epoch = 1,
    options: { send?: boolean } = {},
  ): Promise<ScopeEpoch> {
    this.assertOpen();
    const e = secret
      ? await sealedEpoch(scope as ScopeId, epoch, secret)
      : await publicEpoch(scope as ScopeId);
    this.scopesByTopic.set(e.topic, e);
    const current = this.currentEpoch.get(e.scope);
    if (options.send !== false && (!current || current.epoch <= e.epoch)) this.currentEpoch.set(e.scope, e);
    for (const t of this.options.transports) t.subscribe([e.topic]);
    return e;
  }

  /**
   * Receives the envelopes of a topic that is not a scope's (e.g. a cell's contact inbox, whose requests
   * are sealed to a key rather than to a scope): each new one is handed to `handler` as it came, then
   * stored (a handler that throws a `CelluleError` refuses it). Subscribes every transport to it.
   */
  watchTopic(topic: Topic, handler: (envelope: Uint8Array) => Promise<void>): () => void {
    this.assertOpen();
    this.watchers.set(topic as Topic, handler);
    for (const t of this.options.transports) t.subscribe([topic as Topic]);
    return () => {
      this.watchers.delete(topic as Topic);
      for (const t of this.options.transports) t.unsubscribe([topic as Topic]);
    };
  }

  /**
   * Sends an envelope made elsewhere (a sealed box: a contact or join request, an invitation to a device)
   * to every transport, and keeps it for re-seeding; its echo from a relay is a duplicate.
   */
  async post(envelope: Uint8Array): Promise<void> {
    this.assertOpen();
    const stored = (async () => {
      const hash = await this.ingestion.remember(envelope);
      await this.kept.save(readHeader(envelope).topic, hash, envelope);
      return envelope;
    })();
    await this.handOff(stored);
  }

  /**
   * Judges again the envelopes that cited governance ops this device did not have (a cell calls it when
   * its log grows); resolves once they have been.
   */
  async retryHeld(): Promise<void> {
    if (this.ingestion.holding > 0) await this.ingestion.retryHeld();
  }

  /**
   * Judges again the envelopes this device kept under these topics, as if they had just come (a cell
   * calls it when a stored op could not be read back: its envelope still holds it); resolves once done.
   */
  async replay(topics: Topic[], what: "governance" | "all" = "governance"): Promise<void> {
    this.assertOpen();
    const envelopes = await this.kept.backlog(topics);
    await Promise.all(envelopes.map((e) => this.ingestion.push(e, "replay", what)));
  }

  /** The topics of every epoch of a scope this device holds a key for. */
  topicsOf(scope: ScopeId): Topic[] {
    return [...this.scopesByTopic.values()].filter((e) => e.scope === scope).map((e) => e.topic);
  }

  /**
   * Reports something stored that could not be read back (the `corrupt` event), and logs it. A piece of a
   * document (automerge-repo keys start with the document's ID) is fetched again from the envelopes this
   * device kept of its scope, and asked again of the transports (`Transport.refetch`). Storage adapters call it through their own option, e.g.
   * `fileStorage(dir, { onCorrupt: (r) => kit.reportCorrupt(r.error, r.key) })`.
   */
  reportCorrupt(error: CelluleError, key: StorageKey): void {
    this.options.logger.warn(`could not read ${JSON.stringify(key)}: ${error.message}`);
    this.emit("corrupt", error, key);
    const scope = this.docScopes.get(key[0] as DocId);
    if (!scope || this.closed) return;
    const topics = this.topicsOf(scope);
    this.track(this.replay(topics, "all"));
    // And from the relays, in case what this device kept of the scope is damaged too.
    for (const transport of this.options.transports) transport.refetch?.(topics);
  }

  /** The envelopes waiting for governance ops: how many, and their bytes (both bounded, see ingest.ts). */
  get held(): { count: number; bytes: number } {
    return { count: this.ingestion.holding, bytes: this.ingestion.holdingBytes };
  }

  /**
   * Talks to these relays from now on, on every transport that has relays (see `Transport.setEndpoints`):
   * a relay added is given what this device keeps, one dropped is let go. A cell's devices follow the relay
   * list of its log this way (the member space calls it when the list changes).
   */
  useRelays(relays: readonly string[]): void {
    for (const transport of this.options.transports) transport.setEndpoints?.(relays);
  }

  /** The envelopes this device stored under a topic, in no particular order. */
  envelopes(topic: Topic): Promise<Uint8Array[]> {
    return this.kept.backlog([topic as Topic]);
  }

  /** Creates a document in a scope, with an optional initial value. */
  async create<T>(scope: ScopeId, initial?: Partial<T>): Promise<CelluleDocument<T>> {
    this.assertOpen();
    const scopeId = scope as ScopeId;
    if (!this.currentEpoch.has(scopeId))
      throw new NotAMemberError(`scope ${scope} is not open on this device`);
    const { documentId } = parseAutomergeUrl(generateAutomergeUrl());
    const docId = documentId as string as DocId;
    const authority = this.authorityFor(scopeId);
    authority.checkWrite({ docId, scope: scopeId, device: this.device.id, heads: authority.heads() });
    const doc = new CelluleDocument<T>(
      docId,
      scopeId,
      (await this.handleFor(docId, scopeId)) as DocHandle<T>,
      this,
    );
    if (initial) doc.change((d) => Object.assign(d as object, initial));
    else doc.change(() => {});
    return doc;
  }

  /** Opens a document this device holds; `UnknownDocumentError` if it has never seen it. */
  async open<T>(docId: DocId): Promise<CelluleDocument<T>> {
    this.assertOpen();
    const scope = this.docScopes.get(docId as DocId);
    if (!scope) throw new UnknownDocumentError(`document ${docId} is not on this device`);
    const handle = (await this.handleFor(docId as DocId, scope)) as DocHandle<T>;
    return new CelluleDocument<T>(docId as DocId, scope, handle, this);
  }

  /** Delivery state of each transport (relays connected, envelopes waiting). */
  transportStatus(): TransportStatus[] {
    return this.options.transports.map((t) => t.status());
  }

  /** IDs of the documents this device holds, optionally of one scope. */
  documents(scope?: ScopeId): DocId[] {
    return [...this.docScopes].filter(([, s]) => scope === undefined || s === scope).map(([d]) => d);
  }

  /** @internal see {@link CelluleDocument.change} */
  change<T>(doc: CelluleDocument<T>, fn: A.ChangeFn<T>): void {
    this.assertOpen();
    const authority = this.authorityFor(doc.scope);
    authority.checkWrite({
      docId: doc.id,
      scope: doc.scope,
      device: this.device.id,
      heads: authority.heads(),
    });
    const actor = this.actors.get(doc.id);
    if (!actor) throw new InvalidArgumentError("document handle is not ready for local changes");
    useActor(doc.handle as DocHandle<unknown>, actor);
    const changes = changeAndCapture(doc.handle, fn);
    if (changes.length === 0) return;
    this.enqueue(doc.id, changes);
    const count = (this.localChanges.get(doc.id) ?? 0) + changes.length;
    this.localChanges.set(doc.id, count);
    if (count >= (this.options.snapshotEvery ?? 500)) {
      this.localChanges.set(doc.id, 0);
      this.track(this.publish(doc.id, EnvelopeKind.snapshot, [saveDoc(doc.handle as DocHandle<unknown>)]));
    }
  }

  /** Hands an envelope to the Kit as if a transport had delivered it; resolves with what happened. */
  receive(envelope: Uint8Array, source = "local"): Promise<IngestOutcome> {
    this.assertOpen();
    return this.ingestion.push(envelope, source);
  }

  /** Waits until every local change is sealed, stored and handed to the transports, and every received envelope is processed. */
  async flush(): Promise<void> {
    for (const docId of [...this.outboxes.keys()]) this.flushOutbox(docId);
    while (this.pending.size > 0 || this.ingestion.busy) {
      await Promise.allSettled([...this.pending, this.ingestion.idle()]);
    }
  }

  /**
   * Flushes, gives the transports up to `graceMs` to hand pending envelopes to a reachable endpoint, then
   * closes transports and the Repo. Envelopes still pending stay in this device's storage (and in the
   * transport's, where it has one) and are sent again by a later session.
   */
  async close(graceMs = 3000): Promise<void> {
    if (this.closed) return;
    await this.flush();
    const deadline = Date.now() + graceMs;
    const delivering = () =>
      this.options.transports.some((t) => {
        const s = t.status();
        return s.pending > 0 && s.endpoints.some((e) => e.connected);
      });
    while (delivering() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    this.closed = true;
    await Promise.all(this.options.transports.map((t) => t.close()));
    await this.repo.flush(
      Object.keys(this.repo.handles).filter((id) => this.repo.handles[id as never]?.isReady()) as never,
    );
    await this.repo.shutdown().catch(() => {});
  }

  private assertOpen(): void {
    if (this.closed) throw new ClosedError("the Kit");
  }

  private handleFor(docId: DocId, scope: ScopeId): Promise<DocHandle<unknown>> {
    let handle = this.handles.get(docId);
    if (!handle) {
      handle = this.loadHandle(docId, scope);
      this.handles.set(docId, handle);
      handle.catch(() => this.handles.delete(docId));
    }
    return handle;
  }

  private async loadHandle(docId: DocId, scope: ScopeId): Promise<DocHandle<unknown>> {
    const known = this.docScopes.has(docId);
    let handle: DocHandle<unknown> | undefined;
    if (known) {
      // Registered but never saved by the Repo (received but not opened yet, or a crash right after
      // creation): then start it empty, and merge what was received.
      handle = await this.repo.find(docId as never).catch(() => undefined);
    }
    if (!handle) {
      handle = this.repo.import(emptyDocBytes(), { docId: docId as never });
      if (!handle.isReady()) handle.doneLoading();
    }
    await this.register(docId, scope);
    // `handles` holds this load by now, so deliveries go to the handle: what is kept is all there is.
    const merged = await mergePending(this.options.storage, this.arrivals, docId, handle, (error) =>
      this.refuse(error, "storage"),
    );
    if (merged.length > 0) {
      await this.repo.flush([docId as never]);
      await Promise.all(merged.map((key) => this.options.storage.remove(key)));
    }
    this.actors.set(docId, await deriveActor(this.device.signingPublicKey, docId, this.session));
    return handle;
  }

  /** Records a document as held by this device (in a scope), once. */
  private async register(docId: DocId, scope: ScopeId): Promise<void> {
    if (this.docScopes.has(docId)) return;
    this.docScopes.set(docId, scope);
    await this.kept.saveDocument(docId, scope);
    this.emit("document", docId, scope);
  }

  /**
   * Applies verified, authorised content: to the document's handle when it is open (`IntegrityError` if
   * Automerge refuses it), else to storage, merged when the document is opened (see unopened.ts).
   */
  private async deliver(
    docId: DocId,
    scope: ScopeId,
    kind: EnvelopeKind,
    items: Uint8Array[],
    actor: ActorId,
  ): Promise<void> {
    // A snapshot is judged against the document it would merge into: one this device holds is opened for
    // it (snapshots are rare: one per `snapshotEvery` local changes); of a document it has never seen, it
    // may only bring its author's own changes, and nothing is registered before that is known.
    let open = this.handles.get(docId);
    if (kind === EnvelopeKind.snapshot) {
      if (!open && this.docScopes.has(docId)) open = this.handleFor(docId, scope);
      const foreign = foreignChange(open && (await open).doc(), items[0]!, actor);
      if (foreign)
        throw new ActorMismatchError(
          `a snapshot brings a change by actor ${foreign.slice(0, 8)}… this device does not hold, not the author's own`,
        );
    }
    if (!open) return this.keep(docId, scope, kind, items);
    const handle = await open;
    try {
      if (kind === EnvelopeKind.snapshot) applySnapshot(handle, items[0]!);
      else applyChanges(handle, items);
    } catch (cause) {
      throw cause instanceof IntegrityError
        ? cause
        : new IntegrityError("Automerge refused the changes", { cause });
    }
  }

  /**
   * Keeps content of a document no handle holds until it is opened. The document is listed from the first
   * line on, well before its registration and its content are saved (files, IndexedDB): meanwhile the
   * content is held in memory, where an open takes it (see unopened.ts). The saved copy of what an open
   * took is then redundant: removed once the Repo has saved the document, as the open does for what it
   * merged from storage.
   */
  private async keep(docId: DocId, scope: ScopeId, kind: EnvelopeKind, items: Uint8Array[]): Promise<void> {
    // Kept as they came: checked whole now, so that what is kept opens.
    if (kind === EnvelopeKind.changes) checkChanges(items);
    const arrival = this.arrivals.add(docId, items);
    let key: StorageKey | undefined;
    try {
      await this.register(docId, scope);
      key = await storePending(this.options.storage, docId, arrival);
    } catch (error) {
      // Taken by an open, the content is in the document, which the Repo saves: delivered all the same.
      if (!arrival.taken) throw error;
    } finally {
      this.arrivals.done(docId, arrival);
    }
    if (!arrival.taken || !key) return;
    const handle = await this.handles.get(docId)?.catch(() => undefined);
    // A failed open leaves the saved copy for the next one.
    if (!handle) return;
    await this.repo.flush([docId as never]);
    await this.options.storage.remove(key);
  }

  private enqueue(docId: DocId, changes: Uint8Array[]): void {
    let box = this.outboxes.get(docId);
    if (!box) {
      box = { items: [], bytes: 0 };
      this.outboxes.set(docId, box);
      // Changes made in the same task travel in one envelope.
      queueMicrotask(() => this.flushOutbox(docId));
    }
    for (const c of changes) {
      box.items.push(c);
      box.bytes += c.length + 4;
    }
  }

  private flushOutbox(docId: DocId): void {
    const box = this.outboxes.get(docId);
    if (!box) return;
    this.outboxes.delete(docId);
    // Split so that no envelope exceeds the relays' frame limit (headroom for header, signature and tag).
    const limit = MAX_ENVELOPE_BYTES - 4096;
    let batch: Uint8Array[] = [];
    let size = 0;
    for (const item of box.items) {
      if (batch.length > 0 && size + item.length + 4 > limit) {
        this.track(this.publish(docId, EnvelopeKind.changes, batch));
        batch = [];
        size = 0;
      }
      batch.push(item);
      size += item.length + 4;
    }
    if (batch.length > 0) this.track(this.publish(docId, EnvelopeKind.changes, batch));
  }

  private async publish(docId: DocId, kind: EnvelopeKind, items: Uint8Array[]): Promise<void> {
    const scope = this.currentEpoch.get(this.docScopes.get(docId)!)!;
    await this.send(scope, docId, kind, items);
  }

  private async send(
    scope: ScopeEpoch,
    docId: DocId,
    kind: EnvelopeKind,
    items: Uint8Array[],
  ): Promise<void> {
    const stored = (async () => {
      const envelope = await sealEnvelope(this.device, scope, {
        kind,
        docId,
        session: this.session,
        heads: this.authorityFor(scope.scope).heads(),
        items,
      });
      const hash = await this.ingestion.remember(envelope);
      await this.kept.save(scope.topic, hash, envelope);
      return envelope;
    })();
    await this.handOff(stored);
    this.stats.published++;
    if (kind !== EnvelopeKind.governance) this.emit("written", docId, scope.scope);
  }

  /**
   * Hands an envelope to every transport once it is sealed and stored, but never before those this device
   * made earlier. Their seals and saves run side by side and finish in any order (on files or IndexedDB
   * above all), and relays pass envelopes on in the order they get them: out of order, a receiver would get
   * a change before the one it builds on (a document's content before its creation, an index naming a
   * document before that document) and show a document without it. Call it in the order envelopes are made.
   */
  private handOff(stored: Promise<Uint8Array>): Promise<void> {
    const turn = this.handOffs;
    const done = (async () => {
      const envelope = await stored;
      await turn;
      for (const t of this.options.transports) t.publish(envelope);
    })();
    this.handOffs = done.catch(() => {});
    return done;
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch((error) => this.options.logger.error("could not publish a change", error));
    this.pending.add(tracked);
    tracked.finally(() => this.pending.delete(tracked));
  }

  private refuse(error: CelluleError, source: string): void {
    this.record({ status: "rejected", error }, source);
  }

  private record(outcome: IngestOutcome, source: string): void {
    if (outcome.status === "accepted") {
      this.stats.accepted++;
      this.emit("accepted", outcome.docId, outcome.hash, source);
      const scope = this.docScopes.get(outcome.docId);
      if (scope) this.emit("written", outcome.docId, scope);
    } else if (outcome.status === "duplicate") {
      this.stats.duplicates++;
    } else if (outcome.status === "held") {
      this.stats.held++;
    } else {
      const code = outcome.error.code;
      this.stats.rejected[code] = (this.stats.rejected[code] ?? 0) + 1;
      this.options.logger.debug(`rejected an envelope from ${source}: ${outcome.error.message}`);
      this.emit("rejected", outcome.error, source);
    }
  }
}
