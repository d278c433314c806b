/**
 * automerge-repo storage in IndexedDB through Dexie (browsers; fake-indexeddb in Node tests). One row per
 * key with the key array itself as primary key, so a range is an IndexedDB key range on arrays, which
 * respects part boundaries (`["ab"]` never matches `["abc"]`). Each row carries a save sequence so
 * `loadRange` lists chunks in the order they were last saved.
 */
import type { Chunk, StorageAdapterInterface, StorageKey } from "@automerge/automerge-repo/slim";
import type { IndexableType } from "dexie";
import { checkStorageKey } from "../../core/ports/storage.js";
import { type DexieInit, guard, openDatabase } from "./database.js";

/** A stored chunk. */
interface ChunkRow {
  key: StorageKey;
  data: Uint8Array;
  /** Save sequence: one more than the highest in the table when saved (in the same transaction). */
  seq: number;
}

/** A Dexie storage adapter, which can be closed. */
export interface DexieStorage extends StorageAdapterInterface {
  /** The IndexedDB database name. */
  readonly dbName: string;
  /** Closes the database connection; later calls fail. */
  close(): void;
}

/**
 * Bounds of every key starting with `prefix`: from `prefix` itself to `[...prefix, []]`. In IndexedDB's
 * order an array sorts after every string, so `[...prefix, []]` is above any key that continues `prefix`
 * with more strings, and below any key whose next part differs.
 */
function prefixRange(prefix: StorageKey): [IndexableType, IndexableType] {
  return [prefix, [...prefix, []] as IndexableType];
}

/**
 * A storage adapter in the IndexedDB database `dbName` (created on first use).
 *
 * @param dbName - the IndexedDB database; use one per Repo
 * @param init - options, e.g. another IndexedDB implementation
 *
 * @example
 * ```ts
 * const repo = new Repo({ storage: dexieStorage("cellule-documents") });
 * ```
 */
export function dexieStorage(dbName = "cellule-storage", init: DexieInit = {}): DexieStorage {
  const db = openDatabase(dbName, { chunks: "key, seq" }, init);
  const chunks = db.table<ChunkRow, StorageKey>("chunks");
  const inRange = (prefix: StorageKey) => chunks.where(":id").between(...prefixRange(prefix), true, true);

  return {
    dbName,

    load(key) {
      checkStorageKey(key, false);
      return guard("load a chunk", dbName, async () => (await chunks.get(key))?.data);
    },

    save(key, data) {
      checkStorageKey(key, false);
      // Copied now: the caller may reuse its array, and a view must not drag its whole buffer into storage.
      const row = { key: [...key], data: new Uint8Array(data) };
      return guard("save a chunk", dbName, () =>
        db.transaction("rw", chunks, async () => {
          const last = (await chunks.orderBy("seq").lastKey()) as number | undefined;
          await chunks.put({ ...row, seq: (last ?? 0) + 1 });
        }),
      );
    },

    remove(key) {
      checkStorageKey(key, false);
      return guard("remove a chunk", dbName, () => chunks.delete(key));
    },

    loadRange(prefix): Promise<Chunk[]> {
      checkStorageKey(prefix, true);
      return guard("load a range of chunks", dbName, async () => {
        const rows = await inRange(prefix).toArray();
        return rows.sort((a, b) => a.seq - b.seq).map((row) => ({ key: row.key, data: row.data }));
      });
    },

    removeRange(prefix) {
      checkStorageKey(prefix, true);
      return guard("remove a range of chunks", dbName, async () => {
        await inRange(prefix).delete();
      });
    },

    close() {
      db.close();
    },
  };
}
