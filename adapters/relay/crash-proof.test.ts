/**
 * No request can crash a relay (issue 11, H6): raw requests with odd targets and headers, upgrades to odd
 * paths, malformed WebSocket frames, and a fast-check fuzz of both entry points (bounded, fixed seed).
 * The relay runs in this test's own process, as an embedded relay does: a throw in one of its listeners
 * would end the test run. Sockets it refuses are closed on its side, not left open (fd count).
 */
import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { FrameType } from "../../core/protocol/relay.js";
import { until } from "../../test/support/devices.js";
import { makeEnvelopes, testIdentity, testPublicScope } from "../../test/support/relay-client.js";
import { type RelayServer, silentLogger, startRelay } from "./index.js";

let relay: RelayServer;
let dataDir: string;
let envelope: Uint8Array;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "cellule-relay-crash-"));
  relay = await startRelay({ dataDir, log: silentLogger, maxFrameBytes: 64 * 1024 });
  envelope = (await makeEnvelopes(await testIdentity(), await testPublicScope(), 1))[0]!;
});

afterAll(async () => {
  await relay.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Sends `bytes` on a fresh TCP connection, ends it, and resolves with what came back once it closed. */
function raw(bytes: string | Uint8Array, options: { keepOpen?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port: relay.port, host: "127.0.0.1", allowHalfOpen: options.keepOpen });
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", () => {});
    socket.on(options.keepOpen ? "end" : "close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("timeout", () => reject(new Error("the relay neither answered nor closed")));
    socket.setTimeout(10_000);
    socket.write(bytes, () => {
      if (!options.keepOpen) socket.end();
    });
    if (options.keepOpen) held.push(socket);
  });
}
const held: Socket[] = [];

async function healthy(): Promise<void> {
  const res = await fetch(`${relay.url}/health`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
}

const upgrade = (target: string): string =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

const openFds = (): number => readdirSync("/proc/self/fd").length;

describe("a relay under malformed requests", () => {
  it("survives an upgrade to // (and other targets a URL parser refuses) and answers 404", async () => {
    for (const target of ["//", "///", "/\\", "//\\\\x", "/%", "*", "http://[", "//ws"]) {
      const answer = await raw(upgrade(target));
      expect(answer, target).toMatch(/^HTTP\/1\.1 (400|404)/);
    }
    await healthy();
  });

  it("answers plain requests to such targets with a 4xx, not a 500", async () => {
    for (const target of ["//", "///health", "/\\", "//evil.example/health", "/%zz"]) {
      const answer = await raw(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(answer, target).toMatch(/^HTTP\/1\.1 4\d\d/);
    }
    // A network-path target is a path on this relay, not another host's /health.
    const answer = await raw("GET //evil.example/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 404/);
    await healthy();
  });

  it("survives malformed headers and bodies", async () => {
    const requests = [
      "GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
      "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
      "POST /t/00 HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
      "POST /t/00 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 99\r\n\r\n",
      "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: !\r\n\r\n",
      "\x00\x01\x02\x03\r\n\r\n",
      "GET / HTTP/9.9\r\n\r\n",
    ];
    for (const r of requests) await raw(r);
    await healthy();
  });

  it("closes its side of refused upgrades: open descriptors come back to their count", async () => {
    // The clients keep their side open: a refused socket the relay only half-closed would stay open there.
    const before = openFds();
    const count = 100;
    await Promise.all(Array.from({ length: count }, () => raw(upgrade("/nothing-here"), { keepOpen: true })));
    // Each client socket holds one descriptor in this process; the relay must hold none for them.
    await until(() => openFds() <= before + count, "the relay to close the refused sockets", 5000);
    for (const s of held.splice(0)) s.destroy();
    await until(() => openFds() <= before, "descriptors back to their count", 5000);
    await healthy();
  });

  it("closes a WebSocket on a malformed frame and stays up", async () => {
    const frames = [
      new Uint8Array([]),
      new Uint8Array([FrameType.put]),
      new Uint8Array([FrameType.sub, 0, 0, 0, 1, 0xff, 0xff]),
      new Uint8Array([FrameType.subAll, 1, 2]),
      new Uint8Array([FrameType.unsub, 0, 9]),
      new Uint8Array([0xff, 1, 2, 3]),
    ];
    for (const frame of frames) await sendAndClose([frame]);
    await sendAndClose(["text is not the protocol"]);
    await healthy();
  });
});

/** Connects, sends the messages, and resolves once the relay closed the connection or the test did. */
async function sendAndClose(messages: (Uint8Array | string)[]): Promise<void> {
  const ws = new WebSocket(relay.wsUrl);
  ws.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
  for (const m of messages) ws.send(m, { binary: typeof m !== "string" });
  // A put of a valid envelope after the junk: either the relay closed already or it answers it.
  ws.send(putFrame(envelope));
  const answered = new Promise<void>((resolve) => ws.on("message", () => resolve()));
  await Promise.race([closed, answered]);
  ws.terminate();
  await closed;
}

function putFrame(env: Uint8Array, reqId = 7): Uint8Array {
  const frame = new Uint8Array(5 + env.length);
  frame[0] = FrameType.put;
  new DataView(frame.buffer).setUint32(1, reqId);
  frame.set(env, 5);
  return frame;
}

describe("fuzzing the relay's entry points (fast-check, bounded, fixed seed)", () => {
  const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}$/);
  const target = fc.oneof(
    fc.constantFrom("/", "//", "/ws", "/health", "/t/", "/c/", "/app/", "/widgets/cellule.js", "*"),
    fc.string({ unit: "binary", maxLength: 40 }).map((s) => s.replace(/[\r\n ]/g, "/")),
    fc
      .array(fc.constantFrom("/", "\\", "%", "..", "ws", "t", "?", "#", "@", ":", "[", "%00", "a"), {
        maxLength: 12,
      })
      .map((parts) => parts.join("")),
  );
  const header = fc.oneof(
    fc.constantFrom(
      "Upgrade: websocket",
      "Connection: Upgrade",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version: 13",
      "Content-Length: 5",
      "Transfer-Encoding: chunked",
      "Host: [::1]:99999",
      "Forwarded: proto=https",
      "X-Forwarded-Proto: https",
      "Accept-Encoding: br;q=0, gzip",
      "If-None-Match: *",
    ),
    fc.tuple(token, fc.string({ maxLength: 30 })).map(([n, v]) => `${n}: ${v.replace(/[\r\n]/g, "")}`),
    fc.string({ unit: "binary", maxLength: 30 }),
  );
  const request = fc
    .record({
      method: fc.oneof(fc.constantFrom("GET", "POST", "PUT", "HEAD", "OPTIONS", "DELETE"), token),
      target,
      version: fc.constantFrom("HTTP/1.1", "HTTP/1.0", "HTTP/2", ""),
      headers: fc.array(header, { maxLength: 8 }),
      body: fc.uint8Array({ maxLength: 64 }),
    })
    .map(({ method, target, version, headers, body }) =>
      Buffer.concat([
        Buffer.from(`${method} ${target} ${version}\r\n${headers.join("\r\n")}\r\n\r\n`, "latin1"),
        body,
      ]),
    );

  it("raw HTTP requests and upgrades never take it down", async () => {
    await fc.assert(
      fc.asyncProperty(request, async (bytes) => {
        await raw(bytes);
      }),
      { numRuns: 300, seed: 1107, endOnFailure: true },
    );
    await healthy();
  }, 120_000);

  const frameType = fc.constantFrom(0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x07, 0x09, 0x0a, 0xff);
  const frame = fc.oneof(
    fc.uint8Array({ maxLength: 80 }),
    fc.tuple(frameType, fc.uint8Array({ maxLength: 200 })).map(([t, rest]) => new Uint8Array([t, ...rest])),
    // A PUT whose envelope is a valid one with bytes flipped or cut.
    fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([cut, at, bit]) => {
      const env = envelope.slice(0, envelope.length - (cut % envelope.length));
      if (env.length > 0) env[at % env.length]! ^= bit;
      return putFrame(env, cut);
    }),
  );

  it("malformed WebSocket frames never take it down", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 5 }), async (frames) => {
        await sendAndClose(frames);
      }),
      { numRuns: 150, seed: 1107, endOnFailure: true },
    );
    await healthy();
  }, 120_000);
});
