/**
 * iCalendar (RFC 5545) for a cell's events: the relay's calendar feed and a widget's "add to my calendar"
 * file share this writer. Every field is re-read defensively (core/base/field.ts: an edition's signature
 * proves who wrote it, not that its fields are sane) and escaped; an event without a valid start is left out;
 * lines are folded at 75 octets, never inside a UTF-8 character.
 */

import { asText, asTime } from "../base/field.js";

/** An event as an edition carries it (any field may be missing or of the wrong type). */
export type IcsEvent = Record<string, unknown>;

const encoder = new TextEncoder();

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
export function escapeIcsText(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
      .replace(/\\/g, "\\\\")
      .replace(/;/g, "\\;")
      .replace(/,/g, "\\,")
      .replace(/\r\n|\r|\n/g, "\\n")
  );
}

/** Folds a content line at 75 octets, never inside a UTF-8 sequence (RFC 5545 §3.1). */
export function foldIcsLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/** A time iCalendar can write (`DATE-TIME` has four-digit years): from 1970 to the year 9999, else `undefined`. */
const icsMs = (v: unknown): number | undefined => {
  const ms = asTime(v);
  return ms !== undefined && ms >= 0 && ms < 253_402_300_800_000 ? ms : undefined;
};

const icsTime = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/**
 * A calendar of `events` of the cell `cell` (named `name`), stamped at `at` (ms). An event without a
 * valid start is left out (never dated 1970); one that ends before it starts ends when it starts.
 */
export function icsCalendar(name: string, cell: string, at: number, events: readonly IcsEvent[]): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Cellule//Edition//FR",
    "CALSCALE:GREGORIAN",
    `X-WR-CALNAME:${escapeIcsText(name)}`,
  ];
  for (const x of events) {
    const start = icsMs(x.start);
    if (start === undefined) continue;
    lines.push(
      "BEGIN:VEVENT",
      `UID:${escapeIcsText(`${asText(x.id)}@${cell}`)}`,
      `DTSTAMP:${icsTime(icsMs(at) ?? start)}`,
      `DTSTART:${icsTime(start)}`,
      `DTEND:${icsTime(Math.max(icsMs(x.end) ?? start, start))}`,
      `SUMMARY:${escapeIcsText(asText(x.title))}`,
      `DESCRIPTION:${escapeIcsText(asText(x.description))}`,
      `LOCATION:${escapeIcsText(asText(x.place))}`,
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldIcsLine).join("\r\n")}\r\n`;
}
