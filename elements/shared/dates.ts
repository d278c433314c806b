/**
 * Dates in the cell's time zone and the widget's language, by `Intl`: each locale's own conventions for
 * a few hundred bytes (hand-made month names cost ~400 B gzipped in the widget bundle). The first format of
 * a page costs ~15 ms in Chromium here while locale data loads (starting it while the edition is in flight
 * made first render slower: it delays the response's handling); later formats reuse the engine's locale
 * data, so they are not kept (keeping them cost bytes in the widget bundle for no measurable gain). The zone is the cell's (its profile's `timeZone`: `cellZone`), Europe/Paris when it names none
 * or one `Intl` does not know; all-day events hold days (00:00 UTC), so they are shown in UTC, as dates.
 * (One short code path: this file is most of what dates cost in the widget bundle's size budget.)
 */
import type { Lang } from "../../core/public/strings/index.js";

const PARIS = "Europe/Paris";

/** The format of days (`time` false: "22 novembre 2026") or of times ("vendredi 27 novembre 2026, 19:00"). */
const format = (lang: Lang, zone: string | undefined, time: boolean): Intl.DateTimeFormat => {
  try {
    return new Intl.DateTimeFormat(lang, {
      dateStyle: time ? "full" : "long",
      timeStyle: time ? "short" : undefined,
      timeZone: zone,
    });
  } catch {
    // A zone Intl does not know (the edition's signature proves who wrote it, not that it is sane).
    return format(lang, PARIS, time);
  }
};

/**
 * The time zone of a cell's profile (unchecked): its `timeZone`, else Europe/Paris. Anything but a zone
 * name (a number, an object) makes `Intl` throw, and `format` falls back to Europe/Paris then.
 */
export const cellZone = (profile: { timeZone?: unknown }): string => (profile.timeZone as string) ?? PARIS;

/** Whether `ms` is a time a `Date` can hold (anything else formats as ""). */
export const isTime = (ms: unknown): ms is number => typeof ms === "number" && Math.abs(ms) <= 8.64e15;

/**
 * "vendredi 27 novembre 2026, 19:00 – 21:00" in `zone` (the visitor's when undefined), both full dates
 * when the end is another day, the start alone when there is no end after it; days only ("27–29 novembre
 * 2026", in UTC: they are dates) for an all-day event or when `allDay` is `"day"` (a post's date); "" for a
 * start that is not a time.
 */
export function formatRange(
  start: number,
  end: number | undefined,
  lang: Lang,
  zone?: string,
  allDay?: unknown,
): string {
  if (!isTime(start)) return "";
  const f = allDay === true ? format(lang, "UTC", false) : format(lang, zone, allDay !== "day");
  return isTime(end) && end > start ? f.formatRange(start, end) : f.format(start);
}

/** "22 novembre 2026" / "November 22, 2026", in `zone` (the visitor's when undefined); "" for what is not a time. */
export const formatDate = (ms: number, lang: Lang, zone?: string): string =>
  formatRange(ms, undefined, lang, zone, "day");
