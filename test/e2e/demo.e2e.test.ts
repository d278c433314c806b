/**
 * The demo as a newcomer sees it, in real Chromium: the sample blog on one origin embeds the widgets of a
 * cell whose relays are on others; a visitor sends a contact request and the officer's device opens it,
 * while the relays' disks never hold it in clear and the blog's origin keeps nothing. The widget kit also
 * works loaded twice (module and classic script) under a strict CSP. And the sync page: two devices
 * converging through the relays, also after one relay stops.
 */
import { readdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoFixture } from "../support/demo.js";

const env = demoFixture("demo");

/** A fresh visitor's page that records script errors and CSP violations. */
async function visitor(): Promise<{ page: Page; problems: string[] }> {
  const page = await (await env.browser.newContext()).newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
  });
  return { page, problems };
}

const shadowText = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => el.shadowRoot?.textContent ?? "");

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("the sample blog", () => {
  it("shows the cell's signed journal, card and events from relays on other origins", async () => {
    const { page, problems } = await visitor();
    await page.goto(env.demo.url);
    await expect.poll(() => shadowText(page, "cell-journal"), { timeout: 15_000 }).toContain("Notre charte");
    expect(await shadowText(page, "cell-journal")).toContain("Loyers : le collectif des locataires");
    expect(await shadowText(page, "cell-card")).toContain("Lyon 7e — Guillotière");
    await expect.poll(() => shadowText(page, "cell-events")).toContain("Réunion publique : nos loyers");
    expect(await shadowText(page, "cell-journal")).not.toContain("Ordre du jour"); // members only
    const join = await page.locator("cell-join").evaluate((el) => el.shadowRoot!.querySelector("a")!.href);
    expect(join).toBe(`${env.demo.relays[0]!.url}/app/#join=${env.demo.officer.cell.id}`);
    expect(problems).toEqual([]);
  }, 60_000);

  it("lets a visitor write to the cell: only the officer's device reads it, the blog keeps nothing", async () => {
    const { page, problems } = await visitor();
    await page.goto(`${env.demo.url}contact/`);
    const form = page.locator("cell-contact");
    await form.getByLabel("Votre nom").fill("Nadia Kaci");
    await form.getByLabel("Comment vous joindre").fill("nadia.kaci@example.org");
    await form
      .getByLabel("Votre message")
      .fill("Bonjour, je voudrais venir mardi. <script>alert(1)</script>");
    await form.getByLabel("J'accepte").check();
    await form.getByRole("button", { name: "Envoyer" }).click();
    await expect
      .poll(() => shadowText(page, "cell-contact"), { timeout: 15_000 })
      .toContain("Votre message est parti");

    await expect
      .poll(async () => (await env.demo.officer.cell.contacts()).map((c) => c.name), { timeout: 15_000 })
      .toEqual(["Nadia Kaci"]);
    const inbox = await (await env.browser.newPage()).goto(`${env.demo.url}officier/`);
    const html = await inbox!.text();
    expect(html).toContain("nadia.kaci@example.org");
    expect(html).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
    expect(html).not.toContain("<script>alert(1)");

    for (const relay of ["relay-a", "relay-b"]) {
      for (const file of await filesUnder(join(env.dataDir, relay))) {
        const text = (await readFile(file)).toString("latin1");
        expect(text, file).not.toContain("Nadia");
        expect(text, file).not.toContain("nadia.kaci");
      }
    }
    // The blog keeps nothing of the visitor's: only, per cell, what the widgets verified of its public
    // edition (chain length, last key, date: elements/shared/edition-memory.ts), so no relay can roll it back.
    const stored = await page.evaluate(async () => ({
      local: Object.entries(localStorage),
      session: sessionStorage.length,
      databases: (await indexedDB.databases()).length,
      cookies: document.cookie,
      caches: (await caches.keys()).length,
    }));
    expect(stored.local.map(([key]) => key)).toEqual([`cellule:${env.demo.officer.cell.id}`]);
    expect(JSON.stringify(stored.local)).not.toMatch(/Nadia|nadia\.kaci/);
    expect({ ...stored, local: undefined }).toEqual({ session: 0, databases: 0, cookies: "", caches: 0 });
    expect(problems).toEqual([]);
  }, 60_000);
});

describe("the widget kit", () => {
  let site: Server;
  let siteUrl: string;

  beforeAll(async () => {
    // A blog that hosts its own copies of the kit, loads it three times, under a strict CSP.
    const relay = env.demo.relays[0]!.url;
    const [esm, iife] = await Promise.all(
      ["cellule.js", "cellule.iife.js"].map(async (f) => (await fetch(`${relay}/widgets/${f}`)).text()),
    );
    const cell = env.demo.officer.addresses.join(" ");
    const page = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Deux fois</title>
      <script type="module" src="/kit/cellule.js"></script>
      <script type="module" src="/kit/cellule.js?again"></script>
      <script src="/kit/cellule.iife.js"></script></head>
      <body><cell-journal cell="${cell}"></cell-journal><cell-contact cell="${cell}" lang="en"></cell-contact></body></html>`;
    const csp = `script-src 'self'; connect-src ${env.demo.relays.map((r) => r.url).join(" ")}; object-src 'none'; base-uri 'none'`;
    site = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const body =
        path === "/"
          ? page
          : path === "/kit/cellule.js"
            ? esm
            : path === "/kit/cellule.iife.js"
              ? iife
              : undefined;
      if (body === undefined) return void res.writeHead(path === "/favicon.ico" ? 204 : 404).end();
      const type = path === "/" ? "text/html" : "text/javascript";
      res
        .writeHead(200, { "content-type": `${type}; charset=utf-8`, "content-security-policy": csp })
        .end(body);
    });
    await new Promise<void>((ok) => site.listen(0, "127.0.0.1", ok));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  });

  afterAll(() => new Promise((ok) => site.close(ok)));

  it("works loaded twice, as a module and a classic script, under script-src 'self' and no eval or WASM", async () => {
    const { page, problems } = await visitor();
    const violations: string[] = [];
    await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        (window as unknown as { reportViolation(v: string): void }).reportViolation(
          `${e.violatedDirective} ${e.blockedURI}`,
        ),
      );
    });
    await page.goto(siteUrl);
    await expect.poll(() => shadowText(page, "cell-journal"), { timeout: 15_000 }).toContain("Notre charte");
    const form = page.locator("cell-contact");
    await form.getByLabel("Your name").fill("Sam Twice");
    await form.getByLabel("How to reach you").fill("+33 6 00 00 00 00");
    await form.getByLabel("I agree").check();
    await form.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => shadowText(page, "cell-contact"), { timeout: 15_000 }).toContain("on its way");
    await expect
      .poll(async () => (await env.demo.officer.cell.contacts()).map((c) => c.name), { timeout: 15_000 })
      .toContain("Sam Twice");
    expect(violations).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);
});

describe("the sync page", () => {
  it("shows two devices converging through the relays, also after one relay stops", async () => {
    const page = await env.browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${env.demo.url}sync/`);
    const device = (n: number) => page.locator("section").nth(n - 1);
    await expect
      .poll(() => device(2).locator("li").allInnerTexts(), { timeout: 20_000 })
      .toEqual([" Imprimer les tracts"]);
    await expect.poll(() => device(1).locator(".status").textContent(), { timeout: 10_000 }).toContain("2/2");

    await device(1).getByRole("textbox").fill("Coller les affiches <img src=x onerror=alert(1)>");
    await device(1).getByRole("button").click();
    await expect
      .poll(() => device(2).locator("li").allInnerTexts(), { timeout: 10_000 })
      .toEqual([" Imprimer les tracts", " Coller les affiches <img src=x onerror=alert(1)>"]);
    expect(await page.locator("img").count()).toBe(0);

    await env.demo.relays[0]!.close();
    await device(2).getByRole("textbox").fill("Réserver la salle");
    await device(2).getByRole("button").click();
    await expect.poll(() => device(1).locator("li").count(), { timeout: 10_000 }).toBe(3);
    await device(1).getByRole("checkbox").first().check();
    await expect
      .poll(() => device(2).getByRole("checkbox").first().isChecked(), { timeout: 10_000 })
      .toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);
});
