/**
 * Signed releases of the member space, in real Chromium (elements/cell-app/sw.js, release.ts): the service
 * worker pins the release key of the app it was first installed with, and installs a later version only if
 * its release.json is signed by that key and every file matches it. A static host (or CDN) that serves an
 * update signed by another key, a file changed after signing, or no release.json at all gets it refused:
 * the installed app keeps being served from the worker's cache and the page shows the notice. An update
 * signed by the pinned key is installed. Built with the probe entry (test/support/app-probe.ts: the real
 * worker and notice, without the member space's minute-long build); the versions differ by their stylesheet.
 */
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKeyPair } from "../core/crypto/suite.js";
import { app as fr } from "../core/public/strings/fr.js";
import { signRelease, verifyRelease } from "../elements/cell-app/release.js";
import { buildApp } from "../rollup.config.mjs";
import { launchChromium } from "./support/browser.js";
import { type StaticHost, startStaticHost } from "./support/static-host.js";

type Files = Record<string, string | Uint8Array>;
const root = new URL("..", import.meta.url).pathname;
const original = (name: string) => readFileSync(`${root}elements/cell-app/${name}`);

/** Version `n` of the app: its stylesheet ends with `/* version n *\/` (so its worker is a new one too). */
const version = async (n: number): Promise<Files> => ({
  ...(await buildApp({
    input: "test/support/app-probe.ts",
    readFile: (name) =>
      name === "app.css"
        ? Buffer.concat([original(name), Buffer.from(`/* version ${n} */\n`)])
        : original(name),
  })),
  // What a static host serves beside the build: the relays the page talks to (never signed: each host's own).
  "relays.json": JSON.stringify({ relays: [] }),
});

/** `files` with their release.json, signed with `keys`. */
const signed = async (files: Files, keys: CryptoKeyPair): Promise<Files> => ({
  ...files,
  "release.json": JSON.stringify(await signRelease(files, keys)),
});

let browser: Browser;
let host: StaticHost;
let versions: Files[];
beforeAll(async () => {
  browser = await launchChromium();
  versions = [];
  for (let n = 0; n <= 6; n++) versions.push(await version(n));
  host = await startStaticHost({});
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await host?.close();
});

/** Asks the worker to check for an update: `installed` once the new worker controls the page, or the refusal. */
const checkForUpdate = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const sw = navigator.serviceWorker;
        sw.addEventListener("controllerchange", () => resolve("installed"), { once: true });
        sw.addEventListener("message", (e) => resolve(`refused: ${(e.data as { reason: string }).reason}`), {
          once: true,
        });
        void sw.getRegistration().then((r) => r?.update());
      }),
  );

/** The text of the page's notice, if it shows one. */
const notice = (page: Page) =>
  page.evaluate(() => document.querySelector("[role=alert]")?.textContent ?? null);

/** The stylesheet the page gets (through the worker): which version of the app it runs. */
const runningVersion = async (page: Page) =>
  /version (\d+)/.exec(await page.evaluate(() => fetch("app.css").then((r) => r.text())))?.[1];

describe("the member space's signed releases", () => {
  it("installs only updates signed by the release key it pinned, whose files match", async () => {
    const key = await generateSigningKeyPair(true);
    const other = await generateSigningKeyPair(true);
    const [v0, v1, v2, v3, v4, v5, v6] = versions as [Files, Files, Files, Files, Files, Files, Files];
    const context = await browser.newContext();
    const page = await context.newPage();

    // First use: the release signed by `key` is installed, and its key pinned.
    host.files = await signed(v0, key);
    await page.goto(host.url);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    expect(await runningVersion(page)).toBe("0");

    // An update signed by the pinned key: installed.
    host.files = await signed(v1, key);
    expect(await checkForUpdate(page)).toBe("installed");
    expect(await runningVersion(page)).toBe("1");

    // Signed by another key (a host that made its own release key): refused, version 1 still served.
    host.files = await signed(v2, other);
    expect(await checkForUpdate(page)).toMatch(/^refused: not signed by the app's release key/);
    expect(await runningVersion(page)).toBe("1");
    await expect.poll(() => notice(page)).toBe(fr.updateRefused);

    // Signed by the key, then a file changed by the host: refused.
    const tampered = await signed(v3, key);
    host.files = { ...tampered, "cellule-app.js": `${tampered["cellule-app.js"]};console.log("host")` };
    expect(await checkForUpdate(page)).toMatch(/^refused: cellule-app\.js does not match/);

    // No release.json at all (a host that serves an unsigned build): refused.
    host.files = v4;
    expect(await checkForUpdate(page)).toMatch(/^refused: no release\.json/);

    // An unsigned release that says it is signed by the pinned key (its signature is not): refused.
    const forged = JSON.parse(String((await signed(v5, other))["release.json"]));
    forged.key = JSON.parse(String((await signed(v5, key))["release.json"])).key;
    expect(await verifyRelease(forged)).toBe(false);
    host.files = { ...v5, "release.json": JSON.stringify(forged) };
    expect(await checkForUpdate(page)).toMatch(/^refused: not signed/);

    // A page opened now still runs version 1, every file from the worker's cache, and shows the notice.
    await page.reload();
    expect(await runningVersion(page)).toBe("1");
    expect(await page.evaluate(() => document.documentElement.dataset.scriptRan)).toBe("yes");
    await expect.poll(() => notice(page)).toBe(fr.updateRefused);

    // The next update signed by the key is installed, and the notice is gone from pages opened after it.
    host.files = await signed(v6, key);
    expect(await checkForUpdate(page)).toBe("installed");
    await page.reload();
    expect(await runningVersion(page)).toBe("6");
    expect(await page.evaluate(() => caches.match("refused-update").then((r) => r === undefined))).toBe(true);
    await context.close();
  });
});
