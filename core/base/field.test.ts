import { describe, expect, it } from "vitest";
import { asRecords, asText, asTime } from "./field.js";

describe("readers of untrusted fields", () => {
  it("asText: a string, else empty", () => {
    expect(asText("Cellule")).toBe("Cellule");
    expect(asText("")).toBe("");
    for (const v of [undefined, null, 42, ["a"], { toString: () => "a" }, new String("a")])
      expect(asText(v)).toBe("");
  });

  it("asTime: a number a Date can hold, else undefined", () => {
    for (const v of [0, 1_764_000_000_000, -1, 8.64e15, -8.64e15, 1.5]) expect(asTime(v)).toBe(v);
    for (const v of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      8.64e15 + 1,
      -9e15,
      "1764000000000",
      null,
      undefined,
    ])
      expect(asTime(v)).toBeUndefined();
    expect(new Date(asTime(8.64e15)!).toISOString()).toBe("+275760-09-13T00:00:00.000Z");
  });

  it("asRecords: the objects of a list, else an empty list", () => {
    const a = { id: "a" };
    expect(asRecords([a, null, 3, "x", ["nested"], undefined, { id: "b" }])).toEqual([a, { id: "b" }]);
    for (const v of [undefined, null, {}, "[]", { length: 1, 0: a }]) expect(asRecords(v)).toEqual([]);
  });
});
