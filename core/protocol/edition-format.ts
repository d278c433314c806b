/**
 * The edition format, shared by the signer and the verifier. Types and constants only, so the verifier
 * (imported by keyless widgets) stays tiny.
 *
 * Wire form: UTF-8 `{"edition":<canonical JSON body>,"sig":"<base64url r‖s>"}`. The signature covers
 * `EDITION_DOMAIN ‖ body bytes` exactly as sent, under the last publication key of `chain`.
 */
import type { CellEvent, JournalPost, PublicPages, PublicProfile } from "./public-content.js";

/** Prefix of the bytes an edition signature covers. */
export const EDITION_DOMAIN = "cellule/edition/v1\n";
/** Prefix of the bytes a publication certificate signature covers. */
export const PUBLICATION_DOMAIN = "cellule/publication/v2\n";
/** How long a publication certificate is valid: a cell's devices renew the key well before (publication.ts). */
export const CERT_VALIDITY_MS = 180 * 86_400_000;
/** Largest edition a relay stores or a widget reads. */
export const MAX_EDITION_BYTES = 2 * 1024 * 1024;

/**
 * One link of the publication chain: `key` may sign editions of `cell` dated up to `expires`. The first link
 * is signed by the founder device named in the genesis op, each next one by the previous link's key (a
 * rotation or a renewal). A link is made by a `publication` governance op, and names the governance heads
 * that op cites (`heads`): a member device holding the log can tell a link the cell made from one a past
 * key holder made on its own (a fork), which never has its op.
 */
export interface PublicationCert {
  /** ECDSA P-256 public key that signs editions, base64url raw point. */
  key: string;
  /** ECDH P-256 public key visitors seal contact requests to, base64url raw point. */
  admission: string;
  /**
   * When the certificate ends, ms: no edition signed with `key` may be dated after it, relays take no
   * edition whose last certificate has ended, and the contact form seals nothing to its admission key.
   */
  expires: number;
  /** `headsDigest` of the governance heads the `publication` op that made this link cites. */
  heads: string;
  /** Signature of `publicationStatement(cell, index, cert)` by the previous key, base64url. */
  sig: string;
}

/** The signed part of an edition. */
export interface EditionBody {
  v: 1;
  /** The cell's ID: SHA-256 hex of the genesis op's body bytes. */
  cell: string;
  /** Signing time, ms: a relay keeps the edition with the largest `at` (tie: larger SHA-256 of the bytes). */
  at: number;
  /** The genesis op's wire text `{"body":…,"sig":"…"}`. */
  genesis: string;
  chain: PublicationCert[];
  profile: PublicProfile;
  /** Latest public posts, pinned first, then newest first. */
  posts: JournalPost[];
  pages: PublicPages;
  /** Public events that have not ended at `at`, soonest first. */
  events: CellEvent[];
}

/** What a publication certificate signs. */
export function publicationStatement(
  cell: string,
  index: number,
  { key, admission, expires, heads }: Omit<PublicationCert, "sig">,
): string {
  return `${PUBLICATION_DOMAIN}${cell}\n${index}\n${key}\n${admission}\n${expires}\n${heads}`;
}
