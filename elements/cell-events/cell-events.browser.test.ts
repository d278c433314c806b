import "../define-all.js";
import type { CellEvent } from "../../core/protocol/public-content.js";
import { mount, publishTestEdition, rendered } from "../shared/edition.test-support.js";

declare const describe: (name: string, fn: () => void) => void;
declare const it: (name: string, fn: () => Promise<void>) => void;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const DAY = 86_400_000;
const event = (id: string, title: string, startIn: number, extra: Partial<CellEvent> = {}): CellEvent => ({
  id,
  title,
  description: "",
  place: "",
  start: Date.now() + startIn,
  end: Date.now() + startIn + 2 * 3_600_000,
  visibility: "public",
  ...extra,
});

describe("<cell-events>", () => {
  it("lists upcoming public events soonest first, with a calendar file each and the feed", async () => {
    const { cellId, relay } = await publishTestEdition({
      events: [
        event("later", "Fête du quartier", 9 * DAY, { place: "Place Voltaire" }),
        event("soon", "Manifestation; départ, 14 h", 2 * DAY, { description: "Cortège\nunitaire" }),
        event("internal", "Réunion interne", DAY, { visibility: "members" }),
      ],
    });
    const { el, remove } = mount(`<cell-events cell="${relay}/c/${cellId}"></cell-events>`);
    try {
      await rendered(el, (r) => r.querySelectorAll("[part=event]").length > 0, "events");
      const root = el.shadowRoot!;
      const titles = [...root.querySelectorAll("[part=title]")].map((e) => e.textContent);
      check(titles.join("|") === "Manifestation; départ, 14 h|Fête du quartier", `${titles}`);
      check(root.querySelector("[part=place]")!.textContent === "Place Voltaire", "place");
      const feed = root.querySelector("a[part=subscribe]") as HTMLAnchorElement;
      check(feed.href === `${relay}/c/${cellId}/events.ics`, feed.href);
      const file = root.querySelector("a[part=ics]") as HTMLAnchorElement;
      check(file.href === `${relay}/c/${cellId}/events/soon.ics`, file.href);
      const one = await fetch(file.href);
      check(/^attachment/.test(one.headers.get("content-disposition") ?? ""), "served as a file");
      const ics = await one.text();
      check(
        ics.startsWith("BEGIN:VCALENDAR\r\n") && ics.includes("SUMMARY:Manifestation\\; départ\\, 14 h"),
        ics,
      );
      check(ics.includes("DESCRIPTION:Cortège\\nunitaire") && !ics.includes("Fête du quartier"), ics);
      const response = await fetch(feed.href);
      check(response.ok && (await response.text()).includes("BEGIN:VEVENT"), "the relay serves the feed");
    } finally {
      remove();
    }
  });

  it("says when nothing is coming, in English too", async () => {
    const { cellId, relay } = await publishTestEdition({ events: [] });
    const { el, remove } = mount(`<cell-events cell="${relay}/c/${cellId}" lang="en"></cell-events>`);
    try {
      await rendered(el, (r) => r.textContent!.includes("No upcoming events"), "the empty message");
    } finally {
      remove();
    }
  });

  it("shows a cancelled event as cancelled, all-day events as days, times in the cell's time zone", async () => {
    const day = Math.floor(Date.now() / DAY) * DAY + 3 * DAY; // 00:00 UTC, in three days
    const at = day + 18.5 * 3_600_000; // 18:30 UTC: 03:30 the next day in Tokyo
    const { cellId, relay } = await publishTestEdition({
      profile: { timeZone: "Asia/Tokyo" },
      events: [
        event("fest", "Fête", 0, { start: day, end: day + DAY, allDay: true }),
        event("off", "Manif annulée", 0, { start: at, end: undefined, cancelled: true }),
        event("today", "Journée entière", 0, {
          start: Math.floor(Date.now() / DAY) * DAY,
          end: undefined,
          allDay: true,
        }),
      ],
    });
    const { el, remove } = mount(`<cell-events cell="${relay}/c/${cellId}" limit="10"></cell-events>`);
    try {
      await rendered(el, (r) => r.querySelectorAll("[part=event]").length === 3, "three events");
      const items = [...el.shadowRoot!.querySelectorAll("[part=event]")];
      const text = (i: number) => items[i]!.textContent!.replace(/\s/g, " ");
      // The one-day event of today is not over until its day ends.
      check(text(0).includes("Journée entière") && !/\d\d:\d\d/.test(text(0)), text(0));
      const fmt = (ms: number, o: Intl.DateTimeFormatOptions) =>
        new Intl.DateTimeFormat("fr", o).format(ms).replace(/\s/g, " ");
      const days = new Intl.DateTimeFormat("fr", { dateStyle: "long", timeZone: "UTC" })
        .formatRange(day, day + DAY)
        .replace(/\s/g, " ");
      check(text(1).includes(days) && !/\d\d:\d\d/.test(text(1)), `${text(1)} instead of ${days}`);
      const tokyo = fmt(at, { dateStyle: "full", timeStyle: "short", timeZone: "Asia/Tokyo" });
      check(text(2).includes(tokyo) && tokyo.includes("03:30"), `${text(2)} instead of ${tokyo}`);
      const cancelled = items[2]!.querySelector("[part=cancelled]");
      check(cancelled?.textContent === "Annulé", "marked as cancelled");
      check(!items[0]!.querySelector("[part=cancelled]"), "the others are not");
    } finally {
      remove();
    }
  });
});
