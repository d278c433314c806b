/**
 * Cellule core: the cell/federation model and its protocol. No DOM, no adapter: runs in browsers and Node.
 * @packageDocumentation
 */
import { useCryptoBackend } from "./crypto.js";
import { nodeCryptoBackend } from "./node-crypto.js";

// In Node, signing and sealing go through node:crypto: the same suite on the same keys, without WebCrypto's
// thread-pool round trips (see node-crypto.ts). Browsers keep WebCrypto.
useCryptoBackend(nodeCryptoBackend());

export { type Authority, type WriteRequest, WriterSets } from "./authority.js";
export { type AutomergeWasmSource, deriveActor, ensureAutomerge } from "./automerge.js";
export * from "./booklet/index.js";
export * from "./bytes.js";
export { Cell, type CellEvents, type CellStatus } from "./cell.js";
export { LINK_TTL_MS, type LinkOffer, type LinkRequest, normalizeLinkCode } from "./cell-link.js";
export { PUBLICATION_SCOPE, type ReceivedContact } from "./cell-publication.js";
export { type CellSite, namedDocument, SITE_NAMES, type SiteDefaults } from "./cell-site.js";
export { BUCKET_LIMIT, Collection, type CollectionRecord, monthOf } from "./collection.js";
export * as crypto from "./crypto.js";
export { deviceMailTopic } from "./device-mail.js";
export { CelluleDocument } from "./document.js";
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
} from "./envelope.js";
export * from "./errors.js";
export type { Invitation } from "./governance/actions.js";
export * as governance from "./governance/index.js";
export { invitationFrom, invitationToText } from "./governance/invitation-text.js";
export { DEFAULT_RULES, hasRight, type Right, type Role, type Rules } from "./governance/rules.js";
export type { CellState, MemberState, PairState } from "./governance/state.js";
export { DeviceIdentity, type DeviceKeys, deviceIdOf, type Keystore } from "./identity.js";
export type * from "./ids.js";
export type { IngestOutcome } from "./ingest.js";
export { JoinRequest, type JoinRequestInput } from "./join-request.js";
export { createKit, Kit, type KitEvents, type KitOptions, type KitStats } from "./kit.js";
export { createLogger, type Logger } from "./log.js";
export * from "./public/index.js";
export { newRecoveryPhrase, type PhraseLanguage, phraseEntropy } from "./recovery.js";
export { FrameType, RELAY_DEFAULTS, RelayErrorCode } from "./relay-protocol.js";
export { type RsvpAnswer, type RsvpSummary, Rsvps } from "./rsvp.js";
export { newScopeSecret, publicEpoch, type ScopeEpoch, sealedEpoch } from "./scope.js";
export { type BoxAddress, openBox, sealBox } from "./sealed-box.js";
export type { Transport, TransportContext, TransportStatus } from "./transport.js";
export * from "./treasury/index.js";
