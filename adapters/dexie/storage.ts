/**
 * automerge-repo storage in IndexedDB through Dexie (browsers; fake-indexeddb in Node tests). One row per
 * key with the key array itself as primary key, so a range is an IndexedDB key range on arrays, which
 * respects part boundaries (`["ab"]` never matches `["abc"]`). Each row carries a save sequence so
 * `loadRange` lists chunks in the order they were last saved.
 */
import type { Chunk, StorageAdapterInterface, StorageKey } from "@automerge/automerge-repo/slim";
import type { IndexableType } from "dexie";
import { StorageError } from "../../core/base/errors.js";
import { checkStorageKey } from "../../core/ports/storage.js";
import { type DexieInit, guard, openDatabase } from "./database.js";

/** A stored chunk. */
interface ChunkRow {
  key: StorageKey;
  data: Uint8Array;
  /** Save sequence: one more than the highest in the table when saved (in the same transaction). */
  seq: number;
  /** A set-aside row's value as it was found (see `onCorrupt`). */
  raw?: unknown;
}

/** Where rows that are not chunks are set aside: `[QUARANTINE, …their key]`, their value in `raw`. */
const QUARANTINE = "cellule-quarantine";

/** Options of `dexieStorage`. */
export interface DexieStorageInit extends DexieInit {
  /**
   * Told of each row whose value is not a chunk's bytes (written by something else, a damaged profile):
   * it is set aside under `["cellule-quarantine", …key]` and read as missing, so one bad row never stops
   * a device from opening; what it held is fetched again where it can be.
   * @default a warning on the console
   */
  onCorrupt?: (report: { key: StorageKey; error: StorageError }) => void;
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
export function dexieStorage(dbName = "cellule-storage", init: DexieStorageInit = {}): DexieStorage {
  const db = openDatabase(dbName, { chunks: "key, seq" }, init);
  const chunks = db.table<ChunkRow, StorageKey>("chunks");
  const inRange = (prefix: StorageKey) => chunks.where(":id").between(...prefixRange(prefix), true, true);
  const onCorrupt =
    init.onCorrupt ?? ((r: { error: StorageError }) => console.warn(`cellule: ${r.error.message}`));

  /** Whether a row read back holds a chunk; a row that does not is set aside and reported. */
  const sound = async (row: ChunkRow): Promise<boolean> => {
    if (row.data instanceof Uint8Array || row.key[0] === QUARANTINE) return true;
    const key = row.key;
    await db.transaction("rw", chunks, async () => {
      const last = (await chunks.orderBy("seq").lastKey()) as number | undefined;
      await chunks.delete(key);
      await chunks.put({
        key: [QUARANTINE, ...key],
        data: new Uint8Array(0),
        raw: row.data,
        seq: (last ?? 0) + 1,
      });
    });
    onCorrupt({
      key,
      error: new StorageError(
        `the row ${JSON.stringify(key)} of ${dbName} holds no chunk (${typeof row.data}): set aside`,
      ),
    });
    return false;
  };

  return {
    dbName,

    load(key) {
      checkStorageKey(key, false);
      return guard("load a chunk", dbName, async () => {
        const row = await chunks.get(key);
        return row && (await sound(row)) ? row.data : undefined;
      });
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
        const kept: ChunkRow[] = [];
        for (const row of rows) if (await sound(row)) kept.push(row);
        return kept.sort((a, b) => a.seq - b.seq).map((row) => ({ key: row.key, data: row.data }));
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
