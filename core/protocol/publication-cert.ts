/**
 * The publication chain's links: who may sign a cell's editions. The first link is certified by the founder
 * device, each rotation by the previous signing key; `verifyEdition` (public/verify.ts) checks the chain.
 */
import { toBase64Url, utf8 } from "../base/bytes.js";
import { InvalidArgumentError } from "../base/errors.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import { exportPublicKey, sign } from "../crypto/suite.js";
import { type PublicationCert, publicationStatement } from "./edition-format.js";

/** The keys that sign a cell's editions, and the chain that certifies them. */
export interface PublicationKeys {
  /** ECDSA P-256 key pair that signs editions. */
  signing: CryptoKeyPair;
  /** The certificates from the founder to `signing` (the last one names it). */
  chain: PublicationCert[];
}

/**
 * The next link of a cell's publication chain: certifies `next` (edition signing key) and `admission`
 * (ECDH public key). `by` is the founder device for the first link, else the previous signing key.
 */
export async function certifyPublication(
  cell: string,
  chain: readonly PublicationCert[],
  by: DeviceIdentity | CryptoKey,
  next: CryptoKey,
  admission: CryptoKey,
): Promise<PublicationCert> {
  if (chain.length === 0 && by instanceof CryptoKey)
    throw new InvalidArgumentError("the first publication key is certified by the founder device");
  if (chain.length > 0 && !(by instanceof CryptoKey))
    throw new InvalidArgumentError("a rotation is signed by the previous publication key");
  const key = toBase64Url(await exportPublicKey(next));
  const adm = toBase64Url(await exportPublicKey(admission));
  const statement = utf8(publicationStatement(cell, chain.length, key, adm));
  const sig = by instanceof CryptoKey ? await sign(by, statement) : await by.sign(statement);
  return { key, admission: adm, sig: toBase64Url(sig) };
}
