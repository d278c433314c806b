/**
 * Erasing a device's databases at once, without network (the member space's "Effacer cet appareil"):
 * every IndexedDB database whose name is `prefix` or starts with `prefix-` (documents, keys, each cell's
 * place). Connections still open in the page are closed by Dexie when another asks to delete their
 * database (its `versionchange` handling), so the deletion is not blocked by this page's own Kits.
 */
import { Dexie } from "dexie";
import { StorageError } from "../../core/base/errors.js";
import type { DexieInit } from "./database.js";

/**
 * Deletes the databases of `prefix` (`known` adds names the browser may not list: `indexedDB.databases()` is
 * missing in some). Resolves with the names deleted; `StorageError` if one could not be.
 */
export async function eraseDatabases(
  prefix: string,
  known: readonly string[] = [],
  init: DexieInit = {},
): Promise<string[]> {
  const factory = init.indexedDB ?? globalThis.indexedDB;
  const listed = ((await factory.databases?.()) ?? []).flatMap((d) => (d.name ? [d.name] : []));
  const names = [
    ...new Set([prefix, `${prefix}-keys`, ...known, ...known.map((n) => `${n}-keys`), ...listed]),
  ].filter((n) => n === prefix || n.startsWith(`${prefix}-`));
  const options = init.indexedDB ? { indexedDB: init.indexedDB, IDBKeyRange: init.IDBKeyRange } : {};
  await Promise.all(
    names.map(async (name) => {
      try {
        await new Dexie(name, options).delete();
      } catch (cause) {
        throw new StorageError(
          `the database ${name} could not be erased: close the member space's other tabs`,
          { cause },
        );
      }
    }),
  );
  return names;
}
