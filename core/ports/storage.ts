/**
 * Where a device keeps its documents: automerge-repo's own storage interface (keys are arrays of strings,
 * ranges by key prefix). Implementations live in `adapters/` (memory, Dexie/IndexedDB, filesystem) and all
 * pass `runStorageAcceptance` (core/testing). The key check they share is here, so that every adapter refuses
 * the same bad keys with the same error.
 */
import type { Chunk, StorageAdapterInterface, StorageKey } from "@automerge/automerge-repo/slim";
import { InvalidArgumentError } from "../base/errors.js";

export type { Chunk, StorageAdapterInterface, StorageKey };

/**
 * Refuses anything but an array of strings, and the empty key where a whole key is expected (`[]` is only
 * valid as a range prefix): `InvalidArgumentError`.
 */
export function checkStorageKey(key: StorageKey, isPrefix: boolean): void {
  if (!Array.isArray(key) || key.some((part) => typeof part !== "string")) {
    throw new InvalidArgumentError(`a storage key is an array of strings, got ${JSON.stringify(key)}`);
  }
  if (!isPrefix && key.length === 0) {
    throw new InvalidArgumentError(
      "a storage key needs at least one part; [] is only valid as a range prefix",
    );
  }
}
