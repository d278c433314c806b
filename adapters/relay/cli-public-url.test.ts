/**
 * `cellule relay --public-url` behind a reverse proxy (issue 12, item 7): the member space's `relays.json`
 * names the relay by the address the operator gave, scheme and port included, to a browser that came by
 * that host name, even when the proxy forwards neither (nginx's `$host` drops the port); a bad address is
 * refused before the relay starts.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { get } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { relayTestBed } from "../../test/support/relay-test-bed.js";
import { runCli } from "./cli.js";

const { tempDir, later } = await relayTestBed();

function sink() {
  const out = { stdout: "", stderr: "" };
  return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
}

async function start(args: string[]) {
  const data = await tempDir();
  const app = join(data, "app");
  await mkdir(app);
  await writeFile(join(app, "index.html"), "<!doctype html><title>Cellule</title>");
  const { out, io } = sink();
  const r = await runCli(
    ["relay", "--port", "0", "--data", join(data, "store"), "--app", app, "--log-level", "error", ...args],
    { io, handleSignals: false },
  );
  if (r.relay) later(() => r.relay!.close());
  return { ...r, out };
}

/** `relays.json` as a browser behind a proxy sending these headers gets it. */
function relaysJson(url: string, headers: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    get(`${url}/app/relays.json`, { headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve(JSON.parse(body)));
    }).on("error", reject);
  });
}

describe("cellule relay --public-url", () => {
  it("is what relays.json names to a browser that came by that name, whatever the proxy forwards", async () => {
    const { relay } = await start(["--trust-proxy", "--public-url", "https://relais.example:8443"]);
    expect(relay).toBeDefined();
    const proxied = { Host: "relais.example", "X-Forwarded-For": "192.0.2.7" };
    expect(await relaysJson(relay!.url, proxied)).toEqual({ relays: ["https://relais.example:8443"] });
    expect(await relaysJson(relay!.url, { ...proxied, "X-Forwarded-Proto": "https" })).toEqual({
      relays: ["https://relais.example:8443"],
    });
    // Reached directly on its own port, it is named as it was reached.
    const direct = new URL(relay!.url).host;
    expect(await relaysJson(relay!.url, { Host: direct })).toEqual({ relays: [relay!.url] });
  });

  it("without it, relays.json says only what the proxy forwards (the port nginx's $host drops is lost)", async () => {
    const { relay } = await start(["--trust-proxy"]);
    expect(await relaysJson(relay!.url, { Host: "relais.example", "X-Forwarded-Proto": "https" })).toEqual({
      relays: ["https://relais.example"],
    });
  });

  it("refuses an address that is not an http(s) URL, and is listed in --help", async () => {
    for (const url of ["wss://relais.example", "relais.example", "https://"]) {
      const r = await start(["--public-url", url]);
      expect(r.exitCode, url).toBe(2);
      expect(r.relay).toBeUndefined();
    }
    const { out, io } = sink();
    await runCli(["--help"], { io, handleSignals: false });
    expect(out.stdout).toMatch(/--public-url <url> +this relay's public address/);
  });
});
