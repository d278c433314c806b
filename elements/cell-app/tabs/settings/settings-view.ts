/** The settings tab, as a function of the language in use: the language to choose, the relays, the blog snippet. */
import { html, nothing, type TemplateResult } from "lit";
import type { AppStrings, Lang } from "../../../../core/public/strings/index.js";
import { snippetView } from "../../found-view.js";
import type { BlogSnippets } from "../../snippet.js";

/** The languages offered, each named in itself. */
const LANGUAGES: readonly [Lang, string][] = [
  ["fr", "Français"],
  ["en", "English"],
];

/** The language select (`choose` gets the one picked), and the relays and blog snippet when given. */
export function settingsView(
  t: AppStrings,
  lang: Lang,
  choose: (lang: Lang) => void,
  relays: TemplateResult | undefined,
  snippets: BlogSnippets | undefined,
  erase: TemplateResult,
): TemplateResult {
  const change = (e: Event) => choose((e.target as HTMLSelectElement).value as Lang);
  return html`<label>${t.language}
    <select @change=${change}>
      ${LANGUAGES.map(([value, name]) => html`<option value=${value} ?selected=${lang === value}>${name}</option>`)}
    </select>
  </label>
  ${relays ?? nothing} ${snippets ? snippetView(t, snippets) : nothing} ${erase}`;
}
