/**
 * Every answer of the relay carries its Content-Security-Policy (with `frame-ancestors`) and
 * `X-Content-Type-Options` as HTTP headers (issue 11, point 16): the cell's page, the member space, the
 * widget kit, JSON, errors, redirects and whatever an embedder adds. A `<meta>` cannot set
 * `frame-ancestors`: before, anyone could frame a cell's page.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildEdition, signEdition } from "../../core/internals.js";
import { NOW, publishingCell, sampleContent } from "../../core/site/test-support.js";
import { until } from "../../test/support/devices.js";
import { sendCacheable } from "./http/cacheable.js";
import { type RelayServer, silentLogger, startRelay } from "./index.js";

let relay: RelayServer;
let dataDir: string;
let cellId: string;
const LARGE_TEXT = Buffer.from(
  Array.from({ length: 4000 }, (_, i) => `<p>ligne ${i} d'un texte uploadé, ${i * 7919}</p>`).join("\n"),
);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "cellule-relay-headers-"));
  relay = await startRelay({
    dataDir,
    log: silentLogger,
    widgets: { esm: "export {};", iife: "void 0;" },
    app: { files: { "index.html": "<!doctype html><title>Cellule</title>" } },
    routes: [
      {
        method: "GET",
        path: /^\/embedder$/,
        handle: ({ res }) => void res.writeHead(200, { "Content-Type": "text/html" }).end("<p>x</p>"),
      },
      {
        method: "GET",
        path: /^\/uploaded$/,
        handle: (ctx) => sendCacheable(ctx, { body: LARGE_TEXT, type: "text/html", etag: '"u"', maxAge: 0 }),
      },
    ],
  });
  const cell = await publishingCell();
  cellId = cell.genesis.hash;
  const edition = await signEdition(
    buildEdition(cell.genesis, cell.keys.chain, sampleContent(), NOW),
    cell.keys.signing.privateKey,
  );
  const put = await fetch(`${relay.url}/c/${cellId}/edition`, { method: "PUT", body: Buffer.from(edition) });
  expect(put.status).toBe(201);
});

afterAll(async () => {
  await relay.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("the relay's security headers", () => {
  it("are on every page and answer, as HTTP headers", async () => {
    const topic = "ab".repeat(32);
    const requests: [string, RequestInit?][] = [
      [`/c/${cellId}`],
      [`/c/${cellId}?lang=en`],
      [`/c/${cellId}/feed.atom`],
      [`/c/${cellId}/edition.json`],
      [`/c/${"0".repeat(64)}`],
      ["/c/not-a-cell"],
      ["/app/"],
      ["/app"],
      ["/app/relays.json"],
      ["/widgets/cellule.js"],
      ["/health"],
      [`/t/${topic}`],
      [`/t/${topic}`, { method: "POST", body: "x" }],
      ["/t/x", { method: "OPTIONS" }],
      ["/nothing-here"],
      ["/health", { method: "DELETE" }],
      ["/embedder"],
    ];
    for (const [path, init] of requests) {
      const res = await fetch(`${relay.url}${path}`, { redirect: "manual", ...init });
      await res.arrayBuffer();
      const what = `${init?.method ?? "GET"} ${path} (${res.status})`;
      expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
      expect(res.headers.get("content-security-policy"), what).toMatch(/frame-ancestors 'none'/);
    }
  });

  it("forbid framing the cell's page and loading anything into it", async () => {
    const res = await fetch(`${relay.url}/c/${cellId}`);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const policy = res.headers.get("content-security-policy")!;
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
  });
});

describe("compression of uploaded bodies (H5)", () => {
  it("uses Brotli at quality 5 at most for what is not the operator's own files", async () => {
    const fast = brotliCompressSync(LARGE_TEXT, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
    const best = brotliCompressSync(LARGE_TEXT, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
    expect(fast.equals(best)).toBe(false);
    let body = Buffer.alloc(0);
    await until(async () => {
      const res = await fetch(`${relay.url}/uploaded`, { headers: { "Accept-Encoding": "br" } });
      // fetch decodes the body; Content-Length is the length of what was sent.
      body = Buffer.from(await res.arrayBuffer());
      return Number(res.headers.get("content-length")) < LARGE_TEXT.length;
    }, "the compressed copy");
    expect(body.equals(LARGE_TEXT)).toBe(true);
    const res = await fetch(`${relay.url}/uploaded`, { headers: { "Accept-Encoding": "br" } });
    expect(Number(res.headers.get("content-length"))).toBe(fast.length);
  });
});
