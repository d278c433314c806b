/**
 * This device's cells in the member space, a place (databases) each: the first place keeps the prefix's
 * own name (what a device had before there were several), further ones get names of their own, and a
 * damaged index still finds the first.
 */
import { describe, expect, it } from "vitest";
import { Places } from "./places.js";

/** A `Storage` in memory. */
function memoryStore(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (k) => items.get(k) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, String(v)),
  };
}

describe("the member space's places", () => {
  it("starts in the prefix's own database, and keeps a new one per further cell", () => {
    const store = memoryStore();
    const places = new Places("cellule-app", store);
    expect(places.current()).toBe("cellule-app");
    expect(places.currentHoldsCell()).toBe(false);
    places.remember("cellule-app", "a".repeat(64), "Cellule Rosa-Parks");
    expect(places.currentHoldsCell()).toBe(true);

    const second = places.fresh();
    expect(second).toMatch(/^cellule-app-[0-9a-f]{12}$/);
    expect(places.current()).toBe(second);
    expect(places.currentHoldsCell()).toBe(false);
    places.remember(second, "b".repeat(64), "Cellule Angela-Davis");
    places.remember(second, "b".repeat(64), "");

    // Read again from the same storage (a reload): the same list, in the order the cells came.
    const again = new Places("cellule-app", store);
    expect(again.list().map((p) => p.name)).toEqual(["Cellule Rosa-Parks", "Cellule Angela-Davis"]);
    expect(again.of("a".repeat(64))?.database).toBe("cellule-app");
    again.use("cellule-app");
    expect(new Places("cellule-app", store).current()).toBe("cellule-app");
    expect(new Places("other-prefix", store).list()).toEqual([]);
  });

  it("falls back to the first place when its index is damaged", () => {
    const store = memoryStore();
    for (const damaged of ["{", '{"current":3}', '{"current":"x","places":[{"database":1}]}', "null"]) {
      store.setItem("cellule-app:places", damaged);
      const places = new Places("cellule-app", store);
      expect(places.current()).toBe("cellule-app");
      expect(places.list()).toEqual([]);
    }
  });
});
