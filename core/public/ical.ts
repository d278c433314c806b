/**
 * iCalendar (RFC 5545) for a cell's events: the relay's calendar feed and a widget's "add to my calendar"
 * file share this writer. Every field is re-read defensively (an edition's signature proves who wrote it,
 * not that its fields are sane) and escaped; lines are folded at 75 octets, never inside a UTF-8 character.
 */

/** An event as an edition carries it (any field may be missing or of the wrong type). */
export type IcsEvent = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) && Math.abs(v) < 8.64e15 ? v : undefined;
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

const icsTime = (ms: number | undefined): string =>
  new Date(ms ?? 0)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/** A calendar of `events` of the cell `cell` (named `name`), stamped at `at` (ms). */
export function icsCalendar(name: string, cell: string, at: number, events: readonly IcsEvent[]): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Cellule//Edition//FR",
    "CALSCALE:GREGORIAN",
    `X-WR-CALNAME:${escapeIcsText(name)}`,
  ];
  for (const x of events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${escapeIcsText(`${str(x.id)}@${cell}`)}`,
      `DTSTAMP:${icsTime(num(at))}`,
      `DTSTART:${icsTime(num(x.start))}`,
      `DTEND:${icsTime(num(x.end) ?? num(x.start))}`,
      `SUMMARY:${escapeIcsText(str(x.title))}`,
      `DESCRIPTION:${escapeIcsText(str(x.description))}`,
      `LOCATION:${escapeIcsText(str(x.place))}`,
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldIcsLine).join("\r\n")}\r\n`;
}
