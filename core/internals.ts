/**
 * Cellule's lower layers, for tool authors (a relay of your own, a bridge, a debugging tool): bytes, the
 * crypto suite, the envelope and relay wire formats, scope keys, the governance log's ops and reducer,
 * editions as signed files. `cellule` itself exports the domain (kits, cells, features, errors, IDs);
 * these may change between minor versions more readily than it does.
 * @packageDocumentation
 */

export * from "./base/bytes.js";
export { type Canonical, canonicalJson } from "./base/canonical-json.js";
export { deviceMailTopic } from "./cell/device-mail.js";
export { namedDocument } from "./cell/named-document.js";
export { PUBLICATION_SCOPE } from "./cell/publication.js";
export { DeviceIdentity, type DeviceKeys, deviceIdOf } from "./crypto/identity.js";
export { type BoxAddress, openBox, sealBox } from "./crypto/sealed-box.js";
export * as crypto from "./crypto/suite.js";
export * as governance from "./governance/index.js";
export { deriveActor, ensureAutomerge } from "./kit/automerge.js";
export { BUCKET_LIMIT, monthOf } from "./kit/collection.js";
export type { IngestOutcome } from "./kit/ingest.js";
export * from "./protocol/edition-format.js";
export {
  ENVELOPE_VERSION,
  type EnvelopeBody,
  type EnvelopeContent,
  type EnvelopeHeader,
  EnvelopeKind,
  envelopeHash,
  HEADER_LENGTH,
  MAX_ENVELOPE_BYTES,
  type OpenedEnvelope,
  openEnvelope,
  readHeader,
  sealEnvelope,
} from "./protocol/envelope.js";
export * from "./protocol/publication-cert.js";
export { FrameType, RELAY_DEFAULTS, RelayErrorCode } from "./protocol/relay.js";
export { publicEpoch, type ScopeEpoch, sealedEpoch } from "./protocol/scope-keys.js";
export * from "./public/relay-http.js";
export * from "./site/edition.js";
