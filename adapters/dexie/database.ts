/** What the Dexie storage and keystore share: options, opening a database, and turning failures into errors. */
import { Dexie } from "dexie";
import { CelluleError, StorageError } from "../../core/base/errors.js";

/** Options shared by `dexieStorage` and `dexieKeystore`. */
export interface DexieInit {
  /**
   * The IndexedDB implementation, e.g. `fake-indexeddb`'s in Node tests.
   * @default globalThis.indexedDB
   */
  indexedDB?: IDBFactory;
  /**
   * The `IDBKeyRange` of that implementation.
   * @default globalThis.IDBKeyRange
   */
  IDBKeyRange?: typeof IDBKeyRange;
}

/** A Dexie database with one schema version; opened lazily by Dexie on first use. */
export function openDatabase(name: string, stores: Record<string, string>, init: DexieInit): Dexie {
  const options: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {};
  if (init.indexedDB) options.indexedDB = init.indexedDB;
  if (init.IDBKeyRange) options.IDBKeyRange = init.IDBKeyRange;
  const db = new Dexie(name, options);
  db.version(1).stores(stores);
  return db;
}

/** Runs `action`, turning IndexedDB and Dexie failures into a `StorageError` that says what to do. */
export async function guard<T>(what: string, dbName: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof CelluleError) throw error;
    const name = (error as { name?: string })?.name ?? "";
    const message = (error as Error)?.message ?? String(error);
    if (
      name === "QuotaExceededError" ||
      (error as { inner?: { name?: string } })?.inner?.name === "QuotaExceededError"
    ) {
      throw new StorageError(
        `cannot ${what}: the browser refused to store more data in "${dbName}" (quota exceeded). ` +
          "Free some space on the device, or allow this site persistent storage.",
        { cause: error },
      );
    }
    if (name === "MissingAPIError") {
      throw new StorageError(
        `cannot ${what}: IndexedDB is not available here (private browsing or an old browser). ` +
          "Open the member space in a regular window of a current browser.",
        { cause: error },
      );
    }
    throw new StorageError(`cannot ${what} in IndexedDB "${dbName}": ${name ? `${name}: ` : ""}${message}`, {
      cause: error,
    });
  }
}
