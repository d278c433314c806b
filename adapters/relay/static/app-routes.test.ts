import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { get, type IncomingHttpHeaders, IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelayServer, silentLogger, startRelay } from "../index.js";
import { loadAppFiles, publicUrlFor, requestScheme } from "./app-routes.js";

let relay: RelayServer;
let untrusting: RelayServer;
let dataDir: string;
let dataDir2: string;
let listed: RelayServer;
let dataDir3: string;

/** A GET with exactly these headers (Host included: `fetch` would not send a forged one). */
function raw(
  path: string,
  headers: Record<string, string | string[]>,
  r = relay,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    get(`${r.url}${path}`, { headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    }).on("error", reject);
  });
}

const relays = async (headers: Record<string, string | string[]>, r = relay) =>
  JSON.parse((await raw("/app/relays.json", { Host: "relais.example", ...headers }, r)).body).relays;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "cellule-app-routes-"));
  const app = {
    files: { "index.html": "<!doctype html><title>Cellule</title>", "sw.js": "self.x = 1;" },
    connect: ["https://relais.example", "https://autre.example", "ftp://x.example"],
  };
  relay = await startRelay({ dataDir, log: silentLogger, trustProxy: true, app });
  dataDir2 = await mkdtemp(join(tmpdir(), "cellule-app-routes-"));
  untrusting = await startRelay({ dataDir: dataDir2, log: silentLogger, app });
  dataDir3 = await mkdtemp(join(tmpdir(), "cellule-app-routes-"));
  // Known as https://relais.example:8443 (--public-url), behind a proxy it does not trust.
  listed = await startRelay({
    dataDir: dataDir3,
    log: silentLogger,
    app: { files: app.files },
    editions: { listedAs: ["https://relais.example:8443/", "http://relais.onion"] },
  });
});

afterAll(async () => {
  await relay.close();
  await untrusting.close();
  await rm(dataDir, { recursive: true, force: true });
  await listed.close();
  await rm(dataDir2, { recursive: true, force: true });
  await rm(dataDir3, { recursive: true, force: true });
});

describe("relays.json behind a reverse proxy", () => {
  it("believes the proxy headers only when the operator trusts the proxy (--trust-proxy)", async () => {
    for (const headers of [{ "X-Forwarded-Proto": "https" }, { Forwarded: "proto=https" }] as Record<
      string,
      string
    >[])
      expect((await relays(headers, untrusting))[0]).toBe("http://relais.example");
    expect((await relays({ "X-Forwarded-Proto": "https" }, relay))[0]).toBe("https://relais.example");
  });

  it("says https when the request itself came over TLS, whatever the headers", () => {
    const req = new IncomingMessage(new TLSSocket(new Socket()));
    req.headers = { "x-forwarded-proto": "http" };
    expect(requestScheme(req)).toBe("https");
    expect(requestScheme(req, true)).toBe("https");
    const plain = new IncomingMessage(new Socket());
    plain.headers = { "x-forwarded-proto": "https" };
    expect(requestScheme(plain)).toBe("http");
    expect(requestScheme(plain, true)).toBe("https");
  });

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

describe("relays.json of a relay that knows its public addresses (--public-url)", () => {
  it("names the address the browser reached as the operator wrote it, even when the proxy drops the port and the scheme", async () => {
    // nginx's `$host` drops the port; without X-Forwarded-Proto (or without --trust-proxy) the scheme is unknown.
    for (const host of ["relais.example", "relais.example:8443", "RELAIS.example"])
      expect(await relays({ Host: host }, listed), host).toEqual(["https://relais.example:8443"]);
    // What the proxy says does not override the operator's own words.
    expect(await relays({ Host: "relais.example", "X-Forwarded-Proto": "http" }, listed)).toEqual([
      "https://relais.example:8443",
    ]);
    expect(await relays({ Host: "relais.onion" }, listed)).toEqual(["http://relais.onion"]);
  });

  it("reflects the request as before when it reached the relay by another name or port", async () => {
    // The relay reached directly on its own port, or by a name it was not given.
    expect(await relays({ Host: "relais.example:7420" }, listed)).toEqual(["http://relais.example:7420"]);
    expect(await relays({ Host: "autre.example" }, listed)).toEqual(["http://autre.example"]);
    expect(await relays({ Host: "a; script-src *" }, listed)).toEqual([]);
  });

  it("matches a port against the scheme's default when the address names none", () => {
    expect(publicUrlFor("relais.example:443", ["https://relais.example"])).toBe("https://relais.example");
    expect(publicUrlFor("relais.example:80", ["https://relais.example"])).toBeUndefined();
    expect(publicUrlFor("relais.example:80", ["http://relais.example/"])).toBe("http://relais.example");
    expect(publicUrlFor("[::1]:8443", ["https://[::1]:8443"])).toBe("https://[::1]:8443");
    expect(publicUrlFor("[::1]", ["https://[::1]:8443"])).toBe("https://[::1]:8443");
    // Addresses that are not http(s) URLs are never named.
    expect(publicUrlFor("relais.example", ["ftp://relais.example", "relais.example"])).toBeUndefined();
  });
});

describe("the member space's policy", () => {
  it("names this relay as 'self', from no header a client sends (Host is not reflected)", async () => {
    const csp = async (headers: Record<string, string>) =>
      (await raw("/app/", { Host: "relais.example", ...headers })).headers["content-security-policy"];
    const plain = await csp({});
    expect(plain).toMatch(/connect-src 'self' https:\/\/relais\.example https:\/\/autre\.example/);
    expect(plain).toContain("frame-ancestors 'none'");
    expect(await csp({ Host: "other.example" })).toBe(plain);
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

  it("is the policy of every file of the member space, the service worker's too", async () => {
    const page = (await raw("/app/", { Host: "relais.example" })).headers["content-security-policy"];
    const sw = await raw("/app/sw.js", { Host: "relais.example" });
    expect(sw.headers["content-security-policy"]).toBe(page);
    expect(sw.headers["x-content-type-options"]).toBe("nosniff");
  });
});

describe("a signed member space served by a relay", () => {
  it("serves the build's release.json (what the service worker checks an update against), no other JSON file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cellule-app-"));
    try {
      await writeFile(join(dir, "index.html"), "<!doctype html><title>app</title>");
      await writeFile(join(dir, "release.json"), '{"files":{}}');
      await writeFile(join(dir, "notes.json"), "{}");
      const files = (await loadAppFiles(dir))!;
      expect(Object.keys(files).sort()).toEqual(["index.html", "release.json"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
