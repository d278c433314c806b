/**
 * Rendering untrusted text on a hostile page: links only with an allowed scheme, text clipped to a length a
 * page can show. Lit renders every string as text (never `unsafeHTML`); what is left to check is where a
 * link may lead and how much text a field may push into the page.
 */

/** Schemes a link may use. */
const ALLOWED = new Set(["http:", "https:", "mailto:"]);

/**
 * The URL if it is an absolute http, https or mailto link; `undefined` for anything else. The scheme is
 * judged on the URL as the browser parses it (spaces, tabs and case already dealt with; a scheme with any
 * other odd character does not parse), and the link given back is that parsed URL, so what is followed is
 * what was judged.
 */
export function safeHref(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 4096) return undefined;
  try {
    const url = new URL(value);
    return ALLOWED.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** At most `max` characters of a text field (a 1 MB name becomes a short one, with an ellipsis). */
export function clip(value: unknown, max: number): string {
  if (typeof value !== "string") return "";
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
