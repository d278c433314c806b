import { mkdtemp, rm } from "node:fs/promises";
import { get, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelayServer, silentLogger, startRelay } from "../index.js";

let relay: RelayServer;
let dataDir: string;

/** A GET with exactly these headers (Host included: `fetch` would not send a forged one). */
function raw(
  path: string,
  headers: Record<string, string | string[]>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    get(`${relay.url}${path}`, { headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    }).on("error", reject);
  });
}

const relays = async (headers: Record<string, string | string[]>) =>
  JSON.parse((await raw("/app/relays.json", { Host: "relais.example", ...headers })).body).relays;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "cellule-app-routes-"));
  relay = await startRelay({
    dataDir,
    log: silentLogger,
    app: {
      files: { "index.html": "<!doctype html><title>Cellule</title>" },
      connect: ["https://relais.example", "https://autre.example", "ftp://x.example"],
    },
  });
});

afterAll(async () => {
  await relay.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("relays.json behind a reverse proxy", () => {
  it("names this relay with the scheme the proxy says the browser used", async () => {
    expect(await relays({})).toEqual([
      "http://relais.example",
      "https://relais.example",
      "https://autre.example",
    ]);
    // Behind TLS this relay is listed once, as the browser reaches it.
    expect(await relays({ "X-Forwarded-Proto": "https" })).toEqual([
      "https://relais.example",
      "https://autre.example",
    ]);
    for (const forwarded of ["proto=https", 'for=192.0.2.1;proto="https";by=_nginx', "Proto=HTTPS"])
      expect((await relays({ Forwarded: forwarded }))[0], forwarded).toBe("https://relais.example");
  });

  it("takes the first hop's word (the one nearest the browser), Forwarded before X-Forwarded-Proto", async () => {
    expect((await relays({ "X-Forwarded-Proto": "https, http" }))[0]).toBe("https://relais.example");
    expect((await relays({ "X-Forwarded-Proto": ["https", "http"] }))[0]).toBe("https://relais.example");
    expect((await relays({ Forwarded: "proto=http, proto=https" }))[0]).toBe("http://relais.example");
    const both = { Forwarded: "proto=https", "X-Forwarded-Proto": "http" };
    expect((await relays(both))[0]).toBe("https://relais.example");
    // A first hop without proto= says nothing about the scheme: X-Forwarded-Proto is asked.
    const noProto = { Forwarded: "for=192.0.2.1, proto=http", "X-Forwarded-Proto": "https" };
    expect((await relays(noProto))[0]).toBe("https://relais.example");
  });

  it("ignores any scheme but http and https, and a Host that is not a host", async () => {
    for (const proto of ["javascript", "https://evil.example", "ws", "", "https;x"])
      expect((await relays({ "X-Forwarded-Proto": proto }))[0], proto).toBe("http://relais.example");
    expect((await relays({ Forwarded: 'proto="javascript"' }))[0]).toBe("http://relais.example");
    for (const host of ["evil.example/x", 'a"b', "a b", "a@b", "a; script-src *"])
      expect(await relays({ Host: host }), host).toEqual(["https://relais.example", "https://autre.example"]);
    expect(await relays({ Host: "[::1]:8787", "X-Forwarded-Proto": "https" })).toContain(
      "https://[::1]:8787",
    );
  });

  it("is never stored, and says which headers it depends on", async () => {
    const res = await raw("/app/relays.json", { Host: "relais.example", "X-Forwarded-Proto": "https" });
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers.vary).toMatch(/Forwarded/);
    expect(res.headers.vary).toMatch(/X-Forwarded-Proto/);
  });
});

describe("the member space's policy", () => {
  it("is right behind TLS and without, whatever the proxy headers say, so it needs no Vary on them", async () => {
    const csp = async (headers: Record<string, string>) =>
      (await raw("/app/", { Host: "relais.example", ...headers })).headers["content-security-policy"];
    const plain = await csp({});
    expect(plain).toMatch(/connect-src 'self' [^;]*https:\/\/relais\.example [^;]*wss:\/\/relais\.example/);
    expect(plain).toContain("ws://relais.example");
    expect(await csp({ "X-Forwarded-Proto": "https" })).toBe(plain);
    expect(await csp({ Forwarded: "proto=http" })).toBe(plain);
    const page = await raw("/app/", { Host: "relais.example", "X-Forwarded-Proto": "https" });
    expect(page.headers.vary ?? "").not.toMatch(/Forwarded/);
  });

  it("names no source from a Host that is not a host (no directive smuggled in)", async () => {
    const res = await raw("/app/", { Host: "smuggled.example; script-src * 'unsafe-inline'" });
    const policy = res.headers["content-security-policy"] as string;
    expect(policy).not.toContain("smuggled");
    expect(policy).not.toContain("unsafe-inline");
    expect(policy).toMatch(/connect-src 'self' https:\/\/relais\.example/);
  });
});
