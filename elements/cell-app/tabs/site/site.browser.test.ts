/**
 * The public page tab in real Chromium, on a founder's real cell (secretary and editor) through the test
 * relay: the profile (name, place, description, contact, time zone, accent colour) and the pages (about,
 * why join, contact) saved into the site document; a time zone Intl does not know or an accent that is not
 * a hex colour is named, and nothing is written.
 */
import { deepEqual } from "../../../../core/testing/assert.js";
import { SiteController } from "./site-controller.js";
import { alertOf, fill, root, tabOfFounder, until } from "./tab-host.test-support.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: (this: { timeout(ms: number): void }) => Promise<void>) => void;

const open = () => tabOfFounder((host, session, run) => new SiteController(host, session, run));

describe("the public page tab", () => {
  it("saves the profile and the pages", async function () {
    this.timeout(60_000);
    const { host, open: cell, close } = await open();
    try {
      const input = (form: string, name: string) =>
        root(host).querySelector<HTMLFormElement>(`form[data-form="${form}"]`)?.elements.namedItem(name) as
          | HTMLInputElement
          | undefined;
      await until(() => input("profile", "timeZone")?.value === "Europe/Paris", "Europe/Paris by default");
      await fill(host, "profile", {
        name: "Cellule des Pentes",
        place: "Lyon 1er",
        description: "Une cellule de quartier.",
        contact: "pentes@example.org",
        timeZone: "America/Argentina/Buenos_Aires",
        accent: "#C0392B",
      });
      await until(() => !!root(host).querySelector('form[data-form="profile"] [role=status]'), "saved");
      const p = cell.site.site.profile;
      deepEqual(
        [p.place, p.description, p.contact, p.timeZone, p.accent],
        [
          "Lyon 1er",
          "Une cellule de quartier.",
          "pentes@example.org",
          "America/Argentina/Buenos_Aires",
          "#c0392b",
        ],
        "the profile written",
      );
      deepEqual(p.relays, cell.cell.state.relays, "the relays kept");
      await fill(host, "pages", { about: "Qui nous sommes", whyJoin: "Parce que", contact: "Écrivez-nous" });
      await until(() => cell.site.site.pages.whyJoin === "Parce que", "the pages written");
      deepEqual(
        cell.site.site.pages,
        { about: "Qui nous sommes", contact: "Écrivez-nous", whyJoin: "Parce que" },
        "pages",
      );
      // No accent any more.
      await fill(host, "profile", { accent: "" });
      await until(() => cell.site.site.profile.accent === undefined, "the accent taken away");
    } finally {
      await close();
    }
  });

  it("names a refused field and writes nothing", async function () {
    this.timeout(60_000);
    const { host, open: cell, close } = await open();
    try {
      const before = cell.site.site.profile;
      await fill(host, "profile", { timeZone: "Europe/Lutece" });
      deepEqual(
        await alertOf(host, "profile"),
        "Champ « Fuseau horaire » refusé : vérifiez-le, rien n'a été enregistré.",
        "zone",
      );
      await fill(host, "profile", { timeZone: "Europe/Paris", accent: "red" });
      await until(
        () =>
          (root(host).querySelector('form[data-form="profile"] [role=alert]')?.textContent ?? "").includes(
            "Couleur",
          ),
        "accent",
      );
      await fill(host, "profile", { accent: "", name: " " });
      await until(
        () =>
          (root(host).querySelector('form[data-form="profile"] [role=alert]')?.textContent ?? "").includes(
            "« Nom »",
          ),
        "name",
      );
      deepEqual(cell.site.site.profile, before, "nothing written");
      await fill(host, "pages", { about: "x".repeat(100_001) });
      await until(
        () =>
          (root(host).querySelector('form[data-form="pages"] [role=alert]')?.textContent ?? "").includes(
            "Qui sommes-nous",
          ),
        "about",
      );
      deepEqual(cell.site.site.pages.about, "", "the pages unchanged");
      deepEqual(root(host).querySelector(".problem"), null, "no other problem");
    } finally {
      await close();
    }
  });
});
