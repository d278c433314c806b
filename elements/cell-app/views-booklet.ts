/**
 * The membership booklet in the member space (the seed's "carnet d'adhérent"), for the officers who keep
 * it: search as you type, add a person, CSV export and import with a preview. Everything shown is text.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { ImportPreview, Person, PersonInput } from "../../core/index.js";
import { field, today } from "./forms.js";
import type { AppStrings } from "./strings.js";

/** What the booklet view can do. */
export interface BookletActions {
  search(text: string): void;
  add(person: PersonInput): void;
  exportCsv(): void;
  preview(file: File): void;
  applyImport(): void;
}

/** The booklet: a search box, the people found, a form to add someone, CSV in and out. */
export function bookletView(
  t: AppStrings,
  people: Person[],
  preview: ImportPreview | undefined,
  holder: string,
  act: BookletActions,
): TemplateResult {
  const onAdd = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    const kind = field(form, "kind") as PersonInput["kind"];
    act.add({
      kind,
      name: field(form, "name"),
      reach: field(form, "reach"),
      place: field(form, "place"),
      ...(kind === "contact" ? {} : { joined: today() }),
      ...(kind === "held" ? { holder } : {}),
      consent: (form.elements.namedItem("consent") as HTMLInputElement).checked
        ? { on: today(), how: "oral" }
        : null,
    });
    form.reset();
  };
  return html`<label>${t.search}
      <input type="search" @input=${(e: InputEvent) => act.search((e.target as HTMLInputElement).value)} />
    </label>
    <ul class="people" aria-label=${t.people}>
      ${people.map(
        (p) => html`<li>
          <strong>${p.name}</strong> · ${t.kinds[p.kind]}${p.place ? html` · ${p.place}` : nothing}
          ${p.reach ? html`<br />${p.reach}` : nothing}${p.consent ? nothing : html` · <em>${t.noConsent}</em>`}
        </li>`,
      )}
    </ul>
    <details>
      <summary>${t.addPerson}</summary>
      <form @submit=${onAdd}>
        <label>${t.kind}
          <select name="kind">
            ${(["contact", "member", "held"] as const).map((k) => html`<option value=${k}>${t.kinds[k]}</option>`)}
          </select>
        </label>
        <label>${t.personName} <input name="name" required maxlength="200" /></label>
        <label>${t.personReach} <input name="reach" maxlength="300" /></label>
        <label>${t.place} <input name="place" maxlength="200" /></label>
        <label class="check"><input type="checkbox" name="consent" /> ${t.consentGiven}</label>
        <button type="submit">${t.add}</button>
      </form>
    </details>
    <p>
      <button @click=${() => act.exportCsv()}>${t.exportCsv}</button>
      <label>${t.importCsv}
        <input type="file" accept=".csv,text/csv" @change=${(e: Event) => {
          const file = (e.target as HTMLInputElement).files?.[0];
          if (file) act.preview(file);
        }} />
      </label>
    </p>
    ${preview ? importPreview(t, preview, act) : nothing}`;
}

function importPreview(t: AppStrings, preview: ImportPreview, act: BookletActions): TemplateResult {
  const wrong = preview.rows.filter((r) => r.errors.length > 0);
  return html`<section aria-labelledby="import-title">
    <h3 id="import-title">${t.importPreview(preview.rows.length)}</h3>
    ${preview.fileErrors.map((e) => html`<p role="alert">${e}</p>`)}
    ${
      wrong.length > 0
        ? html`<ul role="alert">
            ${wrong.map((r) => html`<li>${t.line(r.line)} : ${r.errors.map((e) => e.message).join(" ; ")}</li>`)}
          </ul>`
        : nothing
    }
    <button ?disabled=${!preview.ok} @click=${() => act.applyImport()}>${t.applyImport}</button>
  </section>`;
}
