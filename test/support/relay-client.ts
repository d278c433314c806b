/**
 * Test helpers for the relay: a raw protocol client that records every frame, and real envelopes.
 * Not part of the relay itself; imported by the tests of this folder.
 */

import { WebSocket } from "ws";
import {
  decodeRelayFrame,
  encodePut,
  encodeSub,
  encodeSubAll,
  type RelayFrame,
} from "../../adapters/relay/ws/frames.js";
import { randomBytes, utf8 } from "../../core/base/bytes.js";
import { type DocId, parseScopeId, type Topic } from "../../core/base/ids.js";
import type { DeviceIdentity } from "../../core/crypto/identity.js";
import { EnvelopeKind, sealEnvelope } from "../../core/protocol/envelope.js";
import { FrameType } from "../../core/protocol/relay.js";
import { publicEpoch, type ScopeEpoch, sealedEpoch } from "../../core/protocol/scope-keys.js";
import { until } from "./devices.js";

/** The peers' shared secret of test relays (`peerSecret`): a client showing it may SUB_ALL, as a peer relay does. */
export const TEST_PEER_SECRET = "the shared secret of test relays";
/** The upgrade headers of a client that shows `TEST_PEER_SECRET`. */
export const AS_PEER = { Authorization: `Bearer ${TEST_PEER_SECRET}` };

/** A relay frame of one type. */
export type FrameOf<T extends RelayFrame["type"]> = Extract<RelayFrame, { type: T }>;

/** A bare protocol client: sends frames, keeps every frame received, waits for the ones a test expects. */
export class TestClient {
  readonly frames: RelayFrame[] = [];
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];
  private readonly replies = new Map<number, (f: RelayFrame) => void>();
  private nextReqId = 1;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on("close", (code, reason) => {
        this.wake();
        for (const reply of this.replies.values())
          reply({ type: FrameType.error, reqId: 0, code: 0, message: "closed" });
        this.replies.clear();
        resolve({ code, reason: reason.toString() });
      });
    });
    ws.on("error", () => {});
    ws.on("message", (data: Buffer) => {
      const frame = decodeRelayFrame(Buffer.from(data));
      this.frames.push(frame);
      if ((frame.type === FrameType.ack || frame.type === FrameType.error) && this.replies.has(frame.reqId)) {
        this.replies.get(frame.reqId)!(frame);
        this.replies.delete(frame.reqId);
      }
      this.wake();
    });
  }

  /** Connects (with these upgrade headers, e.g. a peer's `Authorization`) and waits for HELLO. */
  static async connect(wsUrl: string, headers?: Record<string, string>): Promise<TestClient> {
    const ws = new WebSocket(wsUrl, { maxPayload: 64 * 1024 * 1024, ...(headers ? { headers } : {}) });
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    await client.waitFor((f) => f.type === FrameType.hello);
    return client;
  }

  /** The HELLO frame. */
  get hello(): FrameOf<typeof FrameType.hello> {
    return this.frames.find((f) => f.type === FrameType.hello) as FrameOf<typeof FrameType.hello>;
  }

  /** Sends raw bytes. */
  send(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  /** PUTs an envelope; resolves with its ACK or ERROR (an ERROR with code 0 when the connection closed first). */
  put(envelope: Uint8Array): Promise<FrameOf<typeof FrameType.ack> | FrameOf<typeof FrameType.error>> {
    const reqId = this.nextReqId++;
    if (this.ws.readyState !== WebSocket.OPEN) {
      return Promise.resolve({ type: FrameType.error, reqId, code: 0, message: "closed" });
    }
    const reply = new Promise<RelayFrame>((resolve) => this.replies.set(reqId, resolve));
    this.send(encodePut(reqId, envelope));
    return reply as Promise<FrameOf<typeof FrameType.ack> | FrameOf<typeof FrameType.error>>;
  }

  /** SUBs and waits for the CAUGHT_UP of every topic; returns the request ID. */
  async sub(topics: { topic: string; since: number }[]): Promise<number> {
    const reqId = this.nextReqId++;
    this.send(encodeSub(reqId, topics as { topic: Topic; since: number }[]));
    for (const t of topics) {
      await this.waitFor((f) => f.type === FrameType.caughtUp && f.reqId === reqId && f.topic === t.topic);
    }
    return reqId;
  }

  /** SUB_ALLs and waits for its CAUGHT_UP. */
  async subAll(since: number): Promise<FrameOf<typeof FrameType.caughtUp>> {
    const reqId = this.nextReqId++;
    this.send(encodeSubAll(reqId, since));
    return (await this.waitFor((f) => f.type === FrameType.caughtUp && f.reqId === reqId)) as FrameOf<
      typeof FrameType.caughtUp
    >;
  }

  /** Frames of one type received so far. */
  ofType<T extends RelayFrame["type"]>(type: T): FrameOf<T>[] {
    return this.frames.filter((f) => f.type === type) as FrameOf<T>[];
  }

  /** The first frame (already received or to come) matching `match`. */
  async waitFor(match: (f: RelayFrame) => boolean, timeoutMs = 10_000): Promise<RelayFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (this.ws.readyState === WebSocket.CLOSED)
        throw new Error("connection closed while waiting for a frame");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("timed out waiting for a frame");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until `count` frames match. */
  async waitForCount(match: (f: RelayFrame) => boolean, count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.filter(match).length < count) {
      if (Date.now() > deadline)
        throw new Error(`timed out: ${this.frames.filter(match).length}/${count} frames`);
      await this.waitFor(() => true, 50).catch(() => {});
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** A fresh device identity. */
export { looseIdentity as testIdentity } from "./devices.js";

/** A public scope epoch with a unique ID. */
export function testPublicScope(): Promise<ScopeEpoch> {
  return publicEpoch(parseScopeId(`public:test-${Buffer.from(randomBytes(8)).toString("hex")}`));
}

/** A sealed scope epoch with a fresh secret. */
export function testSealedScope(): Promise<ScopeEpoch> {
  return sealedEpoch(parseScopeId("members"), 1, randomBytes(32));
}

/** `count` distinct real envelopes under `scope`, each carrying `itemBytes` bytes. */
export async function makeEnvelopes(
  author: DeviceIdentity,
  scope: ScopeEpoch,
  count: number,
  itemBytes = 16,
): Promise<Uint8Array[]> {
  const session = randomBytes(16);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const item = new Uint8Array(itemBytes);
    item.set(utf8(`#${i}`).subarray(0, itemBytes));
    out.push(
      await sealEnvelope(author, scope, {
        kind: EnvelopeKind.changes,
        docId: "test-doc" as DocId,
        session,
        items: [item, randomBytes(8)],
      }),
    );
  }
  return out;
}

/** Splits a `GET /t/<topic>` body into its `seq u64 ‖ length u32 ‖ envelope` records. */
export function parseRecords(body: Buffer): { seq: number; envelope: Buffer }[] {
  const out: { seq: number; envelope: Buffer }[] = [];
  for (let o = 0; o < body.length; ) {
    const seq = body.readUInt32BE(o) * 2 ** 32 + body.readUInt32BE(o + 4);
    const length = body.readUInt32BE(o + 8);
    out.push({ seq, envelope: body.subarray(o + 12, o + 12 + length) });
    o += 12 + length;
  }
  return out;
}

/** Fetches a topic over HTTP: the store ID and the records after `since`. */
export async function fetchTopic(
  relayUrl: string,
  topic: string,
  since = 0,
): Promise<{ storeId: string; records: { seq: number; envelope: Buffer }[] }> {
  const res = await fetch(`${relayUrl}/t/${topic}?since=${since}`);
  if (!res.ok) throw new Error(`GET /t/${topic} answered ${res.status}`);
  return {
    storeId: res.headers.get("x-cellule-store") ?? "",
    records: parseRecords(Buffer.from(await res.arrayBuffer())),
  };
}

/** Polls `check` until it returns true. */
export function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  return until(check, "a relay test condition", timeoutMs);
}
