/**
 * The relay client transport: posts every envelope to every relay of the cell, pulls from all of them,
 * keeps a cursor per (relay, topic), reconnects with backoff, and keeps unacknowledged envelopes in storage
 * so that losing a relay, or the network, loses nothing.
 *
 * @example
 * import WebSocket from "ws"; // Node 20 only; browsers have WebSocket
 * const relays = relayClient({ relays: ["http://127.0.0.1:7420", "http://127.0.0.1:7421"], WebSocket, storage });
 */
import type { StorageAdapterInterface } from "@automerge/automerge-repo/slim";
import {
  createLogger,
  InvalidArgumentError,
  type Logger,
  type Topic,
  type Transport,
  type TransportContext,
  type TransportStatus,
} from "../../core/index.js";
import { envelopeHash } from "../../core/internals.js";
import {
  type ConnectionSettings,
  type OutboxEntry,
  RelayConnection,
  type WebSocketConstructor,
} from "./connection.js";

export type { WebSocketConstructor } from "./connection.js";

/** Options of {@link relayClient}. */
export interface RelayClientOptions {
  /** Base URLs of the relays (`http://host:port`, `https://…`, or `ws(s)://`). */
  relays: string[];
  /** WebSocket constructor. @default globalThis.WebSocket (pass `ws` in Node 20) */
  WebSocket?: WebSocketConstructor;
  /** Where cursors and unacknowledged envelopes are kept across restarts. @default none (memory only) */
  storage?: StorageAdapterInterface;
  /** First reconnection delay. @default 250 */
  minBackoffMs?: number;
  /** Longest reconnection delay. @default 10000 */
  maxBackoffMs?: number;
  /** Frames per second sent to one relay at most. @default 1500 */
  sendRate?: number;
  /** @default a console logger for `cellule:relay-client` */
  logger?: Logger;
}

const OUTBOX_KEY = "cellule-outbox";

class RelayClient implements Transport {
  readonly name = "relay";
  private readonly topics = new Set<Topic>();
  private connections: RelayConnection[] = [];
  private nextId = 1;
  private readonly waiting = new Set<OutboxEntry>();
  /** What a new connection needs, once started. */
  private started: { context: TransportContext; settings: ConnectionSettings } | undefined;

  constructor(private readonly options: RelayClientOptions) {
    checkRelays(options.relays);
  }

  async start(context: TransportContext): Promise<void> {
    const WebSocketImpl =
      this.options.WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined);
    if (!WebSocketImpl)
      throw new InvalidArgumentError("no WebSocket here: pass one (e.g. from the `ws` package)");
    const settings = {
      WebSocket: WebSocketImpl,
      storage: this.options.storage,
      minBackoffMs: this.options.minBackoffMs ?? 250,
      maxBackoffMs: this.options.maxBackoffMs ?? 10_000,
      sendRate: this.options.sendRate ?? 1500,
      logger: this.options.logger ?? createLogger("cellule:relay-client"),
    };
    this.started = { context, settings };
    this.connections = [...new Set(this.options.relays)].map(
      (url) => new RelayConnection(url, this.topics, context, settings),
    );
    await Promise.all(this.connections.map((c) => c.start()));
    // Envelopes a previous session could not deliver everywhere.
    for (const { data } of (await this.options.storage?.loadRange([OUTBOX_KEY])) ?? []) {
      if (data) this.enqueue(data, false);
    }
  }

  publish(envelope: Uint8Array): void {
    this.enqueue(envelope, true);
  }

  private enqueue(bytes: Uint8Array, persist: boolean): void {
    const storage = this.options.storage;
    const hash = storage ? envelopeHash(bytes) : undefined;
    if (persist && hash) void hash.then((h) => storage!.save([OUTBOX_KEY, h], bytes));
    const entry: OutboxEntry = {
      id: this.nextId++,
      bytes,
      waiting: new Set(this.connections),
      onDone: () => {
        this.waiting.delete(entry);
        if (hash) void hash.then((h) => storage!.remove([OUTBOX_KEY, h]));
      },
    };
    this.waiting.add(entry);
    for (const c of this.connections) c.enqueue(entry);
  }

  subscribe(topics: Topic[]): void {
    const added = topics.filter((t) => !this.topics.has(t));
    for (const t of added) this.topics.add(t);
    if (added.length > 0) for (const c of this.connections) c.subscribe(added);
  }

  refetch(topics: Topic[]): void {
    const known = topics.filter((t) => this.topics.has(t));
    if (known.length > 0) for (const c of this.connections) c.refetch(known);
  }

  unsubscribe(topics: Topic[]): void {
    const removed = topics.filter((t) => this.topics.delete(t));
    if (removed.length > 0) for (const c of this.connections) c.unsubscribe(removed);
  }

  setEndpoints(relays: readonly string[]): void {
    checkRelays(relays);
    const started = this.started;
    if (!started) throw new InvalidArgumentError("start the relay client before changing its relays");
    const wanted = new Set(relays);
    const kept = this.connections.filter((c) => wanted.has(c.url));
    const added = [...wanted]
      .filter((url) => !kept.some((c) => c.url === url))
      .map((url) => new RelayConnection(url, this.topics, started.context, started.settings));
    // A new relay gets what still waits to be sent, and on its first HELLO everything kept of the subscribed
    // topics (see RelayConnection); then what waited for dropped relays only is done.
    for (const c of added) {
      void c.start().catch((error) => started.settings.logger.warn(`relay ${c.url}:`, error));
      for (const entry of this.waiting) {
        entry.waiting.add(c);
        c.enqueue(entry);
      }
    }
    for (const gone of this.connections.filter((c) => !wanted.has(c.url))) {
      gone.close();
      for (const entry of [...this.waiting]) {
        entry.waiting.delete(gone);
        if (entry.waiting.size === 0) entry.onDone();
      }
    }
    this.connections = [...kept, ...added];
  }

  status(): TransportStatus {
    return {
      name: this.name,
      pending: this.waiting.size,
      endpoints: this.connections.map((c) => ({
        id: c.url,
        connected: c.connected,
        pending: c.pending,
        ...(c.lastError ? { error: c.lastError } : {}),
      })),
    };
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.close();
  }
}

/** `InvalidArgumentError` unless `relays` is a non-empty list of relay URLs. */
function checkRelays(relays: readonly string[]): void {
  if (relays.length === 0) throw new InvalidArgumentError("relayClient needs at least one relay URL");
  for (const url of relays) {
    if (!/^(https?|wss?):\/\/[^/]+/.test(url)) throw new InvalidArgumentError(`not a relay URL: ${url}`);
  }
}

/** A transport through one or more Cellule relays. */
export function relayClient(options: RelayClientOptions): Transport {
  return new RelayClient(options);
}
