/**
 * One relay seen from a device: a WebSocket that reconnects with backoff, a cursor per topic, and the
 * envelopes this relay has not acknowledged yet. A relay whose store ID changed lost its data: the
 * connection then starts from zero and re-posts everything the device holds for its topics.
 */
import type { StorageAdapterInterface } from "@automerge/automerge-repo/slim";
import type { Logger, Topic, TransportContext } from "../../core/index.js";
import { fromUtf8, readHeader, utf8 } from "../../core/internals.js";
import { FrameType } from "../../core/protocol/relay.js";
import {
  decodeAck,
  decodeDeliver,
  decodeError,
  decodeHello,
  encodePut,
  encodeSub,
  encodeUnsub,
} from "../../core/protocol/relay-frames.js";

/** A WebSocket constructor: the browser's, or `ws` in Node 20. */
export type WebSocketConstructor = new (url: string) => WebSocket;

/** An envelope waiting for acknowledgements. */
export interface OutboxEntry {
  id: number;
  bytes: Uint8Array;
  /** Connections that still have to acknowledge it. */
  waiting: Set<RelayConnection>;
  onDone: () => void;
}

interface Saved {
  storeId: string;
  cursors: Record<string, number>;
}

/** Settings shared by the connections of one client. */
export interface ConnectionSettings {
  WebSocket: WebSocketConstructor;
  storage?: StorageAdapterInterface;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Frames per second this client sends at most (below the relays' per-connection limit). */
  sendRate: number;
  logger: Logger;
}

const STATE_KEY = "cellule-relay";
const WINDOW = 256;
/**
 * A relay's store ID changes when it lost its data, which is rare: after one re-post of everything, a
 * change within this time is taken (cursors from 0) without re-posting again, so a relay that changes it
 * on every connection cannot make this device re-read its storage and upload it all in a loop (M7).
 */
export const RESEED_COOLDOWN_MS = 10 * 60_000;

/** @internal */
export class RelayConnection {
  connected = false;
  lastError: string | undefined;
  private ws: WebSocket | undefined;
  private saved: Saved = { storeId: "", cursors: {} };
  private readonly outbox = new Map<number, OutboxEntry>();
  private readonly inflight = new Map<number, number>();
  private sendQueue: number[] = [];
  private nextReq = 1;
  private attempts = 0;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pumpTimer: ReturnType<typeof setTimeout> | undefined;
  private reseedId = 0;
  private lastReseed = Number.NEGATIVE_INFINITY;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private tokens: number;
  private lastRefill = Date.now();

  constructor(
    readonly url: string,
    private readonly topics: Set<Topic>,
    private readonly context: TransportContext,
    private readonly settings: ConnectionSettings,
  ) {
    this.tokens = settings.sendRate;
  }

  /** Envelopes this relay has not acknowledged. */
  get pending(): number {
    return this.outbox.size;
  }

  async start(): Promise<void> {
    const data = await this.settings.storage?.load([STATE_KEY, this.url]);
    if (data) {
      try {
        this.saved = JSON.parse(fromUtf8(data)) as Saved;
      } catch {
        this.settings.logger.warn(`ignoring unreadable cursor state for ${this.url}`);
      }
    }
    this.connect();
  }

  enqueue(entry: OutboxEntry): void {
    this.outbox.set(entry.id, entry);
    if (this.connected) {
      this.sendQueue.push(entry.id);
      this.pump();
    }
  }

  subscribe(topics: Topic[]): void {
    if (this.connected && this.ws) {
      this.ws.send(
        encodeSub(
          this.nextReq++,
          topics.map((topic) => ({ topic, since: this.saved.cursors[topic] ?? 0 })),
        ),
      );
    }
  }

  unsubscribe(topics: Topic[]): void {
    if (this.connected && this.ws) this.ws.send(encodeUnsub(topics));
  }

  /** Forgets the cursors of these topics and subscribes to them again from the start (the relay restarts them). */
  refetch(topics: Topic[]): void {
    for (const topic of topics) delete this.saved.cursors[topic];
    this.persist(false);
    this.subscribe(topics);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.pumpTimer);
    this.persist(true);
    this.ws?.close();
  }

  private connect(): void {
    if (this.closed) return;
    const wsUrl = `${this.url.replace(/^http/, "ws").replace(/\/$/, "")}/ws`;
    let ws: WebSocket;
    try {
      ws = new this.settings.WebSocket(wsUrl);
    } catch (error) {
      this.lastError = String(error);
      this.retry();
      return;
    }
    this.ws = ws;
    ws.binaryType = "arraybuffer";
    ws.onmessage = (event) => this.onFrame(new Uint8Array(event.data as ArrayBuffer));
    ws.onerror = () => {
      this.lastError = `cannot reach ${this.url}`;
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.connected = false;
      this.inflight.clear();
      this.sendQueue = [];
      this.ws = undefined;
      this.retry();
    };
  }

  private retry(): void {
    if (this.closed) return;
    const base = Math.min(this.settings.maxBackoffMs, this.settings.minBackoffMs * 2 ** this.attempts++);
    this.timer = setTimeout(() => this.connect(), base / 2 + Math.random() * (base / 2));
  }

  private onFrame(frame: Uint8Array): void {
    try {
      switch (frame[0]) {
        case FrameType.hello:
          void this.onHello(decodeHello(frame).storeId);
          break;
        case FrameType.ack:
          this.onAck(decodeAck(frame).reqId);
          break;
        case FrameType.deliver:
          this.onDeliver(frame);
          break;
        case FrameType.caughtUp:
          break;
        case FrameType.error: {
          const { code, message } = decodeError(frame);
          this.lastError = `relay error ${code}: ${message}`;
          this.settings.logger.warn(`${this.url}: ${this.lastError}`);
          break;
        }
        default:
          this.settings.logger.debug(`${this.url}: ignoring frame type ${frame[0]}`);
      }
    } catch (error) {
      this.settings.logger.warn(`${this.url}: bad frame`, error);
      this.ws?.close();
    }
  }

  private async onHello(storeId: string): Promise<void> {
    if (storeId !== this.saved.storeId) {
      // A new or emptied relay: forget its old numbering and give it everything this device holds.
      const changed = this.saved.storeId !== "";
      const reseed = changed || this.topics.size > 0;
      this.saved = { storeId, cursors: {} };
      this.persist(true);
      const now = Date.now();
      if (reseed && this.topics.size > 0 && now - this.lastReseed < RESEED_COOLDOWN_MS) {
        this.settings.logger.warn(
          `${this.url} changed its store ID again: not re-posting everything again yet`,
        );
      } else if (reseed && this.topics.size > 0) {
        // The first HELLO of a relay this device never saw is no change: it starts no cooldown.
        if (changed) this.lastReseed = now;
        // The previous re-post, if any is left, is replaced: the outbox holds one copy of the backlog at most.
        for (const id of [...this.outbox.keys()]) if (id < 0) this.outbox.delete(id);
        for (const bytes of await this.context.backlog([...this.topics])) {
          const id = --this.reseedId;
          this.outbox.set(id, { id, bytes, waiting: new Set([this]), onDone: () => {} });
        }
      }
    }
    // The backoff is reset by the first acknowledgement, not by a HELLO: a relay that says HELLO and
    // nothing useful must not get this device reconnecting at its fastest.
    this.connected = true;
    this.lastError = undefined;
    this.subscribe([...this.topics]);
    this.sendQueue = [...this.outbox.keys()];
    this.pump();
  }

  private onAck(reqId: number): void {
    const id = this.inflight.get(reqId);
    if (id === undefined) return;
    this.attempts = 0;
    this.inflight.delete(reqId);
    const entry = this.outbox.get(id);
    this.outbox.delete(id);
    if (entry) {
      entry.waiting.delete(this);
      if (entry.waiting.size === 0) entry.onDone();
    }
    this.pump();
  }

  private onDeliver(frame: Uint8Array): void {
    const { seq, envelope } = decodeDeliver(frame);
    const topic = readHeader(envelope).topic;
    // Copy: the frame's buffer belongs to the socket.
    void this.context.deliver(envelope.slice(), this.url).then(() => {
      if ((this.saved.cursors[topic] ?? 0) < seq) {
        this.saved.cursors[topic] = seq;
        this.persist(false);
      }
    });
  }

  /** Sends queued envelopes, at most WINDOW unacknowledged and at most `sendRate` a second. */
  private pump(): void {
    const ws = this.ws;
    if (!this.connected || !ws) return;
    const now = Date.now();
    this.tokens = Math.min(
      this.settings.sendRate,
      this.tokens + ((now - this.lastRefill) / 1000) * this.settings.sendRate,
    );
    this.lastRefill = now;
    while (this.sendQueue.length > 0 && this.inflight.size < WINDOW && this.tokens >= 1) {
      const id = this.sendQueue.shift()!;
      const entry = this.outbox.get(id);
      if (!entry) continue;
      const reqId = this.nextReq++;
      this.inflight.set(reqId, id);
      this.tokens--;
      ws.send(encodePut(reqId, entry.bytes));
    }
    if (this.sendQueue.length > 0 && this.tokens < 1 && !this.pumpTimer) {
      this.pumpTimer = setTimeout(() => {
        this.pumpTimer = undefined;
        this.pump();
      }, 50);
    }
  }

  private persist(now: boolean): void {
    const storage = this.settings.storage;
    if (!storage) return;
    const write = () => {
      this.saveTimer = undefined;
      void storage.save([STATE_KEY, this.url], utf8(JSON.stringify(this.saved))).catch((error) => {
        this.settings.logger.warn(`could not save cursors for ${this.url}`, error);
      });
    };
    if (now) {
      clearTimeout(this.saveTimer);
      write();
    } else if (!this.saveTimer) {
      this.saveTimer = setTimeout(write, 200);
    }
  }
}
