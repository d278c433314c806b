/**
 * The storage and keystore acceptance suites against real IndexedDB in Chromium (run by @web/test-runner,
 * mocha globals). The Node run of the same suites over fake-indexeddb is dexie.test.ts.
 */
import { initializeWasm } from "@automerge/automerge/slim";
import { Repo } from "@automerge/automerge-repo/slim";
import { Dexie } from "dexie";
import { assert, equal } from "../../core/testing/assert.js";
import { runKeystoreAcceptance, runStorageAcceptance } from "../../core/testing/index.js";
import { type DexieKeystore, type DexieStorage, dexieKeystore, dexieStorage } from "./index.js";

// Globals of the mocha framework provided by @web/test-runner.
declare const describe: (name: string, body: () => void) => void;
declare const it: (name: string, body: () => Promise<void>) => void;

/** Served by the test runner's dev server (see web-test-runner.config.mjs). */
const AUTOMERGE_WASM_URL = "/__cellule__/automerge.wasm";

let counter = 0;
const uniqueName = (kind: string) =>
  `cellule-browser-test-${kind}-${++counter}-${Math.random().toString(36).slice(2)}`;

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
        // A closed connection goes away once its last transaction completes; deleting sooner logs "blocked".
        await new Promise((resolve) => setTimeout(resolve, 0));
        await Dexie.delete(name);
      },
    };
  };
}

describe("real IndexedDB", () => {
  it("runs in Chromium with IndexedDB and WebCrypto", async () => {
    assert(/Chrom(e|ium)\//.test(navigator.userAgent), `expected Chromium, got ${navigator.userAgent}`);
    assert(typeof indexedDB !== "undefined", "expected IndexedDB");
    assert(globalThis.isSecureContext, "expected a secure context (WebCrypto needs one)");
  });

  it("dexieStorage serves an automerge-repo Repo across a restart", async () => {
    await initializeWasm(AUTOMERGE_WASM_URL);
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
    equal(again.doc().items.length, 20, "items after a restart");
    await second.shutdown();
    storage.close();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await Dexie.delete(name);
  });
});

runStorageAcceptance(
  "dexieStorage (Chromium IndexedDB)",
  async () => {
    const { first, ...rest } = await fixture<DexieStorage>("storage", (n) => dexieStorage(n))();
    return { adapter: first, ...rest };
  },
  { describe, it },
);

runKeystoreAcceptance(
  "dexieKeystore (Chromium IndexedDB)",
  async () => {
    const { first, ...rest } = await fixture<DexieKeystore>("keys", (n) => dexieKeystore(n))();
    return { keystore: first, ...rest };
  },
  { describe, it },
);

describe("test databases", () => {
  it("are all deleted by the tests that made them", async () => {
    // Runs last (mocha runs suites in order).
    const left = (await indexedDB.databases()).filter((db) => db.name?.startsWith("cellule-browser-test-"));
    assert(left.length === 0, `databases left behind: ${left.map((db) => db.name).join(", ")}`);
  });
});
