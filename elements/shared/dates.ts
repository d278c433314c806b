/**
 * Dates in the visitor's time zone and the widget's language, by `Intl`: each locale's own conventions for
 * a few hundred bytes (hand-made month names cost ~400 B gzipped in the widget bundle). The first format of
 * a page costs ~15 ms in Chromium here while locale data loads (starting it while the edition is in flight
 * made first render slower: it delays the response's handling); formats are made once per language.
 */
import type { Lang } from "../../core/public/strings/index.js";

const OPTIONS = { date: { dateStyle: "long" }, when: { dateStyle: "full", timeStyle: "short" } } as const;
const formats: Record<string, Intl.DateTimeFormat> = {};

const format = (lang: Lang, kind: keyof typeof OPTIONS): Intl.DateTimeFormat =>
  (formats[lang + kind] ??= new Intl.DateTimeFormat(lang, OPTIONS[kind]));

/** Whether `ms` is a time a `Date` can hold (anything else formats as ""). */
export const isTime = (ms: unknown): ms is number => typeof ms === "number" && Math.abs(ms) <= 8.64e15;

/** "22 novembre 2026" / "November 22, 2026"; "" for a value that is not a time. */
export function formatDate(ms: number, lang: Lang): string {
  return isTime(ms) ? format(lang, "date").format(ms) : "";
}

/**
 * "vendredi 27 novembre 2026, 19:00 – 21:00", both full dates when the end is another day, the start
 * alone when there is no end after it; "" for a start that is not a time.
 */
export function formatRange(start: number, end: number | undefined, lang: Lang): string {
  if (!isTime(start)) return "";
  const f = format(lang, "when");
  return isTime(end) && end > start ? f.formatRange(start, end) : f.format(start);
}
