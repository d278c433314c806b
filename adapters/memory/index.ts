/**
 * In-memory storage and keystore, for tests, benchmarks and throwaway devices.
 *
 * @packageDocumentation
 */
export { memoryKeystore } from "./keystore.js";
export { memoryStorage } from "./storage.js";
