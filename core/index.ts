/**
 * Cellule core: the cell/federation model and its protocol. No DOM, no adapter: runs in browsers and Node.
 * Importing it does nothing (in Node, the first signature or seal picks node:crypto's route, crypto/suite.ts).
 * @packageDocumentation
 */

export * from "./base/bytes.js";
export * from "./base/errors.js";
export type * from "./base/ids.js";
export { createLogger, type Logger } from "./base/logger.js";
export * from "./booklet/index.js";
export { Cell, type CellEvents, type CellStatus } from "./cell/cell.js";
export { deviceMailTopic } from "./cell/device-mail.js";
export { JoinRequest, type JoinRequestInput } from "./cell/join-request.js";
export { LINK_TTL_MS, type LinkOffer, type LinkRequest, normalizeLinkCode } from "./cell/link.js";
export { namedDocument } from "./cell/named-document.js";
export { PUBLICATION_SCOPE, type ReceivedContact } from "./cell/publication.js";
export { DeviceIdentity, type DeviceKeys, deviceIdOf, type Keystore } from "./crypto/identity.js";
export { newRecoveryPhrase, type PhraseLanguage, phraseEntropy } from "./crypto/recovery-phrase.js";
export { type BoxAddress, openBox, sealBox } from "./crypto/sealed-box.js";
export * as crypto from "./crypto/suite.js";
export type { Invitation } from "./governance/actions.js";
export * as governance from "./governance/index.js";
export { invitationFrom, invitationToText } from "./governance/invitation-text.js";
export { DEFAULT_RULES, hasRight, type Right, type Role, type Rules } from "./governance/rules.js";
export type { CellState, MemberState, PairState } from "./governance/types.js";
export { type AutomergeWasmSource, deriveActor, ensureAutomerge } from "./kit/automerge.js";
export { BUCKET_LIMIT, Collection, type CollectionRecord, monthOf } from "./kit/collection.js";
export { CelluleDocument } from "./kit/document.js";
export type { IngestOutcome } from "./kit/ingest.js";
export { createKit, Kit, type KitEvents, type KitOptions, type KitStats } from "./kit/kit.js";
export { type Authority, type WriteRequest, WriterSets } from "./ports/authority.js";
export type { Transport, TransportContext, TransportStatus } from "./ports/transport.js";
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
export type * from "./protocol/public-content.js";
export * from "./protocol/publication-cert.js";
export { FrameType, RELAY_DEFAULTS, RelayErrorCode } from "./protocol/relay.js";
export { newScopeSecret, publicEpoch, type ScopeEpoch, sealedEpoch } from "./protocol/scope-keys.js";
export * from "./public/index.js";
export * from "./site/documents.js";
export * from "./site/edition.js";
export { cellPublisher, publishEditions } from "./site/publish.js";
export * from "./site/publisher.js";
export { type RsvpAnswer, type RsvpSummary, Rsvps } from "./site/rsvp.js";
export { type CellSite, openSite, SITE_NAMES, type SiteDefaults } from "./site/site.js";
export * from "./treasury/index.js";
