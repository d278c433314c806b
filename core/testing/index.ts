/**
 * Acceptance suites every adapter runs, and the small assertions they use. Framework-agnostic: pass the
 * `describe`/`it` of vitest (Node) or of mocha (@web/test-runner in a browser).
 *
 * @packageDocumentation
 */
export * from "./assert.js";
export { type TestFramework, withFixture } from "./framework.js";
export { type KeystoreFixture, runKeystoreAcceptance } from "./keystore-acceptance.js";
export {
  patternBytes,
  runStorageAcceptance,
  type StorageFixture,
  UNUSUAL_KEY_PARTS,
} from "./storage-acceptance.js";
export { runTransportAcceptance, type TransportFixture } from "./transport-acceptance.js";
