/**
 * Contact requests: what a visitor leaves through `<cell-contact>` on any page, sealed in the page to the
 * cell's admission public key so that only the cell's officers can read it, and posted to the cell's
 * contact inbox on its relays. The visitor needs no key of their own; the blog keeps nothing.
 *
 * A sealed request is a sealed box (crypto/sealed-box.ts) labelled `contact`, on the topic
 * `contactTopic(cell)`, bound to the cell's ID, whose index is the admission key's in the cell's
 * publication chain; its JSON is `{v: 1, cell, name, reach, message, consent, lang, at[, device]}`.
 * A request with `device` (the public keys of the visitor's new device in the member space) asks to join
 * the cell: an officer who accepts sends an invitation back to that device (see cell/join-request.ts).
 * The contact topic is public (a hash of the cell ID): anyone may post to it, only officers can open it.
 */
import { toHex, utf8 } from "../base/bytes.js";
import { IntegrityError, InvalidArgumentError } from "../base/errors.js";
import type { Topic } from "../base/ids.js";
import { type BoxSealOptions, boxIndex, MAX_BOX_BYTES, openBox, sealBox } from "../crypto/sealed-box.js";
import { sha256 } from "../crypto/suite.js";

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
  /** For a request to join: the public keys (base64url raw P-256 points) of the visitor's new device. */
  device?: { signing: string; agreement: string };
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
export const MAX_CONTACT_BYTES = MAX_BOX_BYTES;

/** The relay topic of a cell's contact inbox (hex). */
export async function contactTopic(cell: string): Promise<Topic> {
  return toHex(await sha256(utf8(`cellule/v1/contact-inbox\n${cell}`))) as Topic;
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
  if (r.device !== undefined) {
    const d = r.device as Record<string, unknown>;
    const point = (v: unknown) => typeof v === "string" && /^[A-Za-z0-9_-]{87}$/.test(v);
    if (!point(d?.signing) || !point(d?.agreement))
      throw new InvalidArgumentError("device holds two base64url P-256 public keys");
    request.device = { signing: d.signing as string, agreement: d.agreement as string };
  }
  return request;
}

/** Deterministic inputs, for test vectors only. */
export interface ContactSealOptions extends BoxSealOptions {
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
  const address = { label: "contact", topic: await contactTopic(cell), bound: cell, index: keyIndex };
  try {
    return await sealBox(address, admission, { v: 1, cell, ...clean, at: options.at ?? Date.now() }, options);
  } catch (e) {
    if (e instanceof InvalidArgumentError)
      throw new InvalidArgumentError("the cell's admission key is not a P-256 public key", { cause: e });
    throw e;
  }
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
  const index = boxIndex(bytes);
  const parsed = await openBox(
    bytes,
    { label: "contact", topic: await contactTopic(cell), bound: cell },
    keysFor(index),
  );
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
