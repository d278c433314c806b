/**
 * Where a device keeps its keys: implementations live in `adapters/` (memory, filesystem with mode 0600,
 * IndexedDB through Dexie) and all pass `runKeystoreAcceptance` (core/testing).
 */
import { DeviceIdentity, type DeviceKeys } from "../crypto/identity.js";

/** See the module comment. */
export interface Keystore {
  /** The keys stored under `name`, or `undefined` when there are none. `StorageError` if unreadable. */
  load(name: string): Promise<DeviceKeys | undefined>;
  /** Generates new keys the way this store keeps them best, stores them under `name` and returns them. */
  create(name: string): Promise<DeviceKeys>;
  /** Forgets the keys under `name`. */
  delete(name: string): Promise<void>;
}

/**
 * The identity whose keys `keystore` holds under `name`; new keys are made only when `create` is true
 * (never a silent new identity: `undefined` otherwise).
 */
export async function loadIdentity(
  keystore: Keystore,
  name: string,
  create: boolean,
): Promise<DeviceIdentity | undefined> {
  const keys = (await keystore.load(name)) ?? (create ? await keystore.create(name) : undefined);
  return keys && DeviceIdentity.fromKeys(keys);
}
