/**
 * Acceptance suite for automerge-repo storage adapters, run by every Cellule storage adapter (memory,
 * filesystem, Dexie in Node and in Chromium). It goes beyond automerge-repo's own `runStorageAdapterTests`
 * where Cellule relies on more: key-part boundaries in ranges, odd key characters, binary edge cases,
 * concurrency and restarts. It only needs `describe`/`it`, so it runs under vitest and under mocha.
 */
import type { StorageAdapterInterface, StorageKey } from "@automerge/automerge-repo/slim";
import { InvalidArgumentError } from "../base/errors.js";
import { assert, bytesEqual, deepEqual, equal, isUndefined, rejects } from "./assert.js";
import { type TestFramework, withFixture } from "./framework.js";

/** One fresh, empty adapter for one test. */
export interface StorageFixture {
  /** The adapter under test, with nothing stored in it. */
  adapter: StorageAdapterInterface;
  /** Releases what the fixture holds (closes databases, deletes temporary directories). */
  teardown?: () => void | Promise<void>;
  /**
   * Simulates a restart: a new adapter over the same stored data (the previous one may be closed).
   * Omit it for adapters that keep nothing across restarts; the restart tests are then skipped.
   */
  reopen?: () => Promise<StorageAdapterInterface>;
}

/** Deterministic pseudo-random bytes (xorshift32): large payloads without `getRandomValues`' 64 KiB limit. */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The keys of a range, each as JSON, in the order the adapter returned them. */
async function rangeKeys(adapter: StorageAdapterInterface, prefix: StorageKey): Promise<string[]> {
  const chunks = await adapter.loadRange(prefix);
  return chunks.map((chunk) => JSON.stringify(chunk.key));
}

/** The keys of a range as a sorted list of JSON strings, for order-independent comparisons. */
async function rangeKeySet(adapter: StorageAdapterInterface, prefix: StorageKey): Promise<string[]> {
  return (await rangeKeys(adapter, prefix)).sort();
}

const keySet = (...keys: StorageKey[]): string[] => keys.map((key) => JSON.stringify(key)).sort();

/** Key parts that break naive path or string encodings. */
export const UNUSUAL_KEY_PARTS: readonly string[] = [
  "/",
  "a/b",
  "\\",
  ".",
  "..",
  "../../escape",
  "%",
  "%2F",
  "%25",
  "",
  " ",
  "A",
  "a",
  "é",
  "e\u0301",
  "日本語",
  "🙂",
  "\u0000",
  "x".repeat(80),
];

/**
 * Declares the storage acceptance tests under `describe(name)`.
 *
 * @param name - shown in the test report, e.g. `"dexieStorage"`
 * @param setup - returns a fresh, empty adapter for each test
 * @param framework - the test framework's `describe` and `it`
 *
 * @example
 * ```ts
 * import { describe, it } from "vitest";
 * runStorageAcceptance("memoryStorage", async () => ({ adapter: memoryStorage() }), { describe, it });
 * ```
 */
export function runStorageAcceptance(
  name: string,
  setup: () => Promise<StorageFixture>,
  { describe, it }: TestFramework,
): void {
  const test = (title: string, body: (fixture: StorageFixture) => Promise<void>) =>
    it(title, withFixture(setup, body));

  describe(`${name} (Cellule storage acceptance)`, () => {
    describe("save, load, remove", () => {
      test("load of a missing key gives undefined", async ({ adapter }) => {
        isUndefined(await adapter.load(["missing"]), "load(['missing'])");
        isUndefined(await adapter.load(["missing", "deeper", "key"]), "load of a missing composite key");
      });

      test("load gives back what save stored, as a plain Uint8Array", async ({ adapter }) => {
        await adapter.save(["doc", "snapshot", "h1"], text("hello"));
        bytesEqual(await adapter.load(["doc", "snapshot", "h1"]), text("hello"), "loaded value");
      });

      test("save overwrites the value under the same key", async ({ adapter }) => {
        await adapter.save(["doc", "k"], text("first"));
        await adapter.save(["doc", "k"], text("second, longer"));
        await adapter.save(["doc", "k"], text("3rd"));
        bytesEqual(await adapter.load(["doc", "k"]), text("3rd"), "value after two overwrites");
        deepEqual(await rangeKeys(adapter, ["doc"]), [JSON.stringify(["doc", "k"])], "keys after overwrites");
      });

      test("remove deletes one key and leaves its neighbours", async ({ adapter }) => {
        await adapter.save(["doc", "a"], text("a"));
        await adapter.save(["doc", "b"], text("b"));
        await adapter.save(["doc"], text("parent"));
        await adapter.save(["doc", "a", "child"], text("child"));
        await adapter.remove(["doc", "a"]);
        isUndefined(await adapter.load(["doc", "a"]), "removed key");
        bytesEqual(await adapter.load(["doc", "b"]), text("b"), "sibling of the removed key");
        bytesEqual(await adapter.load(["doc"]), text("parent"), "parent of the removed key");
        bytesEqual(await adapter.load(["doc", "a", "child"]), text("child"), "child of the removed key");
      });

      test("remove of a missing key does nothing", async ({ adapter }) => {
        await adapter.save(["kept"], text("kept"));
        await adapter.remove(["missing"]);
        await adapter.remove(["kept", "missing"]);
        bytesEqual(await adapter.load(["kept"]), text("kept"), "unrelated key");
      });

      test("a key and its extensions are distinct entries", async ({ adapter }) => {
        await adapter.save(["a"], text("1"));
        await adapter.save(["a", "b"], text("2"));
        await adapter.save(["a", "b", "c"], text("3"));
        bytesEqual(await adapter.load(["a"]), text("1"), "['a']");
        bytesEqual(await adapter.load(["a", "b"]), text("2"), "['a','b']");
        bytesEqual(await adapter.load(["a", "b", "c"]), text("3"), "['a','b','c']");
      });

      test("an empty key is refused with InvalidArgumentError", async ({ adapter }) => {
        await rejects(() => adapter.save([], text("x")), InvalidArgumentError, "save([])");
      });
    });

    describe("ranges respect key-part boundaries", () => {
      test("prefix ['ab'] does not match ['abc']", async ({ adapter }) => {
        await adapter.save(["ab"], text("ab"));
        await adapter.save(["ab", "x"], text("ab/x"));
        await adapter.save(["abc"], text("abc"));
        await adapter.save(["abc", "x"], text("abc/x"));
        await adapter.save(["a"], text("a"));
        deepEqual(await rangeKeySet(adapter, ["ab"]), keySet(["ab"], ["ab", "x"]), "loadRange(['ab'])");
        await adapter.removeRange(["ab"]);
        deepEqual(await rangeKeySet(adapter, []), keySet(["a"], ["abc"], ["abc", "x"]), "after removeRange");
      });

      test("prefix ['a','b'] does not match ['a','bc']", async ({ adapter }) => {
        await adapter.save(["a", "b"], text("1"));
        await adapter.save(["a", "b", "1"], text("2"));
        await adapter.save(["a", "bc", "1"], text("3"));
        await adapter.save(["a", "bc"], text("4"));
        await adapter.save(["a"], text("5"));
        deepEqual(
          await rangeKeySet(adapter, ["a", "b"]),
          keySet(["a", "b"], ["a", "b", "1"]),
          "loadRange(['a','b'])",
        );
        await adapter.removeRange(["a", "b"]);
        deepEqual(
          await rangeKeySet(adapter, ["a"]),
          keySet(["a"], ["a", "bc"], ["a", "bc", "1"]),
          "loadRange(['a']) after removeRange(['a','b'])",
        );
      });

      test("ranges carry each chunk's full key and data", async ({ adapter }) => {
        await adapter.save(["d", "incremental", "h1"], text("one"));
        await adapter.save(["d", "snapshot", "h2"], text("two"));
        const chunks = await adapter.loadRange(["d", "incremental"]);
        equal(chunks.length, 1, "number of chunks");
        deepEqual(chunks[0]?.key, ["d", "incremental", "h1"], "chunk key");
        bytesEqual(chunks[0]?.data, text("one"), "chunk data");
      });

      test("a range with no match is an empty array, and removing it does nothing", async ({ adapter }) => {
        await adapter.save(["x", "y"], text("kept"));
        deepEqual(await adapter.loadRange(["nothing"]), [], "loadRange of a missing prefix");
        deepEqual(await adapter.loadRange(["x", "y", "z"]), [], "loadRange below a leaf");
        await adapter.removeRange(["nothing"]);
        await adapter.removeRange(["x", "y", "z"]);
        bytesEqual(await adapter.load(["x", "y"]), text("kept"), "unrelated key");
      });

      test("the empty prefix matches every key (automerge-repo semantics)", async ({ adapter }) => {
        await adapter.save(["a"], text("1"));
        await adapter.save(["b", "c"], text("2"));
        await adapter.save(["d", "e", "f"], text("3"));
        deepEqual(
          await rangeKeySet(adapter, []),
          keySet(["a"], ["b", "c"], ["d", "e", "f"]),
          "loadRange([])",
        );
        await adapter.removeRange([]);
        deepEqual(await adapter.loadRange([]), [], "loadRange([]) after removeRange([])");
        await adapter.save(["a"], text("again"));
        bytesEqual(await adapter.load(["a"]), text("again"), "save after removeRange([])");
      });

      test("chunks come back in the order they were last saved", async ({ adapter }) => {
        // automerge-repo's own suite expects this order from loadRange; every Cellule adapter keeps it.
        await adapter.save(["d", "sync-state", "x"], text("1"));
        await adapter.save(["d", "snapshot", "y"], text("2"));
        await adapter.save(["d", "incremental", "z"], text("3"));
        await adapter.save(["d", "a"], text("4"));
        deepEqual(
          await rangeKeys(adapter, ["d"]),
          [
            ["d", "sync-state", "x"],
            ["d", "snapshot", "y"],
            ["d", "incremental", "z"],
            ["d", "a"],
          ].map((key) => JSON.stringify(key)),
          "order of loadRange(['d'])",
        );
        await adapter.save(["d", "snapshot", "y"], text("2 again"));
        deepEqual(
          await rangeKeys(adapter, ["d"]),
          [
            ["d", "sync-state", "x"],
            ["d", "incremental", "z"],
            ["d", "a"],
            ["d", "snapshot", "y"],
          ].map((key) => JSON.stringify(key)),
          "order after overwriting ['d','snapshot','y']",
        );
      });
    });

    describe("binary data", () => {
      test("an empty value is stored, not mistaken for a missing one", async ({ adapter }) => {
        await adapter.save(["empty"], new Uint8Array(0));
        bytesEqual(await adapter.load(["empty"]), new Uint8Array(0), "load of an empty value");
        const chunks = await adapter.loadRange(["empty"]);
        equal(chunks.length, 1, "chunks of an empty value");
        bytesEqual(chunks[0]?.data, new Uint8Array(0), "loadRange of an empty value");
      });

      test("every byte value round-trips", async ({ adapter }) => {
        const all = Uint8Array.from({ length: 512 }, (_, i) => (i * 167) & 0xff);
        await adapter.save(["bytes"], all);
        bytesEqual(await adapter.load(["bytes"]), all, "all byte values");
      });

      test("a 1 MiB value round-trips", async ({ adapter }) => {
        const big = patternBytes(1024 * 1024, 7);
        await adapter.save(["big", "snapshot"], big);
        bytesEqual(await adapter.load(["big", "snapshot"]), big, "1 MiB value via load");
        bytesEqual((await adapter.loadRange(["big"]))[0]?.data, big, "1 MiB value via loadRange");
      });

      test("a view into a larger buffer stores only its own bytes", async ({ adapter }) => {
        const buffer = patternBytes(64, 3);
        const view = buffer.subarray(10, 20);
        await adapter.save(["view"], view);
        const loaded = await adapter.load(["view"]);
        bytesEqual(loaded, buffer.slice(10, 20), "value saved from a subarray");
      });

      test("changing the array after save does not change what is stored", async ({ adapter }) => {
        const data = text("original");
        await adapter.save(["mutable"], data);
        data.fill(0);
        bytesEqual(
          await adapter.load(["mutable"]),
          text("original"),
          "value after the caller reused its array",
        );
        const loaded = await adapter.load(["mutable"]);
        loaded?.fill(1);
        bytesEqual(
          await adapter.load(["mutable"]),
          text("original"),
          "value after the caller changed a load",
        );
      });
    });

    describe("keys", () => {
      test("unusual characters in key parts are stored verbatim and kept apart", async ({ adapter }) => {
        const keys = UNUSUAL_KEY_PARTS.map((part) => ["odd", part]);
        keys.push(["odd", "..", "..", "x"], ["odd", "a", "b"], ["odd", "%2F", "x"], ["odd", "", ""]);
        for (const [i, key] of keys.entries()) await adapter.save(key, text(`value ${i}`));
        for (const [i, key] of keys.entries()) {
          bytesEqual(await adapter.load(key), text(`value ${i}`), `load(${JSON.stringify(key)})`);
        }
        deepEqual(await rangeKeySet(adapter, ["odd"]), keySet(...keys), "keys listed by loadRange(['odd'])");
        deepEqual(
          await rangeKeySet(adapter, ["odd", ".."]),
          keySet(["odd", ".."], ["odd", "..", "..", "x"]),
          "loadRange(['odd','..'])",
        );
        deepEqual(
          await rangeKeySet(adapter, ["odd", "a/b"]),
          keySet(["odd", "a/b"]),
          "loadRange(['odd','a/b'])",
        );
        await adapter.removeRange(["odd", ".."]);
        await adapter.remove(["odd", "a/b"]);
        bytesEqual(
          await adapter.load(["odd", "a", "b"]),
          text(`value ${keys.length - 3}`),
          "['odd','a','b']",
        );
        const dot = UNUSUAL_KEY_PARTS.indexOf(".");
        bytesEqual(
          await adapter.load(["odd", "."]),
          text(`value ${dot}`),
          "['odd','.'] next to the removed '..'",
        );
        equal((await adapter.loadRange(["odd"])).length, keys.length - 3, "keys left after removals");
      });
    });

    describe("concurrency", () => {
      test("200 concurrent saves are all kept", async ({ adapter }) => {
        const keys = Array.from({ length: 200 }, (_, i) => ["many", `doc-${i % 7}`, `chunk-${i}`]);
        await Promise.all(keys.map((key, i) => adapter.save(key, patternBytes(100 + i, i + 1))));
        for (const [i, key] of keys.entries()) {
          bytesEqual(await adapter.load(key), patternBytes(100 + i, i + 1), `load(${JSON.stringify(key)})`);
        }
        deepEqual(
          await rangeKeySet(adapter, ["many"]),
          keySet(...keys),
          "keys listed by loadRange(['many'])",
        );
      });

      test("concurrent overwrites of one key leave one of the written values", async ({ adapter }) => {
        const values = Array.from({ length: 20 }, (_, i) => patternBytes(1000, i + 1));
        await Promise.all(values.map((value) => adapter.save(["hot"], value)));
        const loaded = await adapter.load(["hot"]);
        assert(loaded, "the key written 20 times concurrently is missing");
        const match = values.some(
          (value) => value.every((b, i) => loaded[i] === b) && value.length === loaded.length,
        );
        assert(match, "the value under a key written concurrently is none of the values written");
        equal((await adapter.loadRange(["hot"])).length, 1, "chunks under the key written concurrently");
      });
    });

    describe("restart", () => {
      test("after a restart (fixtures with reopen), everything saved is there and nothing removed", async (fixture) => {
        if (!fixture.reopen) return;
        const { adapter } = fixture;
        const big = patternBytes(300_000, 11);
        await adapter.save(["doc", "snapshot", "s1"], big);
        await adapter.save(["doc", "incremental", "i1"], text("i1"));
        await adapter.save(["doc", "incremental", "i2"], text("i2"));
        await adapter.save(["doc", "incremental", "gone"], text("gone"));
        await adapter.save(["other", "..", "%"], new Uint8Array(0));
        await adapter.save(["doc", "incremental", "i1"], text("i1 again"));
        await adapter.remove(["doc", "incremental", "gone"]);
        const reopened = await fixture.reopen();
        bytesEqual(await reopened.load(["doc", "snapshot", "s1"]), big, "snapshot after restart");
        bytesEqual(await reopened.load(["doc", "incremental", "i1"]), text("i1 again"), "overwritten key");
        bytesEqual(await reopened.load(["other", "..", "%"]), new Uint8Array(0), "empty value after restart");
        isUndefined(await reopened.load(["doc", "incremental", "gone"]), "removed key after restart");
        deepEqual(
          await rangeKeys(reopened, ["doc"]),
          [
            ["doc", "snapshot", "s1"],
            ["doc", "incremental", "i2"],
            ["doc", "incremental", "i1"],
          ].map((key) => JSON.stringify(key)),
          "loadRange(['doc']) after restart, in save order",
        );
        await reopened.save(["doc", "incremental", "i3"], text("i3"));
        equal((await reopened.loadRange(["doc"])).length, 4, "chunks after saving to the reopened adapter");
      });
    });
  });
}
