/**
 * Scope keys. A sealed scope has a chain of epochs, each with a 32-byte secret; from the secret come the
 * AES-256-GCM key that seals envelopes and the opaque relay topic, so a relay cannot link a scope's epochs
 * and sees no scope name. The public scope has no secret: its topic is a hash of its ID and its envelopes
 * are signed, not sealed.
 */
import { randomBytes, toHex, utf8 } from "../base/bytes.js";
import { InvalidArgumentError } from "../base/errors.js";
import type { ScopeId, Topic } from "../base/ids.js";
import { hkdf, importAesKey, sha256 } from "../crypto/suite.js";

const SALT = utf8("cellule/v1");

/** One epoch of a scope, ready to seal and open envelopes. */
export interface ScopeEpoch {
  readonly scope: ScopeId;
  /** 0 for the public scope; 1, 2, … for sealed epochs. */
  readonly epoch: number;
  readonly topic: Topic;
  /** AES-256-GCM key; `null` for the public scope (signed, not sealed). */
  readonly key: CryptoKey | null;
}

/** A fresh 32-byte epoch secret. */
export function newScopeSecret(): Uint8Array {
  return randomBytes(32);
}

/** Derives the key and topic of a sealed scope epoch from its secret. */
export async function sealedEpoch(scope: ScopeId, epoch: number, secret: Uint8Array): Promise<ScopeEpoch> {
  if (secret.length !== 32) throw new InvalidArgumentError("a scope secret is 32 bytes");
  if (!Number.isInteger(epoch) || epoch < 1 || epoch > 0xffffffff) {
    throw new InvalidArgumentError("a sealed epoch is an integer from 1 to 2^32-1");
  }
  const topic = toHex(await hkdf(secret, SALT, utf8("topic"), 32)) as Topic;
  const key = await importAesKey(await hkdf(secret, SALT, utf8("envelope-key"), 32));
  return { scope, epoch, topic, key };
}

/**
 * The epoch of a public scope. Its ID must be globally unique (e.g. `public:<cellId>`), since its topic is
 * derived from the ID alone.
 */
export async function publicEpoch(scope: ScopeId): Promise<ScopeEpoch> {
  const topic = toHex(await sha256(utf8(`cellule/v1/public-topic/${scope}`))) as Topic;
  return { scope, epoch: 0, topic, key: null };
}
