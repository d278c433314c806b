/**
 * The one module that touches Automerge internals: WASM start-up, actor IDs bound to device keys, and
 * applying changes obtained from envelopes to automerge-repo handles.
 */
import * as A from "@automerge/automerge/slim";
import type { DocHandle } from "@automerge/automerge-repo/slim";
import { concat, toHex, utf8 } from "../base/bytes.js";
import { IntegrityError, InvalidArgumentError, UnavailableError } from "../base/errors.js";
import type { ActorId, DocId } from "../base/ids.js";
import { sha256Sync } from "../crypto/hash.js";

/** Where the Automerge WASM comes from in a browser: a URL, a fetch `Request`, or the bytes. */
export type AutomergeWasmSource = string | URL | Request | Uint8Array | Promise<Uint8Array>;

/**
 * Makes sure Automerge's WASM is initialised. In Node the full entry point does it; in browsers pass the
 * URL of `automerge.wasm` (served as `application/wasm`) or its bytes.
 */
export async function ensureAutomerge(wasm?: AutomergeWasmSource): Promise<void> {
  if (A.isWasmInitialized()) return;
  if (wasm !== undefined) {
    const source = wasm instanceof URL ? wasm.href : wasm;
    await A.initializeWasm(typeof source === "string" ? fetch(source).then(bytesOf) : source);
    return;
  }
  if (typeof process !== "undefined" && process.versions?.node) {
    // A non-literal specifier keeps browser bundlers from pulling the 5 MB full build in.
    const full = "@automerge/automerge";
    await import(/* @vite-ignore */ full);
    return;
  }
  throw new InvalidArgumentError(
    "Automerge WASM is not initialised: pass `automergeWasm` (the URL of automerge.wasm) to createKit",
  );
}

async function bytesOf(response: Response): Promise<Uint8Array> {
  if (!response.ok) throw new UnavailableError(`could not load automerge.wasm: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const ACTOR_DOMAIN = utf8("cellule/actor/v1");

/**
 * The actor ID a device must use for a document in a session: the first 16 bytes of
 * SHA-256("cellule/actor/v1" ‖ signing key ‖ document ID ‖ session nonce). Receivers recompute it, so nobody
 * can write under another device's actor.
 */
export async function deriveActor(
  signingKey: Uint8Array,
  docId: DocId,
  session: Uint8Array,
): Promise<ActorId> {
  const digest = sha256Sync(concat(ACTOR_DOMAIN, signingKey, utf8(docId), session));
  return toHex(digest.subarray(0, 16)) as ActorId;
}

/**
 * The actor of each change, read from the change chunk's header (magic, checksum, type, length, then
 * dependencies and the actor): decoding a whole change to JS objects costs hundreds of microseconds for
 * a post of a few lines, this costs nothing. Compressed changes are decoded whole. `IntegrityError` when
 * an item is not an Automerge change; the rest of a change is checked when it is applied (`applyChanges`)
 * or, for a document this device has not opened, by `checkChanges` before it is stored.
 */
export function actorsOf(changes: Uint8Array[]): ActorId[] {
  return changes.map((c) => {
    try {
      return headerActor(c) ?? (A.decodeChange(c).actor as ActorId);
    } catch (cause) {
      throw new IntegrityError("an item is not a valid Automerge change", { cause });
    }
  });
}

const MAGIC = [0x85, 0x6f, 0x4a, 0x83];
const CHANGE_CHUNK = 1;
const COMPRESSED_CHANGE_CHUNK = 2;
const HASH_BYTES = 32;

/** The actor of an uncompressed change chunk; undefined for a compressed one; throws for anything else. */
function headerActor(bytes: Uint8Array): ActorId | undefined {
  if (MAGIC.some((b, i) => bytes[i] !== b)) throw new IntegrityError("no Automerge magic bytes");
  const type = bytes[8];
  if (type === COMPRESSED_CHANGE_CHUNK) return undefined;
  if (type !== CHANGE_CHUNK) throw new IntegrityError(`chunk type ${type} is not a change`);
  const at = { offset: 9 };
  const length = uleb(bytes, at);
  if (at.offset + length !== bytes.length)
    throw new IntegrityError("the chunk's length does not match its bytes");
  const deps = uleb(bytes, at);
  at.offset += deps * HASH_BYTES;
  const actorLength = uleb(bytes, at);
  const end = at.offset + actorLength;
  if (actorLength === 0 || end > bytes.length) throw new IntegrityError("no actor in the change");
  return toHex(bytes.subarray(at.offset, end)) as ActorId;
}

/** An unsigned LEB128 of at most 32 bits at `at.offset` (moved past it). */
function uleb(bytes: Uint8Array, at: { offset: number }): number {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const byte = bytes[at.offset++];
    if (byte === undefined) throw new IntegrityError("truncated LEB128");
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return value;
  }
  throw new IntegrityError("LEB128 too long");
}

/** Checks that changes parse whole (for changes stored before any handle applies them). */
export function checkChanges(changes: Uint8Array[]): void {
  for (const c of changes) {
    try {
      A.decodeChange(c);
    } catch (cause) {
      throw new IntegrityError("an item is not a valid Automerge change", { cause });
    }
  }
}

/** Switches the handle's document to `actor` for local changes (once per session and document). */
export function useActor(handle: DocHandle<unknown>, actor: ActorId): void {
  if (A.getActorId(handle.doc()) === actor) return;
  handle.update((doc) => A.clone(doc, { actor }));
}

/**
 * Applies changes from a verified envelope; Automerge queues those whose dependencies are missing.
 * Automerge parses every change before applying any, so a malformed one leaves the document as it was:
 * `IntegrityError` then.
 */
export function applyChanges(handle: DocHandle<unknown>, changes: Uint8Array[]): void {
  let refused: unknown;
  handle.update((doc) => {
    try {
      return A.applyChanges(doc, changes)[0];
    } catch (cause) {
      refused = cause;
      return doc;
    }
  });
  if (refused) throw new IntegrityError("Automerge refused the changes", { cause: refused });
}

/** Merges a saved document (a compacted snapshot from a verified envelope). */
export function applySnapshot(handle: DocHandle<unknown>, snapshot: Uint8Array): void {
  try {
    handle.update((doc) => A.loadIncremental(doc, snapshot));
  } catch (cause) {
    throw new IntegrityError("snapshot is not a valid Automerge document", { cause });
  }
}

/**
 * The actor of a change in `snapshot` that `doc` (undefined: a document never seen) does not hold and
 * that is not by `own` (the snapshot's author's actor), if there is one: a snapshot may only bring its
 * author's own changes, or else anyone who may write could forge a colleague's next changes and have
 * their real ones refused as duplicates.
 * `IntegrityError` when the snapshot is not an Automerge document.
 */
export function foreignChange(
  doc: A.Doc<unknown> | undefined,
  snapshot: Uint8Array,
  own: ActorId,
): ActorId | undefined {
  let changes: A.DecodedChange[];
  try {
    changes = A.getAllChanges(A.load(snapshot)).map((c) => A.decodeChange(c));
  } catch (cause) {
    throw new IntegrityError("snapshot is not a valid Automerge document", { cause });
  }
  for (const c of changes) {
    if (c.actor !== own && !(doc && A.hasHeads(doc, [c.hash]))) return c.actor as ActorId;
  }
  return undefined;
}

/** Runs a local change and returns the Automerge changes it produced. */
export function changeAndCapture<T>(handle: DocHandle<T>, fn: A.ChangeFn<T>): Uint8Array[] {
  const before = handle.doc();
  handle.change(fn);
  return A.getChanges(before, handle.doc());
}

/** A saved copy of the whole document, for snapshot envelopes. */
export function saveDoc(handle: DocHandle<unknown>): Uint8Array {
  return A.save(handle.doc());
}

/** Bytes of an empty document, to open a handle for a document first seen in an envelope. */
export function emptyDocBytes(): Uint8Array {
  return A.save(A.init());
}
