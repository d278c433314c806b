/**
 * `--peer <url>`: relay-to-relay replication over the ordinary client protocol.
 *
 * A link connects to the peer as a client and does two things on the same WebSocket:
 * - pull: SUB_ALL from the peer since a cursor, each DELIVER_ALL PUT into our store; the cursor only moves
 *   past envelopes that are durable here, and is kept in `peers.json` with the peer's store ID (a new ID
 *   means the peer lost or replaced its data: both cursors restart from 0).
 * - push: our own envelopes, in global seq order since a second cursor, sent to the peer as PUTs (paced
 *   below its default rate limit), so a relay behind NAT still feeds a public one.
 * Loops end by themselves: a duplicate is never stored again, so it never reaches the global stream that
 * feeds pushes and SUB_ALLs; envelopes just pulled from a peer are not pushed back to it.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { WebSocket } from "ws";
import { IntegrityError, InvalidArgumentError, QuotaError } from "../../../core/base/errors.js";
import { FrameType, RELAY_DEFAULTS, RelayErrorCode } from "../../../core/protocol/relay.js";
import { TokenBucket } from "../http/limits.js";
import { describeError, type RelayLogger } from "../log.js";
import { type RelayStore, StoreFullError } from "../store/store.js";
import { decodeRelayFrame, encodePut, encodeSubAll, FRAME_SLACK, type RelayFrame } from "../ws/frames.js";

const CURSOR_FILE = "peers.json";
const PUSH_WINDOW = 256;
const PULL_PAUSE = 4096;
const PULL_RESUME = 1024;
const HELLO_TIMEOUT_MS = 10_000;
const PING_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;

/** The WebSocket URL of a peer given as `ws(s)://…` or `http(s)://…`; `/ws` when no path is given. */
export function peerWsUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new InvalidArgumentError(`not a URL: ${input}`);
  }
  if (url.protocol === "http:") url.protocol = "ws:";
  else if (url.protocol === "https:") url.protocol = "wss:";
  else if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new InvalidArgumentError(`a peer URL is ws://, wss://, http:// or https://, not ${url.protocol}`);
  }
  if (url.pathname === "" || url.pathname === "/") url.pathname = "/ws";
  return url.toString();
}

/** Where replication with one peer stands. */
export interface PeerCursor {
  /** The peer's store ID the cursors refer to. */
  storeId: string;
  /** Our store ID `push` refers to. */
  ownStoreId: string;
  /** Last global seq of the peer that is durable here. */
  pull: number;
  /** Last global seq of ours the peer acknowledged. */
  push: number;
}

/** The cursors of every peer, in `<data>/peers.json`, saved shortly after they move. */
export class PeerCursors {
  private timer: NodeJS.Timeout | undefined;
  private constructor(
    private readonly path: string,
    private readonly cursors: Record<string, PeerCursor>,
    private readonly log: RelayLogger,
  ) {}

  /** Loads the cursors; an unreadable file only costs re-sending what is already there. */
  static async load(dir: string, log: RelayLogger): Promise<PeerCursors> {
    const path = join(dir, CURSOR_FILE);
    let cursors: Record<string, PeerCursor> = {};
    try {
      const parsed = JSON.parse(await readFile(path, "utf8")) as { peers?: Record<string, PeerCursor> };
      if (parsed && typeof parsed.peers === "object" && parsed.peers) cursors = parsed.peers;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") log.warn(`${path} unreadable, peers start from 0`);
    }
    return new PeerCursors(path, cursors, log);
  }

  get(url: string): PeerCursor | undefined {
    const c = this.cursors[url];
    return c ? { ...c } : undefined;
  }

  set(url: string, cursor: PeerCursor): void {
    this.cursors[url] = { ...cursor };
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, 250);
  }

  /** Writes the file now (at shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.save();
  }

  private async save(): Promise<void> {
    try {
      await writeFile(`${this.path}.tmp`, JSON.stringify({ version: 1, peers: this.cursors }, null, 2));
      await rename(`${this.path}.tmp`, this.path);
    } catch (e) {
      this.log.warn(`could not save peer cursors: ${describeError(e)}`);
    }
  }
}

/** Moves a cursor only past a contiguous run of finished items, whatever order they finish in. */
class InOrderCursor {
  private readonly items: { seq: number; done: boolean }[] = [];
  private first = 0;
  constructor(
    public cursor: number,
    private readonly onAdvance: (cursor: number) => void,
  ) {}
  add(seq: number): { seq: number; done: boolean } {
    const item = { seq, done: false };
    this.items.push(item);
    return item;
  }
  done(item: { seq: number; done: boolean }): void {
    item.done = true;
    const before = this.cursor;
    while (this.first < this.items.length && this.items[this.first]!.done) {
      this.cursor = this.items[this.first]!.seq;
      this.first++;
    }
    if (this.first > 1024) {
      this.items.splice(0, this.first);
      this.first = 0;
    }
    if (this.cursor !== before) this.onAdvance(this.cursor);
  }
}

/** State of one peer link, for `stats()`. */
export interface PeerStatus {
  url: string;
  connected: boolean;
  peerStoreId?: string;
  pulled: number;
  pushed: number;
  lastError?: string;
}

/** Session state of one connection to the peer; replaced on each reconnect. */
interface Session {
  ws: WebSocket;
  cursor?: PeerCursor;
  peerMaxFrame: number;
  pull?: InOrderCursor;
  push?: InOrderCursor;
  pushNext: number;
  pushing: Map<number, { seq: number; done: boolean }>;
  nextReqId: number;
  pendingPulls: number;
  paused: boolean;
  pumping: boolean;
}

/** Options of a `PeerLink`. */
export interface PeerLinkOptions {
  /** The shared secret of the relays that replicate together, shown to the peer (SUB_ALL needs it). */
  secret?: string;
  /**
   * This relay's own envelope limit: frames from the peer are bounded by a few times it (not 256 MiB), and
   * the store refuses (and the link skips) envelopes above it. @default RELAY_DEFAULTS.maxFrameBytes
   */
  maxFrameBytes?: number;
}

/** The header a peer link shows its secret in. */
export const PEER_AUTH_HEADER = "authorization";

/** Replicates with one peer relay, reconnecting with backoff until closed. */
export class PeerLink {
  private session: Session | undefined;
  private closed = false;
  private attempt = 0;
  private retry: NodeJS.Timeout | undefined;
  private lastError: string | undefined;
  private pushRate = RELAY_DEFAULTS.ratePerSecond * 0.75;
  private pacer = new TokenBucket(this.pushRate, RELAY_DEFAULTS.rateBurst / 4);
  /** Our global seqs that were pulled from this peer: pushing them back would only make duplicates. */
  private readonly fromPeer = new Set<number>();
  private readonly unlisten: () => void;
  private pumpQueued = false;

  constructor(
    /** The peer's WebSocket URL. */
    readonly url: string,
    private readonly store: RelayStore,
    private readonly cursors: PeerCursors,
    private readonly log: RelayLogger,
    private readonly options: PeerLinkOptions = {},
  ) {
    // After a macrotask, so the pulls whose commit triggered this have recorded themselves in fromPeer.
    this.unlisten = store.onCommit(() => this.queuePump());
  }

  /** Starts connecting. */
  start(): void {
    this.connect();
  }

  status(): PeerStatus {
    const s = this.session;
    const c = s?.cursor ?? this.cursors.get(this.url);
    return {
      url: this.url,
      connected: Boolean(s?.cursor && s.ws.readyState === WebSocket.OPEN),
      peerStoreId: c?.storeId,
      pulled: s?.pull?.cursor ?? c?.pull ?? 0,
      pushed: s?.push?.cursor ?? c?.push ?? 0,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Stops replicating; what is stored stays. */
  async close(): Promise<void> {
    this.closed = true;
    this.unlisten();
    clearTimeout(this.retry);
    this.session?.ws.terminate();
    this.session = undefined;
  }

  private connect(): void {
    if (this.closed) return;
    // A frame far above our own limit is refused by ws (close 1009) before it is held in memory; one a little
    // above it is read, refused by the store and skipped, so one big envelope does not stop the link.
    const maxFrame = this.options.maxFrameBytes ?? RELAY_DEFAULTS.maxFrameBytes;
    const ws = new WebSocket(this.url, {
      perMessageDeflate: false,
      maxPayload: 4 * maxFrame + FRAME_SLACK,
      ...(this.options.secret ? { headers: { [PEER_AUTH_HEADER]: `Bearer ${this.options.secret}` } } : {}),
    });
    const s: Session = {
      ws,
      peerMaxFrame: RELAY_DEFAULTS.maxFrameBytes,
      pushNext: 0,
      pushing: new Map(),
      // 1 is the SUB_ALL's.
      nextReqId: 2,
      pendingPulls: 0,
      paused: false,
      pumping: false,
    };
    this.session = s;
    let alive = true;
    const helloTimer = setTimeout(() => ws.terminate(), HELLO_TIMEOUT_MS);
    const ping = setInterval(() => {
      if (!alive) ws.terminate();
      alive = false;
      if (ws.readyState === WebSocket.OPEN) ws.ping();
    }, PING_MS);
    ws.on("pong", () => {
      alive = true;
    });
    ws.on("message", (data: Buffer) => {
      try {
        this.onFrame(s, decodeRelayFrame(data), helloTimer);
      } catch (e) {
        this.lastError = describeError(e);
        this.log.warn(`peer ${this.url}: ${this.lastError}`);
        ws.terminate();
      }
    });
    ws.on("error", (e) => {
      this.lastError = describeError(e);
    });
    ws.on("close", () => {
      clearTimeout(helloTimer);
      clearInterval(ping);
      if (this.session === s) this.session = undefined;
      if (this.closed) return;
      const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.attempt++) * (0.75 + Math.random() / 2);
      this.log.debug(`peer ${this.url} disconnected; retrying in ${Math.round(delay)} ms`);
      this.retry = setTimeout(() => this.connect(), delay);
    });
  }

  private onFrame(s: Session, frame: RelayFrame, helloTimer: NodeJS.Timeout): void {
    switch (frame.type) {
      case FrameType.hello:
        clearTimeout(helloTimer);
        this.onHello(s, frame.storeId, frame.maxFrame);
        break;
      case FrameType.deliverAll:
        this.onDeliverAll(s, frame.globalSeq, frame.envelope);
        break;
      case FrameType.ack: {
        const item = s.pushing.get(frame.reqId);
        if (!item) break;
        s.pushing.delete(frame.reqId);
        s.push?.done(item);
        this.queuePump();
        break;
      }
      case FrameType.error:
        this.onError(s, frame.reqId, frame.code, frame.message);
        break;
      default:
        // CAUGHT_UP (end of the peer's backlog) and DELIVER need nothing.
        break;
    }
  }

  private onHello(s: Session, peerStoreId: string, maxFrame: number): void {
    const own = this.store.storeIdHex;
    if (peerStoreId === own) {
      this.log.warn(`peer ${this.url} is this relay itself; not replicating with it`);
      void this.close();
      return;
    }
    let c = this.cursors.get(this.url);
    if (!c || c.storeId !== peerStoreId) {
      if (c) this.log.info(`peer ${this.url} has new data (store ID changed): replicating from the start`);
      c = { storeId: peerStoreId, ownStoreId: own, pull: 0, push: 0 };
    }
    if (c.ownStoreId !== own) c = { ...c, ownStoreId: own, push: 0 };
    this.cursors.set(this.url, c);
    const cursor = c;
    s.cursor = cursor;
    s.peerMaxFrame = maxFrame;
    s.pull = new InOrderCursor(cursor.pull, (n) => {
      cursor.pull = n;
      if (this.session === s) this.cursors.set(this.url, cursor);
    });
    s.push = new InOrderCursor(cursor.push, (n) => {
      cursor.push = n;
      if (this.session === s) this.cursors.set(this.url, cursor);
    });
    s.pushNext = cursor.push + 1;
    this.attempt = 0;
    this.lastError = undefined;
    this.log.info(`peer ${this.url} connected (pull from ${cursor.pull}, push from ${cursor.push})`);
    s.ws.send(encodeSubAll(1, cursor.pull));
    this.queuePump();
  }

  private onDeliverAll(s: Session, globalSeq: number, envelope: Uint8Array): void {
    if (!s.pull) return;
    const item = s.pull.add(globalSeq);
    if (++s.pendingPulls >= PULL_PAUSE && !s.paused) {
      s.paused = true;
      s.ws.pause();
    }
    this.store
      .put(envelope)
      .then(
        (r) => {
          if (r.stored) this.fromPeer.add(r.globalSeq);
          s.pull!.done(item);
        },
        (e) => {
          if (e instanceof StoreFullError) {
            // Not stored, and not to be skipped: the cursor stays before it, the link retries later.
            this.lastError = e.message;
            this.log.warn(`peer ${this.url}: ${e.message}; pulling again later`);
            s.ws.terminate();
          } else if (e instanceof IntegrityError || e instanceof QuotaError) {
            // The peer holds something that is not an envelope: skip it, it will never become one.
            this.log.warn(
              `peer ${this.url} sent a bad envelope (global seq ${globalSeq}): ${describeError(e)}`,
            );
            s.pull!.done(item);
          } else {
            // Not stored here: the cursor stays before it; reconnecting resumes from there.
            this.log.error(`could not store an envelope from peer ${this.url}`, e);
            s.ws.terminate();
          }
        },
      )
      .finally(() => {
        if (--s.pendingPulls <= PULL_RESUME && s.paused) {
          s.paused = false;
          s.ws.resume();
        }
      })
      .catch((e) => this.log.error(`peer ${this.url}: storing a pulled envelope failed`, e));
  }

  private onError(s: Session, reqId: number, code: number, message: string): void {
    if (reqId === 1 && code === RelayErrorCode.forbidden) {
      // The peer does not know our secret: pushing still works, pulling does not.
      this.lastError = `peer ${this.url} refuses SUB_ALL: give both relays the same --peer-secret`;
      this.log.warn(this.lastError);
      return;
    }
    const item = s.pushing.get(reqId);
    if (item && (code === RelayErrorCode.badEnvelope || code === RelayErrorCode.tooLarge)) {
      this.log.warn(`peer ${this.url} refused envelope ${item.seq}: ${message}`);
      s.pushing.delete(reqId);
      s.push?.done(item);
      this.queuePump();
      return;
    }
    if (code === RelayErrorCode.rateLimited) {
      // The peer's limits are tighter than the defaults: halve the pace and reconnect.
      this.pushRate = Math.max(50, this.pushRate / 2);
      this.pacer = new TokenBucket(this.pushRate, Math.max(1, this.pushRate / 2));
    }
    this.lastError = message;
    this.log.warn(`peer ${this.url} reported an error (code ${code}): ${message}`);
    if (item) s.ws.terminate();
  }

  private queuePump(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      const s = this.session;
      if (s?.push && !s.pumping) {
        s.pumping = true;
        this.pump(s)
          .catch((e) => {
            this.log.error(`pushing to peer ${this.url} failed`, e);
            s.ws.terminate();
          })
          .finally(() => {
            s.pumping = false;
          });
      }
    });
  }

  /** Sends our envelopes the peer has not acknowledged, within the window and the pace. */
  private async pump(s: Session): Promise<void> {
    while (this.session === s && s.ws.readyState === WebSocket.OPEN && s.push) {
      const room = PUSH_WINDOW - s.pushing.size;
      const head = this.store.globalHead;
      if (room <= 0 || s.pushNext > head) return;
      const records = await this.store.readGlobal(
        s.pushNext,
        Math.min(head, s.pushNext + Math.min(room, 64) - 1),
      );
      for (const r of records) {
        if (this.session !== s || s.ws.readyState !== WebSocket.OPEN) return;
        if (this.fromPeer.delete(r.globalSeq) || r.envelope.length > s.peerMaxFrame) {
          s.push.done(s.push.add(r.globalSeq));
          s.pushNext = r.globalSeq + 1;
          continue;
        }
        if (!this.pacer.take()) {
          setTimeout(() => this.queuePump(), 20);
          return;
        }
        const reqId = s.nextReqId++;
        s.pushing.set(reqId, s.push.add(r.globalSeq));
        s.ws.send(encodePut(reqId, r.envelope));
        s.pushNext = r.globalSeq + 1;
      }
    }
  }
}
