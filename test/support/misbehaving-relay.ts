/**
 * A misbehaving relay for tests: a WebSocket server on loopback that speaks the relay protocol by proxying
 * a real relay, and tampers with what it delivers according to a seeded policy — drops, delays (so
 * reorders), duplicates, replays envelopes it delivered before (on any topic), garbles copies (flipped
 * byte, truncated) — and delivers envelopes the test hands it to chosen clients only (equivocation).
 * It also acknowledges some puts it never forwards. Same seed, same decisions.
 */
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { FrameType } from "../../core/internals.js";
import { decodeDeliver, decodePut, encodeAck, encodeDeliver } from "../../core/protocol/relay-frames.js";

/** How often each misbehaviour happens (0 to 1), and the longest delay. */
export interface Misbehaviour {
  seed: number;
  drop: number;
  duplicate: number;
  replay: number;
  garble: number;
  /** Fraction of client puts acknowledged but never forwarded. */
  swallow: number;
  maxDelayMs: number;
}

/** A running misbehaving relay. */
export interface MisbehavingRelay {
  /** `http://127.0.0.1:<port>`, as relay clients are configured. */
  url: string;
  /** Connected clients, in connection order. */
  clients(): WebSocket[];
  /** Delivers `envelope` to the clients `pick` chooses, as if the relay held it. */
  inject(envelope: Uint8Array, pick: (client: WebSocket, index: number) => boolean): void;
  /** What it did, by kind. */
  counts: Record<
    "delivered" | "dropped" | "duplicated" | "replayed" | "garbled" | "swallowed" | "injected",
    number
  >;
  close(): Promise<void>;
}

/** mulberry32: a small seeded PRNG, enough to make a test's misbehaviour repeatable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Starts a misbehaving relay in front of the real relay at `upstreamWsUrl`. */
export async function misbehavingRelay(
  upstreamWsUrl: string,
  policy: Misbehaviour,
): Promise<MisbehavingRelay> {
  const { WebSocket: Client } = await import("ws");
  const random = prng(policy.seed);
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/ws" });
  await new Promise<void>((ok) => server.once("listening", ok));
  const connected: WebSocket[] = [];
  const seen: Uint8Array[] = [];
  const counts: MisbehavingRelay["counts"] = {
    delivered: 0,
    dropped: 0,
    duplicated: 0,
    replayed: 0,
    garbled: 0,
    swallowed: 0,
    injected: 0,
  };
  let seq = 1_000_000;

  const send = (client: WebSocket, frame: Uint8Array) => {
    if (client.readyState === client.OPEN) client.send(frame);
  };
  const later = (fn: () => void) => setTimeout(fn, Math.floor(random() * policy.maxDelayMs));

  server.on("connection", (client) => {
    connected.push(client);
    const upstream = new Client(upstreamWsUrl);
    const pending: Buffer[] = [];
    upstream.on("open", () => {
      for (const m of pending.splice(0)) upstream.send(m);
    });
    client.on("message", (data: Buffer) => {
      const bytes = new Uint8Array(data);
      if (bytes[0] === FrameType.put && random() < policy.swallow) {
        // A false acknowledgement: the client believes this relay stored it.
        counts.swallowed++;
        const { reqId } = decodePut(bytes);
        send(client, encodeAck(reqId, 0, ++seq, new Uint8Array(32)));
        return;
      }
      if (upstream.readyState === upstream.OPEN) upstream.send(data);
      else pending.push(data);
    });
    upstream.on("message", (data: Buffer) => {
      const frame = new Uint8Array(data);
      if (frame[0] !== FrameType.deliver && frame[0] !== FrameType.deliverAll) return send(client, frame);
      const { envelope } = decodeDeliver(frame);
      const copy = envelope.slice();
      if (random() < policy.drop) {
        counts.dropped++;
        return;
      }
      counts.delivered++;
      later(() => send(client, frame));
      if (random() < policy.duplicate) {
        counts.duplicated++;
        later(() => send(client, frame));
      }
      if (seen.length > 0 && random() < policy.replay) {
        counts.replayed++;
        const old = seen[Math.floor(random() * seen.length)]!;
        later(() => send(client, encodeDeliver(++seq, old)));
      }
      if (random() < policy.garble) {
        counts.garbled++;
        const bad = copy.slice(0, random() < 0.5 ? copy.length : Math.floor(copy.length / 2));
        bad[Math.floor(random() * bad.length)]! ^= 0x20;
        later(() => send(client, encodeDeliver(++seq, bad)));
      }
      seen.push(copy);
    });
    const closeBoth = () => {
      client.close();
      upstream.close();
    };
    client.on("close", closeBoth);
    upstream.on("close", closeBoth);
    upstream.on("error", closeBoth);
    client.on("error", closeBoth);
  });

  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    clients: () => connected.filter((c) => c.readyState === c.OPEN),
    inject(envelope, pick) {
      for (const [i, client] of connected.entries()) {
        if (client.readyState !== client.OPEN || !pick(client, i)) continue;
        counts.injected++;
        send(client, encodeDeliver(++seq, envelope));
      }
    },
    counts,
    close: async () => {
      for (const c of connected) c.terminate();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
