import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FrameType, RelayErrorCode } from "../../core/protocol/relay.js";
import { makeEnvelopes, parseRecords, TestClient } from "../../test/support/relay-client.js";
import { relayTestBed } from "../../test/support/relay-test-bed.js";
import { type RelayServer, silentLogger, startRelay } from "./index.js";

const { author, pub, sealed } = await relayTestBed();
let relay: RelayServer;
let dataDir: string;

const post = (topic: string, body: Uint8Array): Promise<Response> =>
  fetch(`${relay.url}/t/${topic}`, {
    method: "POST",
    body: Buffer.from(body),
    headers: { "Content-Type": "application/octet-stream" },
  });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "cellule-relay-"));
  relay = await startRelay({ dataDir, log: silentLogger, maxFrameBytes: 64 * 1024 });
});

afterAll(async () => {
  await relay.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("relay HTTP", () => {
  it("reports its health", async () => {
    const res = await fetch(`${relay.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const body = await res.json();
    const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));
    expect(body).toMatchObject({ ok: true, storeId: relay.storeId, version: pkg.version });
    for (const k of ["topics", "envelopes", "connections", "uptimeS"]) expect(typeof body[k]).toBe("number");
  });

  it("stores a posted envelope, answers a duplicate, and serves it to WebSocket subscribers", async () => {
    const ws = await TestClient.connect(relay.wsUrl);
    await ws.sub([{ topic: sealed.topic, since: 0 }]);
    const [e] = await makeEnvelopes(author, sealed, 1);
    const res = await post(sealed.topic, e!);
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const body = await res.json();
    expect(body).toEqual({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), seq: 1, duplicate: false });
    const again = await post(sealed.topic, e!);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ...body, duplicate: true });
    await ws.waitFor((f) => f.type === FrameType.deliver && f.seq === 1);
    ws.close();
  });

  it("serves a topic as length-prefixed records after `since`", async () => {
    const envelopes = await makeEnvelopes(author, pub, 4);
    for (const e of envelopes) expect((await post(pub.topic, e)).status).toBe(201);
    const res = await fetch(`${relay.url}/t/${pub.topic}?since=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("x-cellule-store")).toBe(relay.storeId);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-expose-headers")).toContain("X-Cellule-Store");
    const records = parseRecords(Buffer.from(await res.arrayBuffer()));
    expect(records.map((r) => r.seq)).toEqual([2, 3, 4]);
    expect(records.map((r) => r.envelope.toString("hex"))).toEqual(
      envelopes.slice(1).map((e) => Buffer.from(e).toString("hex")),
    );
    const all = await fetch(`${relay.url}/t/${pub.topic.toUpperCase()}`);
    expect(parseRecords(Buffer.from(await all.arrayBuffer()))).toHaveLength(4);
    const empty = await fetch(`${relay.url}/t/${"ab".repeat(32)}`);
    expect(empty.status).toBe(200);
    expect((await empty.arrayBuffer()).byteLength).toBe(0);
  });

  it("answers CORS preflights", async () => {
    const res = await fetch(`${relay.url}/t/${pub.topic}`, {
      method: "OPTIONS",
      headers: {
        Origin: "https://blog.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")).toContain("content-type");
  });

  it("refuses bad posts with a JSON error", async () => {
    const [e] = await makeEnvelopes(author, pub, 1);
    const mismatch = await post(sealed.topic, e!);
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({ ok: false, code: RelayErrorCode.badEnvelope });
    const garbage = await post(pub.topic, new Uint8Array([1, 2, 3]));
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ code: RelayErrorCode.badEnvelope });
    const badTopic = await post("xyz", e!);
    expect(badTopic.status).toBe(400);
    expect(await badTopic.json()).toMatchObject({ code: RelayErrorCode.malformed });
    const badSince = await fetch(`${relay.url}/t/${pub.topic}?since=-1`);
    expect(badSince.status).toBe(400);
  });

  it("refuses a body over the frame limit with 413", async () => {
    const big = new Uint8Array(200 * 1024);
    big.set([1, 1]);
    const res = await post(pub.topic, big);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: RelayErrorCode.tooLarge });
    expect((await fetch(`${relay.url}/health`)).status).toBe(200);
  });

  it("answers unknown paths with a JSON 404 and wrong methods with 405", async () => {
    const res = await fetch(`${relay.url}/nothing/here`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toMatchObject({ ok: false });
    const wrong = await fetch(`${relay.url}/health`, { method: "POST", body: "x" });
    expect(wrong.status).toBe(405);
  });
});
