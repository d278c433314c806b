/**
 * Founding a cell in the member space, in Chromium against the demo's relays, with no Node officer: a
 * militant on a phone founds a cell from the welcome screen, gets the recovery phrase once and the blog
 * snippet, pastes it into a page of another origin where a visitor sees the cell's card at once (its
 * first edition went out as it opened). She takes a relay out of the cell's list in the settings (her device
 * lets it go) and puts it back. Then she founds a second cell from the switcher: it has a key of its own
 * (another founder device in its genesis), and she switches back to the first.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { axeViolations, demoFixture } from "../support/demo.js";
import { servedEdition } from "../support/raw.js";

const env = demoFixture("found-app");
const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

/** A blog of its own origin (`localhost`, where the relays are `127.0.0.1`) serving `body` as its page. */
async function blog(body: string): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><html lang="fr"><head><title>Mon blog</title></head><body><main>${body}</main></body></html>`,
    );
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://localhost:${(server.address() as AddressInfo).port}/`;
}

/** The member space's first heading (the cell's name once a cell is open). */
const title = (app: Page) =>
  app
    .getByRole("heading", { level: 1 })
    .textContent()
    .catch(() => "");

/** Founds a cell from the welcome screen, notes the phrase; resolves with the HTML snippet shown. */
async function found(app: Page, name: string, place: string): Promise<string> {
  await app.getByRole("button", { name: "Fonder une cellule" }).click({ timeout: 30_000 });
  await app.getByLabel("Nom de la cellule").fill(name);
  await app.getByLabel("Lieu").fill(place);
  await app.getByLabel("Présentation").fill("Une cellule de quartier, ouverte à toutes et tous.");
  await app.getByLabel("Votre nom").fill("Fatima Benali");
  expect(await axeViolations(app)).toEqual([]);
  await app.getByRole("button", { name: "Fonder la cellule" }).click();
  await app.getByRole("heading", { name: "Votre phrase de secours" }).waitFor({ timeout: 30_000 });
  expect(await app.locator("cell-app ol.phrase li").count()).toBe(13);
  await app.getByRole("button", { name: "Je les ai notés" }).click();
  await app.getByRole("heading", { name: "La cellule sur votre blog" }).waitFor();
  expect(await axeViolations(app)).toEqual([]);
  const snippet = (await app.locator("cell-app pre code").first().textContent()) ?? "";
  await app.getByRole("button", { name: "Continuer" }).click();
  await expect.poll(() => title(app)).toBe(name);
  return snippet;
}

describe("founding a cell in the member space", () => {
  it("founds a cell whose blog snippet works at once, changes its relays, then founds a second one with its own key", async () => {
    const problems: string[] = [];
    const context = await env.browser.newContext({ viewport: { width: 360, height: 740 } });
    const app = await context.newPage();
    app.on("pageerror", (e) => problems.push(e.message));
    await app.goto(`${env.demo.relays[0]!.url}/app/`);

    // A relay address that is not http(s): the message names the field, and nothing is founded.
    await app.getByRole("button", { name: "Fonder une cellule" }).click({ timeout: 30_000 });
    await app.getByLabel("Nom de la cellule").fill("Cellule Rosa-Parks");
    await app.getByLabel("Votre nom").fill("Fatima Benali");
    await app.getByLabel("Relais").fill("ftp://relais.example.org");
    await app.getByRole("button", { name: "Fonder la cellule" }).click();
    await expect.poll(() => app.getByRole("alert").textContent()).toContain("relays[0]");
    await app.getByRole("button", { name: "Annuler" }).click();
    expect(await app.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith(":places")))).toEqual(
      [],
    );

    const snippet = await found(app, "Cellule Rosa-Parks", "Lyon 8e");
    const cellId = /\/c\/([0-9a-f]{64})/.exec(snippet)?.[1];
    expect(cellId).toBeDefined();
    for (const relay of env.demo.relays) expect(snippet).toContain(`${relay.url}/c/${cellId}`);
    // She is the cell's secretary: the officers' tab is hers.
    await app.getByRole("button", { name: "Responsables" }).waitFor();

    // The snippet on a blog of another origin: a visitor sees the cell's card from the first minute.
    const visitor = await (await env.browser.newContext()).newPage();
    visitor.on("pageerror", (e) => problems.push(e.message));
    await visitor.goto(await blog(snippet));
    await visitor.locator("cell-card").getByText("Lyon 8e").waitFor({ timeout: 20_000 });
    await visitor.locator("cell-journal").getByText("Aucun article pour le moment.").waitFor();
    for (const relay of env.demo.relays)
      expect((await servedEdition(relay.url, cellId!))?.profile.name).toBe("Cellule Rosa-Parks");

    // The relays, in the settings: a bad address is refused, one taken out is let go by the device (the
    // relay sees one connection fewer), one put back gets it again.
    const [first, other] = env.demo.relays as [(typeof env.demo.relays)[0], (typeof env.demo.relays)[0]];
    await app.getByRole("button", { name: "Réglages" }).click();
    await app.getByLabel("Adresse d'un relais").fill("ftp://relais.example.org");
    await app.getByRole("button", { name: "Ajouter le relais" }).click();
    await expect.poll(() => app.getByRole("alert").textContent()).toContain("ftp://relais.example.org");
    const connections = other.stats().connections;
    await app.getByRole("button", { name: `Retirer le relais ${other.url}` }).click();
    await expect.poll(() => other.stats().connections).toBe(connections - 1);
    expect(await app.getByRole("button", { name: `Retirer le relais ${first.url}` }).count()).toBe(0);
    await app.getByLabel("Adresse d'un relais").fill(other.url);
    await app.getByRole("button", { name: "Ajouter le relais" }).click();
    await expect.poll(() => other.stats().connections).toBe(connections);
    expect(await axeViolations(app)).toEqual([]);

    // A second cell, from the switcher: a new place, its own Kit and key.
    await app.getByText("Mes cellules").click();
    await app.getByRole("button", { name: "Rejoindre ou fonder une autre cellule" }).click();
    const second = /\/c\/([0-9a-f]{64})/.exec(await found(app, "Cellule Angela-Davis", "Vénissieux"))?.[1];
    expect(second).not.toBe(cellId);
    const founderOf = async (id: string) => {
      const edition = await servedEdition(env.demo.relays[0]!.url, id);
      return (JSON.parse(edition!.genesis) as { body: { author: string } }).body.author;
    };
    expect(await founderOf(second!)).not.toBe(await founderOf(cellId!));

    await app.getByText("Mes cellules").click();
    await app.getByRole("button", { name: "Cellule Rosa-Parks" }).click();
    await expect.poll(() => title(app), { timeout: 20_000 }).toBe("Cellule Rosa-Parks");

    // The phone may be seized: erased from the settings, at once, without network.
    await context.setOffline(true);
    await app.getByRole("button", { name: "Réglages" }).click();
    await app.getByRole("button", { name: "Effacer cet appareil…" }).click();
    expect(await axeViolations(app)).toEqual([]);
    await app.getByRole("button", { name: "Effacer maintenant" }).click();
    await app.getByRole("button", { name: "Fonder une cellule" }).waitFor();
    const left = await app.evaluate(async () => ({
      databases: (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith("cellule-app")),
      places: Object.keys(localStorage).filter((k) => k.endsWith(":places")),
    }));
    // The second cell's place is gone, and the first place's databases, made again empty for the welcome,
    // hold no cell (its keys there are the welcome's new ones, never the founder's).
    expect(left.places).toEqual([]);
    expect(left.databases.sort()).toEqual(["cellule-app", "cellule-app-keys"]);
    const stored = await app.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open("cellule-app");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const names = [...open.result.objectStoreNames];
            if (names.length === 0) return resolve([]);
            const all = open.result.transaction(names).objectStore(names[0]!).getAllKeys();
            all.onsuccess = () => resolve(all.result.map((k) => JSON.stringify(k)));
          };
        }),
    );
    expect(stored.filter((k) => k.includes("cellule-cell") || k.includes("cellule-gov"))).toEqual([]);
    expect(problems).toEqual([]);
  }, 180_000);
});
