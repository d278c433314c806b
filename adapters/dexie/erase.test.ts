/**
 * Erasing a device: every database of the member space's prefix goes (documents, keys, each cell's place),
 * also while this page still holds them open, and nothing of another prefix is touched.
 */
import "fake-indexeddb/auto";

import { describe, expect, it } from "vitest";
import { eraseDatabases } from "./erase.js";
import { dexieKeystore, dexieStorage } from "./index.js";

const names = async () => (await indexedDB.databases()).map((d) => d.name).sort();

describe("eraseDatabases", () => {
  it("deletes every database of the prefix, open ones included, and only those", async () => {
    const prefix = `erase-${Math.random().toString(36).slice(2)}`;
    const storages = [prefix, `${prefix}-a1b2c3`, `${prefix}x`].map((n) => dexieStorage(n));
    const keystores = [`${prefix}-keys`, `${prefix}-a1b2c3-keys`].map((n) => dexieKeystore(n));
    for (const [i, storage] of storages.entries()) await storage.save(["k"], new Uint8Array([i]));
    for (const keystore of keystores) await keystore.create("device");

    const erased = await eraseDatabases(prefix);
    expect(erased.sort()).toEqual(
      [prefix, `${prefix}-a1b2c3`, `${prefix}-a1b2c3-keys`, `${prefix}-keys`].sort(),
    );
    expect((await names()).filter((n) => n?.startsWith(prefix))).toEqual([`${prefix}x`]);
    // Opened again, they are empty: the keys are gone.
    expect(await dexieStorage(prefix).load(["k"])).toBeUndefined();
    expect(await dexieKeystore(`${prefix}-keys`).load("device")).toBeUndefined();
    expect(await dexieStorage(`${prefix}x`).load(["k"])).toEqual(new Uint8Array([2]));
  });
});
