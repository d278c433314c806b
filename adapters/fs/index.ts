/**
 * Filesystem storage and keystore for Node: relays, the CLI, end-to-end tests.
 *
 * @packageDocumentation
 */
export { type FileKeystoreInit, fileKeystore } from "./keystore.js";
export { type CorruptChunk, type FileStorageInit, fileStorage } from "./storage.js";
