import { describe, expect, it } from "vitest";
import { icsCalendar } from "./ical.js";

const CELL = "c".repeat(64);
const AT = Date.UTC(2026, 10, 20, 9);
const START = Date.UTC(2026, 10, 25, 12);
const event = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: `Événement ${id}`,
  description: "",
  place: "",
  start: START,
  end: START + 3_600_000,
  ...extra,
});
/** The unfolded content lines of a calendar. */
const lines = (ics: string) => ics.slice(0, -2).replace(/\r\n /g, "").split("\r\n");

describe("icsCalendar", () => {
  it("leaves out events without a valid start instead of dating them 1970", () => {
    const ics = icsCalendar("Cellule", CELL, AT, [
      event("ok"),
      event("missing", { start: undefined }),
      event("text", { start: "2026-11-25" }),
      event("nan", { start: Number.NaN }),
      event("infinite", { start: Number.POSITIVE_INFINITY }),
      event("negative", { start: -1 }),
      event("year 10000", { start: Date.UTC(10_000, 0, 1) }),
      event("beyond Date", { start: 9e15 }),
    ]);
    const all = lines(ics);
    expect(all.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1);
    expect(all).toContain(`UID:ok@${CELL}`);
    expect(ics).not.toMatch(/1970|\+|NaN|Invalid/);
    expect(all).toContain("DTSTART:20261125T120000Z");
    expect(all).toContain("DTEND:20261125T130000Z");
  });

  it("ends an event without a valid end, or one ending before it starts, when it starts", () => {
    const ics = icsCalendar("Cellule", CELL, AT, [
      event("no end", { end: undefined }),
      event("ends first", { end: START - 1 }),
    ]);
    const all = lines(ics);
    expect(all.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(2);
    expect(all.filter((l) => l === "DTEND:20261125T120000Z")).toHaveLength(2);
    expect(all.filter((l) => l === "DTSTAMP:20261120T090000Z")).toHaveLength(2);
  });

  it("gives an empty calendar, not a broken one, when no event can be written", () => {
    const all = lines(icsCalendar("Cellule", CELL, AT, [event("x", { start: null })]));
    expect(all).toEqual([
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Cellule//Edition//FR",
      "CALSCALE:GREGORIAN",
      "X-WR-CALNAME:Cellule",
      "END:VCALENDAR",
    ]);
  });
});
