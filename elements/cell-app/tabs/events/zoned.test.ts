import { describe, expect, it } from "vitest";
import { fromDay, fromWall, toDay, toWall } from "./zoned.js";

describe("event times typed in the cell's time zone", () => {
  it("reads a wall time in the cell's zone, daylight saving time included, and writes it back", () => {
    expect(fromWall("2026-11-27T19:00", "Europe/Paris")).toBe(Date.UTC(2026, 10, 27, 18));
    expect(fromWall("2026-07-14T19:00", "Europe/Paris")).toBe(Date.UTC(2026, 6, 14, 17));
    expect(fromWall("2026-11-27T19:00", "Asia/Tokyo")).toBe(Date.UTC(2026, 10, 27, 10));
    expect(fromWall("2026-11-27T19:00:30", "UTC")).toBe(Date.UTC(2026, 10, 27, 19, 0, 30));
    for (const [ms, zone] of [
      [Date.UTC(2026, 2, 29, 1, 30), "Europe/Paris"], // just after the spring change
      [Date.UTC(2026, 9, 24, 23, 30), "Europe/Paris"], // the night of the autumn change, before it
      [Date.UTC(2026, 10, 27, 23, 59), "America/Argentina/Buenos_Aires"],
    ] as const)
      expect(fromWall(toWall(ms, zone), zone)).toBe(ms);
    expect(toWall(Date.UTC(2026, 10, 27, 18), "Europe/Paris")).toBe("2026-11-27T19:00");
  });

  it("gives NaN for what is not a time, so the core's check names the field", () => {
    for (const bad of ["", "demain", "2026-11-27", "2026-11-27 19:00"])
      expect(fromWall(bad, "Europe/Paris")).toBeNaN();
    expect(fromDay("2026-11-27")).toBe(Date.UTC(2026, 10, 27));
    expect(fromDay("")).toBeNaN();
    expect(toDay(Date.UTC(2026, 10, 27))).toBe("2026-11-27");
  });
});
