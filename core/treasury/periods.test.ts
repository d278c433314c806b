/** Dues periods: naming, ranges, and a typed error for anything that is not a period or a day. */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../base/errors.js";
import {
  checkDay,
  checkPeriod,
  dayOf,
  MAX_PERIODS,
  periodKindOf,
  periodOf,
  periodsBetween,
  periodsUpTo,
} from "./periods.js";

describe("periods", () => {
  it("name the month, quarter and year of a date, in UTC, from a Date, ms or a day", () => {
    const date = new Date(Date.UTC(2026, 10, 30, 23, 59));
    for (const d of [date, date.getTime(), "2026-11-30"]) {
      expect(periodOf(d, "month")).toBe("2026-11");
      expect(periodOf(d, "quarter")).toBe("2026-Q4");
      expect(periodOf(d, "year")).toBe("2026");
    }
    expect(periodOf("2027-01-01", "quarter")).toBe("2027-Q1");
    expect(periodOf("2026-03-31", "quarter")).toBe("2026-Q1");
    expect(periodOf("2026-04-01", "quarter")).toBe("2026-Q2");
    expect(dayOf(Date.UTC(2026, 0, 5, 23))).toBe("2026-01-05");
  });

  it("list every period of a range, across years", () => {
    expect(periodsBetween("2026-11", "2027-02")).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
    expect(periodsBetween("2026-Q3", "2027-Q1")).toEqual(["2026-Q3", "2026-Q4", "2027-Q1"]);
    expect(periodsBetween("2025", "2027")).toEqual(["2025", "2026", "2027"]);
    expect(periodsBetween("2026-11", "2026-11")).toEqual(["2026-11"]);
  });

  it("list the periods up to one, across years, and refuse a count that is not one", () => {
    expect(periodsUpTo("2026-02", 3)).toEqual(["2025-12", "2026-01", "2026-02"]);
    expect(periodsUpTo("2027-Q1", 2)).toEqual(["2026-Q4", "2027-Q1"]);
    expect(periodsUpTo("2026", 1)).toEqual(["2026"]);
    for (const count of [0, -1, 1.5, Number.NaN, MAX_PERIODS + 1])
      expect(() => periodsUpTo("2026-02", count)).toThrow(InvalidArgumentError);
    expect(() => periodsUpTo("février", 3)).toThrow(InvalidArgumentError);
  });

  it("know the kind of a period string", () => {
    expect(periodKindOf("2026-11")).toBe("month");
    expect(periodKindOf("2026-Q4")).toBe("quarter");
    expect(periodKindOf("2026")).toBe("year");
    for (const bad of ["2026-13", "2026-00", "2026-Q5", "26", "2026-1", "2026-11-01", 2026, null, undefined])
      expect(periodKindOf(bad)).toBeUndefined();
  });

  it("refuse bad periods, ranges and days with an error naming the field", () => {
    const cases: [() => unknown, RegExp][] = [
      [() => checkPeriod("novembre", "stamp.period"), /^stamp\.period must be a period/],
      [() => checkPeriod("2026-Q4", "stamp.period", "month"), /^stamp\.period must be a month/],
      [() => periodsBetween("2026-11", "2026-Q4"), /^to must be a month/],
      [() => periodsBetween("2027-01", "2026-12"), /^from \(2027-01\) is after to/],
      [() => periodsBetween("0001-01", "9999-12"), new RegExp(`more than ${MAX_PERIODS} periods`)],
      [() => periodsBetween("x", "2026-12"), /^from must be a period/],
      [() => checkDay("2026-02-30", "subscription.from"), /^subscription\.from is not a calendar day/],
      [() => checkDay("30/11/2026", "subscription.to"), /^subscription\.to must be a day YYYY-MM-DD/],
      [() => periodOf("2026-11-31", "month"), /^date is not a calendar day/],
      [() => periodOf(Number.NaN, "month"), /^date must be a valid date/],
      [() => periodOf(new Date("nope"), "year"), /^date must be a valid date/],
      [() => periodOf(0, "week" as never), /^kind must be one of month, quarter, year/],
    ];
    for (const [call, message] of cases) {
      expect(call).toThrow(InvalidArgumentError);
      expect(call).toThrow(message);
    }
  });
});
