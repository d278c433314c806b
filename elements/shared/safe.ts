/**
 * Rendering untrusted text on a hostile page: links only with an allowed scheme, text clipped to a length a
 * page can show. Lit renders every string as text (never `unsafeHTML`); what is left to check is where a
 * link may lead and how much text a field may push into the page.
 */

/** Schemes a link may use. */
const ALLOWED = new Set(["http:", "https:", "mailto:"]);
/** Controls and invisible characters browsers strip or honour inside URLs (`java\tscript:`). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const STRIPPED = /[\u0000-\u0020\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g;

/** The URL if it is an absolute http, https or mailto link; `undefined` for anything else. */
export function safeHref(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 4096) return undefined;
  let url: URL;
  try {
    url = new URL(value.replace(STRIPPED, ""));
  } catch {
    return undefined;
  }
  return ALLOWED.has(url.protocol) ? url.href : undefined;
}

/** At most `max` characters of a text field (a 1 MB name becomes a short one, with an ellipsis). */
export function clip(value: unknown, max: number): string {
  if (typeof value !== "string") return "";
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
