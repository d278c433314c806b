/**
 * The shapes of the cell's public content: profile, journal posts, pages and events, as documents hold them
 * and editions carry them. Members-only and officers-only posts and events use the same shapes
 * (`visibility`); editions keep only the public ones. The checks every writer and reader applies are in
 * `public/content.ts`.
 */

/** The time zone of a cell whose profile names none (editions made before profiles had one). */
export const DEFAULT_TIME_ZONE = "Europe/Paris";

/** The cell's public profile. */
export interface PublicProfile {
  name: string;
  place: string;
  description: string;
  /** How to reach the cell (an address, a mail, a phone), free text. */
  contact: string;
  /** Relay base URLs (http/https). */
  relays: string[];
  /**
   * The IANA time zone the cell's times are shown in (`Europe/Paris`). Optional so that older editions
   * still read: readers take `DEFAULT_TIME_ZONE` when absent (`timeZoneOf`).
   */
  timeZone?: string;
  /** The cell's accent colour, a CSS hex colour (`#c0392b`). */
  accent?: string;
}

/** Who may read a post or an event. */
export type Visibility = "public" | "members" | "officers";

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
  /** Kept in the journal but not shown to readers nor published in editions. */
  unpublished?: boolean;
  /** When it was last edited, ms since the epoch. */
  edited?: number;
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
  /**
   * ms since the epoch. For an all-day event, the first day: 00:00 UTC of that calendar date (a date, not
   * an instant: the same day in every time zone).
   */
  start: number;
  /**
   * When it ends (ms), if it has an end. For an all-day event, the last day (included), as `start`;
   * absent for a one-day event.
   */
  end?: number;
  /** `start` and `end` are days. */
  allDay?: boolean;
  /** Cancelled: kept and shown as cancelled, not silently gone. */
  cancelled?: boolean;
  visibility: Visibility;
}
