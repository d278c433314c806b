/**
 * The member space's build (rollup.config.mjs's `appBundle`): the service worker's cache version covers
 * every file it keeps, so that a change to the stylesheet alone (or the manifest, the icon) still reaches
 * installed apps; the build writes package.json's version into the script (elements/define.ts); and the
 * page pins its script and stylesheet with `integrity` (SRI), which Chromium enforces: a host that changes
 * one of them without the page gets it refused. Built in memory with a small entry (define.ts, or the probe
 * test/support/app-probe.ts) in place of the member space's script, which takes a minute here.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../rollup.config.mjs";
import { launchChromium } from "./support/browser.js";
import { startStaticHost } from "./support/static-host.js";

const root = new URL("..", import.meta.url).pathname;
const original = (name: string) => readFileSync(`${root}elements/cell-app/${name}`);

/** The member space's files, built in memory with `readFile`. */
const build = (readFile: (name: string) => Uint8Array, input = "elements/define.ts") =>
  buildApp({ input, readFile });

const versionOf = (files: Record<string, string | Uint8Array>) =>
  /const VERSION = "(cellule-app-[0-9a-f]{16})"/.exec(String(files["sw.js"]))?.[1];

describe("the member space's build", () => {
  it("names the service worker's cache after every file it keeps, not only the script", async () => {
    const first = await build(original);
    const version = versionOf(first);
    expect(version).toBeDefined();
    // The same files again: the same version (installed apps download nothing).
    expect(versionOf(await build(original))).toBe(version);
    // One more byte in a file that is not the script: a new version.
    for (const changed of ["app.css", "manifest.webmanifest", "icon.svg"]) {
      const again = await build((name) =>
        name === changed ? Buffer.concat([original(name), Buffer.from("\n")]) : original(name),
      );
      expect(versionOf(again), changed).not.toBe(version);
    }

    const { version: packageVersion } = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
    const script = String(first["cellule-app.js"]);
    expect(script).not.toContain("__CELLULE_VERSION__");
    expect(script).toContain(JSON.stringify(packageVersion));
  });

  it("pins every script and stylesheet of the page with the SHA-384 of the built file", async () => {
    const files = await build(original);
    const page = String(files["index.html"]);
    const loaded = [...page.matchAll(/<(?:script\b|link rel="stylesheet")[^>]*>/g)].map((m) => m[0]);
    expect(loaded).toHaveLength(2);
    for (const tag of loaded) {
      const src = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1] ?? "";
      const body = files[src];
      expect(body, src).toBeDefined();
      const hash = createHash("sha384")
        .update(body ?? "")
        .digest("base64");
      expect(tag, src).toContain(`integrity="sha384-${hash}"`);
    }
  });
});

describe("the member space's page in Chromium", () => {
  let browser: Browser;
  let files: Record<string, string | Uint8Array>;
  beforeAll(async () => {
    browser = await launchChromium();
    files = await build(original, "test/support/app-probe.ts");
  }, 60_000);
  afterAll(() => browser?.close());

  /** Opens the page served with `changes` made to the built files: whether its script ran, its style applied. */
  async function open(changes: Record<string, string>) {
    const host = await startStaticHost({ ...files, ...changes });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const refused: string[] = [];
      page.on("console", (m) => m.type() === "error" && refused.push(m.text()));
      await page.goto(host.url, { waitUntil: "load" });
      return {
        scriptRan: await page.evaluate(() => document.documentElement.dataset.scriptRan === "yes"),
        styled: await page.evaluate(() => getComputedStyle(document.body).marginTop === "0px"),
        refused,
      };
    } finally {
      await context.close();
      await host.close();
    }
  }

  it("loads the built script and stylesheet, and refuses either once a host changed it", async () => {
    expect(await open({})).toMatchObject({ scriptRan: true, styled: true, refused: [] });

    const script = await open({ "cellule-app.js": `${files["cellule-app.js"]}\n;console.log("host")` });
    expect(script).toMatchObject({ scriptRan: false, styled: true });
    expect(script.refused.join("\n")).toMatch(/integrity/i);

    const style = await open({ "app.css": `${files["app.css"]}\nbody{margin:0}` });
    expect(style).toMatchObject({ scriptRan: true, styled: false });
    expect(style.refused.join("\n")).toMatch(/integrity/i);
  });
});
