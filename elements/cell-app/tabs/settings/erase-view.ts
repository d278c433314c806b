/**
 * Erasing this device, from the settings: a button, then what erasing does and the confirmation. Nothing
 * is asked of the network: the keys and cells on this device go at once.
 */
import { html, type TemplateResult } from "lit";
import type { AppStrings } from "../../../../core/public/strings/index.js";

/** The erase button, or (once asked) the warning with the confirmation. */
export function eraseView(
  t: AppStrings,
  asked: boolean,
  act: { ask(): void; cancel(): void; erase(): void },
): TemplateResult {
  return html`<section aria-labelledby="erase-title" class="erase">
    <h3 id="erase-title">${t.eraseTitle}</h3>
    ${
      asked
        ? html`<p role="alert">${t.eraseWarning}</p>
            <button class="danger" @click=${act.erase}>${t.eraseNow}</button>
            <button @click=${act.cancel}>${t.cancel}</button>`
        : html`<p>${t.eraseIntro}</p>
            <button @click=${act.ask}>${t.eraseDevice}</button>`
    }
  </section>`;
}
