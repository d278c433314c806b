/**
 * In-memory automerge-repo storage: for tests, benchmarks and short-lived tools. Nothing survives the
 * process.
 */
import type { Chunk, StorageAdapterInterface, StorageKey } from "@automerge/automerge-repo/slim";
import { checkStorageKey } from "../../core/ports/storage.js";

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
      checkStorageKey(key, false);
      return entries.get(JSON.stringify(key))?.data.slice();
    },
    async save(key, data) {
      checkStorageKey(key, false);
      const id = JSON.stringify(key);
      entries.delete(id);
      entries.set(id, { key: [...key], data: new Uint8Array(data) });
    },
    async remove(key) {
      checkStorageKey(key, false);
      entries.delete(JSON.stringify(key));
    },
    async loadRange(prefix): Promise<Chunk[]> {
      checkStorageKey(prefix, true);
      return matching(prefix).map(([, entry]) => ({ key: [...entry.key], data: entry.data.slice() }));
    },
    async removeRange(prefix) {
      checkStorageKey(prefix, true);
      for (const [id] of matching(prefix)) entries.delete(id);
    },
  };
}
