/**
 * The one text sanitiser for untrusted text shown on a page: the widgets (through `clip`) and the relay's
 * HTML page. Markup is not its business (Lit renders strings as text, the relay escapes them); this removes
 * what makes text display other than it reads.
 */

// Bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069) reorder what follows them:
// `\u202Egnp.exe` shows as `exe.png`. Genuine right-to-left text needs none of them (pages isolate each
// field with `<bdi>` or `dir="auto"`); the marks (U+200E, U+200F, U+061C) only place neutral characters,
// and stay. Control characters (C0 but tab and line feed, DEL, C1) show as nothing or as boxes; the CR of a
// CRLF goes with them. The pattern is written short and inline (`\0-\b` is U+0000–0008, `\v-\x1f`
// U+000B–001F, `\x7f-\x9f` DEL and C1): it ships in every widget, where each byte counts.

/** `text` without bidi embedding, override and isolate controls nor control characters (tab and `\n` stay). */
export const plainText = (text: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  text.replace(/[\0-\b\v-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, "");
