/**
 * A chunk file that is not one (changed outside Cellule, a bad disk) is set aside and reported, never a
 * reason for `load` or `loadRange` to fail: the rest of the range is read as usual (security review M9).
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { StorageError } from "../../core/index.js";
import { type CorruptChunk, fileStorage } from "./storage.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe("file storage: a damaged chunk file", () => {
  it("is moved to .quarantine and reported; the others of its range still load", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cellule-fs-"));
    dirs.push(dir);
    const reports: CorruptChunk[] = [];
    const storage = fileStorage(dir, { fsync: false, onCorrupt: (r) => void reports.push(r) });
    await storage.save(["docs", "a"], new Uint8Array([1]));
    await storage.save(["docs", "b"], new Uint8Array([2]));
    await storage.save(["docs", "c"], new Uint8Array([3]));
    await writeFile(join(dir, "docs", "b", "chunk.cel"), "garbage, not a chunk");

    const range = await storage.loadRange(["docs"]);
    expect(range.map((c) => c.key)).toEqual([
      ["docs", "a"],
      ["docs", "c"],
    ]);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.key).toEqual(["docs", "b"]);
    expect(reports[0]!.error).toBeInstanceOf(StorageError);
    const moved = await readdir(join(dir, ".quarantine"));
    expect(moved).toHaveLength(1);
    expect(await readFile(join(dir, ".quarantine", moved[0]!), "utf8")).toBe("garbage, not a chunk");
    // Gone from the key tree: read as missing from now on, and a later save of the key works.
    expect(await storage.load(["docs", "b"])).toBeUndefined();
    await storage.save(["docs", "b"], new Uint8Array([4]));
    expect(await storage.load(["docs", "b"])).toEqual(new Uint8Array([4]));

    await writeFile(join(dir, "docs", "a", "chunk.cel"), "x");
    expect(await storage.load(["docs", "a"])).toBeUndefined();
    expect(reports).toHaveLength(2);
  });
});
