/**
 * Cellule's words, French first, and English: one file per language (`fr.ts`, `en.ts`), typed per surface
 * (`types.ts`), so a missing or misspelt word does not compile; plurals by `Intl.PluralRules` (`plural.ts`).
 * Each surface asks for its own table, so a widget bundle carries only the widgets' words.
 */
import * as en from "./en.js";
import * as fr from "./fr.js";
import type { AppStrings, ContactStrings, JoinStrings, Lang, PageStrings, WidgetStrings } from "./types.js";

export { type PluralForms, plural } from "./plural.js";
export type * from "./types.js";

/** The language of a `lang` attribute or tag: English when it says so, else French. */
export const langOf = (tag: string | null | undefined): Lang =>
  tag?.toLowerCase().startsWith("en") ? "en" : "fr";

/** The widgets' words in `lang`. */
export const widgetStrings = (lang: Lang): WidgetStrings => (lang === "en" ? en.widgets : fr.widgets);

/** The contact form's words in `lang`. */
export const contactStrings = (lang: Lang): ContactStrings => (lang === "en" ? en.contact : fr.contact);

/** The join button's words in `lang`. */
export const joinStrings = (lang: Lang): JoinStrings => (lang === "en" ? en.join : fr.join);

/** The words of the cell's page on a relay in `lang`. */
export const pageStrings = (lang: Lang): PageStrings => (lang === "en" ? en.page : fr.page);

/** The member space's words in `lang`. */
export const appStrings = (lang: Lang): AppStrings => (lang === "en" ? en.app : fr.app);
