/**
 * Building and signing editions. `buildEdition` is pure (content → body); `signEdition` encodes the body
 * canonically and signs it under the cell's current publication key; `certifyPublication` makes the links
 * of the publication chain (the first by the founder device, each rotation by the previous key).
 */
import { concat, fromUtf8, toBase64Url, utf8 } from "../bytes.js";
import { exportPublicKey, sign } from "../crypto.js";
import { InvalidArgumentError } from "../errors.js";
import { type Canonical, canonicalJson } from "../governance/canonical.js";
import type { SignedOp } from "../governance/ops.js";
import type { DeviceIdentity } from "../identity.js";
import {
  type CellEvent,
  checkEvent,
  checkPages,
  checkPost,
  checkProfile,
  type JournalPost,
  type PublicPages,
  type PublicProfile,
} from "./content.js";
import { EDITION_DOMAIN, type EditionBody, type PublicationCert, publicationStatement } from "./format.js";

/** What an edition is built from: the cell's content as the documents hold it (members-only included). */
export interface PublicContent {
  profile: PublicProfile;
  posts: readonly JournalPost[];
  pages: PublicPages;
  events: readonly CellEvent[];
}

/** The keys that sign a cell's editions, and the chain that certifies them. */
export interface PublicationKeys {
  /** ECDSA P-256 key pair that signs editions. */
  signing: CryptoKeyPair;
  /** The certificates from the founder to `signing` (the last one names it). */
  chain: PublicationCert[];
}

/** How many posts an edition carries by default. */
export const EDITION_POSTS = 50;

/**
 * The edition body for `content` at time `at`: only public posts (pinned first, then newest first, at
 * most `limit`) and public events not yet ended, soonest first. Pure; `InvalidArgumentError` on bad content.
 */
export function buildEdition(
  genesis: SignedOp,
  chain: readonly PublicationCert[],
  content: PublicContent,
  at: number,
  limit = EDITION_POSTS,
): EditionBody {
  if (genesis?.body?.op?.type !== "genesis")
    throw new InvalidArgumentError("buildEdition needs the genesis op");
  if (chain.length === 0) throw new InvalidArgumentError("buildEdition needs a publication chain");
  if (!Number.isSafeInteger(at) || at < 0) throw new InvalidArgumentError("at must be a time in ms");
  if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidArgumentError("limit must be 0 or more");
  const posts = content.posts
    .map(checkPost)
    .filter((p) => p.visibility === "public")
    .sort((a, b) => Number(!!b.pinned) - Number(!!a.pinned) || b.date - a.date || (a.id < b.id ? -1 : 1))
    .slice(0, limit);
  const events = content.events
    .map(checkEvent)
    .filter((e) => e.visibility === "public" && e.end >= at)
    .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
  return {
    v: 1,
    cell: genesis.hash,
    at,
    genesis: fromUtf8(genesis.bytes),
    chain: [...chain],
    profile: checkProfile(content.profile),
    posts,
    pages: checkPages(content.pages),
    events,
  };
}

/** Encodes and signs an edition body: the wire bytes relays store and widgets verify. */
export async function signEdition(body: EditionBody, signing: CryptoKey): Promise<Uint8Array> {
  const encoded = utf8(canonicalJson(body as unknown as Canonical));
  const sig = await sign(signing, concat(utf8(EDITION_DOMAIN), encoded));
  return concat(utf8('{"edition":'), encoded, utf8(`,"sig":"${toBase64Url(sig)}"}`));
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
