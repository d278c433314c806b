/**
 * Envelope format v1: what travels between devices through relays.
 *
 * ```
 * envelope = header ‖ payload
 *
 * header (50 bytes, the AES-GCM additional data)
 *   off  len  field
 *     0    1  version            = 1
 *     1    1  suite              = 1 (ECDSA P-256, ECDH P-256, HKDF-SHA-256, AES-256-GCM, SHA-256)
 *     2   32  topic              opaque, from the scope epoch (see scope-keys.ts)
 *    34    4  epoch              u32 big-endian; 0 = public scope
 *    38   12  iv                 AES-GCM nonce, random; all zero for the public scope
 *
 * payload = AES-256-GCM(key(topic, epoch), iv, body, aad = header)   sealed scopes (ciphertext ‖ 16-byte tag)
 *         = body                                                     public scope (signed, not sealed)
 *
 * body
 *     0    1  kind               1 = changes, 2 = snapshot, 3 = governance op
 *     1   65  author             raw uncompressed ECDSA P-256 public key of the author device
 *    66   16  session            nonce of the author's session (part of its Automerge actor ID)
 *    82    1  L                  document ID length, 1..255
 *    83    L  document ID        UTF-8
 *     …    2  H                  number of cited authority heads, u16 big-endian
 *     …  32H  heads              SHA-256 hashes of governance ops the author had seen
 *     …    4  N                  number of items, u32 big-endian
 *     …       N × (u32 length ‖ bytes)   Automerge changes (kind 1), one saved document (kind 2), one op (kind 3)
 *     …   64  signature          ECDSA P-256 / SHA-256, raw r‖s, over "cellule/envelope/v1" ‖ header ‖ body
 *                                without the signature
 * ```
 * The relay reads the header (to file the envelope under its topic) and nothing else. The envelope's
 * content address is the SHA-256 of all its bytes.
 */
import { concat, fromHex, fromUtf8, randomBytes, toHex, utf8 } from "../base/bytes.js";
import { IntegrityError, InvalidArgumentError, QuotaError, UnknownScopeError } from "../base/errors.js";
import type { DeviceId, DocId, EnvelopeHash, Topic } from "../base/ids.js";
import { sha256Quick } from "../crypto/hash.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import { deviceIdOf } from "../crypto/identity.js";
import { aesGcmDecrypt, aesGcmEncrypt, cachedVerifyKey, SUITE_1, verify } from "../crypto/suite.js";
import type { ScopeEpoch } from "./scope-keys.js";

export const ENVELOPE_VERSION = 1;
export const HEADER_LENGTH = 50;
const SIGNATURE_LENGTH = 64;
const KEY_LENGTH = 65;
const NONCE_LENGTH = 16;
const DOMAIN = utf8("cellule/envelope/v1");
/** Largest envelope the library produces or accepts by default (the relays' default frame limit). */
export const MAX_ENVELOPE_BYTES = 1024 * 1024;

/** What an envelope carries. */
export const EnvelopeKind = { changes: 1, snapshot: 2, governance: 3 } as const;
export type EnvelopeKind = (typeof EnvelopeKind)[keyof typeof EnvelopeKind];

/** The readable header of an envelope. */
export interface EnvelopeHeader {
  version: number;
  suite: number;
  topic: Topic;
  epoch: number;
  iv: Uint8Array;
}

/** The content of an opened, verified envelope. */
export interface EnvelopeBody {
  kind: EnvelopeKind;
  /** Raw public signing key of the author device. */
  author: Uint8Array;
  authorId: DeviceId;
  session: Uint8Array;
  docId: DocId;
  /** Governance heads the author cited, hex. */
  heads: string[];
  items: Uint8Array[];
}

/** An envelope that was opened and whose signature checked out. */
export interface OpenedEnvelope {
  hash: EnvelopeHash;
  header: EnvelopeHeader;
  body: EnvelopeBody;
}

/** What to put in a new envelope. */
export interface EnvelopeContent {
  kind: EnvelopeKind;
  docId: DocId;
  session: Uint8Array;
  heads?: string[];
  items: Uint8Array[];
}

/** Reads the header; `IntegrityError` if the bytes are not a v1 envelope. */
export function readHeader(bytes: Uint8Array): EnvelopeHeader {
  if (bytes.length < HEADER_LENGTH) throw new IntegrityError("envelope truncated: shorter than its header");
  if (bytes[0] !== ENVELOPE_VERSION) throw new IntegrityError(`unknown envelope version ${bytes[0]}`);
  if (bytes[1] !== SUITE_1) throw new IntegrityError(`unknown crypto suite ${bytes[1]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    version: bytes[0],
    suite: bytes[1],
    topic: toHex(bytes.subarray(2, 34)) as Topic,
    epoch: view.getUint32(34),
    iv: bytes.slice(38, 50),
  };
}

/** The content address of an envelope. */
export async function envelopeHash(bytes: Uint8Array): Promise<EnvelopeHash> {
  return toHex(await sha256Quick(bytes)) as EnvelopeHash;
}

function encodeHeader(scope: ScopeEpoch, iv: Uint8Array): Uint8Array {
  const header = new Uint8Array(HEADER_LENGTH);
  header[0] = ENVELOPE_VERSION;
  header[1] = SUITE_1;
  header.set(fromHex(scope.topic), 2);
  new DataView(header.buffer).setUint32(34, scope.epoch);
  header.set(iv, 38);
  return header;
}

function encodeUnsignedBody(author: Uint8Array, content: EnvelopeContent): Uint8Array {
  const doc = utf8(content.docId);
  if (doc.length < 1 || doc.length > 255) throw new InvalidArgumentError("a document ID is 1 to 255 bytes");
  if (content.session.length !== NONCE_LENGTH) throw new InvalidArgumentError("a session nonce is 16 bytes");
  const heads = content.heads ?? [];
  if (heads.length > 0xffff) throw new InvalidArgumentError("too many cited heads");
  let size = 1 + KEY_LENGTH + NONCE_LENGTH + 1 + doc.length + 2 + 32 * heads.length + 4;
  for (const item of content.items) size += 4 + item.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let o = 0;
  out[o++] = content.kind;
  out.set(author, o);
  o += KEY_LENGTH;
  out.set(content.session, o);
  o += NONCE_LENGTH;
  out[o++] = doc.length;
  out.set(doc, o);
  o += doc.length;
  view.setUint16(o, heads.length);
  o += 2;
  for (const h of heads) {
    const hb = fromHex(h);
    if (hb.length !== 32) throw new InvalidArgumentError("a head is a 32-byte hash");
    out.set(hb, o);
    o += 32;
  }
  view.setUint32(o, content.items.length);
  o += 4;
  for (const item of content.items) {
    view.setUint32(o, item.length);
    o += 4;
    out.set(item, o);
    o += item.length;
  }
  return out;
}

/**
 * Seals (or, for the public scope, signs only) content by `author` under a scope epoch.
 * `iv` is for test vectors only; by default a fresh random one is used.
 */
export async function sealEnvelope(
  author: DeviceIdentity,
  scope: ScopeEpoch,
  content: EnvelopeContent,
  iv?: Uint8Array,
): Promise<Uint8Array> {
  const nonce = scope.key ? (iv ?? randomBytes(12)) : new Uint8Array(12);
  const header = encodeHeader(scope, nonce);
  const unsigned = encodeUnsignedBody(author.signingPublicKey, content);
  const signature = await author.sign(concat(DOMAIN, header, unsigned));
  const body = concat(unsigned, signature);
  const payload = scope.key ? await aesGcmEncrypt(scope.key, nonce, body, header) : body;
  const envelope = concat(header, payload);
  if (envelope.length > MAX_ENVELOPE_BYTES) {
    throw new QuotaError(`envelope of ${envelope.length} bytes exceeds ${MAX_ENVELOPE_BYTES} bytes`);
  }
  return envelope;
}

class Reader {
  private o = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number): void {
    if (this.o + n > this.bytes.length) throw new IntegrityError("envelope body truncated");
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.o++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.o);
    this.o += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.o);
    this.o += 4;
    return v;
  }
  take(n: number): Uint8Array {
    this.need(n);
    const v = this.bytes.subarray(this.o, this.o + n);
    this.o += n;
    return v;
  }
  get offset(): number {
    return this.o;
  }
}

/**
 * Opens and verifies an envelope. `scopeFor` maps a topic and epoch to the scope epoch that can open it.
 * Throws `UnknownScopeError` for a topic or epoch with no known key, and `IntegrityError` for anything
 * malformed, undecryptable or wrongly signed.
 */
export async function openEnvelope(
  bytes: Uint8Array,
  scopeFor: (topic: Topic, epoch: number) => ScopeEpoch | undefined,
  /** The envelope's hash when the caller has it already. */
  hash?: EnvelopeHash,
): Promise<OpenedEnvelope> {
  if (bytes.length > MAX_ENVELOPE_BYTES) throw new IntegrityError("envelope larger than the maximum size");
  const header = readHeader(bytes);
  const scope = scopeFor(header.topic, header.epoch);
  if (!scope || scope.epoch !== header.epoch) {
    throw new UnknownScopeError(`no key for topic ${header.topic.slice(0, 12)}… epoch ${header.epoch}`);
  }
  const headerBytes = bytes.subarray(0, HEADER_LENGTH);
  const payload = bytes.subarray(HEADER_LENGTH);
  const body = scope.key ? await aesGcmDecrypt(scope.key, header.iv, payload, headerBytes) : payload;
  if (!scope.key && header.iv.some((b) => b !== 0))
    throw new IntegrityError("public envelope with a non-zero iv");
  if (body.length < SIGNATURE_LENGTH) throw new IntegrityError("envelope body truncated");
  const unsigned = body.subarray(0, body.length - SIGNATURE_LENGTH);
  const signature = body.subarray(body.length - SIGNATURE_LENGTH);
  const r = new Reader(unsigned);
  const kind = r.u8();
  if (kind !== 1 && kind !== 2 && kind !== 3) throw new IntegrityError(`unknown envelope kind ${kind}`);
  const author = r.take(KEY_LENGTH).slice();
  const session = r.take(NONCE_LENGTH).slice();
  const docLength = r.u8();
  if (docLength === 0) throw new IntegrityError("empty document ID");
  let docId: DocId;
  try {
    docId = fromUtf8(r.take(docLength)) as DocId;
  } catch {
    throw new IntegrityError("document ID is not UTF-8");
  }
  const headCount = r.u16();
  const heads: string[] = [];
  for (let i = 0; i < headCount; i++) heads.push(toHex(r.take(32)));
  const itemCount = r.u32();
  const items: Uint8Array[] = [];
  for (let i = 0; i < itemCount; i++) items.push(r.take(r.u32()).slice());
  if (r.offset !== unsigned.length) throw new IntegrityError("trailing bytes in envelope body");
  const key = await cachedVerifyKey(author);
  if (!(await verify(key, signature, concat(DOMAIN, headerBytes, unsigned)))) {
    throw new IntegrityError("bad envelope signature");
  }
  return {
    hash: hash ?? (await envelopeHash(bytes)),
    header,
    body: { kind, author, authorId: await deviceIdOf(author), session, docId, heads, items },
  };
}
