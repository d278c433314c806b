/**
 * Device keys in IndexedDB through Dexie (browsers). Keys are generated non-extractable and stored as
 * `CryptoKey` objects (IndexedDB keeps them by structured clone), so no script on the page, this one
 * included, can ever read the private keys: it can only use them. Persistent storage is requested so the
 * browser does not evict the device's identity under storage pressure.
 */

import { StorageError } from "../../core/base/errors.js";
import type { DeviceKeys } from "../../core/crypto/identity.js";
import { generateAgreementKeyPair, generateSigningKeyPair } from "../../core/crypto/suite.js";
import type { Keystore } from "../../core/ports/keystore.js";
import { type DexieInit, guard, openDatabase } from "./database.js";

/** Options of `dexieKeystore`. */
export interface DexieKeystoreInit extends DexieInit {
  /**
   * Ask the browser for persistent storage (`navigator.storage.persist()`) once keys are created or
   * loaded. Best effort: the answer is not awaited (some browsers ask the user) and a refusal is ignored.
   * @default true
   */
  persist?: boolean;
}

/** A Dexie keystore, which can be closed. */
export interface DexieKeystore extends Keystore {
  /** The IndexedDB database name. */
  readonly dbName: string;
  /** Closes the database connection; later calls fail. */
  close(): void;
}

/** A stored device. */
interface KeyRow {
  name: string;
  signing: CryptoKeyPair;
  agreement: CryptoKeyPair;
  /** When the keys were created (ms since the epoch), for display and audits. */
  created: number;
}

const isKey = (key: unknown, type: KeyType): boolean =>
  typeof key === "object" && key !== null && (key as CryptoKey).type === type && "algorithm" in key;
const isPair = (pair: unknown): pair is CryptoKeyPair =>
  typeof pair === "object" &&
  pair !== null &&
  isKey((pair as CryptoKeyPair).privateKey, "private") &&
  isKey((pair as CryptoKeyPair).publicKey, "public");

/**
 * A keystore in the IndexedDB database `dbName` (created on first use). `create` never replaces existing
 * keys.
 *
 * @param dbName - the IndexedDB database; keep it apart from document storage
 * @param init - options
 *
 * @example
 * ```ts
 * const identity = await loadIdentity(dexieKeystore(), "device", true);
 * ```
 */
export function dexieKeystore(dbName = "cellule-keystore", init: DexieKeystoreInit = {}): DexieKeystore {
  const db = openDatabase(dbName, { keys: "name" }, init);
  const keys = db.table<KeyRow, string>("keys");
  let persistRequested = !(init.persist ?? true);

  const requestPersistence = (): void => {
    if (persistRequested) return;
    persistRequested = true;
    const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
    storage?.persist?.().catch(() => {});
  };

  return {
    dbName,

    load(name) {
      return guard("load device keys", dbName, async () => {
        const row = await keys.get(name);
        if (row === undefined) return undefined;
        if (!isPair(row.signing) || !isPair(row.agreement)) {
          throw new StorageError(
            `the keys stored under "${name}" in IndexedDB "${dbName}" are not CryptoKey pairs: ` +
              "delete them and link this device again as a new one",
          );
        }
        requestPersistence();
        return { signing: row.signing, agreement: row.agreement };
      });
    },

    create(name) {
      return guard("store new device keys", dbName, async () => {
        const created: DeviceKeys = {
          signing: await generateSigningKeyPair(false),
          agreement: await generateAgreementKeyPair(false),
        };
        try {
          await keys.add({ name, ...created, created: Date.now() });
        } catch (error) {
          if ((error as { name?: string })?.name === "ConstraintError") {
            throw new StorageError(
              `keys already exist under "${name}" in IndexedDB "${dbName}": load them, or delete them first`,
            );
          }
          throw error;
        }
        requestPersistence();
        return created;
      });
    },

    delete(name) {
      return guard("delete device keys", dbName, () => keys.delete(name));
    },

    close() {
      db.close();
    },
  };
}
