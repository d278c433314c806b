import { describe, expect, it } from "vitest";
import { writersOf } from "../../test/support/devices.js";
import { Collection, InvalidArgumentError, newScopeSecret, parseDocId, parseScopeId } from "../index.js";
import { BUCKET_LIMIT, monthOf } from "../internals.js";

const PUBLIC_TEST = parseScopeId("public:test");
const M = parseScopeId("m");

interface Post {
  id: string;
  at: number;
  title: string;
}

const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 1);

describe("Collection (bucketed records)", () => {
  it("keeps every bucket at or under the limit and reads the newest first", async () => {
    const { kits } = await writersOf(PUBLIC_TEST, 2);
    const [a, b] = kits as [(typeof kits)[0], (typeof kits)[0]];
    for (const k of kits) await k.addScope(PUBLIC_TEST);
    const posts = await Collection.create<Post>(a, PUBLIC_TEST, "journal");
    // 2,400 posts in January, 30 in February.
    const jan = Array.from({ length: 2400 }, (_, i) => ({
      id: `j${i}`,
      at: start + (i % 28) * DAY + i,
      title: `J ${i}`,
    }));
    const feb = Array.from({ length: 30 }, (_, i) => ({
      id: `f${i}`,
      at: start + 32 * DAY + i,
      title: `F ${i}`,
    }));
    await posts.put(...jan);
    await posts.put(...feb);
    const buckets = Object.entries(posts.index.value().buckets);
    expect(buckets.filter(([, p]) => p === "2026-01")).toHaveLength(3);
    expect(buckets.filter(([, p]) => p === "2026-02")).toHaveLength(1);
    for (const [id] of buckets) {
      const doc = await a.open<{ items: object }>(parseDocId(id));
      expect(Object.keys(doc.value().items).length).toBeLessThanOrEqual(BUCKET_LIMIT);
    }
    const newest = await posts.newest(40);
    expect(newest.slice(0, 30).map((p) => p.id)).toEqual(feb.map((p) => p.id).reverse());
    expect(newest).toHaveLength(40);
    expect((await posts.all()).length).toBe(2430);
    // Replacing a record keeps one copy.
    await posts.put({ ...jan[5]!, title: "corrigé" });
    expect((await posts.get("j5", jan[5]!.at))?.title).toBe("corrigé");
    expect((await posts.all()).length).toBe(2430);

    // Another device holding the same envelopes reads the same collection.
    await a.flush();
    const topic = (await a.addScope(PUBLIC_TEST)).topic;
    for (const { data } of await (a as any).options.storage.loadRange(["cellule-env", topic]))
      await b.receive(data);
    const copy = await Collection.open<Post>(b, posts.id);
    expect((await copy.newest(3)).map((p) => p.id)).toEqual(["f29", "f28", "f27"]);
    expect(b.stats.rejected).toEqual({});
  });

  it("refuses records without an id or a time", async () => {
    const { kits } = await writersOf(M, 1);
    await kits[0]!.addScope(M, newScopeSecret());
    const posts = await Collection.create<Post>(kits[0]!, M, "journal");
    await expect(posts.put({ id: "", at: 1, title: "x" })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(posts.put({ id: "x", at: Number.NaN, title: "x" })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(await posts.all()).toEqual([]);
  });

  it("names months in UTC", () => {
    expect(monthOf(Date.UTC(2026, 10, 30, 23, 59))).toBe("2026-11");
    expect(monthOf(Date.UTC(2026, 11, 1))).toBe("2026-12");
  });
});
