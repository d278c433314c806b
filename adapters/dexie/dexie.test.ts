import "fake-indexeddb/auto";

import { Repo } from "@automerge/automerge-repo";
import { runStorageAdapterTests } from "@automerge/automerge-repo/helpers/tests/storage-adapter-tests.js";
import { Dexie } from "dexie";
import { describe, expect, it } from "vitest";
import { StorageError } from "../../core/base/errors.js";
import { runKeystoreAcceptance, runStorageAcceptance } from "../../core/testing/index.js";
import { type DexieKeystore, type DexieStorage, dexieKeystore, dexieStorage } from "./index.js";

let counter = 0;
const uniqueName = (kind: string) =>
  `cellule-test-${kind}-${++counter}-${Math.random().toString(36).slice(2)}`;

/** A fresh database per test; `reopen` closes the current connection and opens a new one on the same data. */
function fixture<T extends { close(): void }>(kind: string, open: (name: string) => T) {
  return async () => {
    const name = uniqueName(kind);
    const opened = [open(name)];
    return {
      first: opened[0]!,
      reopen: async () => {
        opened.at(-1)?.close();
        opened.push(open(name));
        return opened.at(-1)!;
      },
      teardown: async () => {
        for (const o of opened) o.close();
        await Dexie.delete(name);
      },
    };
  };
}

const storageFixture = async () => {
  const { first, ...rest } = await fixture<DexieStorage>("storage", (n) => dexieStorage(n))();
  return { adapter: first, ...rest };
};
const keystoreFixture = async () => {
  const { first, ...rest } = await fixture<DexieKeystore>("keys", (n) => dexieKeystore(n))();
  return { keystore: first, ...rest };
};

describe("dexieStorage", () => {
  runStorageAdapterTests(storageFixture, "dexieStorage");
});

runStorageAcceptance("dexieStorage (fake-indexeddb)", storageFixture, { describe, it });
runKeystoreAcceptance("dexieKeystore (fake-indexeddb)", keystoreFixture, { describe, it });

describe("dexieStorage in Node", () => {
  it("serves an automerge-repo Repo across a restart", async () => {
    const name = uniqueName("repo");
    const firstStorage = dexieStorage(name);
    const first = new Repo({ storage: firstStorage });
    const handle = first.create<{ items: string[] }>({ items: [] });
    for (let i = 0; i < 20; i++) handle.change((doc) => void doc.items.push(`item ${i}`));
    await first.flush();
    await first.shutdown();
    firstStorage.close();
    const storage = dexieStorage(name);
    const second = new Repo({ storage });
    const again = await second.find<{ items: string[] }>(handle.url);
    expect(again.doc().items).toHaveLength(20);
    await second.shutdown();
    storage.close();
    await Dexie.delete(name);
  });

  it("turns a closed database into a StorageError", async () => {
    const storage = dexieStorage(uniqueName("closed"));
    storage.close();
    await expect(storage.load(["x"])).rejects.toThrow(StorageError);
    await Dexie.delete(storage.dbName);
  });
});

describe("dexieKeystore in Node", () => {
  it("refuses a stored row that does not hold CryptoKeys", async () => {
    const name = uniqueName("bad-row");
    const db = new Dexie(name);
    db.version(1).stores({ keys: "name" });
    await db
      .table("keys")
      .add({ name: "device", signing: { privateKey: "not a key" }, agreement: {}, created: 0 });
    db.close();
    const keystore = dexieKeystore(name);
    await expect(keystore.load("device")).rejects.toThrow(StorageError);
    await expect(keystore.load("device")).rejects.toThrow(/link this device again/);
    keystore.close();
    await Dexie.delete(name);
  });
});
