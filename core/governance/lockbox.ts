/**
 * Lockboxes: how a sealed scope's epoch secret reaches each reader device, inside a governance op.
 *
 * One rotation makes one ephemeral ECDH P-256 key pair. For each reader device:
 *   shared  = ECDH(ephemeral private, device agreement public)          32 bytes
 *   okm     = HKDF-SHA-256(shared, salt = "cellule/v1/lockbox", info)   40 bytes
 *   key     = okm[0..32]  (AES-256-GCM),  tag = okm[32..40]
 *   box     = iv(12) ‖ AES-256-GCM(key, iv, epoch secret, aad = info)   12 + 32 + 16 = 60 bytes
 * where `info` = UTF-8 of `cellule/v1/lockbox\n<cell>\n<scope>\n<epoch>`: a box is bound to its cell, scope
 * and epoch, and cannot be replayed into another. The tag lets a device find its entry without trying
 * each one; a relay sees only random-looking 8-byte tags.
 *
 * The entry list is padded with random entries of the same shape to a multiple of 8 (at least 8) and
 * sorted by tag, so its length hides the exact number of readers and its order hides who was added when.
 *
 * The previous epoch's secret is wrapped under the new one (`wrapPrevious`), so a reader who opens the
 * newest lockbox walks back through every earlier epoch: admitted readers keep the history.
 */
import { concat, fromBase64, randomBytes, toBase64Url, utf8 } from "../base/bytes.js";
import { IntegrityError, InvalidArgumentError } from "../base/errors.js";
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  ecdh,
  exportPublicKey,
  generateAgreementKeyPair,
  hkdf,
  importAesKey,
  importAgreementPublicKey,
} from "../crypto/suite.js";
import type { Lockboxes } from "./types.js";

/** What a lockbox is bound to. */
export interface LockboxContext {
  cell: string;
  scope: string;
  epoch: number;
}

/** A device that can open lockboxes: its ECDH P-256 private key. */
export interface LockboxOpener {
  readonly agreementPrivateKey: CryptoKey;
}

/** Deterministic inputs, for test vectors only. */
export interface LockboxSealOptions {
  ephemeral?: CryptoKeyPair;
  random?: (n: number) => Uint8Array;
}

export const SECRET_LENGTH = 32;
const SALT = utf8("cellule/v1/lockbox");
const IV_LENGTH = 12;
const TAG_LENGTH = 8;
const BOX_LENGTH = IV_LENGTH + SECRET_LENGTH + 16;
const PAD_TO = 8;

function info(purpose: string, ctx: LockboxContext): Uint8Array {
  if (!Number.isSafeInteger(ctx.epoch) || ctx.epoch < 0) {
    throw new InvalidArgumentError("a lockbox epoch is a non-negative integer");
  }
  if (ctx.cell.includes("\n") || ctx.scope.includes("\n")) {
    throw new InvalidArgumentError("a lockbox cell or scope contains no line break");
  }
  return utf8(`cellule/v1/${purpose}\n${ctx.cell}\n${ctx.scope}\n${ctx.epoch}`);
}

function checkSecret(secret: Uint8Array): void {
  if (secret.length !== SECRET_LENGTH)
    throw new InvalidArgumentError(`a scope secret is ${SECRET_LENGTH} bytes`);
}

async function derive(shared: Uint8Array, aad: Uint8Array): Promise<{ key: CryptoKey; tag: string }> {
  const okm = await hkdf(shared, SALT, aad, SECRET_LENGTH + TAG_LENGTH);
  return {
    key: await importAesKey(okm.subarray(0, SECRET_LENGTH)),
    tag: toBase64Url(okm.subarray(SECRET_LENGTH)),
  };
}

/** Seals `secret` to every recipient's agreement key (base64url raw point). Recipients may repeat: one box each. */
export async function sealLockboxes(
  secret: Uint8Array,
  recipients: readonly { agreement: string }[],
  ctx: LockboxContext,
  options: LockboxSealOptions = {},
): Promise<Lockboxes> {
  checkSecret(secret);
  const aad = info("lockbox", ctx);
  const random = options.random ?? randomBytes;
  const ephemeral = options.ephemeral ?? (await generateAgreementKeyPair());
  const unique = [...new Set(recipients.map((r) => r.agreement))];
  // Sequential derivation keeps the random IVs in recipient order (test vectors); WebCrypto calls
  // of different recipients still overlap through Promise.all below.
  const ivs = unique.map(() => random(IV_LENGTH));
  const entries = await Promise.all(
    unique.map(async (agreement, i) => {
      let publicKey: CryptoKey;
      try {
        publicKey = await importAgreementPublicKey(fromBase64(agreement));
      } catch (cause) {
        throw new InvalidArgumentError("a lockbox recipient's agreement key is not a P-256 point", { cause });
      }
      const { key, tag } = await derive(await ecdh(ephemeral.privateKey, publicKey), aad);
      const iv = ivs[i]!;
      return { tag, box: toBase64Url(concat(iv, await aesGcmEncrypt(key, iv, secret, aad))) };
    }),
  );
  const total = Math.max(PAD_TO, Math.ceil(entries.length / PAD_TO) * PAD_TO);
  while (entries.length < total) {
    entries.push({ tag: toBase64Url(random(TAG_LENGTH)), box: toBase64Url(random(BOX_LENGTH)) });
  }
  entries.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return { ephemeral: toBase64Url(await exportPublicKey(ephemeral.publicKey)), entries };
}

/**
 * Opens the entry sealed to `device`; `undefined` when there is none for it. `IntegrityError` when the
 * ephemeral key is not a valid point, or an entry carries this device's tag but does not decrypt.
 */
export async function openLockbox(
  lockboxes: Lockboxes,
  device: LockboxOpener,
  ctx: LockboxContext,
): Promise<Uint8Array | undefined> {
  const aad = info("lockbox", ctx);
  const ephemeral = await importAgreementPublicKey(decode(lockboxes.ephemeral, "ephemeral key"));
  const { key, tag } = await derive(await ecdh(device.agreementPrivateKey, ephemeral), aad);
  const entry = lockboxes.entries.find((e) => e.tag === tag);
  if (!entry) return undefined;
  const box = decode(entry.box, "lockbox");
  if (box.length !== BOX_LENGTH)
    throw new IntegrityError(`a lockbox is ${BOX_LENGTH} bytes, not ${box.length}`);
  return aesGcmDecrypt(key, box.subarray(0, IV_LENGTH), box.subarray(IV_LENGTH), aad);
}

async function previousKey(newSecret: Uint8Array, aad: Uint8Array): Promise<CryptoKey> {
  checkSecret(newSecret);
  return importAesKey(await hkdf(newSecret, SALT, aad, SECRET_LENGTH));
}

/** The previous epoch's secret wrapped under the new one: iv ‖ AES-GCM, base64url. */
export async function wrapPrevious(
  newSecret: Uint8Array,
  previousSecret: Uint8Array,
  ctx: LockboxContext,
  random: (n: number) => Uint8Array = randomBytes,
): Promise<string> {
  checkSecret(previousSecret);
  const aad = info("previous", ctx);
  const iv = random(IV_LENGTH);
  return toBase64Url(
    concat(iv, await aesGcmEncrypt(await previousKey(newSecret, aad), iv, previousSecret, aad)),
  );
}

/** Unwraps what `wrapPrevious` made; `IntegrityError` if it was altered or made under another secret. */
export async function unwrapPrevious(
  newSecret: Uint8Array,
  wrapped: string,
  ctx: LockboxContext,
): Promise<Uint8Array> {
  const aad = info("previous", ctx);
  const bytes = decode(wrapped, "wrapped secret");
  if (bytes.length !== BOX_LENGTH) throw new IntegrityError(`a wrapped secret is ${BOX_LENGTH} bytes`);
  return aesGcmDecrypt(
    await previousKey(newSecret, aad),
    bytes.subarray(0, IV_LENGTH),
    bytes.subarray(IV_LENGTH),
    aad,
  );
}

function decode(text: string, what: string): Uint8Array {
  try {
    return fromBase64(text);
  } catch (cause) {
    throw new IntegrityError(`the ${what} is not base64url`, { cause });
  }
}
