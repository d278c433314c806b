/**
 * The relay's Atom and iCalendar, read by independent real parsers rather than matched as text: a cell
 * founded on a real relay writes posts and events of every kind through its documents (no end, all day,
 * several days, cancelled, unicode, long text; unpublished and members-only ones that must not appear),
 * its device publishes the edition, and what the relay serves is parsed by Mozilla's ical.js in Node and
 * by Python's feedparser and icalendar (Debian's, run as a child process: test/support/read-feeds.py).
 * The parsed titles, texts, places, starts, ends, statuses and the time zone are compared with what was
 * written. (Debian's icalendar 4.0.3 misreads an escaped backslash followed by `n`: the texts here hold
 * backslashes, but none followed by `n`.)
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { type CellEvent, type JournalPost, openSite, publishEditions, relaySink } from "../../core/index.js";
import { admittedCell, relayFixture } from "../support/cells.js";

const network = relayFixture(1);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const ZONE = "America/Argentina/Buenos_Aires"; // UTC−3 all year: the page's times are checkable

type Written = Omit<CellEvent, "visibility">;

/** Events of every kind, from a day at 00:00 UTC ten days ahead. */
function eventsFrom(day: number): Written[] {
  const base = { description: "", place: "" };
  return [
    {
      ...base,
      id: "timed",
      title: "Réunion publique",
      place: "Bourse du travail",
      start: day + 18 * HOUR,
      end: day + 20 * HOUR,
    },
    { ...base, id: "open-ended", title: "Permanence", start: day + DAY + 14 * HOUR },
    { ...base, id: "one-day", title: "Fête de quartier", start: day + 2 * DAY, allDay: true },
    {
      ...base,
      id: "three-days",
      title: "Camp d'été",
      start: day + 3 * DAY,
      end: day + 5 * DAY,
      allDay: true,
    },
    {
      ...base,
      id: "cancelled",
      title: "Manifestation",
      description: "Annulée par la préfecture",
      start: day + 6 * DAY + 17 * HOUR,
      end: day + 6 * DAY + 19 * HOUR,
      cancelled: true,
    },
    {
      id: "unicode",
      title: "Grève 🚩 — عمال متحدون; «ensemble», \\ tous",
      place: "Salle \\ 3; étage, 2",
      description: "Ligne 1\nLigne 2 — ✊🏽\nאחדות, solidarité; fin",
      start: day + 7 * DAY + 9 * HOUR,
      end: day + 7 * DAY + 12 * HOUR,
    },
    {
      id: "long",
      title: `Longue ${"é".repeat(120)}`,
      place: "",
      description: "Un texte long, plié à 75 octets sans couper un caractère : ééé 🚩. ".repeat(80).trim(),
      start: day + 8 * DAY + 10 * HOUR,
    },
  ];
}

/** The iCalendar date (`YYYY-MM-DD`) of a day stored as 00:00 UTC. */
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Python's reading of the feeds (see read-feeds.py). */
interface PythonReading {
  bozo: boolean;
  feedTitle: string;
  entries: { id: string; title: string; author: string; published: number; text: string; links: string[] }[];
  calName: string;
  calZone: string | null;
  events: {
    uid: string;
    summary: string;
    description: string;
    location: string;
    start: { ms?: number; utc?: boolean; date?: string; floating?: string };
    end: { ms?: number; utc?: boolean; date?: string } | null;
    status: string | null;
  }[];
}

async function readWithPython(atom: string, ics: string): Promise<PythonReading> {
  const dir = await mkdtemp(join(tmpdir(), "cellule-feeds-"));
  try {
    await writeFile(join(dir, "feed.atom"), atom);
    await writeFile(join(dir, "events.ics"), ics);
    const script = new URL("../support/read-feeds.py", import.meta.url).pathname;
    // Debian's python3 (another python3 may come first on PATH, without these packages).
    const { stdout } = await promisify(execFile)("/usr/bin/python3", [
      script,
      join(dir, "feed.atom"),
      join(dir, "events.ics"),
    ]);
    return JSON.parse(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("the relay's feeds, read by real parsers", () => {
  it("give back what the cell wrote: titles, texts, starts, ends, all-day days, cancellations, time zone", async () => {
    const kit = await network.device();
    const { cell } = await admittedCell(kit, "Fatima", [], "Cellule 🚩 Louise-Michel");
    const relays = network.relays().map((r) => r.url);
    const site = await openSite(cell, { profile: { relays } });
    site.site.setProfile({ ...site.site.profile, timeZone: ZONE });

    const now = Date.now();
    const day = Math.floor(now / DAY) * DAY + 10 * DAY;
    const events = eventsFrom(day);
    for (const e of events) await site.agenda.put(e);
    await site.membersAgenda.put({
      id: "secret",
      title: "Réunion interne",
      description: "",
      place: "",
      start: day,
    });

    const post = (id: string, title: string, ago: number, extra: Partial<JournalPost> = {}) => ({
      id,
      title,
      text: "",
      author: "Fatima",
      date: Math.floor((now - ago) / 1000) * 1000 + 123, // ms that Atom keeps and feedparser drops
      ...extra,
    });
    const posts = [
      post("charter", "Charte 🚩 عمال", 9 * DAY, {
        text: "Épinglée.\nDeux lignes ; virgule, fin",
        pinned: true,
      }),
      post("ag", "Assemblée générale & vote <ouvert>", 2 * DAY, {
        text: "Mardi 19 h",
        link: "https://example.org/ag?x=1&y=2",
        linkTitle: "L'ordre du jour",
      }),
      post("long", "Compte rendu", DAY, { text: "Un long compte rendu, très détaillé. ".repeat(300).trim() }),
    ];
    for (const p of posts) await site.journal.put(p);
    await site.journal.put(post("draft", "Brouillon retiré", 0, { unpublished: true }));
    await site.membersJournal.put(post("members", "Code de la porte", 0));

    const publisher = await publishEditions(cell, { sink: relaySink(relays), debounceMs: 50 });
    await publisher.close();
    const base = `${relays[0]}/c/${cell.id}`;
    const served = async (url: string): Promise<string> => {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      return res.text();
    };
    const [atom, ics, page] = await Promise.all([
      served(`${base}/feed.atom`),
      served(`${base}/events.ics`),
      served(base),
    ]);

    // Mozilla's ical.js.
    const calendar = new ICAL.Component(ICAL.parse(ics));
    expect(calendar.getFirstPropertyValue("x-wr-timezone")).toBe(ZONE);
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("Cellule 🚩 Louise-Michel");
    const parsed = new Map(
      calendar.getAllSubcomponents("vevent").map((v) => [String(v.getFirstPropertyValue("uid")), v]),
    );
    expect([...parsed.keys()].sort()).toEqual(events.map((e) => `${e.id}@${cell.id}`).sort());
    for (const e of events) {
      const v = parsed.get(`${e.id}@${cell.id}`)!;
      const event = new ICAL.Event(v);
      expect([event.summary, event.description, event.location]).toEqual([e.title, e.description, e.place]);
      expect(v.getFirstPropertyValue("status") ?? null).toBe(e.cancelled ? "CANCELLED" : null);
      if (e.allDay) {
        expect(event.startDate.isDate).toBe(true);
        expect(event.startDate.toString()).toBe(isoDay(e.start));
        // DTEND is the day after the last day.
        expect(event.endDate.isDate).toBe(true);
        expect(event.endDate.toString()).toBe(isoDay((e.end ?? e.start) + DAY));
      } else {
        expect(event.startDate.isDate).toBe(false);
        expect(event.startDate.zone?.tzid).toBe("UTC");
        expect(event.startDate.toJSDate().getTime()).toBe(e.start);
        if (e.end === undefined) expect(v.hasProperty("dtend")).toBe(false);
        else expect(event.endDate.toJSDate().getTime()).toBe(e.end);
      }
    }

    // Python's feedparser and icalendar.
    const py = await readWithPython(atom, ics);
    expect(py.calZone).toBe(ZONE);
    expect(py.calName).toBe("Cellule 🚩 Louise-Michel");
    const pyEvents = new Map(py.events.map((e) => [e.uid, e]));
    expect(pyEvents.size).toBe(events.length);
    for (const e of events) {
      const got = pyEvents.get(`${e.id}@${cell.id}`)!;
      expect([got.summary, got.description, got.location]).toEqual([e.title, e.description, e.place]);
      expect(got.status).toBe(e.cancelled ? "CANCELLED" : null);
      if (e.allDay) {
        expect(got.start).toEqual({ date: isoDay(e.start) });
        expect(got.end).toEqual({ date: isoDay((e.end ?? e.start) + DAY) });
      } else {
        expect(got.start).toEqual({ ms: e.start, utc: true });
        expect(got.end).toEqual(e.end === undefined ? null : { ms: e.end, utc: true });
      }
    }
    expect(py.bozo).toBe(false);
    expect(py.feedTitle).toBe("Cellule 🚩 Louise-Michel");
    // Pinned first, then newest first; neither the unpublished nor the members' post.
    expect(py.entries.map((x) => x.title)).toEqual([
      "Charte 🚩 عمال",
      "Compte rendu",
      "Assemblée générale & vote <ouvert>",
    ]);
    const byId = new Map(posts.map((p) => [`urn:cellule:${cell.id}:post:${p.id}`, p]));
    for (const entry of py.entries) {
      const p = byId.get(entry.id)!;
      expect([entry.title, entry.text, entry.author]).toEqual([p.title, p.text, p.author]);
      expect(entry.published).toBe(Math.floor(p.date / 1000) * 1000);
      if (p.link) expect(entry.links).toContain(p.link);
    }

    // The page prints times in the cell's time zone and says which (18:00 UTC is 15:00 in Buenos Aires).
    const text = page.replace(/<[^>]*>/g, "").replace(/\s/g, " ");
    expect(text).toContain(`Heures du fuseau ${ZONE}.`);
    const local = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeStyle: "short", timeZone: ZONE })
      .format(day + 18 * HOUR)
      .replace(/\s/g, " ");
    expect(local).toContain("15:00");
    expect(text).toContain(local);
    expect(text).toMatch(/Annulé · .*Manifestation/);
    expect(text).not.toMatch(/Brouillon retiré|Code de la porte|Réunion interne/);
  });
});
