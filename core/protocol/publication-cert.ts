/**
 * The publication chain's links: who may sign a cell's editions, until when. The first link is certified by
 * the founder device, each rotation or renewal by the previous signing key; `verifyEdition`
 * (public/verify.ts) checks the chain.
 */
import { toBase64Url, toHex, utf8 } from "../base/bytes.js";
import { InvalidArgumentError } from "../base/errors.js";
import type { DeviceIdentity } from "../crypto/identity.js";
import { exportPublicKey, sha256, sign } from "../crypto/suite.js";
import { type PublicationCert, publicationStatement } from "./edition-format.js";

/** The keys that sign a cell's editions, and the chain that certifies them. */
export interface PublicationKeys {
  /** ECDSA P-256 key pair that signs editions. */
  signing: CryptoKeyPair;
  /** The certificates from the founder to `signing` (the last one names it). */
  chain: PublicationCert[];
}

/** `PublicationCert.heads`: SHA-256 hex of the sorted governance heads, one per line. */
export async function headsDigest(heads: readonly string[]): Promise<string> {
  return toHex(await sha256(utf8([...heads].sort().join("\n"))));
}

/**
 * The next link of a cell's publication chain: certifies `next` (edition signing key) and `admission`
 * (ECDH public key) until `expires` (ms), for the `publication` op citing governance heads `heads`. `by`
 * is the founder device for the first link, else the previous signing key.
 */
export async function certifyPublication(
  cell: string,
  chain: readonly PublicationCert[],
  by: DeviceIdentity | CryptoKey,
  next: CryptoKey,
  admission: CryptoKey,
  { expires, heads }: { expires: number; heads: readonly string[] },
): Promise<PublicationCert> {
  if (chain.length === 0 && by instanceof CryptoKey)
    throw new InvalidArgumentError("the first publication key is certified by the founder device");
  if (chain.length > 0 && !(by instanceof CryptoKey))
    throw new InvalidArgumentError("a rotation is signed by the previous publication key");
  if (!Number.isSafeInteger(expires) || expires < 0)
    throw new InvalidArgumentError("a certificate expires at a time in ms");
  const link = {
    key: toBase64Url(await exportPublicKey(next)),
    admission: toBase64Url(await exportPublicKey(admission)),
    expires,
    heads: await headsDigest(heads),
  };
  const statement = utf8(publicationStatement(cell, chain.length, link));
  const sig = by instanceof CryptoKey ? await sign(by, statement) : await by.sign(statement);
  return { ...link, sig: toBase64Url(sig) };
}
