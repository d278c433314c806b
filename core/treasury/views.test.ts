/** The treasury's pure views: who is up to date or behind, totals per period, subscriptions running on a day. */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../base/errors.js";
import type { Subscription } from "./ledger.js";
import { RULES, shuffled } from "./test-support.js";
import { duesStatus, periodTotals, type StampFacts, subscriptionsActive } from "./views.js";

let next = 0;
/** A stamp of `amount` cents by `person` for `period`, recorded at time `at`. */
function s(person: string, period: string, amount: number, at: number, bracket?: string): StampFacts {
  next++;
  return { id: `s${next}`, at, person, period, amount, ...(bracket ? { bracket } : {}) };
}

describe("dues status", () => {
  it("says who is up to date for a period, with the due of each person's bracket", () => {
    const stamps = [
      s("ana", "2026-11", 300, 1, "b1"),
      s("carla", "2026-11", 800, 2, "b2"),
      s("dan", "2026-11", 300, 3, "b2"),
      s("eve", "2026-11", 150, 4, "b1"),
      s("eve", "2026-11", 150, 5, "b1"),
      s("ana", "2026-10", 300, 0, "b1"),
    ];
    const status = duesStatus(RULES, stamps, ["ana", "bob", "carla", "dan", "eve", "ana"], "2026-11");
    expect(status).toEqual([
      { person: "ana", paid: 300, due: 300, status: "up-to-date", behind: 0, unpaid: [], bracket: "b1" },
      // No stamp at all: the cheapest bracket.
      { person: "bob", paid: 0, due: 300, status: "behind", behind: 1, unpaid: ["2026-11"], bracket: "b1" },
      { person: "carla", paid: 800, due: 800, status: "up-to-date", behind: 0, unpaid: [], bracket: "b2" },
      { person: "dan", paid: 300, due: 800, status: "behind", behind: 1, unpaid: ["2026-11"], bracket: "b2" },
      // Two half payments make one.
      { person: "eve", paid: 300, due: 300, status: "up-to-date", behind: 0, unpaid: [], bracket: "b1" },
    ]);
  });

  it("counts the periods behind over a range; paying more one month does not pay another", () => {
    const stamps = [
      s("ana", "2026-09", 300, 1, "b1"),
      s("ana", "2026-10", 600, 2, "b1"),
      s("ana", "2026-12", 300, 3, "b1"),
      s("bob", "2026-09", 300, 1),
      s("bob", "2026-10", 300, 2),
      s("bob", "2026-11", 300, 3),
      s("bob", "2026-12", 300, 4),
      s("bob", "2027-01", 300, 5),
    ];
    const [ana, bob, carla] = duesStatus(RULES, stamps, ["ana", "bob", "carla"], {
      from: "2026-09",
      to: "2026-12",
    });
    expect(ana).toMatchObject({ paid: 1200, due: 1200, status: "behind", behind: 1, unpaid: ["2026-11"] });
    expect(bob).toMatchObject({ paid: 1200, due: 1200, status: "up-to-date", behind: 0 });
    expect(carla).toMatchObject({ paid: 0, due: 1200, status: "behind", behind: 4 });
    expect(carla!.unpaid).toEqual(["2026-09", "2026-10", "2026-11", "2026-12"]);
  });

  it("takes the bracket of the latest stamp the rules know (voids aside), else the cheapest", () => {
    const stamps = [
      s("ana", "2026-10", 800, 1, "b2"),
      s("ana", "2026-11", 300, 2, "b1"),
      s("bob", "2026-10", 800, 1, "b2"),
      s("bob", "2026-11", 800, 2, "gone"),
      s("cat", "2026-11", 1500, 2, "gone"),
      s("dan", "2026-10", 800, 1, "b2"),
      { ...s("dan", "2026-11", 0, 3, "b3"), void: true as const },
    ];
    const status = duesStatus(RULES, stamps, ["ana", "bob", "cat", "dan"], "2026-11");
    expect(status.map((p) => [p.person, p.bracket, p.due, p.status])).toEqual([
      ["ana", "b1", 300, "up-to-date"],
      ["bob", "b2", 800, "up-to-date"],
      ["cat", "b1", 300, "up-to-date"],
      // A void says nothing of the bracket.
      ["dan", "b2", 800, "behind"],
    ]);
  });

  it("says no-rule without rules, and refuses a period of another kind than the rules'", () => {
    expect(duesStatus(undefined, [s("ana", "2026-Q4", 900, 1)], ["ana"], "2026-Q4")).toEqual([
      { person: "ana", paid: 900, due: 0, status: "no-rule", behind: 0, unpaid: [] },
    ]);
    const quarterly = { ...RULES, period: "quarter" as const };
    for (const period of ["2026-11", { from: "2026-10", to: "2026-11" }, "novembre"]) {
      expect(() => duesStatus(quarterly, [], ["ana"], period)).toThrow(InvalidArgumentError);
      expect(() => duesStatus(quarterly, [], ["ana"], period)).toThrow(/^period /);
    }
    expect(() => duesStatus(RULES, [], ["ana"], { from: "2026-12", to: "2026-01" })).toThrow(/^from /);
  });

  it("is the same whatever order the stamps come in", () => {
    const stamps = [
      s("ana", "2026-09", 300, 1, "b1"),
      s("ana", "2026-10", 800, 5, "b2"),
      s("ana", "2026-11", 800, 5, "b3"),
      s("bob", "2026-10", 100, 2),
      s("bob", "2026-10", 200, 2),
      s("cat", "2026-11", 1500, 9, "b3"),
    ];
    const range = { from: "2026-09", to: "2026-11" };
    const expected = duesStatus(RULES, stamps, ["ana", "bob", "cat"], range);
    for (let seed = 1; seed <= 20; seed++)
      expect(duesStatus(RULES, shuffled(stamps, seed), ["ana", "bob", "cat"], range)).toEqual(expected);
  });
});

describe("period totals", () => {
  it("sum what was collected each period and split it by the remitted share", () => {
    const stamps = [
      s("ana", "2026-11", 300, 1),
      s("bob", "2026-11", 805, 2),
      s("ana", "2026-10", 300, 1),
      s("cat", "2026-10", 0, 3),
    ];
    const expected = [
      { period: "2026-10", stamps: 2, collected: 300, remitted: 90, kept: 210 },
      // 1105 × 0.3 = 331.5: rounded to the nearest cent.
      { period: "2026-11", stamps: 2, collected: 1105, remitted: 332, kept: 773 },
    ];
    expect(periodTotals(stamps, RULES)).toEqual(expected);
    for (let seed = 1; seed <= 10; seed++)
      expect(periodTotals(shuffled(stamps, seed), RULES)).toEqual(expected);
    expect(periodTotals(stamps, undefined).map((t) => [t.remitted, t.kept])).toEqual([
      [0, 300],
      [0, 1105],
    ]);
    expect(periodTotals(stamps, { ...RULES, remittedShare: 1 }).map((t) => t.kept)).toEqual([0, 0]);
    expect(periodTotals([], RULES)).toEqual([]);
  });
});

describe("active subscriptions", () => {
  const sub = (id: string, person: string, from: string, to: string, extra: Partial<Subscription> = {}) => ({
    id,
    person,
    publication: "L'Étincelle",
    from,
    to,
    ...extra,
  });

  it("are those running on the day, both ends included, voids left out, in a stable order", () => {
    const subs = [
      sub("x1", "bob", "2026-01-01", "2026-12-31"),
      sub("x2", "ana", "2026-11-24", "2027-11-23"),
      sub("x3", "ana", "2025-11-24", "2026-11-23"),
      sub("x4", "cat", "2026-01-01", "2026-12-31", { void: true }),
      sub("x5", "ana", "2026-06-01", "2026-11-24", { publication: "Bulletin fédéral" }),
    ];
    const ids = (date: Date | number | string) => subscriptionsActive(subs, date).map((x) => x.id);
    expect(ids("2026-11-24")).toEqual(["x5", "x2", "x1"]);
    expect(ids(Date.UTC(2026, 10, 23, 22))).toEqual(["x5", "x3", "x1"]);
    expect(ids(new Date(Date.UTC(2027, 0, 1)))).toEqual(["x2"]);
    for (let seed = 1; seed <= 10; seed++)
      expect(subscriptionsActive(shuffled(subs, seed), "2026-11-24").map((x) => x.id)).toEqual([
        "x5",
        "x2",
        "x1",
      ]);
    expect(() => subscriptionsActive(subs, "24/11/2026")).toThrow(InvalidArgumentError);
  });
});
