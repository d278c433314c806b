/** Corrections resolve into chains the same way whatever order the entries come in. */
import { describe, expect, it } from "vitest";
import { type Chainable, resolveChains } from "./chains.js";
import { shuffled } from "./test-support.js";

const e = (id: string, at: number, supersedes?: string): Chainable =>
  supersedes === undefined ? { id, at } : { id, at, supersedes };

/** What a resolution says, in a form two resolutions can be compared by. */
function summary(entries: Chainable[]) {
  const { current, chainOf, refused } = resolveChains(entries);
  return {
    current: current.map((c) => c.id),
    chains: [...chainOf].map(([id, chain]) => [id, chain.map((c) => c.id)]).sort(),
    refused: refused.map((r) => [r.entry.id, r.reason]).sort(),
  };
}

describe("correction chains", () => {
  it("show the latest correction of each entry and keep the history, oldest first", () => {
    const entries = [e("a", 1), e("b", 2), e("a2", 3, "a"), e("a3", 4, "a2"), e("c", 5)];
    const { current, chainOf, refused } = resolveChains(entries);
    expect(current.map((c) => c.id)).toEqual(["b", "a3", "c"]);
    expect(chainOf.get("a")!.map((c) => c.id)).toEqual(["a", "a2", "a3"]);
    expect(chainOf.get("a2")).toBe(chainOf.get("a"));
    expect(chainOf.get("b")!.map((c) => c.id)).toEqual(["b"]);
    expect(refused).toEqual([]);
  });

  it("follow the corrections, not the clocks: a correction stamped earlier still supersedes", () => {
    const { current, chainOf } = resolveChains([e("a", 10), e("a2", 5, "a"), e("a3", 1, "a2")]);
    expect(current.map((c) => c.id)).toEqual(["a3"]);
    expect(chainOf.get("a3")!.map((c) => c.id)).toEqual(["a", "a2", "a3"]);
  });

  it("resolve concurrent corrections of one entry to the latest, by time then ID", () => {
    expect(summary([e("a", 1), e("x", 5, "a"), e("y", 7, "a")]).current).toEqual(["y"]);
    expect(summary([e("a", 1), e("x", 7, "a"), e("y", 7, "a")]).current).toEqual(["y"]);
    // A correction of the losing branch continues it, and wins if it is later.
    expect(summary([e("a", 1), e("x", 5, "a"), e("y", 7, "a"), e("x2", 9, "x")]).current).toEqual(["x2"]);
  });

  it("refuse corrections of unknown entries, of refused ones, and cycles, with a reason", () => {
    const { current, refused } = resolveChains([
      e("a", 1),
      e("orphan", 2, "nowhere"),
      e("child", 3, "orphan"),
      e("p", 4, "q"),
      e("q", 5, "p"),
      e("self", 6, "self"),
    ]);
    expect(current.map((c) => c.id)).toEqual(["a"]);
    const why = Object.fromEntries(refused.map((r) => [r.entry.id, r.reason]));
    expect(why.orphan).toMatch(/corrects entry nowhere, which is not a valid entry/);
    expect(why.child).toBe("corrects entry orphan, which does not count");
    expect(why.p).toMatch(/cycle|does not count/);
    expect(why.q).toMatch(/cycle|does not count/);
    expect(why.self).toMatch(/cycle/);
  });

  it("give the same result for every order of the same entries", () => {
    const entries = [
      e("a", 1),
      e("b", 2),
      e("a2", 3, "a"),
      e("a3", 3, "a"),
      e("a4", 8, "a2"),
      e("b2", 4, "b"),
      e("z", 9, "missing"),
      e("z2", 10, "z"),
      e("c", 2),
      e("p", 4, "q"),
      e("q", 5, "p"),
    ];
    const expected = summary(entries);
    expect(expected.current).toEqual(["c", "b2", "a4"]);
    for (let seed = 1; seed <= 30; seed++) expect(summary(shuffled(entries, seed))).toEqual(expected);
  });
});
