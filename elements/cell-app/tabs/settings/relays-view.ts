/**
 * The cell's relays in the settings, for those who may change them: the list in the log (what every
 * device of the cell talks to), a relay to add, and one to take out (never the last). A relay added is
 * given the cell's whole history by the devices that reach it. Everything shown is text.
 */
import { html, type TemplateResult } from "lit";
import type { AppStrings } from "../../../../core/public/strings/index.js";
import { field, onSubmit } from "../../forms.js";

/** The relay list and its changes; `set` gets the whole new list. */
export function relaysView(
  t: AppStrings,
  relays: readonly string[],
  set: (relays: string[]) => void,
): TemplateResult {
  const add = onSubmit((form) => {
    const url = field(form, "relay").trim().replace(/\/+$/, "");
    set([...relays.filter((r) => r !== url), url]);
  });
  return html`<section aria-labelledby="relays-title">
    <h3 id="relays-title">${t.relaysTitle}</h3>
    <p>${t.relaysIntro}</p>
    <ul>
      ${relays.map(
        (r) => html`<li>
          <span class="link">${r}</span>
          ${
            relays.length > 1
              ? html`<button @click=${() => set(relays.filter((x) => x !== r))} aria-label=${t.removeRelay(r)}>${t.remove}</button>`
              : ""
          }
        </li>`,
      )}
    </ul>
    <form @submit=${add}>
      <label>${t.relayUrl} <input name="relay" type="url" required placeholder="https://relais.example.org" /></label>
      <button type="submit">${t.addRelay}</button>
    </form>
  </section>`;
}
