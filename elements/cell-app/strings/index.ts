/**
 * The member space's words, French first, and English: `appStrings(langOf(tag))`. One file per language
 * (`fr.ts`, `en.ts`), both typed by `AppStrings` (`types.ts`), so a missing or misspelt word does not compile.
 */
import { en } from "./en.js";
import { fr } from "./fr.js";
import type { AppStrings, Lang } from "./types.js";

export type { AppStrings, Lang } from "./types.js";

/** The language of a `lang` attribute or tag: English when it says so, else French. */
export const langOf = (tag: string | null | undefined): Lang =>
  tag?.toLowerCase().startsWith("en") ? "en" : "fr";

/** The member space's words in `lang`. */
export const appStrings = (lang: Lang): AppStrings => (lang === "en" ? en : fr);
