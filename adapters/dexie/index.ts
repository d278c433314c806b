/**
 * IndexedDB storage and keystore through Dexie, for browsers (the member space).
 *
 * @packageDocumentation
 */
export type { DexieInit } from "./database.js";
export { eraseDatabases } from "./erase.js";
export { type DexieKeystore, type DexieKeystoreInit, dexieKeystore } from "./keystore.js";
export { type DexieStorage, type DexieStorageInit, dexieStorage } from "./storage.js";
