/**
 * Crypto suite 1: ECDSA P-256 (raw r‖s signatures), ECDH P-256, HKDF-SHA-256, AES-256-GCM, SHA-256.
 * Thin wrappers over WebCrypto, the same in browsers and Node (where sign, verify and AES-GCM take a
 * synchronous route to the same primitives, node-backend.ts; `useCryptoBackend` changes it); failures of
 * untrusted input become `IntegrityError`. These wrappers are what the Wycheproof vectors test, on both
 * routes.
 *
 * Importing this module does nothing: the route is chosen by the first call that may use it, then kept.
 */
import { own } from "../base/bytes.js";
import { IntegrityError, InvalidArgumentError, UnavailableError } from "../base/errors.js";
import { type CryptoBackend, platformCryptoBackend } from "./node-backend.js";

export type { CryptoBackend };

/** Suite byte carried in every envelope header. */
export const SUITE_1 = 1;

let backend: CryptoBackend | undefined;
let chosen = false;

/**
 * Routes sign, verify and AES-GCM through `b` (undefined: WebCrypto only), instead of the platform's choice
 * (node:crypto in Node, WebCrypto elsewhere).
 */
export function useCryptoBackend(b: CryptoBackend | undefined): void {
  backend = b;
  chosen = true;
}

/** The route in use: `useCryptoBackend`'s, or else the platform's, looked up by the first call that asks. */
const route = (): CryptoBackend | undefined => (chosen ? backend : platformCryptoBackend());

const subtle = (): SubtleCrypto => {
  const s = globalThis.crypto?.subtle;
  if (!s)
    throw new UnavailableError(
      "WebCrypto (crypto.subtle) is not available: use a secure context (https or localhost)",
    );
  return s;
};

const ECDSA = { name: "ECDSA", namedCurve: "P-256" } as const;
const ECDSA_SHA256 = { name: "ECDSA", hash: "SHA-256" } as const;
const ECDH = { name: "ECDH", namedCurve: "P-256" } as const;

/** SHA-256 digest. */
export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest("SHA-256", own(data)));
}

/** A new ECDSA P-256 key pair; the private key is non-extractable unless asked. */
export function generateSigningKeyPair(extractable = false): Promise<CryptoKeyPair> {
  return subtle().generateKey(ECDSA, extractable, ["sign", "verify"]) as Promise<CryptoKeyPair>;
}

/** A new ECDH P-256 key pair; the private key is non-extractable unless asked. */
export function generateAgreementKeyPair(extractable = false): Promise<CryptoKeyPair> {
  return subtle().generateKey(ECDH, extractable, ["deriveBits"]) as Promise<CryptoKeyPair>;
}

/** The 65-byte uncompressed SEC1 encoding of a P-256 public key. */
export async function exportPublicKey(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle().exportKey("raw", key));
}

/** Imports a raw P-256 public key for verifying; `IntegrityError` if it is not a valid point. */
export async function importVerifyKey(raw: Uint8Array): Promise<CryptoKey> {
  try {
    return await subtle().importKey("raw", own(raw), ECDSA, true, ["verify"]);
  } catch (cause) {
    throw new IntegrityError("not a valid P-256 public key", { cause });
  }
}

const verifyKeys = new Map<string, Promise<CryptoKey>>();

/**
 * `importVerifyKey` with a bounded cache: the same few devices sign most envelopes and ops, and importing
 * a key costs about as much as verifying a signature.
 */
export function cachedVerifyKey(raw: Uint8Array): Promise<CryptoKey> {
  const id = String.fromCharCode(...raw);
  let key = verifyKeys.get(id);
  if (!key) {
    if (verifyKeys.size >= 10_000) verifyKeys.clear();
    key = importVerifyKey(raw);
    key.catch(() => verifyKeys.delete(id));
    verifyKeys.set(id, key);
  }
  return key;
}

/** Imports a raw P-256 public key for ECDH; `IntegrityError` if it is not a valid point. */
export async function importAgreementPublicKey(raw: Uint8Array): Promise<CryptoKey> {
  try {
    return await subtle().importKey("raw", own(raw), ECDH, true, []);
  } catch (cause) {
    throw new IntegrityError("not a valid P-256 public key", { cause });
  }
}

/** ECDSA P-256 / SHA-256 signature, raw r‖s (64 bytes). Malleable: never use a signature as an ID. */
export async function sign(privateKey: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return (
    route()?.sign(privateKey, data) ??
    new Uint8Array(await subtle().sign(ECDSA_SHA256, privateKey, own(data)))
  );
}

/** Verifies a raw r‖s signature; false for any invalid signature, never throws on bad input. */
export async function verify(
  publicKey: CryptoKey,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  if (signature.length !== 64) return false;
  try {
    return (
      route()?.verify(publicKey, signature, data) ??
      (await subtle().verify(ECDSA_SHA256, publicKey, own(signature), own(data)))
    );
  } catch {
    return false;
  }
}

/**
 * `verify` of many signatures at once, in parallel where the platform can (WebCrypto's or node:crypto's
 * worker threads): a new device checking a log of thousands of ops uses every core. One alone is `verify`.
 */
export async function verifyAll(
  checks: readonly { publicKey: CryptoKey; signature: Uint8Array; data: Uint8Array }[],
): Promise<boolean[]> {
  if (checks.length === 1) return [await verify(checks[0]!.publicKey, checks[0]!.signature, checks[0]!.data)];
  return Promise.all(
    checks.map(async ({ publicKey, signature, data }) => {
      if (signature.length !== 64) return false;
      try {
        return (
          (await route()?.verifyPooled(publicKey, signature, data)) ??
          (await subtle().verify(ECDSA_SHA256, publicKey, own(signature), own(data)))
        );
      } catch {
        return false;
      }
    }),
  );
}

/** ECDH P-256 shared secret (the x coordinate, 32 bytes). */
export async function ecdh(privateKey: CryptoKey, publicKey: CryptoKey): Promise<Uint8Array> {
  try {
    return new Uint8Array(await subtle().deriveBits({ name: "ECDH", public: publicKey }, privateKey, 256));
  } catch (cause) {
    throw new IntegrityError("ECDH failed: the public key is not usable", { cause });
  }
}

/** HKDF-SHA-256 of `length` bytes. */
export async function hkdf(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  if (!Number.isInteger(length) || length < 0 || length > 255 * 32) {
    throw new InvalidArgumentError("HKDF-SHA-256 output is 0 to 8160 bytes");
  }
  const key = await subtle().importKey("raw", own(ikm), "HKDF", false, ["deriveBits"]);
  const bits = await subtle().deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: own(salt), info: own(info) },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}

/** Imports a raw 128/192/256-bit AES-GCM key (non-extractable). */
export function importAesKey(raw: Uint8Array): Promise<CryptoKey> {
  if (![16, 24, 32].includes(raw.length)) throw new InvalidArgumentError("an AES key is 16, 24 or 32 bytes");
  return subtle().importKey("raw", own(raw), "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** AES-GCM encryption with a 128-bit tag appended. */
export async function aesGcmEncrypt(
  key: CryptoKey,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  try {
    const fast = route()?.aesGcmEncrypt(key, iv, plaintext, aad);
    if (fast) return fast;
    const ct = await subtle().encrypt(
      { name: "AES-GCM", iv: own(iv), additionalData: own(aad), tagLength: 128 },
      key,
      own(plaintext),
    );
    return new Uint8Array(ct);
  } catch {
    throw new InvalidArgumentError(`AES-GCM refused the input (IV of ${iv.length} bytes?)`);
  }
}

/** AES-GCM decryption; `IntegrityError` when the tag does not match (wrong key, altered bytes or AAD). */
export async function aesGcmDecrypt(
  key: CryptoKey,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  try {
    const fast = route()?.aesGcmDecrypt(key, iv, ciphertext, aad);
    if (fast) return fast;
    const pt = await subtle().decrypt(
      { name: "AES-GCM", iv: own(iv), additionalData: own(aad), tagLength: 128 },
      key,
      own(ciphertext),
    );
    return new Uint8Array(pt);
  } catch (cause) {
    throw new IntegrityError("decryption failed: wrong key or altered ciphertext", { cause });
  }
}
