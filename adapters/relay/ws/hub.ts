/**
 * The WebSocket side of the relay: one `RelayHub` owns every client connection, answers their frames and
 * fans stored envelopes out to subscribers.
 *
 * Ordering: a new subscription first replays its backlog from the store, then turns live. Fan-out runs in
 * the same tick as the store's index update (see `RelayStore.onCommit`), and a subscription turns live in
 * the same tick as its last `head()` check, so a subscriber gets every seq exactly once, in order.
 */
import type { RawData, WebSocket } from "ws";
import { IntegrityError, QuotaError } from "../../../core/base/errors.js";
import type { Topic } from "../../../core/base/ids.js";
import { readHeader } from "../../../core/protocol/envelope.js";
import { FrameType, RelayErrorCode } from "../../../core/protocol/relay.js";
import { addressKey, type ClientLimits, TokenBucket } from "../http/limits.js";
import { describeError, type RelayLogger } from "../log.js";
import { type RelayStore, type StoredEnvelope, StoreFullError } from "../store/store.js";
import {
  ALL_TOPICS,
  type ClientFrame,
  decodeClientFrame,
  encodeAck,
  encodeCaughtUp,
  encodeDeliver,
  encodeError,
  encodeHello,
  MalformedFrameError,
} from "./frames.js";

/** Envelopes read from the store per step of a backlog. */
const BACKLOG_BATCH = 256;
/** Above this many unsent bytes a backlog waits for the socket to drain. */
const BACKLOG_HIGH_WATER = 1024 * 1024;
const HEARTBEAT_MS = 30_000;

/** Limits one connection lives under. */
export interface HubLimits {
  maxFrameBytes: number;
  ratePerSecond: number;
  rateBurst: number;
  maxTopicsPerConnection: number;
  /** A connection with no subscription that sends nothing for this long is closed (it holds a slot). */
  idleTimeoutMs?: number;
  /** Subscriptions of all the connections from one address together (each costs memory). */
  maxSubscriptionsPerIp?: number;
}

interface Subscription {
  /** False while the backlog is being sent: live envelopes then come through the backlog loop. */
  live: boolean;
}

export { TokenBucket } from "../http/limits.js";

/** Who is on the other end of a connection, as the upgrade request said. */
export interface ClientInfo {
  /** The address, for the limits per address. */
  address: string | undefined;
  /** True for a configured peer relay (it showed the peers' shared secret): SUB_ALL is for it alone. */
  peer: boolean;
}

class Connection {
  readonly subs = new Map<string, Subscription>();
  all: Subscription | undefined;
  closing = false;
  alive = true;
  idle: NodeJS.Timeout | undefined;
  lastActive = Date.now();
  constructor(
    readonly ws: WebSocket,
    readonly remote: string,
    readonly bucket: TokenBucket,
    readonly client: ClientInfo,
  ) {}

  send(frame: Uint8Array): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame);
  }

  /**
   * Sends frames; resolves at once while the socket has room, or once the last frame reached the kernel
   * (backlogs must not fill memory for a slow reader).
   */
  sendBatch(frames: Uint8Array[]): Promise<void> {
    if (frames.length === 0 || this.ws.readyState !== this.ws.OPEN) return Promise.resolve();
    for (let i = 0; i < frames.length - 1; i++) this.ws.send(frames[i]!);
    const last = frames[frames.length - 1]!;
    if (this.ws.bufferedAmount + last.length < BACKLOG_HIGH_WATER) {
      this.ws.send(last);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.ws.send(last, () => resolve()));
  }
}

/** Counters of the WebSocket side. */
export interface HubStats {
  connections: number;
  subscriptions: number;
  deliveries: number;
}

/** Owns the WebSocket connections of one relay. */
export class RelayHub {
  private readonly conns = new Set<Connection>();
  private readonly topicSubs = new Map<string, Set<Connection>>();
  private readonly allSubs = new Set<Connection>();
  private readonly subsByIp = new Map<string, number>();
  private readonly unlisten: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly slowLimit: number;
  private deliveries = 0;
  private stopping = false;

  constructor(
    private readonly store: RelayStore,
    private readonly limits: HubLimits,
    private readonly log: RelayLogger,
    /** Limits per address, shared with the HTTP side; none in tests of the hub alone. */
    private readonly clients?: ClientLimits,
  ) {
    this.unlisten = store.onCommit((records) => this.fanOut(records));
    this.slowLimit = Math.max(32 * 1024 * 1024, 4 * limits.maxFrameBytes);
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Counters. */
  stats(): HubStats {
    let subscriptions = 0;
    for (const c of this.conns) subscriptions += c.subs.size + (c.all ? 1 : 0);
    return { connections: this.conns.size, subscriptions, deliveries: this.deliveries };
  }

  /** Takes over an upgraded WebSocket. */
  handle(ws: WebSocket, remote: string, client: ClientInfo = { address: undefined, peer: false }): void {
    const conn = new Connection(
      ws,
      remote,
      new TokenBucket(this.limits.ratePerSecond, this.limits.rateBurst),
      client,
    );
    this.conns.add(conn);
    ws.on("message", (data, isBinary) => {
      try {
        this.onMessage(conn, data, isBinary);
      } catch (e) {
        this.log.error(`frame from ${remote} failed`, e);
        this.fail(conn, 0, RelayErrorCode.malformed, "internal error", 1011);
      }
    });
    ws.on("pong", () => {
      conn.alive = true;
    });
    // ws reports protocol violations (oversized frame: close 1009, bad opcode…) here, then closes.
    ws.on("error", (e) => this.log.info(`connection ${remote} closed: ${describeError(e)}`));
    ws.on("close", () => this.drop(conn));
    this.watchIdle(conn);
    conn.send(encodeHello(this.store.storeId, this.limits.maxFrameBytes));
  }

  /** Stops answering frames and backlogs; used at the start of a shutdown. */
  stop(): void {
    this.stopping = true;
    this.unlisten();
    clearInterval(this.heartbeat);
  }

  /** Closes every connection (1001, going away); resolves when they are closed or after `graceMs`. */
  async closeAll(graceMs = 2000): Promise<void> {
    const waits = [...this.conns].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState === c.ws.CLOSED) return resolve();
          c.ws.once("close", () => resolve());
          c.ws.close(1001, "relay shutting down");
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(waits),
      new Promise<void>((r) => {
        timer = setTimeout(r, graceMs);
      }),
    ]);
    clearTimeout(timer);
    for (const c of this.conns) c.ws.terminate();
  }

  /** (Re)arms the idle timer of `conn`: it fires only on a connection that subscribes to nothing. */
  private watchIdle(conn: Connection, delay = this.limits.idleTimeoutMs): void {
    const ms = this.limits.idleTimeoutMs;
    if (!ms || delay === undefined) return;
    conn.idle = setTimeout(() => {
      const quiet = Date.now() - conn.lastActive;
      if (conn.subs.size > 0 || conn.all) this.watchIdle(conn);
      else if (quiet < ms) this.watchIdle(conn, ms - quiet);
      else if (!conn.closing) {
        conn.closing = true;
        this.log.debug(`closing idle connection ${conn.remote}`);
        conn.ws.close(1000, "idle: no subscription and nothing sent");
      }
    }, delay);
    conn.idle.unref();
  }

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn.closing || this.stopping) return;
    conn.lastActive = Date.now();
    // A peer relay has its own connection's limit only: it carries many clients' envelopes.
    if (
      !conn.bucket.take() ||
      (!conn.client.peer && this.clients && !this.clients.take(conn.client.address))
    ) {
      this.fail(conn, 0, RelayErrorCode.rateLimited, "rate limit exceeded", 1008);
      return;
    }
    if (!isBinary) {
      this.fail(conn, 0, RelayErrorCode.malformed, "text frames are not part of the protocol", 1003);
      return;
    }
    const bytes = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data as ArrayBuffer);
    let frame: ClientFrame;
    try {
      frame = decodeClientFrame(bytes);
    } catch (e) {
      const reqId = e instanceof MalformedFrameError ? e.reqId : 0;
      this.fail(conn, reqId, RelayErrorCode.malformed, describeError(e));
      return;
    }
    switch (frame.type) {
      case FrameType.put:
        this.onPut(conn, frame.reqId, frame.envelope);
        break;
      case FrameType.sub:
        this.onSub(conn, frame.reqId, frame.topics);
        break;
      case FrameType.unsub:
        for (const topic of frame.topics) this.unsubscribe(conn, topic);
        break;
      case FrameType.subAll:
        this.onSubAll(conn, frame.reqId, frame.since);
        break;
    }
  }

  private onPut(conn: Connection, reqId: number, envelope: Uint8Array): void {
    if (envelope.length > this.limits.maxFrameBytes) {
      conn.send(
        encodeError(reqId, RelayErrorCode.tooLarge, `envelope over ${this.limits.maxFrameBytes} bytes`),
      );
      return;
    }
    try {
      readHeader(envelope);
    } catch (e) {
      this.fail(conn, reqId, RelayErrorCode.badEnvelope, describeError(e));
      return;
    }
    this.store
      .put(envelope)
      .then(
        (r) => conn.send(encodeAck(reqId, r.stored ? 0 : 1, r.seq, r.hash)),
        (e) => {
          if (e instanceof IntegrityError) this.fail(conn, reqId, RelayErrorCode.badEnvelope, e.message);
          else if (e instanceof StoreFullError)
            conn.send(encodeError(reqId, RelayErrorCode.quota, e.message));
          else if (e instanceof QuotaError) conn.send(encodeError(reqId, RelayErrorCode.tooLarge, e.message));
          else
            conn.send(encodeError(reqId, RelayErrorCode.storage, "the relay could not store the envelope"));
        },
      )
      .catch((e) => this.log.error(`answering a put from ${conn.remote} failed`, e));
  }

  private onSub(conn: Connection, reqId: number, topics: { topic: string; since: number }[]): void {
    const added = new Set(topics.map((t) => t.topic).filter((t) => !conn.subs.has(t))).size;
    const key = addressKey(conn.client.address);
    const perIp = this.limits.maxSubscriptionsPerIp;
    if (!conn.client.peer && perIp !== undefined && (this.subsByIp.get(key) ?? 0) + added > perIp) {
      conn.send(
        encodeError(reqId, RelayErrorCode.tooManyTopics, `at most ${perIp} subscriptions from one address`),
      );
      return;
    }
    if (conn.subs.size + added > this.limits.maxTopicsPerConnection) {
      conn.send(
        encodeError(
          reqId,
          RelayErrorCode.tooManyTopics,
          `at most ${this.limits.maxTopicsPerConnection} topics`,
        ),
      );
      return;
    }
    const work: { topic: string; since: number; sub: Subscription }[] = [];
    for (const { topic, since } of topics) {
      // Subscribing again restarts from the new `since`: a fresh Subscription object stops the old backlog.
      const sub: Subscription = { live: false };
      if (!conn.subs.has(topic)) this.subsByIp.set(key, (this.subsByIp.get(key) ?? 0) + 1);
      conn.subs.set(topic, sub);
      let set = this.topicSubs.get(topic);
      if (!set) {
        set = new Set();
        this.topicSubs.set(topic, set);
      }
      set.add(conn);
      work.push({ topic, since, sub });
    }
    // One topic after the other: a SUB of thousands of topics must not start thousands of reads at once.
    void (async () => {
      for (const w of work) await this.backlog(conn, reqId, w.topic, w.since, w.sub);
    })().catch((e) => {
      this.log.error(`backlog for ${conn.remote} failed`, e);
      this.fail(conn, reqId, RelayErrorCode.storage, "the relay could not read its store", 1011);
    });
  }

  private async backlog(conn: Connection, reqId: number, topic: string, since: number, sub: Subscription) {
    let next = since + 1;
    for (;;) {
      if (conn.closing || this.stopping || conn.subs.get(topic) !== sub) return;
      const head = this.store.head(topic);
      if (next > head) break;
      const batch = await this.store.readTopic(topic, next, Math.min(head, next + BACKLOG_BATCH - 1));
      if (conn.closing || this.stopping || conn.subs.get(topic) !== sub) return;
      this.deliveries += batch.length;
      next += batch.length;
      await conn.sendBatch(batch.map((r) => encodeDeliver(r.seq, r.envelope)));
    }
    sub.live = true;
    conn.send(encodeCaughtUp(reqId, topic as Topic, this.store.head(topic)));
  }

  private onSubAll(conn: Connection, reqId: number, since: number): void {
    // Every topic's envelopes and their timing: for the relays this one replicates with, not for anyone.
    if (!conn.client.peer) {
      conn.send(
        encodeError(reqId, RelayErrorCode.forbidden, "SUB_ALL is for this relay's peers (--peer-secret)"),
      );
      return;
    }
    const sub: Subscription = { live: false };
    conn.all = sub;
    this.allSubs.add(conn);
    void (async () => {
      let next = since + 1;
      for (;;) {
        if (conn.closing || this.stopping || conn.all !== sub) return;
        const head = this.store.globalHead;
        if (next > head) break;
        const batch = await this.store.readGlobal(next, Math.min(head, next + BACKLOG_BATCH - 1));
        if (conn.closing || this.stopping || conn.all !== sub) return;
        this.deliveries += batch.length;
        next += batch.length;
        await conn.sendBatch(batch.map((r) => encodeDeliver(r.globalSeq, r.envelope, true)));
      }
      sub.live = true;
      conn.send(encodeCaughtUp(reqId, ALL_TOPICS, this.store.globalHead));
    })().catch((e) => {
      this.log.error(`global backlog for ${conn.remote} failed`, e);
      this.fail(conn, reqId, RelayErrorCode.storage, "the relay could not read its store", 1011);
    });
  }

  private unsubscribe(conn: Connection, topic: string): void {
    if (conn.subs.delete(topic)) {
      const key = addressKey(conn.client.address);
      const n = (this.subsByIp.get(key) ?? 1) - 1;
      if (n <= 0) this.subsByIp.delete(key);
      else this.subsByIp.set(key, n);
    }
    const set = this.topicSubs.get(topic);
    if (!set) return;
    set.delete(conn);
    if (set.size === 0) this.topicSubs.delete(topic);
  }

  /** Sends each new envelope to its live subscribers; the frame is encoded once and shared. */
  private fanOut(records: StoredEnvelope[]): void {
    for (const r of records) {
      const set = this.topicSubs.get(r.topic);
      if (set) {
        let frame: Uint8Array | undefined;
        for (const c of set) {
          if (!c.subs.get(r.topic)?.live) continue;
          frame ??= encodeDeliver(r.seq, r.envelope);
          this.sendLive(c, frame);
        }
      }
      if (this.allSubs.size > 0) {
        let frame: Uint8Array | undefined;
        for (const c of this.allSubs) {
          if (!c.all?.live) continue;
          frame ??= encodeDeliver(r.globalSeq, r.envelope, true);
          this.sendLive(c, frame);
        }
      }
    }
  }

  private sendLive(conn: Connection, frame: Uint8Array): void {
    if (conn.closing) return;
    // A reader that cannot keep up would make the relay hold everything for it: cut it off; it will
    // reconnect and resume from its last seq.
    if (conn.ws.bufferedAmount > this.slowLimit) {
      this.log.info(`connection ${conn.remote} too slow, closing it`);
      conn.closing = true;
      conn.ws.close(1013, "too slow: reconnect and resubscribe");
      return;
    }
    conn.send(frame);
    this.deliveries++;
  }

  /** Sends an ERROR and closes: the client broke the protocol or its limits. Others are not affected. */
  private fail(conn: Connection, reqId: number, code: number, message: string, closeCode = 1002): void {
    if (conn.closing) return;
    conn.closing = true;
    this.log.info(`closing connection ${conn.remote}: ${message}`);
    try {
      conn.send(encodeError(reqId, code, message));
      // A close reason is at most 123 bytes: keep it short and ASCII.
      conn.ws.close(closeCode, message.replace(/[^\x20-\x7e]/g, "?").slice(0, 120));
    } catch (e) {
      this.log.warn(`closing ${conn.remote} failed: ${describeError(e)}`);
      conn.ws.terminate();
    }
  }

  private drop(conn: Connection): void {
    conn.closing = true;
    clearTimeout(conn.idle);
    this.conns.delete(conn);
    for (const topic of [...conn.subs.keys()]) this.unsubscribe(conn, topic);
    conn.all = undefined;
    this.allSubs.delete(conn);
  }

  private beat(): void {
    for (const c of this.conns) {
      if (!c.alive) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }
}
