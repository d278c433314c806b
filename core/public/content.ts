/**
 * The cell's public content as plain values: profile, journal posts, pages and events, with the checks
 * every writer and reader applies. Members-only posts and events use the same shapes (`visibility`);
 * editions keep only the public ones.
 */
import { InvalidArgumentError } from "../base/errors.js";
import type {
  CellEvent,
  JournalPost,
  PublicPages,
  PublicProfile,
  Visibility,
} from "../protocol/public-content.js";
import { MAX_LINK_LENGTH, safeLink } from "./links.js";

/** Limits on fields, in characters. */
export const PUBLIC_LIMITS = { short: 300, text: 100_000, relays: 16 } as const;

function text(value: unknown, field: string, max: number, required = false): string {
  if (typeof value !== "string") throw new InvalidArgumentError(`${field} must be text`);
  if (value.length > max) throw new InvalidArgumentError(`${field} is longer than ${max} characters`);
  if (required && !value.trim()) throw new InvalidArgumentError(`${field} cannot be empty`);
  return value;
}

function time(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    throw new InvalidArgumentError(`${field} must be a time in ms`);
  return value;
}

function link(value: unknown, field: string): string {
  const url = text(value, field, MAX_LINK_LENGTH, true);
  if (!safeLink(url)) throw new InvalidArgumentError(`${field} must be an http, https or mailto link`);
  return url;
}

function visibility(value: unknown): Visibility {
  if (value !== "public" && value !== "members")
    throw new InvalidArgumentError('visibility is "public" or "members"');
  return value;
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InvalidArgumentError(`${what} must be an object`);
  return value as Record<string, unknown>;
}

/** Checks a profile; `InvalidArgumentError` naming the bad field. Returns a clean copy. */
export function checkProfile(input: unknown): PublicProfile {
  const p = object(input, "a profile");
  if (!Array.isArray(p.relays) || p.relays.length > PUBLIC_LIMITS.relays)
    throw new InvalidArgumentError(`relays must be a list of at most ${PUBLIC_LIMITS.relays} URLs`);
  const relays = p.relays.map((r, i) => {
    const url = link(r, `relays[${i}]`);
    if (safeLink(url)!.startsWith("mailto:"))
      throw new InvalidArgumentError(`relays[${i}] must be http or https`);
    return url;
  });
  return {
    name: text(p.name, "name", PUBLIC_LIMITS.short, true),
    place: text(p.place, "place", PUBLIC_LIMITS.short),
    description: text(p.description, "description", PUBLIC_LIMITS.text),
    contact: text(p.contact, "contact", PUBLIC_LIMITS.short),
    relays,
  };
}

/** Checks a post; `InvalidArgumentError` naming the bad field. Returns a clean copy. */
export function checkPost(input: unknown): JournalPost {
  const p = object(input, "a post");
  if (p.linkTitle !== undefined && p.link === undefined)
    throw new InvalidArgumentError("a link title needs a link");
  if (p.pinned !== undefined && typeof p.pinned !== "boolean")
    throw new InvalidArgumentError("pinned is true or false");
  return {
    id: text(p.id, "id", 64, true),
    title: text(p.title, "title", PUBLIC_LIMITS.short, true),
    text: text(p.text, "text", PUBLIC_LIMITS.text),
    ...(p.link !== undefined ? { link: link(p.link, "link") } : {}),
    ...(p.linkTitle !== undefined ? { linkTitle: text(p.linkTitle, "linkTitle", PUBLIC_LIMITS.short) } : {}),
    author: text(p.author, "author", PUBLIC_LIMITS.short, true),
    date: time(p.date, "date"),
    ...(p.pinned ? { pinned: true } : {}),
    visibility: visibility(p.visibility),
  };
}

/** Checks the pages; `InvalidArgumentError` naming the bad field. Returns a clean copy. */
export function checkPages(input: unknown): PublicPages {
  const p = object(input, "pages");
  return {
    about: text(p.about, "about", PUBLIC_LIMITS.text),
    contact: text(p.contact, "contact", PUBLIC_LIMITS.text),
    whyJoin: text(p.whyJoin, "whyJoin", PUBLIC_LIMITS.text),
  };
}

/** Checks an event; `InvalidArgumentError` naming the bad field. Returns a clean copy. */
export function checkEvent(input: unknown): CellEvent {
  const e = object(input, "an event");
  const start = time(e.start, "start");
  const end = time(e.end, "end");
  if (end < start) throw new InvalidArgumentError("an event ends after it starts");
  return {
    id: text(e.id, "id", 64, true),
    title: text(e.title, "title", PUBLIC_LIMITS.short, true),
    description: text(e.description, "description", PUBLIC_LIMITS.text),
    place: text(e.place, "place", PUBLIC_LIMITS.short),
    start,
    end,
    visibility: visibility(e.visibility),
  };
}
