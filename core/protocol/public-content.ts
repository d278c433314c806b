/**
 * The shapes of the cell's public content: profile, journal posts, pages and events, as documents hold them
 * and editions carry them. Members-only posts and events use the same shapes (`visibility`); editions keep
 * only the public ones. The checks every writer and reader applies are in `public/content.ts`.
 */

/** The cell's public profile. */
export interface PublicProfile {
  name: string;
  place: string;
  description: string;
  /** How to reach the cell (an address, a mail, a phone), free text. */
  contact: string;
  /** Relay base URLs (http/https). */
  relays: string[];
}

/** Who may read a post or an event. */
export type Visibility = "public" | "members";

/** A journal post. */
export interface JournalPost {
  id: string;
  title: string;
  text: string;
  link?: string;
  linkTitle?: string;
  /** The author's public name. */
  author: string;
  /** Publication time, ms since the epoch. */
  date: number;
  pinned?: boolean;
  visibility: Visibility;
}

/** The cell's fixed pages. */
export interface PublicPages {
  about: string;
  contact: string;
  whyJoin: string;
}

/** An event (action, meeting, demonstration). */
export interface CellEvent {
  id: string;
  title: string;
  description: string;
  place: string;
  /** ms since the epoch. */
  start: number;
  end: number;
  visibility: Visibility;
}
