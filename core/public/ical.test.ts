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

  it("writes no DTEND for an event without a valid end, or with one not after its start (RFC 5545)", () => {
    const ics = icsCalendar("Cellule", CELL, AT, [
      event("no end", { end: undefined }),
      event("ends first", { end: START - 1 }),
      event("ends as it starts", { end: START }),
      event("bad end", { end: "demain" }),
    ]);
    const all = lines(ics);
    expect(all.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(4);
    expect(all.filter((l) => l.startsWith("DTEND"))).toEqual([]);
    expect(all.filter((l) => l === "DTSTART:20261125T120000Z")).toHaveLength(4);
    expect(all.filter((l) => l === "DTSTAMP:20261120T090000Z")).toHaveLength(4);
  });

  it("writes all-day events as dates, ending the day after their last day, and cancelled ones as such", () => {
    const day = Date.UTC(2026, 11, 31);
    const events = [
      event("one day", { start: day, end: undefined, allDay: true }),
      event("three days", { start: day, end: day + 2 * 86_400_000, allDay: true }),
      event("backwards", { start: day, end: day - 86_400_000, allDay: true }),
      event("called off", { cancelled: true }),
    ];
    const blocks = lines(icsCalendar("Cellule", CELL, AT, events, "Europe/Paris"))
      .join("\n")
      .split("BEGIN:VEVENT")
      .slice(1);
    const of = (i: number) => blocks[i]!.split("\n").filter((l) => /^(DTSTART|DTEND|STATUS)/.test(l));
    expect(of(0)).toEqual(["DTSTART;VALUE=DATE:20261231", "DTEND;VALUE=DATE:20270101"]);
    expect(of(1)).toEqual(["DTSTART;VALUE=DATE:20261231", "DTEND;VALUE=DATE:20270103"]);
    expect(of(2)).toEqual(["DTSTART;VALUE=DATE:20261231", "DTEND;VALUE=DATE:20270101"]);
    expect(of(3)).toEqual(["DTSTART:20261125T120000Z", "DTEND:20261125T130000Z", "STATUS:CANCELLED"]);
    expect(lines(icsCalendar("C", CELL, AT, [], "Europe/Paris"))).toContain("X-WR-TIMEZONE:Europe/Paris");
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
