/** Plural forms chosen by each language's own rules (`Intl.PluralRules`), never by `n > 1`. */
import type { Lang } from "./types.js";

/** A count's words in the plural categories a language uses; `other` is CLDR's fallback, always given. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<Lang, Intl.PluralRules>();

/** The form `n` takes in `lang`: in French 0 and 1 are singular, in English only 1 is. */
export function plural(lang: Lang, n: number, forms: PluralForms): string {
  let rule = rules.get(lang);
  if (!rule) {
    rule = new Intl.PluralRules(lang);
    rules.set(lang, rule);
  }
  return forms[rule.select(n)] ?? forms.other;
}
