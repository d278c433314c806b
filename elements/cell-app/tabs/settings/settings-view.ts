/** The settings tab, as a function of the language in use: the language to choose. */
import { html, type TemplateResult } from "lit";
import type { AppStrings, Lang } from "../../../../core/public/strings/index.js";

/** The languages offered, each named in itself. */
const LANGUAGES: readonly [Lang, string][] = [
  ["fr", "Français"],
  ["en", "English"],
];

/** The language select; `choose` gets the one picked. */
export function settingsView(t: AppStrings, lang: Lang, choose: (lang: Lang) => void): TemplateResult {
  const change = (e: Event) => choose((e.target as HTMLSelectElement).value as Lang);
  return html`<label>${t.language}
    <select @change=${change}>
      ${LANGUAGES.map(([value, name]) => html`<option value=${value} ?selected=${lang === value}>${name}</option>`)}
    </select>
  </label>`;
}
