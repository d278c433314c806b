/**
 * Branded identifier types. A brand makes the compiler refuse a plain string (or another kind of ID)
 * where one kind of ID is expected; at run time they are ordinary strings.
 */
import { InvalidArgumentError } from "./errors.js";

/** A device: base64url of the SHA-256 of its raw ECDSA P-256 public key. */
export type DeviceId = string & { readonly __deviceId: true };
/** A cell: derived from its genesis (see the governance log). */
export type CellId = string & { readonly __cellId: true };
/** A member of a cell. */
export type MemberId = string & { readonly __memberId: true };
/** An automerge-repo document ID (bs58check of 16 bytes). */
export type DocId = string & { readonly __docId: true };
/** A scope: who can read (`public`, `members`, …). */
export type ScopeId = string & { readonly __scopeId: true };
/** An opaque 32-byte relay topic, lowercase hex. Derived from a scope's epoch key: relays learn nothing from it. */
export type Topic = string & { readonly __topic: true };
/** SHA-256 of an envelope's bytes, lowercase hex: its content address on relays. */
export type EnvelopeHash = string & { readonly __envelopeHash: true };
/** Automerge actor ID (hex), derived from the author device's key, the document and a session nonce. */
export type ActorId = string & { readonly __actorId: true };

/*
 * Checked constructors: the only way to mint an ID from outside the library (a URL, a form, a stored
 * record). Each refuses anything that cannot be that kind of ID with an `InvalidArgumentError`; inside,
 * IDs are minted where they are computed (a hash, a key's digest).
 */

const BASE64URL_SHA256 = /^[A-Za-z0-9_-]{43}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{16,44}$/;
/** Printable ASCII without spaces: `public`, `members`, `<cell ID>/<scope name>`, `link:<hex>`, … */
const SCOPE = /^[!-~]{1,200}$/;

function checked<T extends string>(text: unknown, shape: RegExp, what: string): T {
  if (typeof text !== "string" || !shape.test(text)) {
    const shown =
      typeof text === "string"
        ? JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)
        : typeof text;
    throw new InvalidArgumentError(`not ${what}: ${shown}`);
  }
  return text as T;
}

/** A device ID from text (43 base64url characters: the SHA-256 of its signing key). */
export function parseDeviceId(text: unknown): DeviceId {
  return checked(text, BASE64URL_SHA256, "a device ID");
}

/** A member ID from text (a member is named by the device they joined with: 43 base64url characters). */
export function parseMemberId(text: unknown): MemberId {
  return checked(text, BASE64URL_SHA256, "a member ID");
}

/** A cell ID from text (64 lowercase hex digits: the SHA-256 of its genesis op). */
export function parseCellId(text: unknown): CellId {
  return checked(text, HEX_SHA256, "a cell ID");
}

/** A document ID from text (automerge-repo's base58check form). */
export function parseDocId(text: unknown): DocId {
  return checked(text, BASE58, "a document ID");
}

/**
 * A scope ID from text: 1 to 200 printable ASCII characters, no spaces (`public`, `members`, a cell's
 * `<cell ID>/<scope name>`). A cell's scopes come from `Cell.scopeId(name)`, which needs no parse.
 */
export function parseScopeId(text: unknown): ScopeId {
  return checked(text, SCOPE, "a scope ID");
}

/** A relay topic from text (64 lowercase hex digits). */
export function parseTopic(text: unknown): Topic {
  return checked(text, HEX_SHA256, "a relay topic");
}

/** The member a device joined as: members are named by the device their redeem (or the genesis) brought. */
export function memberIdOf(device: DeviceId): MemberId {
  return device as string as MemberId;
}

/** The cell a genesis op founds: its ID is the op's hash. */
export function cellIdOf(genesisHash: string): CellId {
  return parseCellId(genesisHash);
}
