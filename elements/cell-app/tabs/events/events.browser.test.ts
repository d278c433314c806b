/**
 * The events tab in real Chromium, on a founder's real cell through the test relay: times typed in the
 * cell's time zone (Tokyo here, whatever the browser's), an event without an end, an all-day one over two
 * days, edited, cancelled (kept and shown as cancelled) and restored, deleted after a confirmation; an
 * event that ends before it starts, or without a title, shows a message naming it and writes nothing.
 */
import { deepEqual } from "../../../../core/testing/assert.js";
import { alertOf, button, fill, root, tabOfFounder, until } from "../site/tab-host.test-support.js";
import { EventsController } from "./events-controller.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: (this: { timeout(ms: number): void }) => Promise<void>) => void;

const DAY = 86_400_000;
const YEAR = new Date().getUTCFullYear() + 1;

async function openInTokyo() {
  const tab = await tabOfFounder((host, session, run) => new EventsController(host, session, run));
  const site = tab.open.site.site;
  site.setProfile({ ...site.profile, timeZone: "Asia/Tokyo" });
  tab.host.requestUpdate();
  return tab;
}

describe("the events tab", () => {
  it("creates, edits, cancels and deletes events, in the cell's time zone", async function () {
    this.timeout(60_000);
    const { host, open, close } = await openInTokyo();
    try {
      await until(() => root(host).textContent!.includes("Heures du fuseau Asia/Tokyo"), "the zone said");
      await fill(host, "new", {
        title: "Réunion publique",
        place: "Bourse du travail",
        start: `${YEAR}-01-10T19:00`,
        end: "",
        description: "Sans heure de fin",
        visibility: "public",
      });
      await until(async () => (await open.site.agenda.all()).length === 1, "the event written");
      const [timed] = await open.site.agenda.all();
      deepEqual([timed!.start, timed!.end], [Date.UTC(YEAR, 0, 10, 10), undefined], "19:00 in Tokyo, no end");

      await fill(host, "new", {
        title: "Fête",
        allDay: true,
        start: `${YEAR}-01-12`,
        end: `${YEAR}-01-13`,
        visibility: "members",
      });
      await until(async () => (await open.site.membersAgenda.all()).length === 1, "the all-day event");
      const [fest] = await open.site.membersAgenda.all();
      deepEqual(
        [fest!.start, fest!.end, fest!.allDay],
        [Date.UTC(YEAR, 0, 12), Date.UTC(YEAR, 0, 12) + DAY, true],
        "two days",
      );

      const item = `li[data-event="${timed!.id}"]`;
      await until(() => !!root(host).querySelector(item), "the event listed");
      (await button(host, "Modifier", item)).click();
      await until(
        () =>
          (
            root(host)
              .querySelector<HTMLFormElement>(`form[data-form="${timed!.id}"]`)
              ?.elements.namedItem("start") as HTMLInputElement
          )?.value === `${YEAR}-01-10T19:00`,
        "its start shown in Tokyo's time",
      );
      await fill(host, timed!.id, { title: "Réunion déplacée", end: `${YEAR}-01-10T21:30` });
      await until(async () => (await open.site.agenda.all())[0]?.title === "Réunion déplacée", "edited");
      deepEqual(
        (await open.site.agenda.all())[0]!.end,
        Date.UTC(YEAR, 0, 10, 12, 30),
        "its end in Tokyo's time",
      );

      (await button(host, "Annuler l'événement", item)).click();
      await until(async () => !!(await open.site.agenda.all())[0]?.cancelled, "cancelled");
      await until(
        () => root(host).querySelector(item)?.textContent?.includes("annulé") ?? false,
        "shown as cancelled",
      );
      (await button(host, "Rétablir l'événement", item)).click();
      await until(async () => !(await open.site.agenda.all())[0]?.cancelled, "restored");

      (await button(host, "Supprimer", item)).click();
      (await button(host, "Confirmer la suppression", item)).click();
      await until(async () => (await open.site.agenda.all()).length === 0, "deleted");
    } finally {
      await close();
    }
  });

  it("names the refused field, an end before the start included, and writes nothing", async function () {
    this.timeout(60_000);
    const { host, open, close } = await openInTokyo();
    try {
      await fill(host, "new", {
        title: "Manif",
        start: `${YEAR}-03-01T15:00`,
        end: `${YEAR}-03-01T14:00`,
        visibility: "public",
      });
      deepEqual(
        await alertOf(host, "new"),
        "La fin est avant le début : rien n'a été enregistré.",
        "end before start",
      );
      await fill(host, "new", { title: "", end: "" });
      await until(
        () =>
          (root(host).querySelector('form[data-form="new"] [role=alert]')?.textContent ?? "").includes(
            "« Titre »",
          ),
        "the title named",
      );
      await fill(host, "new", { title: "Manif", start: "" });
      await until(
        () =>
          (root(host).querySelector('form[data-form="new"] [role=alert]')?.textContent ?? "").includes(
            "« Début »",
          ),
        "the start named",
      );
      deepEqual((await open.site.agenda.all()).length, 0, "nothing written");
      deepEqual(root(host).querySelector(".problem"), null, "no other problem");
    } finally {
      await close();
    }
  });
});
