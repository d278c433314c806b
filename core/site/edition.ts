/**
 * Building and signing editions. `buildEdition` is pure (content → body); `signEdition` encodes the body
 * canonically and signs it under the cell's current publication key; `certifyPublication` makes the links
 * of the publication chain (the first by the founder device, each rotation by the previous key).
 */
import { concat, fromUtf8, toBase64Url, utf8 } from "../base/bytes.js";
import { canonicalJson } from "../base/canonical-json.js";
import { InvalidArgumentError } from "../base/errors.js";
import { sign } from "../crypto/suite.js";
import type { SignedOp } from "../governance/types.js";
import { EDITION_DOMAIN, type EditionBody, type PublicationCert } from "../protocol/edition-format.js";
import type { CellEvent, JournalPost, PublicPages, PublicProfile } from "../protocol/public-content.js";
import { checkEvent, checkPages, checkPost, checkProfile, eventOver } from "../public/content.js";

/** What an edition is built from: the cell's content as the documents hold it (members-only included). */
export interface PublicContent {
  profile: PublicProfile;
  posts: readonly JournalPost[];
  pages: PublicPages;
  events: readonly CellEvent[];
}

/** How many posts an edition carries by default. */
export const EDITION_POSTS = 50;

/**
 * The edition body for `content` at time `at`: only public posts not unpublished (pinned first, then
 * newest first, at most `limit`) and public events not yet over (cancelled ones too: readers show them
 * as cancelled), soonest first. Pure; `InvalidArgumentError` on bad content.
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
    .filter((p) => p.visibility === "public" && !p.unpublished)
    .sort((a, b) => Number(!!b.pinned) - Number(!!a.pinned) || b.date - a.date || (a.id < b.id ? -1 : 1))
    .slice(0, limit);
  const events = content.events
    .map(checkEvent)
    .filter((e) => e.visibility === "public" && eventOver(e) >= at)
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
  const encoded = utf8(canonicalJson(body));
  const sig = await sign(signing, concat(utf8(EDITION_DOMAIN), encoded));
  return concat(utf8('{"edition":'), encoded, utf8(`,"sig":"${toBase64Url(sig)}"}`));
}
