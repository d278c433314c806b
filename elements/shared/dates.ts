/**
 * Dates in the visitor's time zone, in French or English, without `Intl`: creating the first
 * `Intl.DateTimeFormat` of a page loads locale data and costs ~40 ms in Chromium here, more than all the
 * rest of a widget's first render.
 */
import type { Lang } from "./strings.js";

const NAMES = {
  fr: {
    months: "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    days: "dimanche lundi mardi mercredi jeudi vendredi samedi",
  },
  en: {
    months: "January February March April May June July August September October November December",
    days: "Sunday Monday Tuesday Wednesday Thursday Friday Saturday",
  },
};

const two = (n: number) => String(n).padStart(2, "0");
const names = (lang: Lang, key: "months" | "days", i: number) => NAMES[lang][key].split(" ")[i]!;

/** "22 novembre 2026" / "22 November 2026". */
export function formatDate(ms: number, lang: Lang): string {
  const d = new Date(ms);
  return `${d.getDate()} ${names(lang, "months", d.getMonth())} ${d.getFullYear()}`;
}

const time = (d: Date) => `${two(d.getHours())}:${two(d.getMinutes())}`;
const day = (d: Date, lang: Lang) => `${names(lang, "days", d.getDay())} ${formatDate(d.getTime(), lang)}`;

/** "vendredi 27 novembre 2026, 19:00 – 21:00", or both full dates when the end is another day. */
export function formatRange(start: number, end: number | undefined, lang: Lang): string {
  const a = new Date(start);
  const from = `${day(a, lang)}, ${time(a)}`;
  if (end === undefined || end <= start) return from;
  const b = new Date(end);
  return b.toDateString() === a.toDateString()
    ? `${from} – ${time(b)}`
    : `${from} – ${day(b, lang)}, ${time(b)}`;
}
