/**
 * The relay's page prints times in the cell's time zone and says which (it printed UTC without saying so),
 * shows all-day events as days and cancelled ones as cancelled; the calendar names the zone. (The feeds are
 * read by real parsers in test/e2e/feeds-parsers.e2e.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { buildEdition, signEdition } from "../../../core/internals.js";
import type { CellEvent } from "../../../core/protocol/public-content.js";
import { verifyEdition } from "../../../core/public/verify.js";
import { NOW, publishingCell, sampleContent } from "../../../core/site/test-support.js";
import { renderAtom, renderHtml, renderIcs } from "./render.js";

const DAY = 86_400_000;
// 2026-11-25 18:30 UTC: 19:30 in Paris, 03:30 the next day in Tokyo.
const START = Date.UTC(2026, 10, 25, 18, 30);
const events: CellEvent[] = [
  {
    id: "t",
    title: "Réunion",
    description: "",
    place: "Local",
    start: START,
    end: START + 2 * 3_600_000,
    visibility: "public",
  },
  {
    id: "d",
    title: "Fête",
    description: "",
    place: "",
    start: Date.UTC(2026, 10, 28),
    end: Date.UTC(2026, 10, 29),
    allDay: true,
    visibility: "public",
  },
  {
    id: "c",
    title: "Manif annulée",
    description: "",
    place: "",
    start: START + DAY,
    cancelled: true,
    visibility: "public",
  },
];

async function edition(timeZone?: string) {
  const cell = await publishingCell();
  const sample = sampleContent();
  const content = {
    ...sample,
    profile: { ...sample.profile, ...(timeZone ? { timeZone } : {}) },
    posts: [
      ...sample.posts,
      { ...sample.posts[0]!, id: "hidden", title: "Brouillon retiré", unpublished: true },
    ],
    events,
  };
  const body = buildEdition(cell.genesis, cell.keys.chain, content, NOW);
  // An edition signed by an older or hostile writer may still carry an unpublished post.
  body.posts.push({ ...sample.posts[0]!, id: "hidden2", title: "Retiré aussi", unpublished: true });
  return verifyEdition(await signEdition(body, cell.keys.signing.privateKey), cell.genesis.hash);
}

const plain = (html: string) => html.replace(/\s/g, " ");

describe("the relay's renderings", () => {
  it("print times in the cell's time zone, Europe/Paris when the profile names none, and say which", async () => {
    const paris = plain(renderHtml(await edition(), "fr"));
    expect(paris).toContain("Heures du fuseau Europe/Paris.");
    expect(paris).toContain("25 novembre 2026 à 19:30");
    expect(paris).toContain("25 novembre 2026 à 21:30");
    const tokyo = plain(renderHtml(await edition("Asia/Tokyo"), "en"));
    expect(tokyo).toContain("Times in the Asia/Tokyo time zone.");
    expect(tokyo).toContain("26 November 2026 at 03:30");
    expect(tokyo.replace(/<[^>]*>/g, "")).not.toContain("18:30");
  });

  it("show all-day events as days, cancelled ones as cancelled, and no unpublished post", async () => {
    const html = plain(renderHtml(await edition("Asia/Tokyo"), "fr"));
    expect(html).toMatch(
      /<time datetime="2026-11-28">28 novembre 2026<\/time> – <time datetime="2026-11-29">29 novembre 2026<\/time> \(toute la journée\)/,
    );
    expect(html).toMatch(/<strong>Annulé<\/strong> · <del>.*Manif annulée<\/bdi><\/del>/);
    expect(html).not.toMatch(/Brouillon retiré|Retiré aussi/);
    const atom = renderAtom(await edition(), "/feed.atom");
    expect(atom).not.toMatch(/Brouillon retiré|Retiré aussi/);
  });

  it("name the zone in the calendar, which keeps its times in UTC", async () => {
    const ics = renderIcs(await edition("Asia/Tokyo"));
    expect(ics).toContain("X-WR-TIMEZONE:Asia/Tokyo\r\n");
    expect(ics).toContain("DTSTART:20261125T183000Z\r\n");
    expect(ics).toContain("STATUS:CANCELLED\r\n");
    expect(renderIcs(await edition())).toContain("X-WR-TIMEZONE:Europe/Paris\r\n");
  });
});
