/**
 * A relay behind Debian's real nginx with TLS, as the README tells node operators to run it (issue 12, the
 * demo and the README; item 7: https and wss in `relays.json`). The relay is started with the command line of
 * the README's systemd unit, nginx with the README's configuration, both read out of README.md (the host name,
 * the ports and the certificate's paths changed, nothing else: a README edit that no longer fits fails here),
 * a self-signed certificate made by openssl. Then, through nginx only: `relays.json` names the relay's public
 * https address, the relay's security headers arrive, http redirects to https, and in Chromium a person opens
 * the member space, founds a cell, and its device syncs over wss (the relay holds its envelopes, nginx logged
 * the WebSocket upgrade), its edition served at https://…/c/<id>/edition.json.
 *
 * Skipped, saying what to install, only when nginx is missing (CI installs it: .ci/run).
 */
import { readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, findChromium } from "../../.ci/chromium.mjs";
import { runCli } from "../../adapters/relay/cli.js";
import type { RelayServer } from "../../adapters/relay/index.js";
import { verifyEdition } from "../../core/index.js";
import { buildApp } from "../../rollup.config.mjs";
import {
  type Certificate,
  findNginx,
  freePort,
  httpsGet,
  type Nginx,
  selfSignedCertificate,
  startNginx,
} from "../support/nginx.js";

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const PLACEHOLDER_HOST = "relay.example.org";
const nginxFound = findNginx();
if (!nginxFound.path) console.warn(`relay-behind-nginx skipped: ${nginxFound.missing}`);

/** The README's section for node operators. */
function operatorsSection(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## For node operators");
  const end = readme.indexOf("\n## ", start + 1);
  if (start < 0) throw new Error("README.md has no section 'For node operators'");
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The one fenced block in `lang` of the operators' section. */
function fenced(section: string, lang: string): string {
  const blocks = [...section.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g"))];
  if (blocks.length !== 1)
    throw new Error(`the operators' section has ${blocks.length} \`\`\`${lang} blocks`);
  return blocks[0]![1]!;
}

/** `text` with each `[from, to]` replaced everywhere; a `from` the README no longer has is an error. */
function substitute(text: string, pairs: [string | RegExp, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    const found = typeof from === "string" ? out.includes(from) : new RegExp(from.source, "m").test(out);
    if (!found) throw new Error(`the README's configuration no longer has ${String(from)}`);
    out = typeof from === "string" ? out.replaceAll(from, to) : out.replace(from, to);
  }
  return out;
}

/** The relay's arguments from the unit's `ExecStart`, for this machine. */
function relayArgs(unit: string, subs: { data: string; publicUrl: string; app: string }): string[] {
  const line = /^ExecStart=(.+)$/m.exec(unit)?.[1];
  if (!line) throw new Error("the README's unit has no ExecStart");
  const [node, script, command, ...args] = line.trim().split(/\s+/);
  expect([node, script, command]).toEqual(["/usr/bin/node", "/opt/cellule/dist/bin/cellule.js", "relay"]);
  const value = (name: string, replacement: string) => {
    const i = args.indexOf(name);
    if (i < 0 || i + 1 >= args.length) throw new Error(`the README's unit has no ${name} <value>`);
    args[i + 1] = replacement;
  };
  value("--port", "0");
  value("--data", subs.data);
  const i = args.indexOf("--public-url");
  expect(args[i + 1]).toBe(`https://${PLACEHOLDER_HOST}`);
  value("--public-url", subs.publicUrl);
  // The sources' relay has no dist/ next to it: the member space built for the test.
  return [...args, "--app", subs.app, "--log-level", "warn"];
}

/** The README's nginx site for this machine: loopback ports, the test's certificate, the relay's port. */
function siteConfig(site: string, ports: { https: number; http: number; relay: number }, tls: Certificate) {
  return substitute(site, [
    [`/etc/letsencrypt/live/${PLACEHOLDER_HOST}/fullchain.pem`, tls.certFile],
    [`/etc/letsencrypt/live/${PLACEHOLDER_HOST}/privkey.pem`, tls.keyFile],
    [`server_name ${PLACEHOLDER_HOST};`, "server_name 127.0.0.1;"],
    // No IPv6 needed (nor always there) on a test machine.
    [/^\s*listen \[::\]:443 .*\n/gm, ""],
    [/^\s*listen \[::\]:80;\n/gm, ""],
    [/^(\s*)listen 443 /m, `$1listen 127.0.0.1:${ports.https} `],
    [/^(\s*)listen 80;/m, `$1listen 127.0.0.1:${ports.http};`],
    ["http://127.0.0.1:7420", `http://127.0.0.1:${ports.relay}`],
  ]);
}

/** A plain-http GET (the redirect of the port 80 server). */
function httpGet(url: string): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, location: res.headers.location }));
    })
      .on("error", reject)
      .end();
  });
}

describe.skipIf(!nginxFound.path)(
  nginxFound.path
    ? "a relay behind Debian's nginx with TLS, configured as the README says"
    : `a relay behind nginx (skipped: ${nginxFound.missing})`,
  () => {
    let dir: string;
    let tls: Certificate;
    let relay: RelayServer;
    let nginx: Nginx;
    let browser: Browser;
    let origin: string;
    let httpPort: number;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "cellule-nginx-"));
      // nginx's workers reach their temporary files under it (the key stays the master's: 0600).
      await chmod(dir, 0o755);
      tls = await selfSignedCertificate(dir);
      const [https, http] = [await freePort(), await freePort()];
      httpPort = http;
      origin = `https://127.0.0.1:${https}`;
      const app = join(dir, "app");
      await mkdir(app);
      for (const [name, content] of Object.entries(await buildApp()))
        await writeFile(join(app, name), content as string | Uint8Array);

      const section = operatorsSection();
      const args = relayArgs(fenced(section, "ini"), { data: join(dir, "relay"), publicUrl: origin, app });
      const started = await runCli(["relay", ...args], {
        handleSignals: false,
        io: { stdout: () => {}, stderr: (t) => process.stderr.write(t) },
      });
      if (!started.relay) throw new Error(`the README's relay command line failed (${started.exitCode})`);
      relay = started.relay;
      const site = siteConfig(fenced(section, "nginx"), { https, http, relay: relay.port }, tls);
      nginx = await startNginx({
        nginx: nginxFound.path!,
        dir: join(dir, "nginx"),
        http: site,
        ports: [https, http],
      });

      const chromiumPath = findChromium();
      if (!chromiumPath.path) throw new Error(chromiumPath.error);
      // Chromium trusts this certificate as a CA-issued one (the service worker and wss included).
      browser = await chromium.launch({
        executablePath: chromiumPath.path,
        headless: true,
        args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${tls.spki}`],
      });
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await nginx?.stop();
      await relay?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it("gives the member space the relay's public https address, with the relay's security headers", async () => {
      const relays = await httpsGet(`${origin}/app/relays.json`, tls.pem);
      expect(relays.status).toBe(200);
      expect(JSON.parse(relays.body)).toEqual({ relays: [origin] });

      const page = await httpsGet(`${origin}/app/`, tls.pem);
      const direct = await fetch(`${relay.url}/app/`);
      expect(page.status).toBe(200);
      expect(page.headers["content-security-policy"]).toBe(direct.headers.get("content-security-policy"));
      expect(page.headers["x-content-type-options"]).toBe("nosniff");
      expect(page.headers["referrer-policy"]).toBe("no-referrer");
      expect(page.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
      expect(JSON.parse((await httpsGet(`${origin}/health`, tls.pem)).body)).toMatchObject({ ok: true });

      const redirect = await httpGet(`http://127.0.0.1:${httpPort}/app/`);
      expect(redirect.status).toBe(301);
      expect(redirect.location).toMatch(/^https:\/\/127\.0\.0\.1\/app\/$/);
    });

    it("lets a person found a cell in the member space through it, her device syncing over wss", async () => {
      const problems: string[] = [];
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const app = await context.newPage();
      app.on("pageerror", (e) => problems.push(e.message));
      await app.goto(`${origin}/app/`);
      await app.getByRole("button", { name: "Fonder une cellule" }).click({ timeout: 30_000 });
      await app.getByLabel("Nom de la cellule").fill("Cellule Louise-Michel");
      await app.getByLabel("Votre nom").fill("Nadia Ferhat");
      // The relay proposed is the one that served the page, by its public address.
      await expect.poll(() => app.getByLabel("Relais").inputValue()).toContain(origin);
      await app.getByRole("button", { name: "Fonder la cellule" }).click();
      await app.getByRole("heading", { name: "Votre phrase de secours" }).waitFor({ timeout: 60_000 });
      await app.getByRole("button", { name: "Je les ai notés" }).click();
      await app.getByRole("heading", { name: "La cellule sur votre blog" }).waitFor();
      const snippet = (await app.locator("cell-app pre code").first().textContent()) ?? "";
      const cellId = /\/c\/([0-9a-f]{64})/.exec(snippet)?.[1];
      expect(cellId, snippet).toBeDefined();
      // The blog snippet names the cell at the relay's public https address.
      expect(snippet).toContain(`${origin}/c/${cellId}`);
      expect(snippet).not.toContain(relay.url);

      // The device synced: the relay holds its envelopes (the page may reach no other address than nginx's).
      await expect.poll(() => relay.stats().envelopes, { timeout: 30_000 }).toBeGreaterThan(0);
      expect(relay.stats().connections).toBeGreaterThan(0);

      // The cell's first edition, served through nginx.
      await expect
        .poll(async () => (await httpsGet(`${origin}/c/${cellId}/edition.json`, tls.pem)).status, {
          timeout: 30_000,
        })
        .toBe(200);
      const served = await httpsGet(`${origin}/c/${cellId}/edition.json`, tls.pem);
      expect((await verifyEdition(served.bytes, cellId!)).profile.name).toBe("Cellule Louise-Michel");
      expect(served.headers["access-control-allow-origin"]).toBe("*");
      expect(served.headers["x-content-type-options"]).toBe("nosniff");
      expect(problems).toEqual([]);

      // nginx logs a request once it ends: the WebSocket upgraded on /ws, once the app is closed.
      await context.close();
      await expect.poll(() => relay.stats().connections, { timeout: 10_000 }).toBe(0);
      await expect.poll(() => nginx.accessLog(), { timeout: 10_000 }).toMatch(/"GET \/ws HTTP\/1\.1" 101 /);
    }, 180_000);
  },
);
