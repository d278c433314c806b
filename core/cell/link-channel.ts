/**
 * The channel of a device link (see link.ts): the codes (the short one typed by hand, the QR code's long
 * secret), the sealed scope a code opens, the PAKE both devices run over it, the check code and the end's
 * confirmation derived from the PAKE's key, where the log's secret travels, and the messages.
 */
import { fromUtf8, randomBytes, toBase64Url, toHex, utf8 } from "../base/bytes.js";
import { IntegrityError, InvalidArgumentError } from "../base/errors.js";
import type { DeviceId, ScopeId } from "../base/ids.js";
import { CPace } from "../crypto/cpace.js";
import { hkdf, sha256 } from "../crypto/suite.js";

/** How long a link code is valid. */
export const LINK_TTL_MS = 5 * 60_000;
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LENGTH = 10;
/** 26 × 5 = 130 random bits. */
export const QR_LENGTH = 26;
const SALT = utf8("cellule/link/v2");
const CHECK_SALT = utf8("cellule/link/v2/check");
const BOX_LABEL = "link";

/** The sealed scope two devices talk through while linking, and the secret their PAKE starts from. */
export interface LinkChannel {
  secret: Uint8Array;
  /** Kit scope ID (`link:<hex>`), also the envelopes' document ID. */
  scope: ScopeId;
  /** The code (or QR secret) in canonical form: the PAKE's shared secret. */
  password: Uint8Array;
}

/** `length` random Crockford base32 characters. */
export function randomCode(length: number): string {
  return [...randomBytes(length)].map((b) => ALPHABET[b & 31]).join("");
}

/** A new random link code, `ABCDE-FGHJK`. */
export function newLinkCode(): string {
  const code = randomCode(CODE_LENGTH);
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * The code as typed (any case, spaces or dashes, O for 0, I or L for 1) in canonical form: a short code
 * (10 characters) or a QR code's secret (26).
 */
export function normalizeLinkCode(code: string): string {
  const s = code.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if ((s.length !== CODE_LENGTH && s.length !== QR_LENGTH) || [...s].some((c) => !ALPHABET.includes(c))) {
    throw new InvalidArgumentError(`a link code is ${CODE_LENGTH} letters and digits, e.g. ABCDE-FGHJK`);
  }
  return s;
}

/** The channel a code (or a QR code's secret) opens. */
export async function linkChannel(code: string): Promise<LinkChannel> {
  const password = utf8(normalizeLinkCode(code));
  const secret = await hkdf(password, SALT, utf8("channel"), 32);
  const id = toHex(await sha256(secret)).slice(0, 32);
  return { secret, scope: `link:${id}` as ScopeId, password };
}

/** The PAKE of a link: the new device's signing key identifies the channel, the session is the channel's. */
export function pake(channel: LinkChannel, newDevice: Uint8Array, scalar?: Uint8Array): CPace {
  return new CPace({ prs: channel.password, ci: newDevice, sid: channel.secret.subarray(0, 16) }, scalar);
}

/** The 6-digit check code both devices show, from the key their PAKE gave. */
export async function checkCode(isk: Uint8Array): Promise<string> {
  const bytes = await hkdf(isk, CHECK_SALT, utf8("check"), 4);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  return String(n % 1_000_000).padStart(6, "0");
}

/** What the trusted device proves in its `done`: it holds the PAKE's key. */
export const confirmation = async (isk: Uint8Array) =>
  toBase64Url(await hkdf(isk, CHECK_SALT, utf8("done"), 32));

/** The address of the box that carries the log's secret to the new device. */
export async function boxAddress(channel: LinkChannel, device: DeviceId) {
  return { label: BOX_LABEL, topic: toHex(await sha256(channel.secret)), bound: device };
}

/** The scope the log travels under, from the secret in the box. */
export async function logScope(secret: Uint8Array): Promise<ScopeId> {
  return `link-log:${toHex(await sha256(secret)).slice(0, 32)}` as ScopeId;
}

/** What the two devices say on the channel. */
export type LinkMessage =
  | { t: "hello"; agreement: string; pake: string }
  | { t: "challenge"; device: string; pake: string; expires: number }
  | { t: "done"; ops: number; box: string };

/** A message as an envelope item. */
export const encode = (m: LinkMessage) => utf8(JSON.stringify(m));

/** A message from an envelope item; `IntegrityError` for anything else. */
export function decode(item: Uint8Array): LinkMessage {
  let m: LinkMessage;
  try {
    m = JSON.parse(fromUtf8(item));
  } catch {
    throw new IntegrityError("a link message is not JSON");
  }
  if (m?.t === "hello" && typeof m.agreement === "string" && typeof m.pake === "string") return m;
  if (m?.t === "done" && Number.isSafeInteger(m.ops) && typeof m.box === "string") return m;
  if (
    m?.t === "challenge" &&
    typeof m.device === "string" &&
    typeof m.pake === "string" &&
    typeof m.expires === "number"
  )
    return m;
  throw new IntegrityError("a malformed link message");
}
