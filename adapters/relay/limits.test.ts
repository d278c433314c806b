/**
 * A relay's resources are bounded (issue 11, H5, L7): connections per address and in total, one token
 * bucket per address across HTTP and WebSocket, a minimum envelope size, quotas per topic and for the whole
 * store (507, an ERROR frame with code `quota`), SUB_ALL for peers with the shared secret only, and peers'
 * envelopes bounded by this relay's own limit. In each test the flooding client gets a clear error and an
 * honest one (another address, another topic) keeps syncing. 127.0.0.2 is another address on loopback.
 */
import { get } from "node:http";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { Topic } from "../../core/base/ids.js";
import { FrameType, RelayErrorCode } from "../../core/protocol/relay.js";
import { encodeSub } from "../../core/protocol/relay-frames.js";
import { eventually, fetchTopic, makeEnvelopes, TestClient } from "../../test/support/relay-client.js";
import { relayTestBed } from "../../test/support/relay-test-bed.js";

const { author, pub, sealed, relay, client, tempDir, later } = await relayTestBed();
const SECRET = "the secret these test relays share";

/** Opens a WebSocket from `localAddress`; resolves with "open" or the HTTP status that refused it. */
function openFrom(
  wsUrl: string,
  localAddress = "127.0.0.1",
): Promise<{ status: number | "open"; ws: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl, { localAddress });
    later(() => ws.terminate());
    ws.on("error", () => {});
    ws.once("open", () => resolve({ status: "open", ws }));
    ws.once("unexpected-response", (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, ws });
    });
  });
}

/** A GET from `localAddress` on a fresh connection. */
function getFrom(
  url: string,
  localAddress: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { localAddress, agent: false, headers }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    }).on("error", reject);
  });
}

const post = (url: string, topic: string, body: Uint8Array) =>
  fetch(`${url}/t/${topic}`, { method: "POST", body: Buffer.from(body) });

describe("connections", () => {
  it("are capped per address (429) while another address still connects, and a closed one frees its slot", async () => {
    const r = await relay({ maxConnectionsPerIp: 3 });
    const first = await Promise.all([1, 2, 3].map(() => openFrom(r.wsUrl)));
    expect(first.map((c) => c.status)).toEqual(["open", "open", "open"]);
    expect((await openFrom(r.wsUrl)).status).toBe(429);
    expect((await getFrom(`${r.url}/health`, "127.0.0.1")).status).toBe(429);
    const honest = await openFrom(r.wsUrl, "127.0.0.2");
    expect(honest.status).toBe("open");
    first[0]!.ws.close();
    await eventually(async () => (await openFrom(r.wsUrl)).status === "open");
  });

  it("are capped in total (503)", async () => {
    const r = await relay({ maxConnections: 3 });
    for (const address of ["127.0.0.1", "127.0.0.2", "127.0.0.3"])
      expect((await openFrom(r.wsUrl, address)).status).toBe("open");
    const refused = await getFrom(`${r.url}/health`, "127.0.0.4");
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: "too many connections" });
  });
});

describe("the token bucket of an address", () => {
  it("is shared by its WebSocket frames and HTTP requests; another address is not affected", async () => {
    // Refilled so slowly that the test never sees a token come back.
    const r = await relay({ ipRatePerSecond: 0.001, ipRateBurst: 13 });
    const flooder = await TestClient.connect(r.wsUrl);
    later(() => flooder.close());
    const envelopes = await makeEnvelopes(author, pub, 12);
    for (const e of envelopes.slice(0, 10)) expect((await flooder.put(e)).type).toBe(FrameType.ack);
    // 13 tokens: the upgrade, 10 frames, one HTTP request, one more frame; then nothing, on any connection.
    expect((await getFrom(`${r.url}/health`, "127.0.0.1")).status).toBe(200);
    expect((await flooder.put(envelopes[10]!)).type).toBe(FrameType.ack);
    const limited = await getFrom(`${r.url}/health`, "127.0.0.1");
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body)).toMatchObject({ code: RelayErrorCode.rateLimited });
    const refused = await flooder.put(envelopes[11]!);
    expect(refused).toMatchObject({ type: FrameType.error });
    expect((await flooder.closed).code).toBe(1008);
    expect(flooder.ofType(FrameType.error)[0]).toMatchObject({ code: RelayErrorCode.rateLimited });
    const preflight = await fetch(`${r.url}/t/x`, { method: "OPTIONS" });
    expect(preflight.status).toBe(429);
    // Opening WebSockets again draws on the same bucket.
    expect((await openFrom(r.wsUrl)).status).toBe(429);
    // An honest client elsewhere keeps syncing, over HTTP and WebSocket.
    expect((await getFrom(`${r.url}/health`, "127.0.0.2")).status).toBe(200);
    expect((await openFrom(r.wsUrl, "127.0.0.2")).status).toBe("open");
  });
});

describe("behind a trusted reverse proxy (trustProxy)", () => {
  it("keys the buckets on the client the proxy names, and caps the proxy's connections in total only", async () => {
    const r = await relay({
      trustProxy: true,
      ipRatePerSecond: 0.001,
      ipRateBurst: 2,
      maxConnectionsPerIp: 1,
    });
    const viaProxy = (client: string) =>
      getFrom(`${r.url}/health`, "127.0.0.1", { "X-Forwarded-For": client });
    expect((await viaProxy("198.51.100.1")).status).toBe(200);
    // The first hops are the client's own word: only the last one, the proxy's, counts.
    expect((await viaProxy("203.0.113.9, 198.51.100.1")).status).toBe(200);
    expect((await viaProxy("198.51.100.1")).status).toBe(429);
    expect((await viaProxy("198.51.100.2")).status).toBe(200);
    expect((await openFrom(r.wsUrl)).status).toBe("open");
    expect((await openFrom(r.wsUrl)).status).toBe("open");
  });
});

describe("subscriptions", () => {
  it("are capped per address across its connections, and freed when a connection closes", async () => {
    const r = await relay({ maxSubscriptionsPerIp: 2 });
    const topics = ["a", "b", "c"].map((c) => ({ topic: c.repeat(64), since: 0 }));
    const first = await client(r);
    await first.sub(topics.slice(0, 2));
    const second = await client(r);
    second.send(encodeSub(7, topics.slice(2) as { topic: Topic; since: number }[]));
    expect(await second.waitFor((f) => f.type === FrameType.error)).toMatchObject({
      reqId: 7,
      code: RelayErrorCode.tooManyTopics,
    });
    first.close();
    await first.closed;
    await eventually(async () => {
      const c = await client(r);
      c.send(encodeSub(8, topics.slice(2) as { topic: Topic; since: number }[]));
      const f = await c.waitFor((x) => x.type === FrameType.caughtUp || x.type === FrameType.error);
      return f.type === FrameType.caughtUp;
    });
  });
});

describe("slots held by idle clients", () => {
  it("a WebSocket that subscribes to nothing and sends nothing is closed; a subscribed one stays", async () => {
    const r = await relay({ idleTimeoutMs: 200 });
    const idle = await TestClient.connect(r.wsUrl);
    later(() => idle.close());
    const busy = await client(r);
    await busy.sub([{ topic: pub.topic, since: 0 }]);
    expect(await idle.closed).toMatchObject({ code: 1000, reason: expect.stringMatching(/idle/) });
    // Past the same time the subscribed one is still served.
    const [e] = await makeEnvelopes(author, pub, 1);
    expect((await busy.put(e!)).type).toBe(FrameType.ack);
  });

  it("a client that never finishes its request's headers is cut off", async () => {
    const r = await relay({ headersTimeoutMs: 300 });
    const socket = connect({ port: r.port, host: "127.0.0.1" });
    later(() => socket.destroy());
    socket.on("error", () => {});
    socket.write("GET /health HTTP/1.1\r\nHost: x\r\n");
    await new Promise<void>((resolve) => socket.once("close", () => resolve()));
    expect((await fetch(`${r.url}/health`)).status).toBe(200);
  });
});

describe("envelopes", () => {
  it("under the minimum size (a bare header) are refused", async () => {
    const r = await relay();
    const [real] = await makeEnvelopes(author, pub, 1);
    const bare = real!.slice(0, 113);
    const res = await post(r.url, pub.topic, bare);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/under the 114/);
    const c = await client(r);
    expect(await c.put(bare)).toMatchObject({ type: FrameType.error, code: RelayErrorCode.badEnvelope });
    expect(r.stats().envelopes).toBe(0);
  });
});

describe("quotas", () => {
  it("per topic (count): the full topic answers quota, the connection stays, other topics still take", async () => {
    const r = await relay({ maxTopicEnvelopes: 5 });
    const c = await client(r);
    const flood = await makeEnvelopes(author, pub, 7);
    for (const e of flood.slice(0, 5)) expect((await c.put(e)).type).toBe(FrameType.ack);
    const refused = await c.put(flood[5]!);
    expect(refused).toMatchObject({ type: FrameType.error, code: RelayErrorCode.quota });
    const res = await post(r.url, pub.topic, flood[6]!);
    expect(res.status).toBe(507);
    expect(await res.json()).toMatchObject({ code: RelayErrorCode.quota });
    const [other] = await makeEnvelopes(author, sealed, 1);
    expect(await c.put(other!)).toMatchObject({ type: FrameType.ack });
    // Already stored envelopes are still answered as duplicates.
    expect(await c.put(flood[0]!)).toMatchObject({ type: FrameType.ack, status: 1 });
  });

  it("per topic (bytes)", async () => {
    const envelopes = await makeEnvelopes(author, pub, 4, 1000);
    const r = await relay({ maxTopicBytes: envelopes[0]!.length * 3 });
    const c = await client(r);
    for (const e of envelopes.slice(0, 3)) expect((await c.put(e)).type).toBe(FrameType.ack);
    expect(await c.put(envelopes[3]!)).toMatchObject({ type: FrameType.error, code: RelayErrorCode.quota });
  });

  it("for the whole store: 507 when full, what it holds still served, and the same after a restart", async () => {
    const dataDir = await tempDir();
    const options = { dataDir, maxStoreEnvelopes: 8 };
    const r = await relay(options);
    const c = await client(r);
    const [a, b] = [await makeEnvelopes(author, pub, 6), await makeEnvelopes(author, sealed, 4)];
    for (const e of [...a.slice(0, 4), ...b.slice(0, 4)]) expect((await c.put(e)).type).toBe(FrameType.ack);
    expect(await c.put(a[4]!)).toMatchObject({ type: FrameType.error, code: RelayErrorCode.quota });
    expect((await post(r.url, pub.topic, a[5]!)).status).toBe(507);
    expect((await fetchTopic(r.url, pub.topic)).records).toHaveLength(4);
    await c.close();
    await r.close();

    const again = await relay(options);
    expect(again.stats().envelopes).toBe(8);
    expect((await post(again.url, pub.topic, a[5]!)).status).toBe(507);
    const reader = await client(again);
    await reader.sub([{ topic: sealed.topic, since: 0 }]);
    expect(reader.ofType(FrameType.deliver)).toHaveLength(4);
  });

  it("for the whole store (bytes)", async () => {
    const envelopes = await makeEnvelopes(author, pub, 3, 2000);
    // Room for two records (envelope + 24 bytes of framing each), not three.
    const r = await relay({ maxStoreBytes: 2 * (envelopes[0]!.length + 24) + 10 });
    const c = await client(r);
    for (const e of envelopes.slice(0, 2)) expect((await c.put(e)).type).toBe(FrameType.ack);
    expect(await c.put(envelopes[2]!)).toMatchObject({ type: FrameType.error, code: RelayErrorCode.quota });
  });
});

describe("SUB_ALL", () => {
  it("is refused without the peers' secret, with a wrong one, and on a relay that has none", async () => {
    const r = await relay({ peerSecret: SECRET });
    const [e] = await makeEnvelopes(author, pub, 1);
    await (await client(r)).put(e!);
    for (const headers of [undefined, { Authorization: "Bearer not the secret at all" }]) {
      const c = await TestClient.connect(r.wsUrl, headers);
      later(() => c.close());
      c.send(new Uint8Array([FrameType.subAll, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0]));
      const answer = await c.waitFor((f) => f.type === FrameType.error);
      expect(answer).toMatchObject({ reqId: 9, code: RelayErrorCode.forbidden });
      expect(c.ofType(FrameType.deliverAll)).toHaveLength(0);
    }
    const open = await relay();
    const c = await client(open);
    c.send(new Uint8Array([FrameType.subAll, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(await c.waitFor((f) => f.type === FrameType.error)).toMatchObject({
      code: RelayErrorCode.forbidden,
    });
    const peer = await TestClient.connect(r.wsUrl, { Authorization: `Bearer ${SECRET}` });
    later(() => peer.close());
    expect(await peer.subAll(0)).toMatchObject({ seq: 1 });
    expect(peer.ofType(FrameType.deliverAll)).toHaveLength(1);
  });
});

describe("a peer's envelopes (L7)", () => {
  it("are bounded by this relay's own limit: one above it is skipped, the ones after it replicate", async () => {
    const big = await relay({ maxFrameBytes: 256 * 1024, peerSecret: SECRET });
    const [before] = await makeEnvelopes(author, pub, 1);
    const [huge] = await makeEnvelopes(author, pub, 1, 100 * 1024);
    const [after] = await makeEnvelopes(author, pub, 1);
    const c = await client(big);
    for (const e of [before!, huge!, after!]) expect((await c.put(e)).type).toBe(FrameType.ack);
    const small = await relay({ maxFrameBytes: 64 * 1024, peers: [big.url], peerSecret: SECRET });
    await eventually(() => small.stats().peers[0]!.pulled === 3);
    const held = (await fetchTopic(small.url, pub.topic)).records.map((r) => r.envelope.length);
    expect(held).toEqual([before!.length, after!.length]);
    expect(Math.max(...held)).toBeLessThanOrEqual(64 * 1024);
  });
});
