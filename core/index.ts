/**
 * Cellule core: the cell/federation model and its protocol. No DOM, no adapter: runs in browsers and Node.
 * Importing it does nothing (in Node, the first signature or seal picks node:crypto's route, crypto/suite.ts).
 *
 * This entry is the domain: kits and cells, their features (site and editions, booklet, treasury, answers),
 * errors, IDs, and the ports adapters implement. Lower layers (bytes, crypto, wire formats, the governance
 * log's internals) are in `cellule/internals`.
 * @packageDocumentation
 */

export * from "./base/errors.js";
export * from "./base/ids.js";
export { createLogger, type Logger } from "./base/logger.js";
export * from "./booklet/index.js";
export { Cell, type CellEvents, type CellStatus } from "./cell/cell.js";
export type { DeviceInfo } from "./cell/devices.js";
export { JoinRequest, type JoinRequestInput } from "./cell/join-request.js";
export { LINK_TTL_MS, type LinkOffer, type LinkRequest, normalizeLinkCode } from "./cell/link.js";
export type { InvitationInfo, InviteOptions } from "./cell/membership.js";
export type { PairInfo } from "./cell/pairs.js";
export type { ReceivedContact } from "./cell/publication.js";
export { newRecoveryPhrase, type PhraseLanguage, phraseEntropy } from "./crypto/recovery-phrase.js";
export type { Invitation } from "./governance/actions.js";
export { invitationFrom, invitationToText } from "./governance/invitation-text.js";
export { DEFAULT_RULES, hasRight, type Right, type Role, type Rules } from "./governance/rules.js";
export type { CellState, MemberState, OpHash, PairState } from "./governance/types.js";
export type { AutomergeWasmSource } from "./kit/automerge.js";
export { Collection, type CollectionRecord } from "./kit/collection.js";
export { createKit } from "./kit/create-kit.js";
export { CelluleDocument } from "./kit/document.js";
export { Kit } from "./kit/kit.js";
export type { KitEvents, KitOptions, KitStats } from "./kit/kit-types.js";
export { WriterSets } from "./kit/writer-sets.js";
export type { Authority, WriteRequest } from "./ports/authority.js";
export { type Clock, systemClock } from "./ports/clock.js";
export { type Keystore, loadIdentity } from "./ports/keystore.js";
export type { StorageAdapterInterface, StorageKey } from "./ports/storage.js";
export type { Transport, TransportContext, TransportStatus } from "./ports/transport.js";
export type * from "./protocol/public-content.js";
export { newScopeSecret } from "./protocol/scope-keys.js";
export * from "./public/index.js";
export * from "./site/documents.js";
export { type ForeignEdition, foreignEditions } from "./site/public-face.js";
export { cellPublisher, type PublishEditionsOptions, publishEditions } from "./site/publish.js";
export * from "./site/publisher.js";
export { type RsvpAnswer, type RsvpSummary, Rsvps } from "./site/rsvp.js";
export { type CellSite, openSite, SITE_NAMES, type SiteDefaults } from "./site/site.js";
export * from "./treasury/index.js";
