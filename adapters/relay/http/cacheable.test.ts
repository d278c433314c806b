import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accepts, type Cacheable, sendCacheable } from "./cacheable.js";

// A script-like body that compresses well, and files too small or of a type not worth compressing.
const script = Buffer.from(Array.from({ length: 400 }, (_, i) => `const v${i} = "cellule ${i}";\n`).join(""));
const FILES: Record<string, Cacheable> = {
  "/script.js": { body: script, type: "text/javascript; charset=utf-8", etag: '"s1"', maxAge: 60 },
  "/small.js": { body: Buffer.from("export {};"), type: "text/javascript", etag: '"t1"', maxAge: 60 },
  "/image.png": { body: script, type: "image/png", etag: '"p1"', maxAge: 60 },
};

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => sendCacheable({ req, res }, FILES[req.url!]!));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw GET (fetch would decompress on its own): status, headers and the bytes as sent. */
function get(path: string, headers: Record<string, string> = {}, method = "GET") {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  }>((resolve, reject) => {
    request({ host: "127.0.0.1", port, path, headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on("error", reject)
      .end();
  });
}

/**
 * GETs until the answer comes in `coding` (copies are made in the background on the first request, gzip
 * usually before Brotli; meanwhile what is ready is sent).
 */
async function getEncoded(path: string, accept: string, coding: string) {
  for (let i = 0; i < 200; i++) {
    const res = await get(path, { "Accept-Encoding": accept });
    const sent = res.headers["content-encoding"];
    if (sent === coding) return res;
    if (sent !== undefined && sent !== "gzip") throw new Error(`${sent} sent for ${accept}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${path} never came in ${coding} for ${accept}`);
}

describe("cacheable answers", () => {
  it("send Brotli, else gzip, to clients that accept them, with their own ETag and Vary", async () => {
    const first = await get("/script.js", { "Accept-Encoding": "gzip, deflate, br" });
    expect(first.status).toBe(200);
    expect(first.headers.vary).toBe("Accept-Encoding");

    const br = await getEncoded("/script.js", "gzip, deflate, br", "br");
    expect(brotliDecompressSync(br.body).equals(script)).toBe(true);
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(script.length / 5);
    expect(br.headers.etag).toBe('"s1-br"');

    const gz = await getEncoded("/script.js", "gzip", "gzip");
    expect(gunzipSync(gz.body).equals(script)).toBe(true);
    expect(gz.headers.etag).toBe('"s1-gzip"');

    // `q=0` refuses a coding: gzip, though Brotli is ready.
    const refused = await get("/script.js", { "Accept-Encoding": "br;q=0, gzip;q=0.5" });
    expect(refused.headers["content-encoding"]).toBe("gzip");

    const plain = await get("/script.js");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.equals(script)).toBe(true);
    expect(plain.headers.etag).toBe('"s1"');
  });

  it("answer 304 to a client holding any coding of this version, and nothing to HEAD", async () => {
    for (const held of ['"s1"', '"s1-br"', 'W/"s1-gzip"', '"other", "s1-br"']) {
      const res = await get("/script.js", { "Accept-Encoding": "br", "If-None-Match": held });
      expect(res.status, held).toBe(304);
      expect(res.body.length).toBe(0);
    }
    expect((await get("/script.js", { "If-None-Match": '"s0"' })).status).toBe(200);
    const head = await get("/script.js", { "Accept-Encoding": "br" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it("leave small bodies and types not worth compressing as they are", async () => {
    for (const path of ["/small.js", "/image.png"]) {
      await get(path, { "Accept-Encoding": "br, gzip" });
      await new Promise((r) => setTimeout(r, 200));
      const res = await get(path, { "Accept-Encoding": "br, gzip" });
      expect(res.headers["content-encoding"], path).toBeUndefined();
    }
    expect((await get("/image.png")).headers.vary).toBeUndefined();
  });

  it("reads Accept-Encoding as HTTP says: tokens, any case and spacing, q=0 for no", () => {
    expect(accepts("gzip, deflate, br", "br")).toBe(true);
    expect(accepts(" BR ;q=1", "br")).toBe(true);
    expect(accepts("br;q=0", "br")).toBe(false);
    expect(accepts("br; q=0.000", "br")).toBe(false);
    expect(accepts("br;q=0.1", "br")).toBe(true);
    expect(accepts("brotli", "br")).toBe(false);
    expect(accepts(undefined, "gzip")).toBe(false);
    expect(accepts("*", "gzip")).toBe(false);
  });
});
