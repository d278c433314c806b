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
export const PUBLICATION_DOMAIN = "cellule/publication/v1\n";
/** Largest edition a relay stores or a widget reads. */
export const MAX_EDITION_BYTES = 2 * 1024 * 1024;

/**
 * One link of the publication chain: `key` may sign editions of `cell`. The first link is signed by the
 * founder device named in the genesis op, each next one by the previous link's key (a rotation).
 */
export interface PublicationCert {
  /** ECDSA P-256 public key that signs editions, base64url raw point. */
  key: string;
  /** ECDH P-256 public key visitors seal contact requests to, base64url raw point. */
  admission: string;
  /** Signature of `publicationStatement(cell, index, key, admission)` by the previous key, base64url. */
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
export function publicationStatement(cell: string, index: number, key: string, admission: string): string {
  return `${PUBLICATION_DOMAIN}${cell}\n${index}\n${key}\n${admission}`;
}
