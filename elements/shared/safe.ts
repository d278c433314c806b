/**
 * Rendering untrusted text on a hostile page: text clipped to a length a page can show, without what makes it
 * display other than it reads (`plainText`, shared with the relay's page). Lit renders every string as text
 * (never `unsafeHTML`); links go through `safeLink` (core/public/links.ts), the one allow-list.
 */
import { plainText } from "../../core/public/text.js";

/**
 * At most `max` characters of a text field, as `plainText` (a 1 MB name becomes a short one, with an
 * ellipsis); `""` for anything but a string.
 */
export function clip(value: unknown, max: number): string {
  const text = typeof value === "string" ? plainText(value) : "";
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
