/**
 * In-memory automerge-repo storage: for tests, benchmarks and short-lived tools. Nothing survives the
 * process.
 */
import type { Chunk, StorageAdapterInterface, StorageKey } from "@automerge/automerge-repo/slim";
import { InvalidArgumentError } from "../../core/base/errors.js";

/** Refuses anything but an array of strings, and the empty key where a whole key is expected. */
function checkKey(key: StorageKey, isPrefix: boolean): void {
  if (!Array.isArray(key) || key.some((part) => typeof part !== "string")) {
    throw new InvalidArgumentError(`a storage key is an array of strings, got ${JSON.stringify(key)}`);
  }
  if (!isPrefix && key.length === 0) {
    throw new InvalidArgumentError(
      "a storage key needs at least one part; [] is only valid as a range prefix",
    );
  }
}

const startsWith = (key: StorageKey, prefix: StorageKey): boolean =>
  key.length >= prefix.length && prefix.every((part, i) => key[i] === part);

/**
 * Storage kept in a `Map`. Values are copied in and out, so callers may reuse their arrays. `loadRange`
 * lists chunks in the order they were last saved.
 */
export function memoryStorage(): StorageAdapterInterface {
  // JSON of the key -> entry. Map iteration order is insertion order; a save deletes first to move the key
  // to the end, which gives "last saved" order.
  const entries = new Map<string, { key: StorageKey; data: Uint8Array }>();

  const matching = (prefix: StorageKey) => [...entries].filter(([, entry]) => startsWith(entry.key, prefix));

  return {
    async load(key) {
      checkKey(key, false);
      return entries.get(JSON.stringify(key))?.data.slice();
    },
    async save(key, data) {
      checkKey(key, false);
      const id = JSON.stringify(key);
      entries.delete(id);
      entries.set(id, { key: [...key], data: new Uint8Array(data) });
    },
    async remove(key) {
      checkKey(key, false);
      entries.delete(JSON.stringify(key));
    },
    async loadRange(prefix): Promise<Chunk[]> {
      checkKey(prefix, true);
      return matching(prefix).map(([, entry]) => ({ key: [...entry.key], data: entry.data.slice() }));
    },
    async removeRange(prefix) {
      checkKey(prefix, true);
      for (const [id] of matching(prefix)) entries.delete(id);
    },
  };
}
