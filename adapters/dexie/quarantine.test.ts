/**
 * A row of the Dexie storage that holds no chunk (written by something else, a damaged profile) is set
 * aside and reported, never a reason for `load` or `loadRange` to fail (security review M9).
 */
import "fake-indexeddb/auto";

import { Dexie } from "dexie";
import { afterEach, describe, expect, it } from "vitest";
import { StorageError } from "../../core/index.js";
import { dexieStorage } from "./index.js";

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

describe("Dexie storage: a row that holds no chunk", () => {
  it("is set aside under cellule-quarantine and reported; the rest of its range loads", async () => {
    const name = `cellule-test-quarantine-${Math.random().toString(36).slice(2)}`;
    names.push(name);
    const reports: { key: unknown; error: StorageError }[] = [];
    const storage = dexieStorage(name, { onCorrupt: (r) => void reports.push(r) });
    await storage.save(["docs", "a"], new Uint8Array([1]));
    await storage.save(["docs", "c"], new Uint8Array([3]));
    storage.close();
    // Another program writes a row of its own.
    const raw = new Dexie(name);
    raw.version(1).stores({ chunks: "key, seq" });
    await raw.table("chunks").put({ key: ["docs", "b"], data: "garbage", seq: 2 });
    raw.close();

    const again = dexieStorage(name, { onCorrupt: (r) => void reports.push(r) });
    const range = await again.loadRange(["docs"]);
    expect(range.map((c) => c.key)).toEqual([
      ["docs", "a"],
      ["docs", "c"],
    ]);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.key).toEqual(["docs", "b"]);
    expect(reports[0]!.error).toBeInstanceOf(StorageError);
    expect(await again.load(["docs", "b"])).toBeUndefined();
    expect((await again.loadRange(["cellule-quarantine"])).map((c) => c.key)).toEqual([
      ["cellule-quarantine", "docs", "b"],
    ]);
    again.close();
  });
});
