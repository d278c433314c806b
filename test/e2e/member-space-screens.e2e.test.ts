/**
 * The member space's main screens, as a newcomer sees them, in Chromium against the demo's relays: the
 * welcome of a phone with no cell, a cell founded there, a post written offline (the header counts it as
 * waiting, then says "Envoyé" once a relay has it), an event, the cell's own colour from its profile; on a
 * 360×740 phone and a 1280×800 desktop, in the light theme and in the dark one the system asks for. Each
 * screen is axe-clean (contrast included) in both themes; the tabs are a bottom bar on the phone and a
 * side bar on the desktop, and nothing is wider than the phone.
 *
 * The PNGs (for the README) are written to a temporary directory, or to `docs/screenshots/` with
 * `CELLULE_SCREENSHOTS=1` (each run draws today's dates: the tree stays clean unless asked).
 */
import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, demoFixture } from "../support/demo.js";

const env = demoFixture("screens-app");

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const ACCENT = "#2a6f4e";

/** Where the PNGs go. */
async function outputDir(): Promise<string> {
  if (!process.env.CELLULE_SCREENSHOTS) return mkdtemp(join(tmpdir(), "cellule-screens-"));
  const dir = join(import.meta.dirname, "../../docs/screenshots");
  await mkdir(dir, { recursive: true });
  return dir;
}

/** The text of the header's sending state (its live region). */
const syncWords = (app: Page) =>
  app
    .locator("cell-app .sync-words")
    .textContent()
    .catch(() => "");

/** Where the tab bar is: at the bottom of a phone's screen, or on the left of a desktop's. */
const navBox = (app: Page) => app.locator("cell-app nav[part=tabs]").boundingBox();

describe("the member space's screens", () => {
  it("looks right on a phone and a desktop, light and dark, each screen axe-clean", async () => {
    const dir = await outputDir();
    const problems: string[] = [];
    const context = await env.browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 });
    const app = await context.newPage();
    app.on("pageerror", (e) => problems.push(e.message));
    const shots: string[] = [];
    /** Axe-clean in both themes at this size; a PNG of each (named `<screen>-<size>-<theme>.png`). */
    const screen = async (name: string, size: "phone" | "desktop") => {
      await app.setViewportSize(size === "phone" ? PHONE : DESKTOP);
      // The screen as it opens: forms folded, at the top.
      await app.locator("cell-app").evaluate((el) => {
        for (const d of el.shadowRoot!.querySelectorAll("main details[open]")) d.removeAttribute("open");
        window.scrollTo(0, 0);
      });
      for (const theme of ["light", "dark"] as const) {
        await app.emulateMedia({ colorScheme: theme });
        expect(await axeViolations(app), `${name}, ${size}, ${theme}`).toEqual([]);
        const file = `${name}-${size}-${theme}.png`;
        await app.screenshot({ path: join(dir, file) });
        shots.push(file);
      }
      await app.emulateMedia({ colorScheme: "light" });
      await app.setViewportSize(PHONE);
    };

    await app.goto(`${env.demo.relays[0]!.url}/app/`);
    await app.getByRole("button", { name: "Fonder une cellule" }).waitFor({ timeout: 30_000 });
    await screen("welcome", "phone");

    // Founded on the phone: the phrase, the blog snippet, then the cell.
    await app.getByRole("button", { name: "Fonder une cellule" }).click();
    await app.getByLabel("Nom de la cellule").fill("Cellule Rosa-Parks");
    await app.getByLabel("Lieu").fill("Lyon 8e");
    await app.getByLabel("Présentation").fill("Une cellule de quartier, ouverte à toutes et tous.");
    await app.getByLabel("Votre nom").fill("Fatima Benali");
    await app.getByRole("button", { name: "Fonder la cellule" }).click();
    await app.getByRole("heading", { name: "Votre phrase de secours" }).waitFor({ timeout: 30_000 });
    await screen("phrase", "phone");
    await app.getByRole("button", { name: "Je les ai notés" }).click();
    await app.getByRole("button", { name: "Continuer" }).click();
    await expect.poll(() => app.getByRole("heading", { level: 1 }).textContent()).toBe("Cellule Rosa-Parks");
    await expect.poll(() => syncWords(app), { timeout: 30_000 }).toContain("Envoyé");
    await app.locator("cell-app .empty, cell-app main p").first().waitFor();
    await screen("journal-empty", "phone");

    // The cell's colour, as an officer sets it in its profile: the app takes it (the profile is the site's).
    await app.evaluate((accent) => {
      type Site = { site: { profile: object; setProfile(p: object): void } };
      const el = document.querySelector("cell-app") as unknown as { session: { state: { site: Site } } };
      const { site } = el.session.state.site;
      site.setProfile({ ...site.profile, accent });
    }, ACCENT);
    await expect
      .poll(() =>
        app.locator("cell-app").evaluate((el) => getComputedStyle(el).getPropertyValue("--cellule-accent")),
      )
      .toBe(ACCENT);

    // A post written offline: waiting in the header; sent once the network is back.
    await context.setOffline(true);
    await app.getByText("Écrire un article").click();
    await app.getByLabel("Titre", { exact: true }).fill("Assemblée de quartier jeudi");
    await app
      .getByLabel("Texte", { exact: true })
      .fill("On se retrouve jeudi à 19 h à la Maison des associations pour préparer la rentrée.");
    await app.getByLabel("Visible par").selectOption("members");
    await app.getByRole("button", { name: "Publier" }).click();
    await expect.poll(() => syncWords(app), { timeout: 15_000 }).toMatch(/en attente d'envoi/);
    await context.setOffline(false);
    await expect.poll(() => syncWords(app), { timeout: 30_000 }).toContain("Envoyé");
    await app.getByRole("heading", { name: "Assemblée de quartier jeudi" }).waitFor();
    await screen("journal", "phone");
    await screen("journal", "desktop");

    // An event, a week from now.
    await app.getByRole("button", { name: "Agenda" }).click();
    await app.getByText("Nouvel événement").click();
    await app.getByLabel("Titre", { exact: true }).fill("Collage d'affiches");
    await app.getByLabel("Lieu").fill("Place Ambroise-Courtois");
    const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await app.getByLabel("Début").fill(`${day}T18:30`);
    await app.getByRole("button", { name: "Créer l'événement" }).click();
    await app.getByRole("heading", { name: "Collage d'affiches" }).waitFor({ timeout: 15_000 });
    await screen("events", "phone");
    await screen("events", "desktop");

    // The tabs: a bottom bar on the phone, a side bar on the desktop; nothing wider than the phone.
    const phoneNav = (await navBox(app))!;
    expect(phoneNav.y + phoneNav.height).toBeGreaterThan(PHONE.height - 2);
    expect(phoneNav.width).toBeGreaterThan(PHONE.width - 2);
    expect(await app.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await app.setViewportSize(DESKTOP);
    const desktopNav = (await navBox(app))!;
    expect(desktopNav.x).toBeLessThan(40);
    expect(desktopNav.width).toBeLessThan(300);
    expect(shots).toHaveLength(14);
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);
});
