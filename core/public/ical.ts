/**
 * iCalendar (RFC 5545) for a cell's events: the relay's calendar feed and a widget's "add to my calendar"
 * file share this writer. Every field is re-read defensively (core/base/field.ts: an edition's signature
 * proves who wrote it, not that its fields are sane) and escaped; an event without a valid start is left out;
 * lines are folded at 75 octets, never inside a UTF-8 character. Times are written in UTC (`Z`), which
 * every reader places right, with the cell's time zone named (`X-WR-TIMEZONE`) for those that show it; an
 * event without an end (or with one not after its start) has no `DTEND`, which RFC 5545 wants later than
 * `DTSTART`; all-day events are `VALUE=DATE`, ending the day after their last day; cancelled ones say so.
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

/** The UTC calendar date of `ms`, `YYYYMMDD` (all-day events store days as 00:00 UTC). */
const icsDate = (ms: number): string => icsTime(ms).slice(0, 8);

const DAY = 86_400_000;

/** `DTSTART` and, when it has one, `DTEND` of an event starting at `start` (a valid time). */
function icsWhen(x: IcsEvent, start: number): string[] {
  const end = icsMs(x.end);
  if (x.allDay === true) {
    // DTEND is exclusive: the day after the last day (a day that does not end before it starts).
    const last = end !== undefined && end >= start ? end : start;
    const after = icsMs(last + DAY);
    return [
      `DTSTART;VALUE=DATE:${icsDate(start)}`,
      ...(after !== undefined ? [`DTEND;VALUE=DATE:${icsDate(after)}`] : []),
    ];
  }
  return [
    `DTSTART:${icsTime(start)}`,
    ...(end !== undefined && end > start ? [`DTEND:${icsTime(end)}`] : []),
  ];
}

/**
 * A calendar of `events` of the cell `cell` (named `name`, its times shown in `timeZone` when given: an
 * IANA name the caller has checked), stamped at `at` (ms). An event without a valid start is left out
 * (never dated 1970); one without an end after its start has no `DTEND`.
 */
export function icsCalendar(
  name: string,
  cell: string,
  at: number,
  events: readonly IcsEvent[],
  timeZone?: string,
): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Cellule//Edition//FR",
    "CALSCALE:GREGORIAN",
    `X-WR-CALNAME:${escapeIcsText(name)}`,
    ...(timeZone ? [`X-WR-TIMEZONE:${escapeIcsText(timeZone)}`] : []),
  ];
  for (const x of events) {
    const start = icsMs(x.start);
    if (start === undefined) continue;
    lines.push(
      "BEGIN:VEVENT",
      `UID:${escapeIcsText(`${asText(x.id)}@${cell}`)}`,
      `DTSTAMP:${icsTime(icsMs(at) ?? start)}`,
      ...icsWhen(x, start),
      `SUMMARY:${escapeIcsText(asText(x.title))}`,
      `DESCRIPTION:${escapeIcsText(asText(x.description))}`,
      `LOCATION:${escapeIcsText(asText(x.place))}`,
      ...(x.cancelled === true ? ["STATUS:CANCELLED"] : []),
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldIcsLine).join("\r\n")}\r\n`;
}
