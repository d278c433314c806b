/**
 * The membership booklet in the member space (the seed's "carnet d'adhérent"), for the officers who keep
 * it: search as you type, add a person, change or delete a record (someone who asked to be forgotten),
 * confirm that a held member who got a device is the member who claims the record, CSV export and import
 * with a preview, and a printable list (the booklet on paper, for a meeting). Everything shown is text.
 */
import { html, nothing, type TemplateResult } from "lit";
import { repeat } from "lit/directives/repeat.js";
import type {
  ConsentHow,
  ImportPreview,
  MemberState,
  Person,
  PersonInput,
  PersonKind,
} from "../../../../core/index.js";
import type { AppStrings } from "../../../../core/public/strings/index.js";
import { field, onSubmit, today } from "../../forms.js";

/** What the booklet view can do. */
export interface BookletActions {
  /** Narrows the list: words typed, and a kind of person. */
  search(filter: { text?: string; kind?: PersonKind | "all" }): void;
  add(person: PersonInput): void;
  update(id: string, changes: Partial<PersonInput>): void;
  remove(id: string): void;
  /** A held member's record is now that of `member`, who joined with a device. */
  claim(id: string, member: string): void;
  exportCsv(): void;
  preview(file: File): void;
  applyImport(): void;
}

const HOWS: readonly ConsentHow[] = ["oral", "written", "form", "online"];

/** The form to change a record: every field a secretary keeps, consent with its day and how. */
function editForm(t: AppStrings, p: Person, act: BookletActions): TemplateResult {
  const save = onSubmit((form) => {
    const given = (form.elements.namedItem("consent") as HTMLInputElement).checked;
    act.update(p.id, {
      name: field(form, "name"),
      reach: field(form, "reach"),
      place: field(form, "place"),
      notes: field(form, "notes"),
      ...(p.kind === "contact" ? {} : { joined: field(form, "joined") }),
      consent: given ? { on: field(form, "on"), how: field(form, "how") as ConsentHow } : null,
    });
  });
  return html`<form @submit=${save} aria-label=${t.editPerson(p.name)}>
    <label>${t.personName} <input name="name" required maxlength="200" .value=${p.name} /></label>
    <label>${t.personReach} <input name="reach" maxlength="300" .value=${p.reach} /></label>
    <label>${t.place} <input name="place" maxlength="200" .value=${p.place} /></label>
    ${p.kind === "contact" ? nothing : html`<label>${t.joined} <input name="joined" type="date" required .value=${p.joined} /></label>`}
    <label>${t.notes} <textarea name="notes" rows="2" maxlength="5000" .value=${p.notes}></textarea></label>
    <label class="check"><input type="checkbox" name="consent" .checked=${!!p.consent} /> ${t.consentRecorded}</label>
    <label>${t.consentOn} <input name="on" type="date" .value=${p.consent?.on ?? today()} /></label>
    <label>${t.consentHow}
      <select name="how">
        ${HOWS.map((h) => html`<option value=${h} ?selected=${(p.consent?.how ?? "oral") === h}>${t.hows[h]}</option>`)}
      </select>
    </label>
    <button type="submit">${t.save}</button>
  </form>`;
}

/** A held member's record: the member who joined with their own device and claims it. */
function claimForm(t: AppStrings, p: Person, claimants: MemberState[], act: BookletActions) {
  if (p.kind !== "held" || claimants.length === 0) return nothing;
  const claim = onSubmit((form) => act.claim(p.id, field(form, "member")));
  return html`<form @submit=${claim} aria-label=${t.confirmClaim(p.name)}>
    <label>${t.claimedBy}
      <select name="member" required>
        ${claimants.map((m) => html`<option value=${m.id}>${m.name}</option>`)}
      </select>
    </label>
    <button type="submit">${t.confirmClaim(p.name)}</button>
  </form>`;
}

/** Deleting a record takes a tick in a box first. */
function removeForm(t: AppStrings, p: Person, act: BookletActions) {
  const remove = onSubmit(() => act.remove(p.id));
  return html`<form @submit=${remove} aria-label=${t.removePerson(p.name)}>
    <label class="check"><input type="checkbox" name="sure" required /> ${t.removeSure}</label>
    <button type="submit">${t.removePerson(p.name)}</button>
  </form>`;
}

/** The list as printed: a table of the people shown, nothing else of the page (see the print styles). */
function printList(t: AppStrings, people: Person[]): TemplateResult {
  return html`<table class="print-only">
    <caption>${t.booklet}</caption>
    <thead>
      <tr>
        ${[t.personName, t.kind, t.personReach, t.place, t.joined, t.consent].map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${people.map(
        (p) => html`<tr>
          <td>${p.name}</td><td>${t.kinds[p.kind]}</td><td>${p.reach}</td><td>${p.place}</td><td>${p.joined}</td>
          <td>${p.consent ? `${p.consent.on} (${t.hows[p.consent.how]})` : t.noConsent}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The booklet: a search box, the people found (each with its forms), a form to add someone, CSV, print. */
export function bookletView(
  t: AppStrings,
  people: Person[],
  preview: ImportPreview | undefined,
  holder: string,
  claimants: MemberState[],
  act: BookletActions,
): TemplateResult {
  const onAdd = onSubmit((form) => {
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
  });
  return html`<label class="no-print">${t.search}
      <input type="search" @input=${(e: InputEvent) => act.search({ text: (e.target as HTMLInputElement).value })} />
    </label>
    <label class="no-print">${t.showKind}
      <select @change=${(e: Event) => act.search({ kind: (e.target as HTMLSelectElement).value as PersonKind | "all" })}>
        <option value="all">${t.everyone}</option>
        ${(["contact", "member", "held"] as const).map((k) => html`<option value=${k}>${t.kindsPlural[k]}</option>`)}
      </select>
    </label>
    <ul class="people no-print" aria-label=${t.people}>
      ${repeat(
        people,
        (p) => p.id,
        (p) => html`<li>
          <strong>${p.name}</strong> · ${t.kinds[p.kind]}${p.place ? html` · ${p.place}` : nothing}
          ${p.reach ? html`<br />${p.reach}` : nothing}${p.consent ? nothing : html` · <em>${t.noConsent}</em>`}
          ${p.claimed ? html`<br /><span class="meta">${t.claimed(p.claimed.on)}</span>` : nothing}
          <details>
            <summary>${t.changePerson(p.name)}</summary>
            ${editForm(t, p, act)} ${claimForm(t, p, claimants, act)} ${removeForm(t, p, act)}
          </details>
        </li>`,
      )}
    </ul>
    ${printList(t, people)}
    <details class="no-print">
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
    <p class="no-print">
      <button @click=${() => window.print()}>${t.printList}</button>
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
