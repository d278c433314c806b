/**
 * The one link allow-list: what a writer may put in a link field (content.ts), what a widget makes a link of
 * and what the relay's page links to. Host pages are hostile, and a signed edition may still carry any
 * string, so a link is only ever an absolute http, https or mailto URL.
 */

/** Longest link accepted, in characters (of the link as written). */
export const MAX_LINK_LENGTH = 2000;

/** Schemes a link may use. */
const SCHEMES = ["http:", "https:", "mailto:"];

/**
 * The link if it is an absolute http, https or mailto URL of at most `MAX_LINK_LENGTH` characters, else
 * `undefined`. The scheme is judged on the URL as a browser parses it (leading spaces and controls,
 * tabs, newlines and case already dealt with; a scheme with any other odd character does not parse), and
 * what is given back is that parsed URL, so what is followed is what was judged.
 */
export function safeLink(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > MAX_LINK_LENGTH) return undefined;
  try {
    const url = new URL(value);
    return SCHEMES.includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}
