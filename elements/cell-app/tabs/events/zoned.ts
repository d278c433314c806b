/**
 * What an event form types, in the cell's time zone: a `datetime-local` value is a wall time there (not in
 * the browser's zone: the officer may be travelling), a `date` value an all-day event's day (00:00 UTC of
 * that date, as the core keeps days). Offsets come from `Intl` (daylight saving time included).
 */

const parts = (ms: number, zone: string): Record<string, number> =>
  Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(ms)
      .filter((p) => p.type !== "literal")
      .map((p) => [p.type, Number(p.value)]),
  );

/** How far `zone`'s clocks are ahead of UTC at `ms`, in ms. */
function offset(ms: number, zone: string): number {
  const p = parts(ms, zone);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(ms / 1000) * 1000;
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** `YYYY-MM-DDTHH:MM` read as a wall time in `zone` → ms; `NaN` for anything else (the core then names the field). */
export function fromWall(text: string, zone: string): number {
  const m = WALL.exec(text);
  if (!m) return Number.NaN;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  // Twice: the offset at the guess may differ from the one at the answer near a change of time.
  const guess = wall - offset(wall, zone);
  return wall - offset(guess, zone);
}

/** `ms` as a `datetime-local` value in `zone`. */
export function toWall(ms: number, zone: string): string {
  return new Date(ms + offset(ms, zone)).toISOString().slice(0, 16);
}

/** A `date` value (`YYYY-MM-DD`) → that day at 00:00 UTC; `NaN` for anything else. */
export const fromDay = (text: string): number =>
  /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;

/** A day kept as 00:00 UTC, as a `date` value. */
export const toDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
