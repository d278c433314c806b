/**
 * Branded identifier types. A brand makes the compiler refuse a plain string (or another kind of ID)
 * where one kind of ID is expected; at run time they are ordinary strings.
 */

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
