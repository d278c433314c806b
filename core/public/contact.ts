/**
 * Contact requests: what a visitor leaves through `<cell-contact>` on any page, sealed in the page to the
 * cell's admission public key so that only the cell's officers can read it, and posted to the cell's
 * contact inbox on its relays. The visitor needs no key of their own; the blog keeps nothing.
 *
 * A sealed request has the envelope v1 header, so any relay stores and forwards it unchanged:
 * ```
 * header (50 bytes, the AES-GCM additional data)
 *   version 1 | suite 1 | topic = contactTopic(cell) | epoch = index of the admission key in the
 *   cell's publication chain (u32 BE) | iv (12 bytes, random)
 * payload = ephemeral ECDH P-256 public key (65, raw) ‖ AES-256-GCM(key, iv, plaintext, aad = header)
 *   shared = ECDH(ephemeral private, admission public)
 *   key    = HKDF-SHA-256(shared, salt = "cellule/v1/contact", info = "cellule/v1/contact\n<cell>\n<index>\n"
 *            ‖ ephemeral public), 32 bytes
 * plaintext = UTF-8 JSON {v: 1, cell, name, reach, message, consent, lang, at}, padded with spaces to a
 *            multiple of 256 bytes so its length tells little
 * ```
 * The contact topic is public (a hash of the cell ID): anyone may post to it, only officers can open it.
 */
import { concat, fromBase64, fromHex, fromUtf8, toHex, utf8 } from "../bytes.js";
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  ecdh,
  exportPublicKey,
  generateAgreementKeyPair,
  hkdf,
  importAesKey,
  importAgreementPublicKey,
  SUITE_1,
  sha256,
} from "../crypto.js";
import { IntegrityError, InvalidArgumentError } from "../errors.js";

/** What a visitor writes. */
export interface ContactRequest {
  /** Name or pseudonym. */
  name: string;
  /** How to reach them: a mail address, a phone, free text. */
  reach: string;
  message: string;
  /** The visitor agreed that the cell keeps these details (the form cannot be sent otherwise). */
  consent: true;
  /** The language of the form they used. */
  lang: "fr" | "en";
}

/** An opened request, as an officer reads it. */
export interface OpenedContact extends ContactRequest {
  cell: string;
  /** When the visitor's page sealed it (the visitor's clock), ms since the epoch. */
  at: number;
  /** Index of the admission key it was sealed to. */
  keyIndex: number;
}

/** Limits, in characters. */
export const CONTACT_LIMITS = { name: 200, reach: 300, message: 5_000 } as const;
/** Largest sealed request a relay or an officer accepts. */
export const MAX_CONTACT_BYTES = 64 * 1024;

const HEADER = 50;
const POINT = 65;
const PAD = 256;
const SALT = utf8("cellule/v1/contact");

/** The relay topic of a cell's contact inbox (hex). */
export async function contactTopic(cell: string): Promise<string> {
  return toHex(await sha256(utf8(`cellule/v1/contact-inbox\n${cell}`)));
}

function field(value: unknown, name: string, max: number, required: boolean): string {
  if (typeof value !== "string") throw new InvalidArgumentError(`${name} must be text`);
  const trimmed = value.trim();
  if (required && !trimmed) throw new InvalidArgumentError(`${name} is required`);
  if (trimmed.length > max) throw new InvalidArgumentError(`${name} is longer than ${max} characters`);
  return trimmed;
}

/** Checks a request as a visitor typed it; `InvalidArgumentError` names the first wrong field. */
export function checkContact(input: unknown): ContactRequest {
  const r = (input ?? {}) as Record<string, unknown>;
  const request: ContactRequest = {
    name: field(r.name, "name", CONTACT_LIMITS.name, true),
    reach: field(r.reach, "reach", CONTACT_LIMITS.reach, true),
    message: field(r.message, "message", CONTACT_LIMITS.message, false),
    consent: true,
    lang: r.lang === "en" ? "en" : "fr",
  };
  if (r.consent !== true) throw new InvalidArgumentError("consent is required");
  return request;
}

async function contactKey(shared: Uint8Array, cell: string, index: number, ephemeral: Uint8Array) {
  const info = concat(utf8(`cellule/v1/contact\n${cell}\n${index}\n`), ephemeral);
  return importAesKey(await hkdf(shared, SALT, info, 32));
}

/** Deterministic inputs, for test vectors only. */
export interface ContactSealOptions {
  ephemeral?: CryptoKeyPair;
  iv?: Uint8Array;
  at?: number;
}

/**
 * Seals a request to the admission key `admission` (base64url raw P-256 point) of index `keyIndex` in
 * `cell`'s publication chain (a verified edition gives both). Returns the bytes to POST to
 * `<relay>/t/<contactTopic(cell)>`.
 */
export async function sealContact(
  cell: string,
  admission: string,
  keyIndex: number,
  request: ContactRequest,
  options: ContactSealOptions = {},
): Promise<Uint8Array> {
  const clean = checkContact(request);
  let recipient: CryptoKey;
  try {
    recipient = await importAgreementPublicKey(fromBase64(admission));
  } catch (cause) {
    throw new InvalidArgumentError("the cell's admission key is not a P-256 public key", { cause });
  }
  const pair = options.ephemeral ?? (await generateAgreementKeyPair());
  const ephemeral = await exportPublicKey(pair.publicKey);
  const header = new Uint8Array(HEADER);
  header[0] = 1;
  header[1] = SUITE_1;
  header.set(fromHex(await contactTopic(cell)), 2);
  new DataView(header.buffer).setUint32(34, keyIndex);
  header.set(options.iv ?? crypto.getRandomValues(new Uint8Array(12)), 38);
  const key = await contactKey(await ecdh(pair.privateKey, recipient), cell, keyIndex, ephemeral);
  const json = JSON.stringify({ v: 1, cell, ...clean, at: options.at ?? Date.now() });
  const encoded = utf8(json);
  const plain = new Uint8Array(Math.ceil((encoded.length + 1) / PAD) * PAD).fill(0x20);
  plain.set(encoded);
  return concat(header, ephemeral, await aesGcmEncrypt(key, header.subarray(38), plain, header));
}

/**
 * Opens a sealed request of `cell` with an admission private key of its index (`keysFor` returns the
 * keys to try for an index: none if it holds none). `IntegrityError` for anything malformed, foreign,
 * altered or sealed to a key this device does not hold.
 */
export async function openContact(
  bytes: Uint8Array,
  cell: string,
  keysFor: (index: number) => CryptoKey[],
): Promise<OpenedContact> {
  if (bytes.length < HEADER + POINT + 16 || bytes.length > MAX_CONTACT_BYTES)
    throw new IntegrityError("a contact request has the wrong size");
  const header = bytes.subarray(0, HEADER);
  if (header[0] !== 1 || header[1] !== SUITE_1) throw new IntegrityError("unknown contact request format");
  if (toHex(header.subarray(2, 34)) !== (await contactTopic(cell)))
    throw new IntegrityError("a contact request for another cell");
  const index = new DataView(header.buffer, header.byteOffset).getUint32(34);
  const keys = keysFor(index);
  if (keys.length === 0) throw new IntegrityError(`no admission key #${index} on this device`);
  const ephemeral = bytes.subarray(HEADER, HEADER + POINT);
  const publicKey = await importAgreementPublicKey(ephemeral);
  let plain: Uint8Array | undefined;
  for (const privateKey of keys) {
    const key = await contactKey(await ecdh(privateKey, publicKey), cell, index, ephemeral);
    plain = await aesGcmDecrypt(key, header.subarray(38), bytes.subarray(HEADER + POINT), header).catch(
      (e) => (privateKey === keys.at(-1) ? Promise.reject(e) : undefined),
    );
    if (plain) break;
  }
  if (!plain) throw new IntegrityError("decryption failed: wrong key or altered ciphertext");
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(fromUtf8(plain));
  } catch (cause) {
    throw new IntegrityError("a contact request is not JSON", { cause });
  }
  if (parsed.v !== 1 || parsed.cell !== cell || typeof parsed.at !== "number" || !Number.isFinite(parsed.at))
    throw new IntegrityError("a contact request has an unknown shape");
  let request: ContactRequest;
  try {
    request = checkContact(parsed);
  } catch (cause) {
    throw new IntegrityError(`a contact request is invalid: ${(cause as Error).message}`, { cause });
  }
  return { ...request, cell, at: parsed.at, keyIndex: index };
}
