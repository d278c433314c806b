/**
 * The cell's public content as plain values: profile, journal posts, pages and events, with the checks
 * every writer applies. Members-only and officers-only posts and events use the same shapes
 * (`visibility`); editions keep only the public ones. A check refuses bad input with `InvalidFieldError`
 * (an `InvalidArgumentError` that names the field, so that a form can point at it); readers of editions
 * stay tolerant (core/base/field.ts), since older editions may lack what is checked here.
 */
import { InvalidArgumentError } from "../base/errors.js";
import {
  type CellEvent,
  DEFAULT_TIME_ZONE,
  type JournalPost,
  type PublicPages,
  type PublicProfile,
  type Visibility,
} from "../protocol/public-content.js";
import { MAX_LINK_LENGTH, safeLink } from "./links.js";

export { DEFAULT_TIME_ZONE };

/** Limits on fields, in characters. */
export const PUBLIC_LIMITS = { short: 300, text: 100_000, relays: 16 } as const;

/** One day in ms: all-day events are counted in these, from 00:00 UTC. */
export const DAY_MS = 86_400_000;

/** Bad input in one field of a profile, post, page or event: `field` names it (`"title"`, `"relays[1]"`). */
export class InvalidFieldError extends InvalidArgumentError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field} ${message}`);
  }
}

function text(value: unknown, field: string, max: number, required = false): string {
  if (typeof value !== "string") throw new InvalidFieldError(field, "must be text");
  if (value.length > max) throw new InvalidFieldError(field, `is longer than ${max} characters`);
  if (required && !value.trim()) throw new InvalidFieldError(field, "cannot be empty");
  return value;
}

function time(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > 8.64e15)
    throw new InvalidFieldError(field, "must be a time in ms");
  return value;
}

function flag(value: unknown, field: string): boolean {
  if (value !== undefined && typeof value !== "boolean")
    throw new InvalidFieldError(field, "is true or false");
  return value === true;
}

function link(value: unknown, field: string): string {
  const url = text(value, field, MAX_LINK_LENGTH, true);
  if (!safeLink(url)) throw new InvalidFieldError(field, "must be an http, https or mailto link");
  return url;
}

function visibility(value: unknown): Visibility {
  if (value !== "public" && value !== "members" && value !== "officers")
    throw new InvalidFieldError("visibility", 'is "public", "members" or "officers"');
  return value;
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InvalidArgumentError(`${what} must be an object`);
  return value as Record<string, unknown>;
}

// An IANA name (`Europe/Paris`, `America/Argentina/Buenos_Aires`, `UTC`), not an offset.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** Whether `Intl` knows `zone` as an IANA time zone name. */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== "string" || zone.length > 64 || !ZONE_NAME.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The time zone a profile (or an edition's, unchecked) names, `DEFAULT_TIME_ZONE` when none valid. */
export const timeZoneOf = (profile: { timeZone?: unknown } | undefined): string =>
  isTimeZone(profile?.timeZone) ? profile.timeZone : DEFAULT_TIME_ZONE;

const HEX_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * Checks a profile; `InvalidFieldError` naming the bad field. Returns a clean copy (without a time zone
 * when it names none, so that older content signs the same: readers take `timeZoneOf`).
 */
export function checkProfile(input: unknown): PublicProfile {
  const p = object(input, "a profile");
  if (!Array.isArray(p.relays) || p.relays.length > PUBLIC_LIMITS.relays)
    throw new InvalidFieldError("relays", `must be a list of at most ${PUBLIC_LIMITS.relays} URLs`);
  const relays = p.relays.map((r, i) => {
    const url = link(r, `relays[${i}]`);
    if (safeLink(url)!.startsWith("mailto:"))
      throw new InvalidFieldError(`relays[${i}]`, "must be http or https");
    return url;
  });
  if (p.timeZone !== undefined && !isTimeZone(p.timeZone))
    throw new InvalidFieldError("timeZone", "must be a time zone name such as Europe/Paris");
  if (p.accent !== undefined && (typeof p.accent !== "string" || !HEX_COLOUR.test(p.accent)))
    throw new InvalidFieldError("accent", "must be a hex colour such as #c0392b");
  return {
    name: text(p.name, "name", PUBLIC_LIMITS.short, true),
    place: text(p.place, "place", PUBLIC_LIMITS.short),
    description: text(p.description, "description", PUBLIC_LIMITS.text),
    contact: text(p.contact, "contact", PUBLIC_LIMITS.short),
    relays,
    ...(p.timeZone !== undefined ? { timeZone: p.timeZone as string } : {}),
    ...(p.accent !== undefined ? { accent: (p.accent as string).toLowerCase() } : {}),
  };
}

/** Checks a post; `InvalidFieldError` naming the bad field. Returns a clean copy. */
export function checkPost(input: unknown): JournalPost {
  const p = object(input, "a post");
  if (p.linkTitle !== undefined && p.link === undefined)
    throw new InvalidFieldError("linkTitle", "needs a link");
  const pinned = flag(p.pinned, "pinned");
  const unpublished = flag(p.unpublished, "unpublished");
  return {
    id: text(p.id, "id", 64, true),
    title: text(p.title, "title", PUBLIC_LIMITS.short, true),
    text: text(p.text, "text", PUBLIC_LIMITS.text),
    ...(p.link !== undefined ? { link: link(p.link, "link") } : {}),
    ...(p.linkTitle !== undefined ? { linkTitle: text(p.linkTitle, "linkTitle", PUBLIC_LIMITS.short) } : {}),
    author: text(p.author, "author", PUBLIC_LIMITS.short, true),
    date: time(p.date, "date"),
    ...(pinned ? { pinned: true } : {}),
    ...(unpublished ? { unpublished: true } : {}),
    ...(p.edited !== undefined ? { edited: time(p.edited, "edited") } : {}),
    visibility: visibility(p.visibility),
  };
}

/** Checks the pages; `InvalidFieldError` naming the bad field. Returns a clean copy. */
export function checkPages(input: unknown): PublicPages {
  const p = object(input, "pages");
  return {
    about: text(p.about, "about", PUBLIC_LIMITS.text),
    contact: text(p.contact, "contact", PUBLIC_LIMITS.text),
    whyJoin: text(p.whyJoin, "whyJoin", PUBLIC_LIMITS.text),
  };
}

/**
 * Checks an event; `InvalidFieldError` naming the bad field (`end` for one that ends before it starts,
 * `start`/`end` for an all-day one whose times are not days at 00:00 UTC). Returns a clean copy.
 */
export function checkEvent(input: unknown): CellEvent {
  const e = object(input, "an event");
  const allDay = flag(e.allDay, "allDay");
  const cancelled = flag(e.cancelled, "cancelled");
  const start = time(e.start, "start");
  const end = e.end === undefined ? undefined : time(e.end, "end");
  if (allDay) {
    if (start % DAY_MS !== 0) throw new InvalidFieldError("start", "of an all-day event must be a day");
    if (end !== undefined && end % DAY_MS !== 0)
      throw new InvalidFieldError("end", "of an all-day event must be a day");
  }
  if (end !== undefined && end < start) throw new InvalidFieldError("end", "is before the start");
  return {
    id: text(e.id, "id", 64, true),
    title: text(e.title, "title", PUBLIC_LIMITS.short, true),
    description: text(e.description, "description", PUBLIC_LIMITS.text),
    place: text(e.place, "place", PUBLIC_LIMITS.short),
    start,
    ...(end !== undefined ? { end } : {}),
    ...(allDay ? { allDay: true } : {}),
    ...(cancelled ? { cancelled: true } : {}),
    visibility: visibility(e.visibility),
  };
}

/**
 * When an event is over (ms): its end; the end of its last day for an all-day one; its start for one
 * without an end. Tolerant of an unchecked event (then `NaN` when it has no usable start).
 */
export function eventOver(e: { start?: unknown; end?: unknown; allDay?: unknown }): number {
  const start = typeof e.start === "number" ? e.start : Number.NaN;
  const end = typeof e.end === "number" && e.end >= start ? e.end : start;
  return e.allDay === true ? end + DAY_MS : end;
}
