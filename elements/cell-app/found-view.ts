/**
 * Founding a cell and putting it on a blog, as functions of their data: the founding form (name, place, a
 * short description, the founder's name, the relays), and the snippet a blogger pastes, each form with a
 * copy button. `MemberSession.found` does the founding. Everything shown is text.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { AppStrings } from "../../core/public/strings/index.js";
import { field, onSubmit } from "./forms.js";
import type { FoundingForm } from "./session.js";
import type { BlogSnippets } from "./snippet.js";

/** The founding form; `relays` fill the relay list by default. */
export function foundingView(
  t: AppStrings,
  relays: readonly string[],
  submit: (form: FoundingForm) => void,
  cancel: () => void,
): TemplateResult {
  const send = onSubmit((form) =>
    submit({
      name: field(form, "name"),
      place: field(form, "place"),
      description: field(form, "description"),
      founderName: field(form, "founder"),
      relays: field(form, "relays")
        .split(/\s+/)
        .filter((r) => r !== ""),
    }),
  );
  return html`<section aria-labelledby="found-title" class="card">
    <h2 id="found-title">${t.foundTitle}</h2>
    <p>${t.foundIntro}</p>
    <form @submit=${send}>
      <label>${t.cellName} <input name="name" required maxlength="300" /></label>
      <label>${t.cellPlace} <input name="place" maxlength="300" /></label>
      <label>${t.cellDescription} <textarea name="description" rows="3" maxlength="5000"></textarea></label>
      <label>${t.founderName} <input name="founder" required maxlength="200" autocomplete="name" /></label>
      <label>${t.cellRelays}
        <textarea name="relays" rows="2" spellcheck="false" autocomplete="off" aria-describedby="relays-help"
          .value=${relays.join("\n")}></textarea>
      </label>
      <p id="relays-help" class="meta">${t.relaysHelp}</p>
      <button type="submit">${t.found}</button>
      <button type="button" @click=${cancel}>${t.cancel}</button>
    </form>
  </section>`;
}

/**
 * The blog snippet in its three forms, each with a copy button; `done` (once, after founding, as a screen
 * of its own) to go on.
 */
export function snippetView(t: AppStrings, snippets: BlogSnippets, done?: () => void): TemplateResult {
  const forms: [keyof BlogSnippets, string][] = [
    ["html", t.snippetHtml],
    ["spip", t.snippetSpip],
    ["wordpress", t.snippetWordpress],
  ];
  return html`<section aria-labelledby="snippet-title" class=${done ? "snippet card" : "snippet"}>
    ${
      // Alone after founding, or a part of the settings tab under its own heading.
      done
        ? html`<h2 id="snippet-title">${t.snippetTitle}</h2>`
        : html`<h3 id="snippet-title">${t.snippetTitle}</h3>`
    }
    <p>${t.snippetIntro}</p>
    ${forms.map(
      ([form, label]) => html`<figure>
        <figcaption id="snippet-${form}">${label}</figcaption>
        <pre tabindex="0" aria-labelledby="snippet-${form}"><code>${snippets[form]}</code></pre>
        <button @click=${() => void navigator.clipboard?.writeText(snippets[form])} aria-describedby="snippet-${form}">
          ${t.copy}
        </button>
      </figure>`,
    )}
    ${done ? html`<button @click=${done}>${t.snippetDone}</button>` : nothing}
  </section>`;
}
